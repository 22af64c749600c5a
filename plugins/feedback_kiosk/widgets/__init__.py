"""Drawing a question in the kiosk: each question type's ``kiosk`` rendering, looked up in the
engine's registry of question types (`feedback.question_types.QuestionTypes`) and loaded when
first drawn. The widget contract is the core's: `feedback.kiosk_widget`.

The kiosk draws the built-in types with the widgets of this package, registered (as every
rendering is) through ``register_renderings`` in `feedback_kiosk` (``KIOSK_WIDGETS``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from textual.widget import Widget

from feedback.kiosk_widget import KioskContext, QuestionWidget
from feedback.question_types import QuestionTypes, load_rendering, load_target
from feedback.survey import QuestionBase

RENDERING = "kiosk"

WidgetFactory = Callable[[QuestionBase, Any, KioskContext], Widget]


@functools.cache
def _load(target: str) -> WidgetFactory:
    factory = load_target(target)
    if not callable(factory):
        raise TypeError(f"expected a widget class, found {factory!r}")
    return factory  # type: ignore[no-any-return]


def kiosk_types(types: QuestionTypes) -> QuestionTypes:
    """``types`` with the kiosk's own renderings of the built-in types added where missing.

    The kiosk plugin registers them through ``register_renderings`` like any plugin; an engine
    built without it (an embedder's, a test's) still runs the kiosk, which always draws the
    built-in types with its own widgets. Renderings registered first are kept."""
    from feedback_kiosk import KIOSK_WIDGETS

    if all((name, RENDERING) in types.renderings for name in KIOSK_WIDGETS):
        return types
    own = QuestionTypes(types.types, dict(types.renderings), list(types.problems))
    own.add_renderings(
        ((name, RENDERING, target) for name, target in KIOSK_WIDGETS.items()), "kiosk"
    )
    return own


def widget_factory(types: QuestionTypes, type_name: str) -> WidgetFactory:
    """The widget class (or factory) that draws ``type_name``.

    :raises SurveyError: the type has no kiosk rendering, or its target cannot be loaded.
    """
    target = kiosk_types(types).target(type_name, RENDERING)
    if target is None:
        raise LookupError(f"question type '{type_name}' has no {RENDERING} rendering")
    return load_rendering(type_name, RENDERING, target, _load)


def require(types: QuestionTypes, survey: Any) -> None:
    """Refuse a survey the kiosk cannot draw in full: a type with no kiosk rendering, or one
    whose widget cannot be loaded (raises `SurveyError`, naming each question)."""
    kiosk_types(types).require(survey, RENDERING, "kiosk")
    for type_name in dict.fromkeys(q.type for q in survey.all_questions()):
        widget_factory(types, type_name)


def question_widget(
    types: QuestionTypes, question: QuestionBase, value: Any, context: KioskContext
) -> Widget:
    """The widget that asks ``question`` (with the answer so far, if any)."""
    return widget_factory(types, question.type)(question, value, context)


def is_typed(widget: Widget) -> bool:
    """Whether keys type the widget's answer (else they pick options)."""
    return isinstance(widget, QuestionWidget) and widget.typed


__all__ = ["KioskContext", "QuestionWidget", "question_widget", "require"]
