"""The operator screen behind the PIN: today's count, the spool backlog, what could not be saved
and why, and the ways out: retry, discard, switch event, exit; and staff check-in of the
current event (or, when the kiosk runs check-in as its home, back to the survey)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Select, Static

from feedback_kiosk.plain import plain, visible


def _count(n: int) -> str:
    return "unknown" if n < 0 else str(n)


SPOOL_LABEL = "Waiting in the spool (database not writable): "


def spool_figure(backlog: int) -> str:
    """How many responses wait in the spool, in agreement: "0", "1 response", "2 responses"."""
    if backlog <= 0:
        return _count(backlog)
    return f"{backlog} response{'' if backlog == 1 else 's'}"


def spool_style(backlog: int) -> str:
    """Quiet (dim) while nothing waits; bold in the warning colour while something does, or
    while the spool cannot be read."""
    return "dim" if backlog == 0 else "bold $warning"


class OperatorScreen(ModalScreen[str | None]):
    """Dismissed with ``"exit"``, ``"retry"``, ``"discard"``, ``"event:<id>"``, ``"checkin"``
    (open staff check-in), ``"survey"`` (the kiosk's home goes from check-in back to the survey),
    or ``None`` to carry on. Counts of -1 mean "could not be read"."""

    BINDINGS = [Binding("escape", "resume", show=False)]

    def __init__(
        self,
        event: str,
        events: list[tuple[str, str]],
        today: int,
        backlog: int,
        mode: str,
        *,
        refused: int = 0,
        refused_path: str = "",
        unsaved: int = 0,
        problem: str | None = None,
        stuck: bool = False,
        checkin_home: bool = False,
    ):
        super().__init__(id="operator")
        self.event = event
        self.events = events
        self.today = today
        self.backlog = backlog
        self.mode = mode
        self.refused = refused
        self.refused_path = refused_path
        self.unsaved = unsaved
        self.problem = problem
        self.stuck = stuck  # opened over the "not saved" screen: offer a way past it
        self.checkin_home = checkin_home  # `--checkin`: the kiosk's home is staff check-in

    def compose(self) -> ComposeResult:
        with Vertical(id="operator-box"):
            yield Static("Kiosk operator", id="operator-title")
            figures = (
                f"Event: {self.event}    Mode: {self.mode}\n"
                f"Responses today at this event: {_count(self.today)}\n"
            )
            spool_at = len(visible(figures))  # offsets in the text as shown
            figures += SPOOL_LABEL + spool_figure(self.backlog)
            spool_end = len(visible(figures))
            if self.refused:
                figures += (
                    f"\nSet aside for review (unreadable or refused): {_count(self.refused)}"
                    f" in {self.refused_path}"
                )
            if self.unsaved:
                figures += f"\nNOT SAVED (held in memory until saved or discarded): {self.unsaved}"
            # the spool line: a quiet indicator, which speaks up only when responses wait
            shown = plain(figures).stylize(spool_style(self.backlog), spool_at, spool_end)
            yield Static(shown, id="operator-figures", markup=False)
            if self.problem:
                yield Static(plain(f"Problem: {self.problem}"), id="operator-problem")
            with Horizontal(id="operator-row"):
                yield Select(
                    [(plain(f"{title} ({event_id})"), event_id) for event_id, title in self.events],
                    value=self.event,
                    allow_blank=False,
                    id="operator-event",
                )
                # after the event, before Resume: the Tab order of the buttons below stays
                if self.checkin_home:
                    yield Button("Survey", id="survey")
                else:
                    yield Button("Check in", id="checkin")
            with Horizontal(id="operator-buttons"):
                yield Button("Resume", id="resume", variant="primary")
                yield Button("Switch event", id="switch")
                yield Button("Retry saving" if self.unsaved else "Retry spool", id="retry")
                if self.unsaved or self.stuck:
                    yield Button("Discard unsaved", id="discard", variant="warning")
                yield Button("Exit kiosk", id="exit", variant="error")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    def action_resume(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#resume")
    def _resume(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#exit")
    def _exit(self) -> None:
        self.dismiss("exit")

    @on(Button.Pressed, "#retry")
    def _retry(self) -> None:
        self.dismiss("retry")

    @on(Button.Pressed, "#discard")
    def _discard(self) -> None:
        self.dismiss("discard")

    @on(Button.Pressed, "#checkin")
    def _checkin(self) -> None:
        self.dismiss("checkin")

    @on(Button.Pressed, "#survey")
    def _survey(self) -> None:
        self.dismiss("survey")

    @on(Button.Pressed, "#switch")
    def _switch(self) -> None:
        value = self.query_one("#operator-event", Select).value
        self.dismiss(f"event:{value}" if isinstance(value, str) else None)
