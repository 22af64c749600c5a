"""Script in a survey's texts, an event's title or a participant's answers is shown as text: the
HTML holds it escaped (no element or event handler comes from it), and in Chromium no dialog opens
and no flag a payload would set exists."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pytest
from helpers import EVENT
from web_helpers import Visitor, live_server

SCRIPT = "<script>window.__xss_script=1;alert(1)</script>"
IMAGE = '"><img src=x onerror=window.__xss_img=1;alert(2)>'
BOTH = f"{SCRIPT} {IMAGE}"
FLAGS = ["__xss_script", "__xss_img"]


def text(label: str) -> dict[str, str]:
    return {"en": f"{label} {BOTH}"}


XSS_SURVEY = {
    "id": "xss",
    "title": text("Feedback"),
    "description": text("About the seminar"),
    "languages": ["en"],
    "anonymous": True,
    "scales": {
        "agree3": {
            "points": [
                {"id": "no", "label": text("No")},
                {"id": "maybe", "label": text("Maybe")},
                {"id": "yes", "label": text("Yes")},
            ],
            "na": {"id": "dont_know", "label": text("Don't know")},
        }
    },
    "sections": [
        {
            "title": text("First"),
            "intro": text("Introduction"),
            "questions": [
                {"id": "note", "type": "note", "label": text("Note"), "help": text("Help")},
                {
                    "id": "pick",
                    "type": "single_choice",
                    "label": text("Pick one"),
                    "help": text("Help"),
                    "required": True,
                    "choices": [
                        {"id": "one", "label": text("One")},
                        {"id": "two", "label": text("Two")},
                    ],
                },
                {"id": "short", "type": "text", "label": text("Short"), "help": text("Help")},
                {"id": "long_text", "type": "text", "long": True, "label": text("Long")},
            ],
        },
        {
            "title": text("Second"),
            "intro": text("Introduction"),
            "questions": [
                {
                    "id": "agree",
                    "type": "likert",
                    "scale": "agree3",
                    "label": text("Agree"),
                    "show_if": {"pick": "one"},
                },
                {
                    "id": "change",
                    "type": "then_now",
                    "scale": "agree3",
                    "label": text("Change"),
                    "then_label": text("Then"),
                    "now_label": text("Now"),
                },
                {
                    "id": "score",
                    "type": "rating",
                    "min": 1,
                    "max": 3,
                    "label": text("Score"),
                    "min_label": text("Low"),
                    "max_label": text("High"),
                },
                {
                    "id": "count",
                    "type": "number",
                    "min": 0,
                    "max": 5,
                    "label": text("Count"),
                    "unit": text("units"),
                },
                {
                    "id": "many",
                    "type": "multi_choice",
                    "label": text("Many"),
                    "choices": [{"id": "a", "label": text("A")}, {"id": "b", "label": text("B")}],
                },
            ],
        },
    ],
    "thank_you": text("Thanks"),
}
XSS_EVENT = {**EVENT, "title": f"Seminar {BOTH}", "city": f"City {SCRIPT}"}
SAFE_SCRIPTS = [
    {"src": "/static/conditions.js", "defer": None},
    {"src": "/static/answers.js", "defer": None},
    {"src": "/static/types.js", "defer": None},
    {"src": "/static/form.js", "defer": None},
    {"type": "application/json"},
]


class Elements(HTMLParser):
    """Every element of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def injected(html: str) -> list[str]:
    """What in ``html`` a payload could have made: scripts, images, event handlers."""
    reader = Elements()
    reader.feed(html)
    found = []
    scripts = []
    for tag, attrs in reader.elements:
        handlers = [name for name in attrs if name.startswith("on")]
        if handlers:
            found.append(f"<{tag}> with {handlers}")
        if tag == "script":
            scripts.append({k: v for k, v in attrs.items() if k != "id"})
        if tag == "img" and "qr" not in (attrs.get("class") or ""):
            found.append(f"<img {attrs}>")
        if tag in ("iframe", "object", "embed", "base"):
            found.append(f"<{tag}>")
    if scripts not in ([], SAFE_SCRIPTS, SAFE_SCRIPTS[:-1]):  # a form page, or a message page
        found.append(f"scripts {scripts}")
    if "<script>window" in html or "<img src=x" in html:
        found.append("a raw payload")
    return found


@pytest.fixture
def xss_web(web, monkeypatch):
    """The project with the survey ``xss`` as its default and the event's title a payload."""
    monkeypatch.setenv("FEEDBACK_DEFAULT_SURVEY", "xss")
    (web.project / "surveys" / "xss.json").write_text(json.dumps(XSS_SURVEY), encoding="utf-8")
    web.engine.store.upsert_event(dict(XSS_EVENT))
    return web


