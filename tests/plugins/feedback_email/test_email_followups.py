"""`feedback invite --due` sends each follow-up survey to an event's attendees once it is due
(issue 15): a scheduler runs it daily, the clock is the core's (SOURCE_DATE_EPOCH here), and
running it again sends nothing twice. Against a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from email_helpers import EVENT, Server, tokens
from helpers import query, run

FOLLOW_UP = """\
id: hague-followup
title: Ninety days on
languages: [en, nl, fr]
anonymous: false
linking: pseudonymous
follows: {survey: post-seminar, wave: day_90, due_days: 90}
questions:
  - {id: acted, type: yes_no, label: "Did you contact an NGO since the seminar?"}
"""


def on(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Set the core's clock (feedback.events.today) to ``day``."""
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))


@pytest.fixture
def followup_project(
    mail_project: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    (mail_project / "surveys" / "hague-followup.yaml").write_text(FOLLOW_UP, encoding="utf-8")
    # the first survey ran at The Hague: its attendees were invited on the day
    with monkeypatch.context() as day:
        on(day, dt.date(2011, 1, 26))
        first = run(mail_project, "invite", "--event", EVENT, "--survey", "post-seminar")
        assert first.exit_code == 0, first.output
    smtp.handler.received.clear()
    # a second event, later, where the first survey has not run (yet)
    result = run(
        mail_project, "event", "add", "rome-2012", "--title", "Rome", "--date", "2012-03-01"
    )
    assert result.exit_code == 0, result.output
    yield mail_project


def test_nothing_is_sent_before_the_day(
    followup_project: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, dt.date(2011, 4, 25))  # 89 days after 26 January 2011
    result = run(followup_project, "invite", "--due")
    assert result.exit_code == 0, result.output
    assert "No follow-up survey is due today." in result.output
    assert "not due yet: hague-followup at hague-2011 (due 2011-04-26)" in result.output
    assert smtp.handler.received == []
    followed = "SELECT count(*) FROM invitations WHERE survey = 'hague-followup'"
    assert query(followup_project / "feedback.db", followed) == [(0,)]


def test_on_the_day_the_attendees_get_the_follow_up_once(
    followup_project: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, dt.date(2011, 4, 26))
    result = run(followup_project, "invite", "--due")
    assert result.exit_code == 0, result.output
    assert "hague-followup" in result.output
    recipients = sorted(str(m.message["To"]) for m in smtp.handler.received)
    assert len(recipients) == 3  # the three who attended; the absentee gets nothing
    assert all(tokens(m.message.get_body(("plain",)).get_content()) for m in smtp.handler.received)
    rows = query(
        followup_project / "feedback.db",
        "SELECT event, survey, count(*) FROM invitations GROUP BY event, survey",
    )
    assert rows == [(EVENT, "hague-followup", 3), (EVENT, "post-seminar", 3)]
    again = run(followup_project, "invite", "--due")
    assert again.exit_code == 0, again.output
    assert len(smtp.handler.received) == 3  # nothing twice


def test_a_follow_up_is_due_only_where_its_first_survey_ran(
    followup_project: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rome's attendees were never asked the first survey: its follow-up could match nobody."""
    rome = "name,email,role,country,attended\nEva Rossi,eva@example.it,mp,IT,yes\n"
    (followup_project / "rome.csv").write_text(rome, encoding="utf-8")
    roster = str(followup_project / "rome.csv")
    imported = run(followup_project, "roster", "import", roster, "--event", "rome-2012")
    assert imported.exit_code == 0, imported.output
    on(monkeypatch, dt.date(2012, 5, 30))  # 90 days after Rome, long after The Hague's
    result = run(followup_project, "invite", "--due")
    assert result.exit_code == 0, result.output
    assert sorted(str(m.message["To"]) for m in smtp.handler.received) == [
        "Anna de Vries <anna@example.nl>",
        "Brian O'Neill <brian@example.org>",
        "Chloé Dupont <chloe@example.fr>",
    ]
    assert "rome-2012" not in result.output
    assert query(
        followup_project / "feedback.db",
        "SELECT count(*) FROM invitations WHERE event = 'rome-2012'",
    ) == [(0,)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("invite", "--due", "--event", EVENT), "give --due alone"),
        (("invite",), "--event ID is required (or --due"),
        (("remind", "--due", "--survey", "post-seminar"), "give --due alone"),
    ],
)
def test_due_and_an_event_are_not_both_given(
    followup_project: Path, smtp: Server, args: tuple[str, ...], message: str
) -> None:
    result = run(followup_project, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert smtp.handler.received == []
