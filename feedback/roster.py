"""The participant roster: a CSV of people and whether they attended an event.

Columns: ``name, email, role, country, organisation, attended`` (``attended`` yes/no), and optionally
``language`` (``nl``, ``en``: the language of invitations and of the form, where the survey has it). People are
matched by email across imports and events, so importing again updates rather than duplicates. The
whole file is checked before anything is written; every problem names its line and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedback.errors import InvalidInput, Problem, did_you_mean
from feedback.store import Store

COLUMNS = ("name", "email", "role", "country", "organisation", "attended", "language")
REQUIRED = ("name", "email", "attended")
YES = {"yes", "y", "true", "1", "x", "ja", "j"}
NO = {"no", "n", "false", "0", "", "nee"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLE = re.compile(r"^[a-z][a-z0-9_]*$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
MAX_BYTES = 50 * 1024 * 1024


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


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        return csv.excel


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
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:4096]))
    header = [h.strip().lower() for h in next(reader)]
    problems = _header_problems(header)
    if problems:
        raise RosterError(path, problems)
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
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


def _entry(cells: dict[str, str], line: int) -> tuple[RosterEntry | None, list[Problem]]:
    problems = []

    def bad(column: str, expected: str) -> None:
        problems.append(Problem(f"expected {expected}, found {cells[column]!r}", (column,), line))

    if not cells["name"]:
        bad("name", "a name")
    if not EMAIL.match(cells["email"]):
        bad("email", "an email address")
    role = cells.get("role", "").lower().replace(" ", "_").replace("-", "_") or None
    if role is not None and not ROLE.match(role):
        bad("role", "a role id such as mp, ngo, national_rapporteur")
    country = cells.get("country", "").upper() or None
    if country is not None and not COUNTRY.match(country):
        bad("country", "an ISO 3166 two-letter country code such as NL or GB")
    language = cells.get("language", "").lower() or None
    if language is not None and not LANGUAGE.match(language):
        bad("language", "a language code such as en or nl")
    attended_text = cells["attended"].lower()
    if attended_text not in YES | NO:
        bad("attended", "yes or no")
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
