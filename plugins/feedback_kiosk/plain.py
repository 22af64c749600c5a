"""Survey text on screen as plain text: never markup, never a terminal control sequence.

Organisers write survey texts, titles and labels; a valid survey may hold ``[/x]``, ``[bold]``,
``[link=...]`` or an escape character. Every widget draws such text through `plain`, which returns
a Textual `Content` (taken as it is, whatever a widget's ``markup`` setting) with each control
character shown as its visible Unicode picture (ESC as ``␛``), so the text appears literally and
nothing reaches the terminal as a command.
"""

from __future__ import annotations

import re

from textual.content import Content

# C0 controls but newline and tab, DEL, and the C1 controls (0x9b is a one-byte CSI)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<{code:02X}>"  # a C1 control, which has no picture of its own


def visible(text: str) -> str:
    """``text`` with each control character (but newline and tab) made visible."""
    return _CONTROL.sub(_picture, text)


def plain(text: str) -> Content:
    """``text`` as plain content: markup and escape sequences are shown, not obeyed."""
    return Content(visible(text))
