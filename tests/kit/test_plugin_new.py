"""`feedback plugin new` writes packages whose own tests pass as generated, for every kind."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from helpers import run
from kit_helpers import install_in_place

from feedback.cli.plugin import KINDS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_passes_its_own_tests_as_generated(kind: str, tmp_path: Path) -> None:
    name = "my_" + kind.replace("-", "_")
    result = run(tmp_path, "plugin", "new", name, "--kind", kind, "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    package = tmp_path / f"feedback-{name.replace('_', '-')}"
    assert (package / "src" / f"feedback_{name}" / "__init__.py").is_file()
    env = install_in_place(package, name)
    listed = subprocess.run(
        [sys.executable, "-m", "feedback", "plugins", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert f'"name": "{name}"' in listed.stdout, listed.stdout + listed.stderr
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout and "skipped" not in tests.stdout, tests.stdout[-2000:]


def test_a_real_install_into_a_virtual_environment(tmp_path: Path) -> None:
    """The README's steps, for real: pip installs the package (build isolation fetches its build
    backend), and the installed plugin's tests pass."""
    result = run(tmp_path, "plugin", "new", "sms", "--kind", "channel", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    package = tmp_path / "feedback-sms"
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False, symlinks=True)
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "-e", str(package)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    tests = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    assert "4 passed" in tests.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plugin", "new", "Bad-Name", "--kind", "scorer"], "lower-case letters"),
        (["plugin", "new", "class", "--kind", "scorer"], "Python keyword"),
        (["plugin", "new", "ok", "--kind", "widget"], "Invalid value for '--kind'"),
        (["plugin", "new", "ok", "--kind", "scorer", "--dir", "missing"], "does not exist"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    before = sorted(tmp_path.rglob("*"))
    result = run(tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert sorted(tmp_path.rglob("*")) == before


def test_an_existing_package_is_never_written_over(tmp_path: Path) -> None:
    assert (
        run(tmp_path, "plugin", "new", "sms", "--kind", "channel", "--dir", str(tmp_path)).exit_code
        == 0
    )
    readme = tmp_path / "feedback-sms" / "README.md"
    readme.write_text("mine", encoding="utf-8")
    result = run(tmp_path, "plugin", "new", "sms", "--kind", "format", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert "exists already" in result.output
    assert readme.read_text(encoding="utf-8") == "mine"
