"""What the kiosk looks like at 80x24, the smallest terminal it is made for: SVG snapshots.

The pictures are in ``__snapshots__/test_snapshots/``. After a deliberate change of the look, look
at the new pictures (``pytest --snapshot-report``: the report of mismatches) and accept them with
``pytest tests/plugins/feedback_kiosk/test_snapshots.py --snapshot-update``.

Every picture is deterministic: the event comes from ``helpers.EVENT`` (a fixed title), the survey
is the shipped one, the idle, thank-you and retry timers are far off (the ``kiosk`` fixture), and
nothing shown depends on today's date or the response's random id.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk_helpers import jump, press
from textual.pilot import Pilot

from feedback_kiosk.app import KioskApp

SIZE = (80, 24)


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
