"""A date question: one field that takes digits and '-', ten characters, with the form it wants
beside it (``YYYY-MM-DD``) and the range, when there is one; read with the type's parser
(`feedback.questions.DateQuestion.parse`).

One field rather than day, month and year fields: typed straight through with the keyboard
alone, one Tab to Next, and the same form as the paper heading's date (`screens.heading`)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label

from feedback.kiosk_widget import KioskContext, QuestionWidget
from feedback.survey import DateQuestion


class DateWidget(QuestionWidget):
    DEFAULT_CSS = """
    DateWidget { height: auto; layout: horizontal; padding: 0 1; }
    DateWidget Input { width: 16; }
    DateWidget Label { margin: 1 1; color: $text-muted; }
    """

    typed = True
    question: DateQuestion

    def __init__(self, question: DateQuestion, value: Any, context: KioskContext) -> None:
        super().__init__(question, value, context)

    def compose(self) -> ComposeResult:
        q = self.question
        text = self.context.raw_text(q, self.value)
        yield Input(
            text,
            restrict=r"[0-9-]*",
            max_length=10,
            placeholder=self.words["date_format"],
            id="answer",
        )
        yield Label(self._hint(), markup=False)

    def _hint(self) -> str:
        """``YYYY-MM-DD``, and the range when the question has one (``2020-01-01 … 2026-12-31``)."""
        q = self.question
        hint = self.words["date_format"]
        if q.min is not None or q.max is not None:
            low = "" if q.min is None else q.min.isoformat()
            high = "" if q.max is None else q.max.isoformat()
            hint += f"  ({low} … {high})"
        return hint

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.typed_in(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.go_on()
