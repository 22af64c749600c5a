"""The entry template: a CSV in which staff key in paper forms, one form per row, and its reader.

The template starts with lines beginning with ``#``: first the machine-readable line::

    # feedback entry template: event=hague-2011 survey=post-seminar version=<version> form=K7Q-2M9

then a legend of every column's codes (`feedback_offline.codes`). Then the header row
``number,language,date,<question columns>``: a then/now question has two columns (``<id>.then`` and
``<id>.now``), a note none. ``number`` is the No. staff wrote on the paper form (required, each once
in a file); ``language`` is optional (the survey's first); ``date`` is optional (the event's date;
required when the event has none).

The file is written as UTF-8 with a byte order mark, so that spreadsheets open it as UTF-8. The
reader takes it back as a spreadsheet saves it: commas, semicolons or tabs between cells, with or
without the byte order mark. Lines starting with ``#`` and empty rows are skipped anywhere; rows
are counted as a spreadsheet counts them, so ``row 7`` is the seventh row of the file, its ``#``
lines included.

Each row becomes a response with an id made from event, survey, version and number: reading the
same file again gives the same responses, which the engine stores once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feedback.engine import Engine
from feedback.errors import InvalidInput, Problem, did_you_mean
from feedback.i18n import long_date
from feedback.roster import text_byte
from feedback.survey import Survey, ThenNow
from feedback_offline.codes import (
    CodeError,
    Column,
    answer_columns,
    decode,
    form_code,
    legend,
    same_form_code,
)
from feedback_offline.paper_words import words

MARK = "feedback entry template:"
FIXED = ("number", "language", "date")
HEADER_KEYS = ("event", "survey", "version", "form")
CHANNEL = "paper"
MAX_BYTES = 50 * 1024 * 1024
#: The namespace of the response ids made from "event/survey/version/number" (uuid5).
NAMESPACE = uuid.UUID("8d7f3c52-5b1e-4c2a-9e61-0f3a9b6d2e47")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def response_id(event: str, survey_id: str, version: str, number: int) -> str:
    """The id of the response keyed in from paper form ``number``: the same on every import."""
    return str(uuid.uuid5(NAMESPACE, f"{event}/{survey_id}/{version}/{number}"))


# -- writing -------------------------------------------------------------------------------------


def template_line(event: str, survey: Survey) -> str:
    """The machine-readable first line (without a line end)."""
    code = form_code(event, survey.id, survey.version)
    return f"# {MARK} event={event} survey={survey.id} version={survey.version} form={code}"


def template_csv(event: dict[str, Any], survey: Survey, language: str) -> str:
    """The text of an empty entry template for ``event`` (a row of the events table)."""
    w = words(language)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    title = " - ".join(
        part
        for part in (
            survey.text(survey.title, language),
            event.get("title") or event["id"],
            long_date(event.get("date"), language),
            f"{w['form'].lower()} {form_code(event['id'], survey.id, survey.version)}",
        )
        if part
    )
    date_words = (
        w["legend_date"].format(default=event["date"])
        if event.get("date")
        else w["legend_date_required"]
    )
    lines = [
        template_line(event["id"], survey),
        f"# {title}",
        f"# number: {w['legend_number']}",
        "# language: "
        + w["legend_language"].format(
            languages=", ".join(survey.languages), default=survey.languages[0]
        ),
        f"# date: {date_words}",
        *(f"# {line}" for line in legend(survey, language)),
    ]
    for line in lines:
        writer.writerow([line])
    writer.writerow([*FIXED, *(c.name for c in answer_columns(survey))])
    return out.getvalue()


# -- reading -------------------------------------------------------------------------------------


@dataclass
class EntryFile:
    """A filled entry template, read: which form it is for, and a response (or the problem that
    stopped one) per row, ready for `feedback.engine.Engine.submit_many`."""

    path: Path
    event: str
    survey: str
    version: str
    form: str
    items: list[tuple[str, dict[str, Any] | Exception]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.items)


class EntryFileError(InvalidInput):
    """The file cannot be read as an entry template (its header); nothing of it was used."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(p.render(path) for p in problems))


