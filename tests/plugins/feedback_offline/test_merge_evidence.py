"""``feedback merge`` carries the evidence of issue 15 from one database of the project to another:
the keyed hashes that link a person's answers over waves, where attendance comes from and when,
and the check-in passes. Two real database files each time."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from helpers import EVENT, dump, make_response, query, run
from merge_helpers import open_project, project

from feedback.checkin import check_in_pass, issue_passes
from feedback.engine import Engine
from feedback.linking import person_link, read_key, self_code


def add_people(engine: Engine, *names: str) -> list[int]:
    ids = []
    with engine.store.write():
        for name in names:
            email = f"{name.split()[0].lower()}@example.org"
            person = engine.store.save_person({"name": name, "email": email})
            engine.store.set_attendance(person, EVENT["id"], True, False)
            ids.append(person)
    return ids


def links(db: Path) -> dict[str, tuple[str, str]]:
    return {
        r[0]: (r[1], r[2]) for r in query(db, "SELECT response, link, method FROM response_links")
    }


# -- links between waves -------------------------------------------------------------------------


def test_self_code_links_come_with_their_responses_and_merging_again_changes_nothing(
    tmp_path: Path, key_file: Path
) -> None:
    kiosk = open_project(project(tmp_path, "kiosk", key_file))
    coded = make_response("first", {"intend": True, "parent": "E", "month": "March"})
    blank = make_response("first", {"intend": False, "parent": "E"})  # a part left out
    kiosk.submit(coded)
    kiosk.submit(blank)
    other = kiosk.settings.db_path
    kiosk.close()
    main = project(tmp_path, "main", key_file)

    result = run(main, "merge", str(other))
    assert result.exit_code == 0, result.output
    assert "2 responses stored" in result.stdout and "1 link between waves" in result.stdout
    expected = self_code(read_key(key_file), ["E", "March"])
    assert links(main / "feedback.db") == {coded["id"]: (expected, "self_code")}
    assert links(main / "feedback.db") == links(other)

    before = dump(main / "feedback.db")
    again = run(main, "merge", str(other))
    assert again.exit_code == 0, again.output
    assert dump(main / "feedback.db") == before


def test_a_person_link_is_made_again_for_the_persons_id_here(
    tmp_path: Path, key_file: Path
) -> None:
    kiosk = open_project(project(tmp_path, "laptop", key_file))
    _, bram = add_people(kiosk, "Anna de Vries", "Bram Jansen")
    response = make_response("personal", {"acted": True}, channel="web")
    kiosk.submit(response, person=bram)
    other = kiosk.settings.db_path
    kiosk.close()
    main_folder = project(tmp_path, "main", key_file)
    main = open_project(main_folder)
    # people are numbered apart: here Bram gets another id, and his id there is Carla's here
    _, carla = add_people(main, "Dirk Bakker", "Carla Smit")
    assert carla == bram
    main.close()

    result = run(main_folder, "merge", str(other))
    assert result.exit_code == 0, result.output
    [(bram_here,)] = query(
        main_folder / "feedback.db", "SELECT id FROM people WHERE name = 'Bram Jansen'"
    )
    assert bram_here != bram
    key = read_key(key_file)
    assert links(main_folder / "feedback.db") == {
        response["id"]: (person_link(key, bram_here), "person")
    }
    # a follow-up by Bram's personal link here is linked to the merged answers, Carla's is not
    main = open_project(main_folder)
    later = make_response("personal", {"acted": False}, channel="web")
    main.submit(later, person=bram_here)
    found = main.store.response_links()
    main.close()
    assert found[later["id"]] == found[response["id"]]
    assert person_link(key, carla) not in {link for link, _ in found.values()}


def test_without_the_key_person_links_are_left_out_and_merging_again_adds_them(
    tmp_path: Path, key_file: Path
) -> None:
    kiosk = open_project(project(tmp_path, "laptop", key_file))
    [anna] = add_people(kiosk, "Anna de Vries")
    response = make_response("personal", {"acted": True}, channel="web")
    coded = make_response("first", {"intend": True, "parent": "E", "month": "March"})
    kiosk.submit(response, person=anna)
    kiosk.submit(coded)
    other = kiosk.settings.db_path
    kiosk.close()
    main = project(tmp_path, "main", key_file)
    hidden = key_file.with_name("away.key")
    key_file.rename(hidden)

    result = run(main, "merge", str(other))
    assert result.exit_code == 2, result.output
    assert "2 responses stored" in result.stdout
    assert "1 person link not carried" in result.output and "feedback keys new" in result.output
    # the self-generated code's link needs no key to be carried
    assert set(links(main / "feedback.db")) == {coded["id"]}

    hidden.rename(key_file)
    again = run(main, "merge", str(other))
    assert again.exit_code == 0, again.output
    assert "0 responses stored, 2 already present" in again.stdout
    [(anna_here,)] = query(main / "feedback.db", "SELECT id FROM people")
    assert links(main / "feedback.db")[response["id"]] == (
        person_link(read_key(key_file), anna_here),
        "person",
    )


def test_a_link_that_is_not_a_keyed_hash_refuses_the_database(
    tmp_path: Path, key_file: Path
) -> None:
    kiosk = open_project(project(tmp_path, "kiosk", key_file))
    coded = make_response("first", {"intend": True, "parent": "E", "month": "March"})
    kiosk.submit(coded)
    kiosk.store.conn.execute("UPDATE response_links SET link = 'E March'")
    other = kiosk.settings.db_path
    kiosk.close()
    main = project(tmp_path, "main", key_file)
    run(main, "event", "list")  # the database exists before the merge
    before = dump(main / "feedback.db")
    result = run(main, "merge", str(other))
    assert result.exit_code == 2
    assert "expected 64 lower-case hexadecimal digits" in result.output
    assert dump(main / "feedback.db") == before


# -- attendance and check-in passes ---------------------------------------------------------------


def set_evidence(engine: Engine, person: int, source: str, recorded: str | None) -> None:
    with engine.store.write():
        engine.store.set_attendance(person, EVENT["id"], True, source != "roster", source)
        engine.store.conn.execute(
            "UPDATE attendance SET recorded = ? WHERE person = ?", [recorded, person]
        )


def evidence(db: Path) -> dict[str, tuple[Any, ...]]:
    return {
        row[0]: row[1:]
        for row in query(
            db,
            "SELECT p.name, a.attended, a.source, a.recorded FROM attendance a"
            " JOIN people p ON p.id = a.person",
        )
    }


def test_confirmed_attendance_is_never_lowered_and_the_earliest_confirmation_is_kept(
    tmp_path: Path, key_file: Path
) -> None:
    names = ("Anna de Vries", "Bram Jansen", "Carla Smit", "Dirk Bakker", "Eva Mulder")
    kiosk = open_project(project(tmp_path, "kiosk", key_file))
    theirs = dict(zip(names, add_people(kiosk, *names), strict=True))
    main_folder = project(tmp_path, "main", key_file)
    main = open_project(main_folder)
    ours = dict(zip(names, add_people(main, *names), strict=True))
    early, late = "2011-01-26T09:05:00+00:00", "2011-01-26T10:40:00+00:00"
    cases = {  # name: (ours, theirs) as (source, recorded)
        "Anna de Vries": (("roster", None), ("checkin", late)),  # confirmed there: confirmed
        "Bram Jansen": (("sheet", early), ("checkin", late)),  # ours is earlier: kept
        "Carla Smit": (("checkin", late), ("sheet", early)),  # theirs is earlier: taken
        "Dirk Bakker": (("checkin", early), ("roster", late)),  # a roster never lowers it
        "Eva Mulder": (("roster", None), ("roster", late)),
    }
    for name, (mine, other) in cases.items():
        set_evidence(main, ours[name], *mine)
        set_evidence(kiosk, theirs[name], *other)
    other_db = kiosk.settings.db_path
    kiosk.close()
    main.close()

    result = run(main_folder, "merge", str(other_db))
    assert result.exit_code == 0, result.output
    assert evidence(main_folder / "feedback.db") == {
        "Anna de Vries": (1, "checkin", late),
        "Bram Jansen": (1, "sheet", early),
        "Carla Smit": (1, "sheet", early),
        "Dirk Bakker": (1, "checkin", early),
        "Eva Mulder": (0, "roster", late),
    }
    before = dump(main_folder / "feedback.db")
    assert run(main_folder, "merge", str(other_db)).exit_code == 0
    assert dump(main_folder / "feedback.db") == before


def test_a_pass_issued_on_another_database_checks_its_holder_in_here(
    tmp_path: Path, key_file: Path
) -> None:
    kiosk = open_project(project(tmp_path, "laptop", key_file))
    add_people(kiosk, "Zoë Visser", "Anna de Vries")
    passes = {p.name: p.token for p in issue_passes(kiosk, EVENT["id"])}
    other = kiosk.settings.db_path
    kiosk.close()
    main_folder = project(tmp_path, "main", key_file)
    main = open_project(main_folder)
    add_people(main, "Anna de Vries")  # Anna is 1 here, Zoë will be 2 (she is 1 there)
    main.close()

    result = run(main_folder, "merge", str(other))
    assert result.exit_code == 0, result.output
    assert "2 new check-in passes" in result.stdout
    main = open_project(main_folder)
    try:
        checked = check_in_pass(main, passes["Zoë Visser"])
        assert checked.name == "Zoë Visser"
        assert main.store.conn.execute(
            "SELECT name FROM people WHERE id = ?", [checked.person]
        ).fetchone() == ("Zoë Visser",)
    finally:
        main.close()
    again = run(main_folder, "merge", str(other))
    assert "0 new check-in passes" in again.stdout


def test_a_pass_or_an_attendance_time_that_is_not_one_refuses_the_database(
    tmp_path: Path, key_file: Path
) -> None:
    kiosk = open_project(project(tmp_path, "laptop", key_file))
    add_people(kiosk, "Anna de Vries")
    issue_passes(kiosk, EVENT["id"])
    conn = sqlite3.connect(kiosk.settings.db_path)
    with conn:
        conn.execute("UPDATE checkin_passes SET token_hash = 'anna', issued = 'soon'")
        conn.execute("UPDATE attendance SET recorded = 'yesterday'")
    conn.close()
    other = kiosk.settings.db_path
    kiosk.close()
    main = project(tmp_path, "main", key_file)
    run(main, "event", "list")
    before = dump(main / "feedback.db")
    result = run(main, "merge", str(other))
    assert result.exit_code == 2
    assert "table attendance, row 1 (person 1, event 'hague-2011'), column 'recorded'" in (
        result.output
    )
    assert "table checkin_passes, row 1" in result.output and "column 'token_hash'" in result.output
    assert "column 'issued': expected a date and time" in result.output
    assert dump(main / "feedback.db") == before
