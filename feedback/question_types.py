"""A question type is one registration: its model (with its one answer parser) and its renderings.

A *rendering* is how one channel draws a type: ``kiosk`` (a Textual widget), ``web`` (a Jinja
template), ``offline`` (a JavaScript component of the standalone form) and ``paper`` (the printed
form's layout). A question type from a plugin carries its renderings in its own registration
(`QuestionType`); a channel plugin may also give renderings for types it did not define (the
built-in channels draw the built-in types this way) through ``register_renderings``.

Targets are strings, loaded only when a channel draws the type, so ``import feedback`` never pays
for Textual or Jinja: ``"package.module:attribute"`` for Python objects, and
``"package:path/inside/the/package"`` for files (templates, JavaScript).

The answer parser lives on the model: `QuestionBase.parse` turns what a person typed or picked (in
any channel, or in an imported file) into the stored value, or raises `AnswerError`. Every channel
calls it; the JavaScript of the web and offline forms mirrors it and is tested against the same
vectors (``tests/data/answer_vectors.json``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from feedback.errors import SurveyError

if TYPE_CHECKING:
    from feedback.registry import Registry
    from feedback.survey import QuestionBase, Survey

#: The renderings the built-in channels draw with; a plugin channel may name another.
RENDERINGS = ("kiosk", "web", "offline", "paper")


class AnswerError(ValueError):
    """What a person entered is not an answer to the question; the message says why, in words
    fit to show them ("enter a whole number, like 12")."""


@dataclass(frozen=True)
class QuestionType:
    """One question type: the pydantic model (subclass of `feedback.survey.QuestionBase`, whose
    ``type`` field is a ``Literal`` of the type's name) and its renderings by channel."""

    model: type[QuestionBase]
    #: rendering name (``kiosk``, ``web``, ``offline``, ``paper`` ...) -> target string
    renderings: Mapping[str, str] = field(default_factory=dict)
    description: str = ""

    @property
    def name(self) -> str:
        from feedback.questions import type_name

        return type_name(self.model)


@dataclass(frozen=True)
class Rendering:
    """A channel's drawing of a question type that another package defined."""

    type: str
    rendering: str
    target: str


def load_target(target: str) -> Any:
    """The Python object a ``"package.module:attribute"`` target names (imported now)."""
    module, sep, attribute = target.partition(":")
    if not sep or not module or not attribute:
        raise ValueError(f"expected 'package.module:attribute', found {target!r}")
    obj: Any = importlib.import_module(module)
    for part in attribute.split("."):
        obj = getattr(obj, part)
    return obj


def resource_text(target: str) -> str:
    """The text of a ``"package:path/inside/the/package"`` target (a template, a script)."""
    package, sep, path = target.partition(":")
    if not sep or not package or not path:
        raise ValueError(f"expected 'package:path/inside/the/package', found {target!r}")
    node = resources.files(package)
    for part in path.split("/"):
        node = node / part
    return node.read_text(encoding="utf-8")


@dataclass
class QuestionTypes:
    """The question types an engine knows, and how each channel draws them."""

    types: Registry[QuestionType]
    renderings: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def models(self) -> tuple[type[QuestionBase], ...]:
        return tuple(t.model for t in self.types)

    def target(self, type_name: str, rendering: str) -> str | None:
        """The target that draws ``type_name`` for ``rendering``, or ``None``."""
        return self.renderings.get((type_name, rendering))

    def missing(self, survey: Survey, rendering: str) -> list[tuple[str, str]]:
        """``(question id, type)`` of every question that ``rendering`` cannot draw."""
        return [
            (q.id, q.type)
            for q in survey.all_questions
            if (q.type, rendering) not in self.renderings
        ]

    def require(self, survey: Survey, rendering: str, channel: str) -> None:
        """Refuse, when the survey is loaded, a survey that ``channel`` cannot draw in full.

        :raises SurveyError: naming each question, its type, and the renderings it does have.
        """
        missing = self.missing(survey, rendering)
        if not missing:
            return
        lines = []
        for question_id, type_name in missing:
            has = sorted(r for (t, r) in self.renderings if t == type_name)
            lines.append(
                f"question '{question_id}' is of type '{type_name}', which has no {rendering} "
                f"rendering (it has: {', '.join(has) or 'none'}); install the plugin that "
                f"draws it for the {channel}, or leave the question out"
            )
        raise SurveyError(
            f"survey '{survey.id}' cannot be shown by the {channel}:\n" + "\n".join(lines)
        )

    def add_renderings(self, items: Iterable[tuple[str, str, str]], owner: str) -> None:
        """Keep ``(type, rendering, target)`` triples; the first registration of a pair wins."""
        for type_name, rendering, target in items:
            key = (type_name, rendering)
            if key in self.renderings:
                if self.renderings[key] != target:
                    self.problems.append(
                        f"plugin '{owner}' gave a {rendering} rendering of '{type_name}', which "
                        "was already given; the first is kept"
                    )
                continue
            self.renderings[key] = target
