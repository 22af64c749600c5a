"""Benchmark: `feedback responses import` of many valid responses, against bare SQLite floors.

Run from the project root (never from pytest; it asserts nothing, it prints figures):

    python benchmarks/bench_import.py                 # 50,000 responses: time and ratios vs. the floors
    python benchmarks/bench_import.py --n 200000      # another size
    python benchmarks/bench_import.py --memory        # peak RSS of the import for 50,000 and 500,000

Goals (from the issue):

* speed: the whole `feedback responses import` process takes at most ~3x a bare sqlite3
  ``executemany`` of the same rows into the same table with the same pragmas, i.e.
  ratio = floor time / import time >= 0.3;
* memory: the import streams its file inside one transaction, so the peak RSS for 500,000 responses
  is within 1.5x of the peak for 50,000.

What is measured (each figure is the median of ``--repeat`` runs, 3 by default):

* import: ``python -c "from feedback.cli import cli; cli()" --project DIR responses import FILE``,
  a fresh project directory and database per run (the event is added first, untimed);
* floor (a), bare insert: a fresh SQLite file with the store's pragmas (WAL, synchronous=FULL,
  foreign keys on) and the store's own schema (copied from the imported database's
  ``sqlite_master``), one ``BEGIN IMMEDIATE`` transaction, ``executemany`` of exactly the rows the
  import stored (pre-built tuples; only the insert and the commit are timed);
* floor (b), bare script: a child Python process that reads the same JSON Lines file, parses each
  line, serialises the answers and hashes the record as the store does, and ``executemany``-inserts
  in one transaction (the whole process, interpreter start included);
* fixed cost: the whole import process for a one-response file (interpreter start, imports,
  settings, plugins, survey loading, migrations check).

``--memory`` runs the import as a child process for each size (and for one response, the process
alone) and reads that child's own peak RSS from ``os.wait4``: ``getrusage(RUSAGE_CHILDREN)`` would
give the maximum over every child reaped so far. The response files are written line by line.

Two more sections run after that one (``--only`` picks sections):

* offline (``--offline-files N``, 10,000): N response files of the offline form, one response each
  (``response-<uuid>.json``, channel ``offline``), imported from their folder by
  ``feedback_offline.importer.import_files`` (the function behind ``feedback offline import``) into a
  fresh database, in this process, the engine started first (untimed); against a bare baseline
  that lists and reads the same files (open, read, ``json.loads``), builds the same rows (the
  ``responses`` columns, answers as JSON, a SHA-256 hash) and ``executemany``-inserts them in one
  transaction into a fresh database with the store's schema and settings. Goal: bare / ours >=
  0.25. A second import of the same folder (stores nothing new) is timed too.
* merge (``--merge-size N``, 100,000 per database): ``feedback_offline.merging.merge_database`` of
  three kiosk databases, each holding N responses of which 20% are copies of another database's,
  into a fresh main database; each run in a child process, whose peak RSS is read from
  ``os.wait4``. Then the same three again (nothing new is stored).

    python benchmarks/bench_import.py --only offline --offline-files 2000
    python benchmarks/bench_import.py --only merge --merge-size 20000 --merge-repeat 1
    python benchmarks/bench_import.py --only offline --profile    # one more run under cProfile
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import io
import json
import os
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from feedback.store import RESPONSE_COLUMNS  # the columns of a stored response, in order

ROOT = Path(__file__).resolve().parent.parent
SURVEY_ID = "post-seminar"
EVENT_ID = "bench-2024"
EVENT_DATE = dt.date(2024, 3, 14)
CHANNELS = ("kiosk", "kiosk", "web", "web", "web", "open-link", "paper")  # registered channels
GOAL_RATIO = 0.3
GOAL_MEMORY = 1.5
GOAL_OFFLINE_RATIO = 0.25
SECTIONS = ("responses", "offline", "merge")
EVENT = {
    "id": EVENT_ID,
    "title": "Benchmark seminar",
    "date": EVENT_DATE.isoformat(),
    "city": "The Hague",
    "country": "NL",
}

#: The CLI in a child process, whatever is (or is not) installed as a console script.
CLI = [sys.executable, "-c", "from feedback.cli import cli; cli(prog_name='feedback')"]

PHRASES_EN = (
    "More time for questions after each panel would help.",
    "The session with the national rapporteurs was the most useful part for me.",
    "Please send the slides and the list of participants' organisations in advance.",
    "Interpretation into French was sometimes hard to follow.",
    "I would like a follow-up meeting with the NGOs from the Balkan countries.",
    "Fewer speeches, more working groups.",
    "Excellent organisation, thank you!",
    "A field visit to a shelter would make the problem very concrete.",
    "Could the next seminar discuss labour exploitation in agriculture?",
    "Good mix of parliamentarians, police and civil society.",
)
PHRASES_NL = (
    "Meer tijd voor vragen na elk panel zou helpen.",
    "Het gesprek met de nationaal rapporteurs was voor mij het nuttigste deel.",
    "Graag de presentaties vooraf toesturen, inclusief de lijst van organisaties.",
    "De tolk was soms moeilijk te volgen; misschien een betere geluidsinstallatie?",
    "Een vervolgbijeenkomst met de ngo's uit België en Roemenië zou waardevol zijn.",
    "Minder toespraken, meer werkgroepen.",
    "Uitstekend georganiseerd, hartelijk dank!",
    "Een werkbezoek aan een opvanghuis maakt het probleem heel concreet.",
)


# -- generating responses -----------------------------------------------------------------------


def load_survey() -> Any:
    """The shipped survey, read through the project's own loader (untimed)."""
    from feedback.config import load_settings
    from feedback.engine import Engine

    with tempfile.TemporaryDirectory(prefix="feedback-bench-survey-") as empty:
        engine = Engine(settings=load_settings(Path(empty)))
        try:
            return engine.survey(SURVEY_ID)
        finally:
            engine.close()


