"""The survey as web pages: one page per section, form fields to answers, answers to form fields.

No HTTP here. A page's posted fields are parsed question by question, ``show_if`` is applied with the
answers of earlier pages, and every problem is worded for the participant in their language.

Field names: a question's id; ``<id>.then`` and ``<id>.now`` for the two rows of a then/now question;
a multiple choice repeats its name once per ticked box. Yes/no posts ``yes`` or ``no``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from feedback.survey import (
    ChoiceQuestion,
    Likert,
    MultiChoice,
    Note,
    Number,
    QuestionBase,
    Rating,
    ScaleQuestion,
    SingleChoice,
    Survey,
    TextQuestion,
    ThenNow,
    YesNo,
)

Form = Mapping[str, Sequence[str]]


def pages(survey: Survey, answers: dict[str, Any]) -> list[int]:
    """The sections shown as pages for these answers: those with a visible question."""
    visible = {q.id for q in survey.visible(answers)}
    return [
        index
        for index, section in enumerate(survey.section_list())
        if any(q.id in visible for q in section.questions)
    ]


def first_page(survey: Survey, answers: dict[str, Any]) -> int:
    shown = pages(survey, answers)
    return shown[0] if shown else 0


def neighbour(shown: list[int], page: int, step: int) -> int | None:
    """The page shown before (``step=-1``) or after (``+1``) ``page``, of the pages ``shown``
    (from `pages`); ``None`` at either end."""
    if page in shown:
        index = shown.index(page) + step
        return shown[index] if 0 <= index < len(shown) else None
    later = [p for p in shown if (p > page if step > 0 else p < page)]
    if not later:
        return None
    return later[0] if step > 0 else later[-1]


def position(shown: list[int], page: int) -> tuple[int, int]:
    """(number of the page, pages in all) of the pages ``shown`` (from `pages`)."""
    if page in shown:
        return shown.index(page) + 1, len(shown)
    return min(len([p for p in shown if p < page]) + 1, len(shown)), len(shown)


@dataclass
class PageResult:
    """What a posted page said: answers to its visible questions, what was typed, the problems."""

    answers: dict[str, Any] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    visible: list[str] = field(default_factory=list)


def read_page(
    survey: Survey, page: int, form: Form, answers: dict[str, Any], words: dict[str, str]
) -> PageResult:
    """Parse and check the fields of one page, given the answers of the other pages."""
    section = survey.section_list()[page]
    on_page = {q.id for q in section.questions}
    result = PageResult()
    parsed: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for question in section.questions:
        if not question.answerable:
            continue
        typed, value, problem = parse_field(question, form, words)
        result.typed[question.id] = typed
        if value is not None:
            parsed[question.id] = value
        if problem is not None:
            problems[question.id] = problem
    merged = {k: v for k, v in answers.items() if k not in on_page} | parsed
    visible = [q for q in survey.visible(merged) if q.id in on_page]
    result.visible = [q.id for q in visible]
    for question in visible:
        if not question.answerable:
            continue
        qid = question.id
        if qid in problems:
            result.errors[qid] = problems[qid]
        elif qid in parsed:
            message = question.check(parsed[qid])
            if message is None:
                result.answers[qid] = parsed[qid]
            else:
                result.errors[qid] = explain(question, parsed[qid], message, words)
        elif question.required:
            result.errors[qid] = words["required"]
    return result


def _one(form: Form, name: str) -> str:
    values = form.get(name) or []
    return values[-1].strip() if values else ""


def parse_field(
    question: QuestionBase, form: Form, words: dict[str, str]
) -> tuple[Any, Any, str | None]:
    """(what was typed, the answer or ``None``, a problem with the input or ``None``)."""
    qid = question.id
    if isinstance(question, ThenNow):
        typed = {row: _one(form, f"{qid}.{row}") for row in ("then", "now")}
        if typed["then"] and typed["now"]:
            return typed, dict(typed), None
        if typed["then"] or typed["now"]:
            return typed, None, words["both_rows"]
        return typed, None, None
    if isinstance(question, MultiChoice):
        ticked = [v for v in (form.get(qid) or []) if v]
        return ticked, (list(dict.fromkeys(ticked)) or None), None
    text = (form.get(qid) or [""])[-1]
    if isinstance(question, TextQuestion):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        stripped = text.strip()
        return text, (stripped or None), None
    text = text.strip()
    if not text:
        return text, None, None
    if isinstance(question, SingleChoice | Likert):
        return text, text, None
    if isinstance(question, YesNo):
        if text in ("yes", "no"):
            return text, text == "yes", None
        return text, None, words["required"]
    if isinstance(question, Rating | Number):
        number = _number(text)
        if number is None:
            whole = isinstance(question, Rating) or (
                isinstance(question, Number) and question.integer
            )
            return text, None, words["expected_whole" if whole else "expected_number"]
        return text, number, None
    # A question type from a plugin: JSON when the field holds JSON, the text otherwise.
    try:
        return text, json.loads(text), None
    except ValueError:
        return text, text, None


def _number(text: str) -> int | float | None:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # a decimal comma, as typed in much of Europe
    try:
        number = float(cleaned)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return (
        int(number)
        if number.is_integer() and "." not in cleaned and "e" not in cleaned.lower()
        else number
    )


def explain(question: QuestionBase, value: Any, message: str, words: dict[str, str]) -> str:
    """A participant's words for an answer the question refuses (``message`` is the fallback)."""
    if isinstance(question, MultiChoice):
        top = question.max_selections or len(question.choices)
        return words["select_between"].format(min=question.min_selections, max=top)
    if isinstance(question, Number | Rating):
        if isinstance(question, Number) and question.integer and int(value) != value:
            return words["expected_whole"]
        if isinstance(question, Rating) and int(value) != value:
            return words["expected_whole"]
        low, high = question.min, question.max
        if low is not None and high is not None:
            return words["between"].format(min=f"{low:g}", max=f"{high:g}")
        if low is not None:
            return words["at_least"].format(min=f"{low:g}")
        if high is not None:
            return words["at_most"].format(max=f"{high:g}")
    if isinstance(question, TextQuestion):
        if isinstance(value, str) and len(value) > question.max_length:
            return words["too_long"].format(max=question.max_length)
        return words["one_line"]
    return message


