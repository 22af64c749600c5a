"""Sending invitations and reminders: check everything first, then send each message and record it.

Nothing is written before the checks pass (the event, the survey, ``base_url``, ``mail_from``, the
SMTP server or the outbox folder, the templates) and before the server answered. Each message is
recorded as sent (or failed) as soon as the server took (or refused) it, so an interrupted run
sends nothing twice when run again. All bookkeeping goes through `feedback.invitations`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feedback.engine import Engine
from feedback.errors import FeedbackError, UnknownEvent, did_you_mean
from feedback.invitations import Invitation, Invitations, parse_stamp, utcnow
from feedback.survey import Survey
from feedback_email.compose import Composer, Recipient
from feedback_email.transport import (
    OutboxTransport,
    SendFailed,
    ServerLost,
    SmtpTransport,
    Transport,
)

#: called with (messages done, messages in all) as a run goes
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Failure:
    """A message that did not go out, and the reason."""

    name: str
    email: str
    reason: str


@dataclass
class Summary:
    """What a run of `send_invitations` or `send_reminders` did."""

    kind: str
    event: str
    survey: str
    via: str
    #: messages the server (or the outbox) took in this run
    sent: int = 0
    #: invitations: attendees whose invitation an earlier run sent
    already_sent: int = 0
    failed: list[Failure] = field(default_factory=list)
    #: invitations: attendees who cannot be invited (no email address), by name
    without_email: list[str] = field(default_factory=list)
    #: messages left for the next run because the run stopped (the server went away)
    not_sent: int = 0
    #: why the run stopped early, if it did
    stopped: str | None = None
    #: reminders: why the other invitations got none, with how many
    skipped: dict[str, int] = field(default_factory=dict)
    #: the .eml files an outbox run wrote
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and self.stopped is None


@dataclass
class Job:
    """A run that passed its checks: what it sends, how, and to where."""

    engine: Engine
    event: dict[str, Any]
    survey: Survey
    composer: Composer
    transport: Transport
    invitations: Invitations

    @property
    def sender(self) -> str:
        return self.composer.sender.addr_spec


def known_event(engine: Engine, event_id: str) -> dict[str, Any]:
    """The event with this id.

    :raises UnknownEvent: there is none (with the closest id, if one is close).
    """
    store = engine.store
    event = store.event(event_id)
    if event is None:
        raise UnknownEvent(
            f"--event: unknown event '{event_id}'"
            + did_you_mean(event_id, store.event_ids())
            + " (add it with `feedback event add`)"
        )
    return event


def plan(
    engine: Engine,
    event_id: str,
    survey_id: str | None,
    kind: str,
    outbox: Path | None = None,
    transport: Transport | None = None,
) -> Job:
    """Check a run before anything is written or sent.

    :raises InvalidInput: unknown event or survey, no ``base_url``, no or a bad ``mail_from``,
        no ``smtp_host`` (without an outbox), an outbox that is a file, a broken template.
    """
    event = known_event(engine, event_id)
    survey = engine.survey(survey_id)
    settings = engine.settings
    composer = Composer(settings, survey, event)
    if transport is None:
        transport = OutboxTransport(outbox) if outbox is not None else SmtpTransport(settings)
    composer.check((kind,))
    return Job(
        engine=engine,
        event=event,
        survey=survey,
        composer=composer,
        transport=transport,
        invitations=Invitations(engine.store, settings.invitations.expires_days),
    )


def _send(
    job: Job,
    kind: str,
    invitation: Invitation,
    token: str,
    expires: dt.date,
    stem: str,
) -> str | None:
    """Send one message; ``None`` when it went out, else the reason it did not.

    :raises ServerLost: the server went away for good.
    """
    recipient = Recipient(
        invitation.name, invitation.email or "", invitation.language, token, expires
    )
    try:
        message = job.composer.message(kind, recipient)
    except ValueError as exc:
        return str(exc)
    try:
        job.transport.send(message, job.sender, message["To"].addresses[0].addr_spec, stem)
    except SendFailed as exc:
        return exc.reason
    return None


class AlreadySending(FeedbackError):
    """Another run is sending invitations or reminders from the same database."""


@contextlib.contextmanager
def sending_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's sending lock for a run, so two runs at once cannot both send to the
    same people. An advisory file lock beside the database: the system releases it when the
    process ends, however it ends, so a run that was killed leaves nothing to clean up.

    :raises AlreadySending: another run holds it.
    """
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock
        yield
        return
    path = engine.settings.db_path.with_name(engine.settings.db_path.name + ".sending.lock")
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise AlreadySending(
                f"{engine.settings.db_path}: another `feedback invite` or `feedback remind` is "
                "sending from this database; run again when it has finished"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _files(job: Job) -> list[Path]:
    return list(getattr(job.transport, "written", []))


def send_invitations(
    engine: Engine,
    event_id: str,
    survey_id: str | None = None,
    outbox: Path | None = None,
    progress: Progress | None = None,
    transport: Transport | None = None,
    now: dt.datetime | None = None,
) -> Summary:
    """Invite every attendee of an event who has an email address and no invitation sent yet.

    :raises InvalidInput: see `plan`; nothing is written.
    :raises MailServerError: the server cannot be reached or refuses the login; nothing is
        recorded as sent.
    """
    job = plan(engine, event_id, survey_id, "invitation", outbox, transport)
    with sending_lock(engine):
        return _invite(job, engine, event_id, progress, now)


def _invite(
    job: Job,
    engine: Engine,
    event_id: str,
    progress: Progress | None,
    now: dt.datetime | None,
) -> Summary:
    invitations, survey = job.invitations, job.survey
    summary = Summary("invitation", event_id, survey.id, job.transport.via)
    sent_before = {i.person for i in invitations.list(event_id, survey.id) if i.sent}
    attendees = [r for r in engine.store.roster(event_id) if r["attended"]]
    summary.already_sent = sum(1 for r in attendees if r["email"] and r["id"] in sent_before)
    if any(r["email"] and r["id"] not in sent_before for r in attendees):
        job.transport.open()  # before anything is prepared: unreachable means untouched
    try:
        batch, skipped = invitations.prepare(event_id, survey.id, list(survey.languages), now=now)
        summary.without_email = [str(r["name"]) for r in skipped]
        total = len(batch)
        if progress:
            progress(0, total)
        for done, (invitation, token) in enumerate(batch):
            expires = (now or utcnow()) + dt.timedelta(days=invitations.expires_days)
            stem = f"{invitation.id:05d}-{invitation.email}"
            try:
                error = _send(job, "invitation", invitation, token, expires.date(), stem)
            except ServerLost as exc:
                summary.stopped = str(exc)
                summary.not_sent = total - done
                break
            if error is None:
                invitations.mark_sent(invitation, job.transport.via, now=now)
                summary.sent += 1
            else:
                invitations.mark_failed(invitation, error, now=now)
                summary.failed.append(Failure(invitation.name, invitation.email or "", error))
            if progress:
                progress(done + 1, total)
    finally:
        job.transport.close()
    summary.files = _files(job)
    return summary


def _why_not_due(
    invitation: Invitation, now: dt.datetime, interval_days: float, max_reminders: int
) -> str:
    """Why an invitation gets no reminder now: its status, the most reminders, or the interval."""
    status = invitation.status(now)
    if status != "outstanding":
        return status
    if invitation.reminders >= max_reminders:
        return f"reminded {max_reminders} times already (the most)"
    return f"contacted less than {interval_days:g} days ago"


def send_reminders(
    engine: Engine,
    event_id: str,
    survey_id: str | None = None,
    outbox: Path | None = None,
    progress: Progress | None = None,
    transport: Transport | None = None,
    now: dt.datetime | None = None,
) -> Summary:
    """Remind everyone invited and not yet done: sent, not completed, not expired, last contacted
    at least ``remind_interval_days`` ago, reminded fewer than ``max_reminders`` times. Each
    reminder carries a new link; the earlier links keep working.

    :raises InvalidInput: see `plan`; nothing is written.
    :raises MailServerError: the server cannot be reached or refuses the login; nothing is
        recorded.
    """
    job = plan(engine, event_id, survey_id, "reminder", outbox, transport)
    with sending_lock(engine):
        return _remind(job, engine, event_id, progress, now)


def _remind(
    job: Job,
    engine: Engine,
    event_id: str,
    progress: Progress | None,
    now: dt.datetime | None,
) -> Summary:
    invitations, survey = job.invitations, job.survey
    settings = engine.settings.invitations
    summary = Summary("reminder", event_id, survey.id, job.transport.via)
    moment = now or utcnow()
    due = invitations.due_reminders(
        event_id, survey.id, settings.remind_interval_days, settings.max_reminders, now=moment
    )
    due_ids = {i.id for i in due}
    for invitation in invitations.list(event_id, survey.id):
        if invitation.id not in due_ids:
            why = _why_not_due(
                invitation, moment, settings.remind_interval_days, settings.max_reminders
            )
            summary.skipped[why] = summary.skipped.get(why, 0) + 1
    if not due:
        return summary
    job.transport.open()
    try:
        if progress:
            progress(0, len(due))
        for done, invitation in enumerate(due):
            expires_at = parse_stamp(invitation.expires) or moment
            token = invitations.issue_token(invitation, now=now)
            stem = f"{invitation.id:05d}-{invitation.email}-reminder-{invitation.reminders + 1}"
            try:
                error = _send(job, "reminder", invitation, token, expires_at.date(), stem)
            except ServerLost as exc:
                summary.stopped = str(exc)
                summary.not_sent = len(due) - done
                break
            invitations.mark_reminded(invitation, error=error, now=now)
            if error is None:
                summary.sent += 1
            else:
                summary.failed.append(Failure(invitation.name, invitation.email or "", error))
            if progress:
                progress(done + 1, len(due))
    finally:
        job.transport.close()
    summary.files = _files(job)
    return summary
