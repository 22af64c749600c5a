"""Benchmark: the start-up of ``feedback --help`` against ``sqlite-utils --help``, in the same run.

Run from the project root (never from pytest; it asserts nothing, it prints figures):

    python benchmarks/bench_startup.py                 # 40 interleaved rounds
    python benchmarks/bench_startup.py --repeat 100    # more rounds (a noisy machine)
    python benchmarks/bench_startup.py --json          # the figures as JSON
    python benchmarks/bench_startup.py --markdown      # one row for benchmarks/README.md

Goal (issue 14, section 5): ``feedback --help`` takes at most 1.5x as long as ``sqlite-utils
--help`` (a click command line of the same kind, with pluggy plugins of its own).

Each command runs as a fresh child process, stdout to /dev/null, timed from the spawn to its exit
with ``time.perf_counter`` (wall time); its CPU time (user + system, from ``os.wait4``) is read
too. Both console scripts are started directly from this
interpreter's scripts folder (a pyenv shim in between would add the same ~0.1 s of shell to both
and hide the difference). Every round runs each command once, in a new random order, after
``--warmup`` uncounted rounds (the page cache, the ``.pyc`` files); the figures are the median,
the minimum and the 90th percentile over ``--repeat`` rounds. The ratio that the goal is about is
the ratio of the wall-time medians; the ratios of the minimums and of the CPU-time medians, the
least disturbed by other work on a busy machine, are printed beside it.

Two floors give the scale: ``python -c pass`` (the interpreter and ``site``, which every Python
command pays) and ``python -c "import click"``. The "above python" ratio compares what each
command adds to the bare interpreter. ``modules`` is how many modules each command's ``--help``
leaves in ``sys.modules`` (its console-script entry point called in a child process).
"""

# ruff: noqa: E402  (the imports follow the sys.path fix below)
from __future__ import annotations

import os
import sys

# Run as a script, this folder comes first on sys.path, where a sibling module could hide one of
# the standard library's: take the folder off before importing anything else.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import argparse
import datetime as dt
import json
import platform
import random
import shutil
import statistics
import subprocess
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.5

#: Counts the modules a console script's ``--help`` leaves loaded (argv: the script's name).
COUNT_MODULES = """
import importlib.metadata, sys
name = sys.argv[1]
(ep,) = [e for e in importlib.metadata.entry_points(group="console_scripts") if e.name == name]
sys.argv = [name, "--help"]
main = ep.load()
try:
    main()
except SystemExit:
    pass
sys.stdout = sys.__stdout__
print(len(sys.modules), file=sys.stderr)
"""


MARKDOWN_HEADER = (
    "| date | commit | machine | python | rounds | feedback --help (s) | sqlite-utils --help (s) "
    "| python -c pass (s) | ratio (median) | ratio (min) | ratio (CPU) | modules |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


@dataclass
class Figure:
    """One command and its times (seconds)."""

    name: str
    argv: list[str]
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    modules: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def minimum(self) -> float:
        return min(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def p90(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "argv": self.argv,
            "runs": len(self.times),
            "median_s": round(self.median, 4),
            "min_s": round(self.minimum, 4),
            "p90_s": round(self.p90, 4),
            "cpu_median_s": round(self.cpu_median, 4),
            "modules": self.modules,
        }


def script(name: str) -> str:
    """The console script ``name`` of this interpreter (not a shim), or the one on PATH.

    :raises SystemExit: neither exists (naming the command and where it was looked for).
    """
    folder = Path(sysconfig.get_path("scripts"))
    candidate = folder / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"bench_startup: no '{name}' in {folder} or on PATH (pip install {name})")
    return found


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall seconds from spawning ``argv`` to its exit, and its CPU seconds (user + system); a
    failure stops the benchmark."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(
            f"bench_startup: {' '.join(argv)} exited with {child.returncode} "
            f"(run it by hand to see why)"
        )
    return elapsed, usage.ru_utime + usage.ru_stime