def typed_from_answer(question: QuestionBase, value: Any) -> Any:
    """What the form fields hold for a stored answer (the inverse of `parse_field`)."""
    if value is None:
        return (
            {"then": "", "now": ""}
            if isinstance(question, ThenNow)
            else ([] if isinstance(question, MultiChoice) else "")
        )
    if isinstance(question, YesNo):
        return "yes" if value else "no"
    if isinstance(question, Number | Rating):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(question, ThenNow | MultiChoice | TextQuestion | ChoiceQuestion | ScaleQuestion):
        return value
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def options(question: QuestionBase, language: str) -> list[tuple[str, str]]:
    """(id, label) of each choice or scale point, the N/A point last."""
    if isinstance(question, ChoiceQuestion):
        return [(c.id, c.text(language)) for c in question.choices]
    if isinstance(question, ScaleQuestion):
        scale = question.resolved_scale
        out = [(p.id, p.text(language)) for p in scale.points]
        if question.allow_na and scale.na is not None:
            out.append((scale.na.id, scale.na.text(language)))
        return out
    return []


def widget(question: QuestionBase) -> str:
    """The template macro that shows a question."""
    if isinstance(question, Note):
        return "note"
    if isinstance(question, ThenNow):
        return "then_now"
    if isinstance(question, MultiChoice):
        return "checkboxes"
    if isinstance(question, SingleChoice | Likert):
        return "radios"
    if isinstance(question, Rating):
        return "rating"
    if isinstance(question, YesNo):
        return "yes_no"
    if isinstance(question, Number):
        return "number"
    if isinstance(question, TextQuestion):
        return "textarea" if question.long else "text"
    return "text"


def condition_json(question: QuestionBase) -> str | None:
    """The question's ``show_if`` as JSON, for the page's script to apply live."""
    if question.show_if is None:
        return None
    return json.dumps(question.model_dump(mode="json", include={"show_if"})["show_if"])
