"""Building the messages: Jinja2 templates, the words of the language, RFC 5322 headers.

Each message has three templates: ``{kind}.subject.j2``, ``{kind}.txt.j2`` and ``{kind}.html.j2``,
for the kinds ``invitation`` and ``reminder``. An organiser overrides any of them with a file in the
project's ``templates/email/`` folder, either for one language (``invitation.nl.txt.j2``) or for all
(``invitation.txt.j2``); the project's files win over the shipped ones. HTML templates are
autoescaped, text and subject templates are not; an unknown variable is an error, not a blank.

Every message has a plain-text part. When the project's HTML template is more particular than the
text template that would go with it (a project ``invitation.html.j2`` and only the shipped text, or
``invitation.fr.html.j2`` and no ``invitation.fr.txt.j2``), the text part is written from the HTML
(`feedback_email.plaintext`), so that both parts say the same thing in the same language.

The shipped HTML is fluid: as wide as the screen up to 600 px, with no fixed width, its styles
inline, and the personal link a button at least 44 px high (``templates/_layout.html.j2``).

A message is written in the invitation's language when the plugin has words for it (English,
Dutch) or the project has templates of its own for that language and kind; otherwise in English
(the survey title and the form stay in the invitation's language). ``Content-Language`` and the
HTML ``lang`` attribute say which.

The context of every template:

``name``, ``email``        the person
``event``                  ``id``, ``title``, ``date`` (written out in the language), ``city``
``survey_title``           the survey's title in the language of the form
``link``                   the personal link, ``{base_url}/s/{token}``
``expires``                the last day the link works, written out
``anonymous``              whether the survey is anonymous
``language``               the language the message is written in (``en``, ``nl`` ...)
``form_language``          the language of the invitation, in which the form opens
``words``                  the plugin's own words in ``language`` (see `feedback_email.words`)
``sender``                 the display name of ``mail_from`` (may be empty)
``kind``                   ``invitation`` or ``reminder``
``subject``                the rendered subject (in the text and HTML templates)

Names, titles and places are data, never header syntax. They are checked where they come in
(`feedback.text`), and a message is built so that data stored before those checks cannot add a
line either: every value from the database is made plain (control characters as spaces, at most
`MAX_NAME` or `MAX_TITLE` characters), every header value loses the ``=?`` that would open an
RFC 2047 encoded word (`header_text`), and the finished message is read back (`verify`): a header
block other than the one built (another header, another address, a line break in a value, a line
too long) is refused, and the message is not sent.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)

from feedback.clock import today
from feedback.config import Settings
from feedback.errors import InvalidInput
from feedback.invitations import personal_link
from feedback.survey import Survey
from feedback.text import MAX_CITY, MAX_NAME, MAX_TITLE, plain, text_problem
from feedback_email.plaintext import html_to_text
from feedback_email.settings import EmailSettings
from feedback_email.words import format_date, has_words, words_for

SHIPPED_TEMPLATES = Path(__file__).resolve().parent / "templates"
KINDS = ("invitation", "reminder")
PARTS = ("subject", "txt", "html")


class TemplateProblem(InvalidInput):
    """An email template cannot be read or rendered; the message names the file and the line."""


def project_templates(settings: Settings) -> Path:
    """The folder where a project keeps its own email templates: ``templates/email``."""
    return settings.project_dir / "templates" / "email"


def parse_mail_from(value: str | None) -> Address:
    """``mail_from`` (``Seminar team <team@example.org>`` or a bare address) as an `Address`.

    :raises InvalidInput: not set, or not an address.
    """
    if not value or not value.strip():
        raise InvalidInput(
            "no sender address: set mail_from in [email] of feedback.toml or "
            'FEEDBACK_EMAIL__MAIL_FROM (e.g. mail_from = "Seminar team <team@example.org>")'
        )
    problem = text_problem(value.strip(), 998)
    if problem is not None:
        raise InvalidInput(f"mail_from: {problem}")
    name, addr = email.utils.parseaddr(value.strip())
    if "@" not in addr or addr.startswith("@") or addr.endswith("@"):
        raise InvalidInput(
            f'mail_from: expected an address such as "Seminar team <team@example.org>", '
            f"found {value!r}"
        )
    try:
        return Address(display_name=name, addr_spec=addr)
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise InvalidInput(f"mail_from: not a valid address: {value!r} ({exc})") from exc


def clean_base_url(value: str | None) -> str:
    """``base_url`` without a trailing slash.

    :raises InvalidInput: not set, or not an http(s) address.
    """
    if not value or not value.strip():
        raise InvalidInput(
            "no base URL for the personal links: set base_url in feedback.toml or "
            "FEEDBACK_BASE_URL (e.g. https://feedback.example.org)"
        )
    url = value.strip().rstrip("/")
    if not url.startswith(("http://", "https://")) or len(url) <= len("https://"):
        raise InvalidInput(f"base_url: expected an http:// or https:// address, found {value!r}")
    return url


def ascii_address(value: str) -> str:
    """An email address as it can go into a header and an SMTP envelope without SMTPUTF8: an
    international domain in its ASCII (IDNA) form.

    :raises ValueError: not one address, or non-ASCII characters before the ``@`` (which only a
        server with SMTPUTF8 takes).
    """
    local, at, domain = value.strip().rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not a valid email address: {value!r}")
    if not local.isascii():
        raise ValueError(
            f"cannot send to {value!r}: non-ASCII characters before the @ need SMTPUTF8"
        )
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(f"not a valid email domain: {value!r}") from exc
    address = f"{local}@{domain}"
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise ValueError(f"not a valid email address: {value!r}") from exc
    if parsed.addr_spec != address:
        raise ValueError(f"not a valid email address: {value!r}")
    return address


def header_text(value: str, max_length: int | None = None) -> str:
    """``value`` as the text of a header (a subject, a display name): plain (`feedback.text.plain`:
    no control character, no line break, at most ``max_length`` characters) and without ``=?``,
    so that no part of it is read as an RFC 2047 encoded word (``=?`` becomes ``= ?``)."""
    return plain(value, max_length).replace("=?", "= ?")


#: The longest line RFC 5322 allows, without its CRLF.
MAX_LINE = 998
_FIELD = re.compile(rb"([!-9;-~]+):")


class UnsafeMessage(ValueError):
    """A built message whose header block is not the one it was built with: a value added a
    line, a header or an address. It is not sent."""


def verify(message: EmailMessage, addresses: Mapping[str, str] | None = None) -> bytes:
    """The message as it goes out (CRLF line ends), after reading its header block back: the
    same header names in the same order as built, no line break inside a value (folded or
    decoded), no line over 998 characters, and for each of ``addresses`` (``{"To": addr}``)
    exactly that one address.

    :raises UnsafeMessage: any of these does not hold.
    :raises ValueError: the message cannot be written at all (a header the policy refuses).
    """
    built = [name.lower() for name in message]
    data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    head, blank, _ = data.partition(b"\r\n\r\n")
    if not blank:
        raise UnsafeMessage("refused to send: the message has no end of its headers")
    names = []
    for number, line in enumerate(head.split(b"\r\n"), start=1):
        if b"\r" in line or b"\n" in line:
            raise UnsafeMessage(f"refused to send: a bare line break in header line {number}")
        if len(line) > MAX_LINE:
            raise UnsafeMessage(
                f"refused to send: header line {number} is {len(line):,} characters long "
                f"(at most {MAX_LINE})"
            )
        if line[:1] in (b" ", b"\t") and number > 1:
            continue  # a folded line goes on with the header above
        field = _FIELD.match(line)
        if field is None:
            raise UnsafeMessage(f"refused to send: header line {number} is not a header")
        names.append(field.group(1).decode("ascii").lower())
    if names != built:
        extra = sorted(set(names) - set(built)) or names
        raise UnsafeMessage(
            f"refused to send: the headers read back are not those built (found {extra!r})"
        )
    parsed = BytesParser(policy=email.policy.default).parsebytes(head + blank, headersonly=True)
    for name, value in parsed.items():
        if "\r" in str(value) or "\n" in str(value):
            raise UnsafeMessage(f"refused to send: the {name} header reads back with a line break")
    for name, address in (addresses or {}).items():
        found = [a.addr_spec for a in getattr(parsed[name], "addresses", ())]
        if found != [address]:
            raise UnsafeMessage(
                f"refused to send: the {name} header reads back as {len(found)} address(es), "
                f"not the one built"
            )
    return data


def where(exc: BaseException) -> str:
    """``file:line`` of the template an error happened in, as well as it can be told."""
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}"
    if isinstance(exc, TemplateNotFound):
        return str(exc.name)
    found = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found or "email template"


@dataclass(frozen=True)
class Recipient:
    """Whom a message goes to and what it carries."""

    name: str
    email: str
    language: str
    token: str
    expires: dt.date


class Composer:
    """Renders the messages of one survey after one event; or, with no survey, the messages of
    an event alone (a check-in pass, `feedback_email.passes`), which use only `render`."""

    def __init__(self, settings: Settings, survey: Survey | None, event: dict[str, Any]):
        self.settings = settings
        self.survey = survey
        self.event = event
        self.base_url = clean_base_url(settings.base_url)
        self.sender = parse_mail_from(settings.plugin(EmailSettings).mail_from)
        loaders = []
        own = project_templates(settings)
        self.own = own if own.is_dir() else None
        if self.own is not None:
            loaders.append(FileSystemLoader(self.own))
        loaders.append(FileSystemLoader(SHIPPED_TEMPLATES))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(
                enabled_extensions=("html.j2",), default_for_string=False, default=False
            ),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self._templates: dict[tuple[str, str, str], Template] = {}
        self._contexts: dict[str, dict[str, Any]] = {}

    def link(self, token: str) -> str:
        """The personal link of a token."""
        return personal_link(self.base_url, token)

    def template(self, kind: str, language: str, part: str) -> Template:
        """The template a part of a message is rendered from: the project's for the language,
        the project's for all languages, then the shipped one."""
        key = (kind, language, part)
        if key not in self._templates:
            try:
                self._templates[key] = self.env.select_template(
                    [f"{kind}.{language}.{part}.j2", f"{kind}.{part}.j2"]
                )
            except TemplateError as exc:
                raise TemplateProblem(f"{where(exc)}: {exc.message or exc}") from exc
        return self._templates[key]

    def rank(self, kind: str, language: str, part: str) -> int:
        """How particular the template of a part is: 3 the project's for the language, 2 the
        project's for all languages, 1 the shipped one."""
        if self.own is not None:
            if (self.own / f"{kind}.{language}.{part}.j2").is_file():
                return 3
            if (self.own / f"{kind}.{part}.j2").is_file():
                return 2
        return 1

    def text_from_html(self, kind: str, language: str) -> bool:
        """Whether the text part is written from the HTML part: the project's HTML template is
        more particular than the text template (an organiser wrote only the HTML)."""
        return self.rank(kind, language, "txt") < self.rank(kind, language, "html")

    def written_in(self, kind: str, language: str) -> str:
        """The language a message of this kind to someone in ``language`` is written in: that
        language if there are words or project templates for it, else English."""
        if has_words(language):
            return language
        if self.own is not None and any(
            (self.own / f"{kind}.{language}.{part}.j2").is_file() for part in PARTS
        ):
            return language
        return "en"

    def _language_context(self, kind: str, language: str) -> dict[str, Any]:
        key = f"{kind}/{language}"
        if key not in self._contexts:
            event = self.event
            written = self.written_in(kind, language)
            self._contexts[key] = {
                "kind": kind,
                "language": written,
                "form_language": language,
                "words": words_for(written),
                "event": {
                    "id": plain(str(event["id"]), MAX_TITLE),
                    "title": plain(str(event.get("title") or event["id"]), MAX_TITLE),
                    "date": plain(format_date(event.get("date"), written), MAX_TITLE),
                    "city": plain(str(event.get("city") or ""), MAX_CITY),
                },
                "survey_title": (
                    self.survey.text(self.survey.title, language, self.survey.id)
                    if self.survey is not None
                    else ""
                ),
                "anonymous": bool(self.survey is not None and self.survey.anonymous),
                "sender": self.sender.display_name,
            }
        return self._contexts[key]

    def render(self, kind: str, recipient: Recipient) -> tuple[str, str, str]:
        """Subject, text and HTML of a message (in `written_in` its language); the text is
        written from the HTML when the project gives an HTML template only (`text_from_html`).

        :raises TemplateProblem: a template has an error (named with its file and line).
        """
        language = recipient.language
        context = {
            **self._language_context(kind, language),
            "name": plain(recipient.name, MAX_NAME),
            "email": plain(recipient.email),
            "link": self.link(recipient.token),
            "expires": format_date(recipient.expires, self.written_in(kind, language)),
        }
        return self.render_parts(kind, language, context)

    def render_parts(
        self, kind: str, language: str, context: dict[str, Any]
    ) -> tuple[str, str, str]:
        """Subject, text and HTML of a message of ``kind`` from its templates and ``context``;
        the text written from the HTML when the project gives an HTML template only.

        :raises TemplateProblem: a template has an error (named with its file and line).
        """
        try:
            subject = header_text(self.template(kind, language, "subject").render(context))
            context["subject"] = subject
            html = self.template(kind, language, "html").render(context)
            if self.text_from_html(kind, language):
                text = html_to_text(html)
            else:
                text = self.template(kind, language, "txt").render(context)
        except TemplateProblem:
            raise
        except TemplateError as exc:
            raise TemplateProblem(f"{where(exc)}: {exc.message or exc}") from exc
        return subject, text, html

    def message(self, kind: str, recipient: Recipient) -> EmailMessage:
        """The whole message: multipart/alternative, text then HTML, with its headers.

        :raises TemplateProblem: a template has an error.
        :raises ValueError: the recipient's address cannot be written into a header (see
            `ascii_address`), or the message read back is not the one built (`UnsafeMessage`,
            see `verify`).
        """
        subject, text, html = self.render(kind, recipient)
        to = ascii_address(recipient.email)
        message = EmailMessage(policy=SMTP)
        message["From"] = self.sender
        message["To"] = Address(display_name=header_text(recipient.name, MAX_NAME), addr_spec=to)
        message["Subject"] = subject
        message["Date"] = email.utils.format_datetime(email.utils.localtime())
        message["Message-ID"] = email.utils.make_msgid(domain=self.sender.domain or "localhost")
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        # after the parts exist: making the message multipart moves Content-* headers into them
        message["Content-Language"] = header_text(self.written_in(kind, recipient.language))
        verify(message, {"From": self.sender.addr_spec, "To": to})
        return message

    def check(self, kinds: tuple[str, ...] = KINDS) -> None:
        """Render a sample of every kind in every language of the survey, so that a broken
        template stops a run before anything is prepared or sent.

        :raises TemplateProblem: a template has an error.
        """
        sample_expires = today() + dt.timedelta(days=30)
        languages = self.survey.languages if self.survey is not None else []
        for kind in kinds:
            for language in languages:
                self.render(
                    kind,
                    Recipient(
                        "A. Sample", "sample@example.org", language, "x" * 43, sample_expires
                    ),
                )
