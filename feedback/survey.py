"""The survey definition: sections and the survey itself, its version, and plugin question types.

A survey file is data (YAML or JSON); `feedback.loading` turns one into a `Survey` and reports every
problem with its file, line and dotted path. The parts live in `feedback.options` (texts, options,
scales) and `feedback.questions` (question types); they are re-exported here.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from feedback.options import (
    RESERVED_IDS,
    Language,
    Model,
    Option,
    QuestionId,
    Scale,
    Slug,
    Text,
    humanise,
    localise,
)
from feedback.questions import (
    BUILTIN_QUESTION_TYPES,
    ChoiceQuestion,
    DateQuestion,
    Likert,
    MultiChoice,
    Note,
    Number,
    Question,
    QuestionBase,
    Rating,
    ScaleQuestion,
    SingleChoice,
    TextQuestion,
    ThenNow,
    YesNo,
    type_name,
)

__all__ = [
    "BUILTIN_QUESTION_TYPES",
    "RESERVED_IDS",
    "ChoiceQuestion",
    "DateQuestion",
    "Language",
    "Likert",
    "Model",
    "MultiChoice",
    "Note",
    "Number",
    "Option",
    "Question",
    "QuestionBase",
    "QuestionId",
    "Rating",
    "Scale",
    "ScaleQuestion",
    "Section",
    "SingleChoice",
    "Slug",
    "Survey",
    "Text",
    "TextQuestion",
    "ThenNow",
    "YesNo",
    "humanise",
    "localise",
    "survey_model",
    "type_name",
]


class Section(Model):
    id: QuestionId | None = None
    title: Text | None = None
    intro: Text | None = None
    questions: list[Question] = Field(min_length=1)


class Follows(Model):
    """What a follow-up survey follows: the first survey, the wave's name, and when it is due."""

    survey: Slug = Field(description="The id of the survey this one follows up.")
    wave: QuestionId = Field(
        description="The follow-up's name among the waves of the first survey, e.g. day_90."
    )
    due_days: int = Field(
        ge=1, le=3660, description="Days after the event when the follow-up is due."
    )


