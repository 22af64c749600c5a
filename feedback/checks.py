"""Checks of a survey as a whole, beyond the shape of each part: ids, scales, conditions, languages.

Each problem carries the dotted path into the file so that the loader can add the line and column.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from feedback.conditions import NUMERIC, comparisons
from feedback.errors import Problem, did_you_mean
from feedback.question_types import AnswerError
from feedback.questions import YES_NO_WHEN, date_from
from feedback.survey import (
    RESERVED_IDS,
    Number,
    ScaleQuestion,
    SingleChoice,
    Text,
    TextQuestion,
    YesNo,
)

if TYPE_CHECKING:
    from feedback.survey import Scale, Survey

Loc = tuple[str | int, ...]


#: The question types whose answers can record outcomes (``outcome:``), by type name.
OUTCOME_TYPES = {
    "yes_no": YesNo,
    "single_choice": SingleChoice,
    "number": Number,
    "text": TextQuestion,
}


def survey_problems(
    survey: Survey, outcome_kinds: Mapping[str, str] | None = None
) -> list[Problem]:
    """Every problem of the survey as a whole; empty when it is valid.

    :param outcome_kinds: the programme's kinds of outcome, which an item's ``outcome:`` must
        name; ``None`` (a survey read without a project, a stored version) checks the rest only.
    """
    problems: list[Problem] = []
    problems += _id_problems(survey)
    problems += _scale_problems(survey)
    problems += _condition_problems(survey)
    problems += _language_problems(survey)
    problems += _linking_problems(survey)
    problems += _stage_problems(survey)
    problems += _outcome_problems(survey, outcome_kinds)
    return problems


def _outcome_problems(survey: Survey, kinds: Mapping[str, str] | None) -> Iterator[Problem]:
    """An item that records outcomes is of a type whose answer can count them, names a kind of
    the programme, and (a choice) says which answers count."""
    code = set(survey.self_code or ())
    for loc, question in survey.located_questions():
        item = question.outcome
        if item is None:
            continue
        where = (*loc, "outcome")
        named = f"question '{question.id}'"
        if not isinstance(question, tuple(OUTCOME_TYPES.values())):
            yield Problem(
                f"{named} is a {question.type} question, whose answer cannot record outcomes: "
                "expected outcome: on a yes_no, single_choice, number or text question",
                where,
            )
            continue
        if kinds is not None and item.kind not in kinds:
            yield Problem(
                f"{named}: unknown kind of outcome '{item.kind}': expected one of "
                f"{', '.join(kinds)} (set in feedback.toml under [programme.outcome_kinds])"
                + did_you_mean(item.kind, kinds),
                (*where, "kind"),
            )
        if question.id in code:
            yield Problem(
                f"{named} is a part of the self-generated code, which is stored only as a keyed "
                "hash: it cannot record outcomes",
                where,
            )
        yield from _when_problems(question, item.when, where)


def _when_problems(question: Any, when: list[str | bool] | None, where: Loc) -> Iterator[Problem]:
    """``when:`` names answers the question offers, on a question that has choices."""
    named = f"question '{question.id}'"
    if isinstance(question, SingleChoice):
        ids = question.answer_ids()
        if when is None:
            yield Problem(
                f"{named}: say which choices record an outcome, e.g. outcome: {{kind: "
                f"{getattr(question.outcome, 'kind', 'KIND')}, when: [{ids[0]}]}} "
                f"(choices: {', '.join(ids)})",
                where,
            )
        for i, value in enumerate(when or ()):
            if not isinstance(value, str) or value not in ids:
                yield Problem(
                    f"{named}: unknown choice {value!r}, expected one of {', '.join(ids)}"
                    + did_you_mean(str(value), ids),
                    (*where, "when", i),
                )
    elif isinstance(question, YesNo):
        for i, value in enumerate(when or ()):
            if value not in YES_NO_WHEN:
                yield Problem(f"{named}: expected yes or no, found {value!r}", (*where, "when", i))
    elif when is not None:
        counted = "the number" if isinstance(question, Number) else "any answer"
        yield Problem(
            f"{named}: when: is for yes_no and single_choice questions; a {question.type} "
            f"question records outcomes by {counted}",
            (*where, "when"),
        )
    if isinstance(question, Number) and not question.integer:
        yield Problem(
            f"{named}: a number question that records outcomes counts them: set integer: true",
            where,
        )


def _stage_problems(survey: Survey) -> Iterator[Problem]:
    for loc, question in survey.located_questions():
        if question.stage is not None and question.measures is None:
            yield Problem(
                f"stage: {question.stage} pairs an item with others of its construct: give it "
                "measures: too",
                (*loc, "stage"),
            )


def _linking_problems(survey: Survey) -> Iterator[Problem]:
    """A follow-up reached by personal links says it is pseudonymous; linking needs a way to
    link; a self-generated code is made of short text questions of the survey."""
    if survey.follows is not None and survey.follows.survey == survey.id:
        yield Problem("a survey cannot follow itself", ("follows", "survey"))
    if survey.linking == "pseudonymous" and survey.anonymous:
        yield Problem(
            "linking: pseudonymous links a person's answers by their personal link, which an "
            "anonymous survey has none of; set anonymous: false, or link anonymous answers with "
            "self_code",
            ("linking",),
        )
    if survey.follows is not None and not survey.anonymous and survey.linking != "pseudonymous":
        yield Problem(
            "a follow-up reached by personal links is linked to the person's first answers: "
            "declare linking: pseudonymous, so that participants are told before they answer",
            ("follows",),
        )
    if survey.self_code is not None:
        if not survey.anonymous:
            yield Problem(
                "self_code is for anonymous surveys; a survey of personal links is linked by "
                "linking: pseudonymous",
                ("self_code",),
            )
        by_id = survey.by_id
        for index, question_id in enumerate(survey.self_code):
            question = by_id.get(question_id)
            if question is None:
                yield Problem(
                    f"unknown question '{question_id}'{did_you_mean(question_id, list(by_id))}",
                    ("self_code", index),
                )
            elif not isinstance(question, TextQuestion) or question.long:
                yield Problem(
                    f"question '{question_id}' is a {question.type} question; a part of a "
                    "self-generated code is a short text question",
                    ("self_code", index),
                )
            elif question.measures is not None:
                yield Problem(
                    f"question '{question_id}' measures '{question.measures}'; a part of a "
                    "self-generated code is never scored",
                    ("self_code", index),
                )
        if len(set(survey.self_code)) != len(survey.self_code):
            yield Problem("a question is listed twice", ("self_code",))


def _id_problems(survey: Survey) -> Iterator[Problem]:
    seen: set[str] = set()
    for loc, question in survey.located_questions():
        if question.id in RESERVED_IDS:
            yield Problem(
                f"'{question.id}' is reserved for conditions; choose another id", (*loc, "id")
            )
        if question.id in seen:
            yield Problem(f"question id '{question.id}' is used twice", (*loc, "id"))
        seen.add(question.id)


def _scale_problems(survey: Survey) -> Iterator[Problem]:
    for loc, question in survey.located_questions():
        if (
            isinstance(question, ScaleQuestion)
            and isinstance(question.scale, str)
            and question.scale not in survey.scales
        ):
            known = ", ".join(survey.scales) or "none defined"
            yield Problem(
                f"unknown scale '{question.scale}' (scales: {known})"
                + did_you_mean(question.scale, survey.scales),
                (*loc, "scale"),
            )


def _condition_problems(survey: Survey) -> Iterator[Problem]:
    earlier: dict[str, Any] = {}
    every = survey.by_id
    for loc, question in survey.located_questions():
        if question.show_if is not None:
            where = (*loc, "show_if")
            for compare in comparisons(question.show_if):
                target = earlier.get(compare.question)
                if target is None:
                    if compare.question == question.id:
                        why = f"'{compare.question}' is this question itself"
                    elif compare.question in every:
                        why = f"'{compare.question}' comes later in the survey"
                    else:
                        why = f"unknown question '{compare.question}'" + did_you_mean(
                            compare.question, list(earlier)
                        )
                    yield Problem(f"{why}; a condition may refer only to earlier questions", where)
                    continue
                if _unknown_scale(survey, target):
                    continue  # reported on the target: it has no points to compare with
                message = _comparison_problem(target, compare.op, compare.value)
                if message:
                    yield Problem(f"condition on '{compare.question}': {message}", where)
        earlier[question.id] = question


def _unknown_scale(survey: Survey, question: Any) -> bool:
    return (
        isinstance(question, ScaleQuestion)
        and isinstance(question.scale, str)
        and question.scale not in survey.scales
    )


def _comparison_problem(target: Any, op: str, value: Any) -> str | None:
    if op == "answered":
        return None
    kind = target.condition_kind()
    values = value if isinstance(value, tuple) else (value,)
    if kind == "none":
        return f"a {target.type} question cannot be compared; only 'answered' applies"
    if op in NUMERIC and kind not in ("number", "date"):
        return f"'{op}' needs a number, rating or date question, and this is {target.type}"
    for v in values:
        if kind == "date":
            try:
                date_from(v)
            except AnswerError:
                return f"expected a date (YYYY-MM-DD), found {v!r}"
            continue
        if kind == "id":
            ids = target.answer_ids()
            if not isinstance(v, str) or v not in ids:
                return f"unknown value {v!r}, expected one of {', '.join(ids)}" + did_you_mean(
                    str(v), ids
                )
        elif kind == "number" and (isinstance(v, bool) or not isinstance(v, int | float)):
            return f"expected a number, found {v!r}"
        elif kind == "bool" and not isinstance(v, bool):
            return f"expected true or false, found {v!r}"
        elif kind == "text" and not isinstance(v, str):
            return f"expected text, found {v!r}"
    return None


def located_texts(survey: Survey) -> Iterator[tuple[Loc, Text]]:
    """Every visible string of the survey with its path in the file."""
    for name in ("title", "description", "thank_you"):
        value = getattr(survey, name)
        if value is not None:
            yield (name,), value
    for name, scale in survey.scales.items():
        yield from _scale_texts(("scales", name), scale)
    if survey.sections is not None:
        for s, section in enumerate(survey.sections):
            for name in ("title", "intro"):
                value = getattr(section, name)
                if value is not None:
                    yield ("sections", s, name), value
    for loc, question in survey.located_questions():
        for sub, value in question.texts():
            yield (*loc, *sub), value
        if isinstance(question, ScaleQuestion) and not isinstance(question.scale, str):
            yield from _scale_texts((*loc, "scale"), question.scale)


def _scale_texts(loc: Loc, scale: Scale) -> Iterator[tuple[Loc, Text]]:
    for i, point in enumerate(scale.points):
        if point.label is not None:
            yield (*loc, "points", i, "label"), point.label
    if scale.na is not None and scale.na.label is not None:
        yield (*loc, "na", "label"), scale.na.label


def _language_problems(survey: Survey) -> Iterator[Problem]:
    languages = survey.languages
    for loc, text in located_texts(survey):
        if isinstance(text, str):
            continue
        missing = [lang for lang in languages if not text.get(lang, "").strip()]
        if missing:
            yield Problem(f"missing translation: {', '.join(missing)}", loc)
        for lang in text:
            if lang not in languages:
                yield Problem(
                    f"language '{lang}' is not one of the survey's languages "
                    f"({', '.join(languages)})" + did_you_mean(lang, languages),
                    (*loc, lang),
                )
