"""The plain-text part of a message written from its HTML part, for a project that gives only an
HTML template: the same words, paragraphs as blank-line separated blocks, each link followed by its
address (a text-only mail program shows no link otherwise), and nothing of ``<head>``, scripts or
styles."""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: elements that end a line, and those that stand as a block of their own (a blank line around)
LINE_BREAKS = {"br", "tr", "li", "dt", "dd"}
BLOCKS = {
    "address",
    "article",
    "blockquote",
    "div",
    "dl",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
}
HIDDEN = {"head", "script", "style", "template", "title"}
_SPACES = re.compile(r"[ \t\r\f\v\n]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""
        self.hidden = 0
        self.href: str | None = None
        self.link_text = ""
        self.lists: list[str] = []

    def _end_line(self) -> None:
        self.lines.append(self.line.strip())
        self.line = ""

    def _end_block(self) -> None:
        if self.line.strip():
            self._end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self._end_block()
            if tag in ("ul", "ol"):
                self.lists.append(tag)
        elif tag == "li":
            if self.line.strip():
                self._end_line()
            self.line = "- "
        elif tag in LINE_BREAKS:
            self._end_line()
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = ""

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in HIDDEN:
            self.hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            self._end_block()
        elif tag in LINE_BREAKS and tag != "br":
            if self.line.strip():
                self._end_line()
        elif tag == "a" and self.href is not None:
            href, shown = self.href, " ".join(self.link_text.split())
            self.href = None
            if href and not href.startswith(("#", "javascript:")) and href != shown:
                if href.startswith("mailto:") and href[len("mailto:") :] == shown:
                    return
                self._write(f": {href}" if shown else href)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.href is not None:
            self.link_text += data
        self._write(data)

    def _write(self, data: str) -> None:
        text = _SPACES.sub(" ", data)
        if not self.line.strip():
            text = text.lstrip()
        self.line += text

    def text(self) -> str:
        self._end_block()
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        while self.lines and self.lines[0] == "":
            self.lines.pop(0)
        return "\n".join(self.lines) + "\n"


def html_to_text(html: str) -> str:
    """The text of an HTML message, for its ``text/plain`` part; a link as ``words: address``."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.text()
