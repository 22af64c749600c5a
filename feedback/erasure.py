"""Erasing a person (``feedback person erase``): their roster entry, their attendance, their
invitations and links, and the keyed hashes that link their responses across waves.

Their responses stay, as answers nobody can trace back: a response keeps no name, and once its
link is gone, no key can tie it to the person again. The erasure is logged with its date and
counts, never the name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from feedback.errors import InvalidInput, did_you_mean
from feedback.linking import person_link
from feedback.store import now

if TYPE_CHECKING:
    from feedback.engine import Engine


@dataclass(frozen=True)
class Erased:
    """What went: link rows, invitations (with their tokens), attendance rows and check-in
    passes."""

    links: int
    invitations: int
    attendance: int
    passes: int = 0


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

    :raises InvalidInput: the linking key cannot be read: without it, the person's links cannot
        be found among the others, so nothing is erased (a link left behind would tie their
        responses to them again once the key is found).
    """
    links_exist = engine.store.conn.execute(
        "SELECT 1 FROM response_links WHERE method = 'person' LIMIT 1"
    ).fetchone()
    link = person_link(engine.linking_key(), person) if links_exist else None
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
    return Erased(links, invitations, attendance, passes)
