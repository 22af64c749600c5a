"""The built-in question types: each a pydantic model with ``parse(raw)``, the one parser of its
answers that every channel and every import uses (what was typed or given -> the stored value, or an
`AnswerError`; mirrored for the forms by feedback/static/js/answers.js and tested against
tests/data/answer_vectors.json), and ``check(value)`` for a stored answer.

They form a discriminated union on ``type``; plugins add types through ``register_question_types``
(subclass `QuestionBase`). Answer encoding: choice and scale points by id, ``multi_choice`` a list of
ids, ``then_now`` ``{"then": id, "now": id}``, ``rating``/``number`` numbers, ``yes_no`` booleans,
``text`` strings, ``date`` ISO dates as strings (``"2026-01-14"``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import typing
from collections.abc import Iterable, Iterator
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
from feedback.question_types import AnswerError

#: What is stripped from both ends of typed text: the same set as ``WHITESPACE`` of
#: feedback/static/js/answers.js (Python's ``str.strip`` and JavaScript's ``trim`` differ).
WHITESPACE = (
    " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
#: digit-group separators inside a typed number: a space, a no-break space, thin spaces
GROUPING = re.compile("[ \u00a0\u202f\u2009]")
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: the one way a date is typed or stored: ISO 8601's calendar date, ASCII digits only
ISO_DATE = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: what separates the choices of one cell (a CSV cell "a;b"): no choice id holds one
CHOICE_SEPARATORS = re.compile("[,;" + WHITESPACE + "]+")


def strip(text: str) -> str:
    """``text`` without `WHITESPACE` at either end."""
    return text.strip(WHITESPACE)


def well_formed(text: str) -> str:
    """Text as it can be stored: a lone surrogate (which UTF-8 cannot hold) becomes U+FFFD."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


def number_from(raw: Any, whole: bool = False) -> int | float:
    """A number as typed or given: ``"2,5"`` is 2.5, ``"1 000"`` is 1000, an integral value an
    int up to 2**53 (``"2.0"``, ``"1e3"``, ``2.0`` give 2 and 1000; ``1e20`` stays a float).

    :raises AnswerError: ``expected_whole`` (when ``whole``) or ``expected_number``.
    """
    kind = (
        ("expected_whole", "enter a whole number")
        if whole
        else ("expected_number", "enter a number")
    )
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise AnswerError(kind[1], kind[0])
    if isinstance(raw, str):
        cleaned = GROUPING.sub("", strip(raw))
        if "," in cleaned and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")  # a decimal comma, as typed in much of Europe
        if not NUMBER.fullmatch(cleaned):
            raise AnswerError(kind[1], kind[0])
        value: float = float(cleaned)
    elif isinstance(raw, int):
        return raw
    else:
        value = raw
    if not math.isfinite(value):
        raise AnswerError(kind[1], kind[0])
    if value.is_integer() and abs(value) <= 2**53:
        return int(value)
    if whole and not value.is_integer():
        raise AnswerError(kind[1], kind[0])
    return value


#: What ``when:`` of a yes/no question's ``outcome`` may hold, and the answer each means.
YES_NO_WHEN: dict[str | bool, bool] = {"yes": True, "no": False, True: True, False: False}


