"""Attacks on the limits of the web server, against the real `feedback serve` on loopback.

- Issue 12 item 7: a chunked POST of many megabytes (no Content-Length) to the open link and to a
  personal link is answered 413 once the limit is passed, and the server does not grow by it; a
  Content-Length past the limit is refused at once, on every route and method.
- Item 10: 200 clients sending their headers one line at a time do not keep a normal request
  from being answered, and are closed after the header timeout; a client sending its body too
  slowly is closed after the body timeout; a flood of connections past the cap does not take
  the server's file descriptors.
- Item 15: a personal link written another way (``/%73/<token>``, ``/s/%74...``) is not served,
  and its token is in no line of the server's log.

The server runs as a child process (its memory and descriptors read from ``/proc``); the
timeouts are set small through the command line, and the tests wait on sockets, not clocks.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import EVENT

from feedback.engine import Engine
from feedback.invitations import Invitations

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads the server's memory from /proc"
)

MB = 1_000_000
LIMIT = 1_000_000  # the default body limit
FLOOD = 64 * MB  # what the attacker offers to send


# -- the server ----------------------------------------------------------------------------------


@dataclass
class Served:
    """`feedback serve` in a child process: its port, process and log."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def status(self, field: str) -> int:
        """A ``/proc/<pid>/status`` figure in bytes (VmRSS, VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise AssertionError(f"no {field} in /proc/{self.process.pid}/status")

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> tuple[int, float]:
        """A normal request: its status and the seconds it took."""
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as r:
                status = r.status
                r.read()
        except urllib.error.HTTPError as exc:
            status = exc.code
        return status, time.monotonic() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(project: Path, *options: str) -> Iterator[Served]:
    port = _free_port()
    log = project / f"serve-{port}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    command = [sys.executable, "-m", "feedback", "--project", str(project), "serve"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port), *options],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**env, "PYTHONUNBUFFERED": "1"},
        )
        served = Served(port, process, log)
        try:
            deadline = time.monotonic() + 30
            while "Uvicorn running" not in served.output():
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"feedback serve did not start:\n{served.output()}")
                time.sleep(0.02)
            yield served
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


@pytest.fixture
def site(project: Path, make_engine: Callable[..., Engine]) -> tuple[Path, str]:
    """A project with the event hague-2011 (its open link on) and one sent invitation: the
    project and the invitation's token."""
    engine = make_engine()
    engine.store.upsert_event({**EVENT, "open_link": 1})
    with engine.store.write():
        person = engine.store.save_person(
            {"name": "Ann Example", "email": "ann@example.org", "language": "en", "role": None}
        )
        engine.store.set_attendance(person, "hague-2011", invited=True, attended=True)
    invitations = Invitations(engine.store, 30.0)
    made, _ = invitations.prepare("hague-2011", "post-seminar", ["en"])
    [(invitation, token)] = made
    invitations.mark_sent(invitation, "smtp")
    engine.close()
    return project, token


# -- raw HTTP ------------------------------------------------------------------------------------


def connect(served: Served) -> socket.socket:
    return socket.create_connection(("127.0.0.1", served.port), timeout=10)


def read_reply(sock: socket.socket, timeout: float = 10.0) -> bytes:
    """What the server sends until it closes the connection (a reset after its answer ends the
    reading too: the server closes without reading what the client had still sent)."""
    sock.settimeout(timeout)
    reply = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            reply += chunk
    return reply


def status_of(reply: bytes) -> int:
    assert reply.startswith(b"HTTP/1.1 "), reply[:200]
    return int(reply.split(b" ", 2)[1])


def request(served: Served, head: str) -> tuple[int, bytes]:
    """Send one request head (its lines, without the blank line) and read the answer."""
    with connect(served) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = read_reply(sock)
    return status_of(reply), reply


