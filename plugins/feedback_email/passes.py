"""Check-in passes by email: each person on an event's roster gets the QR code of a new pass.

A pass (`feedback.checkin`) is a random code whose check-in link, ``{base_url}/c/{code}``, a
scanner at the entrance reads from the QR code and staff can open. The message carries it twice:
as an inline PNG (``multipart/related``, referenced from the HTML part by its ``Content-ID``) and
as the link in the plain-text part, for a mail program that shows no images.

The run goes as `feedback invite` does (`feedback_email.delivery`): every check first (the event,
the people named, ``base_url``, ``mail_from``, the SMTP server or the outbox folder, the
templates), nothing written before they pass; then one message after the other on one SMTP
connection, with its retries. A pass is issued just before its message is built and withdrawn if
the message is not handed to the server (or written to the outbox), so a pass is kept only for a
code its holder was sent. Unlike an invitation, a pass is not remembered as sent: a run sends a
new pass to every person it is given, and the passes sent before stay good (a lost email, a
forwarded one). The codes are never printed or logged; only their hashes are stored.

Templates: ``pass.subject.j2``, ``pass.txt.j2`` and ``pass.html.j2``, which a project overrides
in ``templates/email/`` as it does the invitation's (``pass.nl.html.j2`` ...). Their context is
the invitation's (`feedback_email.compose`) without the survey and the expiry, and with:

``link``       the check-in link of the pass, ``{base_url}/c/{code}``
``qr``         the ``cid:`` address of the QR code image, for ``<img src>``
``qr_size``    the image's width (and height) in pixels
"""

from __future__ import annotations

import email.utils
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedback.checkin import Pass, checkin_link, issue_passes, withdraw_pass
from feedback.config import Settings
from feedback.errors import InvalidInput
from feedback.text import MAX_CITY, MAX_NAME, MAX_TITLE, plain
from feedback_email.compose import (
    Composer,
    ascii_address,
    header_text,
    verify,
)
from feedback_email.delivery import Progress, known_event, sending_lock
from feedback_email.transport import (
    OutboxTransport,
    SendFailed,
    ServerLost,
    SmtpTransport,
    Transport,
)
from feedback_email.words import WORDS, format_date, has_words, words_for

if TYPE_CHECKING:
    from feedback.engine import Engine

#: The kind of the pass messages: their templates are ``pass.{subject,txt,html}.j2``.
KIND = "pass"
#: The QR code: error correction M (a code on a cracked phone screen still reads), 6 pixels a
#: module and the 4-module quiet zone a scanner needs: about 270 px for a check-in link.
QR_ERROR = "m"
QR_SCALE = 6
QR_BORDER = 4


def qr_png(link: str) -> tuple[bytes, int]:
    """The QR code of ``link`` as a PNG, and its width in pixels (it is square)."""
    import segno

    code = segno.make_qr(link, error=QR_ERROR)
    out = io.BytesIO()
    code.save(out, kind="png", scale=QR_SCALE, border=QR_BORDER)
    width, _ = code.symbol_size(scale=QR_SCALE, border=QR_BORDER)
    return out.getvalue(), int(width)


