"""Programme indicators (issue 15): declared in the programme's settings, values entered by hand
with ``feedback indicator set`` or read from a scorer's figure, and ``feedback indicators`` (a
table, JSON, CSV and XLSX) with progress from the baseline to the target, on real SQLite files."""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import dump, query, run
from openpyxl import load_workbook

from feedback.config import load_settings
from feedback.errors import InvalidInput
from feedback.indicators import number, progress

DATA = Path(__file__).resolve().parents[1] / "data" / "hague-2011"

MANUAL = """
[[programme.indicators]]
id = "laws"
label = { en = "Laws amended", nl = "Gewijzigde wetten" }
unit = "laws"
baseline = 10
target = 60
source = "manual"
"""


def write_settings(project: Path, text: str) -> None:
    (project / "feedback.toml").write_text(text, encoding="utf-8")


def add_events(project: Path, *events: tuple[str, str]) -> None:
    for event, date in events:
        result = run(project, "event", "add", event, "--title", event.title(), "--date", date)
        assert result.exit_code == 0, result.output


def indicators_json(project: Path) -> list[dict]:
    result = run(project, "indicators", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def set_value(project: Path, *args: str) -> None:
    result = run(project, "indicator", "set", *args)
    assert result.exit_code == 0, result.output


# -- settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        (
            'id = "x"\nlabel = "X"\ntarget = 5\nsource = "manual"\ntargt = 6',
            "programme.indicators[0].targt: unknown setting 'targt'; did you mean 'target'?",
        ),
        (
            'id = "x"\nlabel = "X"\nbaseline = 5\ntarget = 5\nsource = "manual"',
            "programme.indicators[0]: target: expected a value other than the baseline (5), "
            "found 5",
        ),
        (
            'id = "x"\nlabel = "X"\ntarget = 5\nsource = "by hand"',
            'programme.indicators[0].source: expected "manual" or a table such as '
            '{ scorer = "reach", figure = "mps" }, found \'by hand\'',
        ),
        (
            'id = "x"\nlabel = "X"\ntarget = 5\nsource = { scorer = "reach", figur = "mps" }',
            "programme.indicators[0].source: unknown key 'figur' of a scorer source (expected: "
            "scorer, figure, construct, item); did you mean 'figure'?",
        ),
        (
            'id = "x"\nlabel = "X"\ntarget = 5\nsource = { scorer = "reach" }',
            "programme.indicators[0].source: a scorer source needs 'figure'",
        ),
        (
            'id = "x"\nlabel = "X"\nsource = "manual"',
            "programme.indicators[0].target: required, and not set",
        ),
        (
            'id = "x"\nlabel = "X"\ntarget = "lots"\nsource = "manual"',
            "programme.indicators[0].target: ",
        ),
        (
            'id = "x"\nlabel = "X"\ntarget = "1e999999999"\nsource = "manual"',
            "programme.indicators[0].target: expected a number below 1,000,000,000,000,000",
        ),
        (
            'id = "X y"\nlabel = "X"\ntarget = 5\nsource = "manual"',
            "programme.indicators[0].id: expected an id such as mps_reached, found 'X y'",
        ),
        (
            'id = "x"\nlabel = { english = "X" }\ntarget = 5\nsource = "manual"',
            "programme.indicators[0].label: expected language codes such as en or nl, found "
            "'english'",
        ),
        (
            'id = "x"\nlabel = "X"\ntarget = 5\nsource = { scorer = "reach", figure = "mps" }\n'
            'cumulative = "latest"',
            "cumulative: only a manual indicator says how its values add up",
        ),
    ],
)
def test_bad_indicator_settings_are_refused_with_their_place(
    project: Path, indicator: str, expected: str
) -> None:
    write_settings(project, "[[programme.indicators]]\n" + indicator + "\n")
    with pytest.raises(InvalidInput) as caught:
        load_settings(project)
    assert expected in str(caught.value)
    assert str(project / "feedback.toml") in str(caught.value)
    result = run(project, "indicators")
    assert result.exit_code == 2
    assert expected in result.output


def test_two_indicators_with_one_id_are_refused(project: Path) -> None:
    write_settings(project, MANUAL + MANUAL)
    with pytest.raises(
        InvalidInput, match=r"programme\.indicators: expected each indicator id once"
    ):
        load_settings(project)


