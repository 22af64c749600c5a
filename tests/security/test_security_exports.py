"""Exports under faults (issue 12, item 3): ``feedback responses export -o FILE`` killed midway, or
stopped by a full disk, leaves the previous good export as it was, whole, in every format.

The faults are real: the command runs in a child process, under a file-size limit
(``RLIMIT_FSIZE`` with SIGXFSZ ignored, so a write fails with EFBIG as on a full disk), or killed
with SIGKILL once it has written part of the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import make_response, run

COUNT = 400
LIMIT = 64 * 1024  # above what opening the database writes (its -shm file is 32 KiB)


def comment(i: int) -> str:
    """Text that compresses badly, so that even the XLSX export is far larger than `LIMIT`."""
    return " ".join(hashlib.sha256(f"{i}.{n}".encode()).hexdigest() for n in range(8))


@pytest.fixture
def project(event_project: Path) -> Path:
    rows = [
        make_response("post-seminar", {"role": "ngo", "comments": comment(i)}) for i in range(COUNT)
    ]
    path = event_project / "responses.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = run(event_project, "responses", "import", str(path))
    assert result.exit_code == 0, result.output
    return event_project


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def good_export(project: Path, fmt: str) -> Path:
    out = project / f"out.{fmt}"
    result = run(project, "responses", "export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def limited(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_a_full_disk_leaves_the_previous_export_whole(project: Path, fmt: str) -> None:
    out = good_export(project, fmt)
    before = digest(out)
    assert out.stat().st_size > 2 * LIMIT
    result = subprocess.run(
        [sys.executable, "-m", "feedback", "responses", "export", "--format", fmt, "-o", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        preexec_fn=lambda: limited(LIMIT),
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{out}: cannot write" in result.stderr
    assert digest(out) == before
    assert leftovers(project) == []


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from feedback import exporting
    from feedback.cli import cli

    seen = 0
    plain = exporting.neutralise

    def neutralise(value):
        global seen
        seen += 1
        if seen == {cells}:
            os.kill(os.getpid(), signal.SIGKILL)
        return plain(value)

    exporting.neutralise = neutralise
    cli(sys.argv[1:], prog_name="feedback")
    """
)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_killed_midway_the_previous_export_is_whole(project: Path, fmt: str) -> None:
    out = good_export(project, fmt)
    before = digest(out)
    cells = 20 * COUNT // 2  # about half the rows are written when the process is killed
    script = KILLER.replace("{cells}", str(cells))
    args = ["--project", str(project), "responses", "export", "--format", fmt, "-o", str(out)]
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert digest(out) == before
    # the temporary file of a killed process stays, hidden, beside it (nothing can remove it)
    assert all(name.startswith(f".{out.name}.") for name in leftovers(project))


def test_a_new_export_replaces_the_old_one_whole(project: Path) -> None:
    out = project / "out.csv"
    out.write_text("an older export\n", encoding="utf-8")
    os.chmod(out, 0o640)
    result = run(project, "responses", "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,event,survey")
    assert len(lines) == COUNT + 1
    assert leftovers(project) == []
