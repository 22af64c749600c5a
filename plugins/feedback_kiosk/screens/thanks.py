"""Thank you: shown once the answers are safe, then back to the attract screen by itself."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from feedback_kiosk.plain import plain


class ThanksScreen(Screen[None]):
    def __init__(self, message: str, note: str, seconds: float) -> None:
        super().__init__(id="thanks")
        self.message = message
        self.note = note
        self.seconds = seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="thanks-box"):
            yield Static(plain(self.message), id="thanks-message", markup=False)
            yield Static(self.note, id="thanks-note", markup=False)

    def on_mount(self) -> None:
        self.set_timer(self.seconds, self.app.reset)  # type: ignore[attr-defined]

    def on_key(self, event: events.Key) -> None:
        # stopped here: the key must not also act on the attract screen (and begin a survey)
        event.stop()
        event.prevent_default()
        self.app.reset()  # type: ignore[attr-defined]
