"""``show_if`` conditions: the forms a survey file may use, what they mean, and their errors."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from feedback.conditions import (
    All,
    AnyOf,
    Compare,
    Not,
    ShowIf,
    comparisons,
    parse_condition,
)


def holds(raw: dict, answers: dict) -> bool:
    return parse_condition(raw).evaluate(answers)


# -- forms ---------------------------------------------------------------------------------------


def test_a_plain_value_means_equals():
    assert parse_condition({"role": "mp"}) == Compare("role", "eq", "mp")


def test_a_list_means_one_of():
    assert parse_condition({"role": ["mp", "ngo"]}) == Compare("role", "in", ("mp", "ngo"))


def test_several_keys_must_all_hold():
    condition = parse_condition({"role": "mp", "age": {"ge": 18, "lt": 65}})
    assert isinstance(condition, All)
    assert [c.op for c in comparisons(condition)] == ["eq", "ge", "lt"]


def test_logical_forms_nest():
    condition = parse_condition(
        {"any": [{"role": "mp"}, {"all": [{"role": "ngo"}, {"not": {"country": "NL"}}]}]}
    )
    assert isinstance(condition, AnyOf)
    assert isinstance(condition.items[1], All)
    assert isinstance(condition.items[1].items[1], Not)
    assert [c.question for c in comparisons(condition)] == ["role", "role", "country"]


# -- meaning -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "answers", "expected"),
    [
        ({"role": "mp"}, {"role": "mp"}, True),
        ({"role": "mp"}, {"role": "ngo"}, False),
        ({"role": ["mp", "ngo"]}, {"role": "ngo"}, True),
        ({"role": ["mp", "ngo"]}, {"role": "other"}, False),
        ({"role": {"ne": "mp"}}, {"role": "ngo"}, True),
        ({"role": {"not_in": ["mp", "ngo"]}}, {"role": "other"}, True),
        ({"role": {"not_in": ["mp", "ngo"]}}, {"role": "mp"}, False),
        ({"age": {"gt": 17}}, {"age": 18}, True),
        ({"age": {"gt": 18}}, {"age": 18}, False),
        ({"age": {"ge": 18}}, {"age": 18}, True),
        ({"age": {"lt": 18}}, {"age": 17.5}, True),
        ({"age": {"le": 18}}, {"age": 18.5}, False),
        ({"age": {"ge": 18, "le": 65}}, {"age": 70}, False),
        ({"again": True}, {"again": True}, True),
        ({"again": True}, {"again": False}, False),
        ({"score": 1}, {"score": 1.0}, True),
    ],
)
def test_comparisons(raw, answers, expected):
    assert holds(raw, answers) is expected


def test_an_unanswered_question_makes_a_comparison_false_and_its_negation_true():
    for raw in ({"role": "mp"}, {"role": {"ne": "mp"}}, {"age": {"lt": 100}}):
        assert holds(raw, {}) is False
        assert holds(raw, {"role": None, "age": None}) is False
        assert holds({"not": raw}, {}) is True


def test_answered_asks_for_an_answer_explicitly():
    assert holds({"q": {"answered": True}}, {"q": "anything"}) is True
    assert holds({"q": {"answered": True}}, {}) is False
    assert holds({"q": {"answered": False}}, {}) is True
    assert holds({"q": {"answered": False}}, {"q": None}) is True
    assert holds({"q": {"answered": False}}, {"q": {"then": "a", "now": "b"}}) is False


def test_a_yes_answer_is_not_the_number_one():
    assert holds({"q": 1}, {"q": True}) is False
    assert holds({"q": True}, {"q": 1}) is False
    assert holds({"q": [0, 1]}, {"q": False}) is False


def test_numeric_comparison_with_a_non_number_answer_is_false():
    assert holds({"q": {"gt": 0}}, {"q": "5"}) is False
    assert holds({"q": {"gt": 0}}, {"q": True}) is False


def test_multi_choice_equals_means_ticked_and_in_means_any_ticked():
    ticked = {"topics": ["law", "data"]}
    assert holds({"topics": "law"}, ticked) is True
    assert holds({"topics": "care"}, ticked) is False
    assert holds({"topics": ["care", "data"]}, ticked) is True
    assert holds({"topics": {"ne": "law"}}, ticked) is False
    assert holds({"topics": {"not_in": ["care", "x"]}}, ticked) is True
    assert holds({"topics": "law"}, {"topics": []}) is False


def test_all_any_not():
    answers = {"role": "mp", "age": 40}
    assert holds({"all": [{"role": "mp"}, {"age": {"ge": 18}}]}, answers) is True
    assert holds({"all": [{"role": "mp"}, {"age": {"ge": 50}}]}, answers) is False
    assert holds({"any": [{"role": "ngo"}, {"age": {"ge": 18}}]}, answers) is True
    assert holds({"any": [{"role": "ngo"}, {"age": {"ge": 50}}]}, answers) is False
    assert holds({"not": {"role": "mp"}}, answers) is False


# -- round trip ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        {"role": "mp"},
        {"role": ["mp", "ngo"]},
        {"role": "mp", "age": {"ge": 18}},
        {"any": [{"role": "mp"}, {"not": {"age": {"answered": True}}}]},
    ],
)
def test_the_stored_form_reads_back_to_the_same_condition(raw):
    adapter = TypeAdapter(ShowIf)
    condition = adapter.validate_python(raw)
    stored = adapter.dump_python(condition, mode="json")
    assert adapter.validate_python(stored) == condition


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "show_if: expected a mapping of question id to value"),
        ("role", "show_if: expected a mapping of question id to value"),
        ({"age": {"gte": 18}}, "show_if.age.gte: unknown comparison 'gte'"),
        ({"age": {"gte": 18}}, "did you mean 'gt'?"),
        ({"age": {}}, "show_if.age: expected one of eq, ne"),
        (
            {"age": {"gt": "old"}},
            "show_if.age.gt: expected a number or a date (YYYY-MM-DD), found 'old'",
        ),
        ({"age": {"gt": True}}, "show_if.age.gt: expected a number"),
        ({"role": {"in": "mp"}}, "show_if.role.in: expected a non-empty list"),
        ({"role": []}, "show_if.role: expected a non-empty list"),
        ({"role": [["mp"]]}, "expected a non-empty list of values"),
        ({"role": {"eq": None}}, "show_if.role.eq: expected a single value"),
        ({"role": {"eq": {"x": 1}}}, "expected a single value"),
        ({"q": {"answered": "yes"}}, "show_if.q.answered: expected true or false"),
        ({"any": []}, "show_if.any: expected a non-empty list of conditions"),
        ({"all": {"role": "mp"}}, "show_if.all: expected a non-empty list of conditions"),
        ({"any": [{"role": "mp"}, {}]}, "show_if.any[1]: expected a mapping"),
        ({"not": {"age": {"gt": "x"}}}, "show_if.not.age.gt: expected a number"),
    ],
)
def test_errors_name_the_part_that_is_wrong(raw, message):
    with pytest.raises(ValueError) as info:
        parse_condition(raw)
    assert message in str(info.value)
