"""The survey model: question types, sections, texts, scales, and the version of a definition."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import open_engine

import feedback_formats
from feedback.engine import shipped_surveys_dir
from feedback.errors import SurveyError
from feedback.loading import SurveyDocument, parse_survey
from feedback.survey import Survey

ALL_TYPES = """
id: all-types
title: Every question type
scales:
  agree5:
    points: [strongly_disagree, disagree, neutral, agree, strongly_agree]
    na: {id: dont_know, label: "Don't know"}
questions:
  - {type: single_choice, id: role, label: Role, choices: [mp, ngo, {id: other, label: Else}]}
  - {type: multi_choice, id: topics, label: Topics, choices: [a, b, c], max_selections: 2}
  - {type: likert, id: useful, label: Useful, scale: agree5, measures: usefulness}
  - {type: then_now, id: skill, label: Skill, scale: agree5, then_label: Before, now_label: Now}
  - {type: rating, id: score, label: Score, min: 1, max: 5}
  - {type: yes_no, id: again, label: "Again?"}
  - {type: number, id: age, label: Age, min: 16, max: 120, integer: true}
  - {type: text, id: comment, label: Comment, long: true, max_length: 500}
  - {type: note, id: thanks, label: Thank you}
"""


def load(text: str, source: str = "survey.yaml") -> Survey:
    data, positions = feedback_formats.read_yaml(text)
    return parse_survey(SurveyDocument(data, source, positions))


def load_data(data: dict[str, Any]) -> Survey:
    return parse_survey(SurveyDocument(copy.deepcopy(data)))


# -- question types ----------------------------------------------------------------------------


def test_every_builtin_type_loads_as_its_own_kind():
    survey = load(ALL_TYPES)
    assert [q.type for q in survey.all_questions()] == [
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
    assert survey.question("topics").max_selections == 2
    assert survey.question("age").integer is True
    assert survey.question("comment").long is True


def test_an_option_given_by_id_alone_is_labelled_from_the_id():
    survey = load(ALL_TYPES)
    role = survey.question("role")
    assert [c.text("en") for c in role.choices] == ["Mp", "Ngo", "Else"]
    scale = survey.question("useful").resolved_scale
    assert scale.points[0].text("en") == "Strongly disagree"


def test_likert_na_point_is_kept_apart_from_the_scale():
    survey = load(ALL_TYPES)
    useful = survey.question("useful")
    scale = useful.resolved_scale
    assert scale.ids() == ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]
    assert scale.score("agree") == 4
    assert scale.score("dont_know") is None
    assert useful.point_ids()[-1] == "dont_know"


def test_allow_na_false_hides_the_na_point():
    text = ALL_TYPES.replace("scale: agree5, measures", "scale: agree5, allow_na: false, measures")
    useful = load(text).question("useful")
    assert "dont_know" not in useful.point_ids()
    assert useful.check("dont_know") is not None


def test_a_scale_can_be_written_inline():
    survey = load_data(
        {
            "id": "s",
            "title": "T",
            "questions": [
                {"type": "likert", "id": "q", "label": "Q", "scale": {"points": ["lo", "hi"]}}
            ],
        }
    )
    assert survey.question("q").point_ids() == ["lo", "hi"]


def test_measures_finds_tagged_items():
    survey = load(ALL_TYPES)
    assert [q.id for q in survey.measures("usefulness")] == ["useful"]
    assert survey.measures("nothing") == []


def test_anonymous_defaults_to_true_and_can_be_turned_off():
    assert load(ALL_TYPES).anonymous is True
    text = ALL_TYPES.replace("title: Every", "anonymous: false\ntitle: Every")
    assert load(text).anonymous is False


def test_sections_hold_titles_intro_and_questions():
    survey = load(
        """
id: s
title: T
sections:
  - id: about
    title: About you
    intro: A few questions about you.
    questions:
      - {type: single_choice, id: role, label: Role, choices: [mp, ngo]}
  - title: The seminar
    questions:
      - {type: yes_no, id: again, label: "Again?", show_if: {role: mp}}
"""
    )
    sections = survey.section_list()
    assert [s.title for s in sections] == ["About you", "The seminar"]
    assert sections[0].intro == "A few questions about you."
    assert [q.id for q in survey.all_questions()] == ["role", "again"]
    assert [q.id for q in survey.visible({"role": "ngo"})] == ["role"]
    assert [q.id for q in survey.visible({"role": "mp"})] == ["role", "again"]


def test_an_answer_left_on_a_hidden_question_hides_what_depends_on_it():
    survey = load(
        """
id: s
title: T
questions:
  - {type: single_choice, id: role, label: Role, choices: [mp, ngo]}
  - {type: yes_no, id: network, label: Network, show_if: {role: mp}}
  - {type: text, id: how, label: How, show_if: {network: true}}
