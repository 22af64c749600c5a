"""``feedback merge OTHER.db...``: bring in what other databases hold (one per kiosk laptop).

Each other database is first copied with SQLite's backup API into memory: a consistent snapshot
even while a kiosk has it open and writes to it, and never a change to it. Then, in one
transaction per database (all of it, or nothing): its events (an event we have is kept as ours),
every survey version, its people (matched by email; without one, by name, role, country and
organisation), their attendance (attended at any kiosk counts; a confirmed attendance, from a
signed sheet or a check-in, keeps its source and its earliest time and is never lowered by a
roster one), their check-in passes, its responses through `Engine.submit_many` (validated; the
same response twice is stored once; the same id with other content is kept for review) with the
keyed hashes that link them over waves (`feedback.linking`), and its conflicts. Merging the same
database again changes nothing.

Links are carried as they are made under the project's one key: a self-generated code's hash
as it is; a person's hash is made again for the person's id here (the databases number people
apart), which needs the key file. Without it, person links are not carried (and said so); a merge
run again once the key is readable adds them. Links made under another key are carried too, and
never match: nothing can tell them apart without that key.

A person erased here (`feedback person erase`) is not brought back from a database that still
holds them: their tombstone (`feedback.erasure.tombstone`, a keyed hash of what the merge matches
people on) is found among ours, and the person is left out with their attendance, check-in passes
and person links; their responses come all the same, unlinked, as they are no one's. Telling them
apart needs the key file: without it, a database holding people is refused while there are
tombstones (`ErasedNeedKey`), rather than bringing the erased back in silence.

Before anything is written, every row of its events, people and attendance is checked as
``feedback event add`` and ``feedback roster import`` check theirs (`feedback.events.Event`,
`feedback.roster.person_problems`): an event id that is not a slug (``../../tmp/x``), an email
holding a line break, a name with control characters or an email encoded word refuse the whole
database (`RowsRefused`), naming the table, the row and the column
(`feedback_offline.merge_rows`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import orjson

from feedback.cli import CommandError, db_option, state
from feedback.engine import Engine, Link, Rejection
from feedback.erasure import tombstone, tombstones
from feedback.errors import InvalidInput
from feedback.i18n import plural
from feedback.linking import person_link
from feedback.store import PERSON_COLUMNS, RESPONSE_COLUMNS, Store
from feedback_offline.merge_rows import (
    attendance_columns,
    event_columns,
    read_rows,
    row_problems,
    table_columns,
    table_names,
    valid_event,
)

REQUIRED_TABLES = {"events", "people", "attendance", "surveys", "responses"}


class NotADatabase(InvalidInput):
    """A file that is not a feedback database (or cannot be read as one)."""


#: The most refused rows a `RowsRefused` message lists.
SHOW_ROWS = 20


class RowsRefused(InvalidInput):
    """Rows of another database that ``event add`` or ``roster import`` would refuse; nothing of
    that database was merged. ``problems`` holds one line per refused value."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        lines = [
            f"{path}: {plural(len(problems), 'value')} in its events, people or attendance would be "
            "refused by `feedback event add` or `feedback roster import`; nothing of it was "
            "merged:",
            *(f"  {problem}" for problem in problems[:SHOW_ROWS]),
        ]
        if len(problems) > SHOW_ROWS:
            lines.append(f"  ... and {len(problems) - SHOW_ROWS} more")
        super().__init__("\n".join(lines))


class ErasedNeedKey(InvalidInput):
    """People were erased here, the other database holds people, and the linking key that tells
    whether they are the erased cannot be read: nothing of that database was merged."""

    def __init__(self, path: Path, erased: int, why: InvalidInput):
        super().__init__(
            f"{path}: {plural(erased, 'person', 'people')} erased here could come back with it, "
            f"and the linking key that tells them apart cannot be read ({why}); nothing of it "
            "was merged"
        )


@dataclass
class MergeReport:
    """What a merge of one database brought in."""

    path: Path
    events: int = 0
    events_kept: list[str] = field(default_factory=list)
    surveys: int = 0
    people: int = 0
    people_matched: int = 0
    attendance: int = 0
    received: int = 0
    stored: int = 0
    already_stored: int = 0
    conflicts: list[str] = field(default_factory=list)
    conflicts_copied: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    rejected_count: int = 0
    passes: int = 0
    #: links offered with its responses (each stored with its response, or kept if present)
    links: int = 0
    #: person links that could not be made again for our person ids, and why
    links_not_carried: int = 0
    links_why: str | None = None
    #: people of theirs erased here, left out with their attendance, passes and person links
    erased: int = 0
    erased_links: int = 0

    @property
    def ok(self) -> bool:
        return not self.rejected_count and not self.conflicts


