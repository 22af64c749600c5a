"""A number question: a field that accepts digits (and a decimal point where allowed)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Label

from feedback.survey import Number, localise
from feedback_kiosk.plain import plain
from feedback_kiosk.widgets.messages import Answered, GoOn, NotAnAnswer


class NumberWidget(Widget):
    DEFAULT_CSS = """
    NumberWidget { height: auto; layout: horizontal; padding: 0 1; }
    NumberWidget Input { width: 24; }
    NumberWidget Label { margin: 1 1; }
    """

    def __init__(self, question: Number, value: Any, language: str, words: dict[str, str]):
        super().__init__()
        self.question = question
        self.value = value
        self.language = language
        self.words = words

    def compose(self) -> ComposeResult:
        q = self.question
        # str, not :g, which keeps six digits: 1234567 would come back as 1.23457e+06 (1234570)
        text = "" if self.value is None else str(self.value)
        yield Input(text, type="integer" if q.integer else "number", id="answer")
        if q.unit is not None:
            yield Label(plain(localise(q.unit, self.language)), markup=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.post_message(Answered(self.question.id, None))
            return
        try:
            number = float(text)
        except ValueError:
            why = self.words["expected_whole" if self.question.integer else "expected_number"]
            self.post_message(NotAnAnswer(self.question.id, why))
            return
        value: int | float = number
        if number.is_integer():
            try:
                value = int(text)  # exactly as typed: float would round a long number
            except ValueError:
                value = int(number)
        if self.question.integer and not number.is_integer():
            self.post_message(NotAnAnswer(self.question.id, self.words["expected_whole"]))
            return
        self.post_message(Answered(self.question.id, value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(GoOn())
