"""``feedback attendance sheet``: a printable sign-in sheet (PDF or HTML) from an event's roster.

One row per person on the roster (name, organisation, role and country as the roster stores
them: the role id and the ISO country code) with a box to sign in, then blank rows for people
who were not on the roster. Rows are sorted by family name (the last word of the name, letters
compared without accents and case; the whole name breaks ties), so that a person finds their
line at the door the way a printed list is read. Every page repeats the event's title, date and
place and the column heads, and carries "Page n of m"; the sheet ends with a line for the
organiser's signature and the date. A row never splits across pages.

The sheet is built once as plain data (`Sheet`) and drawn from it as HTML (escaped by Jinja2,
``paper_templates/attendance.html.j2`` with a print stylesheet) or as an A4 PDF (reportlab).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from feedback import files
from feedback.cli import CommandError, FeedbackGroup, check_output, db_option, state
from feedback.engine import Engine
from feedback.errors import FeedbackError, did_you_mean
from feedback.i18n import long_date
from feedback.text import folded
from feedback_offline.bidi import visual

TEMPLATES = Path(__file__).parent / "paper_templates"
SUFFIXES = (".pdf", ".html")
DEFAULT_BLANK = 10
MAX_BLANK = 500

#: The words of the sheet in each language it is printed in.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "sheet": "Attendance sheet",
        "intro": "Please find your name and sign in the box on your row. Not on the list? "
        "Write your details on an empty row at the end and sign.",
        "number": "No.",
        "name": "Name",
        "organisation": "Organisation",
        "role": "Role",
        "country": "Country",
        "signature": "Signature",
        "date": "Date",
        "place": "Place",
        "page_of": "Page {n} of {total}",
        "organiser": "Signature of the organiser",
        "organiser_note": "I confirm that the people who signed this sheet attended the event.",
        "on_roster": "{n} on the roster, {blank} empty rows",
        "blank_row": "empty row",
    },
    "nl": {
        "sheet": "Presentielijst",
        "intro": "Zoek uw naam en teken in het vak op uw regel. Staat u niet op de lijst? "
        "Vul uw gegevens in op een lege regel aan het eind en teken.",
        "number": "Nr.",
        "name": "Naam",
        "organisation": "Organisatie",
        "role": "Functie",
        "country": "Land",
        "signature": "Handtekening",
        "date": "Datum",
        "place": "Plaats",
        "page_of": "Pagina {n} van {total}",
        "organiser": "Handtekening van de organisator",
        "organiser_note": "Ik verklaar dat de mensen die deze lijst tekenden de bijeenkomst "
        "bijwoonden.",
        "on_roster": "{n} op de deelnemerslijst, {blank} lege regels",
        "blank_row": "lege regel",
    },
}


# -- the sheet as data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One printed row: a person of the roster, or an empty row (every field ``""``)."""

    number: int
    name: str = ""
    organisation: str = ""
    role: str = ""
    country: str = ""

    @property
    def blank(self) -> bool:
        return not self.name


@dataclass
class Sheet:
    """Everything a sign-in sheet shows, in one language."""

    language: str
    words: dict[str, str]
    event_id: str
    title: str
    date: str
    place: str
    people: list[Row]
    blanks: list[Row]

    @property
    def rows(self) -> list[Row]:
        return [*self.people, *self.blanks]

    @property
    def heading(self) -> str:
        return f"{self.words['sheet']}: {self.title}"

    @property
    def event_line(self) -> str:
        return " · ".join(p for p in (self.date, self.place) if p)


def family_key(name: str) -> tuple[str, str]:
    """How names are sorted: by the family name (the last word: "Anna de Vries" under V), then
    by the whole name."""
    words = name.split()
    return (folded(words[-1]) if words else "", folded(name))


def build_sheet(
    event: dict[str, Any], roster: list[dict[str, Any]], language: str, blank: int
) -> Sheet:
    """The sheet of ``event`` (a row of the events table) for ``roster`` (`Store.roster`)."""
    people = sorted(roster, key=lambda p: (*family_key(p["name"] or ""), p["id"]))
    rows = [
        Row(
            number=i,
            name=p["name"] or "",
            organisation=p.get("organisation") or "",
            role=p.get("role") or "",
            country=p.get("country") or "",
        )
        for i, p in enumerate(people, 1)
    ]
    blanks = [Row(number=len(rows) + i) for i in range(1, blank + 1)]
    return Sheet(
        language=language,
        words=WORDS[language],
        event_id=event["id"],
        title=event.get("title") or event["id"],
        date=long_date(event.get("date"), language),
        place=_place(event, language),
        people=rows,
        blanks=blanks,
    )


