"""Built-in plugin: forms that work with no server and no network, paper forms, their import, and
the merge of databases from several kiosks.

- ``feedback offline form``: one self-contained HTML file that works opened from disk;
- ``feedback offline paper``: a printable form (PDF or HTML) with tick boxes and a form code;
- ``feedback offline template``: a CSV for keying in paper forms;
- ``feedback offline import``: response files and filled CSV templates, each file all or nothing;
- ``feedback merge``: the responses, events, surveys, people and attendance of other databases.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from feedback import hookimpl
from feedback.registry import Channel


@hookimpl
def register_commands(cli: click.Group) -> None:
    from feedback_offline.cli import merge_command, offline

    cli.add_command(offline)
    cli.add_command(merge_command())


@hookimpl
def register_channels(register: Callable[[Channel], None]) -> None:
    register(
        Channel(
            "offline",
            "Offline form",
            "A standalone HTML file filled in with no network; its response files are imported "
            "with `feedback offline import`.",
        )
    )