def test_indicators_are_read_with_their_labels_per_language(project: Path) -> None:
    write_settings(
        project,
        MANUAL + '\n[[programme.indicators]]\nid = "y"\nlabel = "Y"\n'
        'target = 1.5\nsource = { scorer = "reach", figure = "mps" }\n',
    )
    laws, other = load_settings(project).programme.indicators
    assert (laws.label_in("nl"), laws.label_in("fr"), other.label_in("nl")) == (
        "Gewijzigde wetten",
        "Laws amended",
        "Y",
    )
    assert other.source_text() == "reach: mps" and laws.source_text() == "manual"
    shown = run(project, "config", "show", "--json")
    assert shown.exit_code == 0, shown.output
    assert '"target": 1.5' in shown.output
    assert '"scorer": "reach"' in shown.output and '"construct"' not in shown.output


# -- progress, computed by hand -----------------------------------------------------------------


def test_progress_runs_from_the_baseline_to_the_target() -> None:
    assert progress(Fraction(35), Fraction(10), Fraction(60)) == Fraction(1, 2)
    assert progress(Fraction(30), Fraction(50), Fraction(10)) == Fraction(1, 2)  # a reduction
    assert progress(Fraction(5), Fraction(10), Fraction(60)) == Fraction(-1, 10)
    assert progress(None, Fraction(0), Fraction(1)) is None
    assert number(Fraction(800, 9)) == "88.89" and number(Fraction(1, 8)) == "0.13"
    assert number(Fraction(20)) == "20" and number(None) == "–"


def test_manual_values_per_event_and_for_the_programme(project: Path) -> None:
    write_settings(
        project,
        MANUAL
        + '\n[[programme.indicators]]\nid = "in_force"\nlabel = "Laws in force"\nbaseline = 0\n'
        'target = 8\nsource = "manual"\ncumulative = "latest"\n',
    )
    add_events(project, ("riga-2012", "2012-03-01"), ("hague-2011", "2011-01-26"))
    (project / "minutes.pdf").write_bytes(b"%PDF minutes")
    set_value(project, "laws", "--value", "12", "--date", "2011-02-01", "--event", "hague-2011")
    # a later value for the same event replaces the first
    set_value(
        project,
        "laws",
        "--value",
        "20",
        "--date",
        "2011-03-01",
        "--event",
        "hague-2011",
        "--evidence",
        str(project / "minutes.pdf"),
    )
    set_value(
        project,
        "laws",
        "--value",
        "15",
        "--date",
        "2012-04-01",
        "--event",
        "riga-2012",
        "--evidence",
        "Motion tabled, see Hansard",
    )
    set_value(project, "in_force", "--value", "1", "--date", "2011-02-01", "--event", "hague-2011")
    set_value(project, "in_force", "--value", "3", "--date", "2012-04-01", "--event", "riga-2012")

    laws, in_force = indicators_json(project)
    # events in date order: hague (20 at the event, so far 20), riga (15, so far 35)
    assert [(p["event"], p["display"]) for p in laws["events"]] == [
        ("hague-2011", {"value": "20", "so_far": "20", "progress": "20%"}),  # (20-10)/50
        ("riga-2012", {"value": "15", "so_far": "35", "progress": "50%"}),  # (35-10)/50
    ]
    assert laws["events"][0]["evidence"][0].startswith("minutes.pdf (sha256 ")
    assert laws["events"][1]["evidence"] == ["Motion tabled, see Hansard"]
    assert (laws["current"], laws["progress"], laws["programme"]["date"]) == (
        "35",
        "50%",
        "2012-04-01",
    )
    # a level: the latest value, not the sum; 1 of 8 is 12.5%, written half-up
    assert [p["display"]["progress"] for p in in_force["events"]] == ["13%", "38%"]
    assert in_force["current"] == "3"

    # a value for the whole programme is the programme's value
    set_value(project, "laws", "--value", "61", "--date", "2012-05-01")
    laws = indicators_json(project)[0]
    assert (laws["current"], laws["progress"], laws["programme"]["note"]) == (
        "61",
        "102%",
        "entered for the whole programme",
    )
    stored = query(
        project / "feedback.db",
        "SELECT indicator, event, value, date, evidence IS NOT NULL, evidence_sha256 IS NOT NULL "
        "FROM indicator_values ORDER BY id",
    )
    assert stored[1] == ("laws", "hague-2011", "20", "2011-03-01", 1, 1)
    assert stored[-1] == ("laws", None, "61", "2012-05-01", 0, 0)
    listed = run(project, "indicator", "list", "--indicator", "laws", "--json")
    assert listed.exit_code == 0, listed.output
    assert [r["value"] for r in json.loads(listed.stdout)] == ["12", "20", "15", "61"]
    table = run(project, "indicators")
    assert table.exit_code == 0, table.output
    assert "Laws amended" in table.output and "102%" in table.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["nope", "--value", "1", "--date", "2011-01-01"],
            "unknown indicator 'nope' (indicators: laws, mps)",
        ),
        (
            ["laws", "--value", "lots", "--date", "2011-01-01"],
            "--value: expected a number such as 12 or 3.5, found 'lots'",
        ),
        (["laws", "--value", "nan", "--date", "2011-01-01"], "--value: expected a number"),
        (
            ["laws", "--value", "1e999999999", "--date", "2011-01-01"],
            "--value: expected a number below 1,000,000,000,000,000 with at most 6 decimals",
        ),
        (
            ["laws", "--value", "1", "--date", "1/2/2011"],
            "--date: expected a date as YYYY-MM-DD, found '1/2/2011'",
        ),
        (["laws", "--value", "1", "--date", "2999-01-01"], "--date: 2999-01-01 is after today"),
        (
            ["laws", "--value", "1", "--date", "2011-01-01", "--event", "hague-2012"],
            "--event: unknown event 'hague-2012'",
        ),
        (
            ["laws", "--value", "1", "--date", "2011-01-01", "--evidence", "minutes.pdf"],
            "--evidence: no such file: minutes.pdf",
        ),
        (["laws", "--value", "1", "--date", "2011-01-01", "--evidence", "a\x07b"], "--evidence: "),
        (["mps", "--value", "1", "--date", "2011-01-01"], "mps: its values come from reach: mps"),
    ],
)
def test_refused_values_leave_the_database_unchanged(
    project: Path, args: list[str], expected: str
) -> None:
    write_settings(
        project,
        MANUAL + '\n[[programme.indicators]]\nid = "mps"\nlabel = "MPs"\ntarget = 100\n'
        'source = { scorer = "reach", figure = "mps" }\n',
    )
    add_events(project, ("hague-2011", "2011-01-26"))
    set_value(project, "laws", "--value", "11", "--date", "2011-02-01")
    before = dump(project / "feedback.db")
    result = run(project, "indicator", "set", *args)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert dump(project / "feedback.db") == before


