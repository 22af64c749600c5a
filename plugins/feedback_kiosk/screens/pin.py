"""The staff PIN prompt, in front of the operator screen."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from feedback_kiosk.pin import check_pin

MAX_TRIES = 3
LOCKOUT_SECONDS = 30.0


class PinScreen(ModalScreen[bool]):
    """Dismissed with ``True`` for the right PIN; Escape gives up."""

    BINDINGS = [Binding("escape", "cancel", show=False)]
    tries = 0
    locked_until = 0.0

    def __init__(
        self,
        pin_hash: str,
        words: dict[str, str],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(id="pin")
        self.pin_hash = pin_hash
        self.words = words
        self.clock = clock  # the kiosk's clock: the lockout runs on it

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-box"):
            yield Static(self.words["staff_pin"], id="pin-title", markup=False)
            yield Input(password=True, id="pin-input", max_length=32)
            yield Static("", id="pin-error", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        now = self.clock()
        error = self.query_one("#pin-error", Static)
        if now < PinScreen.locked_until:
            left = math.ceil(PinScreen.locked_until - now)
            error.update(self.words["locked_out"].format(n=left))
            event.input.value = ""
            return
        if check_pin(event.value, self.pin_hash):
            PinScreen.tries = 0
            self.dismiss(True)
            return
        PinScreen.tries += 1
        event.input.value = ""
        if PinScreen.tries >= MAX_TRIES:
            PinScreen.tries = 0
            PinScreen.locked_until = now + LOCKOUT_SECONDS
            error.update(self.words["locked_out"].format(n=int(LOCKOUT_SECONDS)))
        else:
            error.update(self.words["wrong_pin"])

    def action_cancel(self) -> None:
        self.dismiss(False)
