"""A third party's paper forms, for the tests of the ``paper_entry`` hook: a plugin that answers it
with its own `feedback.paper_entry.PaperEntry`, written against the core alone (no built-in
plugin), as an outside developer would.

Its forms' response ids come from a namespace of its own, so a test can tell its responses from the
offline plugin's. Importable as ``from paper_entry_plugin import ...`` (``tests/`` is on the path).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from feedback import hookimpl
from feedback.engine import Engine
from feedback.paper_entry import (
    FormAlreadyEntered,
    FormHeading,
    HeadingProblem,
    date_problem,
    language_problem,
    number_problem,
)
from feedback.survey import Survey

NAMESPACE = uuid.UUID("5b0c3f0e-8f59-4a5e-9d1c-2f6f8a7e4c11")


class NumberedForms:
    """Paper forms of one event and survey, each with a No.; a No. is entered once."""

    def __init__(self, engine: Engine, event: dict[str, Any], survey: Survey):
        self.engine = engine
        self.event = event
        self.survey = survey

    @property
    def default_date(self) -> str | None:
        date = self.event.get("date")
        return str(date)[:10] if date else None

    def number(self, text: str, staff_language: str = "en") -> int:
        if not text.strip().isdigit() or int(text) < 1:
            raise ValueError(number_problem(text, staff_language))
        return int(text)

    def heading(
        self, number: str, language: str = "", date: str = "", staff_language: str = "en"
    ) -> FormHeading:
        problems: dict[str, str] = {}
        try:
            no = self.number(number, staff_language)
        except ValueError as exc:
            problems["number"] = str(exc)
        lang = language.strip() or self.survey.languages[0]
        if lang not in self.survey.languages:
            problems["language"] = language_problem(
                language, list(self.survey.languages), staff_language
            )
        day = date.strip() or self.default_date or ""
        try:
            day = dt.date.fromisoformat(day).isoformat()
        except ValueError:
            problems["date"] = date_problem(date, staff_language)
        if problems:
            raise HeadingProblem(problems)
        return FormHeading(no, lang, day)

    def response_id(self, number: int) -> str:
        key = f"{self.event['id']}/{self.survey.id}/{self.survey.version}/{number}"
        return str(uuid.uuid5(NAMESPACE, key))

    def response(self, heading: FormHeading, answers: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.response_id(heading.number),
            "survey": self.survey.id,
            "survey_version": self.survey.version,
            "event": self.event["id"],
            "channel": "paper",
            "language": heading.language,
            "submitted": heading.date,
            "answers": answers,
        }

    def check_new(self, number: int) -> None:
        if self.engine.store.stored_hashes([self.response_id(number)]):
            raise FormAlreadyEntered(number, f"form No. {number} is already entered")


class NumberedFormsPlugin:
    """Answers ``paper_entry`` with `NumberedForms`, and records each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[Engine, dict[str, Any], Survey]] = []

    @hookimpl
    def paper_entry(self, engine: Engine, event: dict[str, Any], survey: Survey) -> NumberedForms:
        self.calls.append((engine, event, survey))
        return NumberedForms(engine, event, survey)
