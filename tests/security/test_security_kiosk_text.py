"""Issue 12, item 13: organiser text is drawn as plain text by every kiosk widget.

A survey that validates may hold Rich/Textual markup (``[/x]``, ``[bold]``, ``[link=...]``,
``[@click=...]``) or terminal escape sequences in any text. The kiosk used to draw then/now row
labels and number units with markup on: ``then_label: "Before [/x]"`` crashed it with a traceback
(and exit 0, dropping a locked kiosk to the shell). Here every question type, and every screen that
shows survey or event text, is drawn with hostile texts: each text must appear literally, escape
characters as visible pictures (never sent to the terminal), and the kiosk must keep running.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import EVENT
from textual.widgets import Static

from feedback.engine import Engine
from feedback_kiosk.app import KioskApp, KioskOptions, make_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "feedback_kiosk"))
from kiosk_helpers import go_to, jump, press, wait_for

ESC = "\x1b"


def hostile(name: str) -> str:
    """A text holding every kind of trouble, tagged with ``name`` to find it on screen."""
    return f"{name} Before [/x] [bold]kg [link=https://evil.example]x[/link] [/] [@click=app.quit]q[/] {ESC}[31mred"


def shown(text: str) -> str:
    """What a participant must see for ``text``: all of it, the escape character as ``␛``."""
    return text.replace(ESC, "\u241b")


SURVEY: dict[str, Any] = {
    "id": "hostile",
    "title": hostile("T-survey"),
    "languages": ["en"],
    "thank_you": hostile("T-thanks"),
    "scales": {
        "three": {
            "points": [
                {"id": "low", "label": hostile("T-point-low")},
                {"id": "high", "label": "[/]"},
                {"id": "mid", "label": f"{ESC}]0;owned{ESC}\\ [link=x]"},
            ],
            "na": {"id": "dk", "label": hostile("T-na")},
        }
    },
    "sections": [
        {
            "title": hostile("T-section"),
            "intro": hostile("T-intro") + "\nsecond line [/]",
            "questions": [
                {"id": "note", "type": "note", "label": hostile("T-note")},
                {
                    "id": "single",
                    "type": "single_choice",
                    "label": hostile("T-single"),
                    "help": hostile("T-help"),
                    "choices": [{"id": "a", "label": hostile("T-choice")}, "b"],
                },
                {
                    "id": "multi",
                    "type": "multi_choice",
                    "label": hostile("T-multi"),
                    "choices": [{"id": "a", "label": hostile("T-mchoice")}, "b"],
                },
                {
                    "id": "likert",
                    "type": "likert",
                    "label": hostile("T-likert"),
                    "scale": "three",
                },
                {
                    "id": "then_now",
                    "type": "then_now",
                    "label": hostile("T-thennow"),
                    "then_label": "Before [/x]",
                    "now_label": hostile("T-now"),
                    "scale": "three",
                },
                {
                    "id": "rating",
                    "type": "rating",
                    "label": hostile("T-rating"),
                    "min": 0,
                    "max": 5,
                    "min_label": hostile("T-min"),
                    "max_label": "[/]",
                },
                {"id": "yes_no", "type": "yes_no", "label": hostile("T-yesno")},
                {
                    "id": "number",
                    "type": "number",
                    "label": hostile("T-number"),
                    "unit": "[bold]kg",
                },
                {"id": "short", "type": "text", "label": hostile("T-short")},
                {"id": "long", "type": "text", "long": True, "label": hostile("T-long")},
            ],
        }
    ],
}

# question id -> texts its step must show literally (the label is checked for every question)
EXPECTED: dict[str, list[str]] = {
    "note": [],
    "single": [hostile("T-help"), hostile("T-choice")],
    "multi": [hostile("T-mchoice")],
    "likert": [hostile("T-point-low"), "[/]", f"{ESC}]0;owned{ESC}\\ [link=x]", hostile("T-na")],
    "then_now": ["Before [/x]", hostile("T-now"), hostile("T-point-low"), "[/]"],
    "rating": [hostile("T-min"), "[/]"],
    "yes_no": [],
    "number": ["[bold]kg"],
    "short": [],
    "long": [],
}


@pytest.fixture
def hostile_app(project: Path, engine: Engine) -> KioskApp:
    # JSON is YAML: the escapes (\u001b) reach the survey as the characters themselves
    (project / "surveys" / "hostile.yaml").write_text(json.dumps(SURVEY), encoding="utf-8")
    engine.store.upsert_event({**EVENT, "title": hostile("T-event")})
    options = KioskOptions(
        event=EVENT["id"],
        survey=engine.survey("hostile"),
        locked=False,
        idle_timeout=600.0,
        thank_you_seconds=600.0,
        retry_seconds=600.0,
    )
    return make_app(engine, options)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("question", "text"),
    [
        (
            {"type": "then_now", "scale": "s", "then_label": "Before [/x]"},
            "Before [/x]",
        ),
        ({"type": "then_now", "scale": "s", "now_label": "[link=x]Now[/]"}, "[link=x]Now[/]"),
        ({"type": "number", "unit": "[bold]kg"}, "[bold]kg"),
        ({"type": "number", "unit": "[/]"}, "[/]"),
    ],
    ids=["then_label", "now_label", "unit_bold", "unit_close"],
)
async def test_the_reported_crash_markup_in_a_row_label_or_a_unit(
    project: Path, engine: Engine, question: dict[str, Any], text: str
) -> None:
    """The issue's own case: nothing but markup (no escape character) in one label or unit."""
    survey = {
        "id": "reported",
        "title": "Reported",
        "languages": ["en"],
        "scales": {"s": {"points": ["low", "high"]}},
        "questions": [{"id": "q", "label": "Q", **question}],
    }
    (project / "surveys" / "reported.yaml").write_text(json.dumps(survey), encoding="utf-8")
    options = KioskOptions(event=EVENT["id"], survey=engine.survey("reported"), locked=False)
    app = make_app(engine, options)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        await wait_for(pilot, lambda: bool(app.screen.query("#answer, #row-then")))
        await pilot.pause()
        assert text in screen_text(app)
        assert app.is_running and app.return_code is None


