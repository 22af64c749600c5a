"""Loading a survey file: every problem is reported at once, with file, line, column, dotted path,
what was expected and, for an unknown name, "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import open_engine

from feedback.engine import Engine
from feedback.errors import SurveyError
from feedback.loading import SurveyDocument, parse_survey
from feedback.survey import Survey

HEAD = """\
id: s
title: T
scales:
  agree5:
    points: [a, b, c, d, e]
questions:
"""


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_engine(tmp_path)


@pytest.fixture
def read(engine: Engine, tmp_path: Path):
    """Write a survey file and read it as a user would; return the survey."""

    def read(text: str, name: str = "survey.yaml") -> Survey:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return engine.read_survey(path)

    return read


@pytest.fixture
def errors(read, tmp_path: Path):
    """Read a survey file that must fail; return its error lines, the folder name left out."""

    def errors(text: str, name: str = "survey.yaml") -> list[str]:
        with pytest.raises(SurveyError) as info:
            read(text, name)
        return [line.replace(f"{tmp_path}/", "") for line in str(info.value).splitlines()]

    return errors


def test_a_valid_file_loads(read):
    survey = read(HEAD + "  - {type: likert, id: q1, label: Q1, scale: agree5}\n")
    assert survey.question("q1").point_ids() == ["a", "b", "c", "d", "e"]


def test_unknown_key_names_file_line_column_path_and_suggestion(errors):
    lines = errors(
        HEAD
        + """\
  - type: likert
    id: q1
    lable: Q1
    scale: agree5
"""
    )
    assert (
        "survey.yaml:9:5: questions[0].lable: unknown key 'lable'; did you mean 'label'?" in lines
    )


def test_unknown_key_far_from_any_name_lists_the_allowed_keys(errors):
    lines = errors(HEAD + "  - {type: yes_no, id: q, label: Q, colour: red}\n")
    (line,) = [x for x in lines if "colour" in x]
    assert "questions[0].colour: unknown key 'colour'" in line
    assert "expected one of: type, id, label, help, required, show_if, measures" in line


def test_unknown_top_level_key(errors):
    lines = errors("id: s\ntitel: T\nquestions: [{type: note, id: n, label: N}]\n")
    assert "survey.yaml:2:1: titel: unknown key 'titel'; did you mean 'title'?" in lines


def test_unknown_question_type_suggests_the_closest(errors):
    (line,) = errors(HEAD + "  - {type: likret, id: q1, label: Q1, scale: agree5}\n")
    assert line.startswith("survey.yaml:7:5: questions[0]: unknown question type 'likret'")
    assert "did you mean 'likert'?" in line
    assert "single_choice" in line  # what was expected


def test_missing_type_lists_the_types(errors):
    (line,) = errors(HEAD + "  - {id: q1, label: Q1}\n")
    assert line.startswith("survey.yaml:7:5: questions[0]: missing 'type'")
    for name in ("single_choice", "likert", "then_now", "note"):
        assert name in line


def test_error_names_only_the_chosen_question_type(errors):
    (line,) = errors(HEAD + "  - {type: yes_no, id: q1, label: Q1, scale: agree5}\n")
    assert "questions[0].scale: unknown key 'scale'" in line


def test_unknown_scale_suggests_the_closest(errors):
    (line,) = errors(HEAD + "  - {type: likert, id: q1, label: Q1, scale: agre5}\n")
    assert line.startswith("survey.yaml:7:")
    assert "questions[0].scale: unknown scale 'agre5'" in line
    assert "did you mean 'agree5'?" in line


def test_path_inside_sections_includes_list_indexes(errors):
    lines = errors(
        """\
id: s
title: T
sections:
  - title: One
    questions:
      - {type: note, id: n, label: N}
  - title: Two
    questions:
      - {type: yes_no, id: a, label: A}
      - type: single_choice
        id: b
        label: B
        choices:
          - {id: x, lable: X}
"""
    )
    assert (
        "survey.yaml:14:21: sections[1].questions[1].choices[0].lable: unknown key 'lable'; "
        "did you mean 'label'?"
    ) in lines


def test_every_problem_is_reported_at_once(errors):
    lines = errors(
        HEAD
        + """\
  - {type: likert, id: q1, label: Q1, scale: agree5, reverse: maybe}
  - {type: rating, id: q2, label: Q2, min: 5, max: 1}
  - {type: text, id: q3, lable: Q3}
