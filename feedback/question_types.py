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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

from feedback.errors import Problem, SurveyError

T = TypeVar("T")

if TYPE_CHECKING:
    from feedback.registry import Registry
    from feedback.survey import QuestionBase, Survey

#: The renderings the built-in channels draw with; a plugin channel may name another.
RENDERINGS = ("kiosk", "web", "offline", "paper")
#: the owner of the built-in types in `QuestionTypes.types`
BUILTIN = "feedback (built in)"


class AnswerError(ValueError):
    """What a person entered is not an answer to the question; the message says why, in words
    fit to show them ("enter a whole number, like 12").

    ``key`` names the word a channel shows instead, in the participant's language (``between``,
    ``expected_whole`` ...: the keys of the channels' dictionaries), and ``params`` fill its
    ``{placeholders}``; the message is the English fallback for a key a channel has no word for.
    """

    def __init__(
        self, message: str, key: str = "invalid", params: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.key = key
        self.params: dict[str, Any] = dict(params or {})

    @property
    def message(self) -> str:
        return str(self)

    def worded(self, words: Mapping[str, str]) -> str:
        """The problem in ``words`` (a channel's dictionary in one language), else the message."""
        template = words.get(self.key)
        if template is None:
            return str(self)
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return str(self)


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


def load_rendering(type_name: str, rendering: str, target: str, load: Callable[[str], T]) -> T:
    """``load(target)``: a channel's drawing of a type, made ready (a widget class, a layout);
    whatever goes wrong is a `SurveyError` naming the type, the rendering and the target, so the
    channel refuses the survey when it is loaded instead of failing in front of a participant.
    """
    try:
        return load(target)
    except Exception as exc:
        raise SurveyError(
            None,
            [
                Problem(
                    f"question type '{type_name}': cannot load its {rendering} rendering "
                    f"'{target}': {type(exc).__name__}: {exc}"
                )
            ],
        ) from exc


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
    _including: dict[str, QuestionTypes] = field(default_factory=dict, repr=False, compare=False)

    def including(
        self, hook: Callable[[Callable[[Rendering], None]], None], owner: str
    ) -> QuestionTypes:
        """These types with the renderings a channel's own ``register_renderings`` hook gives
        where none is registered: a channel draws the built-in types also on an engine whose
        plugin manager does not hold the channel's plugin (an embedded app, a test). Made once
        per owner."""
        made = self._including.get(owner)
        if made is None:
            items: list[Rendering] = []
            hook(items.append)
            made = QuestionTypes(self.types, dict(self.renderings), list(self.problems))
            for item in items:
                made.renderings.setdefault((item.type, item.rendering), item.target)
            self._including[owner] = made
        return made

    def models(self) -> tuple[type[QuestionBase], ...]:
        return tuple(t.model for t in self.types)

    def plugin_models(self) -> Registry[type[QuestionBase]]:
        """The models of the types plugins added (not the built-in ones), by name, with every
        problem of the registrations (types and renderings)."""
        from feedback.registry import Registry

        out: Registry[type[QuestionBase]] = Registry(self.types.kind)
        for name, question_type in self.types.items.items():
            owner = self.types.owners[name]
            if owner != BUILTIN:
                out.items[name] = question_type.model
                out.owners[name] = owner
        out.problems = [*self.types.problems, *self.problems]
        return out

    def target(self, type_name: str, rendering: str) -> str | None:
        """The target that draws ``type_name`` for ``rendering``, or ``None``."""
        return self.renderings.get((type_name, rendering))

    def missing(self, survey: Survey, rendering: str) -> list[tuple[str, str]]:
        """``(question id, type)`` of every question that ``rendering`` cannot draw."""
        return [
            (q.id, q.type)
            for q in survey.questions_in_order
            if (q.type, rendering) not in self.renderings
        ]

    def require(self, survey: Survey, rendering: str, channel: str) -> None:
        """Refuse, when the survey is loaded, a survey that ``channel`` cannot draw in full.

        :raises SurveyError: one problem per question (located in the survey), naming its type
            and the renderings the type does have; a command exits with code 2.
        """
        problems = []
        for loc, question in survey.located_questions():
            if (question.type, rendering) in self.renderings:
                continue
            has = sorted(r for (t, r) in self.renderings if t == question.type)
            problems.append(
                Problem(
                    f"survey '{survey.id}' cannot be shown by the {channel}: question "
                    f"'{question.id}' is of type '{question.type}', which has no {rendering} "
                    f"rendering (it has: {', '.join(has) or 'none'}); install the plugin that "
                    f"draws it for the {channel}, or leave the question out",
                    loc,
                )
            )
        if problems:
            raise SurveyError(None, problems)

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


def _as_type(item: Any) -> QuestionType | None:
    from feedback.questions import QuestionBase

    if isinstance(item, QuestionType):
        model = item.model
        return item if isinstance(model, type) and issubclass(model, QuestionBase) else None
    if isinstance(item, type) and issubclass(item, QuestionBase):
        return QuestionType(item)
    return None


def collect_types(pm: Any) -> QuestionTypes:
    """Every question type: the built-in ones (the core's, with no renderings), then each
    plugin's ``register_question_types`` (with its renderings), then each plugin's
    ``register_renderings``. A plugin's type named like a built-in one is refused."""
    from feedback.questions import BUILTIN_QUESTION_TYPES
    from feedback.registry import Registry

    registry: Registry[QuestionType] = Registry("question type")
    for model in BUILTIN_QUESTION_TYPES:
        question_type = QuestionType(model)
        registry.add(question_type.name, question_type, BUILTIN)
    builtin = set(registry.names())
    found = QuestionTypes(registry)
    for impl in pm.hook.register_question_types.get_hookimpls():
        owner = impl.plugin_name

        def register(item: Any, owner: str = owner) -> None:
            question_type = _as_type(item)
            if question_type is None:
                registry.problems.append(
                    f"plugin '{owner}' registered {item!r} as a question type; expected a "
                    "feedback.question_types.QuestionType or a subclass of "
                    "feedback.survey.QuestionBase"
                )
                return
            name = question_type.name
            if name in builtin:
                registry.problems.append(
                    f"plugin '{owner}' registered question type '{name}', which is built in; "
                    "the built-in type is kept"
                )
                return
            before = len(registry.problems)
            registry.add(name, question_type, owner)
            if len(registry.problems) == before:
                found.add_renderings(
                    ((name, r, t) for r, t in question_type.renderings.items()), owner
                )

        try:
            impl.function(register=register)
        except Exception as exc:  # a broken plugin must not take the others down
            registry.problems.append(f"plugin '{owner}' failed in register_question_types: {exc!r}")
    for impl in pm.hook.register_renderings.get_hookimpls():
        owner = impl.plugin_name
        items: list[tuple[str, str, str]] = []

        def add(item: Any, owner: str = owner, items: list[tuple[str, str, str]] = items) -> None:
            if not isinstance(item, Rendering):
                found.problems.append(
                    f"plugin '{owner}' registered {item!r} as a rendering; expected a "
                    "feedback.question_types.Rendering"
                )
                return
            items.append((item.type, item.rendering, item.target))

        try:
            impl.function(register=add)
        except Exception as exc:
            found.problems.append(f"plugin '{owner}' failed in register_renderings: {exc!r}")
        found.add_renderings(items, owner)
    return found
