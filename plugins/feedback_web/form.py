"""The survey as web pages: one page per section, form fields to answers, answers to form fields.

No HTTP here. Each question is drawn by its type's ``web`` rendering (a template target the type
registers: `template`, loaded by `TargetLoader`) and read by its type's one parser
(`QuestionBase.parse`, which every channel uses); ``show_if`` is applied with the answers of earlier
pages, and every problem is worded for the participant in their language (`AnswerError.worded`).
Nothing here knows a question type by its class.

Field names: a question's id, repeated for a list (ticked boxes), or ``<id>.<row>`` for rows (the
then/now question's ``<id>.then`` and ``<id>.now``): `raw_from_form` gives the parser a str, a list
or a dict. Yes/no posts ``yes`` or ``no``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jinja2 import BaseLoader, Environment, TemplateNotFound

from feedback.errors import FeedbackError
from feedback.question_types import AnswerError, QuestionTypes, resource_text
from feedback.survey import QuestionBase, Survey

if TYPE_CHECKING:
    from feedback.engine import Engine

#: how the web form draws question types (`feedback.question_types.RENDERINGS`)
RENDERING = "web"
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
    """Parse and check the fields of one page, given the answers of the other pages: each
    question's fields through its type's one parser (`QuestionBase.parse`)."""
    section = survey.section_list()[page]
    on_page = {q.id for q in section.questions}
    result = PageResult()
    parsed: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for question in section.questions:
        if not question.answerable:
            continue
        raw = raw_from_form(question, form)
        result.typed[question.id] = raw
        try:
            value = question.parse(raw)
        except AnswerError as exc:
            problems[question.id] = exc.worded(words)
            continue
        if value is not None:
            parsed[question.id] = value
    merged = {k: v for k, v in answers.items() if k not in on_page} | parsed
    visible = [q for q in survey.visible(merged) if q.id in on_page]
    result.visible = [q.id for q in visible]
    for shown in visible:
        if not shown.answerable:
            continue
        qid = shown.id
        if qid in problems:
            result.errors[qid] = problems[qid]
        elif qid in parsed:
            result.answers[qid] = parsed[qid]
        elif shown.required:
            result.errors[qid] = words["required"]
    return result


def raw_from_form(question: QuestionBase, form: Form) -> Any:
    """What the posted fields of a question hold, for `QuestionBase.parse`: the fields
    ``<id>.<row>`` as ``{row: value}`` (a then/now question's rows), else the field ``<id>``:
    ``None`` when absent, its value, or the list of its values when repeated (ticked boxes)."""
    qid = question.id
    prefix = qid + "."
    rows = {
        name[len(prefix) :]: values[-1]
        for name, values in form.items()
        if name.startswith(prefix) and values
    }
    if rows:
        return rows
    values = list(form.get(qid) or [])
    if not values:
        return None
    if len(values) == 1:
        return values[0].replace("\r\n", "\n").replace("\r", "\n")
    return values


def typed_from_answer(question: QuestionBase, value: Any) -> Any:
    """What the form fields hold for a stored answer (the inverse of `QuestionBase.parse`)."""
    raw = question.raw(value) if value is not None else None
    return "" if raw is None else raw


def options(question: QuestionBase, language: str) -> list[tuple[str, str]]:
    """(id, label) of each choice or scale point, the N/A point last."""
    return [(option.id, option.text(language)) for option in question.offered()]


def widget(question: QuestionBase) -> str:
    """The name a question's wrapper is known by in the page (``data-widget``): its type."""
    return question.type


def web_types(types: QuestionTypes) -> QuestionTypes:
    """The engine's types with the web form's renderings of the built-in types, which its plugin
    registers (`feedback_web.register_renderings`), also on an engine without the plugin."""
    from feedback_web import register_renderings

    return types.including(register_renderings, "feedback_web")


def template(types: QuestionTypes, question: QuestionBase) -> str:
    """The template target that draws ``question`` (its type's ``web`` rendering)."""
    target = web_types(types).target(question.type, RENDERING)
    if target is None:
        raise LookupError(f"question type '{question.type}' has no web rendering")
    return target


def require(types: QuestionTypes, survey: Survey) -> None:
    """Refuse now a survey the web form cannot draw in full.

    :raises SurveyError: naming each question and its type.
    """
    web_types(types).require(survey, RENDERING, "web form")


#: where the core's components are: the page loads them always (types.js)
CORE_COMPONENTS = "feedback:static/js/"


def component_types(types: QuestionTypes, survey: Survey) -> list[str]:
    """The question types of ``survey`` whose browser component (the type's ``offline``
    rendering: it reads the type's fields and parses them, for show_if applied live) the page
    loads beyond the core's, each once, served at ``/static/types/<type>.js``."""
    out: list[str] = []
    for question in survey.questions_in_order:
        target = types.target(question.type, "offline")
        if target and not target.startswith(CORE_COMPONENTS) and question.type not in out:
            out.append(question.type)
    return out


def component_source(types: QuestionTypes, type_name: str) -> str | None:
    """The text of a plugin type's browser component, or ``None`` when it has none."""
    target = types.target(type_name, "offline")
    if target is None or target.startswith(CORE_COMPONENTS):
        return None
    try:
        return resource_text(target)
    except (ValueError, OSError, ModuleNotFoundError):
        return None


def require_served(engine: Engine) -> None:
    """Refuse now (`feedback serve`) to serve surveys the web form cannot draw: the default
    survey (open links) and the survey of every invitation not completed yet (personal links).

    :raises FeedbackError: the default survey is broken or unknown, or a survey has a question of
        a type with no web rendering (`SurveyError`, naming each question).
    """
    surveys = [engine.survey()]
    rows = engine.store.conn.execute(
        "SELECT DISTINCT survey FROM invitations WHERE completed IS NULL ORDER BY survey"
    ).fetchall()
    for (survey_id,) in rows:
        if survey_id == surveys[0].id:
            continue
        try:
            surveys.append(engine.survey(survey_id))
        except FeedbackError:
            continue  # its link says so when opened, as before
    for survey in surveys:
        require(engine.types, survey)


class TargetLoader(BaseLoader):
    """Templates named by target, ``"package:path/inside/the/package"``: the web renderings of
    question types, wherever their package is."""

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if ":" not in template:
            raise TemplateNotFound(template)
        try:
            source = resource_text(template)
        except (ValueError, OSError, ModuleNotFoundError) as exc:
            raise TemplateNotFound(template) from exc
        return source, None, lambda: True


def definition_json(survey: Survey, question: QuestionBase) -> str:
    """The question's definition as JSON (every field, a named scale put in), for the page's
    script to read answers with the one parser's JavaScript twin (``FeedbackAnswers``)."""
    definition = question.model_dump(mode="json")
    if isinstance(definition.get("scale"), str) and definition["scale"] in survey.scales:
        definition["scale"] = survey.scales[definition["scale"]].model_dump(mode="json")
    return json.dumps(definition, ensure_ascii=False, separators=(",", ":"))


def condition_json(question: QuestionBase) -> str | None:
    """The question's ``show_if`` as JSON, for the page's script to apply live."""
    if question.show_if is None:
        return None
    return json.dumps(question.model_dump(mode="json", include={"show_if"})["show_if"])