class PassComposer(Composer):
    """Renders the pass messages of one event, with the invitations' templates loader, words,
    sender, header checks and read-back (`feedback_email.compose.Composer`).

    A pass belongs to no survey: the composer is made without one, and is used only through
    the methods below (`pass_message`, `check_passes`), never `Composer.message`.
    """

    def __init__(self, settings: Settings, event: dict[str, Any]):
        super().__init__(settings, None, event)

    def link(self, token: str) -> str:
        """The check-in link of a pass."""
        return checkin_link(self.base_url, token)

    def language_of(self, pass_language: str | None, fallback: str) -> str:
        """The language to write to a person in: theirs from the roster, else ``fallback``."""
        return (pass_language or "").strip() or fallback

    def own_languages(self) -> set[str]:
        """The languages the project has pass templates of its own for."""
        if self.own is None:
            return set()
        return {
            path.name.split(".")[1]
            for path in self.own.glob(f"{KIND}.*.*.j2")
            if len(path.name.split(".")) == 4
        }

    def check_language(self, language: str) -> str:
        """``language`` (from ``--language``) when the messages can be written in it.

        :raises InvalidInput: neither the plugin's words nor the project's templates have it.
        """
        language = language.strip()
        if has_words(language) or language in self.own_languages():
            return language
        known = sorted(set(WORDS) | self.own_languages())
        raise InvalidInput(
            f"--language: expected one of {', '.join(known)} (or pass templates of your own for "
            f"it in templates/email/), found {language!r}"
        )

    def context(self, pass_: Pass, language: str, qr: str, qr_size: int) -> dict[str, Any]:
        """What the templates of a pass message see (see the module's docstring)."""
        written = self.written_in(KIND, language)
        event = self.event
        return {
            "kind": KIND,
            "language": written,
            "form_language": language,
            "words": words_for(written),
            "event": {
                "id": plain(str(event["id"]), MAX_TITLE),
                "title": plain(str(event.get("title") or event["id"]), MAX_TITLE),
                "date": plain(format_date(event.get("date"), written), MAX_TITLE),
                "city": plain(str(event.get("city") or ""), MAX_CITY),
            },
            "sender": self.sender.display_name,
            "name": plain(pass_.name, MAX_NAME),
            "email": plain(pass_.email or ""),
            "organisation": plain(pass_.organisation or "", MAX_NAME),
            "link": self.link(pass_.token),
            "qr": qr,
            "qr_size": qr_size,
        }

    def render_pass(
        self, pass_: Pass, language: str, qr: str, qr_size: int
    ) -> tuple[str, str, str]:
        """Subject, text and HTML of a pass message (autoescaped HTML: names are data).

        :raises TemplateProblem: a template has an error (named with its file and line).
        """
        return self.render_parts(KIND, language, self.context(pass_, language, qr, qr_size))

    def pass_message(self, pass_: Pass, language: str) -> EmailMessage:
        """The whole message: ``multipart/alternative`` of the text and a ``multipart/related``
        of the HTML and the QR code (``image/png``, inline, named by its ``Content-ID``).

        :raises TemplateProblem: a template has an error.
        :raises ValueError: the address cannot be written into a header, or the message read
            back is not the one built (see `feedback_email.compose.verify`).
        """
        cid = email.utils.make_msgid("pass", domain=self.sender.domain or "localhost")
        png, size = qr_png(self.link(pass_.token))
        subject, text, html = self.render_pass(pass_, language, "cid:" + cid[1:-1], size)
        to = ascii_address(pass_.email or "")
        message = EmailMessage(policy=SMTP)
        message["From"] = self.sender
        message["To"] = Address(display_name=header_text(pass_.name, MAX_NAME), addr_spec=to)
        message["Subject"] = subject
        message["Date"] = email.utils.format_datetime(email.utils.localtime())
        message["Message-ID"] = email.utils.make_msgid(domain=self.sender.domain or "localhost")
        message["Auto-Submitted"] = "auto-generated"
        related = EmailMessage(policy=SMTP)  # the HTML and the image it shows
        related.set_content(html, subtype="html")
        related.add_related(
            png,
            maintype="image",
            subtype="png",
            cid=cid,
            disposition="inline",
            filename="checkin-pass.png",
        )
        for part in related.walk():  # the version belongs to the message, not to its parts
            del part["MIME-Version"]
        message.set_content(text)
        message.make_alternative()
        message.attach(related)
        message["Content-Language"] = header_text(self.written_in(KIND, language))
        verify(message, {"From": self.sender.addr_spec, "To": to})
        return message

    def check_passes(self, fallback: str) -> None:
        """Render a sample message in every language one can be written in, so that a broken
        template stops a run before any pass is issued.

        :raises TemplateProblem: a template has an error.
        """
        sample = Pass("sample", 0, "A. Sample", None, "sample@example.org", "x" * 43)
        for language in sorted({"en", fallback, *WORDS, *self.own_languages()}):
            self.render_pass(sample, language, "cid:sample@example.org", 270)


@dataclass(frozen=True)
class PassFailure:
    """A pass whose message did not go out (and was withdrawn), and why."""

    person: int
    name: str
    email: str
    reason: str


