"""The slider in the kiosk: a track with a marker, moved with the arrow keys (the kiosk widget
contract of `feedback.kiosk_widget`).

Left and Right move a step, Page Up and Page Down a tenth of the scale, Home and End to the ends;
the first arrow pressed puts the marker in the middle. A number key types a value (``7``, ``75``),
read with the type's parser. Delete clears the answer, Enter goes on. A click on the track puts
the marker there.
"""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Label

from feedback.kiosk_widget import KioskContext, QuestionWidget, plain
from feedback_slider.model import Slider

TRACK = 41  # the track's cells: a marker on the middle one for an odd number of cells


class SliderTrack(Widget, can_focus=True):
    """The focusable track; its parent `SliderWidget` reports the value."""

    DEFAULT_CSS = """
    SliderTrack { height: 1; width: auto; padding: 0 1; }
    SliderTrack:focus { background: $accent 30%; text-style: bold; }
    """

    BINDINGS = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("pageup", "move(10)", show=False),
        Binding("pagedown", "move(-10)", show=False),
        Binding("home", "end(-1)", show=False),
        Binding("end", "end(1)", show=False),
        Binding("delete", "clear", show=False),
        Binding("enter", "confirm", show=False),
        *[Binding(str(d), f"digit({d})", show=False) for d in range(10)],
    ]

    def __init__(self, slider: SliderWidget) -> None:
        super().__init__(id="answer")
        self.slider = slider
        self._typed = ""
        self._typed_at = 0.0

    def render(self) -> str:
        q = self.slider.question
        value = self.slider.current
        if value is None:
            return "├" + "─" * TRACK + "┤  " + self.slider.words.get("not_answered", "")
        at = round((value - q.min) / (q.max - q.min) * (TRACK - 1))
        return "├" + "━" * at + "●" + "─" * (TRACK - 1 - at) + f"┤  {q.raw(value)}"

    def action_move(self, steps: int) -> None:
        q = self.slider.question
        values = q.steps()
        if self.slider.current is None:
            index = len(values) // 2
        else:
            index = values.index(self.slider.current) + (
                steps if abs(steps) == 1 else steps * max(1, len(values) // 10) // 10
            )
        self.slider.set_value(values[max(0, min(len(values) - 1, index))])

    def action_end(self, side: int) -> None:
        values = self.slider.question.steps()
        self.slider.set_value(values[0] if side < 0 else values[-1])

    def action_clear(self) -> None:
        self.slider.set_value(None)

    def action_confirm(self) -> None:
        self.slider.go_on()

    def action_digit(self, digit: int) -> None:
        now = time.monotonic()
        self._typed = (self._typed if now - self._typed_at < 1.0 else "") + str(digit)
        self._typed_at = now
        self.slider.typed_number(self._typed)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        cell = event.x - 2  # the padding and the left end
        if 0 <= cell < TRACK:
            q = self.slider.question
            values = q.steps()
            wanted = q.min + cell / (TRACK - 1) * (q.max - q.min)
            self.slider.set_value(min(values, key=lambda v: abs(v - wanted)))


class SliderWidget(QuestionWidget):
    """The kiosk rendering of a slider question."""

    DEFAULT_CSS = """
    SliderWidget { height: auto; padding: 0 1; }
    SliderWidget .ends { color: $text-muted; padding: 0 1; width: auto; }
    """

    question: Slider

    def __init__(self, question: Slider, value: Any, context: KioskContext) -> None:
        super().__init__(question, value, context)
        self.current: int | float | None = value if question.check(value) is None else None

    def compose(self) -> ComposeResult:
        yield SliderTrack(self)
        q = self.question
        low = f"{q.raw(q.min)} {self.context.text(q.min_label)}".strip()
        high = f"{self.context.text(q.max_label)} {q.raw(q.max)}".strip()
        width = TRACK + 2
        line = low + high.rjust(width - len(low)) if len(low) + len(high) < width else low
        yield Label(plain(line), classes="ends", markup=False)

    def set_value(self, value: int | float | None) -> None:
        """Move the marker to ``value`` (``None``: clear) and report it, read by the parser."""
        self.current = value
        self.query_one(SliderTrack).refresh()
        self.typed_in(None if value is None else self.question.raw(value))

    def typed_number(self, text: str) -> None:
        """A number typed on the track: where it is a value of the slider, the marker goes."""
        value = self.typed_in(text)
        if value is not None:
            self.current = value
            self.query_one(SliderTrack).refresh()
