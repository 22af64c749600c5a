"""`feedback remind`: only to those invited who have not answered, at the configured pace."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from email_helpers import EVENT, Server, build_project, parts, tokens
from helpers import open_engine, run

from feedback.invitations import Invitations, utcnow
from feedback.store import Store
from feedback_email import send_reminders


def backdate(project: Path, days: float) -> None:
    """Every invitation of the event as if sent ``days`` ago."""
    with Store(project / "feedback.db") as store:
        invitations = Invitations(store)
        for invitation in invitations.list(EVENT):
            invitations.mark_sent(invitation, "smtp", now=utcnow() - dt.timedelta(days=days))


def complete(project: Path, email: str) -> None:
    """The person with ``email`` filled in the (anonymous) survey."""
    with Store(project / "feedback.db") as store:
        invitations = Invitations(store)
        [invitation] = [i for i in invitations.list(EVENT) if i.email == email]
        with store.write():
            invitations.complete(invitation, str(uuid.uuid4()), anonymous=True)


def test_only_the_not_completed_are_reminded_and_the_interval_is_kept(
    mail_project: Path, smtp: Server
) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0

    too_soon = run(mail_project, "remind", "--event", EVENT)
    assert too_soon.exit_code == 0, too_soon.output
    assert "sent 0" in too_soon.stdout and "contacted less than 7 days ago: 3" in too_soon.stdout
    assert len(smtp.handler.received) == 3

    backdate(mail_project, 8)  # remind_interval_days is 7 by default
    complete(mail_project, "anna@example.nl")
    result = run(mail_project, "remind", "--event", EVENT)

    assert result.exit_code == 0, result.output
    assert "sent 2" in result.stdout and "no reminder, completed: 1" in result.stdout
    assert len(smtp.handler.to("anna@example.nl")) == 1  # the invitation only
    reminder = smtp.handler.to("brian@example.org")[1]
    assert reminder["Subject"] == "Reminder: your feedback on Good practice exchange"
    assert parts(reminder)[0].startswith("Dear Brian O'Neill,")
    assert "A little while ago" in parts(reminder)[0]

    again = run(mail_project, "remind", "--event", EVENT)  # just reminded: not again
    assert "sent 0" in again.stdout and "contacted less than 7 days ago: 2" in again.stdout
    assert len(smtp.handler.received) == 5


def test_a_reminder_has_a_new_link_and_the_old_one_still_works(
    mail_project: Path, smtp: Server
) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0
    backdate(mail_project, 8)
    assert run(mail_project, "remind", "--event", EVENT).exit_code == 0

    invitation, reminder = smtp.handler.to("anna@example.nl")
    [old] = set(tokens(parts(invitation)[0]))
    [new] = set(tokens(parts(reminder)[0]))
    assert set(tokens(parts(reminder)[1])) == {new}
    assert old != new
    assert reminder["Content-Language"] == "nl"
    assert reminder["Subject"] == "Herinnering: uw mening over Good practice exchange"
    with Store(mail_project / "feedback.db") as store:
        invitations = Invitations(store)
        by_old, by_new = invitations.find(old), invitations.find(new)
    assert by_old is not None and by_new is not None
    assert by_old.id == by_new.id and by_new.email == "anna@example.nl"
    assert by_new.reminders == 1


def test_at_most_max_reminders_and_none_after_expiry(project: Path, smtp: Server) -> None:
    build_project(project, smtp.port, **{"invitations.max_reminders": 2})
    assert run(project, "invite", "--event", EVENT).exit_code == 0
    now = utcnow()
    engine = open_engine(project)
    try:
        sent = [
            send_reminders(engine, EVENT, now=now + dt.timedelta(days=days))
            for days in (3, 8, 16, 24)
        ]
        expired = send_reminders(engine, EVENT, now=now + dt.timedelta(days=31))
    finally:
        engine.close()

    assert [s.sent for s in sent] == [0, 3, 3, 0]
    assert sent[0].skipped == {"contacted less than 7 days ago": 3}
    assert sent[3].skipped == {"reminded 2 times already (the most)": 3}
    assert expired.sent == 0 and expired.skipped == {"expired": 3}  # expires_days is 30
    assert len(smtp.handler.to("chloe@example.fr")) == 3


def test_a_failed_reminder_is_reported_and_tried_again_next_run(
    mail_project: Path, smtp: Server
) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0
    backdate(mail_project, 8)
    smtp.handler.refuse["chloe@example.fr"] = "554 5.7.1 Rejected"

    result = run(mail_project, "remind", "--event", EVENT)

    assert result.exit_code == 1
    assert "Chloé Dupont <chloe@example.fr>: recipient refused: 554 5.7.1 Rejected" in (
        result.stdout
    )
    assert "1 reminder failed" in result.stderr
    del smtp.handler.refuse["chloe@example.fr"]
    again = run(mail_project, "remind", "--event", EVENT)
    assert again.exit_code == 0, again.output
    assert "sent 1" in again.stdout
    assert len(smtp.handler.to("chloe@example.fr")) == 2
