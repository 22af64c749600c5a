"""The ``feedback`` command line: a thin click layer over the engine.

Plugins add commands through the ``register_commands`` hook; they are added the first time the group
looks up or lists its commands, so ``feedback --help`` shows them too.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from feedback import __version__
from feedback.errors import FeedbackError

F = TypeVar("F", bound=Callable[..., Any])


class CommandError(click.ClickException):
    """A `FeedbackError` on its way out: its message, and its exit code (2 for invalid input)."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class State:
    """What the group's options chose, and the engine built from them on first use."""

    def __init__(self, project: Path | None, pm: Any = None):
        self.project = project
        self.pm = pm
        self._engines: dict[Path | None, Any] = {}

    def engine(self, db: Path | None = None) -> Any:
        from feedback.config import load_settings
        from feedback.engine import Engine

        if db not in self._engines:
            overrides = {"db": db.resolve()} if db is not None else {}
            settings = load_settings(self.project, **overrides)
            self._engines[db] = Engine(settings=settings, pm=self.pm or plugin_manager())
        return self._engines[db]

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()


@functools.cache
def plugin_manager() -> Any:
    """The plugin manager of this process (entry points loaded once)."""
    from feedback.plugins import make_plugin_manager

    return make_plugin_manager()


class FeedbackGroup(click.Group):
    """A group that adds plugin commands on first use and turns project errors into messages."""

    _plugins_added = False

    def _add_plugin_commands(self) -> None:
        if not self._plugins_added and self.name == "feedback":
            self._plugins_added = True
            plugin_manager().hook.register_commands(cli=self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._add_plugin_commands()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FeedbackError as exc:
            raise CommandError(str(exc), exc.exit_code) from exc


def db_option(func: F) -> F:
    """``--db PATH`` on every command that touches data."""
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="The SQLite database (default: the project's, ./feedback.db).",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(
        func
    )


def state() -> State:
    return click.get_current_context().find_object(State)  # type: ignore[return-value]


def check_output(path: Path, database: Path | None = None, option: str = "-o") -> Path:
    """Refuse, before any slow work, a file the command could not write at the end: a folder that
    does not exist, a folder in its place, the database, a name too long, a folder where no file
    can be made (a read-only disk, /proc). Tried for real: the temporary file the writer will use
    (`feedback.files.atomic_write`) is made and removed again.

    :raises CommandError: exit code 2, naming the option and the path.
    """
    from feedback import files

    folder = path.parent
    try:
        if path.is_dir():
            raise CommandError(f"{option}: {path} is a folder, not a file", 2)
        if not folder.is_dir():
            raise CommandError(
                f"{option}: cannot write {path}: {folder} is not an existing folder", 2
            )
        if database is not None:
            try:
                files.refuse_database(path, database)
            except files.UnsafeOutput as exc:
                raise CommandError(f"{option}: {exc}", 2) from exc
        if path.exists() and not os.access(path, os.W_OK):
            raise CommandError(f"{option}: {path} cannot be written to (read-only)", 2)
        probe = files.temporary_name(path)
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))
    except OSError as exc:  # a name too long, a read-only disk, a folder without files
        why = exc.strerror or str(exc)
        raise CommandError(f"{option}: cannot write {path}: {why}", 2) from exc
    with contextlib.suppress(OSError):
        probe.unlink()
    return path


def scoring_context(db: Path | None, event: str | None, programme: bool) -> Any:
    """The `feedback.scoring.ScoringContext` that ``--event`` / ``--programme`` ask for, for every
    command that scores (`feedback score`, `feedback report`, a plugin's); a clear error when the
    options name nothing or there is nothing to score."""
    from feedback.scoring import build_context

    if event is None and not programme:
        raise CommandError("give --event ID, or --programme for every event so far", 2)
    context = build_context(state().engine(db), event, programme)
    roster = [a for a in context.attendance if programme or a["event"] == event]
    if not context.responses and not roster:
        where = "the programme" if programme else f"event '{event}'"
        raise CommandError(
            f"{where} has no responses and no roster yet: nothing to score "
            "(import responses with `feedback responses import`, a roster with "
            "`feedback roster import`)",
            1,
        )
    return context


@click.group(cls=FeedbackGroup, name="feedback")
@click.version_option(__version__, prog_name="feedback")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project directory holding feedback.toml, surveys/ and feedback.db (default: .).",
)
@click.pass_context
def cli(ctx: click.Context, project: Path | None) -> None:
    """Collect feedback after seminars and turn it into outcomes a funder can trust."""
    from feedback.plugins import PluginManager

    # An embedding program or a test may pass its own plugin manager: invoke(..., obj=pm).
    ctx.obj = State(project, ctx.obj if isinstance(ctx.obj, PluginManager) else None)
    ctx.call_on_close(ctx.obj.close)


def _register() -> None:
    from feedback.cli import data, surveys, system

    cli.add_command(surveys.survey)
    cli.add_command(data.event)
    cli.add_command(data.roster)
    cli.add_command(data.responses)
    cli.add_command(system.plugins)
    cli.add_command(system.channels)


_register()
