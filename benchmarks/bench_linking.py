"""Benchmark: matching N follow-up responses to N first responses by their keyed links.

Run from the project root (never from pytest; it asserts nothing, it prints figures):

    python benchmarks/bench_linking.py              # 100,000 first and 100,000 follow-up answers
    python benchmarks/bench_linking.py --n 10000    # a quicker run
    python benchmarks/bench_linking.py --json       # the figures as JSON

One database holds one event, a first survey with a self-generated code and an intention item,
and a follow-up survey with the same code and the matching action item. N people answer on the
day; 90% of them answer the follow-up. Every response goes through ``Engine.submit_many``, so
each code is hashed under the linking key and its answers are dropped, as in use (building the
database is timed apart, as "store").

Timed (the median of ``--repeat`` runs, each on a fresh context):

* read: ``feedback.scoring.build_context``: the responses and their links read;
* match: the intentions scorer on that context (pairing by link, the counts and intervals);
* baseline: in the same process, raw sqlite3 doing the bare work of the match: one join of the
  links of the two surveys, and the two answers of each pair decoded from JSON and counted.

Memory: the peak of Python allocations (tracemalloc) during read + match, against the baseline's.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

FIRST = """\
id: first
title: On the day
languages: [en]
self_code: [parent, month]
questions:
  - {id: will_contact, type: yes_no, label: "Will you contact an NGO?",
     measures: ngo_cooperation, stage: intention}
  - {id: parent, type: text, label: "The first letter of your mother's first name"}
  - {id: month, type: text, label: "The month you were born"}
"""

LATER = """\
id: later
title: Ninety days on
languages: [en]
follows: {survey: first, wave: day_90, due_days: 90}
self_code: [parent, month]
questions:
  - {id: contacted, type: yes_no, label: "Have you contacted an NGO since?",
     measures: ngo_cooperation, stage: action}
  - {id: parent, type: text, label: "The first letter of your mother's first name"}
  - {id: month, type: text, label: "The month you were born"}
"""


def build(workdir: Path, n: int) -> tuple[Any, float]:
    """The engine on a new project with N first answers and 0.9 N follow-ups; the build time."""
    import feedback_formats
    import feedback_scoring
    from feedback.config import load_settings
    from feedback.engine import Engine
    from feedback.linking import new_key_file
    from feedback.plugins import make_plugin_manager

    (workdir / "surveys").mkdir(parents=True)
    (workdir / "surveys" / "first.yaml").write_text(FIRST, encoding="utf-8")
    (workdir / "surveys" / "later.yaml").write_text(LATER, encoding="utf-8")
    key = workdir.parent / "linking.key"
    new_key_file(key)
    (workdir / "feedback.toml").write_text(f'linking_key = "{key}"\n', encoding="utf-8")
    pm = make_plugin_manager(entrypoints=False, plugins=[feedback_formats, feedback_scoring])
    engine = Engine(settings=load_settings(workdir, pm=pm), pm=pm)
    engine.store.upsert_event({"id": "bench", "title": "Bench", "date": "2024-01-10"})

    def answers(survey: str, count: int, field: str) -> Any:
        for i in range(count):
            yield (
                f"#{i}",
                {
                    "id": str(uuid.uuid4()),
                    "survey": survey,
                    "event": "bench",
                    "channel": "kiosk",
                    "language": "en",
                    "submitted": "2024-01-10" if survey == "first" else "2024-04-10",
                    "answers": {field: i % 3 != 0, "parent": f"P{i}", "month": str(i % 12 + 1)},
                },
            )

    started = time.perf_counter()
    for survey, count, field in (("first", n, "will_contact"), ("later", n * 9 // 10, "contacted")):
        result = engine.submit_many(answers(survey, count, field))
        assert result.ok, result.rejected[:3]
    return engine, time.perf_counter() - started


def ours(engine: Any) -> tuple[float, float, list[Any]]:
    from feedback.scoring import build_context
    from feedback_scoring.intentions import score

    started = time.perf_counter()
    context = build_context(engine, "bench")
    read = time.perf_counter() - started
    started = time.perf_counter()
    results = score(context)
    return read, time.perf_counter() - started, results


def baseline(path: Path) -> tuple[float, tuple[int, int, int, int]]:
    started = time.perf_counter()
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT a.answers, b.answers FROM response_links AS la "
        "JOIN responses AS a ON a.id = la.response AND a.survey = 'first' "
        "JOIN response_links AS lb ON lb.link = la.link "
        "JOIN responses AS b ON b.id = lb.response AND b.survey = 'later'"
    )
    counts = [0, 0, 0, 0]  # intended & acted, intended, not intended & acted, not intended
    for first, later in rows:
        wish = json.loads(first)["will_contact"]
        deed = json.loads(later)["contacted"]
        counts[0 if wish else 2] += deed
        counts[1 if wish else 3] += 1
    conn.close()
    return time.perf_counter() - started, (counts[0], counts[1], counts[2], counts[3])


def peak(fn: Any) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        value = fn()
        return value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="first answers (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]
    with tempfile.TemporaryDirectory() as tmp:
        engine, store_time = build(Path(tmp) / "project", args.n)
        path = engine.store.path
        runs = [ours(engine) for _ in range(args.repeat)]
        read = statistics.median(r[0] for r in runs)
        match = statistics.median(r[1] for r in runs)
        results = runs[-1][2]
        bare_runs = [baseline(path) for _ in range(args.repeat)]
        bare = statistics.median(r[0] for r in bare_runs)
        counts = bare_runs[-1][1]
        _, our_peak = peak(lambda: ours(engine))
        _, bare_peak = peak(lambda: baseline(path))
        engine.close()
    by_label = {r.label: (r.k, r.n) for r in results}
    intended = by_label["Acted, of those who intended (ngo_cooperation)"]
    assert intended == (counts[0], counts[1]), (intended, counts)  # the same answer, both ways
    figures = {
        "n_first": args.n,
        "n_follow_up": args.n * 9 // 10,
        "store_s": round(store_time, 3),
        "read_s": round(read, 3),
        "match_s": round(match, 3),
        "baseline_s": round(bare, 3),
        "ratio_match_to_baseline": round(match / bare, 2),
        "ratio_read_and_match_to_baseline": round((read + match) / bare, 2),
        "peak_mib": round(our_peak / 2**20, 1),
        "baseline_peak_mib": round(bare_peak / 2**20, 1),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for name, value in figures.items():
        print(f"{name:34} {value}")


if __name__ == "__main__":
    main()
