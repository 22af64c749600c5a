"""The kiosk dates a response by the core's clock, the one "after today" is checked against.

With ``SOURCE_DATE_EPOCH`` set (reproducible runs, tests), a kiosk that dated by the wall clock
would send a date after the engine's today and see its answer refused (and spooled)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from kiosk_helpers import press, rows, submit, wait_for

from feedback_kiosk.app import KioskApp

pytestmark = pytest.mark.asyncio

DAY_AFTER = dt.datetime(2011, 1, 27, 12, tzinfo=dt.UTC)  # the event was on 26 January 2011


async def test_a_kiosk_response_is_dated_by_the_cores_clock(
    kiosk: Callable[..., KioskApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(DAY_AFTER.timestamp())))
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")  # English
        await press(pilot, "enter", "enter")  # the welcome, the consent note
        await press(pilot, "1", "enter")  # role: member of parliament
        await submit(pilot)
        await wait_for(pilot, lambda: app.screen.id == "thanks")
    [row] = rows(app.engine)
    assert row["submitted"] == "2011-01-27"
