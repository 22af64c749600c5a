"""The paper form as an A4 PDF (reportlab's platypus).

Text is set in DejaVu Sans when the font is installed (every language's letters), else in
Helvetica. Boxes, writing lines and the QR code are drawn, not set as characters, so they print the
same with any font. Every page carries the form code, a "No." field and "Page n of m".

The form draws each question's frame (number, label, help, condition, instruction); its type's
paper layout (`feedback.paper_layout.PaperLayout.flowables`) the answer area, with the drawing kit
`Kit` (boxes, write-in space, paragraphs, tables, the indent). `answer_area` draws the built-in
types' answer areas.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from feedback.paper_layout import PaperContext, PaperItem, PdfKit
from feedback_offline.paper import PaperForm

Item = PaperItem

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
}
MARGIN = 16 * mm
TOP = 24 * mm
BOX = 3.8 * mm
INDENT = 7 * mm
GREY = colors.HexColor("#444444")
INK = colors.HexColor("#111111")


def fonts() -> tuple[str, str, str]:
    """The regular, bold and italic font names: DejaVu Sans when installed, else Helvetica."""
    if all((FONT_DIR / file).is_file() for file in DEJAVU.values()):
        for name, file in DEJAVU.items():
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        pdfmetrics.registerFontFamily(
            "DejaVuSans",
            normal="DejaVuSans",
            bold="DejaVuSans-Bold",
            italic="DejaVuSans-Oblique",
            boldItalic="DejaVuSans-Bold",
        )
        return "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
    return "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"


class _Styles:
    def __init__(self, regular: str, bold: str, italic: str):
        self.regular, self.bold, self.italic = regular, bold, italic

        def style(name: str, **kw: Any) -> ParagraphStyle:
            kw.setdefault("fontName", regular)
            kw.setdefault("fontSize", 9.5)
            kw.setdefault("leading", kw["fontSize"] * 1.3)
            kw.setdefault("textColor", INK)
            return ParagraphStyle(name, **kw)

        self.title = style("title", fontName=bold, fontSize=17, leading=21, spaceAfter=3)
        self.event = style("event", fontSize=11, spaceAfter=6)
        self.body = style("body", spaceAfter=4)
        self.instructions = style("instructions", fontName=italic, spaceAfter=4)
        self.section = style("section", fontName=bold, fontSize=12.5, spaceBefore=10, spaceAfter=3)
        self.intro = style("intro", spaceAfter=4)
        self.label = style("label", fontName=bold, leftIndent=INDENT, firstLineIndent=-INDENT)
        self.condition = style("condition", fontName=italic, fontSize=8.5, textColor=GREY)
        self.help = style("help", fontSize=8.5, textColor=GREY, leftIndent=INDENT)
        self.note = style("note", fontSize=8.5, leftIndent=3 * mm, textColor=GREY)
        self.option = style("option", fontSize=9)
        self.code = style("code", fontSize=7.5, textColor=GREY)
        self.head = style("head", fontSize=7.5, alignment=TA_CENTER, leading=9)
        self.row = style("row", fontSize=8.5)
        self.small = style("small", fontSize=7.5, textColor=GREY)
        self.small_right = style("small_right", fontSize=7.5, textColor=GREY, alignment=TA_RIGHT)
        self.small_centre = style("small_centre", fontSize=7.5, textColor=GREY, alignment=TA_CENTER)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


class _Box(Flowable):
    """A tick box, with its code set small to its right."""

    def __init__(self, code: str = "", font: str = "Helvetica", size: float = BOX):
        super().__init__()
        self.code, self.font, self.size = code, font, size
        self.text_width = pdfmetrics.stringWidth(code, font, 7.5) if code else 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = self.size + (1.2 * mm + self.text_width if self.code else 0)
        self.height = self.size
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.9)
        canvas.setStrokeColor(INK)
        canvas.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        if self.code:
            canvas.setFont(self.font, 7.5)
            canvas.setFillColor(GREY)
            canvas.drawString(self.size + 1.2 * mm, 0.9 * mm, self.code)


class _WriteIn(Flowable):
    """Space to write in: a box, or ruled lines."""

    def __init__(self, width: float, height: float, lines: int = 0):
        super().__init__()
        self.width, self.height, self.lines = width, height, lines

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(INK)
        if self.lines:
            canvas.setLineWidth(0.5)
            step = self.height / self.lines
            for i in range(self.lines):
                canvas.line(0, i * step, self.width, i * step)
        else:
            canvas.setLineWidth(0.9)
            canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)


class _QR(Flowable):
    """A QR code drawn module by module (sharp at any size, no image needed)."""

    def __init__(self, qr: Any, size: float):
        super().__init__()
        self.matrix = [list(row) for row in qr.matrix_iter(scale=1, border=2)]
        self.width = self.height = size

    def draw(self) -> None:
        canvas = self.canv
        module = self.width / len(self.matrix)
        canvas.setFillColor(colors.black)
        for y, row in enumerate(self.matrix):
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    top = self.height - (y + 1) * module
                    canvas.rect(start * module, top, (x - start) * module, module, 0, 1)
                else:
                    x += 1


class Kit:
    """The PDF drawing kit a paper layout gets as ``context.pdf`` (`feedback.paper_layout.PdfKit`)."""

    def __init__(self, styles: _Styles, width: float) -> None:
        self.styles = styles
        self.width = width  # the answer area's: the text width less the indent

    def box(self, code: str = "") -> Flowable:
        return _Box(code, self.styles.regular)

    def write_in(self, width: float, height: float, lines: int = 0) -> Flowable:
        return _WriteIn(width, height, lines=lines)

    def paragraph(self, text: str, style: Any) -> Flowable:
        return _p(text, style)

    def table(
        self, rows: list[list[Any]], widths: list[float], extra: Sequence[tuple[Any, ...]] = ()
    ) -> Flowable:
        return _plain(Table(rows, colWidths=widths, hAlign="LEFT"), list(extra))

    def indented(self, flowable: Flowable) -> Flowable:
        return _indented(flowable, self.width)


def answer_area(item: PaperItem, kit: PdfKit) -> list[Flowable]:
    """The answer area of a built-in type, by the kind its layout gave the item."""
    styles, inner = kit.styles, kit.width
    if item.kind in ("choice", "multi"):
        return [_options(item, styles, inner)]
    if item.kind == "yes_no":
        return [_options(item, styles, inner, across=True)]
    if item.kind in ("scale", "then_now"):
        return [_grid(item, styles, inner)]
    if item.kind == "rating":
        return [_rating(item, styles, inner)]
    if item.kind == "number":
        cells = [[_WriteIn(32 * mm, 8 * mm), _p(item.unit, styles.option)]]
        return [_indented(Table(cells, colWidths=[36 * mm, inner - 36 * mm]), inner)]
    if item.kind == "date":
        parts = item.extra["parts"]
        boxes = [_WriteIn((5 * digits + 3) * mm, 8 * mm) for _, digits in parts]
        labels = [_p(label, styles.small_centre) for label, _ in parts]
        widths = [(5 * digits + 6) * mm for _, digits in parts]
        table = Table([boxes, labels], colWidths=widths, hAlign="LEFT")
        return [_indented(_plain(table, [("ALIGN", (0, 0), (-1, -1), "CENTER")]), inner)]
    if item.kind == "note":
        return []
    lines = 6 if item.kind == "long_text" else 1
    return [_indented(_WriteIn(inner, lines * 7 * mm, lines=lines), inner)]


class CountedCanvas(Canvas):
    """A canvas that keeps every page until the document is complete, then marks each with
    `_mark(total)`: what a page needs to know the page count for ("Page n of m")."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own

    def save(self) -> None:
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self._mark(total)
            super().showPage()
        super().save()

    def _mark(self, total: int) -> None:
        """Draw on the current page, one of ``total``."""


