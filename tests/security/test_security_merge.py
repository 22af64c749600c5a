"""Issue 12, item 16: ``feedback merge`` checks every event, person and attendance row of the other
database as ``feedback event add`` and ``feedback roster import`` check theirs, and refuses the
database whole, naming the table, the row and the column; exit 2; this database unchanged."""

from __future__ import annotations

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
    # the tables of the installed plugins too, as `feedback` makes the database
    engine.store.migrate(plugin_migrations(make_plugin_manager()))
    engine.store.upsert_event(dict(EVENT))
    return engine


def kiosk(root: Path, name: str = "kiosk") -> Engine:
    """A kiosk database with one response and two attendees (one a walk-in without email)."""
    engine = laptop(root, name)
    engine.submit(make_response("post-seminar", {"role": "ngo", "recommend": 7}))
    with engine.store.write():
        for person, email in (("Anna de Vries", "anna@example.org"), ("Walk-in", None)):
            pid = engine.store.save_person({"name": person, "email": email, "role": "mp"})
            engine.store.set_attendance(pid, EVENT["id"], True, True)
    return engine


#: (what is written past every check into the kiosk database, what the refusal names)
HOSTILE: dict[str, tuple[str, list[Any], str]] = {
    "event id that is a path": (
        "INSERT INTO events (id, title) VALUES (?, ?)",
        ["../../tmp/x", "Elsewhere"],
        "table events, row 2 (id '../../tmp/x'), column 'id': expected an id of lower-case",
    ),
    "event title with an encoded word": (
        "INSERT INTO events (id, title) VALUES (?, ?)",
        ["riga-2012", "Riga =?utf-8?q?=0D=0ABcc:_x@evil.org?="],
        "table events, row 2 (id 'riga-2012'), column 'title': expected plain text, found "
        "email header syntax",
    ),
    "event city with a line break": (
        "INSERT INTO events (id, title, city) VALUES (?, ?, ?)",
        ["riga-2012", "Riga", "Riga\r\nBcc: x@evil.org"],
        "table events, row 2 (id 'riga-2012'), column 'city': expected plain text, found a "
        "carriage return (U+000D)",
    ),
    "email with CR/LF": (
        "INSERT INTO people (name, email) VALUES (?, ?)",
        ["Jo", "jo@example.org\r\nBcc: x@evil.org"],
        "table people, row 3 (id 3), column 'email': expected plain text, found a carriage "
        "return (U+000D)",
    ),
    "email that is no address": (
        "INSERT INTO people (name, email) VALUES (?, ?)",
        ["Jo", "jo(at)example.org"],
        "table people, row 3 (id 3), column 'email': expected an email address",
    ),
    "name with an escape sequence": (
        "INSERT INTO people (name, email) VALUES (?, ?)",
        ["\x1b[2JJo", "jo@example.org"],
        "table people, row 3 (id 3), column 'name': expected plain text, found an escape "
        "character (U+001B)",
    ),
    "name with a bidi override": (
        "INSERT INTO people (name) VALUES (?)",
        ["Jo \u202eevil"],
        "table people, row 3 (id 3), column 'name': expected plain text, found a "
        "bidirectional text control (U+202E)",
    ),
    "over-long name": (
        "INSERT INTO people (name) VALUES (?)",
        ["J" * 5000],
        "table people, row 3 (id 3), column 'name': expected at most 200 characters, found 5,000",
    ),
    "role that is no id": (
        "INSERT INTO people (name, role) VALUES (?, ?)",
        ["Jo", "MP; DROP"],
        "table people, row 3 (id 3), column 'role': expected a role id",
    ),
    "attendance that is not yes or no": (
        "UPDATE attendance SET attended = ? WHERE person = ?",
        [7, 1],
        "table attendance, row 1 (person 1, event 'hague-2011'), column 'attended': "
        "expected 0 or 1, found 7",
    ),
}


@pytest.mark.parametrize(("sql", "params", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_row_roster_import_or_event_add_would_refuse_refuses_the_whole_database(
    tmp_path: Path, sql: str, params: list[Any], message: str
) -> None:
    other = kiosk(tmp_path)
    with other.store.write():
        other.store.conn.execute(sql, params)  # past every check: a damaged or hostile file
    path = other.settings.db_path
    other.close()
    laptop(tmp_path, "main").close()
    db = tmp_path / "main" / "feedback.db"
    before = dump(db)

    result = run(tmp_path / "main", "merge", str(path))

    assert result.exit_code == 2, result.output
    assert f"rejected {path}: 1 value in its events, people or attendance" in result.output
    assert "nothing of it was merged" in result.output
    assert message in result.output
    assert "\x1b" not in result.output and "Traceback" not in result.output
    assert dump(db) == before
    assert not (tmp_path / "tmp" / "x").exists()


def test_every_refused_row_is_named_and_a_good_database_beside_it_is_merged(
    tmp_path: Path,
) -> None:
    bad = kiosk(tmp_path, "bad")
    with bad.store.write():
        bad.store.conn.execute("INSERT INTO events (id, title) VALUES ('../x', 'T')")
        bad.store.conn.execute(
            "INSERT INTO people (name, email) VALUES (?, ?)", ["A\x00", "a@b.org"]
        )
        bad.store.conn.execute("UPDATE attendance SET invited = 2")
    bad_path = bad.settings.db_path
    bad.close()
    good = kiosk(tmp_path, "good")
    good_path = good.settings.db_path
    good.close()
    (tmp_path / "main" / "surveys").mkdir(parents=True)

    result = run(tmp_path / "main", "merge", str(bad_path), str(good_path))

    assert result.exit_code == 2, result.output
    assert f"rejected {bad_path}: 4 values" in result.output
    assert "table events, row 2 (id '../x'), column 'id'" in result.output
    assert "table people, row 3 (id 3), column 'name'" in result.output
    assert "table attendance, row 1 (person 1, event 'hague-2011'), column 'invited'" in (
        result.output
    )
    assert "table attendance, row 2 (person 2, event 'hague-2011'), column 'invited'" in (
        result.output
    )
    assert f"{good_path}: 1 response stored" in result.output
    db = tmp_path / "main" / "feedback.db"
    assert query(db, "SELECT id FROM events") == [("hague-2011",)]
    assert sorted(query(db, "SELECT name FROM people")) == [("Anna de Vries",), ("Walk-in",)]
