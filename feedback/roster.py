"""The participant roster: a CSV of people and whether they attended an event.

Columns: ``name, email, role, country, organisation, attended`` (``attended`` yes/no), and optionally
``language`` (``nl``, ``en``: the language of invitations and of the form, where the survey has it). People are
matched by email across imports and events, so importing again updates rather than duplicates. The
whole file is checked before anything is written; every problem names its line and column.

Every cell is plain text (`feedback.text`): no control characters, no line breaks inside a quoted
cell, no bidirectional overrides, no email encoded words, and at most `LIMITS` characters.
`person_problems` checks a person as stored (``feedback merge`` uses it for the people it brings in).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedback.errors import InvalidInput, Problem, did_you_mean
from feedback.store import Store
from feedback.text import MAX_EMAIL, MAX_NAME, MAX_ORGANISATION, cut, text_problem

COLUMNS = ("name", "email", "role", "country", "organisation", "attended", "language")
REQUIRED = ("name", "email", "attended")
YES = {"yes", "y", "true", "1", "x", "ja", "j"}
NO = {"no", "n", "false", "0", "", "nee"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLE = re.compile(r"^[a-z][a-z0-9_]*$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
MAX_BYTES = 50 * 1024 * 1024
#: The most characters of each column (``attended`` is yes or no).
LIMITS = {
    "name": MAX_NAME,
    "email": MAX_EMAIL,
    "role": 64,
    "country": 100,  # the shape says two letters; this only stops absurd cells early
    "organisation": MAX_ORGANISATION,
    "language": 100,
    "attended": 10,
}
#: What a stored value of each column must look like, in words: (pattern, expected).
SHAPES: dict[str, tuple[re.Pattern[str], str]] = {
    "email": (EMAIL, "an email address"),
    "role": (ROLE, "a role id such as mp, ngo, national_rapporteur"),
    "country": (COUNTRY, "an ISO 3166 two-letter country code such as NL or GB"),
    "language": (LANGUAGE, "a language code such as en or nl"),
}


@dataclass(frozen=True)
class RosterEntry:
    line: int
    name: str
    email: str
    role: str | None
    country: str | None
    organisation: str | None
    attended: bool
    language: str | None = None

    def person(self) -> dict[str, Any]:
        person = {
            "name": self.name,
            "email": self.email,
            "role": self.role,
            "country": self.country,
            "organisation": self.organisation,
        }
        if self.language is not None:  # a roster without the column keeps a known language
            person["language"] = self.language
        return person


class RosterError(InvalidInput):
    def __init__(self, path: Path, problems: list[Problem]):
        self.problems = problems
        lines = []
        for p in problems:
            where = f"{path}:{p.line}" if p.line else str(path)
            column = f" column '{p.loc[0]}'" if p.loc else ""
            lines.append(f"{where}{column}: {p.message}")
        super().__init__("\n".join(lines))


def _delimiter(sample: str) -> str:
    """The delimiter of a roster (``,``, ``;`` or a tab) from its header row. Only the delimiter:
    from a header row the sniffer cannot tell that quotes inside a quoted cell are doubled
    (``"Brian ""Bob"" O'Neill"``), as every spreadsheet writes them."""
    try:
        return (
            csv.Sniffer()
            .sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
            .delimiter
        )
    except csv.Error:
        return ","


def read_roster(path: Path) -> list[RosterEntry]:
    """Read and check a roster CSV; raise `RosterError` listing every problem."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise RosterError(path, [Problem(f"too large for a roster (over {MAX_BYTES:,} bytes)")])
        text = path.read_bytes().decode("utf-8-sig")  # whole file: an error locates its line
    except FileNotFoundError as exc:
        raise RosterError(path, [Problem("no such file")]) from exc
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        message = (
            f"expected UTF-8 text, found byte 0x{text_byte(exc)} "
            "(save the file as 'CSV UTF-8' in your spreadsheet)"
        )
        raise RosterError(path, [Problem(message, line=line)]) from exc
    if not text.strip():
        raise RosterError(
            path, [Problem(f"empty file: expected a header row ({', '.join(COLUMNS)})")]
        )
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=_delimiter(text[:4096]))
    header = [h.strip().lower() for h in next(reader)]
    problems = _header_problems(header)
    if problems:
        raise RosterError(path, problems)
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    start = reader.line_num + 1
    for row in reader:
        # the line the record starts on (a quoted cell may run over several lines)
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(f"expected {len(header)} cells, found {len(row)}", line=line))
            continue
        cells = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        entry, row_problems = _entry(cells, line)
        problems.extend(row_problems)
        if entry is not None:
            key = entry.email.lower()
            if key in seen:
                problems.append(
                    Problem(f"'{entry.email}' is also on line {seen[key]}", ("email",), line)
                )
            seen[key] = line
            entries.append(entry)
    if problems:
        raise RosterError(path, problems)
    if not entries:
        raise RosterError(path, [Problem("no participants: the file has a header only")])
    return entries


