"""Pydantic models of a survey definition: texts, scales, question types, sections, the survey.

A survey file is data (YAML or JSON); `feedback.loading` turns one into a `Survey` and reports every
problem with its file, line and dotted path. Question types form a discriminated union on ``type``;
plugins add types through the ``register_question_types`` hook (see `survey_model`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import typing
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidationInfo,
    create_model,
    field_validator,
    model_serializer,
    model_validator,
)

from feedback.conditions import ShowIf

QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
#: Every visible string: plain text (the same in every language) or ``{language: text}``.
Text = str | dict[str, str]

RESERVED_IDS = frozenset({"all", "any", "not"})


def humanise(identifier: str) -> str:
    """``strongly_agree`` -> ``Strongly agree``: the label of an option given by id alone."""
    words = identifier.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def localise(text: Text | None, language: str, default: str = "") -> str:
    """The text in ``language``; a plain string is the same in every language."""
    if text is None:
        return default
    if isinstance(text, str):
        return text
    if language in text:
        return text[language]
    return next(iter(text.values()), default)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Option(Model):
    """A choice or a scale point: an id, and a label (shown humanised from the id when omitted)."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
    label: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, data: Any) -> Any:
        if isinstance(data, str | int) and not isinstance(data, bool):
            return {"id": str(data)}
        return data

    def text(self, language: str) -> str:
        return localise(self.label, language, humanise(self.id))


def _unique_ids(options: list[Option], what: str) -> list[Option]:
    seen: set[str] = set()
    for option in options:
        if option.id in seen:
            raise ValueError(f"{what} '{option.id}' appears twice")
        seen.add(option.id)
    return options


class Scale(Model):
    """Ordered points, lowest first, and an optional "don't know"/N/A point kept apart."""

    points: list[Option] = Field(min_length=2)
    na: Option | None = None

    @model_validator(mode="after")
    def _check(self) -> Scale:
        _unique_ids(self.points, "point")
        if self.na is not None and self.na.id in {p.id for p in self.points}:
            raise ValueError(f"the N/A point '{self.na.id}' is also a point of the scale")
        return self

    def ids(self) -> list[str]:
        return [p.id for p in self.points]

    def score(self, point: str) -> int | None:
        """1-based position of a point on the scale; ``None`` for N/A or unknown."""
        try:
            return self.ids().index(point) + 1
        except ValueError:
            return None


class QuestionBase(Model):
    """Fields every question has. Subclasses set ``type`` and implement `check`."""

    #: False for types that ask nothing (notes)
    answerable: ClassVar[bool] = True

    type: str
    id: QuestionId
    label: Text
    help: Text | None = None
    required: bool = False
    show_if: ShowIf | None = None
    measures: QuestionId | None = Field(
        default=None, description="The construct this item measures; scorers find items by it."
    )

    @model_serializer(mode="wrap")
    def _keep_type(self, handler: SerializerFunctionWrapHandler) -> Any:
        # ``type`` has a default in every variant, so ``exclude_defaults`` would drop the
        # discriminator: the canonical form could not be read back and a change of type
        # would not change the version.
        data = handler(self)
        if isinstance(data, dict):
            data = {"type": self.type, **data}
        return data

    def check(self, value: Any) -> str | None:
        """Return why ``value`` is not a valid answer, or ``None`` when it is."""
        raise NotImplementedError

    def texts(self) -> Iterator[tuple[tuple[str | int, ...], Text]]:
        """Every visible text of the question with its path inside the question."""
        yield ("label",), self.label
        if self.help is not None:
            yield ("help",), self.help

    def answer_ids(self) -> list[str] | None:
        """The option ids an answer may use (for conditions), or ``None`` for free values."""
        return None

    def condition_kind(self) -> str:
        """What values a ``show_if`` comparison on this question takes: id, number, bool, text."""
        return "text"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class ChoiceQuestion(QuestionBase):
    choices: list[Option] = Field(min_length=1)

    @field_validator("choices")
    @classmethod
    def _unique(cls, value: list[Option]) -> list[Option]:
        return _unique_ids(value, "choice")

    def texts(self) -> Iterator[tuple[tuple[str | int, ...], Text]]:
        yield from super().texts()
        for i, choice in enumerate(self.choices):
            if choice.label is not None:
                yield ("choices", i, "label"), choice.label

    def answer_ids(self) -> list[str]:
        return [c.id for c in self.choices]

    @functools.cached_property
    def choice_set(self) -> frozenset[str]:
        """The choice ids, for fast membership tests when checking many answers."""
        return frozenset(self.answer_ids())

    def condition_kind(self) -> str:
        return "id"

    def _unknown(self, value: str) -> str:
        from feedback.errors import did_you_mean

        return f"unknown choice '{value}'" + did_you_mean(value, self.answer_ids())


