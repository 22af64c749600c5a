"""``feedback offline import``: response files of the offline form and their bundles, each file whole
or not at all, a summary naming every problem, exit 2 when anything was rejected, and the database
exactly as it was for a file that is refused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import dump, make_response, open_engine, pm_with_formats, query, run

from feedback_offline.files import bundle, checksum, response_file
from feedback_offline.importer import GROUP_FILES

ANSWERS = {"role": "ngo", "country": "NL", "recommend": 8}


@pytest.fixture
def version(event_project: Path) -> str:
    engine = open_engine(event_project, pm_with_formats())
    try:
        return engine.survey("post-seminar").version
    finally:
        engine.close()


def offline_response(version: str, **changes: Any) -> dict[str, Any]:
    response = make_response("post-seminar", dict(ANSWERS), channel="offline")
    response["survey_version"] = version
    response.update(changes)
    return response


def write(folder: Path, document: Any, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if name is None:
        name = f"response-{document['response']['id']}.json"
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def stored(project: Path) -> list[tuple]:
    return query(project / "feedback.db", "SELECT id, channel FROM responses ORDER BY id")


def test_files_and_folders_are_imported_and_again_store_nothing(
    event_project: Path, version: str
) -> None:
    folder = event_project / "laptop"
    responses = [offline_response(version) for _ in range(3)]
    for response in responses[:2]:
        write(folder / "day1", response_file(response))
    single = write(event_project, response_file(responses[2]))

    result = run(event_project, "offline", "import", str(folder), str(single))
    assert result.exit_code == 0, result.output
    assert "3 files: 3 responses stored, 0 already present, 0 files rejected" in result.stdout
    assert sorted(stored(event_project)) == sorted((r["id"], "offline") for r in responses)

    before = dump(event_project / "feedback.db")
    again = run(event_project, "offline", "import", str(folder), str(single))
    assert again.exit_code == 0, again.output
    assert "0 responses stored, 3 already present" in again.stdout
    assert dump(event_project / "feedback.db") == before


def test_an_export_all_bundle_is_imported_response_by_response(
    event_project: Path, version: str
) -> None:
    responses = [offline_response(version) for _ in range(4)]
    write(event_project / "in", response_file(responses[0]))
    path = write(
        event_project / "in", bundle([response_file(r) for r in responses]), "responses.json"
    )
    result = run(event_project, "offline", "import", str(path.parent))
    assert result.exit_code == 0, result.output
    # the loose file and its copy in the bundle are the same response: stored once
    assert "4 responses stored, 1 already present" in result.stdout
    assert len(stored(event_project)) == 4


def test_the_same_id_with_other_content_is_kept_apart_for_review(
    event_project: Path, version: str
) -> None:
    first = offline_response(version)
    write(event_project / "a", response_file(first))
    assert run(event_project, "offline", "import", str(event_project / "a")).exit_code == 0
    changed = dict(first, answers={**ANSWERS, "recommend": 2})
    path = write(event_project / "b", response_file(changed))

    result = run(event_project, "offline", "import", str(path))
    assert result.exit_code == 2
    assert f"conflict {path}: response {first['id']} is stored with other content" in result.output
    answers = query(event_project / "feedback.db", "SELECT answers FROM responses")
    assert json.loads(answers[0][0])["recommend"] == 8  # never written over
    kept = query(event_project / "feedback.db", "SELECT response_id, content FROM conflicts")
    assert kept[0][0] == first["id"] and '"recommend":2' in kept[0][1]


def _bad_files(folder: Path, version: str) -> dict[str, tuple[Path, str]]:
    """Every kind of bad file, with a phrase its rejection must contain."""
    folder.mkdir()
    good = response_file(offline_response(version))
    tampered = json.loads(json.dumps(good))
    tampered["response"]["answers"]["recommend"] = 10
    wrong_types = response_file(
        offline_response(version, answers={"role": ["ngo"], "recommend": "eight"})
    )
    unknown_version = response_file(offline_response("0123456789abcdef"))
    unknown_event = response_file(offline_response(version, event="rome-2099"))
    files = {
        "broken": (
            "broken.json",
            '{"format": "feedback-response", "response": {',
            "not valid JSON",
        ),
        "empty": ("empty.json", "", "empty file"),
        "not an object": ("list.json", "[1, 2]", "found a list"),
        "other format": (
            "other.json",
            '{"format": "survey", "format_version": 1}',
            "format: expected",
        ),
        "newer format": (
            "newer.json",
            json.dumps({**good, "format_version": 9}),
            "format_version: expected 1, found 9",
        ),
        "checksum": ("tampered.json", json.dumps(tampered), "does not match its checksum"),
        "version": (
            "version.json",
            json.dumps(unknown_version),
            "unknown version '0123456789abcdef'",
        ),
        "event": ("event.json", json.dumps(unknown_event), "unknown event 'rome-2099'"),
        "types": ("types.json", json.dumps(wrong_types), "role: expected a choice id"),
    }
    out = {}
    for kind, (name, text, phrase) in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out[kind] = (path, phrase)
    return out


def test_every_bad_file_is_rejected_with_its_reason_and_changes_nothing(
    event_project: Path, version: str
) -> None:
    bad = _bad_files(event_project / "bad", version)
    db = event_project / "feedback.db"
    before = dump(db)
    for kind, (path, phrase) in bad.items():
        result = run(event_project, "offline", "import", str(path))
        assert result.exit_code == 2, kind
        assert f"rejected {path}:" in result.output, kind
        assert phrase in result.output, (kind, result.output)
        assert dump(db) == before, kind


def test_a_huge_file_is_refused_before_it_is_read(
    event_project: Path, version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import feedback_offline.importer as importer

    monkeypatch.setattr(importer, "MAX_BYTES", 1000)
    path = write(
        event_project,
        bundle([response_file(offline_response(version)) for _ in range(5)]),
        "big.json",
    )
    before = dump(event_project / "feedback.db")
    result = run(event_project, "offline", "import", str(path))
    assert result.exit_code == 2
    assert "too large:" in result.output and "at most 1,000 for a response file" in result.output
    assert dump(event_project / "feedback.db") == before


def test_good_files_go_in_beside_bad_ones_and_a_bad_bundle_stores_none_of_its_responses(
    event_project: Path, version: str
) -> None:
    folder = event_project / "mixed"
    good = [offline_response(version) for _ in range(2)]
    for response in good:
        write(folder, response_file(response))
    inner_bad = offline_response(version, answers={"role": "astronaut"})
    write(
        folder,
        bundle([response_file(offline_response(version)), response_file(inner_bad)]),
        "bundle.json",
    )
    (folder / "broken.json").write_text("{", encoding="utf-8")
    result = run(event_project, "offline", "import", str(folder), str(event_project / "missing"))
    assert result.exit_code == 2
    assert "file 2: answers.role" in result.output or "file 2" in result.output
    assert "unknown choice 'astronaut'" in result.output
    assert "nothing of this file was stored (2 responses in it)" in result.output
    assert f"rejected {event_project / 'missing'}:" in result.output
    assert "no such file or folder" in result.output
    assert "2 responses stored" in result.stdout and "3 files rejected" in result.stdout
    assert sorted(r[0] for r in stored(event_project)) == sorted(r["id"] for r in good)


def test_many_files_are_committed_in_groups(
    event_project: Path, version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More files than one group holds: all stored, each file its own all-or-nothing unit."""
    import feedback_offline.importer as importer

    monkeypatch.setattr(importer, "GROUP_FILES", 3)
    assert GROUP_FILES > 3
    folder = event_project / "many"
    for _ in range(8):
        write(folder, response_file(offline_response(version)))
    (folder / "zz-broken.json").write_text("[", encoding="utf-8")
    result = run(event_project, "offline", "import", str(folder))
    assert result.exit_code == 2
    assert "8 responses stored" in result.stdout
    assert len(stored(event_project)) == 8


