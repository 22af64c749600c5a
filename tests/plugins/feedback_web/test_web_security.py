"""What keeps the web form safe and its participants anonymous: security headers on every
response, only hashes of tokens stored, no link from an anonymous response to its invitation, no
address or browser stored, tokens kept out of the server's log (the real server, as a process),
and the CSRF, rate limit, body limit, canonical path and log filter pieces on their own (the
attacks on the real server's limits are in tests/security/test_security_web_limits.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from helpers import query
from web_helpers import SHIPPED_PAGES, Visitor, free_port, post_raw, write_survey

from feedback.invitations import Invitations, hash_token, new_token, utcnow
from feedback.store import Store
from feedback_web.migrations import migrations as web_migrations
from feedback_web.security import (
    BodyLimit,
    CanonicalPath,
    Csrf,
    FailedLinks,
    RedactTokens,
    canonical,
    redact,
)

NAMED = """
id: named
title: {en: "Named follow-up"}
languages: [en]
anonymous: false
questions:
  - id: follow_up
    type: yes_no
    label: {en: "May we contact you about the next seminar?"}
    required: true
"""


def complete(visitor: Visitor) -> None:
    visitor.open()
    for fields in SHIPPED_PAGES:
        page = visitor.send(fields)
    assert page.title == "Thank you"


# -- headers -------------------------------------------------------------------------------------


def test_every_response_carries_the_security_headers(web, monkeypatch) -> None:
    monkeypatch.setenv("FEEDBACK_WEB__RATE_LIMIT", "2")
    _, token = web.invite("Ann Example")
    _, done_token = web.invite("Bob Example")
    expired, expired_token = web.invite("Cy Example")
    Invitations(web.engine.store, 1).mark_sent(expired, "smtp", now=utcnow() - dt.timedelta(days=3))
    complete(web.visitor(f"/s/{done_token}"))
    client = web.client(raise_server_exceptions=False)
    page = client.get(f"/s/{token}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    blocked = web.client(client=("192.0.2.9", 1000))
    for _ in range(2):
        blocked.get(f"/s/{new_token()}")

    seen = {
        "form page": page,
        "page with a problem": post_raw(
            client, f"/s/{token}", [("csrf", csrf), ("page", "0"), ("action", "next")]
        ),
        "redirect to the next page": client.post(
            f"/s/{token}",
            content=f"csrf={csrf}&page=0&role=ngo&action=next",
            headers={"content-type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        ),
        "thank you": client.get(f"/s/{done_token}?done=1"),
        "already completed": client.get(f"/s/{done_token}"),
        "unknown link (404)": client.get(f"/s/{new_token()}"),
        "csrf refused (403)": post_raw(client, f"/s/{token}", [("csrf", "x"), ("page", "0")]),
        "expired (410)": client.get(f"/s/{expired_token}"),
        "too many (429)": blocked.get(f"/s/{new_token()}"),
        "too large (413)": client.post(
            f"/s/{token}",
            content=b"a=" + b"x" * 1_100_000,
            headers={"content-type": "application/x-www-form-urlencoded"},
        ),
        "open link": client.get("/e/hague-2011"),
        "unknown event (404)": client.get("/e/nowhere"),
        "venue page": client.get("/e/hague-2011/qr"),
        "venue QR code": client.get("/e/hague-2011/qr.svg"),
        "home": client.get("/"),
        "favicon": client.get("/favicon.ico"),
        "no such page (404)": client.get("/admin"),
        "wrong method (405)": client.put(f"/s/{token}"),
        "stylesheet": client.get("/static/form.css"),
        "script": client.get("/static/form.js"),
        "no such static file": client.get("/static/missing.js"),
    }
    expected_status = {
        "redirect to the next page": 303,
        "unknown link (404)": 404,
        "csrf refused (403)": 403,
        "expired (410)": 410,
        "too many (429)": 429,
        "too large (413)": 413,
        "unknown event (404)": 404,
        "favicon": 204,
        "no such page (404)": 404,
        "wrong method (405)": 405,
        "no such static file": 404,
    }
    problems = []
    for name, response in seen.items():
        headers = response.headers
        status = expected_status.get(name, 200)
        if response.status_code != status:
            problems.append(f"{name}: status {response.status_code}, expected {status}")
        csp = headers.get_list("content-security-policy")
        wanted = ("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
        if len(csp) != 1 or "unsafe" in csp[0] or not all(w in csp[0] for w in wanted):
            problems.append(f"{name}: Content-Security-Policy {csp}")
        if headers.get_list("referrer-policy") != ["no-referrer"]:
            problems.append(f"{name}: Referrer-Policy {headers.get_list('referrer-policy')}")
        if headers.get_list("x-content-type-options") != ["nosniff"]:
            problems.append(
                f"{name}: X-Content-Type-Options {headers.get('x-content-type-options')}"
            )
        static = name in ("stylesheet", "script", "no such static file")
        if not static and headers.get_list("cache-control") != ["no-store"]:
            problems.append(f"{name}: Cache-Control {headers.get_list('cache-control')}")
    assert problems == []
    assert "server" not in {k.lower() for k in seen["form page"].headers}


# -- what the database holds ---------------------------------------------------------------------


def test_the_database_holds_only_hashes_of_tokens(web) -> None:
    invitation, token = web.invite()
    reminder = Invitations(web.engine.store).issue_token(invitation)
    visitor = web.visitor(f"/s/{reminder}")
    visitor.open()
    visitor.send(SHIPPED_PAGES[0])
    web.visitor(f"/s/{token}").open()
    dumped = "\n".join(web.dump())
    for raw in (token, reminder):
        assert raw not in dumped
        assert hash_token(raw) in dumped
        assert hash_token(raw) == hashlib.sha256(raw.encode()).hexdigest()


def test_an_anonymous_response_is_not_linked_to_its_invitation(web) -> None:
    invitation, token = web.invite()
    complete(web.visitor(f"/s/{token}"))
    [(completed, response)] = query(
        web.db, f"SELECT completed, response FROM invitations WHERE id = {invitation.id}"
    )
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", completed), completed  # the date, not the time
    assert response is None
    [(submitted,)] = query(web.db, "SELECT submitted FROM responses")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", submitted), submitted
    assert query(web.db, "SELECT count(*) FROM drafts") == [(0,)]


def test_an_anonymous_draft_leaves_no_trace_in_the_database_file(web) -> None:
    """The draft (invitation id and response id side by side) is deleted on submit; its bytes
    must not survive in the file's free space either."""
    invitation, token = web.invite()
    complete(web.visitor(f"/s/{token}"))
    [(response_id,)] = query(web.db, "SELECT id FROM responses")
    web.engine.close()  # checkpoints the write-ahead log into the file
    raw = b"".join(
        path.read_bytes() for path in web.db.parent.iterdir() if path.name.startswith(web.db.name)
    )
    assert b"i:%d" % invitation.id not in raw
    version = web.engine.survey().version.encode()
    assert version + response_id.encode() not in raw  # a draft row: ..., version, response id


