"""``feedback.countries``: ISO 3166 codes from codes, common aliases and names in English and Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from feedback import countries
from feedback.countries import Countries, UnknownCountry
from feedback.events import Event

SHIPPED_SURVEY = Path(__file__).resolve().parents[2] / "surveys" / "post-seminar.yaml"


def test_the_list_holds_every_code_once_with_an_english_and_a_dutch_name() -> None:
    codes = [code for code, _, _ in countries.COUNTRIES]
    assert len(codes) == len(set(codes)) == 250  # the 249 of ISO 3166-1, and XK for Kosovo
    assert all(len(c) == 2 and c.isascii() and c.isupper() for c in codes)
    assert all(en and nl for _, en, nl in countries.COUNTRIES)
    assert codes == sorted(codes)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("NL", "NL"),
        ("gb", "GB"),
        (" de ", "DE"),
        ("UK", "GB"),
        ("uk", "GB"),
        ("EL", "GR"),
        ("United Kingdom", "GB"),
        ("the Netherlands", "NL"),
        ("Nederland", "NL"),
        ("Duitsland", "DE"),
        ("Griekenland", "GR"),
        ("België", "BE"),
        ("Belgie", "BE"),
        ("Cote d'Ivoire", "CI"),
        ("Verenigd Koninkrijk", "GB"),
        ("Czech Republic", "CZ"),
        ("NORTH MACEDONIA", "MK"),
    ],
)
def test_codes_aliases_and_names_give_the_code(written: str, code: str) -> None:
    assert countries.code(written) == code


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("XX", "'XK' (Kosovo)"),
        ("Netherlandz", "'NL' (Netherlands)"),
        ("Germnay", "'DE' (Germany)"),
        ("Duitsladn", "'DE' (Germany)"),
    ],
)
def test_an_unknown_country_is_refused_with_the_closest_known_ones(
    written: str, suggested: str
) -> None:
    with pytest.raises(UnknownCountry) as caught:
        countries.code(written)
    message = str(caught.value)
    assert f"unknown country {written!r}" in message
    assert "did you mean" in message
    assert suggested in message


def test_nothing_close_suggests_nothing() -> None:
    with pytest.raises(UnknownCountry) as caught:
        countries.code("Atlantis of the deep blue sea")
    assert "did you mean" not in str(caught.value)


def test_extra_names_are_known_and_must_name_a_country() -> None:
    frisian = Countries({"Nederlân": "nl"})
    assert frisian.code("nederlan") == "NL"
    with pytest.raises(UnknownCountry):
        countries.code("Nederlân")  # only where it was added
    with pytest.raises(ValueError, match="'Atlantis' names 'AX1'"):
        Countries({"Atlantis": "AX1"})


def test_every_country_of_the_shipped_survey_is_known_by_its_labels() -> None:
    survey = yaml.safe_load(SHIPPED_SURVEY.read_text(encoding="utf-8"))
    [question] = [
        q for section in survey["sections"] for q in section["questions"] if q["id"] == "country"
    ]
    places = [c for c in question["choices"] if c["id"] != "other"]
    assert len(places) >= 30
    for choice in places:
        assert choice["id"] in countries.CODES
        for language in ("en", "nl"):
            assert countries.code(choice["label"][language]) == choice["id"]


def test_an_event_takes_a_country_by_alias_or_name() -> None:
    assert Event(id="athens-2012", title="Athens", country="EL").country == "GR"
    assert Event(id="london-2013", title="London", country="UK").country == "GB"
    assert Event(id="berlin-2014", title="Berlin", country="Duitsland").country == "DE"
    with pytest.raises(ValueError, match="unknown country 'XX'"):
        Event(id="nowhere", title="Nowhere", country="XX")
