"""A then/now question: the same scale twice, "before the seminar" and "now".

Each row is its own `Choices`: number keys and Space act on the row that has the focus, whose
label is marked. Down past the last option of the first row (in a column) goes to the second, up
past the first option of the second goes back. An optional item touched by mistake can be taken
back: Delete clears the focused row, the Clear button both rows; with both rows empty the question
is unanswered again and can be skipped.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Button, Label

from feedback.kiosk_widget import KioskContext, QuestionWidget, plain
from feedback.survey import ThenNow, localise
from feedback_kiosk.widgets.choices import Choice, Choices, fits_in_a_row
from feedback_kiosk.widgets.messages import RowAnswered

ROWS = ("then", "now")


class ThenNowWidget(QuestionWidget):
    DEFAULT_CSS = """
    ThenNowWidget { height: auto; }
    ThenNowWidget > .row-label { margin: 1 1 0 1; text-style: bold; }
    ThenNowWidget > .row-label.-focused { color: $accent; }
    ThenNowWidget > #clear-rows { margin: 1 0 0 2; width: auto; }
    """

    question: ThenNow

    def __init__(self, question: ThenNow, value: Any, context: KioskContext) -> None:
        super().__init__(question, value, context)
        # the rows answered so far (``context.partial``: one row of two), then the answer
        self.rows: dict[str, str] = {
            k: v for k, v in context.partial.items() if k in ROWS and isinstance(v, str)
        }
        if isinstance(value, dict):
            self.rows.update(value)

    def compose(self) -> ComposeResult:
        q = self.question
        scale = q.resolved_scale
        options = [Choice(p.id, p.text(self.language)) for p in scale.points]
        if q.allow_na and scale.na is not None:
            options.append(Choice(scale.na.id, scale.na.text(self.language), apart=True))
        in_a_row = fits_in_a_row(options, self.app.size.width)
        for row, default in zip(ROWS, (self.words["before"], self.words["now"]), strict=True):
            label = localise(getattr(q, f"{row}_label"), self.language, default)
            yield Label(plain(label), classes="row-label", id=f"label-{row}", markup=False)
            yield Choices(options, self.rows.get(row), row=in_a_row, id=f"row-{row}")
        if not q.required:
            # for the mouse; keys have Delete. Not in the Tab order: Tab then Enter from the
            # last row must go on (to Next), never wipe the answer
            clear = Button(self.words["clear"], id="clear-rows", compact=True)
            clear.can_focus = False
            clear.disabled = not self.rows
            yield clear

    def _row_of(self, choices: Choices) -> str:
        return "then" if choices.id == "row-then" else "now"

    def on_choices_changed(self, event: Choices.Changed) -> None:
        event.stop()
        row = self._row_of(event.choices)
        point = event.value if isinstance(event.value, str) else None
        if point is None:
            self.rows.pop(row, None)
        else:
            self.rows[row] = point
        for clear in self.query("#clear-rows").results(Button):
            clear.disabled = not self.rows
        self.post_message(RowAnswered(self.question.id, row, point))

    def on_choices_confirmed(self, event: Choices.Confirmed) -> None:
        event.stop()
        if event.choices.id == "row-then":
            self._focus_row("now")
        else:
            self.go_on()

    def on_choices_edge(self, event: Choices.Edge) -> None:
        """An arrow past the end of a row in a column: on to the other row, if there is one."""
        event.stop()
        row = self._row_of(event.choices)
        if row == "then" and event.step > 0:
            self._focus_row("now")
        elif row == "now" and event.step < 0:
            self._focus_row("then")

    def _focus_row(self, row: str) -> None:
        """Give a row the focus and bring the whole of it, label included, into view at once."""
        self.query_one(f"#row-{row}", Choices).focus(scroll_visible=False)
        # now, not after the next refresh: a number key pressed at once then sees the row
        label = self.query_one(f"#label-{row}", Label)
        label.scroll_visible(animate=False, top=True, immediate=True)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._mark_focused()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._mark_focused()

    def _mark_focused(self) -> None:
        focused = self.screen.focused
        for row in ROWS:
            self.query_one(f"#label-{row}", Label).set_class(
                focused is not None and focused.id == f"row-{row}", "-focused"
            )

    @on(Button.Pressed, "#clear-rows")
    def _clear(self, event: Button.Pressed) -> None:
        event.stop()
        for choices in self.query(Choices):
            choices.clear()
        self._focus_row("then")
