"""LimeSurvey .lss and SurveyJS JSON read as surveys, through ``feedback survey import``.

The data files are a seminar feedback questionnaire in English and French with skip conditions,
written in each tool's own layout: tests/data/lss/seminar-feedback.lss as LimeSurvey 6 exports a
survey structure (the tables and field names of LimeSurvey's own test survey
tests/data/surveys/limesurvey_survey_question_list.lss, github.com/LimeSurvey/LimeSurvey; the
question type codes of manual.limesurvey.org "Question object types"), and
tests/data/surveyjs/seminar-feedback.json as SurveyJS documents its JSON schema
(surveyjs.io/form-library/documentation/design-survey/create-a-simple-survey).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import feedback_foreign_surveys
import feedback_formats
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.errors import SurveyError
from feedback.plugins import make_plugin_manager
from feedback_foreign_surveys.expressions import (
    And,
    Compare,
    ExpressionError,
    Not,
    Or,
    parse_expression,
)

DATA = Path(__file__).parents[2] / "data"
LSS = DATA / "lss" / "seminar-feedback.lss"
SURVEYJS = DATA / "surveyjs" / "seminar-feedback.json"


@pytest.fixture
def feedback_plugins() -> list[Any]:
    return [feedback_foreign_surveys, feedback_formats]


@pytest.fixture
def feedback_entrypoints() -> bool:
    return False


@pytest.fixture
def read(feedback_project: Path) -> Any:
    engine = Engine(
        settings=load_settings(feedback_project),
        pm=make_plugin_manager(False, [feedback_foreign_surveys, feedback_formats]),
    )
    yield engine.read_survey
    engine.close()


def _import(cli: Callable[..., Any], path: Path, *args: str) -> Any:
    return cli("survey", "import", str(path), *args)


@pytest.mark.parametrize("source", [LSS, SURVEYJS], ids=["lss", "surveyjs"])
def test_a_seminar_questionnaire_imports_to_the_expected_survey(
    feedback_cli: Callable[..., Any], feedback_project: Path, read: Any, source: Path
) -> None:
    result = _import(feedback_cli, source)
    assert result.exit_code == 0, result.output
    written = feedback_project / "surveys" / "seminar-feedback.yaml"
    imported = read(written)
    expected = read(source.with_name("seminar-feedback.expected.yaml"))
    assert imported == expected
    assert imported.languages == ["en", "fr"]
    assert "(plugin feedback_foreign_surveys)" in result.output
    # the skip conditions work as the tools meant them
    shown = {q.id for q in imported.visible({"role": "ngo" if source == SURVEYJS else "NGO"})}
    assert "parl" not in shown and "parliament" not in shown
    tell = "tell" if source == SURVEYJS else "more"
    assert tell not in {q.id for q in imported.visible({"colleagues": 0})}


def test_lss_types_options_and_languages(read: Any) -> None:
    survey = read(LSS)
    role = survey.question("role")
    assert role.type == "single_choice" and role.required
    assert [c.id for c in role.choices] == ["MP", "NGO", "RAP", "POL", "OTH"]
    assert role.choices[0].label == {"en": "Member of Parliament", "fr": "Parlementaire"}
    assert [c.id for c in survey.question("topics").choices] == ["LAW", "RAPP", "VICT"]
    assert survey.question("agree_sq001").resolved_scale.ids() == ["A1", "A2", "A3", "A4", "A5"]
    number = survey.question("colleagues")
    assert (number.min, number.max, number.integer) == (0, 500, True)
    assert survey.question("parl").show_if.dump() == {"role": {"eq": "MP"}}
    assert survey.anonymous is True
    assert survey.thank_you == {
        "en": "Thank you for your answers!",
        "fr": "Merci pour vos réponses !",
    }


@pytest.mark.parametrize("name", ["export.xml", "survey.txt", "noextension"])
def test_a_misnamed_limesurvey_file_is_read_by_content(
    read: Any, tmp_path: Path, name: str
) -> None:
    copy = tmp_path / name
    shutil.copy(LSS, copy)
    assert read(copy).question("role").type == "single_choice"


def test_json_is_read_by_the_reader_its_content_needs(
    feedback_cli: Callable[..., Any], read: Any, tmp_path: Path
) -> None:
    misnamed = tmp_path / "form.txt"
    shutil.copy(SURVEYJS, misnamed)
    assert read(misnamed).question("useful").type == "rating"
    ours = tmp_path / "ours.json"
    ours.write_text(
        json.dumps(
            {
                "id": "ours",
                "title": "Ours",
                "questions": [{"id": "q", "type": "text", "label": "Q"}],
            }
        ),
        encoding="utf-8",
    )
    assert feedback_foreign_surveys.load_survey(path=ours) is None
    result = _import(feedback_cli, ours, "-o", str(tmp_path / "ours.yaml"))
    assert result.exit_code == 0, result.output
    assert "feedback's own survey files" in result.output
    assert feedback_foreign_surveys.load_survey(path=tmp_path / "ours.yaml") is None


BOMB = """<?xml version="1.0"?>
<!DOCTYPE document [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<document><LimeSurveyDocType>Survey</LimeSurveyDocType><title>&c;</title></document>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<document><LimeSurveyDocType>Survey</LimeSurveyDocType><title>&secret;</title></document>
"""


@pytest.mark.parametrize("text", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_xml_with_entities_is_refused(
    feedback_cli: Callable[..., Any], feedback_project: Path, tmp_path: Path, text: str
) -> None:
    source = tmp_path / "evil.lss"
    source.write_text(text, encoding="utf-8")
    result = _import(feedback_cli, source)
    assert result.exit_code == 2
    assert "refused: the XML declares a document type, entities or external references" in (
        result.output
    )
    assert "root:" not in result.output
    assert sorted(p.name for p in (feedback_project / "surveys").iterdir()) == ["test-survey.yaml"]


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _lss_problem(tmp_path: Path, old: str, new: str) -> tuple[str, str]:
    text = LSS.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    source = tmp_path / "changed.lss"
    source.write_text(changed, encoding="utf-8")
    with pytest.raises(SurveyError) as caught:
        feedback_foreign_surveys.load_survey(path=source)
    return caught.value.render(), changed


ROLE_ROW = "<qid><![CDATA[100]]></qid>\n    <parent_qid><![CDATA[0]]></parent_qid>"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "<type><![CDATA[N]]></type>\n    <title><![CDATA[COLLEAGUES]]>",
            "<type><![CDATA[R]]></type>\n    <title><![CDATA[COLLEAGUES]]>",
            "question COLLEAGUES (<row> of <questions>, type 'R': ranking): feedback has no "
            "question of this type",
        ),
        (
            "<title><![CDATA[ROLE]]></title>\n    <preg/>\n    <other><![CDATA[N]]>",
            "<title><![CDATA[ROLE]]></title>\n    <preg/>\n    <other><![CDATA[Y]]>",
            "question ROLE (<row> of <questions>, type 'L': list (radio)): has an 'Other' option",
        ),
        (
            '((ROLE.NAOK == "MP"))',
            "sum(ROLE, FIRST) > 1",
            "question PARL (<row> of <questions>, type 'Y': yes/no): relevance 'sum(ROLE, "
            "FIRST) > 1' is not a condition feedback can say (a function ('sum') is more than a "
            "comparison)",
        ),
        (
            '((ROLE.NAOK == "MP"))',
            '((ROLE.NAOK == "XX"))',
            "ROLE has no answer option 'XX'",
        ),
        (
            "How useful was the seminar overall?",
            "How useful was the seminar, {TOKEN:FIRSTNAME}?",
            "the text shows another answer or a participant's details ({TOKEN:FIRSTNAME})",
        ),
    ],
    ids=["ranking", "other", "function", "unknown-code", "piping"],
)
def test_lss_what_cannot_be_carried_over_is_named_with_its_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    message, changed = _lss_problem(tmp_path, old, new)
    assert expected in message
    named = re.search(r": question (\w+) \(<row> of <questions>", message)
    assert named is not None, message
    line = _line_of(changed, f"<title><![CDATA[{named.group(1)}]]>")
    # the line is the <row> of the question named (a few lines above its code)
    assert any(f"changed.lss:{n}: " in message for n in range(line - 20, line + 1)), message


def _lss_colleagues_as_date(tmp_path: Path, date_format: str, date_min: str = "2020-01-01") -> Path:
    """The seminar survey with COLLEAGUES a date/time question, its number attributes made
    LimeSurvey's date attributes, and MORE shown after a date."""
    text = LSS.read_text(encoding="utf-8")
    for old, new in (
        (
            "<type><![CDATA[N]]></type>\n    <title><![CDATA[COLLEAGUES]]>",
            "<type><![CDATA[D]]></type>\n    <title><![CDATA[COLLEAGUES]]>",
        ),
        ("min_num_value_n]]></attribute>\n    <value><![CDATA[0]]>", f"date_min]]></attribute>\n    <value><![CDATA[{date_min}]]>"),
        ("COLLEAGUES > 0 and !is_empty(ROLE)", 'COLLEAGUES >= "2025-01-01"'),
        ("max_num_value_n]]></attribute>\n    <value><![CDATA[500]]>", "date_max]]></attribute>\n    <value><![CDATA[2026-12-31 00:00]]>"),
        ("num_value_int_only]]></attribute>\n    <value><![CDATA[1]]>", f"date_format]]></attribute>\n    <value><![CDATA[{date_format}]]>"),
    ):  # fmt: skip
        assert old in text, old
        text = text.replace(old, new, 1)
    source = tmp_path / "dated.lss"
    source.write_text(text, encoding="utf-8")
    return source


def test_lss_a_date_question_is_a_date_with_its_range(read: Any, tmp_path: Path) -> None:
    """LimeSurvey's D (date/time) asking a date alone: a date question; its fixed date_min and
    date_max (stored as LimeSurvey stores them, a time of 00:00 allowed) its range."""
    survey = read(_lss_colleagues_as_date(tmp_path, "dd.mm.yyyy"))
    question = survey.by_id["colleagues"]
    assert question.type == "date"
    assert (str(question.min), str(question.max)) == ("2020-01-01", "2026-12-31")
    assert question.parse(" 2024-02-29 ") == "2024-02-29"
    more = survey.by_id["more"].show_if
    assert more is not None and more.dump() == {"colleagues": {"ge": "2025-01-01"}}


def test_lss_a_date_range_that_is_an_equation_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SurveyError) as caught:
        feedback_foreign_surveys.load_survey(
            path=_lss_colleagues_as_date(tmp_path, "dd.mm.yyyy", date_min="{TODAY}")
        )
    assert (
        "question COLLEAGUES (<row> of <questions>, type 'D': date/time): the attribute "
        "date_min is '{TODAY}'; feedback takes a date (YYYY-MM-DD) only"
    ) in caught.value.render()


