"""Issue 13, "Privacy at the kiosk": a kiosk left on a staff screen forgets the participant.

Seen at an event with a 6-second idle timeout: a participant opened the staff PIN prompt (Ctrl+O)
mid-survey and walked away; 12 seconds later the prompt was still up, the idle timer having
stopped, and Escape led the next participant back into the previous person's answers. Every screen
must obey the idle reset, and an abandoned session's answers are never shown and never stored
(no survey can yet opt in to keeping partial responses).

The kiosk's clock is controllable: the test moves it; nothing here waits on the wall clock.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import EVENT

from feedback.engine import Engine
from feedback_kiosk.app import KioskOptions, make_app
from feedback_kiosk.pin import hash_pin

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "feedback_kiosk"))
from kiosk_helpers import FakeClock, go_to, idle_for, press, text_of

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("locked", [True, False], ids=["pin-prompt", "operator-screen"])
async def test_walking_away_from_a_staff_screen_discards_the_answers(
    engine: Engine, locked: bool
) -> None:
    clock = FakeClock()
    options = KioskOptions(
        event=EVENT["id"],
        survey=engine.survey("post-seminar"),
        locked=locked,
        pin_hash=hash_pin("1234"),
        idle_timeout=6.0,
        idle_warning=3.0,
        thank_you_seconds=600.0,
        retry_seconds=600.0,
    )
    app = make_app(engine, options, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "9", "enter")  # "Person with lived experience of trafficking"
        assert app.session is not None and app.session.answers == {"role": "lived_experience"}
        await press(pilot, "ctrl+o")
        await pilot.pause()
        assert app.screen.id == ("pin" if locked else "operator")

        await idle_for(pilot, clock, 12.0)  # the participant has gone

        assert app.screen.id == "attract"
        assert app.session is None
        await press(pilot, "escape", "escape", "backspace")  # the next participant tries
        assert app.screen.id == "attract"
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        assert app.session.answers == {}
        assert "(•)" not in text_of(app, "#answer")
    assert list(engine.store.iter_responses()) == []
    assert not app.spool.path.exists()
