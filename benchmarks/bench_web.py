"""Benchmark: the web form under 50 concurrent clients, against a bare Starlette endpoint.

Run from the project root (never from pytest; it asserts nothing, it prints figures):

    python benchmarks/bench_web.py                        # 50 clients x 20 submissions, 3 rounds
    python benchmarks/bench_web.py --clients 20 --per-client 50
    python benchmarks/bench_web.py --rounds 5             # more rounds (the median is reported)
    python benchmarks/bench_web.py --flow phased          # every GET first, then the submissions alone
    python benchmarks/bench_web.py --rate 300             # 300 submissions begun per second, not flat out
    python benchmarks/bench_web.py --client httpx         # httpx.AsyncClient as the load generator
    python benchmarks/bench_web.py --profile              # and one more round of ours under cProfile

Goals (from the issue): the web form's submissions reach **at least half the bare endpoint's
throughput**, and its **p99 submission latency is under 50 ms**.

What runs:

* ours: ``make_app(engine)`` of ``feedback_web`` on a temporary project whose default survey is a
  one-section survey of 9 questions (single choice, likert, then/now, rating, yes/no, a number shown
  only after "yes", two texts), one event, N + clients people who attended, and one invitation
  each, prepared with `Invitations.prepare` and marked sent;
* bare: a Starlette app of two routes on the same path: GET ``/s/<token>`` answers a small page
  with a hidden ``csrf`` input; POST parses the same form body, turns it into the same answers
  (generically: ``yes``/``no`` to booleans, digits to integers, ``q.then``/``q.now`` to a
  mapping), and inserts the same row as the ``responses`` table holds (id, event, survey,
  survey_version, channel, language, submitted, answers JSON with sorted keys, SHA-256 content
  hash) into a SQLite file with the store's schema for that table and its settings (WAL,
  ``synchronous=FULL``, foreign keys, ``BEGIN IMMEDIATE``), answering 303.

Each app is served by uvicorn in its own process (``python benchmarks/bench_web.py --serve ...``) on a
socket of 127.0.0.1 that this script binds to a free port and hands down; the same uvicorn
settings for both (access log off unless ``--access-log``). The load generator is this process:
asyncio, one keep-alive connection per client, and a minimal HTTP/1.1 client on asyncio streams
(``--client httpx``: one ``httpx.AsyncClient`` per client, which costs about ten times the CPU per
request, enough to hold the bare server back on a small machine). A client's warm-up, untimed:
GET ``/`` and GET one warm-up link (ours: compiles the templates, reads the survey, saves a
draft). Then each client takes its own N / clients links, one after another: GET ``/s/<token>``
(the csrf, page and shown fields are read from the page), then POST the complete answers with
``action=next``. Timed: each GET, each POST (the submission, up to its 303), and the whole run
(submissions/s). ``--flow phased`` first GETs every link, then POSTs them all, so that the
submissions' throughput is measured alone. ``--rate`` paces the clients (an offered load instead
of a closed loop): latencies at a given load rather than flat out.

Each round starts both servers afresh, on a fresh copy of the project and a fresh bare database,
the order alternating between rounds. Afterwards it checks that each database holds exactly N
responses (ours: N invitations completed) and that both stored the same rows. Also read: the
CPU seconds of the server process (``/proc/<pid>/stat``) and of this process during the run, and
how many of the machine's CPUs were busy meanwhile (``/proc/stat``, every process).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SURVEY_ID = "bench-web"
EVENT_ID = "bench-web-2024"
GOAL_RATIO = 0.5
GOAL_P99_MS = 50.0

SURVEY_YAML = """\
id: bench-web
title: {en: "Web benchmark", nl: "Webbenchmark"}
description: {en: "One page of the usual question types.", nl: "Eén pagina met de gewone soorten vragen."}
languages: [en, nl]
anonymous: true

