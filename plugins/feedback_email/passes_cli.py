"""``feedback passes send``: check-in passes by email (`feedback_email.passes`)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from feedback.cli import CommandError, db_option, state
from feedback.errors import InvalidInput
from feedback.i18n import plural
from feedback.text import shown
from feedback_email.cli import event_option, outbox_option, plain_console, progress_bar
from feedback_email.passes import PassSummary, send_passes


@click.group()
def passes() -> None:
    """Check-in passes by email: a personal QR code to show at the entrance."""


def _again(event: str, people: list[int]) -> str:
    """The command that sends a new pass to ``people`` only."""
    return (
        f"`feedback passes send --event {event}" + "".join(f" --person {p}" for p in people) + "`"
    )


def report(summary: PassSummary) -> None:
    """Print what a run did; raise `CommandError` (exit 1) if a message failed or was left.

    Names, addresses and reasons go through `feedback.text.shown`; the codes are never printed.
    """
    lines = [
        escape(f"Check-in passes for {summary.event}, via {summary.via}:"),
        f"  sent {len(summary.sent)}",
        f"  failed {len(summary.failed)}",
        f"  people without an email address {len(summary.without_email)}",
    ]
    if summary.not_sent:
        lines.append(f"  not sent (run stopped) {len(summary.not_sent)}")
    if summary.files:
        lines.append(
            f"Wrote {plural(len(summary.files), 'file')} to {shown(summary.files[0].parent)}"
        )
    if summary.failed:
        lines.append("Failed (no pass was kept for them):")
        lines.extend(
            f"  {shown(f.name)} <{shown(f.email)}> (person {f.person}): {shown(f.reason)}"
            for f in summary.failed
        )
    if summary.without_email:
        lines.append("Skipped, no email address (add one to the roster, or print their badge):")
        lines.extend(f"  {shown(name)} (person {person})" for person, name in summary.without_email)
    plain_console().print("\n".join(lines))
    problems = []
    if summary.stopped:
        problems.append(
            f"{summary.stopped}\n{plural(len(summary.not_sent), 'pass', 'passes')} not sent: run "
            f"{_again(summary.event, summary.not_sent)} to send them"
        )
    if summary.failed:
        problems.append(
            f"{plural(len(summary.failed), 'pass', 'passes')} failed (listed above); fix the "
            f"addresses or the server, then run "
            f"{_again(summary.event, [f.person for f in summary.failed])} to send them again"
        )
    if problems:
        raise CommandError("\n".join(problems), 1)


@passes.command("send")
@event_option
@click.option(
    "--person",
    "people",
    multiple=True,
    metavar="WHO",
    help="Only this person: a roster id or an email address (repeat for more; default: "
    "everyone on the event's roster).",
)
@outbox_option
@click.option(
    "--language",
    metavar="LANG",
    default=None,
    help="The language of the emails to people whose roster entry names none (default: "
    "English; en and nl are shipped).",
)
@db_option
def send(
    event_id: str,
    people: tuple[str, ...],
    outbox: Path | None,
    language: str | None,
    db: Path | None,
) -> None:
    """Email each person on an event's roster their check-in pass.

    Each gets one email in their language with the event, its date and place, and a QR code to
    show at the entrance, which checks them in (`feedback serve` opens its link); the text part
    carries the same check-in link. People without an email address are listed as skipped.
    Running again sends every person given a new pass: the passes sent before stay good, so
    name the people (--person) to send only theirs again. Needs base_url and mail_from, and
    smtp_host unless --outbox. Exits 1 if any message failed (no pass is kept for it), 2 for
    invalid input (nothing is issued or sent then).
    """
    from feedback.erasure import find_person

    engine = state().engine(db)
    found = None
    if people:
        found = []
        for who in people:
            try:
                found.append(find_person(engine, who))
            except InvalidInput as exc:
                raise CommandError(f"--person: {exc}; nothing was sent", 2) from exc
    with progress_bar("sending check-in passes") as progress:
        summary = send_passes(engine, event_id, found, outbox, language, progress)
    report(summary)
