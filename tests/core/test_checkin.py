"""Check-in at the venue (issue 15): passes stored only as hashes, a search that forgives case
and accents, a confirmation that keeps the first one, and an undo that puts back what was."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import dump, run

from feedback.checkin import (
    check_in_pass,
    checkin_link,
    confirm,
    find_names,
    find_pass,
    issue_passes,
    present,
    token_from_scan,
    undo,
)
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.erasure import erase_person
from feedback.errors import InvalidInput

ROSTER = (
    "name,email,organisation,role,country,attended\n"
    "Élodie Martin,elodie@example.fr,Assemblée nationale,mp,FR,no\n"
    "Bo Berg,bo@example.se,Riksdagen,mp,SE,no\n"
    "Cas Claes,cas@example.be,Payoke,ngo,BE,yes\n"
)


@pytest.fixture
def engine(event_project: Path) -> Iterator[Engine]:
    (event_project / "roster.csv").write_text(ROSTER, encoding="utf-8")
    roster = str(event_project / "roster.csv")
    result = run(event_project, "roster", "import", roster, "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    with Engine(settings=load_settings(event_project)) as opened:
        yield opened


def person_id(engine: Engine, email: str) -> int:
    row = engine.store.conn.execute("SELECT id FROM people WHERE email = ?", [email]).fetchone()
    return int(row[0])


def test_a_pass_is_stored_as_a_hash_and_found_by_its_link(engine: Engine) -> None:
    passes = issue_passes(engine, "hague-2011")
    assert [p.name for p in passes] == ["Bo Berg", "Cas Claes", "Élodie Martin"]
    stored = engine.store.conn.execute("SELECT token_hash FROM checkin_passes").fetchall()
    assert len(stored) == 3
    text = "\n".join(dump(engine.store.path))
    assert all(p.token not in text for p in passes)
    link = checkin_link("https://feedback.example.org/", passes[0].token)
    assert link == f"https://feedback.example.org/c/{passes[0].token}"
    assert token_from_scan(f"  {link}?utm=x\n") == passes[0].token
    assert token_from_scan(passes[0].token) == passes[0].token
    assert token_from_scan("https://feedback.example.org/c/short") is None
    assert find_pass(engine.store, passes[0].token) == ("hague-2011", passes[0].person)
    assert find_pass(engine.store, "B" * 43) is None


def test_issuing_again_keeps_the_old_passes_good(engine: Engine) -> None:
    bo = person_id(engine, "bo@example.se")
    first = issue_passes(engine, "hague-2011", [bo])[0]
    second = issue_passes(engine, "hague-2011", [bo])[0]
    assert first.token != second.token
    assert find_pass(engine.store, first.token) == find_pass(engine.store, second.token)


def test_a_stranger_or_an_unknown_event_issues_nothing(engine: Engine) -> None:
    before = dump(engine.store.path)
    with pytest.raises(InvalidInput, match="not on the roster"):
        issue_passes(engine, "hague-2011", [person_id(engine, "bo@example.se"), 999])
    with pytest.raises(InvalidInput, match="no event 'nowhere'"):
        issue_passes(engine, "nowhere")
    assert dump(engine.store.path) == before


def test_names_are_found_without_case_or_accents(engine: Engine) -> None:
    assert [r["name"] for r in find_names(engine.store, "hague-2011", "elodie")] == [
        "Élodie Martin"
    ]
    assert [r["name"] for r in find_names(engine.store, "hague-2011", "ASSEMBLEE mar")] == [
        "Élodie Martin"
    ]
    assert len(find_names(engine.store, "hague-2011", "")) == 3
    assert find_names(engine.store, "hague-2011", "nobody") == []
    assert len(find_names(engine.store, "hague-2011", "", limit=2)) == 2


def test_a_check_in_confirms_once_and_undo_puts_back_what_was(engine: Engine) -> None:
    cas = person_id(engine, "cas@example.be")
    before = engine.store.conn.execute(
        "SELECT invited, attended, source, recorded FROM attendance WHERE person = ?", [cas]
    ).fetchone()
    assert present(engine.store, "hague-2011") == (0, 3)
    token = issue_passes(engine, "hague-2011", [cas])[0].token
    done = check_in_pass(engine, token)
    assert (done.name, done.source, done.already) == ("Cas Claes", "checkin", False)
    assert present(engine.store, "hague-2011") == (1, 3)
    again = confirm(engine, "hague-2011", [cas], "sheet")[0]
    assert again.already  # the first confirmation stands: a check-in, not the sheet
    row = engine.store.conn.execute(
        "SELECT source FROM attendance WHERE person = ?", [cas]
    ).fetchone()
    assert row[0] == "checkin"
    undo(engine, again)  # undoing what changed nothing changes nothing
    assert present(engine.store, "hague-2011") == (1, 3)
    undo(engine, done)
    after = engine.store.conn.execute(
        "SELECT invited, attended, source, recorded FROM attendance WHERE person = ?", [cas]
    ).fetchone()
    assert after == before


def test_undo_of_someone_not_on_the_roster_removes_their_row(engine: Engine) -> None:
    with engine.store.write():
        engine.store.conn.execute(
            "INSERT INTO people (name, email) VALUES ('Dina Dekker', 'dina@example.nl')"
        )
    dina = person_id(engine, "dina@example.nl")
    done = confirm(engine, "hague-2011", [dina], "sheet")[0]
    assert done.before is None
    assert present(engine.store, "hague-2011") == (1, 4)
    undo(engine, done)
    assert present(engine.store, "hague-2011") == (0, 3)


def test_an_unknown_code_a_bad_source_or_a_locked_database_records_nothing(
    engine: Engine,
) -> None:
    bo = person_id(engine, "bo@example.se")
    token = issue_passes(engine, "hague-2011", [bo])[0].token
    before = dump(engine.store.path)
    with pytest.raises(InvalidInput, match="no pass has this code"):
        check_in_pass(engine, "A" * 43)
    with pytest.raises(InvalidInput, match="expected one of sheet, checkin, found 'roster'"):
        confirm(engine, "hague-2011", [bo], "roster")
    with pytest.raises(InvalidInput, match="nobody on the roster has the id 999"):
        confirm(engine, "hague-2011", [bo, 999])
    engine.store.conn.execute("PRAGMA busy_timeout = 50")
    holder = sqlite3.connect(engine.store.path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Exception, match="locked"):
            check_in_pass(engine, token)
    finally:
        holder.rollback()
        holder.close()
    assert dump(engine.store.path) == before


def test_erasing_a_person_takes_their_passes(engine: Engine) -> None:
    bo = person_id(engine, "bo@example.se")
    token = issue_passes(engine, "hague-2011", [bo])[0].token
    erased = erase_person(engine, bo)
    assert erased.passes == 1
    assert find_pass(engine.store, token) is None
    logged = engine.store.conn.execute("SELECT passes FROM erasures").fetchall()
    assert logged == [(1,)]
