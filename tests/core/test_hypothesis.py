"""Property tests: random answers and random survey documents give validation errors, never a crash."""

from __future__ import annotations

import math
import uuid
from pathlib import Path
from typing import Any

import pytest
from helpers import open_engine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import feedback_formats
from feedback.errors import Problem, ResponseInvalid, SurveyError
from feedback.loading import SurveyDocument, parse_survey
from feedback.questions import strip
from feedback.responses import answer_problems
from feedback.survey import (
    MultiChoice,
    Number,
    Rating,
    ScaleQuestion,
    SingleChoice,
    Survey,
    TextQuestion,
    ThenNow,
    YesNo,
)

FAST = settings(max_examples=150, deadline=None)

SURVEY = """
id: props
title: {en: Properties, nl: Eigenschappen}
languages: [en, nl]
scales:
  agree3: {points: [disagree, neutral, agree], na: dont_know}
sections:
  - title: One
    questions:
      - {type: single_choice, id: role, label: Role, choices: [mp, ngo, other], required: true}
      - {type: multi_choice, id: topics, label: Topics, choices: [law, data, care, money],
         min_selections: 1, max_selections: 3}
      - {type: likert, id: useful, label: Useful, scale: agree3, show_if: {role: [mp, ngo]}}
      - {type: then_now, id: skill, label: Skill, scale: agree3, allow_na: false}
  - title: Two
    questions:
      - {type: rating, id: score, label: Score, min: -2, max: 7, required: true}
      - {type: yes_no, id: again, label: Again, show_if: {score: {ge: 3}}}
      - {type: number, id: age, label: Age, min: 16, max: 120, integer: true}
      - {type: number, id: hours, label: Hours, min: 0.5}
      - {type: text, id: short, label: Short, max_length: 8, required: true,
         show_if: {any: [{again: true}, {not: {topics: law}}]}}
      - {type: text, id: long, label: Long, long: true, max_length: 30,
         show_if: {all: [{age: {answered: true}}, {age: {lt: 65}}]}}
      - {type: note, id: bye, label: Bye}
"""


@pytest.fixture(scope="module")
def survey() -> Survey:
    data, positions = feedback_formats.read_yaml(SURVEY)
    return parse_survey(SurveyDocument(data, "props.yaml", positions))


# -- strategies --------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**1100), max_value=2**1100),  # beyond float range
    st.floats(),
    st.text(max_size=12),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
QUESTION_IDS = [
    "role",
    "topics",
    "useful",
    "skill",
    "score",
    "again",
    "age",
    "hours",
    "short",
    "long",
    "bye",
]
near_values = st.one_of(
    st.sampled_from(["mp", "ngo", "MP", "law", "agree", "dont_know", "", "x" * 40, "a\nb"]),
    st.lists(st.sampled_from(["law", "data", "care", "money", "crime"]), max_size=5),
    st.fixed_dictionaries(
        {"then": st.sampled_from(["agree", "dont_know", 3]), "now": st.sampled_from(["agree", "x"])}
    ),
    st.dictionaries(st.sampled_from(["then", "now", "later"]), json_values, max_size=3),
)
answer_maps = st.dictionaries(
    st.one_of(st.sampled_from(QUESTION_IDS), st.text(max_size=8)),
    st.one_of(json_values, near_values),
    max_size=12,
)


@FAST
@given(answers=answer_maps)
def test_random_answers_give_problems_never_a_crash(survey, answers):
    problems = answer_problems(survey, answers)
    assert all(isinstance(p, Problem) and p.message for p in problems)
    for problem in problems:
        (question,) = problem.loc
        assert question in answers or question in survey.by_id
        if question:
            assert problem.render().startswith(f"{question}: ")
    survey.visible(answers)  # a channel shows questions given raw answers