class SingleChoice(ChoiceQuestion):
    type: Literal["single_choice"] = "single_choice"

    def check(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return f"expected a choice id (text), found {_type_name(value)} {_describe(value)}"
        if value not in self.choice_set:
            return self._unknown(value)
        return None


class MultiChoice(ChoiceQuestion):
    type: Literal["multi_choice"] = "multi_choice"
    min_selections: int = Field(default=0, ge=0)
    max_selections: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _bounds(self) -> MultiChoice:
        top = self.max_selections if self.max_selections is not None else len(self.choices)
        if self.min_selections > top or top > len(self.choices):
            raise ValueError(
                f"selections must satisfy min_selections <= max_selections <= number of choices "
                f"({len(self.choices)}), found {self.min_selections} and {self.max_selections}"
            )
        return self

    def check(self, value: Any) -> str | None:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"expected a list of choice ids, found {_type_name(value)} {_describe(value)}"
        for v in value:
            if v not in self.choice_set:
                return self._unknown(v)
        if len(set(value)) != len(value):
            return "a choice is ticked twice"
        if len(value) < self.min_selections:
            return f"expected at least {self.min_selections} selections, found {len(value)}"
        if self.max_selections is not None and len(value) > self.max_selections:
            return f"expected at most {self.max_selections} selections, found {len(value)}"
        return None


class ScaleQuestion(QuestionBase):
    scale: QuestionId | Scale = Field(description="The name of a scale of the survey, or a scale.")
    allow_na: bool = Field(default=True, description="Offer the scale's N/A point, if it has one.")
    _scale: Scale | None = PrivateAttr(default=None)

    @property
    def resolved_scale(self) -> Scale:
        if isinstance(self.scale, Scale):
            return self.scale
        if self._scale is None:
            raise LookupError(f"scale '{self.scale}' of question '{self.id}' is not resolved")
        return self._scale

    def point_ids(self) -> list[str]:
        scale = self.resolved_scale
        ids = scale.ids()
        if self.allow_na and scale.na is not None:
            ids.append(scale.na.id)
        return ids

    def answer_ids(self) -> list[str]:
        return self.point_ids()

    @functools.cached_property
    def point_set(self) -> frozenset[str]:
        """The point ids an answer may use, for fast membership tests."""
        return frozenset(self.point_ids())

    def condition_kind(self) -> str:
        return "id"

    def _check_point(self, value: Any, what: str = "") -> str | None:
        from feedback.errors import did_you_mean

        if not isinstance(value, str):
            return f"expected {what}a scale point id, found {_type_name(value)} {_describe(value)}"
        if value not in self.point_set:
            return (
                f"unknown {what}point {_describe(value)}, expected one of "
                f"{', '.join(self.point_ids())}" + did_you_mean(value, self.point_ids())
            )
        return None


class Likert(ScaleQuestion):
    type: Literal["likert"] = "likert"
    reverse: bool = Field(default=False, description="Reverse-coded: agreement means less.")

    def check(self, value: Any) -> str | None:
        return self._check_point(value)


class ThenNow(ScaleQuestion):
    """Retrospective pre/post: the same scale for "before the seminar" and "now"."""

    type: Literal["then_now"] = "then_now"
    then_label: Text | None = None
    now_label: Text | None = None

    def texts(self) -> Iterator[tuple[tuple[str | int, ...], Text]]:
        yield from super().texts()
        if self.then_label is not None:
            yield ("then_label",), self.then_label
        if self.now_label is not None:
            yield ("now_label",), self.now_label

    def condition_kind(self) -> str:
        return "none"

    def check(self, value: Any) -> str | None:
        if not isinstance(value, dict) or set(value) != {"then", "now"}:
            return f'expected {{"then": point, "now": point}}, found {_describe(value)}'
        return self._check_point(value["then"], "'then' ") or self._check_point(
            value["now"], "'now' "
        )


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    # an int is always finite; math.isfinite() of one beyond float range raises OverflowError
    return isinstance(value, int) or math.isfinite(value)


class Rating(QuestionBase):
    type: Literal["rating"] = "rating"
    min: int = 0
    max: int = 10
    min_label: Text | None = None
    max_label: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> Rating:
        if self.max <= self.min or self.max - self.min > 100:
            raise ValueError(f"expected min < max within 100 points, found {self.min}..{self.max}")
        return self

    def texts(self) -> Iterator[tuple[tuple[str | int, ...], Text]]:
        yield from super().texts()
        for name in ("min_label", "max_label"):
            if getattr(self, name) is not None:
                yield (name,), getattr(self, name)

    def condition_kind(self) -> str:
        return "number"

    def check(self, value: Any) -> str | None:
        if not _is_number(value) or int(value) != value:
            return f"expected a whole number, found {_type_name(value)} {_describe(value)}"
        if not self.min <= value <= self.max:
            return f"out of range: expected {self.min} to {self.max}, found {_describe(value)}"
        return None


class YesNo(QuestionBase):
    type: Literal["yes_no"] = "yes_no"

    def condition_kind(self) -> str:
        return "bool"

    def check(self, value: Any) -> str | None:
        if not isinstance(value, bool):
            return f"expected true or false, found {_type_name(value)} {_describe(value)}"
        return None


class Number(QuestionBase):
    type: Literal["number"] = "number"
    min: float | None = None
    max: float | None = None
    integer: bool = False
    unit: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> Number:
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"expected min <= max, found {self.min} and {self.max}")
        return self

    def texts(self) -> Iterator[tuple[tuple[str | int, ...], Text]]:
        yield from super().texts()
        if self.unit is not None:
            yield ("unit",), self.unit

    def condition_kind(self) -> str:
        return "number"

    def check(self, value: Any) -> str | None:
        if not _is_number(value):
            return f"expected a number, found {_type_name(value)} {_describe(value)}"
        if self.integer and int(value) != value:
            return f"expected a whole number, found {_describe(value)}"
        if (self.min is not None and value < self.min) or (
            self.max is not None and value > self.max
        ):
            low = "" if self.min is None else f"at least {self.min:g}"
            high = "" if self.max is None else f"at most {self.max:g}"
            return (
                f"out of range: expected {' and '.join(filter(None, [low, high]))}, found {value}"
            )
        return None


