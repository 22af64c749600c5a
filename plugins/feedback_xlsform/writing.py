"""A survey written as an XLSForm (``survey``, ``choices`` and ``settings`` sheets) that
KoboToolbox and ODK take, and that `feedback_xlsform.reading` reads back into the same survey.

What XLSForm has a column for goes there (types, names, labels and hints per language as
``label::Français (fr)``, ``required``, ``relevant``, a number's range as ``constraint``, a long
text's ``multiline`` appearance); our own fields (``measures``, a scale's N/A point, units ...)
go as JSON in a ``feedback`` column, which KoboToolbox passes over. A likert question is a
``select_one`` of its scale's list, a rating an ``integer`` with its range, and a then/now
question a group of two ``select_one`` questions, ``then`` and ``now``.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from feedback.errors import InvalidInput
from feedback.options import Option, Scale
from feedback.survey import (
    DateQuestion,
    MultiChoice,
    Note,
    Number,
    QuestionBase,
    Rating,
    ScaleQuestion,
    SingleChoice,
    Survey,
    TextQuestion,
    ThenNow,
    YesNo,
    humanise,
)
from feedback_xlsform.expressions import write_date_range, write_range, write_relevant
from feedback_xlsform.questions import KINDS

#: language names as KoboToolbox writes them before the code, in the language itself
NAMES = {
    "en": "English", "fr": "Français", "nl": "Nederlands", "de": "Deutsch", "es": "Español",
    "it": "Italiano", "pt": "Português", "pl": "Polski", "ro": "Română", "bg": "Български",
    "el": "Ελληνικά", "ru": "Русский", "uk": "Українська", "ar": "العربية", "sw": "Kiswahili",
}  # fmt: skip
#: fields the columns carry, by type (the rest go in the ``feedback`` column)
_COMMON = {"type", "id", "label", "help", "required", "show_if"}


def language_column(base: str, code: str) -> str:
    return f"{base}::{NAMES.get(code.split('-')[0], code)} ({code})"


class Sheets:
    """The rows of the three sheets, as the survey is walked."""

    def __init__(self, survey: Survey) -> None:
        self.survey = survey
        self.languages = survey.languages
        self.rows: list[dict[str, Any]] = []
        self.choices: list[dict[str, Any]] = []
        self.lists: set[str] = set()
        self.kinds: dict[str, str] = {}

    def texts(self, base: str, value: Any) -> dict[str, Any]:
        if value is None:
            return {}
        if isinstance(value, str):
            return {base: value}
        return {language_column(base, code): text for code, text in value.items()}

    def list_name(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self.lists:
            n += 1
            name = f"{wanted}_{n}"
        self.lists.add(name)
        return name

    def options(self, name: str, options: list[Option], na: Option | None = None) -> None:
        for option in [*options, *([na] if na is not None else [])]:
            row: dict[str, Any] = {"list_name": name, "name": option.id}
            extras: dict[str, Any] = {}
            if option.label is None:
                row["label"] = humanise(option.id)  # KoboToolbox wants a label
                extras["label"] = None
            else:
                row |= self.texts("label", option.label)
            if option.report_label is not None:
                extras["report_label"] = option.report_label
            if option is na:
                extras["na"] = True
            if extras:
                row["feedback"] = json.dumps(extras, ensure_ascii=False)
            self.choices.append(row)

    def scale_list(self, scale: str | Scale, fallback: str) -> str:
        if isinstance(scale, str):
            return scale  # written with the survey's scales
        name = self.list_name(fallback)
        self.options(name, scale.points, scale.na)
        return name

    def question(self, q: QuestionBase) -> None:
        dumped = q.model_dump(mode="json", exclude_defaults=True)
        extras = {k: v for k, v in dumped.items() if k not in _COMMON}
        row: dict[str, Any] = {"name": q.id}
        row |= self.texts("label", q.label) | self.texts("hint", q.help)
        if q.required:
            row["required"] = "yes"
        if q.show_if is not None:
            row["relevant"] = write_relevant(q.show_if, self.kinds)
        if isinstance(q, ThenNow):
            self.then_now(q, row, extras)
            return
        if isinstance(q, SingleChoice | MultiChoice):
            name = self.list_name(q.id)
            self.options(name, q.choices)
            kind = "select_one" if isinstance(q, SingleChoice) else "select_multiple"
            row["type"] = f"{kind} {name}"
            extras.pop("choices")
            if isinstance(q, SingleChoice) and sorted(q.answer_ids()) == ["no", "yes"]:
                extras["type"] = "single_choice"  # else it would read back as yes/no
        elif isinstance(q, YesNo):
            if "yes_no" not in self.lists:
                self.lists.add("yes_no")
                self.choices += [
                    {"list_name": "yes_no", "name": "yes", "label": "Yes"},
                    {"list_name": "yes_no", "name": "no", "label": "No"},
                ]
            row["type"] = "select_one yes_no"
        elif isinstance(q, ScaleQuestion):  # likert (then/now above)
            row["type"] = f"select_one {self.scale_list(q.scale, q.id)}"
            row["appearance"] = "likert"
            extras.pop("scale")
            extras["type"] = q.type
        elif isinstance(q, Rating):
            row["type"] = "integer"
            row["constraint"] = write_range(q.min, q.max)
            extras = {k: v for k, v in extras.items() if k not in ("min", "max")}
            extras["type"] = "rating"
        elif isinstance(q, Number):
            row["type"] = "integer" if q.integer else "decimal"
            if q.min is not None or q.max is not None:
                row["constraint"] = write_range(q.min, q.max)
            extras = {k: v for k, v in extras.items() if k not in ("min", "max", "integer")}
        elif isinstance(q, TextQuestion):
            row["type"] = "text"
            if q.long:
                row["appearance"] = "multiline"
            extras.pop("long", None)
        elif isinstance(q, DateQuestion):
            row["type"] = "date"
            if q.min is not None or q.max is not None:  # a constraint Kobo and ODK enforce
                row["constraint"] = write_date_range(q.min, q.max)
            extras = {k: v for k, v in extras.items() if k not in ("min", "max")}
        elif isinstance(q, Note):
            row["type"] = "note"
        else:
            raise InvalidInput(f"question '{q.id}': XLSForm has no type for a '{q.type}' question")
        if extras:
            row["feedback"] = json.dumps(extras, ensure_ascii=False)
        self.rows.append(row)
        if q.type in KINDS:
            self.kinds[q.id] = KINDS[q.type]

    def then_now(self, q: ThenNow, row: dict[str, Any], extras: dict[str, Any]) -> None:
        """A group of two select_one questions, ``then`` and ``now``, of the same scale."""
        extras["type"] = "then_now"
        if q.required:
            extras["required"] = True
            row.pop("required")
        name = self.scale_list(q.scale, q.id)
        self.rows.append(
            {**row, "type": "begin_group", "feedback": json.dumps(extras, ensure_ascii=False)}
        )
        for part, label, default in (
            ("then", q.then_label, "Before"),
            ("now", q.now_label, "Now"),
        ):
            child: dict[str, Any] = {"type": f"select_one {name}", "name": part}
            child |= self.texts("label", label) if label is not None else {"label": default}
            if q.required:
                child["required"] = "yes"
            self.rows.append(child)
        self.rows.append({"type": "end_group"})

    def walk(self) -> None:
        survey = self.survey
        for name, scale in survey.scales.items():
            self.lists.add(name)
            self.options(name, scale.points, scale.na)
        if survey.sections is None:
            for q in survey.all_questions():
                self.question(q)
            return
        for n, section in enumerate(survey.sections, start=1):
            if section.id is None and section.title is None and section.intro is None:
                for q in section.questions:
                    self.question(q)
                continue
            row: dict[str, Any] = {"type": "begin_group", "name": section.id or f"section_{n}"}
            row |= self.texts("label", section.title) | {"appearance": "field-list"}
            if section.id is None:
                row["feedback"] = json.dumps({"id": None})
            self.rows.append(row)
            if section.intro is not None:
                self.rows.append(
                    {"type": "note", "name": f"{row['name']}_intro", "feedback": '{"intro": true}'}
                    | self.texts("label", section.intro)
                )
            for q in section.questions:
                self.question(q)
            self.rows.append({"type": "end_group"})

    def settings(self) -> dict[str, Any]:
        survey = self.survey
        data = survey.model_dump(mode="json", exclude_defaults=True)
        extras = {k: v for k, v in data.items() if k not in ("id", "questions", "sections")}
        extras.pop("languages", None)
        if isinstance(survey.title, str):
            extras.pop("title")
        if "scales" in extras:
            extras["scales"] = list(survey.scales)
        row = {
            "form_title": survey.text(survey.title),
            "form_id": survey.id,
            "version": survey.version,
        }
        if len(self.languages) > 1 or any(isinstance(t, dict) for _, t in _all_texts(survey)):
            row["default_language"] = language_column("", self.languages[0]).removeprefix("::")
        if extras:
            row["feedback"] = json.dumps(extras, ensure_ascii=False)
        return row


def _all_texts(survey: Survey) -> list[tuple[Any, Any]]:
    return [(q.id, text) for q in survey.all_questions() for _, text in q.texts()]


def _sheet(book: Any, title: str, rows: list[dict[str, Any]], first: list[str]) -> None:
    from feedback.exporting import neutralise

    sheet = book.create_sheet(title)
    columns = list(first)
    for row in rows:
        columns += [c for c in row if c not in columns]
    sheet.append(columns)
    for row in rows:
        sheet.append([neutralise(row.get(c)) for c in columns])


def xlsform_bytes(survey: Survey) -> bytes:
    """The survey as an XLSForm workbook (the bytes of an ``.xlsx`` file).

    :raises InvalidInput: a question of a type XLSForm has no counterpart for.
    """
    from openpyxl import Workbook

    sheets = Sheets(survey)
    sheets.walk()
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _sheet(book, "survey", sheets.rows, ["type", "name"])
    _sheet(book, "choices", sheets.choices, ["list_name", "name"])
    _sheet(book, "settings", [sheets.settings()], ["form_title", "form_id"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_xlsform(survey: Survey, path: Path) -> None:
    """Write the survey as an XLSForm at ``path``, whole or not at all."""
    from feedback.files import write_bytes

    write_bytes(path, xlsform_bytes(survey))
