"""The commands' help, and the progress bar on a terminal."""

from __future__ import annotations

import io

import click
import pytest
from click.testing import CliRunner
from rich.console import Console

from feedback.cli import cli
from feedback_email.cli import progress_bar

COMMANDS = ["invite", "remind", "invitations"]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.help
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help and len(param.help) > 10, f"{name} {param.opts} has no help"


def test_the_progress_bar_counts_on_a_terminal() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)

    with progress_bar("sending invitations", console=console) as progress:
        assert progress is not None
        progress(0, 3)
        progress(3, 3)

    assert "sending invitations" in screen.getvalue()
    assert "3/3" in screen.getvalue()


def test_no_progress_bar_without_a_terminal() -> None:
    console = Console(file=io.StringIO(), force_terminal=False)
    with progress_bar("sending invitations", console=console) as progress:
        assert progress is None
