"""Staff check-in at the venue: find a name on the event's roster, or scan a pass, and mark the
person present (attendance with the source ``checkin``, `feedback.checkin`).

Staff open it from the operator screen (behind the PIN), or the kiosk starts on it
(``feedback kiosk --checkin``): then it is the kiosk's home, and leaving it asks for the PIN as
the operator screen does. A badge or invitation QR scanner types like a keyboard: a pass's link
(or bare code) and Enter check its holder in at once, but only for the kiosk's event; a pass of
another event is refused, never recorded against the wrong event.

The database is the truth: a check-in it did not take (locked, read-only) says "not recorded" and
nothing on screen claims the person is present. Names come from the roster (an import, a person
typing their own): they are drawn as plain text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from feedback.checkin import (
    CHECKIN_PATH,
    CheckedIn,
    check_in_pass,
    confirm,
    find_names,
    find_pass,
    present,
    token_from_scan,
    undo,
)
from feedback.engine import Engine
from feedback.errors import InvalidInput
from feedback_kiosk.plain import plain, visible

log = logging.getLogger(__name__)

#: At most this many names are listed: staff type more of the name to narrow it down.
LIMIT = 50

#: How a status line is drawn, by the kind of outcome (a CSS class of the status line).
KINDS = ("ok", "already", "refused", "error")


def _cause(exc: BaseException) -> str:
    """An error in a line for staff: its message, or its kind when it has none."""
    return " ".join(str(exc).split()) or type(exc).__name__


def clock_time(recorded: str | None) -> str:
    """A stored time (ISO, UTC) as the venue's clock shows it: ``09:12``; what was stored when it
    is no time."""
    if not recorded:
        return "?"
    try:
        return dt.datetime.fromisoformat(recorded).astimezone().strftime("%H:%M")
    except ValueError:
        return recorded


def looks_scanned(text: str) -> bool:
    """Whether ``text`` is what a scanner types (a link, or a pass's path) rather than a name:
    it is then never searched for as a name."""
    return "://" in text or CHECKIN_PATH.split("{", 1)[0] in text


@dataclass(frozen=True)
class Outcome:
    """What a check-in, a scan or an undo did: the words for the status line, their kind (one
    of `KINDS`) and the check-in done, if one was (what Undo takes back)."""

    message: str
    kind: str
    done: CheckedIn | None = None


class CheckinDesk:
    """The check-in of one event, in the staff's words: the screen's only way to the database.

    Every method raises nothing: a failure comes back as an `Outcome` of kind ``error`` that says
    what was not recorded and why. After a failed write the engine's connection is dropped (the
    next use opens a new one): one opened while the file was read-only stays so for its life.
    """

    def __init__(self, engine: Engine, event: str, words: dict[str, str]) -> None:
        self.engine = engine
        self.event = event
        self.words = words

    def present(self) -> tuple[int, int] | None:
        """(confirmed present, on the roster), or None when the database cannot be read."""
        try:
            return present(self.engine.store, self.event)
        except Exception as exc:
            log.warning("check-in: the roster could not be counted: %s", _cause(exc))
            return None

    def search(self, text: str) -> list[dict[str, Any]]:
        """The roster's people matching ``text`` (`feedback.checkin.find_names`).

        :raises Exception: the database cannot be read (the screen says so).
        """
        return find_names(self.engine.store, self.event, text, LIMIT)

    def check_in(self, person: int) -> Outcome:
        """Mark ``person`` present at the event."""
        return self._confirm(lambda: confirm(self.engine, self.event, [person], "checkin")[0])

    def scan(self, text: str) -> Outcome:
        """Check in the holder of the pass a scanner typed (its link or its code), if the pass is
        of this event; an unknown code or another event's pass records nothing."""
        w = self.words
        token = token_from_scan(text)
        if token is None:
            return Outcome(w["checkin_not_a_pass"], "refused")
        try:
            found = find_pass(self.engine.store, token)
        except Exception as exc:
            log.warning("check-in: a pass could not be looked up: %s", _cause(exc))
            return Outcome(w["checkin_unreadable"].format(cause=_cause(exc)), "error")
        if found is None:
            return Outcome(w["checkin_unknown_pass"], "refused")
        event, person = found
        if event != self.event:
            name = self._name(person)
            return Outcome(w["checkin_other_event"].format(name=name, event=event), "refused")
        return self._confirm(lambda: check_in_pass(self.engine, token))

    def undo(self, done: CheckedIn) -> Outcome:
        """Take back the check-in ``done`` (a wrong name chosen, a pass scanned twice)."""
        w = self.words
        try:
            undo(self.engine, done)
        except Exception as exc:
            self._failed_write("undo", exc)
            return Outcome(
                w["checkin_undo_failed"].format(name=done.name, cause=_cause(exc)), "error", done
            )
        return Outcome(w["checkin_undone"].format(name=done.name), "ok")

    def _confirm(self, check_in: Callable[[], CheckedIn]) -> Outcome:
        w = self.words
        try:
            done = check_in()
        except InvalidInput as exc:  # the person was erased, the event removed meanwhile
            return Outcome(w["checkin_not_recorded"].format(cause=_cause(exc)), "refused")
        except Exception as exc:
            self._failed_write("check-in", exc)
            return Outcome(w["checkin_not_recorded"].format(cause=_cause(exc)), "error")
        if not done.already:
            return Outcome(w["checkin_done"].format(name=done.name), "ok", done)
        before = done.before or {}
        if before.get("source") == "sheet":
            return Outcome(w["checkin_already_sheet"].format(name=done.name), "already")
        at = clock_time(before.get("recorded"))
        return Outcome(w["checkin_already_at"].format(name=done.name, time=at), "already")

    def _name(self, person: int) -> str:
        try:
            row = self.engine.store.conn.execute(
                "SELECT name FROM people WHERE id = ?", [person]
            ).fetchone()
        except Exception:
            row = None
        return str(row[0]) if row else f"#{person}"

    def _failed_write(self, what: str, exc: BaseException) -> None:
        log.warning("check-in: %s not recorded: %s", what, _cause(exc))
        try:
            self.engine.close()
        except Exception as closing:
            log.warning("closing the database connection failed: %s", closing)