def snapshot(path: Path) -> sqlite3.Connection:
    """A consistent in-memory copy of another database, taken without writing to it.

    :raises NotADatabase: no such file, not SQLite, or not a feedback database.
    """
    if not path.is_file():
        raise NotADatabase(f"{path}: no such database file")
    copy = sqlite3.connect(":memory:")
    try:
        source = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=10)
        try:
            source.backup(copy)
        finally:
            source.close()
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        copy.close()
        raise NotADatabase(f"{path}: not a SQLite database the merge can read: {exc}") from exc
    missing = REQUIRED_TABLES - tables
    if missing:
        copy.close()
        raise NotADatabase(
            f"{path}: not a feedback database (no table {', '.join(sorted(missing))})"
        )
    return copy


def merge_database(engine: Engine, path: Path) -> MergeReport:
    """Merge one other database into the engine's; nothing is written when anything is refused.

    Its events, survey versions, people, attendance and conflicts are copied through the core's
    store (`feedback.store.Store`) as the ``within`` work of `Engine.submit_many`, which stores
    its responses: one transaction, the engine's. A conflict of its responses with ours is kept
    even when the merge is refused (`Engine.submit_many`).

    :raises NotADatabase: see `snapshot`; also when it is this project's own database.
    :raises RowsRefused: an event, person or attendance row that ``feedback event add`` or
        ``feedback roster import`` would refuse (see `row_problems`); nothing is written.
    :raises ErasedNeedKey: people were erased here, it holds people, and the linking key cannot
        be read; nothing is written.
    """
    if path.resolve() == engine.settings.db_path.resolve():
        raise NotADatabase(f"{path}: is this project's own database")
    other = snapshot(path)
    report = MergeReport(path)
    try:
        problems = row_problems(engine, other)
        if problems:
            raise RowsRefused(path, problems)
        stones = _tombstones_to_check(engine, other, path)

        links: dict[str, Link] = {}

        def copy(store: Store) -> None:
            _merge_events(engine, other, report)
            _merge_surveys(store, other, report)
            people, erased = _merge_people(engine, other, stones, report)
            _merge_attendance(store, other, people, report)
            _merge_passes(store, other, people, report)
            _merge_conflicts(store, other, report)
            # read as responses are checked
            links.update(_links(engine, other, people, erased, report))

        result = engine.submit_many(_responses(other, path), within=copy, links=links)
    finally:
        other.close()
    report.received = result.received
    report.rejected = result.rejected
    report.rejected_count = result.rejected_count
    report.conflicts = result.conflicts
    if result.committed:
        report.stored = result.stored
        report.already_stored = result.already_stored
    else:  # refused: nothing of it was written (but its responses' conflicts with ours)
        report.events = report.surveys = report.people = report.attendance = 0
        report.people_matched = report.conflicts_copied = report.passes = report.links = 0
        report.links_not_carried = report.erased = report.erased_links = 0
        report.links_why = None
        report.events_kept = []
    return report


def _merge_events(engine: Engine, other: sqlite3.Connection, report: MergeReport) -> None:
    columns = event_columns(engine, other)
    for raw in read_rows(other, f"SELECT {', '.join(columns)} FROM events"):
        # as `feedback event add` stores it (text trimmed, country upper case): checked before
        valid = valid_event(raw).row()
        event = {c: valid.get(c, raw[c]) for c in columns}
        if engine.store.add_event(event):
            report.events += 1
            continue
        mine = engine.store.event(event["id"]) or {}
        if any(mine.get(c) != event[c] for c in columns):
            report.events_kept.append(event["id"])


def _merge_surveys(store: Store, other: sqlite3.Connection, report: MergeReport) -> None:
    for survey in read_rows(
        other, "SELECT id, version, title, definition, first_seen FROM surveys"
    ):
        report.surveys += store.save_survey_version(
            survey["id"],
            survey["version"],
            survey["title"],
            survey["definition"],
            first_seen=survey["first_seen"],
        )


PERSON_FIELDS = PERSON_COLUMNS


