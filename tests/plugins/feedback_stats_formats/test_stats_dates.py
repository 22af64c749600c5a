"""A date question in SPSS and Stata files, the codebook and the CSV export: a date variable
(pyreadstat writes a ``datetime.date`` column as one: SPSS format DATE, Stata %td; its README,
"Writing files": "date, datetime and time columns are written as such"), read back as the same
day; a blank and a question not asked are empty."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyreadstat
import pytest

from feedback.engine import Engine
from feedback.survey import Survey
from feedback.testing import new_response

SURVEY = {
    "id": "dated",
    "title": "Dated",
    "questions": [
        {"id": "role", "type": "single_choice", "label": "Role", "choices": ["mp", "ngo"]},
        {
            "id": "sworn_in",
            "type": "date",
            "label": "Sworn in on",
            "min": "1990-01-01",
            "show_if": {"role": "mp"},
        },
    ],
}


@pytest.fixture
def dated(make_survey: Callable[..., Survey], feedback_engine: Engine) -> Survey:
    survey = make_survey(SURVEY, default=True)
    for answers in ({"role": "mp", "sworn_in": "2021-03-31"}, {"role": "ngo"}):
        response = new_response(survey, answers, submitted="2026-01-14")
        assert feedback_engine.submit(response) == "stored"
    return survey


@pytest.mark.parametrize("target", ["sav", "dta"])
def test_a_date_answer_is_a_date_variable_in_spss_and_stata(
    dated: Survey, feedback_cli: Callable[..., Any], tmp_path: Path, target: str
) -> None:
    out = tmp_path / f"answers.{target}"
    result = feedback_cli("responses", "export", "--format", target, "-o", str(out))
    assert result.exit_code == 0, result.output
    read = pyreadstat.read_sav if target == "sav" else pyreadstat.read_dta
    data, meta = read(out)
    mp, ngo = data.to_dict("records")
    assert mp["sworn_in"] == dt.date(2021, 3, 31)
    assert str(ngo["sworn_in"]) == "nan"  # not asked (an NGO): empty
    assert meta.original_variable_types["sworn_in"] == ("DATE11" if target == "sav" else "%td")
    assert meta.column_names_to_labels["sworn_in"] == "Sworn in on"


def test_a_date_answer_is_iso_text_in_csv_and_a_date_in_the_codebook(
    dated: Survey, feedback_cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "answers.csv"
    assert feedback_cli("responses", "export", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r.get("sworn_in") for r in rows] == ["2021-03-31", ""]
    book = tmp_path / "codebook.csv"
    result = feedback_cli("survey", "codebook", "dated", "--format", "csv", "-o", str(book))
    assert result.exit_code == 0, result.output
    entries = list(csv.DictReader(io.StringIO(book.read_text(encoding="utf-8-sig"))))
    [entry] = [e for e in entries if e.get("name", e.get("variable")) == "sworn_in"]
    assert "date" in entry.values()
