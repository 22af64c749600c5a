"""Fixtures of the web form tests: a project with the Hague event (its open link on) and the web
app on its engine with a clock the test moves, test clients closed at the end, and one headless
Chromium per module (Debian's, driven by Playwright; skipped with the reason when missing, a failure
in CI)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import chromium_browser
from web_helpers import Web, web_site

from feedback.engine import Engine


@pytest.fixture
def web(project: Path, make_engine: Callable[..., Engine]) -> Iterator[Web]:
    """The web form on a project with the event hague-2011 (the shipped survey is the default)."""
    with web_site(project, make_engine) as site:
        yield site


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the module's tests; each test opens its own context."""
    with chromium_browser() as browser:
        yield browser
