"""The command line as a user meets it: help, surveys, plugins, settings errors, import hygiene."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from feedback.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group)
    out = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        out.append((*prefix, name))
        if isinstance(command, click.Group):
            out.extend(all_commands(command, (*prefix, name)))
    return out


COMMANDS = all_commands(cli)


def run(project: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["--project", str(project), *args], catch_exceptions=False)


def test_the_issue_commands_exist() -> None:
    for expected in [
        ("survey", "validate"),
        ("survey", "show"),
        ("survey", "schema"),
        ("event", "add"),
        ("event", "list"),
        ("roster", "import"),
        ("roster", "list"),
        ("responses", "import"),
        ("responses", "export"),
        ("plugins",),
        ("channels",),
    ]:
        assert expected in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    ctx = click.Context(cli)
    command: click.Command = cli
    for name in path:
        command = command.get_command(ctx, name)  # type: ignore[attr-defined]
    assert command.help and len(command.help.strip()) > 10, f"{path} has no help text"


def test_survey_show_defaults_to_the_shipped_survey(project: Path) -> None:
    result = run(project, "survey", "show")
    assert result.exit_code == 0
    assert "Post-seminar feedback" in result.output
    assert "National Rapporteur" in result.output
    assert not (project / "feedback.db").exists()  # showing a survey writes nothing


def test_survey_show_in_dutch_and_unknown_language(project: Path) -> None:
    result = run(project, "survey", "show", "--lang", "nl")
    assert result.exit_code == 0
    assert "Evaluatie na het seminar" in result.output
    bad = CliRunner().invoke(cli, ["--project", str(project), "survey", "show", "--lang", "de"])
    assert bad.exit_code == 2
    assert "en, nl" in bad.output


def test_survey_show_unknown_id_suggests(project: Path) -> None:
    result = CliRunner().invoke(cli, ["--project", str(project), "survey", "show", "post-seminr"])
    assert result.exit_code == 2
    assert "did you mean 'post-seminar'" in result.output


def test_survey_validate_valid_and_invalid(project: Path) -> None:
    good = run(project, "survey", "validate", str(ROOT / "surveys" / "post-seminar.yaml"))
    assert good.exit_code == 0
    assert "ok:" in good.output
    bad_file = project / "surveys" / "bad.yaml"
    bad_file.write_text(
        "id: bad\ntitle: Bad\nquestions:\n  - id: q1\n    type: likret\n    label: Q\n"
        "  - id: q2\n    type: yes_no\n    lable: Q\n    label: Q\n"
    )
    result = CliRunner().invoke(
        cli, ["--project", str(project), "survey", "validate", str(bad_file)]
    )
    assert result.exit_code == 2
    assert f"{bad_file}:4:5: questions[0]: unknown question type 'likret'" in result.output
    assert "did you mean 'likert'" in result.output
    assert f"{bad_file}:9:5: questions[1].lable: unknown key 'lable'" in result.output


def test_survey_validate_without_files_checks_the_project(project: Path) -> None:
    (project / "surveys" / "broken.yaml").write_text("id: [unclosed\n")
    result = CliRunner().invoke(cli, ["--project", str(project), "survey", "validate"])
    assert result.exit_code == 2
    assert "broken.yaml:" in result.output and "not valid YAML" in result.output
    assert "ok:" in result.output and "post-seminar.yaml" in result.output


def test_survey_schema_is_json_schema_with_every_question_type(project: Path) -> None:
    result = run(project, "survey", "schema")
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    text = json.dumps(schema)
    for kind in ("single_choice", "multi_choice", "likert", "then_now", "rating", "yes_no"):
        assert f'"{kind}"' in text
    out = project / "schema.json"
    run(project, "survey", "schema", "-o", str(out))
    assert json.loads(out.read_text()) == schema


def test_survey_list(project: Path) -> None:
    result = run(project, "survey", "list", "--json")
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["post-seminar"]
    assert rows[0]["languages"] == ["en", "nl"]


def test_project_survey_overrides_shipped_one(project: Path) -> None:
    (project / "surveys" / "mine.yaml").write_text(
        "id: post-seminar\ntitle: Our own\nquestions:\n  - {id: q, type: yes_no, label: Q}\n"
    )
    result = run(project, "survey", "show")
    assert "Our own" in result.output


def test_plugins_lists_builtins_with_hooks(project: Path) -> None:
    result = run(project, "plugins", "--json")
    data = json.loads(result.output)
    formats = next(p for p in data["plugins"] if p["name"] == "formats")
    assert "load_survey" in formats["hooks"]
    assert formats["source"].startswith("entry point formats = feedback_formats")
    assert data["failed"] == []
    table = run(project, "plugins")
    assert "formats" in table.output


def test_channels_lists_import(project: Path) -> None:
    rows = json.loads(run(project, "channels", "--json").output)
    assert {"name": "import", "plugin": "formats"}.items() <= rows[0].items()


def test_bad_settings_file_is_exit_2_naming_it(project: Path) -> None:
    (project / "feedback.toml").write_text("db = 'x.db'\nbusy_timout = 3\n")
    result = CliRunner().invoke(cli, ["--project", str(project), "event", "list"])
    assert result.exit_code == 2
    assert "feedback.toml" in result.output
    assert "unknown setting 'busy_timout'; did you mean 'busy_timeout'?" in result.output
    (project / "feedback.toml").write_text("db = \n")
    result = CliRunner().invoke(cli, ["--project", str(project), "event", "list"])
    assert result.exit_code == 2
    assert "not valid TOML" in result.output


def test_db_option_chooses_the_database(project: Path) -> None:
    other = project / "other.db"
    run(project, "event", "add", "rome-2012", "--title", "Rome", "--db", str(other))
    assert other.exists()
    assert not (project / "feedback.db").exists()
    listed = json.loads(run(project, "event", "list", "--json", "--db", str(other)).output)
    assert [e["id"] for e in listed] == ["rome-2012"]


def test_importing_feedback_loads_no_ui_library(tmp_path: Path) -> None:
    """The core (engine, store) loads no UI library, and not numpy (sqlite-utils would)."""
    code = (
        "import sys, feedback, feedback.engine, feedback.cli, feedback.store;"
        "from feedback.engine import Engine;"
        "e = Engine(); e.survey('post-seminar');"
        "e.store.count_responses();"
        "bad = [m for m in ('textual', 'starlette', 'uvicorn', 'numpy') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_command_line_loads_textual_only_for_the_kiosk() -> None:
    """`feedback --help` lists the plugin commands without importing Textual, Starlette, uvicorn
    or segno: each is loaded by the command that needs it."""
    code = (
        "import sys\n"
        "from feedback.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('textual', 'starlette', 'uvicorn', 'segno') if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for command in ("kiosk", "serve", "qr", "invite", "remind", "invitations"):
        assert f"  {command} " in result.stdout
    assert result.stdout.strip().endswith("[]")


def test_survey_show_runs_in_a_fresh_directory(tmp_path: Path) -> None:
    """`feedback survey show` in an empty folder: the shipped survey, no project needed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    result = subprocess.run(
        [sys.executable, "-m", "feedback", "survey", "show"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Post-seminar feedback" in result.stdout
