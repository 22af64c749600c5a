"""XLSForm expressions to and from our conditions: ``relevant`` to ``show_if``, and the simple
number ``constraint`` to ``min``/``max``.

Expressions are split into tokens by pyxform's own lexer (`pyxform.parsing.expression`), the one
that checks ``${name}`` references when a form is converted; a small recursive descent over those
tokens accepts only what a ``show_if`` can say: a question compared with one value (``=``,
``!=``, ``<``, ``<=``, ``>``, ``>=``; a date question with ``date('2026-01-14')``),
``selected(${q}, 'x')``, ``${q} = ''`` (unanswered), and
``and``/``or``/``not()`` of those. Anything else is refused, never approximated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from feedback.conditions import All, AnyOf, Compare, Condition, Not
from feedback.question_types import AnswerError
from feedback.questions import date_from

#: the comparison operators of XPath and ours
_OPS = {"=": "eq", "!=": "ne", ">": "gt", ">=": "ge", "<": "lt", "<=": "le"}
_WRITTEN = {v: k for k, v in _OPS.items()}
SHOW_IF_FORMS = "only comparisons of one question with a value, selected(), and/or/not"


class ExpressionError(ValueError):
    """An expression that our conditions cannot say; the message says what is accepted."""


def _tokens(text: str) -> list[tuple[str, str]]:
    from pyxform.parsing.expression import parse_expression

    out: list[tuple[str, str]] = []
    for token in parse_expression(text):
        kind, value = str(token.type), str(token)
        if kind == "WHITESPACE":
            continue
        if kind == "OPS_COMP" and out and out[-1][0] == "OPS_COMP":  # ">" "=" is ">="
            out[-1] = (kind, out[-1][1] + value)
            continue
        out.append((kind, value.strip()))
    return out


class _Parser:
    def __init__(self, text: str, kinds: Mapping[str, str]) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0
        #: question name -> what its answers are: id, multi, bool, number, text
        self.kinds = kinds

    def fail(self, why: str = "") -> ExpressionError:
        return ExpressionError(f'cannot carry over "{self.text}": {why or SHOW_IF_FORMS}')

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> str:
        token = self.peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            raise self.fail()
        self.at += 1
        return token[1]

    def parse(self) -> Condition:
        if not self.tokens:
            raise self.fail("the expression is empty")
        condition = self.disjunction()
        if self.peek() is not None:
            raise self.fail()
        return condition

    def disjunction(self) -> Condition:
        items = [self.conjunction()]
        while self.peek() == ("OPS_BOOL", "or"):
            self.at += 1
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else _one_of(tuple(items))

    def conjunction(self) -> Condition:
        items = [self.term()]
        while self.peek() == ("OPS_BOOL", "and"):
            self.at += 1
            items.append(self.term())
        return items[0] if len(items) == 1 else All(tuple(items))

    def term(self) -> Condition:
        token = self.peek()
        if token == ("OPEN_PAREN", "("):
            self.at += 1
            inner = self.disjunction()
            self.take("CLOSE_PAREN")
            return inner
        if token == ("FUNC_CALL", "not("):
            self.at += 1
            inner = self.disjunction()
            self.take("CLOSE_PAREN")
            if isinstance(inner, Compare) and inner.op == "in":
                return Compare(inner.question, "not_in", inner.value)
            return Not(inner)
        if token == ("FUNC_CALL", "selected("):
            self.at += 1
            name = self.reference()
            self.take("COMMA")
            value = self.literal()
            self.take("CLOSE_PAREN")
            if self.kinds.get(name) not in ("multi", "id"):
                raise self.fail(f"selected() asks about a choice question; '{name}' is not one")
            return Compare(name, "eq", self.value(name, value))
        name = self.reference()
        op = self.take("OPS_COMP")
        if op not in _OPS:
            raise self.fail()
        raw = self.literal()
        if raw == "" and op in ("=", "!="):
            return Compare(name, "answered", op == "!=")
        if self.kinds.get(name) == "multi":
            raise self.fail(f"'{name}' allows several answers: ask with selected(${{{name}}}, 'x')")
        if _OPS[op] in ("gt", "ge", "lt", "le") and self.kinds.get(name) not in ("number", "date"):
            raise self.fail(
                f"'{name}' is not a number or date question, so it cannot be compared with {op}"
            )
        return Compare(name, _OPS[op], self.value(name, raw))

    def reference(self) -> str:
        ref = self.take("PYXFORM_REF")
        name = ref[2:-1]
        if name not in self.kinds:
            raise self.fail(f"${{{name}}} is not an earlier question that can be asked about")
        return name

    def literal(self) -> str:
        token = self.peek()
        if token == ("FUNC_CALL", "date("):  # date('2026-01-14'): a date question's value
            self.at += 1
            text = self.literal()
            self.take("CLOSE_PAREN")
            return text
        if token is not None and token[0] == "SYSTEM_LITERAL":
            self.at += 1
            return token[1][1:-1]
        if token is not None and token[0] == "NUMBER":
            self.at += 1
            return token[1]
        raise self.fail()

    def value(self, name: str, raw: str) -> Any:
        kind = self.kinds.get(name)
        if kind == "bool":
            if raw not in ("yes", "no"):
                raise self.fail(f"'{name}' is answered yes or no, not {raw!r}")
            return raw == "yes"
        if kind == "number":
            try:
                number = float(raw)
            except ValueError:
                raise self.fail(f"'{name}' is a number question, not {raw!r}") from None
            return int(number) if number.is_integer() else number
        if kind == "date":
            try:
                return date_from(raw)
            except AnswerError:
                raise self.fail(f"'{name}' is a date question, not {raw!r}") from None
        return raw


def _one_of(items: tuple[Condition, ...]) -> Condition:
    """``a = 'x' or a = 'y'`` is ``{a: [x, y]}``: the form our files write (and we write back)."""
    if all(isinstance(c, Compare) and c.op == "eq" for c in items):
        names = {c.question for c in items if isinstance(c, Compare)}
        if len(names) == 1:
            values = tuple(c.value for c in items if isinstance(c, Compare))
            return Compare(names.pop(), "in", values)
    return AnyOf(items)


def parse_relevant(text: str, kinds: Mapping[str, str]) -> Condition:
    """The condition a ``relevant`` expression says.

    :param kinds: each earlier question's name and what its answers are (``id``, ``multi``,
        ``bool``, ``number``, ``text``).
    :raises ExpressionError: the expression says more than a condition can.
    """
    return _Parser(text, kinds).parse()


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "'yes'" if value else "'no'"
    if isinstance(value, int | float):
        return number_text(value)
    return "'" + str(value) + "'"


def _compare(c: Compare, kinds: Mapping[str, str]) -> str:
    ref = f"${{{c.question}}}"
    multi = kinds.get(c.question) == "multi"
    if c.op == "answered":
        return f"{ref} {'!=' if c.value else '='} ''"
    if c.op in ("in", "not_in"):
        one = " or ".join(_compare(Compare(c.question, "eq", v), kinds) for v in c.value)
        return f"({one})" if c.op == "in" else f"not({one})"
    if multi and c.op in ("eq", "ne"):
        ticked = f"selected({ref}, {_literal(c.value)})"
        return ticked if c.op == "eq" else f"not({ticked})"
    if kinds.get(c.question) == "date":
        return f"{ref} {_WRITTEN[c.op]} date({_literal(c.value)})"
    return f"{ref} {_WRITTEN[c.op]} {_literal(c.value)}"


def write_relevant(condition: Condition, kinds: Mapping[str, str]) -> str:
    """The ``relevant`` expression of a condition (the inverse of `parse_relevant`)."""
    if isinstance(condition, Compare):
        return _compare(condition, kinds)
    if isinstance(condition, Not):
        return f"not({write_relevant(condition.item, kinds)})"
    joiner = " and " if isinstance(condition, All) else " or "
    parts = [f"({write_relevant(c, kinds)})" for c in condition.items]
    return joiner.join(p[1:-1] if _simple(p[1:-1]) else p for p in parts)


def _simple(text: str) -> bool:
    """No bare ``and``/``or`` at the top level: needs no parentheses inside a longer expression."""
    depth = 0
    for i, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and (text.startswith(" and ", i) or text.startswith(" or ", i)):
            return False
    return True


def number_text(value: float) -> str:
    """A number as an XPath literal: ``18``, ``2.5`` (never ``1e+06``, which XPath cannot read)."""
    if float(value).is_integer():
        return str(int(value))
    return format(value, "f").rstrip("0")


def parse_range(text: str) -> tuple[float | None, float | None]:
    """``. >= 0 and . <= 120`` (either part alone too) as (min, max).

    :raises ExpressionError: any other constraint.
    """
    why = "only a range of the form '. >= 0 and . <= 120' (either part alone too)"
    tokens = _tokens(text)
    low: float | None = None
    high: float | None = None
    parts: list[list[tuple[str, str]]] = [[]]
    for token in tokens:
        if token == ("OPS_BOOL", "and"):
            parts.append([])
        else:
            parts[-1].append(token)
    for part in parts:
        if len(part) != 3 or part[0][0] != "SELF_REF" or part[2][0] != "NUMBER":
            raise ExpressionError(f'cannot carry over "{text}": {why}')
        number = float(part[2][1])
        if part[1] == ("OPS_COMP", ">=") and low is None:
            low = number
        elif part[1] == ("OPS_COMP", "<=") and high is None:
            high = number
        else:
            raise ExpressionError(f'cannot carry over "{text}": {why}')
    return low, high


def parse_date_range(text: str) -> tuple[str | None, str | None]:
    """``. >= date('2026-01-01') and . <= date('2026-12-31')`` (either part alone too) as (min,
    max), each an ISO date.

    :raises ExpressionError: any other constraint, or a date that is not one.
    """
    why = "only a range of the form \". >= date('2026-01-01') and . <= date('2026-12-31')\""
    low: str | None = None
    high: str | None = None
    parts: list[list[tuple[str, str]]] = [[]]
    for token in _tokens(text):
        if token == ("OPS_BOOL", "and"):
            parts.append([])
        else:
            parts[-1].append(token)
    for part in parts:
        shape = [kind for kind, _ in part]
        if shape != ["SELF_REF", "OPS_COMP", "FUNC_CALL", "SYSTEM_LITERAL", "CLOSE_PAREN"] or (
            part[2][1] != "date("
        ):
            raise ExpressionError(f'cannot carry over "{text}": {why}')
        try:
            day = date_from(part[3][1][1:-1])
        except AnswerError as exc:
            raise ExpressionError(f'cannot carry over "{text}": {exc}') from None
        if part[1] == ("OPS_COMP", ">=") and low is None:
            low = day
        elif part[1] == ("OPS_COMP", "<=") and high is None:
            high = day
        else:
            raise ExpressionError(f'cannot carry over "{text}": {why}')
    return low, high


def write_date_range(low: object | None, high: object | None) -> str:
    """The constraint of a date range (the inverse of `parse_date_range`); ``""`` for none."""
    parts = []
    if low is not None:
        parts.append(f". >= date('{low}')")
    if high is not None:
        parts.append(f". <= date('{high}')")
    return " and ".join(parts)


def write_range(low: float | None, high: float | None) -> str:
    """The constraint of a range (the inverse of `parse_range`); ``""`` for none."""
    parts = []
    if low is not None:
        parts.append(f". >= {number_text(low)}")
    if high is not None:
        parts.append(f". <= {number_text(high)}")
    return " and ".join(parts)
