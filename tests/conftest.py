"""Shared fixtures: an isolated project directory, settings and engine on a real SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import feedback_formats
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.plugins import make_plugin_manager

EVENT = {
    "id": "hague-2011",
    "title": "Good practice exchange",
    "date": "2011-01-26",
    "city": "The Hague",
    "country": "NL",
    "programme": "paht",
}


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
def engine(project: Path) -> Engine:
    """An engine on ``project/feedback.db`` with the built-in plugins only and one event."""
    pm = make_plugin_manager(entrypoints=False, plugins=[feedback_formats])
    eng = Engine(settings=load_settings(project), pm=pm)
    eng.store.upsert_event(dict(EVENT))
    yield eng
    eng.close()
