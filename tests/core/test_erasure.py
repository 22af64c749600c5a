"""`feedback person erase`: the person, their attendance, invitations and links go; their
responses stay, unlinked; the log says when and how much, never who (issue 15)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import EVENT, dump, make_response, run

from feedback.engine import Engine
from feedback.erasure import tombstone
from feedback.invitations import Invitations
from feedback.linking import new_key_file, person_link, read_key
from feedback.migrations import plugin_migrations
from feedback.plugins import make_plugin_manager

PERSONAL = """\
id: personal
title: Ninety days on, by link
languages: [en]
anonymous: false
linking: pseudonymous
questions:
  - {id: acted, type: yes_no, label: "Did you contact an NGO?"}
"""


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "linking.key"
    path.parent.mkdir()
    new_key_file(path)
    return path


@pytest.fixture
def roster(project: Path, key_file: Path, make_engine: Callable[..., Engine]) -> Engine:
    (project / "surveys" / "personal.yaml").write_text(PERSONAL, encoding="utf-8")
    (project / "feedback.toml").write_text(f'linking_key = "{key_file}"\n', encoding="utf-8")
    engine = make_engine()
    # the installed plugins' tables too, as `feedback` makes the database: a refused erasure
    # must leave it exactly as the command found it
    engine.store.migrate(plugin_migrations(make_plugin_manager()))
    with engine.store.write():
        for name, email in (("Anna de Vries", "anna@example.nl"), ("Brian Byrne", "b@x.org")):
            pid = engine.store.save_person({"name": name, "email": email})
            engine.store.set_attendance(pid, EVENT["id"], True, True)
    Invitations(engine.store).prepare(EVENT["id"], "personal", ["en"])
    for pid in (1, 2):
        engine.submit(make_response("personal", {"acted": True}, channel="web"), person=pid)
    return engine


def count(engine: Engine, sql: str) -> int:
    return int(engine.store.conn.execute(sql).fetchone()[0])


def test_erasing_a_person_unlinks_their_answers_and_keeps_them(
    roster: Engine, project: Path
) -> None:
    result = run(project, "person", "erase", "anna@example.nl", "--yes")
    assert result.exit_code == 0, result.output
    assert "1 response link(s), 1 invitation(s), 1 attendance row(s)" in result.output
    assert count(roster, "SELECT count(*) FROM people WHERE email = 'anna@example.nl'") == 0
    assert count(roster, "SELECT count(*) FROM people") == 1
    assert count(roster, "SELECT count(*) FROM attendance") == 1
    assert count(roster, "SELECT count(*) FROM invitations") == 1
    assert count(roster, "SELECT count(*) FROM responses") == 2  # the answers stay
    assert count(roster, "SELECT count(*) FROM response_links") == 1  # Brian's only
    log = roster.store.conn.execute("SELECT * FROM erasures").fetchall()
    assert len(log) == 1
    assert "Anna" not in repr(log) and "anna@" not in repr(log)
    assert b"Anna de Vries" not in (project / "feedback.db").read_bytes()


def test_an_unknown_person_is_named_and_nothing_changes(roster: Engine, project: Path) -> None:
    before = dump(project / "feedback.db")
    result = run(project, "person", "erase", "ana@example.nl", "--yes")
    assert result.exit_code == 2
    assert "nobody on the roster is 'ana@example.nl'" in result.output
    assert "anna@example.nl" in result.output  # did you mean
    assert dump(project / "feedback.db") == before


def test_without_the_key_nothing_is_erased(roster: Engine, project: Path, key_file: Path) -> None:
    key_file.rename(key_file.with_suffix(".moved"))
    before = dump(project / "feedback.db")
    result = run(project, "person", "erase", "1", "--yes")
    assert result.exit_code == 2
    assert "nothing was erased" in result.output and "feedback keys new" in result.output
    assert dump(project / "feedback.db") == before  # no tombstone either


def test_it_asks_first_unless_told_yes(roster: Engine, project: Path) -> None:
    result = run(project, "person", "erase", "1")  # no answer on standard input: no
    assert result.exit_code != 0
    assert count(roster, "SELECT count(*) FROM people") == 2


# -- the tombstone that keeps `feedback merge` from bringing the person back ---------------------


def test_an_erasure_leaves_a_tombstone_that_names_nobody(
    roster: Engine, project: Path, key_file: Path
) -> None:
    columns = [c.name for c in roster.store.db["erasures"].columns]
    assert run(project, "person", "erase", "anna@example.nl", "--yes").exit_code == 0
    assert run(project, "person", "erase", "2", "--yes").exit_code == 0
    key = read_key(key_file)
    stones = [s for (s,) in roster.store.conn.execute("SELECT tombstone FROM erased_people")]
    assert set(stones) == {
        tombstone(key, {"email": "anna@example.nl"}),
        tombstone(key, {"email": "b@x.org"}),
    }
    # no plain hash of what the database held of them, nor their links
    held = {"anna@example.nl", "b@x.org", "Anna de Vries", "Brian Byrne", "1", "2"}
    plain = {hashlib.sha256(v.encode()).hexdigest() for v in held}
    plain |= {hashlib.sha256(v.upper().encode()).hexdigest() for v in held}
    assert not set(stones) & (plain | {person_link(key, 1), person_link(key, 2)})
    # nothing ties a tombstone to an erasure: the log has the shape it had, the tombstones no
    # date nor row number, and they are kept in the order of their hashes, not of the erasures
    assert [c.name for c in roster.store.db["erasures"].columns] == columns
    assert [c.name for c in roster.store.db["erased_people"].columns] == ["tombstone"]
    with pytest.raises(sqlite3.OperationalError, match="no such column: rowid"):
        roster.store.conn.execute("SELECT rowid FROM erased_people")
    assert stones == sorted(stones)
    assert len(roster.store.conn.execute("SELECT * FROM erasures").fetchall()) == 2


def test_a_person_without_email_is_tombstoned_by_what_a_merge_matches(
    roster: Engine, project: Path, key_file: Path
) -> None:
    walk_in = {"name": "Zoë Visser", "role": "ngo", "country": "NL", "organisation": None}
    with roster.store.write():
        pid = roster.store.add_person(walk_in)
    assert run(project, "person", "erase", str(pid), "--yes").exit_code == 0
    key = read_key(key_file)
    [(stone,)] = roster.store.conn.execute("SELECT tombstone FROM erased_people").fetchall()
    assert stone == tombstone(key, {**walk_in, "name": " zoë visser ", "email": None})
    assert stone != tombstone(key, {**walk_in, "role": "mp"})


def test_without_the_key_and_no_linked_answers_it_erases_and_says_no_tombstone_was_kept(
    roster: Engine, project: Path, key_file: Path
) -> None:
    with roster.store.write():
        roster.store.conn.execute("DELETE FROM response_links")
    key_file.rename(key_file.with_suffix(".moved"))
    result = run(project, "person", "erase", "anna@example.nl", "--yes")
    assert result.exit_code == 0, result.output
    assert "Erased person 1" in result.output
    assert "no tombstone was kept" in result.output and str(key_file) in result.output
    assert "`feedback merge` of a database that still holds this person would bring them back" in (
        result.output
    )
    assert count(roster, "SELECT count(*) FROM people") == 1
    assert count(roster, "SELECT count(*) FROM erased_people") == 0
    assert count(roster, "SELECT count(*) FROM erasures") == 1