class OutcomeItem(Model):
    """What an answer records in the outcome log (``outcome:`` of a question; issue 15).

    Written ``outcome: KIND`` or ``outcome: {kind: KIND, when: [ids]}``. A yes/no question records
    one outcome when answered ``yes`` (``when`` may say ``[no]`` instead), a single-choice question
    one when answered with a choice of ``when`` (required there), a number question as many as
    the number (a whole number: ``integer: true``), a text question one whose text is the answer.
    Outcomes recorded so are read from the stored answers, never copied (`feedback.outcomes`).
    """

    kind: QuestionId = Field(
        description="The kind of outcome, one of the programme's [programme.outcome_kinds]."
    )
    when: list[str | bool] | None = Field(
        default=None,
        min_length=1,
        description="The answers that record an outcome: choice ids of a single-choice question "
        "(required there), yes or no of a yes/no question (default: yes).",
    )


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not strip(raw))


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
    stage: Literal["intention", "action"] | None = Field(
        default=None,
        description="For follow-ups: this item asks an intention (on the day) or the matching "
        "action (in a follow-up survey) of the construct it measures; the intentions scorer "
        "pairs them by the keyed link of each person's responses.",
    )
    report_label: Text | None = Field(
        default=None,
        description='How a report names what the item measures, per language ("Understanding of '
        "the National Rapporteur's role\"): outcomes are written to funders, not to participants.",
    )
    outcome: OutcomeItem | None = Field(
        default=None,
        description="The answer records outcomes of this kind in the outcome log (yes/no, "
        "single-choice, number and text questions): `outcome: KIND`, or "
        "`outcome: {kind: KIND, when: [choice ids]}`.",
    )

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome_kind_alone(cls, value: Any) -> Any:
        # ``outcome: media`` is ``outcome: {kind: media}``: one canonical form, one version
        if isinstance(value, str):
            return {"kind": value}
        if value is not None and not isinstance(value, dict | OutcomeItem):
            raise ValueError(
                "expected a kind of outcome (outcome: KIND) or outcome: {kind: KIND, when: "
                f"[answers]}}, found {_describe(value)}"
            )
        return value

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

    def parse(self, raw: Any) -> Any:
        """The stored answer for what a person typed or picked, or ``None`` for no answer.

        ``raw`` is a str (a form field, a CSV cell, what was typed in the kiosk), a list of str
        (ticked boxes), a dict (the rows of a then/now question) or a JSON value (an import).
        Every channel calls this; feedback/static/js/answers.js mirrors it for the built-in
        types (tests/data/answer_vectors.json). The value returned passes `check`.

        This default, for a type from a plugin that does not override it: the value as given
        (a str stripped), else a str holding JSON, when `check` accepts it.

        :raises AnswerError: in words fit for the participant, with a ``key`` for channels.
        """
        if _blank(raw):
            return None
        value = strip(raw) if isinstance(raw, str) else raw
        message = self.check(value)
        if message is None:
            return value
        if isinstance(value, str):
            try:
                decoded = json.loads(value)
            except ValueError:
                decoded = None
            if decoded is not None and self.check(decoded) is None:
                return decoded
        raise AnswerError(message, "invalid")

    def raw(self, value: Any) -> Any:
        """What a form shows for a stored answer (the inverse of `parse`); ``None`` for none."""
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

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

    def offered(self) -> list[Option]:
        """The options a participant picks from, in order (a scale's N/A point last); none for a
        question answered in other ways."""
        return []

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

    def offered(self) -> list[Option]:
        return list(self.choices)

    @functools.cached_property
    def choice_set(self) -> frozenset[str]:
        """The choice ids, for fast membership tests when checking many answers."""
        return frozenset(self.answer_ids())

    def condition_kind(self) -> str:
        return "id"

    def _unknown(self, value: str) -> str:
        return f"unknown choice '{value}'" + did_you_mean(value, self.answer_ids())

    def raw(self, value: Any) -> Any:
        return value


def _not_offered(value: Any, ids: list[str]) -> AnswerError:
    """A choice that is not an option: named, with the options (a few) or the closest."""
    if not isinstance(value, str):
        return AnswerError("choose one of the options", "choose")
    listed = f", expected one of {', '.join(ids)}" if len(ids) <= 12 else ""
    return AnswerError(
        f"unknown choice '{value}'{listed}" + did_you_mean(value, ids),
        "choose",
    )


def _pick(raw: Any, question: QuestionBase, ids: frozenset[str]) -> str | None:
    """One option id as given (stripped), ``None`` for none."""
    if raw.__class__ is str and raw in ids:  # the usual case, fast: an id holds no whitespace
        return raw
    if _blank(raw):
        return None
    if not isinstance(raw, str) or strip(raw) not in ids:
        raise _not_offered(strip(raw) if isinstance(raw, str) else raw, question.answer_ids() or [])
    return strip(raw)


