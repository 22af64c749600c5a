"""When the SMTP server refuses, stutters, drops the connection or is not there at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from email_helpers import (
    EVENT,
    ROSTER,
    Server,
    authenticator,
    build_project,
    free_port,
    settings_toml,
)
from helpers import dump, open_engine, run

from feedback_email import send_invitations
from feedback_email.transport import SmtpTransport


def statuses(project: Path) -> dict[str, tuple[str, str | None]]:
    """Each invited person's email -> (status, error), as `feedback invitations --json` says."""
    result = run(project, "invitations", "--event", EVENT, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["invitations"]
    return {row["email"]: (row["status"], row["error"]) for row in rows}


def test_a_refused_recipient_is_recorded_and_the_others_still_get_theirs(
    mail_project: Path, smtp: Server
) -> None:
    smtp.handler.refuse["brian@example.org"] = "550 5.1.1 No such user here"

    result = run(mail_project, "invite", "--event", EVENT)

    assert result.exit_code == 1
    assert "sent 2" in result.stdout and "failed 1" in result.stdout
    assert "Brian O'Neill <brian@example.org>: recipient refused: 550 5.1.1 No such user" in (
        result.stdout
    )
    assert "1 invitation failed" in result.stderr
    assert sorted(r.rcpt_tos[0] for r in smtp.handler.received) == [
        "anna@example.nl",
        "chloe@example.fr",
    ]
    assert smtp.handler.attempts["brian@example.org"] == 0  # refused at RCPT, not retried
    status, error = statuses(mail_project)["brian@example.org"]
    assert status == "failed" and "550 5.1.1" in (error or "")

    # the address is fixed on the server's side: the next run sends to Brian only
    del smtp.handler.refuse["brian@example.org"]
    again = run(mail_project, "invite", "--event", EVENT)
    assert again.exit_code == 0, again.output
    assert "sent 1" in again.stdout and "already sent before 2" in again.stdout
    assert len(smtp.handler.to("brian@example.org")) == 1
    assert len(smtp.handler.received) == 3
    assert statuses(mail_project)["brian@example.org"] == ("outstanding", None)


def test_a_temporary_451_is_retried_and_delivered(mail_project: Path, smtp: Server) -> None:
    smtp.handler.temporary["anna@example.nl"] = 1

    result = run(mail_project, "invite", "--event", EVENT)

    assert result.exit_code == 0, result.output
    assert "sent 3" in result.stdout
    assert smtp.handler.attempts["anna@example.nl"] == 2
    assert len(smtp.handler.to("anna@example.nl")) == 1
    assert len(smtp.handler.connections) == 1  # one connection for the whole run


def test_a_451_that_outlasts_the_retries_fails_and_the_others_go(
    mail_project: Path, smtp: Server
) -> None:
    smtp.handler.temporary["anna@example.nl"] = 10

    result = run(mail_project, "invite", "--event", EVENT)

    assert result.exit_code == 1
    assert smtp.handler.attempts["anna@example.nl"] == 3  # smtp_retries = 2
    assert "451 4.3.0 Mailbox busy" in result.stdout and "after 3 attempts" in result.stdout
    assert statuses(mail_project)["anna@example.nl"][0] == "failed"
    assert len(smtp.handler.received) == 2


def test_retries_back_off_exponentially(project: Path, smtp: Server) -> None:
    build_project(project, smtp.port, smtp_backoff=0.5, smtp_retries=3)
    smtp.handler.temporary["brian@example.org"] = 3
    waits: list[float] = []
    engine = open_engine(project)
    try:
        transport = SmtpTransport(engine.settings, sleep=waits.append)
        summary = send_invitations(engine, EVENT, transport=transport)
    finally:
        engine.close()

    assert summary.sent == 3 and summary.failed == []
    assert waits == [0.5, 1.0, 2.0]


def test_a_dropped_connection_is_made_again(mail_project: Path, smtp: Server) -> None:
    smtp.handler.drop["anna@example.nl"] = 1

    result = run(mail_project, "invite", "--event", EVENT)

    assert result.exit_code == 0, result.output
    assert len(smtp.handler.received) == 3
    assert len(smtp.handler.connections) == 2


def test_a_server_lost_for_good_stops_the_run_and_the_rest_go_next_time(
    project: Path, smtp: Server
) -> None:
    build_project(project, smtp.port, smtp_backoff=0.001)
    smtp.handler.drop["brian@example.org"] = 1  # then the server goes away for good
    engine = open_engine(project)
    try:
        transport = SmtpTransport(engine.settings, sleep=lambda _: smtp.stop())
        summary = send_invitations(engine, EVENT, transport=transport)
    finally:
        engine.close()

    assert summary.sent == 1 and summary.not_sent == 2
    assert "could not connect again" in (summary.stopped or "")
    assert statuses(project) == {
        "anna@example.nl": ("outstanding", None),
        "brian@example.org": ("not sent", None),
        "chloe@example.fr": ("not sent", None),
    }

    with Server() as back:
        (project / "feedback.toml").write_text(settings_toml(back.port), encoding="utf-8")
        again = run(project, "invite", "--event", EVENT)
        assert again.exit_code == 0, again.output
        assert sorted(r.rcpt_tos[0] for r in back.handler.received) == [
            "brian@example.org",
            "chloe@example.fr",
        ]


def test_an_unreachable_server_is_exit_1_and_records_nothing(project: Path) -> None:
    port = free_port()  # nothing listens there
    build_project(project, port)
    before = dump(project / "feedback.db")

    result = run(project, "invite", "--event", EVENT)

    assert result.exit_code == 1
    assert f"cannot reach the SMTP server 127.0.0.1:{port}" in result.stderr
    assert "Connection refused" in result.stderr
    assert "nothing was sent or recorded" in result.stderr
    assert dump(project / "feedback.db") == before
    assert statuses(project) == {}


@pytest.mark.parametrize(
    ("password", "delivered"), [("s3cret", True), ("wrong", False)], ids=["right", "wrong"]
)
def test_login_with_the_password_from_the_environment(
    project: Path, monkeypatch: pytest.MonkeyPatch, password: str, delivered: bool
) -> None:
    with Server(authenticator=authenticator("team", "s3cret"), auth_require_tls=False) as server:
        build_project(project, server.port, smtp_user="team")
        monkeypatch.setenv("FEEDBACK_EMAIL__SMTP_PASSWORD", password)
        before = dump(project / "feedback.db")

        result = run(project, "invite", "--event", EVENT)

        if delivered:
            assert result.exit_code == 0, result.output
            assert len(server.handler.received) == 3
        else:
            assert result.exit_code == 1
            assert "refused the login of 'team'" in result.stderr
            assert password not in result.output
            assert server.handler.received == []
            assert dump(project / "feedback.db") == before


def test_starttls_required_but_not_offered_is_a_clear_error(project: Path, smtp: Server) -> None:
    build_project(project, smtp.port, smtp_security="starttls")
    before = dump(project / "feedback.db")

    result = run(project, "invite", "--event", EVENT)

    assert result.exit_code == 1
    assert "does not offer STARTTLS" in result.stderr
    assert dump(project / "feedback.db") == before


def test_international_addresses_go_out_or_fail_alone(project: Path, smtp: Server) -> None:
    roster = (
        ROSTER.splitlines()[0] + "\n"
        "Jürgen Groß,jurgen@exämple.de,mp,DE,,yes,en\n"
        "José Núñez,josé@example.es,mp,ES,,yes,en\n"
        "Brian O'Neill,brian@example.org,ngo,GB,,yes,en\n"
    )
    build_project(project, smtp.port, roster=roster)

    result = run(project, "invite", "--event", EVENT)

    assert result.exit_code == 1
    assert "sent 2" in result.stdout
    assert "José Núñez <josé@example.es>: cannot send to 'josé@example.es': non-ASCII" in (
        result.stdout
    )
    [jurgen] = smtp.handler.to("jurgen@xn--exmple-cua.de")  # the domain in its IDNA form
    assert jurgen["To"].addresses[0].display_name == "Jürgen Groß"
    assert len(smtp.handler.to("brian@example.org")) == 1
