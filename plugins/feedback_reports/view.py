"""What the templates render: a `Report` laid out as the funders read it.

1. The title block (a programme's: its period and its events) and a table of contents.
2. **Outcomes**: the results' summary sentences, in report order, as the scorers wrote them.
3. **Results**: a short main part, one `Part` per construct: its sentences, its chart (HTML), at
   most a compact table.
4. **Methods and caveats**: the rules every figure follows, in a few lines.
5. The appendix, from a new printed page: **A** every table in full (`Section`, one per scorer,
   a `ResultView` per result), **B** how each figure was computed, **C** the comments for review.

HTML and Markdown render the same view; only HTML draws the charts (`ChartSpec`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from feedback.scoring import ScoreResult
from feedback_reports.build import METHOD_ONLY, in_report_order, is_outcome, long_date, place
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
STATEMENTS = "statements"
STATEMENTS_TITLE = "Answers to the statements"

#: the headings of the report's parts (HTML ids, Markdown anchors and the table of contents)
OUTCOMES = ("outcomes", "Outcomes")
RESULTS = ("results", "Results")
METHODS = ("methods", "Methods and caveats")
APPENDIX = ("appendix", "Appendix A: Tables in full")
APPENDIX_METHODS = ("appendix-methods", "Appendix B: How each figure was computed")
REVIEW = ("review", "Appendix C: Comments for review")


# -- the view both templates render ------------------------------------------------------------


@dataclass
class ResultView:
    result: ScoreResult
    anchor: str
    tables: list[Table]
    notes: list[str]


@dataclass
class ChartSpec:
    """A chart a part shows in HTML: its element id, its kind, what it draws, its caption."""

    key: str
    kind: str  # reach, cumulative, change or likert
    caption: str
    items: list[ItemDistribution] = field(default_factory=list)
    results: list[ScoreResult] = field(default_factory=list)


@dataclass
class Section:
    """A section of appendix A: every table of one scorer's results."""

    id: str
    title: str
    intro: str | None
    results: list[ResultView]
    tables: list[Table] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)


@dataclass
class Part:
    """A section of the main part: one construct's sentences, its charts, a compact table."""

    id: str
    title: str
    sentences: list[str]
    intro: str | None = None
    notes: list[str] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    table: Table | None = None
    #: the id and title of its tables in appendix A
    detail: str | None = None
    detail_title: str = ""


@dataclass
class Entry:
    """A line of the table of contents."""

    id: str
    title: str
    children: list[Entry] = field(default_factory=list)


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


def anchor(title: str) -> str:
    """The anchor GitHub and most Markdown renderers give a heading: ``#appendix-a-tables-in-full``."""
    text = re.sub(r"[^\w\- ]", "", title.lower())
    return text.replace(" ", "-")


def _title(report: Report, scorer: str) -> str:
    return report.scorer_titles.get(scorer, scorer.replace("_", " ").capitalize())


# -- appendix A: every table -------------------------------------------------------------------


