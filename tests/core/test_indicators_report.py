"""The programme report's indicators section (issue 15): one table of baseline, target, the
value at each event and so far, progress, source and date, and a chart of progress over the
events; the same figures `feedback indicators` gives."""

from __future__ import annotations

from pathlib import Path

from helpers import run
from test_indicators import hague

__all__ = ["hague"]


def report(project: Path, fmt: str) -> str:
    out = project / f"programme.{fmt}"
    result = run(project, "report", "--programme", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_the_programme_report_has_the_indicators_table_and_chart(hague: Path) -> None:
    html = report(hague, "html")
    section = html[html.index('id="programme-indicators"') :]
    section = section[: section.index("</section>")]
    assert "Programme indicators: each event, then the programme so far" in section
    # MPs reached (target 100): 11 at The Hague, 12 so far after Riga (the same as the CLI's)
    assert "11%" in section and "12%" in section
    assert "reach: mps" in section
    assert 'id="chart-indicators"' in section
    markdown = report(hague, "md")
    assert "## Programme indicators" in markdown
    assert (
        "| Indicator | Unit | Baseline | Target | At the event | So far | Progress | Source | Date |"
        in markdown
    )
    assert (
        "| MPs reached: Riga-2012 | MPs | 0 | 100 | 2 | 12 | 12% | reach: mps | 2012-03-01 |"
        in (markdown)
    )


def test_an_event_report_has_no_indicators_section(hague: Path) -> None:
    out = hague / "hague.html"
    result = run(hague, "report", "--event", "hague-2011", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "programme-indicators" not in out.read_text(encoding="utf-8")


def test_the_progress_chart_has_no_layout_problems(hague: Path) -> None:
    from feedback.config import load_settings
    from feedback.engine import Engine
    from feedback.indicators import compute
    from feedback_reports import charts

    with Engine(settings=load_settings(hague)) as engine:
        chart = charts.indicators_chart(compute(engine), "chart-indicators")
    assert chart is not None
    assert chart.problems == ()  # no number crossed by the target line, no title cut off
    assert "MPs reached: after Hague-2011: 11%, after Riga-2012: 12%" in chart.description
