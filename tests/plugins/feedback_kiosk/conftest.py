"""Kiosk fixtures: the app on a real SQLite file (the ``engine`` fixture's), the PIN, test surveys.

Plain helpers for driving the app with `Pilot` are in ``kiosk_helpers.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import textual._wait
from helpers import EVENT
from kiosk_helpers import PIN

import feedback_offline
from feedback.engine import Engine
from feedback_kiosk.app import KioskApp, KioskOptions, make_app
from feedback_kiosk.pin import hash_pin
from feedback_kiosk.screens.pin import PinScreen


@pytest.fixture(autouse=True)
def _no_pin_lockout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrong PINs are counted on the class (a new PIN screen must not reset them): start clean."""
    monkeypatch.setattr(PinScreen, "tries", 0)
    monkeypatch.setattr(PinScreen, "locked_until", 0.0)


@pytest.fixture
def engine(make_engine: Callable[..., Engine]) -> Engine:
    """An engine with the built-in formats plugin and the offline plugin, which answers the
    ``paper_entry`` hook for data entry of paper forms (as it does when installed), and one event."""
    return make_engine(feedback_offline)


@pytest.fixture(scope="session")
def pin_hash() -> str:
    return hash_pin(PIN)


@pytest.fixture
def write_survey(project: Path) -> Callable[[str, str], Path]:
    """Write a survey into the project's ``surveys/`` folder (before the engine first reads it)."""

    def write(name: str, text: str) -> Path:
        path = project / "surveys" / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def kiosk(engine: Engine, pin_hash: str) -> Callable[..., KioskApp]:
    """Build a kiosk app: the shipped survey at the event ``EVENT`` unless told otherwise.

    Timers are long by default so that only the test that wants the idle reset, the thank-you
    timeout or the spool retry sees it. ``clock``: the kiosk's clock (a `FakeClock` to move the
    idle timer by hand).
    """

    def make(
        survey: str = "post-seminar",
        *,
        on: Engine | None = None,
        clock: Callable[[], float] | None = None,
        **options: Any,
    ) -> KioskApp:
        target = on or engine
        settings: dict[str, Any] = {
            "event": EVENT["id"],
            "survey": target.survey(survey),
            "locked": True,
            "pin_hash": pin_hash,
            "idle_timeout": 600.0,
            "idle_warning": 10.0,
            "thank_you_seconds": 600.0,
            "retry_seconds": 600.0,
        }
        settings.update(options)
        if clock is not None:
            return make_app(target, KioskOptions(**settings), clock=clock)
        return make_app(target, KioskOptions(**settings))

    return make


@pytest.fixture(autouse=True)
def _quick_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    """`Pilot.press` waits for the app to go idle after each key, polling every 20 ms: poll every
    2 ms instead, which makes the kiosk tests several times faster. The wait for the screen's
    messages to be handled is untouched. (``raising=False``: if Textual renames the constant the
    tests get slower, never wrong.)"""
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.002, raising=False)