def _page_canvas(form: PaperForm, styles: _Styles) -> type[Canvas]:
    """A canvas that marks every page once the page count is known: form code, No., Page n of m."""
    w = form.words

    class PageCanvas(CountedCanvas):
        def _mark(self, total: int) -> None:
            width, height = A4
            top = height - 12 * mm
            self.setFillColor(INK)
            self.setFont(styles.regular, 9)
            label = f"{w['form']} "
            self.drawString(MARGIN, top, label)
            self.setFont(styles.bold, 11)
            self.drawString(
                MARGIN + pdfmetrics.stringWidth(label, styles.regular, 9), top, form.form_code
            )
            box_width, box_height = 26 * mm, 7 * mm
            box_left = width - MARGIN - box_width
            self.setFont(styles.regular, 9)
            self.drawRightString(box_left - 2 * mm, top, w["number"])
            self.setLineWidth(0.9)
            self.rect(box_left, top - 2.2 * mm, box_width, box_height, stroke=1, fill=0)
            self.setFont(styles.regular, 6.5)
            self.setFillColor(GREY)
            self.drawRightString(width - MARGIN, top - 5.5 * mm, f"({w['office_use']})")
            self.setLineWidth(0.4)
            self.setStrokeColor(GREY)
            self.line(MARGIN, top - 7.5 * mm, width - MARGIN, top - 7.5 * mm)
            self.setStrokeColor(INK)
            self.setFont(styles.regular, 8)
            self.drawCentredString(
                width / 2,
                9 * mm,
                w["page_of"].format(n=self._pageNumber, total=total),  # type: ignore[attr-defined]
            )
            self.drawString(MARGIN, 9 * mm, form.title)

    return PageCanvas


