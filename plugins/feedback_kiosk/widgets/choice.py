"""Single choice, multiple choice, likert, rating and yes/no: all are `Choices` underneath."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label

from feedback.kiosk_widget import KioskContext, QuestionWidget, plain, visible
from feedback.survey import MultiChoice, QuestionBase, Rating, ScaleQuestion, YesNo, localise
from feedback_kiosk.widgets.choices import Choice, Choices, fits_in_a_row, grid_for, room


def rating_ends(low: str, high: str, end: int) -> str:
    """The end labels of a rating under their ends: ``low`` from the first box's left edge,
    ``high`` ending at column ``end`` (the last box's right edge); on two lines when they do not
    fit on one."""
    if len(low) + 2 + len(high) <= end:
        return low + high.rjust(end - len(low))
    return "\n".join(line for line in (low, high.rjust(end)) if line.strip())


class ChoiceQuestionWidget(QuestionWidget):
    """Any question answered by picking options: the kiosk rendering of single and multiple
    choice, likert, rating and yes/no."""

    DEFAULT_CSS = """
    ChoiceQuestionWidget { height: auto; }
    ChoiceQuestionWidget .rating-ends { color: $text-muted; padding: 0 1; width: auto; }
    """

    def __init__(self, question: QuestionBase, value: Any, context: KioskContext) -> None:
        super().__init__(question, value, context)

    def _choices(self) -> tuple[list[Choice], bool, bool, bool]:
        """(options, multiple, in a row, numbered)"""
        q = self.question
        if isinstance(q, YesNo):
            return (
                [Choice("yes", self.words["yes"]), Choice("no", self.words["no"])],
                False,
                True,
                False,
            )
        if isinstance(q, Rating):
            options = [Choice(str(n), str(n)) for n in range(q.min, q.max + 1)]
            return options, False, True, True
        if isinstance(q, ScaleQuestion):
            scale = q.resolved_scale
            options = [Choice(p.id, p.text(self.language)) for p in scale.points]
            if q.allow_na and scale.na is not None:
                options.append(Choice(scale.na.id, scale.na.text(self.language), apart=True))
            return (
                options,
                False,
                fits_in_a_row(options, self.app.size.width),
                False,
            )
        options = [Choice(c.id, c.text(self.language)) for c in q.choices]  # type: ignore[attr-defined]
        return options, isinstance(q, MultiChoice), False, False

    def compose(self) -> ComposeResult:
        options, multiple, row, numbered = self._choices()
        # the answer as the options name it: yes/no "yes", a rating "7" (the type's `raw`)
        value = self.question.raw(self.value)
        grid = None
        if isinstance(self.question, Rating):
            grid = grid_for([o.label for o in options], room(self.app.size.width))
        yield Choices(
            options, value, multiple=multiple, row=row, numbered=numbered, id="answer", grid=grid
        )
        q = self.question
        if isinstance(q, Rating) and grid is not None and (q.min_label or q.max_label):
            low, high = (
                " ".join(visible(localise(text, self.language)).split()) if text else ""
                for text in (q.min_label, q.max_label)
            )
            ends = rating_ends(low, high, grid.right_edge(len(options) - 1))
            yield Label(plain(ends), classes="rating-ends", markup=False)

    def on_choices_changed(self, event: Choices.Changed) -> None:
        event.stop()
        if isinstance(self.question, MultiChoice):
            # the ids ticked so far; how many it takes is the session's to say on Next
            self.answer(event.value or None)
        else:
            self.typed_in(event.value)  # yes/no "yes" -> true, a rating "7" -> 7: `parse`

    def on_choices_confirmed(self, event: Choices.Confirmed) -> None:
        event.stop()
        self.go_on()
