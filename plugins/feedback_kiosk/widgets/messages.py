"""Messages question widgets post upward; the survey screen records them in the session."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class Answered(Message):
    """A question's answer changed (``None``: cleared)."""

    def __init__(self, question_id: str, value: Any) -> None:
        super().__init__()
        self.question_id = question_id
        self.value = value


class RowAnswered(Message):
    """One row ("then" or "now") of a then/now question was answered (``None``: cleared)."""

    def __init__(self, question_id: str, row: str, point: str | None) -> None:
        super().__init__()
        self.question_id = question_id
        self.row = row
        self.point = point


class NotAnAnswer(Message):
    """What was typed is not an answer yet; ``why`` is in the participant's language."""

    def __init__(self, question_id: str, why: str) -> None:
        super().__init__()
        self.question_id = question_id
        self.why = why


class GoOn(Message):
    """The participant pressed Enter on a finished answer: go to the next step."""
