"""The web form's layout in headless Chromium at a phone's size (360x740) and a laptop's
(1280x800): every page of the shipped survey, its problems, the thank-you and message pages,
with no horizontal overflow and no axe-core WCAG 2.1 AA violation; the 0-10 rating on the rows
it should take with its end labels at its ends; yes/no choices a thumb can hit; a browser's Back
between pages; light colours whatever the system's scheme. Each page is kept as a screenshot in
``test-artifacts/`` (``FEEDBACK_ARTIFACTS``), ``web-layout-<page>-<width>.png``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from test_web_browser import ARTIFACTS, Browser
from web_helpers import live_server

from feedback.invitations import new_token

SIZES = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1280, "height": 800}}

#: the horizontal overflow of the page: how far its content reaches past the viewport
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const e of document.querySelectorAll('body *')) {
    const box = e.getBoundingClientRect();
    if (box.width && (box.right > width + 0.5 || box.left < -0.5) && !e.closest('.skip-link')
        && !e.classList.contains('visually-hidden') && !e.classList.contains('default-action'))
      wide.push(`${e.tagName.toLowerCase()}#${e.id}.${e.className}: ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  return [document.documentElement.scrollWidth - width, wide.slice(0, 5)];
}"""

#: the rows of a rating's radios (each row the values on it), and its end labels' boxes
RATING = """qid => {
  const rows = [];
  for (const input of document.querySelectorAll(`[data-question="${qid}"] input[type=radio]`)) {
    const box = input.getBoundingClientRect();
    const row = rows.find(r => Math.abs(r.top - box.top) < 4);
    if (row) row.values.push(Number(input.value)); else rows.push({top: box.top, values: [Number(input.value)]});
  }
  const box = sel => {
    const e = document.querySelector(`[data-question="${qid}"] ${sel}`);
    if (!e) return null;
    const b = e.getBoundingClientRect();
    return {left: b.left, right: b.right, top: b.top, bottom: b.bottom};
  };
  const options = document.querySelectorAll(`[data-question="${qid}"] .option`);
  const edge = e => { const b = e.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  return {rows: rows.sort((a, b) => a.top - b.top).map(r => r.values), min: box('.end-min'),
          max: box('.end-max'), first: edge(options[0]), last: edge(options[options.length - 1])};
}"""

#: each yes/no choice: its box, and whether a tap 3 px inside each corner chooses it
CHOICES = """qid => Array.from(document.querySelectorAll(`[data-question="${qid}"] .option`)).map(option => {
  option.scrollIntoView({block: 'center'});
  const b = option.getBoundingClientRect();
  const input = option.querySelector('input');
  const taps = [[b.left + 3, b.top + 3], [b.right - 3, b.top + 3], [b.left + 3, b.bottom - 3],
                [b.right - 3, b.bottom - 3], [b.left + b.width / 2, b.top + b.height / 2]];
  const chooses = taps.every(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return hit === input || (hit && hit.closest('label') && hit.closest('label').htmlFor === input.id);
  });
  return {left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width, height: b.height, chooses};
})"""

#: the colours a participant sees of the page's main parts
COLOURS = """() => {
  const parts = ['body', 'main', '.masthead', 'h1', 'legend', 'input[type=radio]', 'button.primary',
                 'input[type=text]', 'textarea', '.option label'];
  const out = {};
  for (const sel of parts) {
    const e = document.querySelector(sel);
    if (!e) continue;
    const s = getComputedStyle(e);
    out[sel] = [s.color, s.backgroundColor, s.borderColor, s.colorScheme];
  }
  return out;
}"""


@contextmanager
def sized(chromium: Any, base: str, size: str, **options: Any) -> Iterator[Browser]:
    context = chromium.new_context(viewport=SIZES[size], **options)
    try:
        yield Browser(context, base)
    finally:
        context.close()


