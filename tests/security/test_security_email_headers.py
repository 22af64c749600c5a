"""Issue 12, item 6: names and titles are data, never email header syntax.

A roster name or an event title holding a line break, an RFC 2047 encoded word (``=?utf-8?q?...?=``
or its base64 form, which the email library decodes into a real line break), NEL, U+2028 or a
very long word must not add a header, an address or a body. Two ways in are tried: the roster
import and ``feedback event add`` (which now refuse such values, naming row and column, exit 2,
database unchanged), and an older database that already holds them (every message sent to a real
SMTP server on loopback is parsed: its header names are exactly the expected ones, its one
recipient is the attendee, its body is the template's).
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "feedback_email"))

from email_helpers import EVENT, Server, build_project, parts, tokens
from helpers import dump, open_engine, run

from feedback.invitations import Invitations, parse_stamp
from feedback.store import Store
from feedback_email import send_invitations, send_reminders
from feedback_email.compose import Composer, Recipient
from feedback_email.transport import OutboxTransport, SendFailed


def b64_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


#: Values a roster import or ``event add`` now refuses, and that an older database may hold.
REFUSED = {
    "crlf": "Jo\r\nReply-To: x@evil.org",
    "lf": "Jo\nBcc: x@evil.org",
    "bare cr": "Jo\rBcc: x@evil.org",
    "q encoded word": "Jo =?utf-8?q?=0D=0AReply-To:_x@evil.org?=",
    "b encoded word": "Jo " + b64_word("\r\nReply-To: x@evil.org"),
    "q word ending the headers": "Jo =?utf-8?q?=0D=0A=0D=0AYou_have_won?=",
    "b word ending the headers": "Jo " + b64_word("\r\n\r\nYou have won"),
    "upper-case Q word": "Jo =?UTF-8?Q?=0D=0ABcc:_x@evil.org?=",
    "latin-1 word": "=?iso-8859-1?q?Jo=0ABcc:_x@evil.org?=",
    "nel": "Jo\x85Bcc: x@evil.org",
    "line separator": "Jo\u2028Bcc: x@evil.org",
    "paragraph separator": "Jo\u2029Bcc: x@evil.org",
    "nul": "Jo\x00Bcc: x@evil.org",
    "escape": "\x1b]0;owned\x07Jo",
    "very long": "Jo " + "x" * 5000,
    "very long word": "y" * 1200,
}
#: Plain text that looks like header syntax: accepted, and harmless.
ACCEPTED = {
    "quotes and an address": 'Jo" <x@evil.org>, "Bob',
    "semicolon and colon": "Jo; Bcc: x@evil.org",
    "angle brackets": "Jo <x@evil.org>",
    "equals and question mark": "Jo =? no word ?=",
    "markup": "[bold]Jo[/bold] :smile:",
    "non-ascii": "Chloé Dupont-Ødegård",
}
CORPUS = {**REFUSED, **ACCEPTED}
#: Every header an invitation or a reminder has, once each.
EXPECTED = {
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Auto-Submitted",
    "MIME-Version",
    "Content-Type",
    "Content-Language",
}
NOW = dt.datetime(2011, 1, 27, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def smtp() -> Iterator[Server]:
    """An SMTP server on 127.0.0.1 (aiosmtpd) collecting what it accepts."""
    with Server() as server:
        yield server


def older_database(project: Path, title: str, city: str) -> dict[str, str]:
    """Put the corpus into the roster and ``title``/``city`` into the event, past every check
    (as a database from before them would hold them); ``{address: name}`` of the attendees."""
    people = {f"p{i}@example.org": name for i, name in enumerate(CORPUS.values())}
    with Store(project / "feedback.db") as store, store.write():
        store.conn.execute(
            "UPDATE events SET title = ?, city = ? WHERE id = ?", [title, city, EVENT]
        )
        for address, name in people.items():
            person = store.save_person({"name": name, "email": address, "language": "en"})
            store.set_attendance(person, EVENT, invited=True, attended=True)
    return people


def check_message(message: EmailMessage, data: bytes, address: str) -> None:
    """The header block is exactly the expected one, for exactly ``address``."""
    head = data.split(b"\r\n\r\n", 1)[0]
    assert all(len(line) <= 998 for line in head.split(b"\r\n"))
    assert sorted(message.keys()) == sorted(EXPECTED), message.keys()
    for name in EXPECTED:
        assert "\r" not in str(message[name]) and "\n" not in str(message[name]), name
    assert [a.addr_spec for a in message["To"].addresses] == [address]
    assert [a.addr_spec for a in message["From"].addresses] == ["team@example.org"]
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]


def check_body(
    composer: Composer, kind: str, message: EmailMessage, name: str, address: str, expires: dt.date
) -> None:
    """The text and HTML are the templates' for this attendee and no more."""
    text, html = parts(message)
    [token] = set(tokens(text))
    _, want_text, want_html = composer.render(kind, Recipient(name, address, "en", token, expires))
    assert text.replace("\r\n", "\n") == want_text
    assert html.replace("\r\n", "\n") == want_html
    assert text.startswith("Dear ")


TITLES = {
    "q encoded word": "Seminar =?utf-8?q?=0D=0ABcc:_x@evil.org?=",
    "b encoded word": "Seminar " + b64_word("\r\nBcc: x@evil.org"),
    "crlf": "Seminar\r\nBcc: x@evil.org",
    "line separator": "Seminar\u2028Bcc: x@evil.org",
    "very long": "Seminar " + "z" * 3000,
}


