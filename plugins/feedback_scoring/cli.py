"""``feedback score``: the outcome figures of an event, or of the programme, in the terminal."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from feedback.cli import db_option, json_option, scoring_context, state
from feedback.i18n import plural
from feedback.scoring import ScoreResult, paused_gc
from feedback.scoring import score as run_scorers


def _figure(result: ScoreResult) -> str:
    """The figure column: from the display fields every format shares (`ScoreResult.display`)."""
    shown = result.display
    if result.suppressed:
        return "not shown"
    if "share" in shown:
        text = f"{result.k} of {result.n} ({shown['share']})"
        return text + (f"\n{shown['ci']}" if shown.get("ci") else "")
    if result.unit == "count":
        return f"{plural(result.k or 0, 'MP')} of {plural(result.n or 0, 'participant')}"
    if result.unit == "rate":
        rate = shown.get("response_rate")
        return f"{result.k} of {result.n}" + (f" ({rate})" if rate else "")
    for key in ("median", "alpha"):
        if key in shown:
            return shown[key] + (f"\nNPS {shown['nps']}" if "nps" in shown else "")
    return "–"


def results_for(db: Path | None, event: str | None, programme: bool) -> list[ScoreResult]:
    """Every scorer's results for the options given."""
    return run_scorers(state().engine(db), scoring_context(db, event, programme))


@click.command()
@click.option("--event", help="The event to score.")
@click.option("--programme", is_flag=True, help="Every event so far, together.")
@json_option
@db_option
def score(event: str | None, programme: bool, as_json: bool, db: Path | None) -> None:
    """Score the outcomes: reach, awareness, support, cooperation, contacts, satisfaction.

    Each figure comes with its denominator, interval and method; "don't know" and unanswered
    questions are counted apart. --json prints a list of objects for other tools.
    """
    status = Console(stderr=True)
    with (
        paused_gc(),
        status.status("reading and scoring the responses...")
        if status.is_terminal
        else contextlib.nullcontext(),
    ):
        results = results_for(db, event, programme)
    if as_json:
        click.echo(
            json.dumps([r.model_dump(mode="json") for r in results], indent=2, ensure_ascii=False)
        )
        return
    console = Console()
    if console.width < NARROW:
        _print_blocks(console, results)
        return
    table = Table("scorer", "item", "figure", "p", "n/a", "summary", show_lines=True)
    for result in results:
        table.add_row(
            result.scorer,
            escape(result.item or result.label),
            _figure(result),
            result.display.get("p", ""),
            str(result.n_na) if result.n_na else "",
            escape(result.summary),
        )
    console.print(table)


NARROW = 120
"""Below this many columns a table of six columns squeezes the sentences into slivers: each result
is printed as a block instead (its name, its figure, then its sentence across the whole width)."""


def _print_blocks(console: Console, results: list[ScoreResult]) -> None:
    for i, result in enumerate(results):
        if i:
            console.print()
        name = result.item or result.label
        console.print(f"[bold]{escape(result.scorer)}[/bold] · {escape(name)}", highlight=False)
        figure = _figure(result).replace("\n", ", ")
        extra = [x for x in (result.display.get("p", ""),) if x]
        if result.n_na:
            extra.append(f"{result.n_na} don't know")
        console.print("  " + " · ".join([figure, *extra]), highlight=False)
        console.print(escape(result.summary), highlight=False)