class ResponseMaker:
    """Random but valid responses: walks the questions in order and honours ``show_if``."""

    def __init__(self, survey: Any, seed: int):
        from feedback import survey as model

        self.survey = survey
        self.rng = random.Random(seed)
        self.model = model
        self.questions = [q for q in survey.all_questions() if q.answerable]

    def answer(self, question: Any, language: str) -> Any:
        rng, m = self.rng, self.model
        if isinstance(question, m.SingleChoice):
            return rng.choice(question.answer_ids())
        if isinstance(question, m.MultiChoice):
            ids = question.answer_ids()
            top = question.max_selections or len(ids)
            k = rng.randint(max(1, question.min_selections), max(1, min(top, 3)))
            return rng.sample(ids, k)
        if isinstance(question, m.ThenNow):
            points = question.resolved_scale.ids()
            then = rng.randrange(len(points) - 1)
            return {"then": points[then], "now": points[rng.randrange(then, len(points))]}
        if isinstance(question, m.Likert):
            scale = question.resolved_scale
            if scale.na is not None and question.allow_na and rng.random() < 0.05:
                return scale.na.id
            return rng.choice(scale.ids()[1:])  # a little optimistic, like real answers
        if isinstance(question, m.Rating):
            return rng.randint(max(question.min, question.max - 6), question.max)
        if isinstance(question, m.YesNo):
            return rng.random() < 0.6
        if isinstance(question, m.Number):
            low = int(question.min if question.min is not None else 0)
            high = int(question.max if question.max is not None else low + 100)
            value = rng.randint(low, min(high, low + 12))
            return value if question.integer else value + rng.choice((0, 0.5))
        if isinstance(question, m.TextQuestion):
            phrases = PHRASES_NL if language == "nl" else PHRASES_EN
            sep = "\n" if question.long and rng.random() < 0.3 else " "
            text = sep.join(rng.sample(phrases, rng.randint(1, 3)))
            return text[: question.max_length]
        raise SystemExit(f"the generator does not know question type '{question.type}'")

    def answered(self, question: Any) -> bool:
        if question.required:
            return True
        if isinstance(question, self.model.TextQuestion):
            return self.rng.random() < 0.3
        return self.rng.random() < 0.9

    def response(self) -> dict[str, Any]:
        rng = self.rng
        language = rng.choice(self.survey.languages)
        answers: dict[str, Any] = {}
        for question in self.questions:
            if question.show_if is not None and not question.show_if.evaluate(answers):
                continue
            if self.answered(question):
                answers[question.id] = self.answer(question, language)
        submitted = EVENT_DATE + dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 5, 9)))
        return {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "survey": self.survey.id,
            "survey_version": self.survey.version,
            "event": EVENT_ID,
            "channel": rng.choice(CHANNELS),
            "language": language,
            "submitted": submitted.isoformat(),
            "answers": answers,
        }


def check_sample(survey: Any, path: Path, count: int = 500) -> None:
    """Fail early, with the reason, if the generator writes a response the survey refuses."""
    from feedback.responses import answer_problems

    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if number > count:
                break
            problems = answer_problems(survey, json.loads(line)["answers"])
            if problems:
                rendered = "; ".join(p.render() for p in problems)
                raise SystemExit(f"generated line {number} is invalid: {rendered}")


