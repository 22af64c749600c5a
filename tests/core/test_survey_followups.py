"""A follow-up survey declares what it follows and how its answers are linked (issue 15): the
survey says so, or it does not load, with the line of the key that is wrong."""

from __future__ import annotations

import pytest
from test_survey import load

from feedback.errors import SurveyError

FIRST_LINES = """\
id: hague-followup
title: Ninety days on
languages: [en]
"""

QUESTIONS = """\
questions:
  - {id: acted, type: yes_no, label: "Did you contact an NGO since the seminar?"}
  - {id: parent, type: text, label: "The first letter of your mother's first name"}
  - {id: month, type: text, label: "The month you were born (1 to 12)"}
"""


def survey_text(*lines: str) -> str:
    return FIRST_LINES + "".join(f"{line}\n" for line in lines) + QUESTIONS


def test_a_pseudonymous_follow_up_of_personal_links_loads() -> None:
    survey = load(
        survey_text(
            "anonymous: false",
            "linking: pseudonymous",
            "follows: {survey: hague-feedback, wave: day_90, due_days: 90}",
        )
    )
    assert survey.follows is not None
    assert (survey.follows.survey, survey.follows.wave, survey.follows.due_days) == (
        "hague-feedback",
        "day_90",
        90,
    )
    assert survey.linking == "pseudonymous"


def test_an_anonymous_follow_up_links_by_a_self_generated_code() -> None:
    survey = load(
        survey_text(
            "follows: {survey: hague-feedback, wave: day_90, due_days: 90}",
            "self_code: [parent, month]",
        )
    )
    assert survey.self_code == ["parent", "month"]
    assert survey.anonymous


@pytest.mark.parametrize(
    ("lines", "message", "line"),
    [
        (
            ("anonymous: false", "follows: {survey: hague-feedback, wave: day_90, due_days: 90}"),
            "declare linking: pseudonymous",
            5,
        ),
        (("linking: pseudonymous",), "set anonymous: false", 4),
        (("self_code: [parent, acted]",), "question 'acted' is a yes_no question", 4),
        (("self_code: [parent, mnth]",), "unknown question 'mnth'; did you mean 'month'?", 4),
        (("self_code: [parent]",), "at least 2", 4),
        (("anonymous: false", "self_code: [parent, month]"), "self_code is for anonymous", 5),
        (
            ("follows: {survey: hague-followup, wave: day_90, due_days: 90}",),
            "a survey cannot follow itself",
            4,
        ),
        (("follows: {survey: hague-feedback, wave: day_90, due_days: 0}",), "due_days", 4),
        (("linking: secret",), "linking", 4),
    ],
)
def test_a_follow_up_that_does_not_say_how_it_links_is_refused(
    lines: tuple[str, ...], message: str, line: int
) -> None:
    with pytest.raises(SurveyError) as caught:
        load(survey_text(*lines))
    text = str(caught.value)
    assert message in text
    assert f"survey.yaml:{line}:" in text


def test_a_survey_without_follow_up_keys_keeps_its_version() -> None:
    """The new keys have defaults that the canonical form leaves out: no stored version of an
    existing survey changes."""
    plain = load(FIRST_LINES + QUESTIONS)
    assert "follows" not in plain.canonical() and "linking" not in plain.canonical()
