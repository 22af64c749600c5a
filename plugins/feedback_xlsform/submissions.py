"""Submissions exported from KoboToolbox or ODK Central (CSV) as our responses.

Columns are found by question name, alone or with its group path (KoboToolbox writes
``group/q``, ODK Central ``group-q``); a then/now question's two answers are ``q/then`` and
``q/now``. A multi-choice answer is its choices separated by spaces, or KoboToolbox's split 0/1
columns ``q/choice`` when the whole column is absent. The instance id (``meta/instanceID``,
``KEY``, ``_uuid``: ``uuid:...``) is the response id, so a file imported twice adds nothing; the
date is the submission's (``_submission_time``, ``SubmissionDate``) or else ``end``. Nothing else
of a submission is kept: not who submitted it, nor the device, nor the time of day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from pathlib import Path
from typing import Any

from feedback.errors import InvalidInput
from feedback.question_types import AnswerError
from feedback.survey import MultiChoice, Survey, ThenNow

_IDS = ("meta/instanceID", "meta-instanceID", "instanceID", "KEY", "_uuid")
_DATES = ("_submission_time", "SubmissionDate", "end")
#: columns of KoboToolbox and ODK Central that are not answers (and are not kept)
_META = (
    "start", "today", "deviceid", "SubmitterID", "SubmitterName", "DeviceID", "Edits", "FormVersion",
)  # fmt: skip
_META_PREFIXES = ("meta", "formhub", "Attachments", "Status", "Review")


def _names(survey: Survey) -> dict[str, tuple[str, str | None]]:
    """Each accepted column name -> (question id, then/now part or None)."""
    out: dict[str, tuple[str, str | None]] = {}
    for section in survey.section_list():
        for q in section.questions:
            if not q.answerable:
                continue
            parts = [None] if not isinstance(q, ThenNow) else ["then", "now"]
            for part in parts:
                tail = [q.id] + ([part] if part else [])
                for sep in ("/", "-"):
                    out[sep.join(tail)] = (q.id, part)
                    if section.id is not None:
                        out[sep.join([section.id, *tail])] = (q.id, part)
    return out


class SubmissionError(InvalidInput):
    """A submissions file that cannot be imported; every problem is listed, with row and column."""


def read_submissions(
    path: Path, survey: Survey, event: str, language: str | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """The responses of a CSV of submissions, labelled by row, ready for `Engine.submit_many`.

    :raises SubmissionError: any cell that is not an answer, a missing or repeated instance id,
        a column that is no question of the survey; nothing is imported then.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SubmissionError(f"{path}: cannot read: {exc}") from exc
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)  # KoboToolbox offers ; as well as ,
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = reader.fieldnames or []
    names = _names(survey)
    problems: list[str] = []
    questions = survey.by_id
    split: dict[str, tuple[str, str]] = {}  # KoboToolbox's 0/1 column -> (question, choice)
    for column in columns:
        if column in names or column in _IDS or column in _DATES or column.startswith("_"):
            continue
        head, sep, choice = column.replace("-", "/").rpartition("/")
        target = names.get(head)
        if sep and target and isinstance(questions[target[0]], MultiChoice):
            split[column] = (target[0], choice)
        elif column not in _META and not column.startswith(_META_PREFIXES):
            problems.append(f'column "{column}": no question of {survey.id} has this name')
    id_column = next((c for c in _IDS if c in columns), None)
    if id_column is None:
        raise SubmissionError(f"{path}: no instance id column: expected one of {', '.join(_IDS)}")
    date_column = next((c for c in _DATES if c in columns), None)
    if date_column is None:
        raise SubmissionError(f"{path}: no date column: expected one of {', '.join(_DATES)}")
    items: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for row in reader:
        where = f"row {reader.line_num}"
        raw_id = (row.get(id_column) or "").strip().removeprefix("uuid:")
        try:
            response_id = str(uuid.UUID(raw_id))
        except ValueError:
            problems.append(f'{where}, column "{id_column}": expected a uuid, found {raw_id!r}')
            continue
        if response_id in seen:
            problems.append(f'{where}, column "{id_column}": the instance id {raw_id} comes twice')
        seen.add(response_id)
        stamp = (row.get(date_column) or "").strip()
        try:
            submitted = dt.datetime.fromisoformat(stamp).date()
        except ValueError:
            try:
                submitted = dt.date.fromisoformat(stamp[:10])
            except ValueError:
                problems.append(
                    f'{where}, column "{date_column}": expected a date, found {stamp!r}'
                )
                continue
        answers: dict[str, Any] = {}
        then_now: dict[str, dict[str, str]] = {}
        ticked: dict[str, list[str]] = {}
        for column, cell in row.items():
            value = (cell or "").strip()
            if column in split and value in ("1", "True", "true"):
                ticked.setdefault(split[column][0], []).append(split[column][1])
            if column not in names or not value:
                continue
            qid, part = names[column]
            if part is not None:
                then_now.setdefault(qid, {})[part] = value
                continue
            try:
                answers[qid] = questions[qid].parse(value)
            except AnswerError as exc:
                problems.append(f'{where}, column "{column}": {exc}')
        for qid, picked in ticked.items():
            if qid not in answers:
                answers[qid] = picked
        for qid, pair in then_now.items():
            try:
                answers[qid] = questions[qid].parse(pair)
            except AnswerError as exc:
                problems.append(f'{where}, column "{qid}": {exc}')
        items.append(
            (
                f"{path}: {where}",
                {
                    "id": response_id,
                    "survey": survey.id,
                    "event": event,
                    "channel": "kobo",
                    "language": language or survey.languages[0],
                    "submitted": submitted.isoformat(),
                    "answers": {k: v for k, v in answers.items() if v is not None},
                },
            )
        )
    if problems:
        raise SubmissionError("\n".join(f"{path}: {p}" for p in problems))
    return items