def _tombstones_to_check(engine: Engine, other: sqlite3.Connection, path: Path) -> set[str]:
    """The tombstones of the people erased here, when the other database holds people.

    :raises ErasedNeedKey: there are some, and the key cannot be read to make theirs.
    """
    stones = tombstones(engine.store)
    if not stones or other.execute("SELECT 1 FROM people LIMIT 1").fetchone() is None:
        return set()
    try:
        engine.linking_key()
    except InvalidInput as exc:
        raise ErasedNeedKey(path, len(stones), exc) from exc
    return stones


def _merge_people(
    engine: Engine, other: sqlite3.Connection, stones: set[str], report: MergeReport
) -> tuple[dict[int, int], set[int]]:
    """Every person of the other database but those erased here, as ours: their ids mapped to
    ours, and the ids of those erased. One erased here is left out even when someone of the same
    email was put on the roster again since: what the other database holds of them is what the
    erasure took away."""
    store = engine.store
    fields = [f for f in PERSON_FIELDS if f in set(table_columns(other, "people"))]
    mapping: dict[int, int] = {}
    erased: set[int] = set()
    for person in read_rows(other, f"SELECT id, {', '.join(fields)} FROM people"):
        values = {f: person[f] for f in fields}
        if stones and tombstone(engine.linking_key(), values) in stones:
            erased.add(person["id"])
            report.erased += 1
            continue
        match = store.find_person(values)
        if match is None:
            mapping[person["id"]] = store.add_person(values)
            report.people += 1
        else:
            mapping[person["id"]] = match
            report.people_matched += 1
            # fill what we do not know yet; never overwrite what we do
            store.fill_person(
                match, {k: v for k, v in values.items() if k not in ("name", "email")}
            )
    return mapping, erased


def _merge_attendance(
    store: Store, other: sqlite3.Connection, people: dict[int, int], report: MergeReport
) -> None:
    sql = f"SELECT {', '.join(attendance_columns(other))} FROM attendance"
    for row in read_rows(other, sql):
        person = people.get(row["person"])
        if person is None:
            continue
        report.attendance += store.merge_attendance(
            person,
            row["event"],
            bool(row["invited"]),
            bool(row["attended"]),
            source=row.get("source", "roster"),
            recorded=row.get("recorded"),
        )


def _merge_passes(
    store: Store, other: sqlite3.Connection, people: dict[int, int], report: MergeReport
) -> None:
    """Their check-in passes, for the same people here: a badge printed on a kiosk laptop's
    database still checks its holder in once merged."""
    if "checkin_passes" not in table_names(other):
        return
    rows = read_rows(other, "SELECT token_hash, event, person, issued FROM checkin_passes")
    report.passes += store.add_checkin_passes(
        (row["token_hash"], row["event"], people[row["person"]], row["issued"])
        for row in rows
        if row["person"] in people
    )


def _links(
    engine: Engine,
    other: sqlite3.Connection,
    people: dict[int, int],
    erased: set[int],
    report: MergeReport,
) -> dict[str, Link]:
    """Their responses' links as ours: a self-generated code's as it is (the key is the
    project's); a person's made again for the person's id here, found among their people by the
    key. One that cannot be (no key file; no person of theirs has it) is counted, not carried:
    under our ids it would link the answers of someone else. One of a person erased here is left
    out, and counted apart: their answers come unlinked, as the erasure left ours."""
    if "response_links" not in table_names(other):
        return {}
    rows = list(read_rows(other, "SELECT response, link, method FROM response_links"))
    found: dict[str, Link] = {}
    persons: dict[str, int] | None = None
    # the key is readable whenever someone of theirs was found erased (`_tombstones_to_check`)
    gone = {person_link(engine.linking_key(), theirs) for theirs in erased} if erased else set()
    for row in rows:
        if row["method"] != "person":
            found[str(row["response"])] = Link(row["link"], row["method"])
            continue
        if row["link"] in gone:
            report.erased_links += 1
            continue
        if persons is None:
            persons = _person_links(engine, people, report)
        person = persons.get(row["link"])
        if person is None:
            report.links_not_carried += 1
            report.links_why = report.links_why or "no person of that database has it"
            continue
        found[str(row["response"])] = Link(person_link(engine.linking_key(), person), "person")
    report.links = len(found)
    return found


def _person_links(engine: Engine, people: dict[int, int], report: MergeReport) -> dict[str, int]:
    """Their people's links under the project's key -> the same people's ids here; empty, and
    why in ``report``, when the key cannot be read."""
    try:
        key = engine.linking_key()
    except InvalidInput as exc:
        report.links_why = str(exc)
        return {}
    return {person_link(key, theirs): ours for theirs, ours in people.items()}


