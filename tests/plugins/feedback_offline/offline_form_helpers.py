"""Plain helpers of the offline form tests: writing the form, reading its inline blocks, and one
laptop's browser (a Playwright context that may reach nothing but file://, data: and blob: URLs,
with downloads accepted).

Importable as ``from offline_form_helpers import ...`` (pytest puts this folder on ``sys.path``).
"""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from helpers import AXE, WCAG_21_AA, pm_with_formats

from feedback.cli import State
from feedback_offline.standalone import ASSETS, form_command  # noqa: F401  (re-exported)

DRAFT_PREFIX = "feedback-offline/draft/"
UUID4 = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


def write_form(project: Path, *args: str, plugins: tuple[Any, ...] = ()) -> Result:
    """``feedback --project PROJECT offline form ARGS``, the command called on its own, with the
    built-in formats plugin and ``plugins``."""
    state = State(project, pm_with_formats(*plugins))
    try:
        return CliRunner().invoke(form_command, list(args), obj=state)
    finally:
        state.close()


def made_files(folder: Path) -> list[str]:
    """What is in ``folder`` besides the database."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("feedback.db"))


class Blocks(HTMLParser):
    """The parts of a written form the tests look at: every tag with its attributes, the text
    of each inline ``<style>`` and ``<script>`` (data blocks apart), and the CSP."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.data: list[str] = []
        self.csp = ""
        self.order: list[str] = []  # "csp", "style", "script" as they come
        self._open: tuple[str, dict[str, str | None]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attrs_list)
        self.tags.append((tag, attrs))
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = attrs.get("content") or ""
            self.order.append("csp")
        if tag in ("style", "script"):
            self._open = (tag, attrs)
            self.order.append(tag)
            if tag == "style":
                self.styles.append("")
            elif attrs.get("type") == "application/json":
                self.data.append("")
            else:
                self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is None:
            return
        tag, attrs = self._open
        if tag == "style":
            self.styles[-1] += data
        elif attrs.get("type") == "application/json":
            self.data[-1] += data
        else:
            self.scripts[-1] += data

    def policy(self) -> dict[str, list[str]]:
        """The CSP as directive -> sources."""
        out: dict[str, list[str]] = {}
        for part in self.csp.split(";"):
            words = part.split()
            if words:
                out[words[0]] = words[1:]
        return out

    def form_data(self) -> dict[str, Any]:
        [block] = self.data
        return json.loads(block)


# -- one laptop's browser ----------------------------------------------------------------------

#: crypto.subtle (and randomUUID) gone, as in a browser that does not count file:// as secure
NO_SUBTLE = """
Object.defineProperty(Crypto.prototype, "subtle", {get() { return undefined; }, configurable: true});
delete Crypto.prototype.randomUUID;
"""


#: the moment the laptop's browser reads as now: noon on 10 March 2026, UTC
TODAY_MOMENT = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
TODAY = TODAY_MOMENT.date().isoformat()


class Laptop:
    """A browser profile on a laptop with no network: one page, its localStorage kept across
    reloads; every request to anything but file://, data: or blob: is refused and recorded, and
    every console error, page error or dialog is recorded."""

    def __init__(self, browser: Any, locale: str = "en-GB"):
        self.context = browser.new_context(
            accept_downloads=True, locale=locale, viewport={"width": 1000, "height": 900}
        )
        self.outside: list[str] = []
        self.problems: list[str] = []
        self.context.route("**/*", self._route)
        self.context.set_offline(True)
        self.page = self.context.new_page()
        # the page's clock (Date), which dates a response: fixed, so that no test depends on
        # the machine's day (timers still run)
        self.page.clock.set_fixed_time(TODAY_MOMENT)
        self.page.on(
            "console",
            lambda m: (
                m.type in ("error", "warning") and self.problems.append(f"{m.type}: {m.text}")
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def reload(self) -> None:
        self.page.reload()
        self.page.wait_for_load_state("load")

    def next(self) -> None:
        self.page.click("#next")

    def download(self, selector: str, folder: Path) -> tuple[str, Path, dict[str, Any]]:
        """Click ``selector``, save the file it downloads into ``folder``: (suggested name, path,
        content)."""
        with self.page.expect_download() as info:
            self.page.click(selector)
        download = info.value
        path = folder / download.suggested_filename
        download.save_as(path)
        return download.suggested_filename, path, json.loads(path.read_text(encoding="utf-8"))

    def draft(self) -> dict[str, Any] | None:
        """The draft this browser keeps of the form, or ``None``."""
        return self.page.evaluate(
            """prefix => {
              for (let i = 0; i < localStorage.length; i++) {
                const key = localStorage.key(i);
                if (key.startsWith(prefix)) return JSON.parse(localStorage.getItem(key));
              }
              return null;
            }""",
            DRAFT_PREFIX,
        )

    def axe(self) -> list[tuple[str, str, int]]:
        # evaluated through DevTools: the form's CSP (rightly) allows no other script
        if not self.page.evaluate("() => typeof axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
        )
        return [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]]

    def close(self) -> None:
        self.context.close()