class RowProblem(InvalidInput):
    """What is wrong with a row's cells (the item `read_entry_csv` gives for the row)."""


def read_entry_csv(engine: Engine, path: Path) -> EntryFile:
    """Read a filled entry template into responses, one per row, for ``engine.submit_many``.

    :raises EntryFileError: the file is missing, not UTF-8, or its ``#`` line or header row is
        wrong (unknown event, survey version or column; missing ``number``; a column twice).
    :returns: the file's event, survey, version and form code, and ``items``: for each row
        ``("<path> row <n>", response dict)``, or for a row with cells that are no codes
        ``("<path> row <n>, column '<name>'", exception)`` saying what was expected and found.
    """
    text = _text(path)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _records(reader, path)
    found: dict[str, str] | None = None
    header: list[str] | None = None
    header_row = 0
    for number, cells in rows:
        if _blank(cells):
            continue
        if _comment(cells):
            if found is None:
                found = _template_keys(cells[0], path, number)
            continue
        header, header_row = [c.strip().lower() for c in cells], number
        break
    if found is None:
        raise EntryFileError(
            path,
            [
                Problem(
                    f"expected the line '# {MARK} event=... survey=... version=... form=...' "
                    "before the header row: write the template with `feedback offline template`",
                    line=header_row or 1,
                )
            ],
        )
    event, survey = _form(engine, path, found)
    if header is None:
        raise EntryFileError(
            path, [Problem(f"expected a header row ({', '.join(FIXED)}, ...), found none")]
        )
    while header and not header[-1]:
        header.pop()  # a spreadsheet pads rows with empty cells
    columns = _header(header, header_row, survey, event, path)
    code = form_code(event["id"], survey.id, survey.version)  # as printed, however it was typed
    entry = EntryFile(path, event["id"], survey.id, survey.version, code)
    reading = _Rows(entry, event, survey, header, columns)
    for number, cells in rows:
        if _blank(cells) or _comment(cells):
            continue
        entry.items.append(reading.row(number, cells))
    return entry


def _records(reader: Any, path: Path) -> Iterator[tuple[int, list[str]]]:
    """The rows, numbered from 1 as a spreadsheet numbers them."""
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise EntryFileError(
            path, [Problem(f"cannot read the CSV: {exc}", line=reader.line_num)]
        ) from exc


def _text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise EntryFileError(
                path, [Problem(f"too large for an entry file (over {MAX_BYTES:,} bytes)")]
            )
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise EntryFileError(path, [Problem("no such file")]) from exc
    except IsADirectoryError as exc:
        raise EntryFileError(path, [Problem("expected a CSV file, found a folder")]) from exc
    except OSError as exc:
        raise EntryFileError(path, [Problem(f"cannot read: {exc.strerror or exc}")]) from exc
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        message = (
            f"expected UTF-8 text, found byte 0x{text_byte(exc)} "
            "(save the file as 'CSV UTF-8' in your spreadsheet)"
        )
        raise EntryFileError(path, [Problem(message, line=line)]) from exc


def _delimiter(text: str) -> str:
    """The cell separator of the header row (``#`` lines and empty lines skipped): a spreadsheet
    may save with commas, semicolons or tabs."""
    for line in text.splitlines():
        bare = line.strip()
        if not bare.strip(",;\t") or bare.lstrip('"').startswith("#"):
            continue
        return max(",;\t", key=bare.count)
    return ","


def _blank(cells: list[str]) -> bool:
    return not any(c.strip() for c in cells)


def _comment(cells: list[str]) -> bool:
    return bool(cells) and cells[0].lstrip().startswith("#")


