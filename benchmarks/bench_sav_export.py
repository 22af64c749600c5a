"""Benchmark: the SPSS (.sav) export of many responses against the CSV export of the same.

Run from the project root (never from pytest; it asserts nothing, it prints figures):

    python benchmarks/bench_sav_export.py                 # 100,000 responses
    python benchmarks/bench_sav_export.py --n 20000       # another size
    python benchmarks/bench_sav_export.py --repeat 5      # more timed runs (the median is reported)

N random but valid responses to the shipped ``post-seminar`` survey (every answerable question
by its type, ``show_if`` honoured, a few "don't know" answers) are stored through
``Engine.submit_many`` in a temporary project, untimed. Then, in this one process, each export
writes the same responses from the same database, as ``feedback responses export`` does:

* csv: ``feedback.exporting.export_file("csv", ...)``, a column per question, formula-safe cells;
* sav: ``feedback.exporting.write_with`` of the ``sav`` format (``feedback_stats_formats``):
  the variables model, a pandas frame, pyreadstat's writer.

Time is the median wall time of ``--repeat`` runs each (3), alternated. Memory is the peak of
Python allocations traced by ``tracemalloc`` during one more run of each (numpy reports its
arrays to tracemalloc; ReadStat's own C buffers are not seen), and the peak RSS of a child
process that runs only that export (its VmHWM), against a child that opens the engine and
reads nothing (and one that only imports pandas and pyreadstat). Ratios are sav / csv: 1.0 would cost the same as the CSV export.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

from feedback.config import load_settings
from feedback.engine import Engine
from feedback.plugins import make_plugin_manager
from feedback.survey import MultiChoice, Number, Rating, ScaleQuestion, Survey, ThenNow, YesNo

SURVEY = "post-seminar"
EVENT = {"id": "bench-2011", "title": "Bench", "date": "2011-01-26", "country": "NL"}


def answer(question: Any, rng: random.Random) -> Any:
    """A random valid answer to ``question`` (``None``: left blank)."""
    if rng.random() < 0.05 and not question.required:
        return None
    if isinstance(question, ThenNow):
        ids = question.point_ids()
        return {"then": rng.choice(ids), "now": rng.choice(ids)}
    if isinstance(question, ScaleQuestion):
        return rng.choice(question.point_ids())
    if isinstance(question, MultiChoice):
        top = question.max_selections or len(question.choices)
        count = rng.randint(max(1, question.min_selections), top)
        return rng.sample(question.answer_ids(), count)
    if question.answer_ids():
        return rng.choice(question.answer_ids())
    if isinstance(question, YesNo):
        return rng.random() < 0.5
    if isinstance(question, Rating):
        return rng.randint(question.min, question.max)
    if isinstance(question, Number):
        low = int(question.min if question.min is not None else 0)
        return rng.randint(low, low + 20)
    return rng.choice(["Very useful", "=1+1 more time for questions", "Merci beaucoup", "ok"])


def responses(survey: Survey, n: int, seed: int = 1) -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(seed)
    out = []
    skip = set(survey.self_code or ())
    for i in range(n):
        answers: dict[str, Any] = {}
        for question in survey.questions_in_order:
            if not question.answerable or question.id in skip:
                continue
            if question.show_if is not None and not question.show_if.evaluate(answers):
                continue
            value = answer(question, rng)
            if value is not None:
                answers[question.id] = value
        out.append(
            (
                f"#{i}",
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "survey": survey.id,
                    "event": EVENT["id"],
                    "channel": rng.choice(["kiosk", "web", "paper"]),
                    "language": rng.choice(survey.languages),
                    "submitted": EVENT["date"],
                    "answers": answers,
                },
            )
        )
    return out


def engine_for(project: Path) -> Engine:
    return Engine(settings=load_settings(project), pm=make_plugin_manager())


def export(engine: Engine, fmt: str, path: Path) -> int:
    from feedback import exporting
    from feedback.variables import survey_versions

    store = engine.store
    versions = survey_versions(engine, SURVEY)
    records = store.iter_responses(survey=SURVEY)
    if fmt == "csv":
        return exporting.export_file("csv", records, exporting.columns(versions[::-1]), path)
    chosen = exporting.export_formats(engine.pm)[fmt]
    return exporting.write_with(
        chosen, exporting.Export(records, versions, versions[0].languages[0]), path
    )


def child_peak(project: Path, fmt: str, out: Path) -> float:
    """Peak RSS (MiB) of a child process that runs one export (or, ``none``, opens the engine):
    its own VmHWM, which exec resets (``ru_maxrss`` from ``os.wait4`` would keep the peak of
    this large process, which the child was forked from)."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", fmt, "--project", str(project), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.split()[-1]) / 1024


