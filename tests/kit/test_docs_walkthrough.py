"""The plugin guide's walkthrough runs: its files make a package whose tests pass.

Every code block of docs/plugins.md whose info string names a file (```python file=...```) is
written into a package, the package is installed in place, and its tests (the guide's own) run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kit_helpers import install_in_place
from markdown_it import MarkdownIt

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def walkthrough_files() -> dict[str, str]:
    files: dict[str, str] = {}
    for token in MarkdownIt().parse(GUIDE.read_text(encoding="utf-8")):
        if token.type != "fence":
            continue
        words = token.info.split()
        named = [w.removeprefix("file=") for w in words[1:] if w.startswith("file=")]
        if named:
            assert named[0] not in files, f"docs/plugins.md writes {named[0]} twice"
            files[named[0]] = token.content
    return files


def test_the_walkthrough_names_every_kind_of_plugin() -> None:
    files = walkthrough_files()
    init = files["feedback_sms/__init__.py"]
    for hook in (
        "register_settings",
        "register_migrations",
        "register_channels",
        "register_commands",
        "register_scorers",
        "load_survey",
        "register_question_types",
    ):
        assert f"def {hook}(" in init, hook
    assert any(name.startswith("tests/test_") for name in files)


def test_the_walkthrough_package_passes_its_tests(tmp_path: Path) -> None:
    package = tmp_path / "feedback-sms"
    for name, text in walkthrough_files().items():
        path = package / ("src" if not name.startswith("tests/") else "") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    env = install_in_place(package, "sms")
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tests.returncode == 0, tests.stdout[-6000:] + tests.stderr[-2000:]
    assert "8 passed" in tests.stdout, tests.stdout[-2000:]
