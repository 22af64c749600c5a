"""`feedback invitations`: who was invited, and what became of each invitation."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from email_helpers import EVENT, Server
from helpers import run

from feedback.invitations import Invitations
from feedback.store import Store


def prepare(project: Path, smtp: Server) -> None:
    """Anna answered, Brian has not yet, Chloé's address was refused, Frank has no address."""
    with Store(project / "feedback.db") as store, store.write():
        person = store.save_person({"name": "Frank Nomail", "email": None})
        store.set_attendance(person, EVENT, invited=True, attended=True)
    smtp.handler.refuse["chloe@example.fr"] = "550 5.1.1 Unknown user"
    assert run(project, "invite", "--event", EVENT).exit_code == 1
    with Store(project / "feedback.db") as store:
        invitations = Invitations(store)
        [anna] = [i for i in invitations.list(EVENT) if i.email == "anna@example.nl"]
        with store.write():
            invitations.complete(anna, str(uuid.uuid4()), anonymous=True)


def test_the_table_shows_counts_and_each_person(mail_project: Path, smtp: Server) -> None:
    prepare(mail_project, smtp)

    result = run(mail_project, "invitations", "--event", EVENT)

    assert result.exit_code == 0, result.output
    assert (
        "sent 2, failed 1, completed 1, outstanding 1, expired 0, not sent 0, "
        "not invited yet 0, without email 1" in result.stdout
    )
    names = ("Anna de Vries", "Brian O'Neill", "Chloé Dupont")
    rows = {
        n: line for line in result.stdout.splitlines() for n in names if line.strip().startswith(n)
    }
    assert "completed" in rows["Anna de Vries"]
    assert "outstanding" in rows["Brian O'Neill"]
    assert "failed" in rows["Chloé Dupont"] and "550 5.1.1 Unknown user" in rows["Chloé Dupont"]


def test_json_has_the_counts_and_the_rows(mail_project: Path, smtp: Server) -> None:
    prepare(mail_project, smtp)

    result = run(mail_project, "invitations", "--event", EVENT, "--json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["event"], data["survey"]) == (EVENT, "post-seminar")
    counts = data["counts"]
    assert {k: counts[k] for k in ("sent", "failed", "completed", "outstanding", "expired")} == {
        "sent": 2,
        "failed": 1,
        "completed": 1,
        "outstanding": 1,
        "expired": 0,
    }
    assert counts["not sent"] == 0 and counts["without email"] == 1
    by_email = {row["email"]: row for row in data["invitations"]}
    assert by_email["anna@example.nl"]["status"] == "completed"
    assert by_email["anna@example.nl"]["language"] == "nl"
    assert by_email["brian@example.org"]["sent"] is not None
    assert by_email["chloe@example.fr"]["sent"] is None
    assert "550" in by_email["chloe@example.fr"]["error"]


def test_before_any_invitation_it_says_how_to_send_them(mail_project: Path) -> None:
    result = run(mail_project, "invitations", "--event", EVENT)

    assert result.exit_code == 0, result.output
    assert "not invited yet 3" in result.stdout
    assert "feedback invite --event hague-2011" in result.stdout
