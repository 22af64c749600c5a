"""Getting messages out: over SMTP on one reused connection, or into a folder of ``.eml`` files.

SMTP: temporary failures (4xx replies, a dropped connection, a timeout, a refused connection) are
retried with exponential back-off (``smtp_backoff * 2**attempt`` seconds, ``smtp_retries`` times),
reconnecting when the connection is gone; a permanent failure (5xx, a refused recipient) is not
retried. A server that cannot be reached at all, or that refuses the login, stops the run.
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from feedback.config import Settings
from feedback.errors import FeedbackError, InvalidInput
from feedback_email.compose import UnsafeMessage, verify
from feedback_email.settings import EmailSettings


class MailServerError(FeedbackError):
    """The mail server cannot be reached or will not take messages at all (exit code 1)."""


class SendFailed(Exception):
    """One message could not be sent; ``reason`` says why, ``permanent`` whether a retry is
    pointless (a 5xx reply) or the retries are spent (a 4xx reply, a dropped connection)."""

    def __init__(self, reason: str, permanent: bool):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class ServerLost(MailServerError):
    """The connection went away during a run and could not be made again."""


class Transport(Protocol):
    """Where messages go: `SmtpTransport` or `OutboxTransport`."""

    #: recorded as ``via`` of a sent invitation
    via: str

    def open(self) -> None: ...

    def send(self, message: EmailMessage, sender: str, recipient: str, stem: str) -> None: ...

    def close(self) -> None: ...


def flatten(message: EmailMessage) -> bytes:
    """The message as bytes (CRLF line ends), its header block read back first (`verify`).

    :raises SendFailed: it cannot be written (a header the policy refuses), or its header block
        is not the one built (a value would add a line or a header).
    """
    try:
        return verify(message)
    except UnsafeMessage as exc:
        raise SendFailed(str(exc), permanent=True) from exc
    except (ValueError, UnicodeError) as exc:
        raise SendFailed(f"cannot write the message: {exc}", permanent=True) from exc


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def reply(code: int, message: bytes | str) -> str:
    """A server reply as one readable line: ``550 5.1.1 no such user``."""
    return " ".join(f"{code} {_text(message)}".split())


def _classify(exc: Exception) -> tuple[str, bool, bool]:
    """(reason, permanent, connection gone) of an exception raised while sending one message."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(exc.recipients.values()))
        return f"recipient refused: {reply(code, message)}", code >= 500, code == 421
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (
            f"sender refused: {reply(exc.smtp_code, exc.smtp_error)}",
            exc.smtp_code >= 500,
            (exc.smtp_code == 421),
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"connection lost: {exc}" if str(exc) else "connection lost", False, True
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"not supported by the server: {exc}", True, False
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        return reply(code, exc.smtp_error), code >= 500, code == 421
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out", False, True
    if isinstance(exc, OSError):
        return f"connection failed: {exc}", False, True
    return f"{type(exc).__name__}: {exc}", False, True


class SmtpTransport:
    """Sends over one SMTP connection, kept open for the whole run and made again if it drops."""

    via = "smtp"

    def __init__(self, settings: Settings, sleep: Callable[[float], None] = time.sleep):
        email = settings.plugin(EmailSettings)
        if not email.smtp_host:
            raise InvalidInput(
                "no SMTP server: set smtp_host in [email] of feedback.toml or "
                "FEEDBACK_EMAIL__SMTP_HOST, "
                "or write the messages to a folder with --outbox DIR"
            )
        self.host = email.smtp_host
        self.port = email.smtp_port_or_default
        self.security = email.smtp_security
        self.user = email.smtp_user
        self.password = email.smtp_password.get_secret_value() if email.smtp_password else None
        self.timeout = email.smtp_timeout
        self.retries = email.smtp_retries
        self.backoff = email.smtp_backoff
        self.sleep = sleep
        self.conn: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def _wait(self, attempt: int) -> None:
        delay = self.backoff * 2**attempt
        if delay > 0:
            self.sleep(delay)

    def _connect(self) -> smtplib.SMTP:
        """One connection, logged in; raises `MailServerError` for what a retry cannot mend."""
        conn: smtplib.SMTP
        if self.security == "ssl":
            conn = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            conn.ehlo_or_helo_if_needed()
            if self.security == "starttls":
                if not conn.has_extn("starttls"):
                    raise MailServerError(
                        f"the SMTP server {self.where} does not offer STARTTLS (set "
                        "smtp_security to 'ssl' and its port, or to 'none' for a server on this "
                        "machine)"
                    )
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if self.user:
                try:
                    conn.login(self.user, self.password or "")
                except smtplib.SMTPAuthenticationError as exc:
                    raise MailServerError(
                        f"the SMTP server {self.where} refused the login of '{self.user}': "
                        f"{reply(exc.smtp_code, exc.smtp_error)} (check smtp_user and "
                        "FEEDBACK_EMAIL__SMTP_PASSWORD)"
                    ) from exc
                except smtplib.SMTPNotSupportedError as exc:
                    raise MailServerError(
                        f"the SMTP server {self.where} does not offer a login (AUTH): leave "
                        "smtp_user unset, or use starttls or ssl"
                    ) from exc
        except BaseException:
            _quietly_close(conn)
            raise
        return conn

    def _connect_with_retries(self) -> smtplib.SMTP:
        last = ""
        for attempt in range(self.retries + 1):
            try:
                return self._connect()
            except MailServerError:
                raise
            except ssl.SSLError as exc:
                raise MailServerError(
                    f"TLS with the SMTP server {self.where} failed: {exc}"
                ) from exc
            except smtplib.SMTPConnectError as exc:  # a greeting other than 220
                last = reply(exc.smtp_code, exc.smtp_error)
                if exc.smtp_code >= 500:
                    break
            except (OSError, smtplib.SMTPException) as exc:
                last = _classify(exc)[0]
            if attempt < self.retries:
                self._wait(attempt)
        raise MailServerError(
            f"cannot reach the SMTP server {self.where}: {last} "
            f"({'tried once' if self.retries == 0 else f'tried {self.retries + 1} times'}); "
            "check smtp_host and smtp_port, "
            "or write the messages to a folder with --outbox DIR"
        )

    def open(self) -> None:
        """Connect (and log in) before a run.

        :raises MailServerError: the server cannot be reached, or refuses the login.
        """
        if self.conn is None:
            try:
                self.conn = self._connect_with_retries()
            except MailServerError as exc:
                raise MailServerError(f"{exc}\nnothing was sent or recorded") from exc

    def send(self, message: EmailMessage, sender: str, recipient: str, stem: str = "") -> None:
        """Send one message, retrying what is temporary.

        :raises SendFailed: refused for good, or still failing after the retries.
        :raises ServerLost: the connection dropped and cannot be made again.
        """
        data = flatten(message)
        last = ""
        for attempt in range(self.retries + 1):
            try:
                if self.conn is None:
                    try:
                        self.conn = self._connect_with_retries()
                    except MailServerError as exc:
                        raise ServerLost(
                            f"lost the connection to the SMTP server {self.where} and could not "
                            f"connect again: {exc}"
                        ) from exc
                self.conn.sendmail(sender, [recipient], data)
                return
            except UnicodeError as exc:  # an address smtplib cannot write: the session is unsure
                self._drop()
                raise SendFailed(f"cannot send to {recipient!r}: {exc}", permanent=True) from exc
            except (smtplib.SMTPException, OSError) as exc:
                last, permanent, gone = _classify(exc)
                if gone or self.conn is None or getattr(self.conn, "sock", None) is None:
                    self._drop()
                if permanent:
                    raise SendFailed(last, permanent=True) from exc
            if attempt < self.retries:
                self._wait(attempt)
        raise SendFailed(f"{last} (after {self.retries + 1} attempts)", permanent=False)

    def _drop(self) -> None:
        if self.conn is not None:
            _quietly_close(self.conn)
            self.conn = None

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.conn.quit()
            self._drop()


def _quietly_close(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        conn.close()


_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]+")


class OutboxTransport:
    """Writes each message as an ``.eml`` file (RFC 5322, CRLF line ends) into a folder, named
    after the invitation and the address, never over an existing file."""

    via = "outbox"

    def __init__(self, folder: Path):
        try:
            if folder.exists() and not folder.is_dir():
                raise InvalidInput(f"--outbox: {folder} is a file; expected a folder")
            if not folder.exists() and not folder.parent.is_dir():
                raise InvalidInput(
                    f"--outbox: cannot make {folder}: {folder.parent} is not an existing folder"
                )
            if len(folder.name.encode()) > 255:
                raise InvalidInput(f"--outbox: cannot make {folder}: the name is too long")
        except OSError as exc:
            raise InvalidInput(f"--outbox: cannot use {folder}: {exc.strerror or exc}") from exc
        self.folder = folder
        self.written: list[Path] = []

    def open(self) -> None:
        try:
            self.folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise MailServerError(f"--outbox: cannot make the folder {self.folder}: {exc}") from exc

    def send(self, message: EmailMessage, sender: str, recipient: str, stem: str = "") -> None:
        """Write one message; a file of the same name is never replaced (a number is added).

        :raises SendFailed: the file cannot be written.
        """
        base = _UNSAFE.sub("_", stem or recipient).strip("._") or "message"
        data = flatten(message)
        number = 1
        while True:
            path = self.folder / (f"{base}.eml" if number == 1 else f"{base}-{number}.eml")
            try:
                out = path.open("xb")  # exclusive: fails rather than replace a file
            except FileExistsError:
                number += 1
                continue
            except OSError as exc:
                raise SendFailed(f"cannot write {path}: {exc}", permanent=True) from exc
            try:
                with out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
            except OSError as exc:
                path.unlink(missing_ok=True)
                raise SendFailed(f"cannot write {path}: {exc}", permanent=True) from exc
            self.written.append(path)
            return

    def close(self) -> None:
        return None