"""
    )
    # the participant said mp, yes; then went back and changed the role
    answers = {"role": "ngo", "network": True}
    assert [q.id for q in survey.visible(answers)] == ["role"]
    assert [q.id for q in survey.visible({**answers, "role": "mp"})] == ["role", "network", "how"]


def test_a_flat_question_list_is_one_untitled_section():
    survey = load(ALL_TYPES)
    (section,) = survey.section_list()
    assert section.title is None
    assert len(section.questions) == 9


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ({"type": "note", "id": "n", "label": "N", "required": True}, "questions[0].required"),
        ({"type": "rating", "id": "r", "label": "R", "min": 5, "max": 5}, "questions[0]"),
        ({"type": "rating", "id": "r", "label": "R", "min": 0, "max": 1000}, "within 100 points"),
        ({"type": "number", "id": "n", "label": "N", "min": 5, "max": 1}, "expected min <= max"),
        (
            {
                "type": "multi_choice",
                "id": "m",
                "label": "M",
                "choices": ["a"],
                "max_selections": 2,
            },
            "number of choices (1)",
        ),
        ({"type": "text", "id": "t", "label": "T", "max_length": 0}, "questions[0].max_length"),
        ({"type": "single_choice", "id": "c", "label": "C", "choices": []}, "at least 1 item"),
        ({"type": "single_choice", "id": "c", "label": "C", "choices": ["a", "a"]}, "'a' appears"),
        (
            {"type": "likert", "id": "l", "label": "L", "scale": {"points": ["a", "b"], "na": "a"}},
            "the N/A point 'a' is also a point",
        ),
    ],
)
def test_impossible_question_settings_are_load_errors(question, expected):
    with pytest.raises(SurveyError) as info:
        load_data({"id": "s", "title": "T", "questions": [question]})
    assert expected in str(info.value)


def test_exactly_one_of_questions_or_sections():
    with pytest.raises(SurveyError, match="either 'questions' or 'sections'"):
        load_data({"id": "s", "title": "T"})
    note = {"type": "note", "id": "n", "label": "N"}
    with pytest.raises(SurveyError, match="either 'questions' or 'sections'"):
        load_data(
            {"id": "s", "title": "T", "questions": [note], "sections": [{"questions": [note]}]}
        )


# -- texts and languages ------------------------------------------------------------------------


def test_texts_are_plain_or_per_language():
    survey = load(
        """
id: s
title: {en: Feedback, fr: Avis}
languages: [en, fr]
questions:
  - {type: yes_no, id: again, label: {en: "Again?", fr: "Encore ?"}, help: "OK / OK"}
"""
    )
    assert survey.text(survey.title) == "Feedback"
    assert survey.text(survey.title, "fr") == "Avis"
    again = survey.question("again")
    assert survey.text(again.label, "fr") == "Encore ?"
    assert survey.text(again.help, "fr") == "OK / OK"


# -- version ------------------------------------------------------------------------------------

BASE = """
id: s
title: T
scales:
  agree3: {points: [disagree, neutral, agree]}
questions:
  - {type: single_choice, id: role, label: Role, choices: [mp, ngo]}
  - {type: likert, id: useful, label: Useful, scale: agree3}
  - {type: text, id: why, label: "Why?", show_if: {role: mp}}
"""

REFORMATTED = """
# The same survey, written differently: block style, other key order, defaults spelled out.
questions:
  - label: Role
    type: single_choice
    choices:
      - id: mp
        label: null
      - {id: ngo}
    required: false
    id: role
  - id: useful
    type: likert
    scale: agree3
    allow_na: true
    reverse: false
    label: "Useful"
  - type: text
    id: why
    label: 'Why?'
    long: false
    max_length: 2000
    show_if:
      role: {eq: mp}
languages: [en]
anonymous: true
scales:
  agree3:
    points:
      - disagree
      - neutral
      - agree
title: T
id: s
"""


def test_version_ignores_formatting_key_order_and_explicit_defaults():
    assert load(REFORMATTED).version == load(BASE).version


def test_version_is_the_same_from_json():
    data, _ = feedback_formats.read_yaml(BASE)
    data_json, _ = feedback_formats.read_json(json.dumps(data, indent=2))
    assert load_data(data_json).version == load(BASE).version


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("label: Role", "label: Your role"),
        ("choices: [mp, ngo]", "choices: [ngo, mp]"),
        ("show_if: {role: mp}", "show_if: {role: ngo}"),
        ("title: T", "title: T2"),
        ("type: single_choice", "type: multi_choice"),
        (
            "id: useful, label: Useful, scale: agree3",
            "id: useful, label: Useful, scale: agree3, required: true",
        ),
    ],
)
def test_version_changes_with_the_content(old, new):
    assert old in BASE
    assert load(BASE.replace(old, new)).version != load(BASE).version


def test_canonical_form_reads_back_to_the_same_survey():
    survey = load(ALL_TYPES)
    again = Survey.model_validate(json.loads(json.dumps(survey.canonical())))
    assert again.version == survey.version
    assert [q.type for q in again.all_questions()] == [q.type for q in survey.all_questions()]


def test_canonical_form_keeps_show_if_and_sections():
    survey = load(
        """
id: s
title: T
sections:
  - title: A
    questions:
      - {type: rating, id: r, label: R}
      - {type: text, id: t, label: T, show_if: {any: [{r: {ge: 8}}, {not: {r: [1, 2]}}]}}
"""
    )
    again = Survey.model_validate(survey.canonical())
    assert again.version == survey.version
    condition = again.question("t").show_if
    assert condition.evaluate({"r": 9}) and condition.evaluate({"r": 5})
    assert not condition.evaluate({"r": 1})


def test_shipped_surveys_load(tmp_path: Path):
    directory = shipped_surveys_dir()
    files = [p for p in sorted(directory.glob("*")) if p.suffix in (".yaml", ".yml", ".json")]
    if not files:
        pytest.skip("no shipped surveys yet")
    engine = open_engine(tmp_path)
    for path in files:
        assert engine.read_survey(path).all_questions()