scales:
  agree5:
    points:
      - {id: strongly_disagree, label: {en: "Strongly disagree", nl: "Helemaal oneens"}}
      - {id: disagree, label: {en: "Disagree", nl: "Oneens"}}
      - {id: neutral, label: {en: "Neither agree nor disagree", nl: "Niet eens, niet oneens"}}
      - {id: agree, label: {en: "Agree", nl: "Eens"}}
      - {id: strongly_agree, label: {en: "Strongly agree", nl: "Helemaal eens"}}
    na: {id: dont_know, label: {en: "Don't know", nl: "Weet ik niet"}}
  knowledge5:
    points:
      - {id: none, label: {en: "None", nl: "Geen"}}
      - {id: little, label: {en: "A little", nl: "Weinig"}}
      - {id: some, label: {en: "Some", nl: "Enigszins"}}
      - {id: good, label: {en: "Good", nl: "Goed"}}
      - {id: very_good, label: {en: "Very good", nl: "Zeer goed"}}

sections:
  - id: everything
    title: {en: "Your seminar", nl: "Uw seminar"}
    intro: {en: "A few questions on one page.", nl: "Een paar vragen op één pagina."}
    questions:
      - id: role
        type: single_choice
        label: {en: "Which best describes your role?", nl: "Wat beschrijft uw rol het best?"}
        required: true
        choices:
          - {id: mp, label: {en: "Member of parliament", nl: "Parlementslid"}}
          - {id: ngo, label: {en: "NGO", nl: "Ngo"}}
          - {id: national_rapporteur, label: {en: "National Rapporteur", nl: "Nationaal rapporteur"}}
          - {id: law_enforcement, label: {en: "Law enforcement", nl: "Opsporing"}}
          - {id: government, label: {en: "Government", nl: "Overheid"}}
          - {id: other, label: {en: "Other", nl: "Anders"}}
      - id: useful
        type: likert
        label: {en: "The seminar was useful for my work", nl: "Het seminar was nuttig voor mijn werk"}
        scale: agree5
        measures: usefulness
      - id: cooperate
        type: likert
        label: {en: "I will cooperate with the NGOs I met", nl: "Ik ga samenwerken met de ngo's die ik ontmoette"}
        scale: agree5
        measures: ngo_cooperation
      - id: knowledge
        type: then_now
        label: {en: "Your knowledge of the rapporteur's role", nl: "Uw kennis van de rol van de rapporteur"}
        scale: knowledge5
        then_label: {en: "Before the seminar", nl: "Vóór het seminar"}
        now_label: {en: "Now", nl: "Nu"}
        measures: awareness
      - id: overall
        type: rating
        label: {en: "Overall, how would you rate the seminar?", nl: "Welk cijfer geeft u het seminar?"}
        min: 0
        max: 10
        min_label: {en: "Very poor", nl: "Zeer slecht"}
        max_label: {en: "Excellent", nl: "Uitstekend"}
      - id: passed_contacts
        type: yes_no
        label: {en: "Have you passed on contacts for the next event?", nl: "Hebt u contacten doorgegeven voor het volgende evenement?"}
        measures: contacts
      - id: contacts
        type: number
        label: {en: "How many?", nl: "Hoeveel?"}
        integer: true
        min: 0
        max: 50
        show_if: {passed_contacts: true}
      - id: liked
        type: text
        label: {en: "What did you like most?", nl: "Wat vond u het beste?"}
        max_length: 500
      - id: improve
        type: text
        long: true
        label: {en: "What should we improve?", nl: "Wat kunnen we verbeteren?"}
