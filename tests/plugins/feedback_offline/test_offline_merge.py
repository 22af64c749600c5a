"""``feedback merge``: the databases of several kiosk laptops brought into one, read safely while a
kiosk has them open, each response exactly once, merging again changes nothing, conflicts kept for
review, and a database that cannot be merged changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import EVENT, dump, make_response, open_engine, pm_with_formats, query, run

from feedback.engine import Engine
from feedback.migrations import plugin_migrations
from feedback.plugins import make_plugin_manager


def laptop(root: Path, name: str) -> Engine:
    folder = root / name
    (folder / "surveys").mkdir(parents=True)
    engine = open_engine(folder, pm_with_formats())
    # the tables of the installed plugins too, as `feedback` makes the database: a refused
    # merge must leave it exactly as the command found it
    engine.store.migrate(plugin_migrations(make_plugin_manager()))
    engine.store.upsert_event(dict(EVENT))
    return engine


def kiosk_response(role: str = "ngo", **changes: Any) -> dict[str, Any]:
    return make_response("post-seminar", {"role": role, "recommend": 7}, **changes)


def attend(engine: Engine, name: str, email: str | None, attended: bool, **person: Any) -> None:
    with engine.store.write():
        pid = engine.store.save_person({"name": name, "email": email, **person})
        engine.store.set_attendance(pid, "hague-2011", True, attended)


@pytest.fixture
def three(tmp_path: Path) -> tuple[Path, list[Path], list[dict[str, Any]]]:
    """The main project and three kiosk databases whose responses overlap: 10 distinct."""
    responses = [kiosk_response() for _ in range(10)]
    spread = [responses[0:5], responses[3:8], [responses[0], *responses[7:10]]]
    paths = []
    for index, share in enumerate(spread):
        engine = laptop(tmp_path, f"kiosk{index}")
        assert engine.submit_many([(r["id"], r) for r in share]).stored == len(share)
        attend(engine, "Anna de Vries", "anna@example.org", attended=index == 1, role="mp")
        attend(engine, f"Walk-in {index}", None, attended=True)
        paths.append(engine.settings.db_path)
        engine.close()
    main = tmp_path / "main"
    (main / "surveys").mkdir(parents=True)
    return main, paths, responses


def test_three_databases_give_every_response_exactly_once(three) -> None:
    main, paths, responses = three
    result = run(main, "merge", *map(str, paths))
    assert result.exit_code == 0, result.output
    assert f"{paths[0]}: 5 responses stored, 0 already present" in result.stdout
    assert f"{paths[1]}: 3 responses stored, 2 already present" in result.stdout
    assert f"{paths[2]}: 2 responses stored, 2 already present" in result.stdout
    ids = [row[0] for row in query(main / "feedback.db", "SELECT id FROM responses")]
    assert sorted(ids) == sorted(r["id"] for r in responses)

    people = query(main / "feedback.db", "SELECT name, email, role FROM people ORDER BY name")
    assert people[0] == ("Anna de Vries", "anna@example.org", "mp")  # one Anna, matched by email
    assert len(people) == 4  # Anna and three walk-ins without an email
    attended = query(
        main / "feedback.db",
        "SELECT a.attended FROM attendance a JOIN people p ON p.id = a.person"
        " WHERE p.email = 'anna@example.org'",
    )
    assert attended == [(1,)]  # attended at one kiosk: attended
    assert query(main / "feedback.db", "SELECT id FROM events") == [("hague-2011",)]

    before = dump(main / "feedback.db")
    again = run(main, "merge", *map(str, paths))
    assert again.exit_code == 0, again.output
    assert "0 responses stored" in again.stdout
    assert dump(main / "feedback.db") == before


def test_a_database_a_kiosk_is_writing_to_is_read_as_committed(tmp_path: Path) -> None:
    engine = laptop(tmp_path, "kiosk")
    committed = kiosk_response()
    engine.submit(committed)
    db = engine.settings.db_path
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO events (id, title) VALUES ('half', 'Not committed')")
    try:
        main = tmp_path / "main"
        (main / "surveys").mkdir(parents=True)
        result = run(main, "merge", str(db))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        engine.close()
    assert result.exit_code == 0, result.output
    assert query(main / "feedback.db", "SELECT id FROM responses") == [(committed["id"],)]
    assert query(main / "feedback.db", "SELECT id FROM events") == [("hague-2011",)]


def test_the_same_id_with_other_content_is_kept_for_review(tmp_path: Path) -> None:
    mine, theirs = laptop(tmp_path, "main"), laptop(tmp_path, "other")
    response = kiosk_response("ngo")
    mine.submit(response)
    theirs.submit(dict(response, answers={"role": "mp", "recommend": 7}))
    other = theirs.settings.db_path
    theirs.close()
    mine.close()
    result = run(tmp_path / "main", "merge", str(other))
    assert result.exit_code == 2
    assert f"conflict: response {response['id']} is stored here with other content" in result.output
    db = tmp_path / "main" / "feedback.db"
    assert json.loads(query(db, "SELECT answers FROM responses")[0][0])["role"] == "ngo"
    assert query(db, "SELECT response_id FROM conflicts") == [(response["id"],)]


def test_a_database_with_a_response_that_does_not_fit_merges_nothing(tmp_path: Path) -> None:
    other = laptop(tmp_path, "other")
    other.submit(kiosk_response())
    attend(other, "Bob", "bob@example.org", attended=True)
    # a response the survey refuses, written past the engine (a damaged or hand-edited file)
    with other.store.write():
        other.store.conn.execute(
            "INSERT INTO responses (id, event, survey, survey_version, channel, language,"
            " submitted, answers, content_hash)"
            " SELECT 'c0ffee00-0000-4000-8000-000000000000', event, survey,"
            " survey_version, channel, language, submitted, '{\"role\": \"astronaut\"}', 'x'"
            " FROM responses LIMIT 1"
        )
    path = other.settings.db_path
    other.close()
    main = laptop(tmp_path, "main")
    main.close()
    before = dump(tmp_path / "main" / "feedback.db")
    result = run(tmp_path / "main", "merge", str(path))
    assert result.exit_code == 2
    assert "1 of its responses do not fit; nothing of it was merged" in result.output
    assert "unknown choice 'astronaut'" in result.output
    assert dump(tmp_path / "main" / "feedback.db") == before


@pytest.mark.parametrize("kind", ["missing", "not sqlite", "other sqlite", "own"])
def test_what_is_not_a_kiosk_database_is_refused_clearly(tmp_path: Path, kind: str) -> None:
    main = laptop(tmp_path, "main")
    main.close()
    db = tmp_path / "main" / "feedback.db"
    path = {
        "missing": tmp_path / "nowhere.db",
        "not sqlite": tmp_path / "notes.db",
        "other sqlite": tmp_path / "other.db",
        "own": db,
    }[kind]
    if kind == "not sqlite":
        path.write_text("these are my notes\n" * 100)
    if kind == "other sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE things (x)")
        conn.commit()
        conn.close()
    before = dump(db)
    result = run(tmp_path / "main", "merge", str(path))
    assert result.exit_code == 2
    expected = {
        "missing": "no such database file",
        "not sqlite": "not a SQLite database",
        "other sqlite": "not a feedback database (no table attendance, events, people",
        "own": "is this project's own database",
    }[kind]
    assert expected in result.output
    assert dump(db) == before
