"""LimeSurvey questions as ours: the types we share, their options, and their relevance.

=================================  ==========================================================
LimeSurvey                         feedback
=================================  ==========================================================
L list (radio), ! list (dropdown)  single_choice, the answer options' codes as choice ids
M multiple choice                  multi_choice, the subquestions' codes as choice ids
N numerical input                  number (min/max/integer attributes)
S, T, U free text                  text (T and U long)
D date/time (a date format alone)  date (date_min/date_max as min/max when they are dates)
Y yes/no                           yes_no
5 five point choice                likert on the scale ``five_point`` (points "1" to "5")
A, B arrays of 5 / 10 points       a note with the question, then a likert per row
F array (its answer options)       the same, on a scale of the question's answer options
X text display                     note
=================================  ==========================================================

A row of an array ``Q5`` with the code ``SQ001`` is the question ``q5_sq001``, as LimeSurvey's
own expressions name it (``Q5_SQ001``). Relevance equations of the simple forms become
``show_if``; a group's relevance is added to each of its questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from feedback.question_types import AnswerError
from feedback.questions import date_from
from feedback_foreign_surveys.common import Collected, localised, make_id
from feedback_foreign_surveys.expressions import (
    Compare,
    ExpressionError,
    parse_expression,
    to_show_if,
)

TYPE_NAMES = {
    "1": "array dual scale",
    "5": "5 point choice",
    "A": "array (5 point choice)",
    "B": "array (10 point choice)",
    "C": "array (yes/no/uncertain)",
    "D": "date/time",
    "E": "array (increase/same/decrease)",
    "F": "array",
    "G": "gender",
    "H": "array by column",
    "I": "language switch",
    "K": "multiple numerical input",
    "L": "list (radio)",
    "M": "multiple choice",
    "N": "numerical input",
    "O": "list with comment",
    "P": "multiple choice with comments",
    "Q": "multiple short text",
    "R": "ranking",
    "S": "short free text",
    "T": "long free text",
    "U": "huge free text",
    "X": "text display",
    "Y": "yes/no",
    "!": "list (dropdown)",
    ":": "array (numbers)",
    ";": "array (texts)",
    "|": "file upload",
    "*": "equation",
}
SCALES = {
    "5": ("five_point", 5),
    "A": ("five_point", 5),
    "B": ("ten_point", 10),
}
#: Attributes whose meaning a survey of ours cannot keep: refused when set.
REFUSED_ATTRIBUTES = {
    "array_filter": "shows only the rows ticked in another question",
    "array_filter_exclude": "hides the rows ticked in another question",
    "em_validation_q": "validates the answer with an equation",
    "em_validation_sq": "validates each row with an equation",
    "hidden": "is always hidden",
    "exclude_all_others": "has an option that clears the others",
}
#: Attributes left behind with a note: how LimeSurvey shows a question, not what it asks.
NOTED_ATTRIBUTES = {
    "random_order": "its options in random order",
    "answer_order": "its options in another order",
}
Answer = tuple[str, str, dict[str, str], int]  # code, scale id, texts, line
Sub = tuple[str, str, dict[str, str], int]


@dataclass
class Question:
    qid: str
    gid: str
    code: str
    type: str
    line: int
    order: int
    mandatory: str
    other: bool
    relevance: str
    texts: dict[str, str]
    helps: dict[str, str]
    attributes: dict[str, str]
    answers: list[Answer]
    subquestions: list[Sub] = field(default_factory=list)

    @property
    def where(self) -> str:
        kind = TYPE_NAMES.get(self.type, "unknown type")
        return f"question {self.code} (<row> of <questions>, type {self.type!r}: {kind})"

    @property
    def id(self) -> str:
        return make_id(self.code)

    def row_id(self, sub: str) -> str:
        return make_id(f"{self.code}_{sub}")

    def points(self) -> list[str]:
        """The answer codes a condition may compare this question's answer (or a row's) with."""
        if self.type in SCALES:
            return [str(i) for i in range(1, SCALES[self.type][1] + 1)]
        return [code for code, scale, _, _ in self.answers if scale == "0"]


def convert_group(
    members: list[Question],
    group_relevance: str,
    group_line: int,
    by_code: dict[str, Question],
    languages: list[str],
    scales: dict[str, Any],
    found: Collected,
) -> list[tuple[dict[str, Any], int]]:
    """The questions of one group, each with the line of its row."""
    out: list[tuple[dict[str, Any], int]] = []
    shared = _condition(group_relevance, "question group relevance", group_line, by_code, found)
    for question in members:
        condition = _condition(
            question.relevance, f"{question.where}: relevance", question.line, by_code, found
        )
        if shared and condition:
            condition = {"all": [shared, condition]}
        condition = condition or shared
        for converted in _convert(question, languages, scales, found):
            if condition and converted.get("type"):
                converted["show_if"] = condition
            out.append((converted, question.line))
    return out


def _text(
    texts: dict[str, str], languages: list[str], where: str, line: int, found: Collected
) -> Any:
    return localised({k: found.text(v, where, line) for k, v in texts.items()}, languages)


def _convert(
    q: Question, languages: list[str], scales: dict[str, Any], found: Collected
) -> list[dict[str, Any]]:
    refuse = found.problem
    for name, why in REFUSED_ATTRIBUTES.items():
        if q.attributes.get(name, "").strip() not in ("", "0", "N"):
            refuse(
                f"{q.where}: the attribute {name} {why}, which a survey of feedback cannot",
                line=q.line,
            )
    for name, what in NOTED_ATTRIBUTES.items():
        if q.attributes.get(name, "").strip() not in ("", "0", "normal"):
            found.notes.append(
                f"{q.code} showed {what} in LimeSurvey; feedback shows them in order"
            )
    if q.other and q.type in ("L", "!", "M"):
        refuse(
            f"{q.where}: has an 'Other' option with a text box, which feedback does not have "
            "(add a choice and a text question shown if it is chosen)",
            line=q.line,
        )
    if q.mandatory == "S":
        found.notes.append(f"{q.code} was soft mandatory in LimeSurvey; here it is optional")
    base: dict[str, Any] = {
        "id": q.id,
        "label": _text(q.texts, languages, q.where, q.line, found) or q.code,
    }
    help_text = _text(q.helps, languages, q.where, q.line, found)
    if help_text:
        base["help"] = help_text
    required = {"required": True} if q.mandatory == "Y" else {}
    kind = q.type
    if kind in ("L", "!"):
        choices = _options(q, q.answers, languages, found)
        return [{**base, "type": "single_choice", "choices": choices, **required}]
    if kind == "M":
        subs = [(c, s, t, line) for c, s, t, line in q.subquestions]
        out = {**base, "type": "multi_choice", "choices": _options(q, subs, languages, found)}
        for ours, theirs in (("min_selections", "min_answers"), ("max_selections", "max_answers")):
            value = _number(q, theirs, found)
            if value:
                out[ours] = int(value)
        return [{**out, **required}]
    if kind == "N":
        out = {**base, "type": "number"}
        for ours, theirs in (("min", "min_num_value_n"), ("max", "max_num_value_n")):
            value = _number(q, theirs, found)
            if value is not None:
                out[ours] = value
        if q.attributes.get("num_value_int_only") == "1":
            out["integer"] = True
        return [{**out, **required}]
    if kind in ("S", "T", "U"):
        out = {**base, "type": "text"}
        if kind != "S":
            out["long"] = True
        chars = _number(q, "maximum_chars", found)
        if chars:
            out["max_length"] = int(chars)
        return [{**out, **required}]
    if kind == "Y":
        return [{**base, "type": "yes_no", **required}]
    if kind == "X":
        return [{**base, "type": "note"}]
    if kind == "5":
        scales.setdefault("five_point", {"points": q.points()})
        return [{**base, "type": "likert", "scale": "five_point", **required}]
    if kind in ("A", "B", "F"):
        return _array(q, base, required, languages, scales, found)
    if kind == "D":
        return _date(q, base, required, found)
    else:
        refuse(f"{q.where}: feedback has no question of this type", line=q.line)
    return []


def _array(
    q: Question,
    base: dict[str, Any],
    required: dict[str, Any],
    languages: list[str],
    scales: dict[str, Any],
    found: Collected,
) -> list[dict[str, Any]]:
    """A note with the question's text, then a likert question per row (subquestion)."""
    if q.type in SCALES:
        name, _ = SCALES[q.type]
        scales.setdefault(name, {"points": q.points()})
    else:
        name = f"{q.id}_scale"
        points = _options(q, [a for a in q.answers if a[1] == "0"], languages, found)
        if len(points) < 2:
            found.problem(f"{q.where}: needs two answer options or more", line=q.line)
        scales[name] = {"points": points}
    rows = []
    for code, scale, texts, line in q.subquestions:
        if scale != "0":
            found.problem(f"{q.where}: a second scale of rows", line=line)
            continue
        where = f"subquestion {code} of {q.code}"
        label = _text(texts, languages, where, line, found) or code
        rows.append(
            {"id": q.row_id(code), "type": "likert", "label": label, "scale": name, **required}
        )
    if not rows:
        found.problem(f"{q.where}: has no rows (subquestions)", line=q.line)
    found.notes.append(f"the array {q.code} became a note and {len(rows)} likert questions")
    return [{**base, "type": "note"}, *rows]