"""

PHRASES = (
    "More time for questions after each panel would help.",
    "The session with the national rapporteurs was the most useful part for me.",
    "Please send the slides in advance.",
    "Interprétation parfois difficile à suivre.",
    "Fewer speeches, more working groups — and a field visit.",
    "Excellent organisation, thank you!",
    "Een vervolgbijeenkomst met de ngo's uit België zou waardevol zijn.",
)

#: The fields of the form that are not answers (the bare app skips them).
FORM_FIELDS = ("csrf", "page", "shown", "action", "response")

# -- the servers (child processes) ------------------------------------------------------------


def uvicorn_config(app: Any, access_log: bool) -> Any:
    """The same uvicorn settings for both apps: those of `feedback serve`, access log aside."""
    import uvicorn

    return uvicorn.Config(
        app,
        proxy_headers=False,
        server_header=False,
        log_level="info" if access_log else "warning",
        access_log=access_log,
    )


def serve_ours(project: Path, fd: int, access_log: bool, profile: Path | None) -> None:
    import logging

    import uvicorn

    from feedback.config import load_settings
    from feedback.engine import Engine
    from feedback.plugins import make_plugin_manager
    from feedback_web.app import make_app
    from feedback_web.security import RedactTokens

    engine = Engine(settings=load_settings(project), pm=make_plugin_manager())
    engine.survey()  # as `feedback serve` does before it serves
    app = make_app(engine)
    for name in ("uvicorn.access", "uvicorn.error", "uvicorn"):
        logging.getLogger(name).addFilter(RedactTokens())
    server = uvicorn.Server(uvicorn_config(app, access_log))
    sock = socket.socket(fileno=fd)
    if profile is None:
        server.run(sockets=[sock])
        return
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        server.run(sockets=[sock])
    finally:
        profiler.disable()
        profiler.dump_stats(profile)


def bare_app(db: Path, event: str, survey: str, version: str) -> Any:
    """The baseline: Starlette, one GET and one async POST endpoint, sqlite3, nothing else."""
    import hashlib
    import hmac
    import uuid

    import orjson
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Route

    conn = sqlite3.connect(db, timeout=10.0, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA journal_mode = WAL")
    insert = (
        "INSERT INTO responses (id, event, survey, survey_version, channel, language, submitted,"
        " answers, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    secret = os.urandom(32)
    digits = re.compile(r"^-?[0-9]+$")

    def csrf(token: str) -> str:
        return hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()

    async def home(request: Request) -> Response:
        return PlainTextResponse("bare")

    async def page(request: Request) -> Response:
        token = request.path_params["token"]
        return HTMLResponse(
            f'<form method="post" action="/s/{token}">'
            f'<input type="hidden" name="csrf" value="{csrf(token)}">'
            '<input type="hidden" name="page" value="0">'
            '<input type="hidden" name="shown" value="">'
            '<button name="action" value="next">Submit</button></form>'
        )

    async def submit(request: Request) -> Response:
        token = request.path_params["token"]
        form = await request.form()
        if not hmac.compare_digest(csrf(token), str(form.get("csrf", ""))):
            return PlainTextResponse("csrf", status_code=403)
        answers: dict[str, Any] = {}
        for key, raw in form.multi_items():
            if key in FORM_FIELDS:
                continue
            value: Any = str(raw).replace("\r\n", "\n").strip()
            if not value:
                continue
            if value in ("yes", "no"):
                value = value == "yes"
            elif digits.match(value):
                value = int(value)
            qid, _, row = key.partition(".")
            if row:
                answers.setdefault(qid, {})[row] = value
            else:
                answers[qid] = value
        record = {
            "id": str(uuid.uuid4()),
            "survey": survey,
            "survey_version": version,
            "event": event,
            "channel": "web",
            "language": "en",
            "submitted": dt.date.today().isoformat(),
            "answers": answers,
        }
        answers_json = orjson.dumps(answers, option=orjson.OPT_SORT_KEYS).decode()
        digest = hashlib.sha256(orjson.dumps(record, option=orjson.OPT_SORT_KEYS)).hexdigest()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                insert,
                [
                    record["id"],
                    event,
                    survey,
                    version,
                    "web",
                    "en",
                    record["submitted"],
                    answers_json,
                    digest,
                ],
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return RedirectResponse(f"/s/{token}?done=1", status_code=303)

    return Starlette(
        routes=[
            Route("/", home),
            Route("/s/{token}", page, methods=["GET"]),
            Route("/s/{token}", submit, methods=["POST"]),
        ]
    )


def serve_bare(db: Path, fd: int, access_log: bool, event: str, survey: str, version: str) -> None:
    import uvicorn

    server = uvicorn.Server(uvicorn_config(bare_app(db, event, survey, version), access_log))
    server.run(sockets=[socket.socket(fileno=fd)])


# -- the project, the bare database, the answers --------------------------------------------------


def build_project(base: Path, count: int) -> tuple[Path, list[str], str]:
    """A project with the benchmark's survey as default, one event, ``count`` attendees and their
    invitations (marked sent); returns (directory, tokens, survey version)."""
    from feedback.config import load_settings
    from feedback.engine import Engine
    from feedback.invitations import Invitations
    from feedback.plugins import make_plugin_manager

    project = base / "template"
    (project / "surveys").mkdir(parents=True)
    (project / "surveys" / f"{SURVEY_ID}.yaml").write_text(SURVEY_YAML, encoding="utf-8")
    (project / "feedback.toml").write_text(f'default_survey = "{SURVEY_ID}"\n', encoding="utf-8")
    engine = Engine(settings=load_settings(project), pm=make_plugin_manager())
    try:
        survey = engine.survey()
        store = engine.store
        store.upsert_event(
            {
                "id": EVENT_ID,
                "title": "Web benchmark seminar",
                "date": "2024-03-14",
                "city": "The Hague",
                "country": "NL",
            }
        )
        with store.write():
            for i in range(count):
                person = store.save_person(
                    {"name": f"Participant {i:05d}", "email": f"p{i:05d}@example.org"}
                )
                store.set_attendance(person, EVENT_ID, invited=True, attended=True)
        invitations = Invitations(store, engine.settings.invitations.expires_days)
        pairs, skipped = invitations.prepare(EVENT_ID, survey.id, list(survey.languages))
        if skipped or len(pairs) != count:
            raise SystemExit(f"prepared {len(pairs)} invitations for {count} people ({skipped})")
        with store.write():  # one transaction: the mark_sent of each is a savepoint in it
            for invitation, _ in pairs:
                invitations.mark_sent(invitation, "smtp")
            # the survey's version row, as the first submission stores it (the bare FK needs it)
            store.save_survey_version(
                survey.id,
                survey.version,
                survey.text(survey.title),
                json.dumps(survey.canonical(), sort_keys=True, ensure_ascii=False),
            )
        if {i.language for i, _ in pairs} != {"en"}:
            raise SystemExit("the bare app stores language 'en': every invitation must be in it")
        version = survey.version
    finally:
        engine.close()  # the last connection: the WAL is checkpointed into the file
    return project, [token for _, token in pairs], version


def bare_database(project_db: Path, path: Path) -> None:
    """A fresh database with the store's DDL for responses (and the tables its foreign keys
    name), holding the event and survey rows, so that the bare insert checks the same keys."""
    with closing(sqlite3.connect(project_db)) as source:
        ddl = [
            sql
            for (sql,) in source.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN "
                "('events', 'surveys', 'responses') ORDER BY type = 'index', rowid"
            )
        ]
        events = source.execute("SELECT * FROM events").fetchall()
        surveys = source.execute("SELECT * FROM surveys").fetchall()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for sql in ddl:
        conn.execute(sql)
    for table, rows in (("events", events), ("surveys", surveys)):
        for row in rows:
            conn.execute(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in row)})", row)
    conn.close()


def make_answers(rng: random.Random) -> dict[str, str]:
    """The form fields of a complete, valid page of answers (as a browser would post them)."""
    fields = {
        "role": rng.choice(["mp", "ngo", "national_rapporteur", "law_enforcement", "other"]),
        "useful": rng.choice(["disagree", "neutral", "agree", "strongly_agree", "dont_know"]),
        "cooperate": rng.choice(["neutral", "agree", "strongly_agree"]),
        "knowledge.then": rng.choice(["none", "little", "some"]),
        "knowledge.now": rng.choice(["some", "good", "very_good"]),
        "overall": str(rng.randint(4, 10)),
        "passed_contacts": rng.choice(["yes", "no"]),
        "liked": " ".join(rng.sample(PHRASES[:6], 2)),
        "improve": "\r\n".join(rng.sample(PHRASES, 3)),
    }
    if fields["passed_contacts"] == "yes":
        fields["contacts"] = str(rng.randint(0, 12))
    return fields


# -- the load generator -----------------------------------------------------------------------

#: The hidden fields of a page (csrf, page, shown, ...), posted back as a browser does.
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


class Failure(Exception):
    pass


class RawClient:
    """One keep-alive HTTP/1.1 connection on asyncio streams, and nothing else: a load generator
    that costs the client far less CPU than httpx, so that the bare server is not held back by it.
    It reads what uvicorn answers here (``Content-Length`` or chunked bodies)."""

    def __init__(self, port: int):
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(
        self, method: str, path: str, fields: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        body = b""
        if fields is not None:
            body = urlencode(fields).encode()
            head += "Content-Type: application/x-www-form-urlencoded\r\n"
            head += f"Content-Length: {len(body)}\r\n"
        message = head.encode() + b"\r\n" + body
        reused = self.streams is not None
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        try:
            writer.write(message)
            await writer.drain()
            block = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                raise
            # the server closed the idle connection (uvicorn's keep-alive timeout, 5 s) before
            # it read a byte of the request: once more on a new one
            await self.close()
            self.streams = reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            writer.write(message)
            await writer.drain()
            block = await reader.readuntil(b"\r\n\r\n")
        lines = block.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            data = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")
            data = b"".join(parts)
        else:
            raise Failure(f"{method} {path}: a response without a length: {headers}")
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, data.decode("utf-8", "replace")

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


class HttpxClient:
    """One ``httpx.AsyncClient`` of one keep-alive connection."""

    def __init__(self, port: int):
        import httpx

        self.client = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}",
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            timeout=120.0,
        )

    async def request(
        self, method: str, path: str, fields: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        response = await self.client.request(method, path, data=fields)
        return response.status_code, dict(response.headers), response.text

    async def close(self) -> None:
        await self.client.aclose()


async def get_page(client: Any, token: str) -> tuple[float, dict[str, str]]:
    start = time.perf_counter()
    status, _, text = await client.request("GET", f"/s/{token}")
    elapsed = time.perf_counter() - start
    if status != 200:
        raise Failure(f"GET /s/{token[:6]}...: {status} {text[:300]}")
    hidden = dict(HIDDEN.findall(text))
    if "csrf" not in hidden:
        raise Failure(f"GET /s/{token[:6]}...: no csrf field in {text[:300]}")
    return elapsed, hidden


async def post_page(
    client: Any, token: str, hidden: dict[str, str], answers: dict[str, str]
) -> float:
    fields = {**hidden, "action": "next", **answers}
    start = time.perf_counter()
    status, headers, text = await client.request("POST", f"/s/{token}", fields)
    elapsed = time.perf_counter() - start
    location = urlsplit(headers.get("location", ""))
    if status != 303 or location.path != f"/s/{token}" or "done=1" not in location.query:
        raise Failure(f"POST /s/{token[:6]}...: {status} {location.geturl()} {text[:500]}")
    return elapsed


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """(all, idle) CPU ticks of the machine so far (Linux), for how busy it was meanwhile."""
    try:
        ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    return sum(ticks[:8]), ticks[3] + ticks[4]


async def load(
    port: int,
    pid: int,
    warm: list[str],
    work: list[list[str]],
    answers: dict[str, dict[str, str]],
    flow: str,
    http: str,
    rate: float = 0.0,
) -> dict[str, Any]:
    """Drive one server: warm-up, then every client through its links; the figures.

    With ``rate``, the k-th link of client c is begun at ``(k * clients + c) / rate`` seconds
    after the start (or as soon as the client is free, when the server falls behind)."""
    clients = [(RawClient if http == "raw" else HttpxClient)(port) for _ in work]
    gets: list[float] = []
    posts: list[float] = []

    async def warm_up(client: Any, token: str) -> None:
        status, _, _ = await client.request("GET", "/")
        if status != 200:
            raise Failure(f"GET /: {status}")
        await get_page(client, token)

    async def interleaved(client: Any, tokens: list[str], c: int) -> None:
        for k, token in enumerate(tokens):
            if rate:
                await asyncio.sleep(start + (k * len(work) + c) / rate - time.perf_counter())
            elapsed, hidden = await get_page(client, token)
            gets.append(elapsed)
            posts.append(await post_page(client, token, hidden, answers[token]))

    async def only_gets(client: Any, tokens: list[str], pages: dict[str, dict[str, str]]) -> None:
        for token in tokens:
            elapsed, pages[token] = await get_page(client, token)
            gets.append(elapsed)

    async def only_posts(client: Any, tokens: list[str], pages: dict[str, dict[str, str]]) -> None:
        for token in tokens:
            posts.append(await post_page(client, token, pages[token], answers[token]))

    try:
        await asyncio.gather(*(warm_up(c, t) for c, t in zip(clients, warm, strict=True)))
        cpu, server_cpu, ticks = time.process_time(), cpu_seconds(pid), machine_ticks()
        start = time.perf_counter()
        if flow == "interleaved":
            await asyncio.gather(
                *(interleaved(c, t, i) for i, (c, t) in enumerate(zip(clients, work, strict=True)))
            )
        else:
            pages: dict[str, dict[str, str]] = {}
            await asyncio.gather(
                *(only_gets(c, t, pages) for c, t in zip(clients, work, strict=True))
            )
            start = time.perf_counter()  # the throughput of the POST phase alone
            await asyncio.gather(
                *(only_posts(c, t, pages) for c, t in zip(clients, work, strict=True))
            )
        wall = time.perf_counter() - start
        cpu, server_cpu = time.process_time() - cpu, cpu_seconds(pid) - server_cpu
        total, idle = (a - b for a, b in zip(machine_ticks(), ticks, strict=True))
    finally:
        await asyncio.gather(*(c.close() for c in clients))
    n = len(posts)
    return {
        "n": n,
        "wall": wall,
        "throughput": n / wall,
        "gets": gets,
        "posts": posts,
        "client_cpu_ms": cpu * 1000 / n,
        "server_cpu_ms": server_cpu * 1000 / n,
        "busy": (1 - idle / total) * (os.cpu_count() or 1) if total else float("nan"),
    }


# -- running a round --------------------------------------------------------------------------


def listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def wait_until_up(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Until the server answers GET / (its app is built by then)."""
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"the server did not come up:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # uvicorn shuts down gracefully (and a profile is dumped)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_server(
    kind: str,
    serve_args: list[str],
    log: Path,
    warm: list[str],
    work: list[list[str]],
    answers: dict[str, dict[str, str]],
    flow: str,
    http: str,
    rate: float,
) -> dict[str, Any]:
    sock = listening_socket()
    port = sock.getsockname()[1]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", kind, "--fd", str(sock.fileno()), *serve_args],
            stdout=out,
            stderr=subprocess.STDOUT,
            pass_fds=[sock.fileno()],
            cwd=ROOT,
        )
    sock.close()  # the child holds it now
    try:
        wait_until_up(port, proc, log)
        try:
            return asyncio.run(load(port, proc.pid, warm, work, answers, flow, http, rate))
        except Failure as exc:
            raise SystemExit(f"{kind}: {exc}\n{log.read_text()[-3000:]}") from None
    finally:
        stop(proc)


