"""The charts: diverging bars around zero, SVG fit to sit inside a page, readable colours, and
matplotlib loaded for HTML only."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import textwrap

import pytest

from feedback.scoring import (
    CountsAgainstTargets,
    PairedChange,
    ScoreResult,
    TargetCount,
)
from feedback_reports.charts import (
    SMALL,
    WIDTH,
    change_chart,
    contrast,
    cumulative_chart,
    diverging,
    diverging_segments,
    likert_chart,
    sequential,
    targets_chart,
    text_colour,
)
from feedback_reports.model import EventResults, ItemDistribution, ScalePoint
from feedback_scoring.reach import REACH_WORDS
from feedback_scoring.scorers import CHANGE_WORDS

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
    assert change_chart([], "c") is None
    assert targets_chart([], "c") is None
    assert cumulative_chart([], [], "c") is None


def awareness(
    label: str, rose: int, same: int, fell: int, hidden: bool = False, **changes
) -> ScoreResult:
    """A paired change (then/now), in the built-in scorer's words; ``hidden``: no figure."""
    n = rose + same + fell
    values = {
        "scorer": "awareness",
        "construct": "awareness",
        "label": label,
        "item": label.lower(),
        "n": None if hidden else n,
        "k": None if hidden else rose,
        "unit": "pairs",
        "kind": "paired_change",
        "suppressed": hidden,
        "details": {} if hidden else {"rose": rose, "same": same, "fell": fell},
        "figure": None if hidden else PairedChange(n=n, rose=rose, same=same, fell=fell),
        "wording": {"en": CHANGE_WORDS},
    }
    return ScoreResult.model_validate({**values, **changes})


def test_the_change_chart_shows_how_many_rose_stayed_and_fell() -> None:
    results = [
        awareness("Your understanding", 13, 6, 1),
        awareness("Suppressed item", 0, 0, 0, hidden=True),  # too few answers: no counts
        awareness("Awareness overall (mean of the items)", 18, 2, 0, item=None),
    ]
    chart = change_chart(results, "tn")
    assert chart.description.startswith("Bar chart of self-reported knowledge")
    assert "Your understanding: rose for 13 of 20, stayed the same for 6, fell for 1" in (
        chart.description
    )
    assert "Awareness overall (mean of the items): rose for 18 of 20" in chart.description
    assert "Suppressed" not in chart.svg
    assert chart.svg.count("<title>") == 1
    texts = svg_texts(chart.svg)
    assert {"Rose", "Stayed the same", "Fell", "13", "6", "18"} <= set(texts)
    assert chart.problems == ()
    assert change_chart([awareness("Nothing", 0, 0, 0)], "tn") is None
    assert change_chart([awareness("Hidden", 0, 0, 0, hidden=True)], "tn") is None


def svg_texts(svg: str) -> list[str]:
    """The words of every text element of a chart (svg.fonttype none: one <text> per string)."""
    import html as html_

    return [
        html_.unescape(re.sub(r"<[^>]+>", "", t)).strip()
        for t in re.findall(r"<text\b.*?</text>", svg, flags=re.S)
    ]


def reach(scope: str, mps: int, countries: int) -> ScoreResult:
    """Counts against targets, in the built-in reach scorer's words."""
    return ScoreResult(
        scorer="reach",
        construct="reach",
        label=f"Reach {scope}",
        n=37,
        k=mps,
        unit="count",
        figure=CountsAgainstTargets(
            scope=scope,
            total=37,
            counts=[
                TargetCount(id="mps", label="MPs", noun="MPs", value=mps, target=100),
                TargetCount(
                    id="countries", label="Countries", noun="countries", value=countries, target=15
                ),
            ],
        ),
        wording={"en": REACH_WORDS},
        source="roster",
    )


def test_numbers_on_charts_are_rounded_by_the_figures_module() -> None:
    chart = targets_chart([reach("event", 11, 7), reach("programme", 99, 14)], "r")
    assert "MPs at this event: 11 of 100 (11%)" in chart.description
    assert "Countries at this event: 7 of 15 (46.7%)" in chart.description
    # 199 of 200 agree strongly: never "100%" for a share short of everyone
    nearly = likert("n", [0, 0, 0, 1, 199])
    texts = svg_texts(likert_chart([nearly], "l").svg)
    assert ">99%" in texts and "100%" in texts  # the share, and the axis' end
    assert texts.count("100%") == 2  # the two ends of the axis only


def all_charts() -> list:
    long_label = "A statement long enough to need three lines above its bar, " * 2
    events = [
        EventResults(
            {"id": f"e{i}", "date": f"201{i}-0{i + 1}-1{i}"}, 10, [reach("programme", m, c)]
        )
        for i, (m, c) in enumerate([(11, 7), (17, 11), (95, 14), (99, 15)])
    ]
    return [
        likert_chart(
            [
                likert("a", [1, 2, 3, 4, 5], 2),
                likert("b", [0, 0, 1, 5, 9]),
                likert("c", [9, 5, 1, 0, 0]),
                dataclasses.replace(likert("d", [2, 2, 2, 2, 2]), label=long_label),
            ],
            "l",
        ),
        change_chart([awareness(long_label, 13, 6, 1), awareness("Short", 1, 18, 1)], "c"),
        targets_chart([reach("event", 11, 7), reach("programme", 120, 16)], "r"),
        cumulative_chart(events, [reach("programme", 99, 15)], "cu"),
    ]


def test_lines_never_cross_a_label_and_nothing_is_cut_off() -> None:
    for chart in all_charts():
        assert chart is not None
        assert chart.problems == (), chart.id


def test_charts_are_narrow_with_no_text_below_10_points() -> None:
    for chart in all_charts():
        width = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', chart.svg)
        assert width and float(width.group(1)) == pytest.approx(WIDTH * 72)
        sizes = [float(s) for s in re.findall(r"font(?:-size:|:)\s*([\d.]+)px", chart.svg)]
        assert sizes and min(sizes) >= SMALL >= 10, chart.id


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
