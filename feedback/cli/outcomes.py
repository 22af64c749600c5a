"""``feedback outcome``: the outcome log (`feedback.outcomes`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table

from feedback.cli import db_option, json_option, state
from feedback.errors import InvalidInput
from feedback.i18n import plural
from feedback.text import shown


def _checks(engine: Any) -> dict[str, Any]:
    from feedback.events import today

    return {
        "kinds": engine.settings.programme.outcome_kinds,
        "events": engine.store.event_ids(),
        "project_dir": engine.settings.project_dir,
        "today": today(),
    }


@click.group()
def outcome() -> None:
    """The outcome log: outcomes observed after an event, with their evidence."""


@outcome.command(name="add")
@click.option("--event", "event_id", required=True, help="The event the outcome followed.")
@click.option("--kind", required=True, help="Its kind, one of [programme.outcome_kinds].")
@click.option("--date", "date_", required=True, help="When it happened, YYYY-MM-DD.")
@click.option("--text", required=True, help="What happened, in one line.")
@click.option(
    "--evidence",
    type=click.Path(path_type=Path),
    help="A file that shows it (kept where it is: its path and sha256 are recorded).",
)
@db_option
def add(
    event_id: str, kind: str, date_: str, text: str, evidence: Path | None, db: Path | None
) -> None:
    """Record an outcome of an event: its kind, date, what happened and its evidence.

    The evidence file stays where it is (it is not copied): the log keeps its path, relative to
    the project when inside it, and its sha256. Any problem refuses it (exit 2).
    """
    from feedback import outcomes

    engine = state().engine(db)
    fields = {
        "event": event_id,
        "kind": kind,
        "date": date_,
        "text": text,
        "evidence": str(evidence) if evidence is not None else None,
    }
    found, problems = outcomes.check_outcome(fields, **_checks(engine))
    if found is None:
        options = {"event": "--event", "kind": "--kind", "date": "--date", "text": "--text"}
        lines = [
            f"{options.get(str(p.loc[0]), '--evidence')}: {p.message}" if p.loc else p.message
            for p in problems
        ]
        raise InvalidInput("\n".join(lines))
    number = outcomes.add_outcome(engine.store, found)
    evidence_note = f" (evidence {found.evidence})" if found.evidence else ""
    click.echo(
        f"recorded outcome {number}: {found.kind} of {found.event} on {found.date}{evidence_note}"
    )


@outcome.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@db_option
def import_(file: Path, db: Path | None) -> None:
    """Import outcomes from a CSV: event, kind, date, text, evidence.

    An evidence path is read from the CSV's folder. Any problem refuses the whole file (exit 2)
    and names its line and column; nothing is written.
    """
    from feedback import outcomes

    engine = state().engine(db)
    found = outcomes.read_outcomes(file, **_checks(engine))
    outcomes.add_outcomes(engine.store, found)
    events = sorted({o.event for o in found})
    click.echo(
        f"{file}: {plural(len(found), 'outcome')} recorded for "
        f"{plural(len(events), 'event')} ({', '.join(events)})"
    )


@outcome.command(name="list")
@click.option("--event", "event_id", help="Only this event.")
@json_option
@db_option
def list_(event_id: str | None, as_json: bool, db: Path | None) -> None:
    """List the outcomes recorded, by date: the log's, and those reported in survey answers.

    An outcome reported by a participant (a survey item that declares ``outcome:``) is read from
    the stored answer each time, its source "survey" and its date the response's; a number
    answer counts as that many outcomes.
    """
    from feedback import outcomes
    from feedback.cli.data import _known_event

    engine = state().engine(db)
    if event_id is not None:
        _known_event(engine, event_id)
    rows = outcomes.all_outcomes(engine, [event_id] if event_id is not None else None)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no outcomes yet: record one with `feedback outcome add`")
        return
    kinds = engine.settings.programme.outcome_kinds
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("id", no_wrap=True, justify="right")
    table.add_column("date", no_wrap=True)
    table.add_column("event", ratio=1, overflow="fold")
    table.add_column("kind", ratio=1)
    table.add_column("source", no_wrap=True)
    table.add_column("outcome", ratio=3, overflow="fold")
    table.add_column("evidence", ratio=1, overflow="fold")
    for row in rows:
        answered = row["source"] == "survey"
        what = row["text"] if row["text"] else f"{row['label']}: {row['answer']}"
        table.add_row(
            "-" if answered else str(row["id"]),
            shown(row["date"]),
            shown(row["event"]),
            shown(kinds.get(row["kind"], row["kind"]))
            + (f" ×{row['count']}" if row["count"] != 1 else ""),
            shown(row["source"]),
            shown(what),
            shown(row["evidence"])
            if row["evidence"]
            else (shown(f"{row['survey']}.{row['question']}") if answered else "-"),
        )
    Console(emoji=False).print(table)  # stored text as written: no ":smile:" emoji
    total = sum(row["count"] for row in rows)
    logged = sum(1 for row in rows if row["source"] != "survey")
    click.echo(
        plural(total, "outcome")
        + (
            f" ({logged} observed, {total - logged} reported in survey answers)"
            if logged != total
            else ""
        )
    )
