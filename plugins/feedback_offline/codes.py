"""The codes a paper form prints next to its boxes and staff type into the entry template.

Each question type's paper layout (`feedback.paper_layout`, its ``paper`` rendering) gives its
codes and reads a keyed-in cell; the built-in types' layouts (`feedback_offline.paper_layouts`):

- single and multiple choice: the choices numbered 1..n in order; a multiple-choice cell holds
  several codes separated by spaces, commas or semicolons;
- likert and then/now: the scale points numbered 1..n, lowest first; the N/A point ("Don't know") 0;
- yes/no: 1 = yes, 2 = no;
- rating: the number itself;
- number and text: written as they are, read by the type's parser (``question.parse``).

A cell may also hold the option id itself (``mp``, ``nl``, ``dont_know``, ``yes``), in any case.
A cell of digits is always read as a code. A question type from a plugin is printed and keyed in
by its own layout; the default layout is a line to write on, read by the type's parser.

The form code names the event, the survey and its version (``K7Q-2M9``). It is printed on every
page of the paper form and in the header of the entry template, so that staff key each form into
the template made for it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from feedback.conditions import All, AnyOf, Compare, Condition, Not
from feedback.paper_layout import Code, PaperContext, PaperLayout
from feedback.question_types import AnswerError, QuestionTypes, load_rendering, load_target
from feedback.survey import Number, QuestionBase, Survey, ThenNow
from feedback_offline.paper_words import words

__all__ = [
    "Code",
    "CodeError",
    "Column",
    "answer_columns",
    "codes",
    "decode",
    "describe_condition",
    "expected",
    "form_code",
    "layout_for",
    "legend",
    "number_hint",
    "paper_types",
    "question_numbers",
    "require",
    "same_form_code",
]

RENDERING = "paper"


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


# -- the layouts of the question types ---------------------------------------------------------


def paper_types(types: QuestionTypes | None) -> QuestionTypes:
    """``types`` with this plugin's layouts of the built-in types added where missing.

    The offline plugin registers them through ``register_renderings`` like any plugin; an engine
    built without it (an embedder's, a test's), or no engine at all, still prints and reads the
    built-in types with them. Layouts registered first are kept."""
    from feedback.registry import Registry
    from feedback_offline import PAPER_LAYOUTS

    if types is None:
        types = QuestionTypes(Registry("question type"))
    if all((name, RENDERING) in types.renderings for name in PAPER_LAYOUTS):
        return types
    own = QuestionTypes(types.types, dict(types.renderings), list(types.problems))
    own.add_renderings(((n, RENDERING, t) for n, t in PAPER_LAYOUTS.items()), "offline")
    return own


@functools.cache
def _load(target: str) -> PaperLayout:
    found = load_target(target)
    layout = found() if isinstance(found, type) else found
    if not isinstance(layout, PaperLayout):
        raise TypeError(f"expected a feedback.paper_layout.PaperLayout, found {found!r}")
    return layout


def layout_for(question: QuestionBase, types: QuestionTypes | None = None) -> PaperLayout:
    """The paper layout of ``question``'s type: its ``paper`` rendering, the built-in layout of
    a built-in type, else the default (a line to write on, read by ``question.parse``).

    :raises SurveyError: the type's layout cannot be loaded.
    """
    target = paper_types(types).target(question.type, RENDERING)
    if target is None:
        return PaperLayout()
    return load_rendering(question.type, RENDERING, target, _load)


def require(types: QuestionTypes, survey: Survey) -> None:
    """Refuse a survey the paper form cannot print in full: a type with no paper rendering, or
    one whose layout cannot be loaded (`SurveyError`, naming each question)."""
    paper_types(types).require(survey, RENDERING, "paper form")
    for question in survey.all_questions():
        layout_for(question, types)


def context(language: str = "en") -> PaperContext:
    """What a layout gets when it is asked for codes or reads a cell (no drawing kit)."""
    return PaperContext(language, words(language))


# -- codes of the options ------------------------------------------------------------------------


def codes(
    question: QuestionBase, language: str = "en", types: QuestionTypes | None = None
) -> list[Code] | None:
    """The coded boxes of a question, in printed order; ``None`` when its answer is written."""
    return layout_for(question, types).codes(question, context(language))


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


def expected(question: QuestionBase, types: QuestionTypes | None = None) -> str:
    """What a cell of the question may hold, for messages: ``a code 1-10 or a choice id``."""
    return layout_for(question, types).expected(question, context())


def decode(question: QuestionBase, text: str, types: QuestionTypes | None = None) -> Any:
    """The answer a (non-empty) cell stands for (the type's layout's `PaperLayout.key_in`);
    `CodeError` when it is no answer to the question, saying what was expected and found.

    Whether the answer fits the rest of the survey (required, show_if) is left to
    `feedback.engine.Engine.submit_many`.
    """
    text = text.strip()
    layout = layout_for(question, types)
    try:
        return layout.key_in(question, text, context())
    except AnswerError as exc:
        message = str(exc)
        if message.startswith("expected ") or "given twice" in message:
            raise CodeError(message) from exc  # a layout's own words, naming what it found
        what = layout.expected(question, context())
        raise CodeError(f"expected {what}, found {text!r}: {message}") from exc


# -- words for people -----------------------------------------------------------------------------


def number_hint(question: Number, language: str) -> str:
    """``Write a whole number from 0 to 100``."""
    from feedback_offline.paper_layouts import number_hint as hint

    return hint(question, words(language))


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


def legend(survey: Survey, language: str, types: QuestionTypes | None = None) -> Iterator[str]:
    """One line per question column: its question number and what its cells hold (the type's
    layout's `PaperLayout.legend`)."""
    numbers = question_numbers(survey)
    w = words(language)
    ctx = context(language)
    for question in survey.questions_in_order:
        if not question.answerable:
            continue
        name = question.id
        if isinstance(question, ThenNow):
            name = f"{question.id}.then, {question.id}.now"
        about = [w["question"].format(n=numbers[question.id]).lower()]
        if question.required:
            about.append(w["legend_required"])
        layout = layout_for(question, types)
        if layout.kind == "multi":
            about.append(w["legend_several"])
        what = layout.legend(question, ctx)
        if question.show_if is not None:
            what += " - " + describe_condition(question.show_if, survey, numbers, language)
        yield f"{name} ({', '.join(about)}): {what}"
