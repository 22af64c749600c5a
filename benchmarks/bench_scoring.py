"""Benchmark: scoring and the HTML report of one event with 10k, 100k and 1M synthetic responses.

Run from the project root (never from pytest; it asserts nothing, it prints figures):

    python benchmarks/bench_scoring.py                          # 10,000, 100,000 and 1,000,000
    python benchmarks/bench_scoring.py --sizes 10000,100000     # leave out the slow 1M
    python benchmarks/bench_scoring.py --workdir /tmp/fb-bench  # keep the databases, reuse them next time
    python benchmarks/bench_scoring.py --profile 100000         # cProfile of the scorers at 100k
    python benchmarks/bench_scoring.py --gc off                 # what the garbage collector costs

Goal (from the issue): scoring and the HTML report of 100,000 responses in under 2 s, and a time
that grows close to linearly with the number of responses (100k / 10k close to 10x).

Each size is one database holding one event (``bench-2024``), a roster of ``--roster`` people
(a realistic seminar: invited, most attended, MPs and other roles from many countries) and N
random but valid responses to the shipped ``post-seminar`` survey, made by ``ResponseMaker`` of
``benchmarks/bench_import.py`` (``show_if`` honoured). All sizes share one stream of responses (the 10k
database holds the first 10k of the 1M), generated once. The first ``VALIDATED`` responses of each
database go through ``Engine.submit_many`` (full validation, the survey version stored); the rest
are bulk-inserted as the rows ``Engine`` would store (the same canonical JSON and content hash,
checked on a sample). Building the databases is not timed.

Timed, separately, for each size (the median of ``--repeat`` runs):

* read: ``feedback.scoring.build_context(engine, event)``: the responses read and JSON-decoded;
* score: ``feedback.scoring.score(engine, context)``: every registered scorer, on a fresh cache;
* report: ``feedback_reports.build.build_report(engine, context, results)``: the scores handed in,
  so this is the counting of answers, comments and distributions;
* render: the registered ``html`` report format's ``render(report)``.

The smallest size gets one uncounted warm-up run first (imports of jinja2, matplotlib and scipy's
lazy modules, template compilation), so no size pays first-use costs. ``read`` includes the
garbage collector's passes over the growing list of responses, as a real run does.

The report stages are skipped, with a message, when ``plugins/feedback_reports`` is not there or
cannot be imported yet.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import gc
import importlib.util
import io
import itertools
import pstats
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = "10000,100000,1000000"
VALIDATED = 2_000  # responses per database that go through Engine.submit_many
CHUNK = 50_000  # rows per executemany
GOAL_SECONDS = 2.0  # at 100k
GOAL_SIZE = 100_000
TARGETS = {"mp": 100, "countries": 15}  # the programme's reach targets in the benchmark settings
ROLE_WEIGHTS = {
    "mp": 30,
    "ngo": 20,
    "national_rapporteur": 6,
    "law_enforcement": 8,
    "intergovernmental": 8,
    "government": 10,
    "researcher": 6,
    "parliamentary_staff": 8,
    "other": 4,
}


def _load_import_bench() -> Any:
    """``benchmarks/bench_import.py`` as a module, loaded by its path (whatever ``sys.path`` holds)."""
    spec = importlib.util.spec_from_file_location("bench_import", HERE / "bench_import.py")
    if spec is None or spec.loader is None:
        raise SystemExit("cannot load benchmarks/bench_import.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench_import = _load_import_bench()
EVENT_ID: str = bench_import.EVENT_ID
EVENT_DATE: dt.date = bench_import.EVENT_DATE


# -- building the databases (untimed) ----------------------------------------------------------


@functools.cache
def plugin_manager() -> Any:
    """The installed plugins; the reports plugin registered explicitly while it has no entry point."""
    from feedback.plugins import make_plugin_manager

    pm = make_plugin_manager()
    try:
        import feedback_reports
    except Exception:  # not there, or being written: report_api() says so
        return pm
    if pm.is_registered(feedback_reports):
        return pm
    print("  (feedback_reports has no entry point yet: registered explicitly)")
    return make_plugin_manager(plugins=[feedback_reports])


def make_engine(project: Path, db: Path) -> Any:
    from feedback.config import load_settings
    from feedback.engine import Engine

    settings = load_settings(project, db=db, programme={"targets": TARGETS})
    return Engine(settings=settings, pm=plugin_manager())


def response_count(db: Path) -> int | None:
    """Responses of the benchmark's event in ``db``, or None when there is no usable database."""
    if not db.exists():
        return None
    try:
        with sqlite3.connect(db) as conn:
            row = conn.execute("SELECT count(*) FROM responses WHERE event = ?", [EVENT_ID])
            return int(row.fetchone()[0])
    except sqlite3.Error:
        return None


