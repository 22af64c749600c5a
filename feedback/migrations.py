"""Numbered schema migrations of the core's tables, recorded in ``_sqlite_migrations`` by
sqlite-utils; and `plugin_migrations`, the sets the plugins declare for their own tables.

Never change what a shipped migration did to a database it has run on: add the next number.

The core knows only the core's tables. Release 0.1 made the web form's tables here too (``drafts``
and ``secrets`` in 0002, the rebuild of ``drafts`` in 0004, ``web_failed_links`` in 0005); they
belong to the web plugin now, whose set ``feedback_web`` (`feedback_web.migrations`) makes each
one *if absent*, and brings a ``drafts`` table of 0002's shape to 0004's. So:

* a database on which 0002-0005 ran keeps its tables and its rows: a migration that ran is never
  run again, and the plugin's steps find the tables there and record themselves as applied;
* a new database runs 0002 without the web form's tables, and 0004 and 0005 as steps that change
  nothing (kept, under their names, so that every database records the same core history); the
  web form's tables come from the plugin's set, and only when the web plugin is installed;
* a database left part-way by an older release (0002 ran, 0004 did not) gets 0004's rebuild from
  the plugin's set, since the core's 0004 no longer does it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback.registry import Registry, collect
from feedback.sqlite import Database, Migrations

if TYPE_CHECKING:
    import pluggy

#: The name the core's set is recorded under; no plugin's set may take it.
CORE = "feedback"
migrations = Migrations(CORE)


def plugin_migrations(pm: pluggy.PluginManager) -> Registry[Migrations]:
    """The migration sets the plugins of ``pm`` declare (``register_migrations``), by set name, in
    the order the plugins were registered; what was wrong with other declarations (not a
    ``Migrations``, a name another set has, the core's name) is in ``problems``."""
    registry: Registry[Migrations] = collect(
        pm,
        "register_migrations",
        "migration set",
        lambda item: isinstance(item, Migrations),
        "a feedback.sqlite.Migrations",
    )
    if CORE in registry.items:
        registry.problems.append(
            f"plugin '{registry.owners[CORE]}' declared the migration set '{CORE}', which is the "
            "core's; name a plugin's set after the plugin"
        )
        del registry.items[CORE], registry.owners[CORE]
    return registry


def run_script(db: Database, script: str) -> None:
    """Run SQL statements separated by ``;`` (none may hold a ``;`` in a string) inside the
    migration's transaction: sqlite3's ``executescript()`` would commit it."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    run_script(
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
    """Invitations by personal link: one row per person, event and survey, and every token it was
    sent with (a reminder carries a new link, and the first keeps working).

    ``invitations.response`` links a response only for a survey that is not anonymous;
    ``completed`` holds the date alone for an anonymous one.

    Release 0.1's 0002 made the web form's ``drafts`` and ``secrets`` here as well; the web
    plugin's set makes them now (see the module's docstring).
    """
    run_script(
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
        )
        """,
    )


@migrations(name="0003_event_open_link")
def m0003_event_open_link(db: Database) -> None:
    """Open links are off unless an event turns them on (a public link can be stuffed)."""
    run_script(db, "ALTER TABLE events ADD COLUMN open_link INTEGER NOT NULL DEFAULT 0")


@migrations(name="0004_sealed_drafts")
def m0004_sealed_drafts(db: Database) -> None:
    """Release 0.1 rebuilt the web form's ``drafts`` here (no response id in a personal link's
    draft; sealed drafts). The web plugin's set does that now (``0002_sealed_drafts``); kept under
    its name, changing nothing, so every database records the same core history."""


@migrations(name="0005_web_failed_links")
def m0005_web_failed_links(db: Database) -> None:
    """Release 0.1 made the web form's ``web_failed_links`` here; the web plugin's set makes it
    now (``0003_failed_links``). Kept under its name, changing nothing."""


@migrations(name="0006_partial_responses")
def m0006_partial_responses(db: Database) -> None:
    """A response can be partial: a kiosk session abandoned before Submit, kept because its survey
    says ``keep_partial``. Every response stored before is a full one."""
    run_script(db, "ALTER TABLE responses ADD COLUMN partial INTEGER NOT NULL DEFAULT 0")


