"""A ``response_submitted`` plugin that reads each announced response back from the database, for
the tests that every channel announces a response only once it is committed (issue 14, §1).

Importable as ``from uow_helpers import ReadsBack``: pytest puts ``tests/`` on ``sys.path``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from feedback import hookimpl
from feedback.engine import Engine
from feedback.responses import Response


@dataclass
class Sighting:
    """One announcement, and whether the response was found where a hook would look for it."""

    response_id: str
    channel: str
    #: through the engine's own connection (`Store.stored_hashes`)
    by_engine: bool
    #: through a new connection to the database file, as a webhook's worker would open one
    by_fresh_connection: bool
    #: whether the engine's connection was still inside a transaction when the hook ran
    in_transaction: bool


@dataclass
class ReadsBack:
    """Register with an engine's plugin manager; ``seen`` lists what each announcement found."""

    seen: list[Sighting] = field(default_factory=list)

    @hookimpl
    def response_submitted(self, engine: Engine, response: Response) -> None:
        rid = str(response.id)
        conn = sqlite3.connect(engine.settings.db_path, timeout=0.5)
        try:
            found = conn.execute("SELECT count(*) FROM responses WHERE id = ?", [rid]).fetchone()
        finally:
            conn.close()
        self.seen.append(
            Sighting(
                response_id=rid,
                channel=response.channel,
                by_engine=bool(engine.store.stored_hashes([rid])),
                by_fresh_connection=found[0] == 1,
                in_transaction=engine.store.conn.in_transaction,
            )
        )

    def all_found(self) -> bool:
        """Every announced response was committed and readable when it was announced."""
        return bool(self.seen) and all(
            s.by_engine and s.by_fresh_connection and not s.in_transaction for s in self.seen
        )

    def ids(self) -> set[str]:
        return {s.response_id for s in self.seen}