def fresh_db(project: Path, db: Path, survey: Any, roster: int, seed: int) -> Any:
    """An empty database with the event and its roster; returns an engine on it."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    engine = make_engine(project, db)
    store = engine.store
    store.upsert_event(
        {
            "id": EVENT_ID,
            "title": "Benchmark seminar",
            "date": EVENT_DATE.isoformat(),
            "city": "The Hague",
            "country": "NL",
        }
    )
    rng = random.Random(seed)
    countries = [c for c in survey.by_id["country"].answer_ids() if c != "other"]
    roles = list(ROLE_WEIGHTS)
    weights = list(ROLE_WEIGHTS.values())
    people, attendance = [], []
    for i in range(1, roster + 1):
        role = rng.choices(roles, weights)[0]
        people.append((i, f"Participant {i}", f"p{i}@example.org", role, rng.choice(countries), ""))
        attendance.append((i, EVENT_ID, 1, int(rng.random() < 0.85)))
    with store.write():
        store.conn.executemany(
            "INSERT INTO people (id, name, email, role, country, organisation) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            people,
        )
        store.conn.executemany(
            "INSERT INTO attendance (person, event, invited, attended) VALUES (?, ?, ?, ?)",
            attendance,
        )
    return engine


def fast_row(record: dict[str, Any]) -> tuple[Any, ...]:
    """The row `Engine` stores for a valid generated response, without the pydantic round trip."""
    from feedback.responses import stored_row

    return tuple(stored_row(record))


def check_rows(engine: Any, records: list[dict[str, Any]]) -> None:
    """Fail unless `fast_row` gives exactly the row the engine itself would store."""
    from feedback.responses import Response

    for record in records:
        expected = tuple(engine._row(Response.model_validate(record)))
        if fast_row(record) != expected:
            raise SystemExit(f"the bulk row of {record['id']} differs from the engine's row")


def build_databases(
    base: Path, sizes: list[int], survey: Any, roster: int, seed: int
) -> dict[int, Path]:
    """One database per size, all from one stream of responses; reused when already complete."""
    project = base / "project"
    project.mkdir(exist_ok=True)
    dbs = {n: base / f"bench-{n}.db" for n in sizes}
    todo = [n for n in sizes if response_count(dbs[n]) != n]
    for n in sizes:
        if n not in todo:
            print(f"  reusing {dbs[n]} ({n:,} responses)", flush=True)
    if not todo:
        return dbs
    engines = {n: fresh_db(project, dbs[n], survey, roster, seed) for n in todo}
    total = max(todo)
    maker = bench_import.ResponseMaker(survey, seed)
    start = time.perf_counter()

    validated = [maker.response() for _ in range(min(VALIDATED, total))]
    for n, engine in engines.items():
        items = [(f"response {i + 1}", r) for i, r in enumerate(validated[:n])]
        result = engine.submit_many(items)
        if not result.ok or result.stored != len(items):
            problems = "; ".join(r.render() for r in result.rejected[:5])
            raise SystemExit(f"the validated responses were not all stored: {problems}")
    check_rows(next(iter(engines.values())), validated[:200])

    done = len(validated)
    report_every = 100_000
    while done < total:
        count = min(CHUNK, total - done)
        rows = [fast_row(maker.response()) for _ in range(count)]
        for n, engine in engines.items():
            if n > done:
                with engine.store.write():
                    engine.store.insert_responses(rows[: n - done])
        done += count
        if done // report_every > (done - count) // report_every or done == total:
            elapsed = time.perf_counter() - start
            print(f"  built {done:>9,} of {total:,} responses ({elapsed:5.1f}s)", flush=True)
    for n, engine in engines.items():
        engine.close()
        stored = response_count(dbs[n])
        if stored != n:
            raise SystemExit(f"{dbs[n]} holds {stored} responses, expected {n}")
    return dbs


# -- timing ------------------------------------------------------------------------------------


@dataclass
class ReportApi:
    build: Callable[..., Any]  # feedback_reports.build.build_report(engine, context, results)
    render: Callable[..., str] | None  # the registered html format's render(report)


def report_api(engine: Any) -> ReportApi | None:
    """The reports plugin's ``build_report`` and HTML renderer, or None (with a message)."""
    if not (HERE.parent / "plugins" / "feedback_reports").is_dir():
        print("  (no plugins/feedback_reports: the report stages are skipped)")
        return None
    try:
        from feedback_reports.build import build_report
    except Exception as exc:  # the plugin is being written: any import failure means "not yet"
        print(f"  (feedback_reports cannot be imported yet, report stages skipped: {exc!r})")
        return None
    try:
        render = engine.report_formats["html"].render
    except Exception as exc:
        print(f"  (no 'html' report format registered, render skipped: {exc!r})")
        render = None
    return ReportApi(build_report, render)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