def _valid_value(question: Any, draw: Any) -> Any:
    if isinstance(question, SingleChoice):
        return draw(st.sampled_from(question.answer_ids()))
    if isinstance(question, MultiChoice):
        top = question.max_selections or len(question.choices)
        return draw(
            st.lists(
                st.sampled_from(question.answer_ids()),
                # none ticked is no answer (the one parser's rule), not an empty answer
                min_size=max(1, question.min_selections),
                max_size=top,
                unique=True,
            )
        )
    if isinstance(question, ThenNow):
        point = st.sampled_from(question.point_ids())
        return {"then": draw(point), "now": draw(point)}
    if isinstance(question, ScaleQuestion):
        return draw(st.sampled_from(question.point_ids()))
    if isinstance(question, Rating):
        return draw(st.integers(question.min, question.max))
    if isinstance(question, YesNo):
        return draw(st.booleans())
    if isinstance(question, Number):
        if question.integer:
            low = math.ceil(question.min) if question.min is not None else None
            high = math.floor(question.max) if question.max is not None else None
            return draw(st.integers(low, high))
        return draw(st.floats(question.min, question.max, allow_nan=False, allow_infinity=False))
    if isinstance(question, TextQuestion):
        alphabet = st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n")
        if question.long:
            alphabet = st.characters(blacklist_categories=["Cs"])
        # a blank text is no answer (the one parser's rule, `QuestionBase.parse`)
        return draw(st.text(alphabet, min_size=1, max_size=question.max_length).filter(strip))
    raise AssertionError(f"no strategy for {question.type}")


def _valid_answers(survey: Survey, draw: Any) -> dict[str, Any]:
    """Valid answers in the survey's order: to every required question that shows given the
    answers so far, and to some of the optional ones."""
    answers: dict[str, Any] = {}
    for question in survey.all_questions():
        if not question.answerable:
            continue
        if question.show_if is not None and not question.show_if.evaluate(answers):
            continue
        if question.required or draw(st.booleans(), label=f"answer {question.id}"):
            answers[question.id] = _valid_value(question, draw)
    return answers


@FAST
@given(data=st.data())
def test_valid_answers_have_no_problems(survey, data):
    answers = _valid_answers(survey, data.draw)
    assert answer_problems(survey, answers) == []


@FAST
@given(data=st.data())
def test_what_is_shown_and_what_is_refused_as_hidden_agree(survey, data):
    # valid values for any questions, shown or not: a channel hides exactly what validation
    # refuses as "hidden"
    answers = {
        q.id: _valid_value(q, data.draw)
        for q in survey.all_questions()
        if q.answerable and data.draw(st.booleans())
    }
    visible = {q.id for q in survey.visible(answers)}
    hidden = {
        p.loc[0] for p in answer_problems(survey, answers) if "hidden by its show_if" in p.message
    }
    assert hidden == set(answers) - visible


# -- random survey documents -------------------------------------------------------------------

TYPES = [
    "single_choice",
    "multi_choice",
    "likert",
    "then_now",
    "rating",
    "yes_no",
    "number",
    "text",
    "note",
]
ids = st.sampled_from(["role", "age", "q1", "q2", "why", "all", "Bad", "", "q1"])
langs = st.sampled_from(["en", "nl", "fr", "xx-YY", "E"])
texts = st.one_of(
    st.text(max_size=6),
    st.dictionaries(langs, st.one_of(st.text(max_size=4), scalars), max_size=3),
)
bools = st.one_of(st.booleans(), json_values)
small_ints = st.one_of(st.integers(-3, 12), json_values)
option = st.one_of(
    ids,
    st.integers(0, 5),
    st.fixed_dictionaries({"id": ids}, optional={"label": texts, "lable": texts}),
)
scale = st.fixed_dictionaries(
    {"points": st.lists(option, max_size=4)}, optional={"na": option, "nah": option}
)
comparison_keys = st.sampled_from(["eq", "ne", "in", "not_in", "gt", "ge", "answered", "gte"])
compare = st.dictionaries(
    ids,
    st.one_of(
        scalars,
        st.lists(scalars, max_size=3),
        st.dictionaries(comparison_keys, st.one_of(scalars, st.lists(scalars, max_size=2))),
    ),
    max_size=2,
)
conditions = st.recursive(
    compare,
    lambda inner: st.one_of(
        st.fixed_dictionaries({"not": inner}),
        st.fixed_dictionaries({"all": st.lists(inner, max_size=2)}),
        st.fixed_dictionaries({"any": st.one_of(st.lists(inner, max_size=2), inner)}),
    ),
    max_leaves=5,
)
question = st.fixed_dictionaries(
    {"type": st.sampled_from([*TYPES, "likret", 3]), "id": ids, "label": texts},
    optional={
        "required": bools,
        "show_if": st.one_of(conditions, json_values),
        "choices": st.one_of(st.lists(option, max_size=4), json_values),
        "scale": st.one_of(st.sampled_from(["agree", "agre", "x"]), scale, json_values),
        "allow_na": bools,
        "min": small_ints,
        "max": small_ints,
        "min_selections": small_ints,
        "max_selections": small_ints,
        "integer": bools,
        "long": bools,
        "max_length": small_ints,
        "measures": ids,
        "help": texts,
        "then_label": texts,
        "colour": json_values,
    },
)
documents = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"id": st.sampled_from(["s", "S s", "post-seminar"]), "title": texts},
        optional={
            "languages": st.lists(langs, max_size=3),
            "scales": st.dictionaries(st.sampled_from(["agree", "x", "Agree"]), scale, max_size=2),
            "questions": st.lists(question, max_size=5),
            "sections": st.lists(
                st.fixed_dictionaries(
                    {"questions": st.lists(question, max_size=3)},
                    optional={"title": texts, "intro": texts, "id": ids},
                ),
                max_size=2,
            ),
            "anonymous": bools,
            "thank_you": texts,
            "titel": texts,
        },
    ),
)


