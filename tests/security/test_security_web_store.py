"""The web form under a long lock or a full disk (issue 12, item 4).

A submit that waits for another writer must not freeze the server (an unrelated GET was held up
for 9.1 s, because the database work ran on the event loop); a submit that cannot be stored (the
busy timeout passed, the disk is full) keeps the answers and says so, in the participant's language,
with a button that sends them again; pressing it once the database can be written stores the
response once. The faults are real: a ``BEGIN EXCLUSIVE`` held by another connection, and a server
process under a file-size limit (``RLIMIT_FSIZE``), whose writes then fail as on a full disk.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from helpers import query

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "feedback_web"))
from web_helpers import FORM, SHIPPED_ANSWERS, SHIPPED_PAGES, Visitor, Web, parse, web_site

from feedback.engine import Engine


@pytest.fixture
def web(project: Path, make_engine: Callable[..., Engine]) -> Iterator[Web]:
    with web_site(project, make_engine) as site:
        yield site


@contextmanager
def locked(db: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding ``BEGIN EXCLUSIVE`` on ``db`` until the block ends."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield holder
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()


def up_to_the_last_page(web: Web, language: str = "en") -> Visitor:
    """A participant's personal link, answered up to the last page (not yet submitted)."""
    _, token = web.invite(language=language)
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    for fields in SHIPPED_PAGES[:-1]:
        visitor.send(fields)
    assert visitor.page is not None and visitor.page.status == 200
    return visitor


