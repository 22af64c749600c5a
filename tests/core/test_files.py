"""feedback.files: outputs written whole or not at all, named safely, never over the database."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from helpers import dump, run

from feedback import files


def test_a_failure_inside_the_block_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), files.atomic_write(path) as out:
        out.write("half of the new")
        raise RuntimeError("killed midway")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_the_new_file_replaces_the_old_with_the_usual_permissions(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    os.chmod(path, 0o600)
    old = os.umask(0o022)
    try:
        files.write_bytes(path, b"new")
    finally:
        os.umask(old)
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # a new file, made as any other
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


@pytest.mark.parametrize("key", ["", ".", "..", "../x", "a/b", "a\\b", "x\x1b[2J", "\n"])
def test_an_id_that_cannot_name_a_file_here_is_refused(key: str) -> None:
    with pytest.raises(files.UnsafeOutput, match="give -o FILE"):
        files.default_output("report-", key, ".html")


def test_a_plain_id_names_a_file_in_this_folder() -> None:
    assert files.default_output("report-", "hague-2011", ".html") == Path("report-hague-2011.html")


@pytest.mark.parametrize("name", ["feedback.db", "feedback.db-wal", "./feedback.db"])
def test_nothing_is_written_over_the_database(event_project: Path, name: str) -> None:
    db = event_project / "feedback.db"
    before = dump(db)
    for args in (
        ["responses", "export", "-o", str(event_project / name)],
        ["report", "--event", "hague-2011", "-o", str(event_project / name)],
        ["offline", "form", "--event", "hague-2011", "-o", str(event_project / name)],
    ):
        result = run(event_project, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "is the database" in result.output
    assert dump(db) == before
