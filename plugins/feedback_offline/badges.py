"""``feedback attendance badges``: printable name badges, each with a personal check-in QR code.

One badge per person on an event's roster (or per person named), sorted by family name as the
sign-in sheet is (`feedback_offline.attendance.family_key`), so that a stack of badges laid out
at the door is in the order of the list. A badge shows the name large, the organisation, the
event's title and date, and a QR code of the person's check-in link
(`feedback.checkin.checkin_link`) with "Scan at the entrance to check in" under it: staff scan
it at the kiosk, or the holder's phone opens it.

Badges are the standard 90 x 55 mm, eight to an A4 sheet (two columns of four), drawn with thin
borders and cut marks in the margins. The badges are built once as plain data (`Badges`) and
drawn from it as HTML (escaped by Jinja2, ``paper_templates/badges.html.j2``, an inline SVG QR
code per badge, a print stylesheet) or as a PDF (reportlab; the QR code drawn module by module
and also a link area, so a PDF sent by email opens the check-in link when tapped).

Every printing issues new passes (`feedback.checkin.issue_passes`), in one transaction and only
once every check has passed; the database keeps only their hashes, so a code cannot be printed
again, only replaced. Codes printed before stay good: a lost badge is reprinted, not revoked.

Names in Greek, Cyrillic, Arabic or Hebrew print with DejaVu Sans (`paper_pdf.fonts`), as on
the sheet. The HTML lays right-to-left names out right to left (``dir="auto"``, the browser
shapes Arabic). The PDF draws a text wholly in right-to-left letters in reverse (`visual`), so a
Hebrew name reads right; reportlab joins no Arabic letters without rlbidi and uharfbuzz, so an
Arabic name shows its letters in order but unjoined, and a text mixing scripts keeps its stored
order.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from feedback import files
from feedback.cli import CommandError, check_output, db_option, state
from feedback.errors import FeedbackError, did_you_mean
from feedback.i18n import long_date
from feedback_offline.attendance import family_key
from feedback_offline.bidi import visual

if TYPE_CHECKING:
    from feedback.checkin import Pass
    from feedback.engine import Engine

TEMPLATES = Path(__file__).parent / "paper_templates"
SUFFIXES = (".pdf", ".html")

#: The badge, in millimetres: the common name-badge (and business-card holder) size.
BADGE_WIDTH, BADGE_HEIGHT = 90, 55
COLUMNS, ROWS = 2, 4
PER_SHEET = COLUMNS * ROWS
#: The QR code's side on the badge (mm), with its quiet zone of two modules included.
QR_SIDE = 31
#: Error correction of the QR code: M survives a crease or a scuffed corner and keeps a check-in
#: link (about 75 characters) at version 5, 37 modules, each about 0.75 mm when printed.
QR_ERROR = "m"
QR_BORDER = 2

#: The words of the badges in each language they are printed in.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "badges": "Badges",
        "scan": "Scan at the entrance to check in",
        "qr": "Check-in QR code of {name}",
        "intro": "{n} badges on {sheets} A4 sheets. Print at 100% (no scaling) and cut along "
        "the borders.",
    },
    "nl": {
        "badges": "Badges",
        "scan": "Scan bij de ingang om in te checken",
        "qr": "QR-code om {name} in te checken",
        "intro": "{n} badges op {sheets} A4-vellen. Druk af op 100% (niet schalen) en knip "
        "langs de randen.",
    },
}


# -- the badges as data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    """One person's badge: what it shows, and the check-in link its QR code holds."""

    person: int
    name: str
    organisation: str
    link: str
    qr: Any  # a segno QRCode of ``link``

    def svg(self) -> str:
        """The QR code as an inline SVG element (a ``viewBox``, no size: the stylesheet sizes it)."""
        return str(self.qr.svg_inline(scale=1, border=QR_BORDER, omitsize=True, dark="#000"))

    def matrix(self) -> list[list[bool]]:
        """The QR code's modules, row by row from the top, quiet zone included (True: dark)."""
        return [[bool(m) for m in row] for row in self.qr.matrix_iter(scale=1, border=QR_BORDER)]


