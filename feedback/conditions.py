"""Declarative display conditions (``show_if``), parsed into a small tree and evaluated without eval.

Forms accepted in a survey file::

    show_if: {role: mp}                      # equals
    show_if: {role: [mp, ngo]}               # one of
    show_if: {age: {ge: 18}}                 # eq ne in not_in gt ge lt le answered
    show_if: {role: mp, country: nl}         # several keys: all must hold
    show_if: {any: [{role: mp}, {role: ngo}]}
    show_if: {all: [...]}   show_if: {not: {role: mp}}

A comparison with an unanswered question is false (so ``not`` of it is true); ``{q: {answered: false}}``
asks for an unanswered question explicitly. For a multi-choice answer, ``eq`` means "was ticked" and
``in`` means "any of these was ticked". A date question compares with ISO dates
(``show_if: {arrived: {ge: 2026-01-01}}``): a stored date is ``YYYY-MM-DD`` text, which sorts as
the dates do, so ``gt ge lt le`` compare two such texts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

COMPARISONS = ("eq", "ne", "in", "not_in", "gt", "ge", "lt", "le", "answered")
NUMERIC = ("gt", "ge", "lt", "le")
LOGICAL = ("all", "any", "not")

Scalar = str | int | float | bool
#: an ISO date, the other thing ``gt ge lt le`` compare (the answers of a date question)
ISO_DATE = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Compare:
    question: str
    op: str
    value: Any

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        present = self.question in answers and answers[self.question] is not None
        if self.op == "answered":
            return present == bool(self.value)
        if not present:
            return False
        answer = answers[self.question]
        ticked = answer if isinstance(answer, list) else [answer]
        if self.op == "eq":
            return any(_same(a, self.value) for a in ticked)
        if self.op == "ne":
            return not any(_same(a, self.value) for a in ticked)
        if self.op == "in":
            return any(_same(a, v) for a in ticked for v in self.value)
        if self.op == "not_in":
            return not any(_same(a, v) for a in ticked for v in self.value)
        dates = isinstance(answer, str) and isinstance(self.value, str)  # ISO: text order
        numbers = isinstance(answer, int | float) and not isinstance(answer, bool)
        if not dates and not (numbers and not isinstance(self.value, str)):
            return False
        return bool(
            {
                "gt": answer > self.value,
                "ge": answer >= self.value,
                "lt": answer < self.value,
                "le": answer <= self.value,
            }[self.op]
        )

    def dump(self) -> dict[str, Any]:
        return {self.question: {self.op: self.value}}


@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        return all(c.evaluate(answers) for c in self.items)

    def dump(self) -> dict[str, Any]:
        return {"all": [c.dump() for c in self.items]}


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        return any(c.evaluate(answers) for c in self.items)

    def dump(self) -> dict[str, Any]:
        return {"any": [c.dump() for c in self.items]}


@dataclass(frozen=True)
class Not:
    item: Condition

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        return not self.item.evaluate(answers)

    def dump(self) -> dict[str, Any]:
        return {"not": self.item.dump()}


Condition = Compare | All | AnyOf | Not


def _same(answer: Any, value: Any) -> bool:
    # True == 1 in Python; a yes/no answer must not equal a numeric 1.
    if isinstance(answer, bool) != isinstance(value, bool):
        return False
    return bool(answer == value)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def parse_condition(raw: Any, where: str = "show_if") -> Condition:
    """Parse the file form of a condition; raise ``ValueError`` naming the part that is wrong."""
    if isinstance(raw, Compare | All | AnyOf | Not):
        return raw
    if not isinstance(raw, Mapping) or not raw:
        raise ValueError(f"{where}: expected a mapping of question id to value, found {raw!r}")
    items: list[Condition] = []
    for key, value in raw.items():
        key = str(key)
        here = f"{where}.{key}"
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise ValueError(
                    f"{here}: expected a non-empty list of conditions, found {value!r}"
                )
            parts = tuple(parse_condition(v, f"{here}[{i}]") for i, v in enumerate(value))
            items.append(All(parts) if key == "all" else AnyOf(parts))
        elif key == "not":
            items.append(Not(parse_condition(value, here)))
        elif isinstance(value, Mapping):
            if not value:
                raise ValueError(f"{here}: expected one of {', '.join(COMPARISONS)}, found {{}}")
            for op, operand in value.items():
                items.append(_comparison(key, str(op), operand, f"{here}.{op}"))
        elif isinstance(value, list):
            items.append(_comparison(key, "in", value, here))
        else:
            items.append(_comparison(key, "eq", value, here))
    return items[0] if len(items) == 1 else All(tuple(items))


def _comparison(question: str, op: str, operand: Any, where: str) -> Compare:
    from feedback.errors import did_you_mean

    if op not in COMPARISONS:
        raise ValueError(
            f"{where}: unknown comparison '{op}', expected one of {', '.join(COMPARISONS)}"
            + did_you_mean(op, COMPARISONS)
        )
    operand = [_iso(v) for v in operand] if isinstance(operand, list) else _iso(operand)
    if op in ("in", "not_in"):
        if not isinstance(operand, list) or not operand or not all(map(_is_scalar, operand)):
            raise ValueError(f"{where}: expected a non-empty list of values, found {operand!r}")
        return Compare(question, op, tuple(operand))
    if op in NUMERIC and not (
        (isinstance(operand, int | float) and not isinstance(operand, bool))
        or (isinstance(operand, str) and ISO_DATE.fullmatch(operand))
    ):
        raise ValueError(f"{where}: expected a number or a date (YYYY-MM-DD), found {operand!r}")
    if op == "answered" and not isinstance(operand, bool):
        raise ValueError(f"{where}: expected true or false, found {operand!r}")
    if not _is_scalar(operand):
        raise ValueError(f"{where}: expected a single value, found {operand!r}")
    return Compare(question, op, operand)


def _iso(value: Any) -> Any:
    """A date as YAML reads ``2026-01-14`` unquoted (a `datetime.date`) is its ISO text, as the
    answers of a date question are stored; any other value as it is."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def comparisons(condition: Condition) -> Iterator[Compare]:
    """Every comparison in a condition tree, in order."""
    if isinstance(condition, Compare):
        yield condition
    elif isinstance(condition, Not):
        yield from comparisons(condition.item)
    else:
        for item in condition.items:
            yield from comparisons(item)


def _dump(condition: Condition) -> dict[str, Any]:
    out: dict[str, Any] = _listify(condition.dump())
    return out


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_listify(v) for v in value]
    return value


_CONDITION_SCHEMA = {
    "type": "object",
    "description": (
        "Show the question only when this holds. Keys are earlier question ids (value: equals; "
        "list: one of; mapping: eq ne in not_in gt ge lt le answered) or all/any/not."
    ),
    "minProperties": 1,
}

ShowIf = Annotated[
    Any,
    BeforeValidator(parse_condition),
    PlainSerializer(_dump, return_type=dict),
    WithJsonSchema(_CONDITION_SCHEMA),
]
