"""``feedback offline ...`` (forms without a server, paper, import) and ``feedback merge``."""

from __future__ import annotations

import importlib

import click

#: each subcommand, and where it lives: loaded when it runs (reportlab only for paper)
COMMANDS = {
    "form": ("feedback_offline.standalone", "form_command"),
    "import": ("feedback_offline.importer", "import_command"),
    "paper": ("feedback_offline.paper", "paper_command"),
    "template": ("feedback_offline.paper", "template_command"),
}


class _Offline(click.Group):
    """The offline commands, each imported from its module when it is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), name)
        return command


@click.group(cls=_Offline)
def offline() -> None:
    """Forms without a server or network: a standalone HTML form, paper, and their import."""


def merge_command() -> click.Command:
    """``feedback merge`` (in `feedback_offline.merging`)."""
    from feedback_offline.merging import merge

    return merge