def test_script_in_texts_and_answers_comes_back_as_escaped_text(xss_web) -> None:
    web = xss_web
    _, token = web.invite(survey="xss")
    visitor = web.visitor(f"/s/{token}")
    pages = []

    def seen(page: Any) -> Any:
        assert page.status == 200, page
        assert injected(page.html) == [], page.title
        pages.append(page)
        return page

    page = seen(visitor.open())
    assert "&lt;script&gt;window.__xss_script=1;alert(1)&lt;/script&gt;" in page.html
    assert SCRIPT in page.words() and IMAGE in page.words()  # shown as written
    assert page.h1 == f"Feedback {BOTH}"
    assert f"Seminar {BOTH}" in page.words()

    answers = [("short", IMAGE), ("long_text", f"{SCRIPT}\n</textarea>{IMAGE}")]
    page = seen(visitor.send(answers))  # no choice: a problem, the typed text shown again
    assert page.errors == {"pick": "Please answer this question."}
    assert page.value_of("short") == IMAGE
    assert page.value_of("long_text") == f"{SCRIPT}\n</textarea>{IMAGE}"

    page = seen(visitor.send([("pick", "one")]))  # the text answers are now earlier answers
    assert page.h1 == f"Feedback {BOTH}"
    page = seen(visitor.send([("count", SCRIPT), ("agree", "maybe")]))  # not a number
    assert page.errors == {"count": "Please type a number."}
    assert page.value_of("count") == SCRIPT
    page = seen(visitor.send(action="back"))
    assert page.value_of("short") == IMAGE
    page = seen(visitor.send())
    page = seen(visitor.send([("count", "2")]))
    assert page.title == "Thank you"
    [row] = web.responses()
    stored = json.loads(row["answers"])
    assert stored["short"] == IMAGE
    assert stored["long_text"] == f"{SCRIPT}\n</textarea>{IMAGE}"

    for path in ("/e/hague-2011/qr", "/", f"/s/{token}"):
        seen(Visitor(web.client(), path).open())


def test_script_on_the_open_link_and_venue_pages_is_escaped(xss_web) -> None:
    web = xss_web
    visitor = web.visitor("/e/hague-2011")
    page = visitor.open()
    assert injected(page.html) == []
    page = visitor.send([("pick", "two"), ("short", SCRIPT)])
    assert injected(page.html) == []
    assert page.h1 == f"Feedback {BOTH}"
    venue = Visitor(web.client(), "/e/hague-2011/qr").open()
    assert injected(venue.html) == []
    assert f"Seminar {BOTH}" in venue.words()


def test_in_chromium_no_payload_runs(xss_web, chromium) -> None:
    web = xss_web
    _, token = web.invite(survey="xss")
    with live_server(web.app) as base:
        context = chromium.new_context(viewport={"width": 1000, "height": 900})
        dialogs: list[str] = []
        outside: list[str] = []
        errors: list[str] = []

        def route(request_route: Any) -> None:
            url = request_route.request.url
            if url.startswith(base + "/"):
                request_route.continue_()
            else:
                outside.append(url)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))

        def no_flags() -> None:
            assert page.evaluate(f"() => {FLAGS!r}.filter(f => f in window)") == []

        try:
            page.goto(f"{base}/s/{token}")
            no_flags()
            assert SCRIPT in page.locator("h1").inner_text()
            page.fill("#q-short-input", IMAGE)
            page.fill("#q-long_text-input", f"{SCRIPT}\n{IMAGE}")
            page.click("button.primary")  # no choice: the page again, with the problem
            page.wait_for_selector(".error-summary")
            no_flags()
            assert page.input_value("#q-short-input") == IMAGE
            page.check("#q-pick-1")
            page.click("button.primary")
            page.wait_for_selector("#q-count-input")
            no_flags()
            assert page.is_visible("[data-question=agree]")  # pick one: shown by show_if
            page.fill("#q-count-input", SCRIPT)
            page.click("button.primary")
            page.wait_for_selector(".error-summary")
            no_flags()
            page.fill("#q-count-input", "3")
            page.click("button.primary")
            page.wait_for_selector(".message-thank_you")
            no_flags()
            for path in ("/e/hague-2011", "/e/hague-2011/qr", f"/s/{token}", "/"):
                page.goto(base + path)
                no_flags()
        finally:
            context.close()
    assert dialogs == []
    assert outside == []
    assert errors == []
    stored = json.loads(web.responses()[0]["answers"])
    assert stored["short"] == IMAGE and stored["count"] == 3
