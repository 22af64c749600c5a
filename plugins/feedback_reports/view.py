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

from feedback.scoring import CountsAgainstTargets, ScoreResult, Wording
from feedback_reports.build import in_report_order, is_outcome, long_date, place
from feedback_reports.model import (
    Comment,
    ItemDistribution,
    ParticipantCount,
    Report,
    ReportedOutcome,
)
from feedback_reports.tables import (
    DASH,
    Row,
    Table,
    breakdown_table,
    by_event_table,
    cumulative_table,
    distribution_table,
    figures_table,
    group_tables,
    likert_table,
    targets_table,
    then_now_table,
)

STATEMENTS = "statements"
STATEMENTS_TITLE = "Answers to the statements"

#: the headings of the report's parts (HTML ids, Markdown anchors and the table of contents)
OUTCOMES = ("outcomes", "Outcomes")
RESULTS = ("results", "Results")
METHODS = ("methods", "Methods and caveats")
APPENDIX = ("appendix", "Appendix A: Tables in full")
APPENDIX_METHODS = ("appendix-methods", "Appendix B: How each figure was computed")
REVIEW = ("review", "Appendix C: Comments for review")
REPORTED = ("reported-outcomes", "Reported outcomes")
INDICATORS = ("programme-indicators", "Programme indicators")


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
    kind: str  # a result's kind (`feedback.scoring.Kind`), "cumulative" or "likert"
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


def _title(report: Report, scorer: str, results: list[ScoreResult] | None = None) -> str:
    """A scorer's heading: its results' own (`Wording.title`), else its registered title."""
    for result in results or []:
        if result.words().title:
            return str(result.words().title)
    return report.scorer_titles.get(scorer, scorer.replace("_", " ").capitalize())


def _words(results: list[ScoreResult]) -> Wording:
    """The words of a group of results: the first result's that has any."""
    return next((r.words() for r in results if r.wording), Wording())


def _kinds(results: list[ScoreResult]) -> set[str]:
    return {r.kind for r in results if r.kind is not None}


#: The kinds whose section the statements' tables and part follow (then/now first, else the
#: counts against targets), as in the seed report.
STATEMENTS_AFTER = ("paired_change", "counts_against_targets")


def _after(kinds: list[set[str]]) -> int:
    """Where the statements go among groups of these kinds: after the first of `STATEMENTS_AFTER`
    found, else first."""
    for kind in STATEMENTS_AFTER:
        for i, found in enumerate(kinds):
            if kind in found:
                return i + 1
    return 0


# -- appendix A: every table -------------------------------------------------------------------


def sections(report: Report) -> list[Section]:
    """Appendix A: one section per scorer (and one for the answers to the statements), each
    result with its figures, its breakdowns and, in a programme, its figures event by event;
    every table by the result's kind."""
    groups: dict[str, list[ScoreResult]] = {}
    for result in in_report_order(report.results):
        groups.setdefault(result.scorer, []).append(result)
    minimum = report.min_cell_size
    out: list[Section] = []
    kinds: list[set[str]] = []
    used: set[str] = set()
    for scorer, results in groups.items():
        views = []
        for i, result in enumerate(results):
            anchor_ = _slug(f"{scorer}-{result.item or result.construct}-{i}")
            while anchor_ in used:
                anchor_ += "-x"
            used.add(anchor_)
            notes = list(result.notes)
            figure = result.figure
            if isinstance(figure, CountsAgainstTargets):
                tables = [targets_table(result, figure), *group_tables(result, figure, report)]
                notes = figure.notes + notes
            else:
                tables = [figures_table(result)]
            tables += [breakdown_table(result, b, minimum) for b in result.breakdowns]
            tables += [t for t in [distribution_table(result)] if t]
            per_event = by_event_table(result, report)
            if per_event:
                tables.append(per_event)
            views.append(ResultView(result, anchor_, tables, notes))
        words = _words(results)
        section = Section(
            id=_slug(f"detail-{scorer}"),
            title=_title(report, scorer, results),
            intro=None,
            results=views,
        )
        found = _kinds(results)
        counted = next((r for r in results if isinstance(r.figure, CountsAgainstTargets)), None)
        if counted is not None and report.programme:
            table = cumulative_table(report, counted)
            section.tables = [table] if table else []
        if "paired_change" in found:
            items = {r.item for r in results}
            groups_ = by_scale(
                [d for d in report.distributions if d.item in items or not items - {None}],
                "then_now",
            )
            section.tables = [then_now_table(group, minimum) for group in groups_]
            section.intro = words.detail_intro
        out.append(section)
        kinds.append(found)
    statements = _statements(report)
    if statements is not None:
        out.insert(_after(kinds), statements)
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

