"""Checking a response against its survey: every problem listed, each by question id."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from helpers import make_response
from pydantic import ValidationError

import feedback_formats
from feedback.loading import SurveyDocument, parse_survey
from feedback.responses import Response, answer_problems, content_hash, envelope_problems
from feedback.survey import Survey

SURVEY = """
id: s
title: T
languages: [en, nl]
scales:
  agree3:
    points: [disagree, neutral, agree]
    na: dont_know
questions:
  - {type: single_choice, id: role, label: Role, choices: [mp, ngo, other], required: true}
  - {type: multi_choice, id: topics, label: Topics, choices: [law, data, care],
     min_selections: 1, max_selections: 2}
  - {type: likert, id: useful, label: Useful, scale: agree3}
  - {type: likert, id: strict, label: Strict, scale: agree3, allow_na: false}
  - {type: then_now, id: skill, label: Skill, scale: agree3}
  - {type: rating, id: score, label: Score, min: 1, max: 5}
  - {type: yes_no, id: again, label: Again}
  - {type: number, id: age, label: Age, min: 16, max: 120, integer: true}
  - {type: number, id: hours, label: Hours, min: 0}
  - {type: text, id: short, label: Short, max_length: 10}
  - {type: text, id: long, label: Long, long: true, max_length: 20}
  - {type: note, id: intro, label: Intro}
  - {type: text, id: mp_why, label: Why, required: true, show_if: {role: mp}}
  - {type: text, id: adult, label: Adult, show_if: {age: {ge: 18}}}
