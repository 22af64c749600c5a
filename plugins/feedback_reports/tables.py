"""Tables of a report, shared by every template: the figures of a result, breakdowns whose
suppressed cells carry words and never numbers, event-by-event figures, reach, distributions.

Numbers are formatted here, once, so HTML and Markdown print the same figures the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from feedback import figures
from feedback.scoring import Breakdown, ScoreResult
from feedback_reports.build import long_date, result_key
from feedback_reports.model import ItemDistribution, Report

DASH = figures.DASH
GROUPINGS = {"role": "stakeholder group", "country": "country"}


# -- numbers ---------------------------------------------------------------------------------
# Every figure is written by `feedback.figures` (one half-up rounding from the exact value).


def estimate(result: ScoreResult) -> str:
    if result.suppressed or result.estimate is None:
        return DASH
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
    if getattr(result, "unit", "proportion") == "alpha":
        return f"{figures.decimal(low)} to {figures.decimal(high)}"
    return figures.span(low, high)


def p_value(value: float | None) -> str:
    if value is None:
        return DASH
    return figures.p_value(value).removeprefix("p = ").replace("p < ", "< ")


def number(value: Any) -> str:
    return DASH if value is None else str(value)


def what_k_is(result: ScoreResult) -> str:
    return {
        "rate": "n = attended, k = responses, estimate = k / n",
        "proportion": "k = agreeing (or yes), estimate = k / n",
        "pairs": "n = then/now pairs, k = rose, estimate = k / n",
        "count": "n = participants, k = MPs, estimate = share of the MP target",
        "median": "estimate = median",
        "alpha": "estimate = Cronbach's alpha over n complete answers",
    }.get(result.unit, f"unit: {result.unit}")


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
                        figures.share(cell.k or 0, cell.n),
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
    if result.scorer in ("reach", "response_rate"):
        return None  # the cumulative reach table covers them (attended, responses)
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


def reach_table(result: ScoreResult) -> Table:
    """Reach: attended, MPs and their countries, against the targets."""
    details = result.details
    mps = int(details.get("mps", result.k or 0))
    countries = len(details.get("mp_countries") or [])
    return Table(
        caption=f"{result.label}: from the roster",
        headers=[
            "attended",
            "MPs",
            "MP target",
            "MPs: of the target",
            "MPs' countries",
            "country target",
            "countries: of the target",
        ],
        rows=[
            Row(
                None,
                [
                    str(details.get("participants", result.n)),
                    str(mps),
                    number(details.get("mp_target")),
                    _of_target(mps, details.get("mp_target")),
                    str(countries),
                    number(details.get("country_target")),
                    _of_target(countries, details.get("country_target")),
                ],
            )
        ],
    )


def reach_tables(result: ScoreResult, report: Report) -> list[Table]:
    """Who attended by role: shown once (the event's, or the programme's in a programme report)."""
    details = result.details
    by_role = details.get("by_role") or {}
    scopes = {r.details.get("scope") for r in report.results if r.scorer == "reach"}
    if not by_role or (details.get("scope") == "programme" and "event" in scopes):
        return []
    return [
        Table(
            caption=f"{result.label}: who attended, by role (from the roster)",
            headers=["Role", "people"],
            rows=[
                Row(role, [str(n)])
                for role, n in sorted(by_role.items(), key=lambda item: (-item[1], item[0]))
            ],
        )
    ]


def reach_notes(result: ScoreResult, report: Report) -> list[str]:
    codes = result.details.get("mp_countries") or []
    if not codes:
        return []
    names = sorted(report.country_names.get(c, c) for c in codes)
    return [f"The MPs came from {', '.join(names)}."]


def cumulative_table(report: Report) -> Table | None:
    rows = []
    for entry in report.events:
        at, so_far = entry.reach("event"), entry.reach("programme")
        if at is None or so_far is None:
            continue
        countries = len(so_far.details.get("mp_countries") or [])
        rows.append(
            Row(
                entry.event.get("title") or entry.event["id"],
                [
                    long_date(entry.event.get("date")) or DASH,
                    str(entry.n_responses),
                    str(at.details.get("participants", at.n)),
                    str(at.details.get("mps", at.k)),
                    str(so_far.details.get("mps", so_far.k)),
                    _of_target(so_far.details.get("mps", 0), so_far.details.get("mp_target")),
                    str(countries),
                    _of_target(countries, so_far.details.get("country_target")),
                ],
            )
        )
    if not rows:
        return None
    return Table(
        caption="Reach event by event, and cumulative over the programme",
        headers=[
            "Event",
            "date",
            "responses",
            "attended",
            "MPs at the event",
            "MPs so far",
            "of the MP target",
            "countries so far",
            "of the country target",
        ],
        rows=rows,
    )


def _of_target(value: Any, target: Any) -> str:
    if not target or not isinstance(value, int):
        return DASH
    return figures.achievement(value, int(target))


def satisfaction_table(result: ScoreResult) -> Table | None:
    distribution = result.details.get("distribution")
    if not isinstance(distribution, dict) or not distribution:
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