@migrations(name="0007_outcomes")
def m0007_outcomes(db: Database) -> None:
    """The outcome log: outcomes observed rather than asked ("a motion was tabled"), each of an
    event, of a kind of the programme's ``outcome_kinds``, on a date, with its evidence (a path
    and the file's sha256) and where it was recorded from (``cli``, ``csv``, ``survey``)."""
    run_script(
        db,
        """
        CREATE TABLE outcomes (
            id INTEGER PRIMARY KEY,
            event TEXT NOT NULL REFERENCES events(id),
            kind TEXT NOT NULL,
            date TEXT NOT NULL,
            text TEXT NOT NULL,
            evidence TEXT,
            evidence_sha256 TEXT,
            source TEXT NOT NULL,
            recorded TEXT NOT NULL
        );
        CREATE INDEX outcomes_event ON outcomes(event, date)
        """,
    )


@migrations(name="0008_indicator_values")
def m0008_indicator_values(db: Database) -> None:
    """Values of the programme's indicators entered by hand (`feedback indicator set`): of an
    indicator of the programme's settings, for an event or the whole programme (``event`` NULL),
    on a date, with their evidence: a file (its path and sha256) or a line of text."""
    run_script(
        db,
        """
        CREATE TABLE indicator_values (
            id INTEGER PRIMARY KEY,
            indicator TEXT NOT NULL,
            event TEXT REFERENCES events(id),
            value TEXT NOT NULL,
            date TEXT NOT NULL,
            evidence TEXT,
            evidence_sha256 TEXT,
            recorded TEXT NOT NULL
        );
        CREATE INDEX indicator_values_indicator ON indicator_values(indicator, date)
        """,
    )


@migrations(name="0009_response_links")
def m0009_response_links(db: Database) -> None:
    """The keyed hash that links a response to the same person's answers in other waves (a
    roster person's, for a pseudonymous survey, or a self-generated code's): made by the engine
    under the linking key, which is never in the database (`feedback.linking`)."""
    run_script(
        db,
        """
        CREATE TABLE response_links (
            response TEXT PRIMARY KEY REFERENCES responses(id),
            link TEXT NOT NULL,
            method TEXT NOT NULL CHECK (method IN ('person', 'self_code'))
        );
        CREATE INDEX response_links_link ON response_links(link)
        """,
    )


@migrations(name="0010_erasures")
def m0010_erasures(db: Database) -> None:
    """The log of people erased (`feedback person erase`): when, and how much went, never who."""
    run_script(
        db,
        """
        CREATE TABLE erasures (
            id INTEGER PRIMARY KEY,
            erased TEXT NOT NULL,
            links INTEGER NOT NULL,
            invitations INTEGER NOT NULL,
            attendance INTEGER NOT NULL
        )
        """,
    )


@migrations(name="0011_attendance_evidence")
def m0011_attendance_evidence(db: Database) -> None:
    """Where each attendance comes from (a roster import, a signed sheet entered, a check-in at
    the venue) and when it was recorded: funders may count only attendance that is confirmed."""
    run_script(
        db,
        """
        ALTER TABLE attendance ADD COLUMN source TEXT NOT NULL DEFAULT 'roster'
            CHECK (source IN ('roster', 'sheet', 'checkin'));
        ALTER TABLE attendance ADD COLUMN recorded TEXT
        """,
    )


@migrations(name="0012_checkin_passes")
def m0012_checkin_passes(db: Database) -> None:
    """Personal check-in passes (`feedback.checkin`): the hash of a code printed on a badge or
    sent with an invitation, shown as a QR code and scanned at the venue; a person may hold
    several (a badge reprinted, a pass sent again), each good until the person is erased. The
    erasure log counts the passes that went with a person."""
    run_script(
        db,
        """
        CREATE TABLE checkin_passes (
            token_hash TEXT PRIMARY KEY,
            event TEXT NOT NULL REFERENCES events(id),
            person INTEGER NOT NULL REFERENCES people(id),
            issued TEXT NOT NULL
        );
        CREATE INDEX checkin_passes_person ON checkin_passes(person, event);
        ALTER TABLE erasures ADD COLUMN passes INTEGER NOT NULL DEFAULT 0
        """,
    )


@migrations(name="0013_erased_people")
def m0013_erased_people(db: Database) -> None:
    """Tombstones of erased people (`feedback.erasure.tombstone`): a keyed hash of the email (or,
    without one, of the name, role, country and organisation), so that ``feedback merge`` does
    not bring an erased person back from another database of the project. Nothing ties a
    tombstone to a row of ``erasures``: no date, and ``WITHOUT ROWID`` keeps the rows in the
    order of their hashes, not of the erasures."""
    run_script(
        db,
        """
        CREATE TABLE erased_people (
            tombstone TEXT PRIMARY KEY
        ) WITHOUT ROWID
        """,
    )