#: The caption of a chart of each kind, when its results give none (`Wording.caption`).
CAPTIONS = {
    "share": "Each bar is the share of those who answered; the line across it is its 95% interval.",
    "paired_change": "For how many the rating rose, stayed the same or fell. A bar's length is a "
    "share of those who rated both; the numbers in it are people.",
    "counts_against_targets": "Each bar is the share of the target reached.",
    "distribution": "How many answers at each point.",
    "score": "Each dot is the score; the line across it is its 95% interval.",
    "cumulative": "Reached so far, after each event; the dashed line is the target.",
}
#: The id of a chart of each kind in the page (numbered when a kind is charted twice).
CHART_IDS = {
    "share": "chart-share",
    "paired_change": "chart-change",
    "counts_against_targets": "chart-reach",
    "distribution": "chart-distribution",
    "score": "chart-score",
    "cumulative": "chart-cumulative",
}
LIKERT_CAPTION = (
    "Disagreement left of zero, agreement right, the middle point split across zero; “don't "
    "know” is counted beside n, not in the bar."
)


def _group_key(result: ScoreResult, likert: set[str]) -> str:
    if result.kind in (None, "share") and result.item in likert:
        return STATEMENTS
    return result.scorer


def _charts(report: Report, results: list[ScoreResult], ids: dict[str, int]) -> list[ChartSpec]:
    """The charts of a part, by the kinds of its results (in the order they first come)."""
    words = _words(results)
    out = []

    def spec(kind: str, caption: str | None, drawn: list[ScoreResult]) -> ChartSpec:
        count = ids.get(kind, 0)
        ids[kind] = count + 1
        key = _numbered(CHART_IDS[kind], count)
        return ChartSpec(key, kind, caption or CAPTIONS[kind], results=drawn)

    charted = [r for r in results if r.figure is not None and r.figure.chart]
    for kind in dict.fromkeys(r.figure.kind for r in charted if r.figure is not None):
        drawn = [r for r in charted if r.kind == kind]
        if kind == "distribution":  # one chart per distribution: each has its own points
            out += [spec(kind, r.words().caption or words.caption, [r]) for r in drawn]
            continue
        out.append(spec(kind, drawn[0].words().caption, drawn))
        if kind == "counts_against_targets" and report.programme:
            caption = drawn[0].words().labels.get("cumulative_caption")
            out.append(spec("cumulative", caption, drawn[:1]))
    return out


def parts(report: Report) -> list[Part]:
    """The main part: one part per scorer, in report order. Results on statements of a likert
    scale share one part and its diverging chart; checks on the method (reliability) are left
    to the appendix. Charts, notes and intros come from the results' kinds and words."""
    likert_groups = by_scale(report.distributions, "likert")
    likert = {d.item for group in likert_groups for d in group}
    groups: dict[str, list[ScoreResult]] = {}
    for result in in_report_order(report.results):
        if not result.outcome:
            continue
        groups.setdefault(_group_key(result, likert), []).append(result)
    keys = list(groups)
    if likert_groups and STATEMENTS not in groups:
        keys.insert(_after([_kinds(groups[k]) for k in keys]), STATEMENTS)
    out = []
    ids: dict[str, int] = {}
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
            title = _title(report, key, results)
            part = Part(
                id=_slug(f"results-{key}"),
                title=title,
                sentences=sentences,
                intro=_words(results).intro,
                charts=_charts(report, results, ids),
                detail=_slug(f"detail-{key}"),
                detail_title=title,
            )
            counted = next((r.figure for r in results if r.figure is not None), None)
            if isinstance(counted, CountsAgainstTargets):
                part.notes = list(counted.notes)
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


def contents(main: list[Part], indicators: bool = False) -> list[Entry]:
    """The table of contents; ``indicators``: the report has a programme's indicators."""
    return [
        Entry(*OUTCOMES),
        Entry(*RESULTS, [Entry(p.id, p.title) for p in main]),
        *([Entry(*INDICATORS)] if indicators else []),
        Entry(*METHODS),
        Entry(*APPENDIX),
        Entry(*APPENDIX_METHODS),
        Entry(*REPORTED),
        Entry(*REVIEW),
    ]


