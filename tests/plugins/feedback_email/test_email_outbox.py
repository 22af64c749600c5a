"""`--outbox DIR`: one .eml file per message instead of sending, no SMTP server needed."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
from pathlib import Path

from email_helpers import EVENT, build_project, parts, tokens
from helpers import query, run

from feedback.invitations import Invitations, utcnow
from feedback.store import Store


def test_outbox_writes_parseable_eml_files_and_marks_them_sent(project: Path) -> None:
    build_project(project, None)  # no smtp_host at all
    outbox = project / "outbox"

    result = run(project, "invite", "--event", EVENT, "--outbox", str(outbox))

    assert result.exit_code == 0, result.output
    assert "sent 3" in result.stdout and "via outbox" in result.stdout
    files = sorted(outbox.iterdir())
    assert [f.name for f in files] == [
        "00001-anna@example.nl.eml",
        "00002-brian@example.org.eml",
        "00003-chloe@example.fr.eml",
    ]
    for path in files:
        raw = path.read_bytes()
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # RFC 5322 line ends
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message.defects == []
        text, html = parts(message)  # type: ignore[arg-type]
        [token] = set(tokens(text))
        assert token in html
        with Store(project / "feedback.db") as store:
            found = Invitations(store).find(token)
        assert found is not None and found.email == message["To"].addresses[0].addr_spec
        assert found.via == "outbox" and found.sent is not None

    again = run(project, "invite", "--event", EVENT, "--outbox", str(outbox))

    assert again.exit_code == 0, again.output
    assert "sent 0" in again.stdout and "already sent before 3" in again.stdout
    assert sorted(outbox.iterdir()) == files


def test_outbox_never_overwrites_a_file(project: Path) -> None:
    build_project(project, None)
    outbox = project / "outbox"
    outbox.mkdir()
    keep = outbox / "00001-anna@example.nl.eml"
    keep.write_text("an older message", encoding="utf-8")

    result = run(project, "invite", "--event", EVENT, "--outbox", str(outbox))

    assert result.exit_code == 0, result.output
    assert keep.read_text(encoding="utf-8") == "an older message"
    written = outbox / "00001-anna@example.nl-2.eml"
    assert b"anna@example.nl" in written.read_bytes()
    assert len(list(outbox.iterdir())) == 4


def test_reminders_go_to_the_outbox_too(project: Path) -> None:
    build_project(project, None)
    outbox = project / "outbox"
    assert run(project, "invite", "--event", EVENT, "--outbox", str(outbox)).exit_code == 0
    with Store(project / "feedback.db") as store:
        invitations = Invitations(store)
        for invitation in invitations.list(EVENT):  # as if sent eight days ago
            invitations.mark_sent(invitation, "outbox", now=utcnow() - dt.timedelta(days=8))

    result = run(project, "remind", "--event", EVENT, "--outbox", str(outbox))

    assert result.exit_code == 0, result.output
    assert "sent 3" in result.stdout
    reminders = sorted(p.name for p in outbox.glob("*-reminder-1.eml"))
    assert len(reminders) == 3
    status = json.loads(run(project, "invitations", "--event", EVENT, "--json").stdout)
    assert [row["reminders"] for row in status["invitations"]] == [1, 1, 1]


def test_an_outbox_that_cannot_be_made_is_refused_before_anything_is_sent(
    project: Path, tmp_path: Path
) -> None:
    """A missing parent is not made behind the organiser's back (a typo in the path), and a name
    the file system refuses is an error with exit 2, not a traceback; nothing counts as sent."""
    build_project(project, None)
    base = tmp_path / "elsewhere"
    base.mkdir()
    for folder, message in (
        (base / "missing" / "outbox", "is not an existing folder"),
        (base / ("y" * 300), "File name too long"),
    ):
        result = run(project, "invite", "--event", EVENT, "--outbox", str(folder))
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "Traceback" not in result.output
    assert list(base.iterdir()) == []  # no folder made
    sent = query(project / "feedback.db", "SELECT count(*) FROM invitations WHERE sent IS NOT NULL")
    assert sent == [(0,)]
