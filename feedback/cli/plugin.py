"""``feedback plugin new NAME --kind KIND``: a working, tested plugin package from a template.

The templates are package data (``feedback/plugin_templates/<kind>/`` plus ``common/``), rendered
with Jinja2. A path part ``PACKAGE`` becomes the package's name and ``.j2`` is dropped. Every
generated package passes its own tests as generated (tests/kit/test_plugin_new.py runs them).
"""

from __future__ import annotations

import keyword
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import click

from feedback.cli import CommandError

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEMPLATES = "feedback.plugin_templates"


@dataclass(frozen=True)
class Kind:
    """What a kind of plugin does, in the words its files use."""

    title: str
    description: str
    usage: str


KINDS: dict[str, Kind] = {
    "scorer": Kind(
        "Scorer",
        "An outcome scorer for feedback: the share of participants who agree with the items it "
        "reads.",
        "\nTag the items it reads with `measures: {name}` in a survey, then run "
        "`feedback score` or `feedback report`.\n",
    ),
    "channel": Kind(
        "Channel",
        "A delivery channel for feedback: responses imported from JSON Lines files.",
        "\nStore a file of responses with `feedback {name}-import FILE`.\n",
    ),
    "question-type": Kind(
        "Question type",
        "A question type for feedback, drawn by the kiosk, the web form, the offline form and "
        "the paper form.",
        "\nUse it in a survey with `type: {name}`.\n",
    ),
    "format": Kind(
        "Survey format",
        "A survey file format for feedback: surveys written in TOML (`*.survey.toml`).",
        "\nPut a `*.survey.toml` file in the project's `surveys/` folder.\n",
    ),
}


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a plugin, or ``None``."""
    if not NAME.match(name):
        return (
            f"expected a name of lower-case letters, digits and '_', starting with a letter "
            f"(at most 40), found '{name}'"
        )
    if keyword.iskeyword(name):
        return f"'{name}' is a Python keyword"
    return None


def _files(node: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    out: list[tuple[tuple[str, ...], str]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name == "__pycache__":
            continue
        if child.is_dir():
            out += _files(child, (*prefix, child.name))
        elif child.name.endswith(".j2"):
            out.append(((*prefix, child.name[: -len(".j2")]), child.read_text(encoding="utf-8")))
    return out


def render(name: str, kind: str) -> dict[Path, str]:
    """Every file of the new package (relative path -> text)."""
    from jinja2 import Environment, StrictUndefined

    problem = name_problem(name)
    if problem is not None:
        raise ValueError(problem)
    info = KINDS[kind]
    package = f"feedback_{name}"
    context = {
        "name": name,
        "kind": kind,
        "package": package,
        "distribution": f"feedback-{name.replace('_', '-')}",
        "title": name.replace("_", " ").capitalize(),
        "class_name": "".join(part.capitalize() for part in name.split("_")),
        "description": info.description,
        "usage": info.usage.format(name=name),
        "command_help": "Store the responses of a JSON Lines file.",
    }
    environment = Environment(
        undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False
    )
    root = resources.files(TEMPLATES)
    out: dict[Path, str] = {}
    for part in ("common", kind):
        for path, text in _files(root / part):
            target = Path(
                *(package if p == "PACKAGE" else p.replace("PACKAGE", package) for p in path)
            )
            out[target] = environment.from_string(text).render(context)
    return out


def write_package(name: str, kind: str, folder: Path) -> Path:
    """Write the package into ``folder/<distribution>``; return that directory.

    :raises ValueError: a bad name, or the directory exists already.
    """
    files = render(name, kind)
    target = folder / f"feedback-{name.replace('_', '-')}"
    if target.exists():
        raise ValueError(f"{target}: exists already; choose another name or folder")
    # Written beside the target and renamed at the end: a failure leaves no half package.
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=folder))
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


@click.group("plugin")
def plugin() -> None:
    """Start a plugin of your own: a package with its tests, from a template."""


@plugin.command("new")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(sorted(KINDS)),
    required=True,
    help="What the plugin adds.",
)
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="The folder to write the package into.",
)
def new(name: str, kind: str, folder: Path) -> None:
    """Write a working plugin package NAME of the given kind, with passing tests.

    NAME is lower-case letters, digits and '_' (the package is feedback_NAME, installed as
    feedback-NAME). Then: cd into it, `pip install -e ".[test]"` and `python3 -m pytest`.
    """
    if not folder.is_dir():
        raise CommandError(f"--dir: the folder {folder} does not exist", 2)
    problem = name_problem(name)
    if problem is not None:
        raise CommandError(f"NAME: {problem}", 2)
    try:
        target = write_package(name, kind, folder)
    except ValueError as exc:
        raise CommandError(str(exc), 2) from exc
    except OSError as exc:
        raise CommandError(f"--dir: cannot write into {folder}: {exc.strerror or exc}", 2) from exc
    click.echo(f"Wrote {target} ({KINDS[kind].title.lower()} plugin 'feedback_{name}'). Next:")
    click.echo(f'  cd {target} && pip install -e ".[test]" && python3 -m pytest')