def test_a_named_survey_links_the_invitation_to_its_response(web) -> None:
    write_survey(web.project, "named", NAMED)
    invitation, token = web.invite(survey="named")
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    page = visitor.send([("follow_up", "yes")])
    assert page.title == "Thank you"
    [(response_id, answers)] = query(web.db, "SELECT id, answers FROM responses")
    assert json.loads(answers) == {"follow_up": True}
    [(completed, linked)] = query(
        web.db, f"SELECT completed, response FROM invitations WHERE id = {invitation.id}"
    )
    assert linked == response_id
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00", completed), completed


def test_no_address_or_user_agent_is_stored(web) -> None:
    agent = "Mozilla/5.0 (X11) FeedbackProbe/31.4159"
    headers = {"user-agent": agent, "x-forwarded-for": "198.51.100.200"}
    _, token = web.invite()
    personal = web.visitor(f"/s/{token}", client=("203.0.113.77", 51234), headers=headers)
    complete(personal)
    open_link = web.visitor("/e/hague-2011", client=("203.0.113.78", 51235), headers=headers)
    complete(open_link)
    half = web.visitor("/e/hague-2011", client=("203.0.113.79", 51236), headers=headers)
    half.open()
    half.send(SHIPPED_PAGES[0])  # a draft too
    assert len(web.responses()) == 2 and len(web.drafts()) == 1
    dumped = "\n".join(web.dump())
    for trace in ("203.0.113.", "198.51.100.200", "FeedbackProbe", "X11", "51234"):
        assert trace not in dumped


# -- the real server's log -----------------------------------------------------------------------


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"feedback serve exited {process.returncode}:\n{log.read_text()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"feedback serve did not listen on {port}:\n{log.read_text()}")


