"""Deeply nested input (issue 12, item 14): a survey or a response file of 100,000 nested lists or
maps is refused with exit code 2 and a message naming where, never a RecursionError or a process
that eats the machine's memory.

The commands run in a child process under an address-space limit (``RLIMIT_AS``, 2 GiB), so that
without the depth checks the import fails there (ijson's item builder needs tens of GB for such a
file) instead of taking the machine down.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

DEPTH = 100_000
LIMIT = 2 * 1024**3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def feedback(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "feedback", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=_limit_memory,
        timeout=120,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def brackets(open_: str, close: str, depth: int = DEPTH) -> str:
    return open_ * depth + close * depth


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("lists.yaml", "id: deep\nquestions: " + brackets("[", "]") + "\n", ":2:"),
        ("maps.yaml", "id: deep\nquestions: " + brackets("{a: ", "}", 20_000) + "\n", ":2:"),
        ("lists.json", '{"id": "deep", "questions": ' + brackets("[", "]") + "}", ":1:"),
        ("block.yaml", "id: deep\nq:\n" + "".join(" " * i + "- \n" for i in range(300)), ":"),
    ],
    ids=["yaml-lists", "yaml-maps", "json-lists", "yaml-block"],
)
def test_a_deeply_nested_survey_is_refused_with_its_place(
    project: Path, name: str, text: str, where: str
) -> None:
    path = project / "surveys" / name
    path.write_text(text, encoding="utf-8")
    result = feedback(project, "survey", "validate", str(path))
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "nested more than 100 levels deep" in result.stdout + result.stderr
    assert f"{path}{where}" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("array.json", brackets("[", "]")),
        ("objects.json", "[" + '{"answers": ' * 20_000 + "1" + "}" * 20_000 + "]"),
        ("lines.jsonl", '{"id": ' + brackets("[", "]") + "}\n"),
    ],
    ids=["array", "objects", "lines"],
)
def test_a_deeply_nested_response_file_is_refused_and_nothing_is_stored(
    event_project: Path, name: str, text: str
) -> None:
    db = event_project / "feedback.db"
    before = digest(db)
    path = event_project / name
    path.write_text(text, encoding="utf-8")
    result = feedback(event_project, "responses", "import", str(path))
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "nested" in result.stderr
    assert digest(db) == before


def test_nesting_a_response_needs_is_accepted(event_project: Path) -> None:
    """The limit leaves room: a then/now answer is four levels deep in a JSON array."""
    record = {
        "id": "11111111-1111-4111-8111-111111111111",
        "event": "hague-2011",
        "survey": "post-seminar",
        "channel": "paper",
        "language": "en",
        "submitted": "2011-01-27",
        "answers": {"role": "ngo", "rapporteur_role": {"then": "little", "now": "good"}},
    }
    path = event_project / "one.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    result = feedback(event_project, "responses", "import", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
