"""The web form in headless Chromium (Debian's, driven by Playwright) served by uvicorn on a
loopback port: the shipped survey on a phone with axe-core's WCAG 2.1 AA rules on every page, the
live ``show_if``, the same survey with JavaScript off, touch targets, the venue's QR code. No
request may leave the server; no console error may appear."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT
from web_helpers import AXE, WCAG_21_AA, live_server, write_survey

PHONE = {"width": 390, "height": 844}


class Browser:
    """One page of a fresh context, with what it asked outside the server and what it reported."""

    def __init__(self, context: Any, base: str):
        self.context = context
        self.base = base
        self.outside: list[str] = []
        self.problems: list[str] = []
        self.navigations: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.on(
            "console",
            lambda m: (
                m.type in ("error", "warning") and self.problems.append(f"{m.type}: {m.text}")
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on(
            "framenavigated",
            lambda frame: frame == self.page.main_frame and self.navigations.append(frame.url),
        )

    def _route(self, request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(self.base + "/"):
            request_route.continue_()
        else:
            self.outside.append(url)
            request_route.abort()

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")

    def press(self, selector: str = "button.primary") -> None:
        with self.page.expect_navigation():
            self.page.click(selector)
        self.page.wait_for_load_state("load")

    def axe(self) -> list[tuple[str, str, int]]:
        # evaluated through DevTools: the page's CSP (rightly) forbids inline scripts
        if not self.page.evaluate("() => typeof axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
        )
        return [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]]


@contextmanager
def browsing(chromium: Any, base: str, **options: Any) -> Iterator[Browser]:
    context = chromium.new_context(**{"viewport": PHONE, **options})
    try:
        yield Browser(context, base)
    finally:
        context.close()


def test_the_shipped_survey_on_a_phone_passes_axe_on_every_page(
    web, chromium, tmp_path: Path
) -> None:
    _, token = web.invite()
    violations: dict[str, list[tuple[str, str, int]]] = {}
    with live_server(web.app) as base, browsing(chromium, base) as browser:
        page = browser.page
        browser.goto(f"/s/{token}")
        assert page.title() == "Welcome · Post-seminar feedback"
        violations["welcome"] = browser.axe()

        browser.press()  # no role: the problem is shown
        assert page.title().startswith("There is a problem")
        assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
        assert page.inner_text("#q-role-error") == "Please answer this question."
        violations["welcome with a problem"] = browser.axe()

        page.check("#q-role-1")  # a member of parliament
        page.check("label[for=q-country-20]")
        browser.press()
        assert page.title().startswith("What you learned")
        violations["what you learned"] = browser.axe()
        for qid, then, now in (
            ("rapporteur_role", 2, 4),
            ("other_countries", 1, 3),
            ("mp_ngo_cooperation", 2, 5),
        ):
            page.check(f"#q-{qid}-then-{then}")
            page.check(f"#q-{qid}-now-{now}")
        browser.press()

        assert page.title().startswith("Your views and plans")
        assert page.is_visible("[data-question=join_network]")  # an MP
        violations["views"] = browser.axe()
        page.check("#q-support_rapporteur_office-5")
        page.check("#q-join_network-5")
        browser.press()

        assert page.title().startswith("Towards the next event")
        violations["next event"] = browser.axe()
        contacts = "#q-new_mp_contacts-input"
        assert page.is_hidden(contacts) and page.is_disabled(contacts)
        navigations = len(browser.navigations)
        page.check("#q-passed_contacts-yes")
        page.wait_for_selector(contacts, state="visible", timeout=2000)  # at once ...
        assert page.is_enabled(contacts)
        assert len(browser.navigations) == navigations  # ... without a page load
        assert "new_mp_contacts" in page.input_value("input[name=shown]").split(",")
        page.check("#q-passed_contacts-no")
        page.wait_for_selector(contacts, state="hidden", timeout=2000)
        assert page.is_disabled(contacts)
        page.check("#q-passed_contacts-yes")
        page.fill(contacts, "3")
        page.check("#q-support_next_event-yes")
        page.wait_for_selector("#q-support_kinds-1", state="visible", timeout=2000)
        page.check("#q-support_kinds-1")
        violations["next event, opened"] = browser.axe()
        browser.press()

        assert page.title().startswith("Overall")
        assert page.inner_text(".primary") == "Submit"
        page.check("#q-usefulness-8")
        page.check("#q-recommend-9")
        page.fill("#q-comments-input", "Thank you for the seminar.")
        violations["overall"] = browser.axe()
        shot = tmp_path / "phone-overall.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        browser.press()

        assert page.title() == "Thank you"
        violations["thank you"] = browser.axe()
        assert browser.problems == []
        assert browser.outside == []
    assert {name: found for name, found in violations.items() if found} == {}
    [row] = web.responses()
    assert row["channel"] == "web"
    answers = json.loads(row["answers"])
    assert answers["role"] == "mp" and answers["join_network"] == "strongly_agree"
    assert (answers["passed_contacts"], answers["new_mp_contacts"]) == (True, 3)
    assert answers["support_kinds"] == ["political"]
    assert answers["rapporteur_role"] == {"then": "little", "now": "good"}


def test_with_javascript_off_the_survey_still_completes(web, chromium) -> None:
    _, token = web.invite()
    with (
        live_server(web.app) as base,
        browsing(chromium, base, java_script_enabled=False) as browser,
    ):
        page = browser.page
        browser.goto(f"/s/{token}")
        page.check("#q-role-2")
        browser.press()
        browser.press()
        assert page.is_hidden("[data-question=join_network]")
        browser.press()
        assert page.title().startswith("Towards the next event")
        assert page.is_hidden("#q-new_mp_contacts-input")
        page.check("#q-passed_contacts-yes")
        browser.press()  # the server shows the question the answer opened
        assert page.title().startswith("Towards the next event")
        assert page.inner_text(".notice") == "Your answers opened further questions on this page."
        page.fill("#q-new_mp_contacts-input", "5")
        browser.press()
        assert page.title().startswith("Overall")
        page.check("#q-usefulness-10")
        browser.press()
        assert page.title() == "Thank you"
        assert browser.outside == []
    [row] = web.responses()
    answers = json.loads(row["answers"])
    assert answers == {
        "role": "ngo",
        "passed_contacts": True,
        "new_mp_contacts": 5,
        "usefulness": 10,
    }


TARGETS = """() => {
  const shown = e => e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const small = [];
  for (const option of document.querySelectorAll('.option')) {
    const input = option.querySelector('input'), label = option.querySelector('label');
    if (!shown(input)) continue;
    // what a tap can hit to choose the option: the box and its label
    const boxes = [input, label].filter(shown).map(e => e.getBoundingClientRect());
    const height = Math.max(...boxes.map(b => b.bottom)) - Math.min(...boxes.map(b => b.top));
    if (height < 44) small.push([input.id, Math.round(height * 10) / 10]);
  }
  for (const button of document.querySelectorAll('button:not(.default-action), a.button')) {
    if (!shown(button)) continue;
    const box = button.getBoundingClientRect();
    if (box.height < 44) small.push([button.textContent.trim(), Math.round(box.height * 10) / 10]);
  }
  return small;
}"""


def test_options_and_buttons_are_touch_targets_at_least_44px_high(web, chromium) -> None:
    _, token = web.invite()
    small: dict[str, list[Any]] = {}
    with live_server(web.app) as base, browsing(chromium, base) as browser:
        page = browser.page
        browser.goto(f"/s/{token}")
        page.check("#q-role-2")
        for _ in range(5):
            if page.is_visible("#q-passed_contacts-yes"):
                page.check("#q-passed_contacts-yes")  # the number field shown too
            small[page.title()] = page.evaluate(TARGETS)
            browser.press()
        assert page.title() == "Thank you"
        browser.goto("/e/hague-2011")
        page.check("#q-role-2")
        browser.press("button[value=save]")
        small[page.title()] = page.evaluate(TARGETS)
    too_small = {
        title: f"{len(found)} under 44px, e.g. {found[:3]}"
        for title, found in small.items()
        if found
    }
    assert too_small == {}


def test_the_venue_page_shows_a_qr_code_a_phone_can_scan(web, chromium) -> None:
    with live_server(web.app) as base, browsing(chromium, base) as browser:
        browser.goto("/e/hague-2011/qr")
        page = browser.page
        assert page.inner_text(".link") == f"{base}/e/hague-2011"
        size = page.evaluate(
            "() => { const i = document.querySelector('img.qr');"
            " return [i.complete, i.naturalWidth, i.naturalHeight]; }"
        )
        assert size[0] and size[1] > 0 and size[2] > 0, f"the QR image did not render: {size}"
        assert browser.axe() == []
        assert browser.problems == [] and browser.outside == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_link_passes_axe_in_either_colour_scheme(web, chromium, scheme: str) -> None:
    with (
        live_server(web.app) as base,
        browsing(chromium, base, color_scheme=scheme, locale="nl-NL") as browser,
    ):
        browser.goto("/e/hague-2011")
        assert browser.page.title() == "Welkom · Evaluatie na het seminar"
        assert browser.axe() == []
        browser.press("button[value=save]")
        assert browser.page.title() == "Uw antwoorden zijn bewaard"
        assert browser.axe() == []
        assert browser.problems == [] and browser.outside == []


ARTIFACTS = Path(os.environ.get("FEEDBACK_ARTIFACTS") or ROOT / "test-artifacts")


def keep_screenshots(page: Any, name: str) -> None:
    """The page at a phone's width and a laptop's, kept in ``FEEDBACK_ARTIFACTS`` to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    try:
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            shot = ARTIFACTS / f"{name}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 5_000
    finally:
        page.set_viewport_size(size)


