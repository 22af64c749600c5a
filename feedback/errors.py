"""Named errors. The CLI turns each into a readable message and an exit code."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest option, or ``""``."""
    matches = difflib.get_close_matches(str(name), [str(o) for o in options], n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def dotted(loc: Iterable[str | int]) -> str:
    """``("questions", 3, "scale")`` -> ``"questions[3].scale"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class FeedbackError(Exception):
    """Base class of every error the project raises on purpose."""

    #: exit code the CLI uses: 2 for invalid input, 1 for anything else
    exit_code = 1


class InvalidInput(FeedbackError):
    """Input a user gave (a file, an option, a row) is not acceptable."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as possible."""

    message: str
    loc: tuple[str | int, ...] = ()
    line: int | None = None
    column: int | None = None
    #: the problem is the key at ``loc`` itself (an unknown key), not its value
    at_key: bool = False

    def render(self, source: str | Path | None = None) -> str:
        where = str(source) if source is not None else ""
        if self.line is not None:
            where += f":{self.line}" if where else f"line {self.line}"
            if self.column is not None:
                where += f":{self.column}"
        path = dotted(self.loc)
        parts = [p for p in (where, path) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class SurveyError(InvalidInput):
    """A survey definition could not be read or is not valid."""

    def __init__(self, source: str | Path | None, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(p.render(self.source) for p in self.problems)


class SurveyNotFound(InvalidInput):
    """No survey with the given id (or at the given path) is known."""


class UnknownEvent(InvalidInput):
    """A response or command names an event that is not in the database."""


class ResponseInvalid(InvalidInput):
    """A response does not fit its survey. ``problems`` lists each, by question id."""

    def __init__(self, problems: list[Problem], response_id: str | None = None):
        self.problems = problems
        self.response_id = response_id
        head = f"response {response_id}: " if response_id else ""
        super().__init__(head + "; ".join(p.render() for p in problems))


class StoreError(FeedbackError):
    """The database could not be opened, migrated or written."""
