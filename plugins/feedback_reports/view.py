"""What the templates render: a `Report` as outcome sentences, sections (one per scorer, a result's
tables, the charts a section shows), the methods, and the comments for review."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from feedback.scoring import ScoreResult
from feedback_reports.build import in_report_order, is_outcome, long_date
from feedback_reports.model import Comment, ItemDistribution, Report
from feedback_reports.tables import (
    Table,
    breakdown_table,
    by_event_table,
    cumulative_table,
    figures_table,
    likert_table,
    reach_notes,
    reach_table,
    reach_tables,
    satisfaction_table,
    then_now_table,
)

SELF_REPORTED = "self-reported change (retrospective pre/post)"


# -- the view both templates render ------------------------------------------------------------


@dataclass
class ResultView:
    result: ScoreResult
    anchor: str
    tables: list[Table]
    notes: list[str]


@dataclass
class ChartSpec:
    """A chart a section shows in HTML: its element id, its kind, what it draws, its caption."""

    key: str
    kind: str  # reach, cumulative, then_now or likert
    caption: str
    items: list[ItemDistribution] = field(default_factory=list)


@dataclass
class Section:
    id: str
    title: str
    intro: str | None
    results: list[ResultView]
    tables: list[Table] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)


def by_scale(items: list[ItemDistribution], kind: str) -> list[list[ItemDistribution]]:
    """Items of one kind grouped by their scale (one table and one chart per scale)."""
    groups: dict[tuple[str, ...], list[ItemDistribution]] = {}
    for item in items:
        if item.kind == kind:
            groups.setdefault(tuple(p.id for p in item.points), []).append(item)
    return list(groups.values())


def _numbered(base: str, i: int) -> str:
    return base if i == 0 else f"{base}-{i + 1}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def sections(report: Report) -> list[Section]:
    groups: dict[str, list[ScoreResult]] = {}
    for result in in_report_order(report.results):
        groups.setdefault(result.scorer, []).append(result)
    minimum = report.min_cell_size
    out: list[Section] = []
    used: set[str] = set()
    for scorer, results in groups.items():
        views = []
        for i, result in enumerate(results):
            anchor = _slug(f"{scorer}-{result.item or result.construct}-{i}")
            while anchor in used:
                anchor += "-x"
            used.add(anchor)
            notes = list(result.notes)
            if scorer == "reach":
                tables = [reach_table(result), *reach_tables(result, report)]
                notes = reach_notes(result, report) + notes
            else:
                tables = [figures_table(result)]
            tables += [breakdown_table(result, b, minimum) for b in result.breakdowns]
            if scorer == "satisfaction":
                tables += [t for t in [satisfaction_table(result)] if t]
            per_event = by_event_table(result, report)
            if per_event:
                tables.append(per_event)
            views.append(ResultView(result, anchor, tables, notes))
        section = Section(
            id=_slug(f"detail-{scorer}"),
            title=report.scorer_titles.get(scorer, scorer.replace("_", " ").capitalize()),
            intro=None,
            results=views,
        )
        if scorer == "reach":
            section.charts = [ChartSpec("chart-reach", "reach", REACH_CAPTION)]
            if report.programme:
                section.charts.append(
                    ChartSpec("chart-cumulative", "cumulative", CUMULATIVE_CAPTION)
                )
                table = cumulative_table(report)
                section.tables = [table] if table else []
        if scorer == "awareness":
            groups = by_scale(report.distributions, "then_now")
            section.charts = [
                ChartSpec(_numbered("chart-then-now", i), "then_now", THEN_NOW_CAPTION, group)
                for i, group in enumerate(groups)
            ]
            section.tables = [then_now_table(group, minimum) for group in groups]
            section.intro = (
                f"Awareness is {SELF_REPORTED}: after the seminar, participants rated their "
                "knowledge before it and now. It is not a measured before/after."
            )
        out.append(section)
    statements = _statements(report)
    if statements is not None:
        ids = [s.id for s in out]
        after = next(
            (ids.index(i) + 1 for i in ("detail-awareness", "detail-reach") if i in ids), 0
        )
        out.insert(after, statements)
    return out


REACH_CAPTION = "Reach against the programme's targets. The numbers are in the tables below."
CUMULATIVE_CAPTION = (
    "MPs and countries reached so far, after each event; the dashed line is the target."
)
THEN_NOW_CAPTION = (
    "Self-reported knowledge before the seminar and now; each pair of bars shows the same "
    "respondents. The counts are in the table below."
)
LIKERT_CAPTION = (
    "Answers to each statement: disagreement left of zero, agreement right, the middle point "
    "split across zero; “don't know” apart on the right. The counts are in the table below."
)


def _statements(report: Report) -> Section | None:
    groups = by_scale(report.distributions, "likert")
    if not groups:
        return None
    return Section(
        id="statements",
        title="Answers to the statements",
        intro=(
            "How the answers spread over the scale, for every statement. The shares agreeing, "
            "with their intervals, are in the sections that follow."
        ),
        results=[],
        tables=[likert_table(group, report.min_cell_size) for group in groups],
        charts=[
            ChartSpec(_numbered("chart-likert", i), "likert", LIKERT_CAPTION, group)
            for i, group in enumerate(groups)
        ],
    )


def comment_groups(comments: list[Comment]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for comment in comments:
        groups.setdefault(comment.question, []).append(comment.text)
    return list(groups.items())


def view(report: Report) -> dict[str, Any]:
    """What the templates render."""
    outcomes = [r for r in in_report_order(report.results) if is_outcome(r)]
    has_change = any(r.scorer == "awareness" or SELF_REPORTED in r.notes for r in report.results)
    return {
        "report": report,
        "generated": long_date(report.generated),
        "outcomes": outcomes,
        "sections": sections(report),
        "methods": [r for r in in_report_order(report.results) if r.method],
        "has_change": has_change,
        "self_reported": SELF_REPORTED,
        "comment_groups": comment_groups(report.comments),
        "min": report.min_cell_size,
        "suppressed_items": [d.label for d in report.distributions if d.suppressed],
    }