def test_a_submit_waiting_for_a_lock_does_not_hold_up_other_requests(web, monkeypatch) -> None:
    monkeypatch.setenv("FEEDBACK_BUSY_TIMEOUT", "15")
    visitor = up_to_the_last_page(web)
    pairs = [*visitor.page.hidden.items(), *SHIPPED_PAGES[-1], ("action", "next")]
    writing = threading.Event()  # the submit's write has begun (and waits for the lock)
    web.engine.store.conn.set_trace_callback(
        lambda sql: writing.set() if sql.startswith("BEGIN IMMEDIATE") else None
    )

    async def scenario(holder: sqlite3.Connection) -> dict[str, object]:
        transport = httpx.ASGITransport(app=web.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            submit = asyncio.create_task(
                client.post(visitor.path, content=urlencode(pairs), headers=FORM)
            )
            await asyncio.get_running_loop().run_in_executor(None, writing.wait, 60)
            home = await client.get("/")
            style = await client.get("/static/form.css")
            waiting = not submit.done()
            holder.execute("ROLLBACK")  # the other writer finishes
            done = await submit
            return {
                "home": home.status_code,
                "css": style.status_code,
                "waiting": waiting,
                "submit": done.status_code,
                "to": done.headers.get("location", ""),
            }

    try:
        with locked(web.db) as holder:
            seen = asyncio.run(scenario(holder))
    finally:
        web.engine.store.conn.set_trace_callback(None)
    # answered while the lock was still held and the submit still waited for it
    assert (seen["home"], seen["css"], seen["waiting"]) == (200, 200, True)
    assert seen["submit"] == 303 and "done=1" in str(seen["to"])
    [row] = web.responses()
    assert json.loads(row["answers"]) == SHIPPED_ANSWERS


@pytest.mark.parametrize(
    ("language", "title", "button", "thanks"),
    [
        ("en", "Your answers are not saved yet", "Try again", "Thank you"),
        ("nl", "Uw antwoorden zijn nog niet opgeslagen", "Opnieuw proberen", "Dank u wel"),
    ],
)
def test_a_submit_past_the_busy_timeout_keeps_the_answers_and_tries_again(
    web, monkeypatch, language: str, title: str, button: str, thanks: str
) -> None:
    monkeypatch.setenv("FEEDBACK_BUSY_TIMEOUT", "0.2")
    visitor = up_to_the_last_page(web, language)
    with locked(web.db):
        page = visitor.send(SHIPPED_PAGES[-1])
        kept = page
        assert (page.status, page.lang, page.title, page.h1) == (503, language, title, title)
        assert [b.text for b in page.buttons] == [button]
        assert "Traceback" not in page.html and "Internal Server Error" not in page.html
        # the last page's answers are on the page, those before in the draft
        assert set(SHIPPED_PAGES[-1]) <= {(f.name, f.value) for f in page.fields}
        assert web.responses() == [] and len(web.drafts()) == 1
        page = visitor.try_again()  # still locked: the same page again, nothing lost
        assert (page.status, page.title) == (503, title)
    page = visitor.try_again()
    assert (page.status, page.lang, page.title) == (200, language, thanks)
    [row] = web.responses()
    assert json.loads(row["answers"]) == SHIPPED_ANSWERS and row["language"] == language
    assert web.drafts() == []
    page = visitor.try_again(kept)  # pressed again from the old page: stored once
    assert page.status == 200 and len(web.responses()) == 1


def test_every_step_under_a_lock_keeps_its_answers(web, monkeypatch) -> None:
    """Not only the submit: a step to the next page or "save" waits too, then keeps them."""
    monkeypatch.setenv("FEEDBACK_BUSY_TIMEOUT", "0.2")
    visitor = web.visitor("/e/hague-2011")
    visitor.open()
    steps = [
        ("next", SHIPPED_PAGES[0], "What you learned"),
        ("save", SHIPPED_PAGES[1], "Your answers are saved"),
    ]
    for action, fields, then in steps:
        with locked(web.db):
            page = visitor.send(fields, action=action)
            assert (page.status, page.title) == (503, "Your answers are not saved yet")
        assert visitor.try_again().title.startswith(then)
    [(answers,)] = query(web.db, "SELECT answers FROM drafts")
    first_two = {q for q, _ in SHIPPED_PAGES[0] + SHIPPED_PAGES[1]}
    wanted = {k: v for k, v in SHIPPED_ANSWERS.items() if k in {q.split(".")[0] for q in first_two}}
    assert json.loads(answers) == wanted


CHILD = """
import resource, signal, socket, sys
import uvicorn
from feedback.config import load_settings
from feedback.engine import Engine
from feedback_web.app import make_app

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
app = make_app(Engine(load_settings(sys.argv[1])))
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen()
print(sock.getsockname()[1], flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off")).run(sockets=[sock])
"""


def test_a_submit_on_a_full_disk_keeps_the_answers_and_tries_again(
    web, project: Path, make_engine: Callable[..., Engine]
) -> None:
    """The server runs in a process whose files cannot grow (the log is emptied first): every
    write fails as on a full disk; then, on a disk with room, "Try again" stores it once."""
    visitor = up_to_the_last_page(web)
    keeper = sqlite3.connect(web.db)  # keeps the log and its index in place, emptied
    try:
        assert keeper.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
        web.engine.close()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(project), "1024"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        try:
            port = int(child.stdout.readline() or 0)
            assert port, child.stderr.read()
            pairs = [*visitor.page.hidden.items(), *SHIPPED_PAGES[-1], ("action", "next")]
            posted = httpx.post(
                f"http://127.0.0.1:{port}{visitor.path}",
                content=urlencode(pairs),
                headers=FORM,
                timeout=60,
            )
        finally:
            child.send_signal(signal.SIGTERM)
            child.wait(30)
        page = parse(posted.text, posted.status_code)
        assert (page.status, page.title) == (503, "Your answers are not saved yet")
        assert "could not be stored" in child.stderr.read()  # the cause, for staff
    finally:
        keeper.close()
    assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] == resource.RLIM_INFINITY
    with web_site(project, make_engine) as roomy:
        again = Visitor(roomy.client(), visitor.path)
        again.page = page
        done = again.try_again()
        assert (done.status, done.title) == (200, "Thank you")
        [row] = roomy.responses()
        assert json.loads(row["answers"]) == SHIPPED_ANSWERS
