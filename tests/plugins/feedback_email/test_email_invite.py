"""`feedback invite` against a real SMTP server on loopback: what attendees receive, in which
language, with which link, and that running again sends nothing twice."""

from __future__ import annotations

import hashlib
import re
from email.headerregistry import Address
from pathlib import Path

from email_helpers import (
    BASE_URL,
    EVENT,
    ROSTER,
    Server,
    build_project,
    check_html,
    parts,
    tokens,
)
from helpers import dump, query, run

from feedback.invitations import Invitations
from feedback.store import Store


def test_each_attendee_gets_text_and_html_in_their_language(
    mail_project: Path, smtp: Server
) -> None:
    result = run(mail_project, "invite", "--event", EVENT)

    assert result.exit_code == 0, result.output
    assert "sent 3" in result.stdout
    assert result.stderr == ""  # no progress bar drawn without a terminal
    received = smtp.handler.received
    assert sorted(r.rcpt_tos[0] for r in received) == [
        "anna@example.nl",
        "brian@example.org",
        "chloe@example.fr",
    ]  # Dora did not attend
    assert {r.mail_from for r in received} == {"team@example.org"}

    anna = smtp.handler.to("anna@example.nl")[0]
    text, html = parts(anna)
    assert anna["Content-Language"] == "nl"
    assert anna["Subject"] == "Uw mening over Good practice exchange"
    assert text.startswith("Beste Anna de Vries,")
    assert "26 januari 2011" in text
    assert "Evaluatie na het seminar" in html
    assert check_html(html).lang == "nl"

    brian = smtp.handler.to("brian@example.org")[0]
    text, html = parts(brian)
    assert brian["Content-Language"] == "en"
    assert brian["Subject"] == "Your feedback on Good practice exchange"
    assert text.startswith("Dear Brian O'Neill,")
    assert "26 January 2011" in text
    assert check_html(html).lang == "en"

    # French is not a language of the survey: the survey's first language, English
    chloe = smtp.handler.to("chloe@example.fr")[0]
    assert chloe["Content-Language"] == "en"
    assert parts(chloe)[0].startswith("Dear Chloé Dupont,")


def test_headers_say_who_when_and_that_it_is_automatic(mail_project: Path, smtp: Server) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0

    message = smtp.handler.to("brian@example.org")[0]
    assert message["From"].addresses[0] == Address("Seminar team", "team", "example.org")
    assert message["To"].addresses[0] == Address("Brian O'Neill", "brian", "example.org")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"].datetime is not None
    assert re.fullmatch(r"<[^<>@\s]+@example\.org>", message["Message-ID"])
    ids = {m["Message-ID"] for r in smtp.handler.received for m in [r.message]}
    assert len(ids) == 3


def test_the_html_part_is_simple_accessible_html(mail_project: Path, smtp: Server) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0

    _, html = parts(smtp.handler.to("brian@example.org")[0])
    checked = check_html(html)
    assert checked.problems == []
    assert checked.title == "Your feedback on Good practice exchange"
    [(href, link_text)] = checked.links
    assert href.startswith(BASE_URL + "/s/")
    assert link_text == "Fill in the questionnaire: Post-seminar feedback"


def test_the_link_is_in_both_parts_and_only_its_hash_is_stored(
    mail_project: Path, smtp: Server
) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0

    text, html = parts(smtp.handler.to("anna@example.nl")[0])
    [token] = set(tokens(text))
    assert tokens(html) == [token, token]  # the link's href and the address to copy
    assert f"{BASE_URL}/s/{token}" in text  # base_url given with a trailing slash: no "//s/"

    db = mail_project / "feedback.db"
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert query(db, f"SELECT count(*) FROM invitation_tokens WHERE token_hash = '{digest}'") == [
        (1,)
    ]
    assert not any(token in line for line in dump(db))
    with Store(db) as store:
        found = Invitations(store).find(token)
        assert found is not None
        assert (found.name, found.language, found.via) == ("Anna de Vries", "nl", "smtp")


def test_running_again_sends_nothing_twice(mail_project: Path, smtp: Server) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0
    assert len(smtp.handler.received) == 3

    again = run(mail_project, "invite", "--event", EVENT)

    assert again.exit_code == 0, again.output
    assert "sent 0" in again.stdout
    assert "already sent before 3" in again.stdout
    assert len(smtp.handler.received) == 3


def test_a_newcomer_on_the_roster_is_invited_alone(mail_project: Path, smtp: Server) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0
    (mail_project / "more.csv").write_text(
        ROSTER.splitlines()[0] + "\nEls Peeters,els@example.be,ngo,BE,,yes,nl-BE\n",
        encoding="utf-8",
    )
    imported = run(
        mail_project, "roster", "import", str(mail_project / "more.csv"), "--event", EVENT
    )
    assert imported.exit_code == 0, imported.output

    again = run(mail_project, "invite", "--event", EVENT)

    assert again.exit_code == 0, again.output
    assert "sent 1" in again.stdout and "already sent before 3" in again.stdout
    [els] = smtp.handler.to("els@example.be")
    assert els["Content-Language"] == "nl"  # nl-BE finds the survey's nl
    assert len(smtp.handler.received) == 4


def test_attendees_without_an_email_address_are_reported(mail_project: Path, smtp: Server) -> None:
    with Store(mail_project / "feedback.db") as store, store.write():
        person = store.save_person({"name": "Frank Nomail", "email": None, "country": "BE"})
        store.set_attendance(person, EVENT, invited=True, attended=True)

    result = run(mail_project, "invite", "--event", EVENT)

    assert result.exit_code == 0, result.output
    assert "attendees without an email address 1" in result.stdout
    assert "Frank Nomail" in result.stdout
    assert len(smtp.handler.received) == 3


def test_markup_and_commas_in_names_are_escaped_and_encoded(project: Path, smtp: Server) -> None:
    name = "<script>alert(1)</script> Ève Müller, Jr."
    roster = ROSTER.splitlines()[0] + f'\n"{name}",eve@example.org,ngo,DE,,yes,en\n'
    build_project(project, smtp.port, roster=roster)

    assert run(project, "invite", "--event", EVENT).exit_code == 0

    [message] = smtp.handler.to("eve@example.org")
    text, html = parts(message)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ève Müller, Jr." in html
    assert check_html(html).problems == []
    assert f"Dear {name}," in text  # the text part is not HTML: the name as it is
    raw = next(r.data for r in smtp.handler.received if "eve@example.org" in r.rcpt_tos)
    to_line = next(line for line in raw.split(b"\r\n") if line.startswith(b"To:"))
    assert to_line.isascii() and b"=?utf-8?" in to_line  # RFC 2047, not raw UTF-8
    assert message["To"].addresses[0] == Address(name, "eve", "example.org")
