"""The engine owns the unit of work (issue 14, §1): every submit opens, commits and rolls back its
own transaction; a channel's own writes go in ``within``; ``response_submitted`` runs after the
commit; a conflict is always kept; every channel gets the same checks (channel, date). On a real
SQLite file; the web form, the kiosk and the offline channels have their own files under
``tests/plugins``."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import EVENT, make_response, pm_with_formats, query
from uow_helpers import ReadsBack

from feedback.cli import State
from feedback.cli.data import import_responses
from feedback.engine import Engine, ResponseConflict, UnitOfWorkError
from feedback.errors import ResponseInvalid
from feedback.responses import Response, stored_row
from feedback.store import Store

ROOT = Path(__file__).resolve().parents[2]

SURVEY = """\
id: s
title: Seminar
questions:
  - {type: single_choice, id: role, label: Role, choices: [mp, ngo, other], required: true}
  - {type: rating, id: score, label: Score, min: 0, max: 10}
"""


@pytest.fixture
def project(project: Path) -> Path:
    (project / "surveys" / "s.yaml").write_text(SURVEY, encoding="utf-8")
    return project


def response(**changes: Any) -> dict[str, Any]:
    return make_response("s", {"role": "mp", "score": 8}, **changes)


def ids(engine: Engine) -> list[str]:
    return sorted(row["id"] for row in engine.store.iter_responses())


def people(db: Path) -> list[str]:
    return [row[0] for row in query(db, "SELECT name FROM people ORDER BY id")]


def conflicts(db: Path) -> list[tuple[str, str]]:
    rows = query(db, "SELECT response_id, content FROM conflicts ORDER BY id")
    return [(rid, json.loads(content)["answers"]["role"]) for rid, content in rows]


def add_person(name: str) -> Callable[[Store], None]:
    """Channel work for ``within``: a person added through the core's store."""

    def work(store: Store) -> None:
        store.add_person({"name": name})

    return work


# -- response_submitted runs after the commit ------------------------------------------------


def test_submit_announces_a_committed_response(make_engine: Callable[..., Engine]) -> None:
    seen = ReadsBack()
    engine = make_engine(seen)
    item = response()
    assert engine.submit(item) == "stored"
    assert seen.ids() == {item["id"]} and seen.all_found()


def test_submit_many_announces_committed_responses(make_engine: Callable[..., Engine]) -> None:
    seen = ReadsBack()
    engine = make_engine(seen)
    items = [response() for _ in range(3)]
    result = engine.submit_many([(f"line {i}", r) for i, r in enumerate(items, 1)])
    assert result.committed and result.stored == 3
    assert seen.ids() == {r["id"] for r in items} and seen.all_found()


def test_submit_batches_announces_each_group_after_its_commit(
    make_engine: Callable[..., Engine],
) -> None:
    seen = ReadsBack()
    engine = make_engine(seen)
    good = [[response()], [response(), response()], [response()]]
    bad = [response(), response(answers={"score": 3})]  # no role: the whole batch is refused
    batches = [("a", good[0]), ("b", good[1]), ("bad", bad), ("c", good[2])]
    results = dict(
        engine.submit_batches(
            ((key, [(f"{key} {i}", r) for i, r in enumerate(items)]) for key, items in batches),
            group=2,
        )
    )
    assert [results[k].stored for k in "abc"] == [1, 2, 1]
    assert all(results[k].committed for k in "abc")
    assert (results["bad"].committed, results["bad"].stored, results["bad"].rejected_count) == (
        False,
        0,
        1,
    )
    expected = {r["id"] for items in good for r in items}
    assert set(ids(engine)) == expected
    assert seen.ids() == expected and seen.all_found()


def test_feedback_responses_import_announces_committed_responses(
    make_engine: Callable[..., Engine], project: Path
) -> None:
    make_engine()  # the event
    seen = ReadsBack()
    items = [response(), response()]
    file = project / "in.jsonl"
    file.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    state = State(project, pm_with_formats(seen))
    try:
        result = CliRunner().invoke(import_responses, [str(file)], obj=state)
    finally:
        state.close()
    assert result.exit_code == 0, result.output
    assert seen.ids() == {i["id"] for i in items} and seen.all_found()


# -- the engine's transaction, and the channel's work in it ----------------------------------


def test_within_is_committed_with_the_response(engine: Engine) -> None:
    item = response()
    assert engine.submit(item, within=add_person("Ann")) == "stored"
    assert people(engine.settings.db_path) == ["Ann"]
    assert ids(engine) == [item["id"]]


