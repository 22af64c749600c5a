"""Plain helpers shared by the tests: the event, engines, responses, the command line, SQLite.

Importable as ``from helpers import ...``: pytest puts this folder on ``sys.path`` when it loads
``tests/conftest.py`` (rootdir conftest, "prepend" import mode, no ``__init__.py``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from click.testing import CliRunner, Result

import feedback_formats
from feedback.cli import cli
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.plugins import PluginManager, make_plugin_manager
from feedback.scoring import ScoringContext
from feedback.survey import Survey

EVENT = {
    "id": "hague-2011",
    "title": "Good practice exchange",
    "date": "2011-01-26",
    "city": "The Hague",
    "country": "NL",
    "programme": "paht",
}


# -- engines -----------------------------------------------------------------------------------


def pm_with_formats(*plugins: Any) -> PluginManager:
    """A plugin manager with the built-in formats plugin and ``plugins``; no entry points."""
    return make_plugin_manager(entrypoints=False, plugins=[feedback_formats, *plugins])


def open_engine(project: Path, pm: PluginManager | None = None) -> Engine:
    """An engine on ``project``'s settings, with ``pm`` or else the built-in formats plugin only.

    The caller closes it."""
    return Engine(settings=load_settings(project), pm=pm_with_formats() if pm is None else pm)


# -- responses ---------------------------------------------------------------------------------


def make_response(survey: str, answers: dict[str, Any], /, **changes: Any) -> dict[str, Any]:
    """A response with a new id to ``survey`` at the event hague-2011, sent from a kiosk in
    English on 2011-01-26; ``changes`` replace any field."""
    return {
        "id": str(uuid.uuid4()),
        "survey": survey,
        "event": "hague-2011",
        "channel": "kiosk",
        "language": "en",
        "submitted": "2011-01-26",
        "answers": answers,
        **changes,
    }


def scoring_context(
    survey: Survey, answers: Iterable[dict[str, Any]], /, **settings: Any
) -> ScoringContext:
    """A scoring context of the event hague-2011 holding, in memory, one response to ``survey``
    (`make_response`) for each of ``answers``; ``settings`` set ``min_cell_size`` and the like."""
    responses = [make_response(survey.id, a, survey_version=survey.version) for a in answers]
    return ScoringContext(
        event="hague-2011",
        events=[{"id": "hague-2011", "title": "Good practice exchange", "date": "2011-01-26"}],
        responses=responses,
        surveys={(survey.id, survey.version): survey},
        attendance=[],
        **settings,
    )


# -- the command line and the database file ----------------------------------------------------


def run(project: Path, *args: str) -> Result:
    """``feedback --project PROJECT ARGS``, in a wide terminal so that tables show whole cells."""
    return CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["--project", str(project), *args])


def query(db: Path, sql: str) -> list[tuple]:
    """The rows ``sql`` finds in the SQLite file ``db``, on a connection of its own."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def dump(db: Path) -> list[str]:
    """The whole SQLite file ``db`` as SQL: equal before and after when nothing was written."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# -- a real browser ----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
#: Debian's Chromium (Playwright cannot download one here), the flags it runs with, and axe-core
CHROMIUM = os.environ.get("FEEDBACK_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(os.environ.get("FEEDBACK_AXE_JS", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or ``None`` when they can."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    if not AXE.exists():
        return f"axe-core not found at {AXE} (npm install axe-core)"
    return None


def unavailable(why: str) -> NoReturn:
    """Skip a test that needs what this machine lacks, with the reason; in CI (``CI=true``) fail
    instead, since every test must run there."""
    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"this test must run in CI: {why}")
    pytest.skip(why)


@contextlib.contextmanager
def chromium_browser() -> Iterator[Any]:
    """A headless Chromium; the test is skipped with the reason when there is none, and fails
    instead in CI (``CI=true``), where the browser tests must run."""
    why = browser_missing()
    if why:
        unavailable(f"a browser test: {why}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
