"""The habits that keep the project in shape: benchmark names, their figures' table, typed packages,
the checks CI runs, and the markers of browser and slow tests."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def benchmark_scripts() -> list[Path]:
    return sorted(BENCHMARKS.glob("*.py"))


def test_benchmark_files_are_named_bench_and_shadow_no_standard_module() -> None:
    """Run as a script, a benchmark's folder comes first on ``sys.path``: a file named like a
    module of the standard library (``email.py`` did) hides that module from every import."""
    scripts = benchmark_scripts()
    assert scripts, "no benchmark found"
    misnamed = [p.name for p in scripts if not p.name.startswith("bench_")]
    shadowing = [p.name for p in scripts if p.stem in sys.stdlib_module_names]
    assert misnamed == [], "benchmarks are named bench_*.py"
    assert shadowing == []


def lead_table(text: str) -> list[str]:
    """The rows of the first table of ``text``, which must come before any section but the one
    that holds it."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    assert sum(line.startswith("## ") for line in lines[:start]) <= 1, "the table comes first"
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_the_benchmarks_readme_leads_with_one_row_of_figures_per_benchmark() -> None:
    rows = lead_table((BENCHMARKS / "README.md").read_text(encoding="utf-8"))
    header = [cell.strip().lower() for cell in rows[0].strip("|").split("|")]
    assert header[0] == "benchmark"
    assert any("baseline" in cell for cell in header) and any("date" in cell for cell in header)
    named = {m for row in rows[2:] for m in re.findall(r"`(bench_\w+\.py)", row.split("|")[1])}
    assert named == {p.name for p in benchmark_scripts()}
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == len(header) and all(cells), row
        assert re.search(r"\d{4}-\d{2}-\d{2}", cells[-1]), row


@pytest.mark.parametrize("script", [p.name for p in benchmark_scripts()])
def test_every_benchmark_runs_as_a_script(script: str) -> None:
    """``--help`` imports the script and everything it imports at the top, as a run would."""
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def wheel_packages() -> list[str]:
    return list(pyproject()["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"])


def test_every_package_of_the_wheel_ships_py_typed() -> None:
    packages = wheel_packages()
    assert "feedback" in packages and len(packages) > 1
    assert [p for p in packages if not (ROOT / p / "py.typed").is_file()] == []


def test_every_built_in_plugin_is_in_the_wheel_and_type_checked() -> None:
    plugins = sorted(p.parent.name for p in (ROOT / "plugins").glob("*/__init__.py"))
    assert sorted(Path(p).name for p in wheel_packages() if p != "feedback") == plugins
    mypy = pyproject()["tool"]["mypy"]
    assert mypy["files"] == ["feedback", "plugins"] and mypy["mypy_path"] == "plugins"
    assert mypy["strict"] is True


def test_ci_checks_types_and_import_contracts_before_the_tests() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    tests = next(i for i, line in enumerate(lines) if "pytest" in line)
    assert any(re.fullmatch(r"(python3 -m )?mypy", line) for line in lines[:tests])
    assert "lint-imports" in lines[:tests]


def test_pre_commit_runs_the_same_checks_offline() -> None:
    text = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert re.findall(r"^  - repo: (\S+)", text, re.MULTILINE) == ["local"]
    entries = [e.split() for e in re.findall(r"^\s+entry: (.+)$", text, re.MULTILINE)]
    commands = {" ".join(e[:2]) if e[0] == "ruff" else " ".join(e) for e in entries}
    assert commands == {"ruff check", "ruff format", "python3 -m mypy", "lint-imports"}
    assert set(re.findall(r"^\s+language: (\S+)$", text, re.MULTILINE)) == {"system"}


#: Collects the tests named on its command line and prints each one's browser and slow marks.
SHOW_MARKS = """
import sys, pytest

class ShowMarks:
    def pytest_collection_finish(self, session):
        for item in session.items:
            marks = sorted({m.name for m in item.iter_markers()} & {"browser", "slow"})
            print("MARKS", item.nodeid, ",".join(marks))

sys.exit(pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *sys.argv[1:]],
                     plugins=[ShowMarks()]))
"""


def marks_of(*files: str) -> dict[str, set[str]]:
    """The ``browser`` and ``slow`` marks of every test in ``files``, as pytest collects them."""
    result = subprocess.run(
        [sys.executable, "-c", SHOW_MARKS, *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    found = [
        line.removeprefix("MARKS ").rsplit(" ", 1)
        for line in result.stdout.splitlines()
        if line.startswith("MARKS ")
    ]
    return {nodeid: set(filter(None, marks.split(","))) for nodeid, marks in found}


def test_browser_and_slow_tests_are_marked_by_what_they_use() -> None:
    vectors = "tests/core/test_answer_vectors.py"  # Python cases, and one run in Chromium
    tmux = "tests/plugins/feedback_kiosk/test_tmux.py"  # the kiosk as a whole process in tmux
    habits = "tests/core/test_habits.py"
    marks = marks_of(vectors, tmux, habits)

    assert {n for n, m in marks.items() if "browser" in m} == {
        f"{vectors}::test_javascript_parses_each_case_as_python_does"
    }
    assert all(m == {"slow"} for n, m in marks.items() if n.startswith(tmux))
    assert any(n.startswith(tmux) for n in marks)
    assert marks[f"{habits}::test_browser_and_slow_tests_are_marked_by_what_they_use"] == {"slow"}
    assert marks[f"{habits}::test_every_package_of_the_wheel_ships_py_typed"] == set()
    assert any(not m for n, m in marks.items() if n.startswith(vectors))


def test_every_test_named_slow_in_conftest_exists() -> None:
    """The list of slow tests by name must not outlive the tests it names."""
    tree = ast.parse((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    [listed] = [
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "SLOW_TESTS"
    ]
    prefixes = ast.literal_eval(listed)
    assert prefixes
    for prefix in prefixes:
        path, _, name = prefix.partition("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        assert not name or f"def {name}" in source, prefix
