"""The programme guide (docs/programme.md) stays true: every command it shows exists with the
options it gives, its settings load, and its surveys load as the guide says they do."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from feedback.cli import cli
from feedback.config import load_settings
from feedback.engine import Engine

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "programme.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def blocks(kind: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")) if lang == kind]


def command_lines() -> list[str]:
    """Each `feedback ...` command of the guide's shell and cron blocks, continued lines joined."""
    found = []
    for body in blocks("sh") + blocks("cron"):
        text = body.replace("\\\n", " ")
        for line in text.splitlines():
            for part in re.split(r"&&|;", line.split("#", 1)[0]):
                part = part.strip()
                if "feedback " in part and not part.startswith("cd "):
                    found.append(part[part.index("feedback ") :])
    return found


def test_the_guide_shows_commands() -> None:
    assert len(command_lines()) >= 15


@pytest.mark.parametrize("line", command_lines())
def test_every_command_exists_with_the_options_given(line: str) -> None:
    words = shlex.split(line)[1:]
    context = cli.make_context("feedback", ["--help"], resilient_parsing=True)
    command: click.Command = cli
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        sub = command.get_command(context, words[0])
        assert sub is not None, f"{line}: no command {words[0]!r}"
        command, words = sub, words[1:]
    assert not isinstance(command, click.Group), f"{line}: names a group, not a command"
    known = {name for p in command.params for name in p.opts + p.secondary_opts}
    given = {w.split("=", 1)[0] for w in words if w.startswith("-")}
    assert given <= known, f"{line}: {sorted(given - known)} not options of the command"


def test_the_settings_load(tmp_path: Path) -> None:
    [toml] = blocks("toml")
    key = tmp_path / "keys" / "linking.key"
    text = toml.replace("/etc/feedback/linking.key", str(key))
    (tmp_path / "feedback.toml").write_text(text, encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.programme.reach_attendance == "confirmed"
    assert [i.id for i in settings.programme.indicators] == ["mps_reached", "motions"]
    assert settings.programme.targets == {"mp": 100, "countries": 15}


def test_the_surveys_load_as_a_follow_up_of_the_first(tmp_path: Path) -> None:
    (tmp_path / "surveys").mkdir()
    for body in blocks("yaml"):
        survey_id = yaml.safe_load(body)["id"]
        (tmp_path / "surveys" / f"{survey_id}.yaml").write_text(body, encoding="utf-8")
    with Engine(settings=load_settings(tmp_path)) as engine:
        first = engine.survey("day")
        later = engine.survey("day-90")
    assert first.linking == later.linking == "pseudonymous"
    assert later.follows is not None and later.follows.survey == "day"
    assert later.follows.due_days == 90
