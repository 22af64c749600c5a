"""The HTML report in a real browser: headless Chromium (Debian's), driven by Playwright.

It opens from disk with every network request refused and recorded, shows no console error, reads
the outcome sentences, is photographed, and passes axe-core's WCAG 2.1 AA rules. Without Chromium,
Playwright or axe-core the test is skipped with the reason; in CI (``CI=true``) it fails instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import AXE, WCAG_21_AA, chromium_browser


@pytest.fixture(scope="module")
def page_of():
    with chromium_browser() as browser:

        def open_page(path: Path):
            page = browser.new_page(viewport={"width": 1200, "height": 900})
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
                lambda m: (
                    m.type in ("error", "warning") and page.problems.append(f"{m.type}: {m.text}")
                ),  # type: ignore[attr-defined]
            )
            page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))  # type: ignore[attr-defined]
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            return page

        yield open_page
        browser.close()


@pytest.mark.parametrize("scope", ["hague", "programme"])
def test_the_html_report_in_chromium(built, page_of, tmp_path: Path, scope: str) -> None:
    path = built.files[(scope, "html")]
    page = page_of(path)
    try:
        text = page.inner_text("body")
        assert page.problems == []  # type: ignore[attr-defined]
        assert page.requests == []  # type: ignore[attr-defined]: nothing leaves the file
        outcomes = json.loads(built.files[(scope, "json")].read_text(encoding="utf-8"))
        sentences = [r["summary"] for r in outcomes["results"] if r["scorer"] == "reach"]
        assert sentences and all(s in " ".join(text.split()) for s in sentences)
        assert page.locator("h2", has_text="Outcomes").count() == 1
        assert page.locator("svg[role=img]").count() >= 2
        shot = tmp_path / f"{scope}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        # evaluated through DevTools: the report's own CSP (rightly) forbids inline scripts
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
        )
        violations = [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]]
        assert violations == []
    finally:
        page.close()
