"""The server of ``feedback serve``: uvicorn with limits on what one client may hold.

uvicorn bounds the idle time between two requests on a connection (``timeout_keep_alive``) and
the size of request headers (h11's ``max_incomplete_event_size``, 16 KiB), but not the time a
client takes to send them: its keep-alive timer is cancelled by the first byte that arrives, so a
client sending one header line every few seconds holds its connection, and a file descriptor,
for as long as it likes. `LimitedH11Protocol` adds what is missing:

- a header timeout: request headers not complete within ``header_timeout`` seconds of the
  connection (or of the end of the previous response) close the connection (with a 408 when
  part of a request came);
- a body timeout: a request body not complete within ``body_timeout`` seconds of its headers
  closes the connection;
- a cap on open connections: past ``max_connections``, the connection that has waited longest
  for its request headers is closed to make room (slow clients give way to new ones), or the
  new connection itself when every other one is busy with a request.

Request bodies are limited in `feedback_web.security.BodyLimit`, paths in ``CanonicalPath``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import resource
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from feedback_web.security import MAX_BODY, ASGIApp, BodyLimit, CanonicalPath

logger = logging.getLogger("uvicorn.error")

#: file descriptors kept free beyond the connections: the database, its log, the listening
#: socket, templates and static files being read
SPARE_FILES = 64


@dataclass(frozen=True)
class ServerLimits:
    """What one client may take of the server; the defaults of the ``[web]`` settings."""

    #: bytes of one request body
    max_body: int = MAX_BODY
    #: seconds a client has to send its request headers
    header_timeout: float = 10.0
    #: seconds a client has to send its request body, once its headers are in
    body_timeout: float = 30.0
    #: seconds an idle connection is kept open between two requests
    keep_alive: int = 5
    #: connections open at once
    max_connections: int = 500

    def __post_init__(self) -> None:
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if not value > 0:
                raise ValueError(f"web.{item.name}: expected more than 0, found {value}")

    @classmethod
    def from_settings(cls, web: object, **given: Any) -> ServerLimits:
        """The limits of the ``[web]`` settings ``web`` (any not there: the default), and
        ``given`` ones (``None``: not given) in their place."""
        values: dict[str, Any] = {
            item.name: getattr(web, item.name, item.default) for item in dataclasses.fields(cls)
        }
        values.update({name: value for name, value in given.items() if value is not None})
        return cls(**values)


class _Tally:
    """Counts the connections closed for each reason and logs the counts at most once a
    ``period`` (a flood of slow clients makes one line a minute, not one a connection)."""

    def __init__(self, period: float = 60.0) -> None:
        self.period = period
        self.counts: Counter[str] = Counter()
        self.logged = -period

    def add(self, reason: str) -> None:
        self.counts[reason] += 1
        now = time.monotonic()
        if now - self.logged >= self.period:
            told = "; ".join(f"{count} {what}" for what, count in sorted(self.counts.items()))
            logger.warning("Closed connections: %s", told)
            self.counts.clear()
            self.logged = now


REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 17\r\nconnection: close\r\n\r\nRequest timeout.\n"
)


class LimitedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header timeout, a body timeout and a cap on connections.

    Made for a `ServerLimits` by `protocol_for`; the limits are a class attribute because
    uvicorn makes one instance a connection with arguments of its own.
    """

    limits = ServerLimits()
    tally = _Tally()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._waiting_since = 0.0

    # -- the protocol --------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._update_timers()
        if len(self.connections) > self.limits.max_connections:
            self._make_room()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._update_timers()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._update_timers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        self._cancel_body_timer()
        super().connection_lost(exc)

    # -- the limits ----------------------------------------------------------------------------

    @property
    def awaiting_headers(self) -> bool:
        """Whether the connection waits for the headers of a request (none begun, or part)."""
        return self.conn.their_state is h11.IDLE and not self.transport.is_closing()

    def _update_timers(self) -> None:
        """Header timer on while the client owes request headers, body timer while it owes a
        body; each runs from the moment the client began to owe it."""
        if self.transport is None or self.transport.is_closing():
            return
        state = self.conn.their_state
        if state is h11.IDLE:
            if self._header_timer is None:
                self._waiting_since = self.loop.time()
                self._header_timer = self.loop.call_later(
                    self.limits.header_timeout, self._headers_late
                )
        else:
            self._cancel_header_timer()
        if state is h11.SEND_BODY:
            if self._body_timer is None:
                self._body_timer = self.loop.call_later(self.limits.body_timeout, self._body_late)
        else:
            self._cancel_body_timer()

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _cancel_body_timer(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if not self.awaiting_headers:
            return
        begun = bool(self.conn.trailing_data[0])  # part of a request came: say why
        self.tally.add(
            f"request headers not complete within {self.limits.header_timeout:g} s"
            if begun
            else f"sent nothing for {self.limits.header_timeout:g} s"
        )
        self._close(REQUEST_TIMEOUT if begun else b"")

    def _body_late(self) -> None:
        self._body_timer = None
        if self.conn.their_state is not h11.SEND_BODY or self.transport.is_closing():
            return
        self.tally.add(f"request body not complete within {self.limits.body_timeout:g} s")
        started = self.cycle is not None and self.cycle.response_started
        self._close(b"" if started else REQUEST_TIMEOUT)

    def _make_room(self) -> None:
        """Past the cap: close the connection waiting longest for its headers, this one if
        every other is busy with a request."""
        waiting = [
            other
            for other in self.connections
            if other is not self
            and isinstance(other, LimitedH11Protocol)
            and other.awaiting_headers
        ]
        if waiting:
            oldest = min(waiting, key=lambda other: other._waiting_since)
            self.tally.add(f"made room past {self.limits.max_connections} connections")
            oldest._close(b"")
        else:
            self.tally.add(f"refused past {self.limits.max_connections} busy connections")
            self._close(b"")

    def _close(self, last_words: bytes) -> None:
        self._cancel_header_timer()
        self._cancel_body_timer()
        if last_words:
            self.transport.write(last_words)
        self.transport.close()


def protocol_for(limits: ServerLimits) -> type[LimitedH11Protocol]:
    """The protocol class uvicorn makes connections of (``http=``), with ``limits``."""
    return type(
        "LimitedH11Protocol",
        (LimitedH11Protocol,),
        {"limits": limits, "tally": _Tally(), "__module__": __name__},
    )


def guard(app: ASGIApp, limits: ServerLimits) -> ASGIApp:
    """``app`` behind the body limit and the canonical-path check, unless it has them already
    (`feedback_web.app.make_app` may install them itself)."""
    installed = {getattr(m, "cls", None) for m in getattr(app, "user_middleware", [])}
    if BodyLimit not in installed:
        app = BodyLimit(app, max_body=limits.max_body)
    if CanonicalPath not in installed:
        app = CanonicalPath(app)
    return app


def room_for(limits: ServerLimits) -> None:
    """Make sure the process may open ``max_connections`` sockets and its own files: raise the
    soft limit on open files as far as the hard one allows, or refuse the setting."""
    wanted = limits.max_connections + SPARE_FILES
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError) as exc:
        most = (hard if hard != resource.RLIM_INFINITY else soft) - SPARE_FILES
        raise ValueError(
            f"web.max_connections: expected at most {most} (the limit on open files of this "
            f"process is {soft}, at most {hard}), found {limits.max_connections}"
        ) from exc


def make_server(
    app: ASGIApp,
    limits: ServerLimits,
    host: str = "127.0.0.1",
    port: int = 8000,
    proxy_headers: bool = False,
    log_level: str = "info",
) -> uvicorn.Server:
    """A uvicorn server of ``app`` (guarded) with ``limits``; ``.run()`` serves."""
    room_for(limits)
    config = uvicorn.Config(
        guard(app, limits),
        host=host,
        port=port,
        http=protocol_for(limits),
        ws="none",
        proxy_headers=proxy_headers,
        server_header=False,
        timeout_keep_alive=limits.keep_alive,
        log_level=log_level,
    )
    return uvicorn.Server(config)
