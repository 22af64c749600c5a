"""`feedback passes send` against a real SMTP server on loopback: each person on the roster gets
their check-in pass, a QR code inline in the HTML and the link in the text, and the code found in
the message checks in the right person at the right event."""

from __future__ import annotations

import email
import email.policy
import io
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
import segno
from email_helpers import BASE_URL, EVENT, ROSTER, Server, build_project, free_port
from helpers import dump, open_engine, query, run
from PIL import Image

from feedback.checkin import find_pass
from feedback.cli import CommandError
from feedback.store import Store
from feedback_email import send_passes
from feedback_email.passes_cli import report
from feedback_email.transport import SmtpTransport

PASS_LINK = re.compile(re.escape(BASE_URL) + r"/c/([A-Za-z0-9_-]{43})")


def person_id(project: Path, email: str) -> int:
    [(person,)] = query(project / "feedback.db", f"SELECT id FROM people WHERE email = '{email}'")
    return int(person)


def pass_rows(project: Path) -> list[tuple[str, int]]:
    return query(project / "feedback.db", "SELECT event, person FROM checkin_passes ORDER BY 2")


def add_person(project: Path, name: str, email: str | None, language: str | None = None) -> int:
    """Someone on the event's roster whom the roster import would not take as is (no email
    address, no language)."""
    with Store(project / "feedback.db") as store, store.write():
        person = store.save_person(
            {"name": name, "email": email, "country": "BE", "language": language}
        )
        store.set_attendance(person, EVENT, invited=True, attended=True)
    return person


def pass_parts(message: EmailMessage) -> tuple[str, str, EmailMessage]:
    """The text, the HTML and the image of a pass message, checking how they are nested:
    text and (HTML with its image) as alternatives."""
    assert message.get_content_type() == "multipart/alternative"
    text_part, related = message.get_payload()  # type: ignore[misc]
    assert text_part.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, image = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    assert image.get_content_disposition() == "inline"
    return text_part.get_content(), html_part.get_content(), image


def qr_modules(png: bytes, size: int) -> list[list[bool]]:
    """The dark (True) and light modules of a QR code of ``size`` modules a side drawn in
    ``png``: the dark pixels' bounding box is the symbol (its finder patterns fill three
    corners), read at each module's centre. The quiet zone must be 4 modules at least."""
    image = Image.open(io.BytesIO(png)).convert("L")
    left, top, right, bottom = image.point(lambda v: 255 if v < 128 else 0).getbbox() or (0,) * 4
    module = (right - left) / size
    assert module >= 3 and (bottom - top) == right - left
    assert min(left, top, image.width - right, image.height - bottom) >= 4 * module
    return [
        [
            image.getpixel((int(left + (x + 0.5) * module), int(top + (y + 0.5) * module))) < 128  # type: ignore[operator]
            for x in range(size)
        ]
        for y in range(size)
    ]


