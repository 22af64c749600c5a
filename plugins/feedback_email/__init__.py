"""Built-in plugin: invitations and reminders by email, each with a personal link to the web form.

Commands: ``feedback invite``, ``feedback remind`` and ``feedback invitations``. In Python:
`send_invitations`, `send_reminders` (both return a `Summary`) and `overview`. Messages are
multipart (text and HTML) from Jinja2 templates that a project can override in
``templates/email/``; see `feedback_email.compose`. Tokens, dates and statuses are kept by
`feedback.invitations`; this plugin writes no SQL. Responses come in through the web form
(channel ``web``, plugin ``feedback_web``), so this plugin registers no channel of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from feedback import hookimpl

if TYPE_CHECKING:
    from feedback_email.delivery import Summary, send_invitations, send_reminders
    from feedback_email.status import overview

__all__ = ["Summary", "overview", "send_invitations", "send_reminders"]


def __getattr__(name: str) -> Any:
    """The Python API, imported on first use (the command line stays light)."""
    if name in ("Summary", "send_invitations", "send_reminders"):
        from feedback_email import delivery

        return getattr(delivery, name)
    if name == "overview":
        from feedback_email.status import overview

        return overview
    raise AttributeError(f"module 'feedback_email' has no attribute '{name}'")


@hookimpl
def register_commands(cli: click.Group) -> None:
    from feedback_email.cli import invitations_command, invite, remind

    cli.add_command(invite)
    cli.add_command(remind)
    cli.add_command(invitations_command)
