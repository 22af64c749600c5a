"""Built-in plugin: questionnaires of other tools, read as surveys.

- LimeSurvey survey structure files (``.lss``, XML; `feedback_foreign_surveys.lss`);
- SurveyJS survey JSON (`feedback_foreign_surveys.surveyjs`).

Each file is recognised by its content, not only its name: a LimeSurvey export saved as ``.xml``
or ``.txt`` is still read, and a ``.json`` file of feedback's own format is left to the built-in
``formats`` plugin. What another tool's file holds that a feedback survey cannot (a ranking
question, an "other" box, an expression a condition cannot say) is an error naming the question,
the element and what it is: never dropped in silence. ``feedback survey import FILE`` writes the
result as a survey file of ours.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from feedback import hookimpl

if TYPE_CHECKING:
    from feedback.loading import SurveyDocument

#: How much of a file is looked at to recognise it.
SNIFF_BYTES = 4096


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError:
        return b""


def is_limesurvey(head: bytes) -> bool:
    """An XML document whose root says it is a LimeSurvey survey structure."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith((b"<?xml", b"<document")) and b"<LimeSurveyDocType>Survey<" in head


def maybe_json_object(head: bytes) -> bool:
    """Text that starts as a JSON object does (the content decides the rest)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


@hookimpl
def load_survey(path: Path) -> SurveyDocument | None:
    """LimeSurvey survey structure files (.lss) and SurveyJS survey JSON, recognised by content."""
    head = _head(path)
    if is_limesurvey(head):
        from feedback_foreign_surveys.lss import read_lss

        return read_lss(path)
    if maybe_json_object(head):
        from feedback_foreign_surveys.surveyjs import read_surveyjs

        return read_surveyjs(path)
    return None