class SingleChoice(ChoiceQuestion):
    type: Literal["single_choice"] = "single_choice"

    def parse(self, raw: Any) -> Any:
        return _pick(raw, self, self.choice_set)

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

    def parse(self, raw: Any) -> Any:
        if raw is None:
            return None
        if (
            raw.__class__ is list
            and raw
            and all(v.__class__ is str for v in raw)
            and len(set(raw)) == len(raw)
            and self.choice_set.issuperset(raw)
            and self.min_selections <= len(raw) <= (self.max_selections or len(self.choices))
        ):
            return raw  # the usual case, fast: ids ticked once each, as many as allowed
        if isinstance(raw, str):
            raw = CHOICE_SEPARATORS.split(raw)
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise AnswerError("choose among the options", "choose")
        ticked = list(dict.fromkeys(strip(v) for v in raw if strip(v)))
        if not ticked:
            return None
        for v in ticked:
            if v not in self.choice_set:
                raise _not_offered(v, self.answer_ids())
        top = self.max_selections if self.max_selections is not None else len(self.choices)
        if not self.min_selections <= len(ticked) <= top:
            raise AnswerError(
                f"choose between {self.min_selections} and {top} options",
                "select_between",
                {"min": self.min_selections, "max": top},
            )
        return ticked

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

    def offered(self) -> list[Option]:
        scale = self.resolved_scale
        points = list(scale.points)
        if self.allow_na and scale.na is not None:
            points.append(scale.na)
        return points

    @functools.cached_property
    def point_set(self) -> frozenset[str]:
        """The point ids an answer may use, for fast membership tests."""
        return frozenset(self.point_ids())

    def condition_kind(self) -> str:
        return "id"

    def raw(self, value: Any) -> Any:
        return value

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

    def parse(self, raw: Any) -> Any:
        return _pick(raw, self, self.point_set)

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

    def parse(self, raw: Any) -> Any:
        if raw is None:
            return None
        if raw.__class__ is dict and len(raw) == 2:  # the usual case, fast
            then, now = raw.get("then"), raw.get("now")
            if then.__class__ is str and now.__class__ is str and {then, now} <= self.point_set:
                return raw
        if not isinstance(raw, dict) or not set(raw) <= {"then", "now"}:
            raise AnswerError(
                'choose a point in each row: expected {"then": point, "now": point}', "invalid"
            )
        then, now = raw.get("then"), raw.get("now")
        if _blank(then) and _blank(now):
            return None
        if _blank(then) or _blank(now):
            raise AnswerError("answer both rows, or neither", "both_rows")
        return {
            "then": _pick(then, self, self.point_set),
            "now": _pick(now, self, self.point_set),
        }

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


def _in_range(value: int | float, low: float | None, high: float | None) -> int | float:
    if (low is None or value >= low) and (high is None or value <= high):
        return value
    if low is not None and high is not None:
        raise AnswerError(
            f"enter a number from {low:g} to {high:g}",
            "between",
            {"min": f"{low:g}", "max": f"{high:g}"},
        )
    if low is not None:
        raise AnswerError(f"enter a number of at least {low:g}", "at_least", {"min": f"{low:g}"})
    assert high is not None
    raise AnswerError(f"enter a number of at most {high:g}", "at_most", {"max": f"{high:g}"})


