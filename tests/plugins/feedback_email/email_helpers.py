"""A real SMTP server on loopback (aiosmtpd) that collects what it is sent and can refuse, delay or
drop on purpose; and the seminar project the email tests send for.

Importable as ``from email_helpers import ...`` (this folder is on ``sys.path`` in the tests).
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from helpers import run

EVENT = "hague-2011"
ROSTER = (
    "name,email,role,country,organisation,attended,language\n"
    "Anna de Vries,anna@example.nl,mp,NL,Tweede Kamer,yes,nl\n"
    "Brian O'Neill,brian@example.org,ngo,GB,La Strada,yes,en\n"
    "Chloé Dupont,chloe@example.fr,ngo,FR,,yes,fr\n"
    "Dora Absent,dora@example.org,mp,PL,,no,en\n"
)
BASE_URL = "https://feedback.example.org"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (just now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class Collector:
    """An aiosmtpd handler: keeps what it accepts; ``refuse`` answers RCPT for an address with a
    reply; ``temporary`` answers DATA for an address with 451 that many times; ``drop`` closes the
    connection at DATA for an address that many times."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    temporary: Counter[str] = field(default_factory=Counter)
    drop: Counter[str] = field(default_factory=Counter)
    attempts: Counter[str] = field(default_factory=Counter)
    connections: list[Any] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if not any(s is session for s in self.connections):
            self.connections.append(session)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        address = envelope.rcpt_tos[0]
        self.attempts[address] += 1
        if self.temporary[address] > 0:
            self.temporary[address] -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        if self.drop[address] > 0:
            self.drop[address] -= 1
            server.transport.close()
            return "250 OK"  # never reaches the client
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages accepted for ``address``, oldest first."""
        return [r.message for r in self.received if address in r.rcpt_tos]


class Server:
    """An aiosmtpd `Controller` on 127.0.0.1 with a free port and a `Collector`."""

    def __init__(self, **smtp_options: Any):
        self.handler = Collector()
        self.port = free_port()
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, **smtp_options
        )

    def __enter__(self) -> Server:
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stop listening (again: no harm)."""
        if self.controller._thread is not None:
            self.controller.stop()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def authenticator(user: str, password: str):  # type: ignore[no-untyped-def]
    """An aiosmtpd authenticator that takes exactly ``user`` / ``password``."""

    def check(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)  # aiosmtpd replies 535 on failure

    return check


def settings_toml(port: int | None, **extra: Any) -> str:
    """feedback.toml for sending to the test server: no security, no back-off."""
    values: dict[str, Any] = {
        "base_url": BASE_URL + "/",
        "mail_from": "Seminar team <team@example.org>",
        "smtp_security": "none",
        "smtp_timeout": 5,
        "smtp_retries": 2,
        "smtp_backoff": 0,
    }
    if port is not None:
        values.update(smtp_host="127.0.0.1", smtp_port=port)
    values.update(extra)
    sections: dict[str, dict[str, Any]] = {}
    lines = []
    for key, value in values.items():
        if key.startswith("smtp_") or key == "mail_from":  # the email plugin's: [email]
            key = f"email.{key}"
        if "." in key and value is not None:
            section, name = key.split(".", 1)
            sections.setdefault(section, {})[name] = value
        elif value is not None:
            lines.append(f"{key} = {_toml(value)}")
    for section, items in sections.items():
        lines.append(f"[{section}]")
        lines.extend(f"{name} = {_toml(value)}" for name, value in items.items())
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def build_project(project: Path, port: int | None, roster: str = ROSTER, **extra: Any) -> Path:
    """The event, its roster and the mail settings, made through the command line."""
    (project / "feedback.toml").write_text(settings_toml(port, **extra), encoding="utf-8")
    result = run(
        project,
        *("event", "add", EVENT, "--title", "Good practice exchange", "--date", "2011-01-26"),
        *("--city", "The Hague", "--country", "NL"),
    )
    assert result.exit_code == 0, result.output
    (project / "roster.csv").write_text(roster, encoding="utf-8")
    result = run(project, "roster", "import", str(project / "roster.csv"), "--event", EVENT)
    assert result.exit_code == 0, result.output
    return project


def parts(message: EmailMessage) -> tuple[str, str]:
    """The text and the HTML part of a multipart/alternative message."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


# -- reading what was sent ----------------------------------------------------------------------

LINK = re.compile(re.escape(BASE_URL) + r"/s/([A-Za-z0-9_-]{43})")


def tokens(text: str) -> list[str]:
    """The tokens of the personal links in a text."""
    return LINK.findall(text)


VOID = {"meta", "br", "hr", "link", "img", "input", "wbr", "col", "area", "base", "source"}


class _HtmlCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[str] = []
        self.lang: str | None = None
        self.title = ""
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("img", "script", "iframe", "object", "embed", "link", "style", "form"):
            self.problems.append(f"<{tag}> is not wanted in an email")
        if any(name == "src" for name, _ in attrs):
            self.problems.append(f"<{tag} src=...> loads a remote resource")
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "title":
            self._in_title = True
        if tag == "a":
            self._href, self._text = values.get("href"), ""
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
        else:
            self.stack.pop()
        if tag == "title":
            self._in_title = False
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._text.split())))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._href is not None:
            self._text += data


def check_html(html: str) -> _HtmlCheck:
    """Parse an HTML part: its problems (unbalanced tags, images, scripts, remote resources),
    its ``lang``, its title and its links with their text."""
    checker = _HtmlCheck()
    checker.feed(html)
    checker.close()
    if not html.lstrip().lower().startswith("<!doctype html>"):
        checker.problems.append("no <!DOCTYPE html>")
    if checker.stack:
        checker.problems.append(f"unclosed: {checker.stack}")
    return checker
