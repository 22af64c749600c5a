"""Not saved: neither the database nor the spool took the answers. The participant is told so
plainly and asked to fetch staff; nothing else happens until staff come (Ctrl+O and the PIN), who
see the cause on the operator screen and retry or discard."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static


class NotSavedScreen(Screen[None]):
    def __init__(self, message: str, note: str) -> None:
        super().__init__(id="not-saved")
        self.message = message
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="not-saved-box"):
            yield Static(self.message, id="not-saved-message", markup=False)
            yield Static(self.note, id="not-saved-note", markup=False)

    def on_key(self, event: events.Key) -> None:
        # a participant's keys do nothing here (Ctrl+O for staff is the app's, and comes first)
        event.stop()
        event.prevent_default()