STAGES = ("read", "score", "report", "render")


def run_once(engine: Any, n: int, api: ReportApi | None, gc_mode: str = "on") -> dict[str, float]:
    """Seconds of each stage in one run; ``html_mb``, the size of the report, when rendered.

    Each stage's time is printed as soon as it is known (1M takes minutes). A report stage that
    fails (the plugin is being written) is reported and left out, the figures so far are kept.
    """
    from feedback.scoring import build_context, score

    out: dict[str, float] = {}

    def done(stage: str) -> None:
        print(f"    {stage:<7}{out[stage]:9.3f}s", flush=True)

    gc.unfreeze()
    gc.collect()

    def read() -> Any:
        context = build_context(engine, EVENT_ID)
        if gc_mode == "freeze":
            gc.freeze()
        return context

    out["read"], context = timed(read)
    done("read")
    if len(context.responses) != n:
        raise SystemExit(f"read {len(context.responses)} responses, expected {n}")
    context.cache.clear()
    out["score"], results = timed(lambda: score(engine, context))
    done("score")
    if api is None:
        return out
    try:
        out["report"], report = timed(lambda: api.build(engine, context, results))
    except Exception as exc:  # the plugin is being written
        print(f"    (build_report failed, report stages left out: {exc!r})")
        return out
    done("report")
    if api.render is not None:
        try:
            out["render"], text = timed(lambda: api.render(report))
        except Exception as exc:
            print(f"    (the html format failed, render left out: {exc!r})")
            return out
        done("render")
        out["html_mb"] = len(text.encode()) / 1e6
    return out


def measure(
    base: Path, db: Path, n: int, repeat: int, warm_up: bool, gc_mode: str = "on"
) -> dict[str, float]:
    """Median seconds of each stage for one database (fresh context in every run).

    ``warm_up``: one run first, not counted, so that first-use costs (imports of jinja2 and
    matplotlib, template compilation, scipy's lazy modules) stay out of the figures.
    """
    engine = make_engine(base / "project", db)
    try:
        _ = engine.scorers  # plugins loaded and the survey read before any clock starts
        engine.survey(bench_import.SURVEY_ID)
        api = report_api(engine)
        if warm_up:
            print("  warm-up run (not counted)")
            run_once(engine, n, api, gc_mode)
        runs = []
        for i in range(repeat):
            print(f"  run {i + 1} of {repeat}")
            runs.append(run_once(engine, n, api, gc_mode))
    finally:
        engine.close()
    keys = [key for key in runs[0] if all(key in run for run in runs)]
    return {key: statistics.median(run[key] for run in runs) for key in keys}


def print_results(figures: dict[int, dict[str, float]]) -> None:
    sizes = sorted(figures)
    stages = [s for s in STAGES if all(s in figures[n] for n in sizes)]
    columns = [*stages, "score+report+render", "total"]

    def value(n: int, column: str) -> float | None:
        f = figures[n]
        if column == "total":
            return sum(f[s] for s in stages)
        if column == "score+report+render":
            return sum(f[s] for s in stages if s != "read")
        return f.get(column)

    print()
    print("seconds per stage (median of the runs)")
    head = f"  {'responses':>10}" + "".join(f"{c:>21}" for c in columns)
    print(head)
    for n in sizes:
        cells = "".join(f"{value(n, c):21.3f}" for c in columns)
        print(f"  {n:>10,}{cells}")
    print()
    print("milliseconds per 1,000 responses")
    print(head)
    for n in sizes:
        cells = "".join(f"{value(n, c) * 1000 / (n / 1000):21.2f}" for c in columns)
        print(f"  {n:>10,}{cells}")
    if "html_mb" in figures[sizes[-1]]:
        sizes_mb = ", ".join(f"{n:,}: {figures[n]['html_mb']:.1f} MB" for n in sizes)
        print(f"\nHTML report size: {sizes_mb}")
    if len(sizes) > 1:
        print()
        print("growth: time(larger) / time(smaller), against the ideal (linear) ratio")
        for small, large in itertools.pairwise(sizes):
            ideal = large / small
            print(f"  {large:,} / {small:,} (ideal {ideal:g}x)")
            for column in columns:
                a, b = value(small, column), value(large, column)
                if a and b is not None:
                    ratio = b / a
                    print(f"    {column:<22}{ratio:8.2f}x   = {ratio / ideal:5.2f} x linear")
    if GOAL_SIZE in figures:
        print()
        for column in ("score", "score+report+render", "total"):
            seconds = value(GOAL_SIZE, column)
            verdict = "met" if seconds is not None and seconds < GOAL_SECONDS else "MISSED"
            print(
                f"goal: {column} of {GOAL_SIZE:,} responses under {GOAL_SECONDS:g} s: "
                f"{seconds:.3f} s, {verdict}"
            )


