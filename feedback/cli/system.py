"""``feedback plugins`` and ``feedback channels``: what is installed."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from feedback.cli import json_option, state


@click.command()
@json_option
def plugins(as_json: bool) -> None:
    """List plugins: where each came from and the hooks it implements; failures too."""
    engine = state().engine()
    pm = engine.pm
    infos = [info.as_dict() for info in pm.info()]
    failures = [{"name": f.name, "source": f.source, "error": f.error} for f in pm.failures]
    problems = [
        *engine.question_types.problems,
        *engine.channels.problems,
        *engine.scorers.problems,
        *engine.report_formats.problems,
    ]
    if as_json:
        click.echo(
            json.dumps({"plugins": infos, "failed": failures, "problems": problems}, indent=2)
        )
        return
    console = Console()
    table = Table("plugin", "source", "hooks")
    for info in infos:
        table.add_row(info["name"], escape(info["source"]), ", ".join(info["hooks"]))
    console.print(table)
    for failure in failures:
        console.print(
            f"[red]failed to load[/red] {failure['name']} ({escape(failure['source'])}): "
            f"{escape(failure['error'])}"
        )
    for problem in problems:
        console.print(f"[yellow]problem:[/yellow] {escape(problem)}")


@click.command()
@json_option
def channels(as_json: bool) -> None:
    """List the delivery channels plugins provide (kiosk, web, paper, import ...)."""
    registry = state().engine().channels
    rows = [
        {
            "name": c.name,
            "title": c.title,
            "description": c.description,
            "plugin": registry.owners[c.name],
        }
        for c in registry
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table("channel", "title", "plugin", "description")
    for row in rows:
        table.add_row(row["name"], escape(row["title"]), row["plugin"], escape(row["description"]))
    Console().print(table)
