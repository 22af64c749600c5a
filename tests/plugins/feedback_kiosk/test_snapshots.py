"""What the kiosk looks like: SVG snapshots at 80x24, and of each question type at 60x20 (a small
terminal), 80x24 and 120x40 (a large one).

The pictures are in ``__snapshots__/test_snapshots/``. After a deliberate change of the look, look
at the new pictures (``pytest --snapshot-report``: the report of mismatches) and accept them with
``pytest tests/plugins/feedback_kiosk/test_snapshots.py --snapshot-update``.

Every picture is deterministic: the event comes from ``helpers.EVENT`` (a fixed title), the survey
is the shipped one, the idle, thank-you and retry timers are far off (the ``kiosk`` fixture), and
nothing shown depends on today's date or the response's random id.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kiosk_helpers import TYPES_SURVEY, jump, press, type_text
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from feedback_kiosk.app import KioskApp

SIZE = (80, 24)
SIZES = [(60, 20), (80, 24), (120, 40)]

# each question of the ``types`` survey (one of each type), with the keys that answer it
TYPES = [
    ("intro_note", []),
    ("colour", ["2"]),
    ("topics", ["1", "3"]),
    ("agreement", ["4"]),  # "Don't know", set apart
    ("growth", ["2", "enter", "3"]),  # the focus on the "Now" row
    ("score", ["7"]),  # 0-10 with end labels: one row, or two at 60 columns
    ("again", ["1"]),
    ("age", ["42"]),
    ("weight", ["72.5"]),
    ("nickname", ["Al"]),
    ("story", ["Line one", "enter", "two"]),
]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize(("question", "keys"), TYPES, ids=[question for question, _ in TYPES])
def test_question_type(
    snap_compare: Callable[..., bool],
    kiosk: Callable[..., KioskApp],
    write_survey: Callable[[str, str], object],
    question: str,
    keys: list[str],
    size: tuple[int, int],
) -> None:
    """Each question type answered, in English. Look for: the question and its counter at the
    top, Back and Next at the bottom, nothing cut off at the right; choices in a column (keys 1-9,
    radio or tick marks) or, where the labels fit, in a row of boxes; the rating 0-10 in one row
    of equal boxes at 80 and 120 columns and in rows 0-5 and 6-10 at 60, "Not at all" under 0 and
    "Completely" ending under 10; the then/now rows with the focused row's label marked and a
    Clear button (the item is optional); text fields with their counters."""
    write_survey("types", TYPES_SURVEY)

    async def run_before(pilot: Pilot) -> None:
        await press(pilot, "1")  # English
        await jump(pilot, question)
        for key in keys:
            if len(key) > 1 and key != "enter":
                await type_text(pilot, key)
            else:
                await press(pilot, key)
        for field in pilot.app.screen.query("Input, TextArea"):
            assert isinstance(field, Input | TextArea)
            field.cursor_blink = False  # the picture must not depend on the moment it is taken
        await pilot.wait_for_scheduled_animations()  # scrolling the focused row into view
        await pilot.pause()

    assert snap_compare(kiosk("types"), terminal_size=size, run_before=run_before)


def test_attract_screen(snap_compare: Callable[..., bool], kiosk: Callable[..., KioskApp]) -> None:
    """The event's title, the survey's title in both languages, a button per language (English
    focused), and "Press Enter or click to begin" in both languages, in a heavy frame."""
    assert snap_compare(kiosk(), terminal_size=SIZE)


def test_likert_question(snap_compare: Callable[..., bool], kiosk: Callable[..., KioskApp]) -> None:
    """support_rapporteur_office in English after the key 4: the five agree5 points in a column
    (too long for a row at 80 columns), "Don't know" set apart below, "Agree" chosen."""

    async def run_before(pilot: Pilot) -> None:
        await press(pilot, "1")  # English
        await jump(pilot, "support_rapporteur_office")

    assert snap_compare(kiosk(), press=["4"], terminal_size=SIZE, run_before=run_before)


def test_then_now_question(
    snap_compare: Callable[..., bool], kiosk: Callable[..., KioskApp]
) -> None:
    """rapporteur_role in English after 3, Enter, 4: the knowledge5 scale twice, in rows of boxes,
    "Some" chosen before the seminar and "Good" now (the focus on the "Now" row)."""

    async def run_before(pilot: Pilot) -> None:
        await press(pilot, "1")
        await jump(pilot, "rapporteur_role")

    assert snap_compare(
        kiosk(), press=["3", "enter", "4"], terminal_size=SIZE, run_before=run_before
    )


def test_review_screen(snap_compare: Callable[..., bool], kiosk: Callable[..., KioskApp]) -> None:
    """The review in English with a few answers: each question, its answer or "(not answered)",
    a Change button per row, and Back and Submit (focused) at the bottom; the list scrolls."""

    async def run_before(pilot: Pilot) -> None:
        await press(pilot, "1")
        app = pilot.app
        assert isinstance(app, KioskApp) and app.session is not None
        session = app.session
        session.set_answer("role", "ngo")
        session.set_answer("country", "NL")
        session.set_row("rapporteur_role", "then", "some")
        session.set_row("rapporteur_role", "now", "good")
        session.set_answer("support_rapporteur_office", "agree")
        session.set_answer("usefulness", 9)
        session.current = "review"
        app.show_review()
        await pilot.pause()
        assert app.screen.id == "review"

    assert snap_compare(kiosk(), terminal_size=SIZE, run_before=run_before)


def test_data_entry_heading(
    snap_compare: Callable[..., bool], kiosk: Callable[..., KioskApp]
) -> None:
    """Data entry, before a paper form: "0 forms entered" at the top right; the No. (empty),
    the language (en) and the date (the event's, 2011-01-26) with their labels; after "fr" in
    the language and Enter, the No. and the language each say what is wrong under the field,
    and the hint (Enter, Tab, Ctrl+O) at the bottom."""

    async def run_before(pilot: Pilot) -> None:
        await press(pilot, "tab")
        await type_text(pilot, "fr")
        await press(pilot, "enter")
        for field in pilot.app.screen.query(Input).results(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(kiosk(data_entry=True), terminal_size=SIZE, run_before=run_before)