def chunked_flood(served: Served, path: str, total: int = FLOOD) -> tuple[bytes, int]:
    """POST form fields of 64 KB, one a chunk, up to ``total`` bytes (a thousand fields), until
    the server answers; what it answered and how many bytes went out."""
    chunk = b"&a=" + b"x" * (65536 - 3)
    frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    sent = 0
    with connect(served) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode()
        )
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while sent < total:
                readable, writable, _ = select.select([sock], [sock], [], 10)
                if readable:  # the server has answered
                    break
                assert writable, "the server neither read nor answered for 10 s"
                sock.sendall(frame)
                sent += len(chunk)
            else:
                sock.sendall(b"0\r\n\r\n")
        return read_reply(sock), sent


# -- item 7: request bodies ----------------------------------------------------------------------


def test_a_chunked_flood_is_refused_413_and_the_server_does_not_grow(site) -> None:
    project, token = site
    with serving(project) as served:
        assert served.get("/e/hague-2011")[0] == 200  # warm: the app and survey loaded
        assert served.get(f"/s/{token}")[0] == 200
        before = served.status("VmRSS")
        figures = []
        for path in ("/e/hague-2011", f"/s/{token}"):
            reply, sent = chunked_flood(served, path)
            assert status_of(reply) == 413, reply[:300]
            assert b"Request too large" in reply and b"connection: close" in reply.lower()
            figures.append((path.split("/")[1], sent // MB, served.status("VmHWM") // MB))
        peak = served.status("VmHWM")
        # the server read a little past the limit, never the body offered
        assert peak - before < 16 * MB, (before, figures)
        assert served.get(f"/s/{token}")[0] == 200  # and serves on
    print(f"\nRSS before {before / MB:.1f} MB, peak after floods {peak / MB:.1f} MB")
    print(f"(route, MB the client got out before the 413, peak MB after it): {figures}")


HEADS = [
    "POST /s/{token} HTTP/1.1",
    "POST /e/hague-2011 HTTP/1.1",
    "PUT / HTTP/1.1",
    "DELETE /static/form.css HTTP/1.1",
    "GET /e/hague-2011/qr HTTP/1.1",
    "POST /no/such/page HTTP/1.1",
]


def test_a_declared_length_past_the_limit_is_refused_at_once_on_every_route(site) -> None:
    """No byte of the body is sent: the answer comes at once, without 100 Continue."""
    project, token = site
    answers = {}
    with serving(project) as served:
        for head in HEADS:
            with connect(served) as sock:
                sock.sendall(
                    head.format(token=token).encode()
                    + f"\r\nHost: x\r\nContent-Length: {50 * MB}\r\nExpect: 100-continue\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode()
                )
                reply = read_reply(sock)
            assert b"100 Continue" not in reply
            answers[head] = status_of(reply)
    assert answers == dict.fromkeys(HEADS, 413)


def test_a_chunked_body_past_the_limit_is_refused_on_a_page_that_reads_no_body(site) -> None:
    project, _ = site
    with serving(project) as served:
        for path in ("/", "/e/hague-2011/qr.svg", "/static/form.css"):
            reply, sent = chunked_flood(served, path, total=4 * MB)
            assert status_of(reply) == 413, (path, reply[:300])
            assert sent < 4 * MB or b"Request too large" in reply


# -- item 10: slow clients -----------------------------------------------------------------------


def test_slow_headers_do_not_keep_a_normal_request_out_and_are_closed_after_the_timeout(
    site,
) -> None:
    """200 clients send a request line, then one header line every 0.2 s, and never finish."""
    project, _ = site
    timeout = 1.5
    with serving(project, "--header-timeout", str(timeout)) as served:
        slow: dict[socket.socket, float] = {}
        for _ in range(200):
            sock = connect(served)
            sock.sendall(b"GET /e/hague-2011 HTTP/1.1\r\n")
            slow[sock] = time.monotonic()
        try:
            status, took = served.get("/e/hague-2011/qr")
            opened_last = max(slow.values())
            assert status == 200
            # ... answered while every slow client still hung on
            readable, _, _ = select.select(list(slow), [], [], 0)
            assert readable == [] and time.monotonic() - opened_last < timeout

            closed: dict[socket.socket, tuple[float, bytes]] = {}
            deadline = time.monotonic() + timeout + 5
            line = 0
            while len(closed) < len(slow) and time.monotonic() < deadline:
                readable, _, _ = select.select([s for s in slow if s not in closed], [], [], 0.2)
                for sock in readable:
                    closed[sock] = (time.monotonic() - slow[sock], read_reply(sock, 1))
                line += 1
                for sock in slow:
                    if sock not in closed:
                        with contextlib.suppress(OSError):
                            sock.sendall(b"X-Slow-%d: %d\r\n" % (line, line))
            assert len(closed) == len(slow), f"{len(slow) - len(closed)} slow clients still open"
            after = sorted(seconds for seconds, _ in closed.values())
            assert after[0] >= timeout - 0.2, after[:5]  # not before the timeout ...
            assert after[-1] < timeout + 3, after[-5:]  # ... and soon after it
            assert {status_of(reply) for _, reply in closed.values()} == {408}
        finally:
            for sock in slow:
                sock.close()
        assert "request headers not complete within 1.5 s" in served.output()
    print(
        f"\nnormal request during 200 slow clients: {took * 1000:.0f} ms; closed after "
        f"{after[0]:.2f} to {after[-1]:.2f} s"
    )


def test_a_slow_body_is_closed_after_the_body_timeout(site) -> None:
    project, token = site
    timeout = 1.0
    with serving(project, "--body-timeout", str(timeout)) as served, connect(served) as sock:
        sock.sendall(
            f"POST /s/{token} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\ncsrf=".encode()
        )
        started = time.monotonic()
        reply = read_reply(sock, timeout + 5)
        took = time.monotonic() - started
    assert status_of(reply) == 408
    assert timeout - 0.2 <= took < timeout + 3


def test_a_flood_of_connections_past_the_cap_does_not_take_the_servers_files(site) -> None:
    """Connections past the cap close the one waiting longest for its headers: the server's
    open files stay bounded, and a normal request is still answered."""
    project, _ = site
    cap = 50
    with serving(project, "--max-connections", str(cap), "--header-timeout", "60") as served:
        baseline = served.open_files()
        flood = [connect(served) for _ in range(300)]
        try:
            for sock in flood:
                sock.sendall(b"GET / HTTP/1.1\r\n")
            status, took = served.get("/e/hague-2011/qr")
            assert status == 200 and took < 5
            # the oldest 250 are closed by the server (no answer: they sent no request yet)
            deadline = time.monotonic() + 10
            closed: set[socket.socket] = set()
            while len(closed) < len(flood) - cap and time.monotonic() < deadline:
                waiting = [s for s in flood if s not in closed]
                readable, _, _ = select.select(waiting, [], [], 0.2)
                for sock in readable:
                    assert read_reply(sock, 1) == b""
                    closed.add(sock)
            assert len(closed) >= len(flood) - cap
            assert served.open_files() <= baseline + cap + 2
            assert closed.isdisjoint(flood[-(cap - 2) :])  # the newest kept
        finally:
            for sock in flood:
                sock.close()
    assert "made room past 50 connections" in served.output()


# -- item 15: one spelling of a link, and no token in the log --------------------------------------


def test_a_link_written_another_way_is_not_served_and_its_token_is_not_logged(site) -> None:
    project, token = site
    first = "%" + format(ord(token[0]), "02X")
    spellings = [
        f"/%73/{token}",
        f"/s/{first}{token[1:]}",
        f"/s%2F{token}",
        f"//s/{token}",
        f"/s/./{token}",
        f"/e/../s/{token}",
        f"/%2573/{token}",
    ]
    with serving(project) as served:
        assert request(served, f"GET /s/{token} HTTP/1.1")[0] == 200
        refused = {path: request(served, f"GET {path} HTTP/1.1")[0] for path in spellings}
    output = served.output()
    assert refused == dict.fromkeys(spellings, 404)
    assert token not in output
    assert token[1:] not in output  # nor the token with its first character encoded
    requests = [line for line in output.splitlines() if '"GET ' in line]
    assert len(requests) == 1 + len(spellings), output
    assert all("/s/[token]" in line for line in requests), output