def match_label(person: dict[str, Any], words: dict[str, str]) -> Content:
    """One line of the list: the name, the organisation, and whether (and by what) the person is
    confirmed present already; all of it plain text."""
    text = visible(str(person["name"]))
    if person.get("organisation"):
        text += " · " + visible(str(person["organisation"]))
    status = ""
    if person["attended"] and person["source"] == "checkin":
        status = words["checkin_by_checkin"]
    elif person["attended"] and person["source"] == "sheet":
        status = words["checkin_by_sheet"]
    if not status:
        return plain(text)
    shown = text + "  " + status
    return plain(shown).stylize("bold $success", len(text) + 2, len(shown))


class CheckinScreen(Screen[None]):
    """Find a name or scan a pass, Enter to check in; Ctrl+R undoes the last check-in. Escape
    dismisses it (back to the operator screen that opened it) or, as the kiosk's home, calls
    ``leave`` (the PIN, then the operator screen)."""

    BINDINGS = [
        Binding("escape", "leave", show=False),
        Binding("ctrl+r", "undo", show=False),
        Binding("down", "to_list", show=False),
    ]

    def __init__(
        self,
        desk: CheckinDesk,
        event_title: str,
        leave: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(id="checkin")
        self.desk = desk
        self.event_title = event_title
        self.leave = leave
        self.home = leave is not None  # the kiosk's home (`--checkin`): leaving asks for the PIN
        self.last: CheckedIn | None = None  # the check-in Undo takes back
        self.matches: list[dict[str, Any]] = []

    @property
    def words(self) -> dict[str, str]:
        return self.desk.words

    def compose(self) -> ComposeResult:
        w = self.words
        with Vertical(id="checkin-box"):
            with Horizontal(id="checkin-top"):
                title = f"{w['checkin_title']} · {self.event_title} ({self.desk.event})"
                yield Static(plain(title), id="checkin-title")
                yield Static("", id="checkin-present")
            yield Input(placeholder=w["checkin_prompt"], id="checkin-input", max_length=500)
            yield Static("", id="checkin-status")
            yield OptionList(id="checkin-matches")
            with Horizontal(id="checkin-buttons"):
                yield Button(w["checkin_undo"], id="checkin-undo", disabled=True)
                yield Button(w["checkin_back"], id="checkin-back")
            yield Static(plain(w["checkin_hint"]), id="checkin-hint")

    def on_mount(self) -> None:
        self._count()
        self._search("")
        self.query_one("#checkin-input", Input).focus()

    # -- what is shown ---------------------------------------------------------------------------

    def _count(self) -> None:
        figures = self.desk.present()
        w = self.words
        if figures is None:
            text = w["checkin_present"].format(n="?", total="?")
        else:
            text = w["checkin_present"].format(n=figures[0], total=figures[1])
        self.query_one("#checkin-present", Static).update(plain(text))

    def _say(self, message: str, kind: str) -> None:
        status = self.query_one("#checkin-status", Static)
        status.update(plain(message))
        for other in KINDS:
            status.set_class(other == kind, f"-{other}")

    def _search(self, text: str) -> None:
        matches = self.query_one("#checkin-matches", OptionList)
        matches.clear_options()
        self.matches = []
        if looks_scanned(text):
            return  # a scanner is typing a link: Enter will check its pass
        try:
            self.matches = self.desk.search(text)
        except Exception as exc:
            log.warning("check-in: the roster could not be read: %s", _cause(exc))
            self._say(self.words["checkin_unreadable"].format(cause=_cause(exc)), "error")
            return
        matches.add_options(
            Option(match_label(person, self.words), id=str(person["id"])) for person in self.matches
        )
        if self.matches:
            matches.highlighted = 0

    def _done(self, outcome: Outcome, scanned: bool = False) -> None:
        """Show what a check-in or scan did; clear the input for the next person (after a scan,
        whatever it did: the next scan must start on an empty field)."""
        self._say(outcome.message, outcome.kind)
        if outcome.done is not None:
            self.last = outcome.done
        self.query_one("#checkin-undo", Button).disabled = self.last is None
        field = self.query_one("#checkin-input", Input)
        if scanned or outcome.kind in ("ok", "already"):
            field.value = ""
        self._search(field.value)
        self._count()
        field.focus()

    # -- keys and clicks -------------------------------------------------------------------------

    @on(Input.Changed, "#checkin-input")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#checkin-input")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        if looks_scanned(text) or token_from_scan(text) is not None:
            self._done(self.desk.scan(text), scanned=True)
            return
        if len(self.matches) == 1:
            self._done(self.desk.check_in(int(self.matches[0]["id"])))
        elif not self.matches:
            self._say(self.words["checkin_no_match"].format(text=text), "refused")
        else:
            self._say(self.words["checkin_choose"].format(n=len(self.matches)), "already")
            self.action_to_list()

    @on(OptionList.OptionSelected, "#checkin-matches")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._done(self.desk.check_in(int(event.option.id)))

    @on(Button.Pressed, "#checkin-undo")
    def _undo_pressed(self) -> None:
        self.action_undo()

    @on(Button.Pressed, "#checkin-back")
    def _back_pressed(self) -> None:
        self.action_leave()

    def action_to_list(self) -> None:
        matches = self.query_one("#checkin-matches", OptionList)
        if self.focused is self.query_one("#checkin-input", Input) and self.matches:
            matches.focus()
            if matches.highlighted is None:
                matches.highlighted = 0

    def action_undo(self) -> None:
        if self.last is None:
            self._say(self.words["checkin_nothing_to_undo"], "refused")
            return
        outcome = self.desk.undo(self.last)
        if outcome.kind == "ok":
            self.last = None
        self._say(outcome.message, outcome.kind)
        self.query_one("#checkin-undo", Button).disabled = self.last is None
        field = self.query_one("#checkin-input", Input)
        self._search(field.value)
        self._count()
        field.focus()

    def action_leave(self) -> None:
        if self.leave is None:
            self.dismiss(None)
        else:
            self.leave()
