"""The parts questions are made of: identifiers, texts in several languages, options and scales."""

from __future__ import annotations

import functools
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

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
    report_label: Text | None = Field(
        default=None,
        description='How a report names the group of those who chose it ("MPs" for the choice '
        '"Member of a national parliament"); the label when omitted.',
    )

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, data: Any) -> Any:
        if isinstance(data, str | int) and not isinstance(data, bool):
            return {"id": str(data)}
        return data

    def text(self, language: str) -> str:
        return localise(self.label, language, humanise(self.id))

    def group_text(self, language: str) -> str:
        """The name of the group of those who chose it, for reports: ``report_label`` or label."""
        if self.report_label is not None:
            return localise(self.report_label, language, self.text(language))
        return self.text(language)


def unique_ids(options: list[Option], what: str) -> list[Option]:
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
        unique_ids(self.points, "point")
        if self.na is not None and self.na.id in {p.id for p in self.points}:
            raise ValueError(f"the N/A point '{self.na.id}' is also a point of the scale")
        return self

    def ids(self) -> list[str]:
        return [p.id for p in self.points]

    def score(self, point: str) -> int | None:
        """1-based position of a point on the scale; ``None`` for N/A or unknown."""
        try:
            return self.positions.get(point)
        except TypeError:  # an unhashable answer (a list, a mapping) is no point of a scale
            return None

    @functools.cached_property
    def positions(self) -> dict[str, int]:
        """Each point's 1-based position, computed once."""
        return {p.id: i for i, p in enumerate(self.points, start=1)}
