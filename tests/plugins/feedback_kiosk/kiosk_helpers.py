"""Helpers for the kiosk tests: drive the app as a participant would, then look at what a
participant or the organiser would see (the screen, its text, the rows in the database).

Importable as ``from kiosk_helpers import ...``: pytest puts this folder on ``sys.path``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, TextArea

from feedback.engine import Engine
from feedback_kiosk.app import KioskApp

PIN = "1234"

# One question of each built-in type, in the ways the shipped survey does not use them: a note
# up front, a required choice, multiple choice with a minimum and maximum, a likert item with
# "don't know" in a row, numbers with and without bounds, short and long text with a limit.
TYPES_SURVEY = """\
id: types
title: {en: "Every type", nl: "Elk type"}
languages: [en, nl]
scales:
  agree3:
    points:
      - {id: disagree, label: {en: "Disagree", nl: "Oneens"}}
      - {id: neutral, label: {en: "Neutral", nl: "Neutraal"}}
      - {id: agree, label: {en: "Agree", nl: "Eens"}}
    na: {id: dont_know, label: {en: "Don't know", nl: "Weet niet"}}
questions:
  - {id: intro_note, type: note, label: "A note: nothing to answer here."}
  - id: colour
    type: single_choice
    label: "Favourite colour"
    required: true
    choices: [red, green, blue]
  - id: topics
    type: multi_choice
    label: "Topics"
    min_selections: 2
    max_selections: 3
    choices: [law, care, police, media, money]
  - {id: agreement, type: likert, label: "I agree", scale: agree3}
  - {id: growth, type: then_now, label: "Knowledge", scale: agree3}
  - id: score
    type: rating
    label: "Score"
    min: 0
    max: 10
    min_label: "Not at all"
    max_label: "Completely"
  - {id: again, type: yes_no, label: "Again?"}
  - {id: age, type: number, label: "Age", integer: true, min: 18, max: 99}
  - {id: weight, type: number, label: "Weight"}
  - {id: nickname, type: text, label: "Nickname", max_length: 10}
  - {id: story, type: text, long: true, label: "Your story", max_length: 50}
"""


class FakeClock:
    """The kiosk's controllable clock: time stands still until a test moves it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def idle_for(pilot: Pilot, clock: FakeClock, seconds: float) -> None:
    """Let ``seconds`` pass on the kiosk's clock with nobody touching it, then apply the idle
    rule (as the kiosk's interval does) and let the screens settle."""
    app = pilot.app
    assert isinstance(app, KioskApp)
    clock.advance(seconds)
    app.apply_idle_rule()
    await pilot.pause()
    await pilot.pause()


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys one by one, each once the app has handled the one before.

    A Textual button ignores presses during its 0.2 s "pressed" effect. The survey screen ends
    that effect on each new step; elsewhere (the review, the attract screen), wait for it to end
    as any participant would.
    """
    for key in keys:
        focused = pilot.app.focused
        while isinstance(focused, Button) and focused.has_class("-active"):
            await pilot.pause(0.05)
        await pilot.press(key)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type into the focused field (a space is typed as the key "space")."""
    await pilot.press(*["space" if c == " " else c for c in text])


def text_of(app: KioskApp, selector: str) -> str:
    """The text a widget of the current screen shows."""
    return str(app.screen.query_one(selector).render())


def current(app: KioskApp) -> str:
    """Where the participant is: the session's step, or the screen's id when there is none."""
    if app.session is not None and app.screen.id in ("survey", "review"):
        return app.session.current
    return str(app.screen.id)


async def go_to(pilot: Pilot, step: str, limit: int = 40) -> None:
    """Go on (Enter; from a long text, Tab to Next first) until the participant reaches
    ``step``: a step key such as ``"q:role"``, ``"review"``, or a screen id."""
    app = pilot.app
    assert isinstance(app, KioskApp)
    for _ in range(limit):
        if current(app) == step:
            return
        if isinstance(app.focused, TextArea):
            await press(pilot, "tab")  # to Next, which comes before Back
        await press(pilot, "enter")
    raise AssertionError(f"never reached {step}: stuck at {current(app)}")


async def jump(pilot: Pilot, question_id: str) -> None:
    """Show a question straight away, as the review's Change button does."""
    app = pilot.app
    assert isinstance(app, KioskApp) and app.session is not None
    shown = app.screen
    app.session.go_to(question_id)
    app.show_survey()
    await wait_for(
        pilot,
        lambda: (
            app.screen is not shown
            and bool(app.screen.query("#body > *"))
            and app.focused is not None
            and app.focused.screen is app.screen
        ),  # the step is drawn whole: keys may come
    )
    await pilot.pause()
    assert current(app) == f"q:{question_id}"


async def submit(pilot: Pilot) -> None:
    """Skip to the last question (as the review's Change button would), go on to the review and
    press Submit: for tests about what happens after, not about the way there."""
    await jump(pilot, pilot.app.survey.all_questions()[-1].id)  # type: ignore[attr-defined]
    await go_to(pilot, "review")
    await press(pilot, "enter")


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 3.0) -> None:
    """Let the app run (timers fire) until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        await pilot.pause(0.05)


def rows(engine: Engine) -> list[dict[str, Any]]:
    return list(engine.store.iter_responses())
