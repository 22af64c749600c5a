"""Fixtures of the webhooks' tests: a real receiver, a hand-moved clock, and engines whose
projects name endpoints on the receiver (`webhook_helpers`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from webhook_helpers import Clock, Receiver, open_engine, write_endpoints

from feedback.engine import Engine


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver on a free port of 127.0.0.1, not yet started (connections are refused)."""
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def webhook_engine(
    feedback_project: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Engine]]:
    """``webhook_engine({"crm": {"url": ...}}, *plugins)``: an engine on the kit's project whose
    ``feedback.toml`` names those endpoints; closed when the test ends."""
    engines: list[Engine] = []

    def make(endpoints: dict[str, dict[str, Any]], *plugins: Any) -> Engine:
        write_endpoints(feedback_project, monkeypatch, endpoints)
        engines.append(open_engine(feedback_project, *plugins))
        return engines[-1]

    yield make
    for engine in engines:
        engine.close()
