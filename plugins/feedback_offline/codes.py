"""The codes a paper form prints next to its boxes and staff type into the entry template.

- single and multiple choice: the choices numbered 1..n in order; a multiple-choice cell holds
  several codes separated by spaces, commas or semicolons;
- likert and then/now: the scale points numbered 1..n, lowest first; the N/A point ("Don't know") 0;
- yes/no: 1 = yes, 2 = no;
- rating: the number itself;
- number and text: written as they are.

A cell may also hold the option id itself (``mp``, ``nl``, ``dont_know``, ``yes``), in any case.
A cell of digits is always read as a code.

The form code names the event, the survey and its version (``K7Q-2M9``). It is printed on every
page of the paper form and in the header of the entry template, so that staff key each form into
the template made for it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from feedback.conditions import All, AnyOf, Compare, Condition, Not
from feedback.survey import (
    ChoiceQuestion,
    MultiChoice,
    Number,
    QuestionBase,
    Rating,
    ScaleQuestion,
    Survey,
    ThenNow,
    YesNo,
)
from feedback_offline.paper_words import words, yes_no_words

WHOLE = re.compile(r"^[+-]?\d+$")
DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
SEPARATORS = re.compile(r"[\s,;]+")


# -- the form code ---------------------------------------------------------------------------------


def form_code(event: str, survey_id: str, version: str) -> str:
    """``K7Q-2M9``: the first six base32 characters of SHA-256 of ``event|survey|version``."""
    digest = hashlib.sha256(f"{event}|{survey_id}|{version}".encode()).digest()
    text = base64.b32encode(digest).decode("ascii")[:6]
    return f"{text[:3]}-{text[3:]}"


def same_form_code(written: str, code: str) -> bool:
    """Whether a form code as someone wrote it (any case, with or without the dash) is ``code``."""

    def bare(text: str) -> str:
        return re.sub(r"[\s-]", "", text).upper()

    return bare(written) == bare(code)


# -- codes of the options ------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """One box of a question: the code printed next to it, the answer it stands for, its label."""

    code: str
    value: Any
    id: str
    label: str


def codes(question: QuestionBase, language: str = "en") -> list[Code] | None:
    """The coded boxes of a question, in printed order; ``None`` when its answer is written."""
    if isinstance(question, ChoiceQuestion):
        return [
            Code(str(i), c.id, c.id, c.text(language))
            for i, c in enumerate(question.choices, start=1)
        ]
    if isinstance(question, ScaleQuestion):
        scale = question.resolved_scale
        out = [
            Code(str(i), p.id, p.id, p.text(language)) for i, p in enumerate(scale.points, start=1)
        ]
        if question.allow_na and scale.na is not None:
            out.append(Code("0", scale.na.id, scale.na.id, scale.na.text(language)))
        return out
    if isinstance(question, YesNo):
        w = words(language)
        return [Code("1", True, "yes", w["yes"]), Code("2", False, "no", w["no"])]
    return None


def question_numbers(survey: Survey) -> dict[str, int]:
    """The number of each question on the paper form: every answerable question, from 1 (notes
    are not numbered)."""
    numbers: dict[str, int] = {}
    for question in survey.questions_in_order:
        if question.answerable:
            numbers[question.id] = len(numbers) + 1
    return numbers


# -- the columns of the entry template ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the entry template: a question, and for then/now which row (``then``/``now``)."""

    name: str
    question: QuestionBase
    part: str | None = None


def answer_columns(survey: Survey) -> list[Column]:
    """The question columns in form order: one per answerable question, two for then/now."""
    columns: list[Column] = []
    for question in survey.questions_in_order:
        if not question.answerable:
            continue
        if isinstance(question, ThenNow):
            columns += [Column(f"{question.id}.{part}", question, part) for part in ("then", "now")]
        else:
            columns.append(Column(question.id, question))
    return columns


# -- reading a cell ------------------------------------------------------------------------------


