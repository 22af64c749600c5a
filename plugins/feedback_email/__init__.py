"""Built-in plugin: invitations and reminders by email, each with a personal link to the web form.

Commands: ``feedback invite``, ``feedback remind``, ``feedback invitations`` and ``feedback
passes send`` (check-in passes with their QR code, `feedback_email.passes`). In Python:
`send_invitations`, `send_reminders` (both return a `Summary`), `overview` and `send_passes`.
Messages are multipart (text and HTML) from Jinja2 templates that a project can override in
``templates/email/``; see `feedback_email.compose`. Tokens, dates and statuses are kept by
`feedback.invitations`; this plugin writes no SQL. Responses come in through the web form
(channel ``web``, plugin ``feedback_web``), so this plugin registers no channel of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from feedback import hookimpl
from feedback.registry import SettingsSection

if TYPE_CHECKING:
    from feedback.cli import FeedbackGroup
    from feedback_email.delivery import Summary, send_invitations, send_reminders
    from feedback_email.passes import send_passes
    from feedback_email.status import overview

__all__ = ["Summary", "overview", "send_invitations", "send_passes", "send_reminders"]


def __getattr__(name: str) -> Any:
    """The Python API, imported on first use (the command line stays light)."""
    if name in ("Summary", "send_invitations", "send_reminders"):
        from feedback_email import delivery

        return getattr(delivery, name)
    if name == "overview":
        from feedback_email.status import overview

        return overview
    if name == "send_passes":
        from feedback_email.passes import send_passes

        return send_passes
    raise AttributeError(f"module 'feedback_email' has no attribute '{name}'")


@hookimpl
def register_commands(cli: FeedbackGroup) -> None:
    cli.add_lazy_command(
        "invite",
        "feedback_email.cli:invite",
        "Email a personal link to the survey to every attendee of an event.",
    )
    cli.add_lazy_command(
        "remind",
        "feedback_email.cli:remind",
        "Remind the invited who have not filled in the survey yet.",
    )
    cli.add_lazy_command(
        "invitations",
        "feedback_email.cli:invitations_command",
        "Show the invitations of an event: counts by status and one row per person.",
    )
    cli.add_lazy_command(
        "passes",
        "feedback_email.passes_cli:passes",
        "Check-in passes by email: a personal QR code to show at the entrance.",
    )


@hookimpl
def register_settings(register: Callable[[SettingsSection], None]) -> None:
    from feedback_email.settings import EmailSettings

    register(
        SettingsSection(
            "email",
            EmailSettings,
            "The SMTP server invitations and reminders go through, and their sender.",
            own_section=True,
        )
    )
