"""An XLSForm (the ``survey``, ``choices`` and ``settings`` sheets) read into our survey data.

The workbook is read by pyxform's own reader (`pyxform.xls2json_backends.get_xlsform`: the cells
as KoboToolbox and ODK see them, empty rows kept so row numbers hold) and its column names by
pyxform's (`pyxform.parsing.sheet_headers.process_header`: aliases such as ``relevance`` for
``relevant``, and ``label::Français (fr)`` split into the column and its language). What the
rows mean is mapped here, type by type; whatever has no counterpart in our surveys is a problem
naming the sheet, the row and the column, and every problem is reported before the form is
refused: nothing is dropped in silence.

Our own fields that XLSForm has no column for (``measures``, a scale's N/A point, a then/now
question ...) travel in a column named ``feedback`` holding JSON, which `feedback_xlsform.writing`
fills, so that a survey goes to KoboToolbox and comes back unchanged. KoboToolbox's bookkeeping
columns (``$kuid``, ``$autoname`` ...) are not content and are passed over.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feedback.errors import Problem, SurveyError
from feedback_xlsform.expressions import (
    ExpressionError,
    parse_date_range,
    parse_range,
    parse_relevant,
)

#: ``English (en)`` -> ``en``: the language code KoboToolbox writes after a language's name
LANGUAGE = re.compile(r"\(\s*([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\s*\)\s*$")
#: appearances that only say how a form is drawn, which our channels decide for themselves
DISPLAY_ONLY = {
    "select": {
        "minimal",
        "horizontal",
        "horizontal-compact",
        "likert",
        "columns",
        "compact",
        "quick",
    },
    "group": {"field-list"},
}
#: metadata rows: no question; ``end`` may date a submission (`feedback_xlsform.submissions`)
METADATA = {"start", "end", "today"}
#: the columns of each sheet we read (pyxform's names, after its aliases)
SURVEY_COLUMNS = {
    "type", "name", "label", "hint", "feedback",
    "bind:required", "bind:relevant", "bind:constraint", "control:appearance",
}  # fmt: skip
CHOICES_COLUMNS = {"list name", "name", "label", "feedback"}  # pyxform says "list name"
SETTINGS_COLUMNS = {"title", "id_string", "default_language", "version", "style", "feedback"}

Text = str | dict[str, str]


@dataclass
class Cell:
    column: str  # as written in the sheet, for messages
    value: str


@dataclass
class Row:
    """One row of a sheet: its number in the spreadsheet and its cells by our column key
    (``label``, ``bind:relevant``; texts by ``label`` and language name)."""

    number: int
    cells: dict[str, Cell] = field(default_factory=dict)
    texts: dict[str, dict[str | None, Cell]] = field(default_factory=dict)

    def get(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.value if cell is not None else ""

    def column(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.column if cell is not None else key.split(":")[-1]


class Problems:
    """Every problem of a workbook, each with its sheet, row and column."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        where = f"{sheet} sheet" + (f", row {row}" if row else "")
        where += f', column "{column}"' if column else ""
        self.items.append(Problem(f"{where}: {message}"))


def _rows(
    sheet: str,
    data: list[dict[str, Any]] | None,
    header: list[dict[str, Any]] | None,
    aliases: dict[str, Any],
    known: set[str],
    problems: Problems,
    languages: list[tuple[str, str]] | None = None,
) -> list[Row]:
    from pyxform.parsing.sheet_headers import process_header

    headers = list((header or [{}])[0]) if header else []
    double = any("::" in h for h in headers)
    keys: dict[str, tuple[str, ...]] = {}
    for name in headers:
        if name.startswith("$"):  # KoboToolbox's bookkeeping ($kuid, $autoname ...)
            continue
        _, tokens = process_header(name, double, aliases, known | {"feedback"})
        keys[name] = tuple(tokens)
        if languages is not None and tokens[0] in ("label", "hint") and len(tokens) == 2:
            languages.append((name, tokens[1]))
    rows = []
    for i, raw in enumerate(data or []):
        row = Row(i + 2)  # the header is row 1
        for name, value in raw.items():
            if name not in keys or value is None or str(value).strip() == "":
                continue
            tokens = keys[name]
            cell = Cell(name, str(value).strip())
            if tokens[0] in ("label", "hint") and len(tokens) <= 2:
                row.texts.setdefault(tokens[0], {})[tokens[1] if len(tokens) == 2 else None] = cell
            elif ":".join(tokens) in SURVEY_COLUMNS | CHOICES_COLUMNS | SETTINGS_COLUMNS:
                row.cells[":".join(tokens)] = cell
            else:
                problems.add(sheet, row.number, name, "this column cannot be carried over")
        if row.cells or row.texts:
            rows.append(row)
    return rows


