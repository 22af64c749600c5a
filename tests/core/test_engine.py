"""The one way in: `Engine.submit` / `submit_many` on a real SQLite file, and survey snapshots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import make_response, open_engine

from feedback.engine import Engine, ResponseConflict
from feedback.errors import ResponseInvalid, SurveyNotFound
from feedback.responses import Response

SURVEY = """\
id: s
title: Seminar
languages: [en, nl]
questions:
  - {type: single_choice, id: role, label: Role, choices: [mp, ngo, other], required: true}
  - {type: rating, id: score, label: Score, min: 0, max: 10}
  - {type: text, id: why, label: Why, show_if: {role: mp}}
"""


@pytest.fixture
def project(project: Path) -> Path:
    """The shared empty project with the survey ``s``."""
    (project / "surveys" / "s.yaml").write_text(SURVEY, encoding="utf-8")
    return project


def response(**changes) -> dict:
    return make_response("s", {"role": "mp", "score": 8, "why": "Contacts"}, **changes)


def stored(engine: Engine) -> list[dict]:
    return list(engine.store.iter_responses())


# -- submit ------------------------------------------------------------------------------------


def test_submit_stores_the_response_with_the_survey_version(engine):
    item = response()
    assert engine.submit(item) == "stored"
    (row,) = stored(engine)
    assert row["id"] == item["id"]
    assert row["answers"] == item["answers"]
    assert row["survey_version"] == engine.survey("s").version
    assert row["submitted"] == "2011-01-26"


def test_the_same_response_again_is_already_stored(engine):
    item = response()
    assert engine.submit(item) == "stored"
    assert engine.submit(dict(item)) == "already_stored"
    assert engine.submit(Response.model_validate(item)) == "already_stored"
    with_version = {**item, "survey_version": engine.survey("s").version}
    assert engine.submit(with_version) == "already_stored"
    assert engine.store.count_responses() == 1
    assert engine.store.conflicts() == []


def test_same_id_with_other_content_is_a_conflict_kept_for_review(engine):
    item = response()
    engine.submit(item)
    other = {**item, "answers": {"role": "ngo", "score": 2}}
    with pytest.raises(ResponseConflict) as info:
        engine.submit(other)
    assert item["id"] in str(info.value)
    assert "conflicts table" in str(info.value)
    # the stored row is unchanged
    (row,) = stored(engine)
    assert row["answers"] == item["answers"]
    # the refused one is kept, once, however often it comes
    with pytest.raises(ResponseConflict):
        engine.submit(other)
    (conflict,) = engine.store.conflicts()
    assert conflict["response_id"] == item["id"]
    assert json.loads(conflict["content"])["answers"] == other["answers"]
    assert conflict["channel"] == "kiosk"


def test_an_invalid_response_lists_every_problem_and_writes_nothing(engine):
    item = response(answers={"role": "MP", "score": 11, "colour": "red"})
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(item)
    locs = [p.loc for p in info.value.problems]
    assert locs == [("colour",), ("role",), ("score",)]
    assert item["id"] in str(info.value)
    assert engine.store.count_responses() == 0


def test_unknown_event_suggests_a_known_one(engine):
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(response(event="hague-2012"))
    (problem,) = info.value.problems
    assert problem.loc == ("event",)
    assert "unknown event 'hague-2012'" in problem.message
    assert "did you mean 'hague-2011'?" in problem.message


def test_unknown_survey_is_a_problem_of_the_response(engine):
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(response(survey="t"))
    (problem,) = info.value.problems
    assert problem.loc == ("survey",)
    assert "unknown survey 't'" in problem.message


def test_language_not_offered_by_the_survey(engine):
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(response(language="fr"))
    (problem,) = info.value.problems
    assert problem.loc == ("language",)


def test_a_malformed_response_is_invalid_not_a_crash(engine):
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(response(id="not-a-uuid", ip="10.0.0.1", answers=["mp"]))
    locs = {p.loc for p in info.value.problems}
    assert {("id",), ("ip",), ("answers",)} <= locs


def test_hidden_question_answered_is_refused(engine):
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(response(answers={"role": "ngo", "why": "x"}))
    (problem,) = info.value.problems
    assert problem.loc == ("why",)
    assert "hidden by its show_if" in problem.message


# -- submit_many -------------------------------------------------------------------------------


def test_submit_many_stores_a_valid_batch(engine):
    items = [(f"line {i}", response()) for i in range(1, 6)]
    result = engine.submit_many(items)
    assert (result.received, result.stored, result.committed, result.ok) == (5, 5, True, True)
    assert engine.store.count_responses() == 5


def test_submit_many_is_all_or_nothing(engine):
    good = response()
    items = [
        ("line 1", good),
        ("line 2", response(answers={"score": 3})),
        ("line 3", response()),
        ("line 4", ValueError("not valid JSON")),
        ("line 5", "a string"),
    ]
    result = engine.submit_many(items)
    assert result.committed is False
    assert result.stored == 0
    assert result.rejected_count == 3
    assert [r.where for r in result.rejected] == ["line 2", "line 4", "line 5"]
    assert "role: required question not answered" in result.rejected[0].render()
    assert "not valid JSON" in result.rejected[1].render()
    assert engine.store.count_responses() == 0
    # the good ones go in once the batch is clean
    result = engine.submit_many([("line 1", good)])
    assert result.stored == 1


def test_submit_many_counts_what_is_already_stored(engine):
    first = response()
    engine.submit(first)
    result = engine.submit_many([("a", first), ("b", response())])
    assert (result.stored, result.already_stored, result.committed) == (1, 1, True)
    assert engine.store.count_responses() == 2


def test_submit_many_reports_conflicts_and_keeps_them(engine):
    first = response()
    engine.submit(first)
    changed = {**first, "answers": {"role": "other"}}
    result = engine.submit_many([("a", changed), ("b", response())])
    assert result.conflicts == [first["id"]]
    assert not result.ok
    assert len(engine.store.conflicts()) == 1
    (row,) = [r for r in stored(engine) if r["id"] == first["id"]]
    assert row["answers"] == first["answers"]


def test_the_same_id_twice_in_one_batch(engine):
    item = response()
    result = engine.submit_many([("a", item), ("b", dict(item))])
    assert (result.stored, result.already_stored) == (1, 1)
    assert engine.store.count_responses() == 1


# -- survey versions ---------------------------------------------------------------------------


def test_old_versions_stay_readable_after_the_file_changes(engine, project):
    old = engine.survey("s")
    engine.submit(response())
    engine.close()

    path = project / "surveys" / "s.yaml"
    path.write_text(
        SURVEY.replace("label: Role", "label: Your role").replace("[mp, ngo, other]", "[mp, ngo]"),
        encoding="utf-8",
    )
    engine = open_engine(project)
    try:
        new = engine.survey("s")
        assert new.version != old.version
        again = engine.survey("s", old.version)
        assert again.version == old.version
        assert again.question("role").label == "Role"
        assert [c.id for c in again.question("role").choices] == ["mp", "ngo", "other"]
        assert again.question("why").show_if.evaluate({"role": "mp"})

        # a late response to the old version is checked against the old version
        late = response(survey_version=old.version, answers={"role": "other"})
        assert engine.submit(late) == "stored"
        with pytest.raises(ResponseInvalid):
            engine.submit(response(answers={"role": "other"}))
        versions = {row["survey_version"] for row in engine.store.iter_responses()}
        assert versions == {old.version}
    finally:
        engine.close()


def test_an_old_version_is_readable_when_the_file_is_gone(engine, project):
    old = engine.survey("s")
    engine.submit(response())
    engine.close()
    (project / "surveys" / "s.yaml").unlink()
    engine = open_engine(project)
    try:
        assert engine.survey("s", old.version).version == old.version
    finally:
        engine.close()


def test_unknown_version_lists_the_known_ones(engine):
    version = engine.survey("s").version
    engine.submit(response())
    with pytest.raises(SurveyNotFound) as info:
        engine.survey("s", "0" * 16)
    assert "unknown version '0000000000000000' of survey 's'" in str(info.value)
    assert version in str(info.value)
    with pytest.raises(ResponseInvalid) as invalid:
        engine.submit(response(survey_version="0" * 16))
    assert invalid.value.problems[0].loc == ("survey_version",)


def test_unknown_survey_suggests_the_closest(engine):
    with pytest.raises(SurveyNotFound, match="did you mean 's'") as info:
        engine.survey("ss")
    assert "unknown survey 'ss'" in str(info.value)


def test_each_version_is_snapshotted_once(engine):
    for _ in range(3):
        engine.submit(response())
    (row,) = engine.store.survey_versions("s")
    assert row["version"] == engine.survey("s").version
    definition = engine.store.survey_definition("s", row["version"])
    assert definition["questions"][0]["type"] == "single_choice"


def test_a_broken_survey_file_is_named_when_a_survey_is_not_found(project):
    (project / "surveys" / "broken.yaml").write_text("id: broken\ntitle: [\n", encoding="utf-8")
    engine = open_engine(project)
    try:
        with pytest.raises(SurveyNotFound) as info:
            engine.survey("broken")
        assert "broken.yaml" in str(info.value)
        assert engine.survey("s").id == "s"
    finally:
        engine.close()


def test_a_response_must_carry_its_id_and_date(engine):
    """Without an id a re-import would store duplicates; without a date, conflicts next day."""
    data = response()
    del data["id"], data["submitted"]
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(data)
    message = str(info.value)
    assert "id: missing required key 'id'" in message
    assert "submitted: missing required key 'submitted'" in message
    assert stored(engine) == []


def test_resent_without_a_version_after_the_file_changed_is_already_stored(engine, project):
    """A kiosk's spool sends a version-less response again after the survey file was edited."""
    first = response()
    assert engine.submit(first) == "stored"
    (project / "surveys" / "s.yaml").write_text(SURVEY.replace("label: Why", "label: Reason"))
    later = open_engine(project)
    try:
        assert later.survey("s").version != stored(engine)[0]["survey_version"]
        assert later.submit(dict(first)) == "already_stored"
        changed = {**first, "answers": {"role": "ngo"}}
        with pytest.raises(ResponseConflict):
            later.submit(changed)
    finally:
        later.close()
    assert len(stored(engine)) == 1