class Layout:
    """What the pages of one size showed: overflow, axe violations, screenshots taken."""

    def __init__(self, browser: Browser, size: str):
        self.browser = browser
        self.size = size
        self.overflow: dict[str, Any] = {}
        self.violations: dict[str, Any] = {}

    def look(self, name: str) -> None:
        page = self.browser.page
        over, wide = page.evaluate(OVERFLOW)
        if over > 0 or wide:
            self.overflow[name] = (over, wide)
        found = self.browser.axe()
        if found:
            self.violations[name] = found
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        width = SIZES[self.size]["width"]
        shot = ARTIFACTS / f"web-layout-{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5_000


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_fits_the_screen_and_passes_axe(web, chromium, size: str) -> None:
    _, token = web.invite()
    with live_server(web.app) as base, sized(chromium, base, size) as browser:
        layout = Layout(browser, size)
        page = browser.page
        browser.goto(f"/s/{token}")
        layout.look("welcome")
        browser.press()
        assert page.title().startswith("There is a problem")
        layout.look("welcome-problem")
        page.check("#q-role-2")
        browser.press()
        layout.look("learned")
        for qid in ("rapporteur_role", "other_countries", "mp_ngo_cooperation"):
            page.check(f"#q-{qid}-then-2")
            page.check(f"#q-{qid}-now-4")
        browser.press()
        layout.look("views")
        browser.press()
        page.check("#q-passed_contacts-yes")
        page.fill("#q-new_mp_contacts-input", "101")
        browser.press()
        assert page.title().startswith("There is a problem")
        layout.look("next-event-problem")
        page.fill("#q-new_mp_contacts-input", "3")
        page.check("#q-support_next_event-no")
        browser.press()
        assert page.title().startswith("Overall")
        page.check("#q-usefulness-8")
        layout.look("overall")
        browser.press()
        assert page.title() == "Thank you"
        layout.look("thank-you")
        browser.goto(f"/s/{token}")
        layout.look("completed")

        browser.goto("/e/hague-2011")
        page.check("#q-role-2")
        browser.press("button[value=save]")
        layout.look("open-saved")
        browser.goto(f"/s/{new_token()}")
        layout.look("unknown-link")
        browser.goto("/e/hague-2011/qr")
        layout.look("venue")
        # the browser notes the 404 of the unknown link itself; nothing else may go wrong
        assert [p for p in browser.problems if "status of 404" not in p] == []
        assert browser.outside == []
    assert layout.overflow == {}
    assert layout.violations == {}


@pytest.mark.parametrize(
    ("size", "rows"),
    [("phone", [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]), ("laptop", [list(range(11))])],
)
def test_the_0_to_10_rating_takes_one_row_or_two_balanced_ones_with_its_labels_at_its_ends(
    web, chromium, size: str, rows: list[list[int]]
) -> None:
    _, token = web.invite()
    with live_server(web.app) as base, sized(chromium, base, size) as browser:
        page = browser.page
        browser.goto(f"/s/{token}?page=4")
        assert page.title().startswith("Overall")
        for qid in ("usefulness", "recommend"):
            found = page.evaluate(RATING, qid)
            assert found["rows"] == rows, qid
            first, last, low, high = found["first"], found["last"], found["min"], found["max"]
            # "Not at all ..." begins where 0 begins, above it; "Extremely ..." ends where 10
            # ends: beside it above the row (one row) or under it (two rows)
            assert abs(low["left"] - first["left"]) < 1 and low["bottom"] <= first["top"], qid
            assert abs(high["right"] - last["right"]) < 1, qid
            if len(rows) == 1:
                assert high["bottom"] <= last["top"] and high["left"] > low["right"], qid
            else:
                assert high["top"] >= last["bottom"], qid
            # every point a target a thumb can hit
            boxes = page.evaluate(CHOICES, qid)
            assert all(b["width"] >= 44 and b["height"] >= 44 and b["chooses"] for b in boxes), qid


