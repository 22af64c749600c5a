"""One widget per question type; `question_widget` picks the right one."""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from feedback.survey import (
    ChoiceQuestion,
    Note,
    Number,
    QuestionBase,
    Rating,
    ScaleQuestion,
    TextQuestion,
    ThenNow,
    YesNo,
)
from feedback_kiosk.plain import plain
from feedback_kiosk.widgets.choice import ChoiceQuestionWidget
from feedback_kiosk.widgets.number import NumberWidget
from feedback_kiosk.widgets.text import TextWidget
from feedback_kiosk.widgets.then_now import ThenNowWidget


def question_widget(
    question: QuestionBase,
    value: Any,
    partial: dict[str, str],
    language: str,
    words: dict[str, str],
) -> Widget:
    """The widget that asks ``question`` (with the answer so far, if any)."""
    if isinstance(question, ThenNow):
        return ThenNowWidget(question, value, partial, language, words)
    if isinstance(question, ChoiceQuestion | ScaleQuestion | Rating | YesNo):
        return ChoiceQuestionWidget(question, value, language, words)
    if isinstance(question, Number):
        return NumberWidget(question, value, language, words)
    if isinstance(question, TextQuestion):
        return TextWidget(question, value, words)
    if isinstance(question, Note):
        return Static("", classes="note-spacer")
    return Static(plain(f"[{question.type}] cannot be answered at this kiosk"), markup=False)
