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
same file again gives the same responses, which the engine stores once. A paper form is entered
once: a row whose No. is already stored for the event and survey with other content (another
language, date or answers), or under another version of the survey, is refused with a message that
names the No. (`PaperForms.rekeyed`), so the file is not stored and nothing goes to the conflicts
table.

`PaperForms` is what every way of keying in paper forms shares (this template, a data-entry
screen): the No., language and date of a form read and checked the same way, the date defaulting to
the event's date (never today), the check that a No. is not entered yet (`PaperForms.check_new`),
and the response a form becomes. It is this plugin's `feedback.paper_entry.PaperEntry`: a
data-entry screen of another plugin gets it through the ``paper_entry`` hook, and its words (what is
wrong with a heading, in the staff's language; "1 form entered", "2 forms entered") are the core's,
`feedback.paper_entry`. Only a row of the template adds the spreadsheet's hint to a wrong date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feedback.engine import Engine
from feedback.errors import InvalidInput, Problem, did_you_mean
from feedback.i18n import long_date
from feedback.paper_entry import (
    FormAlreadyEntered,
    FormHeading,
    HeadingProblem,
    date_problem,
    language_problem,
    number_problem,
)
from feedback.question_types import QuestionTypes
from feedback.responses import Response, stored_row
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
#: added to a wrong date in a row of the template (not on a data-entry screen)
SPREADSHEET_DATES = " (if your spreadsheet changed the dates, format the column as text)"


def response_id(event: str, survey_id: str, version: str, number: int) -> str:
    """The id of the response keyed in from paper form ``number``: the same on every import."""
    return str(uuid.uuid5(NAMESPACE, f"{event}/{survey_id}/{version}/{number}"))


# -- one form ------------------------------------------------------------------------------------


class PaperForms:
    """Keying in the paper forms of one event and one survey version, wherever they are keyed in
    (a row of the entry template, a data-entry screen): each form's No., language and date read
    and checked the same way, the response it becomes, and whether its No. is entered already.
    This plugin's `feedback.paper_entry.PaperEntry` (the ``paper_entry`` hook's answer).

    The messages of a wrong No., language or date are in ``staff_language`` (English for the
    template, whose problems the command line shows)."""

    def __init__(self, engine: Engine, event: dict[str, Any], survey: Survey):
        self.engine = engine
        self.event = event
        self.survey = survey
        self.languages = {language.lower(): language for language in survey.languages}

    @property
    def default_language(self) -> str:
        """The language of a form when none is keyed in: the survey's first."""
        return self.survey.languages[0]

    @property
    def default_date(self) -> str | None:
        """The date of a form when none is keyed in: the event's date (not today); ``None`` when
        the event has no date, and then each form needs its own."""
        date = self.event.get("date")
        return str(date)[:10] if date else None

    def number(self, text: str, staff_language: str = "en") -> int:
        """The No. written on the paper form, from what was keyed in.

        :raises ValueError: nothing, or not a whole number from 1 (the message says which).
        """
        text = text.strip()
        if not text.isdigit() or int(text) < 1:
            raise ValueError(number_problem(text, staff_language))
        return int(text)

    def language(self, text: str, staff_language: str = "en") -> str:
        """The form's language (any case); the survey's first for nothing.

        :raises ValueError: not a language of the survey.
        """
        text = text.strip()
        if not text:
            return self.default_language
        language = self.languages.get(text.lower())
        if language is None:
            raise ValueError(language_problem(text, list(self.survey.languages), staff_language))
        return language

    def date(self, text: str, staff_language: str = "en") -> str:
        """The date on the form as ``YYYY-MM-DD``; the event's date for nothing.

        :raises ValueError: not a date, or nothing when the event has no date.
        """
        text = text.strip()
        if not text:
            if self.default_date:
                return self.default_date
            raise ValueError(date_problem(text, staff_language))
        try:
            if not DATE.match(text):
                raise ValueError
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(date_problem(text, staff_language)) from None

    def heading(
        self, number: str, language: str = "", date: str = "", staff_language: str = "en"
    ) -> FormHeading:
        """The No., language and date of a form as keyed in, each checked.

        :raises HeadingProblem: every field that is wrong, with what was expected and found, in
            ``staff_language``.
        """
        problems: dict[str, str] = {}
        values: dict[str, Any] = {}
        for name, read, text in (
            ("number", self.number, number),
            ("language", self.language, language),
            ("date", self.date, date),
        ):
            try:
                values[name] = read(text, staff_language)
            except ValueError as exc:
                problems[name] = str(exc)
        if problems:
            raise HeadingProblem(problems)
        return FormHeading(**values)

    def response_id(self, number: int, version: str | None = None) -> str:
        """The id of the response of form ``number`` (of ``version``, else this survey's)."""
        return response_id(self.event["id"], self.survey.id, version or self.survey.version, number)

    def response(self, heading: FormHeading, answers: dict[str, Any]) -> dict[str, Any]:
        """The response a form becomes, for `feedback.engine.Engine.submit`: its id made from
        event, survey, version and No., so that the same form entered again is stored once."""
        return {
            "id": self.response_id(heading.number),
            "survey": self.survey.id,
            "survey_version": self.survey.version,
            "event": self.event["id"],
            "channel": CHANNEL,
            "language": heading.language,
            "submitted": heading.date,
            "answers": answers,
        }

    def _other_versions(self) -> list[str]:
        return [
            str(row["version"])
            for row in self.engine.store.survey_versions(self.survey.id)
            if row["version"] != self.survey.version
        ]

    def entered(self, numbers: list[int]) -> dict[int, tuple[str, str]]:
        """Which of ``numbers`` are stored for this event and survey, in any version:
        ``{number: (survey version, content hash)}``."""
        found: dict[int, tuple[str, str]] = {}
        for version in [self.survey.version, *self._other_versions()]:
            ids = {self.response_id(n, version): n for n in numbers if n not in found}
            for rid, (digest, _) in self.engine.store.stored_hashes(list(ids)).items():
                found[ids[rid]] = (version, digest)
        return found

    def already_entered(self, number: int, version: str | None = None) -> str:
        """The message that form ``number`` is entered already (under ``version``)."""
        if version is not None and version != self.survey.version:
            code = form_code(self.event["id"], self.survey.id, version)
            where = f" from a form of another version of the survey (form {code})"
        else:
            where = ""
        return (
            f"form No. {number} is already entered{where}: each paper form is entered once; "
            f"check the No. written on this form (if two forms carry No. {number}, write a new "
            "No. on one of them)"
        )

    def check_new(self, number: int) -> None:
        """Refuse a No. already entered, before its answers are keyed in.

        :raises FormAlreadyEntered: the No. is stored for this event and survey.
        """
        found = self.entered([number]).get(number)
        if found is not None:
            raise FormAlreadyEntered(number, self.already_entered(number, found[0]))

    def rekeyed(self, responses: dict[int, dict[str, Any]]) -> dict[int, str]:
        """The forms among ``responses`` (``{number: response}``) whose No. is entered already
        with other content, or under another version: ``{number: message}``. A form stored with
        the same content is not among them: entering it again stores nothing and is no error."""
        found = self.entered(list(responses))
        out: dict[int, str] = {}
        for number, (version, digest) in found.items():
            if version == self.survey.version and digest == _digest(responses[number]):
                continue
            message = self.already_entered(number, version)
            if version == self.survey.version:
                message = message.replace(
                    " is already entered:", " is already entered with other answers:", 1
                )
            out[number] = message
        return out


def _digest(response: dict[str, Any]) -> str | None:
    """The content hash the engine stores for ``response`` (``None`` if it is not valid)."""
    try:
        return str(stored_row(Response.model_validate(response).record())[-1])
    except ValueError:
        return None


# -- writing -------------------------------------------------------------------------------------


def template_line(event: str, survey: Survey) -> str:
    """The machine-readable first line (without a line end)."""
    code = form_code(event, survey.id, survey.version)
    return f"# {MARK} event={event} survey={survey.id} version={survey.version} form={code}"


def template_csv(
    event: dict[str, Any], survey: Survey, language: str, types: QuestionTypes | None = None
) -> str:
    """The text of an empty entry template for ``event`` (a row of the events table);
    ``types``: the engine's question types, whose paper layouts say what each cell holds."""
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
        *(f"# {line}" for line in legend(survey, language, types)),
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
    reading = _Rows(entry, PaperForms(engine, event, survey), header, columns)
    for number, cells in rows:
        if _blank(cells) or _comment(cells):
            continue
        entry.items.append(reading.row(number, cells))
    reading.refuse_rekeyed()
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
        forms: PaperForms,
        header: list[str],
        columns: dict[str, Column],
    ):
        self.entry = entry
        self.forms = forms
        self.header = header
        self.columns = columns
        self.seen: dict[int, int] = {}
        #: the index in ``entry.items`` of each form No. read as a response
        self.responses: dict[int, int] = {}

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
        language = self._field("language", self.forms.language, values, problems)
        submitted = self._field("date", self.forms.date, values, problems, SPREADSHEET_DATES)
        answers = self._answers(values, problems)
        if problems:
            if len(problems) == 1 and problems[0][0] is not None:
                return f"{where}, column '{problems[0][0]}'", RowProblem(problems[0][1])
            return where, RowProblem(
                "; ".join(f"column '{c}': {m}" if c else m for c, m in problems)
            )
        assert number is not None and language is not None and submitted is not None
        self.responses[number] = len(self.entry.items)
        return where, self.forms.response(FormHeading(number, language, submitted), answers)

    def refuse_rekeyed(self) -> None:
        """Every row whose No. is entered already with other content becomes its problem."""
        responses = {
            number: item
            for number, index in self.responses.items()
            if isinstance(item := self.entry.items[index][1], dict)
        }
        for number, message in sorted(self.forms.rekeyed(responses).items()):
            index = self.responses[number]
            where = self.entry.items[index][0]
            self.entry.items[index] = (f"{where}, column 'number'", RowProblem(message))

    def _number(
        self, values: dict[str, str], row: int, problems: list[tuple[str | None, str]]
    ) -> int | None:
        try:
            number = self.forms.number(values["number"])
        except ValueError as exc:
            problems.append(("number", str(exc)))
            return None
        if number in self.seen:
            problems.append(("number", f"number {number} is also on row {self.seen[number]}"))
            return None
        self.seen[number] = row
        return number

    @staticmethod
    def _field(
        name: str,
        read: Callable[[str], str],
        values: dict[str, str],
        problems: list[tuple[str | None, str]],
        hint: str = "",
    ) -> str | None:
        """The cell read, or ``None`` with its problem (``hint`` added when the cell is not
        empty: a spreadsheet's doing, such as a date it rewrote)."""
        text = values.get(name, "")
        try:
            return read(text)
        except ValueError as exc:
            problems.append((name, str(exc) + (hint if text.strip() else "")))
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

    def _decode(self, question: Any, text: str, column: str) -> Any:
        try:
            # the type's paper layout reads the cell (feedback.paper_layout)
            return decode(question, text, self.forms.engine.types)
        except CodeError as exc:
            raise _CellError(str(exc), column) from exc


class _CellError(Exception):
    def __init__(self, message: str, column: str):
        super().__init__(message)
        self.column = column
