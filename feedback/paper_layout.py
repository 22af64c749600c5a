"""The paper layout contract: how a question type's ``paper`` rendering prints it and keys it in.

A question type's paper rendering is a target ``"package.module:LayoutClass"`` (see
`feedback.question_types`): a `PaperLayout` subclass (made with no arguments) or an instance,
loaded only when a paper form of a survey with the type is built or keyed in. A layout says:

- what the form prints for the question (`PaperLayout.prepare`): its coded tick boxes
  (`PaperLayout.codes`, each a `Code`: the code printed next to the box, the answer it stands
  for, an id and a label), an instruction ("Tick one box."), end labels, a unit;
- how that is drawn: as an HTML fragment for the HTML form (`PaperLayout.html`) and as
  reportlab flowables for the PDF (`PaperLayout.flowables`, with the drawing kit
  ``context.pdf``, `PdfKit`); the form draws the question's number, label, help, condition and
  instruction itself, the layout only the answer area;
- how staff key the filled form in, in the entry template of ``feedback offline template`` (one
  column per question): what a cell holds (`PaperLayout.legend`) and the answer a cell stands
  for (`PaperLayout.key_in`: a box's code or option id, else the type's one parser,
  ``question.parse``).

The default layout prints a line to write on and keys in what is written through
``question.parse``: any question type can be printed with it. This module is the core's, so a
question-type plugin imports it, never the plugin that prints forms. It imports no reportlab:
a layout imports that in `PaperLayout.flowables`, or draws with the kit only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from markupsafe import Markup, escape

from feedback.options import localise

if TYPE_CHECKING:
    from feedback.options import Text
    from feedback.survey import QuestionBase

__all__ = ["Code", "PaperContext", "PaperItem", "PaperLayout", "PdfKit", "lookup_code"]


@dataclass(frozen=True)
class Code:
    """One box of a question: the code printed next to it, the answer it stands for, its id (an
    option id, also accepted when keyed in) and its label."""

    code: str
    value: Any
    id: str
    label: str


class PdfKit(Protocol):
    """What the PDF form gives a layout to draw its answer area with (reportlab flowables)."""

    #: the width of the answer area, in points
    width: float
    #: paragraph styles: ``option``, ``small``, ``small_right``, ``small_centre``, ``head``,
    #: ``row``, ``code``, ``help``
    styles: Any

    def box(self, code: str = "") -> Any:
        """A tick box with its code set small to its right."""

    def write_in(self, width: float, height: float, lines: int = 0) -> Any:
        """Space to write in: a box, or ``lines`` ruled lines."""

    def paragraph(self, text: str, style: Any) -> Any:
        """Plain text (escaped) in a style of ``styles``."""

    def table(
        self, rows: list[list[Any]], widths: list[float], extra: Sequence[tuple[Any, ...]] = ()
    ) -> Any:
        """A borderless table, cells centred vertically; ``extra`` reportlab table styles."""

    def indented(self, flowable: Any) -> Any:
        """``flowable`` indented under the question's label, as every answer area is."""


@dataclass(frozen=True)
class PaperContext:
    """What a layout knows besides its question: the form's language and words, and the kit."""

    language: str
    #: the paper form's words in ``language`` (``tick_one``, ``tick_any``, ``yes``, ``no``,
    #: ``before``, ``now``, ``legend_text`` ...)
    words: Mapping[str, str]
    #: the PDF drawing kit; ``None`` when drawing HTML or keying in
    pdf: PdfKit | None = None

    def text(self, value: Text | None, default: str = "") -> str:
        """A survey text in the form's language."""
        return localise(value, self.language, default)

    def box_html(self, code: str) -> Markup:
        """A tick box and its code in the HTML form (drawn by its stylesheet)."""
        return Markup(
            '<span class="box" aria-hidden="true"></span> <span class="code">{}</span>'
        ).format(code)