@pytest.mark.parametrize("size", list(SIZES))
def test_yes_and_no_are_touch_sized_and_apart(web, chromium, size: str) -> None:
    """Each choice at least 44 px high and 88 px wide, chosen by a tap anywhere in its box, and
    at least 12 px from the other (WCAG 2.5.8 asks 24 px targets; a thumb needs more)."""
    _, token = web.invite()
    with live_server(web.app) as base, sized(chromium, base, size) as browser:
        browser.goto(f"/s/{token}?page=3")
        assert browser.page.title().startswith("Towards the next event")
        yes, no = browser.page.evaluate(CHOICES, "passed_contacts")
    for box in (yes, no):
        assert box["height"] >= 44 and box["width"] >= 88 and box["chooses"], box
    apart = (
        no["left"] - yes["right"] if abs(no["top"] - yes["top"]) < 1 else no["top"] - yes["bottom"]
    )
    assert apart >= 12


def test_the_browsers_back_goes_to_the_previous_page_with_its_answers(web, chromium) -> None:
    _, token = web.invite()
    with live_server(web.app) as base, sized(chromium, base, "phone") as browser:
        page = browser.page
        browser.goto(f"/s/{token}")
        page.check("#q-role-2")
        page.check("label[for=q-country-20]")
        browser.press()
        assert page.title().startswith("What you learned")
        page.check("#q-rapporteur_role-then-2")
        page.check("#q-rapporteur_role-now-4")
        page.check("#q-other_countries-then-1")
        page.check("#q-other_countries-now-3")
        page.check("#q-mp_ngo_cooperation-then-2")
        page.check("#q-mp_ngo_cooperation-now-5")
        browser.press()
        assert page.title().startswith("Your views and plans")
        page.go_back()
        page.wait_for_load_state("load")
        assert page.title().startswith("What you learned")
        assert page.is_checked("#q-rapporteur_role-now-4")
        page.go_back()
        page.wait_for_load_state("load")
        assert page.title().startswith("Welcome")
        assert page.is_checked("#q-role-2") and page.is_checked("#q-country-20")
        page.go_forward()
        page.wait_for_load_state("load")
        assert page.title().startswith("What you learned")
        page.check("#q-rapporteur_role-now-5")  # a change on the way back is a step like any
        browser.press()
        assert page.title().startswith("Your views and plans")
        assert browser.problems == []


def test_after_submitting_back_and_reload_say_the_answers_are_saved(web, chromium) -> None:
    with live_server(web.app) as base, sized(chromium, base, "phone") as browser:
        page = browser.page
        browser.goto("/e/hague-2011")
        for _ in range(5):
            if page.is_visible("#q-role-2"):
                page.check("#q-role-2")
            browser.press()
        assert page.title() == "Thank you"
        page.reload()
        assert page.title() == "Thank you" and "Your answers are saved." in page.inner_text("main")
        page.go_back()
        page.wait_for_load_state("load")
        assert page.title() == "Thank you" and "Your answers are saved." in page.inner_text("main")
        statuses = [p for p in browser.problems if "status of" in p]
        assert statuses == []
    assert len(web.responses()) == 1


def test_there_is_no_dark_mode_half_done(web, chromium) -> None:
    """Dark mode is not offered: a browser asking for dark colours gets the light page whole
    (its controls drawn light too), never a dark page around white boxes."""
    _, token = web.invite()
    seen: dict[str, Any] = {}
    with live_server(web.app) as base:
        for scheme in ("light", "dark"):
            with sized(chromium, base, "phone", color_scheme=scheme) as browser:
                browser.goto(f"/s/{token}?page=4")
                seen[scheme] = browser.page.evaluate(COLOURS)
                browser.goto(f"/s/{new_token()}")
                seen[scheme + " message"] = browser.page.evaluate(COLOURS)
    assert seen["dark"] == seen["light"]
    assert seen["dark message"] == seen["light message"]
    assert {parts[3] for parts in seen["dark"].values()} == {"light"}
