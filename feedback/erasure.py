"""Erasing a person (``feedback person erase``): their roster entry, their attendance, their
invitations and links, and the keyed hashes that link their responses across waves.

Their responses stay, as answers nobody can trace back: a response keeps no name, and once its
link is gone, no key can tie it to the person again. The erasure is logged with its date and
counts, never the name.

So that ``feedback merge`` does not bring the person back from another database of the project
that still holds them, the erasure leaves a *tombstone* in ``erased_people`` (`tombstone`): a keyed
hash, under the linking key, of the email the merge matches people on (or, for a person without
one, of the name, role, country and organisation it matches on instead). Without the key file
the tombstone names nobody: it is not a plain hash that a list of addresses could be tried
against, and it carries no date nor order that would tie it to a row of the erasure log. Whoever
holds the key can test whether a given address was erased, as they can link answers.

Without a readable key, a person whose answers are linked is not erased at all (see
`erase_person`); one whose answers are not is erased without a tombstone, and the command says
that a merge could bring them back.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from feedback.errors import InvalidInput, did_you_mean
from feedback.linking import person_link
from feedback.store import now

if TYPE_CHECKING:
    from feedback.engine import Engine
    from feedback.store import Store

#: What a merge matches a person without an email on (`feedback.store.Store.find_person`).
MATCHED_WITHOUT_EMAIL = ("name", "role", "country", "organisation")


@dataclass(frozen=True)
class Erased:
    """What went: link rows, invitations (with their tokens), attendance rows and check-in
    passes."""

    links: int
    invitations: int
    attendance: int
    passes: int = 0
    #: whether a tombstone keeps ``feedback merge`` from bringing the person back
    tombstone: bool = False
    #: why none could be made (the linking key could not be read)
    no_tombstone_why: str | None = None


def _normalised(value: Any) -> str:
    """A part of a tombstone as compared: lower case, without the spaces around it."""
    return "" if value is None else str(value).strip().lower()


def tombstone(key: bytes, person: Mapping[str, Any]) -> str:
    """The keyed hash that stands for an erased person in ``erased_people``: of their email,
    normalised, or without one, of their name, role, country and organisation (what a merge
    matches people on). Each kind under a label of its own, as `feedback.linking` labels its
    hashes, so that no tombstone can equal a person's link or a self-generated code."""
    email = _normalised(person.get("email"))
    if email:
        label, value = "erased-email", email
    else:
        label = "erased-person"
        value = "\x1e".join(_normalised(person.get(c)) for c in MATCHED_WITHOUT_EMAIL)
    return hmac.new(key, f"{label}\x1f{value}".encode(), hashlib.sha256).hexdigest()


def tombstones(store: Store) -> set[str]:
    """Every tombstone of the database: the people erased here with the key readable."""
    return {row[0] for row in store.conn.execute("SELECT tombstone FROM erased_people")}


def find_person(engine: Engine, who: str) -> int:
    """The person ``who`` names: a roster id (digits) or an email address.

    :raises InvalidInput: nobody on the roster is named so.
    """
    conn = engine.store.conn
    if who.isdigit():
        row = conn.execute("SELECT id FROM people WHERE id = ?", [int(who)]).fetchone()
    else:
        row = conn.execute(
            "SELECT id FROM people WHERE lower(email) = lower(?)", [who.strip()]
        ).fetchone()
    if row is None:
        emails = [e for (e,) in conn.execute("SELECT email FROM people WHERE email IS NOT NULL")]
        hint = did_you_mean(who, emails) if not who.isdigit() else ""
        raise InvalidInput(f"nobody on the roster is '{who}' (an id or an email address){hint}")
    return int(row[0])


def erase_person(engine: Engine, person: int) -> Erased:
    """Erase ``person`` in one transaction, or nothing.

    A tombstone (`tombstone`) is kept so that a merge does not bring them back. When the key
    cannot be read and no answer is linked to a person, the person is erased all the same, as
    the key is not needed to find what is theirs, but without a tombstone: ``no_tombstone_why``
    in what is returned says why.

    :raises InvalidInput: the linking key cannot be read while answers are linked to people:
        without it, the person's links cannot be found among the others, so nothing is erased (a
        link left behind would tie their responses to them again once the key is found).
    """
    conn = engine.store.conn
    links_exist = conn.execute(
        "SELECT 1 FROM response_links WHERE method = 'person' LIMIT 1"
    ).fetchone()
    why: str | None = None
    if links_exist:
        key: bytes | None = engine.linking_key()
    else:
        try:
            key = engine.linking_key()
        except InvalidInput as exc:
            key, why = None, str(exc)
    link = person_link(key, person) if links_exist and key is not None else None
    cursor = conn.execute(
        f"SELECT email, {', '.join(MATCHED_WITHOUT_EMAIL)} FROM people WHERE id = ?", [person]
    )
    row = cursor.fetchone()
    details = dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else None
    stone = tombstone(key, details) if key is not None and details is not None else None
    with engine.store.write() as db:
        conn = db.conn
        links = (
            conn.execute(
                "DELETE FROM response_links WHERE method = 'person' AND link = ?", [link]
            ).rowcount
            if link is not None
            else 0
        )
        invitations = conn.execute("DELETE FROM invitations WHERE person = ?", [person]).rowcount
        attendance = conn.execute("DELETE FROM attendance WHERE person = ?", [person]).rowcount
        passes = conn.execute("DELETE FROM checkin_passes WHERE person = ?", [person]).rowcount
        conn.execute("DELETE FROM people WHERE id = ?", [person])
        conn.execute(
            "INSERT INTO erasures (erased, links, invitations, attendance, passes)"
            " VALUES (?, ?, ?, ?, ?)",
            [now(), links, invitations, attendance, passes],
        )
        if stone is not None:
            # apart from the log: no date, and kept in the order of the hashes (WITHOUT ROWID)
            conn.execute("INSERT OR IGNORE INTO erased_people (tombstone) VALUES (?)", [stone])
    return Erased(links, invitations, attendance, passes, stone is not None, why)