class CodeError(ValueError):
    """A cell that is no code of its question: the message says what was expected and found."""


def _range(table: list[Code]) -> str:
    numbered = [int(c.code) for c in table if c.code != "0"]
    return f"{min(numbered)}-{max(numbered)}" if len(numbered) > 1 else str(numbered[0])


def expected(question: QuestionBase) -> str:
    """What a cell of the question may hold, for messages: ``a code 1-10 or a choice id``."""
    if isinstance(question, YesNo):
        return "1 (yes) or 2 (no)"
    table = codes(question)
    if table is not None:
        na = next((c for c in table if c.code == "0"), None)
        if isinstance(question, ScaleQuestion):
            also = f" (0 = {na.label})" if na is not None else ""
            return f"a code {_range(table)}{also} or a point id"
        if isinstance(question, MultiChoice):
            return f"codes {_range(table)} or choice ids, separated by spaces, commas or semicolons"
        return f"a code {_range(table)} or a choice id"
    if isinstance(question, Rating):
        return f"a whole number {question.min}-{question.max}"
    if isinstance(question, Number):
        return "a whole number" if question.integer else "a number"
    return "text"


def decode(question: QuestionBase, text: str) -> Any:
    """The answer a (non-empty) cell stands for; `CodeError` when it is no code of the question.

    Whether the answer fits the survey (required, ranges of numbers, show_if) is left to
    `feedback.engine.Engine.submit_many`.
    """
    text = text.strip()
    if isinstance(question, MultiChoice):
        return _decode_many(question, text)
    table = codes(question)
    if table is not None:
        value = _lookup(question, table, text)
        if value is _MISSING:
            raise CodeError(f"expected {expected(question)}, found {text!r}")
        return value
    if isinstance(question, Rating):
        if not WHOLE.match(text) or not question.min <= int(text) <= question.max:
            raise CodeError(f"expected {expected(question)}, found {text!r}")
        return int(text)
    if isinstance(question, Number):
        return _number(question, text)
    return text  # text, and the answers of question types from plugins: as written


_MISSING = object()


def _lookup(question: QuestionBase, table: list[Code], token: str) -> Any:
    if token.isdigit():
        number = str(int(token))
        return next((c.value for c in table if c.code == number), _MISSING)
    folded = token.casefold()
    for c in table:
        if c.id.casefold() == folded:
            return c.value
    if isinstance(question, YesNo):
        written = {"y": True, "j": True, "n": False, "true": True, "false": False}
        return yes_no_words().get(folded, written.get(folded, _MISSING))
    return _MISSING


def _decode_many(question: MultiChoice, text: str) -> list[str]:
    table = codes(question) or []
    tokens = [t for t in SEPARATORS.split(text) if t]
    chosen: list[str] = []
    for token in tokens:
        value = _lookup(question, table, token)
        if value is _MISSING:
            found = repr(token) if len(tokens) == 1 else f"{token!r} in {text!r}"
            raise CodeError(f"expected {expected(question)}, found {found}")
        if value in chosen:
            raise CodeError(f"choice '{value}' is given twice, in {text!r}")
        chosen.append(value)
    order = {c.value: i for i, c in enumerate(table)}
    return sorted(chosen, key=order.__getitem__)


def _number(question: Number, text: str) -> int | float:
    written = text.replace(" ", "")
    if "," in written and "." not in written and written.count(",") == 1:
        written = written.replace(",", ".")  # a decimal comma, as Dutch spreadsheets write it
    if not DECIMAL.match(written):
        raise CodeError(f"expected {expected(question)}, found {text!r}")
    value = float(written)
    return int(value) if value.is_integer() else value


# -- words for people -----------------------------------------------------------------------------


def number_hint(question: Number, language: str) -> str:
    """``Write a whole number from 0 to 100``."""
    w = words(language)
    hint = w["write_whole"] if question.integer else w["write_number"]
    low = None if question.min is None else f"{question.min:g}"
    high = None if question.max is None else f"{question.max:g}"
    if low is not None and high is not None:
        hint += w["from_to"].format(min=low, max=high)
    elif low is not None:
        hint += w["at_least"].format(min=low)
    elif high is not None:
        hint += w["at_most"].format(max=high)
    return hint