def test_each_person_on_the_roster_gets_a_qr_code_that_checks_them_in(
    mail_project: Path, smtp: Server
) -> None:
    frank = add_person(mail_project, "Frank Nomail", None)

    result = run(mail_project, "passes", "send", "--event", EVENT)

    assert result.exit_code == 0, result.output
    assert "sent 4" in result.stdout and "failed 0" in result.stdout
    assert "people without an email address 1" in result.stdout
    assert f"Frank Nomail (person {frank})" in result.stdout
    # everyone on the roster: a pass is for coming in, so Dora, marked absent, gets one too
    assert sorted(r.rcpt_tos[0] for r in smtp.handler.received) == [
        "anna@example.nl",
        "brian@example.org",
        "chloe@example.fr",
        "dora@example.org",
    ]
    with Store(mail_project / "feedback.db") as store:
        for received in smtp.handler.received:
            message = received.message
            text, html, image = pass_parts(message)
            [token] = PASS_LINK.findall(text)
            address = received.rcpt_tos[0]
            assert find_pass(store, token) == (EVENT, person_id(mail_project, address))
            assert token not in result.output  # the code is sent, never printed
            # the HTML shows the image by its Content-ID and links to the same pass
            cid = image["Content-ID"].strip("<>")
            assert f'<img src="cid:{cid}"' in html
            assert f'href="{BASE_URL}/c/{token}"' in html
            link = f"{BASE_URL}/c/{token}"
            expected = segno.make_qr(link, error="m")
            assert qr_modules(image.get_content(), len(expected.matrix)) == [
                [bool(module) for module in row] for row in expected.matrix
            ]
    [anna] = smtp.handler.to("anna@example.nl")
    text, html, _ = pass_parts(anna)
    assert anna["Content-Language"] == "nl" and anna["Subject"].startswith("Uw toegangspas")
    assert "Good practice exchange in The Hague op 26 januari 2011" in text
    assert "Laat deze code bij de ingang zien" in html
    [brian] = smtp.handler.to("brian@example.org")
    text, html, _ = pass_parts(brian)
    assert brian["Subject"] == "Your check-in pass for Good practice exchange"
    assert "Good practice exchange in The Hague on 26 January 2011" in text
    assert "Please show this code at the entrance" in text
    # one pass for each message sent, none for Frank
    sent_to = [person_id(mail_project, r.rcpt_tos[0]) for r in smtp.handler.received]
    assert pass_rows(mail_project) == [(EVENT, p) for p in sorted(sent_to)]


def test_names_are_escaped_in_the_html(project: Path, smtp: Server) -> None:
    name = "<script>alert(1)</script> Ève Müller, Jr."
    roster = ROSTER.splitlines()[0] + f'\n"{name}",eve@example.org,ngo,DE,,yes,en\n'
    build_project(project, smtp.port, roster=roster)

    assert run(project, "passes", "send", "--event", EVENT).exit_code == 0

    [message] = smtp.handler.to("eve@example.org")
    text, html, _ = pass_parts(message)
    assert "<script>" not in html
    assert "Dear &lt;script&gt;alert(1)&lt;/script&gt; Ève Müller, Jr.," in html
    assert f"Dear {name}," in text


def test_named_people_only_and_a_new_pass_each_run_the_old_ones_stay_good(
    mail_project: Path, smtp: Server
) -> None:
    anna = person_id(mail_project, "anna@example.nl")

    first = run(mail_project, "passes", "send", "--event", EVENT, "--person", str(anna))
    second = run(
        mail_project,
        *("passes", "send", "--event", EVENT),
        *("--person", "ANNA@example.nl", "--person", "brian@example.org"),
    )

    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "sent 2" in second.stdout
    assert sorted(r.rcpt_tos[0] for r in smtp.handler.received) == [
        "anna@example.nl",
        "anna@example.nl",
        "brian@example.org",
    ]
    old, new = (PASS_LINK.findall(pass_parts(m)[0])[0] for m in smtp.handler.to("anna@example.nl"))
    assert old != new
    with Store(mail_project / "feedback.db") as store:
        assert find_pass(store, old) == find_pass(store, new) == (EVENT, anna)


def test_a_refused_recipient_is_reported_with_the_person_and_keeps_no_pass(
    mail_project: Path, smtp: Server
) -> None:
    smtp.handler.refuse["brian@example.org"] = "550 5.1.1 No such user here"
    brian = person_id(mail_project, "brian@example.org")

    result = run(mail_project, "passes", "send", "--event", EVENT)

    assert result.exit_code == 1
    assert "sent 3" in result.stdout and "failed 1" in result.stdout
    assert (
        f"Brian O'Neill <brian@example.org> (person {brian}): recipient refused: 550 5.1.1"
        in result.stdout
    )
    assert "1 pass failed" in result.stderr
    assert f"feedback passes send --event {EVENT} --person {brian}`" in result.stderr
    assert len(smtp.handler.received) == 3
    assert brian not in [person for _, person in pass_rows(mail_project)]
    assert len(pass_rows(mail_project)) == 3

    del smtp.handler.refuse["brian@example.org"]
    again = run(mail_project, "passes", "send", "--event", EVENT, "--person", str(brian))
    assert again.exit_code == 0, again.output
    [message] = smtp.handler.to("brian@example.org")
    [token] = PASS_LINK.findall(pass_parts(message)[0])
    with Store(mail_project / "feedback.db") as store:
        assert find_pass(store, token) == (EVENT, brian)


