"""A date question on paper and in the entry template: the form prints boxes for the day, the
month and the year; staff key the date in as ``YYYY-MM-DD`` (the one form every channel reads), and
a cell in another form is refused with the row and the column."""

from __future__ import annotations

from pathlib import Path

from helpers import run
from offline_paper_helpers import fill, html_text, pdf_text

from feedback.engine import Engine
from feedback.errors import InvalidInput
from feedback_offline.entry import read_entry_csv

DATES = """\
id: dates
title: Dates
questions:
  - {id: trained, type: date, label: "When were you trained?", min: 2020-01-01, max: 2026-12-31}
  - {id: topic, type: text, label: Topic}
"""


def _write(project: Path) -> None:
    (project / "surveys" / "dates.yaml").write_text(DATES, encoding="utf-8")


def test_the_paper_form_prints_day_month_and_year_boxes(project: Path, engine: Engine) -> None:
    _write(project)
    html, pdf = project / "dates.html", project / "dates.pdf"
    for out in (html, pdf):
        result = run(
            project, "offline", "paper", "--event", "hague-2011", "--survey", "dates",
            "-o", str(out),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    text = html_text(html.read_text(encoding="utf-8"))
    assert "Write the date: day, month, year, from 2020-01-01 to 2026-12-31." in text
    source = html.read_text(encoding="utf-8")
    assert source.count('class="date-part"') == 3
    assert [label in text for label in ("DD", "MM", "YYYY")] == [True, True, True]
    words = pdf_text(pdf.read_bytes())
    assert "DD" in words and "YYYY" in words


def test_a_date_is_keyed_in_as_iso_and_another_form_is_refused(
    project: Path, engine: Engine
) -> None:
    _write(project)
    template = project / "entry.csv"
    result = run(
        project, "offline", "template", "--event", "hague-2011", "--survey", "dates",
        "-o", str(template),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "the date as YYYY-MM-DD" in template.read_text(encoding="utf-8-sig")
    rows = [
        {"number": "1", "trained": " 2024-02-29 ", "topic": "law"},
        {"number": "2", "trained": "29/02/2024"},
        {"number": "3", "trained": "2026-02-30"},
    ]
    entry = read_entry_csv(engine, fill(template, rows, project / "filled.csv"))
    (_, first), (where, second), (_, third) = entry.items
    assert not isinstance(first, InvalidInput)
    assert first["answers"] == {"trained": "2024-02-29", "topic": "law"}
    assert where.endswith("column 'trained'")
    assert isinstance(second, InvalidInput) and "YYYY-MM-DD" in str(second)
    assert isinstance(third, InvalidInput) and "there is no date 2026-02-30" in str(third)