# -- a scorer's figures, on the Hague dataset's real responses and roster ----------------------

SCORED = """
[programme.targets]
mp = 100
countries = 15

[[programme.indicators]]
id = "mps"
label = "MPs reached"
unit = "MPs"
target = 100
source = { scorer = "reach", figure = "mps" }

[[programme.indicators]]
id = "countries"
label = "Countries of the MPs"
baseline = 1
target = 15
source = { scorer = "reach", figure = "countries" }

[[programme.indicators]]
id = "rapporteur"
label = "Support for an independent rapporteur"
unit = "%"
baseline = 50
target = 90
source = { scorer = "rapporteur_support", figure = "share" }

[[programme.indicators]]
id = "awareness"
label = "Knowledge of other countries rose"
unit = "%"
target = 100
source = { scorer = "awareness", item = "other_countries", figure = "share" }
"""

RIGA = (
    "name,email,role,country,organisation,attended\n"
    "Margaret Thornbury,margaret.thornbury@example.org,mp,GB,House of Commons,yes\n"
    "Katrin Vogel,katrin.vogel@example.org,mp,DE,Deutscher Bundestag,yes\n"
    "Ilze Ozola,ilze.ozola@example.org,ngo,LV,Marta,yes\n"
)


@pytest.fixture
def hague(project: Path) -> Path:
    """The Hague good practice exchange (roster and 30 responses) and a later event in Riga
    (roster only: an MP who came to The Hague, a German MP who did not, an NGO)."""
    write_settings(project, SCORED)
    add_events(project, ("hague-2011", "2011-01-26"), ("riga-2012", "2012-03-01"))
    (project / "riga.csv").write_text(RIGA, encoding="utf-8")
    for args in (
        ("roster", "import", str(DATA / "roster.csv"), "--event", "hague-2011"),
        ("roster", "import", str(project / "riga.csv"), "--event", "riga-2012"),
        ("responses", "import", str(DATA / "responses.jsonl")),
    ):
        result = run(project, *args)
        assert result.exit_code == 0, result.output
    return project


def test_scorer_figures_per_event_and_so_far(hague: Path) -> None:
    mps, countries, rapporteur, awareness = indicators_json(hague)
    # The Hague: 11 MPs from 7 countries; Riga: 2 MPs (GB, DE), one of them new: 12 from 8 so far
    assert [(p["value"], p["so_far"], p["display"]["progress"]) for p in mps["events"]] == [
        ("11", "11", "11%"),
        ("2", "12", "12%"),
    ]
    assert (mps["current"], mps["progress"], mps["source"]) == ("12", "12%", "reach: mps")
    assert [p["display"]["progress"] for p in countries["events"]] == ["43%", "50%"]  # 6/14, 7/14
    assert [p["date"] for p in mps["events"]] == ["2011-01-26", "2012-03-01"]
    # 24 of 27 agree: 88.89%; (800/9 - 50) / 40 = 35/36, written 97%
    hague_point, riga_point = rapporteur["events"]
    assert (hague_point["value"], hague_point["display"]) == (
        "800/9",
        {"value": "88.89", "so_far": "88.89", "progress": "97%"},
    )
    assert riga_point["value"] is None and riga_point["display"]["value"] == "–"
    assert riga_point["note"].startswith("no result")
    assert (rapporteur["current"], rapporteur["progress"]) == ("88.89", "97%")
    # 26 of 29 rose on other_countries: 89.66%
    assert (awareness["current"], awareness["progress"]) == ("89.66", "90%")


