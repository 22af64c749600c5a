"""What keeps the web form safe: CSRF tokens, a limit on failed links (counted in the database),
security headers, a limit on request bodies counted as they arrive, the refusal of paths not
written the app's one way, and a log filter that keeps personal tokens out of the access log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import posixpath
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from feedback.store import Store

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
#: bytes of a request body the web form takes (its pages post a few kilobytes)
MAX_BODY = 1_000_000


class Csrf:
    """Synchroniser tokens: an HMAC of the draft a form belongs to, under a secret of the database.

    A page from another site cannot know it: it would need the participant's link or cookie, and
    the secret.
    """

    def __init__(self, secret: bytes):
        self._secret = secret

    def token(self, draft_key: str) -> str:
        digest = hmac.new(self._secret, b"csrf\0" + draft_key.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def valid(self, draft_key: str, token: str | None) -> bool:
        if not token:
            return False
        # bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500)
        posted = str(token).encode("utf-8", "replace")
        return hmac.compare_digest(self.token(draft_key).encode("ascii"), posted)


class FailedLinks:
    """Counts failed links (unknown tokens) per client address and overall, in the database, so
    that every web worker on it shares the count.

    Only failures count, and only a failure is ever refused: a link is looked up first, and a
    valid one goes through whatever its address or anyone else tried. Past ``limit`` failures of
    one address within ``window`` seconds, or ``overall`` failures of all addresses (guessing
    spread over many addresses), an unknown link is answered "too many" instead of being looked
    into further, and no more failures are written (the table stays bounded by ``overall``).

    An address is kept as a keyed hash (``secret`` is the database's), never as itself, and each
    row is deleted once it left the window. Moments come from ``clock`` (monotonic by default:
    one per machine, shared by its workers); a moment ahead of the clock (the machine restarted)
    counts as old.
    """

    def __init__(
        self,
        store: Store,
        secret: bytes,
        limit: int,
        window: float,
        overall: int,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.store = store
        self.limit = limit
        self.window = window
        self.overall = overall
        self.clock = clock
        self._secret = secret

    def _key(self, client: str) -> str:
        return hmac.new(self._secret, client.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def _free_after(self, moments: list[float], limit: int, now: float) -> float | None:
        """Seconds until fewer than ``limit`` of ``moments`` (newest first) are in the window."""
        if len(moments) < limit:
            return None
        return max(1.0, self.window - (now - moments[limit - 1]))

    def blocked(self, client: str) -> float | None:
        """Seconds until an unknown link from ``client`` is looked into again, or ``None`` when
        it may be now."""
        now = self.clock()
        since, conn = now - self.window, self.store.conn
        mine = [
            row[0]
            for row in conn.execute(
                "SELECT moment FROM web_failed_links WHERE address = ? AND moment > ? "
                "AND moment <= ? ORDER BY moment DESC LIMIT ?",
                [self._key(client), since, now, self.limit],
            )
        ]
        everyone = [
            row[0]
            for row in conn.execute(
                "SELECT moment FROM web_failed_links WHERE moment > ? AND moment <= ? "
                "ORDER BY moment DESC LIMIT ?",
                [since, now, self.overall],
            )
        ]
        waits = [
            wait
            for wait in (
                self._free_after(mine, self.limit, now),
                self._free_after(everyone, self.overall, now),
            )
            if wait is not None
        ]
        return max(waits) if waits else None

    def failed(self, client: str) -> None:
        """Count a failed link of ``client`` (and forget the failures that left the window)."""
        now = self.clock()
        with self.store.write():
            self.store.conn.execute(
                "DELETE FROM web_failed_links WHERE moment <= ? OR moment > ?",
                [now - self.window, now],
            )
            self.store.conn.execute(
                "INSERT INTO web_failed_links (address, moment) VALUES (?, ?)",
                [self._key(client), now],
            )


class SecurityHeaders:
    """ASGI middleware: the security headers on every response, and no caching of pages."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(HEADERS)
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _plain(send: Send, status: int, text: str) -> None:
    """A short plain-text answer that closes the connection (nothing more is read from it)."""
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """ASGI middleware: the request body is read here, counted as it arrives, before the app sees
    any of it; past ``max_body`` bytes the request is answered 413 and its connection closed.

    On every route and method, and whether the client sends ``Content-Length`` (refused at once
    when it says more than the limit) or chunks (counted chunk by chunk: reading stops at the
    limit, so at most ``max_body`` bytes of a request are ever held). The app then gets the body
    whole, in one message, and parses nothing the limit has not let through.
    """

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: nobody to answer
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._refuse(send)
                return
            if chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        chunks.clear()
        handed = False

        async def replay() -> Message:
            nonlocal handed, body
            if handed:
                return await receive()  # waits for the client to leave, as a server's would
            handed = True
            message: Message = {"type": "http.request", "body": body, "more_body": False}
            body = b""
            return message

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        await _plain(send, 413, f"Request too large: the limit is {self.max_body:,} bytes.\n")


#: another spelling of a path: a percent-encoded unreserved character (RFC 3986: letters, digits,
#: ``-._~``, equal to the character itself), an encoded ``/`` or ``%``, an empty or dot segment,
#: a backslash, a character outside printable ASCII. Other encodings (``%20``, ``%C3%BC``) are
#: no other spelling of a path: they reach the app, which says it knows no such page.
_NOT_CANONICAL = re.compile(
    rb"%(?:[46][1-9A-F]|[57][0-9A]|3[0-9]|2[5DEF]|5F|7E)|//|\\|/\.{1,2}(?:/|$)|[^\x21-\x7e]",
    re.IGNORECASE,
)


def canonical(raw_path: bytes) -> bool:
    """Whether ``raw_path`` is written the one way the web form writes its links.

    ``/%73/<token>``, ``/s/%74...``, ``/s%2F<token>``, ``//s/<token>``, ``/e/../s/<token>`` all
    reach or name the same page by another spelling: a server decodes them, a log and a proxy's
    rules see them raw.
    """
    return raw_path.startswith(b"/") and _NOT_CANONICAL.search(raw_path) is None


class CanonicalPath:
    """ASGI middleware: a path that is not canonical (see `canonical`) is answered 404 before
    routing, so every page has one spelling (the one the access log and the token filter see)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path")
            if not isinstance(raw, bytes):
                raw = scope["path"].encode("utf-8")
            if not canonical(raw):
                await _plain(send, 404, "Not found.\n")
                return
        await self.app(scope, receive, send)


# a personal link (/s/<token>) or a pass's check-in link (/c/<code>), either case, with any run
# of slashes
_TOKEN_IN_PATH = re.compile(r"/([sScC])/+[^/?#\s\"']+")
# ... and where its token is, also through "." segments (a text not yet normalised)
_TOKEN_SEGMENT = re.compile(r"/[sScC]/+(?:\./+)*([^/?#\s\"']+)")
_PATH_LIKE = re.compile(r"/[^\s\"'?#]*")


def _redacted(match: re.Match[str]) -> str:
    """``/s/[token]`` or ``/c/[token]``: which kind of link it was, not its token."""
    return f"/{match.group(1).lower()}/[token]"


# a percent-encoded printable ASCII character (tokens are made of them); the encoded spaces,
# line breaks and other controls stay encoded, so decoding never splits or forges a log line
_ENCODED_PRINTABLE = re.compile(r"%(2[1-9A-Fa-f]|[3-6][0-9A-Fa-f]|7[0-9A-Ea-e])")


def _unquoted(text: str) -> str:
    """``text`` with its printable characters percent-decoded until it no longer changes."""
    for _ in range(4):
        plain = _ENCODED_PRINTABLE.sub(lambda m: chr(int(m.group(1), 16)), text)
        if plain == text:
            break
        text = plain
    return text


def _normalised(text: str) -> str:
    """Each path in ``text`` with its empty and dot segments resolved, as a server reads it."""
    return _PATH_LIKE.sub(lambda m: posixpath.normpath(m.group(0)), text)


def redact(text: str) -> str:
    """The text with any personal token in a ``/s/<token>`` or ``/c/<code>`` path replaced.

    A token in a path written another way (``/%73/<token>``, ``/s/%74...``, ``/s/./<token>``,
    ``/e/../s/<token>``) is looked for in the text as a server reads it (decoded, normalised);
    if replacing the paths as written would leave it, the text is given as the server reads it,
    its tokens replaced.
    """
    redacted = _TOKEN_IN_PATH.sub(_redacted, text)
    unquoted = _unquoted(text)
    normal = _normalised(unquoted)
    if unquoted == text and normal == text:
        return redacted
    tokens = {m.group(1) for m in _TOKEN_SEGMENT.finditer(unquoted)}
    tokens |= {m.group(1) for m in _TOKEN_SEGMENT.finditer(normal)}
    tokens.discard("[token]")
    seen = redacted + " " + _unquoted(redacted)
    if not any(token in seen for token in tokens):
        return redacted
    out = _TOKEN_IN_PATH.sub(_redacted, normal)
    for token in tokens:  # a token that normalising moved out of its place
        if len(token) >= 8:
            out = out.replace(token, "[token]")
    return out


class RedactTokens(logging.Filter):
    """A log filter that replaces personal tokens in messages and their arguments, and leaves the
    client's address out of uvicorn's access log (the participants of an anonymous survey)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
            if record.name == "uvicorn.access" and len(args) == 5:
                args = ("-", *args[1:])  # (client address, method, path, version, status)
            record.args = args
        return True
