"""Two sending runs at once: the second waits for nothing and sends nothing, so nobody gets a
message twice; the lock goes with the process that held it."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

from email_helpers import EVENT, Server
from helpers import dump, run


def _hold_lock(db: Path) -> subprocess.Popen[str]:
    """Another process that holds the sending lock until its input closes."""
    code = (
        "import fcntl, sys\n"
        f"handle = open({str(db) + '.sending.lock'!r}, 'a')\n"
        "fcntl.flock(handle.fileno(), fcntl.LOCK_EX)\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_run_at_once_sends_nothing(mail_project: Path, smtp: Server) -> None:
    db = mail_project / "feedback.db"
    before = dump(db)
    holder = _hold_lock(db)
    try:
        for command in ("invite", "remind"):
            result = run(mail_project, command, "--event", EVENT)
            assert result.exit_code == 1, result.output
            assert "another `feedback invite` or `feedback remind` is sending" in result.output
    finally:
        holder.communicate("")
    assert smtp.handler.received == []
    assert dump(db) == before

    # The holder is gone: its lock went with it, and the run goes ahead.
    result = run(mail_project, "invite", "--event", EVENT)
    assert result.exit_code == 0, result.output
    assert len(smtp.handler.received) == 3


def test_the_lock_is_released_after_a_run(mail_project: Path, smtp: Server) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0
    with open(str(mail_project / "feedback.db") + ".sending.lock", "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # would raise if still held
