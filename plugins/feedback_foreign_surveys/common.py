"""What both readers need: texts made plain, ids made ours, problems gathered before raising."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from feedback.errors import Problem, SurveyError

#: Our question ids: lower-case letters, digits and '_', starting with a letter.
QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: Our option ids (choices, scale points).
OPTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: A text that shows another answer or a participant attribute ({Q1.shown}, {TOKEN:FIRSTNAME},
#: {if(...)}): feedback shows texts as they are written.
PIPED = re.compile(r"\{[A-Za-z_][^{}]*\}")
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table"}


class _Plain(HTMLParser):
    """The visible text of an HTML fragment: tags dropped, blocks on lines of their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags = 0
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def plain_text(fragment: str) -> tuple[str, bool]:
    """The text of an HTML fragment as plain text, and whether it had markup to remove.

    Both tools store texts as HTML; a survey of ours holds plain text, so paragraphs become
    lines and every tag goes (a script with it).
    """
    if "<" not in fragment and "&" not in fragment:
        return re.sub(r"[ \t]+", " ", fragment).strip(), False
    parser = _Plain()
    parser.feed(fragment)
    parser.close()
    text = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    out = "\n".join(line for line in lines if line)
    return out, parser.tags > 0


def make_id(name: str, prefix: str = "q") -> str:
    """A question id of ours from another tool's name: ``Q1`` -> ``q1``, ``How old?`` ->
    ``how_old``, ``1st`` -> ``q_1st``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")
    if not words:
        words = prefix
    if not words[0].isalpha():
        words = f"{prefix}_{words}"
    return words[:64]


def make_slug(name: str) -> str:
    """A survey id of ours (letters, digits, '_' and '-') from a file name."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_-]+", "-", folded.lower()).strip("-_")
    return slug[:64] or "imported"


def localised(texts: dict[str, str], languages: list[str]) -> str | dict[str, str] | None:
    """One text of ours from a text per language: plain when the survey has one language,
    else ``{language: text}`` in the survey's order (languages without a text left out)."""
    present = {lang: texts[lang] for lang in languages if texts.get(lang)}
    if not present:
        return None
    if len(languages) == 1:
        return present[languages[0]]
    return present


@dataclass
class Collected:
    """Problems and notes gathered while reading one file, so that one run lists them all."""

    source: Path
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    html_in: list[str] = field(default_factory=list)

    def problem(
        self, message: str, *, line: int | None = None, loc: tuple[str | int, ...] = ()
    ) -> None:
        self.problems.append(Problem(message, loc, line))

    def text(self, raw: str, where: str, line: int | None = None, loc: tuple[Any, ...] = ()) -> str:
        """``raw`` made plain; a piped text ({Q1.shown}) is a problem of ``where``."""
        text, had_markup = plain_text(raw)
        piped = PIPED.search(text)
        if piped:
            self.problem(
                f"{where}: the text shows another answer or a participant's details "
                f"({piped.group(0)}): feedback shows texts as written",
                line=line,
                loc=loc,
            )
        short = where.split(" (")[0].split(": ")[0]
        if had_markup and short not in self.html_in:
            self.html_in.append(short)
        return text

    def raise_if_any(self) -> None:
        if self.problems:
            raise SurveyError(self.source, self.problems)

    def finish_notes(self) -> list[str]:
        notes = list(self.notes)
        if self.html_in:
            shown = ", ".join(self.html_in[:8]) + (" ..." if len(self.html_in) > 8 else "")
            notes.append(f"HTML formatting removed from the texts of {shown}")
        return notes
