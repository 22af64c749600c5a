"""Benchmark: `feedback responses import` of many valid responses, against bare SQLite floors.

Run from the project root (never from pytest; it asserts nothing, it prints figures):

    python benchmarks/import.py                 # 50,000 responses: time and ratios vs. the floors
    python benchmarks/import.py --n 200000      # another size
    python benchmarks/import.py --memory        # peak RSS of the import for 50,000 and 500,000

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
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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

ROOT = Path(__file__).resolve().parent.parent
SURVEY_ID = "post-seminar"
EVENT_ID = "bench-2024"
EVENT_DATE = dt.date(2024, 3, 14)
CHANNELS = ("kiosk", "kiosk", "web", "web", "web", "email", "paper")
GOAL_RATIO = 0.3
GOAL_MEMORY = 1.5

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50_000, help="responses to import (speed)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median counts")
    parser.add_argument("--memory", action="store_true", help="measure peak RSS instead of speed")
    parser.add_argument(
        "--memory-sizes", default="50000,500000", help="sizes for --memory, smallest first"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="feedback-bench-import-"))
    try:
        if args.memory:
            memory(args, base)
        else:
            speed(args, base)
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