def _place(event: dict[str, Any], language: str) -> str:
    from feedback.countries import names

    country = event.get("country") or ""
    if country:
        country = names([country], language)[country]
    return ", ".join(p for p in (event.get("city") or "", country) if p)


# -- HTML ----------------------------------------------------------------------------------------


def render_html(sheet: Sheet) -> str:
    """The sheet as one self-contained HTML page with a print stylesheet (A4 portrait)."""
    from markupsafe import Markup

    from feedback_offline.paper_layouts import templates

    env = templates()
    css = Markup((TEMPLATES / "attendance.css").read_text(encoding="utf-8"))
    return env.get_template("attendance.html.j2").render(
        s=sheet, w=sheet.words, css=css, page_css=Markup(page_css(sheet))
    )


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: every character but letters, digits and spaces as a
    six-digit escape, so no value can end the string or the style element."""
    return (
        '"'
        + "".join(
            c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06x}" for c in text
        )
        + '"'
    )


def page_css(sheet: Sheet) -> str:
    """The printed page's margin boxes: the heading and event line at the top, "Page n of m" at
    the bottom, in the sheet's language."""
    before, _, rest = sheet.words["page_of"].partition("{n}")
    middle, _, after = rest.partition("{total}")
    page_of = (
        f"{css_string(before)} counter(page) {css_string(middle)} counter(pages) "
        f"{css_string(after)}"
    )
    top = " · ".join(p for p in (sheet.heading, sheet.event_line) if p)
    return (
        "@media print { @page { "
        f"@top-left {{ content: {css_string(top)}; font-size: 9pt; color: #111; }} "
        f"@bottom-right {{ content: {page_of}; font-size: 9pt; color: #111; }} "
        f"@bottom-left {{ content: {css_string(sheet.event_id)}; font-size: 8pt; color: #444; }} "
        "} }"
    )


# -- PDF -------------------------------------------------------------------------------------------