"""
    )
    assert any(
        line.startswith("survey.yaml:7:") and "questions[0].reverse" in line for line in lines
    )
    assert any(
        line.startswith("survey.yaml:8:5: questions[1]: expected min < max") for line in lines
    )
    assert any("questions[2].lable" in line for line in lines)


def test_every_semantic_problem_is_reported_at_once(errors):
    lines = errors(
        HEAD
        + """  - {type: likert, id: q1, label: Q1, scale: agre5}
  - {type: likert, id: q1, label: Q2, scale: agree5}
  - {type: yes_no, id: q3, label: Q3, show_if: {q4: true}}
"""
    )
    assert [line.split(": ")[1] for line in lines] == [
        "questions[1].id",
        "questions[0].scale",
        "questions[2].show_if",
    ]


def test_wrong_value_type_says_what_was_expected(errors):
    lines = errors(HEAD + "  - {type: yes_no, id: q, label: Q, required: maybe}\n")
    (line,) = lines
    assert line.startswith("survey.yaml:7:")
    assert "questions[0].required" in line
    assert "boolean" in line and "'maybe'" in line


def test_bad_question_id_says_what_an_id_is(errors):
    (line,) = errors(HEAD + "  - {type: yes_no, id: Again, label: Q}\n")
    assert "questions[0].id: expected an id of lower-case letters" in line
    assert "'Again'" in line


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id", "Post Seminar", "lower-case letters, digits, '_' and '-'"),
        ("languages", "[EN]", "a language code such as 'en'"),
        ("choices", "['a b']", "an id of letters, digits, '_', '.' and '-'"),
    ],
)
def test_bad_ids_say_what_that_kind_of_id_allows(errors, field, value, expected):
    fields = {"id": "s", "languages": "[en]", "choices": "[a]"}
    fields[field] = value
    lines = errors(
        f"id: {fields['id']}\ntitle: T\nlanguages: {fields['languages']}\n"
        f"questions: [{{type: single_choice, id: q, label: Q, choices: {fields['choices']}}}]\n"
    )
    assert len(lines) == 1
    assert expected in lines[0]


def test_choice_ids_may_be_country_codes_and_numbers(read):
    survey = read(
        HEAD + "  - {type: single_choice, id: c, label: C, choices: ['NO', 2011, v1.2]}\n"
    )
    assert survey.question("c").answer_ids() == ["NO", "2011", "v1.2"]


def test_inline_scale_error_is_not_drowned_by_the_named_scale_alternative(errors):
    lines = errors(HEAD + "  - {type: likert, id: q, label: Q, scale: {points: [a]}}\n")
    assert len(lines) == 1
    assert "questions[0].scale.points" in lines[0]
    assert "at least 2" in lines[0]


def test_text_map_with_a_non_text_value_points_at_the_language(errors):
    lines = errors(HEAD + "  - {type: yes_no, id: q, label: {en: 3}}\n")
    assert len(lines) == 1
    assert "questions[0].label.en" in lines[0]


# -- show_if -----------------------------------------------------------------------------------

CHOICE = "  - {type: single_choice, id: role, label: Role, choices: [mp, ngo]}\n"


def test_show_if_unknown_question_suggests_an_earlier_one(errors):
    (line,) = errors(HEAD + CHOICE + "  - {type: yes_no, id: q, label: Q, show_if: {rol: mp}}\n")
    assert line.startswith("survey.yaml:8:")
    assert "questions[1].show_if: unknown question 'rol'; did you mean 'role'?" in line


def test_show_if_forward_reference_is_an_error(errors):
    (line,) = errors(HEAD + "  - {type: yes_no, id: q, label: Q, show_if: {role: mp}}\n" + CHOICE)
    assert "questions[0].show_if: 'role' comes later in the survey" in line
    assert "only to earlier questions" in line


def test_show_if_on_itself_is_an_error(errors):
    (line,) = errors(HEAD + "  - {type: yes_no, id: q, label: Q, show_if: {q: true}}\n")
    assert "questions[0].show_if: 'q' is this question itself" in line


def test_show_if_unknown_choice_suggests_the_closest(errors):
    (line,) = errors(HEAD + CHOICE + "  - {type: yes_no, id: q, label: Q, show_if: {role: mpp}}\n")
    assert "questions[1].show_if: condition on 'role': unknown value 'mpp'" in line
    assert "did you mean 'mp'?" in line


def test_show_if_inside_logical_operators_is_checked(errors):
    (line,) = errors(
        HEAD + CHOICE + "  - {type: yes_no, id: q, label: Q, show_if: {any: [{role: mp}, "
        "{not: {rolle: ngo}}]}}\n"
    )
    assert "unknown question 'rolle'; did you mean 'role'?" in line


def test_show_if_unknown_comparison_suggests_the_closest(errors):
    (line,) = errors(
        HEAD
        + "  - {type: number, id: age, label: Age}\n"
        + "  - {type: yes_no, id: q, label: Q, show_if: {age: {gte: 18}}}\n"
    )
    assert "questions[1].show_if" in line
    assert "unknown comparison 'gte'" in line and "did you mean 'gt'?" in line


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("{role: {gt: 3}}", "'gt' needs a number, rating or date question"),
        ("{age: {ge: old}}", "expected a number"),
        ("{again: 1}", "expected true or false"),
        ("{skill: a}", "cannot be compared; only 'answered' applies"),
        ("{age: {answered: maybe}}", "expected true or false"),
        ("{role: []}", "expected a non-empty list"),
        ("{}", "expected a mapping"),
    ],
)
def test_show_if_comparison_must_fit_the_question(errors, condition, expected):
    lines = errors(
        HEAD
        + CHOICE
        + "  - {type: number, id: age, label: Age}\n"
        + "  - {type: yes_no, id: again, label: Again}\n"
        + "  - {type: then_now, id: skill, label: Skill, scale: agree5}\n"
        + f"  - {{type: text, id: q, label: Q, show_if: {condition}}}\n"
    )
    assert any("questions[4].show_if" in line and expected in line for line in lines), lines


def test_condition_on_a_question_with_an_unknown_scale_reports_only_the_scale(errors):
    lines = errors(
        HEAD
        + "  - {type: likert, id: q1, label: Q1, scale: agre5}\n"
        + "  - {type: yes_no, id: q2, label: Q2, show_if: {q1: a}}\n"
    )
    assert len(lines) == 1
    assert "questions[0].scale: unknown scale 'agre5'" in lines[0]


def test_show_if_answered_works_on_any_question(read):
    survey = read(
        HEAD
        + "  - {type: then_now, id: skill, label: Skill, scale: agree5}\n"
        + "  - {type: text, id: q, label: Q, show_if: {skill: {answered: true}}}\n"
    )
    assert [q.id for q in survey.visible({})] == ["skill"]


# -- ids, languages ----------------------------------------------------------------------------


def test_duplicate_question_id_across_sections(errors):
    lines = errors(
        """\