def screen_text(app: KioskApp) -> str:
    """Every text the current screen draws (labels, options, titles), as drawn."""
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


def assert_literal(app: KioskApp, *texts: str) -> None:
    drawn = screen_text(app)
    assert ESC not in drawn  # nothing reaches the terminal as a command
    assert "\x9b" not in drawn
    for text in texts:
        assert shown(text) in drawn, f"{text!r} not drawn literally"
    assert app.is_running and app.return_code is None


def test_the_hostile_survey_is_valid(hostile_app: KioskApp) -> None:
    questions = hostile_app.survey.all_questions()
    assert {q.type for q in questions} >= {
        "note",
        "single_choice",
        "multi_choice",
        "likert",
        "then_now",
        "rating",
        "yes_no",
        "number",
        "text",
    }
    assert set(EXPECTED) == {q.id for q in questions}


@pytest.mark.asyncio
@pytest.mark.parametrize("question_id", list(EXPECTED))
async def test_every_question_type_draws_hostile_text_literally(
    hostile_app: KioskApp, question_id: str
) -> None:
    app = hostile_app
    async with app.run_test(size=(120, 60)) as pilot:
        assert_literal(app, hostile("T-survey"), hostile("T-event"))  # the attract screen
        await press(pilot, "enter")
        await jump(pilot, question_id)
        await pilot.pause()
        question = next(q for q in app.survey.all_questions() if q.id == question_id)
        label = app.survey.text(question.label, "en")
        assert_literal(app, label, hostile("T-event"), *EXPECTED[question_id])
        if question_id in ("single", "likert", "rating"):
            await press(pilot, "1")  # picked: the option is drawn again, marked
            await pilot.pause()
            assert_literal(app, *EXPECTED[question_id])
    assert app.return_code in (None, 0)


@pytest.mark.asyncio
async def test_section_intro_review_thanks_and_operator_screens_draw_hostile_text(
    hostile_app: KioskApp, engine: Engine
) -> None:
    app = hostile_app
    async with app.run_test(size=(120, 60)) as pilot:
        await press(pilot, "enter")
        assert app.session is not None and app.session.current == "intro:0"
        assert_literal(app, hostile("T-section"), hostile("T-intro"), "second line [/]")

        await jump(pilot, "single")
        await press(pilot, "1")
        await jump(pilot, "then_now")
        await press(pilot, "1", "enter", "2")
        await jump(pilot, "number")
        await press(pilot, "4", "2")
        await jump(pilot, "long")
        await go_to(pilot, "review")
        await pilot.pause()
        assert_literal(
            app,
            hostile("T-single"),
            hostile("T-choice"),  # the answer, by its label
            hostile("T-thennow"),
            hostile("T-point-low"),
        )

        await press(pilot, "ctrl+o")  # unlocked: the operator screen straight away
        await wait_for(pilot, lambda: app.screen.id == "operator")
        await pilot.pause()
        assert_literal(app, hostile("T-event"))  # the event chosen in the list, by its title
        await press(pilot, "escape")
        await wait_for(pilot, lambda: app.screen.id == "review")

        await press(pilot, "enter")  # Submit
        await wait_for(pilot, lambda: app.screen.id == "thanks")
        assert_literal(app, hostile("T-thanks"))
    [row] = list(engine.store.iter_responses())
    assert row["answers"]["single"] == "a"
    assert row["answers"]["then_now"] == {"then": "low", "now": "high"}
