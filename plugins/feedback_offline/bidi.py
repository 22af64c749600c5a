"""Right-to-left text on a PDF canvas, which draws every string left to right.

reportlab lays out no bidirectional text without rlbidi and uharfbuzz (not dependencies here): a
Hebrew or Arabic name would be drawn letter by letter from the left, backwards. `visual` turns a
text written wholly in right-to-left letters into the order the canvas must draw it; the badges
and the sign-in sheet use it for names and organisations. The HTML forms need none of this: the
browser lays them out (``dir="auto"``).
"""

from __future__ import annotations

import re
import unicodedata


def visual(text: str) -> str:
    """``text`` in the order a left-to-right PDF canvas draws it: a text of right-to-left
    letters only (a name in Hebrew or Arabic, with spaces, digits and punctuation) is reversed,
    its numbers kept in reading order and its brackets mirrored; any other text is kept as it is.
    Arabic letters are drawn in their isolated forms: the canvas does not join them."""
    kinds = {unicodedata.bidirectional(c) for c in text}
    if "L" in kinds or not kinds & {"R", "AL"}:
        return text
    mirror = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<"}
    return "".join(mirror.get(run, run) for run in reversed(re.findall(r"\d+|\D", text)))
