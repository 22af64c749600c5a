"""The operator screen behind the PIN: today's count, the spool backlog, switch event, exit."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Select, Static


class OperatorScreen(ModalScreen[str | None]):
    """Dismissed with ``"exit"``, ``"event:<id>"``, or ``None`` to carry on."""

    BINDINGS = [Binding("escape", "resume", show=False)]

    def __init__(
        self, event: str, events: list[tuple[str, str]], today: int, backlog: int, mode: str
    ):
        super().__init__(id="operator")
        self.event = event
        self.events = events
        self.today = today
        self.backlog = backlog
        self.mode = mode

    def compose(self) -> ComposeResult:
        with Vertical(id="operator-box"):
            yield Static("Kiosk operator", id="operator-title")
            yield Static(
                f"Event: {self.event}    Mode: {self.mode}\n"
                f"Responses today at this event: {self.today}\n"
                f"Waiting in the spool (database not writable): {self.backlog}",
                id="operator-figures",
                markup=False,
            )
            yield Select(
                [(f"{title} ({event_id})", event_id) for event_id, title in self.events],
                value=self.event,
                allow_blank=False,
                id="operator-event",
            )
            with Horizontal(id="operator-buttons"):
                yield Button("Resume", id="resume", variant="primary")
                yield Button("Switch event", id="switch")
                yield Button("Retry spool", id="retry")
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

    @on(Button.Pressed, "#switch")
    def _switch(self) -> None:
        value = self.query_one("#operator-event", Select).value
        self.dismiss(f"event:{value}" if isinstance(value, str) else None)