def test_the_checksum_is_the_one_the_browser_computes() -> None:
    """SHA-256 of JSON with sorted keys, no spaces and UTF-8 text, as JSON.stringify gives."""
    response = {"b": 1, "a": {"é": "ü", "z": [1.5, True, None]}}
    expected = '{"a":{"z":[1.5,true,null],"é":"ü"},"b":1}'
    import hashlib

    assert checksum(response) == "sha256:" + hashlib.sha256(expected.encode()).hexdigest()


def test_a_database_that_is_busy_is_reported_not_half_written(
    event_project: Path, version: str
) -> None:
    path = write(event_project / "busy", response_file(offline_response(version)))
    (event_project / "feedback.toml").write_text("busy_timeout = 0.2\n", encoding="utf-8")
    db = event_project / "feedback.db"
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        result = run(event_project, "offline", "import", str(path))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.exit_code == 1
    assert "cannot start a write" in result.output
    assert stored(event_project) == []


def _template(project: Path) -> Path:
    path = project / "entry.csv"
    result = run(project, "offline", "template", "--event", "hague-2011", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def _row(number: int, role: str, country: str = "20", recommend: str = "8") -> str:
    header_count = 23  # number, language, date and twenty question columns
    cells = [str(number), "", "2011-01-26", role, country] + [""] * (header_count - 5)
    cells[20] = recommend
    return ",".join(cells) + "\n"


def test_a_filled_template_is_imported_as_paper_and_again_stores_nothing(
    event_project: Path,
) -> None:
    path = _template(event_project)
    with path.open("a", encoding="utf-8") as out:
        out.write("\n" + _row(1, "2") + _row(2, "mp", "NL", "10"))
    result = run(event_project, "offline", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "2 responses stored" in result.stdout
    rows = query(event_project / "feedback.db", "SELECT channel, answers FROM responses")
    assert {r[0] for r in rows} == {"paper"}
    assert sorted(json.loads(r[1])["role"] for r in rows) == ["mp", "ngo"]
    again = run(event_project, "offline", "import", str(path))
    assert again.exit_code == 0 and "0 responses stored, 2 already present" in again.stdout


def test_a_template_with_a_bad_row_names_row_and_column_and_stores_nothing(
    event_project: Path,
) -> None:
    path = _template(event_project)
    lines = path.read_text(encoding="utf-8-sig").count("\n")
    with path.open("a", encoding="utf-8") as out:
        out.write(_row(1, "2") + _row(2, "12"))
    before = dump(event_project / "feedback.db")
    result = run(event_project, "offline", "import", str(path))
    assert result.exit_code == 2
    assert f"row {lines + 2}, column 'role'" in result.output
    assert "expected a code 1-10 or a choice id, found '12'" in result.output
    assert "nothing of this file was stored (2 responses in it)" in result.output
    assert dump(event_project / "feedback.db") == before