def write_responses(survey: Any, path: Path, n: int, seed: int) -> float:
    """Write ``n`` responses as JSON Lines, streaming; return the seconds it took."""
    start = time.perf_counter()
    maker = ResponseMaker(survey, seed)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        batch: list[str] = []
        for _ in range(n):
            batch.append(json.dumps(maker.response(), ensure_ascii=False))
            if len(batch) >= 5000:
                out.write("\n".join(batch) + "\n")
                batch = []
        if batch:
            out.write("\n".join(batch) + "\n")
    check_sample(survey, path)
    return time.perf_counter() - start


# -- running things ---------------------------------------------------------------------------


def run(cmd: list[str], what: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(
            f"{what} failed (exit {done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return done


def new_project(base: Path, name: str) -> Path:
    """A fresh project directory with an empty database holding the benchmark's event."""
    project = base / name
    if project.exists():
        shutil.rmtree(project)
    project.mkdir()
    run(
        [
            *CLI,
            *("--project", str(project), "event", "add", EVENT_ID, "--title", "Benchmark seminar"),
            *("--date", EVENT_DATE.isoformat(), "--city", "The Hague", "--country", "NL"),
        ],
        "feedback event add",
    )
    return project


def import_cmd(project: Path, data: Path) -> list[str]:
    return [*CLI, "--project", str(project), "responses", "import", str(data)]


def time_import(base: Path, data: Path, n: int, name: str) -> tuple[float, Path]:
    """Seconds of one whole `feedback responses import` process into a fresh project."""
    project = new_project(base, name)
    start = time.perf_counter()
    done = run(import_cmd(project, data), "feedback responses import")
    seconds = time.perf_counter() - start
    db = project / "feedback.db"
    with sqlite3.connect(db) as conn:
        count = conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    if count != n:
        raise SystemExit(
            f"the import stored {count} responses, not {n}: {done.stdout}{done.stderr}"
        )
    return seconds, db


def store_schema(db: Path) -> list[str]:
    """The DDL of the tables a response row touches (and their indexes), from a real database."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN "
            "('events', 'surveys', 'responses') ORDER BY type = 'index', rowid"
        ).fetchall()
    return [sql for (sql,) in rows]


def stored_rows(db: Path) -> tuple[list[Any], list[Any], list[str], list[tuple[Any, ...]]]:
    """The events, surveys and responses rows an import stored, and the responses columns."""
    with sqlite3.connect(db) as conn:
        events = conn.execute("SELECT * FROM events").fetchall()
        surveys = conn.execute("SELECT * FROM surveys").fetchall()
        columns = [row[1] for row in conn.execute("PRAGMA table_info(responses)")]
        responses = conn.execute(f"SELECT {', '.join(columns)} FROM responses ORDER BY rowid")
        return events, surveys, columns, responses.fetchall()


def floor_db(path: Path, schema: list[str], events: list[Any], surveys: list[Any]) -> None:
    """A fresh database with the store's schema and pragmas, the event and survey rows in it."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for sql in schema:
        conn.execute(sql)
    for table, rows in (("events", events), ("surveys", surveys)):
        if rows:
            marks = ", ".join("?" for _ in rows[0])
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    conn.close()


def open_like_store(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA journal_mode = WAL")
    return conn


def time_bare_insert(path: Path, columns: list[str], rows: list[tuple[Any, ...]]) -> float:
    """Floor (a): ``executemany`` of pre-built rows in one transaction, insert + commit timed."""
    conn = open_like_store(path)
    sql = f"INSERT INTO responses ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(sql, rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    count = conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    conn.close()
    if count != len(rows):
        raise SystemExit(f"floor (a) stored {count} rows, expected {len(rows)}")
    return seconds


#: Floor (b): the least a Python process must do to load the file into the same table.
BARE_SCRIPT = r"""
import hashlib, json, sqlite3, sys

data, db = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, timeout=10.0, isolation_level=None)
conn.execute("PRAGMA busy_timeout = 10000")
conn.execute("PRAGMA foreign_keys = ON")
conn.execute("PRAGMA synchronous = FULL")
conn.execute("PRAGMA journal_mode = WAL")

def rows():
    with open(data, "rb") as handle:
        for line in handle:
            r = json.loads(line)
            blob = json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            yield (
                r["id"], r["event"], r["survey"], r["survey_version"], r["channel"],
                r["language"], r["submitted"],
                json.dumps(r["answers"], sort_keys=True, ensure_ascii=False),
                hashlib.sha256(blob.encode()).hexdigest(),
            )

conn.execute("BEGIN IMMEDIATE")
conn.executemany(
    "INSERT INTO responses (id, event, survey, survey_version, channel, language, submitted,"
    " answers, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    rows(),
)
conn.execute("COMMIT")
print(conn.execute("SELECT count(*) FROM responses").fetchone()[0])
"""


def time_bare_script(path: Path, data: Path, n: int) -> float:
    """Floor (b): the whole child process that reads, parses and inserts the same file."""
    start = time.perf_counter()
    done = run([sys.executable, "-c", BARE_SCRIPT, str(data), str(path)], "floor (b) script")
    seconds = time.perf_counter() - start
    if done.stdout.strip() != str(n):
        raise SystemExit(f"floor (b) stored {done.stdout.strip()} rows, expected {n}")
    return seconds


def median_of(repeat: int, measure: Callable[[int], float]) -> tuple[float, list[float]]:
    times = [measure(i) for i in range(repeat)]
    return statistics.median(times), times


def fmt_times(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


def speed(args: argparse.Namespace, base: Path) -> None:
    n, repeat = args.n, args.repeat
    survey = load_survey()
    data = base / f"responses-{n}.jsonl"
    took = write_responses(survey, data, n, args.seed)
    size = data.stat().st_size
    print(f"survey {survey.id} version {survey.version}; python {sys.version.split()[0]}")
    print(f"generated {n:,} responses ({size / 1e6:.1f} MB, {size / n:.0f} B/line) in {took:.1f}s")

    one = base / "responses-1.jsonl"
    write_responses(survey, one, 1, args.seed + 1)
    fixed, fixed_times = median_of(repeat, lambda i: time_import(base, one, 1, f"one-{i}")[0])

    dbs: list[Path] = []

    def import_once(i: int) -> float:
        seconds, db = time_import(base, data, n, f"import-{i}")
        dbs.append(db)
        return seconds

    ours, our_times = median_of(repeat, import_once)
    schema = store_schema(dbs[0])
    events, surveys, columns, rows = stored_rows(dbs[0])
    if len(rows) != n:
        raise SystemExit(f"the import stored {len(rows)} rows, expected {n}")

    def bare_insert(i: int) -> float:
        path = base / f"floor-a-{i}.db"
        floor_db(path, schema, events, surveys)
        return time_bare_insert(path, columns, rows)

    def bare_script(i: int) -> float:
        path = base / f"floor-b-{i}.db"
        floor_db(path, schema, events, surveys)
        return time_bare_script(path, data, n)

    floor_a, a_times = median_of(repeat, bare_insert)
    floor_b, b_times = median_of(repeat, bare_script)

    ratio_a, ratio_b = floor_a / ours, floor_b / ours
    print()
    print(f"median of {repeat} runs, seconds (each run: {{...}})")
    print(f"  feedback responses import  {ours:8.3f}   {{{fmt_times(our_times)}}}")
    print(f"    of which fixed cost      {fixed:8.3f}   {{{fmt_times(fixed_times)}}}")
    print(f"  floor (a) bare executemany {floor_a:8.3f}   {{{fmt_times(a_times)}}}")
    print(f"  floor (b) bare script      {floor_b:8.3f}   {{{fmt_times(b_times)}}}")
    print()
    print(f"  import throughput          {n / ours:10,.0f} responses/s (whole process)")
    print(
        f"  import throughput, net     {n / max(ours - fixed, 1e-9):10,.0f} responses/s "
        "(minus the fixed cost)"
    )
    print(f"  floor (a) throughput       {n / floor_a:10,.0f} rows/s")
    print()
    verdict = "met" if ratio_a >= GOAL_RATIO else "MISSED"
    print(
        f"  ratio floor (a) / import   {ratio_a:8.3f}x   goal >= {GOAL_RATIO}x: {verdict} "
        f"(import = {ours / floor_a:.1f}x the bare insert)"
    )
    print(
        f"  ratio floor (b) / import   {ratio_b:8.3f}x   (import = {ours / floor_b:.1f}x the bare "
        "script)"
    )


# -- memory -----------------------------------------------------------------------------------


def peak_rss_kib(cmd: list[str], base: Path) -> int:
    """Run ``cmd`` as a child and return its own peak RSS in KiB (from wait4: this child only)."""
    out_path, err_path = base / "child.out", base / "child.err"
    with out_path.open("w") as out, err_path.open("w") as err:
        child = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err)
        # wait4, not Popen.wait: it reports the usage of this one child, where
        # getrusage(RUSAGE_CHILDREN) would be the maximum over every child reaped so far.
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        text = out_path.read_text()[-2000:] + err_path.read_text()[-2000:]
        raise SystemExit(f"the import failed (exit {child.returncode}):\n{text}")
    return int(usage.ru_maxrss)  # KiB on Linux


def memory(args: argparse.Namespace, base: Path) -> None:
    survey = load_survey()
    sizes = [int(s) for s in args.memory_sizes.split(",")]
    print(f"survey {survey.id} version {survey.version}; python {sys.version.split()[0]}")
    one = base / "memory-1.jsonl"
    write_responses(survey, one, 1, args.seed + 1)
    project = new_project(base, "memory-1")
    baseline = peak_rss_kib(import_cmd(project, one), base)
    print(f"  {1:>9,} response  (the process alone):{'':30} peak RSS {baseline / 1024:8.1f} MiB")
    peaks: dict[int, int] = {}
    for n in sizes:
        data = base / f"memory-{n}.jsonl"
        took = write_responses(survey, data, n, args.seed)
        size = data.stat().st_size
        project = new_project(base, f"memory-{n}")
        start = time.perf_counter()
        peaks[n] = peak_rss_kib(import_cmd(project, data), base)
        seconds = time.perf_counter() - start
        print(
            f"  {n:>9,} responses ({size / 1e6:7.1f} MB, generated in {took:5.1f}s): "
            f"import {seconds:7.2f}s, {n / seconds:8,.0f}/s, peak RSS {peaks[n] / 1024:8.1f} MiB "
            f"(+{(peaks[n] - baseline) / 1024:.1f} MiB over the process alone)"
        )
        data.unlink()
        shutil.rmtree(project)
    small, large = sizes[0], sizes[-1]
    ratio = peaks[large] / peaks[small]
    verdict = "met" if ratio <= GOAL_MEMORY else "MISSED"
    print(
        f"  peak RSS {large:,} / {small:,}: {ratio:.2f}x   goal <= {GOAL_MEMORY}x: {verdict} "
        f"(the file grew {large / small:g}x)"
    )


# -- offline response files: `feedback offline import` -----------------------------------------


def new_engine(project: Path) -> Any:
    """An engine on a fresh project directory holding the benchmark's event, started (untimed)."""
    from feedback.config import load_settings
    from feedback.engine import Engine

    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    engine = Engine(settings=load_settings(project))
    engine.store.upsert_event(dict(EVENT))
    engine.survey(SURVEY_ID)  # plugins, survey files: what the CLI does before the import
    return engine


def count_responses(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM responses").fetchone()[0])
    finally:
        conn.close()


def write_offline_files(survey: Any, folder: Path, n: int, seed: int) -> float:
    """``n`` response files of the offline form, one response each; return the seconds it took."""
    from feedback.responses import answer_problems
    from feedback_offline.files import response_file

    start = time.perf_counter()
    folder.mkdir(parents=True)
    maker = ResponseMaker(survey, seed)
    for number in range(n):
        record = maker.response()
        record["channel"] = "offline"
        if number < 200:
            problems = answer_problems(survey, record["answers"])
            if problems:
                rendered = "; ".join(p.render() for p in problems)
                raise SystemExit(f"generated response file {number + 1} is invalid: {rendered}")
        path = folder / f"response-{record['id']}.json"
        path.write_text(json.dumps(response_file(record), ensure_ascii=False), encoding="utf-8")
    return time.perf_counter() - start


def template_rows(base: Path) -> tuple[list[str], list[Any], list[Any]]:
    """The store's schema and the events and surveys rows a response needs, from a real database
    into which the engine stored one response (untimed)."""
    engine = new_engine(base / "template")
    survey = engine.survey(SURVEY_ID)
    record = ResponseMaker(survey, 1).response()
    if engine.submit(record) != "stored":
        raise SystemExit("the template database did not store its one response")
    db = engine.settings.db_path
    engine.close()
    events, surveys, _, _ = stored_rows(db)
    return store_schema(db), events, surveys


def offline_ours(engine: Any, folder: Path, n: int, again: bool) -> float:
    """Seconds of `import_files` of the folder; the reports and the database checked."""
    from feedback_offline.importer import import_files

    start = time.perf_counter()
    reports = import_files(engine, [folder])
    seconds = time.perf_counter() - start
    stored = sum(r.stored for r in reports)
    already = sum(r.already_stored for r in reports)
    bad = [r for r in reports if not r.ok]
    expected = (0, n) if again else (n, 0)
    if len(reports) != n or bad or (stored, already) != expected:
        problem = bad[0].problem or "; ".join(x.render() for x in bad[0].rejected) if bad else ""
        raise SystemExit(
            f"import_files: {len(reports)} files, {stored} stored, {already} already present, "
            f"{len(bad)} not ok (expected {n} files, {expected[0]} stored, {expected[1]} already "
            f"present) {problem}"
        )
    count = count_responses(engine.settings.db_path)
    if count != n:
        raise SystemExit(f"the offline import left {count} responses, expected {n}")
    return seconds


def offline_bare(path: Path, folder: Path, n: int) -> float:
    """The bare baseline: list, read, parse, build the rows, one ``executemany`` transaction."""
    conn = open_like_store(path)
    sql = (
        f"INSERT INTO responses ({', '.join(RESPONSE_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in RESPONSE_COLUMNS)})"
    )
    sha256, dumps, loads = hashlib.sha256, json.dumps, json.loads

    def rows(files: list[Path]) -> Any:
        for file in files:
            with open(file, "rb") as handle:
                r = loads(handle.read())["response"]
            blob = dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            yield (
                r["id"],
                r["event"],
                r["survey"],
                r["survey_version"],
                r["channel"],
                r["language"],
                r["submitted"],
                dumps(r["answers"], sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                int(bool(r.get("partial", False))),
                sha256(blob.encode()).hexdigest(),
            )

    start = time.perf_counter()
    files = sorted(folder.glob("*.json"))
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(sql, rows(files))
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    count = conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    conn.close()
    if count != n:
        raise SystemExit(f"the bare baseline stored {count} rows, expected {n}")
    return seconds


def print_profile(profiler: cProfile.Profile, title: str, top: int) -> None:
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        text = out.getvalue()
        body = text[text.find("   ncalls") :] if "   ncalls" in text else text
        print(f"\n  cProfile of {title}, by {order} (top {top}):")
        print("\n".join("    " + line for line in body.rstrip().splitlines()))


def offline(args: argparse.Namespace, base: Path) -> None:
    n, repeat = args.offline_files, args.repeat
    survey = load_survey()
    folder = base / "offline-files"
    took = write_offline_files(survey, folder, n, args.seed + 3)
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"\n== offline response files: `feedback offline import` of {n:,} files ==")
    print(
        f"wrote {n:,} response files ({size / 1e6:.1f} MB, {size / n:.0f} B/file) in {took:.1f}s "
        "(untimed)"
    )
    schema, events, surveys = template_rows(base)

    ours: list[float] = []
    again: list[float] = []
    bare: list[float] = []
    starts: list[float] = []
    for i in range(repeat):
        start = time.perf_counter()
        engine = new_engine(base / f"offline-{i}")
        starts.append(time.perf_counter() - start)
        try:
            ours.append(offline_ours(engine, folder, n, again=False))
            again.append(offline_ours(engine, folder, n, again=True))
        finally:
            engine.close()
        path = base / f"offline-bare-{i}.db"
        floor_db(path, schema, events, surveys)
        bare.append(offline_bare(path, folder, n))
        shutil.rmtree(base / f"offline-{i}")

    ours_m, again_m, bare_m = (statistics.median(t) for t in (ours, again, bare))
    ratio = bare_m / ours_m
    verdict = "met" if ratio >= GOAL_OFFLINE_RATIO else "MISSED"
    print(f"median of {repeat} runs, seconds (each run: {{...}})")
    print(f"  import_files, fresh database  {ours_m:8.3f}   {{{fmt_times(ours)}}}")
    print(f"  import_files again (0 new)    {again_m:8.3f}   {{{fmt_times(again)}}}")
    print(f"  bare read + executemany       {bare_m:8.3f}   {{{fmt_times(bare)}}}")
    print(f"  (engine start before the clock: {statistics.median(starts):.3f}s, untimed)")
    print()
    print(f"  import_files throughput       {n / ours_m:10,.0f} files/s")
    print(f"  again throughput              {n / again_m:10,.0f} files/s")
    print(f"  bare throughput               {n / bare_m:10,.0f} files/s")
    print(
        f"  ratio bare / ours             {ratio:8.3f}x   goal >= {GOAL_OFFLINE_RATIO}x: {verdict} "
        f"(ours = {ours_m / bare_m:.1f}x the bare baseline)"
    )
    print(f"  checked: {n:,} stored, then 0 new and {n:,} already present; {n:,} rows")

    if args.profile:
        engine = new_engine(base / "offline-profile")
        profiler = cProfile.Profile()
        try:
            profiler.enable()
            from feedback_offline.importer import import_files

            import_files(engine, [folder])
            profiler.disable()
        finally:
            engine.close()
        print_profile(profiler, f"import_files of {n:,} files", args.profile_top)


# -- merging kiosk databases: `feedback merge` ----------------------------------------------------


def fast_row(record: dict[str, Any]) -> tuple[Any, ...]:
    """The row `Engine` stores for a valid generated response, without the pydantic round trip."""
    from feedback.responses import stored_row

    return tuple(stored_row(record))


def kiosk_record(maker: ResponseMaker) -> dict[str, Any]:
    record = maker.response()
    record["channel"] = "kiosk"
    return record


def build_merge_dbs(
    base: Path, survey: Any, size: int, count: int, overlap: float, seed: int
) -> tuple[list[Path], int]:
    """``count`` kiosk databases of ``size`` responses each (untimed); return them and the number of
    distinct responses.

    Database k holds ``own`` responses of its own (the first through `Engine.submit`, which also
    writes the survey version row; the rest bulk-inserted as the engine's rows) and then copies of
    the first ``shared`` own responses of database k - 1 (the last one for the first), copied with
    SQL: every response of a database is in at most one other.
    """
    from feedback.engine import Engine
    from feedback.responses import Response

    shared = round(size * overlap) if count > 1 else 0
    own = size - shared
    if shared > own:
        raise SystemExit(f"--merge-overlap {overlap}: at most 0.5")
    maker = ResponseMaker(survey, seed)
    start = time.perf_counter()
    sample = [kiosk_record(maker) for _ in range(100)]
    for record in sample:
        if fast_row(record) != tuple(Engine._row(Response.model_validate(record))):
            raise SystemExit(f"the bulk row of {record['id']} differs from the engine's row")
    paths: list[Path] = []
    for k in range(count):
        engine = new_engine(base / f"kiosk-{k}")
        first = kiosk_record(maker)
        if engine.submit(first) != "stored":
            raise SystemExit(f"kiosk {k}: the first response was not stored")
        with sqlite3.connect(engine.settings.db_path) as conn:
            row = conn.execute(
                f"SELECT {', '.join(RESPONSE_COLUMNS)} FROM responses WHERE id = ?", [first["id"]]
            ).fetchone()
        if tuple(row) != fast_row(first):
            raise SystemExit("the engine stored another row than the bulk insert would")
        done = 1
        while done < own:
            rows = [fast_row(kiosk_record(maker)) for _ in range(min(50_000, own - done))]
            with engine.store.write():
                engine.store.insert_responses(rows)
            done += len(rows)
        paths.append(engine.settings.db_path)
        engine.close()
    for k in range(count):
        if not shared:
            break
        conn = sqlite3.connect(paths[k], isolation_level=None)
        conn.execute("ATTACH DATABASE ? AS other", [str(paths[k - 1])])
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            f"INSERT INTO responses ({', '.join(RESPONSE_COLUMNS)}) "
            f"SELECT {', '.join(RESPONSE_COLUMNS)} FROM other.responses "
            "WHERE rowid IN (SELECT rowid FROM other.responses ORDER BY rowid LIMIT ?)",
            [shared],
        )
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE other")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    for path in paths:
        if count_responses(path) != size:
            raise SystemExit(f"{path} holds {count_responses(path)} responses, expected {size}")
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    print(
        f"built {count} kiosk databases of {size:,} responses ({own:,} own + {shared:,} copied "
        f"from another), {megabytes:.0f} MB, in {time.perf_counter() - start:.1f}s (untimed)"
    )
    return paths, own * count


def vm_kib(field_name: str) -> int:
    """VmRSS or VmHWM (the peak) of this process, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def merge_child(spec_json: str) -> None:
    """One merge run, in a child process: merge every database into a fresh main database, then
    again; print the figures as JSON on the last line."""
    from feedback_offline.merging import merge_database

    spec = json.loads(spec_json)
    paths = [Path(p) for p in spec["paths"]]
    engine = new_engine(Path(spec["project"]))
    profiler = cProfile.Profile() if spec.get("profile") else None
    figures: dict[str, Any] = {"rss_ready": vm_kib("VmRSS"), "first": [], "second": []}
    try:
        for rounds in ("first", "second"):
            for path in paths:
                start = time.perf_counter()
                if profiler is not None and rounds == "first":
                    profiler.enable()
                report = merge_database(engine, path)
                if profiler is not None:
                    profiler.disable()
                seconds = time.perf_counter() - start
                if not report.ok:
                    raise SystemExit(f"merge of {path}: {report}")
                figures[rounds].append(
                    {
                        "seconds": seconds,
                        "received": report.received,
                        "stored": report.stored,
                        "already": report.already_stored,
                        "hwm": vm_kib("VmHWM"),
                        "count": count_responses(engine.settings.db_path),
                    }
                )
    finally:
        engine.close()
    if profiler is not None:
        print_profile(profiler, "the first merge of every database", spec.get("top", 30))
    print(json.dumps(figures))


def run_merge_child(spec: dict[str, Any], base: Path) -> tuple[dict[str, Any], int]:
    """The figures of one merge run in a child process, and the child's own peak RSS (KiB)."""
    out_path, err_path = base / "merge-child.out", base / "merge-child.err"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--merge-child", json.dumps(spec)]
    with out_path.open("w") as out, err_path.open("w") as err:
        child = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
    text = out_path.read_text()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the merge run failed:\n{text[-2000:]}{err_path.read_text()[-3000:]}")
    lines = text.rstrip().splitlines()
    if spec.get("profile"):
        print("\n".join(lines[:-1]))
    return json.loads(lines[-1]), int(usage.ru_maxrss)


def merge(args: argparse.Namespace, base: Path) -> None:
    size, count = args.merge_size, args.merge_dbs
    repeat = args.merge_repeat if args.merge_repeat is not None else args.repeat
    survey = load_survey()
    print(f"\n== merge: `merge_database` of {count} kiosk databases of {size:,} responses ==")
    paths, distinct = build_merge_dbs(base, survey, size, count, args.merge_overlap, args.seed + 5)
    runs: list[tuple[dict[str, Any], int]] = []
    for i in range(repeat):
        spec = {"paths": [str(p) for p in paths], "project": str(base / f"merge-main-{i}")}
        figures, peak = run_merge_child(spec, base)
        for rounds in ("first", "second"):
            final = figures[rounds][-1]["count"]
            if final != distinct:
                raise SystemExit(f"{rounds} merge: {final} responses stored, expected {distinct}")
        if any(f["stored"] for f in figures["second"]):
            raise SystemExit("the second merge stored responses")
        runs.append((figures, peak))
        shutil.rmtree(base / f"merge-main-{i}")
        first = sum(f["seconds"] for f in figures["first"])
        print(
            f"  run {i + 1}: first merge {first:.2f}s, peak RSS {peak / 1024:.0f} MiB", flush=True
        )

    def median_at(rounds: str, k: int) -> float:
        return statistics.median(fig[rounds][k]["seconds"] for fig, _ in runs)

    def median_total(rounds: str) -> float:
        return statistics.median(sum(f["seconds"] for f in fig[rounds]) for fig, _ in runs)

    example = runs[0][0]
    print(f"median of {repeat} run(s), seconds; each run a fresh main database in a child process")
    for rounds, title in (("first", "first merge"), ("second", "again (nothing new)")):
        print(f"  {title}:")
        for k, path in enumerate(paths):
            f = example[rounds][k]
            seconds = median_at(rounds, k)
            print(
                f"    {path.parent.name:<10} {seconds:8.3f}s  {f['received'] / seconds:8,.0f} "
                f"responses/s  stored {f['stored']:>7,}  already {f['already']:>7,}  "
                f"VmHWM after {f['hwm'] / 1024:6.0f} MiB"
            )
        total = median_total(rounds)
        received = sum(f["received"] for f in example[rounds])
        print(
            f"    {'all':<10} {total:8.3f}s  {received / total:8,.0f} responses/s  "
            f"({received:,} received)"
        )
    peaks = [peak for _, peak in runs]
    print(
        f"  peak RSS of the merge process {statistics.median(peaks) / 1024:.0f} MiB "
        f"(engine ready, before merging: {example['rss_ready'] / 1024:.0f} MiB)"
    )
    print(f"  checked: {distinct:,} distinct responses stored, the same after merging again")

    if args.profile:
        spec = {
            "paths": [str(p) for p in paths],
            "project": str(base / "merge-profile"),
            "profile": True,
            "top": args.profile_top,
        }
        run_merge_child(spec, base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50_000, help="responses to import (speed)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median counts")
    parser.add_argument("--memory", action="store_true", help="measure peak RSS instead of speed")
    parser.add_argument(
        "--memory-sizes", default="50000,500000", help="sizes for --memory, smallest first"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        help="run this section only (repeatable; default: all, in the order "
        + ", ".join(SECTIONS)
        + ")",
    )
    parser.add_argument(
        "--offline-files", type=int, default=10_000, help="response files to import (offline)"
    )
    parser.add_argument(
        "--merge-size", type=int, default=100_000, help="responses per kiosk database (merge)"
    )
    parser.add_argument("--merge-dbs", type=int, default=3, help="kiosk databases to merge")
    parser.add_argument(
        "--merge-overlap",
        type=float,
        default=0.2,
        help="share of each kiosk database copied from another (merge)",
    )
    parser.add_argument(
        "--merge-repeat", type=int, default=None, help="merge runs (default: --repeat)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="one more offline import and merge under cProfile"
    )
    parser.add_argument("--profile-top", type=int, default=30, help="functions shown by --profile")
    parser.add_argument("--merge-child", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    if args.merge_child:
        merge_child(args.merge_child)
        return
    base = Path(tempfile.mkdtemp(prefix="feedback-bench-import-"))
    try:
        if args.memory:
            memory(args, base)
            return
        sections = args.only or list(SECTIONS)
        if "responses" in sections:
            speed(args, base)
        if "offline" in sections:
            offline(args, base)
        if "merge" in sections:
            merge(args, base)
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
