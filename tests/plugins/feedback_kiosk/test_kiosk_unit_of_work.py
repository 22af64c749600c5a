"""The kiosk hands each response to `Engine.submit`, which commits before it announces it (issue
14, §1): a ``response_submitted`` hook that reads the database finds the response."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kiosk_helpers import press, rows, submit, wait_for
from uow_helpers import ReadsBack

import feedback_offline
from feedback.engine import Engine
from feedback_kiosk.app import KioskApp

pytestmark = pytest.mark.asyncio


async def test_a_kiosk_response_is_announced_once_committed(
    kiosk: Callable[..., KioskApp], make_engine: Callable[..., Engine]
) -> None:
    seen = ReadsBack()
    engine = make_engine(feedback_offline, seen)
    app = kiosk(on=engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")  # English
        await press(pilot, "enter", "enter")  # the welcome, the consent note
        await press(pilot, "1", "enter")  # role: member of parliament
        await submit(pilot)
        await wait_for(pilot, lambda: app.screen.id == "thanks")
    [row] = rows(engine)
    assert row["channel"] == "kiosk"
    assert seen.ids() == {row["id"]}
    assert seen.all_found(), seen.seen
