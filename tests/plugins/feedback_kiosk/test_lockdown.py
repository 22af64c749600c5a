"""A locked kiosk: the quit, suspend and palette keys do nothing; staff leave with Ctrl+O and the
PIN, see today's count and the spool backlog, switch event or exit."""

from __future__ import annotations

import pytest
from helpers import EVENT, make_response
from kiosk_helpers import PIN, current, go_to, press, rows, submit, text_of, type_text
from textual.widgets import Select

from feedback.responses import Response

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("key", ["ctrl+c", "ctrl+q", "ctrl+z", "ctrl+backslash", "ctrl+p"])
async def test_a_locked_kiosk_ignores_the_quit_and_suspend_keys(kiosk, engine, key):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "1")
        screen = app.screen
        await press(pilot, key)
        await pilot.pause()
        assert app.is_running
        assert app.return_value is None
        assert app.screen is screen
        assert current(app) == "q:role"
        assert app.session.answers == {"role": "mp"}
    assert rows(engine) == []
    assert not app.spool.path.exists()


async def test_an_unlocked_kiosk_quits_with_ctrl_q(kiosk, engine):
    app = kiosk(locked=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_value is None
    assert rows(engine) == []


async def enter_pin(pilot, pin: str) -> None:
    await type_text(pilot, pin)
    await press(pilot, "enter")


async def test_ctrl_o_asks_for_the_pin_and_a_wrong_one_keeps_the_kiosk(kiosk):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        survey = app.screen
        await press(pilot, "ctrl+o")
        assert app.screen.id == "pin"
        assert text_of(app, "#pin-title") == "Staff PIN"
        await enter_pin(pilot, "0000")
        assert app.screen.id == "pin"
        assert text_of(app, "#pin-error") == "Wrong PIN."
        await press(pilot, "escape")
        assert app.screen is survey
        assert app.is_running


async def test_the_right_pin_opens_the_operator_screen_with_the_figures(kiosk, engine, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773144000")  # the core's clock: 10 March 2026
    today = "2026-03-10"
    engine.submit(make_response("post-seminar", {"role": "mp"}, submitted=today))
    engine.submit(make_response("post-seminar", {"role": "ngo"}, submitted="2011-01-26"))
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        for role in ("mp", "ngo"):  # spooled while the database was locked, not yet replayed
            app.spool.append(Response.model_validate(make_response("post-seminar", {"role": role})))
        await press(pilot, "ctrl+o")
        await enter_pin(pilot, PIN)
        assert app.screen.id == "operator"
        figures = text_of(app, "#operator-figures")
        assert f"Event: {EVENT['id']}" in figures
        assert "Responses today at this event: 1" in figures
        assert "Waiting in the spool (database not writable): 2 responses" in figures
        await press(pilot, "escape")  # Resume
        assert app.screen.id == "attract"


async def test_three_wrong_pins_lock_the_prompt(kiosk):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "ctrl+o")
        for _ in range(3):
            await enter_pin(pilot, "9999")
        assert text_of(app, "#pin-error") == "Too many attempts. Try again in 30 seconds."
        await enter_pin(pilot, PIN)  # even the right PIN, for now
        assert app.screen.id == "pin"
        assert text_of(app, "#pin-error").startswith("Too many attempts.")
        await press(pilot, "escape", "ctrl+o")  # a new prompt does not start the count again
        await enter_pin(pilot, PIN)
        assert app.screen.id == "pin"


async def test_exit_kiosk_on_the_operator_screen_closes_the_app(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "ctrl+o")
        await enter_pin(pilot, PIN)
        await pilot.click("#exit")
        await pilot.pause()
        assert not app.is_running
    assert app.return_value is None


async def test_switching_event_collects_for_the_other_event(kiosk, engine):
    engine.store.upsert_event({"id": "berlin-2012", "title": "Berlin round table"})
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "ctrl+o")
        await enter_pin(pilot, PIN)
        app.screen.query_one("#operator-event", Select).value = "berlin-2012"
        await pilot.click("#switch")
        await pilot.pause()
        assert app.screen.id == "attract"
        assert text_of(app, "#attract-event") == "Berlin round table"
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "1")
        await submit(pilot)
    [row] = rows(engine)
    assert row["event"] == "berlin-2012"


async def test_an_unlocked_kiosk_opens_the_operator_screen_without_a_pin(kiosk):
    app = kiosk(locked=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "ctrl+o")
        assert app.screen.id == "operator"
        assert "Mode: unlocked" in text_of(app, "#operator-figures")


@pytest.mark.parametrize(
    ("waiting", "shown", "style"),
    [
        (0, ": 0", "dim"),
        (1, ": 1 response", "bold $warning"),
        (2, ": 2 responses", "bold $warning"),
    ],
)
async def test_the_spool_indicator_is_quiet_until_responses_wait(kiosk, waiting, shown, style):
    app = kiosk(locked=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(waiting):
            app.spool.append(Response.model_validate(make_response("post-seminar", {"role": "mp"})))
        await press(pilot, "ctrl+o")
        await pilot.pause()
        figures = app.screen.query_one("#operator-figures").render()
        line = "Waiting in the spool (database not writable)" + shown
        assert str(figures).splitlines()[-1] == line
        start = str(figures).index(line)
        assert [(span.start, span.end, span.style) for span in figures.spans] == [
            (start, start + len(line), style)
        ]