def render_pdf(form: PaperForm) -> bytes:
    """The form as PDF bytes (A4)."""
    styles = _Styles(*fonts())
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=16 * mm,
        title=f"{form.title} – {form.event_title}",
        subject=f"{form.words['form']} {form.form_code}",
        keywords=[form.form_code],
        creator="feedback offline paper",
        lang=form.language,
    )
    story = _masthead(form, styles, doc.width)
    for part in form.parts:
        if part.title:
            story.append(_p(part.title, styles.section))
        if part.intro:
            story.append(_p(part.intro, styles.intro))
        for item in part.items:
            story.append(KeepTogether(_question(item, form, styles, doc.width)))
    story.append(Spacer(1, 6 * mm))
    if form.thank_you:
        story.append(_p(form.thank_you, styles.instructions))
    story.append(_p(form.words["hand_in"], styles.instructions))
    doc.build(story, canvasmaker=_page_canvas(form, styles))
    return out.getvalue()


def _masthead(form: PaperForm, styles: _Styles, width: float) -> list[Flowable]:
    w = form.words
    event = form.event_title + (f" · {form.event_line}" if form.event_line else "")
    titles: list[Flowable] = [_p(form.title, styles.title), _p(event, styles.event)]
    story: list[Flowable] = []
    if form.qr is not None:
        qr_size, column = 26 * mm, 56 * mm
        words_before, _, words_after = w["online"].partition("{link}")
        link = form.link or ""
        # the link on one line of its own, if it fits in 5 to 7 points
        size = max(5.0, min(7.0, (column - 4) / pdfmetrics.stringWidth(link, styles.regular, 1)))
        online_text = (
            f"{escape(words_before.strip())}<br/><font size='{size:.2f}'>{escape(link)}</font>"
            f"{escape(words_after)}"
        )
        online = [_QR(form.qr, qr_size), Paragraph(online_text, styles.small_centre)]
        table = Table([[titles, online]], colWidths=[width - column, column])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ]
            )
        )
        story.append(table)
    else:
        story += titles
    if form.description:
        story.append(_p(form.description, styles.body))
    story.append(_p(w["instructions"], styles.instructions))
    if form.anonymous:
        story.append(_p(w["anonymous"], styles.instructions))
    return story