def _options(
    q: Question, options: list[Answer], languages: list[str], found: Collected
) -> list[dict[str, Any]]:
    out = []
    for code, _, texts, line in options:
        label = _text(texts, languages, f"answer option {code} of {q.code}", line, found)
        out.append({"id": code, "label": label} if label else {"id": code})
    if not out:
        found.problem(f"{q.where}: has no answer options", line=q.line)
    return out


#: a LimeSurvey date format that asks a time too (``HH:MM``, ``HH:MM:SS``; ``MM`` alone is a month)
_TIME = re.compile(r"[Hh]|:")


def _date(
    q: Question, base: dict[str, Any], required: dict[str, Any], found: Collected
) -> list[dict[str, Any]]:
    """A date/time question that asks a date (its ``date_format`` has no hours): a date
    question; ``date_min`` and ``date_max`` its range when they are dates (``2026-01-14``, as
    LimeSurvey stores a fixed one), refused when they are equations."""
    date_format = q.attributes.get("date_format", "").strip()
    if _TIME.search(date_format):
        found.problem(
            f"{q.where}: asks a time too (date_format {date_format!r}); feedback asks a date only",
            line=q.line,
        )
        return []
    out: dict[str, Any] = {**base, "type": "date"}
    for ours, theirs in (("min", "date_min"), ("max", "date_max")):
        raw = q.attributes.get(theirs, "").strip()
        if not raw:
            continue
        try:
            out[ours] = date_from(raw[:10] if raw[10:].strip(" 0:") == "" else raw)
        except AnswerError:
            found.problem(
                f"{q.where}: the attribute {theirs} is {raw!r}; feedback takes a date "
                "(YYYY-MM-DD) only",
                line=q.line,
            )
    return [{**out, **required}]


