"""The paper layouts of the built-in question types (`feedback.paper_layout`).

Registered through ``register_renderings`` in `feedback_offline` (``PAPER_LAYOUTS``), as a plugin
registers the layout of its own type. Each prints the answer area (HTML: the macros of
``paper_templates/types.html.j2``; PDF: the drawing functions of `feedback_offline.paper_pdf`),
gives the codes staff key in (`feedback_offline.codes`) and reads a keyed-in cell.

The codes (see `feedback_offline.codes`): choices and scale points numbered from 1, the N/A point
0, yes/no 1 and 2, a rating's numbers themselves; an option's id is accepted too.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from feedback.paper_layout import Code, PaperContext, PaperItem, PaperLayout, lookup_code
from feedback.question_types import AnswerError
from feedback.survey import (
    DateQuestion,
    MultiChoice,
    Number,
    QuestionBase,
    Rating,
    ScaleQuestion,
    ThenNow,
)
from feedback_offline.paper_words import yes_no_words

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).parent / "paper_templates"


@functools.cache
def templates() -> jinja2.Environment:
    """The Jinja environment of the printed forms' templates (``paper_templates``): the paper
    form, its answer areas and the sign-in sheet, escaped, made once."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@functools.cache
def _macros() -> Any:
    return templates().get_template("types.html.j2").module


class BuiltinLayout(PaperLayout):
    """A built-in type: its answer area is the macro named after its kind, and the PDF's
    drawing function of that kind."""

    def html(self, item: PaperItem, context: PaperContext) -> str:
        return str(getattr(_macros(), item.kind)(item, context))

    def flowables(self, item: PaperItem, context: PaperContext) -> list[Any]:
        from feedback_offline.paper_pdf import answer_area

        assert context.pdf is not None
        return answer_area(item, context.pdf)

    def expected(self, question: QuestionBase, context: PaperContext) -> str:
        table = self.codes(question, context) or []
        numbered = [int(c.code) for c in table if c.code != "0"]
        span = f"{min(numbered)}-{max(numbered)}" if len(numbered) > 1 else str(numbered[0])
        return f"a code {span} or a choice id"

    def key_in(self, question: QuestionBase, text: str, context: PaperContext) -> Any:
        found, value = lookup_code(self.codes(question, context) or [], text)
        if not found:
            expected = self.expected(question, context)
            raise AnswerError(f"expected {expected}, found {text!r}", "choose")
        return value


def _columns(boxes: list[Code]) -> int:
    """One column for a few or long options; two or three for a long list of short ones."""
    longest = max((len(b.label) for b in boxes), default=0)
    if len(boxes) >= 12 and longest <= 28:
        return 3
    if len(boxes) >= 7 and longest <= 45:
        return 2
    return 1


class ChoiceLayout(BuiltinLayout):
    """Single choice: a box for each choice, in one to three columns."""

    kind = "choice"

    def codes(self, question: QuestionBase, context: PaperContext) -> list[Code] | None:
        return [
            Code(str(i), c.id, c.id, c.text(context.language))
            for i, c in enumerate(question.choices, start=1)  # type: ignore[attr-defined]
        ]

    def instruction(self, question: QuestionBase, context: PaperContext) -> str:
        return context.words["tick_one"]

    def prepare(self, item: PaperItem, context: PaperContext) -> None:
        super().prepare(item, context)
        item.columns = _columns(item.boxes)


class MultiLayout(ChoiceLayout):
    """Multiple choice: boxes to tick; a cell holds several codes (spaces, commas, semicolons)."""

    kind = "multi"

    def instruction(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, MultiChoice)
        w = context.words
        low, high = question.min_selections, question.max_selections
        if high is not None and low > 1:
            return w["tick_between"].format(min=low, max=high)
        if high is not None:
            return w["tick_at_most"].format(max=high)
        if low > 1:
            return w["tick_at_least"].format(min=low)
        return w["tick_any"]

    def expected(self, question: QuestionBase, context: PaperContext) -> str:
        span = super().expected(question, context).removeprefix("a code ")
        span = span.removesuffix(" or a choice id")
        return f"codes {span} or choice ids, separated by spaces, commas or semicolons"

    def legend(self, question: QuestionBase, context: PaperContext) -> str:
        return super().legend(question, context)

    def key_in(self, question: QuestionBase, text: str, context: PaperContext) -> Any:
        import re

        table = self.codes(question, context) or []
        tokens = [t for t in re.split(r"[\s,;]+", text) if t]
        chosen: list[str] = []
        for token in tokens:
            found, value = lookup_code(table, token)
            if not found:
                shown = repr(token) if len(tokens) == 1 else f"{token!r} in {text!r}"
                expected = self.expected(question, context)
                raise AnswerError(f"expected {expected}, found {shown}", "choose")
            if value in chosen:
                raise AnswerError(f"choice '{value}' is given twice, in {text!r}", "choose")
            chosen.append(value)
        order = {c.value: i for i, c in enumerate(table)}
        return sorted(chosen, key=order.__getitem__)