def high_water_mark() -> int:
    """This process's peak RSS in KiB (VmHWM of /proc/self/status, Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="responses (default 100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (median)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine = engine_for(args.project)
        engine.store  # noqa: B018 - opened, as an export opens it
        if args.child == "imports":
            import pandas  # noqa: F401
            import pyreadstat  # noqa: F401
        elif args.child != "none":
            export(engine, args.child, args.out)
        engine.close()
        print(high_water_mark())
        return
    with tempfile.TemporaryDirectory(prefix="bench-sav-") as folder:
        project = Path(folder)
        (project / "feedback.toml").write_text(f'default_survey = "{SURVEY}"\n')
        engine = engine_for(project)
        engine.store.upsert_event(dict(EVENT))
        survey = engine.survey(SURVEY)
        start = time.perf_counter()
        result = engine.submit_many(responses(survey, args.n))
        assert result.stored == args.n, result
        print(f"stored {args.n:,} responses in {time.perf_counter() - start:.1f} s (untimed)")
        times: dict[str, list[float]] = {"csv": [], "sav": []}
        for _ in range(args.repeat):
            for fmt in ("csv", "sav"):
                start = time.perf_counter()
                count = export(engine, fmt, project / f"out.{fmt}")
                times[fmt].append(time.perf_counter() - start)
                assert count == args.n
        peaks = {}
        for fmt in ("csv", "sav"):
            tracemalloc.start()
            export(engine, fmt, project / f"out.{fmt}")
            peaks[fmt] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        engine.close()
        rss = {
            fmt: child_peak(project, fmt, project / f"child.{fmt}")
            for fmt in ("none", "imports", "csv", "sav")
        }
        sizes = {fmt: (project / f"out.{fmt}").stat().st_size / 2**20 for fmt in ("csv", "sav")}
    csv_t, sav_t = (statistics.median(times[f]) for f in ("csv", "sav"))
    print(
        f"csv export: {csv_t:.3f} s ({args.n / csv_t:,.0f} responses/s), {sizes['csv']:.1f} MiB file"
    )
    print(
        f"sav export: {sav_t:.3f} s ({args.n / sav_t:,.0f} responses/s), {sizes['sav']:.1f} MiB file"
    )
    print(f"time sav / csv: {sav_t / csv_t:.2f}x")
    print(
        f"peak traced Python memory: csv {peaks['csv']:.1f} MiB, sav {peaks['sav']:.1f} MiB "
        f"({peaks['sav'] / max(peaks['csv'], 0.01):.1f}x)"
    )
    print(
        f"peak RSS of a child: engine only {rss['none']:.0f} MiB (with pandas and pyreadstat "
        f"imported {rss['imports']:.0f} MiB), csv {rss['csv']:.0f} MiB, sav {rss['sav']:.0f} MiB; "
        f"above the engine: csv {rss['csv'] - rss['none']:.0f} MiB, sav "
        f"{rss['sav'] - rss['none']:.0f} MiB ({rss['sav'] - rss['imports']:.0f} MiB above the "
        "engine with the libraries)"
    )


if __name__ == "__main__":
    main()
