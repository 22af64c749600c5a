"""``feedback person``: what the project holds of one person, and erasing it."""

from __future__ import annotations

from pathlib import Path

import click

from feedback.cli import CommandError, db_option, state


@click.group("person")
def person() -> None:
    """One person of the roster: erase what the project holds of them."""


@person.command("erase")
@click.argument("who")
@click.option("--yes", is_flag=True, help="Erase without asking first.")
@db_option
def erase(who: str, yes: bool, db: Path | None) -> None:
    """Erase a person: roster entry, attendance, invitations, passes, and their answers' links.

    WHO is their roster id or email address. Their responses stay, as answers nobody can trace
    back to them: the keyed link that tied them to the person is removed (this needs the linking
    key). The erasure is logged with its date and counts, never the name.

    \b
    A tombstone is kept so that `feedback merge` does not bring the person back from another
    database of the project: a keyed hash of their email (or of their name, role, country and
    organisation), under the linking key, that names nobody without it. Without a readable key
    file, a person whose answers are linked is not erased; one whose answers are not is erased
    without a tombstone, and a merge of a database that still holds them would bring them back.
    """
    from feedback.erasure import erase_person, find_person
    from feedback.errors import InvalidInput

    engine = state().engine(db)
    try:
        person_id = find_person(engine, who)
    except InvalidInput as exc:
        raise CommandError(str(exc), 2) from exc
    if not yes:
        click.confirm(
            f"Erase person {person_id} ({who}): roster entry, attendance, invitations and "
            "links? This cannot be undone",
            abort=True,
        )
    try:
        erased = erase_person(engine, person_id)
    except InvalidInput as exc:
        raise CommandError(f"nothing was erased: {exc}", 2) from exc
    click.echo(
        f"Erased person {person_id}: {erased.links} response link(s), "
        f"{erased.invitations} invitation(s), {erased.attendance} attendance row(s), "
        f"{erased.passes} check-in pass(es). "
        "Their responses stay, unlinked."
    )
    if not erased.tombstone:
        click.echo(
            f"warning: no tombstone was kept ({erased.no_tombstone_why}): `feedback merge` of "
            "a database that still holds this person would bring them back; erase them there "
            "too before merging it",
            err=True,
        )
