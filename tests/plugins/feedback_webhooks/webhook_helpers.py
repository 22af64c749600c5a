"""A real webhook receiver on 127.0.0.1 (a threaded ``http.server``, its port found at run time)
that verifies each message's signature with the ``standardwebhooks`` library, a clock the tests
move by hand, and engines whose ``feedback.toml`` names endpoints on the receiver.

Importable as ``from webhook_helpers import ...``: pytest puts this folder on ``sys.path``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from feedback.config import load_settings
from feedback.engine import Engine
from feedback.plugins import make_plugin_manager
from feedback.testing import EVENT
from feedback_webhooks.delivery import Deliverer
from feedback_webhooks.outbox import Outbox
from feedback_webhooks.settings import WebhookSettings

#: The signing secret of every test endpoint: whsec_ and 32 bytes in base64.
SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()


@dataclass
class Received:
    """One request the receiver processed: its headers, its body, what verifying it gave."""

    path: str
    headers: dict[str, str]
    body: bytes
    payload: Any = None
    error: str | None = None

    @property
    def id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Receiver:
    """Refuses connections until `start`; then answers each message with ``status`` after
    ``delay`` seconds, having recorded and verified it first (so a slow answer is a message the
    receiver processed though the sender gave up on it)."""

    secret: str = SECRET
    port: int = 0
    status: int = 200
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    def __post_init__(self) -> None:
        with socket.socket() as probe:  # a free port, closed again: connections are refused
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                item = Received(self.path, headers, body)
                try:
                    item.payload = Webhook(receiver.secret).verify(body, headers)
                except WebhookVerificationError as exc:
                    item.error = str(exc)
                receiver.received.append(item)
                time.sleep(receiver.delay)
                self.send_response(receiver.status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def verified(self) -> list[Received]:
        """The messages whose signature verified (every one, else the test fails here)."""
        bad = [r.error for r in self.received if r.error is not None]
        assert not bad, bad
        return list(self.received)


class Clock:
    """A clock that moves only when told. It starts at the real time of the test's start, read
    once, because the receiver's library refuses a webhook-timestamp more than five minutes from
    its own clock; after that every moment is the test's."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def write_endpoints(
    project: Path, monkeypatch: pytest.MonkeyPatch, endpoints: dict[str, dict[str, Any]]
) -> None:
    """``[webhooks.endpoints.NAME]`` tables in ``project/feedback.toml``, each with `SECRET` in
    its environment variable (the file holds no secret)."""
    lines = [(project / "feedback.toml").read_text(encoding="utf-8")]
    for name, options in endpoints.items():
        lines.append(f"[webhooks.endpoints.{name}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in options.items()]
        monkeypatch.setenv(f"FEEDBACK_WEBHOOKS__ENDPOINTS__{name.upper()}__SECRET", SECRET)
    (project / "feedback.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def open_engine(project: Path, *plugins: Any) -> Engine:
    """An engine on the project with the installed plugins (and ``plugins``), and `EVENT`."""
    pm = make_plugin_manager(plugins=list(plugins))
    engine = Engine(settings=load_settings(project, pm=pm), pm=pm)
    engine.store.upsert_event(dict(EVENT))
    return engine


def outbox(engine: Engine, clock: Clock) -> Outbox:
    return Outbox(engine.store, engine.settings.plugin(WebhookSettings), clock)


def deliver(engine: Engine, clock: Clock) -> Any:
    """One run of `feedback webhooks deliver` at the clock's time."""
    with Deliverer(outbox(engine, clock), clock) as deliverer:
        return deliverer.run()


def rows(engine: Engine) -> list[dict[str, Any]]:
    return list(engine.store.db.query("SELECT * FROM webhooks_outbox ORDER BY rowid"))