def _number(q: Question, attribute: str, found: Collected) -> float | int | None:
    raw = q.attributes.get(attribute, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        found.problem(
            f"{q.where}: the attribute {attribute} is {raw!r}; feedback takes a number only",
            line=q.line,
        )
        return None
    return int(value) if value.is_integer() else value


def _condition(
    equation: str, where: str, line: int, by_code: dict[str, Question], found: Collected
) -> dict[str, Any] | None:
    """The ``show_if`` of a relevance equation; ``None`` when always shown."""
    text = equation.strip()
    if text in ("", "1", "true"):
        return None
    try:
        tree = parse_expression(text, braces=False)
        return to_show_if(tree, lambda c: _compare(c, by_code))
    except ExpressionError as exc:
        found.problem(
            f"{where} {text!r} is not a condition feedback can say ({exc}); it can say a "
            'comparison of an earlier answer with a value (Q1 == "A1", Q2 > 18), joined by '
            "and, or, !",
            line=line,
        )
        return None


def _compare(c: Compare, by_code: dict[str, Question]) -> dict[str, Any]:
    name, _, suffix = c.variable.partition(".")
    if suffix and suffix.upper() not in ("NAOK", "CODE", "VALUE"):
        raise ExpressionError(f"'{c.variable}' is more than the answer of a question")
    question = by_code.get(name)
    sub = None
    if question is None and "_" in name:
        parent, _, sub = name.partition("_")
        question = by_code.get(parent)
    if question is None:
        raise ExpressionError(f"no question has the code '{name}'")
    kind = question.type
    if sub is None and kind in ("M", "A", "B", "F"):
        raise ExpressionError(f"{name} has rows or options: name one ({name}_{_first(question)})")
    if sub is not None:
        codes = [s[0] for s in question.subquestions]
        if sub not in codes:
            raise ExpressionError(f"{question.code} has no subquestion '{sub}'")
        if kind == "M":
            return _ticked(question.id, sub, c)
        if kind not in ("A", "B", "F"):
            raise ExpressionError(f"'{name}' names a part of a question that has none")
        return _point(question.row_id(sub), question, c)
    if c.op == "answered":
        return {question.id: {"answered": c.value}}
    if kind in ("L", "!", "5"):
        return _point(question.id, question, c)
    if kind == "Y":
        wanted = {"Y": True, "N": False}
        if c.op not in ("eq", "ne") or c.value not in wanted:
            raise ExpressionError(f'yes/no {name} is compared with "Y" or "N"')
        return _eq_or_not(question.id, wanted[c.value], c.op)
    if kind == "N":
        value = _as_number(c.value)
        if value is None:
            raise ExpressionError(f"numerical {name} is compared with {c.value!r}, not a number")
        return {question.id: {c.op: value}} if c.op != "eq" else {question.id: value}
    if kind in ("S", "T", "U") and c.op in ("eq", "ne") and isinstance(c.value, str):
        return _eq_or_not(question.id, c.value, c.op)
    if kind == "D" and c.op != "in":
        try:
            day = date_from(c.value)
        except AnswerError:
            raise ExpressionError(f"date {name} is compared with {c.value!r}, not a date") from None
        return {question.id: {c.op: day}} if c.op != "eq" else {question.id: day}
    raise ExpressionError(f"{name} ({TYPE_NAMES.get(kind, kind)}) cannot be compared so")


def _first(question: Question) -> str:
    return question.subquestions[0][0] if question.subquestions else "SQ001"


def _eq_or_not(question_id: str, value: Any, op: str) -> dict[str, Any]:
    """``!=`` as LimeSurvey means it: true when unanswered too (so ``not``, not ``ne``)."""
    return {question_id: value} if op == "eq" else {"not": {question_id: value}}


def _ticked(question_id: str, sub: str, c: Compare) -> dict[str, Any]:
    """``Q5_SQ001 == "Y"``: the option was ticked; ``!= "Y"``, ``== ""``: it was not."""
    if c.op == "answered":
        return _eq_or_not(question_id, sub, "eq" if c.value else "ne")
    if c.op in ("eq", "ne") and c.value in ("Y", ""):
        ticked = (c.op == "eq") == (c.value == "Y")
        return _eq_or_not(question_id, sub, "eq" if ticked else "ne")
    raise ExpressionError('an option of a multiple choice is compared with "Y" or "" only')


def _point(question_id: str, question: Question, c: Compare) -> dict[str, Any]:
    """A comparison with an answer option's code; ``>=`` on a numbered scale becomes the points
    that satisfy it."""
    points = question.points()
    if c.op == "answered":
        return {question_id: {"answered": c.value}}
    values = list(c.value) if c.op == "in" else [c.value]
    values = [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values]
    if c.op in ("gt", "ge", "lt", "le"):
        number = _as_number(c.value)
        if question.type not in SCALES or number is None:
            raise ExpressionError(f"{question.code}'s answer options are codes, not numbers")
        test = {"gt": number.__lt__, "ge": number.__le__, "lt": number.__gt__, "le": number.__ge__}
        chosen = [p for p in points if test[c.op](int(p))]
        if not chosen:
            raise ExpressionError(f"no point of {question.code} is {c.op} {c.value}")
        return {question_id: chosen}
    unknown = [v for v in values if v not in points]
    if unknown:
        raise ExpressionError(f"{question.code} has no answer option {unknown[0]!r}")
    if c.op == "in":
        return {question_id: values}
    return _eq_or_not(question_id, values[0], c.op)


def _as_number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number