def _fetch(url: str, data: bytes | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_server_process_never_logs_a_token(web, tmp_path: Path) -> None:
    _, token = web.invite()
    unknown = new_token()
    assert web.engine.survey()  # the project is ready; the server opens it on its own
    web.engine.close()
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "feedback",
                "--project",
                str(web.project),
                "serve",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            _wait_for_port(port, process, log)
            base = f"http://127.0.0.1:{port}"
            assert _fetch(f"{base}/s/{token}") == 200
            assert _fetch(f"{base}/s/{token}?lang=en") == 200
            assert _fetch(f"{base}/s/{token}", data=b"csrf=wrong&page=0") == 403
            assert _fetch(f"{base}/s/{unknown}") == 404
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
    output = log.read_text(encoding="utf-8", errors="replace")
    assert output.count("/s/[token]") >= 4, output  # the requests are logged ...
    assert '"GET /s/[token] HTTP/1.1" 200' in output
    assert '"POST /s/[token] HTTP/1.1" 403' in output
    assert token not in output and unknown not in output  # ... without their tokens
    requests = [line for line in output.splitlines() if "/s/[token]" in line]
    assert not [line for line in requests if "127.0.0.1" in line]  # ... and without addresses


# -- the pieces on their own ---------------------------------------------------------------------


def test_redact_tokens_hides_tokens_in_messages_and_arguments() -> None:
    token = new_token()
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/s/{token}?done=1", "1.1", 200),
        None,
    )
    assert RedactTokens().filter(record) is True  # redacted, not dropped
    # ... and the client's address left out of the access log
    assert record.getMessage() == '- - "GET /s/[token]?done=1 HTTP/1.1" 200'

    stream = io.StringIO()
    logger = logging.getLogger("feedback-web-test-redact")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.addFilter(RedactTokens())
    logger.propagate = False
    try:
        logger.warning(f"Invalid HTTP request to http://x.org/s/{token}")
        logger.warning("open %s and %s", f"/s/{token}/", "/e/hague-2011")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert token not in text
    assert "http://x.org/s/[token]" in text
    assert "open /s/[token]/ and /e/hague-2011" in text
    assert redact("/static/form.css /e/hague-2011/qr") == "/static/form.css /e/hague-2011/qr"


def test_failed_links_are_counted_per_client_and_overall_within_the_window(tmp_path) -> None:
    now = [1000.0]
    with Store(tmp_path / "limits.db", plugin_migrations=[web_migrations]) as store:
        limiter = FailedLinks(store, b"k" * 32, limit=3, window=60, overall=5, clock=lambda: now[0])
        assert limiter.blocked("a") is None
        for step in range(3):
            assert limiter.blocked("a") is None
            limiter.failed("a")
            now[0] += 10 if step < 2 else 0
        # failures at 1000, 1010, 1020; now 1020
        assert limiter.blocked("a") == pytest.approx(40.0)  # until the first is 60 s old
        assert limiter.blocked("b") is None  # another client
        limiter.failed("b")
        limiter.failed("c")
        assert limiter.blocked("d") == pytest.approx(40.0)  # five failures of all together
        now[0] = 1059.5
        assert limiter.blocked("a") == pytest.approx(1.0)  # never less than a second
        now[0] = 1060.0  # the first failure has left the window
        assert limiter.blocked("a") is None and limiter.blocked("d") is None
        limiter.failed("a")
        assert limiter.blocked("a") == pytest.approx(10.0)
        now[0] = 1200.0
        assert limiter.blocked("a") is None
        limiter.failed("a")  # forgets what left the window
        rows = store.conn.execute("SELECT address, moment FROM web_failed_links").fetchall()
        assert len(rows) == 1 and rows[0][1] == 1200.0 and rows[0][0] != "a"
        now[0] = 10.0  # the machine restarted: its monotonic clock began again
        assert limiter.blocked("a") is None


def test_csrf_tokens_belong_to_one_draft_and_one_secret() -> None:
    csrf = Csrf(b"s" * 32)
    token = csrf.token("i:1")
    assert token == csrf.token("i:1")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # URL-safe, no padding
    assert csrf.valid("i:1", token)
    assert not csrf.valid("i:2", token)
    assert csrf.token("i:2") != token
    assert Csrf(b"t" * 32).token("i:1") != token
    for bad in (None, "", token[:-1], token + "A", token.upper()):
        assert not csrf.valid("i:1", bad)


def test_csrf_refuses_a_token_with_other_characters_without_crashing() -> None:
    csrf = Csrf(b"s" * 32)
    token = csrf.token("i:1")
    assert not csrf.valid("i:1", "é" + token[1:])
    assert not csrf.valid("i:1", "\u2603" * 43)