def describe_condition(
    condition: Condition, survey: Survey, numbers: dict[str, int], language: str
) -> str:
    """A ``show_if`` condition in words: ``Only if you answered "Yes" to question 9.``"""
    w = words(language)
    return w["only_if"].format(condition=_clause(condition, survey, numbers, language, top=True))


def _clause(
    condition: Condition, survey: Survey, numbers: dict[str, int], language: str, top: bool
) -> str:
    w = words(language)
    if isinstance(condition, Compare):
        return _compare(condition, survey, numbers, language)
    if isinstance(condition, Not):
        inner = _clause(condition.item, survey, numbers, language, top=True)
        return w["cond_not"].format(condition=inner)
    joiner = w["and"] if isinstance(condition, All) else w["or"]
    assert isinstance(condition, All | AnyOf)
    text = joiner.join(_clause(c, survey, numbers, language, top=False) for c in condition.items)
    return text if top else f"({text})"


def _compare(condition: Compare, survey: Survey, numbers: dict[str, int], language: str) -> str:
    w = words(language)
    question = survey.by_id.get(condition.question)
    n = str(numbers.get(condition.question, condition.question))
    if condition.op == "answered":
        return w["cond_answered" if condition.value else "cond_not_answered"].format(n=n)
    if condition.op in ("gt", "ge", "lt", "le"):
        return w[f"cond_{condition.op}"].format(n=n, value=f"{condition.value:g}")
    values = condition.value if condition.op in ("in", "not_in") else (condition.value,)
    shown = w["or"].join(f"“{_value_text(question, v, language)}”" for v in values)
    key = "cond_answered_value" if condition.op in ("eq", "in") else "cond_not_value"
    return w[key].format(n=n, values=shown)


def _value_text(question: QuestionBase | None, value: Any, language: str) -> str:
    table = codes(question, language) if question is not None else None
    for c in table or []:
        if c.value == value and isinstance(c.value, bool) == isinstance(value, bool):
            return c.label
    if isinstance(value, bool):
        return words(language)["yes" if value else "no"]
    return f"{value:g}" if isinstance(value, float) else str(value)


# -- the legend of the entry template ---------------------------------------------------------


def legend(survey: Survey, language: str) -> Iterator[str]:
    """One line per question column: its question number and what its cells hold."""
    numbers = question_numbers(survey)
    w = words(language)
    for question in survey.questions_in_order:
        if not question.answerable:
            continue
        name = question.id
        if isinstance(question, ThenNow):
            name = f"{question.id}.then, {question.id}.now"
        about = [w["question"].format(n=numbers[question.id]).lower()]
        if question.required:
            about.append(w["legend_required"])
        table = codes(question, language)
        if isinstance(question, MultiChoice):
            about.append(w["legend_several"])
        if table is not None:
            what = "; ".join(
                f"{c.code} = {c.label}" + ("" if isinstance(question, YesNo) else f" ({c.id})")
                for c in table
            )
        elif isinstance(question, Rating):
            ends = [
                f"{value} = {survey.text(label, language)}"
                for value, label in (
                    (question.min, question.min_label),
                    (question.max, question.max_label),
                )
                if label is not None
            ]
            what = w["legend_rating"].format(min=question.min, max=question.max)
            what += f" ({'; '.join(ends)})" if ends else ""
        elif isinstance(question, Number):
            what = number_hint(question, language)
            if question.unit is not None:
                what += f" ({survey.text(question.unit, language)})"
        else:  # text, and question types from plugins
            what = w["legend_text"]
        if question.show_if is not None:
            what += " - " + describe_condition(question.show_if, survey, numbers, language)
        yield f"{name} ({', '.join(about)}): {what}"
