"""A response to a survey and its validation against the survey.

Answer encoding, shared by every channel and import: choice and scale points by their id strings;
``multi_choice`` a list of ids; ``then_now`` ``{"then": id, "now": id}``; ``rating`` and ``number``
numbers; ``yes_no`` true/false; ``text`` a string; an unanswered question absent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Annotated, Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from feedback.conditions import comparisons
from feedback.errors import Problem, did_you_mean
from feedback.question_types import AnswerError
from feedback.questions import BUILTIN_QUESTION_TYPES
from feedback.survey import Language, QuestionBase, Slug, Survey

#: the parser's problems with a number typed as text, which its message says better than
#: `check`'s ("enter a number from 1 to 5", not "expected a number, found text")
NUMBER_KEYS = frozenset({"expected_number", "expected_whole", "between", "at_least", "at_most"})

BUILTIN = frozenset(BUILTIN_QUESTION_TYPES)

Version = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]


class Response(BaseModel):
    """One participant's answers to one survey at one event."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID = Field(
        description="Made when the participant begins, so a response sent twice is stored once."
    )
    survey: Slug
    survey_version: Version | None = Field(
        default=None, description="The survey's version; the current one when omitted."
    )
    event: Slug
    channel: Slug
    language: Language
    submitted: dt.date = Field(description="The date only: never a time of day.")
    answers: dict[str, Any] = Field(default_factory=dict)
    partial: bool = Field(
        default=False,
        description="Left before Submit (a kiosk session abandoned); only for a survey that "
        "keeps partial responses (keep_partial). Required questions may be unanswered.",
    )

    def record(self) -> dict[str, Any]:
        """The response as plain JSON-ready data, in its canonical form.

        ``partial`` appears only when true: a full response's record (and so its content hash)
        is what it was before partial responses existed, and a partial response never has the
        hash of a full one with the same id and answers.
        """
        record: dict[str, Any] = {
            "id": str(self.id),
            "survey": self.survey,
            "survey_version": self.survey_version,
            "event": self.event,
            "channel": self.channel,
            "language": self.language,
            "submitted": self.submitted.isoformat(),
            "answers": self.answers,
        }
        if self.partial:
            record["partial"] = True
        return record


def canonical_json(value: Any) -> str:
    """Compact JSON with sorted keys: the stored form of answers, and what hashes are taken of."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # an integer beyond 64 bits, which orjson does not write
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(record: dict[str, Any], answers_json: str | None = None) -> str:
    """A hash of everything a response says: the same response twice, the same hash.

    ``answers_json`` (the `canonical_json` of the answers, when the caller has it already) gives
    the same hash without serialising the answers twice.
    """
    if answers_json is None:
        blob = canonical_json(record)
    else:
        rest = canonical_json({k: v for k, v in record.items() if k != "answers"})
        # "answers" sorts first among the fields, so this is the same text as canonical_json(record)
        blob = '{"answers":' + answers_json + "," + rest[1:]
    return hashlib.sha256(blob.encode()).hexdigest()


def stored_row(record: dict[str, Any]) -> list[Any]:
    """The ``responses`` row of a checked response's `Response.record` (the store's column
    order): answers as canonical JSON, and the content hash of the whole."""
    answers = canonical_json(record["answers"])
    return [
        record["id"],
        record["event"],
        record["survey"],
        record["survey_version"],
        record["channel"],
        record["language"],
        record["submitted"],
        answers,
        int(bool(record.get("partial", False))),
        content_hash(record, answers),
    ]


def answer_problems(
    survey: Survey, answers: dict[str, Any], partial: bool = False
) -> list[Problem]:
    """Every problem of the answers against the survey, each located by question id.

    ``partial``: the answers of a partial response (left before Submit), where an unanswered
    required question is no problem; every other check applies.
    """
    return parse_answers(survey, answers, partial)[1]


def parse_answers(
    survey: Survey, answers: dict[str, Any], partial: bool = False
) -> tuple[dict[str, Any], list[Problem]]:
    """The answers as the one parser of each question type stores them, and every problem.

    Each answer goes through its question's `QuestionBase.parse`, as every channel's input does:
    an import's ``2.0`` or ``" 3 "`` is stored as the web form and the offline form store what
    was typed (2, 3); a blank answer counts as none. The answers come back as the very same
    mapping when nothing changed (test with ``is``).
    """
    problems: list[Problem] = []
    questions = survey.by_id
    if not answers.keys() <= questions.keys():
        for key in answers:
            if key not in questions:
                problems.append(
                    Problem("unknown question" + did_you_mean(key, list(questions)), (key,))
                )
    parsed: dict[str, Any] | None = None  # made at the first answer the parser changes
    shown: dict[str, Any] = {}
    unsure: set[str] = set()  # answered wrongly, or shown only if such an answer allows
    for question in survey.questions_in_order:  # the hot loop of every import: kept lean
        qid = question.id
        present = qid in answers
        value = None
        if present:
            given = answers[qid]
            value, message = _parsed(question, given)
            if message:
                problems.append(Problem(message, (qid,)))
                unsure.add(qid)
            elif value is not given and (type(value) is not type(given) or value != given):
                if parsed is None:
                    parsed = dict(answers)
                if value is None:
                    del parsed[qid]
                else:
                    parsed[qid] = value
            present = value is not None or bool(message)
        condition = question.show_if
        if condition is not None:
            if unsure and any(c.question in unsure for c in comparisons(condition)):
                # Shown or hidden depends on a wrong answer, reported already: say nothing of
                # "hidden" or "required" here, only what is wrong with this answer itself.
                unsure.add(qid)
                continue
            if not condition.evaluate(shown):
                if present and qid not in unsure:
                    problems.append(
                        Problem("answered, but hidden by its show_if condition", (qid,))
                    )
                continue
        if not present:
            if question.required and not partial:
                problems.append(Problem("required question not answered", (qid,)))
            continue
        if qid not in unsure:
            shown[qid] = value
    return (answers if parsed is None else parsed), problems


def _parsed(question: QuestionBase, value: Any) -> tuple[Any, str | None]:
    """(the stored answer or ``None``, ``None``) or (``None``, why ``value`` is no answer)."""
    if value is None:
        return None, "expected an answer, found null (leave an unanswered question out)"
    try:
        parsed = question.parse(value)
    except AnswerError as exc:
        # in an organiser's words, naming what was found: check's (an unknown choice with the
        # closest, a value of the wrong kind, out of range), but the parser's for a text the
        # parser reads (a number typed as text, choices in one cell "a;b")
        technical = question.check(value)
        if technical is None or (
            isinstance(value, str)
            and (
                exc.key in NUMBER_KEYS or (exc.key == "choose" and technical.startswith("expected"))
            )
        ):
            return None, f"{exc}, found {_found(value)}"
        return None, technical
    if parsed is not None and question.__class__ not in BUILTIN:  # a built-in parse checks
        message = question.check(parsed)
        if message:
            return None, message
    return parsed, None


def _found(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def envelope_problems(survey: Survey, response: Response) -> list[Problem]:
    """Problems of the response's own fields against the survey (not the answers)."""
    problems = []
    if response.language not in survey.languages:
        problems.append(
            Problem(
                f"language '{response.language}' is not one of the survey's "
                f"({', '.join(survey.languages)})"
                + did_you_mean(response.language, survey.languages),
                ("language",),
            )
        )
    if response.partial and not survey.keep_partial:
        problems.append(
            Problem(
                f"a partial response (left before Submit), but survey '{survey.id}' does not "
                "keep partial responses (set keep_partial: true in the survey to keep them)",
                ("partial",),
            )
        )
    return problems
