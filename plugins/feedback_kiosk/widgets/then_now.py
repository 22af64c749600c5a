"""A then/now question: the same scale twice, "before the seminar" and "now"."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Label

from feedback.survey import ThenNow, localise
from feedback_kiosk.plain import plain
from feedback_kiosk.widgets.choices import Choice, Choices, fits_in_a_row
from feedback_kiosk.widgets.messages import GoOn, RowAnswered


class ThenNowWidget(Widget):
    DEFAULT_CSS = """
    ThenNowWidget { height: auto; }
    ThenNowWidget > .row-label { margin: 1 1 0 1; text-style: bold; }
    """

    def __init__(
        self,
        question: ThenNow,
        value: Any,
        partial: dict[str, str],
        language: str,
        words: dict[str, str],
    ):
        super().__init__()
        self.question = question
        self.rows = dict(partial)
        if isinstance(value, dict):
            self.rows.update(value)
        self.language = language
        self.words = words

    def compose(self) -> ComposeResult:
        q = self.question
        scale = q.resolved_scale
        options = [Choice(p.id, p.text(self.language)) for p in scale.points]
        if q.allow_na and scale.na is not None:
            options.append(Choice(scale.na.id, scale.na.text(self.language), apart=True))
        in_a_row = fits_in_a_row([o.label for o in options], self.app.size.width)
        for row, default in (("then", self.words["before"]), ("now", self.words["now"])):
            label = localise(getattr(q, f"{row}_label"), self.language, default)
            yield Label(plain(label), classes="row-label", markup=False)
            yield Choices(options, self.rows.get(row), row=in_a_row, id=f"row-{row}")

    def on_choices_changed(self, event: Choices.Changed) -> None:
        event.stop()
        row = "then" if event.choices.id == "row-then" else "now"
        if isinstance(event.value, str):
            self.rows[row] = event.value
            self.post_message(RowAnswered(self.question.id, row, event.value))

    def on_choices_confirmed(self, event: Choices.Confirmed) -> None:
        event.stop()
        if event.choices.id == "row-then":
            self.screen.focus_next()
        else:
            self.post_message(GoOn())