def render_pdf(sheet: Sheet) -> bytes:
    """The sheet as PDF bytes: A4 portrait, the header and column heads on every page."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from feedback_offline.paper_pdf import CountedCanvas, fonts

    regular, bold, italic = fonts()
    ink, grey = colors.HexColor("#111111"), colors.HexColor("#444444")
    w = sheet.words
    margin, top, bottom = 15 * mm, 30 * mm, 16 * mm
    width, height = A4

    def style(name: str, **kw: Any) -> ParagraphStyle:
        kw.setdefault("fontName", regular)
        kw.setdefault("fontSize", 9.5)
        kw.setdefault("leading", kw["fontSize"] * 1.25)
        kw.setdefault("textColor", ink)
        return ParagraphStyle(name, **kw)

    cell = style("cell")
    head = style("head", fontName=bold, fontSize=8.5)
    intro = style("intro", fontName=italic, fontSize=9, spaceAfter=4 * mm)
    note = style("note", fontSize=9, spaceBefore=8 * mm, spaceAfter=8 * mm)

    def p(text: str, st: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(text), st)

    class PageCanvas(CountedCanvas):
        """Marks every page once the page count is known: the header and "Page n of m"."""

        def _mark(self, total: int) -> None:
            y = height - 13 * mm
            self.setFillColor(ink)
            self.setFont(bold, 13)
            self.drawString(margin, y, _fit(sheet.heading, bold, 13, width - 2 * margin))
            self.setFont(regular, 9.5)
            self.drawString(margin, y - 5.5 * mm, sheet.event_line or sheet.event_id)
            self.setLineWidth(0.5)
            self.setStrokeColor(grey)
            self.line(margin, y - 8 * mm, width - margin, y - 8 * mm)
            self.setFont(regular, 8)
            self.setFillColor(grey)
            page_of = w["page_of"].format(n=self._pageNumber, total=total)  # type: ignore[attr-defined]
            self.drawRightString(width - margin, 9 * mm, page_of)
            self.drawString(margin, 9 * mm, sheet.event_id)

    def _fit(text: str, font: str, size: float, room: float) -> str:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if stringWidth(text, font, size) <= room:
            return text
        while text and stringWidth(text + "…", font, size) > room:
            text = text[:-1]
        return text + "…"

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=top,
        bottomMargin=bottom,
        title=sheet.heading,
        subject=sheet.event_line,
        creator="feedback attendance sheet",
        lang=sheet.language,
    )
    # No., name, organisation, role, country, signature: 180 mm, the width inside the margins.
    widths = [10 * mm, 48 * mm, 41 * mm, 22 * mm, 19 * mm, 40 * mm]
    data: list[list[Any]] = [
        [p(w[k], head) for k in ("number", "name", "organisation", "role", "country", "signature")]
    ]
    for row in sheet.rows:
        data.append(
            [
                p(str(row.number)),
                p(visual(row.name)),
                p(visual(row.organisation)),
                p(row.role),
                p(row.country),
                "",
            ]
        )
    # A row is at least 11 mm high (room to sign); platypus never splits a row of a table.
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, ink),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, -1), 3.5 * mm),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 3.5 * mm),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, ink),
                ("LINEBEFORE", (5, 0), (5, -1), 1.2, ink),
            ]
        )
    )
    story: list[Any] = [p(w["intro"], intro), table]
    line = "_" * 40
    story.append(
        KeepTogether(
            [
                p(w["organiser_note"], note),
                Table(
                    [
                        [p(w["organiser"]), p(line), p(w["date"]), p("_" * 18)],
                    ],
                    colWidths=[50 * mm, 75 * mm, 15 * mm, 40 * mm],
                    hAlign="LEFT",
                ),
                Spacer(1, 2 * mm),
            ]
        )
    )
    doc.build(story, canvasmaker=PageCanvas)
    return out.getvalue()


# -- the command -----------------------------------------------------------------------------------


def _language(engine: Engine, language: str | None) -> str:
    """``--lang``, or the first language of the default survey when the sheet has its words,
    else English."""
    if language is None:
        try:
            first = engine.resolve_survey(None).languages[0]
        except FeedbackError:  # no default survey to read: English
            return "en"
        return first if first in WORDS else "en"
    if language.lower() in WORDS:
        return language.lower()
    raise CommandError(
        f"--lang: unknown language '{language}' for the attendance sheet (it has "
        f"{', '.join(WORDS)}){did_you_mean(language, WORDS)}",
        2,
    )


def _check_output(path: Path) -> None:
    if path.suffix.lower() not in SUFFIXES:
        raise CommandError(
            f"-o: {path}: expected a file name ending in .pdf or .html, found "
            f"'{path.suffix or '(no suffix)'}'",
            2,
        )
    check_output(path)


@click.group(cls=FeedbackGroup)
def attendance() -> None:
    """Sign-in sheets and badges that prove attendance.

    `feedback attendance sheet` prints one from the event's roster (`feedback roster import`);
    `feedback attendance badges` prints name badges with a personal QR code to check in with.
    """


attendance.add_lazy_command(
    "badges",
    "feedback_offline.badges:badges",
    "Write printable name badges with a personal check-in QR code for an event's roster.",
)


@attendance.command("sheet")
@click.option(
    "--event",
    "event_id",
    required=True,
    metavar="ID",
    help="The event (see `feedback event list`).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The sheet to write: a .pdf, or an .html page to print from a browser.",
)
@click.option(
    "--blank",
    type=click.IntRange(0, MAX_BLANK),
    default=DEFAULT_BLANK,
    show_default=True,
    metavar="N",
    help="Empty rows at the end for people not on the roster.",
)
@click.option(
    "--lang",
    "language",
    metavar="LANG",
    help="en or nl (default: the default survey's first language, or en).",
)
@db_option
def sheet_command(
    event_id: str, output: Path, blank: int, language: str | None, db: Path | None
) -> None:
    """Write a printable sign-in sheet for an event: its roster, signature boxes and empty rows.

    Rows are sorted by family name (the last word of the name). Every page repeats the event's
    title, date and place and says "Page n of m"; the organiser signs and dates the last page.
    """
    _check_output(output)
    engine = state().engine(db)
    event = engine.store.event(event_id)
    if event is None:
        hint = did_you_mean(event_id, engine.store.event_ids())
        raise CommandError(f"--event: unknown event '{event_id}'{hint}", 2)
    language = _language(engine, language)
    sheet = build_sheet(event, engine.store.roster(event_id), language, blank)
    if output.suffix.lower() == ".html":
        data = render_html(sheet).encode("utf-8")
    else:
        data = render_pdf(sheet)
    try:
        files.write_bytes(output, data)
    except OSError as exc:  # the folder changed since it was checked
        raise CommandError(f"-o: cannot write {output}: {exc.strerror or exc}", 2) from exc
    click.echo(
        f"Wrote {output} ({len(sheet.people)} on the roster, {blank} empty rows, {language})",
        err=True,
    )
