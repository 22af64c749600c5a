"""Built-in plugin: the terminal kiosk (Textual) and staff data entry of paper forms.

Textual is imported only when the kiosk runs, so ``import feedback`` stays free of it.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from feedback import hookimpl
from feedback.registry import Channel


@hookimpl
def register_commands(cli: click.Group) -> None:
    from feedback_kiosk.cli import kiosk

    cli.add_command(kiosk)


@hookimpl
def register_channels(register: Callable[[Channel], None]) -> None:
    register(
        Channel(
            "kiosk",
            "Kiosk",
            "A terminal at the venue that participants walk up to.",
            rendering="kiosk",
            app="feedback_kiosk.embed:channel_app",
        )
    )
    register(
        Channel("paper", "Paper", "Paper forms keyed in by staff (`feedback kiosk --data-entry`).")
    )
