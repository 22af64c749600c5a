"""The outcome log: outcomes observed rather than asked ("3 MPs sent new contacts", "a motion was
tabled in parliament"), each of an event, of a kind, on a date, with its evidence.

Kinds are the programme's ``outcome_kinds`` (``[programme.outcome_kinds]``: id = label). The text is
plain text (`feedback.text`: one line, no control characters), at most `MAX_TEXT` characters; the
date is no later than today (`feedback.events.today`). Evidence is a file that must exist: the log
keeps its path (relative to the project directory when the file is inside it) and its sha256, so
that a changed or swapped file can be told; the file is not copied.

``feedback outcome add`` records one (`check_outcome`, `add_outcome`); ``feedback outcome import``
reads a CSV (`read_outcomes`: columns ``event, kind, date, text, evidence``; every problem named by
its line and column; nothing written unless every row is good) and writes all of it in one
transaction (`add_outcomes`). `list_outcomes` reads them back, for the command line and reports.

A survey item can record outcomes too (``outcome:`` of a question, `feedback.questions.OutcomeItem`):
a participant's answer to "Have you shared contacts with an NGO since the seminar?" is an outcome
reported by a participant rather than observed. Those are read from the stored responses whenever
they are needed (`response_outcomes`, `survey_outcomes`), never copied into the log, so that an
erased, merged or re-imported response can never leave an outcome behind or count one twice.
`all_outcomes` gives both, each with its ``source`` (``cli``, ``csv``; ``survey``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from feedback.errors import InvalidInput, Problem, did_you_mean
from feedback.questions import YES_NO_WHEN
from feedback.roster import header_problems
from feedback.store import Store, now
from feedback.survey import Number, SingleChoice, Slug, Survey, TextQuestion, YesNo
from feedback.text import cut, plain_text, text_problem

if TYPE_CHECKING:
    from feedback.engine import Engine
    from feedback.questions import QuestionBase

#: The longest outcome text, in characters.
MAX_TEXT = 2000
#: The longest evidence path, in characters.
MAX_PATH = 1000
#: The columns of an outcome CSV; ``evidence`` may be left out.
COLUMNS = ("event", "kind", "date", "text", "evidence")
REQUIRED = ("event", "kind", "date", "text")
MAX_BYTES = 50 * 1024 * 1024
Source = Literal["cli", "csv", "survey"]


class Outcome(BaseModel):
    """One observed outcome, as stored (checked by `check_outcome`)."""

    model_config = ConfigDict(extra="forbid")

    event: Slug
    kind: Slug
    date: dt.date
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1), plain_text(MAX_TEXT)
    ]
    evidence: Annotated[str | None, plain_text(MAX_PATH)] = None
    evidence_sha256: str | None = None
    source: Source = "cli"

    def row(self) -> dict[str, Any]:
        data = self.model_dump()
        data["date"] = self.date.isoformat()
        return data


class OutcomeError(InvalidInput):
    """Outcomes that cannot be recorded: every problem, by line (a CSV's) and column."""

    def __init__(self, source: Path | str | None, problems: list[Problem]):
        self.problems = problems
        lines = []
        for p in problems:
            where = f"{source}:{p.line}" if source is not None and p.line else str(source or "")
            column = f"column '{p.loc[0]}'" if p.loc else ""
            prefix = ": ".join(part for part in (where, column) if part)
            lines.append(f"{prefix}: {p.message}" if prefix else p.message)
        super().__init__("\n".join(lines))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def evidence_path(path: Path, project_dir: Path) -> str:
    """How the log names an evidence file: relative to the project directory when inside it
    (with ``/``), else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(project_dir.resolve()).as_posix()
    except ValueError:
        return str(resolved)


def check_outcome(
    fields: Mapping[str, str | None],
    *,
    kinds: Mapping[str, str],
    events: Iterable[str],
    project_dir: Path,
    today: dt.date,
    source: Source = "cli",
    evidence_base: Path | None = None,
    line: int | None = None,
) -> tuple[Outcome | None, list[Problem]]:
    """The `Outcome` that ``fields`` (event, kind, date, text, evidence: text as given) record, or
    the problems, each located by its field (and ``line``).

    An evidence path is read from ``evidence_base`` (default: the working directory) when
    relative; the file must exist.
    """
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(message, (column,), line))

    values = {name: (fields.get(name) or "").strip() for name in COLUMNS}
    plain = set()
    for name, value in values.items():
        found = text_problem(value, MAX_PATH if name == "evidence" else MAX_TEXT)
        if found is not None:
            problem(name, found)
        else:
            plain.add(name)
    known_events = list(events)
    event = values["event"]
    if "event" in plain:
        if not event:
            problem("event", "expected an event id, found nothing")
        elif event not in known_events:
            problem(
                "event",
                f"unknown event '{cut(event)}' (add it with `feedback event add`)"
                + did_you_mean(event, known_events),
            )
    kind = values["kind"]
    if "kind" in plain and kind not in kinds:
        problem(
            "kind",
            f"unknown kind '{cut(kind)}': expected one of {', '.join(kinds)} "
            "(set in feedback.toml under [programme.outcome_kinds])" + did_you_mean(kind, kinds),
        )
    date: dt.date | None = None
    if "date" in plain:
        try:
            date = dt.date.fromisoformat(values["date"])
        except ValueError:
            problem("date", f"expected a date as YYYY-MM-DD, found {cut(values['date'])!r}")
        else:
            if date > today:
                problem(
                    "date",
                    f"{date} is after today ({today}): an outcome is recorded once it happened",
                )
                date = None
    if "text" in plain and not values["text"]:
        problem("text", "expected a description of the outcome, found nothing")
    evidence = digest = None
    if values["evidence"] and "evidence" in plain:
        path = Path(values["evidence"]).expanduser()
        if not path.is_absolute() and evidence_base is not None:
            path = evidence_base / path
        if not path.is_file():
            problem("evidence", f"no such file: {path}")
        else:
            try:
                digest = sha256(path)
            except OSError as exc:
                problem("evidence", f"cannot read {path}: {exc.strerror or exc}")
            evidence = evidence_path(path, project_dir)
    if problems or date is None:
        return None, problems
    return (
        Outcome(
            event=event,
            kind=kind,
            date=date,
            text=values["text"],
            evidence=evidence,
            evidence_sha256=digest,
            source=source,
        ),
        [],
    )


def read_outcomes(
    path: Path,
    *,
    kinds: Mapping[str, str],
    events: Iterable[str],
    project_dir: Path,
    today: dt.date,
) -> list[Outcome]:
    """The outcomes of a CSV file (UTF-8, a comma, semicolon or tab between cells); an evidence
    path is relative to the file's folder.

    :raises OutcomeError: every problem of the file, by line and column.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            raise OutcomeError(path, [Problem(f"too large (over {MAX_BYTES:,} bytes)")])
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise OutcomeError(path, [Problem("no such file")]) from exc
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        byte = exc.object[exc.start : exc.start + 1].hex()
        message = f"expected UTF-8 text, found byte 0x{byte} (save the file as 'CSV UTF-8')"
        raise OutcomeError(path, [Problem(message, line=line)]) from exc
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    header: list[str] = []
    start = 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                header = [cell.strip().lower() for cell in record]
                break
    except csv.Error as exc:
        raise OutcomeError(path, [Problem(f"not CSV: {exc}", line=1)]) from exc
    if not header:
        raise OutcomeError(path, [Problem(f"empty file: expected a header ({', '.join(COLUMNS)})")])
    head_line = reader.line_num
    problems = header_problems(header, COLUMNS, REQUIRED, head_line)
    if problems:
        raise OutcomeError(path, problems)
    known = list(events)
    outcomes: list[Outcome] = []
    start = head_line + 1
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(f"not CSV: {exc}", line=start))
            break
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(f"expected {len(header)} cells, found {len(row)}", line=line))
            continue
        outcome, found = check_outcome(
            dict(zip(header, row, strict=True)),
            kinds=kinds,
            events=known,
            project_dir=project_dir,
            today=today,
            source="csv",
            evidence_base=path.parent,
            line=line,
        )
        problems.extend(found)
        if outcome is not None:
            outcomes.append(outcome)
    if problems:
        raise OutcomeError(path, problems)
    if not outcomes:
        raise OutcomeError(path, [Problem("no outcomes: the file has a header only")])
    return outcomes


