"""Tables of a report, shared by every template: the figures of a result, breakdowns whose
suppressed cells carry words and never numbers, event-by-event figures, reach, distributions.

Numbers are formatted here, once, so HTML and Markdown print the same figures the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from feedback import figures
from feedback.scoring import (
    Breakdown,
    CountsAgainstTargets,
    Distribution,
    PairedChange,
    Score,
    ScoreResult,
    Share,
    score_text,
)
from feedback_reports.build import long_date, result_key, scope
from feedback_reports.model import ItemDistribution, Report

DASH = figures.DASH
GROUPINGS = {"role": "stakeholder group", "country": "country"}


# -- numbers ---------------------------------------------------------------------------------
# Every figure is written by `feedback.figures` (one half-up rounding from the exact value).


def estimate(result: ScoreResult) -> str:
    """The estimate as a table writes it, by the result's kind (a result without a figure: by
    its unit)."""
    if result.suppressed or result.estimate is None:
        return DASH
    figure = result.figure
    if isinstance(figure, Share):
        return figures.share(figure.k, figure.n)
    if isinstance(figure, PairedChange):
        return figures.share(figure.rose, figure.n)
    if isinstance(figure, CountsAgainstTargets):
        return figures.percent(result.estimate, 1)
    if isinstance(figure, Distribution):
        return figures.median(figure.median)
    if isinstance(figure, Score):
        return score_text(figure, figure.value)
    if result.unit in ("proportion", "pairs", "rate") and result.k is not None and result.n:
        return figures.share(result.k, result.n)
    if result.unit == "count":
        return figures.percent(result.estimate, 1)
    if result.unit == "alpha":
        return figures.decimal(result.estimate)
    if result.unit == "median":
        return figures.median(result.estimate)
    return figures.decimal(result.estimate, 3)


def interval(result: ScoreResult | Any) -> str:
    low, high = result.ci_low, result.ci_high
    if low is None or high is None or getattr(result, "suppressed", False):
        return DASH
    figure = getattr(result, "figure", None)
    if isinstance(figure, Score):
        return f"{score_text(figure, low)} to {score_text(figure, high)}"
    if figure is None and getattr(result, "unit", "proportion") == "alpha":
        return f"{figures.decimal(low)} to {figures.decimal(high)}"
    return figures.span(low, high)


def p_value(value: float | None) -> str:
    if value is None:
        return DASH
    return figures.p_value(value).removeprefix("p = ").replace("p < ", "< ")


def number(value: Any) -> str:
    return DASH if value is None else str(value)


#: What n, k and the estimate of a figures table are, by kind, when a result does not say
#: (`feedback.scoring.Wording.legend`).
LEGENDS = {
    "share": "estimate = k / n",
    "paired_change": "n = pairs, k = rose, estimate = k / n",
    "counts_against_targets": "n = everyone counted, estimate = the share of the first target",
    "distribution": "estimate = median",
    "score": "estimate = {name} over n answers",
}


def what_k_is(result: ScoreResult) -> str:
    words = result.words()
    if words.legend:
        return words.legend
    if result.kind is not None:
        return LEGENDS[result.kind].format(name=words.labels.get("name", "the score"))
    return f"unit: {result.unit}"


# -- tables ------------------------------------------------------------------------------------


@dataclass
class Row:
    header: str | None
    cells: list[str] = field(default_factory=list)
    #: words filling every data cell (a suppressed group): no numbers
    span: str | None = None


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[Row]
    note: str | None = None

    @property
    def row_headers(self) -> bool:
        return any(row.header is not None for row in self.rows)


FIGURES = ["n", "k", "estimate", "95% CI", "p", "effect size", "don't know", "missing"]


def figures_table(result: ScoreResult, caption: str | None = None) -> Table:
    effect = figures.decimal(result.effect_size)
    notes = [what_k_is(result)]
    if result.effect_size_name and result.effect_size is not None:
        notes.append(f"effect size = {result.effect_size_name}")
    return Table(
        caption=(caption or result.label) + f" ({'; '.join(notes)})",
        headers=FIGURES,
        rows=[
            Row(
                None,
                [
                    number(result.n),
                    number(result.k),
                    estimate(result),
                    interval(result),
                    p_value(result.p_value),
                    effect,
                    str(result.n_na),
                    str(result.n_missing),
                ],
            )
        ],
    )


def hidden_words(breakdown: Breakdown, minimum: int) -> str:
    """What a hidden cell says: the same words whatever hid it, so they cannot tell a uniform
    group (all answered alike) from a small one or from one hidden to protect another."""
    return f"fewer than {minimum}, or hidden to protect a group"


def breakdown_table(result: ScoreResult, breakdown: Breakdown, minimum: int) -> Table:
    words = hidden_words(breakdown, minimum)
    rows = []
    for cell in breakdown.cells:
        if cell.suppressed:
            rows.append(Row(cell.label, span=words))
        else:
            rows.append(
                Row(
                    cell.label,
                    [
                        number(cell.n),
                        number(cell.k),
                        figures.share(cell.k or 0, cell.n or 0),
                        interval(cell),
                    ],
                )
            )
    by = GROUPINGS.get(breakdown.by, breakdown.by)
    return Table(
        caption=f"{result.label}: by {by}",
        headers=[by.capitalize(), "n", "k", "share", "95% CI"],
        rows=rows,
        note=breakdown.note,
    )


def by_event_table(result: ScoreResult, report: Report) -> Table | None:
    """A programme report: the same figure at each event."""
    if not report.events:
        return None
    key = result_key(result)
    if result.source == "roster":
        return None  # the cumulative table of counts covers them (attended, responses)
    rows = []
    for entry in report.events:
        match = next((r for r in entry.results if result_key(r) == key), None)
        title = entry.event.get("title") or entry.event["id"]
        if match is None:
            words = "not asked at this event" if entry.n_responses else "no responses yet"
            rows.append(Row(title, span=words))
            continue
        if match.suppressed:
            words = f"fewer than {report.min_cell_size}, or hidden to protect an event"
            rows.append(Row(title, span=words))
            continue
        rows.append(
            Row(
                title,
                [
                    long_date(entry.event.get("date")) or DASH,
                    number(match.n),
                    number(match.k),
                    estimate(match),
                    interval(match),
                    str(match.n_na),
                ],
            )
        )
    return Table(
        caption=f"{result.label}: event by event",
        headers=["Event", "date", "n", "k", "estimate", "95% CI", "don't know"],
        rows=rows,
    )


def _label(result: ScoreResult, key: str, default: str) -> str:
    return result.words().labels.get(key, default)


def targets_table(result: ScoreResult, figure: CountsAgainstTargets) -> Table:
    """Counts against targets: everyone counted, then each count, its target, how much of it."""
    headers = [_label(result, "total", "counted")]
    cells = [str(figure.total)]
    for count in figure.counts:
        headers += [count.column("count"), count.column("target"), count.column("of_target")]
        cells += [str(count.value), number(count.target), _of_target(count.value, count.target)]
    return Table(
        caption=f"{result.label}: {_label(result, 'table', 'against the targets')}",
        headers=headers,
        rows=[Row(None, cells)],
    )


def group_tables(result: ScoreResult, figure: CountsAgainstTargets, report: Report) -> list[Table]:
    """Everyone counted, by group: shown once (the event's, or the programme's in a programme
    report)."""
    scopes = {scope(r) for r in report.results if r.scorer == result.scorer}
    if not figure.by_group or (figure.scope == "programme" and "event" in scopes):
        return []
    return [
        Table(
            caption=f"{result.label}: {_label(result, 'group_table', 'by group')}",
            headers=[_label(result, "group", "Group"), _label(result, "group_count", "count")],
            rows=[
                Row(group, [str(n)])
                for group, n in sorted(figure.by_group.items(), key=lambda i: (-i[1], i[0]))
            ],
        )
    ]


def cumulative_table(report: Report, result: ScoreResult) -> Table | None:
    """A programme: ``result``'s counts at each event and so far, against their targets.

    A count shows its number at the event too when its ``columns`` name that column
    (``at_event``)."""
    rows = []
    headers: list[str] = []
    for entry in report.events:
        at = entry.targets(result.scorer, "event")
        so_far = entry.targets(result.scorer, "programme")
        if at is None or so_far is None:
            continue
        now, total = at.figure, so_far.figure
        assert isinstance(now, CountsAgainstTargets) and isinstance(total, CountsAgainstTargets)
        headers = ["Event", "date", "responses", _label(result, "total", "counted")]
        cells = [long_date(entry.event.get("date")) or DASH, str(entry.n_responses), str(now.total)]
        at_event = {c.id: c.value for c in now.counts}
        for count in total.counts:
            if "at_event" in count.columns:
                headers.append(count.column("at_event"))
                cells.append(str(at_event.get(count.id, 0)))
            headers += [count.column("so_far"), count.column("of_target_so_far")]
            cells += [str(count.value), _of_target(count.value, count.target)]
        rows.append(Row(entry.event.get("title") or entry.event["id"], cells))
    if not rows:
        return None
    return Table(
        caption=_label(result, "cumulative_table", f"{result.label}: event by event, and so far"),
        headers=headers,
        rows=rows,
    )


def _of_target(value: Any, target: Any) -> str:
    if not target or not isinstance(value, int):
        return DASH
    return figures.achievement(value, int(target))


def distribution_table(result: ScoreResult) -> Table | None:
    """The answers at each point of a distribution."""
    figure = result.figure
    distribution = figure.points if isinstance(figure, Distribution) else None
    if not distribution:
        return None
    return Table(
        caption=f"{result.label}: answers at each point",
        headers=["Point", *distribution.keys()],
        rows=[Row("answers", [str(v) for v in distribution.values()])],
    )


def likert_table(items: list[ItemDistribution], minimum: int) -> Table:
    """The counts at each point of one scale's statements."""
    points = items[0].points
    na = next((d.na_label for d in items if d.na_label), None)
    rows = []
    for d in items:
        if d.suppressed:
            rows.append(Row(d.label, span=f"fewer than {minimum} answers: not shown"))
            continue
        cells = [str(d.counts.get(p.id, 0)) for p in points] + ([str(d.n_na)] if na else [])
        rows.append(Row(d.label, [*cells, str(d.n)]))
    return Table(
        caption="Answers to the statements, at each point of the scale",
        headers=[
            "Statement",
            *(p.label for p in points),
            *([na] if na else []),
            "n (without " + (na.lower() if na else "no answer") + ")",
        ],
        rows=rows,
    )


def then_now_table(items: list[ItemDistribution], minimum: int) -> Table:
    """The counts before and now at each point of one scale's then/now items."""
    points = items[0].points
    rows = []
    for d in items:
        if d.suppressed:
            rows.append(Row(d.label, span=f"fewer than {minimum} answers: not shown"))
            continue
        for label, counts in ((d.then_label, d.then), (d.now_label, d.now)):
            rows.append(
                Row(
                    f"{d.label}: {label.lower()}",
                    [*(str(counts.get(p.id, 0)) for p in points), str(d.n)],
                )
            )
    return Table(
        caption="Knowledge before the seminar and now (self-reported), at each point of the scale",
        headers=["Topic", *(p.label for p in points), "n (pairs)"],
        rows=rows,
    )
