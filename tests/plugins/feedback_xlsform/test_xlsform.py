"""XLSForms in and out (issue 16): a KoboToolbox-style form read through the load_survey hook
and the engine, its bad rows named, round trips unchanged, and Kobo submissions imported once."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from feedback.engine import Engine
from feedback.errors import SurveyError
from feedback.loading import parse_survey
from feedback.testing import EVENT
from feedback_xlsform import load_survey
from feedback_xlsform.writing import write_xlsform

DATA = Path(__file__).resolve().parents[2] / "data" / "xlsform"
SHIPPED = Path(__file__).resolve().parents[3] / "surveys" / "post-seminar.yaml"


def test_hook_load_survey(feedback_engine: Engine) -> None:
    """The hook reads the XLSForm by its content (a workbook, whatever its name), and passes a
    YAML file by."""
    renamed = feedback_engine.settings.surveys_path.parent / "form.bin"
    shutil.copy(DATA / "seminar.xlsx", renamed)
    document = load_survey(renamed)
    assert document is not None
    survey = parse_survey(document, feedback_engine.survey_model)
    assert survey.id == "seminar-feedback"
    assert load_survey(SHIPPED) is None


def test_seminar_form_maps_the_shared_types(feedback_engine: Engine) -> None:
    survey = feedback_engine.read_survey(DATA / "seminar.xlsx")
    assert survey.languages == ["en", "fr"]
    assert [s.id for s in survey.sections or []] == ["about_you", "seminar"]
    q = survey.by_id
    assert {k: v.type for k, v in q.items()} == {
        "welcome": "note", "role": "single_choice", "years_in_office": "number",
        "age": "number", "first_seminar": "yes_no", "attended_on": "date", "hours": "number",
        "topics": "multi_choice", "topics_other": "text", "usefulness": "single_choice",
        "comments": "text",
    }  # fmt: skip
    assert q["role"].label == {"en": "What is your role?", "fr": "Quel est votre rôle ?"}
    assert q["role"].required
    assert (q["age"].min, q["age"].max, q["age"].integer) == (18, 120, True)  # type: ignore[attr-defined]
    assert q["hours"].help == {"en": "For example 2.5", "fr": "Par exemple 2,5"}
    assert q["comments"].long  # type: ignore[attr-defined]
    assert q["topics"].choices[2].label == {  # type: ignore[attr-defined]
        "en": "The National Rapporteur", "fr": "Le rapporteur national",
    }  # fmt: skip
    # relevance as show_if, evaluated as the form would
    assert q["years_in_office"].show_if.evaluate({"role": "mp"})
    assert not q["years_in_office"].show_if.evaluate({"role": "ngo"})
    assert q["topics_other"].show_if.evaluate({"topics": ["victims", "other"]})
    assert not q["usefulness"].show_if.evaluate({"age": 30, "role": "other"})
    assert q["usefulness"].show_if.evaluate({"age": 30, "role": "ngo"})
    assert q["comments"].show_if.evaluate({"first_seminar": False, "hours": 3})
    assert not q["comments"].show_if.evaluate({"first_seminar": False, "hours": 1})


def _bad_form(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "relevant", "constraint", "constraint_message", "$kuid"])
    sheet.append(["integer", "age", "Age", None, ". >= 0 and . <= 120", None, "ab12"])
    sheet.append(["calculate", "double", None, None, None, None, "cd34"])
    sheet.append(["text", "why", "Why?", "${age} * 2 > 10", None, None, None])
    sheet.append(["integer", "kids", "Children", None, ". < 20", "Too many", None])
    sheet.append(["begin_repeat", "visits", "Visits", None, None, None, None])
    book.save(path)
    return path


def test_bad_rows_are_named_by_sheet_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(SurveyError) as caught:
        load_survey(_bad_form(tmp_path / "bad.xlsx"))
    text = str(caught.value)
    assert "survey sheet, row 3, column \"type\": cannot carry over the type 'calculate'" in text
    assert (
        'survey sheet, row 4, column "relevant": cannot carry over "${age} * 2 > 10": only '
        "comparisons of one question with a value, selected(), and/or/not" in text
    )
    assert 'survey sheet, row 5, column "constraint": cannot carry over ". < 20"' in text
    assert 'survey sheet, row 5, column "constraint_message": this column cannot' in text
    assert "row 6, column \"type\": cannot carry over the type 'begin_repeat'" in text
    assert "$kuid" not in text  # KoboToolbox's bookkeeping is no content


@pytest.mark.parametrize("source", [SHIPPED, DATA / "seminar.xlsx"], ids=["shipped", "seminar"])
def test_round_trip_through_xlsform(feedback_engine: Engine, tmp_path: Path, source: Path) -> None:
    survey = feedback_engine.read_survey(source)
    out = tmp_path / "form.xlsx"
    write_xlsform(survey, out)
    back = feedback_engine.read_survey(out)
    assert back.canonical() == survey.canonical()
    assert back == survey
    assert back.version == survey.version


DATED = """\
id: dated
title: Dated
questions:
  - {id: trained, type: date, label: "When were you trained?", min: 2020-01-01, max: 2026-12-31}
  - {id: refresher, type: yes_no, label: "A refresher since?", show_if: {trained: {le: 2023-12-31}}}
