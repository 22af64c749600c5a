"""The import contracts of ``pyproject.toml`` (``[tool.importlinter]``) hold: the core imports no
plugin, and no plugin imports another. ``lint-imports`` runs here as it does in ``.ci/run``; every
built-in plugin is under contract; and a break of either contract, in a copy of the tree, fails the
run and names the import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"


def lint_imports_command() -> list[str]:
    """The ``lint-imports`` of this Python (import-linter is in the test extras: never skipped)."""
    script = Path(sys.executable).with_name("lint-imports")
    if script.exists():
        return [str(script)]
    found = shutil.which("lint-imports")
    assert found, "lint-imports not found: pip install -e '.[test]' installs import-linter"
    return [found]


def lint_imports(cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*lint_imports_command(), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def config() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return dict(tomllib.load(file)["tool"]["importlinter"])


def contract(kind: str) -> dict[str, Any]:
    [found] = [c for c in config()["contracts"] if c["type"] == kind]
    return dict(found)


def plugin_packages() -> set[str]:
    return {p.parent.name for p in PLUGINS.glob("feedback_*/__init__.py")}


def test_the_import_contracts_hold() -> None:
    result = lint_imports(ROOT)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "The core imports no plugin KEPT" in output
    assert "No plugin imports another plugin KEPT" in output
    assert "0 broken" in output


def test_every_plugin_is_under_contract() -> None:
    plugins = plugin_packages()
    assert len(plugins) >= 7
    assert set(config()["root_packages"]) == {"feedback", *plugins}
    forbidden = contract("forbidden")
    assert forbidden["source_modules"] == ["feedback"]
    assert set(forbidden["forbidden_modules"]) == plugins
    assert set(contract("independence")["modules"]) == plugins


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python files of the core and the plugins, and pyproject.toml, copied."""
    copy = tmp_path_factory.mktemp("tree")

    def not_python(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if not n.endswith(".py") and not Path(folder, n).is_dir()} | {
            "__pycache__"
        }

    shutil.copytree(ROOT / "feedback", copy / "feedback", ignore=not_python)
    shutil.copytree(PLUGINS, copy / "plugins", ignore=not_python)
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


@pytest.mark.parametrize(
    ("module", "line", "expected"),
    [
        (
            "plugins/feedback_kiosk/paper.py",
            "def entry():\n    from feedback_offline.entry import PaperForms\n\n"
            "    return PaperForms\n",
            [
                "No plugin imports another plugin BROKEN",
                "feedback_kiosk is not allowed to import feedback_offline",
                "feedback_kiosk.paper -> feedback_offline.entry",
            ],
        ),
        (
            "plugins/feedback_offline/shared.py",
            "from feedback_web.i18n import words\n",
            [
                "No plugin imports another plugin BROKEN",
                "feedback_offline is not allowed to import feedback_web",
            ],
        ),
        (
            "feedback/kiosk_words.py",
            "import feedback_kiosk.i18n\n",
            [
                "The core imports no plugin BROKEN",
                "feedback.kiosk_words -> feedback_kiosk.i18n",
            ],
        ),
    ],
)
def test_a_broken_contract_fails_the_run_and_names_the_import(
    tree_copy: Path, module: str, line: str, expected: list[str]
) -> None:
    path = tree_copy / module
    path.write_text(f'"""A violation, for this test."""\n\n{line}', encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tree_copy), str(tree_copy / "plugins")]),
    }
    try:
        result = lint_imports(tree_copy, env)
    finally:
        path.unlink()
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for text in expected:
        assert text in output, output


def test_no_plugin_reads_another_plugins_files() -> None:
    """import-linter sees imports, not ``resources.files("feedback_web")``: a plugin that reads
    another's files (a style sheet, a script) breaks when that plugin is not installed, just as
    an import would. What two plugins share is the core's (``feedback/static``)."""
    import re

    plugins_dir = Path(__file__).resolve().parents[2] / "plugins"
    reads = re.compile(r"""files\(\s*["'](feedback_[a-z_]+)["']""")
    found = []
    for path in sorted(plugins_dir.glob("feedback_*/**/*.py")):
        owner = path.relative_to(plugins_dir).parts[0]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for package in reads.findall(line):
                if package != owner:
                    found.append(f"{path.relative_to(plugins_dir)}:{number}: reads {package}")
    assert found == []