"""


@pytest.fixture(scope="module")
def survey() -> Survey:
    data, positions = feedback_formats.read_yaml(SURVEY)
    return parse_survey(SurveyDocument(data, "s.yaml", positions))


def problems(survey: Survey, answers: dict) -> dict[str, str]:
    found = answer_problems(survey, answers)
    out = {}
    for problem in found:
        (question,) = problem.loc
        assert question not in out, f"two problems for {question}"
        out[question] = problem.message
    return out


FULL = {
    "role": "mp",
    "topics": ["law", "care"],
    "useful": "dont_know",
    "strict": "agree",
    "skill": {"then": "disagree", "now": "agree"},
    "score": 5,
    "again": False,
    "age": 40,
    "hours": 2.5,
    "short": "ok",
    "long": "two\nlines",
    "mp_why": "because",
    "adult": "yes",
}


def test_a_complete_valid_response_has_no_problems(survey):
    assert answer_problems(survey, FULL) == []


def test_only_required_questions_need_an_answer(survey):
    assert answer_problems(survey, {"role": "ngo"}) == []


@pytest.mark.parametrize(
    ("question", "value", "expected"),
    [
        ("role", "MP", "unknown choice"),
        ("role", "ngoo", "did you mean 'ngo'?"),
        ("role", ["mp"], "expected a choice id (text), found a list"),
        ("topics", "law;crime", "unknown choice 'crime'"),
        ("topics", ["law", "crime"], "unknown choice"),
        ("topics", 3, "expected a list of choice ids"),
        ("topics", ["law", "data", "care"], "expected at most 2 selections, found 3"),
        ("useful", "agreed", "did you mean 'agree'?"),
        ("useful", 3, "expected a scale point id, found a number 3"),
        ("strict", "dont_know", "expected one of disagree, neutral, agree"),
        ("skill", "agree", 'expected {"then": point, "now": point}'),
        ("skill", {"then": "agree"}, 'expected {"then": point, "now": point}'),
        ("skill", {"then": "agree", "now": "agreed"}, "unknown 'now' point"),
        ("skill", {"then": 1, "now": "agree"}, "expected 'then' a scale point id"),
        ("score", 6, "out of range: expected 1 to 5, found 6"),
        ("score", 0, "out of range: expected 1 to 5, found 0"),
        ("score", 2.5, "expected a whole number, found a number 2.5"),
        ("score", "6", 'enter a number from 1 to 5, found "6"'),
        ("score", "2.5", 'enter a whole number, found "2.5"'),
        ("score", True, "expected a whole number, found true/false true"),
        ("again", "maybe", 'expected true or false, found text "maybe"'),
        ("again", 1, "expected true or false, found a number 1"),
        ("age", 15, "out of range: expected at least 16 and at most 120, found 15"),
        ("age", 40.5, "expected a whole number, found 40.5"),
        ("age", "forty", 'enter a whole number, found "forty"'),
        ("hours", -1, "out of range: expected at least 0, found -1"),
        ("hours", float("inf"), "expected a number"),
        ("hours", float("nan"), "expected a number"),
        ("score", 2**1100, "out of range: expected 1 to 5"),
        ("age", -(2**1100), "out of range"),
        ("short", "eleven char", "too long: at most 10 characters, found 11"),
        ("short", "a\nb", "expected a single line, found a line break"),
        ("short", 5, "expected text, found a number 5"),
        ("long", "x" * 21, "too long: at most 20 characters, found 21"),
        ("intro", "seen", "is a note: nothing is asked"),
        ("again", None, "expected an answer, found null"),
    ],
)
def test_each_kind_of_wrong_answer_is_named_by_question_id(survey, question, value, expected):
    answers = {**FULL, question: value}
    found = problems(survey, answers)
    assert list(found) == [question]
    assert expected in found[question]


def test_unknown_values_are_quoted_in_the_message(survey):
    found = problems(survey, {**FULL, "role": "MP", "topics": ["crime"], "strict": "dont_know"})
    assert "MP" in found["role"]
    assert "crime" in found["topics"]
    assert "dont_know" in found["strict"]


def test_a_wrong_answer_does_not_make_its_follow_up_questions_wrong_too(survey):
    # mp_why is shown only to MPs: with the role mistyped, whether it shows is unknown, so only
    # the role is reported, not "answered, but hidden" or "required" for mp_why.
    assert problems(survey, {**FULL, "role": "MPP"}).keys() == {"role"}
    answers = {**FULL, "role": "MPP"}
    del answers["mp_why"]
    assert problems(survey, answers).keys() == {"role"}
    assert problems(survey, {**FULL, "age": 15}).keys() == {"age"}
    # the follow-up's own value is still checked
    found = problems(survey, {**FULL, "role": "MPP", "mp_why": 3})
    assert found.keys() == {"role", "mp_why"}
    assert "expected text" in found["mp_why"]


def test_ranges_include_their_ends(survey):
    assert answer_problems(survey, {**FULL, "score": 1, "age": 120, "hours": 0}) == []
    assert answer_problems(survey, {**FULL, "score": 5.0}) == []
    assert answer_problems(survey, {**FULL, "short": "x" * 10}) == []


def test_unknown_question_suggests_the_closest(survey):
    assert problems(survey, {**FULL, "rol": "mp"}) == {
        "rol": "unknown question; did you mean 'role'?"
    }
    assert problems(survey, {**FULL, "zzz": 1}) == {"zzz": "unknown question"}


def test_required_visible_question_missing(survey):
    answers = dict(FULL)
    del answers["role"]
    del answers["mp_why"]
    assert problems(survey, answers) == {"role": "required question not answered"}
    answers = {**FULL}
    del answers["mp_why"]
    assert problems(survey, answers) == {"mp_why": "required question not answered"}


def test_a_hidden_required_question_is_not_required(survey):
    answers = {**FULL, "role": "ngo"}
    del answers["mp_why"]
    assert answer_problems(survey, answers) == []


def test_an_answer_to_a_hidden_question_is_a_problem(survey):
    found = problems(survey, {**FULL, "role": "ngo"})
    assert found == {"mp_why": "answered, but hidden by its show_if condition"}
    found = problems(survey, {**FULL, "age": 17})
    assert found == {"adult": "answered, but hidden by its show_if condition"}


def test_every_problem_is_listed(survey):
    found = problems(
        survey,
        {
            "role": "nope",
            "topics": ["law", "crime"],
            "score": 11,
            "again": "maybe",
            "short": "x" * 11,
            "intro": "x",
            "unknown": 1,
        },
    )
    assert set(found) == {"unknown", "role", "topics", "score", "again", "short", "intro"}
    # problems follow the survey's order, unknown questions first
    first, *rest = found
    assert first == "unknown"
    assert rest == ["role", "topics", "score", "again", "short", "intro"]


def test_problem_renders_with_its_question_id(survey):
    (problem,) = answer_problems(survey, {**FULL, "score": 6})
    assert problem.render() == "score: out of range: expected 1 to 5, found 6"


# -- the response envelope ----------------------------------------------------------------------


def make(**changes) -> Response:
    return Response.model_validate(make_response("s", {"role": "ngo"}, **changes))


def test_response_language_must_be_one_of_the_survey(survey):
    assert envelope_problems(survey, make(language="nl")) == []
    (problem,) = envelope_problems(survey, make(language="nld"))
    assert problem.loc == ("language",)
    assert "language 'nld' is not one of the survey's (en, nl)" in problem.message
    assert "did you mean 'nl'?" in problem.message


def test_response_refuses_unknown_fields():
    with pytest.raises(ValidationError, match="extra"):
        make(ip="10.0.0.1")


def test_response_keeps_the_date_only():
    response = make()
    assert response.submitted == dt.date(2011, 1, 26)
    assert response.record()["submitted"] == "2011-01-26"
    with pytest.raises(ValidationError):
        make(submitted="2011-01-26T10:30:00")


def test_a_response_gets_an_id():
    assert make().id != make().id
    assert isinstance(make().id, uuid.UUID)


def test_content_hash_is_the_same_for_the_same_response_however_ordered():
    rid = str(uuid.uuid4())
    one = make(id=rid, answers={"role": "ngo", "score": 3}).record()
    two = make(id=rid, answers={"score": 3, "role": "ngo"}).record()
    assert content_hash(one) == content_hash(two)
    three = make(id=rid, answers={"role": "ngo", "score": 4}).record()
    assert content_hash(three) != content_hash(one)
