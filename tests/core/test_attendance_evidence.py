"""Attendance records where it came from (issue 15): a roster import, a signed sheet entered, a
check-in; reach can count only confirmed attendance, and says what backs its count."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import dump, run

from feedback.config import load_settings
from feedback.engine import Engine
from feedback.scoring import build_context, score

ROSTER = (
    "name,email,role,country,attended\n"
    "Anna de Vries,anna@example.nl,mp,NL,yes\n"
    "Bo Berg,bo@example.se,mp,SE,yes\n"
    "Cas Claes,cas@example.be,ngo,BE,yes\n"
)


@pytest.fixture
def event_with_roster(event_project: Path) -> Path:
    (event_project / "roster.csv").write_text(ROSTER, encoding="utf-8")
    roster = str(event_project / "roster.csv")
    result = run(event_project, "roster", "import", roster, "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    return event_project


def reach_result(project: Path) -> object:
    with Engine(settings=load_settings(project)) as engine:
        results = score(engine, build_context(engine, "hague-2011"))
    return next(r for r in results if r.scorer == "reach")


def test_a_signed_sheet_confirms_attendance_and_a_roster_import_keeps_it(
    event_with_roster: Path,
) -> None:
    result = run(
        event_with_roster,
        *("roster", "confirm", "--event", "hague-2011", "--source", "sheet"),
        *("anna@example.nl", "2"),
    )
    assert result.exit_code == 0, result.output
    assert (
        "Recorded 2 people as attending hague-2011, confirmed by a signed sheet." in result.output
    )
    roster = str(event_with_roster / "roster.csv")
    again = run(event_with_roster, "roster", "import", roster, "--event", "hague-2011")
    assert again.exit_code == 0
    with Engine(settings=load_settings(event_with_roster)) as engine:
        sources = {r["person"]: r["source"] for r in engine.store.attendance()}
    assert sorted(sources.values()) == ["roster", "sheet", "sheet"]


def test_reach_counts_only_confirmed_attendance_when_asked(event_with_roster: Path) -> None:
    run(
        event_with_roster,
        *("roster", "confirm", "--event", "hague-2011", "--source", "checkin", "anna@example.nl"),
    )
    every = reach_result(event_with_roster)
    assert every.figure.counts[0].value == 2  # both MPs: the roster counts
    assert every.notes[0] == (
        "Attendance evidence: 1 from check-in at the venue, 2 from the roster; every attendance "
        "recorded is counted."
    )
    (event_with_roster / "feedback.toml").write_text(
        '[programme]\nreach_attendance = "confirmed"\n', encoding="utf-8"
    )
    confirmed = reach_result(event_with_roster)
    assert confirmed.figure.counts[0].value == 1  # only Anna checked in
    assert confirmed.notes[0] == (
        "Attendance evidence: 1 from check-in at the venue; only confirmed attendance is "
        "counted (signed sheets and check-ins)."
    )


def test_an_unknown_person_records_nobody(event_with_roster: Path) -> None:
    before = dump(event_with_roster / "feedback.db")
    result = run(
        event_with_roster,
        *("roster", "confirm", "--event", "hague-2011", "--source", "sheet"),
        *("anna@example.nl", "ana@example.nl"),
    )
    assert result.exit_code == 2
    assert "nobody on the roster is 'ana@example.nl'" in result.output
    assert "nothing was recorded" in result.output
    assert dump(event_with_roster / "feedback.db") == before
