"""Helpers of the paper form and entry template tests: the text a PDF or an HTML page shows, and a
filled entry template saved the way a spreadsheet saves it."""

from __future__ import annotations

import base64
import csv
import io
import re
import zlib
from html.parser import HTMLParser
from pathlib import Path

SURVEY = "post-seminar"

# -- what a PDF says --------------------------------------------------------------------------------

_STREAM = re.compile(rb"/Filter\s*\[?([^\]>]*)\]?[^>]*>>\s*stream\r?\n(.*?)endstream", re.S)
_SHOWN = re.compile(rb"\(((?:\\.|[^\\()])*)\)\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def pdf_pages(data: bytes) -> int:
    """How many pages a PDF has (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def pdf_text(data: bytes) -> str:
    """The text a PDF shows in the standard fonts (WinAnsi strings), whitespace made single.

    Read with zlib and the PDF string rules only, not with the library that wrote the file. Text
    set in an embedded TrueType font is glyph numbers and does not show here.
    """
    shown: list[str] = []
    for match in _STREAM.finditer(data):
        filters, body = match.group(1), match.group(2)
        if b"ASCII85Decode" in filters:
            body = base64.a85decode(body.strip().removesuffix(b"~>"))
        if b"FlateDecode" in filters:
            body = zlib.decompress(body)
        shown += [_unescape(s) for s in _SHOWN.findall(body)]
    return " ".join(" ".join(shown).split())


def _unescape(raw: bytes) -> str:
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i : i + 1] == b"\\":
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 :])
            if octal:
                out.append(int(octal.group(), 8))
                i += 1 + len(octal.group())
                continue
            following = raw[i + 1 : i + 2]
            out += _ESCAPES.get(following, following)
            i += 2
            continue
        out.append(raw[i])
        i += 1
    return out.decode("cp1252")


# -- what an HTML page says -----------------------------------------------------------------------


class _Text(HTMLParser):
    """The visible text of a page, and the text of each element with a given class."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.open: list[tuple[str, list[str]]] = []
        self.by_class: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_data(" ")  # cells and boxes written next to each other are apart on the page
        if tag in ("style", "script"):
            self.skip += 1
        if tag in ("br", "img", "meta", "input", "link"):
            return
        classes = (dict(attrs).get("class") or "").split()
        self.open.append((tag, classes))
        for name in classes:
            self.by_class.setdefault(name, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip -= 1
        self.handle_data(" ")
        while self.open:
            opened, classes = self.open.pop()
            for name in classes:
                self.by_class[name][-1] = " ".join(self.by_class[name][-1].split())
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.parts.append(data)
        for _, classes in self.open:
            for name in classes:
                self.by_class[name][-1] += data


def html_text(html: str) -> str:
    """The visible text of a page (no style, no script), whitespace made single."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def html_class_texts(html: str, name: str) -> list[str]:
    """The text of every element with class ``name``, in order, whitespace made single."""
    parser = _Text()
    parser.feed(html)
    return [" ".join(t.split()) for t in parser.by_class.get(name, [])]


# -- a filled entry template -----------------------------------------------------------------------


def template_records(path: Path) -> list[list[str]]:
    """The rows of an entry template as a spreadsheet reads them."""
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def fill(
    template: Path,
    rows: list[dict[str, str]],
    out: Path,
    *,
    delimiter: str = ",",
    bom: bool = True,
    pad: bool = False,
    between: list[list[str]] | None = None,
) -> Path:
    """Save ``template`` with ``rows`` (cells by column name; the rest empty) as ``out``, the way a
    spreadsheet saves: every row rewritten with ``delimiter``, optionally each padded with empty
    cells to the width of the header (as Excel does); ``between`` rows go after the first row."""
    records = template_records(template)
    header = records[-1]
    data = [[row.get(name, "") for name in header] for row in rows]
    if between:
        data[1:1] = between
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for record in [*records, *data]:
        writer.writerow(record + [""] * (len(header) - len(record)) if pad else record)
    out.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    return out
