"""``feedback keys``: the key that links a person's answers over time (`feedback.linking`)."""

from __future__ import annotations

from pathlib import Path

import click

from feedback.cli import CommandError, state


@click.group("keys")
def keys() -> None:
    """The key that links a person's follow-up answers to their first ones."""


@keys.command("new")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the key (default: linking_key, else the user's config folder).",
)
def new(out: Path | None) -> None:
    """Make a new linking key file, readable by you only; never over an existing one.

    Keep it apart from the database: whoever holds both can link answers to people. Without it,
    the database links no answer to a person.
    """
    from feedback.config import load_settings
    from feedback.linking import LinkingKeyError, default_key_path, new_key_file

    settings = load_settings(state().project)
    found = settings.linking_key_path or default_key_path(settings.project_dir)
    path = (out or found).expanduser().absolute()
    if out is None and settings.linking_key_path is None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        new_key_file(path)
    except LinkingKeyError as exc:
        raise CommandError(str(exc), 2) from exc
    click.echo(f"Wrote a new linking key to {path} (readable by you only).")
    if path.parent == settings.db_path.absolute().parent:
        click.echo(
            "Warning: the key is in the database's folder; whoever copies the folder can link "
            "answers to people. Keep it elsewhere.",
            err=True,
        )
    if path != found.expanduser().absolute():
        click.echo(f'Tell feedback where it is: linking_key = "{path}" in feedback.toml.')