def _responses(other: sqlite3.Connection, path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    # all but the content hash, which the engine works out again; a database of an older
    # release has no ``partial`` column (all its responses are full ones)
    present = set(table_columns(other, "responses"))
    names = [name for name in RESPONSE_COLUMNS[:-1] if name in present]
    cursor = other.execute(f"SELECT {', '.join(names)} FROM responses ORDER BY rowid")
    for row in cursor:
        record = dict(zip(names, row, strict=True))
        record["answers"] = orjson.loads(record["answers"])
        yield f"{path} response {record['id']}", record


def _merge_conflicts(store: Store, other: sqlite3.Connection, report: MergeReport) -> None:
    for row in read_rows(
        other, "SELECT response_id, received, channel, content, content_hash FROM conflicts"
    ):
        report.conflicts_copied += store.add_conflict(
            row["response_id"],
            row["channel"],
            row["content"],
            row["content_hash"],
            received=row["received"],
        )


@click.command("merge")
@click.argument("others", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
def merge(others: tuple[Path, ...], db: Path | None) -> None:
    """Merge other feedback databases (one per kiosk laptop) into this project's.

    Each is read through a consistent copy, safe while a kiosk has it open, and merged whole or
    not at all: events, survey versions, people (by email), attendance (a signed sheet or a
    check-in is never lowered by a roster), check-in passes, responses (validated, each stored
    once) with the links that join a person's answers over waves, and conflicts. Merging again
    changes nothing. Exit code 2 when a database could not be merged, brought conflicts, or
    had person links that could not be carried.

    \b
    A person erased here (`feedback person erase`) is not brought back, nor their attendance,
    check-in passes or links; their responses come, unlinked. Telling them apart needs the key
    file: without it, a database that holds people is refused while people were erased here.

    \b
    Links are keyed hashes made under the project's linking key (`feedback keys new`): merge
    only databases of this project, whose kiosks used the same key file. Links made under
    another key are merged all the same and never match any answer; nothing can tell them
    apart without that key. Person links are made again for the people's ids here, which
    needs the key file: without it they are left out, and merging again once it is readable
    adds them.
    """
    engine = state().engine(db)
    failed = False
    for path in others:
        try:
            report = merge_database(engine, path)
        except (NotADatabase, RowsRefused, ErasedNeedKey) as exc:
            click.echo(f"rejected {exc}", err=True)
            failed = True
            continue
        if report.rejected_count:
            failed = True
            click.echo(
                f"rejected {path}: {report.rejected_count} of its responses do not fit; "
                "nothing of it was merged:",
                err=True,
            )
            for rejection in report.rejected[:20]:
                click.echo(f"  {rejection.render()}", err=True)
            if report.rejected_count > 20:
                click.echo(f"  ... and {report.rejected_count - 20} more", err=True)
            _echo_conflicts(report)
            continue
        click.echo(
            f"{path}: {plural(report.stored, 'response')} stored, {report.already_stored} "
            f"already present, {plural(len(report.conflicts), 'conflict')}; "
            f"{plural(report.events, 'new event')}, {plural(report.surveys, 'new survey version')}, "
            f"{plural(report.people, 'new person', 'new people')} ({report.people_matched} known), "
            f"{plural(report.attendance, 'attendance change')}, "
            f"{plural(report.passes, 'new check-in pass', 'new check-in passes')}, "
            f"{plural(report.links, 'link')} between waves"
            + (
                f"; {plural(report.erased, 'erased person', 'erased people')} not brought back"
                if report.erased
                else ""
            )
        )
        if report.links_not_carried:
            failed = True
            click.echo(
                f"  {plural(report.links_not_carried, 'person link')} not carried "
                f"({report.links_why}); merge {path} again once the project's key file is "
                "readable",
                err=True,
            )
        for event in report.events_kept:
            click.echo(f"  event '{event}' differs in {path}; ours was kept", err=True)
        _echo_conflicts(report)
        failed = failed or bool(report.conflicts)
    if failed:
        raise CommandError("not everything was merged (see above)", 2)


def _echo_conflicts(report: MergeReport) -> None:
    """The conflicts of a merge, kept for review whether the merge went in or was refused."""
    for response_id in report.conflicts:
        click.echo(
            f"  conflict: response {response_id} is stored here with other content; "
            "theirs is kept in the conflicts table for review",
            err=True,
        )
