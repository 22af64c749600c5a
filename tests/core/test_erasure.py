"""`feedback person erase`: the person, their attendance, invitations and links go; their
responses stay, unlinked; the log says when and how much, never who (issue 15)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import EVENT, dump, make_response, run

from feedback.engine import Engine
from feedback.invitations import Invitations
from feedback.linking import new_key_file
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
    assert dump(project / "feedback.db") == before


def test_it_asks_first_unless_told_yes(roster: Engine, project: Path) -> None:
    result = run(project, "person", "erase", "1")  # no answer on standard input: no
    assert result.exit_code != 0
    assert count(roster, "SELECT count(*) FROM people") == 2
