"""What keeps the web form safe: CSRF tokens, a rate limit on failed links, security headers, and
a log filter that keeps personal tokens out of the access log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

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


class RateLimiter:
    """Counts failed links per client; more than ``limit`` within ``window`` seconds: refused.

    Kept in memory only (nothing about a client is written anywhere), bounded in size.
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, client: str) -> deque[float]:
        now = self.clock()
        failures = self._failures.get(client)
        if failures is None:
            return deque()
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
        return failures

    def blocked(self, client: str) -> float | None:
        """Seconds until the client may try again, or ``None`` when it may now."""
        failures = self._recent(client)
        if len(failures) < self.limit:
            return None
        return max(1.0, self.window - (self.clock() - failures[0]))

    def failed(self, client: str) -> None:
        if len(self._failures) > 100_000:  # a flood of addresses: forget the oldest half
            for key in list(self._failures)[:50_000]:
                del self._failures[key]
        self._recent(client)
        self._failures.setdefault(client, deque()).append(self.clock())


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


_TOKEN_IN_PATH = re.compile(r"/s/[^/?#\s\"]+")


def redact(text: str) -> str:
    """The text with any personal token in a ``/s/<token>`` path replaced."""
    return _TOKEN_IN_PATH.sub("/s/[token]", text)


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