def test_a_source_the_scorers_do_not_give_is_refused_with_its_place(hague: Path) -> None:
    settings = (hague / "feedback.toml").read_text(encoding="utf-8")
    for wrong, expected in [
        (
            'scorer = "reach", figure = "mp" }',
            "programme.indicators[0].source.figure: a result of scorer 'reach' is counts against "
            "targets: expected one of total, mps, countries, found 'mp'; did you mean 'mps'?",
        ),
        (
            'scorer = "rech", figure = "mps" }',
            "programme.indicators[0].source.scorer: unknown scorer 'rech'",
        ),
        (
            'scorer = "satisfaction", figure = "median" }',
            "programme.indicators[0].source.item: scorer 'satisfaction' gives 2 results here "
            "(constructs satisfaction, usefulness; items recommend, usefulness): name one with "
            "construct and item",
        ),
    ]:
        write_settings(hague, settings.replace('scorer = "reach", figure = "mps" }', wrong, 1))
        result = run(hague, "indicators")
        assert result.exit_code == 2, result.output
        assert f"{hague / 'feedback.toml'} (or FEEDBACK_ variables): {expected}" in result.output
    write_settings(hague, settings.replace('item = "other_countries", ', ""))
    # the awareness scorer's summary (no item) is the one read when no item is named
    assert indicators_json(hague)[3]["current"] == "96.67"  # 29 of 30


# -- exports ------------------------------------------------------------------------------------


def test_csv_and_xlsx_exports_read_back_and_are_formula_safe(project: Path) -> None:
    write_settings(project, MANUAL.replace('en = "Laws amended"', 'en = "=HYPERLINK(1)"'))
    add_events(project, ("hague-2011", "2011-01-26"))
    set_value(
        project,
        "laws",
        "--value",
        "35",
        "--date",
        "2011-02-01",
        "--event",
        "hague-2011",
        "--evidence",
        "+cmd|' /C calc'!A0",
    )
    result = run(project, "indicators", "--format", "csv", "-o", str(project / "ind.csv"))
    assert result.exit_code == 0, result.output
    assert "2 rows (1 indicator)" in result.output
    with (project / "ind.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(r["scope"], r["event"], r["value"], r["so_far"], r["progress"]) for r in rows] == [
        ("event", "hague-2011", "35", "35", "50%"),
        ("programme", "", "", "35", "50%"),
    ]
    assert rows[0]["label"] == "'=HYPERLINK(1)"
    assert rows[0]["evidence"] == "'+cmd|' /C calc'!A0"
    assert (rows[0]["baseline"], rows[0]["target"], rows[0]["date"]) == ("10", "60", "2011-02-01")

    result = run(project, "indicators", "-o", str(project / "ind.xlsx"))  # format from the suffix
    assert result.exit_code == 0, result.output
    sheet = load_workbook(project / "ind.xlsx").active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:4] == ["indicator", "label", "unit", "scope"]
    assert cells[1][1] == "'=HYPERLINK(1)" and cells[1][10] == "50%"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert not list(project.glob(".ind.*.tmp"))


def test_export_refusals_write_nothing(project: Path) -> None:
    write_settings(project, MANUAL)
    add_events(project, ("hague-2011", "2011-01-26"))
    before = dump(project / "feedback.db")
    for args, expected in [
        (["--format", "csv"], "--format csv: give the file to write with -o FILE"),
        (["-o", str(project / "ind.txt")], "-o: cannot tell the format of"),
        (["-o", str(project / "feedback.db"), "--format", "csv"], "is the database"),
        (["-o", str(project / "missing" / "ind.csv")], "is not an existing folder"),
    ]:
        result = run(project, "indicators", *args)
        assert result.exit_code == 2, result.output
        assert expected in result.output
    assert dump(project / "feedback.db") == before
    assert not (project / "ind.txt").exists()


def test_without_indicators_the_command_says_how_to_declare_them(project: Path) -> None:
    result = run(project, "indicators")
    assert result.exit_code == 0, result.output
    assert "[[programme.indicators]]" in result.output
