"""``feedback merge`` does not undo ``feedback person erase``: a person erased here but still held
by another database of the project stays erased, with their attendance, check-in passes and person
links, while their responses come, unlinked (issue 15). Real database files each time."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EVENT, dump, make_response, query, run
from merge_helpers import open_project, project

from feedback.checkin import check_in_pass, issue_passes
from feedback.engine import Engine
from feedback.errors import InvalidInput
from feedback.linking import person_link, read_key

#: a walk-in without an email: the merge matches her on name, role, country and organisation
WALK_IN = {"name": "Zoë Visser", "email": None, "role": "ngo", "country": "NL"}


def add_person(engine: Engine, person: dict[str, str | None]) -> int:
    with engine.store.write():
        pid = engine.store.add_person(person)
        engine.store.set_attendance(pid, EVENT["id"], True, True, "sheet")
    return pid


ANNA = {"name": "Anna de Vries", "email": "anna@example.org"}
BRAM = {"name": "Bram Jansen", "email": "bram@example.org"}


@pytest.fixture
def laptop(tmp_path: Path, key_file: Path) -> tuple[Path, dict[str, str]]:
    """A kiosk laptop's database: Anna, Bram and a walk-in, each attended (a signed sheet), with
    a check-in pass and an answer linked to them; the codes of their passes by name."""
    engine = open_project(project(tmp_path, "laptop", key_file))
    for person in (ANNA, BRAM, WALK_IN):
        pid = add_person(engine, person)
        engine.submit(make_response("personal", {"acted": True}, channel="web"), person=pid)
    passes = {p.name: p.token for p in issue_passes(engine, EVENT["id"])}
    path = engine.settings.db_path
    engine.close()
    return path, passes


def names(db: Path) -> set[str]:
    return {name for (name,) in query(db, "SELECT name FROM people")}


def person_links(db: Path) -> set[str]:
    return {link for (link,) in query(db, "SELECT link FROM response_links WHERE method='person'")}


def erase_anna_and_the_walk_in(main: Path) -> None:
    """The laptop merged in, then Anna and the walk-in erased here."""
    assert run(main, "merge", str(main.parent / "laptop" / "feedback.db")).exit_code == 0
    assert run(main, "person", "erase", "anna@example.org", "--yes").exit_code == 0
    [(walk_in,)] = query(main / "feedback.db", "SELECT id FROM people WHERE email IS NULL")
    erased = run(main, "person", "erase", str(walk_in), "--yes")
    assert erased.exit_code == 0, erased.output
    assert "no tombstone" not in erased.output
    assert names(main / "feedback.db") == {"Bram Jansen"}


def test_an_erased_person_is_not_brought_back_by_a_merge(
    tmp_path: Path, key_file: Path, laptop: tuple[Path, dict[str, str]]
) -> None:
    other, passes = laptop
    main = project(tmp_path, "main", key_file)
    erase_anna_and_the_walk_in(main)
    db = main / "feedback.db"
    responses = query(db, "SELECT count(*) FROM responses")[0][0]
    assert responses == 3

    result = run(main, "merge", str(other))
    assert result.exit_code == 0, result.output
    assert "2 erased people not brought back" in result.stdout
    assert "0 new people (1 known)" in result.stdout
    assert names(db) == {"Bram Jansen"}
    assert query(db, "SELECT p.name FROM attendance a JOIN people p ON p.id = a.person") == [
        ("Bram Jansen",)
    ]
    [(bram,)] = query(db, "SELECT id FROM people")
    assert query(db, "SELECT person FROM checkin_passes") == [(bram,)]
    assert person_links(db) == {person_link(read_key(key_file), bram)}
    assert query(db, "SELECT count(*) FROM responses")[0][0] == responses  # theirs stay, unlinked
    engine = open_project(main)
    try:
        for name in ("Anna de Vries", "Zoë Visser"):
            with pytest.raises(InvalidInput, match="no pass has this code"):
                check_in_pass(engine, passes[name])
        assert check_in_pass(engine, passes["Bram Jansen"]).name == "Bram Jansen"
    finally:
        engine.close()

    before = dump(db)
    again = run(main, "merge", str(other))
    assert again.exit_code == 0, again.output
    assert dump(db) == before


def test_what_came_after_the_erasure_comes_but_the_erased_person(
    tmp_path: Path, key_file: Path, laptop: tuple[Path, dict[str, str]]
) -> None:
    other, _ = laptop
    main = project(tmp_path, "main", key_file)
    erase_anna_and_the_walk_in(main)
    # the laptop goes on: Anna answers the follow-up there (her address typed otherwise this
    # time), and Carla, never erased, comes to the next event
    engine = open_project(other.parent)
    with engine.store.write():
        engine.store.conn.execute(
            "UPDATE people SET email = 'Anna@Example.ORG' WHERE email = 'anna@example.org'"
        )
    [(anna,)] = engine.store.conn.execute("SELECT id FROM people WHERE name = 'Anna de Vries'")
    later = make_response("personal", {"acted": False}, channel="web")
    engine.submit(later, person=anna)
    carla = add_person(engine, {"name": "Carla Smit", "email": "carla@example.org"})
    carlas = make_response("personal", {"acted": True}, channel="web")
    engine.submit(carlas, person=carla)
    engine.close()

    result = run(main, "merge", str(other))
    assert result.exit_code == 0, result.output
    assert "2 responses stored" in result.stdout
    assert "1 new person (1 known)" in result.stdout
    assert "2 erased people not brought back" in result.stdout
    db = main / "feedback.db"
    assert names(db) == {"Bram Jansen", "Carla Smit"}
    ids = dict(query(db, "SELECT name, id FROM people"))
    key = read_key(key_file)
    found = dict(query(db, "SELECT response, link FROM response_links"))
    assert found[carlas["id"]] == person_link(key, ids["Carla Smit"])
    assert later["id"] not in found  # her answer came, linked to no one
    assert query(db, f"SELECT count(*) FROM responses WHERE id = '{later['id']}'") == [(1,)]
    assert person_links(db) == {person_link(key, ids[n]) for n in ("Bram Jansen", "Carla Smit")}


def test_without_the_key_a_merge_that_could_bring_the_erased_back_is_refused(
    tmp_path: Path, key_file: Path, laptop: tuple[Path, dict[str, str]]
) -> None:
    other, _ = laptop
    main = project(tmp_path, "main", key_file)
    erase_anna_and_the_walk_in(main)
    # a kiosk that holds no people: nobody it could bring back
    kiosk = open_project(project(tmp_path, "kiosk", key_file))
    coded = make_response("first", {"intend": True, "parent": "E", "month": "May"})
    kiosk.submit(coded)
    anonymous = kiosk.settings.db_path
    kiosk.close()
    hidden = key_file.with_name("away.key")
    key_file.rename(hidden)
    db = main / "feedback.db"
    before = dump(db)

    result = run(main, "merge", str(other))
    assert result.exit_code == 2
    assert "2 people erased here could come back with it" in result.output
    assert str(key_file) in result.output and "nothing of it was merged" in result.output
    assert dump(db) == before

    fine = run(main, "merge", str(anonymous))
    assert fine.exit_code == 0, fine.output
    assert "1 response stored" in fine.stdout
    assert names(db) == {"Bram Jansen"}

    hidden.rename(key_file)
    back = run(main, "merge", str(other))
    assert back.exit_code == 0, back.output
    assert names(db) == {"Bram Jansen"}
