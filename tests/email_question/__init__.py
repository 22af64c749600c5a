"""A question type from a plugin, for the tests: an e-mail address, drawn by the web form (a
template of this package) and by the offline form (a component of this package), registered as
one `feedback.question_types.QuestionType`.

Importable as ``email_question`` (the tests folder is on ``sys.path``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from feedback import hookimpl
from feedback.question_types import AnswerError, QuestionType
from feedback.questions import QuestionBase, strip

ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class Email(QuestionBase):
    """An e-mail address: stripped, its domain in lower case."""

    type: Literal["email"] = "email"

    def parse(self, raw: Any) -> Any:
        if raw is None or (isinstance(raw, str) and not strip(raw)):
            return None
        if not isinstance(raw, str) or not ADDRESS.fullmatch(strip(raw)):
            raise AnswerError("enter an e-mail address, like name@example.org", "email")
        local, _, domain = strip(raw).rpartition("@")
        return f"{local}@{domain.lower()}"

    def check(self, value: Any) -> str | None:
        if not isinstance(value, str) or not ADDRESS.fullmatch(value):
            return f"expected an e-mail address, found {value!r}"
        return None


EMAIL = QuestionType(
    Email,
    renderings={
        "web": "email_question:email.html.j2",
        "offline": "email_question:email.js",
    },
    description="An e-mail address.",
)


class EmailPlugin:
    """Registers the e-mail question type with its web and offline renderings."""

    @hookimpl
    def register_question_types(self, register: Callable[[QuestionType], None]) -> None:
        register(EMAIL)


class BareEmailPlugin:
    """Registers the same type as a bare model: a type no channel can draw."""

    @hookimpl
    def register_question_types(self, register: Callable[[type[QuestionBase]], None]) -> None:
        register(Email)