def text_byte(exc: UnicodeDecodeError) -> str:
    return exc.object[exc.start : exc.start + 1].hex()


def _header_problems(header: list[str]) -> list[Problem]:
    problems = []
    for index, name in enumerate(header, start=1):
        if not name:
            problems.append(
                Problem(f"column {index} has no name (expected: {', '.join(COLUMNS)})", line=1)
            )
        elif name not in COLUMNS:
            problems.append(
                Problem(
                    f"unknown column '{name}' (expected: {', '.join(COLUMNS)})"
                    + did_you_mean(name, COLUMNS),
                    line=1,
                )
            )
    for name in REQUIRED:
        if name not in header:
            problems.append(Problem(f"missing column '{name}'", line=1))
    for name in sorted({n for n in header if n and header.count(n) > 1}):
        problems.append(Problem(f"column '{name}' appears twice in the header", line=1))
    return problems


def value_problem(column: str, value: str, found: str | None = None) -> str | None:
    """Why ``value`` cannot be a person's ``column`` as stored (role, country and language in
    their normal form), or ``None``. ``found`` is what the message shows as found (the cell as
    written, before it was normalised)."""
    problem = text_problem(value, LIMITS[column])
    if problem is not None:
        return problem
    if column == "name" and not value:
        return f"expected a name, found {value!r}"
    if column in SHAPES:
        pattern, expected = SHAPES[column]
        if not pattern.fullmatch(value):
            return f"expected {expected}, found {cut(value if found is None else found)!r}"
    return None


def person_problems(person: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with a person as stored (``name`` required, ``email`` optional here), each
    located by its column."""
    problems = []
    for column in ("name", "email", "role", "country", "organisation", "language"):
        value = person.get(column)
        if value is None and column != "name":
            continue
        if not isinstance(value, str):
            problems.append(Problem(f"expected text, found {value!r}", (column,)))
            continue
        problem = value_problem(column, value)
        if problem is not None:
            problems.append(Problem(problem, (column,)))
    return problems


def _entry(cells: dict[str, str], line: int) -> tuple[RosterEntry | None, list[Problem]]:
    problems = []
    plain = set()
    for column, cell in cells.items():
        problem = text_problem(cell, LIMITS[column])
        if problem is not None:
            problems.append(Problem(problem, (column,), line))
        else:
            plain.add(column)

    def check(column: str, value: str) -> None:
        if column in plain:
            problem = value_problem(column, value, found=cells[column])
            if problem is not None:
                problems.append(Problem(problem, (column,), line))

    check("name", cells["name"])
    check("email", cells["email"])
    role = cells.get("role", "").lower().replace(" ", "_").replace("-", "_") or None
    if role is not None:
        check("role", role)
    country = cells.get("country", "").upper() or None
    if country is not None:
        check("country", country)
    language = cells.get("language", "").lower() or None
    if language is not None:
        check("language", language)
    attended_text = cells["attended"].lower()
    if "attended" in plain and attended_text not in YES | NO:
        problems.append(
            Problem(f"expected yes or no, found {cells['attended']!r}", ("attended",), line)
        )
    if problems:
        return None, problems
    return (
        RosterEntry(
            line=line,
            name=cells["name"],
            email=cells["email"],
            role=role,
            country=country,
            organisation=cells.get("organisation") or None,
            attended=attended_text in YES,
            language=language,
        ),
        [],
    )


@dataclass
class RosterSummary:
    added: int = 0
    updated: int = 0
    attended: int = 0


def import_roster(store: Store, event: str, entries: list[RosterEntry]) -> RosterSummary:
    """Write the roster for an event in one transaction; people matched by email."""
    summary = RosterSummary()
    with store.write():
        for entry in entries:
            existing = store.person_by_email(entry.email)
            person = store.save_person(entry.person())
            if existing is None:
                summary.added += 1
            else:
                summary.updated += 1
            store.set_attendance(person, event, invited=True, attended=entry.attended)
            summary.attended += entry.attended
    return summary
