"""A number question: a field that accepts digits (and a decimal point where allowed), read with
the type's parser (`feedback.questions.Number.parse`)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label

from feedback.kiosk_widget import KioskContext, QuestionWidget, plain
from feedback.survey import Number


class NumberWidget(QuestionWidget):
    DEFAULT_CSS = """
    NumberWidget { height: auto; layout: horizontal; padding: 0 1; }
    NumberWidget Input { width: 24; }
    NumberWidget Label { margin: 1 1; }
    """

    typed = True
    question: Number

    def __init__(self, question: Number, value: Any, context: KioskContext) -> None:
        super().__init__(question, value, context)

    def compose(self) -> ComposeResult:
        q = self.question
        # the type's `raw`, not :g, which keeps six digits: 1234567 would come back as 1.23457e+06
        text = self.context.raw_text(q, self.value)
        yield Input(text, type="integer" if q.integer else "number", id="answer")
        if q.unit is not None:
            yield Label(plain(self.context.text(q.unit)), markup=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.typed_in(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.go_on()
