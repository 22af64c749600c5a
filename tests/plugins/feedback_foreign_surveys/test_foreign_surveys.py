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
            "<type><![CDATA[N]]></type>\n    <title><![CDATA[COLLEAGUES]]>",
            "<type><![CDATA[D]]></type>\n    <title><![CDATA[COLLEAGUES]]>",
            "question COLLEAGUES (<row> of <questions>, type 'D': date/time): feedback has no "
            "date question",
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
    ids=["ranking", "date", "other", "function", "unknown-code", "piping"],
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
            _set(1, 4, inputType="date"),
            "pages[1].elements[4]: element 'colleagues' (type 'text'): a date, which feedback has "
            "no question for",
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
    ids=["matrixdynamic", "other", "date", "function", "unknown-choice", "hidden"],
)
def test_surveyjs_what_cannot_be_carried_over_is_named_with_its_place(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    assert expected in _surveyjs_problem(tmp_path, change)


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
