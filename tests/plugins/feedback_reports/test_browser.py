"""The HTML report in a real browser: headless Chromium (Debian's), driven by Playwright.

Each report (the Hague's and the programme's) opens from disk with every network request refused
and recorded, and shows no console error. On a phone (360 px wide) and a desktop (1280 px) it
scrolls only vertically, its tables fit their column, its chart text is at least 10 px on the
phone, and it passes axe-core's WCAG 2.1 AA rules. Printed to A4, the event report's main part (up
to its appendix, which starts on a new page) takes at most 4 pages.

A screenshot of each width and each PDF is kept in ``FEEDBACK_ARTIFACTS`` (default
``test-artifacts/`` at the repository root, ignored by git) for a person to look at.

Without Chromium, Playwright or axe-core the tests are skipped with the reason; in CI
(``CI=true``) they fail instead. One browser serves the whole module.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
import test_hague_dataset
from helpers import AXE, ROOT, WCAG_21_AA, chromium_browser

#: the fixture of the realistic Hague dataset (30 responses): its reports, built once per module
reports = test_hague_dataset.reports

ARTIFACTS = Path(os.environ.get("FEEDBACK_ARTIFACTS") or ROOT / "test-artifacts")
SCOPES = ["hague", "programme"]
WIDTHS = [360, 1280]

#: every chart text's font size in CSS px as drawn: its font size times the scale of the SVG
#: (its viewBox to the CSS box, and the element's own transforms)
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart text')].map(t => {
  const m = t.getScreenCTM();
  const scale = Math.sqrt(m.a * m.a + m.b * m.b);
  return {text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * scale};
}).filter(t => t.text)"""

#: what reaches past the page's right edge, and tables wider than the column they sit in
OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''));
  const tables = [...document.querySelectorAll('table')].filter(t => {
    const column = t.parentElement.getBoundingClientRect();
    return t.getBoundingClientRect().right > column.right + 0.5;
  }).map(t => t.querySelector('caption').textContent.trim());
  return {scrollWidth: document.documentElement.scrollWidth, width, wide, tables};
}"""


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as browser:
        yield browser


def open_page(browser: Any, path: Path, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.problems = []  # type: ignore[attr-defined]
    page.requests = []  # type: ignore[attr-defined]

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file://", "data:")):
            request_route.continue_()
        else:
            page.requests.append(url)  # type: ignore[attr-defined]
            request_route.abort()

    page.route("**/*", route)
    page.on(
        "console",
        lambda m: m.type in ("error", "warning") and page.problems.append(f"{m.type}: {m.text}"),  # type: ignore[attr-defined]
    )
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))  # type: ignore[attr-defined]
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def axe_violations(page: Any) -> list[tuple[str, str, int]]:
    # evaluated through DevTools: the report's own CSP (rightly) forbids inline scripts
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scope", SCOPES)
def test_the_html_report_in_chromium(built, browser, scope: str, width: int) -> None:
    page = open_page(browser, built.files[(scope, "html")], width)
    try:
        text = " ".join(page.inner_text("body").split())
        assert page.problems == []  # type: ignore[attr-defined]
        assert page.requests == []  # type: ignore[attr-defined]: nothing leaves the file
        outcomes = json.loads(built.files[(scope, "json")].read_text(encoding="utf-8"))
        sentences = [r["summary"] for r in outcomes["results"] if r["scorer"] == "reach"]
        assert sentences and all(s in text for s in sentences)
        assert page.get_by_role("heading", name="Outcomes", exact=True, level=2).count() == 1
        assert page.locator("svg[role=img]").count() >= 2

        shot = artifact(f"{scope}-{width}.png")
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000

        # no horizontal scrolling, and no table wider than its column
        overflow = page.evaluate(OVERFLOW)
        assert overflow["scrollWidth"] <= overflow["width"], overflow
        assert overflow["wide"] == [] and overflow["tables"] == [], overflow

        # chart text: at least 10 CSS px where the page is narrowest
        sizes = page.evaluate(CHART_TEXT)
        assert len(sizes) > 20
        smallest = min(sizes, key=lambda t: t["px"])
        if width == 360:
            assert smallest["px"] >= 10, smallest

        assert axe_violations(page) == []
    finally:
        page.close()


def test_a_narrow_table_is_stacked_and_keeps_its_headers(built, browser) -> None:
    """At 360 px a table's rows are blocks and each cell shows its column's header; the table,
    its rows and its headers stay a table to assistive technology."""
    page = open_page(browser, built.files[("hague", "html")], 360)
    try:
        cell = page.locator(".appendix table td[data-label='95% CI']").first
        assert cell.evaluate("e => getComputedStyle(e).display") == "grid"
        label = cell.evaluate("e => getComputedStyle(e, '::before').content")
        assert "95% CI" in label or "data-label" in label
        row = cell.locator("xpath=..")
        assert row.evaluate("e => getComputedStyle(e).display") == "block"
        table = page.locator(".appendix table").first
        snapshot = table.aria_snapshot()
        assert "table" in snapshot and "row" in snapshot and "columnheader" in snapshot
    finally:
        page.close()


def pdf_pages(pdf: bytes) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages]


def printed(browser: Any, path: Path, name: str) -> list[str]:
    """The text of each A4 page of the report at ``path`` printed to PDF (kept as ``name``)."""
    page = open_page(browser, path, 1280)
    try:
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        page.close()
    artifact(f"{name}.pdf").write_bytes(pdf)
    return pdf_pages(pdf)


def pages_before_the_appendix(pages: list[str]) -> int:
    starts = [i for i, text in enumerate(pages) if text.startswith("Appendix A: Tables in full")]
    assert len(starts) == 1, [p[:60] for p in pages]
    return starts[0]


def test_the_event_report_of_30_responses_prints_on_4_pages_before_its_appendix(
    reports, browser, tmp_path: Path
) -> None:
    path = tmp_path / "hague-2011.html"
    path.write_text(reports["html"], encoding="utf-8")
    pages = printed(browser, path, "hague-2011-30-responses")
    assert pages_before_the_appendix(pages) <= 4


@pytest.mark.parametrize("scope", SCOPES)
def test_the_printed_report_keeps_its_main_part_short(built, browser, scope: str) -> None:
    pages = printed(browser, built.files[(scope, "html")], scope)
    # the appendix and the comments each begin a page of their own
    starts = [i for i, text in enumerate(pages) if text.startswith("Appendix A: Tables in full")]
    comments = [i for i, text in enumerate(pages) if text.startswith("Appendix C: Comments")]
    assert len(starts) == 1 and len(comments) == 1, [p[:60] for p in pages]
    before = starts[0]
    assert "Contents" in pages[0] and "Outcomes" in pages[0]
    if scope == "hague":
        assert before <= 4, f"{before} pages before the appendix"
    else:
        assert before <= 5, f"{before} pages before the appendix"
    assert comments[0] > before