class Reader:
    """One workbook's survey data, built row by row; `read_xlsform` is the way in."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems = Problems()
        self.languages: list[str] = []
        self.default: str | None = None
        self.kinds: dict[str, str] = {}
        self.positions: dict[tuple[str | int, ...], tuple[int, int]] = {}

    # -- cells ----------------------------------------------------------------------------------

    def code(self, sheet: str, row: int, column: str, name: str | None) -> str | None:
        if name is None:
            return self.default
        match = LANGUAGE.search(name)
        if match is None:
            self.problems.add(
                sheet, row, column, f"cannot tell the language of {name!r}: write its code after "
                "it, as KoboToolbox does (label::English (en))"
            )  # fmt: skip
            return None
        if match.group(1) not in self.languages:
            self.languages.append(match.group(1))
        return match.group(1)

    def text(self, sheet: str, row: Row, key: str) -> Text | None:
        cells = row.texts.get(key)
        if not cells:
            return None
        if list(cells) == [None]:  # one text for every language
            return cells[None].value
        out: dict[str, str] = {}
        for name, cell in cells.items():
            code = self.code(sheet, row.number, cell.column, name)
            if code is None and name is None:
                self.problems.add(
                    sheet, row.number, cell.column, "a text without a language next to texts "
                    "with one: name the form's default_language in the settings sheet"
                )  # fmt: skip
            elif code is not None:
                out[code] = cell.value
        return out

    def extras(self, sheet: str, row: Row) -> dict[str, Any]:
        raw = row.get("feedback")
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError as exc:
            self.problems.add(sheet, row.number, row.column("feedback"), f"not JSON: {exc}")
            return {}
        if not isinstance(value, dict):
            self.problems.add(sheet, row.number, row.column("feedback"), "expected a JSON object")
            return {}
        return value

    def flag(self, row: Row, key: str) -> bool:
        from pyxform import aliases

        raw = row.get(key)
        if not raw:
            return False
        if raw in aliases.yes_no:
            return bool(aliases.yes_no[raw])
        self.problems.add(
            "survey", row.number, row.column(key), f"cannot carry over {raw!r}: only yes or no"
        )
        return False


def read_xlsform(path: Path) -> tuple[dict[str, Any], dict[tuple[str | int, ...], tuple[int, int]]]:
    """The survey data of an XLSForm and the spreadsheet row of each question.

    :raises SurveyError: the workbook cannot be read, or has anything we cannot carry over
        (every such problem listed, with its sheet, row and column).
    """
    from pyxform import aliases
    from pyxform.errors import PyXFormError
    from pyxform.question import MultipleChoiceQuestion, Option
    from pyxform.survey import Survey as PyxformSurvey
    from pyxform.xls2json_backends import get_xlsform

    try:
        book = get_xlsform(str(path))
    except PyXFormError as exc:
        raise SurveyError(path, [Problem(f"cannot read the workbook: {exc}")]) from exc
    if not book.survey:
        raise SurveyError(path, [Problem("not an XLSForm: no sheet named 'survey'")])
    reader = Reader(path)
    problems = reader.problems
    settings = _rows(
        "settings", book.settings, book.settings_header, aliases.settings_header,
        set(PyxformSurvey.get_slot_names()) | SETTINGS_COLUMNS, problems,
    )  # fmt: skip
    choices = _rows(
        "choices", book.choices, book.choices_header, aliases.list_header,
        set(Option.get_slot_names()) | CHOICES_COLUMNS, problems,
    )  # fmt: skip
    columns: list[tuple[str, str]] = []
    survey = _rows(
        "survey", book.survey, book.survey_header, aliases.survey_header,
        set(MultipleChoiceQuestion.get_slot_names()), problems, columns,
    )  # fmt: skip
    setting = settings[0] if settings else Row(2)
    for extra in settings[1:]:
        problems.add("settings", extra.number, None, "only the first row of settings is read")
    if setting.get("default_language"):
        reader.default = reader.code(
            "settings", setting.number, setting.column("default_language"),
            setting.get("default_language"),
        )  # fmt: skip
    for column, name in columns:  # the form's languages: the default first, then as written
        reader.code("survey", 1, column, name)
    data: dict[str, Any] = {
        "id": setting.get("id_string") or (book.fallback_form_name or path.stem),
        "title": setting.get("title") or setting.get("id_string") or path.stem,
    }
    survey_extras = reader.extras("settings", setting)
    scale_names = survey_extras.pop("scales", [])
    lists = _choice_lists(reader, choices)
    from feedback_xlsform.questions import build_questions

    body = build_questions(reader, survey, lists, scale_names)
    data.update(body)
    if reader.languages:
        data["languages"] = reader.languages
    data.update(survey_extras)
    scales = {}
    for name in scale_names:
        if name not in lists:
            problems.add("settings", setting.number, "feedback", f"no choice list {name!r}")
        else:
            scales[name] = scale_of(lists[name][1])
    if scales:
        data["scales"] = scales
    if problems.items:
        raise SurveyError(path, problems.items)
    return data, reader.positions


ChoiceLists = dict[str, tuple[int, list[dict[str, Any]]]]


def _choice_lists(reader: Reader, rows: list[Row]) -> ChoiceLists:
    lists: ChoiceLists = {}
    for row in rows:
        name, value = row.get("list name"), row.get("name")
        if not name or not value:
            missing = "list_name" if not name else "name"
            reader.problems.add("choices", row.number, missing, f"no {missing}")
            continue
        option: dict[str, Any] = {"id": value}
        label = reader.text("choices", row, "label")
        if label is not None:
            option["label"] = label
        option.update(reader.extras("choices", row))
        lists.setdefault(name, (row.number, []))[1].append(option)
    return lists


def scale_of(options: list[dict[str, Any]]) -> dict[str, Any]:
    """A scale from its choice list: the points, and the one marked ``"na": true`` apart."""
    points = [{k: v for k, v in o.items() if k != "na"} for o in options if not o.get("na")]
    scale: dict[str, Any] = {"points": points}
    na = [{k: v for k, v in o.items() if k != "na"} for o in options if o.get("na")]
    if na:
        scale["na"] = na[0]
    return scale


def relevance(reader: Reader, row: Row) -> Any:
    """The ``show_if`` of a row's ``relevant`` (a condition), or ``None``."""
    text = row.get("bind:relevant")
    if not text:
        return None
    try:
        return parse_relevant(text, reader.kinds)
    except ExpressionError as exc:
        reader.problems.add("survey", row.number, row.column("bind:relevant"), str(exc))
        return None


def date_range(reader: Reader, row: Row) -> dict[str, Any]:
    """A date question's ``min`` and ``max`` from its ``constraint``, if it has one."""
    text = row.get("bind:constraint")
    if not text:
        return {}
    try:
        low, high = parse_date_range(text)
    except ExpressionError as exc:
        reader.problems.add("survey", row.number, row.column("bind:constraint"), str(exc))
        return {}
    return {k: v for k, v in (("min", low), ("max", high)) if v is not None}


def number_range(reader: Reader, row: Row, cast: Callable[[float], Any]) -> dict[str, Any]:
    text = row.get("bind:constraint")
    if not text:
        return {}
    try:
        low, high = parse_range(text)
    except ExpressionError as exc:
        reader.problems.add("survey", row.number, row.column("bind:constraint"), str(exc))
        return {}
    return {k: cast(v) for k, v in (("min", low), ("max", high)) if v is not None}
