"""The idle reset: a participant who walks away leaves nothing behind, whatever screen is open.

The timer runs on the kiosk's clock: a `FakeClock` stands still until the test moves it, and
`idle_for` applies the idle rule at once, as the kiosk's interval would.
"""

from __future__ import annotations

import pytest
from kiosk_helpers import (
    PIN,
    FakeClock,
    current,
    go_to,
    idle_for,
    press,
    rows,
    text_of,
    type_text,
    wait_for,
)

from feedback_kiosk.screens.operator import OperatorScreen
from feedback_kiosk.screens.pin import PinScreen

pytestmark = pytest.mark.asyncio


async def test_a_countdown_then_the_attract_screen_and_nothing_is_stored(kiosk, engine):
    clock = FakeClock()
    app = kiosk(idle_timeout=6.0, idle_warning=3.0, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "1", "enter")
        await idle_for(pilot, clock, 2.9)
        assert app.screen.id == "survey"
        await idle_for(pilot, clock, 0.2)
        assert app.screen.id == "idle"
        assert text_of(app, "#idle-title") == "Are you still there?"
        assert "will be cleared in 3 seconds" in text_of(app, "#idle-countdown")
        await idle_for(pilot, clock, 2.0)
        assert "will be cleared in 1 seconds" in text_of(app, "#idle-countdown")
        await idle_for(pilot, clock, 1.0)
        assert app.screen.id == "attract"
        assert app.session is None
        await press(pilot, "enter")  # the next participant sees none of it
        await go_to(pilot, "q:role")
        assert app.session.answers == {}
        assert "(•)" not in text_of(app, "#answer")
    assert rows(engine) == []
    assert not app.spool.path.exists()


@pytest.mark.parametrize("key", ["enter", "1"])
async def test_a_key_during_the_countdown_keeps_the_answers(kiosk, key):
    clock = FakeClock()
    app = kiosk(idle_timeout=6.0, idle_warning=3.0, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "2")
        await idle_for(pilot, clock, 4.0)
        assert app.screen.id == "idle"
        await press(pilot, key)  # wakes the kiosk only: it neither goes on nor answers
        assert app.screen.id == "survey"
        assert current(app) == "q:role"
        assert app.session.answers == {"role": "ngo"}
        await idle_for(pilot, clock, 2.9)  # the clock starts again from the key
        assert app.screen.id == "survey"
        assert app.session is not None and app.session.answers == {"role": "ngo"}


async def test_the_attract_screen_waits_without_a_countdown(kiosk):
    clock = FakeClock()
    app = kiosk(idle_timeout=6.0, idle_warning=3.0, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle_for(pilot, clock, 3600.0)
        assert app.screen.id == "attract"
        assert app.is_running


async def test_the_kiosk_interval_applies_the_rule_by_itself(kiosk):
    """No test hook needed: the kiosk's own interval checks the clock (within a quarter second)."""
    clock = FakeClock()
    app = kiosk(idle_timeout=6.0, idle_warning=3.0, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        clock.advance(7.0)
        await wait_for(pilot, lambda: app.screen.id == "attract")
        assert app.session is None


@pytest.mark.parametrize("staff_screen", ["pin", "operator"])
async def test_a_staff_screen_left_open_mid_survey_is_reset_too(kiosk, pin_hash, staff_screen):
    """Seen at an event: with the PIN prompt (or the operator screen) open, the timer stopped, and
    Escape later led the next participant back into the previous one's answers."""
    clock = FakeClock()
    locked = staff_screen == "pin"
    app = kiosk(idle_timeout=6.0, idle_warning=3.0, clock=clock, locked=locked)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "2", "enter")
        await press(pilot, "ctrl+o")
        await pilot.pause()
        assert app.screen.id == staff_screen
        await idle_for(pilot, clock, 3.5)
        assert app.screen.id == "idle"  # the same warning as on a question
        await idle_for(pilot, clock, 3.0)
        assert app.screen.id == "attract"
        assert not any(isinstance(s, PinScreen | OperatorScreen) for s in app.screen_stack)
        assert app.session is None
        await press(pilot, "escape", "escape")
        assert app.screen.id == "attract"
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        assert app.session.answers == {}


async def test_a_pin_prompt_opened_on_the_attract_screen_closes_when_left(kiosk):
    clock = FakeClock()
    app = kiosk(idle_timeout=6.0, idle_warning=3.0, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "ctrl+o")
        await pilot.pause()
        assert app.screen.id == "pin"
        await idle_for(pilot, clock, 6.0)
        assert app.screen.id == "attract"
        assert len(app.screen_stack) == 2


async def test_typing_at_the_pin_prompt_holds_the_reset_off(kiosk):
    clock = FakeClock()
    app = kiosk(idle_timeout=6.0, idle_warning=3.0, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "ctrl+o")
        await pilot.pause()
        await idle_for(pilot, clock, 2.5)
        await type_text(pilot, "12")  # staff are typing: that is activity
        await idle_for(pilot, clock, 2.5)
        assert app.screen.id == "pin"
        await type_text(pilot, PIN[2:])
        await press(pilot, "enter")
        await pilot.pause()
        assert app.screen.id == "operator"


async def test_the_pin_lockout_runs_on_the_kiosk_clock(kiosk):
    clock = FakeClock()
    app = kiosk(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "ctrl+o")
        await pilot.pause()
        for _ in range(3):
            await type_text(pilot, "9999")
            await press(pilot, "enter")
        assert "Too many attempts. Try again in 30 seconds." in text_of(app, "#pin-error")
        clock.advance(29.0)
        await type_text(pilot, PIN)
        await press(pilot, "enter")
        assert app.screen.id == "pin"
        assert "Try again in 1 seconds" in text_of(app, "#pin-error")
        clock.advance(1.5)
        await type_text(pilot, PIN)
        await press(pilot, "enter")
        await pilot.pause()
        assert app.screen.id == "operator"