# -- profiling ---------------------------------------------------------------------------------


def profile(base: Path, db: Path, n: int, stage: str, top: int) -> None:
    """cProfile one stage at one size: the top functions by cumulative and by own time."""
    from feedback.scoring import build_context, score

    engine = make_engine(base / "project", db)
    try:
        _ = engine.scorers
        engine.survey(bench_import.SURVEY_ID)
        context = build_context(engine, EVENT_ID)
        results = None
        if stage in ("report", "render"):
            results = score(engine, context)
        api = report_api(engine) if stage in ("report", "render") else None
        profiler = cProfile.Profile()
        if stage == "read":
            profiler.runcall(build_context, engine, EVENT_ID)
        elif stage == "score":
            context.cache.clear()
            profiler.runcall(score, engine, context)
        elif api is None:
            return
        elif stage == "report":
            profiler.runcall(api.build, engine, context, results)
        else:
            if api.render is None:
                return
            report = api.build(engine, context, results)
            api.render(report)  # warm-up: imports (matplotlib, jinja2) and templates
            profiler.runcall(api.render, report)
    finally:
        engine.close()
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(key).print_stats(top)
        print(f"\n== {stage} at {n:,} responses, sorted by {key} ==")
        print(out.getvalue().split("\n\n", 1)[-1].rstrip())


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help="responses per database, comma-separated"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the median counts")
    parser.add_argument("--roster", type=int, default=120, help="people on the event's roster")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--workdir", type=Path, help="keep the databases here and reuse them")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--gc",
        choices=("on", "off", "freeze"),
        default="off",
        help="the cyclic garbage collector: off (as `feedback score` and `feedback report` run: "
        "they pause it while reading and scoring), on, or gc.freeze() after each read (inside "
        "the read's time): shows what it costs",
    )
    parser.add_argument("--profile", type=int, metavar="N", help="profile one stage at size N")
    parser.add_argument("--profile-stage", choices=STAGES, default="score")
    parser.add_argument("--top", type=int, default=30, help="functions listed by --profile")
    args = parser.parse_args()

    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    if args.profile:
        sizes = [args.profile]
    if args.workdir:
        base = args.workdir.resolve()
        base.mkdir(parents=True, exist_ok=True)
    else:
        base = Path(tempfile.mkdtemp(prefix="feedback-bench-scoring-"))
    try:
        survey = bench_import.load_survey()
        print(
            f"survey {survey.id} version {survey.version}; python {sys.version.split()[0]}; "
            f"roster {args.roster} people; sizes {', '.join(f'{n:,}' for n in sizes)}; "
            f"gc {args.gc}"
        )
        print("building the databases (untimed)", flush=True)
        start = time.perf_counter()
        dbs = build_databases(base, sizes, survey, args.roster, args.seed)
        print(f"  databases ready in {time.perf_counter() - start:.1f}s", flush=True)
        if args.profile:
            profile(base, dbs[args.profile], args.profile, args.profile_stage, args.top)
            return
        if args.gc == "off":
            gc.disable()
        figures: dict[int, dict[str, float]] = {}
        for n in sizes:
            print(f"timing {n:,} responses ({args.repeat} run(s))...", flush=True)
            figures[n] = measure(
                base, dbs[n], n, args.repeat, warm_up=n == sizes[0], gc_mode=args.gc
            )
            stages = ", ".join(f"{s} {figures[n][s]:.3f}s" for s in STAGES if s in figures[n])
            print(f"  {stages}; peak RSS so far {peak_rss_mib():,.0f} MiB", flush=True)
        print_results(figures)
    finally:
        if args.workdir or args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