def _template_keys(cell: str, path: Path, row: int) -> dict[str, str] | None:
    body = cell.lstrip().lstrip("#").strip()
    if not body.lower().startswith(MARK):
        return None
    pairs = dict(part.split("=", 1) for part in body[len(MARK) :].split() if "=" in part)
    missing = [k for k in HEADER_KEYS if not pairs.get(k)]
    if missing:
        raise EntryFileError(
            path,
            [
                Problem(
                    f"the template line lacks {', '.join(missing)}: expected "
                    f"'# {MARK} event=... survey=... version=... form=...', found {cell.strip()!r}",
                    line=row,
                )
            ],
        )
    pairs["row"] = str(row)
    return pairs


def _form(engine: Engine, path: Path, found: dict[str, str]) -> tuple[dict[str, Any], Survey]:
    """The event and the survey version a template line names; its form code checked."""
    row = int(found["row"])
    event = engine.store.event(found["event"])
    if event is None:
        hint = did_you_mean(found["event"], engine.store.event_ids())
        raise EntryFileError(path, [Problem(f"unknown event '{found['event']}'{hint}", line=row)])
    try:
        survey = engine.survey(found["survey"], found["version"])
    except InvalidInput as exc:
        raise EntryFileError(path, [Problem(str(exc), line=row)]) from exc
    code = form_code(event["id"], survey.id, survey.version)
    if not same_form_code(found["form"], code):
        raise EntryFileError(
            path,
            [
                Problem(
                    f"form code '{found['form']}' does not belong to event '{event['id']}', "
                    f"survey '{survey.id}' version {survey.version} (expected '{code}'): "
                    "the template line was changed",
                    line=row,
                )
            ],
        )
    return event, survey


def _header(
    header: list[str], row: int, survey: Survey, event: dict[str, Any], path: Path
) -> dict[str, Column]:
    known = {c.name: c for c in answer_columns(survey)}
    names = [*FIXED, *known]
    problems = []
    for index, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(f"column {index} has no name", line=row))
        elif name not in names:
            question = survey.by_id.get(name)
            if question is not None and not question.answerable:
                hint = f"; '{name}' is a note, which has no column"
            elif isinstance(question, ThenNow):
                hint = f"; a then/now question has two columns, '{name}.then' and '{name}.now'"
            else:
                hint = did_you_mean(name, names)
            problems.append(Problem(f"unknown column '{name}'{hint}", line=row))
    for name in sorted({n for n in header if n and header.count(n) > 1}):
        problems.append(Problem(f"column '{name}' appears twice in the header", line=row))
    if "number" not in header:
        problems.append(
            Problem("missing column 'number' (the No. written on the paper form)", line=row)
        )
    if "date" not in header and not event.get("date"):
        problems.append(
            Problem(
                f"missing column 'date': the event '{event['id']}' has no date, so each row "
                "needs one",
                line=row,
            )
        )
    for name in header:
        column = known.get(name)
        if column is not None and column.part is not None:
            other = f"{column.question.id}.{'now' if column.part == 'then' else 'then'}"
            if other not in header:
                problems.append(
                    Problem(f"column '{name}' is there but '{other}' is missing", line=row)
                )
    if problems:
        raise EntryFileError(path, problems)
    return {name: known[name] for name in header if name in known}


