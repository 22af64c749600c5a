"""The simple forms of LimeSurvey relevance equations and SurveyJS ``visibleIf`` expressions.

Both tools accept a whole expression language (functions, arithmetic, piping). A ``show_if`` says
comparisons of one earlier answer with a constant, joined by and/or/not, so that is what is read
here: ``Q1 == "A1"``, ``Q2 > 18``, ``{role} = 'mp' and {age} >= 18``, ``{topics} contains 'law'``,
``is_empty(Q3)``, ``{q3} notempty``. Anything else is refused with the reason, never evaluated:
there is no library that reads these languages in Python, and the subset is small enough to be
read exactly by a recursive-descent parser over a tokenizer made of one regular expression.

The result is a tree of `Compare`, `And`, `Or` and `Not`; each reader turns a `Compare` into a
``show_if`` comparison of our question ids and answer values (`to_show_if`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class ExpressionError(ValueError):
    """An expression that is not one of the simple forms a ``show_if`` can say."""


@dataclass(frozen=True)
class Compare:
    """``variable op value``: op is one of eq ne gt ge lt le in (a list) answered (a bool)."""

    variable: str
    op: str
    value: Any


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Compare | And | Or | Not

#: The comparison operators of both languages, as ``show_if`` names them.
OPERATORS = {
    "==": "eq",
    "=": "eq",
    "eq": "eq",
    "equal": "eq",
    "!=": "ne",
    "<>": "ne",
    "ne": "ne",
    "notequal": "ne",
    ">": "gt",
    "gt": "gt",
    "greater": "gt",
    ">=": "ge",
    "ge": "ge",
    "greaterorequal": "ge",
    "<": "lt",
    "lt": "lt",
    "less": "lt",
    "<=": "le",
    "le": "le",
    "lessorequal": "le",
}
#: ``a < b`` read from the other side: ``b > a``.
FLIPPED = {"eq": "eq", "ne": "ne", "gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}
AND_WORDS = ("and", "&&")
OR_WORDS = ("or", "||")
NOT_WORDS = ("not", "!")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<braced>\{[^{}]+\})
      | (?P<op>==|!=|<>|>=|<=|&&|\|\||[=<>!(),\[\]])
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # string number braced op word
    text: str


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    at = 0
    text = text.rstrip()
    while at < len(text):
        found = _TOKEN.match(text, at)
        if found is None or found.end() == at:
            raise ExpressionError(f"cannot read {text[at:].strip()[:20]!r}")
        kind = found.lastgroup or ""
        tokens.append(Token(kind, found.group(kind)))
        at = found.end()
    return tokens


class _Parser:
    """``or_expr := and_expr (or and_expr)*``, ``and_expr := unary (and unary)*``,
    ``unary := not unary | '(' or_expr ')' | call | comparison``."""

    def __init__(self, tokens: list[Token], braces: bool):
        self.tokens = tokens
        self.at = 0
        #: SurveyJS: variables are ``{name}``, bare words are keywords; LimeSurvey: bare words
        self.braces = braces

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def next(self) -> Token:
        token = self.peek()
        if token is None:
            raise ExpressionError("the expression ends too early")
        self.at += 1
        return token

    def word(self, *words: str) -> bool:
        token = self.peek()
        if token is not None and token.kind in ("word", "op") and token.text.lower() in words:
            self.at += 1
            return True
        return False

    def expect(self, text: str) -> None:
        token = self.next()
        if token.text != text:
            raise ExpressionError(f"expected '{text}', found '{token.text}'")

    def parse(self) -> Node:
        node = self.or_expr()
        rest = self.peek()
        if rest is not None:
            raise ExpressionError(f"unexpected '{rest.text}'")
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.word(*OR_WORDS):
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.unary()]
        while self.word(*AND_WORDS):
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        if self.word(*NOT_WORDS):
            item = self.unary()
            if isinstance(item, Compare) and item.op == "answered":
                return Compare(item.variable, "answered", not item.value)
            return Not(item)
        token = self.peek()
        if token is not None and token.text == "(":
            self.at += 1
            node = self.or_expr()
            self.expect(")")
            return node
        if token is not None and token.kind == "word" and token.text.lower() == "is_empty":
            self.at += 1
            self.expect("(")
            variable = self.variable()
            self.expect(")")
            return Compare(variable, "answered", False)
        return self.comparison()

    def variable(self) -> str:
        token = self.next()
        if self.braces and token.kind == "braced":
            return token.text[1:-1].strip()
        if not self.braces and token.kind == "word" and not _keyword(token.text):
            return token.text
        raise ExpressionError(f"expected a question, found '{token.text}'")

    def operand(self) -> tuple[str, Any]:
        """``("variable", name)`` or ``("value", constant)``."""
        token = self.next()
        if token.kind == "string":
            return "value", re.sub(r"\\(.)", r"\1", token.text[1:-1])
        if token.kind == "number":
            number = float(token.text)
            return "value", int(number) if number.is_integer() and "." not in token.text else number
        if token.kind == "word" and token.text.lower() in ("true", "false"):
            return "value", token.text.lower() == "true"
        if token.kind == "word" and token.text.lower() in ("function", "sum", "count", "if"):
            raise ExpressionError(f"a function ('{token.text}') is more than a comparison")
        if token.kind == "word" and (self.peek() or Token("", "")).text == "(":
            raise ExpressionError(f"a function ('{token.text}') is more than a comparison")
        self.at -= 1
        return "variable", self.variable()

    def listing(self) -> list[Any]:
        self.expect("[")
        values: list[Any] = []
        while True:
            kind, value = self.operand()
            if kind != "value":
                raise ExpressionError(f"expected a constant in the list, found {{{value}}}")
            values.append(value)
            if not self.word(","):
                break
        self.expect("]")
        return values

    def comparison(self) -> Node:
        left_kind, left = self.operand()
        token = self.peek()
        if token is None:
            raise ExpressionError(f"'{left}' alone is not a comparison")
        lowered = token.text.lower()
        if left_kind == "variable" and lowered in ("empty", "notempty"):
            self.at += 1
            return Compare(left, "answered", lowered == "notempty")
        if left_kind == "variable" and lowered in ("anyof", "allof", "noneof"):
            self.at += 1
            values = self.listing()
            if lowered == "anyof":
                return Compare(left, "in", tuple(values))
            if lowered == "noneof":
                return Not(Compare(left, "in", tuple(values)))
            return And(tuple(Compare(left, "eq", v) for v in values))
        if left_kind == "variable" and lowered in ("contains", "notcontains"):
            self.at += 1
            kind, value = self.operand()
            if kind != "value":
                raise ExpressionError("'contains' compares with a constant only")
            found = Compare(left, "eq", value)
            return found if lowered == "contains" else Not(found)
        if lowered not in OPERATORS:
            raise ExpressionError(f"expected a comparison after '{left}', found '{token.text}'")
        self.at += 1
        op = OPERATORS[lowered]
        right_kind, right = self.operand()
        if left_kind == "variable" and right_kind == "value":
            return Compare(left, op, right)
        if left_kind == "value" and right_kind == "variable":
            return Compare(right, FLIPPED[op], left)
        if left_kind == "variable":
            raise ExpressionError(
                f"'{left}' is compared with another question ('{right}'), not with a constant"
            )
        raise ExpressionError(f"{left!r} and {right!r} are both constants")


def _keyword(word: str) -> bool:
    lowered = word.lower()
    return lowered in (*AND_WORDS, *OR_WORDS, *NOT_WORDS, "true", "false") or (lowered in OPERATORS)


def parse_expression(text: str, *, braces: bool) -> Node:
    """The tree of an expression; ``braces``: variables are written ``{name}`` (SurveyJS).

    :raises ExpressionError: the expression is not of the simple forms (naming the part).
    """
    tokens = tokenize(text)
    if not tokens:
        raise ExpressionError("the expression is empty")
    return _Parser(tokens, braces).parse()


def to_show_if(node: Node, compare: Callable[[Compare], dict[str, Any]]) -> dict[str, Any]:
    """The ``show_if`` of a tree; ``compare`` turns each comparison into one of ours (our
    question id and answer value), raising `ExpressionError` when it cannot."""
    if isinstance(node, Compare):
        return compare(node)
    if isinstance(node, Not):
        return {"not": to_show_if(node.item, compare)}
    key = "all" if isinstance(node, And) else "any"
    return {key: [to_show_if(item, compare) for item in node.items]}