@dataclass
class PassSummary:
    """What a run of `send_passes` did."""

    event: str
    via: str
    #: the people whose pass the server (or the outbox) took, by id
    sent: list[int] = field(default_factory=list)
    failed: list[PassFailure] = field(default_factory=list)
    #: the people given who have no email address: (id, name)
    without_email: list[tuple[int, str]] = field(default_factory=list)
    #: the people left unsent because the run stopped (the server went away), by id
    not_sent: list[int] = field(default_factory=list)
    #: why the run stopped early, if it did
    stopped: str | None = None
    #: the .eml files an outbox run wrote
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and self.stopped is None


def send_passes(
    engine: Engine,
    event_id: str,
    people: Sequence[int] | None = None,
    outbox: Path | None = None,
    language: str | None = None,
    progress: Progress | None = None,
    transport: Transport | None = None,
) -> PassSummary:
    """Email a new check-in pass to each of ``people`` (default: everyone on the event's
    roster) who has an email address, in their language from the roster, else in ``language``
    (default English).

    :raises InvalidInput: an unknown event, someone not on its roster, no ``base_url``, no or a
        bad ``mail_from``, no ``smtp_host`` (without an outbox), an outbox that is a file, an
        unknown ``language``, a broken template; nothing is issued or sent.
    :raises MailServerError: the server cannot be reached or refuses the login; nothing is
        issued.
    """
    event = known_event(engine, event_id)
    roster = {int(row["id"]): row for row in engine.store.roster(event_id)}
    if people is None:
        chosen = list(roster.values())
    else:
        strangers = [p for p in people if p not in roster]
        if strangers:
            raise InvalidInput(
                f"--person: person {strangers[0]} is not on the roster of '{event_id}' "
                "(see `feedback roster import`); nothing was sent"
            )
        chosen = [roster[p] for p in dict.fromkeys(people)]
    composer = PassComposer(engine.settings, event)
    fallback = composer.check_language(language) if language else "en"
    if transport is None:
        settings = engine.settings
        transport = OutboxTransport(outbox) if outbox is not None else SmtpTransport(settings)
    composer.check_passes(fallback)
    summary = PassSummary(event_id, transport.via)
    summary.without_email = [(int(r["id"]), str(r["name"])) for r in chosen if not r["email"]]
    recipients = [int(r["id"]) for r in chosen if r["email"]]
    with sending_lock(engine):
        _send_all(engine, composer, transport, summary, recipients, fallback, progress)
    summary.files = list(getattr(transport, "written", []))
    return summary


def _send_all(
    engine: Engine,
    composer: PassComposer,
    transport: Transport,
    summary: PassSummary,
    recipients: list[int],
    fallback: str,
    progress: Progress | None,
) -> None:
    if not recipients:
        return
    transport.open()  # before any pass is issued: unreachable means untouched
    try:
        if progress:
            progress(0, len(recipients))
        for done, person in enumerate(recipients):
            try:
                error = _send_one(engine, composer, transport, person, fallback, summary)
            except ServerLost as exc:
                summary.stopped = str(exc)
                summary.not_sent = recipients[done:]
                break
            if error is None:
                summary.sent.append(person)
            if progress:
                progress(done + 1, len(recipients))
    finally:
        transport.close()


def _send_one(
    engine: Engine,
    composer: PassComposer,
    transport: Transport,
    person: int,
    fallback: str,
    summary: PassSummary,
) -> str | None:
    """Issue a pass to ``person`` and send it; ``None`` when it went out, else the reason it
    did not (recorded in ``summary.failed``). The pass is withdrawn unless its message went out,
    however the sending ended.

    :raises ServerLost: the server went away for good.
    """
    pass_ = issue_passes(engine, summary.event, [person])[0]
    delivered = False
    try:
        error: str | None = None
        try:
            message = composer.pass_message(pass_, composer.language_of(pass_.language, fallback))
            recipient = message["To"].addresses[0].addr_spec
            transport.send(message, composer.sender.addr_spec, recipient, _stem(pass_))
        except ValueError as exc:
            error = str(exc)
        except SendFailed as exc:
            error = exc.reason
        delivered = error is None
    finally:
        if not delivered:
            withdraw_pass(engine, pass_.token)
    if error is not None:
        summary.failed.append(PassFailure(person, pass_.name, pass_.email or "", error))
    return error


def _stem(pass_: Pass) -> str:
    """The outbox file name of a pass message (never the code)."""
    return f"pass-{pass_.person:05d}-{pass_.email}"