def sections(report: Report) -> list[Section]:
    """Appendix A: one section per scorer (and one for the answers to the statements), each
    result with its figures, its breakdowns and, in a programme, its figures event by event."""
    groups: dict[str, list[ScoreResult]] = {}
    for result in in_report_order(report.results):
        groups.setdefault(result.scorer, []).append(result)
    minimum = report.min_cell_size
    out: list[Section] = []
    used: set[str] = set()
    for scorer, results in groups.items():
        views = []
        for i, result in enumerate(results):
            anchor_ = _slug(f"{scorer}-{result.item or result.construct}-{i}")
            while anchor_ in used:
                anchor_ += "-x"
            used.add(anchor_)
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
            views.append(ResultView(result, anchor_, tables, notes))
        section = Section(
            id=_slug(f"detail-{scorer}"), title=_title(report, scorer), intro=None, results=views
        )
        if scorer == "reach" and report.programme:
            table = cumulative_table(report)
            section.tables = [table] if table else []
        if scorer == "awareness":
            groups_ = by_scale(report.distributions, "then_now")
            section.tables = [then_now_table(group, minimum) for group in groups_]
            section.intro = (
                f"Awareness is {SELF_REPORTED}: after the seminar, participants rated their "
                "knowledge before it and now. The first table counts the answers before and now "
                "at each point of the scale."
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


def _statements(report: Report) -> Section | None:
    groups = by_scale(report.distributions, "likert")
    if not groups:
        return None
    return Section(
        id="detail-statements",
        title=STATEMENTS_TITLE,
        intro="How the answers spread over the scale, for every statement.",
        results=[],
        tables=[likert_table(group, report.min_cell_size) for group in groups],
    )


# -- the main part -----------------------------------------------------------------------------

REACH_CAPTION = "Each bar is the share of the target reached."
CUMULATIVE_CAPTION = (
    "MPs and countries reached so far, after each event; the dashed line is the target."
)
CHANGE_CAPTION = (
    "For how many participants self-rated knowledge rose, stayed the same or fell, for each "
    "topic and overall. A bar's length is a share of those who rated both; the numbers in it "
    "are people."
)
LIKERT_CAPTION = (
    "Disagreement left of zero, agreement right, the middle point split across zero; “don't "
    "know” is counted beside n, not in the bar."
)
AWARENESS_INTRO = (
    f"Awareness is {SELF_REPORTED}: after the seminar, participants rated their knowledge "
    "before it and now; not a measured before/after."
)


def _group_key(result: ScoreResult, likert: set[str]) -> str:
    if result.scorer not in ("reach", "awareness") and result.item in likert:
        return STATEMENTS
    return result.scorer


def parts(report: Report) -> list[Part]:
    """The main part: one part per construct, in report order. Results on statements of a
    likert scale share one part and its diverging chart; method checks (reliability) are left
    to the appendix."""
    likert_groups = by_scale(report.distributions, "likert")
    likert = {d.item for group in likert_groups for d in group}
    groups: dict[str, list[ScoreResult]] = {}
    for result in in_report_order(report.results):
        if result.scorer in METHOD_ONLY:
            continue
        groups.setdefault(_group_key(result, likert), []).append(result)
    keys = list(groups)
    if likert_groups and STATEMENTS not in groups:
        after = next((keys.index(k) + 1 for k in ("awareness", "reach") if k in keys), 0)
        keys.insert(after, STATEMENTS)
    out = []
    for key in keys:
        results = groups.get(key, [])
        sentences = [r.summary for r in results if r.summary]
        if key == STATEMENTS:
            part = Part(
                id="results-statements",
                title="Agreement with the statements",
                sentences=sentences,
                charts=[
                    ChartSpec(_numbered("chart-likert", i), "likert", LIKERT_CAPTION, group)
                    for i, group in enumerate(likert_groups)
                ],
                detail="detail-statements",
                detail_title=STATEMENTS_TITLE,
            )
        else:
            part = Part(
                id=_slug(f"results-{key}"),
                title=_title(report, key),
                sentences=sentences,
                detail=_slug(f"detail-{key}"),
                detail_title=_title(report, key),
            )
        if key == "reach":
            part.charts = [ChartSpec("chart-reach", "reach", REACH_CAPTION, results=results)]
            if report.programme:
                part.charts.append(ChartSpec("chart-cumulative", "cumulative", CUMULATIVE_CAPTION))
            part.notes = reach_notes(results[0], report) if results else []
        if key == "awareness":
            part.intro = AWARENESS_INTRO
            part.charts = [ChartSpec("chart-change", "change", CHANGE_CAPTION, results=results)]
        if part.sentences or part.charts:
            out.append(part)
    return out


# -- title block, contents, comments -----------------------------------------------------------


def events(report: Report) -> list[dict[str, Any]]:
    """A programme's events, in date order: title, date, place, responses."""
    out = []
    for entry in report.events:
        event = entry.event
        out.append(
            {
                "id": event["id"],
                "title": event.get("title") or event["id"],
                "date": long_date(event.get("date")),
                "place": place(event, report.country_names),
                "responses": entry.n_responses,
            }
        )
    return out


def period(report: Report) -> str:
    """From the first event's date to the last one's: ``26 January 2011 to 18 April 2012``."""
    dates = sorted(str(e.event["date"]) for e in report.events if e.event.get("date"))
    if not dates:
        return ""
    first, last = long_date(dates[0]), long_date(dates[-1])
    return first if first == last else f"{first} to {last}"


def contents(main: list[Part]) -> list[Entry]:
    return [
        Entry(*OUTCOMES),
        Entry(*RESULTS, [Entry(p.id, p.title) for p in main]),
        Entry(*METHODS),
        Entry(*APPENDIX),
        Entry(*APPENDIX_METHODS),
        Entry(*REVIEW),
    ]


def comment_groups(comments: list[Comment]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for comment in comments:
        groups.setdefault(comment.question, []).append(comment.text)
    return list(groups.items())


def view(report: Report) -> dict[str, Any]:
    """What the templates render."""
    outcomes = [r for r in in_report_order(report.results) if is_outcome(r)]
    has_change = any(r.scorer == "awareness" or SELF_REPORTED in r.notes for r in report.results)
    main = parts(report)
    return {
        "report": report,
        "generated": long_date(report.generated),
        "events": events(report) if report.programme else [],
        "period": period(report) if report.programme else "",
        "contents": contents(main),
        "headings": {
            key: title
            for key, (_, title) in {
                "outcomes": OUTCOMES,
                "results": RESULTS,
                "methods": METHODS,
                "appendix": APPENDIX,
                "appendix_methods": APPENDIX_METHODS,
                "review": REVIEW,
            }.items()
        },
        "outcomes": outcomes,
        "parts": main,
        "sections": sections(report),
        "methods": [r for r in in_report_order(report.results) if r.method],
        "has_change": has_change,
        "self_reported": SELF_REPORTED,
        "comment_groups": comment_groups(report.comments),
        "min": report.min_cell_size,
        "suppressed_items": [d.label for d in report.distributions if d.suppressed],
    }
