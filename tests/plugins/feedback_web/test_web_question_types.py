"""The web form draws each question through its type's ``web`` rendering (a template target the
type registers) and reads it through the type's one parser: a question type from a plugin works on
the web with no change to the web form; ``feedback serve`` refuses, at start, a survey with a type
it cannot draw."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from email_question import BareEmailPlugin, EmailPlugin
from helpers import pm_with_formats
from web_helpers import Web, invite, live_server, web_site, write_survey

import feedback_web
from feedback.cli import State
from feedback.engine import Engine
from feedback.questions import BUILTIN_QUESTION_TYPES, type_name
from feedback_web.cli import serve
from feedback_web.form import web_types

CONTACT = """\
id: contact
title: Contact
questions:
  - {id: score, type: rating, label: Score, min: 1, max: 5}
  - {id: email, type: email, label: Your e-mail address, help: For the report, required: true}
"""


def test_every_built_in_type_has_a_web_template(make_engine: Callable[..., Engine]) -> None:
    types = web_types(make_engine().types)
    for model in BUILTIN_QUESTION_TYPES:
        target = types.target(type_name(model), "web")
        assert target == f"feedback_web:templates/types/{type_name(model)}.html.j2"
        package, _, path = target.partition(":")
        assert (resources.files(package) / path).is_file()


def test_a_plugin_type_is_drawn_by_its_own_template_and_read_by_its_parser(
    project: Path, make_engine: Callable[..., Engine]
) -> None:
    with web_site(project, lambda: make_engine(EmailPlugin())) as web:
        _plugin_type_on_the_web(web)


def _plugin_type_on_the_web(web: Web) -> None:
    write_survey(web.project, "contact", CONTACT)
    _, token = web.invite(survey="contact")
    visitor = web.visitor(f"/s/{token}")
    page = visitor.open()
    field = page.by_id["q-email-input"]
    assert field.attrs.get("type") == "email"  # the plugin's template, not a text field
    assert field.attrs.get("aria-describedby") == "q-email-help"
    assert page.questions["email"]["data-type"] == "email"

    page = visitor.send([("score", "4"), ("email", "not an address")])
    assert page.errors == {"email": "enter an e-mail address, like name@example.org"}
    assert field.attrs.get("type") == "email"
    assert ("email", "not an address") in page.form_values()  # kept as typed
    assert "q-email-error" in (field_attrs := page.by_id["q-email-input"].attrs).get(
        "aria-describedby", ""
    )
    assert field_attrs.get("aria-invalid") == "true"
    assert web.responses() == []

    page = visitor.send([("score", "4"), ("email", "  Ann@Example.ORG ")])
    assert page.status == 200 and not page.errors, page.errors
    assert json.loads(web.responses()[0]["answers"]) == {"score": 4, "email": "Ann@example.org"}


def test_the_web_form_stores_a_typed_number_as_the_one_parser_does(web: Web) -> None:
    write_survey(
        web.project,
        "numbers",
        "id: numbers\ntitle: Numbers\nquestions:\n"
        "  - {id: people, type: number, integer: true, label: People}\n"
        "  - {id: hours, type: number, label: Hours}\n"
        "  - {id: litres, type: number, label: Litres}\n",
    )
    _, token = web.invite(survey="numbers")
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    page = visitor.send([("people", " 3 "), ("hours", "2.0"), ("litres", "1e3")])
    assert not page.errors, page.errors
    stored = json.loads(web.responses()[0]["answers"])
    assert stored == {"people": 3, "hours": 2, "litres": 1000}
    assert all(type(v) is int for v in stored.values())  # not 2.0 and 1000.0 as before


def test_serve_refuses_at_start_a_survey_with_a_type_the_web_cannot_draw(
    project: Path, make_engine: Callable[..., Engine]
) -> None:
    (project / "surveys" / "contact.yaml").write_text(CONTACT, encoding="utf-8")
    (project / "feedback.toml").write_text('default_survey = "contact"\n', encoding="utf-8")
    make_engine().close()
    state = State(project, pm_with_formats(feedback_web, BareEmailPlugin()))
    try:
        result = CliRunner().invoke(serve, ["--port", "1"], obj=state)
    finally:
        state.close()
    assert result.exit_code == 2, result.output
    assert (
        "questions[1]: survey 'contact' cannot be shown by the web form: question 'email' is of "
        "type 'email', which has no web rendering (it has: none)"
    ) in result.output


LIVE = """\
id: live
title: Live
questions:
  - {id: people, type: number, label: People}
  - {id: many, type: text, label: Why so many, show_if: {people: {ge: 3}}}