def count_modules(name: str) -> int | None:
    done = subprocess.run(
        [sys.executable, "-c", COUNT_MODULES, name], capture_output=True, text=True, cwd=ROOT
    )
    lines = done.stderr.strip().splitlines()
    return int(lines[-1]) if done.returncode == 0 and lines and lines[-1].isdigit() else None


def measure(figures: list[Figure], repeat: int, warmup: int, seed: int) -> None:
    order = list(figures)
    shuffle = random.Random(seed).shuffle
    for round_ in range(warmup + repeat):
        shuffle(order)
        for figure in order:
            elapsed, cpu = run_once(figure.argv)
            if round_ >= warmup:
                figure.times.append(elapsed)
                figure.cpu.append(cpu)


def commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head} + uncommitted work" if dirty else head or "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40, help="Counted rounds (default 40).")
    parser.add_argument("--warmup", type=int, default=3, help="Uncounted rounds first (3).")
    parser.add_argument("--seed", type=int, default=14, help="Seed of the order of each round.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument(
        "--markdown", action="store_true", help="Print a row for benchmarks/README.md."
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")

    feedback = Figure("feedback --help", [script("feedback"), "--help"])
    sqlite_utils = Figure("sqlite-utils --help", [script("sqlite-utils"), "--help"])
    python = Figure("python -c pass", [sys.executable, "-c", "pass"])
    click = Figure("python -c 'import click'", [sys.executable, "-c", "import click"])
    figures = [feedback, sqlite_utils, python, click]
    feedback.modules = count_modules("feedback")
    sqlite_utils.modules = count_modules("sqlite-utils")

    measure(figures, args.repeat, args.warmup, args.seed)

    ratio = feedback.median / sqlite_utils.median
    ratio_min = feedback.minimum / sqlite_utils.minimum
    ratio_cpu = feedback.cpu_median / sqlite_utils.cpu_median
    above = sqlite_utils.median - python.median
    ratio_above = (feedback.median - python.median) / above if above > 0 else float("nan")
    result = {
        "date": dt.date.today().isoformat(),
        "commit": commit(),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "repeat": args.repeat,
        "figures": [f.as_dict() for f in figures],
        "ratio_median": round(ratio, 3),
        "ratio_min": round(ratio_min, 3),
        "ratio_cpu": round(ratio_cpu, 3),
        "ratio_above_python": round(ratio_above, 3),
        "goal": GOAL,
        "goal_met": ratio <= GOAL,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    if args.markdown:
        print(MARKDOWN_HEADER)
        print(
            f"| {result['date']} | {result['commit']} | {result['machine']} | {result['python']} "
            f"| {args.repeat} | {feedback.median:.3f} | {sqlite_utils.median:.3f} "
            f"| {python.median:.3f} | **{ratio:.2f}** ({'met' if ratio <= GOAL else 'missed'}) "
            f"| {ratio_min:.2f} | {ratio_cpu:.2f} | {feedback.modules} / {sqlite_utils.modules} |"
        )
        return
    print(
        f"{args.repeat} rounds, Python {result['python']}, load average "
        f"{' '.join(map(str, result['load_average']))}"
    )
    print(f"{'command':<28} {'median':>8} {'min':>8} {'p90':>8} {'cpu':>8} {'modules':>8}")
    for f in figures:
        modules = "" if f.modules is None else str(f.modules)
        print(
            f"{f.name:<28} {f.median:>8.3f} {f.minimum:>8.3f} {f.p90:>8.3f} "
            f"{f.cpu_median:>8.3f} {modules:>8}"
        )
    verdict = "met" if ratio <= GOAL else "missed"
    print(
        f"feedback / sqlite-utils: {ratio:.2f}x median (goal <= {GOAL}: {verdict}), "
        f"{ratio_min:.2f}x minimum, {ratio_cpu:.2f}x CPU time, "
        f"{ratio_above:.2f}x above `python -c pass`"
    )


if __name__ == "__main__":
    main()
