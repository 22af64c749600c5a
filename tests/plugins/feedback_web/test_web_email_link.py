"""From the invitation to the stored response, with nothing mocked: `feedback invite` sends to a real
SMTP server on loopback (aiosmtpd); the link in the received email is opened in headless Chromium
(Debian's, driven by Playwright) against the web form served by uvicorn; the survey is filled in and
submitted; the row is in the database; the same link opened again says the survey is completed."""

from __future__ import annotations

import email
import json
import re
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from helpers import query, run
from web_helpers import SHIPPED_ANSWERS, SHIPPED_PAGES, free_port, live_server

from feedback.invitations import hash_token
from feedback_web.app import make_app

ROSTER = (
    "name,email,role,country,organisation,attended,language\n"
    "Anna de Vries,anna@example.nl,ngo,NL,La Strada,yes,nl\n"
    "Brian Walsh,brian@example.org,mp,IE,Dáil Éireann,yes,en\n"
    "Dora Absent,dora@example.org,ngo,DE,,no,en\n"
)


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default)
        self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> EmailMessage:
        found = [m for rcpt, m in self.messages if address in rcpt]
        assert len(found) == 1, f"{len(found)} messages to {address}"
        return found[0]


def _parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_the_link_from_the_email_leads_to_a_stored_response(
    project: Path, make_engine: Any, chromium: Any
) -> None:
    assert (
        run(project, "event", "add", "hague-2011", "--title", "Good practice exchange").exit_code
        == 0
    )
    (project / "roster.csv").write_text(ROSTER, encoding="utf-8")
    assert (
        run(
            project, "roster", "import", str(project / "roster.csv"), "--event", "hague-2011"
        ).exit_code
        == 0
    )

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    engine = make_engine(event=False)
    try:
        with live_server(make_app(engine)) as base:
            (project / "feedback.toml").write_text(
                f'base_url = "{base}"\n[email]\nsmtp_host = "127.0.0.1"\nsmtp_port = {smtp.port}\n'
                'smtp_security = "none"\nmail_from = "Seminar team <team@example.org>"\n',
                encoding="utf-8",
            )
            result = run(project, "invite", "--event", "hague-2011")
            assert result.exit_code == 0, result.output
            assert sorted(r[0] for r, _ in inbox.messages) == [
                "anna@example.nl",
                "brian@example.org",
            ]  # Dora did not attend

            # Anna's email: Dutch, text and HTML, both with the same personal link.
            text, html = _parts(inbox.to("anna@example.nl"))
            links = re.findall(re.escape(base) + r"/s/[A-Za-z0-9_-]{43}", text)
            assert len(set(links)) == 1
            link = links[0]
            assert link in html
            assert inbox.to("anna@example.nl")["Content-Language"] == "nl"
            token = link.rsplit("/", 1)[1]
            stored = query(project / "feedback.db", "SELECT token_hash FROM invitation_tokens")
            assert (hash_token(token),) in stored
            assert all(token not in row[0] for row in stored)

            context = chromium.new_context(viewport={"width": 390, "height": 844})
            outside: list[str] = []

            def route(request_route: Any) -> None:
                if request_route.request.url.startswith(base + "/"):
                    request_route.continue_()
                else:
                    outside.append(request_route.request.url)
                    request_route.abort()

            context.route("**/*", route)
            page = context.new_page()
            problems: list[str] = []
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(link)
            assert page.locator("html").get_attribute("lang") == "nl"  # her language
            with page.expect_navigation():
                page.click("button[value='lang:en']")
            assert page.locator("html").get_attribute("lang") == "en"

            for fields in SHIPPED_PAGES:
                for name, value in fields:
                    field = page.locator(f"[name='{name}'][value='{value}']")
                    if field.count():
                        field.check()
                    else:
                        page.fill(f"[name='{name}']", value)
                with page.expect_navigation():
                    page.click("button.primary")
            assert page.locator("h1").inner_text() == "Thank you"

            rows = query(
                project / "feedback.db",
                "SELECT channel, language, survey, event, answers FROM responses",
            )
            assert len(rows) == 1
            channel, language, survey, event, answers = rows[0]
            assert (channel, language, survey, event) == ("web", "en", "post-seminar", "hague-2011")
            assert json.loads(answers) == SHIPPED_ANSWERS
            completed = query(
                project / "feedback.db",
                "SELECT completed, response FROM invitations i JOIN people p ON p.id = i.person"
                " WHERE p.email = 'anna@example.nl'",
            )
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", completed[0][0])  # the date only
            assert completed[0][1] is None  # anonymous: no link to the response

            page.goto(link)  # the same link, later: in her invitation's language again
            assert page.locator("h1").inner_text() == "Al ingevuld"
            assert "al ingevuld" in page.locator("main").inner_text()
            assert not page.locator("form.survey").count()
            assert outside == [] and problems == []
            context.close()
    finally:
        smtp.stop()