def test_a_server_lost_for_good_stops_the_run_and_names_the_people_left(
    project: Path, smtp: Server
) -> None:
    build_project(project, smtp.port, smtp_backoff=0.001)
    smtp.handler.drop["brian@example.org"] = 1  # then the server goes away for good
    engine = open_engine(project)
    try:
        transport = SmtpTransport(engine.settings, sleep=lambda _: smtp.stop())
        summary = send_passes(engine, EVENT, transport=transport)
    finally:
        engine.close()

    anna, brian, chloe, dora = (
        person_id(project, a)
        for a in ("anna@example.nl", "brian@example.org", "chloe@example.fr", "dora@example.org")
    )
    assert summary.sent == [anna] and summary.not_sent == [brian, chloe, dora]
    assert "could not connect again" in (summary.stopped or "")
    assert pass_rows(project) == [(EVENT, anna)]  # Brian's pass, never sent, was withdrawn
    with pytest.raises(CommandError) as stopped:
        report(summary)
    assert stopped.value.exit_code == 1
    assert "3 passes not sent" in stopped.value.message
    assert f"--person {brian} --person {chloe} --person {dora}`" in stopped.value.message


def test_an_unreachable_server_issues_no_pass(project: Path) -> None:
    build_project(project, free_port(), smtp_retries=0)

    result = run(project, "passes", "send", "--event", EVENT)

    assert result.exit_code == 1
    assert "cannot reach the SMTP server" in result.stderr
    assert pass_rows(project) == []


def test_the_outbox_and_the_language_of_people_who_have_none(
    mail_project: Path, tmp_path: Path
) -> None:
    els = add_person(mail_project, "Els Zonder Taal", "els@example.be")
    outbox = tmp_path / "outbox"

    result = run(
        mail_project,
        *("passes", "send", "--event", EVENT, "--outbox", str(outbox)),
        *("--language", "nl", "--person", str(els), "--person", "brian@example.org"),
    )

    assert result.exit_code == 0, result.output
    assert "via outbox" in result.stdout and "sent 2" in result.stdout
    files = sorted(p.name for p in outbox.iterdir())
    assert files == [
        f"pass-{person_id(mail_project, 'brian@example.org'):05d}-brian@example.org.eml",
        f"pass-{els:05d}-els@example.be.eml",
    ]
    messages = {
        name: email.message_from_bytes((outbox / name).read_bytes(), policy=email.policy.default)
        for name in files
    }
    languages = sorted(m["Content-Language"] for m in messages.values())
    assert languages == ["en", "nl"]  # Brian's own English; Els has none: --language nl
    assert len(pass_rows(mail_project)) == 2


@pytest.mark.parametrize(
    ("settings", "args", "expected"),
    [
        ({"base_url": None}, (), "no base URL"),
        ({"mail_from": None}, (), "no sender address"),
        ({}, ("--event", "hague-2012"), "unknown event 'hague-2012'"),
        ({}, ("--person", "nobody@example.org"), "nobody on the roster is 'nobody@example.org'"),
        ({}, ("--person", "{stranger}"), "is not on the roster of 'hague-2011'"),
        ({}, ("--language", "xx"), "--language: expected one of en, nl"),
    ],
)
def test_nothing_is_issued_or_sent_when_a_check_fails(
    project: Path, smtp: Server, settings: dict[str, object], args: tuple[str, ...], expected: str
) -> None:
    build_project(project, smtp.port, **settings)
    with Store(project / "feedback.db") as store, store.write():  # on no roster of hague-2011
        stranger = store.save_person({"name": "Stranger", "email": "s@example.org"})
    before = dump(project / "feedback.db")
    args = tuple(a.format(stranger=stranger) for a in args)
    if "--event" not in args:
        args = ("--event", EVENT, *args)

    result = run(project, "passes", "send", *args)

    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert dump(project / "feedback.db") == before
    assert pass_rows(project) == []
    assert smtp.handler.received == []