class Survey(Model):
    """A survey definition. Build one with `feedback.loading.parse_survey` to get located errors."""

    id: Slug
    title: Text
    description: Text | None = None
    languages: list[Language] = Field(default_factory=lambda: ["en"], min_length=1)
    anonymous: bool = True
    keep_partial: bool = Field(
        default=False,
        description=(
            "Keep the answers of a kiosk session abandoned before Submit as a partial response "
            "(stored with partial: true; required questions may be unanswered). Off: an "
            "abandoned session's answers are discarded, never shown, never stored."
        ),
    )
    follows: Follows | None = Field(
        default=None, description="Set on a follow-up survey: the survey it follows and when."
    )
    linking: Literal["none", "pseudonymous"] = Field(
        default="none",
        description="pseudonymous: a person's answers are linked to their answers to the "
        "survey it follows, by a keyed hash (the key is kept apart from the database); the "
        "participant is told before the first question. Required for a follow-up reached by "
        "personal links.",
    )
    self_code: list[QuestionId] | None = Field(
        default=None,
        min_length=2,
        max_length=3,
        description="For anonymous surveys: the ids of two or three short text questions only "
        "the participant can answer (a parent's first initial, a birth month); their answers "
        "are stored only as a keyed hash that links a follow-up to the first answers.",
    )
    scales: dict[QuestionId, Scale] = Field(default_factory=dict)
    questions: list[Question] | None = None
    sections: list[Section] | None = None
    thank_you: Text | None = None

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a language is listed twice")
        return value

    @model_validator(mode="after")
    def _semantics(self, info: ValidationInfo) -> Survey:
        from feedback.checks import survey_problems

        if (self.questions is None) == (self.sections is None):
            raise ValueError("expected either 'questions' or 'sections' (exactly one of them)")
        for question in self.all_questions():
            if isinstance(question, ScaleQuestion) and isinstance(question.scale, str):
                question._scale = self.scales.get(question.scale)
        if not (info.context or {}).get("defer_checks"):
            problems = survey_problems(self)
            if problems:
                raise ValueError("; ".join(p.render() for p in problems))
        return self

    # -- navigation ---------------------------------------------------------------------------

    def section_list(self) -> list[Section]:
        """The sections; a flat ``questions`` list is one implicit section."""
        if self.sections is not None:
            return self.sections
        return [Section.model_construct(id=None, title=None, intro=None, questions=self.questions)]

    def located_questions(self) -> Iterator[tuple[tuple[str | int, ...], QuestionBase]]:
        """Each question with its path in the file, e.g. ``("sections", 1, "questions", 0)``."""
        if self.sections is not None:
            for s, section in enumerate(self.sections):
                for q, question in enumerate(section.questions):
                    yield ("sections", s, "questions", q), question
        else:
            for q, question in enumerate(self.questions or []):
                yield ("questions", q), question

    @property
    def traceable(self) -> bool:
        """Whether the database may tie a response to the person who gave it: a named survey
        (``anonymous: false``, no ``linking``). An anonymous survey's responses are tied to
        nobody, and a pseudonymous one's only through the keyed link, never directly: an
        invitation completed keeps neither the response nor the time, only the date."""
        return not self.anonymous and self.linking == "none"

    def all_questions(self) -> list[QuestionBase]:
        """Every question in order (a fresh list: callers may change it)."""
        return list(self.questions_in_order)

    @functools.cached_property
    def questions_in_order(self) -> tuple[QuestionBase, ...]:
        """Every question in order, computed once."""
        return tuple(q for _, q in self.located_questions())

    @functools.cached_property
    def by_id(self) -> dict[str, QuestionBase]:
        return {q.id: q for q in self.all_questions()}

    def question(self, question_id: str) -> QuestionBase:
        return self.by_id[question_id]

    def visible(self, answers: dict[str, Any]) -> list[QuestionBase]:
        """The questions shown, given the answers so far (``show_if`` applied in order).

        An answer left over on a hidden question counts as no answer, so whatever depends on it
        is hidden too, as `feedback.responses.answer_problems` sees it.
        """
        shown: dict[str, Any] = {}
        out = []
        for question in self.questions_in_order:
            if question.show_if is None or question.show_if.evaluate(shown):
                out.append(question)
                if question.id in answers:
                    shown[question.id] = answers[question.id]
        return out

    def measures(self, construct: str) -> list[QuestionBase]:
        """Items tagged ``measures: construct``."""
        return [q for q in self.all_questions() if q.measures == construct]

    # -- identity -----------------------------------------------------------------------------

    def canonical(self) -> dict[str, Any]:
        """The definition as stored: defaults left out, so a new optional field keeps versions."""
        return self.model_dump(mode="json", exclude_defaults=True)

    @functools.cached_property
    def canonical_json(self) -> str:
        """The canonical definition as JSON text, as the ``surveys`` table keeps it (made once)."""
        return json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False)

    @functools.cached_property
    def version(self) -> str:
        """A hash of the canonical content: the same survey, however formatted, same version."""
        blob = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def text(self, value: Text | None, language: str | None = None, default: str = "") -> str:
        return localise(value, language or self.languages[0], default)


@functools.cache
def survey_model(extra_types: tuple[type[QuestionBase], ...] = ()) -> type[Survey]:
    """The `Survey` model whose question union also holds ``extra_types`` (from plugins)."""
    if not extra_types:
        return Survey
    union: Any = functools.reduce(
        lambda a, b: a | b,  # type: ignore[arg-type, return-value]
        BUILTIN_QUESTION_TYPES + extra_types,
    )
    question: Any = Annotated[union, Field(discriminator="type")]
    section: Any = create_model(
        "Section",
        __base__=Section,
        questions=(list[question], Field(min_length=1)),
    )
    return create_model(
        "Survey",
        __base__=Survey,
        questions=(list[question] | None, None),
        sections=(list[section] | None, None),
    )
