"""Shared fixtures: an isolated project directory, settings and engines on a real SQLite file.

Plain helpers (the event, engine and response builders, the command line) are in ``helpers.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import EVENT, open_engine, pm_with_formats, run

from feedback.engine import Engine


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No FEEDBACK_* variable of the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("FEEDBACK_"):
            monkeypatch.delenv(name)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project directory (no feedback.toml: defaults apply)."""
    (tmp_path / "surveys").mkdir()
    return tmp_path


@pytest.fixture
def close_after() -> Iterator[Callable[[Engine], Engine]]:
    """Hand an engine to this to have it closed when the test ends; it is handed back."""
    engines: list[Engine] = []

    def close_later(engine: Engine) -> Engine:
        engines.append(engine)
        return engine

    yield close_later
    for engine in engines:
        engine.close()


@pytest.fixture
def make_engine(project: Path, close_after: Callable[[Engine], Engine]) -> Callable[..., Engine]:
    """Build engines on ``project`` with the built-in formats plugin plus the given plugins, and
    with the event ``EVENT`` unless ``event=False``; each is closed when the test ends."""

    def make(*plugins: Any, event: bool = True) -> Engine:
        engine = close_after(open_engine(project, pm_with_formats(*plugins)))
        if event:
            engine.store.upsert_event(dict(EVENT))
        return engine

    return make


@pytest.fixture
def engine(make_engine: Callable[..., Engine]) -> Engine:
    """An engine on ``project/feedback.db`` with the built-in plugins only and one event."""
    return make_engine()


@pytest.fixture
def event_project(tmp_path: Path) -> Path:
    """A project with the event ``hague-2011`` in its database, added through the command line."""
    result = run(tmp_path, "event", "add", "hague-2011", "--title", "Hague", "--date", "2011-01-26")
    assert result.exit_code == 0, result.output
    return tmp_path