@dataclass
class Badges:
    """Everything a set of badges shows, in one language."""

    language: str
    words: dict[str, str]
    event_id: str
    title: str
    date: str
    badges: list[Badge]

    @property
    def sheets(self) -> list[list[Badge]]:
        """The badges as printed: eight to a sheet, in order, row by row."""
        return [self.badges[i : i + PER_SHEET] for i in range(0, len(self.badges), PER_SHEET)]

    @property
    def heading(self) -> str:
        return f"{self.words['badges']}: {self.title}"

    @property
    def event_line(self) -> str:
        return " · ".join(p for p in (self.title, self.date) if p)


def build_badges(
    event: dict[str, Any], passes: Iterable[Pass], base_url: str, language: str
) -> Badges:
    """The badges of ``event`` (a row of the events table) for ``passes`` just issued, sorted by
    family name (then the whole name, then the roster id)."""
    import segno

    from feedback.checkin import checkin_link

    ordered = sorted(passes, key=lambda p: (*family_key(p.name or ""), p.person))
    badges = []
    for p in ordered:
        link = checkin_link(base_url, p.token)
        badges.append(
            Badge(
                person=p.person,
                name=p.name or "",
                organisation=p.organisation or "",
                link=link,
                qr=segno.make(link, error=QR_ERROR),
            )
        )
    return Badges(
        language=language,
        words=WORDS[language],
        event_id=event["id"],
        title=event.get("title") or event["id"],
        date=long_date(event.get("date"), language),
        badges=badges,
    )


# -- HTML ----------------------------------------------------------------------------------------


def render_html(badges: Badges) -> str:
    """The badges as one self-contained HTML page: A4 sheets of eight when printed."""
    from markupsafe import Markup

    from feedback_offline.paper_layouts import templates

    css = Markup((TEMPLATES / "badges.css").read_text(encoding="utf-8"))
    # segno writes the SVG from the link alone: letters, digits and URL punctuation, no markup.
    svgs = {b.person: Markup(b.svg()) for b in badges.badges}
    return (
        templates()
        .get_template("badges.html.j2")
        .render(b=badges, w=badges.words, css=css, svgs=svgs, per_sheet=PER_SHEET)
    )


# -- PDF -------------------------------------------------------------------------------------------