label_texts = st.one_of(
    st.text(min_size=1, max_size=6).filter(str.strip),
    st.fixed_dictionaries({"en": st.just("E"), "nl": st.just("N")}),
)


def _condition_on(question: dict[str, Any], draw: Any) -> dict[str, Any]:
    qid, kind = question["id"], question["type"]
    if kind in ("single_choice", "multi_choice"):
        ids = question["choices"]
        condition: dict[str, Any] = draw(
            st.sampled_from([{qid: ids[0]}, {qid: ids}, {qid: {"ne": ids[-1]}}])
        )
    elif kind == "likert":
        condition = {qid: draw(st.sampled_from(["lo", "hi", ["lo", "mid"]]))}
    elif kind in ("rating", "number"):
        op = draw(st.sampled_from(["gt", "ge", "lt", "le", "eq"]))
        condition = {qid: {op: draw(st.integers(-3, 12))}}
    elif kind == "yes_no":
        condition = {qid: draw(st.booleans())}
    elif kind == "text":
        condition = {qid: "x"}
    else:
        condition = {qid: {"answered": draw(st.booleans())}}
    return draw(st.sampled_from([condition, {"not": condition}, {"any": [condition, condition]}]))


@st.composite
def valid_documents(draw: Any) -> dict[str, Any]:
    """Survey documents that are valid by construction: every type, conditions, sections."""
    questions: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(TYPES))
        question: dict[str, Any] = {"type": kind, "id": f"q{i}", "label": draw(label_texts)}
        if kind in ("single_choice", "multi_choice"):
            choices = draw(st.lists(st.sampled_from("abcd"), min_size=1, max_size=4, unique=True))
            question["choices"] = choices
            if kind == "multi_choice":
                top = draw(st.integers(1, len(choices)))
                question["max_selections"] = top
                question["min_selections"] = draw(st.integers(0, top))
        elif kind in ("likert", "then_now"):
            question["scale"] = draw(
                st.sampled_from(["agree", {"points": ["lo", "mid", "hi"], "na": "dk"}])
            )
            question["allow_na"] = draw(st.booleans())
        elif kind == "rating":
            low = draw(st.integers(-5, 5))
            question.update(min=low, max=draw(st.integers(low + 1, low + 100)))
        elif kind == "number":
            low = draw(st.one_of(st.none(), st.integers(-5, 5)))
            if low is not None:
                question["min"] = low
            question["integer"] = draw(st.booleans())
        elif kind == "text":
            question.update(long=draw(st.booleans()), max_length=draw(st.integers(1, 50)))
        if kind != "note":
            question["required"] = draw(st.booleans())
        if questions and draw(st.booleans()):
            question["show_if"] = _condition_on(draw(st.sampled_from(questions)), draw)
        questions.append(question)
    document: dict[str, Any] = {
        "id": "generated",
        "title": {"en": "Generated", "nl": "Gemaakt"},
        "languages": ["en", "nl"],
        "scales": {"agree": {"points": ["lo", "mid", "hi"], "na": "dk"}},
    }
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(questions)))
        parts = [questions[:cut], questions[cut:]]
        document["sections"] = [{"title": "Part", "questions": part} for part in parts if part]
    else:
        document["questions"] = questions
    return document


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*path, i))
    return found


