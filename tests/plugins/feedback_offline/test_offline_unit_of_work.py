"""The offline importer and the merge leave the transaction to the engine (issue 14, §1): a
``response_submitted`` hook finds each response committed; the engine's checks (channel, date)
apply to response files too; a refused merge writes nothing but keeps its conflicts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import EVENT, dump, make_response, open_engine, pm_with_formats, query
from uow_helpers import ReadsBack

from feedback.engine import Engine
from feedback_offline.files import response_file
from feedback_offline.importer import import_files
from feedback_offline.merging import merge_database


def offline_response(engine: Engine, **changes: Any) -> dict[str, Any]:
    response = make_response("post-seminar", {"role": "ngo", "recommend": 8}, channel="offline")
    response["survey_version"] = engine.survey("post-seminar").version
    return response | changes


def write_files(folder: Path, responses: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for response in responses:
        path = folder / f"response-{response['id']}.json"
        path.write_text(json.dumps(response_file(response)), encoding="utf-8")


def laptop(root: Path, name: str) -> Engine:
    folder = root / name
    (folder / "surveys").mkdir(parents=True)
    engine = open_engine(folder, pm_with_formats())
    engine.store.upsert_event(dict(EVENT))
    return engine


def test_imported_files_are_announced_once_committed(
    make_engine: Callable[..., Engine], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import feedback_offline.importer as importer

    monkeypatch.setattr(importer, "GROUP_FILES", 2)  # several groups, each its own commit
    seen = ReadsBack()
    engine = make_engine(seen)
    responses = [offline_response(engine) for _ in range(5)]
    write_files(project / "in", responses)
    reports = import_files(engine, [project / "in"])
    assert [r.stored for r in reports] == [1] * 5
    assert seen.ids() == {r["id"] for r in responses}
    assert seen.all_found(), seen.seen


def test_a_response_file_from_an_unknown_channel_or_after_today_is_refused(
    make_engine: Callable[..., Engine], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine checks what ``feedback responses import`` checked, for the offline files too."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1296432000")  # 2011-01-31
    engine = make_engine()
    good = offline_response(engine)
    fax = offline_response(engine, channel="fax")
    later = offline_response(engine, submitted="2011-02-01")
    write_files(project / "in", [good, fax, later])
    reports = {
        r.path.stem.removeprefix("response-"): r for r in import_files(engine, [project / "in"])
    }
    assert reports[good["id"]].stored == 1
    [fax_problem] = reports[fax["id"]].rejected
    assert "channel: unknown channel 'fax' (known: " in fax_problem.render()
    [later_problem] = reports[later["id"]].rejected
    assert "submitted: 2011-02-01 is after today (2011-01-31)" in later_problem.render()
    assert [row[0] for row in query(engine.settings.db_path, "SELECT id FROM responses")] == [
        good["id"]
    ]


def test_merged_responses_are_announced_once_committed(
    make_engine: Callable[..., Engine], tmp_path: Path
) -> None:
    other = laptop(tmp_path, "kiosk")
    responses = [make_response("post-seminar", {"role": "mp"}) for _ in range(3)]
    assert other.submit_many([(r["id"], r) for r in responses]).stored == 3
    path = other.settings.db_path
    other.close()

    seen = ReadsBack()
    engine = make_engine(seen)
    report = merge_database(engine, path)
    assert report.stored == 3 and report.ok
    assert seen.ids() == {r["id"] for r in responses}
    assert seen.all_found(), seen.seen


def test_a_refused_merge_writes_nothing_but_keeps_its_conflicts(tmp_path: Path) -> None:
    main = laptop(tmp_path, "main")
    ours = make_response("post-seminar", {"role": "ngo"})
    main.submit(ours)
    main.close()

    other = laptop(tmp_path, "kiosk")
    other.submit({**ours, "answers": {"role": "mp"}})  # the same id, other answers
    with other.store.write():
        other.store.save_person({"name": "Bob", "email": "bob@example.org"})
        # a response the survey refuses, written past the engine (a hand-edited file)
        other.store.conn.execute(
            "INSERT INTO responses (id, event, survey, survey_version, channel, language,"
            " submitted, answers, content_hash)"
            " SELECT 'c0ffee00-0000-4000-8000-000000000000', event, survey,"
            " survey_version, channel, language, submitted, '{\"role\": \"astronaut\"}', 'x'"
            " FROM responses LIMIT 1"
        )
    path = other.settings.db_path
    other.close()

    db = tmp_path / "main" / "feedback.db"
    before = [line for line in dump(db) if "conflicts" not in line]
    engine = open_engine(tmp_path / "main", pm_with_formats())
    try:
        report = merge_database(engine, path)
    finally:
        engine.close()
    assert report.rejected_count == 1 and report.stored == 0 and report.people == 0
    assert report.conflicts == [ours["id"]]
    rows = query(db, "SELECT response_id, content FROM conflicts")
    assert [(rid, json.loads(content)["answers"]) for rid, content in rows] == [
        (ours["id"], {"role": "mp"})
    ]
    assert [line for line in dump(db) if "conflicts" not in line] == before  # nothing else
