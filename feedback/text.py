"""Plain text fields (names, titles, places, organisations): data, never syntax.

A plain text field holds one line of text that shows as it reads. It holds none of:

- control characters: C0 (U+0000 to U+001F: NUL, tab, line feed, carriage return, the escape
  that starts terminal sequences), DEL (U+007F) and C1 (U+0080 to U+009F: NEL, CSI);
- the line and paragraph separators U+2028 and U+2029;
- bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069), which
  reorder what is shown around them;
- the opening of an RFC 2047 encoded word (``=?utf-8?q?``, ``=?utf-8?b?``), which an email
  library decodes into header syntax (a line break, a ``Reply-To``);

and no more characters than its field allows. Every way in checks with `text_problem` (the roster
import, ``feedback event add`` through `plain_text`, ``feedback merge``). Data stored before these
checks is shown through `visible` or `shown` (the command line) and `plain` (email), so that it
cannot move a terminal's cursor or add a line to a header either.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import AfterValidator

#: Longest values, in characters.
MAX_NAME = 200
MAX_EMAIL = 254  # the longest path RFC 5321 allows
MAX_ORGANISATION = 200
MAX_TITLE = 300
MAX_CITY = 200

#: Characters a plain text field may not hold (see the module's documentation).
FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: The opening of an RFC 2047 encoded word: ``=?`` charset ``?`` q or b ``?`` (any charset, even
#: one with spaces: Python's email parser decodes an unknown charset as ASCII).
ENCODED_WORD = re.compile(r"=\?[^?]*\?[bBqQ]\?")

_NAMES = {
    0x00: "a NUL character",
    0x09: "a tab",
    0x0A: "a line feed",
    0x0B: "a vertical tab",
    0x0C: "a form feed",
    0x0D: "a carriage return",
    0x1B: "an escape character",
    0x7F: "a DEL character",
    0x85: "a next-line character",
    0x9B: "a control sequence introducer",
    0x2028: "a line separator",
    0x2029: "a paragraph separator",
}


def describe(char: str) -> str:
    """What a forbidden character is, in words, with its code point: ``a tab (U+0009)``."""
    code = ord(char)
    if code in _NAMES:
        name = _NAMES[code]
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        name = "a bidirectional text control"
    else:
        name = "a control character"
    return f"{name} (U+{code:04X})"


def text_problem(value: str, max_length: int) -> str | None:
    """Why ``value`` cannot be a plain text field of at most ``max_length`` characters, or
    ``None`` when it can. The message reads after ``column 'name': ``."""
    if len(value) > max_length:
        return f"expected at most {max_length:,} characters, found {len(value):,}"
    forbidden = FORBIDDEN.search(value)
    if forbidden is not None:
        return (
            f"expected plain text, found {describe(forbidden.group())} at character "
            f"{forbidden.start() + 1} of {cut(value)!r}"
        )
    word = ENCODED_WORD.search(value)
    if word is not None:
        return (
            f"expected plain text, found email header syntax (an encoded word, "
            f"{word.group()!r}) at character {word.start() + 1} of {cut(value)!r}"
        )
    return None


class TextError(ValueError):
    """A value that cannot be a plain text field; the message says why."""


def check_text(value: str, max_length: int) -> str:
    """``value`` when it is a plain text field of at most ``max_length`` characters.

    :raises TextError: it is not (see `text_problem`).
    """
    problem = text_problem(value, max_length)
    if problem is not None:
        raise TextError(problem)
    return value


def plain_text(max_length: int) -> AfterValidator:
    """A pydantic validator for a plain text field: ``Annotated[str, plain_text(300)]``."""

    def validate(value: Any) -> Any:
        return check_text(value, max_length) if isinstance(value, str) else value

    return AfterValidator(validate)


def folded(text: str | None) -> str:
    """``text`` for comparing names: case folded, accents dropped ("Élodie" matches
    "elodie"); ``None`` as empty."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def cut(value: str, length: int = 60) -> str:
    """``value`` cut to ``length`` characters, ``...`` marking a cut."""
    return value if len(value) <= length else value[: length - 3] + "..."


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(value: str) -> str:
    """``value`` with every forbidden character written as an escape (``\\x1b``, ``\\u202e``):
    stored text printed inert, its oddities in sight."""
    return FORBIDDEN.sub(_escape, value)


def shown(value: object) -> str:
    """A stored value for Rich output: `visible`, with Rich markup escaped (``[bold]`` prints
    as written); ``""`` for ``None``. Print it on a ``Console(emoji=False)``, so that
    ``:smile:`` prints as written too."""
    from rich.markup import escape

    return escape(visible(str(value))) if value is not None else ""


def plain(value: str, max_length: int | None = None) -> str:
    """The nearest plain text to ``value``: forbidden characters as spaces, whitespace runs as
    one space, ends trimmed, and cut to ``max_length`` characters (an ellipsis marks the cut).
    For data that may predate the checks (encoded words are left to the caller: see
    `feedback_email.compose.header_text`)."""
    text = " ".join(FORBIDDEN.sub(" ", value).split())
    if max_length is not None and len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "\u2026"
    return text
