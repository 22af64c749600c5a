"""Numbered schema migrations, recorded in ``_sqlite_migrations`` by sqlite-utils.

Never edit a migration that has shipped: add the next number.
"""

from __future__ import annotations

from feedback.sqlite import Database, Migrations

migrations = Migrations("feedback")


def _run(db: Database, script: str) -> None:
    # Statement by statement: sqlite3's executescript() would commit the migration's transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            date TEXT,
            city TEXT,
            country TEXT,
            programme TEXT
        );
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT UNIQUE COLLATE NOCASE,
            role TEXT,
            country TEXT,
            organisation TEXT
        );
        CREATE TABLE attendance (
            person INTEGER NOT NULL REFERENCES people(id),
            event TEXT NOT NULL REFERENCES events(id),
            invited INTEGER NOT NULL DEFAULT 1,
            attended INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (person, event)
        );
        CREATE TABLE surveys (
            id TEXT NOT NULL,
            version TEXT NOT NULL,
            title TEXT,
            definition TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            PRIMARY KEY (id, version)
        );
        CREATE TABLE responses (
            id TEXT PRIMARY KEY,
            event TEXT NOT NULL REFERENCES events(id),
            survey TEXT NOT NULL,
            survey_version TEXT NOT NULL,
            channel TEXT NOT NULL,
            language TEXT NOT NULL,
            submitted TEXT NOT NULL,
            answers TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            FOREIGN KEY (survey, survey_version) REFERENCES surveys(id, version)
        );
        CREATE INDEX responses_event_survey ON responses(event, survey);
        CREATE TABLE conflicts (
            id INTEGER PRIMARY KEY,
            response_id TEXT NOT NULL,
            received TEXT NOT NULL,
            channel TEXT,
            content TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            UNIQUE (response_id, content_hash)
        );
        CREATE TABLE invitations (
            token_hash TEXT PRIMARY KEY,
            person INTEGER NOT NULL REFERENCES people(id),
            event TEXT NOT NULL REFERENCES events(id),
            survey TEXT NOT NULL,
            sent TEXT,
            reminded TEXT,
            expires TEXT,
            completed TEXT
        );
        CREATE VIEW answers AS
            SELECT r.id AS response, r.event AS event, r.survey AS survey,
                   r.survey_version AS survey_version, a.key AS question, a.value AS value
            FROM responses AS r, json_each(r.answers) AS a;
        """,
    )


@migrations(name="0002_invitations")
def m0002_invitations(db: Database) -> None:
    """Invitations by personal link: one row per person, event and survey, every token it was sent
    with (a reminder carries a new link, and the first keeps working), web drafts, and the
    secrets of the web form.

    ``invitations.response`` links a response only for a survey that is not anonymous;
    ``completed`` holds the date alone for an anonymous one.
    """
    _run(
        db,
        """
        DROP TABLE invitations;
        ALTER TABLE people ADD COLUMN language TEXT;
        CREATE TABLE invitations (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            person INTEGER NOT NULL REFERENCES people(id),
            event TEXT NOT NULL REFERENCES events(id),
            survey TEXT NOT NULL,
            language TEXT NOT NULL,
            created TEXT NOT NULL,
            expires TEXT NOT NULL,
            sent TEXT,
            via TEXT,
            reminded TEXT,
            reminders INTEGER NOT NULL DEFAULT 0,
            failed TEXT,
            error TEXT,
            completed TEXT,
            response TEXT,
            UNIQUE (person, event, survey)
        );
        CREATE INDEX invitations_event ON invitations(event, survey);
        CREATE TABLE invitation_tokens (
            token_hash TEXT PRIMARY KEY,
            invitation INTEGER NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
            issued TEXT NOT NULL
        );
        CREATE TABLE drafts (
            key TEXT PRIMARY KEY,
            invitation INTEGER REFERENCES invitations(id) ON DELETE CASCADE,
            event TEXT NOT NULL REFERENCES events(id),
            survey TEXT NOT NULL,
            survey_version TEXT NOT NULL,
            response_id TEXT NOT NULL,
            language TEXT NOT NULL,
            page INTEGER NOT NULL DEFAULT 0,
            answers TEXT NOT NULL DEFAULT '{}',
            updated TEXT NOT NULL
        );
        CREATE TABLE secrets (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """,
    )


@migrations(name="0003_event_open_link")
def m0003_event_open_link(db: Database) -> None:
    """Open links are off unless an event turns them on (a public link can be stuffed)."""
    _run(db, "ALTER TABLE events ADD COLUMN open_link INTEGER NOT NULL DEFAULT 0")


@migrations(name="0004_sealed_drafts")
def m0004_sealed_drafts(db: Database) -> None:
    """No draft ties an invitation to a response: a personal link's draft holds no response id
    (it is made when the response is stored), which the table now checks; and the draft of an
    anonymous survey can be sealed (``sealed``: its language, page and answers encrypted under a
    key from the participant's token), its clear columns then empty.

    Response ids of personal links' drafts are dropped; the table is rebuilt, and with
    ``secure_delete`` its old pages are overwritten.
    """
    _run(
        db,
        """
        CREATE TABLE drafts_new (
            key TEXT PRIMARY KEY,
            invitation INTEGER REFERENCES invitations(id) ON DELETE CASCADE,
            event TEXT NOT NULL REFERENCES events(id),
            survey TEXT NOT NULL,
            survey_version TEXT NOT NULL,
            response_id TEXT,
            language TEXT,
            page INTEGER,
            answers TEXT,
            sealed BLOB,
            updated TEXT NOT NULL,
            CHECK (invitation IS NULL OR response_id IS NULL),
            CHECK ((sealed IS NULL) = (answers IS NOT NULL))
        );
        INSERT INTO drafts_new (key, invitation, event, survey, survey_version, response_id,
                                language, page, answers, updated)
            SELECT key, invitation, event, survey, survey_version,
                   CASE WHEN invitation IS NULL THEN response_id END,
                   language, page, answers, updated
            FROM drafts;
        DROP TABLE drafts;
        ALTER TABLE drafts_new RENAME TO drafts
        """,
    )


@migrations(name="0005_web_failed_links")
def m0005_web_failed_links(db: Database) -> None:
    """The web form's count of failed links (unknown tokens), shared by every web worker on the
    database: one row per failure, the client's address as a keyed hash (never the address),
    deleted once older than the window it counts in. Only failures are counted, so a valid link
    is never refused for someone else's mistakes."""
    _run(
        db,
        """
        CREATE TABLE web_failed_links (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            moment REAL NOT NULL
        );
        CREATE INDEX web_failed_links_address ON web_failed_links(address, moment);
        CREATE INDEX web_failed_links_moment ON web_failed_links(moment)
        """,
    )


@migrations(name="0006_partial_responses")
def m0006_partial_responses(db: Database) -> None:
    """A response can be partial: a kiosk session abandoned before Submit, kept because its survey
    says ``keep_partial``. Every response stored before is a full one."""
    _run(db, "ALTER TABLE responses ADD COLUMN partial INTEGER NOT NULL DEFAULT 0")