def test_a_failure_inside_within_rolls_back_everything_and_is_reported(engine: Engine) -> None:
    class ChannelRefuses(Exception):
        pass

    def work(store: Store) -> None:
        store.add_person({"name": "Ann"})
        raise ChannelRefuses("the invitation was completed in another tab")

    before = ids(engine)
    with pytest.raises(ChannelRefuses, match="another tab"):
        engine.submit(response(), within=work)
    with pytest.raises(ChannelRefuses):
        engine.submit_many([("line 1", response())], within=work)
    assert ids(engine) == before
    assert people(engine.settings.db_path) == []
    assert not engine.store.conn.in_transaction
    # the engine is usable again at once
    assert engine.submit(response()) == "stored"


def test_within_is_rolled_back_with_a_refused_response_or_batch(engine: Engine) -> None:
    with pytest.raises(ResponseInvalid):
        engine.submit(response(answers={"role": "astronaut"}), within=add_person("Ann"))
    result = engine.submit_many(
        [("line 1", response()), ("line 2", response(answers={}))], within=add_person("Bob")
    )
    assert (result.committed, result.stored, result.rejected_count) == (False, 0, 1)
    assert people(engine.settings.db_path) == []
    assert ids(engine) == []


def test_within_runs_before_the_responses_are_checked(make_engine: Callable[..., Engine]) -> None:
    """The merge adds the events its responses need in ``within``: they count for the check."""
    engine = make_engine(event=False)

    def add_event(store: Store) -> None:
        store.add_event(dict(EVENT))

    result = engine.submit_many([("line 1", response())], within=add_event)
    assert result.committed and result.stored == 1


def test_a_conflict_is_kept_though_within_and_the_response_are_rolled_back(
    engine: Engine,
) -> None:
    first = response()
    engine.submit(first)
    other = {**first, "answers": {"role": "ngo"}}
    with pytest.raises(ResponseConflict):
        engine.submit(other, within=add_person("Ann"))
    assert conflicts(engine.settings.db_path) == [(first["id"], "ngo")]
    assert people(engine.settings.db_path) == []  # the channel's work went with the response


def test_a_conflict_is_kept_when_within_fails(engine: Engine) -> None:
    first = response()
    engine.submit(first)

    def work(store: Store) -> None:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        engine.submit({**first, "answers": {"role": "other"}}, within=work)
    assert conflicts(engine.settings.db_path) == [(first["id"], "other")]


def test_a_refused_batch_keeps_its_conflicts_with_stored_responses(engine: Engine) -> None:
    stored = response()
    engine.submit(stored)
    twin = response()  # twice in the refused batch, with other answers: no conflict (not stored)
    result = engine.submit_many(
        [
            ("line 1", {**stored, "answers": {"role": "ngo"}}),
            ("line 2", twin),
            ("line 3", {**twin, "answers": {"role": "other"}}),
            ("line 4", response(answers={})),  # refuses the batch
            ("line 5", {**stored, "answers": {"role": "other"}}),  # after the rejection too
        ]
    )
    assert (result.committed, result.stored) == (False, 0)
    assert result.conflicts == [stored["id"], stored["id"]]
    assert sorted(conflicts(engine.settings.db_path)) == [
        (stored["id"], "ngo"),
        (stored["id"], "other"),
    ]
    assert ids(engine) == [stored["id"]]


def test_the_engine_refuses_to_write_inside_a_transaction_it_did_not_open(
    engine: Engine,
) -> None:
    survey = engine.survey("s")
    with engine.store.write():
        with pytest.raises(UnitOfWorkError, match="within="):
            engine.submit(response())
        with pytest.raises(UnitOfWorkError):
            engine.submit_many([("line 1", response())])
        with pytest.raises(UnitOfWorkError):
            list(engine.submit_batches([("a", [("line 1", response())])]))
        with pytest.raises(UnitOfWorkError):
            engine.keep_survey_version(survey)
    assert ids(engine) == []


def test_keep_survey_version_commits_on_its_own(engine: Engine) -> None:
    survey = engine.survey("s")
    assert engine.keep_survey_version(survey) is True
    assert engine.keep_survey_version(survey) is False
    assert query(engine.settings.db_path, "SELECT id, version FROM surveys") == [
        ("s", survey.version)
    ]


# -- the same checks for every channel -------------------------------------------------------