def stored(db: Path) -> tuple[int, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(db)) as conn:
        count = conn.execute("SELECT count(*) FROM responses").fetchone()[0]
        rows = conn.execute(
            "SELECT event, survey, survey_version, channel, language, submitted, answers"
            " FROM responses ORDER BY answers"
        ).fetchall()
    return count, rows


def one_round(
    base: Path,
    number: int,
    template: Path,
    version: str,
    warm: list[str],
    work: list[list[str]],
    answers: dict[str, dict[str, str]],
    args: argparse.Namespace,
    kinds: tuple[str, ...],
    profile: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Both servers (or those in ``kinds``), each on fresh data; the checks; the figures."""
    n = sum(len(t) for t in work)
    project = base / f"round-{number}"
    shutil.copytree(template, project)
    bare_db = base / f"round-{number}-bare.db"
    bare_database(project / "feedback.db", bare_db)
    extra = ["--access-log"] if args.access_log else []
    out: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        if kind == "ours":
            serve = ["--project", str(project), *extra]
            if profile is not None:
                serve += ["--profile-out", str(profile)]
        else:
            serve = [
                *("--db", str(bare_db), "--event", EVENT_ID),
                *("--survey", SURVEY_ID, "--version", version, *extra),
            ]
        log = base / f"round-{number}-{kind}.log"
        out[kind] = run_server(
            kind, serve, log, warm, work, answers, args.flow, args.client, args.rate
        )
    # -- the checks: exactly N responses, the invitations completed, the same answers -----------
    rows: dict[str, list[tuple[Any, ...]]] = {}
    if "ours" in kinds:
        count, rows["ours"] = stored(project / "feedback.db")
        with closing(sqlite3.connect(project / "feedback.db")) as conn:
            completed = conn.execute(
                "SELECT count(*) FROM invitations WHERE completed IS NOT NULL"
            ).fetchone()[0]
        if count != n or completed != n:
            raise SystemExit(f"ours stored {count} responses, completed {completed}; not {n}")
    if "bare" in kinds:
        count, rows["bare"] = stored(bare_db)
        if count != n:
            raise SystemExit(f"bare stored {count} responses, not {n}")
    if len(rows) == 2 and rows["ours"] != rows["bare"]:
        diff = next((a, b) for a, b in zip(rows["ours"], rows["bare"], strict=True) if a != b)
        raise SystemExit(f"ours and bare stored different rows, e.g.\n  {diff[0]}\n  {diff[1]}")
    if not args.keep:
        shutil.rmtree(project)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{bare_db}{suffix}").unlink(missing_ok=True)
    return out


# -- figures ----------------------------------------------------------------------------------


def pct(values: list[float], p: int) -> float:
    """The p-th percentile in ms (inclusive method: p50 is the median)."""
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000


def summary(run: dict[str, Any]) -> dict[str, float]:
    return {
        "throughput": run["throughput"],
        "post_p50": pct(run["posts"], 50),
        "post_p95": pct(run["posts"], 95),
        "post_p99": pct(run["posts"], 99),
        "post_max": max(run["posts"]) * 1000,
        "get_p50": pct(run["gets"], 50),
        "get_p99": pct(run["gets"], 99),
        "server_cpu_ms": run["server_cpu_ms"],
        "client_cpu_ms": run["client_cpu_ms"],
        "busy": run["busy"],
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def print_profile(path: Path, top: int) -> None:
    import pstats

    print(f"\ncProfile of the server process (ours), the whole run: {path}")
    for order in ("cumulative", "tottime"):
        print(f"\n  -- top {top} by {order} --")
        stats = pstats.Stats(str(path))
        stats.strip_dirs().sort_stats(order).print_stats(top)


def implementation() -> str:
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"loop {loop}, http {http}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--per-client", type=int, default=20, help="submissions per client")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (the median is reported)")
    parser.add_argument(
        "--flow",
        choices=["interleaved", "phased"],
        default="interleaved",
        help="GET then POST each link (default), or every GET first and then every POST",
    )
    parser.add_argument(
        "--client",
        choices=["raw", "httpx"],
        default="raw",
        help="the load generator's HTTP client: asyncio streams (default) or httpx.AsyncClient",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="submissions begun per second in all (default: as fast as the server answers)",
    )
    parser.add_argument("--access-log", action="store_true", help="uvicorn's access log on")
    parser.add_argument("--profile", action="store_true", help="one more round of ours, profiled")
    parser.add_argument("--profile-top", type=int, default=35)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    # the server processes
    parser.add_argument("--serve", choices=["ours", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--fd", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--event", help=argparse.SUPPRESS)
    parser.add_argument("--survey", help=argparse.SUPPRESS)
    parser.add_argument("--version", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rate and args.flow != "interleaved":
        parser.error("--rate paces the interleaved flow only")
    if min(args.clients, args.per_client, args.rounds) < 1:
        parser.error("--clients, --per-client and --rounds take 1 or more")

    if args.serve == "ours":
        serve_ours(args.project, args.fd, args.access_log, args.profile_out)
        return
    if args.serve == "bare":
        serve_bare(args.db, args.fd, args.access_log, args.event, args.survey, args.version)
        return

    import starlette
    import uvicorn

    client = "asyncio streams"
    if args.client == "httpx":
        import httpx

        client = f"httpx {httpx.__version__}"
    n = args.clients * args.per_client
    print(
        f"web benchmark: Python {sys.version.split()[0]}, uvicorn {uvicorn.__version__} "
        f"({implementation()}), Starlette {starlette.__version__}, {os.cpu_count()} CPUs; "
        f"{args.clients} clients x {args.per_client} submissions = {n}, {args.rounds} rounds, "
        f"flow {args.flow}, client {client}, access log {'on' if args.access_log else 'off'}"
        + (f", {args.rate:g} submissions begun per second" if args.rate else "")
    )
    base = Path(tempfile.mkdtemp(prefix="web-bench-"))
    try:
        start = time.perf_counter()
        template, tokens, version = build_project(base, n + args.clients)
        warm, timed = tokens[: args.clients], tokens[args.clients :]
        work = [timed[c :: args.clients] for c in range(args.clients)]
        rng = random.Random(args.seed)
        answers = {token: make_answers(rng) for token in timed}
        print(
            f"  project: {n + args.clients} people and invitations "
            f"({args.clients} for the warm-up), built in {time.perf_counter() - start:.1f} s"
        )

        rounds: dict[str, list[dict[str, float]]] = {"bare": [], "ours": []}
        print(
            f"\n  {'round':8} {'app':5} {'subm/s':>8} {'POST p50':>9} {'p95':>8} {'p99':>8} "
            f"{'max':>8} {'GET p50':>8} {'p99':>8} {'server CPU':>11} {'client CPU':>11} "
            f"{'machine':>8}"
        )
        for number in range(1, args.rounds + 1):
            kinds = ("bare", "ours") if number % 2 else ("ours", "bare")
            runs = one_round(
                base, number, template, version, warm, work, answers, args, kinds=kinds
            )
            for kind in ("bare", "ours"):
                s = summary(runs[kind])
                rounds[kind].append(s)
                print(
                    f"  {number:<8} {kind:5} {s['throughput']:8.1f} {s['post_p50']:7.1f}ms "
                    f"{s['post_p95']:6.1f}ms {s['post_p99']:6.1f}ms {s['post_max']:6.1f}ms "
                    f"{s['get_p50']:6.1f}ms {s['get_p99']:6.1f}ms "
                    f"{s['server_cpu_ms']:9.2f}ms {s['client_cpu_ms']:9.2f}ms {s['busy']:8.2f}"
                )
        print(
            "  (server and client CPU: milliseconds per submission, its GET included; machine: "
            f"CPUs busy of {os.cpu_count()},\n   every process, during the run. Checked: each "
            f"database holds exactly {n} responses,\n   ours completed {n} invitations, and both "
            "stored the same rows)"
        )

        med = {
            kind: {key: statistics.median(r[key] for r in rows) for key in rows[0]}
            for kind, rows in rounds.items()
        }
        b, o = med["bare"], med["ours"]
        what = "submissions/s (GET + POST each)"
        if args.flow == "phased":
            what = "submissions/s (POST phase alone)"
        print(f"\nMedian of {args.rounds} rounds")
        print(f"  {'':34} {'bare':>10} {'ours':>10} {'ours/bare':>10}")
        rows_out = (
            (what, "throughput", ""),
            ("POST latency p50", "post_p50", "ms"),
            ("POST latency p95", "post_p95", "ms"),
            ("POST latency p99", "post_p99", "ms"),
            ("GET (page render) latency p50", "get_p50", "ms"),
            ("GET (page render) latency p99", "get_p99", "ms"),
            ("server CPU per submission", "server_cpu_ms", "ms"),
            ("load generator CPU per submission", "client_cpu_ms", "ms"),
        )
        for label, key, unit in rows_out:
            print(
                f"  {label:34} {b[key]:8.1f}{unit:2} {o[key]:8.1f}{unit:2} {o[key] / b[key]:9.2f}x"
            )
        if args.flow == "phased":
            print("  (phased: the throughput is of the POSTs alone, after every GET was made)")
        ratio = o["throughput"] / b["throughput"]
        print(
            f"  goal: throughput at least {GOAL_RATIO:.0%} of bare: {ratio:.2f}, "
            + ("n/a (paced)" if args.rate else verdict(ratio >= GOAL_RATIO))
        )
        print(
            f"  goal: POST p99 under {GOAL_P99_MS:.0f} ms: {o['post_p99']:.1f} ms, "
            f"{verdict(o['post_p99'] < GOAL_P99_MS)} (bare: {b['post_p99']:.1f} ms)"
        )
        little = args.clients / (2 * o["throughput"]) * 1000
        if args.rate:
            print(
                f"  (paced at {args.rate:g} submissions/s: the throughput is the rate as long as the"
                " server keeps up;\n   compare the latencies)"
            )
        elif args.flow == "interleaved":
            print(
                f"  (closed loop: {args.clients} clients always waiting, so the mean latency of a"
                f" request is about clients / requests per second = {little:.1f} ms for ours)"
            )

        if args.profile:
            profile = base / "ours.prof"
            one_round(base, 0, template, version, warm, work, answers, args, ("ours",), profile)
            print_profile(profile, args.profile_top)
            if args.keep:
                print(f"  (kept: {profile}; e.g. python -m pstats {profile})")
    finally:
        if args.keep:
            print(f"\nkept: {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
