"""``feedback indicator`` and ``feedback indicators``: the programme's indicators
(`feedback.indicators`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table

from feedback.cli import CommandError, check_output, db_option, json_option, state
from feedback.i18n import plural
from feedback.text import shown


@click.group()
def indicator() -> None:
    """Values of the programme's indicators entered by hand, with their evidence."""


@indicator.command(name="set")
@click.argument("indicator_id", metavar="ID")
@click.option("--value", required=True, help="The indicator's value, e.g. 12 or 3.5.")
@click.option("--date", "date_", required=True, help="When the value held, YYYY-MM-DD.")
@click.option("--event", "event_id", help="The event it is the value at (default: the programme).")
@click.option(
    "--evidence",
    help="A file that shows it (kept where it is: its path and sha256 are recorded), or a line "
    "of text.",
)
@db_option
def set_(
    indicator_id: str,
    value: str,
    date_: str,
    event_id: str | None,
    evidence: str | None,
    db: Path | None,
) -> None:
    """Enter a value of a manual indicator: at an event, or for the whole programme.

    The indicator must be declared in feedback.toml with source = "manual". The latest value
    entered for an event is its value there; see `feedback indicators`. Any problem refuses it
    (exit 2) and nothing is written.
    """
    from feedback import indicators
    from feedback.events import today

    engine = state().engine(db)
    found = indicators.check_value(
        engine.settings.programme.indicators,
        indicator_id,
        value=value,
        date=date_,
        event=event_id,
        evidence=evidence,
        events=engine.store.event_ids(),
        project_dir=engine.settings.project_dir,
        today=today(),
    )
    number = indicators.add_value(engine.store, found)
    where = f"at {found.event}" if found.event else "for the programme"
    note = f" (evidence {found.evidence})" if found.evidence else ""
    click.echo(
        f"recorded value {number}: {found.indicator} = {found.value} {where} on {found.date}{note}"
    )


@indicator.command(name="list")
@click.option("--indicator", "indicator_id", help="Only this indicator's values.")
@json_option
@db_option
def list_(indicator_id: str | None, as_json: bool, db: Path | None) -> None:
    """List the values entered by hand, by indicator and date."""
    from feedback import indicators

    engine = state().engine(db)
    if indicator_id is not None:
        indicators.indicator_by_id(engine.settings.programme.indicators, indicator_id)
    rows = indicators.list_values(engine.store, indicator_id)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no values entered yet: enter one with `feedback indicator set`")
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for name in ("id", "indicator", "event", "date", "value", "evidence"):
        table.add_column(name, overflow="fold", justify="right" if name == "id" else "left")
    for row in rows:
        table.add_row(
            str(row["id"]),
            shown(row["indicator"]),
            shown(row["event"]) if row["event"] else "programme",
            shown(row["date"]),
            shown(row["value"]),
            shown(row["evidence"]) if row["evidence"] else "-",
        )
    Console(emoji=False).print(table)
    click.echo(plural(len(rows), "value"))


@click.command()
@json_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    help="Export the table to a file (give -o FILE).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The file to export to (with --format; the format is read from its suffix if none).",
)
@click.option("--lang", default="en", show_default=True, help="The language of the labels.")
@db_option
def indicators(
    as_json: bool, fmt: str | None, output: Path | None, lang: str, db: Path | None
) -> None:
    """Show the programme's indicators: baseline, target, value and progress, event by event.

    One row per event (its value there, the value so far and the progress from the baseline
    towards the target) and one for the programme (the current value). Indicators are declared
    in feedback.toml under [[programme.indicators]].
    """
    from feedback import indicators as core

    if fmt is None and output is not None:
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in core.EXPORT_FORMATS:
            raise CommandError(
                f"-o: cannot tell the format of {output}: give --format csv or --format xlsx", 2
            )
    if fmt is not None and output is None:
        raise CommandError(f"--format {fmt}: give the file to write with -o FILE", 2)
    engine = state().engine(db)
    if output is not None:
        check_output(output, engine.settings.db_path)
    reports = core.compute(engine)
    if not reports:
        message = "no indicators declared: add them to feedback.toml under [[programme.indicators]]"
        if output is not None or as_json:
            raise CommandError(message, 1)
        click.echo(message)
        return
    if output is not None and fmt is not None:
        count = core.export(reports, fmt, output, lang)
        click.echo(f"{output}: {plural(count, 'row')} ({plural(len(reports), 'indicator')})")
        return
    if as_json:
        click.echo(json.dumps([r.as_dict(lang) for r in reports], indent=2, ensure_ascii=False))
        return
    _table(reports, lang)


def _table(reports: list[Any], lang: str) -> None:
    """The table: a row per event and one for the programme, per indicator (the evidence is in
    ``--json`` and the exports, and in `feedback indicator list`)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    right = ("at event", "so far", "from → to", "progress")
    for header in ("indicator", "event", *right, "date", "source"):
        table.add_column(
            header,
            overflow="fold",
            justify="right" if header in right else "left",
            no_wrap=header not in ("indicator", "source"),
            ratio=1 if header in ("indicator", "source") else None,
        )
    for number, report in enumerate(reports):
        if number:
            table.add_section()
        for row in report.rows(lang):
            programme = row["scope"] == "programme"
            unit = f" {shown(row['unit'])}" if row["unit"] else ""
            table.add_row(
                shown(row["label"]) if programme else shown(row["indicator"]),
                "programme" if programme else shown(row["event"]),
                row["value"],
                row["so_far"],
                f"{row['baseline']} → {row['target']}{unit}",
                row["progress"],
                shown(row["date"]),
                shown(row["source"] or row["note"]),
            )
    Console(emoji=False).print(table)