class ScaleLayout(BuiltinLayout):
    """Likert: the scale across, its points' labels above a row of boxes; N/A apart, code 0."""

    kind = "scale"

    def codes(self, question: QuestionBase, context: PaperContext) -> list[Code] | None:
        assert isinstance(question, ScaleQuestion)
        scale = question.resolved_scale
        language = context.language
        out = [
            Code(str(i), p.id, p.id, p.text(language)) for i, p in enumerate(scale.points, start=1)
        ]
        if question.allow_na and scale.na is not None:
            out.append(Code("0", scale.na.id, scale.na.id, scale.na.text(language)))
        return out

    def instruction(self, question: QuestionBase, context: PaperContext) -> str:
        return context.words["tick_one"]

    def expected(self, question: QuestionBase, context: PaperContext) -> str:
        table = self.codes(question, context) or []
        span = super().expected(question, context).removeprefix("a code ")
        span = span.removesuffix(" or a choice id")
        na = next((c for c in table if c.code == "0"), None)
        also = f" (0 = {na.label})" if na is not None else ""
        return f"a code {span}{also} or a point id"


class ThenNowLayout(ScaleLayout):
    """Then/now: the scale across with two rows of boxes; two columns in the entry template
    (``<id>.then``, ``<id>.now``), each keyed in as a point."""

    kind = "then_now"

    def instruction(self, question: QuestionBase, context: PaperContext) -> str:
        return context.words["tick_row"]

    def prepare(self, item: PaperItem, context: PaperContext) -> None:
        super().prepare(item, context)
        question = item.question
        assert isinstance(question, ThenNow)
        item.rows = [
            context.text(question.then_label, context.words["before"]),
            context.text(question.now_label, context.words["now"]),
        ]


class YesNoLayout(BuiltinLayout):
    """Yes/no: two boxes across, 1 = yes, 2 = no; "ja", "j", "y", "true" keyed in too."""

    kind = "yes_no"

    def codes(self, question: QuestionBase, context: PaperContext) -> list[Code] | None:
        w = context.words
        return [Code("1", True, "yes", w["yes"]), Code("2", False, "no", w["no"])]

    def instruction(self, question: QuestionBase, context: PaperContext) -> str:
        return context.words["tick_one"]

    def expected(self, question: QuestionBase, context: PaperContext) -> str:
        return "1 (yes) or 2 (no)"

    def legend(self, question: QuestionBase, context: PaperContext) -> str:
        return "; ".join(f"{c.code} = {c.label}" for c in self.codes(question, context) or [])

    def key_in(self, question: QuestionBase, text: str, context: PaperContext) -> Any:
        found, value = lookup_code(self.codes(question, context) or [], text)
        if found:
            return value
        folded = text.casefold()
        written = {"y": True, "j": True, "n": False, **yes_no_words()}
        if folded in written:
            return written[folded]
        return question.parse(text)  # yes, no, true, false: the type's parser


class RatingLayout(BuiltinLayout):
    """A rating: a row of numbered boxes (the number is the code), the end labels below."""

    kind = "rating"

    def instruction(self, question: QuestionBase, context: PaperContext) -> str:
        return context.words["tick_one"]

    def prepare(self, item: PaperItem, context: PaperContext) -> None:
        super().prepare(item, context)
        question = item.question
        assert isinstance(question, Rating)
        item.boxes = [
            Code(str(n), n, str(n), str(n)) for n in range(question.min, question.max + 1)
        ]
        item.low_label = context.text(question.min_label)
        item.high_label = context.text(question.max_label)

    def expected(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, Rating)
        return f"a whole number {question.min}-{question.max}"

    def legend(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, Rating)
        ends = [
            f"{value} = {context.text(label)}"
            for value, label in (
                (question.min, question.min_label),
                (question.max, question.max_label),
            )
            if label is not None
        ]
        what = context.words["legend_rating"].format(min=question.min, max=question.max)
        return what + (f" ({'; '.join(ends)})" if ends else "")

    def key_in(self, question: QuestionBase, text: str, context: PaperContext) -> Any:
        try:
            return question.parse(text)
        except AnswerError as exc:  # "a whole number 0-10" says it all
            expected = self.expected(question, context)
            raise AnswerError(f"expected {expected}, found {text!r}", exc.key, exc.params) from exc


