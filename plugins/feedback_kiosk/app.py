"""The kiosk application: the shell that moves a participant from screen to screen.

Build it with `make_app`. It owns the global keys (locked by default: the quit, suspend and copy
keys do nothing), the idle timer, and the one place a response leaves the kiosk: `KioskApp.submit`,
which hands it to `Engine.submit` or, when the database cannot take it, to the spool (as does
`KioskApp.abandon` for a partial response, when the survey keeps them). The
participant is thanked only once one of them holds the response durably; when neither can, the
kiosk stays up, says so plainly, holds the answers in memory until staff retry or discard them, and
shows staff the cause on the operator screen. No error on the way out reaches Textual.

In data entry (``--data-entry``) staff key in paper forms: before each form they key in the No.
written on it, its language and its date (`HeadingScreen`); a No. already entered is refused there,
and again when the form is saved. What a paper form is, and the response it becomes, comes from
the plugin that knows paper forms through the core's contract (`feedback.paper_entry`: the
``paper_entry`` hook, answered by the offline plugin's entry template), so that a form keyed in
here and one keyed in on the template become the same response; this plugin imports no other. The
words of data entry (labels, counts, what is wrong with a heading) follow the kiosk's language.

Staff check people in at the venue on `CheckinScreen`: opened from the operator screen (Escape
goes back to it), or the kiosk's home with ``--checkin`` (leaving it asks for the PIN).
"""

from __future__ import annotations

import logging
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from feedback.engine import Engine, ResponseConflict
from feedback.errors import FeedbackError, UnknownEvent
from feedback.events import today as events_today
from feedback.paper_entry import (
    FormAlreadyEntered,
    FormHeading,
    HeadingProblem,
    NoPaperEntry,
    PaperEntry,
    forms_entered,
    paper_entry,
)
from feedback.paper_entry import words as entry_words
from feedback.responses import Response
from feedback.survey import Survey
from feedback_kiosk.i18n import words
from feedback_kiosk.screens.attract import AttractScreen
from feedback_kiosk.screens.checkin import CheckinDesk, CheckinScreen
from feedback_kiosk.screens.heading import FIELDS as HEADING_FIELDS
from feedback_kiosk.screens.heading import HeadingScreen, HeadingText
from feedback_kiosk.screens.idle import IdleScreen
from feedback_kiosk.screens.not_saved import NotSavedScreen
from feedback_kiosk.screens.operator import OperatorScreen
from feedback_kiosk.screens.pin import PinScreen
from feedback_kiosk.screens.review import ReviewScreen
from feedback_kiosk.screens.survey import SurveyScreen
from feedback_kiosk.screens.thanks import ThanksScreen
from feedback_kiosk.session import KioskSession
from feedback_kiosk.spool import Spool, SpoolError

log = logging.getLogger(__name__)

HIGH_CONTRAST = Theme(
    name="kiosk-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFFFF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    success="#00FF00",
    warning="#FFFF00",
    error="#FF5555",
    dark=True,
)
DEFAULT_THEME = "textual-dark"
LOCKED_KEYS = "ctrl+c,ctrl+q,ctrl+z,ctrl+backslash,ctrl+p,ctrl+s,ctrl+x,ctrl+y,ctrl+v"


class FormRefused(Exception):
    """Data entry: a paper form whose No. is entered already; it is not stored, nor spooled.
    ``message`` says so in the staff's language."""

    def __init__(self, number: int, message: str):
        self.number = number
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class PaperForm:
    """A paper form being keyed in: what it is checked with (the `PaperEntry` of its event and
    survey) and its heading (No., language, date)."""

    forms: PaperEntry
    heading: FormHeading


@dataclass
class KioskOptions:
    """How the kiosk behaves; the CLI fills this from settings and options."""

    event: str
    survey: Survey
    language: str | None = None
    locked: bool = True
    pin_hash: str | None = None
    data_entry: bool = False
    high_contrast: bool = False
    idle_timeout: float = 90.0
    idle_warning: float = 15.0
    thank_you_seconds: float = 6.0
    retry_seconds: float = 20.0
    spool: Path | None = None
    checkin: bool = False  # staff check-in is the kiosk's home, not the survey


