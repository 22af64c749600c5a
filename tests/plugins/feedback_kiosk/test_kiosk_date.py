"""A date question at the kiosk: one field of digits and '-', read as ``YYYY-MM-DD`` by the type's
parser, its problems worded in the participant's language, and a ``show_if`` on the date."""

from __future__ import annotations

import pytest
from kiosk_helpers import current, press, rows, text_of, type_text
from textual.widgets import Input

pytestmark = pytest.mark.asyncio

DATES = """\
id: dates
title: {en: "Dates", nl: "Data"}
languages: [en, nl]
questions:
  - {id: trained, type: date, label: "When were you trained?", min: 2020-01-01, max: 2026-12-31}
  - id: refresher
    type: yes_no
    label: "Did you have a refresher since?"
    show_if: {trained: {le: 2023-12-31}}
  - {id: topic, type: text, label: "Topic"}
"""


@pytest.fixture
def dates_app(kiosk, write_survey):
    write_survey("dates", DATES)
    return kiosk("dates")


@pytest.fixture
def dutch_app(kiosk, write_survey):
    write_survey("dates", DATES)
    return kiosk("dates", language="nl")


async def test_a_date_is_typed_checked_and_stored_as_iso(dates_app, engine):
    app = dates_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")  # the welcome screen
        assert current(app) == "q:trained"
        field = app.screen.query_one("#answer", Input)
        assert "YYYY-MM-DD" in text_of(app, "DateWidget Label")
        await type_text(pilot, "14/01/2026")
        assert field.value == "14012026"  # only digits and '-' are taken
        await press(pilot, "enter")
        assert current(app) == "q:trained"
        assert text_of(app, "#error") == "Please type a date as YYYY-MM-DD, like 2026-01-14."
        field.value = ""
        await type_text(pilot, "2026-02-30")
        await press(pilot, "enter")
        assert text_of(app, "#error") == (
            "There is no date 2026-02-30: please check the day and the month."
        )
        field.value = ""
        await type_text(pilot, "2019-05-01")
        await press(pilot, "enter")
        assert text_of(app, "#error") == "Please give a date from 2020-01-01 to 2026-12-31."
        field.value = ""
        await type_text(pilot, "2022-05-01")
        await press(pilot, "enter")
        assert app.session.answers["trained"] == "2022-05-01"
        assert current(app) == "q:refresher"  # trained on or before 2023: asked
        await press(pilot, "1", "enter")
        await type_text(pilot, "law")
        await press(pilot, "enter")
        assert current(app) == "review"
        await press(pilot, "enter")
        assert app.screen.id == "thanks"
    [row] = rows(engine)
    assert row["answers"] == {"trained": "2022-05-01", "refresher": True, "topic": "law"}


async def test_a_later_date_skips_the_question_that_asks_about_earlier_ones(dates_app):
    app = dates_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await type_text(pilot, "2025-03-10")
        await press(pilot, "enter")
        assert current(app) == "q:topic"


async def test_a_date_is_worded_in_dutch(dutch_app):
    app = dutch_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        assert current(app) == "q:trained"
        assert "JJJJ-MM-DD" in text_of(app, "DateWidget Label")
        await type_text(pilot, "2026-02-30")
        await press(pilot, "enter")
        assert text_of(app, "#error") == (
            "De datum 2026-02-30 bestaat niet: controleer de dag en de maand."
        )
