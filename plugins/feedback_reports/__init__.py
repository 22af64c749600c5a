"""Built-in plugin: outcome reports in HTML, Markdown, JSON and CSV, and `feedback report`.

A report puts the outcomes first, as plain sentences with their denominators and intervals (the
"Outcomes" of a seminar report to a funder), then each result in detail with its breakdowns (small
groups suppressed), the methods and caveats, and the free-text comments set apart for review.
Jinja2 is imported when a report is rendered, matplotlib only when HTML is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from feedback import hookimpl
from feedback.registry import ReportFormat

if TYPE_CHECKING:
    from feedback.cli import FeedbackGroup
    from feedback_reports.model import Report

__all__ = ["Report", "register_commands", "register_report_formats"]


def __getattr__(name: str) -> Any:
    """`Report`, imported on first use (the command line stays light)."""
    if name == "Report":
        from feedback_reports.model import Report

        return Report
    raise AttributeError(f"module 'feedback_reports' has no attribute '{name}'")


def render_html(report: Report) -> str:
    """One self-contained HTML file: inline CSS and SVG charts, a strict CSP, no scripts."""
    from feedback_reports.render import render_html

    return render_html(report)


def render_markdown(report: Report) -> str:
    """Markdown: the same sections and tables as HTML, without charts."""
    from feedback_reports.render import render_markdown

    return render_markdown(report)


def render_json(report: Report) -> str:
    """JSON: title, event, generated, results (as `ScoreResult` dumps), comments, and more."""
    from feedback_reports.render import render_json

    return render_json(report)


def render_csv(report: Report) -> str:
    """CSV: every figure one row (results, their groups, each event's), for spreadsheets."""
    from feedback_reports.flat import render_csv

    return render_csv(report)


@hookimpl
def register_report_formats(register: Callable[[ReportFormat], None]) -> None:
    register(ReportFormat("html", ".html", render_html, "One self-contained page with charts."))
    register(ReportFormat("md", ".md", render_markdown, "Markdown, tables without charts."))
    register(ReportFormat("json", ".json", render_json, "JSON for other tools."))
    register(ReportFormat("csv", ".csv", render_csv, "CSV: every figure one row."))


@hookimpl
def register_commands(cli: FeedbackGroup) -> None:
    cli.add_lazy_command(
        "report",
        "feedback_reports.cli:report",
        "Write the outcome report of an event, or of the programme so far, for the funder.",
    )
