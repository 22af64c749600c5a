"""The slider in the kiosk (Textual Pilot): drawn by its own widget through its ``kiosk``
rendering, answered with the arrow keys or typed, checked, shown on the review and stored;
a channel that cannot draw it refuses the survey: see ``test_channels_refuse.py``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from feedback_slider.kiosk import SliderTrack, SliderWidget
from helpers import query
from kiosk_helpers import current, go_to, press, submit, text_of
from slider_helpers import EVENT
from textual.widgets import Static

from feedback.engine import Engine
from feedback_kiosk.app import KioskApp, KioskOptions, make_app
from feedback_kiosk.pin import hash_pin

pytestmark = pytest.mark.asyncio


def app_for(engine: Engine) -> KioskApp:
    options = KioskOptions(
        event=EVENT["id"],
        survey=engine.survey("confidence"),
        language="en",
        locked=True,
        pin_hash=hash_pin("1234"),
        idle_timeout=600.0,
        idle_warning=10.0,
        thank_you_seconds=600.0,
        retry_seconds=600.0,
    )
    return make_app(engine, options)


def stored(engine: Engine) -> list[dict[str, Any]]:
    rows = query(engine.settings.db_path, "SELECT answers FROM responses")
    return [json.loads(row[0]) for row in rows]


async def test_a_participant_answers_the_slider_with_the_arrow_keys(engine: Engine) -> None:
    app = app_for(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "1", "enter")
        assert current(app) == "q:confident"
        widget = app.screen.query_one(SliderWidget)
        assert isinstance(app.focused, SliderTrack)  # the kiosk focused the widget's #answer
        assert "0 Not at all" in text_of(app, ".ends") and "Completely 10" in text_of(app, ".ends")
        assert text_of(app, "#hint").startswith("Number keys or arrows")  # it picks, not types

        await press(pilot, "enter")  # required, not answered: the kiosk's word, not the widget's
        assert current(app) == "q:confident"
        assert text_of(app, "#error") == "Please answer this question to continue."

        await press(pilot, "right")  # the marker appears in the middle
        assert app.session.answers["confident"] == 5
        await press(pilot, "right", "right", "left")
        assert app.session.answers["confident"] == 6
        assert widget.current == 6
        await press(pilot, "end")
        assert app.session.answers["confident"] == 10
        await press(pilot, "home", "right")
        assert app.session.answers["confident"] == 1
        await press(pilot, "enter")  # Enter on the track goes on
        assert current(app) == "q:comments"

        await go_to(pilot, "review")
        values = [str(v.render()) for v in app.screen.query(".answer-value").results(Static)]
        assert values[1:] == ["1", "(not answered)"]  # the slider's answer as the type shows it
        await press(pilot, "enter")
        assert app.screen.id == "thanks"
    assert stored(engine) == [{"confident": 1, "role": "mp"}]


async def test_a_typed_number_goes_through_the_types_parser(engine: Engine) -> None:
    app = app_for(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "2", "enter")
        await press(pilot, "7")
        assert app.session.answers["confident"] == 7
        # "71" within a second is no value of the slider: the parser's words, kept on Next
        await press(pilot, "1")
        assert "confident" not in app.session.answers
        await press(pilot, "enter")
        assert current(app) == "q:confident"
        assert text_of(app, "#error") == "Please give a number from 0 to 10."
        await press(pilot, "delete", "right", "enter")
        assert current(app) == "q:comments"
        await submit(pilot)
        assert app.screen.id == "thanks"
    assert stored(engine) == [{"confident": 5, "role": "ngo"}]


async def test_the_answer_is_drawn_again_when_the_participant_comes_back(engine: Engine) -> None:
    app = app_for(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "3", "enter", "end", "left", "enter")
        assert current(app) == "q:comments"
        await press(pilot, "escape")
        assert current(app) == "q:confident"
        assert app.screen.query_one(SliderWidget).current == 9
        assert "●" in str(app.screen.query_one(SliderTrack).render())
