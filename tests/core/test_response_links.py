"""Responses linked over waves by a keyed hash, never by who answered (issue 15).

A self-generated code is kept only as its hash: its answers never reach the database. A
pseudonymous survey's response keeps its person's hash, not the person. Without the key file,
nothing in the database joins a response to a person."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import make_response

from feedback.engine import Engine
from feedback.errors import ResponseInvalid
from feedback.linking import new_key_file, person_link, read_key

FIRST = """\
id: first
title: On the day
languages: [en]
self_code: [parent, month]
questions:
  - {id: intend, type: yes_no, label: "Will you contact an NGO?", measures: ngo_cooperation}
  - {id: parent, type: text, label: "The first letter of your mother's first name"}
  - {id: month, type: text, label: "The month you were born"}
"""

LATER = """\
id: later
title: Ninety days on
languages: [en]
follows: {survey: first, wave: day_90, due_days: 90}
self_code: [parent, month]
questions:
  - {id: acted, type: yes_no, label: "Did you contact an NGO?", measures: ngo_cooperation}
  - {id: parent, type: text, label: "The first letter of your mother's first name"}
  - {id: month, type: text, label: "The month you were born"}
"""

PERSONAL = """\
id: personal
title: Ninety days on, by link
languages: [en]
anonymous: false
linking: pseudonymous
follows: {survey: first, wave: day_90, due_days: 90}
questions:
  - {id: acted, type: yes_no, label: "Did you contact an NGO?"}
"""


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"  # not the project's folder: the key lives apart
    folder.mkdir()
    path = folder / "linking.key"
    new_key_file(path)
    return path


@pytest.fixture
def linked(project: Path, key_file: Path, make_engine: Callable[..., Engine]) -> Engine:
    for name, text in (("first", FIRST), ("later", LATER), ("personal", PERSONAL)):
        (project / "surveys" / f"{name}.yaml").write_text(text, encoding="utf-8")
    (project / "feedback.toml").write_text(f'linking_key = "{key_file}"\n', encoding="utf-8")
    return make_engine()


def links(engine: Engine) -> dict[str, tuple[str, str]]:
    return engine.store.response_links()


def test_a_self_generated_code_links_two_waves_and_is_never_stored(linked: Engine) -> None:
    day = make_response("first", {"intend": True, "parent": "Ž", "month": "Zyxwember"})
    later = make_response("later", {"acted": True, "parent": "z ", "month": "ZYXWEMBER"})
    other = make_response("later", {"acted": False, "parent": "a", "month": "Zyxwember"})
    for response in (day, later, other):
        assert linked.submit(response) == "stored"
    found = links(linked)
    assert found[day["id"]] == found[later["id"]]
    assert found[day["id"]][1] == "self_code"
    assert found[other["id"]] != found[day["id"]]
    stored = {r["id"]: r["answers"] for r in linked.store.iter_responses()}
    assert stored[day["id"]] == {"intend": True}  # the code's answers are gone
    wal = Path(f"{linked.store.path}-wal")
    raw = linked.store.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"Zyxwember" not in raw and b"ZYXWEMBER" not in raw


def test_a_code_with_a_part_left_blank_links_nothing(linked: Engine) -> None:
    response = make_response("first", {"intend": True, "parent": "E"})
    assert linked.submit(response) == "stored"
    assert links(linked) == {}
    [row] = linked.store.iter_responses()
    assert row["answers"] == {"intend": True}


def test_the_same_response_sent_twice_is_stored_once(linked: Engine) -> None:
    response = make_response("first", {"intend": True, "parent": "E", "month": "3"})
    assert linked.submit(response) == "stored"
    assert linked.submit(response) == "already_stored"
    assert len(links(linked)) == 1


def test_without_a_key_a_code_is_refused_and_nothing_is_written(
    project: Path, make_engine: Callable[..., Engine], tmp_path: Path
) -> None:
    (project / "surveys" / "first.yaml").write_text(FIRST, encoding="utf-8")
    missing = tmp_path / "nowhere" / "linking.key"
    (project / "feedback.toml").write_text(f'linking_key = "{missing}"\n', encoding="utf-8")
    engine = make_engine()
    with pytest.raises(ResponseInvalid, match="feedback keys new"):
        engine.submit(make_response("first", {"intend": True, "parent": "E", "month": "3"}))
    assert list(engine.store.iter_responses()) == []


def test_a_pseudonymous_response_keeps_its_persons_hash_not_the_person(
    linked: Engine, key_file: Path
) -> None:
    response = make_response("personal", {"acted": True}, channel="web")
    assert linked.submit(response, person=7) == "stored"
    link, method = links(linked)[response["id"]]
    assert (link, method) == (person_link(read_key(key_file), 7), "person")
    plain = make_response("first", {"intend": False}, channel="web")
    assert linked.submit(plain, person=7) == "stored"  # not pseudonymous: no link kept
    assert plain["id"] not in links(linked)


def test_without_the_key_file_no_query_joins_a_response_to_a_person(
    linked: Engine, key_file: Path
) -> None:
    with linked.store.write():
        person = linked.store.save_person({"name": "Anna de Vries", "email": "anna@example.nl"})
    response = make_response("personal", {"acted": True}, channel="web")
    linked.submit(response, person=person)
    key_file.unlink()
    [(link,)] = linked.store.conn.execute("SELECT link FROM response_links").fetchall()
    # nothing the database holds about the person gives the link: not the id, the name, the
    # address, nor a plain hash of any of them
    row = linked.store.conn.execute(
        "SELECT id, name, email FROM people WHERE id = ?", [person]
    ).fetchone()
    candidates = {str(v) for v in row} | {hashlib.sha256(str(v).encode()).hexdigest() for v in row}
    assert link not in candidates
    for table in linked.store.db.table_names():
        if table == "response_links":
            continue
        columns = [c.name for c in linked.store.db[table].columns]
        for column in columns:
            hits = linked.store.conn.execute(
                f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) = ?', [link]
            ).fetchone()[0]
            assert hits == 0, f"{table}.{column} holds the link"
