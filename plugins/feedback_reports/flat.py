"""The CSV report: every figure of a report as one row, for a spreadsheet or a funder's template.

One row per result, then one per group of each of its breakdowns (``by`` and ``group`` set), then,
in a programme report, one per event's result (``event`` set). The numbers (``n``, ``k``,
``estimate``, ``ci_low`` ...) are unrounded; the ``shown`` columns hold the same figure as the other
formats write it (`feedback.figures`). A hidden result or group has its row, with no number at all.

Then the reported outcomes (``scorer`` "outcomes", ``source`` "observed" for the outcome log's,
"reported by participants" for those of survey answers): counted by kind (``construct`` the kind)
and by event (``by`` "event"), ``outcomes`` the count and, for participants, ``k`` of ``n`` asked;
then each logged outcome with its ``date``, ``text`` and ``evidence``, and each outcome participants
described in a text answer (``text`` only, sorted, with no event or date, as in the other formats).
Text that a spreadsheet would run as a formula is made inert.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from feedback.exporting import neutralise
from feedback.scoring import Cell, ScoreResult, headline
from feedback_reports.model import ParticipantCount, Report

COLUMNS = [
    "event",
    "scorer",
    "construct",
    "item",
    "label",
    "by",
    "group",
    "suppressed",
    "n",
    "k",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "effect_size",
    "n_na",
    "n_missing",
    "shown",
    "shown_ci",
    "shown_p",
    "summary",
    "source",
    "outcomes",
    "date",
    "text",
    "evidence",
]

OBSERVED = "observed"
PARTICIPANTS = "reported by participants"

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?%?$")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and _NUMBER.match(value):
        return value  # "-13" is a figure, not a formula
    return neutralise(value)


def _shown(result: ScoreResult) -> str:
    return headline(result)


def _result_row(result: ScoreResult, event: str | None) -> dict[str, Any]:
    return {
        "event": event if event is not None else (result.event or "programme"),
        "scorer": result.scorer,
        "construct": result.construct,
        "item": result.item or "",
        "label": result.label,
        "by": "",
        "group": "",
        "suppressed": "yes" if result.suppressed else "no",
        "n": result.n,
        "k": result.k,
        "estimate": result.estimate,
        "ci_low": result.ci_low,
        "ci_high": result.ci_high,
        "p_value": result.p_value,
        "effect_size": result.effect_size,
        "n_na": result.n_na,
        "n_missing": result.n_missing,
        "shown": _shown(result),
        "shown_ci": result.display.get("ci", ""),
        "shown_p": result.display.get("p", ""),
        "summary": result.summary,
    }


def _cell_row(result: ScoreResult, by: str, cell: Cell, event: str) -> dict[str, Any]:
    hidden = cell.suppressed
    return {
        **dict.fromkeys(COLUMNS, ""),
        "event": event,
        "scorer": result.scorer,
        "construct": result.construct,
        "item": result.item or "",
        "label": result.label,
        "by": by,
        "group": cell.label,
        "suppressed": "yes" if hidden else "no",
        "n": None if hidden else cell.n,
        "k": None if hidden else cell.k,
        "estimate": None if hidden else cell.estimate,
        "ci_low": None if hidden else cell.ci_low,
        "ci_high": None if hidden else cell.ci_high,
        "shown": cell.display.get("share", ""),
        "shown_ci": cell.display.get("ci", ""),
    }


def rows(report: Report) -> Iterator[dict[str, Any]]:
    scope = "programme" if report.programme else (report.event or {}).get("id", "")
    for result in report.results:
        # counts against targets say their own scope (this event, or the programme so far)
        counted = result.kind == "counts_against_targets"
        yield _result_row(result, None if counted else scope)
        for breakdown in result.breakdowns:
            for cell in breakdown.cells:
                yield _cell_row(result, breakdown.by, cell, scope)
    for entry in report.events:
        for result in entry.results:
            yield _result_row(result, entry.event["id"])


def _count_row(scope: str, **values: Any) -> dict[str, Any]:
    return {**dict.fromkeys(COLUMNS, ""), "event": scope, "scorer": "outcomes", **values}


def _participant_row(scope: str, count: ParticipantCount, **values: Any) -> dict[str, Any]:
    hidden = count.suppressed
    return _count_row(
        scope,
        **values,
        source=PARTICIPANTS,
        suppressed="yes" if hidden else "no",
        n=None if hidden else count.asked,
        k=None if hidden else count.reporting,
        outcomes=None if hidden else count.outcomes,
        shown="" if hidden else f"{count.outcomes} ({count.reporting} of {count.asked} asked)",
    )


def outcome_rows(report: Report) -> Iterator[dict[str, Any]]:
    """The reported outcomes: counts by kind and by event (observed, and reported by
    participants, apart), then each logged outcome, then participants' texts."""
    scope = "programme" if report.programme else (report.event or {}).get("id", "")
    log = report.outcome_log
    answers = report.participant_outcomes
    labels = {o.kind: o.kind_label for o in log} | {c.key: c.label for c in answers.by_kind}
    logged: dict[str, int] = {}
    at_event: dict[str, int] = {}
    for item in log:
        logged[item.kind] = logged.get(item.kind, 0) + 1
        at_event[item.event] = at_event.get(item.event, 0) + 1
    asked = {c.key: c for c in answers.by_kind}
    for kind in sorted(labels, key=lambda k: labels[k]):
        if kind in logged:
            yield _count_row(
                scope,
                construct=kind,
                label=labels[kind],
                suppressed="no",
                source=OBSERVED,
                outcomes=logged[kind],
                shown=str(logged[kind]),
            )
        if kind in asked:
            yield _participant_row(scope, asked[kind], construct=kind, label=labels[kind])
    events = {c.key: c for c in answers.by_event}
    titles = {e.event["id"]: e.event.get("title") or e.event["id"] for e in report.events}
    if report.event is not None:
        titles[report.event["id"]] = report.event.get("title") or report.event["id"]
    titles |= {c.key: c.label for c in answers.by_event}
    for event in dict.fromkeys([*at_event, *events]):
        if event in at_event:
            yield _count_row(
                event,
                label=titles.get(event, event),
                by="event",
                suppressed="no",
                source=OBSERVED,
                outcomes=at_event[event],
                shown=str(at_event[event]),
            )
        if event in events:
            yield _participant_row(event, events[event], by="event", label=events[event].label)
    for item in log:
        yield _count_row(
            item.event,
            construct=item.kind,
            label=item.kind_label,
            suppressed="no",
            source=OBSERVED,
            outcomes=1,
            date=item.date,
            text=item.text,
            evidence=item.evidence or "",
        )
    for text in answers.texts:
        yield _count_row(
            scope,
            construct=text.kind,
            label=text.kind_label,
            suppressed="no",
            source=PARTICIPANTS,
            outcomes=1,
            text=text.text,
        )


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in [*rows(report), *outcome_rows(report)]:
        writer.writerow({k: _safe("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()
