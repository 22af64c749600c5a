"""The idle warning: a countdown before the answers are cleared; any key or click keeps them."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class IdleScreen(ModalScreen[None]):
    def __init__(self, title: str, countdown: str, seconds: float) -> None:
        super().__init__(id="idle")
        self.title_text = title
        self.countdown = countdown
        self.seconds = seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="idle-box"):
            yield Static(self.title_text, id="idle-title", markup=False)
            yield Static(self._text(self.seconds), id="idle-countdown", markup=False)

    def _text(self, seconds: float) -> str:
        return self.countdown.format(n=max(0, int(seconds + 0.999)))

    def show_remaining(self, seconds: float) -> None:
        self.query_one("#idle-countdown", Static).update(self._text(seconds))

    def on_key(self, event: events.Key) -> None:
        # the key only wakes the kiosk: stopped here, it cannot also answer or go on underneath
        event.stop()
        event.prevent_default()
        self.dismiss()

    def on_click(self) -> None:
        self.dismiss()
