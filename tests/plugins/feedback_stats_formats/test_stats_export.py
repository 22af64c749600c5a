"""``feedback responses export --format sav|dta``: SPSS and Stata files read back with pyreadstat.

What must survive the round trip, and how pyreadstat shows it (its documentation, README.md
"Reading and writing user defined missing values", https://github.com/Roche/pyreadstat):

- SPSS: "SPSS user defined missing values ... are by default read as NaN ... If you pass
  ``user_missing=True`` [to ``read_sav``] the missing values are kept as they are and their
  definition is in ``meta.missing_ranges``" (a list of ``{"lo": .., "hi": ..}`` per variable);
  written with ``write_sav(..., missing_ranges={...})``.
- Stata: "In Stata, there are 27 missing values: the system missing value ``.`` and ``.a`` to
  ``.z`` ... with ``user_missing=True`` [``read_dta``] returns them as the letter ``"a"`` ...",
  listed in ``meta.missing_user_values``; written with ``write_dta(..., missing_user_values=)``.

R's haven reads both through the same ReadStat library, so what pyreadstat reads back is what an
evaluator in R, SPSS or Stata sees.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyreadstat
import pytest

from feedback.engine import Engine
from feedback.survey import Survey
from feedback.testing import new_response

SURVEY: dict[str, Any] = {
    "id": "seminar-stats",
    "title": {"en": "Seminar feedback", "nl": "Evaluatie seminar"},
    "languages": ["en", "nl"],
    "anonymous": True,
    "scales": {
        "agree3": {
            "points": [
                {"id": "disagree", "label": {"en": "Disagree", "nl": "Oneens"}},
                {"id": "neutral", "label": {"en": "Neutral", "nl": "Neutraal"}},
                {"id": "agree", "label": {"en": "Agree", "nl": "Eens"}},
            ],
            "na": {"id": "dont_know", "label": {"en": "Don't know", "nl": "Weet niet"}},
        }
    },
    "questions": [
        {
            "id": "role",
            "type": "single_choice",
            "label": {"en": "Which best describes you?", "nl": "Wat past het best bij u?"},
            "choices": [
                {"id": "mp", "label": {"en": "Member of Parliament", "nl": "Parlementslid"}},
                {"id": "ngo", "label": {"en": "NGO", "nl": "Ngo"}},
            ],
        },
        {
            "id": "support_office",
            "type": "likert",
            "label": {"en": "Support an independent rapporteur", "nl": "Steun een rapporteur"},
            "scale": "agree3",
            "show_if": {"role": "mp"},
        },
        {
            "id": "rapporteur_role",
            "type": "then_now",
            "label": {"en": "Understanding of the role", "nl": "Begrip van de rol"},
            "scale": "agree3",
        },
        {
            "id": "topics",
            "type": "multi_choice",
            "label": {"en": "Topics", "nl": "Onderwerpen"},
            "choices": [
                {"id": "law", "label": {"en": "Law", "nl": "Wet"}},
                {"id": "victims", "label": {"en": "Victims", "nl": "Slachtoffers"}},
            ],
        },
        {"id": "inform", "type": "yes_no", "label": {"en": "Will inform", "nl": "Zal informeren"}},
        {"id": "contacts", "type": "number", "label": "Contacts", "integer": True, "min": -5},
        {"id": "comment", "type": "text", "label": {"en": "Anything else?", "nl": "Nog iets?"}},
    ],
}

MP = {
    "role": "mp",
    "support_office": "dont_know",
    "rapporteur_role": {"then": "disagree", "now": "agree"},
    "topics": ["victims"],
    "inform": True,
    "contacts": 3,
    "comment": '=HYPERLINK("x") très utile',
}
NGO = {"role": "ngo", "rapporteur_role": {"then": "neutral", "now": "dont_know"}, "inform": False}


@pytest.fixture
def stats_survey(make_survey: Callable[..., Survey], feedback_engine: Engine) -> Survey:
    survey = make_survey(SURVEY)
    for response in (
        new_response(survey, MP, submitted="2011-01-26"),
        new_response(survey, NGO, submitted="2011-01-27", language="nl"),
    ):
        assert feedback_engine.submit(response) == "stored"
    return survey


def test_sav_round_trip_keeps_values_labels_and_user_missing(
    stats_survey: Survey, feedback_cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "answers.sav"
    result = feedback_cli("responses", "export", "--format", "sav", "-o", str(out))
    assert result.exit_code == 0, result.output
    data, meta = pyreadstat.read_sav(out, user_missing=True)
    mp, ngo = data.to_dict("records")
    # values: choices coded 1, 2 ... in survey order; yes/no 1/0; ticks 0/1; dates as dates
    assert mp["role"] == 1 and ngo["role"] == 2
    assert (mp["rapporteur_role_then"], mp["rapporteur_role_now"]) == (1, 3)
    assert (mp["topics_law"], mp["topics_victims"]) == (0, 1)
    assert (mp["inform"], ngo["inform"]) == (1, 0)
    assert mp["contacts"] == 3 and math.isnan(ngo["contacts"])
    assert mp["submitted"] == dt.date(2011, 1, 26)
    assert (mp["language"], ngo["language"]) == ("en", "nl")
    # text as typed: SPSS runs no formulas, so no ' is put before it (see writers.py)
    assert mp["comment"] == '=HYPERLINK("x") très utile'
    # "don't know" is -1, "not asked" (show_if) -2: both user-missing, both labelled
    assert mp["support_office"] == -1 and ngo["support_office"] == -2
    assert ngo["rapporteur_role_now"] == -1
    assert meta.missing_ranges["support_office"] == [
        {"lo": -1.0, "hi": -1.0},
        {"lo": -2.0, "hi": -2.0},
    ]
    labels = meta.variable_value_labels
    assert labels["support_office"] == {
        1.0: "Disagree",
        2.0: "Neutral",
        3.0: "Agree",
        -1.0: "Don't know",
        -2.0: "Not asked (skipped by its condition, or not in this version)",
    }
    assert labels["role"] == {1.0: "Member of Parliament", 2.0: "NGO"}
    assert labels["topics_victims"] == {0.0: "No", 1.0: "Yes"}
    names = meta.column_names_to_labels
    assert names["topics_victims"] == "Topics: Victims"
    assert names["rapporteur_role_then"] == "Understanding of the role (Before the seminar)"
    assert names["role"] == "Which best describes you?"
    assert meta.variable_measure["support_office"] == "ordinal"
    # without user_missing, SPSS's reading: the missing codes are no values
    plain, _ = pyreadstat.read_sav(out)
    assert math.isnan(plain["support_office"][0]) and plain["role"][0] == 1


def test_dta_round_trip_keeps_extended_missing_values(
    stats_survey: Survey, feedback_cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "answers.dta"
    result = feedback_cli(
        "responses", "export", "--format", "dta", "-o", str(out), "--language", "nl"
    )
    assert result.exit_code == 0, result.output
    data, meta = pyreadstat.read_dta(out, user_missing=True)
    mp, ngo = data.to_dict("records")
    assert mp["support_office"] == "a" and ngo["support_office"] == "b"
    assert ngo["rapporteur_role_now"] == "a" and ngo["rapporteur_role_then"] == 2
    assert (mp["topics_law"], mp["topics_victims"], mp["inform"]) == (0, 1, 1)
    assert mp["contacts"] == 3
    assert meta.missing_user_values["support_office"] == ["a", "b"]
    assert meta.variable_value_labels["support_office"] == {
        1: "Oneens",
        2: "Neutraal",
        3: "Eens",
        "a": "Weet niet",
        "b": "Not asked (skipped by its condition, or not in this version)",
    }
    assert meta.variable_value_labels["inform"] == {0: "Nee", 1: "Ja"}
    assert meta.column_names_to_labels["topics_law"] == "Onderwerpen: Wet"
    assert mp["submitted"] == dt.date(2011, 1, 26)


def test_no_column_names_a_person(
    stats_survey: Survey, feedback_cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "answers.sav"
    assert feedback_cli("responses", "export", "--format", "sav", "-o", str(out)).exit_code == 0
    _, meta = pyreadstat.read_sav(out, metadataonly=True)
    meta_columns = meta.column_names[:7]
    assert meta_columns == [
        "id",
        "event",
        "survey_version",
        "channel",
        "language",
        "submitted",
        "partial",
    ]
    assert not {"person", "email", "name", "token", "invitation"} & set(meta.column_names)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "sav"], "needs -o FILE"),
        (["--format", "sav", "-o", "{out}", "--language", "fr"], "--language"),
        (["--format", "csv", "-o", "{out}", "--language", "nl"], "--language"),
        (["--format", "spss", "-o", "{out}"], "'spss' is not one of"),
        (["--format", "dta", "-o", "{out}", "--survey", "seminar-stat"], "did you mean"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(
    stats_survey: Survey,
    feedback_cli: Callable[..., Any],
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "out" / "answers.sav"
    out.parent.mkdir()
    result = feedback_cli("responses", "export", *(a.format(out=out) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert list(out.parent.iterdir()) == []


def test_long_labels_are_cut_to_the_formats_limits_never_mid_character() -> None:
    """SPSS keeps 256 bytes of a variable label and 120 of a value label (IBM SPSS Statistics,
    "Variable labels", "Value labels"); Stata 80 characters of a variable label ([D] label)."""
    from feedback_stats_formats.writers import cut_bytes, cut_chars

    text = "é" * 200  # two bytes each in UTF-8
    cut = cut_bytes(text, 120)
    assert len(cut.encode("utf-8")) <= 120 and cut.endswith("…") and "\ufffd" not in cut
    assert cut_bytes("short", 120) == "short"
    assert len(cut_chars("x" * 100, 80)) == 80
