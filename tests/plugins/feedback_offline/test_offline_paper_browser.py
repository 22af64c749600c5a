"""The HTML paper form in a real browser: axe-core's WCAG 2.1 AA rules on screen and in print, and
nothing fetched from outside the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import AXE, WCAG_21_AA, chromium_browser, run

from feedback.engine import Engine


@pytest.fixture
def form(project: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FEEDBACK_BASE_URL", "https://feedback.example.org")
    out = project / "form.html"
    result = run(project, "offline", "paper", "--event", "hague-2011", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_paper_html_passes_axe_on_screen_and_in_print(form: Path) -> None:
    with chromium_browser() as browser:
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(form.as_uri())
        assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
        page.evaluate(AXE.read_text(encoding="utf-8"))
        run_axe = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        found = {}
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            result = page.evaluate(run_axe, WCAG_21_AA)
            found[media] = [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]]
        assert found == {"screen": [], "print": []}
        assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
