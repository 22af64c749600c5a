"""The idle reset: a participant who walks away mid-survey leaves nothing behind."""

from __future__ import annotations

import pytest
from kiosk_helpers import current, go_to, press, rows, text_of, wait_for

pytestmark = pytest.mark.asyncio


async def test_a_countdown_then_the_attract_screen_and_nothing_is_stored(kiosk, engine):
    app = kiosk(idle_timeout=1.0, idle_warning=0.5)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "1", "enter")
        await wait_for(pilot, lambda: app.screen.id == "idle")
        assert text_of(app, "#idle-title") == "Are you still there?"
        assert "will be cleared in 1 seconds" in text_of(app, "#idle-countdown")
        await wait_for(pilot, lambda: app.screen.id == "attract")
        assert app.session is None
        await press(pilot, "enter")  # the next participant sees none of it
        await go_to(pilot, "q:role")
        assert app.session.answers == {}
        assert "(•)" not in text_of(app, "#answer")
    assert rows(engine) == []
    assert not app.spool.path.exists()


@pytest.mark.parametrize("key", ["enter", "1"])
async def test_a_key_during_the_countdown_keeps_the_answers(kiosk, key):
    app = kiosk(idle_timeout=1.0, idle_warning=0.5)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "2")
        await wait_for(pilot, lambda: app.screen.id == "idle")
        await press(pilot, key)  # wakes the kiosk only: it neither goes on nor answers
        assert app.screen.id == "survey"
        assert current(app) == "q:role"
        assert app.session.answers == {"role": "ngo"}
        await pilot.pause(0.6)  # the clock starts again from the key
        assert app.screen.id in ("survey", "idle")
        assert app.session is not None and app.session.answers == {"role": "ngo"}


async def test_the_attract_screen_waits_without_a_countdown(kiosk):
    app = kiosk(idle_timeout=0.4, idle_warning=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.7)
        assert app.screen.id == "attract"
        assert app.is_running
