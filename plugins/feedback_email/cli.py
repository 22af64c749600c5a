"""``feedback invite``, ``feedback remind`` and ``feedback invitations``."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from feedback.cli import CommandError, db_option, json_option, state
from feedback.i18n import plural
from feedback.text import shown
from feedback_email.delivery import Progress as ProgressCallback
from feedback_email.delivery import Summary, send_invitations, send_reminders

if TYPE_CHECKING:
    from feedback.engine import Engine

event_option = click.option(
    "--event",
    "event_id",
    required=True,
    metavar="ID",
    help="The event (see `feedback event list`).",
)
survey_option = click.option(
    "--survey",
    "survey_id",
    metavar="ID",
    default=None,
    help="The survey the links open (default: the project's default survey, post-seminar).",
)
outbox_option = click.option(
    "--outbox",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Write each message as an .eml file into DIR instead of sending it (no SMTP server "
    "needed); the messages count as sent.",
)


@contextlib.contextmanager
def progress_bar(what: str, console: Console | None = None) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr when it is a terminal; nothing (``None``) otherwise."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def plain_console() -> Console:
    """A Console for lines that hold stored data: no highlighting, no emoji codes, no wrapping
    (the data itself goes through `feedback.text.shown`)."""
    return Console(highlight=False, emoji=False, soft_wrap=True)


def report(summary: Summary) -> None:
    """Print what a run did; raise `CommandError` (exit 1) if anything failed or was left.

    Names, addresses and reasons are printed through Rich with their markup escaped and their
    control characters made visible (`feedback.text.shown`).
    """
    kind = summary.kind
    head = f"{kind.capitalize()}s for {summary.event} (survey {summary.survey}), via {summary.via}:"
    lines = [head, f"  sent {summary.sent}"]
    if kind == "invitation":
        lines.append(f"  already sent before {summary.already_sent}")
    lines.append(f"  failed {len(summary.failed)}")
    if kind == "invitation":
        lines.append(f"  attendees without an email address {len(summary.without_email)}")
    if summary.not_sent:
        lines.append(f"  not sent (run stopped) {summary.not_sent}")
    for why, count in sorted(summary.skipped.items()):
        lines.append(f"  no reminder, {why}: {count}")
    lines = [escape(line) for line in lines]
    if summary.files:
        lines.append(
            f"Wrote {plural(len(summary.files), 'file')} to {shown(summary.files[0].parent)}"
        )
    if summary.failed:
        lines.append("Failed:")
        lines.extend(
            f"  {shown(f.name)} <{shown(f.email)}>: {shown(f.reason)}" for f in summary.failed
        )
    if summary.without_email:
        lines.append("Not invited, no email address (add one to the roster):")
        lines.extend(f"  {shown(name)}" for name in summary.without_email)
    plain_console().print("\n".join(lines))
    command = "invite" if kind == "invitation" else "remind"
    problems = []
    if summary.stopped:
        problems.append(
            f"{summary.stopped}\n{plural(summary.not_sent, kind)} not sent: run "
            f"`feedback {command} --event {summary.event}` again to send them"
        )
    if summary.failed:
        problems.append(
            f"{plural(len(summary.failed), kind)} failed (listed above); fix the addresses or "
            f"the server, then run `feedback {command} --event {summary.event}` again to retry"
        )
    if problems:
        raise CommandError("\n".join(problems), 1)


optional_event_option = click.option(
    "--event",
    "event_id",
    default=None,
    metavar="ID",
    help="The event (see `feedback event list`); or --due.",
)
due_option = click.option(
    "--due",
    is_flag=True,
    help="Every follow-up survey now due at every event (a survey that `follows` another is "
    "due its due_days after the event): for a scheduler to run daily.",
)


def _due_runs(
    engine: Engine, event_id: str | None, survey_id: str | None, due: bool
) -> list[tuple[str, str | None]]:
    """The (event, survey) pairs to send for: the one asked for, or every follow-up now due."""
    if due and (event_id or survey_id):
        raise CommandError("give --due alone, or --event ID (and --survey ID), not both", 2)
    if not due:
        if event_id is None:
            raise CommandError("--event ID is required (or --due for the follow-ups due)", 2)
        return [(event_id, survey_id)]
    from feedback.followups import due_now

    ready, later = due_now(engine)
    for follow_up in later[:5]:
        click.echo(f"not due yet: {follow_up.survey} at {follow_up.event} (due {follow_up.due})")
    if len(later) > 5:
        click.echo(f"... and {plural(len(later) - 5, 'more follow-up')} not due yet")
    if not ready:
        click.echo("No follow-up survey is due today.")
    return [(f.event, f.survey) for f in ready]


def _each(summaries: list[Summary]) -> None:
    """Report every run; fail (exit 1) at the end if any of them failed, after all were sent."""
    failures = []
    for summary in summaries:
        try:
            report(summary)
        except CommandError as exc:
            failures.append(exc)
    if failures:
        raise CommandError("\n".join(str(f.message) for f in failures), 1)


@click.command()
@optional_event_option
@survey_option
@due_option
@outbox_option
@db_option
def invite(
    event_id: str | None, survey_id: str | None, due: bool, outbox: Path | None, db: Path | None
) -> None:
    """Email a personal link to the survey to every attendee of an event.

    Attendees are those marked attended in the roster; each gets one invitation in their language
    (where the survey has it), and running again sends nothing twice: only those never invited,
    or whose invitation failed, get one. With --due, every follow-up survey due by today at every
    event (run it daily). Needs base_url and mail_from, and smtp_host unless --outbox. Exits 1 if
    any message failed, 2 for invalid input (nothing is written then).
    """
    engine = state().engine(db)
    summaries = []
    for event, survey in _due_runs(engine, event_id, survey_id, due):
        with progress_bar("sending invitations") as progress:
            summaries.append(send_invitations(engine, event, survey, outbox, progress))
    _each(summaries)


@click.command()
@optional_event_option
@survey_option
@due_option
@outbox_option
@db_option
def remind(
    event_id: str | None, survey_id: str | None, due: bool, outbox: Path | None, db: Path | None
) -> None:
    """Remind the invited who have not filled in the survey yet.

    Only invitations sent, not completed and not expired get a reminder, at most one every
    invitations.remind_interval_days since the last email and at most invitations.max_reminders
    in all. Each reminder carries a new link; the earlier links keep working. With --due, the
    follow-up surveys due by today at every event. Exits 1 if any message failed, 2 for invalid
    input.
    """
    engine = state().engine(db)
    summaries = []
    for event, survey in _due_runs(engine, event_id, survey_id, due):
        with progress_bar("sending reminders") as progress:
            summaries.append(send_reminders(engine, event, survey, outbox, progress))
    _each(summaries)


def _short(stamp: str | None) -> str:
    """``2011-01-27T09:30:00+00:00`` as ``2011-01-27 09:30``."""
    return stamp[:16].replace("T", " ") if stamp else ""


@click.command(name="invitations")
@event_option
@survey_option
@json_option
@db_option
def invitations_command(
    event_id: str, survey_id: str | None, as_json: bool, db: Path | None
) -> None:
    """Show the invitations of an event: counts by status and one row per person.

    Statuses: not sent, failed, outstanding (sent, not yet filled in), completed, expired.
    --json prints the counts and the rows as JSON for other tools.
    """
    from feedback_email.status import overview

    data = overview(state().engine(db), event_id, survey_id)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    counts: dict[str, Any] = data["counts"]
    console = Console(emoji=False)
    console.print(
        f"Invitations for {shown(data['event'])} (survey {shown(data['survey'])}): "
        + ", ".join(f"{name} {counts[name]}" for name in COUNT_ORDER)
    )
    if not data["invitations"]:
        console.print(
            f"No invitations yet: send them with `feedback invite --event {shown(event_id)}`."
        )
        return
    # the address and the status never wrap; a date and its time may go on two lines; names
    # take the rest, and errors have a column only when there are any
    errors = any(row["error"] for row in data["invitations"])
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("name", ratio=1, min_width=12)
    table.add_column("email", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("sent", min_width=10)
    table.add_column("reminders", justify="right", no_wrap=True)
    table.add_column("completed", min_width=10)
    if errors:
        table.add_column("error", ratio=1, min_width=12)
    for row in data["invitations"]:
        cells = [
            shown(row["name"]),
            shown(row["email"]),
            row["status"],
            shown(_short(row["sent"])),
            str(row["reminders"]),
            shown(_short(row["completed"])),
        ]
        table.add_row(*cells, *([shown(row["error"])] if errors else []))
    console.print(table)


COUNT_ORDER = (
    "sent",
    "failed",
    "completed",
    "outstanding",
    "expired",
    "not sent",
    "not invited yet",
    "without email",
)