def _number_raw(value: Any) -> Any:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return str(value)


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

    def parse(self, raw: Any) -> Any:
        if raw.__class__ is int and self.min <= raw <= self.max:  # the usual case, fast
            return raw
        if _blank(raw):
            return None
        return _in_range(number_from(raw, whole=True), self.min, self.max)

    def raw(self, value: Any) -> Any:
        return _number_raw(value)

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

    def parse(self, raw: Any) -> Any:
        if raw is True or raw is False:
            return raw
        if _blank(raw):
            return None
        word = strip(raw).lower() if isinstance(raw, str) else None
        if word in ("yes", "true"):
            return True
        if word in ("no", "false"):
            return False
        raise AnswerError("answer yes or no", "yes_or_no")

    def raw(self, value: Any) -> Any:
        return value if value is None else ("yes" if value else "no")

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

    def parse(self, raw: Any) -> Any:
        kind = raw.__class__
        if (  # the usual case, fast: a number as stored, in range
            (kind is int or (kind is float and not self.integer and not raw.is_integer()))
            and (self.min is None or raw >= self.min)
            and (self.max is None or raw <= self.max)
            and (kind is int or math.isfinite(raw))
        ):
            return raw
        if _blank(raw):
            return None
        return _in_range(number_from(raw, whole=self.integer), self.min, self.max)

    def raw(self, value: Any) -> Any:
        return _number_raw(value)

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

    def parse(self, raw: Any) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise AnswerError("type text", "invalid")
        text = well_formed(strip(raw.replace("\r\n", "\n").replace("\r", "\n")))
        if not text:
            return None
        if len(text) > self.max_length:
            raise AnswerError(
                f"write at most {self.max_length} characters", "too_long", {"max": self.max_length}
            )
        if not self.long and "\n" in text:
            raise AnswerError("write one line, with no line break", "one_line")
        return text

    def raw(self, value: Any) -> Any:
        return value

    def check(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return f"expected text, found {_type_name(value)} {_describe(value)}"
        if len(value) > self.max_length:
            return f"too long: at most {self.max_length} characters, found {len(value)}"
        if not self.long and ("\n" in value or "\r" in value):
            return "expected a single line, found a line break"
        return None


def date_from(raw: Any) -> str:
    """A date as typed or given, as stored: ``YYYY-MM-DD`` (spaces at the ends dropped); a
    `datetime.date` (a spreadsheet's date cell) is written so too.

    Only the ISO form is read: ``01/02/2026`` is the 1st of February in one country and the 2nd
    of January in another, and a form that guessed would store the wrong date without a word.

    :raises AnswerError: ``expected_date`` (not ``YYYY-MM-DD``) or ``no_such_date`` (2026-02-30).
    """
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw.isoformat()
    if not isinstance(raw, str) or not ISO_DATE.fullmatch(text := strip(raw)):
        raise AnswerError("enter a date as YYYY-MM-DD, like 2026-01-14", "expected_date")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise AnswerError(f"there is no date {text}", "no_such_date", {"date": text}) from None
    return text


def _date_in_range(value: str, low: dt.date | None, high: dt.date | None) -> str:
    # ISO dates of four-digit years sort as text sorts: no date object needed to compare
    first = None if low is None else low.isoformat()
    last = None if high is None else high.isoformat()
    if (first is None or value >= first) and (last is None or value <= last):
        return value
    if first is not None and last is not None:
        raise AnswerError(
            f"enter a date from {first} to {last}", "date_between", {"min": first, "max": last}
        )
    if first is not None:
        raise AnswerError(f"enter a date on or after {first}", "date_from", {"min": first})
    assert last is not None
    raise AnswerError(f"enter a date on or before {last}", "date_until", {"max": last})


class DateQuestion(QuestionBase):
    """A calendar date (a birth date, the date of a training), stored as ``YYYY-MM-DD`` text:
    what JSON, CSV and the forms' JavaScript all hold without a conversion, and what sorts in
    date order. ``min`` and ``max`` are ISO dates too (either may be left out)."""

    type: Literal["date"] = "date"
    min: dt.date | None = Field(default=None, description="The earliest date accepted.")
    max: dt.date | None = Field(default=None, description="The latest date accepted.")

    @model_validator(mode="after")
    def _range(self) -> DateQuestion:
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"expected min <= max, found {self.min} and {self.max}")
        return self

    def condition_kind(self) -> str:
        return "date"

    def parse(self, raw: Any) -> Any:
        if _blank(raw):
            return None
        return _date_in_range(date_from(raw), self.min, self.max)

    def raw(self, value: Any) -> Any:
        return value

    def check(self, value: Any) -> str | None:
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
            return f"expected a date YYYY-MM-DD, found {_type_name(value)} {_describe(value)}"
        try:
            _date_in_range(date_from(value), self.min, self.max)
        except AnswerError as exc:
            return str(exc)
        return None


class Note(QuestionBase):
    """Text shown to the participant; nothing is asked."""

    answerable: ClassVar[bool] = False
    type: Literal["note"] = "note"
    required: Literal[False] = False

    def condition_kind(self) -> str:
        return "none"

    def parse(self, raw: Any) -> Any:
        if _blank(raw):
            return None
        raise AnswerError("this is a note: nothing is asked here", "invalid")

    def check(self, value: Any) -> str | None:
        return "is a note: nothing is asked, so no answer is expected"


def type_name(question_type: type[QuestionBase]) -> str:
    """The ``type`` a question class answers to: its ``Literal``, e.g. ``"likert"``."""
    args = typing.get_args(question_type.model_fields["type"].annotation)
    return str(args[0]) if len(args) == 1 else str(question_type.model_fields["type"].default)


def field_defaults(models: Iterable[type[QuestionBase]]) -> dict[str, dict[str, Any]]:
    """Each type's field defaults, which a canonical definition leaves out, by type name: what
    the JavaScript of the forms reads a question's fields with (``FeedbackAnswers.prop``)."""
    from pydantic_core import PydanticUndefined, to_jsonable_python

    out: dict[str, dict[str, Any]] = {}
    for model in models:
        out[type_name(model)] = {
            name: to_jsonable_python(info.default)
            for name, info in model.model_fields.items()
            if name != "type" and info.default is not PydanticUndefined
        }
    return out


BUILTIN_QUESTION_TYPES: tuple[type[QuestionBase], ...] = (
    SingleChoice,
    MultiChoice,
    Likert,
    ThenNow,
    Rating,
    YesNo,
    Number,
    TextQuestion,
    DateQuestion,
    Note,
)

Question = Annotated[
    SingleChoice
    | MultiChoice
    | Likert
    | ThenNow
    | Rating
    | YesNo
    | Number
    | TextQuestion
    | DateQuestion
    | Note,
    Field(discriminator="type"),
]
