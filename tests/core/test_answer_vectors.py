"""One answer parser per question type, the same in Python and in the forms' JavaScript.

Every case of tests/data/answer_vectors.json (a question, what was typed or given, the stored
value or the error's key) is run through `QuestionBase.parse` and, in headless Chromium, through
``FeedbackAnswers.parse`` of feedback/static/js/answers.js, which the web form and the offline form
both load. The web form, the offline form and an import therefore store the same value for "2.0",
"1e3" or " 3 ".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from helpers import chromium_browser, make_response, query
from pydantic import TypeAdapter

from feedback.engine import Engine
from feedback.question_types import AnswerError
from feedback.questions import BUILTIN_QUESTION_TYPES, Question, QuestionBase, field_defaults

VECTORS = json.loads(
    (Path(__file__).parent.parent / "data" / "answer_vectors.json").read_text(encoding="utf-8")
)
CASES: list[dict[str, Any]] = VECTORS["cases"]
QUESTIONS: dict[str, dict[str, Any]] = VECTORS["questions"]
ANSWERS_JS = resources.files("feedback") / "static" / "js" / "answers.js"


def question(name: str) -> QuestionBase:
    return TypeAdapter(Question).validate_python(QUESTIONS[name])  # type: ignore[no-any-return]


def outcome(case: dict[str, Any]) -> dict[str, Any]:
    """What a case expects, in the shape both parsers' results are put in."""
    if "error" in case:
        found: dict[str, Any] = {"error": case["error"]}
        if "params" in case:
            found["params"] = case["params"]
        return found
    return {"value": case["value"]}


def python_outcome(case: dict[str, Any]) -> dict[str, Any]:
    try:
        value = question(case["question"]).parse(case["raw"])
    except AnswerError as exc:
        found: dict[str, Any] = {"error": exc.key}
        if "params" in case:
            found["params"] = exc.params
        assert str(exc), case  # a message for a participant, whatever the key
        return found
    return {"value": value}


def same(found: dict[str, Any], expected: dict[str, Any]) -> bool:
    """Equal, a number's type apart only where JSON keeps none: 2 and 2.0 are told apart."""
    if found != expected:
        return False
    value, wanted = found.get("value"), expected.get("value")
    return type(value) is type(wanted) or not isinstance(wanted, int | float)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['question']}:{c['raw']!r}")
def test_python_parses_each_case_as_the_vectors_say(case: dict[str, Any]) -> None:
    found = python_outcome(case)
    assert same(found, outcome(case)), (case, found)


def test_every_parsed_value_is_a_valid_answer_and_parses_to_itself() -> None:
    for case in CASES:
        if case.get("value") is None:
            continue
        q = question(case["question"])
        value = q.parse(case["raw"])
        assert q.check(value) is None, case
        assert q.parse(value) == value, case  # an import of a stored answer keeps it
        assert q.parse(q.raw(value)) == value, case  # what a form shows reads back the same


def test_the_vectors_cover_every_built_in_type_and_every_error_key() -> None:
    covered = {QUESTIONS[c["question"]]["type"] for c in CASES}
    assert covered == {q.model_fields["type"].default for q in BUILTIN_QUESTION_TYPES}
    keys = {c["error"] for c in CASES if "error" in c}
    assert keys == {
        "expected_number",
        "expected_whole",
        "between",
        "at_least",
        "at_most",
        "select_between",
        "too_long",
        "one_line",
        "both_rows",
        "choose",
        "yes_or_no",
        "invalid",
        "expected_date",
        "no_such_date",
        "date_between",
        "date_from",
        "date_until",
    }


def test_an_answer_error_is_worded_in_the_participants_language() -> None:
    with pytest.raises(AnswerError) as info:
        question("number_range").parse("11")
    words = {"between": "Kies een getal van {min} tot {max}."}
    assert info.value.worded(words) == "Kies een getal van 0.5 tot 10."
    assert info.value.worded({}) == "enter a number from 0.5 to 10"


def test_javascript_parses_each_case_as_python_does() -> None:
    defaults = field_defaults(BUILTIN_QUESTION_TYPES)
    # the forms get each question as the survey's canonical definition holds it
    canonical = {
        name: question(name).model_dump(mode="json", exclude_defaults=True) for name in QUESTIONS
    }
    with chromium_browser() as browser:
        page = browser.new_page()
        try:
            page.set_content("<!doctype html><title>answers</title>")
            page.add_script_tag(content=ANSWERS_JS.read_text(encoding="utf-8"))
            found = page.evaluate(
                """([questions, cases, defaults]) => cases.map(c => {
                  try {
                    const value = FeedbackAnswers.parse(questions[c.question], c.raw,
                      {defaults: defaults, scales: {}});
                    return {value: value === undefined ? null : value};
                  } catch (e) {
                    if (!(e instanceof FeedbackAnswers.AnswerError)) return {thrown: String(e)};
                    if (!e.message) return {thrown: "no message"};
                    return "params" in c ? {error: e.key, params: e.params} : {error: e.key};
                  }
                })""",
                [canonical, CASES, defaults],
            )
        finally:
            page.close()
    wrong = [
        (case, mine)
        for case, mine in zip(CASES, found, strict=True)
        if mine != outcome(case) or mine != python_outcome(case)
    ]
    assert wrong == []


IMPORTED = """\
id: imported
title: Imported
questions:
  - {id: hours, type: number, label: Hours}
  - {id: people, type: number, integer: true, label: People}
  - {id: score, type: rating, min: 1, max: 5, label: Score}
  - {id: topics, type: multi_choice, choices: [law, data, care], label: Topics}
  - {id: again, type: yes_no, label: Again}
  - {id: name, type: text, label: Name}
  - {id: note, type: text, label: Note}
"""


def test_an_import_stores_what_the_forms_store(
    make_engine: Callable[..., Engine], project: Path
) -> None:
    (project / "surveys" / "imported.yaml").write_text(IMPORTED, encoding="utf-8")
    engine = make_engine()
    given = {
        "hours": 2.0,
        "people": " 3 ",
        "score": "4.0",
        "topics": "law;data",
        "again": "yes",
        "name": " Ann ",
        "note": "   ",
    }
    response = make_response("imported", given)
    assert engine.submit(response) == "stored"
    [(answers,)] = query(engine.settings.db_path, "SELECT answers FROM responses")
    stored = json.loads(answers)
    expected = {
        "hours": 2,
        "people": 3,
        "score": 4,
        "topics": ["law", "data"],
        "again": True,
        "name": "Ann",
    }  # the blank note is no answer
    assert stored == expected
    assert answers == (
        '{"again":true,"hours":2,"name":"Ann","people":3,"score":4,"topics":["law","data"]}'
    )
    assert engine.submit(response) == "already_stored"  # sent again: the same response
    # the stored answers, imported again (an export re-imported), are kept as they are
    assert engine.submit(make_response("imported", stored)) == "stored"
    [_, (again,)] = query(engine.settings.db_path, "SELECT answers FROM responses ORDER BY rowid")
    assert again == answers