def test_an_unknown_channel_is_refused_by_the_engine(engine: Engine) -> None:
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(response(channel="kiosq"))
    (problem,) = info.value.problems
    assert problem.loc == ("channel",)
    assert "unknown channel 'kiosq' (known: " in problem.message
    assert "did you mean 'kiosk'?" in problem.message


def test_a_date_after_today_is_refused_by_the_engine(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1296000000")  # 2011-01-26
    assert engine.submit(response(submitted="2011-01-26")) == "stored"
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(response(submitted="2011-01-27"))
    (problem,) = info.value.problems
    assert problem.render() == (
        "submitted: 2011-01-27 is after today (2011-01-26): expected the date the answers were "
        "given"
    )


# -- no plugin opens a transaction around the engine or writes core tables -------------------

SQL_WRITE = re.compile(
    r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`\[]?(\w+)",
    re.IGNORECASE,
)
ENGINE_CALLS = {"submit", "submit_many", "submit_batches"}


def plugin_sources() -> list[Path]:
    folders = [ROOT / "plugins", ROOT / "examples"]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*.py"))


def core_tables(tmp_path: Path) -> set[str]:
    """The tables the core's own migrations make (no plugin's)."""
    with Store(tmp_path / "core.db") as store:
        names = {
            row[0]
            for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    return {n for n in names if not n.startswith(("_", "sqlite_"))} - plugin_tables()


def plugin_tables() -> set[str]:
    """Tables that a plugin's migrations make (kept when a database of release 0.1 has them)."""
    made = re.compile(r"CREATE TABLE(?: IF NOT EXISTS)?\s+(\w+)", re.IGNORECASE)
    return {
        name
        for path in plugin_sources()
        if path.name == "migrations.py"
        for name in made.findall(path.read_text(encoding="utf-8"))
    }


def test_no_plugin_writes_core_tables_with_sql(tmp_path: Path) -> None:
    core = core_tables(tmp_path)
    assert {"responses", "conflicts", "events", "people", "attendance", "surveys"} <= core
    found = []
    for path in plugin_sources():
        if path.name == "migrations.py":
            continue  # a plugin's own tables (a table's REFERENCES name core ones)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for table in SQL_WRITE.findall(node.value):
                    if table.lower() in core:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {table}")
    assert found == [], "plugins write core tables with SQL (use feedback.store):\n" + "\n".join(
        found
    )


def test_no_plugin_opens_a_write_around_the_engine() -> None:
    found = []
    for path in plugin_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.With):
                continue
            opens_write = any(
                isinstance(item.context_expr, ast.Call)
                and isinstance(item.context_expr.func, ast.Attribute)
                and item.context_expr.func.attr == "write"
                for item in node.items
            )
            calls = {
                inner.func.attr
                for statement in node.body
                for inner in ast.walk(statement)
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute)
            }
            if opens_write and calls & ENGINE_CALLS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == [], "a plugin wraps the engine in its own transaction:\n" + "\n".join(found)


def test_the_guard_would_see_a_plugin_that_wraps_the_engine(tmp_path: Path) -> None:
    """The two guards above find what they look for (so their passing means something)."""
    source = (
        "def bad(engine):\n"
        "    with engine.store.write():\n"
        "        engine.submit({})\n"
        "        engine.store.conn.execute('INSERT OR IGNORE INTO conflicts VALUES (1)')\n"
    )
    tree = ast.parse(source)
    withs = [n for n in ast.walk(tree) if isinstance(n, ast.With)]
    assert withs and any(
        isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "submit"
        for c in ast.walk(withs[0])
    )
    assert SQL_WRITE.findall(source) == ["conflicts"]
    assert "conflicts" in core_tables(tmp_path)


def test_the_hook_helper_tells_an_uncommitted_response_from_a_committed_one(
    make_engine: Callable[..., Engine],
) -> None:
    """What a fresh connection sees is what was committed: the helper's check is a real one (as
    it was for the web form, the importer and the merge before the engine owned its unit of
    work: their transaction was still open when the hooks ran)."""
    seen = ReadsBack()
    engine = make_engine(seen)
    survey = engine.survey("s")
    engine.keep_survey_version(survey)
    item = Response.model_validate(response(survey_version=survey.version))
    with engine.store.write():
        engine.store.insert_responses([stored_row(item.record())])
        seen.response_submitted(engine=engine, response=item)
    (sighting,) = seen.seen
    assert sighting.by_engine and not sighting.by_fresh_connection and sighting.in_transaction
    assert not seen.all_found()
    assert query(engine.settings.db_path, "SELECT count(*) FROM responses") == [(1,)]
