"""The slider on paper: a row of numbered boxes, one for each step (the number is the code),
with the end labels under the two ends (the paper layout contract of `feedback.paper_layout`).

Staff key in the number ticked; `Slider.parse` reads it, as every channel does.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from feedback.paper_layout import Code, PaperContext, PaperItem, PaperLayout
from feedback.survey import QuestionBase
from feedback_slider.model import Slider

MAX_BOXES = 21  # more steps than this are written in, not ticked


class SliderLayout(PaperLayout):
    kind = "slider"

    def _boxed(self, question: QuestionBase) -> bool:
        return isinstance(question, Slider) and len(question.steps()) <= MAX_BOXES

    def codes(self, question: QuestionBase, context: PaperContext) -> list[Code] | None:
        assert isinstance(question, Slider)
        if not self._boxed(question):
            return None
        return [
            Code(str(question.raw(v)), v, str(question.raw(v)), str(question.raw(v)))
            for v in question.steps()
        ]

    def instruction(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, Slider)
        if self._boxed(question):
            return context.words["tick_one"]
        low, high = question.raw(question.min), question.raw(question.max)
        return (
            f"{context.words['write_number']}{context.words['from_to'].format(min=low, max=high)}."
        )

    def prepare(self, item: PaperItem, context: PaperContext) -> None:
        super().prepare(item, context)
        question = item.question
        assert isinstance(question, Slider)
        item.low_label = context.text(question.min_label)
        item.high_label = context.text(question.max_label)

    def html(self, item: PaperItem, context: PaperContext) -> str:
        if not item.boxes:
            return str(
                Markup(
                    '<p class="write-number"><span class="write-in" aria-hidden="true"></span></p>'
                )
            )
        boxes = Markup("").join(
            Markup("<li>{}</li>").format(context.box_html(b.code)) for b in item.boxes
        )
        low = escape(item.boxes[0].code) + (
            Markup(" = ") + escape(item.low_label) if item.low_label else ""
        )
        high = escape(item.boxes[-1].code) + (
            Markup(" = ") + escape(item.high_label) if item.high_label else ""
        )
        return str(
            Markup(
                '<div class="rating slider"><ul class="options inline rating-boxes">{}</ul>'
                '<p class="ends"><span>{}</span> <span>{}</span></p></div>'
            ).format(boxes, low, high)
        )

    def flowables(self, item: PaperItem, context: PaperContext) -> list[Any]:
        pdf = context.pdf
        assert pdf is not None
        if not item.boxes:
            return [pdf.indented(pdf.write_in(32 * 72 / 25.4, 8 * 72 / 25.4))]
        count = len(item.boxes)
        cell = min(12 * 72 / 25.4, pdf.width / count)
        boxes = []
        for b in item.boxes:
            box = pdf.box(b.code)
            box.hAlign = "CENTER"
            boxes.append(box)
        half = count // 2
        ends: list[Any] = [pdf.paragraph(item.low_label, pdf.styles.small)] + [""] * (half - 1)
        ends += [pdf.paragraph(item.high_label, pdf.styles.small_right)]
        ends += [""] * (count - half - 1)
        extra = [
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("SPAN", (0, 1), (half - 1, 1)),
            ("SPAN", (half, 1), (-1, 1)),
        ]
        return [pdf.indented(pdf.table([boxes, ends], [cell] * count, extra))]

    def legend(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, Slider)
        low, high = question.raw(question.min), question.raw(question.max)
        what = f"a number from {low} to {high} in steps of {question.raw(question.step)}"
        ends = [
            f"{question.raw(v)} = {context.text(label)}"
            for v, label in ((question.min, question.min_label), (question.max, question.max_label))
            if label is not None
        ]
        return what + (f" ({'; '.join(ends)})" if ends else "")

    def key_in(self, question: QuestionBase, text: str, context: PaperContext) -> Any:
        return question.parse(text)  # the ticked box's number is the value itself

    def expected(self, question: QuestionBase, context: PaperContext) -> str:
        assert isinstance(question, Slider)
        return (
            f"a number from {question.raw(question.min)} to {question.raw(question.max)} "
            f"in steps of {question.raw(question.step)}"
        )