def render_pdf(badges: Badges) -> bytes:
    """The badges as PDF bytes: A4 portrait sheets of 2 x 4 badges, cut marks in the margins."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from feedback_offline.paper_pdf import fonts

    regular, bold, _italic = fonts()
    ink, grey, rule = (
        colors.HexColor("#111111"),
        colors.HexColor("#444444"),
        colors.HexColor("#9a9a9a"),
    )
    page_width, page_height = A4
    width, height = BADGE_WIDTH * mm, BADGE_HEIGHT * mm
    left = (page_width - COLUMNS * width) / 2
    top = (page_height - ROWS * height) / 2 + ROWS * height  # the grid's top edge
    pad = 4 * mm
    qr_side = QR_SIDE * mm

    def fit(text: str, font: str, size: float, room: float) -> str:
        """``text``, cut with an ellipsis to ``room`` points wide."""
        if stringWidth(text, font, size) <= room:
            return text
        while text and stringWidth(text + "…", font, size) > room:
            text = text[:-1]
        return text.rstrip() + "…"

    def lines(text: str, font: str, size: float, room: float, most: int) -> list[str]:
        """``text`` broken into at most ``most`` lines of ``room`` points, at spaces and after
        hyphens; what does not fit is cut with an ellipsis."""
        found: list[str] = []
        words = re.findall(r"\S+?-(?=\S)|\S+", text)

        def join(line: str, word: str) -> str:
            return line + word if line.endswith("-") else f"{line} {word}"

        while words and len(found) < most:
            line = words.pop(0)
            while words and stringWidth(join(line, words[0]), font, size) <= room:
                line = join(line, words.pop(0))
            found.append(line)
        for word in words:  # more than fits: the last line ends with what is left, cut
            found[-1] = join(found[-1], word)
        return [fit(line, font, size, room) for line in found]

    def name_lines(name: str, room: float) -> tuple[list[str], float]:
        """The name as large as it fits: on two lines from 17 pt down to 11 pt, then on three
        down to 9 pt, cut with an ellipsis only past that."""
        for most, sizes in ((2, range(34, 21, -1)), (3, range(22, 17, -1))):
            for half_points in sizes:
                found = lines(name, bold, half_points / 2, room, most)
                if not any(line.endswith("…") for line in found):
                    return found, half_points / 2
        return lines(name, bold, 9, room, 3), 9

    def qr(canvas: Canvas, matrix: list[list[bool]], x: float, y: float, side: float) -> None:
        """``matrix`` drawn with its top-left corner at (x, y + side), one rectangle per run of
        dark modules in a row: sharp at any size, no image."""
        module = side / len(matrix)
        canvas.setFillColor(colors.black)
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                canvas.rect(
                    x + start * module, y + side - (r + 1) * module, (c - start) * module, module,
                    stroke=0, fill=1,
                )  # fmt: skip

    def badge(canvas: Canvas, b: Badge, x: float, y: float) -> None:
        """The badge ``b`` with its bottom-left corner at (x, y)."""
        canvas.setStrokeColor(rule)
        canvas.setLineWidth(0.3)
        canvas.rect(x, y, width, height, stroke=1, fill=0)
        # the QR code on the right, its caption under it
        qx, qy = x + width - pad - qr_side + 2 * mm, y + height - pad - qr_side + 2 * mm
        qr(canvas, b.matrix(), qx, qy, qr_side)
        canvas.linkURL(b.link, (qx, qy, qx + qr_side, qy + qr_side), relative=0)
        canvas.setFillColor(grey)
        canvas.setFont(regular, 6.5)
        caption = lines(badges.words["scan"], regular, 6.5, qr_side - 2 * mm, 2)
        for i, line in enumerate(caption):
            canvas.drawCentredString(qx + qr_side / 2, qy - 1 * mm - i * 7.6, line)
        # the name large, the organisation under it, the event at the foot
        room = qx - (x + pad) - 1 * mm
        canvas.setFillColor(ink)
        names, size = name_lines(b.name, room)
        line_y = y + height - pad - size
        canvas.setFont(bold, size)
        for line in names:
            canvas.drawString(x + pad, line_y, visual(line))
            line_y -= size * 1.15
        if b.organisation:
            canvas.setFont(regular, 9.5)
            for line in lines(b.organisation, regular, 9.5, room, 2):
                line_y -= 1.5
                canvas.drawString(x + pad, line_y, visual(line))
                line_y -= 9.5 * 1.2
        # under the caption, the event across the badge: its title on up to two lines, the date
        canvas.setFillColor(grey)
        canvas.setFont(bold, 7.5)
        foot_y = y + pad + (9 if badges.date else 0)
        for line in reversed(lines(badges.title, bold, 7.5, width - 2 * pad, 2)):
            canvas.drawString(x + pad, foot_y, visual(line))
            foot_y += 9
        canvas.setFont(regular, 7.5)
        canvas.drawString(x + pad, y + pad, badges.date)

    def cut_marks(canvas: Canvas) -> None:
        """Short lines in the margins on every edge of the grid, to cut along with a ruler."""
        canvas.setStrokeColor(ink)
        canvas.setLineWidth(0.4)
        bottom, right = top - ROWS * height, left + COLUMNS * width
        mark, gap = 6 * mm, 2 * mm
        for c in range(COLUMNS + 1):
            edge = left + c * width
            canvas.line(edge, top + gap, edge, top + gap + mark)
            canvas.line(edge, bottom - gap, edge, bottom - gap - mark)
        for r in range(ROWS + 1):
            edge = top - r * height
            canvas.line(left - gap, edge, left - gap - mark, edge)
            canvas.line(right + gap, edge, right + gap + mark, edge)

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, lang=badges.language)
    canvas.setTitle(badges.heading)
    canvas.setSubject(badges.event_line)
    canvas.setCreator("feedback attendance badges")
    for n, sheet in enumerate(badges.sheets, 1):
        cut_marks(canvas)
        for i, b in enumerate(sheet):
            row, column = divmod(i, COLUMNS)
            badge(canvas, b, left + column * width, top - (row + 1) * height)
        canvas.setFillColor(grey)
        canvas.setFont(regular, 7.5)
        foot = f"{badges.event_id} · {n}/{len(badges.sheets)}"
        canvas.drawRightString(page_width - 15 * mm, 10 * mm, foot)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


# -- the command -----------------------------------------------------------------------------------


def _language(engine: Engine, language: str | None) -> str:
    """``--language``, or the first language of the default survey when the badges have its
    words, else English."""
    if language is None:
        try:
            first = engine.resolve_survey(None).languages[0]
        except FeedbackError:  # no default survey to read: English
            return "en"
        return first if first in WORDS else "en"
    if language.lower() in WORDS:
        return language.lower()
    raise CommandError(
        f"--language: unknown language '{language}' for the badges (they have "
        f"{', '.join(WORDS)}){did_you_mean(language, WORDS)}",
        2,
    )


def _people(engine: Engine, event: str, named: tuple[str, ...]) -> list[int] | None:
    """The roster ids of the people ``--person`` names (None: nobody named, the whole roster).

    :raises CommandError: someone named is unknown, or not on the event's roster.
    """
    from feedback.erasure import find_person

    if not named:
        return None
    roster = {int(row["id"]) for row in engine.store.roster(event)}
    people = []
    for who in named:
        try:
            person = find_person(engine, who)
        except FeedbackError as exc:
            raise CommandError(f"--person: {exc}", 2) from exc
        if person not in roster:
            raise CommandError(
                f"--person: '{who}' is not on the roster of '{event}' (add them with "
                "`feedback roster import`)",
                2,
            )
        people.append(person)
    return list(dict.fromkeys(people))


@click.command("badges")
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
    help="The badges to write: a .pdf, or an .html page to print from a browser.",
)
@click.option(
    "--person",
    "named",
    multiple=True,
    metavar="WHO",
    help="Only this person (a roster id or an email address); repeat for more. Default: "
    "everyone on the event's roster.",
)
@click.option(
    "--language",
    "--lang",
    "language",
    metavar="LANG",
    help="en or nl (default: the default survey's first language, or en).",
)
@db_option
def badges(
    event_id: str, output: Path, named: tuple[str, ...], language: str | None, db: Path | None
) -> None:
    """Write printable name badges with a personal check-in QR code for an event's roster.

    Eight 90 x 55 mm badges to an A4 sheet, in family-name order: the name, the organisation,
    the event, and a QR code of the person's check-in link (base_url in feedback.toml or
    FEEDBACK_BASE_URL) to scan at the entrance.

    Every printing issues new codes: the database keeps only their hashes, so a badge cannot be
    printed again with the same code. Codes printed before stay good, so a lost or misprinted
    badge is simply printed again.
    """
    from feedback.checkin import issue_passes

    if output.suffix.lower() not in SUFFIXES:
        raise CommandError(
            f"-o: {output}: expected a file name ending in .pdf or .html, found "
            f"'{output.suffix or '(no suffix)'}'",
            2,
        )
    engine = state().engine(db)
    check_output(output, engine.store.path)
    event = engine.store.event(event_id)
    if event is None:
        hint = did_you_mean(event_id, engine.store.event_ids())
        raise CommandError(f"--event: unknown event '{event_id}'{hint}", 2)
    base_url = engine.settings.base_url
    if not base_url:
        raise CommandError(
            "no base URL for the check-in links: set base_url in feedback.toml or "
            "FEEDBACK_BASE_URL to the address `feedback serve` is reached at "
            "(e.g. https://feedback.example.org); no badge was made",
            2,
        )
    language = _language(engine, language)
    people = _people(engine, event_id, named)
    if people is None and not engine.store.roster(event_id):
        raise CommandError(
            f"--event: nobody is on the roster of '{event_id}': import it with "
            "`feedback roster import`",
            2,
        )
    passes = issue_passes(engine, event_id, people)  # every check passed: one transaction
    made = build_badges(event, passes, base_url, language)
    data = render_html(made).encode("utf-8") if output.suffix.lower() == ".html" else None
    if data is None:
        data = render_pdf(made)
    try:
        files.write_bytes(output, data)
    except OSError as exc:  # the folder changed since it was checked
        raise CommandError(
            f"-o: cannot write {output}: {exc.strerror or exc} (the {len(passes)} codes just "
            "issued are unused; the codes printed before stay good)",
            2,
        ) from exc
    click.echo(
        f"Wrote {output} ({len(made.badges)} badges on {len(made.sheets)} sheets, {language}); "
        f"{len(passes)} new check-in codes, codes printed before stay good",
        err=True,
    )
