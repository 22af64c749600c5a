"""``feedback offline template`` and `read_entry_csv`: paper forms keyed into a spreadsheet come back
as responses for `Engine.submit_many`, and every problem names its row and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from helpers import dump, run
from offline_paper_helpers import SURVEY, fill, template_records

from feedback.engine import Engine
from feedback.errors import InvalidInput
from feedback_offline.codes import form_code
from feedback_offline.entry import EntryFileError, read_entry_csv, response_id

#: rows of the template as written, before the header: the template line, the title, number,
#: language, date, then one legend line per question (17 questions)
HEADER_ROW = 23

FULL = {
    "number": "1",
    "role": "1",
    "country": "nl",
    "rapporteur_role.then": "2",
    "rapporteur_role.now": "4",
    "other_countries.then": "none",
    "other_countries.now": "Very_Good",
    "support_rapporteur_office": "0",
    "join_network": "5",
    "continue_ngo_cooperation": "agree",
    "passed_contacts": "1",
    "new_mp_contacts": "3",
    "support_next_event": "yes",
    "support_kinds": "4, 1;2",
    "usefulness": "8",
    "recommend": "10",
    "improvements": "More time for questions; fewer speeches, please",
    "comments": 'Two lines\nand a "quote"',
}
FULL_ANSWERS = {
    "role": "mp",
    "country": "NL",
    "rapporteur_role": {"then": "little", "now": "good"},
    "other_countries": {"then": "none", "now": "very_good"},
    "support_rapporteur_office": "dont_know",
    "join_network": "strongly_agree",
    "continue_ngo_cooperation": "agree",
    "passed_contacts": True,
    "new_mp_contacts": 3,
    "support_next_event": True,
    "support_kinds": ["political", "organisational", "hosting"],
    "usefulness": 8,
    "recommend": 10,
    "improvements": "More time for questions; fewer speeches, please",
    "comments": 'Two lines\nand a "quote"',
}
SHORT = {
    "number": "2",
    "role": "ngo",
    "language": "NL",
    "date": "2011-01-27",
    "passed_contacts": "2",
}


def template(project: Path, *args: str, name: str = "entry.csv", event: str = "hague-2011") -> Path:
    out = project / name
    result = run(project, "offline", "template", "--event", event, "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return out


def stored(engine: Engine) -> dict[str, dict]:
    return {r["id"]: r for r in engine.store.iter_responses(event="hague-2011")}


# -- the template --------------------------------------------------------------------------------


def test_template_starts_with_its_form_and_the_codes_of_every_column(
    project: Path, engine: Engine
) -> None:
    path = template(project)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# feedback entry template: ")  # UTF-8 with a BOM
    survey = engine.survey(SURVEY)
    code = form_code("hague-2011", SURVEY, survey.version)
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == (
        f"# feedback entry template: event=hague-2011 survey=post-seminar "
        f"version={survey.version} form={code}"
    )
    records = template_records(path)
    assert all(len(r) == 1 and r[0].startswith("# ") for r in records[:-1])  # one cell each
    legend = [r[0] for r in records[:-1]]
    assert (
        legend[1]
        == f"# Post-seminar feedback - Good practice exchange - 26 January 2011 - form {code}"
    )
    assert legend[4] == "# date: the date the form was filled in, as YYYY-MM-DD (empty: 2011-01-26)"
    assert legend[5].startswith(
        "# role (question 1, required): 1 = Member of a national parliament or regional assembly "
        "(mp); 2 = Non-governmental organisation (NGO) (ngo); 3 = "
    )
    assert any(line.startswith("# country (question 2): 1 = Austria (AT); ") for line in legend)
    assert (
        "# rapporteur_role.then, rapporteur_role.now (question 3): 1 = None (none); 2 = A little "
        "(little); 3 = Some (some); 4 = Good (good); 5 = Very good (very_good)" in legend
    )
    assert any(
        line.endswith("5 = Strongly agree (strongly_agree); 0 = Don't know (dont_know)")
        for line in legend
    )
    assert "# passed_contacts (question 10): 1 = Yes; 2 = No" in legend
    assert (
        "# new_mp_contacts (question 11): Write a whole number from 0 to 100 (parliamentarians) - "
        "Only if you answered “Yes” to question 10." in legend
    )
    assert (
        "# usefulness (question 14): a whole number 0-10 (0 = Not at all useful; 10 = Extremely useful)"
        in legend
    )
    assert len(records) == HEADER_ROW
    assert records[-1] == [
        "number", "language", "date", "role", "country",
        "rapporteur_role.then", "rapporteur_role.now", "other_countries.then", "other_countries.now",
        "mp_ngo_cooperation.then", "mp_ngo_cooperation.now", "support_rapporteur_office",
        "join_network", "continue_ngo_cooperation", "inform_colleagues", "passed_contacts",
        "new_mp_contacts", "support_next_event", "support_kinds", "usefulness", "recommend",
        "improvements", "comments",
    ]  # fmt: skip
    assert "consent" not in records[-1]  # a note has no column


def test_template_legend_in_dutch(project: Path, engine: Engine) -> None:
    legend = [r[0] for r in template_records(template(project, "--lang", "nl"))[:-1]]
    assert legend[5].startswith("# role (vraag 1, verplicht): 1 = Lid van een nationaal parlement")
    assert "# passed_contacts (vraag 10): 1 = Ja; 2 = Nee" in legend


def test_template_refuses_to_replace_a_file_without_force(project: Path, engine: Engine) -> None:
    path = project / "entry.csv"
    path.write_text("keyed-in forms", encoding="utf-8")
    result = run(project, "offline", "template", "--event", "hague-2011", "-o", str(path))
    assert result.exit_code == 2
    assert "the file exists and may hold keyed-in forms" in result.output
    assert path.read_text(encoding="utf-8") == "keyed-in forms"
    template(project, "--force")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf# feedback entry template:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--event", "hague-2010", "-o", "entry.csv"], "unknown event 'hague-2010'; did you mean 'hague-2011'?"),
        (["--event", "hague-2011", "-o", "entry.xlsx"], "expected a file name ending in .csv, found '.xlsx'"),
        (["--event", "hague-2011", "-o", "missing/entry.csv"], "does not exist"),
        (["--event", "hague-2011", "--survey", "post-seminr", "-o", "entry.csv"], "did you mean 'post-seminar'?"),
    ],
)  # fmt: skip
def test_template_refuses_bad_input_with_exit_2(
    project: Path, engine: Engine, args: list[str], message: str
) -> None:
    args = [str(project / a) if a.endswith((".csv", ".xlsx")) else a for a in args]
    result = run(project, "offline", "template", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not list(project.glob("entry.*")) and not (project / "missing").exists()


# -- round trip ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "bom", "pad"),
    [(",", True, False), (";", True, True), ("\t", False, False)],
    ids=["comma", "excel-semicolon-bom-padded", "tab-no-bom"],
)
def test_entry_round_trip_stores_the_answers(
    project: Path, engine: Engine, delimiter: str, bom: bool, pad: bool
) -> None:
    path = fill(
        template(project),
        [FULL, SHORT],
        project / "filled.csv",
        delimiter=delimiter,
        bom=bom,
        pad=pad,
    )
    entry = read_entry_csv(engine, path)
    version = engine.survey(SURVEY).version
    assert (entry.event, entry.survey, entry.version) == ("hague-2011", SURVEY, version)
    assert entry.form == form_code("hague-2011", SURVEY, version)
    # the comments cell of the first row holds a line break: still one row
    assert [where for where, _ in entry.items] == [
        f"{path} row {HEADER_ROW + 1}",
        f"{path} row {HEADER_ROW + 2}",
    ]
    result = engine.submit_many(entry.items)
    assert result.ok and result.stored == 2, [r.render() for r in result.rejected]
    responses = stored(engine)
    first = responses[response_id("hague-2011", SURVEY, version, 1)]
    assert first["answers"] == FULL_ANSWERS
    assert (first["channel"], first["language"], first["submitted"]) == (
        "paper",
        "en",
        "2011-01-26",
    )
    assert first["survey_version"] == version
    second = responses[response_id("hague-2011", SURVEY, version, 2)]
    assert second["answers"] == {"role": "ngo", "passed_contacts": False}
    assert (second["language"], second["submitted"]) == ("nl", "2011-01-27")


def test_entry_rows_are_counted_as_a_spreadsheet_counts_them(project: Path, engine: Engine) -> None:
    rows = [dict(FULL), {"number": "2", "role": "2"}, {"number": "3", "role": "99"}]
    between = [[], ["# forms 2-3 keyed in by Ann"], ["", "", ""]]
    path = fill(template(project), rows, project / "filled.csv", between=between)
    entry = read_entry_csv(engine, path)
    # the comments cell of row 24 holds a line break: rows, not lines, are counted
    assert [where for where, _ in entry.items] == [
        f"{path} row {HEADER_ROW + 1}",
        f"{path} row {HEADER_ROW + 5}",
        f"{path} row {HEADER_ROW + 6}, column 'role'",
    ]


def test_entry_read_twice_is_stored_once(project: Path, engine: Engine) -> None:
    path = fill(template(project), [FULL, SHORT], project / "filled.csv")
    first = read_entry_csv(engine, path)
    assert engine.submit_many(first.items).stored == 2
    before = dump(engine.settings.db_path)
    again = read_entry_csv(engine, path)
    assert [item["id"] for _, item in again.items] == [item["id"] for _, item in first.items]
    result = engine.submit_many(again.items)
    assert result.ok and (result.stored, result.already_stored) == (0, 2)
    assert dump(engine.settings.db_path) == before


def test_entry_ids_differ_by_number_event_and_version() -> None:
    ids = {
        response_id("hague-2011", SURVEY, "0" * 16, 1),
        response_id("hague-2011", SURVEY, "0" * 16, 2),
        response_id("hague-2012", SURVEY, "0" * 16, 1),
        response_id("hague-2011", SURVEY, "1" * 16, 1),
    }
    assert len(ids) == 4


def test_entry_reads_a_template_after_the_survey_file_changed(
    project: Path, engine: Engine
) -> None:
    path = fill(template(project), [SHORT], project / "filled.csv")
    old = engine.survey(SURVEY).version
    shipped = Path(__file__).resolve().parents[3] / "surveys" / "post-seminar.yaml"
    changed = shipped.read_text(encoding="utf-8").replace("Which best describes", "What describes")
    (project / "surveys" / "post-seminar.yaml").write_text(changed, encoding="utf-8")
    with Engine(settings=engine.settings, pm=engine.pm) as later:
        assert later.survey(SURVEY).version != old
        entry = read_entry_csv(later, path)  # the version the template was made for, kept
        assert entry.version == old
        assert later.submit_many(entry.items).stored == 1
        assert [r["survey_version"] for r in later.store.iter_responses()] == [old]


# -- problems of rows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"number": "3", "role": "12"}, "role", "expected a code 1-10 or a choice id, found '12'"),
        ({"number": "3", "role": "1", "country": "Holland"}, "country", "expected a code 1-31 or a choice id, found 'Holland'"),
        ({"number": "3", "role": "1", "rapporteur_role.then": "2"}, "rapporteur_role.now", "expected an answer in both 'rapporteur_role.then' and 'rapporteur_role.now' (a then/now question needs both rows), found only 'rapporteur_role.then'"),
        ({"number": "3", "role": "1", "mp_ngo_cooperation.now": "3"}, "mp_ngo_cooperation.then", "found only 'mp_ngo_cooperation.now'"),
        ({"number": "3", "role": "1", "other_countries.then": "6", "other_countries.now": "1"}, "other_countries.then", "expected a code 1-5 or a point id, found '6'"),
        ({"number": "3", "role": "1", "join_network": "7"}, "join_network", "expected a code 1-5 (0 = Don't know) or a point id, found '7'"),
        ({"number": "3", "role": "1", "passed_contacts": "3"}, "passed_contacts", "expected 1 (yes) or 2 (no), found '3'"),
        ({"number": "3", "role": "1", "new_mp_contacts": "a few"}, "new_mp_contacts", "expected a whole number, found 'a few'"),
        ({"number": "3", "role": "1", "support_kinds": "1 9"}, "support_kinds", "expected codes 1-5 or choice ids, separated by spaces, commas or semicolons, found '9' in '1 9'"),
        ({"number": "3", "role": "1", "support_kinds": "1 political"}, "support_kinds", "choice 'political' is given twice, in '1 political'"),
        ({"number": "3", "role": "1", "usefulness": "11"}, "usefulness", "expected a whole number 0-10, found '11'"),
        ({"number": "3", "role": "1", "date": "26/01/2011"}, "date", "expected a date as YYYY-MM-DD, found '26/01/2011' (if your spreadsheet changed the dates, format the column as text)"),
        ({"number": "3", "role": "1", "date": "2011-02-30"}, "date", "found '2011-02-30'"),
        ({"number": "3", "role": "1", "language": "fr"}, "language", "expected one of en, nl (or nothing for en), found 'fr'"),
        ({"number": "1", "role": "1"}, "number", "number 1 is also on row 24"),
        ({"number": "", "role": "1"}, "number", "expected the No. written on the paper form, found nothing"),
        ({"number": "No. 3", "role": "1"}, "number", "expected the No. written on the paper form (a whole number from 1), found 'No. 3'"),
    ],
)  # fmt: skip
def test_entry_problem_names_row_and_column_and_nothing_is_stored(
    project: Path, engine: Engine, row: dict[str, str], column: str, message: str
) -> None:
    path = fill(template(project), [{**FULL, "comments": ""}, SHORT, row], project / "filled.csv")
    before = dump(engine.settings.db_path)
    entry = read_entry_csv(engine, path)
    where, problem = entry.items[2]
    assert where == f"{path} row {HEADER_ROW + 3}, column '{column}'"
    assert isinstance(problem, InvalidInput) and message in str(problem)
    result = engine.submit_many(entry.items)
    assert not result.committed and result.stored == 0 and result.rejected_count == 1
    assert result.rejected[0].render() == f"{where}: {problem}"
    assert dump(engine.settings.db_path) == before


def test_entry_row_with_several_problems_lists_each_column(project: Path, engine: Engine) -> None:
    path = fill(
        template(project), [{"number": "x", "role": "0", "usefulness": "-1"}], project / "f.csv"
    )
    where, problem = read_entry_csv(engine, path).items[0]
    assert where == f"{path} row {HEADER_ROW + 1}"
    assert str(problem) == (
        "column 'number': expected the No. written on the paper form (a whole number from 1), "
        "found 'x'; column 'role': expected a code 1-10 or a choice id, found '0'; "
        "column 'usefulness': expected a whole number 0-10, found '-1'"
    )


def test_entry_answers_are_checked_by_the_engine_row_by_row(project: Path, engine: Engine) -> None:
    rows = [{"number": "1", "role": "2", "join_network": "4"}, {"number": "2", "country": "nl"}]
    path = fill(template(project), rows, project / "filled.csv")
    before = dump(engine.settings.db_path)
    result = engine.submit_many(read_entry_csv(engine, path).items)
    assert [r.render() for r in result.rejected] == [
        f"{path} row {HEADER_ROW + 1}: join_network: answered, but hidden by its show_if condition",
        f"{path} row {HEADER_ROW + 2}: role: required question not answered",
    ]
    assert dump(engine.settings.db_path) == before


def test_entry_cells_beyond_the_header_are_a_problem(project: Path, engine: Engine) -> None:
    path = fill(template(project), [{"number": "1", "role": "1"}], project / "filled.csv")
    text = path.read_bytes().decode("utf-8-sig").rstrip("\r\n") + ",,surplus\r\n"
    path.write_bytes(text.encode("utf-8-sig"))
    where, problem = read_entry_csv(engine, path).items[0]
    assert where == f"{path} row {HEADER_ROW + 1}"
    assert str(problem) == "expected 23 cells, found a value in cell 25"


# -- an event without a date -----------------------------------------------------------------------


def test_entry_date_is_required_when_the_event_has_none(project: Path, engine: Engine) -> None:
    engine.store.upsert_event({"id": "undated", "title": "Undated seminar"})
    path = template(project, event="undated")
    legend = [r[0] for r in template_records(path)[:-1]]
    assert "# date: the date the form was filled in, as YYYY-MM-DD (required)" in legend
    filled = fill(
        path,
        [{"number": "1", "role": "1"}, {"number": "2", "role": "1", "date": "2011-02-01"}],
        project / "f.csv",
    )
    entry = read_entry_csv(engine, filled)
    assert entry.items[0][0] == f"{filled} row {HEADER_ROW + 1}, column 'date'"
    assert (
        str(entry.items[0][1])
        == "expected the date the form was filled in (YYYY-MM-DD), found nothing"
    )
    assert entry.items[1][1]["submitted"] == "2011-02-01"  # type: ignore[index]
    without = [
        [c for i, c in enumerate(r) if i != 2] if len(r) > 1 else r
        for r in template_records(filled)
    ]
    save(without, project / "nodate.csv")
    with pytest.raises(
        EntryFileError, match="missing column 'date': the event 'undated' has no date"
    ):
        read_entry_csv(engine, project / "nodate.csv")


# -- problems of the file and its header -------------------------------------------------------------


def save(records: list[list[str]], out: Path) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(records)
    out.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return out


def edited(project: Path, change: str) -> Path:
    """A filled template with one thing changed in its template line or header row."""
    records = template_records(
        fill(template(project), [{"number": "1", "role": "1"}], project / "f.csv")
    )
    header = records[HEADER_ROW - 1]
    if change == "no template line":
        records = records[1:]
    elif change.startswith("template line:"):
        old, new = change.removeprefix("template line:").split(">")
        records[0] = [records[0][0].replace(old, new)]
    elif change.startswith("header:"):
        old, new = change.removeprefix("header:").split(">")
        header[header.index(old)] = new
    elif change.startswith("drop:"):
        index = header.index(change.removeprefix("drop:"))
        records = [[c for i, c in enumerate(r) if i != index] if len(r) > 1 else r for r in records]
    return save(records, project / "edited.csv")


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        ("no template line", HEADER_ROW - 1, "expected the line '# feedback entry template: event=... survey=... version=... form=...' before the header row"),
        ("template line:event=hague-2011>event=hague-2010", 1, "unknown event 'hague-2010'; did you mean 'hague-2011'?"),
        ("template line:version=>version=0", 1, "unknown version '0"),
        ("template line:form=>form=X", 1, "does not belong to event 'hague-2011', survey 'post-seminar'"),
        ("template line: form=>", 1, "the template line lacks form"),
        ("header:role>rol", HEADER_ROW, "unknown column 'rol'; did you mean 'role'?"),
        ("header:country>consent", HEADER_ROW, "unknown column 'consent'; 'consent' is a note, which has no column"),
        ("header:country>rapporteur_role", HEADER_ROW, "a then/now question has two columns, 'rapporteur_role.then' and 'rapporteur_role.now'"),
        ("header:number>No.", HEADER_ROW, "missing column 'number' (the No. written on the paper form)"),
        ("header:country>role", HEADER_ROW, "column 'role' appears twice in the header"),
        ("header:country>", HEADER_ROW, "column 5 has no name"),
        ("drop:rapporteur_role.now", HEADER_ROW, "column 'rapporteur_role.then' is there but 'rapporteur_role.now' is missing"),
    ],
)  # fmt: skip
def test_entry_header_problems_name_file_and_line(
    project: Path, engine: Engine, change: str, line: int, message: str
) -> None:
    path = edited(project, change)
    before = dump(engine.settings.db_path)
    with pytest.raises(EntryFileError) as caught:
        read_entry_csv(engine, path)
    assert isinstance(caught.value, InvalidInput)
    assert f"{path}:{line}: " in str(caught.value)
    assert message in str(caught.value)
    assert dump(engine.settings.db_path) == before


def test_entry_form_code_is_read_in_any_case_and_without_its_dash(
    project: Path, engine: Engine
) -> None:
    code = form_code("hague-2011", SURVEY, engine.survey(SURVEY).version)
    path = edited(project, f"template line:form={code}>form={code.replace('-', '').lower()}")
    assert read_entry_csv(engine, path).form == code


def test_entry_question_columns_may_be_left_out(project: Path, engine: Engine) -> None:
    path = edited(project, "drop:comments")
    entry = read_entry_csv(engine, path)
    assert entry.items[0][1]["answers"] == {"role": "mp"}  # type: ignore[index]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"number,role\r\n\xff\xfe1,1\r\n", ":2: expected UTF-8 text, found byte 0xff"),
        (b"", "expected the line '# feedback entry template:"),
        (
            b'# x\r\n"' + b"x" * 200_000 + b'"\r\n',
            ":2: cannot read the CSV: field larger than field limit",
        ),
        (
            b"# feedback entry template: event=hague-2011 survey=post-seminar\r\n",
            "the template line lacks version, form",
        ),
    ],
)
def test_entry_file_problems(
    project: Path, engine: Engine, content: bytes | None, message: str
) -> None:
    path = project / "broken.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(EntryFileError) as caught:
        read_entry_csv(engine, path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_entry_template_without_rows_reads_as_no_items(project: Path, engine: Engine) -> None:
    entry = read_entry_csv(engine, template(project))
    assert entry.items == [] and entry.rows == 0
