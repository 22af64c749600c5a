"""Every string of a survey that a participant (or a report's reader) sees, found by walking the
survey's models, each with a context that names it for translators.

The walk looks at the type of every field: a field typed `feedback.options.Text` (plain text, or
``{language: text}``) is a string to translate, wherever it is, so a field added to a model later
(a question type from a plugin, a new notice) is found without a list to keep up to date.

A context names what a string belongs to by ids, not by position, so that it stays the same when
questions are reordered or the survey is split into sections: ``survey/title``,
``section:welcome/intro``, ``question:role/label``, ``question:role/choices/mp/label``,
``scale:agree5/points/agree/label``, ``scale:agree5/na/label``. Only a section without an id, or
an element of a list that has no ids, is named by its position.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from feedback.options import Option, Text, humanise, localise
from feedback.survey import QuestionBase, Section, Survey

Loc = tuple[str | int, ...]


def is_text(annotation: Any) -> bool:
    """Whether a field's type is `Text` (``str | dict[str, str]``), optional or not."""
    args = set(typing.get_args(annotation)) - {type(None)}
    return args == {str, dict[str, str]}


@dataclass(frozen=True)
class Entry:
    """One translatable string of a survey."""

    #: what names it for translators (a PO file's msgctxt)
    context: str
    #: where it is in the survey's file: ``("sections", 0, "questions", 2, "label")``
    loc: Loc
    #: its value: text, ``{language: text}``, or ``None`` for an option given by id alone
    value: Text | None
    #: what is shown when it has no value (an option's humanised id)
    fallback: str = ""

    def source(self, language: str) -> str:
        """The text in the source language (what participants read when no translation exists)."""
        return localise(self.value, language, self.fallback)

    def translation(self, language: str) -> str | None:
        """The text written for ``language`` itself, or ``None`` when there is none (plain text
        is the same in every language: it is not a translation)."""
        if isinstance(self.value, dict):
            return self.value.get(language)
        return None

    @property
    def where(self) -> str:
        """``loc`` as a dotted path, as problems of a survey file are shown:
        ``sections[0].questions[2].label``."""
        out = ""
        for part in self.loc:
            out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else part
        return out


def entries(survey: Survey) -> list[Entry]:
    """Every translatable string of ``survey``, in the order of its fields."""
    return list(_walk(survey, (), "survey"))


def _walk(model: BaseModel, loc: Loc, context: str) -> Iterator[Entry]:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        here = (*loc, name)
        if is_text(info.annotation):
            if value is not None:
                yield Entry(f"{context}/{name}", here, value)
            elif name == "label" and isinstance(model, Option):
                # an option given by its id alone is shown by its humanised id: translatable too
                yield Entry(f"{context}/{name}", here, None, humanise(model.id))
            continue
        yield from _walk_value(value, here, f"{context}/{name}", name)


def _walk_value(value: Any, loc: Loc, context: str, name: str) -> Iterator[Entry]:
    if isinstance(value, BaseModel):
        yield from _walk(value, loc, _named(value, context, None))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, BaseModel):
                yield from _walk(item, (*loc, i), _named(item, context, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, BaseModel):
                inner = f"scale:{key}" if name == "scales" else f"{context}/{key}"
                yield from _walk(item, (*loc, key), inner)


def _named(model: BaseModel, context: str, index: int | None) -> str:
    """The context of a model inside ``context``: questions and sections by their own ids (a
    question id is unique in the survey), other elements of a list by id, else by position."""
    if isinstance(model, QuestionBase):
        return f"question:{model.id}"
    if isinstance(model, Section):
        return f"section:{model.id if model.id is not None else index}"
    if index is None:
        return context
    own = getattr(model, "id", None)
    return f"{context}/{own if isinstance(own, str) else index}"