class TextQuestion(QuestionBase):
    type: Literal["text"] = "text"
    long: bool = Field(default=False, description="A multi-line answer.")
    max_length: int = Field(default=2000, ge=1, le=100_000)

    def check(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return f"expected text, found {_type_name(value)} {_describe(value)}"
        if len(value) > self.max_length:
            return f"too long: at most {self.max_length} characters, found {len(value)}"
        if not self.long and ("\n" in value or "\r" in value):
            return "expected a single line, found a line break"
        return None


class Note(QuestionBase):
    """Text shown to the participant; nothing is asked."""

    answerable: ClassVar[bool] = False
    type: Literal["note"] = "note"
    required: Literal[False] = False

    def condition_kind(self) -> str:
        return "none"

    def check(self, value: Any) -> str | None:
        return "is a note: nothing is asked, so no answer is expected"


def type_name(question_type: type[QuestionBase]) -> str:
    """The ``type`` a question class answers to: its ``Literal``, e.g. ``"likert"``."""
    args = typing.get_args(question_type.model_fields["type"].annotation)
    return str(args[0]) if len(args) == 1 else str(question_type.model_fields["type"].default)


BUILTIN_QUESTION_TYPES: tuple[type[QuestionBase], ...] = (
    SingleChoice,
    MultiChoice,
    Likert,
    ThenNow,
    Rating,
    YesNo,
    Number,
    TextQuestion,
    Note,
)

Question = Annotated[
    SingleChoice | MultiChoice | Likert | ThenNow | Rating | YesNo | Number | TextQuestion | Note,
    Field(discriminator="type"),
]


class Section(Model):
    id: QuestionId | None = None
    title: Text | None = None
    intro: Text | None = None
    questions: list[Question] = Field(min_length=1)


class Survey(Model):
    """A survey definition. Build one with `feedback.loading.parse_survey` to get located errors."""

    id: Slug
    title: Text
    description: Text | None = None
    languages: list[Language] = Field(default_factory=lambda: ["en"], min_length=1)
    anonymous: bool = True
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
        for question in self.all_questions():
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
    union = functools.reduce(lambda a, b: a | b, BUILTIN_QUESTION_TYPES + extra_types)
    question = Annotated[union, Field(discriminator="type")]  # type: ignore[valid-type]
    section = create_model(
        "Section",
        __base__=Section,
        questions=(list[question], Field(min_length=1)),  # type: ignore[valid-type]
    )
    return create_model(
        "Survey",
        __base__=Survey,
        questions=(list[question] | None, None),  # type: ignore[valid-type]
        sections=(list[section] | None, None),  # type: ignore[valid-type]
    )
