"""The web form's tables: its set of migrations, ``feedback_web``, applied after the core's when a
database is opened (the ``register_migrations`` hook) and recorded under its own name.

``drafts`` (forms filled in part-way), ``secrets`` (the keys of its CSRF tokens and of its count
of failed links) and ``web_failed_links`` were the core's in release 0.1 (its migrations 0002, 0004
and 0005; see `feedback.migrations`). Each step here therefore makes its table only if absent, and
0002 rebuilds a ``drafts`` table only if it still has 0.1's first shape: a database made by 0.1
keeps its tables and rows, a new one gets them from here alone.

Never change what a shipped step did to a database it has run on: add the next number.
"""

from __future__ import annotations

from feedback.migrations import run_script
from feedback.sqlite import Database, Migrations

migrations = Migrations("feedback_web")

#: ``drafts`` as it is now: no draft ties an invitation to a response (a personal link's draft
#: holds no response id), and the draft of an anonymous survey can be sealed (``sealed``: its
#: language, page and answers encrypted under a key from the participant's token, the clear
#: columns then empty).
_DRAFTS = """
    CREATE TABLE {name} (
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
    )
"""


def _has_table(db: Database, name: str) -> bool:
    return db[name].exists()


@migrations(name="0001_drafts_and_secrets")
def m0001_drafts_and_secrets(db: Database) -> None:
    """Drafts of the web form and its secrets, unless the core's 0002 of release 0.1 made them."""
    if not _has_table(db, "drafts"):
        run_script(db, _DRAFTS.format(name="drafts"))
    run_script(
        db, "CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
    )


@migrations(name="0002_sealed_drafts")
def m0002_sealed_drafts(db: Database) -> None:
    """A ``drafts`` table of release 0.1's first shape (its core 0002 ran, its 0004 did not: a
    database left part-way by an older release) is rebuilt as 0.1's 0004 did: response ids of
    personal links' drafts are dropped, and with ``secure_delete`` the old pages are overwritten.
    Any other database has the current shape already, and nothing changes."""
    if "sealed" in {column.name for column in db["drafts"].columns}:
        return
    run_script(
        db,
        _DRAFTS.format(name="drafts_new")
        + """;
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


@migrations(name="0003_failed_links")
def m0003_failed_links(db: Database) -> None:
    """The web form's count of failed links (unknown tokens), shared by every web worker on the
    database: one row per failure, the client's address as a keyed hash (never the address),
    deleted once older than the window it counts in. Only failures are counted, so a valid link
    is never refused for someone else's mistakes. (Release 0.1's core 0005 made it already.)"""
    run_script(
        db,
        """
        CREATE TABLE IF NOT EXISTS web_failed_links (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            moment REAL NOT NULL
        );
        CREATE INDEX IF NOT EXISTS web_failed_links_address ON web_failed_links(address, moment);
        CREATE INDEX IF NOT EXISTS web_failed_links_moment ON web_failed_links(moment)
        """,
    )
