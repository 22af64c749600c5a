"""The participant roster: a CSV of people and whether they attended an event.

Columns: ``name, email, role, country, organisation, attended`` (``attended`` yes/no), and optionally
``language`` (``nl``, ``en``: the language of invitations and of the form, where the survey has it). People are
matched by email across imports and events, so importing again updates rather than duplicates. The
whole file is checked before anything is written; every problem names its line and column.

The whole file is read by the csv module: a comma, semicolon or tab between cells (the one that
reads the header's known column names; Excel's ``sep=;`` first line is obeyed), a UTF-8 byte order
mark, and quoted cells holding separators and doubled quotes. A role is stored as the id
of the programme's `Vocabulary` it stands for ("Member of Parliament" is ``mp``) and a country as
its ISO 3166 code (`feedback.countries`: "UK" is ``GB``); a value that is neither is an error that
names the closest known ones. Nobody is marked as having attended an event that is still to come.

Every cell is plain text (`feedback.text`): no control characters, no line breaks inside a quoted
cell, no bidirectional overrides, no email encoded words, and at most `LIMITS` characters.
`person_problems` checks a person as stored (``feedback merge`` uses it for the people it brings in).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedback.countries import CODES, Countries, UnknownCountry, either, normal
from feedback.errors import InvalidInput, Problem, did_you_mean
from feedback.store import Store
from feedback.text import MAX_EMAIL, MAX_NAME, MAX_ORGANISATION, cut, text_problem

if TYPE_CHECKING:
    from feedback.config import ProgrammeSettings
    from feedback.engine import Engine
    from feedback.survey import Survey

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
    "role": 200,  # as written: a label of the survey's role question runs long
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


#: The separators a roster may use: the comma, the semicolon that spreadsheet programs write where
#: the comma is the decimal mark (most of Europe), and the tab.
DELIMITERS = (",", ";", "\t")


def _delimiter(text: str) -> tuple[str, str]:
    """The separator of a roster and the text from its header on.

    Excel's ``sep=;`` first line names it. Otherwise the header record is read by the csv module
    with each separator in turn (quotes and doubled quotes read as every spreadsheet writes them)
    and the one that finds the most known column names wins, then the one that finds the most
    cells; the comma when nothing tells.
    """
    first, _, rest = text.partition("\n")
    hint = first.rstrip("\r").lower()
    if hint.startswith("sep=") and len(hint) == 5 and hint[4] in ",;\t|":
        return hint[4], rest

    def score(delimiter: str) -> tuple[int, int]:
        reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
        try:
            header = next((row for row in reader if any(c.strip() for c in row)), [])
        except csv.Error:
            return (-1, 0)
        known = sum(1 for cell in header if cell.strip().lower() in COLUMNS)
        return (known, len(header))

    best = max(DELIMITERS, key=lambda d: (*score(d), d == ","))
    return best, text


class UnknownRole(ValueError):
    """A role that is neither a role id of the programme nor another word for one."""


#: Other words for the roles of the shipped survey, in its languages (English and Dutch); a
#: project adds its own under ``[programme.role_aliases]``. Only those whose role the programme
#: has are used.
ROLE_ALIASES: dict[str, str] = {
    "Member of Parliament": "mp",
    "Member of the national parliament": "mp",
    "Parliamentarian": "mp",
    "Parliament member": "mp",
    "Senator": "mp",
    "Kamerlid": "mp",
    "Tweede Kamerlid": "mp",
    "Eerste Kamerlid": "mp",
    "Parlementslid": "mp",
    "Parlementariër": "mp",
    "Volksvertegenwoordiger": "mp",
    "Senaatslid": "mp",
    "Non-governmental organisation": "ngo",
    "Non-governmental organization": "ngo",
    "Civil society": "ngo",
    "Ngo": "ngo",
    "Maatschappelijke organisatie": "ngo",
    "Nationaal rapporteur": "national_rapporteur",
    "Police": "law_enforcement",
    "Politie": "law_enforcement",
    "Prosecutor": "law_enforcement",
    "Officier van justitie": "law_enforcement",
    "IGO": "intergovernmental",
    "Intergovernmental organisation": "intergovernmental",
    "Intergovernmental organization": "intergovernmental",
    "Ministry": "government",
    "Ministerie": "government",
    "Overheid": "government",
    "Academic": "researcher",
    "Onderzoeker": "researcher",
    "Parliamentary staff": "parliamentary_staff",
    "Griffier": "parliamentary_staff",
    "Survivor": "lived_experience",
    "Ervaringsdeskundige": "lived_experience",
    "Anders": "other",
}


def _texts(text: str | dict[str, str] | None) -> list[str]:
    if text is None:
        return []
    return [text] if isinstance(text, str) else list(text.values())


@dataclass
class Vocabulary:
    """The roles and countries a roster may name, and the other words for them.

    ``roles`` maps each word (as `feedback.countries.normal` reads it) to ``(role id, the word as
    written)``; ``None`` takes any role id (a programme that names no roles). Build it with
    `Vocabulary.of` from the project's settings and its default survey.
    """

    roles: dict[str, tuple[str, str]] | None = None
    role_ids: tuple[str, ...] = ()
    countries: Countries = field(default_factory=Countries)
    #: where the role ids come from, for messages
    source: str = ""

    @classmethod
    def of(cls, programme: ProgrammeSettings, survey: Survey | None = None) -> Vocabulary:
        """The vocabulary of a programme: its ``roles`` or else the choices of the ``role``
        question of ``survey``, with the labels of those choices in every language of the survey,
        the built-in `ROLE_ALIASES` and the programme's ``role_aliases``; every ISO 3166 country,
        with the labels of the survey's ``country`` question and the programme's
        ``country_aliases``.

        :raises InvalidInput: an alias of the programme names a role it does not have.
        """
        from feedback.survey import ChoiceQuestion

        role_question = survey.by_id.get("role") if survey is not None else None
        country_question = survey.by_id.get("country") if survey is not None else None
        words: list[tuple[str, str]] = []  # (word, role id), later ones win
        ids: list[str] | None = None
        source = ""
        if programme.roles is not None:
            ids = list(programme.roles)
            source = "the roles of [programme] in feedback.toml"
        elif isinstance(role_question, ChoiceQuestion) and survey is not None:
            ids = [choice.id for choice in role_question.choices]
            source = f"the choices of the question 'role' of the survey '{survey.id}'"
        if isinstance(role_question, ChoiceQuestion):
            for choice in role_question.choices:
                for text in (*_texts(choice.label), *_texts(choice.report_label)):
                    words.append((text, choice.id))
        words += list(ROLE_ALIASES.items())
        if ids is None:
            return cls(countries=cls._countries(programme, country_question))
        known = set(ids)
        roles: dict[str, tuple[str, str]] = {}
        for word, role in words:
            if role in known:
                roles[normal(word)] = (role, word)
        problems = []
        for word, role in programme.role_aliases.items():
            if role not in known:
                problems.append(
                    f"[programme.role_aliases] {word!r} = {role!r}: no role '{role}' in "
                    f"{source} ({', '.join(ids)})" + did_you_mean(role, ids)
                )
            roles[normal(word)] = (role, word)
        if problems:
            raise InvalidInput("feedback.toml: " + "\nfeedback.toml: ".join(problems))
        for role in ids:  # the id itself, as written or with spaces ("national rapporteur")
            roles[normal(role)] = (role, role)
        countries = cls._countries(programme, country_question)
        return cls(roles, tuple(ids), countries, source)

    @staticmethod
    def _countries(programme: ProgrammeSettings, question: object) -> Countries:
        from feedback.survey import ChoiceQuestion

        extra: dict[str, str] = {}
        if isinstance(question, ChoiceQuestion):
            for choice in question.choices:
                if choice.id.upper() in CODES:
                    for text in _texts(choice.label):
                        extra[text] = choice.id.upper()
        extra.update(programme.country_aliases)
        return Countries(extra)

    def role(self, value: str) -> str:
        """The role id ``value`` stands for.

        :raises UnknownRole: no role or word for one of the programme; with the closest ones.
        """
        if self.roles is None:  # any role id, written with spaces or hyphens if need be
            return value.strip().lower().replace(" ", "_").replace("-", "_")
        key = normal(value)
        if key in self.roles:
            return self.roles[key][0]
        close = difflib.get_close_matches(key, list(self.roles), n=6, cutoff=0.6)
        suggestions: list[str] = []
        for word in close:
            role, written = self.roles[word]
            shown = f"'{role}'" if normal(role) == word else f"'{role}' ({written!r})"
            if all(not s.startswith(f"'{role}'") for s in suggestions):
                suggestions.append(shown)
        raise UnknownRole(
            f"unknown role {value!r}: expected one of {', '.join(self.role_ids)} "
            "(or another word for one, set in feedback.toml under [programme.role_aliases])"
            + either(suggestions[:3])
        )


def project_vocabulary(engine: Engine) -> Vocabulary:
    """The `Vocabulary` of the engine's project: its ``[programme]`` settings and its default
    survey (no survey when the project has none by that id; a broken one is an error)."""
    from feedback.errors import SurveyNotFound

    try:
        survey = engine.survey()
    except SurveyNotFound:
        survey = None
    return Vocabulary.of(engine.settings.programme, survey)


def read_roster(
    path: Path,
    vocabulary: Vocabulary | None = None,
    *,
    event_date: dt.date | None = None,
    today: dt.date | None = None,
) -> list[RosterEntry]:
    """Read and check a roster CSV; raise `RosterError` listing every problem.

    Roles and countries are mapped through ``vocabulary`` (default: every ISO 3166 country, and
    any role id). With ``event_date`` after ``today``, nobody can be marked as attended.
    """
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
    delimiter, body = _delimiter(text)
    skipped = text.count("\n", 0, len(text) - len(body))  # a "sep=;" line
    reader = csv.reader(io.StringIO(body, newline=""), csv.excel, delimiter=delimiter)
    header: list[str] = []
    try:
        for record in reader:  # blank lines before the header are skipped
            if any(cell.strip() for cell in record):
                header = [cell.strip().lower() for cell in record]
                break
    except csv.Error as exc:
        raise RosterError(path, [Problem(f"not CSV: {exc}", line=skipped + 1)]) from exc
    if not header:
        raise RosterError(
            path, [Problem(f"empty file: expected a header row ({', '.join(COLUMNS)})")]
        )
    problems = _header_problems(header, skipped + reader.line_num)
    if problems:
        raise RosterError(path, problems)
    vocabulary = vocabulary if vocabulary is not None else Vocabulary()
    attended_after_today = event_date is not None and today is not None and event_date > today
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    start = skipped + reader.line_num + 1
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # a quote never closed: the rest of the file is one cell
            problems.append(Problem(f"not CSV: {exc}", line=start))
            break
        # the line the record starts on (a quoted cell may run over several lines)
        line, start = start, skipped + reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(f"expected {len(header)} cells, found {len(row)}", line=line))
            continue
        cells = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        entry, row_problems = _entry(cells, line, vocabulary)
        problems.extend(row_problems)
        if entry is not None and entry.attended and attended_after_today:
            problems.append(
                Problem(
                    f"attended {cells['attended']!r}, but the event is on {event_date} and today "
                    f"is {today}: nobody has attended it yet (give 'no' until it has taken place)",
                    ("attended",),
                    line,
                )
            )
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


def _header_problems(header: list[str], line: int = 1) -> list[Problem]:
    return header_problems(header, COLUMNS, REQUIRED, line)


def header_problems(
    header: list[str], columns: Sequence[str], required: Iterable[str], line: int = 1
) -> list[Problem]:
    """What is wrong with a CSV file's header (a roster's, an outcome log's ...): a column with
    no name or one not in ``columns`` (with a suggestion), a ``required`` one missing, one twice;
    each at ``line``."""
    expected = ", ".join(columns)
    problems = []
    for index, name in enumerate(header, start=1):
        if not name:
            problems.append(
                Problem(f"column {index} has no name (expected: {expected})", line=line)
            )
        elif name not in columns:
            problems.append(
                Problem(
                    f"unknown column '{cut(name)}' (expected: {expected})"
                    + did_you_mean(name, list(columns)),
                    line=line,
                )
            )
    for name in required:
        if name not in header:
            problems.append(Problem(f"missing column '{name}'", line=line))
    for name in sorted({n for n in header if n and header.count(n) > 1}):
        problems.append(Problem(f"column '{name}' appears twice in the header", line=line))
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
        if not pattern.fullmatch(value) or (column == "country" and value not in CODES):
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


def _entry(
    cells: dict[str, str], line: int, vocabulary: Vocabulary
) -> tuple[RosterEntry | None, list[Problem]]:
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
    role = country = None
    if cells.get("role") and "role" in plain:
        try:
            role = vocabulary.role(cells["role"])
        except UnknownRole as exc:
            problems.append(Problem(str(exc), ("role",), line))
        else:
            check("role", role)
    if cells.get("country") and "country" in plain:
        try:
            country = vocabulary.countries.code(cells["country"])
        except UnknownCountry as exc:
            problems.append(Problem(str(exc), ("country",), line))
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
