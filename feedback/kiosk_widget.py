"""The kiosk widget contract: how a question type's ``kiosk`` rendering draws it in the terminal.

A question type's kiosk rendering is a target ``"package.module:WidgetClass"`` (see
`feedback.question_types`), loaded only when the kiosk draws a question of the type. The class
is called as ``WidgetClass(question, value, context)``:

- ``question``: the question (the type's model);
- ``value``: the answer stored so far, or ``None``;
- ``context``: a `KioskContext`: the participant's language, the kiosk's words in it, what the
  widget reported as unfinished input before (``partial``), the screen's width, and helpers.

It returns a Textual widget (subclass `QuestionWidget`, or any ``Widget``). The widget reports
what the participant enters with messages, never touching the database:

- `Answered` (``QuestionWidget.answer``): the answer is now this value (``None``: cleared);
- `NotAnAnswer` (``QuestionWidget.not_an_answer``): what is entered is not an answer yet (typed
  text that is no number, one row of two); the kiosk keeps the participant on the step and shows
  ``why`` when they press Next; the ``partial`` input comes back as ``context.partial``;
- `GoOn` (``QuestionWidget.go_on``): Enter on a finished answer, on to the next step.

Typed input goes through the type's one parser, ``question.parse`` (``QuestionWidget.typed_in``).
The control that takes the keys has ``id="answer"``: the kiosk gives it the focus. Whether the
question is required, ``show_if``, the review and the response are the kiosk's business.

This module is the core's, so a question-type plugin imports it (and Textual), never the kiosk
plugin. Only kiosk widgets import it: ``import feedback`` does not load Textual.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from feedback.options import localise
from feedback.question_types import AnswerError

if TYPE_CHECKING:
    from feedback.options import Text
    from feedback.survey import QuestionBase

__all__ = [
    "Answered",
    "GoOn",
    "KioskContext",
    "NotAnAnswer",
    "QuestionWidget",
    "plain",
    "visible",
]

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
    """``text`` as plain content: markup and escape sequences are shown, not obeyed.

    Organisers write survey texts; a valid survey may hold ``[bold]`` or an escape character.
    Draw every survey text through this (or ``markup=False`` with `visible`)."""
    return Content(visible(text))


@dataclass(frozen=True)
class KioskContext:
    """What a kiosk widget knows besides its question and the answer so far."""

    #: the participant's language
    language: str
    #: the kiosk's words in that language (``yes``, ``no``, ``before``, ``now``, ``clear``,
    #: ``characters``, ``expected_number``, ``between`` ...)
    words: Mapping[str, str]
    #: the unfinished input this widget reported for the question (`NotAnAnswer.partial`)
    partial: Mapping[str, Any] = field(default_factory=dict)
    #: the screen's width in columns
    width: int = 80

    def text(self, value: Text | None, default: str = "") -> str:
        """A survey text in the participant's language, control characters made visible."""
        return visible(localise(value, self.language, default))

    def raw_text(self, question: QuestionBase, value: Any) -> str:
        """The answer as a field shows it (``question.raw``), ``""`` for none."""
        raw = question.raw(value)
        return "" if raw is None else str(raw)


class Answered(Message):
    """A question's answer changed (``None``: cleared)."""

    def __init__(self, question_id: str, value: Any) -> None:
        super().__init__()
        self.question_id = question_id
        self.value = value


class NotAnAnswer(Message):
    """What was entered is not an answer yet; ``why`` is in the participant's language.

    ``partial``: the unfinished input, given back to the widget as ``context.partial`` when the
    participant comes back to the question (``None``: nothing to keep)."""

    def __init__(
        self, question_id: str, why: str, partial: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__()
        self.question_id = question_id
        self.why = why
        self.partial = dict(partial) if partial is not None else None


class GoOn(Message):
    """The participant pressed Enter on a finished answer: go to the next step."""


class QuestionWidget(Widget):
    """The base of a kiosk widget: keeps its arguments and posts the contract's messages."""

    DEFAULT_CSS = """
    QuestionWidget { height: auto; }
    """

    #: True when keys type the answer (the hint says so), False when they pick options
    typed: ClassVar[bool] = False

    def __init__(self, question: QuestionBase, value: Any, context: KioskContext) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.context = context

    @property
    def language(self) -> str:
        return self.context.language

    @property
    def words(self) -> Mapping[str, str]:
        return self.context.words

    def answer(self, value: Any) -> None:
        """The answer is now ``value`` (``None``: no answer)."""
        self.post_message(Answered(self.question.id, value))

    def not_an_answer(self, why: str, partial: Mapping[str, Any] | None = None) -> None:
        """What is entered is not an answer (yet): ``why``, in the participant's language."""
        self.post_message(NotAnAnswer(self.question.id, why, partial))

    def typed_in(self, raw: Any) -> Any:
        """Parse what was typed or picked with the type's parser and report it; return the
        value (``None`` for no answer or not an answer)."""
        try:
            value = self.question.parse(raw)
        except AnswerError as exc:
            self.not_an_answer(exc.worded(self.context.words))
            return None
        self.answer(value)
        return value

    def go_on(self) -> None:
        """On to the next step (Enter on a finished answer)."""
        self.post_message(GoOn())