_INSERT = (
    "INSERT INTO outcomes (event, kind, date, text, evidence, evidence_sha256, source, recorded) "
    "VALUES (:event, :kind, :date, :text, :evidence, :evidence_sha256, :source, :recorded)"
)


def add_outcomes(store: Store, outcomes: Iterable[Outcome]) -> list[int]:
    """Store outcomes in one transaction (all or none); their ids."""
    recorded = now()
    ids = []
    with store.write():
        for outcome in outcomes:
            cursor = store.conn.execute(_INSERT, {**outcome.row(), "recorded": recorded})
            ids.append(int(cursor.lastrowid or 0))
    return ids


def add_outcome(store: Store, outcome: Outcome) -> int:
    """Store one outcome; its id."""
    return add_outcomes(store, [outcome])[0]


def list_outcomes(store: Store, events: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The stored outcomes (of ``events`` when given), by date, event and id: each a dict of the
    table's columns."""
    sql = "SELECT * FROM outcomes"
    params: list[Any] = []
    if events is not None:
        wanted = list(events)
        sql += f" WHERE event IN ({', '.join('?' for _ in wanted)})"
        params = wanted
    cursor = store.conn.execute(sql + " ORDER BY date, event, id", params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# -- outcomes recorded by answers ---------------------------------------------------------------


@dataclass(frozen=True)
class SurveyOutcome:
    """Outcomes a participant reported by answering an item that declares ``outcome:``: one
    answer's, ``count`` of them (a number question's answer; 1 otherwise)."""

    event: str
    kind: str
    #: the response's date (the only date a response keeps)
    date: str
    count: int
    #: a text question's answer; none for other questions
    text: str | None
    #: the answer as the participant gave it: "yes", a choice's label, the number, the text
    answer: str
    survey: str
    question: str
    #: the question's label, in the survey's first language
    label: str
    response: str

    def row(self) -> dict[str, Any]:
        """As `all_outcomes` lists it: the log's columns (those it lacks None), then where the
        answer was given; the response's id is left out."""
        return {
            "id": None,
            "event": self.event,
            "kind": self.kind,
            "date": self.date,
            "text": self.text,
            "evidence": None,
            "evidence_sha256": None,
            "source": "survey",
            "recorded": None,
            "count": self.count,
            "survey": self.survey,
            "question": self.question,
            "label": self.label,
            "answer": self.answer,
        }


@dataclass(frozen=True)
class ResponseOutcomes:
    """What one response says of outcomes: the kinds it was asked about, and what it reported."""

    response: str
    event: str
    #: kinds of outcome whose items the participant was shown (answered, in a partial response)
    asked: frozenset[str]
    outcomes: tuple[SurveyOutcome, ...]

    def reported(self, kind: str | None = None) -> int:
        """How many outcomes (of ``kind``, or of every kind) the response reported."""
        return sum(o.count for o in self.outcomes if kind is None or o.kind == kind)


def outcome_items(survey: Survey) -> list[QuestionBase]:
    """The survey's questions whose answers record outcomes, in order."""
    return [q for q in survey.questions_in_order if q.outcome is not None]


def recorded(question: QuestionBase, value: Any) -> int:
    """How many outcomes ``value``, a stored answer to ``question``, records (0 for none)."""
    item = question.outcome
    if item is None or value is None:
        return 0
    if isinstance(question, YesNo):
        wanted = {YES_NO_WHEN[w] for w in item.when or ["yes"] if w in YES_NO_WHEN}
        return int(isinstance(value, bool) and value in wanted)
    if isinstance(question, SingleChoice):
        return int(isinstance(value, str) and value in (item.when or ()))
    if isinstance(question, Number):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            return 0
        return int(value)
    if isinstance(question, TextQuestion):
        return int(isinstance(value, str) and bool(value.strip()))
    return 0


def _answer(survey: Survey, question: QuestionBase, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(question, SingleChoice):
        choice = next((c for c in question.choices if c.id == value), None)
        return choice.text(survey.languages[0]) if choice is not None else str(value)
    return str(value)


def response_outcomes(survey: Survey, response: Mapping[str, Any]) -> ResponseOutcomes:
    """The outcomes ``response`` (a stored response to ``survey``) reports, and the kinds it was
    asked about: the items shown to the participant, or, in a response kept partial, those the
    participant answered."""
    answers: dict[str, Any] = response["answers"]
    items = outcome_items(survey)
    asked: set[str] = set()
    found: list[SurveyOutcome] = []
    if items:
        shown = {q.id for q in survey.visible(answers)}
        for question in items:
            assert question.outcome is not None
            value = answers.get(question.id)
            if question.id not in shown or (response.get("partial") and value is None):
                continue
            asked.add(question.outcome.kind)
            count = recorded(question, value)
            if count:
                found.append(
                    SurveyOutcome(
                        event=str(response["event"]),
                        kind=question.outcome.kind,
                        date=str(response["submitted"]),
                        count=count,
                        text=value if isinstance(question, TextQuestion) else None,
                        answer=_answer(survey, question, value),
                        survey=survey.id,
                        question=question.id,
                        label=survey.text(question.label),
                        response=str(response["id"]),
                    )
                )
    return ResponseOutcomes(
        str(response["id"]), str(response["event"]), frozenset(asked), tuple(found)
    )


def survey_outcomes(
    surveys: Mapping[tuple[str, str], Survey], responses: Iterable[Mapping[str, Any]]
) -> Iterator[ResponseOutcomes]:
    """`response_outcomes` of each response whose survey version (in ``surveys``, by id and
    version) has items that record outcomes."""
    with_items = {key for key, survey in surveys.items() if outcome_items(survey)}
    for response in responses:
        key = (response["survey"], response["survey_version"])
        if key in with_items:
            yield response_outcomes(surveys[key], response)


def answered_outcomes(engine: Engine, events: Iterable[str] | None = None) -> list[SurveyOutcome]:
    """Every outcome the stored responses (of ``events`` when given) report, read now from the
    answers; each survey version is read once, and only the responses of versions with items
    that record outcomes are read."""
    store = engine.store
    wanted = None if events is None else set(events)
    keys = store.conn.execute("SELECT DISTINCT survey, survey_version FROM responses").fetchall()
    surveys = {(s, v): engine.survey(s, v) for s, v in keys}
    found: list[SurveyOutcome] = []
    for survey_id in sorted({s for (s, _), survey in surveys.items() if outcome_items(survey)}):
        responses = (
            r
            for r in store.iter_responses(survey=survey_id)
            if wanted is None or r["event"] in wanted
        )
        for reported in survey_outcomes(surveys, responses):
            found.extend(reported.outcomes)
    return found


def all_outcomes(engine: Engine, events: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The outcome log's outcomes and those that answers report (of ``events`` when given), by
    date, then event, the log's first: each a dict with its ``source`` and ``count`` (1 for a
    logged outcome), the log's columns, and for an answer's, the survey, question and answer."""
    wanted = None if events is None else list(events)
    rows: list[dict[str, Any]] = [
        {**row, "count": 1, "survey": None, "question": None, "label": None, "answer": None}
        for row in list_outcomes(engine.store, wanted)
    ]
    rows += [o.row() for o in answered_outcomes(engine, wanted)]
    rows.sort(key=lambda r: (r["date"], r["event"], r["source"] == "survey"))
    return rows