def number_hint(question: Number, words: dict[str, str] | Any) -> str:
    """``Write a whole number from 0 to 100``."""
    hint = words["write_whole"] if question.integer else words["write_number"]
    low = None if question.min is None else f"{question.min:g}"
    high = None if question.max is None else f"{question.max:g}"
    if low is not None and high is not None:
        hint += words["from_to"].format(min=low, max=high)
    elif low is not None:
        hint += words["at_least"].format(min=low)
    elif high is not None:
        hint += words["at_most"].format(max=high)
    return str(hint)


class NumberLayout(BuiltinLayout):
    """A number: a box to write it in, the unit after it; keyed in through ``Number.parse``
    (a decimal comma, spaces between digit groups)."""

    kind = "number"

    def instruction(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, Number)
        return number_hint(question, context.words) + "."

    def prepare(self, item: PaperItem, context: PaperContext) -> None:
        super().prepare(item, context)
        assert isinstance(item.question, Number)
        item.unit = context.text(item.question.unit)

    def expected(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, Number)
        return "a whole number" if question.integer else "a number"

    def legend(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, Number)
        what = number_hint(question, context.words)
        if question.unit is not None:
            what += f" ({context.text(question.unit)})"
        return what

    def key_in(self, question: QuestionBase, text: str, context: PaperContext) -> Any:
        return question.parse(text)


class TextLayout(BuiltinLayout):
    """Text: a ruled line, or six for a long answer; keyed in as written (``parse``)."""

    kind = "text"

    def prepare(self, item: PaperItem, context: PaperContext) -> None:
        super().prepare(item, context)
        if getattr(item.question, "long", False):
            item.kind = "long_text"

    def expected(self, question: QuestionBase, context: PaperContext) -> str:
        return "text"

    def legend(self, question: QuestionBase, context: PaperContext) -> str:
        return context.words["legend_text"]

    def key_in(self, question: QuestionBase, text: str, context: PaperContext) -> Any:
        return question.parse(text)


def date_hint(question: DateQuestion, words: dict[str, str] | Any) -> str:
    """``Write the date: day, month, year`` and the range, when the question has one."""
    hint = str(words["write_date"])
    low = None if question.min is None else question.min.isoformat()
    high = None if question.max is None else question.max.isoformat()
    if low is not None and high is not None:
        hint += words["date_from_to"].format(min=low, max=high)
    elif low is not None:
        hint += words["date_on_or_after"].format(min=low)
    elif high is not None:
        hint += words["date_on_or_before"].format(max=high)
    return hint


class DateLayout(BuiltinLayout):
    """A date: boxes for the day, the month and the year (in the order a participant writes a
    date in most of Europe, each box labelled), keyed in as ``YYYY-MM-DD`` through
    ``DateQuestion.parse``: the one form every channel and every import reads, so a date keyed
    in ``14/01/2026`` is refused with the form wanted rather than read in a guessed order."""

    kind = "date"

    def instruction(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, DateQuestion)
        return date_hint(question, context.words) + "."

    def prepare(self, item: PaperItem, context: PaperContext) -> None:
        super().prepare(item, context)
        words = context.words
        item.extra["parts"] = [
            (words["day_box"], 2),
            (words["month_box"], 2),
            (words["year_box"], 4),
        ]

    def expected(self, question: QuestionBase, context: PaperContext) -> str:
        return "a date as YYYY-MM-DD"

    def legend(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, DateQuestion)
        return str(context.words["legend_date_answer"])

    def key_in(self, question: QuestionBase, text: str, context: PaperContext) -> Any:
        return question.parse(text)


class NoteLayout(BuiltinLayout):
    """A note: its text, no answer area (the form prints the text itself)."""

    kind = "note"

    def html(self, item: PaperItem, context: PaperContext) -> str:
        return str(Markup(""))

    def flowables(self, item: PaperItem, context: PaperContext) -> list[Any]:
        return []
