"""Invalid input: a clear message, exit code 2, and the database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from email_helpers import EVENT, Server, settings_toml
from helpers import dump, run

CASES = {
    "unknown event": ([], ["--event", "hague-2101"], "unknown event 'hague-2101'"),
    "did you mean": ([], ["--event", "hague-2012"], "did you mean 'hague-2011'?"),
    "unknown survey": ([], ["--survey", "post-seminr"], "unknown survey 'post-seminr'"),
    "no base_url": (
        ["base_url"],
        [],
        "set base_url in feedback.toml or FEEDBACK_BASE_URL",
    ),
    "no mail_from": (
        ["mail_from"],
        [],
        "set mail_from in [email] of feedback.toml or FEEDBACK_EMAIL__MAIL_FROM",
    ),
    "no smtp_host": (
        ["smtp_host"],
        [],
        "set smtp_host in [email] of feedback.toml or FEEDBACK_EMAIL__SMTP_HOST, or write the "
        "messages",
    ),
}


def without(port: int, *names: str) -> str:
    """The test settings with some left out."""
    overrides = {name: None for name in names}
    return settings_toml(None if "smtp_host" in names else port, **overrides)


@pytest.mark.parametrize("command", ["invite", "remind"])
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_is_exit_2_and_writes_nothing(
    mail_project: Path, smtp: Server, command: str, case: str
) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0  # something to lose
    missing, args, message = CASES[case]
    (mail_project / "feedback.toml").write_text(without(smtp.port, *missing), encoding="utf-8")
    if "--event" not in args:
        args = ["--event", EVENT, *args]
    before = dump(mail_project / "feedback.db")

    result = run(mail_project, command, *args)

    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert dump(mail_project / "feedback.db") == before
    assert len(smtp.handler.received) == 3  # the invitations of the first run only


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("base_url", "feedback.example.org", "base_url: expected an http:// or https:// address"),
        ("mail_from", "the seminar team", "mail_from: expected an address such as"),
    ],
)
def test_a_malformed_setting_is_exit_2(
    mail_project: Path, smtp: Server, setting: str, value: str, message: str
) -> None:
    (mail_project / "feedback.toml").write_text(
        settings_toml(smtp.port, **{setting: value}), encoding="utf-8"
    )
    before = dump(mail_project / "feedback.db")

    result = run(mail_project, "invite", "--event", EVENT)

    assert result.exit_code == 2
    assert message in result.stderr
    assert dump(mail_project / "feedback.db") == before
    assert smtp.handler.received == []


def test_the_outbox_needs_no_smtp_host_but_a_folder(mail_project: Path, smtp: Server) -> None:
    (mail_project / "feedback.toml").write_text(without(smtp.port, "smtp_host"), encoding="utf-8")
    (mail_project / "a-file").write_text("", encoding="utf-8")
    before = dump(mail_project / "feedback.db")

    result = run(mail_project, "invite", "--event", EVENT, "--outbox", str(mail_project / "a-file"))

    assert result.exit_code == 2
    assert "is a file" in result.stderr
    assert dump(mail_project / "feedback.db") == before


def test_invitations_of_an_unknown_event_is_exit_2(mail_project: Path) -> None:
    result = run(mail_project, "invitations", "--event", "hague-2012")

    assert result.exit_code == 2
    assert "unknown event 'hague-2012'; did you mean 'hague-2011'?" in result.stderr