id: s
title: T
sections:
  - questions: [{type: yes_no, id: q, label: A}]
  - questions: [{type: yes_no, id: q, label: B}]
"""
    )
    assert any("sections[1].questions[0].id: question id 'q' is used twice" in x for x in lines)


@pytest.mark.parametrize("reserved", ["all", "any", "not"])
def test_condition_words_are_not_question_ids(errors, reserved):
    (line,) = errors(HEAD + f"  - {{type: yes_no, id: {reserved}, label: Q}}\n")
    assert f"questions[0].id: '{reserved}' is reserved" in line


def test_missing_translations_are_listed_each_by_path(errors):
    lines = errors(
        """\
id: s
title: {en: Feedback, nl: Evaluatie}
languages: [en, nl]
scales:
  agree2:
    points: [{id: no, label: {en: No}}, {id: yes, label: {en: Yes, nl: Ja}}]
sections:
  - title: {en: About you}
    questions:
      - type: single_choice
        id: role
        label: {nl: Rol}
        choices:
          - {id: mp, label: {en: MP, nl: ""}}
thank_you: {en: Thanks, nl: Dank}
"""
    )
    assert lines == [
        "survey.yaml:6:30: scales.agree2.points[0].label: missing translation: nl",
        "survey.yaml:8:12: sections[0].title: missing translation: nl",
        "survey.yaml:12:16: sections[0].questions[0].label: missing translation: en",
        "survey.yaml:14:29: sections[0].questions[0].choices[0].label: missing translation: nl",
    ]


def test_a_translation_in_an_undeclared_language_suggests_one(errors):
    (line,) = errors(
        "id: s\ntitle: {en: T, nl: T, nld: T}\nlanguages: [en, nl]\n"
        "questions: [{type: note, id: n, label: N}]\n"
    )
    assert "title.nld: language 'nld' is not one of the survey's languages (en, nl)" in line
    assert "did you mean 'nl'?" in line


def test_plain_text_counts_for_every_language(read):
    survey = read(
        "id: s\ntitle: T\nlanguages: [en, nl, fr]\nquestions: [{type: note, id: n, label: N}]\n"
    )
    assert survey.text(survey.title, "fr") == "T"


def test_languages_listed_twice(errors):
    lines = errors(
        "id: s\ntitle: T\nlanguages: [en, en]\nquestions: [{type: note, id: n, label: N}]\n"
    )
    assert any("languages: a language is listed twice" in line for line in lines)


# -- whole-file problems ------------------------------------------------------------------------


def test_empty_file(errors):
    assert errors("") == [
        "survey.yaml: expected a mapping of survey keys, found nothing (an empty file)"
    ]


def test_not_a_mapping(errors):
    assert errors("- a\n- b\n") == ["survey.yaml: expected a mapping of survey keys, found list"]


def test_missing_required_keys(errors):
    lines = errors("questions: [{type: note, id: n, label: N}]\n")
    assert any("id: missing required key 'id'" in line for line in lines)
    assert any("title: missing required key 'title'" in line for line in lines)


def test_missing_file(engine, tmp_path):
    with pytest.raises(SurveyError, match="no such file"):
        engine.read_survey(tmp_path / "nope.yaml")


def test_unknown_suffix(engine, tmp_path):
    path = tmp_path / "survey.toml"
    path.write_text("id = 's'\n")
    with pytest.raises(SurveyError, match=r"no installed plugin reads '\.toml' files"):
        engine.read_survey(path)


def test_parse_survey_without_positions_still_names_the_path():
    data = {"id": "s", "title": "T", "questions": [{"type": "yes_no", "id": "q", "lable": "Q"}]}
    with pytest.raises(SurveyError) as info:
        parse_survey(SurveyDocument(data, "memory"))
    assert "memory: questions[0].lable: unknown key 'lable'; did you mean 'label'?" in str(
        info.value
    )
    assert all(p.line is None for p in info.value.problems)


def test_problems_carry_line_and_column(read):
    with pytest.raises(SurveyError) as info:
        read(HEAD + "  - {type: likert, id: q1, label: Q1, scale: agre5}\n")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (7, 46)
    assert problem.loc == ("questions", 0, "scale")


def test_problems_of_shape_and_of_the_whole_survey_come_in_one_error() -> None:
    """A question of the wrong shape does not hide an unknown scale or a bad condition elsewhere;
    what only follows from the broken question (a condition on it) is not reported."""
    data = {
        "id": "s",
        "title": "T",
        "scales": {"agree3": {"points": ["a", "b", "c"]}},
        "questions": [
            {"type": "likret", "id": "q1", "label": "One"},
            {"type": "likert", "id": "q2", "label": "Two", "scale": "agre3", "colour": "red"},
            {"type": "yes_no", "id": "q3", "label": "Three", "show_if": {"q1": ["a"]}},
            {"type": "yes_no", "id": "q2", "label": "Four", "show_if": {"q9": [True]}},
        ],
    }
    with pytest.raises(SurveyError) as info:
        parse_survey(SurveyDocument(data, "s.yaml"))
    found = {(p.loc, p.message.split(" (")[0].split(";")[0]) for p in info.value.problems}
    assert found == {
        (("questions", 0), "unknown question type 'likret'"),
        (("questions", 1, "colour"), "unknown key 'colour'"),
        (("questions", 1, "scale"), "unknown scale 'agre3'"),
        (("questions", 3, "id"), "question id 'q2' is used twice"),
        (("questions", 3, "show_if"), "unknown question 'q9'"),
    }


def test_a_shape_problem_outside_questions_and_scales_reports_only_itself() -> None:
    data = {"id": "s", "title": 5, "questions": [{"type": "yes_no", "id": "q", "label": "Q"}]}
    with pytest.raises(SurveyError) as info:
        parse_survey(SurveyDocument(data, "s.yaml"))
    assert [p.loc for p in info.value.problems] == [("title",)]