"""


def test_a_date_question_goes_out_as_date_and_comes_back_unchanged(
    feedback_engine: Engine, tmp_path: Path
) -> None:
    """XLSForm's ``date`` is our date (it was one line of text before the date question): written
    as ``date``, compared in ``relevant`` with ``date('...')``, read back the same."""
    from openpyxl import load_workbook
    from pyxform.xls2xform import convert

    source = tmp_path / "dated.yaml"
    source.write_text(DATED, encoding="utf-8")
    survey = feedback_engine.read_survey(source)
    out = tmp_path / "dated.xlsx"
    write_xlsform(survey, out)
    sheet = load_workbook(out)["survey"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=False)) for row in sheet.iter_rows(2)]
    assert rows[0]["type"] == "date" and rows[0]["name"] == "trained"
    assert rows[1]["relevant"] == "${trained} <= date('2023-12-31')"
    # the range as a constraint, which KoboToolbox and ODK Collect enforce (it was kept in the
    # feedback column only, which they ignore)
    assert rows[0]["constraint"] == ". >= date('2020-01-01') and . <= date('2026-12-31')"
    assert "min" not in (rows[0].get("feedback") or "")
    back = feedback_engine.read_survey(out)
    assert back.canonical() == survey.canonical()
    assert back.by_id["trained"].type == "date"
    xform = convert(xlsform=str(out)).xform
    assert 'type="date"' in xform  # KoboToolbox's date widget
    assert "constraint=\". &gt;= date('2020-01-01') and . &lt;= date('2026-12-31')\"" in xform


@pytest.mark.parametrize(
    "constraint",
    [". >= date('2026-02-30')", ". >= today()", ". >= date('2026-01-01') or . = 5"],
)
def test_a_date_constraint_we_cannot_carry_is_named(tmp_path: Path, constraint: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "constraint"])
    sheet.append(["date", "trained", "When were you trained?", constraint])
    book.create_sheet("settings").append(["form_id", "form_title"])
    book["settings"].append(["dated", "Dated"])
    path = tmp_path / "dated.xlsx"
    book.save(path)
    with pytest.raises(SurveyError) as info:
        load_survey(path)
    assert "survey sheet, row 2, column" in str(info.value)
    assert "cannot carry over" in str(info.value)


def test_exported_form_converts_with_pyxform(feedback_engine: Engine, tmp_path: Path) -> None:
    """What KoboToolbox does on upload: pyxform turns the exported XLSForm into an XForm."""
    from pyxform.xls2xform import convert

    out = tmp_path / "post-seminar.xlsx"
    write_xlsform(feedback_engine.read_survey(SHIPPED), out)
    xform = convert(xlsform=str(out)).xform
    assert "<h:title>Post-seminar feedback</h:title>" in xform
    assert "support_rapporteur_office" in xform


def test_engine_reads_a_project_xlsform(feedback_project: Path, feedback_engine: Engine) -> None:
    shutil.copy(DATA / "seminar.xlsx", feedback_project / "surveys" / "form.xlsx")
    engine = Engine(feedback_engine.settings, pm=feedback_engine.pm)
    assert "seminar-feedback" in engine.surveys()
    assert engine.survey("seminar-feedback").by_id["topics"].type == "multi_choice"


def _kobo_project(project: Path, cli: Any) -> None:
    shutil.copy(DATA / "seminar.xlsx", project / "surveys" / "form.xlsx")
    assert (
        cli("event", "add", EVENT["id"], "--title", "Seminar", "--date", "2026-01-14").exit_code
        == 0
    )


def test_kobo_submissions_import_once(feedback_project: Path, feedback_cli: Any) -> None:
    _kobo_project(feedback_project, feedback_cli)
    args = ("xlsform", "submissions", str(DATA / "seminar-kobo.csv"))
    args += ("--survey", "seminar-feedback", "--event", EVENT["id"])
    first = feedback_cli(*args)
    assert first.exit_code == 0, first.output
    assert "3 stored" in first.output
    again = feedback_cli(*args)
    assert again.exit_code == 0, again.output
    assert "0 stored, 3 already present" in again.output
    db = sqlite3.connect(feedback_project / "feedback.db")
    rows = dict(db.execute("select id, answers from responses").fetchall())
    assert set(rows) == {
        "6f1c7a2e-3b4d-4c8e-9a10-2f6e8d4b1c01", "a3d9b6c1-7e2f-4a5b-8c3d-1e0f9a8b7c02",
        "c7e4f2a9-1b3c-4d5e-8f60-9a2b3c4d5e03",
    }  # fmt: skip
    first_answers = rows["6f1c7a2e-3b4d-4c8e-9a10-2f6e8d4b1c01"]
    assert '"topics":["prevention","rapporteur"]' in first_answers
    assert '"first_seminar":true' in first_answers and '"hours":3.5' in first_answers
    assert db.execute("select submitted from responses where id like 'c7e4%'").fetchone() == (
        "2026-01-15",
    )


def test_kobo_submissions_bad_cells_named(
    feedback_project: Path, feedback_cli: Any, tmp_path: Path
) -> None:
    _kobo_project(feedback_project, feedback_cli)
    text = (DATA / "seminar-kobo.csv").read_text(encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        text.replace(";mp;6;", ";mayor;6;").replace("prevention rapporteur", "prevention dance"),
        encoding="utf-8",
    )
    result = feedback_cli(
        "xlsform", "submissions", str(bad), "--survey", "seminar-feedback", "--event", EVENT["id"]
    )
    assert result.exit_code == 2
    assert "row 2, column \"about_you/role\": unknown choice 'mayor'" in result.output
    assert "row 2, column \"seminar/topics\": unknown choice 'dance'" in result.output
    db = sqlite3.connect(feedback_project / "feedback.db")
    assert db.execute("select count(*) from responses").fetchone() == (0,)


def test_cli_export(feedback_project: Path, feedback_cli: Any, feedback_engine: Engine) -> None:
    out = feedback_project / "out.xlsx"
    result = feedback_cli("xlsform", "export", str(SHIPPED), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert feedback_engine.read_survey(out) == feedback_engine.read_survey(SHIPPED)


def test_survey_import_writes_the_form_as_our_yaml(
    feedback_project: Path, feedback_cli: Any, feedback_engine: Engine, tmp_path: Path
) -> None:
    """`feedback survey import form.xlsx` picks the XLSForm reader and writes YAML that loads as
    the same survey; its conditions, parsed by the reader, are written in their plain form."""
    form = tmp_path / "form.xlsx"
    shutil.copy(DATA / "seminar.xlsx", form)
    result = feedback_cli("survey", "import", str(form))
    assert result.exit_code == 0, result.output
    assert f"read {form} as XLSForm (plugin xlsform)" in result.output
    written = feedback_project / "surveys" / "seminar-feedback.yaml"
    assert "show_if:" in written.read_text(encoding="utf-8")
    document = load_survey(DATA / "seminar.xlsx")
    assert document is not None
    direct = parse_survey(document, feedback_engine.survey_model)
    assert feedback_engine.resolve_survey(str(written)) == direct