def test_lss_a_date_and_time_question_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SurveyError) as caught:
        feedback_foreign_surveys.load_survey(
            path=_lss_colleagues_as_date(tmp_path, "dd.mm.yyyy HH:MM")
        )
    assert (
        "question COLLEAGUES (<row> of <questions>, type 'D': date/time): asks a time too "
        "(date_format 'dd.mm.yyyy HH:MM'); feedback asks a date only"
    ) in caught.value.render()


def test_lss_every_problem_is_listed_in_one_run(tmp_path: Path) -> None:
    text = LSS.read_text(encoding="utf-8")
    text = text.replace("<type><![CDATA[N]]></type>", "<type><![CDATA[R]]></type>")
    text = text.replace("<type><![CDATA[5]]></type>", "<type><![CDATA[|]]></type>")
    source = tmp_path / "two.lss"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(SurveyError) as caught:
        feedback_foreign_surveys.load_survey(path=source)
    rendered = caught.value.render()
    assert "question COLLEAGUES" in rendered and "question USEFUL" in rendered
    assert "file upload" in rendered


def _surveyjs_problem(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> str:
    data = json.loads(SURVEYJS.read_text(encoding="utf-8"))
    change(data)
    source = tmp_path / "changed.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SurveyError) as caught:
        feedback_foreign_surveys.load_survey(path=source)
    return caught.value.render()


def _set(page: int, element: int, **values: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["pages"][page]["elements"][element].update(values)

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            _set(1, 1, type="matrixdynamic"),
            "pages[1].elements[1]: element 'useful' (type 'matrixdynamic'): a matrix whose rows "
            "the participant adds, which feedback cannot ask",
        ),
        (
            _set(0, 0, showOtherItem=True),
            "pages[0].elements[0]: element 'role' (type 'radiogroup'): the property "
            "'showOtherItem' cannot be carried over",
        ),
        (
            _set(1, 4, inputType="datetime-local"),
            "pages[1].elements[4]: element 'colleagues' (type 'text'): an input of type "
            "'datetime-local', which feedback has no question for",
        ),
        (
            _set(1, 4, inputType="date", min="today()"),
            "pages[1].elements[4].min: element 'colleagues' (type 'text'): the min 'today()' of "
            "a date; feedback takes a date (YYYY-MM-DD) only",
        ),
        (
            _set(1, 3, visibleIf="age({birthdate}) > 18"),
            "pages[1].elements[3]: element 'parliament' (type 'boolean'): visibleIf "
            "'age({birthdate}) > 18' is not a condition feedback can say",
        ),
        (
            _set(1, 3, visibleIf="{role} = 'senator'"),
            "'role' has no choice 'senator'",
        ),
        (
            _set(1, 3, visible=False),
            "element 'parliament' (type 'boolean'): a hidden element (visible: false)",
        ),
    ],
    ids=["matrixdynamic", "other", "datetime", "date-min", "function", "unknown-choice", "hidden"],
)
def test_surveyjs_what_cannot_be_carried_over_is_named_with_its_place(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    assert expected in _surveyjs_problem(tmp_path, change)


def test_surveyjs_a_date_input_is_a_date_question(read: Any, tmp_path: Path) -> None:
    """A text of ``inputType: date`` (SurveyJS's date picker): a date question, its min and max
    its range, and a visibleIf comparing it with a date a show_if on the date."""
    data = json.loads(SURVEYJS.read_text(encoding="utf-8"))
    data["pages"][1]["elements"] += [
        {"type": "text", "name": "trained", "inputType": "date", "min": "2020-01-01",
         "max": "2026-12-31"},
        {"type": "comment", "name": "why", "visibleIf": "{trained} >= '2025-01-01'"},
    ]  # fmt: skip
    source = tmp_path / "dated.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    survey = read(source)
    question = survey.by_id["trained"]
    assert question.type == "date"
    assert (str(question.min), str(question.max)) == ("2020-01-01", "2026-12-31")
    why = survey.by_id["why"].show_if
    assert why is not None and why.dump() == {"trained": {"ge": "2025-01-01"}}
    assert why.evaluate({"trained": "2025-06-01"})
    assert not why.evaluate({"trained": "2024-12-31"})


def test_surveyjs_panels_and_flat_elements(read: Any, tmp_path: Path) -> None:
    source = tmp_path / "flat.json"
    source.write_text(
        json.dumps(
            {
                "title": "Flat",
                "elements": [
                    {"type": "dropdown", "name": "Your role", "choices": ["MP", "Other role"]},
                    {
                        "type": "panel",
                        "name": "more",
                        "title": "More",
                        "visibleIf": "{Your role} anyof ['MP']",
                        "elements": [{"type": "comment", "name": "why"}],
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    survey = read(source)
    assert [q.id for q in survey.all_questions()] == ["your_role", "more", "why"]
    assert [c.id for c in survey.question("your_role").choices] == ["MP", "other_role"]
    assert survey.question("why").show_if.dump() == {"your_role": {"in": ("MP",)}}


@pytest.mark.parametrize(
    ("text", "braces", "tree"),
    [
        ('Q1 == "A1"', False, Compare("Q1", "eq", "A1")),
        ("Q2 > 18", False, Compare("Q2", "gt", 18)),
        ("18 <= Q2", False, Compare("Q2", "ge", 18)),
        (
            '(Q1.NAOK == "A1" and Q2 > 18) or !is_empty(Q3)',
            False,
            Or(
                (
                    And((Compare("Q1.NAOK", "eq", "A1"), Compare("Q2", "gt", 18))),
                    Compare("Q3", "answered", True),
                )
            ),
        ),
        (
            "{a} <> 'x' && {b} notempty",
            True,
            And((Compare("a", "ne", "x"), Compare("b", "answered", True))),
        ),
        ("not {a} contains 'x'", True, Not(Compare("a", "eq", "x"))),
    ],
)
def test_expressions_of_the_simple_forms(text: str, braces: bool, tree: Any) -> None:
    assert parse_expression(text, braces=braces) == tree


@pytest.mark.parametrize("text", ["Q1 == Q2", "Q1 + 1 > 2", "if(Q1, 1, 0)", "Q1 ==", "{a} = 'x'"])
def test_expressions_beyond_the_simple_forms_are_refused(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse_expression(text, braces=False)
