"""Built-in plugin: the web form behind personal links and each event's open link (Starlette).

Starlette, uvicorn and segno are imported only when a command of this plugin runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from feedback import hookimpl
from feedback.registry import Channel, SettingsSection

if TYPE_CHECKING:
    from feedback.cli import FeedbackGroup
    from feedback.question_types import Rendering
    from feedback.sqlite import Migrations


@hookimpl
def register_commands(cli: FeedbackGroup) -> None:
    cli.add_lazy_command(
        "serve",
        "feedback_web.cli:serve",
        "Serve the web form: personal links (/s/<token>) and open links (/e/<event>).",
    )
    cli.add_lazy_command(
        "qr",
        "feedback_web.cli:qr",
        "Show the QR code of an event's open link, to project or print at the venue.",
    )


@hookimpl
def register_renderings(register: Callable[[Rendering], None]) -> None:
    """The web form draws each built-in question type with a template of its own."""
    from feedback.question_types import Rendering
    from feedback.questions import BUILTIN_QUESTION_TYPES, type_name

    for model in BUILTIN_QUESTION_TYPES:
        name = type_name(model)
        register(Rendering(name, "web", f"feedback_web:templates/types/{name}.html.j2"))


@hookimpl
def register_channels(register: Callable[[Channel], None]) -> None:
    register(
        Channel(
            "web",
            "Web form",
            "The form behind a personal emailed link (/s/<token>): `feedback serve`.",
            rendering="web",
            app="feedback_web.embed:channel_app",
            phrase="online",
        )
    )
    register(
        Channel(
            "open-link",
            "Open link",
            "The web form behind an event's open link (/e/<event>, the venue QR code), for "
            "events that turn it on (`feedback event add --open-link`); throttled per address "
            "and per event, and counted apart from personal links.",
            phrase="by the event's open link",
        )
    )


@hookimpl
def register_settings(register: Callable[[SettingsSection], None]) -> None:
    from feedback_web.settings import WebSettings

    register(
        SettingsSection(
            "web", WebSettings, "The web form behind personal and open links.", own_section=True
        )
    )


@hookimpl
def register_migrations(register: Callable[[Migrations], None]) -> None:
    from feedback_web.migrations import migrations

    register(migrations)
