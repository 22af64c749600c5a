"""Messages question widgets post upward; the survey screen records them in the session.

`Answered`, `NotAnAnswer` and `GoOn` are the kiosk widget contract's (`feedback.kiosk_widget`),
which widgets of question types from plugins post too; `RowAnswered` is the then/now widget's own.
"""

from __future__ import annotations

from textual.message import Message

from feedback.kiosk_widget import Answered, GoOn, NotAnAnswer

__all__ = ["Answered", "GoOn", "NotAnAnswer", "RowAnswered"]


class RowAnswered(Message):
    """One row ("then" or "now") of a then/now question was answered (``None``: cleared)."""

    def __init__(self, question_id: str, row: str, point: str | None) -> None:
        super().__init__()
        self.question_id = question_id
        self.row = row
        self.point = point
