"""The built-in question types: each a pydantic model with ``check(value)`` for its answers.

They form a discriminated union on ``type``; plugins add types through ``register_question_types``
(subclass `QuestionBase`). Answer encoding: choice and scale points by id, ``multi_choice`` a list of
ids, ``then_now`` ``{"then": id, "now": id}``, ``rating``/``number`` numbers, ``yes_no`` booleans,
``text`` strings.
"""

from __future__ import annotations

import functools
import json
import math
import typing
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from feedback.conditions import ShowIf
from feedback.errors import did_you_mean
from feedback.options import Model, Option, QuestionId, Scale, Text, unique_ids


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
    report_label: Text | None = Field(
        default=None,
        description='How a report names what the item measures, per language ("Understanding of '
        "the National Rapporteur's role\"): outcomes are written to funders, not to participants.",
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
        if self.report_label is not None:
            yield ("report_label",), self.report_label

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
        return unique_ids(value, "choice")

    def texts(self) -> Iterator[tuple[tuple[str | int, ...], Text]]:
        yield from super().texts()
        for i, choice in enumerate(self.choices):
            if choice.label is not None:
                yield ("choices", i, "label"), choice.label
            if choice.report_label is not None:
                yield ("choices", i, "report_label"), choice.report_label

    def answer_ids(self) -> list[str]:
        return [c.id for c in self.choices]

    @functools.cached_property
    def choice_set(self) -> frozenset[str]:
        """The choice ids, for fast membership tests when checking many answers."""
        return frozenset(self.answer_ids())

    def condition_kind(self) -> str:
        return "id"

    def _unknown(self, value: str) -> str:
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

    @functools.cached_property
    def resolved_scale(self) -> Scale:
        """The scale itself (a named one, once the survey resolved it); kept once found."""
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
