"""SQLite through sqlite-utils: connection settings, migrations, write transactions, queries.

The store opens the file itself (WAL, ``synchronous=FULL``, a busy timeout, foreign keys) and hands the
connection to sqlite-utils. Every write runs inside `Store.write`, a ``BEGIN IMMEDIATE`` transaction,
so a second writer (another kiosk) waits instead of failing and a failure leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from feedback.clock import moment
from feedback.errors import StoreError
from feedback.migrations import migrations
from feedback.sqlite import Database, Migrations

RESPONSE_COLUMNS = (
    "id",
    "event",
    "survey",
    "survey_version",
    "channel",
    "language",
    "submitted",
    "answers",
    "partial",
    "content_hash",
)
#: The columns of ``people`` besides its id (`Store.fill_person` sets only these).
PERSON_COLUMNS = ("name", "email", "role", "country", "organisation", "language")
_INSERT_RESPONSE = (
    f"INSERT INTO responses ({', '.join(RESPONSE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in RESPONSE_COLUMNS)})"
)


def now() -> str:
    """Now, by the core's clock (`feedback.events.moment`), as stored."""
    return moment().isoformat(timespec="seconds")


class Store:
    """One SQLite database file of the project."""

    def __init__(
        self,
        path: str | Path,
        busy_timeout: float = 10.0,
        migrate: bool = True,
        plugin_migrations: Iterable[Migrations] = (),
    ):
        self.path = Path(path)
        #: the plugins' migration sets, applied after the core's (`migrate`)
        self.plugin_migrations: list[Migrations] = []
        for extra in plugin_migrations:
            self._add_migrations(extra)
        try:
            # check_same_thread=False: an async web server or a test client may call from another
            # thread than the one that opened; every caller keeps to one call at a time.
            conn = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            # Deleted rows (a web draft tied to an invitation) are overwritten, not left in the
            # file where they could link an anonymous response to a person.
            conn.execute("PRAGMA secure_delete = ON")
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database: {exc}") from exc
        self.conn = conn
        self.db = Database(conn)
        if migrate:
            self.migrate()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and schema --------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on any error."""
        if self.conn.in_transaction:
            with self.db.atomic():  # nested: a savepoint inside the outer transaction
                yield self.db
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot start a write: {exc}") from exc
        try:
            yield self.db
        except sqlite3.OperationalError as exc:  # disk full, read-only file, lock lost
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: cannot write: {exc}") from exc
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: cannot commit: {exc}") from exc

    def can_write(self, wait: float = 0.05) -> bool:
        """Whether a write could start now (waiting at most ``wait`` seconds for another writer)."""
        if self.conn.in_transaction:
            return True
        previous = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        self.conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("ROLLBACK")
            return True
        except sqlite3.Error:
            return False
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {previous}")

    def _add_migrations(self, extra: Migrations) -> None:
        if extra.name != migrations.name and all(
            known.name != extra.name for known in self.plugin_migrations
        ):
            self.plugin_migrations.append(extra)

    def migrate(self, plugin_migrations: Iterable[Migrations] = ()) -> list[str]:
        """Apply pending migrations, the core's and then each plugin's set (``plugin_migrations``
        join the store's own), in one immediate transaction; return their names, a plugin's as
        ``set:name`` (``feedback_web:0001_drafts_and_secrets``)."""
        for extra in plugin_migrations:
            self._add_migrations(extra)
        sets = [migrations, *self.plugin_migrations]
        try:
            if not any(s.pending(self.db) for s in sets):
                return []
            with self.write():
                pending = [_qualified(s, m.name) for s in sets for m in s.pending(self.db)]
                for s in sets:
                    s.apply(self.db)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot prepare the database: {exc}") from exc
        return pending

    def applied_migrations(self) -> list[str]:
        """The migrations applied, the core's and then the store's plugin sets' (``set:name``)."""
        sets = [migrations, *self.plugin_migrations]
        return [_qualified(s, m.name) for s in sets for m in s.applied(self.db)]

    # -- events, people, attendance ------------------------------------------------------------

    def upsert_event(self, event: dict[str, Any]) -> None:
        with self.write():
            self.db.table("events").upsert(event, pk="id")

    def event(self, event_id: str) -> dict[str, Any] | None:
        cursor = self.conn.execute("SELECT * FROM events WHERE id = ?", [event_id])
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else None

    def events(self, with_counts: bool = False) -> list[dict[str, Any]]:
        """Events by date; with ``attended`` and ``responses`` counts when asked."""
        counts = (
            ", (SELECT count(*) FROM attendance a WHERE a.event = e.id AND a.attended)"
            " AS attended, (SELECT count(*) FROM responses r WHERE r.event = e.id) AS responses"
            if with_counts
            else ""
        )
        return list(self.db.query(f"SELECT e.*{counts} FROM events e ORDER BY e.date, e.id"))

    def event_ids(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT id FROM events ORDER BY id")]

    def add_event(self, event: Mapping[str, Any]) -> bool:
        """Add an event unless its id is stored (ours is kept); whether it was added. Call inside
        `write`; ``event`` holds columns of ``events`` (`columns`), checked by the caller."""
        names = list(event)
        unknown = set(names) - set(self.columns("events"))
        if unknown:
            raise ValueError(f"events has no column {sorted(unknown)[0]!r}")
        cursor = self.conn.execute(
            f"INSERT OR IGNORE INTO events ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})",
            [event[name] for name in names],
        )
        return cursor.rowcount == 1

    def columns(self, table: str) -> list[str]:
        """The columns of a table of this database, in order."""
        return [row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")]

    def person_by_email(self, email: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM people WHERE email = ?", [email]))
        return rows[0] if rows else None

    def save_person(self, person: dict[str, Any]) -> int:
        """Insert a person, or update the one with the same email; return the id."""
        existing = self.person_by_email(person["email"]) if person.get("email") else None
        if existing is not None:
            self.db.table("people").update(existing["id"], person)
            return int(existing["id"])
        return int(self.db.table("people").insert(person).last_pk or 0)

    def find_person(self, person: Mapping[str, Any]) -> int | None:
        """The id of the stored person that ``person`` is: the one with its email; without an
        email, one without an email with the same name, role, country and organisation."""
        if person.get("email"):
            row = self.conn.execute(
                "SELECT id FROM people WHERE email = ?", [person["email"]]
            ).fetchone()
        else:
            row = self.conn.execute(
                "SELECT id FROM people WHERE email IS NULL AND name = ? AND role IS ?"
                " AND country IS ? AND organisation IS ?",
                [
                    person.get("name"),
                    person.get("role"),
                    person.get("country"),
                    person.get("organisation"),
                ],
            ).fetchone()
        return int(row[0]) if row else None

    def add_person(self, person: Mapping[str, Any]) -> int:
        """Add a person (columns of ``people``, checked by the caller); return the new id. Call
        inside `write`."""
        names = list(person)
        unknown = [n for n in names if n not in PERSON_COLUMNS]
        if unknown:
            raise ValueError(f"people has no column {unknown[0]!r}")
        cursor = self.conn.execute(
            f"INSERT INTO people ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            [person[n] for n in names],
        )
        return int(cursor.lastrowid or 0)

    def fill_person(self, person_id: int, values: Mapping[str, Any]) -> int:
        """Set the columns of a stored person that are empty (``NULL``) to ``values``, never
        overwriting what is known; return how many were set. Call inside `write`."""
        filled = 0
        for name, value in values.items():
            if value is None:
                continue
            if name not in PERSON_COLUMNS:
                raise ValueError(f"people has no column {name!r} a merge may fill")
            cursor = self.conn.execute(
                f"UPDATE people SET {name} = ? WHERE id = ? AND {name} IS NULL", [value, person_id]
            )
            filled += cursor.rowcount
        return filled

    def merge_attendance(
        self,
        person: int,
        event: str,
        invited: bool,
        attended: bool,
        source: str = "roster",
        recorded: str | None = None,
    ) -> bool:
        """Add a person's attendance of an event, as another database of the project records it,
        or raise the stored one to it; whether anything changed. Call inside `write`.

        Invited or attended anywhere counts (a flag is never lowered). A confirmed attendance (a
        signed sheet, a check-in) is never lowered by a roster one: it keeps its source and time;
        of two confirmations the earliest is kept, as `feedback.checkin.confirm` keeps the first.
        """
        row = self.conn.execute(
            "SELECT invited, attended, source, recorded FROM attendance"
            " WHERE person = ? AND event = ?",
            [person, event],
        ).fetchone()
        if row is None:
            self.conn.execute(
                "INSERT INTO attendance (person, event, invited, attended, source, recorded)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [person, event, int(invited), int(attended), source, recorded],
            )
            return True
        ours = (int(row[0]), int(row[1]), row[2], row[3])
        theirs_confirmed = attended and source != "roster"
        ours_confirmed = bool(row[1]) and row[2] != "roster"
        if theirs_confirmed and (not ours_confirmed or _earlier(recorded, row[3])):
            kept_source, kept_time = source, recorded
        else:
            kept_source, kept_time = row[2], row[3] if row[3] is not None else recorded
        merged = (max(ours[0], int(invited)), max(ours[1], int(attended)), kept_source, kept_time)
        if merged == ours:
            return False
        self.conn.execute(
            "UPDATE attendance SET invited = ?, attended = ?, source = ?, recorded = ?"
            " WHERE person = ? AND event = ?",
            [*merged, person, event],
        )
        return True

    def add_checkin_passes(self, passes: Iterable[tuple[str, str, int, str]]) -> int:
        """Keep ``(token hash, event, person, issued)`` check-in passes made elsewhere (another
        database of the project, see `feedback.checkin`); a pass known already is kept as it is.
        Return how many were added. Call inside `write`."""
        before = self.conn.total_changes
        self.conn.executemany(
            "INSERT OR IGNORE INTO checkin_passes (token_hash, event, person, issued)"
            " VALUES (?, ?, ?, ?)",
            list(passes),
        )
        return self.conn.total_changes - before

    def set_attendance(
        self, person: int, event: str, invited: bool, attended: bool, source: str = "roster"
    ) -> None:
        """Record a person's invitation and attendance, and where the attendance comes from
        (``roster``, ``sheet``: a signed sheet entered, ``checkin``: checked in at the venue).
        A roster import never undoes a confirmed attendance: it keeps its source and its time."""
        row = self.conn.execute(
            "SELECT source FROM attendance WHERE person = ? AND event = ?", [person, event]
        ).fetchone()
        if row is not None and row[0] != "roster" and source == "roster":
            self.conn.execute(
                "UPDATE attendance SET invited = ? WHERE person = ? AND event = ?",
                [invited, person, event],
            )
            return
        self.db.table("attendance").upsert(
            {
                "person": person,
                "event": event,
                "invited": invited,
                "attended": attended,
                "source": source,
                "recorded": now(),
            },
            pk=("person", "event"),
        )

    def roster(self, event: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                """
                SELECT p.id, p.name, p.email, p.role, p.country, p.organisation,
                       a.invited, a.attended
                FROM attendance a JOIN people p ON p.id = a.person
                WHERE a.event = ? ORDER BY p.name, p.id
                """,
                [event],
            )
        )

    def attendance(self) -> list[dict[str, Any]]:
        """Every (person, event) of every roster, with the person's role and country."""
        return list(
            self.db.query(
                """
                SELECT a.event, a.invited, a.attended, a.source, p.id AS person, p.role, p.country
                FROM attendance a JOIN people p ON p.id = a.person ORDER BY a.event, p.id
                """
            )
        )

    # -- surveys -------------------------------------------------------------------------------

    def save_survey_version(
        self,
        survey_id: str,
        version: str,
        title: str,
        definition: str,
        first_seen: str | None = None,
    ) -> bool:
        """Keep a survey version (first seen now, unless given) unless it is kept already;
        whether it was new. Call inside `write` (or use `Engine.keep_survey_version`)."""
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO surveys (id, version, title, definition, first_seen) "
            "VALUES (?, ?, ?, ?, ?)",
            [survey_id, version, title, definition, first_seen or now()],
        )
        return cursor.rowcount == 1

    def survey_definition(self, survey_id: str, version: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT definition FROM surveys WHERE id = ? AND version = ?", [survey_id, version]
        ).fetchone()
        return json.loads(row[0]) if row else None

    def survey_versions(self, survey_id: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, version, title, first_seen FROM surveys"
        params: list[Any] = []
        if survey_id is not None:
            sql += " WHERE id = ?"
            params.append(survey_id)
        return list(self.db.query(sql + " ORDER BY id, first_seen", params))

    # -- responses -----------------------------------------------------------------------------

    def stored_hashes(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """``{id: (content_hash, survey_version)}`` of the given response ids that are stored."""
        out: dict[str, tuple[str, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.conn.execute(
                f"SELECT id, content_hash, survey_version FROM responses WHERE id IN ({marks})",
                chunk,
            )
            out.update((rid, (digest, version)) for rid, digest, version in rows)
        return out

    def insert_responses(self, rows: Iterable[Sequence[Any]]) -> None:
        """Insert rows (in `RESPONSE_COLUMNS` order) known to be new. Call inside `write`."""
        self.conn.executemany(_INSERT_RESPONSE, rows)

    def add_conflict(
        self,
        response_id: str,
        channel: str | None,
        content: str,
        content_hash: str,
        received: str | None = None,
    ) -> bool:
        """Keep a response that reuses a stored one's id with other content (received now,
        unless given), once per content; whether it was new. Call inside `write`."""
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO conflicts (response_id, received, channel, content, content_hash)"
            " VALUES (?, ?, ?, ?, ?)",
            [response_id, received or now(), channel, content, content_hash],
        )
        return cursor.rowcount == 1

    def conflicts(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM conflicts ORDER BY id"))

    def count_responses(
        self, event: str | None = None, survey: str | None = None, submitted: str | None = None
    ) -> int:
        """Stored responses, optionally of one event, survey, and submission date (YYYY-MM-DD)."""
        where, params = _filters(event, survey)
        if submitted is not None:
            where += (" AND" if where else " WHERE") + " submitted = ?"
            params.append(submitted)
        return int(
            self.conn.execute(f"SELECT count(*) FROM responses{where}", params).fetchone()[0]
        )

    def add_links(self, links: Iterable[tuple[str, str, str]]) -> None:
        """Keep ``(response id, link, method)`` rows (see `feedback.linking`); a response keeps
        the link it was stored with. Call inside `write`, with the responses."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO response_links (response, link, method) VALUES (?, ?, ?)",
            list(links),
        )

    def response_links(self, survey: str | None = None) -> dict[str, tuple[str, str]]:
        """Response id -> (link, method), of one survey's responses or of all."""
        where, params = ("WHERE r.survey = ?", [survey]) if survey is not None else ("", [])
        cursor = self.conn.execute(
            "SELECT l.response, l.link, l.method FROM response_links AS l "
            f"JOIN responses AS r ON r.id = l.response {where}",
            params,
        )
        return {row[0]: (row[1], row[2]) for row in cursor}

    def iter_responses(
        self, event: str | None = None, survey: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Stored responses, oldest first, answers decoded."""
        where, params = _filters(event, survey)
        cursor = self.conn.execute(
            f"SELECT {', '.join(RESPONSE_COLUMNS[:-1])} FROM responses{where} "
            "ORDER BY submitted, rowid",
            params,
        )
        names = RESPONSE_COLUMNS[:-1]
        for row in cursor:
            record = dict(zip(names, row, strict=True))
            record["answers"] = orjson.loads(record["answers"])
            record["partial"] = bool(record["partial"])
            yield record


def _qualified(migration_set: Migrations, name: str) -> str:
    return name if migration_set.name == migrations.name else f"{migration_set.name}:{name}"


def _filters(event: str | None, survey: str | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if event is not None:
        clauses.append("event = ?")
        params.append(event)
    if survey is not None:
        clauses.append("survey = ?")
        params.append(survey)
    return (" WHERE " + " AND ".join(clauses) if clauses else "", params)


def _earlier(first: str | None, second: str | None) -> bool:
    """Whether time ``first`` is known and before ``second`` (an unknown time is the latest)."""
    if first is None:
        return False
    if second is None:
        return True
    try:
        return dt.datetime.fromisoformat(first) < dt.datetime.fromisoformat(second)
    except (TypeError, ValueError):  # not both with (or both without) a time zone: as text
        return first < second
