"""The webhooks' table: the outbox, its set of migrations ``feedback_webhooks`` (applied after the
core's when a database is opened, through the ``register_migrations`` hook).

``webhooks_outbox`` holds one row per message to an endpoint, written in the engine's transaction
with the response it tells of (the ``response_storing`` hook), so a stored response always has
its messages and a refused one has none. A row keeps its message id (the ``webhook-id`` header,
the same on every attempt) and its body as queued (so every attempt signs and sends the same
bytes), and no moment of queueing: an anonymous survey's response keeps only its date, and its
message must not tell more. ``next_attempt`` is ``NULL`` while a message is due at once.

Never change what a shipped step did to a database it has run on: add the next number.
"""

from __future__ import annotations

from feedback.migrations import run_script
from feedback.sqlite import Database, Migrations

migrations = Migrations("feedback_webhooks")


@migrations(name="0001_outbox")
def m0001_outbox(db: Database) -> None:
    """The outbox, and the index `feedback webhooks deliver` finds the messages due by."""
    run_script(
        db,
        """
        CREATE TABLE webhooks_outbox (
            id TEXT PRIMARY KEY,
            endpoint TEXT NOT NULL,
            event_type TEXT NOT NULL,
            response_id TEXT,
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt TEXT,
            last_attempt TEXT,
            last_error TEXT,
            delivered TEXT
        );
        CREATE INDEX webhooks_outbox_due ON webhooks_outbox(status, next_attempt)
        """,
    )
