"""The CSV report: every figure of a report as one row, for a spreadsheet or a funder's template.

One row per result, then one per group of each of its breakdowns (``by`` and ``group`` set), then,
in a programme report, one per event's result (``event`` set). The numbers (``n``, ``k``,
``estimate``, ``ci_low`` ...) are unrounded; the ``shown`` columns hold the same figure as the other
formats write it (`feedback.figures`). A hidden result or group has its row, with no number at all.
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
from feedback_reports.model import Report

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
]

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


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(report):
        writer.writerow({k: _safe("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()
