"""Fixtures of the example plugin's tests: a project with the survey ``confidence``, engines with
the built-in plugins and the example, one headless Chromium. The plain helpers and constants are
in ``slider_helpers.py`` (importable as ``from slider_helpers import ...``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import chromium_browser
from slider_helpers import PLUGINS, SLIDER_SURVEY

from feedback.engine import Engine


@pytest.fixture
def project(project: Path) -> Path:
    """The shared empty project, with the survey ``confidence`` in its ``surveys/`` folder."""
    (project / "surveys" / "confidence.yaml").write_text(SLIDER_SURVEY, encoding="utf-8")
    return project


@pytest.fixture
def make_slider_engine(make_engine: Callable[..., Engine]) -> Callable[..., Engine]:
    """Engines with the built-in plugins and the example (plus ``extra`` plugins)."""

    def make(*extra: Any, event: bool = True) -> Engine:
        return make_engine(*PLUGINS, *extra, event=event)

    return make


@pytest.fixture
def engine(make_slider_engine: Callable[..., Engine]) -> Engine:
    return make_slider_engine()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the module; each test opens its own context."""
    with chromium_browser() as browser:
        yield browser