@st.composite
def mutated_documents(draw: Any) -> Any:
    """A valid document with one part replaced, misspelt, removed, or given a stray key."""
    document = draw(valid_documents())
    action = draw(st.sampled_from(["replace", "remove", "stray", "typo"]))
    paths = _paths(document)[1:]
    if action == "typo":  # a misspelt name: a type, an id, a scale, a choice or a condition
        paths = [p for p in paths if p[-1] in ("type", "id", "scale", "choices") or "show_if" in p]
    path = draw(st.sampled_from(paths))
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    if action == "typo":
        value = parent[path[-1]]
        parent[path[-1]] = f"{value}x" if isinstance(value, str | int) else "x"
    elif action == "replace":
        parent[path[-1]] = draw(st.one_of(json_values, ids, texts))
    elif action == "remove":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.sampled_from(["lable", "colour", "choice", "show_iff"]))] = 1
    return document


@FAST
@given(document=valid_documents(), data=st.data())
def test_generated_valid_surveys_load_and_check_answers(document, data):
    survey = parse_survey(SurveyDocument(document, "generated.yaml"))
    assert Survey.model_validate(survey.canonical()).version == survey.version
    answers = _valid_answers(survey, data.draw)
    assert answer_problems(survey, answers) == []
    answer_problems(survey, data.draw(answer_maps))


@FAST
@given(document=mutated_documents(), answers=answer_maps)
def test_mutated_survey_documents_give_survey_errors_never_a_crash(document, answers):
    try:
        survey = parse_survey(SurveyDocument(document, "mutated.yaml"))
    except SurveyError as exc:
        assert exc.problems
        assert str(exc).startswith("mutated.yaml")
        return
    assert Survey.model_validate(survey.canonical()).version == survey.version
    answer_problems(survey, answers)


@settings(max_examples=200, deadline=None)
@given(document=documents, answers=answer_maps)
def test_random_survey_documents_give_survey_errors_never_a_crash(document, answers):
    try:
        survey = parse_survey(SurveyDocument(document, "random.yaml"))
    except SurveyError as exc:
        assert exc.problems
        assert all(isinstance(p.message, str) and p.message for p in exc.problems)
        assert str(exc).startswith("random.yaml")
        return
    # a survey that loads has a stable version, and any answers to it give problems at most
    again = Survey.model_validate(survey.canonical())
    assert again.version == survey.version
    answer_problems(survey, answers)
    survey.visible(answers)


# -- through the engine --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    project: Path = tmp_path_factory.mktemp("project")
    (project / "surveys").mkdir()
    (project / "surveys" / "props.yaml").write_text(SURVEY, encoding="utf-8")
    engine = open_engine(project)
    engine.store.upsert_event({"id": "hague-2011", "title": "Good practice exchange"})
    yield engine
    engine.close()


envelopes = st.fixed_dictionaries(
    {"survey": st.just("props"), "event": st.just("hague-2011"), "answers": answer_maps},
    optional={
        "channel": st.sampled_from(["kiosk", "web", "Kiosk"]),
        "language": st.sampled_from(["en", "nl", "fr", "E"]),
        "submitted": st.sampled_from(["2011-01-26", "yesterday", "2011-01-26T10:00:00"]),
        "survey_version": st.sampled_from(["0" * 16, "nope"]),
        "extra": json_values,
    },
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=envelopes)
def test_random_submissions_are_stored_or_refused_never_a_crash(engine, item):
    item = {"id": str(uuid.uuid4()), "channel": "kiosk", "language": "en", **item}
    try:
        assert engine.submit(item) == "stored"
    except ResponseInvalid as exc:
        assert exc.problems
        assert engine.store.stored_hashes([item["id"]]) == {}
