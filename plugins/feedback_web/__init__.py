"""Built-in plugin: the web form behind personal links and each event's open link (Starlette).

Starlette, uvicorn and segno are imported only when a command of this plugin runs.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from feedback import hookimpl
from feedback.registry import Channel


@hookimpl
def register_commands(cli: click.Group) -> None:
    from feedback_web.cli import qr, serve

    cli.add_command(serve)
    cli.add_command(qr)


@hookimpl
def register_channels(register: Callable[[Channel], None]) -> None:
    register(
        Channel(
            "web",
            "Web form",
            "The form behind a personal emailed link (/s/<token>): `feedback serve`.",
            rendering="web",
            app="feedback_web.embed:channel_app",
        )
    )
    register(
        Channel(
            "open-link",
            "Open link",
            "The web form behind an event's open link (/e/<event>, the venue QR code), for "
            "events that turn it on (`feedback event add --open-link`); throttled per address "
            "and per event, and counted apart from personal links.",
        )
    )
