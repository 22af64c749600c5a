"""The slider on paper: printed through its ``paper`` rendering (HTML and PDF), a row of numbered
boxes with the end labels, and keyed in from the entry template through its parser."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import query
from offline_paper_helpers import fill, html_class_texts, pdf_text
from slider_helpers import EVENT

from feedback.engine import Engine
from feedback_offline.entry import RowProblem, read_entry_csv, template_csv
from feedback_offline.paper import build_form, render_html
from feedback_offline.paper_pdf import render_pdf


def test_the_form_prints_the_slider_with_its_own_layout(engine: Engine) -> None:
    survey = engine.survey("confidence")
    form = build_form(dict(EVENT), survey, "en", types=engine.types)
    [item] = [i for part in form.parts for i in part.items if i.id == "confident"]
    assert item.kind == "slider" and item.number == 2
    assert [b.code for b in item.boxes] == [str(n) for n in range(11)]
    assert (item.low_label, item.high_label, item.instruction) == (
        "Not at all",
        "Completely",
        "Tick one box.",
    )

    html = render_html(form)
    assert 'class="question kind-slider" id="q-confident"' in html
    [area] = [a for a in html.split('id="q-confident"')[1:2]]
    assert area.count('<span class="box" aria-hidden="true"></span>') == 11
    assert html_class_texts(html, "ends")[-1] == "0 = Not at all 10 = Completely"

    text = pdf_text(render_pdf(form))
    assert "How confident do you feel raising the subject in parliament?" in text
    assert "Not at all" in text and "Completely" in text


def test_the_form_in_dutch_uses_the_slider_labels_in_dutch(engine: Engine) -> None:
    form = build_form(dict(EVENT), engine.survey("confidence"), "nl", types=engine.types)
    [item] = [i for part in form.parts for i in part.items if i.id == "confident"]
    assert (item.low_label, item.high_label, item.instruction) == (
        "Helemaal niet",
        "Helemaal",
        "Kruis één vakje aan.",
    )


def entry_template(project: Path, engine: Engine) -> Path:
    path = project / "entry.csv"
    text = template_csv(dict(EVENT), engine.survey("confidence"), "en", engine.types)
    path.write_bytes(text.encode("utf-8-sig"))
    return path


def test_staff_key_in_the_number_ticked(project: Path, engine: Engine) -> None:
    engine.keep_survey_version(engine.survey("confidence"))
    template = entry_template(project, engine)
    legend = template.read_text(encoding="utf-8-sig")
    assert (
        "# confident (question 2, required): a number from 0 to 10 in steps of 1 "
        "(0 = Not at all; 10 = Completely)"
    ) in legend
    filled = fill(
        template,
        [
            {"number": "1", "role": "1", "confident": "7"},
            {"number": "2", "role": "ngo", "confident": " 10 "},
            {"number": "3", "role": "3", "confident": "0"},
        ],
        project / "filled.csv",
    )
    entry = read_entry_csv(engine, filled)
    result = engine.submit_many(entry.items)
    assert result.rejected == [] and result.stored == 3
    rows = query(engine.settings.db_path, "SELECT channel, answers FROM responses ORDER BY rowid")
    assert [(channel, json.loads(answers)["confident"]) for channel, answers in rows] == [
        ("paper", 7),
        ("paper", 10),
        ("paper", 0),
    ]


def test_a_cell_that_is_no_value_of_the_slider_names_its_row_and_column(
    project: Path, engine: Engine
) -> None:
    engine.keep_survey_version(engine.survey("confidence"))
    filled = fill(
        entry_template(project, engine),
        [{"number": "1", "role": "1", "confident": "11"}, {"number": "2", "confident": "x"}],
        project / "filled.csv",
    )
    items = read_entry_csv(engine, filled).items
    (where, first), (where_2, second) = items
    assert where.endswith("row 10, column 'confident'") and isinstance(first, RowProblem)
    assert str(first) == (
        "expected a number from 0 to 10 in steps of 1, found '11': enter a number from 0 to 10"
    )
    assert where_2.endswith("row 11, column 'confident'")
    assert str(second) == "expected a number from 0 to 10 in steps of 1, found 'x': enter a number"
