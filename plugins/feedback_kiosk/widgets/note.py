"""A note: text shown to the participant, nothing asked (the screen shows its label)."""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from feedback.kiosk_widget import KioskContext
from feedback.survey import QuestionBase


def note_widget(question: QuestionBase, value: Any, context: KioskContext) -> Widget:
    """The answer area of a note: a spacer under its label."""
    return Static("", classes="note-spacer")