def comment_groups(comments: list[Comment]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for comment in comments:
        groups.setdefault(comment.question, []).append(comment.text)
    return list(groups.items())


#: What a hidden count of outcomes reported by participants says, whatever hid it.
HIDDEN_REPORTS = "fewer than {minimum}, or hidden to protect a group"


def reported_tables(report: Report) -> list[Table]:
    """The outcomes counted by kind and by event (none when there are none): the outcome log's
    ("observed") and, when a survey asked, those participants reported in their answers, apart.
    """
    log: list[ReportedOutcome] = report.outcome_log
    answers = report.participant_outcomes
    if not log and not answers.asked:
        return []
    by_kind: dict[str, int] = {}
    by_event: dict[str, int] = {}
    for item in log:
        by_kind[item.kind_label] = by_kind.get(item.kind_label, 0) + 1
        by_event[item.event] = by_event.get(item.event, 0) + 1
    titles = {e.event["id"]: e.event.get("title") or e.event["id"] for e in report.events}
    if report.event is not None:
        titles[report.event["id"]] = report.event.get("title") or report.event["id"]
    if not answers.asked:
        return [
            Table(
                caption="Reported outcomes by kind",
                headers=["Kind", "Outcomes"],
                rows=[Row(kind, [str(n)]) for kind, n in sorted(by_kind.items())],
            ),
            Table(
                caption="Reported outcomes by event",
                headers=["Event", "Outcomes"],
                rows=[Row(titles.get(event, event), [str(n)]) for event, n in by_event.items()],
            ),
        ]
    hidden = HIDDEN_REPORTS.format(minimum=report.min_cell_size)
    headers = ["Observed", "Reported by participants", "Participants who reported"]

    def reported(count: ParticipantCount | None) -> list[str]:
        if count is None:
            return [DASH, "not asked"]
        if count.suppressed:
            return [DASH, hidden]
        return [str(count.outcomes), f"{count.reporting} of {count.asked} asked"]

    kind_counts = {c.label: c for c in answers.by_kind}
    kinds = sorted({*by_kind, *kind_counts})
    event_counts = {c.key: c for c in answers.by_event}
    events = list(dict.fromkeys([*(c.key for c in answers.by_event), *by_event]))
    note = (
        "observed: outcomes staff recorded in the outcome log; reported by participants: "
        "outcomes participants reported in their survey answers (self-reported, not checked; a "
        "number answer counts as that many), and how many of those asked reported any"
    )
    return [
        Table(
            caption="Reported outcomes by kind",
            headers=["Kind", *headers],
            rows=[
                Row(kind, [str(by_kind.get(kind, 0)), *reported(kind_counts.get(kind))])
                for kind in kinds
            ],
            note=note,
        ),
        Table(
            caption="Reported outcomes by event",
            headers=["Event", *headers],
            rows=[
                Row(
                    titles.get(event, event),
                    [str(by_event.get(event, 0)), *reported(event_counts.get(event))],
                )
                for event in events
            ],
        ),
    ]


def text_groups(report: Report) -> list[tuple[str, list[str]]]:
    """Outcomes participants described in text answers, by kind, sorted: for review."""
    groups: dict[str, list[str]] = {}
    for item in report.participant_outcomes.texts:
        groups.setdefault(item.kind_label, []).append(item.text)
    return list(groups.items())


def indicator_table(report: Report) -> Table | None:
    """The programme's indicators: baseline, target, the value at each event and so far, the
    progress towards the target, where each value comes from and its date."""
    if not report.indicators:
        return None
    rows = []
    for indicator in report.indicators:
        for row in indicator.rows("en"):
            where = row["event"] and next(
                (p.title for p in indicator.events if p.event == row["event"]), row["event"]
            )
            rows.append(
                Row(
                    f"{row['label']}: {where or 'the programme'}",
                    [
                        row["unit"],
                        row["baseline"],
                        row["target"],
                        row["value"] or "–",
                        row["so_far"] or "–",
                        row["progress"] or "–",
                        row["source"],
                        row["date"] or "–",
                    ],
                )
            )
    return Table(
        caption="Programme indicators: each event, then the programme so far",
        headers=[
            "Indicator",
            "Unit",
            "Baseline",
            "Target",
            "At the event",
            "So far",
            "Progress",
            "Source",
            "Date",
        ],
        rows=rows,
        note="progress is how far the value so far has come from the baseline to the target "
        "(100% is the target)",
    )


def view(report: Report) -> dict[str, Any]:
    """What the templates render."""
    outcomes = [r for r in in_report_order(report.results) if is_outcome(r)]
    main = parts(report)
    return {
        "report": report,
        "generated": long_date(report.generated),
        "events": events(report) if report.programme else [],
        "period": period(report) if report.programme else "",
        "contents": contents(
            main, report.programme and bool(report.indicators or report.indicators_problem)
        ),
        "headings": {
            key: title
            for key, (_, title) in {
                "outcomes": OUTCOMES,
                "results": RESULTS,
                "methods": METHODS,
                "appendix": APPENDIX,
                "appendix_methods": APPENDIX_METHODS,
                "review": REVIEW,
                "reported": REPORTED,
                "indicators": INDICATORS,
            }.items()
        },
        "outcomes": outcomes,
        "parts": main,
        "sections": sections(report),
        "methods": [r for r in in_report_order(report.results) if r.method],
        "caveats": _lines(report, "caveat"),
        "bases": _lines(report, "basis"),
        "comment_groups": comment_groups(report.comments),
        "reported": report.outcome_log,
        "indicator_table": indicator_table(report),
        "indicators_problem": report.indicators_problem,
        "reported_tables": reported_tables(report),
        "participants_asked": report.participant_outcomes.asked,
        "outcome_texts": text_groups(report),
        "min": report.min_cell_size,
        "suppressed_items": [d.label for d in report.distributions if d.suppressed],
    }


def _lines(report: Report, which: str) -> list[tuple[str, str]]:
    """The results' caveats (or bases) for "Methods and caveats": each once, in report order."""
    found: dict[tuple[str, str], None] = {}
    for result in in_report_order(report.results):
        line = getattr(result.words(), which)
        if line is not None:
            found.setdefault(tuple(line), None)
    return list(found)