@pytest.mark.parametrize("title", TITLES.values(), ids=TITLES.keys())
def test_an_older_database_cannot_add_a_header_to_any_invitation_or_reminder(
    project: Path, smtp: Server, title: str
) -> None:
    build_project(project, smtp.port)
    people = older_database(project, title, city="The\r\nHague =?utf-8?q?=0D=0A?=")
    engine = open_engine(project)
    try:
        invited = send_invitations(engine, EVENT, now=NOW)
        assert invited.failed == [] and invited.sent == len(people) + 3
        reminded = send_reminders(engine, EVENT, now=NOW + dt.timedelta(days=8))
        assert reminded.failed == [] and reminded.sent == len(people) + 3

        composer = Composer(engine.settings, engine.survey(None), engine.store.event(EVENT))
        expires = {
            i.email: parse_stamp(i.expires).date()  # type: ignore[union-attr]
            for i in Invitations(engine.store).list(EVENT)
        }
    finally:
        engine.close()
    assert len(smtp.handler.received) == 2 * (len(people) + 3)
    for received in smtp.handler.received:
        [address] = received.rcpt_tos
        message = received.message
        check_message(message, received.data, address)
        assert "Reply-To" not in message and "Bcc" not in message
        if address in people:
            kind = "invitation" if "Reminder" not in str(message["Subject"]) else "reminder"
            check_body(composer, kind, message, people[address], address, expires[address])


@pytest.mark.parametrize("name", REFUSED.values(), ids=REFUSED.keys())
def test_the_roster_import_refuses_header_syntax_naming_row_and_column(
    project: Path, smtp: Server, name: str
) -> None:
    build_project(project, smtp.port)
    before = dump(project / "feedback.db")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["name", "email", "attended"])
    writer.writerow(["Anna de Vries", "anna@example.nl", "yes"])
    writer.writerow([name, "jo@example.org", "yes"])
    (project / "hostile.csv").write_text(out.getvalue(), encoding="utf-8", newline="")

    result = run(project, "roster", "import", str(project / "hostile.csv"), "--event", EVENT)

    assert result.exit_code == 2, result.output
    assert "hostile.csv:3 column 'name': expected " in result.output
    assert dump(project / "feedback.db") == before
    assert "Traceback" not in result.output


def test_plain_text_that_looks_like_syntax_is_imported_as_written_and_stays_one_address(
    project: Path, smtp: Server
) -> None:
    """Quotes (doubled inside a quoted cell, as spreadsheets write them), commas, angle brackets
    and markup are plain text: imported as written, each still one display name."""
    people = {f"p{i}@example.org": name for i, name in enumerate(ACCEPTED.values())}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["name", "email", "attended"])
    writer.writerows([name, address, "yes"] for address, name in people.items())
    build_project(project, smtp.port, roster=out.getvalue())
    listed = run(project, "roster", "list", "--event", EVENT, "--json")
    assert {row["email"]: row["name"] for row in json.loads(listed.stdout)} == people

    result = run(project, "invite", "--event", EVENT)

    assert result.exit_code == 0, result.output
    assert len(smtp.handler.received) == len(people)
    for address, name in people.items():
        [received] = [r for r in smtp.handler.received if r.rcpt_tos == [address]]
        check_message(received.message, received.data, address)
        # as written, but for "=?", which a header never holds ("= ?": no encoded word opens)
        display_name = received.message["To"].addresses[0].display_name
        assert display_name == name.replace("=?", "= ?")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--title", "Seminar =?utf-8?q?=0D=0ABcc:_x@evil.org?="),
        ("--title", "Seminar " + b64_word("\r\nBcc: x@evil.org")),
        ("--title", "Seminar\r\nBcc: x@evil.org"),
        ("--title", "Seminar\u2028Bcc: x@evil.org"),
        ("--title", "S" * 301),
        ("--city", "The\nHague"),
        ("--city", "=?utf-8?b?DQpCY2M6IHhAZXZpbC5vcmc=?="),
    ],
)
def test_event_add_refuses_header_syntax_in_title_and_city(
    project: Path, smtp: Server, option: str, value: str
) -> None:
    build_project(project, smtp.port)
    before = dump(project / "feedback.db")
    args = ["--title", "Seminar"] if option != "--title" else []
    result = run(project, "event", "add", EVENT, *args, option, value)
    assert result.exit_code == 2, result.output
    assert f"{option}: expected " in result.output
    assert dump(project / "feedback.db") == before


def test_mail_from_with_an_encoded_word_is_refused(project: Path, smtp: Server) -> None:
    build_project(project, smtp.port, mail_from="=?utf-8?q?Team=0D=0ABcc:_x@evil.org?= <t@x.org>")
    before = dump(project / "feedback.db")
    result = run(project, "invite", "--event", EVENT)
    assert result.exit_code == 2, result.output
    assert "mail_from: expected plain text, found email header syntax" in result.output
    assert dump(project / "feedback.db") == before
    assert smtp.handler.received == []


def test_a_message_whose_headers_read_back_otherwise_is_not_sent(tmp_path: Path) -> None:
    """The last guard: a message built the old way (a display name holding an encoded word) is
    refused by `verify` and by the transport, and nothing is written."""
    from feedback_email.compose import UnsafeMessage, verify

    message = EmailMessage(policy=SMTP)
    message["From"] = "Seminar team <team@example.org>"
    message["To"] = Address(display_name=REFUSED["q encoded word"], addr_spec="jo@example.org")
    message["Subject"] = "Your feedback"
    message.set_content("Dear Jo,\n")
    with pytest.raises(UnsafeMessage, match="reply-to"):
        verify(message)
    outbox = OutboxTransport(tmp_path / "outbox")
    outbox.open()
    with pytest.raises(SendFailed, match="refused to send"):
        outbox.send(message, "team@example.org", "jo@example.org", "jo")
    assert list((tmp_path / "outbox").iterdir()) == []