def _question(item: Item, form: PaperForm, styles: _Styles, width: float) -> list[Flowable]:
    w = form.words
    out: list[Flowable] = [Spacer(1, 2.5 * mm)]
    if item.condition:
        out.append(_p(item.condition, styles.condition))
    if not item.question.answerable:
        out.append(_p(item.label, styles.note))
        return out
    required = f" <font name='{styles.regular}' size='8'>{escape(w['required_mark'])}</font>"
    number = f"{item.number}." if item.number is not None else ""
    label = f"{number}\u00a0{escape(item.label)}" if number else escape(item.label)
    out.append(Paragraph(label + (required if item.required else ""), styles.label))
    if item.help:
        out.append(_p(item.help, styles.help))
    if item.instruction:
        out.append(_p(item.instruction, styles.help))
    out.append(Spacer(1, 1.2 * mm))
    context = PaperContext(form.language, w, Kit(styles, width - INDENT))
    out += item.layout.flowables(item, context)  # the answer area: the type's paper layout
    return out


def _indented(flowable: Flowable, inner: float) -> Table:
    table = Table([["", flowable]], colWidths=[INDENT, inner])
    table.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    return table


def _plain(table: Table, extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                *extra,
            ]
        )
    )
    return table


def _options(item: Item, styles: _Styles, inner: float, across: bool = False) -> Table:
    """Box, code and label for each option: down in ``item.columns`` columns, or all across."""
    columns = len(item.boxes) if across else item.columns
    per_column = -(-len(item.boxes) // columns)
    code_width = max(pdfmetrics.stringWidth(b.code, styles.regular, 7.5) for b in item.boxes)
    lead = BOX + 1.2 * mm + code_width + 4
    label_width = (inner / columns - lead) if not across else 28 * mm
    rows: list[list[Any]] = []
    for r in range(per_column):
        row: list[Any] = []
        for c in range(columns):
            index = c * per_column + r
            if index < len(item.boxes):
                box = item.boxes[index]
                row += [_Box(box.code, styles.regular), _p(box.label, styles.option)]
            else:
                row += ["", ""]
        rows.append(row)
    table = Table(rows, colWidths=[lead, label_width] * columns, hAlign="LEFT")
    return _indented(_plain(table), inner)


def _grid(item: Item, styles: _Styles, inner: float) -> Table:
    """A scale across: the points' labels above, a row of boxes (two for then/now)."""
    rows_labels = item.rows or [""]
    row_width = 30 * mm if item.rows else 0
    cell = min(24 * mm, (inner - row_width) / len(item.boxes))
    head: list[Any] = [""] if item.rows else []
    head += [_p(b.label, styles.head) for b in item.boxes]
    rows: list[list[Any]] = [head]
    for label in rows_labels:
        row: list[Any] = [_p(label, styles.row)] if item.rows else []
        for b in item.boxes:
            box = _Box(b.code, styles.regular)
            box.hAlign = "CENTER"
            row.append(box)
        rows.append(row)
    widths = ([row_width] if item.rows else []) + [cell] * len(item.boxes)
    extra: list[tuple[Any, ...]] = [
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.3, GREY),
    ]
    if item.rows:
        extra.append(("ALIGN", (0, 0), (0, -1), "LEFT"))
    if item.boxes and item.boxes[-1].code == "0":  # the N/A point, kept apart
        extra.append(("LINEBEFORE", (-1, 0), (-1, -1), 0.4, GREY, None, (2, 2)))
    return _indented(_plain(Table(rows, colWidths=widths, hAlign="LEFT"), extra), inner)


def _rating(item: Item, styles: _Styles, inner: float) -> Table:
    """A row of numbered boxes, the end labels below its two ends."""
    cell = min(12 * mm, inner / len(item.boxes))
    boxes = []
    for b in item.boxes:
        box = _Box(b.code, styles.regular)
        box.hAlign = "CENTER"
        boxes.append(box)
    half = len(item.boxes) // 2
    ends = [_p(item.low_label, styles.small)] + [""] * (half - 1)
    ends += [_p(item.high_label, styles.small_right)] + [""] * (len(item.boxes) - half - 1)
    extra = [
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("SPAN", (0, 1), (half - 1, 1)),
        ("SPAN", (half, 1), (-1, 1)),
    ]
    table = Table([boxes, ends], colWidths=[cell] * len(item.boxes), hAlign="LEFT")
    return _indented(_plain(table, extra), inner)
