"""The charts: diverging bars around zero, SVG fit to sit inside a page, readable colours, and
matplotlib loaded for HTML only."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import textwrap

import pytest

from feedback_reports.charts import (
    contrast,
    diverging,
    diverging_segments,
    likert_chart,
    reach_chart,
    sequential,
    text_colour,
    then_now_chart,
)
from feedback_reports.model import ItemDistribution, ScalePoint

AGREE = [
    ScalePoint(p, p.replace("_", " "))
    for p in ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")
]


def test_disagreement_ends_at_zero_and_the_middle_is_split_across_it() -> None:
    segments = diverging_segments([1, 2, 2, 3, 2])
    assert segments == [(-40, 10), (-30, 20), (-10, 20), (10, 30), (40, 20)]
    left, width = segments[2]
    assert left + width / 2 == 0  # neutral centred on zero
    assert segments[1][0] + segments[1][1] == -segments[2][1] / 2
    assert diverging_segments([1, 1, 1, 1]) == [(-50, 25), (-25, 25), (0, 25), (25, 25)]
    assert diverging_segments([0, 0, 0]) == [(0, 0)] * 3


def likert(item: str, counts: list[int], n_na: int = 0, suppressed: bool = False):
    return ItemDistribution(
        item=item,
        label=f"Statement {item} costs $5",
        construct="x",
        kind="likert",
        points=AGREE,
        n=sum(counts),
        n_na=n_na,
        na_label="Don't know",
        counts=dict(zip([p.id for p in AGREE], counts, strict=True)),
        suppressed=suppressed,
    )


def test_a_chart_is_an_svg_element_ready_for_a_page() -> None:
    chart = likert_chart([likert("a", [1, 2, 3, 4, 5], 2), likert("b", [0, 0, 1, 5, 9])], "c1")
    svg = chart.svg
    assert svg.startswith('<svg id="c1" class="chart" role="img" aria-label="Diverging bar chart')
    assert "<title>Diverging bar chart" in svg
    for gone in ("<?xml", "<!DOCTYPE", "<!--", "<metadata", "xmlns", "http://", "https://"):
        assert gone not in svg
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert all(i == "c1" or i.startswith("c1-") for i in ids)
    assert "xlink:" not in svg
    assert "<text" in svg  # text stays text (svg.fonttype none)
    assert "$5" in svg  # a dollar sign, not mathematics
    assert "Statement a costs $5: 9 of 15 agree, 2 don't know" in chart.description


def test_no_chart_without_items_to_show() -> None:
    assert likert_chart([likert("a", [1, 1, 1, 0, 0], suppressed=True)], "c") is None
    assert likert_chart([], "c") is None
    assert then_now_chart([], "c") is None
    assert reach_chart([], "c") is None


def test_the_then_now_chart_describes_before_and_now() -> None:
    points = [ScalePoint(p, p) for p in ("none", "little", "some", "good", "very_good")]
    item = ItemDistribution(
        item="role",
        label="Your understanding",
        construct="awareness",
        kind="then_now",
        points=points,
        n=4,
        then={"none": 2, "little": 2, "some": 0, "good": 0, "very_good": 0},
        now={"none": 0, "little": 0, "some": 1, "good": 2, "very_good": 1},
    )
    chart = then_now_chart([item], "tn")
    assert "Your understanding: 0 of 4 before, 3 of 4 now" in chart.description
    assert chart.svg.count("<title>") == 1


@pytest.mark.parametrize("colours", [diverging(5), diverging(4), sequential(5), sequential(7)])
def test_numbers_on_bars_contrast_enough(colours) -> None:
    from matplotlib.colors import to_rgb

    for colour in colours:
        assert contrast(to_rgb(colour), to_rgb(text_colour(colour))) >= 4.5


def test_matplotlib_is_loaded_only_to_draw_html() -> None:
    code = textwrap.dedent(
        """
        import datetime, sys
        import feedback_reports
        from feedback_reports.model import Report
        report = Report("T", None, False, datetime.date(2011, 1, 26), 5, [])
        feedback_reports.render_markdown(report)
        feedback_reports.render_json(report)
        assert "matplotlib" not in sys.modules, "matplotlib imported for Markdown/JSON"
        feedback_reports.render_html(report)
        assert "matplotlib" not in sys.modules, "matplotlib imported without a chart to draw"
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_statements_on_different_scales_get_a_table_and_a_chart_each() -> None:
    import datetime as dt

    from reports_helpers import Page, md_tables

    from feedback_reports import render_html, render_markdown
    from feedback_reports.model import Report

    four = [ScalePoint(p, p.capitalize()) for p in ("no", "rather_not", "rather", "yes")]
    other = dataclasses.replace(
        likert("c", [0, 0, 0, 0, 0]),
        points=four,
        counts={"no": 1, "rather_not": 1, "rather": 2, "yes": 3},
        n=7,
    )
    report = Report(
        title="Two scales",
        event={"id": "e", "title": "E"},
        programme=False,
        generated=dt.date(2011, 1, 26),
        min_cell_size=5,
        results=[],
        distributions=[likert("a", [1, 2, 3, 4, 5], 1), other, likert("b", [5, 4, 3, 2, 1])],
    )
    tables = [t for t in md_tables(render_markdown(report)) if t[0][0] == "Statement"]
    assert [t[0][1:-1] for t in tables] == [
        ["strongly disagree", "disagree", "neutral", "agree", "strongly agree", "Don't know"],
        ["No", "Rather\\_not", "Rather", "Yes", "Don't know"],
    ]
    assert [row[0] for row in tables[0][1:]] == ["Statement a costs $5", "Statement b costs $5"]
    assert tables[1][1] == ["Statement c costs $5", "1", "1", "2", "3", "0", "7"]
    page = Page(render_html(report))
    assert [a["id"] for tag, a in page.tags if tag == "svg"] == ["chart-likert", "chart-likert-2"]
