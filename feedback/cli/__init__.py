"""The ``feedback`` command line: a thin click layer over the engine.

Plugins add commands through the ``register_commands`` hook; they are added the first time the group
looks up or lists its commands, so ``feedback --help`` shows them too.

Commands load lazily: the group knows each command's name, where it lives and its short help
(`FeedbackGroup.add_lazy_command`), and imports its module only when the command runs or its own
``--help`` is asked. ``feedback --help`` imports no command module, so start-up pays only for the
plugins' ``__init__`` modules (see ``benchmarks/bench_startup.py``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

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
            pm = self.pm or plugin_manager()
            settings = load_settings(self.project, pm=pm, **overrides)
            self._engines[db] = Engine(settings=settings, pm=pm)
        return self._engines[db]

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()


@functools.cache
def plugin_manager() -> Any:
    """The plugin manager of this process (entry points loaded once)."""
    from feedback.plugins import make_plugin_manager

    return make_plugin_manager()


class LazyCommand(click.Command):
    """A command known by its name, its target and its short help; `load` imports the real one.

    It stands in the group's ``commands`` so that listing them (``feedback --help``) imports
    nothing. Its help is the declared short help, shortened the way click shortens the real
    command's, so the listing is the same as with the real command.
    """

    def __init__(self, name: str, target: str, short_help: str, hidden: bool = False) -> None:
        module, sep, attribute = target.partition(":")
        if not sep or not module or not attribute:
            raise ValueError(
                f"lazy command '{name}': target must be 'package.module:attribute', found "
                f"{target!r}"
            )
        if not short_help.strip():
            raise ValueError(f"lazy command '{name}' ({target}): give its short help")
        super().__init__(name, help=short_help, hidden=hidden)
        self.target = target
        self._loaded: click.Command | None = None

    def load(self) -> click.Command:
        """The real command, imported on first call.

        :raises click.ClickException: the module cannot be imported, or the attribute is not a
            click command (naming the command and its target).
        """
        if self._loaded is None:
            module, _, attribute = self.target.partition(":")
            try:
                found = getattr(importlib.import_module(module), attribute)
            except (ImportError, AttributeError) as exc:
                raise click.ClickException(
                    f"command '{self.name}' ({self.target}) cannot be loaded: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
            if not isinstance(found, click.Command):
                raise click.ClickException(
                    f"command '{self.name}' ({self.target}): expected a click command, found "
                    f"{type(found).__name__}"
                )
            self._loaded = found
        return self._loaded

    # Used directly (not through the group), the stand-in is the real command.
    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        return self.load().make_context(info_name, args, parent, **extra)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        return self.load().main(*args, **kwargs)


def lazy_command_problems(
    group: click.Group, limits: tuple[int, ...] = (20, 35, 45, 60, 74, 200)
) -> list[str]:
    """Where the short help given to `FeedbackGroup.add_lazy_command` is not what click shows for
    the real command (at each width in ``limits``), or the two differ in ``hidden``; and the lazy
    commands that cannot be loaded (subcommands added to the core's groups too). Loads every lazy
    command of ``group``: for tests, e.g.
    ``assert lazy_command_problems(group) == []`` after calling a plugin's ``register_commands``
    on ``FeedbackGroup("test")``."""
    problems = []
    nested = getattr(group, "subcommands", {})
    named = [*group.commands.items()]
    named += [(f"{g} {c}", lazy) for g, children in nested.items() for c, lazy in children.items()]
    for name, command in sorted(named):
        if not isinstance(command, LazyCommand):
            continue
        try:
            real = command.load()
        except click.ClickException as exc:
            problems.append(exc.message)
            continue
        for limit in limits:
            declared, own = command.get_short_help_str(limit), real.get_short_help_str(limit)
            if declared != own:
                problems.append(
                    f"'{name}' ({command.target}): add_lazy_command was given the short help "
                    f"{declared!r}, the command shows {own!r} (at {limit} characters)"
                )
                break
        if command.hidden != real.hidden:
            problems.append(
                f"'{name}' ({command.target}): hidden={command.hidden} given to add_lazy_command, "
                f"the command has hidden={real.hidden}"
            )
    return problems


class FeedbackGroup(click.Group):
    """A group that adds plugin commands on first use, loads commands lazily, and turns project
    errors into messages."""

    _plugins_added = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the subcommands plugins add to the core's groups (``"survey translations"``), by group
        self.subcommands: dict[str, dict[str, LazyCommand]] = {}

    def add_lazy_command(
        self, name: str, target: str, short_help: str, *, hidden: bool = False
    ) -> None:
        """Add the command ``name``, found at ``target`` (``"package.module:attribute"``, a click
        command), importing its module only when the command runs or its own ``--help`` is asked.

        ``short_help`` is what ``feedback --help`` lists for it: the first sentence of the real
        command's docstring (or its ``short_help``), as click would show it; the test suite checks
        that the two agree. Eager ``add_command`` still works, at the cost of importing the
        command's module at every start.

        A name of two words adds a subcommand to a group of the core: ``"survey translations"``
        is ``feedback survey translations``. It is added to that group when the group is loaded,
        so the group's module is not imported at start-up either.

        :raises ValueError: a target without ``:``, or an empty short help.
        """
        group, _, child = name.partition(" ")
        if child:
            lazy = LazyCommand(child, target, short_help, hidden=hidden)
            self.subcommands.setdefault(group, {})[child] = lazy
            return
        self.commands[name] = LazyCommand(name, target, short_help, hidden=hidden)

    def _add_plugin_commands(self) -> None:
        if not self._plugins_added and self.name == "feedback":
            self._plugins_added = True
            plugin_manager().hook.register_commands(cli=self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._add_plugin_commands()
        command = super().get_command(ctx, cmd_name)
        if isinstance(command, LazyCommand):
            command = command.load()
        if isinstance(command, click.Group):
            for child, lazy in self.subcommands.get(cmd_name, {}).items():
                command.commands.setdefault(child, lazy)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, from their short help, without loading any lazy command."""
        self._add_plugin_commands()
        commands = [
            (name, command)
            for name in self.list_commands(ctx)
            if (command := self.commands.get(name)) is not None and not command.hidden
        ]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Shell completion of command names, from their short help (no command is loaded)."""
        from click.shell_completion import CompletionItem

        self._add_plugin_commands()
        results = [
            CompletionItem(name, help=command.get_short_help_str())
            for name in self.list_commands(ctx)
            if name.startswith(incomplete)
            and (command := self.commands.get(name)) is not None
            and not command.hidden
        ]
        results.extend(click.Command.shell_complete(self, ctx, incomplete))
        return results

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


#: The core's commands: (name, target, short help); each module is imported when its command runs.
CORE_COMMANDS: list[tuple[str, str, str]] = [
    (
        "survey",
        "feedback.cli.surveys:survey",
        "Survey definitions: check them, read them, publish their schema.",
    ),
    ("event", "feedback.cli.data:event", "Events: one per seminar."),
    (
        "roster",
        "feedback.cli.data:roster",
        "The participant roster: who was invited and who attended.",
    ),
    (
        "responses",
        "feedback.cli.data:responses",
        "Responses: import from files, export for analysis.",
    ),
    (
        "outcome",
        "feedback.cli.outcomes:outcome",
        "The outcome log: outcomes observed after an event, with their evidence.",
    ),
    (
        "indicator",
        "feedback.cli.indicators:indicator",
        "Values of the programme's indicators entered by hand, with their evidence.",
    ),
    (
        "indicators",
        "feedback.cli.indicators:indicators",
        "Show the programme's indicators: baseline, target, value and progress, event by event.",
    ),
    (
        "plugins",
        "feedback.cli.system:plugins",
        "List plugins: where each came from and the hooks it implements; failures too.",
    ),
    (
        "channels",
        "feedback.cli.system:channels",
        "List the delivery channels plugins provide (kiosk, web, paper, import ...).",
    ),
    (
        "config",
        "feedback.cli.system:config",
        "The project's settings: the core's and every plugin's.",
    ),
    (
        "person",
        "feedback.cli.people:person",
        "One person of the roster: erase what the project holds of them.",
    ),
    (
        "keys",
        "feedback.cli.keys:keys",
        "The key that links a person's follow-up answers to their first ones.",
    ),
    (
        "plugin",
        "feedback.cli.plugin:plugin",
        "Start a plugin of your own: a package with its tests, from a template.",
    ),
]

for _name, _target, _short_help in CORE_COMMANDS:
    cli.add_lazy_command(_name, _target, _short_help)