def test_the_pages_that_keep_answers_not_stored_pass_axe_and_try_again(
    web, chromium, monkeypatch
) -> None:
    """Throttled (429) and not stored under a lock (503): both pages are WCAG-clean, with a
    "Try again" button a thumb can hit that stores the answers once it can."""
    monkeypatch.setenv("FEEDBACK_WEB__OPEN_LINK_ADDRESS_LIMIT", "1")
    monkeypatch.setenv("FEEDBACK_BUSY_TIMEOUT", "0.2")
    write_survey(
        web.project,
        "quick",
        "id: quick\ntitle: {en: Quick poll}\nquestions:\n"
        "  - {id: liked, type: yes_no, label: {en: 'Did you like it?'}, required: true}\n",
    )
    (web.project / "feedback.toml").write_text('default_survey = "quick"\n', encoding="utf-8")
    violations: dict[str, list[tuple[str, str, int]]] = {}
    small: dict[str, list[Any]] = {}
    with live_server(web.app) as base, browsing(chromium, base) as browser:
        page = browser.page
        for again in ("", "?again=1"):  # the second: "Give another response"
            browser.goto(f"/e/hague-2011{again}")
            page.check("#q-liked-yes")
            browser.press()
        assert page.title() == "Please try again later"
        violations["throttled"], small["throttled"] = browser.axe(), page.evaluate(TARGETS)
        keep_screenshots(page, "web-throttled")
        web.clock.now += 600
        holder = sqlite3.connect(web.db, isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")
            browser.press()  # "Try again" while another writer holds the database
            assert page.title() == "Your answers are not saved yet"
            violations["not saved"], small["not saved"] = browser.axe(), page.evaluate(TARGETS)
            keep_screenshots(page, "web-not-saved")
        finally:
            holder.close()
        browser.press()
        assert page.title() == "Thank you"
        # the browser notes the two statuses themselves; nothing else may go wrong
        statuses = [p for p in browser.problems if "the server responded with a status of" in p]
        assert len(statuses) == 2 and "429" in statuses[0] and "503" in statuses[1]
        assert [p for p in browser.problems if p not in statuses] == []
        assert browser.outside == []
    assert {name: found for name, found in violations.items() if found} == {}
    assert {name: found for name, found in small.items() if found} == {}
    assert len(web.responses()) == 2