@dataclass
class PaperItem:
    """One question as the form prints it. The form fills the frame (number, label, help,
    required, condition); the layout the rest, in `PaperLayout.prepare`."""

    question: QuestionBase
    layout: PaperLayout
    id: str
    label: str
    kind: str = "text"
    number: int | None = None
    help: str = ""
    required: bool = False
    condition: str = ""
    instruction: str = ""
    #: the coded tick boxes, in printed order (`PaperLayout.codes`)
    boxes: list[Code] = field(default_factory=list)
    #: how many columns a long list of boxes is printed in
    columns: int = 1
    #: the rows of a grid (then/now: "Before the seminar", "Now")
    rows: list[str] = field(default_factory=list)
    low_label: str = ""
    high_label: str = ""
    unit: str = ""
    #: a layout's own data
    extra: dict[str, Any] = field(default_factory=dict)


def lookup_code(table: list[Code], token: str) -> tuple[bool, Any]:
    """``(True, answer)`` for a box's code (digits, leading zeros allowed) or its id (any case),
    else ``(False, None)``."""
    if token.isdigit():
        number = str(int(token))
        for c in table:
            if c.code == number:
                return True, c.value
        return False, None
    folded = token.casefold()
    for c in table:
        if c.id.casefold() == folded:
            return True, c.value
    return False, None


class PaperLayout:
    """A question type on paper. This default prints a line to write on and keys in what is
    written through ``question.parse``; override what differs."""

    #: the HTML wrapper's class is ``kind-<kind>``; `prepare` may set another per question
    kind: ClassVar[str] = "text"

    # -- printing -------------------------------------------------------------------------------

    def codes(self, question: QuestionBase, context: PaperContext) -> list[Code] | None:
        """The coded boxes, in printed order; ``None`` when the answer is written in."""
        return None

    def instruction(self, question: QuestionBase, context: PaperContext) -> str:
        """What to do, under the label ("Tick one box."); empty for none."""
        return ""

    def prepare(self, item: PaperItem, context: PaperContext) -> None:
        """Fill in what the form prints for the question besides its frame."""
        item.kind = self.kind
        item.boxes = self.codes(item.question, context) or []
        item.instruction = self.instruction(item.question, context)

    def html(self, item: PaperItem, context: PaperContext) -> str:
        """The answer area in the HTML form (escape every text: `markupsafe.escape`)."""
        return '<div class="lines" aria-hidden="true"></div>'

    def flowables(self, item: PaperItem, context: PaperContext) -> list[Any]:
        """The answer area in the PDF form: reportlab flowables, drawn with ``context.pdf``."""
        pdf = context.pdf
        assert pdf is not None, "flowables() draws the PDF form: context.pdf is its kit"
        line = 7 * 72 / 25.4  # 7 mm
        return [pdf.indented(pdf.write_in(pdf.width, line, lines=1))]

    # -- keying in -----------------------------------------------------------------------------

    def legend(self, question: QuestionBase, context: PaperContext) -> str:
        """What a cell holds, for the template's legend: the codes, else written text."""
        table = self.codes(question, context)
        if table:
            return "; ".join(f"{c.code} = {c.label} ({c.id})" for c in table)
        return context.words.get("legend_text", "as written")

    def key_in(self, question: QuestionBase, text: str, context: PaperContext) -> Any:
        """The answer a (stripped, non-empty) cell of the entry template stands for: a box's
        code or option id, else what the type's parser makes of it. The entry template has one
        column per question (named by its id; the built-in then/now has two).

        :raises AnswerError: the cell is no answer to the question (``question.parse``).
        """
        table = self.codes(question, context)
        if table:
            found, value = lookup_code(table, text)
            if found:
                return value
        return question.parse(text)

    def expected(self, question: QuestionBase, context: PaperContext) -> str:
        """What a cell may hold, for messages ("a code 1-5 or a choice id")."""
        table = self.codes(question, context)
        if table:
            numbered = sorted(int(c.code) for c in table if c.code.isdigit())
            if numbered:
                return f"a code {numbered[0]}-{numbered[-1]}"
        return "an answer as written"


def escaped(text: str) -> Markup:
    """``text`` escaped for HTML (a layout's helper)."""
    return escape(text)