def test_redact_tokens_hides_tokens_of_links_written_another_way() -> None:
    token = new_token()
    encoded_first = "%" + format(ord(token[0]), "02x") + token[1:]
    for path in (
        f"/%73/{token}",
        f"/%2573/{token}",
        f"/s/{encoded_first}",
        f"/s%2F{token}",
        f"/s/./{token}",
        f"/e/../s/{token}",
        f"//s/{token}",
        f"/S/{token}",
    ):
        record = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s %s HTTP/%s" %d',
            ("127.0.0.1:5000", "GET", f"{path}?lang=en", "1.1", 404),
            None,
        )
        RedactTokens().filter(record)
        message = record.getMessage()
        assert token not in message and token[1:] not in message, (path, message)
        assert "/s/[token]?lang=en" in message, (path, message)
    # decoding never makes a line break (a forged log line) of an encoded one
    assert "\n" not in redact(f"/%73/{token}%0AINFO: forged")
    assert redact("/e/hague-2011 100% done") == "/e/hague-2011 100% done"


# -- the body limit ------------------------------------------------------------------------------


class Recorder:
    """An ASGI app that reads the whole body and answers how long it was, noting each call."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(len(body)).encode()})


def call(
    app: Any,
    chunks: list[bytes],
    headers: tuple[tuple[bytes, bytes], ...] = (),
    path: bytes = b"/",
) -> tuple[list[dict[str, Any]], int]:
    """Run ``app`` on a request whose body comes in ``chunks``: what it sent, and how many
    messages it took from the client."""
    scope = {
        "type": "http",
        "method": "POST",
        "path": path.decode(),
        "raw_path": path,
        "headers": list(headers),
    }
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    taken = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal taken
        taken += 1
        if taken <= len(messages):
            return messages[taken - 1]
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent, taken


def test_body_limit_hands_a_body_within_the_limit_whole() -> None:
    app = Recorder()
    sent, _ = call(BodyLimit(app, max_body=100), [b"a" * 40, b"", b"b" * 60])
    assert app.bodies == [b"a" * 40 + b"b" * 60]
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"100"


def test_body_limit_stops_reading_chunks_at_the_limit_and_answers_413() -> None:
    app = Recorder()
    chunks = [b"x" * 30] * 1000  # 30,000 bytes offered, 100 allowed
    sent, taken = call(BodyLimit(app, max_body=100), chunks)
    assert app.bodies == []  # the app never ran
    assert taken == 4  # 120 bytes read: no more
    start, body = sent
    assert start["status"] == 413
    assert (b"connection", b"close") in start["headers"]
    assert body["body"].startswith(b"Request too large")


def test_body_limit_refuses_a_declared_length_past_the_limit_before_reading() -> None:
    app = Recorder()
    sent, taken = call(BodyLimit(app, max_body=100), [b"x"], ((b"content-length", b"101"),))
    assert (app.bodies, taken, sent[0]["status"]) == ([], 0, 413)


def test_body_limit_leaves_a_client_that_left_unanswered() -> None:
    app = Recorder()

    async def run() -> list[Any]:
        sent: list[Any] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.disconnect"}

        async def send(message: Any) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
        await BodyLimit(app, max_body=100)(scope, receive, send)
        return sent

    assert asyncio.run(run()) == [] and app.bodies == []


# -- one spelling of each path -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/s/" + "A" * 43,
        "/e/hague-2011",
        "/e/hague-2011/qr.svg",
        "/static/form.css",
        "/x~y",
        "/s/abc%20def",  # no other spelling of a path (a space): the app's own 404 page
        "/s/%C3%BCnic%C3%B6de",
        "/s/a%3Fb%5C",
    ],
)
def test_canonical_paths_are_served(path: str) -> None:
    assert canonical(path.encode())
    app = Recorder()
    sent, _ = call(CanonicalPath(app), [b""], path=path.encode())
    assert sent[0]["status"] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/%73/tok",
        "/s/%74ok",
        "/s/t%6Fk",
        "/s/tok%7e",
        "/s/%5Ftok",
        "/s/%2D%2e",
        "/s/%30",
        "/s%2Ftok",
        "/s%2ftok",
        "/%2573/tok",
        "//s/tok",
        "/s//tok",
        "/s/./tok",
        "/e/../s/tok",
        "/s/tok/.",
        "/s/tok/..",
        "/s\\tok",
        "/s/t\x00k",
        "s/tok",
        "*",
        "http://x.org/s/tok",
    ],
)
def test_other_spellings_are_not_found_before_routing(path: str) -> None:
    assert not canonical(path.encode("latin-1"))
    app = Recorder()
    sent, taken = call(CanonicalPath(app), [b""], path=path.encode("latin-1"))
    assert app.bodies == [] and taken == 0
    assert sent[0]["status"] == 404 and sent[1]["body"] == b"Not found.\n"
