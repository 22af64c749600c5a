"""The question-type registry: one registration per type carries its renderings by channel; a
channel refuses, when a survey is loaded, a survey with a type it cannot draw."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from email_question import EMAIL, BareEmailPlugin, Email, EmailPlugin

from feedback import hookimpl
from feedback.engine import Engine
from feedback.errors import SurveyError
from feedback.question_types import BUILTIN, QuestionType, Rendering
from feedback.questions import BUILTIN_QUESTION_TYPES, Likert, type_name

CONTACT = """\
id: contact
title: Contact
sections:
  - questions:
      - {id: name, type: text, label: Your name}
      - {id: email, type: email, label: Your e-mail address}
"""


class WebOfEmail:
    """A channel plugin that draws a type another package defined."""

    @hookimpl
    def register_renderings(self, register: Callable[[Rendering], None]) -> None:
        register(Rendering("email", "kiosk", "somewhere.kiosk:EmailWidget"))
        register(Rendering("email", "web", "somewhere:other.html.j2"))


class Broken:
    @hookimpl
    def register_renderings(self, register: Callable[[Rendering], None]) -> None:
        register(("email", "web", "x"))  # type: ignore[arg-type]

    @hookimpl
    def register_question_types(self, register: Callable[[QuestionType], None]) -> None:
        register(QuestionType(dict))  # type: ignore[arg-type]
        register(QuestionType(Likert, {"web": "x:y"}))


def test_the_built_in_types_are_registered_by_the_core_with_no_renderings(
    make_engine: Callable[..., Engine],
) -> None:
    types = make_engine().types
    assert types.types.names() == [type_name(m) for m in BUILTIN_QUESTION_TYPES]
    assert set(types.types.owners.values()) == {BUILTIN}
    assert types.renderings == {}  # the formats plugin draws nothing
    assert types.models() == BUILTIN_QUESTION_TYPES


def test_a_plugin_type_brings_its_renderings_and_a_channel_may_add_more(
    make_engine: Callable[..., Engine],
) -> None:
    engine = make_engine(EmailPlugin(), WebOfEmail())
    types = engine.types
    assert types.types["email"] is EMAIL and types.types.owners["email"] == "EmailPlugin"
    # the type's own web rendering is kept; the other channel's web rendering is a problem
    assert types.target("email", "web") == "email_question:email.html.j2"
    assert types.target("email", "offline") == "email_question:email.js"
    assert types.target("email", "kiosk") == "somewhere.kiosk:EmailWidget"
    assert types.target("email", "paper") is None
    assert types.problems == [
        "plugin 'WebOfEmail' gave a web rendering of 'email', which was already given; "
        "the first is kept"
    ]
    # the models of plugin types, as before: what the survey model is made of
    assert engine.question_types.names() == ["email"]
    assert engine.question_types["email"] is Email


def test_a_bare_model_is_a_type_no_channel_draws(make_engine: Callable[..., Engine]) -> None:
    types = make_engine(BareEmailPlugin()).types
    assert types.types["email"] == QuestionType(Email)
    assert [key for key in types.renderings if key[0] == "email"] == []


def test_wrong_registrations_are_problems_and_a_built_in_type_stays(
    make_engine: Callable[..., Engine],
) -> None:
    engine = make_engine(Broken())
    problems = engine.question_types.problems
    assert problems[0].startswith("plugin 'Broken' registered QuestionType(model=<class 'dict'>")
    assert problems[1:] == [
        "plugin 'Broken' registered question type 'likert', which is built in; the built-in "
        "type is kept",
        "plugin 'Broken' registered ('email', 'web', 'x') as a rendering; expected a "
        "feedback.question_types.Rendering",
    ]
    assert engine.types.types["likert"].model is Likert
    assert engine.types.target("likert", "web") is None  # not the shadowing type's


def test_a_survey_a_channel_cannot_draw_is_refused_naming_each_question(
    make_engine: Callable[..., Engine], project: Path
) -> None:
    (project / "surveys" / "contact.yaml").write_text(CONTACT, encoding="utf-8")
    engine = make_engine(EmailPlugin())
    survey = engine.survey("contact")
    # the text question is built in: the engine alone has no renderings of it either
    assert engine.types.missing(survey, "offline") == [("name", "text")]
    with pytest.raises(SurveyError) as info:
        engine.types.require(survey, "kiosk", "kiosk")
    assert info.value.exit_code == 2
    assert str(info.value) == (
        "sections[0].questions[0]: survey 'contact' cannot be shown by the kiosk: question "
        "'name' is of type 'text', which has no kiosk rendering (it has: none); install the "
        "plugin that draws it for the kiosk, or leave the question out\n"
        "sections[0].questions[1]: survey 'contact' cannot be shown by the kiosk: question "
        "'email' is of type 'email', which has no kiosk rendering (it has: offline, web); "
        "install the plugin that draws it for the kiosk, or leave the question out"
    )


def test_a_channel_draws_the_built_in_types_through_its_own_hook(
    make_engine: Callable[..., Engine],
) -> None:
    from feedback_web import register_renderings

    types = make_engine().types
    drawn = types.including(register_renderings, "feedback_web")
    assert drawn is types.including(register_renderings, "feedback_web")  # made once
    assert drawn.target("likert", "web") == "feedback_web:templates/types/likert.html.j2"
    assert types.target("likert", "web") is None  # the engine's own are left as they are
