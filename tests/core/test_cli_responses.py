"""``feedback responses import`` and ``feedback responses export`` on real SQLite files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from helpers import dump, make_response, query, run
from openpyxl import load_workbook

FIRST = "11111111-1111-4111-8111-111111111111"
SECOND = "22222222-2222-4222-8222-222222222222"


def stored(db: Path) -> list[tuple]:
    return query(db, "SELECT * FROM responses ORDER BY id")


def response(**changes: Any) -> dict[str, Any]:
    """A valid response to the shipped ``post-seminar`` survey, on paper, the day after."""
    data = make_response("post-seminar", {"role": "mp"}, channel="paper", submitted="2011-01-27")
    return data | changes


FULL = response(
    id=SECOND,
    language="nl",
    answers={
        "role": "ngo",
        "country": "NL",
        "rapporteur_role": {"then": "little", "now": "good"},
        "support_rapporteur_office": "strongly_agree",
        "passed_contacts": True,
        "new_mp_contacts": 3,
        "support_next_event": True,
        "support_kinds": ["political", "hosting"],
        "usefulness": 8,
        "comments": "Très utile, merci",
    },
)


def jsonl(path: Path, *items: Any) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


@pytest.fixture
def project(event_project: Path) -> Path:
    """A project with the event ``hague-2011`` in its database (the shared ``event_project``)."""
    return event_project


@pytest.fixture
def db(project: Path) -> Path:
    return project / "feedback.db"


def import_ok(project: Path, file: Path, *args: str) -> Result:
    result = run(project, "responses", "import", str(file), *args)
    assert result.exit_code == 0, result.output
    return result


def export(project: Path, *args: str) -> Result:
    result = run(project, "responses", "export", *args)
    assert result.exit_code == 0, result.output
    return result


# -- import ------------------------------------------------------------------------------------


def test_import_json_lines(project: Path, db: Path) -> None:
    file = jsonl(project / "in.jsonl", response(id=FIRST), FULL)
    result = run(project, "responses", "import", str(file))
    assert result.exit_code == 0, result.output
    assert f"{file}: 2 read, 2 stored, 0 already present, 0 conflicts" in result.stdout

    rows = {row[0]: row for row in stored(db)}
    assert set(rows) == {FIRST, SECOND}
    assert json.loads(rows[SECOND][7]) == FULL["answers"]


def test_import_json_array(project: Path, db: Path) -> None:
    file = project / "in.json"
    file.write_text(json.dumps([response(id=FIRST), FULL], indent=2), encoding="utf-8")
    result = run(project, "responses", "import", str(file))
    assert result.exit_code == 0, result.output
    assert "2 read, 2 stored" in result.stdout
    assert [row[0] for row in stored(db)] == [FIRST, SECOND]


def test_import_json_array_saved_with_a_bom(project: Path, db: Path) -> None:
    file = project / "in.json"
    file.write_text("\ufeff" + json.dumps([response(id=FIRST)]), encoding="utf-8")
    result = run(project, "responses", "import", str(file))
    assert result.exit_code == 0, result.output
    assert [row[0] for row in stored(db)] == [FIRST]


def test_reimport_reports_already_present_and_stores_nothing_twice(project: Path, db: Path) -> None:
    file = jsonl(project / "in.jsonl", response(id=FIRST), FULL)
    assert run(project, "responses", "import", str(file)).exit_code == 0
    before = stored(db)

    again = jsonl(project / "again.jsonl", FULL, response(), response(id=FIRST))
    result = run(project, "responses", "import", str(again))
    assert result.exit_code == 0, result.output
    assert "3 read, 1 stored, 2 already present, 0 conflicts" in result.stdout
    assert len(stored(db)) == 3
    assert set(before) <= set(stored(db))


def test_bad_lines_are_each_reported_and_nothing_is_stored(project: Path, db: Path) -> None:
    before = dump(db)
    file = project / "in.jsonl"
    lines = [
        json.dumps(response()),  # 1: fine
        json.dumps(response(answers={"role": "boss"})),  # 2: unknown choice
        "{not json",  # 3
        "",  # 4: blank, skipped
        json.dumps(response()),  # 5: fine
        json.dumps([response()]),  # 6: not an object
        json.dumps(response(event="hague-2012")),  # 7: unknown event
        json.dumps(response(answers={})),  # 8: required question missing
        json.dumps(response(answer={"role": "mp"})),  # 9: typo in a key
    ]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run(project, "responses", "import", str(file))

    assert result.exit_code == 2
    err = result.stderr
    assert f"{file}: line 2: role: unknown choice 'boss'" in err
    assert f"{file}: line 3: not valid JSON" in err
    assert f"{file}: line 6: expected a JSON object, found list" in err
    assert f"{file}: line 7: event: unknown event 'hague-2012'" in err
    assert "did you mean 'hague-2011'?" in err
    assert f"{file}: line 8: role: required question not answered" in err
    assert f"{file}: line 9: " in err and "'answer'" in err
    for fine in ("line 1:", "line 4:", "line 5:"):
        assert fine not in err
    assert "8 read, 6 rejected: nothing stored from this file" in result.stdout
    assert dump(db) == before


def test_conflict_is_reported_and_kept_for_review(project: Path, db: Path) -> None:
    original = response(id=FIRST, answers={"role": "mp", "usefulness": 9})
    import_ok(project, jsonl(project / "a.jsonl", original))
    before = stored(db)

    other = response(id=FIRST, answers={"role": "ngo", "usefulness": 2})
    result = run(project, "responses", "import", str(jsonl(project / "b.jsonl", other)))

    assert result.exit_code == 2
    assert f"response {FIRST}: a different response with this id is already stored" in result.stderr
    assert "conflicts table" in result.stderr
    assert "1 conflict\n" in result.stdout
    assert stored(db) == before  # the original is not written over
    [(response_id, content)] = query(db, "SELECT response_id, content FROM conflicts")
    assert response_id == FIRST
    assert json.loads(content)["answers"] == {"role": "ngo", "usefulness": 2}


def test_the_same_conflict_twice_is_kept_once(project: Path, db: Path) -> None:
    run(project, "responses", "import", str(jsonl(project / "a.jsonl", response(id=FIRST))))
    other = jsonl(project / "b.jsonl", response(id=FIRST, answers={"role": "ngo"}))
    assert run(project, "responses", "import", str(other)).exit_code == 2
    assert run(project, "responses", "import", str(other)).exit_code == 2
    assert len(query(db, "SELECT * FROM conflicts")) == 1


@pytest.mark.parametrize("content", ["", "\n\n  \n", "\ufeff"], ids=["empty", "blank", "bom"])
def test_empty_file(project: Path, db: Path, content: str) -> None:
    before = dump(db)
    file = project / "empty.jsonl"
    file.write_text(content, encoding="utf-8")
    result = run(project, "responses", "import", str(file))
    assert result.exit_code == 2
    assert f"{file}: empty file: expected JSON Lines or a JSON array" in result.output
    assert dump(db) == before


def test_broken_json_array(project: Path, db: Path) -> None:
    before = dump(db)
    file = project / "in.json"
    text = json.dumps([response(), response()], indent=2)
    file.write_text(text[: len(text) // 2 + 30], encoding="utf-8")  # cut off half way
    result = run(project, "responses", "import", str(file))
    assert result.exit_code == 2
    assert f"{file}: after item " in result.stderr
    assert "not valid JSON" in result.stderr
    assert "nothing stored from this file" in result.stdout
    assert dump(db) == before


def test_bad_item_of_an_array_is_named_by_number(project: Path, db: Path) -> None:
    before = dump(db)
    file = project / "in.json"
    file.write_text(json.dumps([response(), response(language="de"), 42]), encoding="utf-8")
    result = run(project, "responses", "import", str(file))
    assert result.exit_code == 2
    assert f"{file}: item 2: language: language 'de'" in result.stderr
    assert f"{file}: item 3: expected a JSON object, found int" in result.stderr
    assert dump(db) == before


def test_each_file_is_all_or_nothing(project: Path, db: Path) -> None:
    good = jsonl(project / "good.jsonl", response(id=FIRST))
    bad = jsonl(project / "bad.jsonl", response(id=SECOND), response(language="xx"))
    result = run(project, "responses", "import", str(good), str(bad))
    assert result.exit_code == 2
    assert "1 of 2 files had problems" in result.output
    assert [row[0] for row in stored(db)] == [FIRST]


def test_missing_file(project: Path, db: Path) -> None:
    before = dump(db)
    result = run(project, "responses", "import", str(project / "nope.jsonl"))
    assert result.exit_code == 2
    assert "nope.jsonl: cannot read" in result.output
    assert dump(db) == before


def test_import_with_db_option(project: Path, db: Path) -> None:
    other = project / "other.db"
    run(project, "event", "add", "hague-2011", "--title", "Hague", "--db", str(other))
    before = dump(db)
    file = jsonl(project / "in.jsonl", response(id=FIRST))
    result = run(project, "responses", "import", str(file), "--db", str(other))
    assert result.exit_code == 0, result.output
    assert [row[0] for row in stored(other)] == [FIRST]
    assert dump(db) == before


# -- export ------------------------------------------------------------------------------------


@pytest.fixture
def answered(project: Path) -> Path:
    """The project with two responses stored."""
    file = jsonl(project / "in.jsonl", response(id=FIRST), FULL)
    assert run(project, "responses", "import", str(file)).exit_code == 0
    return project


def test_export_csv_has_a_column_per_question(answered: Path) -> None:
    result = export(answered, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == [FIRST, SECOND]
    full = rows[1]
    assert full["event"] == "hague-2011"
    assert full["language"] == "nl"
    assert full["role"] == "ngo"
    assert (full["rapporteur_role.then"], full["rapporteur_role.now"]) == ("little", "good")
    assert full["support_kinds"] == "political;hosting"
    assert full["passed_contacts"] == "yes"
    assert full["new_mp_contacts"] == "3"
    assert full["comments"] == "Très utile, merci"
    assert rows[0]["usefulness"] == ""  # unanswered
    assert "consent" not in full  # a note asks nothing


def test_export_to_a_file(answered: Path) -> None:
    out = answered / "out.csv"
    result = export(answered, "-o", str(out))
    assert f"wrote 2 responses to {out}" in result.stderr
    assert len(list(csv.DictReader(out.open(encoding="utf-8", newline="")))) == 2


def test_export_only_one_event(answered: Path) -> None:
    run(answered, "event", "add", "riga-2012", "--title", "Riga")
    riga = jsonl(answered / "riga.jsonl", response(event="riga-2012"))
    assert run(answered, "responses", "import", str(riga)).exit_code == 0
    lines = export(answered, "--format", "jsonl", "--event", "riga-2012").stdout.splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["riga-2012"]

    unknown = run(answered, "responses", "export", "--event", "riga-2013")
    assert unknown.exit_code == 2
    assert "did you mean 'riga-2012'?" in unknown.output


def test_export_unknown_survey_is_an_error(answered: Path) -> None:
    result = run(answered, "responses", "export", "--survey", "post-seminr")
    assert result.exit_code == 2
    assert "did you mean 'post-seminar'?" in result.output


def test_jsonl_round_trip_into_a_second_database(answered: Path, db: Path) -> None:
    out = answered / "out.jsonl"
    export(answered, "--format", "jsonl", "-o", str(out))
    second = answered / "second.db"
    run(answered, "event", "add", "hague-2011", "--title", "Hague", "--db", str(second))

    result = run(answered, "responses", "import", str(out), "--db", str(second))

    assert result.exit_code == 0, result.output
    assert "2 read, 2 stored" in result.stdout
    assert stored(second) == stored(db)
    definitions = "SELECT id, version, definition FROM surveys ORDER BY id, version"
    assert query(second, definitions) == query(db, definitions)
    # and importing the export into the first database finds everything already there
    again = run(answered, "responses", "import", str(out))
    assert "0 stored, 2 already present" in again.stdout


def test_export_xlsx(answered: Path) -> None:
    out = answered / "out.xlsx"
    result = export(answered, "--format", "xlsx", "-o", str(out))
    assert f"wrote 2 responses to {out}" in result.stderr
    sheet = load_workbook(out)["responses"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("id", "event", "survey")
    full = dict(zip(header, rows[2], strict=True))
    assert full["id"] == SECOND
    assert full["usefulness"] == 8
    assert full["passed_contacts"] is True
    assert full["rapporteur_role.now"] == "good"


def test_export_xlsx_needs_an_output_file(answered: Path) -> None:
    result = run(answered, "responses", "export", "--format", "xlsx")
    assert result.exit_code == 2
    assert "-o" in result.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_into_a_missing_folder_is_a_clear_error(answered: Path, fmt: str) -> None:
    out = answered / "no-such-folder" / f"out.{fmt}"
    result = run(answered, "responses", "export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 2
    assert f"{out}: cannot write" in result.output
    assert "Traceback" not in result.output


FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1", "-x", "@SUM(A1:A9)"]


@pytest.fixture
def formulas(project: Path) -> Path:
    """The project with one response per formula-like text answer."""
    items = [response(answers={"role": "mp", "comments": t}) for t in FORMULAS]
    import_ok(project, jsonl(project / "f.jsonl", *items))
    return project


def test_csv_neutralises_formulas(formulas: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export(formulas, "--format", "csv").stdout)))
    assert [r["comments"] for r in rows] == ["'" + t for t in FORMULAS]


def test_xlsx_neutralises_formulas(formulas: Path) -> None:
    out = formulas / "out.xlsx"
    export(formulas, "--format", "xlsx", "-o", str(out))
    sheet = load_workbook(out)["responses"]
    column = [c.value for c in sheet[1]].index("comments")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == ["'" + t for t in FORMULAS]
    assert all(c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_jsonl_keeps_text_as_written(formulas: Path) -> None:
    lines = export(formulas, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["answers"]["comments"] for line in lines] == FORMULAS


def test_xlsx_export_of_a_control_character(project: Path) -> None:
    item = response(answers={"role": "mp", "comments": "\x01=cmd|' /C calc'!A0 \x07bell"})
    assert run(project, "responses", "import", str(jsonl(project / "c.jsonl", item))).exit_code == 0
    out = project / "out.xlsx"
    export(project, "--format", "xlsx", "-o", str(out))
    sheet = load_workbook(out)["responses"]
    column = [c.value for c in sheet[1]].index("comments")
    cell = sheet.cell(row=2, column=column + 1)
    assert cell.value == "\ufffd=cmd|' /C calc'!A0 \ufffdbell"
    assert cell.data_type == "s"


def test_export_with_db_option(answered: Path) -> None:
    other = answered / "other.db"
    run(answered, "event", "add", "hague-2011", "--title", "Hague", "--db", str(other))
    lines = export(answered, "--format", "jsonl", "--db", str(other)).stdout.splitlines()
    assert lines == []
    assert len(export(answered, "--format", "jsonl").stdout.splitlines()) == 2
