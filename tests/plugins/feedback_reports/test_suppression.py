"""Small groups: the 2 NGO respondents (and the 2 from Finland) are never shown with numbers, in
any format; nor are the MPs' counts when too few MPs answered."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest
from reports_helpers import Built, Page, md_tables

from feedback.scoring import Breakdown, Cell, ScoreResult
from feedback_reports.build import distributions, redact
from feedback_reports.model import Report
from feedback_reports.render import render_json, render_markdown
from feedback_reports.tables import hidden_words

NGO = "Non-governmental organisation (NGO)"


def only_words(text: str) -> bool:
    """The text of a suppressed cell: words, and no number but the threshold."""
    return "fewer than 5" in text and not re.search(r"\d", text.replace("fewer than 5", ""))


#: groups below the minimum: at the Hague 2 NGO and 2 Finnish respondents; over the programme the
#: NGOs are 5 (3 more in Rome) and may be shown, the Finns still 2
SMALL = {"hague": [NGO, "Finland"], "programme": ["Finland"]}


@pytest.mark.parametrize("scope", ["hague", "programme"])
def test_html_never_shows_a_small_groups_numbers(built: Built, scope: str) -> None:
    page = Page(built.text(scope, "html"))
    tables = [
        t for t in page.tables if t.caption.endswith((": by stakeholder group", ": by country"))
    ]
    assert len(tables) >= 10
    hidden = 0
    for table in tables:
        for row in table.rows[1:]:
            label, cells = row[0].text, row[1:]
            if len(cells) == 1:
                assert cells[0].attrs.get("colspan") == "4"
                assert only_words(cells[0].text), (table.caption, cells[0].text)
                hidden += label in SMALL[scope]
            else:
                assert label not in SMALL[scope], table.caption
                assert int(cells[0].text) >= 5, (table.caption, label)
    assert hidden >= 5


@pytest.mark.parametrize("scope", ["hague", "programme"])
def test_markdown_never_shows_a_small_groups_numbers(built: Built, scope: str) -> None:
    hidden = 0
    for table in md_tables(built.text(scope, "md")):
        if table[0][:2] not in (["Stakeholder group", "n"], ["Country", "n"]):
            continue
        for row in table[1:]:
            if row[1].isdigit():
                assert row[0] not in SMALL[scope]
                assert int(row[1]) >= 5
            else:
                assert only_words(" ".join(row[1:])), row
                hidden += row[0] in SMALL[scope]
    assert hidden >= 5


def test_json_cells_of_small_groups_carry_no_numbers(built: Built) -> None:
    data = json.loads(built.text("hague", "json"))
    seen = 0
    for result in data["results"]:
        for breakdown in result["breakdowns"]:
            for cell in breakdown["cells"]:
                if cell["group"] in ("ngo", "FI"):
                    seen += 1
                    assert cell["suppressed"] is True
                    assert [cell[k] for k in ("n", "k", "estimate", "ci_low", "ci_high")] == [
                        None
                    ] * 5
    assert seen >= 5


def test_every_hidden_cell_says_the_same_whatever_hid_it() -> None:
    """Words that told a small group from a uniform one, or from one hidden to protect another,
    would say something about the hidden answers themselves."""
    one = Breakdown(by="role", cells=[Cell(group="a", label="A", suppressed=True)])
    two = Breakdown(by="role", cells=[Cell(group=g, label=g, suppressed=True) for g in "ab"])
    assert (
        hidden_words(one, 5) == hidden_words(two, 5) == "fewer than 5, or hidden to protect a group"
    )


def test_the_mps_counts_are_left_out_when_too_few_mps_answered() -> None:
    few = ScoreResult(
        scorer="ngo_cooperation",
        construct="ngo_cooperation",
        label="I will continue to cooperate",
        n=12,
        k=9,
        summary="9 of 12 respondents (75%) will continue to cooperate.",
        details={"mp_k": 1, "mp_n": 2},
    )
    enough = few.model_copy(update={"details": {"mp_k": 4, "mp_n": 6}})
    assert redact(few, 5).details == {}
    assert redact(enough, 5).details == {"mp_k": 4, "mp_n": 6}
    report = Report(
        title="T",
        event=None,
        programme=False,
        generated=dt.date(2011, 2, 1),
        min_cell_size=5,
        results=[redact(few, 5)],
    )
    assert "mp_k" not in render_json(report) and "mp_n" not in render_json(report)
    assert "1 of 2" not in render_markdown(report)


def test_statements_answered_by_fewer_than_the_minimum_are_not_charted(hague) -> None:
    context, _ = hague  # the same survey, three respondents only
    small = dataclasses.replace(context, responses=context.responses[:3], cache={})
    found = distributions(small)
    assert found and all(d.suppressed for d in found)
    assert all(d.counts == {} and d.then == {} and d.now == {} for d in found)
