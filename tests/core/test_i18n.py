"""The one way every channel looks up its words and writes dates in the participant's language."""

from __future__ import annotations

import datetime as dt

import pytest

from feedback.i18n import language_name, long_date, own_words, plural, words_in

TABLE = {
    "en": {"language_name": "English", "next": "Next", "back": "Back"},
    "nl": {"language_name": "Nederlands", "next": "Volgende"},
}


def test_a_regional_language_finds_its_base_and_english_fills_the_gaps() -> None:
    assert words_in(TABLE, "nl-BE") == {
        "language_name": "Nederlands",
        "next": "Volgende",
        "back": "Back",
    }
    assert words_in(TABLE, "fr") == TABLE["en"]
    assert own_words(TABLE, "fr") is None
    assert language_name(TABLE, "nl") == "Nederlands"
    assert language_name(TABLE, "fr") == "fr"


def test_long_dates_in_english_and_dutch() -> None:
    assert long_date("2011-01-26") == "26 January 2011"
    assert long_date(dt.date(2011, 3, 5), "nl") == "5 maart 2011"
    assert long_date("2011-10-01T09:00:00+00:00", "nl-BE") == "1 oktober 2011"
    assert long_date("2011-01-26", "fr") == "26 January 2011"  # no French months: English
    assert long_date(None) == "" and long_date("") == ""
    assert long_date("soon") == "soon"  # not a date: as written


def test_a_short_date_fits_a_charts_axis() -> None:
    from feedback.i18n import short_date

    assert short_date("2011-01-26") == "26 Jan 2011"
    assert short_date("2012-09-18") == "18 Sep 2012"
    assert short_date("not a date") == "not a date"
    assert short_date(None) == ""


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "0 responses"), (1, "1 response"), (2, "2 responses"), (1000, "1000 responses")],
)
def test_a_count_agrees_in_number(n: int, expected: str) -> None:
    assert plural(n, "response") == expected


def test_an_irregular_plural_is_given() -> None:
    assert plural(1, "survey file has", "survey files have") == "1 survey file has"
    assert plural(3, "survey file has", "survey files have") == "3 survey files have"
    assert plural(2, "person", "people") == "2 people"