class _Rows:
    """Turns the rows of one file into responses (or the problems of their cells)."""

    def __init__(
        self,
        entry: EntryFile,
        event: dict[str, Any],
        survey: Survey,
        header: list[str],
        columns: dict[str, Column],
    ):
        self.entry = entry
        self.event = event
        self.survey = survey
        self.header = header
        self.columns = columns
        self.languages = {language.lower(): language for language in survey.languages}
        self.seen: dict[int, int] = {}

    def row(self, row: int, cells: list[str]) -> tuple[str, dict[str, Any] | Exception]:
        where = f"{self.entry.path} row {row}"
        problems: list[tuple[str | None, str]] = []
        extra = [i for i, c in enumerate(cells[len(self.header) :], len(self.header)) if c.strip()]
        if extra:
            problems.append(
                (None, f"expected {len(self.header)} cells, found a value in cell {extra[0] + 1}")
            )
        values = {
            name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(self.header)
        }
        number = self._number(values, row, problems)
        language = self._language(values, problems)
        submitted = self._date(values, problems)
        answers = self._answers(values, problems)
        if problems:
            if len(problems) == 1 and problems[0][0] is not None:
                return f"{where}, column '{problems[0][0]}'", RowProblem(problems[0][1])
            return where, RowProblem(
                "; ".join(f"column '{c}': {m}" if c else m for c, m in problems)
            )
        assert number is not None
        return where, {
            "id": response_id(self.entry.event, self.entry.survey, self.entry.version, number),
            "survey": self.entry.survey,
            "survey_version": self.entry.version,
            "event": self.entry.event,
            "channel": CHANNEL,
            "language": language,
            "submitted": submitted,
            "answers": answers,
        }

    def _number(
        self, values: dict[str, str], row: int, problems: list[tuple[str | None, str]]
    ) -> int | None:
        text = values["number"]
        if not text:
            problems.append(("number", "expected the No. written on the paper form, found nothing"))
            return None
        if not text.isdigit() or int(text) < 1:
            problems.append(
                (
                    "number",
                    f"expected the No. written on the paper form (a whole number from 1), "
                    f"found {text!r}",
                )
            )
            return None
        number = int(text)
        if number in self.seen:
            problems.append(("number", f"number {number} is also on row {self.seen[number]}"))
            return None
        self.seen[number] = row
        return number

    def _language(self, values: dict[str, str], problems: list[tuple[str | None, str]]) -> str:
        text = values.get("language", "")
        if not text:
            return self.survey.languages[0]
        language = self.languages.get(text.lower())
        if language is None:
            problems.append(
                (
                    "language",
                    f"expected one of {', '.join(self.survey.languages)} (or nothing for "
                    f"{self.survey.languages[0]}), found {text!r}"
                    + did_you_mean(text.lower(), self.languages),
                )
            )
            return text
        return language

    def _date(self, values: dict[str, str], problems: list[tuple[str | None, str]]) -> str | None:
        text = values.get("date", "")
        if not text:
            if self.event.get("date"):
                return str(self.event["date"])[:10]
            problems.append(
                ("date", "expected the date the form was filled in (YYYY-MM-DD), found nothing")
            )
            return None
        try:
            if not DATE.match(text):
                raise ValueError
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            problems.append(
                (
                    "date",
                    f"expected a date as YYYY-MM-DD, found {text!r} (if your spreadsheet "
                    "changed the dates, format the column as text)",
                )
            )
            return None

    def _answers(
        self, values: dict[str, str], problems: list[tuple[str | None, str]]
    ) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for name, column in self.columns.items():
            question = column.question
            text = values[name]
            if column.part == "now":
                continue  # read with its "then" column
            try:
                if column.part == "then":
                    now_name = f"{question.id}.now"
                    now = values[now_name]
                    if text and now:
                        answers[question.id] = {
                            "then": self._decode(question, text, name),
                            "now": self._decode(question, now, now_name),
                        }
                    elif text or now:
                        empty, filled = (now_name, name) if text else (name, now_name)
                        problems.append(
                            (
                                empty,
                                f"expected an answer in both '{name}' and '{now_name}' (a "
                                f"then/now question needs both rows), found only '{filled}'",
                            )
                        )
                elif text:
                    answers[question.id] = self._decode(question, text, name)
            except _CellError as exc:
                problems.append((exc.column, str(exc)))
        return answers

    @staticmethod
    def _decode(question: Any, text: str, column: str) -> Any:
        try:
            return decode(question, text)
        except CodeError as exc:
            raise _CellError(str(exc), column) from exc


class _CellError(Exception):
    def __init__(self, message: str, column: str):
        super().__init__(message)
        self.column = column
