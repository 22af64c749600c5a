"""Check-in at the venue: personal passes, finding a name, marking a person present.

A *pass* is a random code, one per person and event, printed as a QR code on a badge or sent
with an invitation. It holds the check-in link (``{base_url}/c/{code}``); a scanner at the
kiosk types it, or staff open it. Only the code's SHA-256 is stored, as for personal links: the
database alone cannot print or forge a pass. A person may hold several passes (a badge
reprinted, a pass sent again); erasing the person removes them all.

Checking a person in records their attendance with the source ``checkin`` and the time, so that
reach can count confirmed attendance only (``programme.reach_attendance = "confirmed"``); what it
replaced is returned, so that a mistaken check-in can be undone exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from feedback.errors import InvalidInput
from feedback.invitations import hash_token, looks_like_token, new_token
from feedback.store import now
from feedback.text import folded

if TYPE_CHECKING:
    from feedback.engine import Engine
    from feedback.store import Store

#: The path of a pass's check-in link, under the project's ``base_url``.
CHECKIN_PATH = "/c/{token}"

#: Where a confirmed attendance comes from.
SOURCES = ("sheet", "checkin")


def checkin_link(base_url: str, token: str) -> str:
    """The check-in link of the pass ``token`` on the site at ``base_url``."""
    return base_url.rstrip("/") + CHECKIN_PATH.format(token=token)


def token_from_scan(text: str) -> str | None:
    """The pass code in what a scanner typed or a person pasted: the check-in link or the bare
    code; None when it is neither."""
    text = text.strip()
    marker = CHECKIN_PATH.split("{", 1)[0]
    if marker in text:
        text = text.rsplit(marker, 1)[1]
    text = text.split("?", 1)[0].split("#", 1)[0].strip("/")
    return text if looks_like_token(text) else None


@dataclass(frozen=True)
class Pass:
    """A pass just issued: its code is shown once, to be printed or sent."""

    event: str
    person: int
    name: str
    organisation: str | None
    email: str | None
    token: str
    #: the person's language from the roster (for the message that carries the pass), if any
    language: str | None = None


def issue_passes(engine: Engine, event: str, people: Iterable[int] | None = None) -> list[Pass]:
    """Issue a new pass to each of ``people`` (default: everyone on the event's roster), in one
    transaction; passes issued before stay good.

    :raises InvalidInput: the event is unknown, or one of ``people`` is not on its roster.
    """
    store = engine.store
    if store.event(event) is None:
        raise InvalidInput(f"no event '{event}': add it with `feedback event add`")
    roster = {int(row["id"]): row for row in store.roster(event)}
    chosen = list(roster) if people is None else list(dict.fromkeys(people))
    strangers = [p for p in chosen if p not in roster]
    if strangers:
        raise InvalidInput(
            f"person {strangers[0]} is not on the roster of '{event}'; nothing was issued"
        )
    languages = dict(
        store.conn.execute(
            "SELECT p.id, p.language FROM attendance a JOIN people p ON p.id = a.person"
            " WHERE a.event = ?",
            [event],
        ).fetchall()
    )
    issued = now()
    passes = []
    with store.write():
        for person in chosen:
            token = new_token()
            store.conn.execute(
                "INSERT INTO checkin_passes (token_hash, event, person, issued)"
                " VALUES (?, ?, ?, ?)",
                [hash_token(token), event, person, issued],
            )
            row = roster[person]
            passes.append(
                Pass(
                    event,
                    person,
                    row["name"],
                    row["organisation"],
                    row["email"],
                    token,
                    languages.get(person),
                )
            )
    return passes


def withdraw_pass(engine: Engine, token: str) -> bool:
    """Remove the pass ``token`` when its code never reached its holder (the email that carried
    it was refused): a pass is kept only for a code that was printed or sent. False when no
    stored pass has this code."""
    if not looks_like_token(token):
        return False
    with engine.store.write():
        cursor = engine.store.conn.execute(
            "DELETE FROM checkin_passes WHERE token_hash = ?", [hash_token(token)]
        )
    return cursor.rowcount > 0


def find_pass(store: Store, token: str) -> tuple[str, int] | None:
    """The (event, person) of the pass ``token``, or None when no stored pass has this code."""
    if not looks_like_token(token):
        return None
    row = store.conn.execute(
        "SELECT event, person FROM checkin_passes WHERE token_hash = ?", [hash_token(token)]
    ).fetchone()
    return (str(row[0]), int(row[1])) if row is not None else None


@dataclass(frozen=True)
class CheckedIn:
    """A check-in done: who, and the attendance row it replaced (None: there was none), so that
    `undo` can put it back."""

    event: str
    person: int
    name: str
    source: str
    already: bool
    before: dict[str, Any] | None


def find_names(store: Store, event: str, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """The people on the roster of ``event`` whose name, organisation or email holds every word
    of ``text`` (case and accents ignored), by name; at most ``limit``. Each row has ``id``,
    ``name``, ``organisation``, ``attended`` and ``source``."""
    words = folded(text).split()
    rows = store.conn.execute(
        "SELECT p.id, p.name, p.organisation, p.email, a.attended, a.source"
        " FROM attendance a JOIN people p ON p.id = a.person WHERE a.event = ?"
        " ORDER BY p.name COLLATE NOCASE, p.id",
        [event],
    ).fetchall()
    found = []
    for person, name, organisation, email, attended, source in rows:
        haystack = " ".join(folded(part) for part in (name, organisation, email))
        if all(word in haystack for word in words):
            found.append(
                {
                    "id": int(person),
                    "name": name,
                    "organisation": organisation,
                    "attended": bool(attended),
                    "source": source,
                }
            )
            if len(found) >= limit:
                break
    return found


def _attendance_row(store: Store, event: str, person: int) -> dict[str, Any] | None:
    row = store.conn.execute(
        "SELECT invited, attended, source, recorded FROM attendance WHERE person = ? AND event = ?",
        [person, event],
    ).fetchone()
    if row is None:
        return None
    return {"invited": row[0], "attended": row[1], "source": row[2], "recorded": row[3]}


def confirm(
    engine: Engine, event: str, people: Sequence[int], source: str = "checkin"
) -> list[CheckedIn]:
    """Record ``people`` as attending ``event``, confirmed by ``source`` (``sheet``: a signed
    sheet entered; ``checkin``: checked in at the venue), all in one transaction or none.

    Someone already confirmed keeps their first confirmation (its source and time) and is
    reported as ``already``.

    :raises InvalidInput: an unknown source, event or person.
    """
    if source not in SOURCES:
        raise InvalidInput(f"source: expected one of {', '.join(SOURCES)}, found {source!r}")
    store = engine.store
    if store.event(event) is None:
        raise InvalidInput(f"no event '{event}': add it with `feedback event add`")
    names = {}
    for person in people:
        row = store.conn.execute("SELECT name FROM people WHERE id = ?", [person]).fetchone()
        if row is None:
            raise InvalidInput(f"nobody on the roster has the id {person}")
        names[person] = str(row[0])
    done = []
    with store.write():
        for person in dict.fromkeys(people):
            before = _attendance_row(store, event, person)
            already = bool(before and before["attended"] and before["source"] in SOURCES)
            if not already:
                invited = bool(before["invited"]) if before else False
                store.set_attendance(person, event, invited, True, source)
            done.append(CheckedIn(event, person, names[person], source, already, before))
    return done


def check_in_pass(engine: Engine, token: str) -> CheckedIn:
    """Check in the holder of the pass ``token``.

    :raises InvalidInput: no pass has this code (or its person was erased).
    """
    found = find_pass(engine.store, token)
    if found is None:
        raise InvalidInput("no pass has this code: it may be mistyped, or its person erased")
    event, person = found
    return confirm(engine, event, [person], "checkin")[0]


def undo(engine: Engine, checked_in: CheckedIn) -> None:
    """Put back the attendance row a check-in replaced (a mistaken tap or scan); nothing when
    the person was already confirmed before it."""
    if checked_in.already:
        return
    store = engine.store
    with store.write():
        if checked_in.before is None:
            store.conn.execute(
                "DELETE FROM attendance WHERE person = ? AND event = ?",
                [checked_in.person, checked_in.event],
            )
        else:
            store.conn.execute(
                "UPDATE attendance SET invited = ?, attended = ?, source = ?, recorded = ?"
                " WHERE person = ? AND event = ?",
                [
                    checked_in.before["invited"],
                    checked_in.before["attended"],
                    checked_in.before["source"],
                    checked_in.before["recorded"],
                    checked_in.person,
                    checked_in.event,
                ],
            )


def present(store: Store, event: str) -> tuple[int, int]:
    """(confirmed present, on the roster) for ``event``."""
    row = store.conn.execute(
        "SELECT count(*) FILTER (WHERE attended AND source IN ('sheet', 'checkin')), count(*)"
        " FROM attendance WHERE event = ?",
        [event],
    ).fetchone()
    return int(row[0]), int(row[1])