"""


def test_the_page_script_reads_a_typed_number_with_the_one_parser(web: Web, chromium: Any) -> None:
    """show_if applied live on the web page: the core's answers.js reads what is typed as the
    server will (" 3 " and "1e3" are numbers, "2,5" is 2.5, "3 apples" is none)."""
    write_survey(web.project, "live", LIVE)
    _, token = web.invite(survey="live")
    with live_server(web.app) as base:
        context = chromium.new_context()
        try:
            page = context.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.goto(f"{base}/s/{token}")
            follow = "#q-many-input"
            assert page.is_hidden(follow)
            for typed, shown in ((" 3 ", True), ("2,5", False), ("1e3", True), ("3 apples", False)):
                page.fill("#q-people-input", typed)
                page.wait_for_selector(follow, state="visible" if shown else "hidden", timeout=2000)
            assert problems == []
        finally:
            context.close()


CONTACT_LIVE = """\
id: contact
title: Contact
questions:
  - {id: email, type: email, label: Your e-mail address}
  - {id: welcome, type: yes_no, label: Ann again, show_if: {email: Ann@example.org}}
"""


def test_the_page_loads_a_plugin_types_component_and_reads_with_it(
    project: Path, make_engine: Callable[..., Engine], chromium: Any
) -> None:
    with web_site(project, lambda: make_engine(EmailPlugin())) as web:
        write_survey(web.project, "contact", CONTACT_LIVE)
        _, token = web.invite(survey="contact")
        client = web.client()
        html = client.get(f"/s/{token}").text
        assert '<script src="/static/types/email.js" defer></script>' in html
        served = client.get("/static/types/email.js")
        assert served.status_code == 200
        assert served.headers["content-type"].startswith("text/javascript")
        assert 'feedback.registerType("email"' in served.text
        assert (
            client.get("/static/types/likert.js").status_code == 404
        )  # the core's are in types.js
        assert client.get("/static/types/nothing.js").status_code == 404
        with live_server(web.app) as base:
            context = chromium.new_context()
            try:
                page = context.new_page()
                problems: list[str] = []
                page.on("pageerror", lambda e: problems.append(str(e)))
                page.goto(f"{base}/s/{token}")
                follow = "[data-question=welcome]"
                assert page.is_hidden(follow)
                # the component's parse lower-cases the domain, as the type's Python parse does
                page.fill("#q-email-input", "  Ann@EXAMPLE.ORG ")
                page.wait_for_selector(follow, state="visible", timeout=2000)
                page.fill("#q-email-input", "Bob@example.org")
                page.wait_for_selector(follow, state="hidden", timeout=2000)
                assert problems == []
            finally:
                context.close()


def test_serve_refuses_at_start_an_invitations_survey_the_web_cannot_draw(
    project: Path, make_engine: Callable[..., Engine]
) -> None:
    (project / "surveys" / "contact.yaml").write_text(CONTACT, encoding="utf-8")
    invite(make_engine(BareEmailPlugin()), survey="contact")  # the default survey is drawn
    state = State(project, pm_with_formats(feedback_web, BareEmailPlugin()))
    try:
        result = CliRunner().invoke(serve, ["--port", "1"], obj=state)
    finally:
        state.close()
    assert result.exit_code == 2, result.output
    assert "survey 'contact' cannot be shown by the web form: question 'email'" in result.output
