"""Reading another feedback database for `feedback merge` (`feedback_offline.merging`), and
checking every row of it before anything is written.

Every value of its events, people, attendance and check-in passes is checked as ``feedback event
add`` and ``feedback roster import`` check theirs (`feedback.events.Event`,
`feedback.roster.person_problems`): an event id that is not a slug, an email holding a line
break, a name with control characters, an attendance source the core does not know, a pass whose
hash is not one, each named with its table, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from feedback.engine import Engine
from feedback.events import Event
from feedback.loading import pydantic_problems
from feedback.roster import person_problems
from feedback.store import PERSON_COLUMNS
from feedback.text import cut


def read_rows(
    conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()
) -> Iterator[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _where(table: str, rowid: int, key: str, column: str | int) -> str:
    return f"table {table}, row {rowid} ({key}), column '{column}'"


def event_columns(engine: Engine, other: sqlite3.Connection) -> list[str]:
    """The columns of events that both databases have."""
    ours = set(engine.store.columns("events"))
    return [c for c in table_columns(other, "events") if c in ours]


def valid_event(event: dict[str, Any]) -> Event:
    """An events row as ``feedback event add`` would take it.

    :raises ValidationError: it would not.
    """
    return Event.model_validate({k: v for k, v in event.items() if k in Event.model_fields})


def row_problems(engine: Engine, other: sqlite3.Connection) -> list[str]:
    """Every value of the other database's events, people and attendance that ``feedback event
    add`` or ``feedback roster import`` would refuse, each naming its table, row and column."""
    problems: list[str] = []
    events = set(engine.store.event_ids())
    columns = event_columns(engine, other)
    for event in read_rows(other, f"SELECT rowid AS rowid_, {', '.join(columns)} FROM events"):
        rowid = event.pop("rowid_")
        events.add(event["id"])
        problems.extend(_event_problems(rowid, event))
    people = set()
    fields = [f for f in PERSON_COLUMNS if f in set(table_columns(other, "people"))]
    for person in read_rows(other, f"SELECT rowid AS rowid_, id, {', '.join(fields)} FROM people"):
        rowid = person.pop("rowid_")
        people.add(person["id"])
        for problem in person_problems(person):
            where = _where("people", rowid, f"id {person['id']}", problem.loc[0])
            problems.append(f"{where}: {problem.message}")
    sql = f"SELECT rowid AS rowid_, {', '.join(attendance_columns(other))} FROM attendance"
    for row in read_rows(other, sql):
        problems.extend(_attendance_problems(row, people, events))
    if "checkin_passes" in table_names(other):
        sql = "SELECT rowid AS rowid_, token_hash, event, person, issued FROM checkin_passes"
        for row in read_rows(other, sql):
            problems.extend(_pass_problems(row, people, events))
    return problems


def table_names(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def attendance_columns(other: sqlite3.Connection) -> list[str]:
    """The columns of attendance the merge reads: a database of an older release has no source
    nor recorded (its attendance is all the roster's)."""
    present = set(table_columns(other, "attendance"))
    optional = [c for c in ("source", "recorded") if c in present]
    return ["person", "event", "invited", "attended", *optional]


SOURCES = ("roster", "sheet", "checkin")


def _is_time(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _event_problems(rowid: int, event: dict[str, Any]) -> list[str]:
    try:
        valid_event(event)
    except ValidationError as exc:
        key = f"id {cut(str(event['id']))!r}"
        data = {k: v for k, v in event.items() if k in Event.model_fields}
        return [
            f"{_where('events', rowid, key, p.loc[0] if p.loc else '?')}: {p.message}"
            for p in pydantic_problems(exc, data, Event)
        ]
    return []


def _attendance_problems(row: dict[str, Any], people: set[Any], events: set[Any]) -> list[str]:
    key = f"person {cut(repr(row['person']))}, event {cut(str(row['event']))!r}"
    found = []
    if row["person"] not in people:
        found.append(("person", "no such person in the people of that database"))
    if row["event"] not in events:
        found.append(("event", "no such event in either database"))
    for column in ("invited", "attended"):
        if row[column] not in (0, 1):
            found.append((column, f"expected 0 or 1, found {cut(repr(row[column]))}"))
    if row.get("source", "roster") not in SOURCES:
        found.append(
            ("source", f"expected one of {', '.join(SOURCES)}, found {cut(repr(row['source']))}")
        )
    if row.get("recorded") is not None and not _is_time(row["recorded"]):
        found.append(
            ("recorded", f"expected a date and time (ISO 8601), found {cut(repr(row['recorded']))}")
        )
    return [
        f"{_where('attendance', row['rowid_'], key, column)}: {message}"
        for column, message in found
    ]


def _pass_problems(row: dict[str, Any], people: set[Any], events: set[Any]) -> list[str]:
    key = f"person {cut(repr(row['person']))}, event {cut(str(row['event']))!r}"
    found = []
    if not isinstance(row["token_hash"], str) or not HASH.fullmatch(row["token_hash"]):
        found.append(("token_hash", "expected 64 lower-case hexadecimal digits (a code's hash)"))
    if row["person"] not in people:
        found.append(("person", "no such person in the people of that database"))
    if row["event"] not in events:
        found.append(("event", "no such event in either database"))
    if not _is_time(row["issued"]):
        found.append(
            ("issued", f"expected a date and time (ISO 8601), found {cut(repr(row['issued']))}")
        )
    return [
        f"{_where('checkin_passes', row['rowid_'], key, column)}: {message}"
        for column, message in found
    ]


HASH = re.compile(r"[0-9a-f]{64}")
