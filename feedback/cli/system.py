"""``feedback plugins`` and ``feedback channels``: what is installed; ``feedback config show``:
how it is set up."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from feedback.cli import json_option, state


@click.command()
@json_option
def plugins(as_json: bool) -> None:
    """List plugins: where each came from and the hooks it implements; failures too."""
    from feedback.migrations import plugin_migrations

    engine = state().engine()
    pm = engine.pm
    infos = [info.as_dict() for info in pm.info()]
    failures = [{"name": f.name, "source": f.source, "error": f.error} for f in pm.failures]
    problems = [
        *engine.question_types.problems,
        *engine.channels.problems,
        *engine.scorers.problems,
        *engine.report_formats.problems,
        *engine.settings.plugin_problems,
        *plugin_migrations(pm).problems,
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


@click.group()
def config() -> None:
    """The project's settings: the core's and every plugin's."""


@config.command()
@json_option
def show(as_json: bool) -> None:
    """Show every setting: its section, its value (secrets masked), its default and what it does.

    Values come from feedback.toml in the project directory, then FEEDBACK_ variables; a plugin's
    settings are in its own section ([web], [plugins.NAME]) and are listed after the core's.
    """
    from feedback.cli import plugin_manager
    from feedback.config import CONFIG_NAME, describe, env_name, load_settings

    project = state().project
    settings = load_settings(project, pm=state().pm or plugin_manager())
    toml = settings.project_dir / CONFIG_NAME
    sections = [
        {
            "section": name,
            "plugin": plugin,
            "description": description,
            "env": env_name(*name.split("."), "<KEY>") if name else env_name("<KEY>"),
            "settings": [row.as_dict() for row in rows],
        }
        for name, description, plugin, rows in describe(settings)
    ]
    problems = list(settings.plugin_problems)
    if as_json:
        out = {
            "project": str(settings.project_dir.resolve()),
            "file": str(toml.resolve()) if toml.exists() else None,
            "sections": sections,
            "problems": problems,
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    click.echo(_settings_text(settings.project_dir, toml, sections, problems))


def _settings_text(
    project: Path, toml: Path, sections: list[dict[str, Any]], problems: list[str]
) -> str:
    """The settings as plain text, wrapped to the terminal (80 columns when piped)."""
    from feedback.config import toml_value

    width = max(60, min(100, shutil.get_terminal_size((80, 24)).columns))
    source = f"{toml.resolve()}, then" if toml.exists() else f"no {toml.name}: defaults, and"
    lines = textwrap.wrap(f"Settings of {project.resolve()} ({source} FEEDBACK_ variables).", width)
    for section in sections:
        owner = f"plugin {section['plugin']}" if section["plugin"] else "core"
        title = f"[{section['section']}]" if section["section"] else "top level"
        lines += ["", f"{title}  ({owner}; {section['env']})"]
        lines += textwrap.wrap(
            section["description"], width, initial_indent="  ", subsequent_indent="  "
        )
        for row in section["settings"]:
            value = "********" if row["secret"] and row["value"] else toml_value(row["value"])
            default = (
                "(default)" if row["is_default"] else f"(default: {toml_value(row['default'])})"
            )
            head = f"  {row['key']} = {value}"
            if len(head) + 2 + len(default) <= width:
                lines.append(f"{head}  {default}")
            else:  # a long value (a table of labels) wraps under its key
                lines += textwrap.wrap(
                    head,
                    width,
                    subsequent_indent="      ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                lines.append(f"      {default}")
            lines += textwrap.wrap(
                row["description"], width, initial_indent="      ", subsequent_indent="      "
            )
    if problems:
        lines.append("")
        lines += [f"problem: {problem}" for problem in problems]
    return "\n".join(lines)
