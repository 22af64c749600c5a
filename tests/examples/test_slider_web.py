"""The slider on the web form: drawn by its ``web`` template, read by the type's parser, its
problems shown next to it in the form's words; and once in headless Chromium, with axe-core."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import AXE, WCAG_21_AA
from web_helpers import Web, live_server, web_site

from feedback.engine import Engine

OPEN = "/e/hague-2011"


@pytest.fixture
def web(project: Path, make_slider_engine: Callable[..., Engine]) -> Iterator[Web]:
    """The web form on the project, whose default survey is ``confidence``."""
    (project / "feedback.toml").write_text('default_survey = "confidence"\n', encoding="utf-8")
    with web_site(project, make_slider_engine) as site:
        yield site


def test_the_web_form_draws_the_slider_and_stores_its_answer(web: Web) -> None:
    visitor = web.visitor(OPEN)
    page = visitor.open()
    assert page.status == 200
    [field] = [f for f in page.fields if f.name == "confident"]
    assert (field.attrs.get("id"), field.attrs.get("inputmode")) == ("q-confident-input", "decimal")
    words = page.words()
    assert "0 = Not at all … 10 = Completely" in words
    page = visitor.send([("role", "mp"), ("confident", " 7,0 ")])
    assert page.title == "Thank you"
    [row] = web.responses()
    assert (row["channel"], json.loads(row["answers"])) == (
        "open-link",
        {"confident": 7, "role": "mp"},
    )


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("11", "0"), ("abc", "number"), ("", "answer this question")],
)
def test_a_value_off_the_slider_is_shown_next_to_it(web: Web, typed: str, problem: str) -> None:
    visitor = web.visitor(OPEN)
    visitor.open()
    page = visitor.send([("role", "ngo"), ("confident", typed)])
    assert page.title.startswith("There is a problem")
    [field] = [f for f in page.fields if f.name == "confident"]
    assert field.attrs.get("aria-invalid") == "true"
    assert field.value == typed  # what was typed is shown again, to be corrected
    assert problem in page.words()
    assert web.responses() == []


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from helpers import chromium_browser

    with chromium_browser() as browser:
        yield browser


def test_in_chromium_the_slider_is_filled_in_and_stored(web: Web, chromium: Any) -> None:
    with live_server(web.app) as base:
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        problems: list[str] = []
        try:
            page = context.new_page()
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.goto(base + OPEN)
            assert page.is_visible("#q-confident-input")
            assert page.inner_text("#q-confident-ends") == "0 = Not at all … 10 = Completely"
            page.evaluate(AXE.read_text(encoding="utf-8"))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
            )
            assert [v["id"] for v in result["violations"]] == []
            page.check("#q-role-2")
            page.fill("#q-confident-input", "9")
            with page.expect_navigation():
                page.click("button.primary")
            assert page.title() == "Thank you"
        finally:
            context.close()
    assert problems == []
    [row] = web.responses()
    assert json.loads(row["answers"]) == {"confident": 9, "role": "ngo"}
