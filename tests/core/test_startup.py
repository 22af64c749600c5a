"""Start-up pays only for what it uses: commands load lazily (issue 14, section 5).

``feedback --help`` lists every command, the core's and the plugins', from the short help each
declares, without importing any command's module; a command's module is imported when it runs or
its own ``--help`` is asked. These tests check what is imported (in a fresh interpreter) and that
the declared short help cannot drift from the real command's. The time it takes is measured by
``benchmarks/bench_startup.py``, never asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import pm_with_formats

import feedback.cli
from feedback import hookimpl
from feedback.cli import FeedbackGroup, LazyCommand, cli, lazy_command_problems

ROOT = Path(__file__).resolve().parents[2]

#: Every command the core and the built-in plugins add (others may add more).
BUILT_IN = {
    "survey",
    "event",
    "roster",
    "responses",
    "plugins",
    "channels",
    "kiosk",
    "score",
    "report",
    "invite",
    "remind",
    "invitations",
    "serve",
    "qr",
    "offline",
    "merge",
}

#: Modules that ``feedback --help`` must not import: libraries of user interfaces, science and
#: templates, the survey models (pydantic), the engine and its database layer, and the modules
#: of the commands themselves.
HEAVY = [
    "scipy",
    "numpy",
    "matplotlib",
    "starlette",
    "uvicorn",
    "textual",
    "jinja2",
    "reportlab",
    "segno",
    "rich",
    "pydantic",
    "pydantic_core",
    "pydantic_settings",
    "sqlite_utils",
    "feedback.survey",
    "feedback.questions",
    "feedback.loading",
    "feedback.checks",
    "feedback.engine",
    "feedback.config",
    "feedback.store",
    "feedback.sqlite",
    "feedback.scoring",
    "feedback.cli.data",
    "feedback.cli.surveys",
    "feedback.cli.system",
    "feedback_kiosk.cli",
    "feedback_scoring.cli",
    "feedback_reports.cli",
    "feedback_reports.model",
    "feedback_email.cli",
    "feedback_web.cli",
    "feedback_offline.cli",
    "feedback_offline.merging",
]

#: Run ``feedback ARGS`` as the console script does, then write its output and the names of the
#: modules it imported (argv: the JSON file, then the arguments). Then, in the same process, load
#: every command and write the help click prints for a plain group of the loaded commands.
PROBE = textwrap.dedent(
    """
    import io, json, shutil, sys
    import click
    out, args = sys.argv[1], sys.argv[2:]
    from feedback.cli import LazyCommand, cli
    shown = io.StringIO()
    sys.stdout = shown
    try:
        cli(args, prog_name="feedback")
    except SystemExit as exc:
        code = exc.code
    sys.stdout = sys.__stdout__
    modules = sorted(sys.modules)
    commands = {
        name: command.load() if isinstance(command, LazyCommand) else command
        for name, command in cli.commands.items()
    }
    eager = click.Group("feedback", commands=commands, params=cli.params, help=cli.help)
    # click's formatter takes 2 off the terminal's width, up to 80 columns
    width = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)
    eager_help = eager.get_help(click.Context(eager, info_name="feedback", terminal_width=width))
    result = {"code": code, "output": shown.getvalue(), "modules": modules, "eager": eager_help}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    """
)


def probe(tmp_path: Path, *args: str, columns: int = 80) -> dict[str, object]:
    """``feedback ARGS`` in a fresh interpreter with the installed plugins (entry points)."""
    out = tmp_path / "probe.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    env["COLUMNS"] = str(columns)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return result


def loaded(modules: object, names: list[str]) -> list[str]:
    """Those of ``names`` (or their submodules) found among ``modules``."""
    assert isinstance(modules, list)
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


def listed() -> dict[str, click.Command]:
    """The top-level commands as the group holds them (lazy stand-ins unloaded)."""
    names = cli.list_commands(click.Context(cli))
    return {name: cli.commands[name] for name in names}


# -- what start-up imports --------------------------------------------------------------------


def test_help_lists_every_command_and_imports_no_heavy_module(tmp_path: Path) -> None:
    result = probe(tmp_path, "--help")
    assert result["code"] == 0
    output = str(result["output"])
    for name in BUILT_IN:
        assert f"\n  {name} " in output, f"{name} is missing from feedback --help"
    assert loaded(result["modules"], HEAVY) == []


def test_a_command_loads_its_own_module_and_no_other(tmp_path: Path) -> None:
    result = probe(tmp_path, "score", "--help")
    assert result["code"] == 0
    assert "--programme" in str(result["output"])
    assert loaded(result["modules"], ["feedback_scoring.cli"]) == ["feedback_scoring.cli"]
    others = ["feedback_web.cli", "feedback_kiosk.cli", "feedback_email.cli", "starlette"]
    assert loaded(result["modules"], [*others, "textual", "feedback.cli.data"]) == []


# -- the declared short help is the real one ----------------------------------------------------


def test_every_built_in_command_is_lazy() -> None:
    commands = listed()
    assert set(commands) >= BUILT_IN
    for name, command in commands.items():
        if isinstance(command, LazyCommand):
            continue
        module = getattr(command.callback, "__module__", "") or ""
        assert not module.startswith("feedback"), (
            f"'{name}' ({module}) is added eagerly: use cli.add_lazy_command"
        )


def test_the_declared_short_help_is_the_commands_own() -> None:
    listed()  # the plugins' commands added
    assert lazy_command_problems(cli) == []


def test_a_drifted_short_help_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lazy_hello_cmd.py").write_text(HELLO, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "lazy_hello_cmd", raising=False)
    group = FeedbackGroup("test")
    group.add_lazy_command("exact", "lazy_hello_cmd:hello", "Greet someone by name.")
    group.add_lazy_command("drifted", "lazy_hello_cmd:hello", "Greet someone.")
    group.add_lazy_command("shown", "lazy_hello_cmd:hello", "Greet someone by name.", hidden=True)
    group.add_lazy_command("gone", "lazy_hello_gone:hello", "Greet someone by name.")
    assert lazy_command_problems(group) == [
        "'drifted' (lazy_hello_cmd:hello): add_lazy_command was given the short help "
        "'Greet someone.', the command shows 'Greet someone by...' (at 20 characters)",
        "command 'gone' (lazy_hello_gone:hello) cannot be loaded: ModuleNotFoundError: "
        "No module named 'lazy_hello_gone'",
        "'shown' (lazy_hello_cmd:hello): hidden=True given to add_lazy_command, the command has "
        "hidden=False",
    ]


@pytest.mark.parametrize("columns", [60, 80])
def test_the_listing_equals_the_listing_of_the_real_commands(tmp_path: Path, columns: int) -> None:
    """``feedback --help`` (lazy) is what click prints for the loaded commands, in the same fresh
    interpreter with the installed plugins."""
    result = probe(tmp_path, "--help", columns=columns)
    assert result["output"] == f"{result['eager']}\n"
    assert "  serve " in str(result["output"])


# -- the API for plugins ------------------------------------------------------------------------

HELLO = '''
import click


@click.command()
@click.argument("name")
def hello(name: str) -> None:
    """Greet someone by name. The rest is long help."""
    click.echo(f"Hello, {name}!")


not_a_command = 42
'''


class LazyHello:
    @hookimpl
    def register_commands(self, cli: FeedbackGroup) -> None:
        cli.add_lazy_command("say-hello", "lazy_hello_cmd:hello", "Greet someone by name.")
        cli.add_lazy_command("broken", "lazy_hello_cmd:not_a_command", "Nothing useful here.")
        cli.add_lazy_command("missing", "lazy_hello_missing:hello", "Never was there.")


@pytest.fixture
def lazy_hello(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[click.Group, pytest.MonkeyPatch]:
    (tmp_path / "lazy_hello_cmd.py").write_text(HELLO, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "lazy_hello_cmd", raising=False)
    pm = pm_with_formats(LazyHello())
    group = feedback.cli.cli
    monkeypatch.setattr(feedback.cli, "plugin_manager", lambda: pm)
    monkeypatch.setattr(group, "_plugins_added", False)
    monkeypatch.setattr(group, "commands", dict(group.commands))
    return group, monkeypatch


def test_a_plugins_lazy_command_is_listed_unloaded_and_runs(
    lazy_hello: tuple[click.Group, pytest.MonkeyPatch], project: Path
) -> None:
    group, _ = lazy_hello
    runner = CliRunner()
    listing = runner.invoke(group, ["--help"])
    assert listing.exit_code == 0
    assert "  say-hello    Greet someone by name.\n" in listing.output
    assert "lazy_hello_cmd" not in sys.modules

    result = runner.invoke(group, ["--project", str(project), "say-hello", "Hague"])
    assert result.exit_code == 0, result.output
    assert result.output == "Hello, Hague!\n"
    assert "lazy_hello_cmd" in sys.modules
    own_help = runner.invoke(group, ["say-hello", "--help"])
    assert "The rest is long help." in own_help.output


def test_shell_completion_names_lazy_commands_without_loading_them(
    lazy_hello: tuple[click.Group, pytest.MonkeyPatch],
) -> None:
    group, _ = lazy_hello
    ctx = click.Context(group, info_name="feedback")
    items = group.shell_complete(ctx, "say")
    assert [(item.value, item.help) for item in items] == [("say-hello", "Greet someone by name.")]
    assert "lazy_hello_cmd" not in sys.modules
    assert [item.value for item in group.shell_complete(ctx, "--pro")] == ["--project"]


def test_a_lazy_command_that_cannot_load_says_which_and_why(
    lazy_hello: tuple[click.Group, pytest.MonkeyPatch],
) -> None:
    group, _ = lazy_hello
    runner = CliRunner()
    missing = runner.invoke(group, ["missing"])
    assert missing.exit_code == 1
    assert "command 'missing' (lazy_hello_missing:hello) cannot be loaded" in missing.output
    assert "No module named 'lazy_hello_missing'" in missing.output
    broken = runner.invoke(group, ["broken"])
    assert broken.exit_code == 1
    assert (
        "command 'broken' (lazy_hello_cmd:not_a_command): expected a click command, found int"
        in broken.output
    )


def test_add_lazy_command_refuses_a_bad_target_or_no_help() -> None:
    group = FeedbackGroup("other")
    with pytest.raises(ValueError, match=r"'package\.module:attribute', found 'lazy_hello_cmd'"):
        group.add_lazy_command("x", "lazy_hello_cmd", "Some help.")
    with pytest.raises(ValueError, match="give its short help"):
        group.add_lazy_command("x", "lazy_hello_cmd:hello", "  ")
    assert group.commands == {}


def test_the_stand_in_used_directly_is_the_real_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lazy_hello_cmd.py").write_text(HELLO, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "lazy_hello_cmd", raising=False)
    stand_in = LazyCommand("say-hello", "lazy_hello_cmd:hello", "Greet someone by name.")
    result = CliRunner().invoke(stand_in, ["Ada"])
    assert result.exit_code == 0, result.output
    assert result.output == "Hello, Ada!\n"