class KioskApp(App[None], inherit_bindings=False):
    """A survey kiosk for one event. Participants come and go; staff leave with Ctrl+O and a PIN."""

    CSS_PATH = "kiosk.tcss"
    TITLE = "feedback kiosk"
    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False
    BINDINGS = [
        Binding(LOCKED_KEYS, "locked_key", show=False, priority=True),
        Binding("ctrl+o", "operator", show=False, priority=True),
        Binding("f2", "toggle_contrast", show=False, priority=True),
    ]

    def __init__(
        self, engine: Engine, options: KioskOptions, clock: Callable[[], float] = time.monotonic
    ):
        super().__init__()
        self.engine = engine
        self.options = options
        self.clock = clock
        self.session: KioskSession | None = None
        self.spool = Spool(options.spool or _default_spool(engine))
        self.last_activity = clock()
        self.forms_entered = 0
        self.paper: dict[str, PaperForm] = {}  # data entry: each form's response id to the form
        self._last_language: tuple[str, str] | None = None  # the last form's event, language
        self.submitted: list[str] = []  # ids handed over this run, stored or spooled
        self.spooled = 0
        self.unsaved: Response | None = None  # neither the database nor the spool took it
        self.problem: str | None = None  # why the last save or replay failed, for staff
        self._reconnect = False  # a write failed: open a fresh connection before the next one
        self._idle_screen: IdleScreen | None = None

    # -- start ---------------------------------------------------------------------------------

    @property
    def survey(self) -> Survey:
        return self.options.survey

    @property
    def event_title(self) -> str:
        try:
            row = self.engine.store.event(self.options.event)
        except (FeedbackError, sqlite3.Error):
            row = None
        return str(row["title"]) if row else self.options.event

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name if self.options.high_contrast else DEFAULT_THEME
        self.replay_spool()
        self.set_interval(0.25, self._idle_tick)
        self.set_interval(self.options.retry_seconds, self.replay_spool)
        self.reset()

    # -- moving between screens ----------------------------------------------------------------

    def _show(self, screen: Any) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) < 2:
            self.push_screen(screen)
        elif self.screen.id == screen.id:
            # a new screen of the same kind (the attract screen after switching event, a fresh
            # form in data entry) cannot take the id while the old one holds it: remove that first
            self.call_next(self._replace_screen_of_same_kind, screen)
        else:
            self.switch_screen(screen)

    async def _replace_screen_of_same_kind(self, screen: Any) -> None:
        await self.pop_screen()
        await self.push_screen(screen)

    def reset(self) -> None:
        """Forget the participant (nothing is kept) and wait for the next one."""
        self.session = None
        self._idle_screen = None
        self.last_activity = self.clock()
        if self.options.checkin:
            self._show(self._checkin_screen(home=True))
            return
        if self.options.data_entry:
            self.show_heading()
            return
        languages = (
            [self.options.language] if self.options.language else list(self.survey.languages)
        )
        title = " / ".join(
            dict.fromkeys(self.survey.text(self.survey.title, lang) for lang in languages)
        )
        self._show(AttractScreen(title, self.event_title, languages))

    def begin(self, language: str) -> None:
        """A participant starts: a new session (and a new response id) in their language."""
        self.session = KioskSession(
            self.survey,
            self.options.event,
            language,
            channel="paper" if self.options.data_entry else "kiosk",
        )
        self.last_activity = self.clock()
        self.show_survey()

    # -- data entry of paper forms -------------------------------------------------------------

    @property
    def staff_language(self) -> str:
        """The language of data entry's own words (the forms may be in any of the survey's)."""
        return self.options.language or self.survey.languages[0]

    def _entered_text(self) -> str:
        return forms_entered(self.forms_entered, self.staff_language)

    def _paper_forms(self) -> PaperEntry:
        """The `PaperEntry` of the current event and survey, from the plugin that knows paper
        forms (the ``paper_entry`` hook).

        :raises UnknownEvent: the event is not in the database (any database error passes).
        :raises feedback.paper_entry.NoPaperEntry: no plugin keys in paper forms.
        """
        event = self.engine.store.event(self.options.event)
        if event is None:
            raise UnknownEvent(f"unknown event '{self.options.event}'")
        return paper_entry(self.engine, event, self.survey)

    def show_heading(
        self, values: dict[str, str] | None = None, problems: dict[str, str] | None = None
    ) -> None:
        """Ask for the No., language and date of the next paper form. The language is the form
        before's (of the same event), else the survey's first; the date is the event's (never
        today); ``values`` and ``problems`` fill the fields and say what is wrong."""
        self.session = None
        w, pw = words(self.staff_language), entry_words(self.staff_language)
        shown = dict(values or {})
        if "language" not in shown or "date" not in shown:
            last = self._last_language
            if last is not None and last[0] == self.options.event:
                language = last[1]
            else:
                language = self.options.language or self.survey.languages[0]
            date = ""
            try:
                date = self._paper_forms().default_date or ""
            except Exception as exc:  # said under the No. when staff start the form
                log.warning("data entry: the event could not be read: %s", _cause(exc))
            shown.setdefault("language", language)
            shown.setdefault("date", date)
        text = HeadingText(
            title=w["next_form"],
            number=pw["form_number"],
            language=f"{pw['form_language']} ({', '.join(self.survey.languages)})",
            date=f"{pw['form_date']} ({w['date_format']})",
            hint=w["heading_hint"],
        )
        self._show(
            HeadingScreen(
                text, self.event_title, self._entered_text(), self.start_form, shown, problems
            )
        )

    def start_form(self, number: str, language: str, date: str) -> dict[str, str]:
        """Staff keyed in a form's No., language and date: start keying its answers, or say
        what is wrong with each field (a No. entered already among them), in the kiosk's
        language. Raises nothing."""
        try:
            forms = self._paper_forms()
        except NoPaperEntry as exc:  # `feedback kiosk --data-entry` checks this at start
            log.error("data entry: %s", exc)
            return {"number": str(exc)}
        except Exception as exc:
            log.warning("data entry: the event could not be read: %s", _cause(exc))
            return {"number": f"the event could not be read from the database: {_cause(exc)}"}
        problems: dict[str, str] = {}
        heading = None
        staff = self.staff_language
        try:
            heading = forms.heading(number, language, date, staff_language=staff)
        except HeadingProblem as exc:
            problems.update(exc.problems)
        if "number" not in problems:  # a No. entered already is said at once, whatever else
            try:
                self._refuse_entered(forms, forms.number(number, staff_language=staff))
            except FormRefused as refusal:
                problems["number"] = refusal.message
            except Exception as exc:
                log.warning("data entry: a form could not be checked: %s", _cause(exc))
                problems["number"] = f"the database could not be read: {_cause(exc)}"
        if problems or heading is None:
            return {name: problems[name] for name in HEADING_FIELDS if name in problems}
        response_id = forms.response_id(heading.number)
        self.paper[response_id] = PaperForm(forms, heading)
        self.session = KioskSession(
            self.survey,
            self.options.event,
            heading.language,
            channel="paper",
            response_id=uuid.UUID(response_id),
            make_response=lambda answers: forms.response(heading, answers),
        )
        self.last_activity = self.clock()
        self.show_survey()
        return {}

    def _refuse_entered(self, forms: PaperEntry, number: int) -> None:
        """Refuse form ``number`` if it is entered already: stored, or handed over this run
        (waiting in the spool).

        :raises FormRefused: it is; the message in the staff's language.
        :raises Exception: the database could not be read.
        """
        if forms.response_id(number) in self.submitted:
            raise FormRefused(number, self._already_entered(number))
        try:
            forms.check_new(number)
        except FormAlreadyEntered as exc:
            raise FormRefused(number, exc.in_language(self.staff_language)) from exc

    def _refused(self, form: PaperForm, refusal: FormRefused) -> None:
        """A form is refused on saving (its No. entered in the meantime): nothing is stored
        nor spooled; staff see why, on the heading with the form's No., language and date."""
        log.warning("data entry: form No. %s refused: %s", refusal.number, refusal.message)
        self.notify(refusal.message, severity="error", timeout=8, markup=False)
        heading = form.heading
        self.show_heading(
            {"number": str(heading.number), "language": heading.language, "date": heading.date},
            {"number": refusal.message},
        )

    def _back_to_heading(self) -> None:
        """Back from a form's first step: its No., language and date again, to correct them
        (the form starts anew)."""
        form = self.paper.get(str(self.session.id)) if self.session is not None else None
        if form is None:
            self.reset()
            return
        heading = form.heading
        self.show_heading(
            {"number": str(heading.number), "language": heading.language, "date": heading.date}
        )

    def _status(self) -> str:
        if not self.options.data_entry or self.session is None:
            return ""
        form = self.paper.get(str(self.session.id))
        entered = self._entered_text()
        if form is None:
            return entered
        return f"{entry_words(self.staff_language)['number']} {form.heading.number} · {entered}"

    def show_survey(self) -> None:
        assert self.session is not None
        before_first = self._back_to_heading if self.options.data_entry else None
        self._show(SurveyScreen(self.session, self.event_title, self._status(), before_first))

    def show_review(self) -> None:
        assert self.session is not None
        self._show(ReviewScreen(self.session))

    # -- the one way out -----------------------------------------------------------------------

    def submit(self) -> None:
        """Make the answers durable (database, or else the spool), then thank the participant;
        if neither takes them, say so and hold them for staff."""
        session = self.session
        if session is None:
            return
        self.session = None
        try:
            response = session.response()
        except Exception as exc:  # a bug: never a traceback (with the answers) on screen
            log.exception("the answers could not be made into a response")
            self.problem = f"the answers could not be made into a response ({type(exc).__name__})"
            self._show_not_saved(session.language)
            return
        try:
            saved = self._save(response)
        except FormRefused as refusal:
            self._refused(self.paper[str(response.id)], refusal)
            return
        if not saved:
            self.unsaved = response
            self._show_not_saved(response.language)
            return
        self._saved(response)

    def _save(self, response: Response) -> bool:
        """Store ``response`` in the database, or else durably in the spool; ``False`` when
        neither could (the cause is in `problem`).

        :raises FormRefused: data entry: the form's No. is entered already (checked first, and
            a conflict on storing): the form is neither stored nor spooled.
        """
        form = self.paper.get(str(response.id)) if self.options.data_entry else None
        if self._reconnect:
            self._fresh_connection()
        if form is not None:
            try:
                self._refuse_entered(form.forms, form.heading.number)
            except FormRefused:
                raise
            except Exception as exc:  # not readable now: the spool takes it, as below
                log.warning("data entry: form No. %s not checked: %s", form.heading.number, exc)
        try:
            # a self-generated code is hashed here, before the response can reach the spool:
            # its answers never touch the disk as typed. Without a linking key it cannot be
            # hashed, so it cannot be kept: the answers stay in memory for staff (not saved)
            kept, link = self.engine.prepare_links(response, survey=self._survey_of(response))
        except Exception as exc:
            self.problem = f"nothing could be saved: {_cause(exc)}"
            log.error("response %s NOT SAVED: %s", response.id, self.problem)
            return False
        try:
            self.engine.submit(kept, link=link)
        except Exception as exc:
            if form is not None and isinstance(exc, ResponseConflict):
                self._reconnect = False
                number = form.heading.number
                refusal = FormRefused(number, self._already_entered(number))
                raise refusal from exc
            # not writable now (or refused for a reason the participant cannot fix): kept safe in
            # the spool; a replay stores it, or moves it to <spool>.refused for staff to review
            self._reconnect = True
            database = _cause(exc)
            log.warning(
                "response %s not stored in the database (%s): spooling it", response.id, database
            )
        else:
            self._reconnect = False
            self.problem = None  # the database writes again
            return True
        try:
            self.spool.append(kept, link)
        except Exception as exc:
            self.problem = f"nothing could be saved.\nDatabase: {database}\nSpool: {_cause(exc)}"
            log.error("response %s NOT SAVED: %s", response.id, " ".join(self.problem.split()))
            return False
        self.spooled += 1
        self.problem = f"the database did not take a response ({database}); it waits in the spool"
        return True

    def _survey_of(self, response: Response) -> Survey | None:
        """The kiosk's survey, if ``response`` answers it (so that it is not looked up in a
        database that may not be readable); else ``None``, to be looked up."""
        survey = self.survey
        if response.survey == survey.id and response.survey_version in (None, survey.version):
            return survey
        return None

    def _already_entered(self, number: int) -> str:
        """That form ``number`` is entered already, in the staff's language."""
        return FormAlreadyEntered(number, "").in_language(self.staff_language)

    def _saved(self, response: Response) -> None:
        """The response is safe: thank the participant (or, in data entry, go to the next form;
        or, for a partial response left before Submit, wait for the next participant)."""
        self.submitted.append(str(response.id))
        if response.partial:
            self.reset()
            return
        if self.options.data_entry:
            self.forms_entered += 1
            self._last_language = (response.event, response.language)
            self.notify(words(self.staff_language)["form_saved"], timeout=2, markup=False)
            self.reset()
            return
        w = words(response.language)
        thanks = self.survey.text(self.survey.thank_you, response.language, w["thank_you"])
        self._show(ThanksScreen(thanks, w["next_participant"], self.options.thank_you_seconds))

    def _show_not_saved(self, language: str) -> None:
        w = words(language)
        self._show(NotSavedScreen(w["not_saved"], w["ask_staff"]))

    def _fresh_connection(self) -> None:
        """Drop the database connection; the next use opens a new one. A connection opened while
        the file was read-only stays read-only for its life, even once the file is writable."""
        try:
            self.engine.close()
        except Exception as exc:
            log.warning("closing the database connection failed: %s", exc)

    def retry(self) -> None:
        """Staff ask to try again: the answers held in memory, then the spool."""
        response = self.unsaved
        if response is not None:
            try:
                saved = self._save(response)
            except FormRefused as refusal:
                self.unsaved = None
                self._refused(self.paper[str(response.id)], refusal)
            else:
                if saved:
                    self.unsaved = None
                    self._saved(response)
                else:
                    self.notify(
                        "Still not saved: see the operator screen (Ctrl+O) for the cause.",
                        severity="error",
                        markup=False,
                    )
        self.replay_spool()

    def discard_unsaved(self) -> None:
        """Staff give up on answers that could not be saved: they are forgotten."""
        if self.unsaved is not None:
            log.warning("staff discarded response %s, which could not be saved", self.unsaved.id)
        self.unsaved = None
        self.reset()

    def replay_spool(self) -> None:
        """Store what waits in the spool, if the database takes it now (checked without waiting).
        Each try after a failure opens a fresh connection. Raises nothing."""
        try:
            if not self.spool.pending():
                return
        except SpoolError as exc:
            self.problem = str(exc)
            log.warning("%s", self.problem)
            return
        if self._reconnect:
            self._fresh_connection()
        try:
            if not self.engine.store.can_write():
                self._reconnect = True
                return  # still locked: try again later rather than freeze the kiosk
            result = self.spool.replay(self.engine)
        except Exception as exc:
            self._reconnect = True
            self.problem = f"the spool could not be replayed: {_cause(exc)}"
            log.warning("%s", self.problem)
            return
        if result.refused:
            log.warning(
                "spool: %s response(s) set aside in %s for review (%s unreadable)",
                result.refused,
                self.spool.refused_path,
                result.unreadable,
            )
        if result.stored or result.already_stored:
            log.info("spool: %s stored, %s already present", result.stored, result.already_stored)
        if result.remaining:
            self._reconnect = True
            self.problem = (
                f"the database cannot be written ({result.error}); "
                f"{result.remaining} response(s) wait in the spool"
            )
        else:
            self._reconnect = False
            if self.unsaved is None:
                self.problem = None

    # -- idle ----------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp
        ):
            self.last_activity = self.clock()
            if self._idle_screen is not None and isinstance(event, events.MouseDown):
                self._dismiss_idle()
        await super().on_event(event)

    def _dismiss_idle(self) -> None:
        if self._idle_screen is not None and self.screen is self._idle_screen:
            self._idle_screen.dismiss()
        self._idle_screen = None

    def _staff_screen_open(self) -> bool:
        return any(
            isinstance(s, PinScreen | OperatorScreen)
            or (isinstance(s, CheckinScreen) and not s.home)
            for s in self.screen_stack
        )

    def _idle_tick(self) -> None:
        self.apply_idle_rule()

    def apply_idle_rule(self) -> None:
        """Apply the idle rule at the kiosk's clock: warn, then abandon the session.

        Every screen obeys it, the staff PIN prompt and the operator screen too: keys and clicks
        there are activity like any other, but a kiosk left on them is reset like one left on a
        question (or else the next participant could go back into the last one's answers). The
        timer runs on `clock`; the interval calls this, and tests call it after moving the clock.
        Data entry (staff keying paper forms) has no idle reset.
        """
        if self.options.data_entry:
            return
        if self.session is None and not self._staff_screen_open():
            return  # nothing of a participant's on screen, and no staff screen left open
        idle = self.clock() - self.last_activity
        timeout, warning = self.options.idle_timeout, self.options.idle_warning
        if idle >= timeout:
            self.abandon()
            return
        if idle >= timeout - warning:
            left = timeout - idle
            if self._idle_screen is None:
                w = self.session.words if self.session else words(self.survey.languages[0])
                self._idle_screen = IdleScreen(w["still_there"], w["reset_in"], left)
                self.push_screen(self._idle_screen, callback=lambda _: self._idle_closed())
            elif self.screen is self._idle_screen:
                self._idle_screen.show_remaining(left)
        elif self._idle_screen is not None:
            self._dismiss_idle()

    def abandon(self) -> None:
        """The kiosk was left alone: close every screen (the PIN prompt and the operator screen
        too) and forget the participant. Their answers are never shown again. They are discarded,
        never stored, unless the survey keeps partial responses (``keep_partial``) and at least
        one question is answered: then they are stored as a partial response through the same
        durable path as a submit (the database, or else the spool), without a thank-you screen.
        A partial response that neither could take is held for staff behind the "not saved"
        screen, like a submitted one. Answers that could not be saved stay held for staff behind
        the "not saved" screen, which shows none of them."""
        session = self.session
        if session is not None:
            if self.survey.keep_partial and session.submitted_answers():
                self._keep_partial(session)
                return
            log.info("idle: a participant's unfinished answers were discarded")
        if len(self.screen_stack) > 1 and isinstance(self.screen_stack[1], NotSavedScreen):
            self._idle_screen = None
            self.session = None
            while len(self.screen_stack) > 2:
                self.pop_screen()
            self.last_activity = self.clock()
            return
        self.reset()

    def _keep_partial(self, session: KioskSession) -> None:
        """Store an abandoned session's answers as a partial response, then wait for the next
        participant (no thank-you: nobody is there to read it)."""
        self._idle_screen = None
        self.session = None
        try:
            response = session.response().model_copy(update={"partial": True})
        except Exception as exc:  # a bug: never a traceback (with the answers) on screen
            log.exception("the abandoned answers could not be made into a response")
            self.problem = f"the answers could not be made into a response ({type(exc).__name__})"
            self._show_not_saved(session.language)
            return
        if not self._save(response):
            self.unsaved = response
            self._show_not_saved(response.language)
            return
        log.info("idle: a participant left before Submit: a partial response was kept")
        self._saved(response)

    def _idle_closed(self) -> None:
        self._idle_screen = None
        self.last_activity = self.clock()

    # -- keys ----------------------------------------------------------------------------------

    def action_locked_key(self) -> None:
        """Quit, suspend, copy and paste keys: ignored while locked; Ctrl+Q quits when unlocked."""
        if not self.options.locked:
            self.exit()

    def action_toggle_contrast(self) -> None:
        self.theme = DEFAULT_THEME if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def action_operator(self) -> None:
        if isinstance(self.screen, PinScreen | OperatorScreen):
            return
        if isinstance(self.screen, CheckinScreen) and not self.screen.home:
            self.screen.dismiss(None)  # opened from the operator screen: back to it
            return
        if not self.options.locked or self.options.pin_hash is None:
            self._open_operator()
            return
        language = self.session.language if self.session else self.survey.languages[0]
        self.push_screen(
            PinScreen(self.options.pin_hash, words(language), clock=self.clock), self._pin_done
        )

    def _pin_done(self, ok: bool | None) -> None:
        if ok:
            self._open_operator()

    def _open_operator(self) -> None:
        try:
            store = self.engine.store
            events_ = [(str(e["id"]), str(e["title"])) for e in store.events()]
            today = store.count_responses(
                event=self.options.event, submitted=events_today().isoformat()
            )
        except Exception:
            events_, today = [(self.options.event, self.event_title)], -1
        if self.options.event not in [event_id for event_id, _ in events_]:
            events_.append((self.options.event, self.event_title))
        mode = (
            "data entry (paper)"
            if self.options.data_entry
            else ("locked" if self.options.locked else "unlocked")
        )
        try:
            backlog = self.spool.pending()
        except SpoolError:
            backlog = -1
        try:
            refused = self.spool.refused()
        except SpoolError:
            refused = -1
        screen = OperatorScreen(
            self.options.event,
            events_,
            today,
            backlog,
            mode,
            refused=refused,
            refused_path=str(self.spool.refused_path),
            unsaved=int(self.unsaved is not None),
            problem=self.problem,
            stuck=isinstance(self.screen, NotSavedScreen),
            checkin_home=self.options.checkin,
        )
        self.push_screen(screen, self._operator_done)

    def _checkin_screen(self, home: bool) -> CheckinScreen:
        """Staff check-in of the current event, in the staff's language."""
        desk = CheckinDesk(self.engine, self.options.event, words(self.staff_language))
        return CheckinScreen(desk, self.event_title, self.action_operator if home else None)

    def open_checkin(self) -> None:
        """Staff check-in over the kiosk, from the operator screen; leaving goes back to it."""
        self.push_screen(self._checkin_screen(home=False), lambda _: self._open_operator())

    def _operator_done(self, choice: str | None) -> None:
        self.last_activity = self.clock()
        if choice == "exit":
            self.exit()
        elif choice == "retry":
            self.retry()
        elif choice == "discard":
            self.discard_unsaved()
        elif choice == "checkin":
            self.open_checkin()
        elif choice == "survey":
            self.options.checkin = False
            self.reset()
        elif choice and choice.startswith("event:"):
            self.options.event = choice.removeprefix("event:")
            self.reset()


def _default_spool(engine: Engine) -> Path:
    db = engine.settings.db_path
    return db.with_name(db.name + ".spool")


def _cause(exc: BaseException) -> str:
    """An error in a line for staff: its message, or its kind when it has none."""
    return " ".join(str(exc).split()) or type(exc).__name__


def make_app(engine: Engine, options: KioskOptions, **kwargs: Any) -> KioskApp:
    """The kiosk app for an engine and options (the factory the CLI and the tests use)."""
    return KioskApp(engine, options, **kwargs)
