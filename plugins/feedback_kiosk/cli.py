"""``feedback kiosk``: run the kiosk (or staff data entry) for an event."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from feedback.cli import CommandError, db_option, state
from feedback.engine import Engine
from feedback.errors import SurveyError, UnknownEvent, did_you_mean
from feedback.events import today as events_today
from feedback.paper_entry import provides_paper_entry
from feedback.survey import Survey
from feedback_kiosk.settings import KioskSettings

PIN_ENV = "FEEDBACK_KIOSK_PIN"
DEFAULT_EVENT = {"id": "seminar", "title": "Seminar feedback"}


def choose_event(engine: Engine, event: str | None) -> str:
    """The event: given, configured, the latest in the database, or a new default one."""
    store = engine.store
    wanted = event or engine.settings.plugin(KioskSettings).event
    if wanted is not None:
        if store.event(wanted) is None:
            raise UnknownEvent(
                f"--event: unknown event '{wanted}' (add it with `feedback event add`)"
                + did_you_mean(wanted, store.event_ids())
            )
        return wanted
    events = store.events()
    if events:
        dated = [e for e in events if e["date"]]
        return str((dated or events)[-1]["id"])
    store.upsert_event({**DEFAULT_EVENT, "date": events_today().isoformat()})
    click.echo(
        f"No event yet: collecting for a new event '{DEFAULT_EVENT['id']}' "
        "(add your own with `feedback event add`, then `feedback kiosk --event ID`).",
        err=True,
    )
    return DEFAULT_EVENT["id"]


@contextlib.contextmanager
def signals_ignored(locked: bool) -> Iterator[None]:
    """While locked, Ctrl+C, Ctrl+Z and Ctrl+\\ sent as signals do nothing either."""
    names = ("SIGINT", "SIGTSTP", "SIGQUIT")
    saved = {}
    if locked:
        for name in names:
            number = getattr(signal, name, None)
            if number is not None:
                saved[number] = signal.signal(number, signal.SIG_IGN)
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _pin_hash(engine: Engine, locked: bool) -> str | None:
    from feedback_kiosk.pin import hash_pin, valid_hash

    if not locked:
        return None
    configured = engine.settings.plugin(KioskSettings).pin_hash
    if configured:
        if not valid_hash(configured):
            raise CommandError(
                "kiosk.pin_hash: expected a hash made by `feedback kiosk --hash-pin`, "
                f"found {configured[:12]!r}...",
                2,
            )
        return configured
    pin = os.environ.get(PIN_ENV)
    if pin:
        return hash_pin(pin)
    pin = f"{secrets.randbelow(10**4):04d}"
    click.echo(
        f"No staff PIN is set, so this session's PIN is {pin}. Staff leave the kiosk with Ctrl+O "
        f"and the PIN. Set your own with `feedback kiosk --hash-pin` (kiosk.pin_hash in "
        f"feedback.toml) or the environment variable {PIN_ENV}.",
        err=True,
    )
    if sys.stdin.isatty():
        click.pause("Press any key to start the kiosk...", err=True)
    return hash_pin(pin)


def _require_drawable(engine: Engine, survey: Survey) -> None:
    """Refuse, before anything runs, a survey with a question type the kiosk cannot draw (no
    kiosk rendering, or one that does not load), rather than when a participant reaches it."""
    from feedback_kiosk.widgets import require

    try:
        require(engine.types, survey)
    except SurveyError as exc:
        raise CommandError(str(exc), 2) from exc


@click.command()
@click.option("--event", help="The event to collect for (default: the latest, or a new one).")
@click.option("--survey", "survey_ref", help="Survey id or file (default: post-seminar).")
@click.option("--lang", help="Offer only this language (default: let participants choose).")
@click.option("--unlocked", is_flag=True, help="Let Ctrl+Q quit: for trying the kiosk out.")
@click.option(
    "--data-entry",
    is_flag=True,
    help="Staff key in paper forms: channel paper, no idle reset, no attract screen between forms.",
)
@click.option(
    "--checkin",
    is_flag=True,
    help="Start in staff check-in: find a name or scan a pass, mark present (leave with the PIN).",
)
@click.option(
    "--high-contrast", is_flag=True, default=None, help="Start in high contrast (F2 toggles)."
)
@click.option(
    "--idle-timeout", type=float, help="Seconds of inactivity before answers are cleared."
)
@click.option(
    "--hash-pin", is_flag=True, help="Ask for a staff PIN and print its hash for feedback.toml."
)
@db_option
def kiosk(
    event: str | None,
    survey_ref: str | None,
    lang: str | None,
    unlocked: bool,
    data_entry: bool,
    checkin: bool,
    high_contrast: bool | None,
    idle_timeout: float | None,
    hash_pin: bool,
    db: Path | None,
) -> None:
    """Run the survey kiosk at the venue: participants walk up, answer, and walk away.

    With no options it runs the shipped post-seminar survey for the latest event (or a new one)
    on ./feedback.db. Locked by default: staff leave with Ctrl+O and the PIN. With --checkin,
    staff check people in at the venue (a name typed, or a pass scanned) instead.
    """
    if hash_pin:
        from feedback_kiosk.pin import hash_pin as make_hash

        pin = click.prompt("Staff PIN", hide_input=True, confirmation_prompt=True)
        if len(pin) < 4:
            raise CommandError("the PIN needs at least 4 characters", 2)
        click.echo(f'[kiosk]\npin_hash = "{make_hash(pin)}"')
        return
    if checkin and data_entry:
        raise CommandError(
            "--checkin and --data-entry: expected one of them, found both (check-in and keying "
            "in paper forms are separate kiosks)",
            2,
        )
    if idle_timeout is not None and idle_timeout <= 0:
        raise CommandError(
            f"--idle-timeout: expected a number of seconds above 0, found {idle_timeout}", 2
        )
    base = state().engine(db)
    settings = base.settings
    kiosk_settings = settings.plugin(KioskSettings)
    # the kiosk waits for the database only briefly: past that, the response goes to the spool
    engine = Engine(
        settings=settings.model_copy(update={"busy_timeout": kiosk_settings.write_timeout}),
        pm=base.pm,
    )
    try:
        survey = engine.resolve_survey(survey_ref)
        _require_drawable(engine, survey)
        if lang is not None and lang not in survey.languages:
            raise CommandError(
                f"--lang: the survey has {', '.join(survey.languages)}, not '{lang}'"
                + did_you_mean(lang, survey.languages),
                2,
            )
        if data_entry and not provides_paper_entry(engine.pm):
            raise CommandError(
                "--data-entry: no plugin keys in paper forms (the built-in plugin 'offline' "
                "does: is it installed, and allowed by FEEDBACK_LOAD_PLUGINS?)",
                2,
            )
        event_id = choose_event(engine, event)
        locked = not unlocked
        from feedback_kiosk.app import KioskOptions, make_app

        options = KioskOptions(
            event=event_id,
            survey=survey,
            language=lang,
            locked=locked,
            pin_hash=_pin_hash(engine, locked),
            data_entry=data_entry,
            checkin=checkin,
            high_contrast=kiosk_settings.high_contrast if high_contrast is None else high_contrast,
            idle_timeout=idle_timeout or kiosk_settings.idle_timeout,
            idle_warning=min(
                kiosk_settings.idle_warning, (idle_timeout or kiosk_settings.idle_timeout) / 2
            ),
            thank_you_seconds=kiosk_settings.thank_you_seconds,
            retry_seconds=kiosk_settings.retry_seconds,
            spool=settings.path(kiosk_settings.spool) if kiosk_settings.spool else None,
        )
        app = make_app(engine, options)
        with signals_ignored(locked):
            app.run()
        stored = len(app.submitted)
        if stored:
            spooled = f", {app.spooled} of them in the spool" if app.spooled else ""
            noun = "response" if stored == 1 else "responses"
            click.echo(f"kiosk closed: {stored} {noun} this session{spooled}", err=True)
        if app.unsaved is not None:
            click.echo(
                "kiosk closed with 1 response that could not be saved: it is lost "
                f"(the participant was told so). Cause: {app.problem}",
                err=True,
            )
    finally:
        engine.close()
