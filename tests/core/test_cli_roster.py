"""``feedback roster import`` and ``feedback roster list`` on real SQLite files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import dump, query, run

HEADER = "name,email,role,country,organisation,attended\n"
ROSTER = (
    HEADER
    + "Anna de Vries,anna@example.org,MP,nl,Tweede Kamer,yes\n"
    + "Bob Smith,bob@example.org,ngo,GB,La Strada,no\n"
    + "Carla Rossi,carla@example.org,national rapporteur,it,,yes\n"
)


def people(db: Path) -> list[tuple]:
    return query(db, "SELECT name, email FROM people ORDER BY email")


def roster(project: Path, event: str = "hague-2011", *args: str) -> list[dict]:
    result = run(project, "roster", "list", "--event", event, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def project(event_project: Path) -> Path:
    """A project with the event ``hague-2011`` in its database (the shared ``event_project``)."""
    return event_project


def test_import_then_list(project: Path) -> None:
    file = write(project / "roster.csv", ROSTER)
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    assert "3 people for hague-2011: 3 added, 0 updated, 2 attended" in result.output

    rows = {r["email"]: r for r in roster(project)}
    assert set(rows) == {"anna@example.org", "bob@example.org", "carla@example.org"}
    anna = rows["anna@example.org"]
    assert (anna["name"], anna["role"], anna["country"], anna["organisation"]) == (
        "Anna de Vries",
        "mp",
        "NL",
        "Tweede Kamer",
    )
    assert anna["attended"] == 1
    assert rows["bob@example.org"]["attended"] == 0
    assert rows["carla@example.org"]["role"] == "national_rapporteur"
    assert rows["carla@example.org"]["organisation"] is None

    table = run(project, "roster", "list", "--event", "hague-2011")
    assert table.exit_code == 0
    assert "Anna de Vries" in table.output
    assert "3 people, 2 attended" in table.output


def test_reimport_updates_people_and_attendance_without_duplicates(project: Path) -> None:
    file = write(project / "roster.csv", ROSTER)
    assert run(project, "roster", "import", str(file), "--event", "hague-2011").exit_code == 0

    changed = write(
        project / "roster2.csv",
        HEADER
        + "Anna de Vries-Bakker,ANNA@example.org,mp,NL,Tweede Kamer,no\n"
        + "Bob Smith,bob@example.org,ngo,GB,La Strada,yes\n"
        + "Carla Rossi,carla@example.org,national_rapporteur,IT,,yes\n"
        + "Dan Novak,dan@example.org,mp,SI,,yes\n",
    )
    result = run(project, "roster", "import", str(changed), "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    assert "1 added, 3 updated, 3 attended" in result.output

    assert len(people(project / "feedback.db")) == 4
    rows = {r["email"].lower(): r for r in roster(project)}
    assert rows["anna@example.org"]["name"] == "Anna de Vries-Bakker"
    assert rows["anna@example.org"]["attended"] == 0
    assert rows["bob@example.org"]["attended"] == 1
    assert "4 people, 3 attended" in run(project, "roster", "list", "--event", "hague-2011").output


def test_same_person_at_two_events_is_one_person(project: Path) -> None:
    run(project, "event", "add", "riga-2012", "--title", "Riga")
    file = write(project / "roster.csv", ROSTER)
    assert run(project, "roster", "import", str(file), "--event", "hague-2011").exit_code == 0
    riga = write(project / "riga.csv", "name,email,attended\nAnna de Vries,anna@example.org,no\n")
    result = run(project, "roster", "import", str(riga), "--event", "riga-2012")
    assert result.exit_code == 0, result.output
    assert "0 added, 1 updated" in result.output

    assert len(people(project / "feedback.db")) == 3
    assert [r["email"] for r in roster(project, "riga-2012")] == ["anna@example.org"]
    assert roster(project, "riga-2012")[0]["attended"] == 0
    # her attendance at the first event is untouched
    hague = {r["email"]: r["attended"] for r in roster(project)}
    assert hague["anna@example.org"] == 1


def test_semicolon_csv_with_bom_from_european_excel(project: Path) -> None:
    text = (
        "\ufeffName;Email;Role;Country;Organisation;Attended\r\n"
        'Jürgen Müller;jurgen@example.org;MP;DE;"Bundestag; Ausschuss";ja\r\n'
        "Åsa Öberg;asa@example.org;ngo;SE;;nee\r\n"
    )
    file = write(project / "excel.csv", text)
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    rows = {r["email"]: r for r in roster(project)}
    assert rows["jurgen@example.org"]["name"] == "Jürgen Müller"
    assert rows["jurgen@example.org"]["organisation"] == "Bundestag; Ausschuss"
    assert rows["jurgen@example.org"]["attended"] == 1
    assert rows["asa@example.org"]["name"] == "Åsa Öberg"
    assert rows["asa@example.org"]["attended"] == 0


def test_tab_separated_and_quoted_comma(project: Path) -> None:
    tsv = write(project / "r.tsv", "name\temail\tattended\nJ. Doe\tj@example.org\ty\n")
    assert run(project, "roster", "import", str(tsv), "--event", "hague-2011").exit_code == 0
    quoted = write(project / "q.csv", 'name,email,attended\n"Doe, Jane",jane@example.org,x\n')
    assert run(project, "roster", "import", str(quoted), "--event", "hague-2011").exit_code == 0
    assert {r["name"] for r in roster(project)} == {"J. Doe", "Doe, Jane"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_doubled_quotes_in_a_quoted_cell_are_one_quote(project: Path, delimiter: str) -> None:
    """As every spreadsheet writes a quote inside a quoted cell, header quoted or not."""
    header = delimiter.join(['"name"', "email", "attended"])
    row = delimiter.join(['"Brian ""Bob"" O\'Neill"', "bob@example.org", "yes"])
    file = write(project / "roster.csv", f"{header}\n{row}\n")
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    assert [r["name"] for r in roster(project)] == ['Brian "Bob" O\'Neill']


def test_roster_list_prints_stored_markup_and_escapes_as_written(project: Path) -> None:
    """A name stored before the checks (an older database) prints inert."""
    file = write(project / "roster.csv", ROSTER)
    assert run(project, "roster", "import", str(file), "--event", "hague-2011").exit_code == 0
    conn = sqlite3.connect(project / "feedback.db")
    with conn:
        conn.execute(
            "UPDATE people SET name = ? WHERE email = 'anna@example.org'",
            ["\x1b[31m[bold]Anna[/bold] :smile:"],
        )
    conn.close()
    result = run(project, "roster", "list", "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    assert "\\x1b[31m[bold]Anna[/bold] :smile:" in result.output
    assert "\x1b[31m" not in result.output


BAD_FILES = {
    "bad email": (
        HEADER + "Anna,anna@example.org,mp,NL,,yes\nBob,bob(at)example.org,ngo,GB,,no\n",
        ["roster.csv:3 column 'email': expected an email address, found 'bob(at)example.org'"],
    ),
    "bad attended": (
        HEADER + "Anna,anna@example.org,mp,NL,,maybe\n",
        ["roster.csv:2 column 'attended': expected yes or no, found 'maybe'"],
    ),
    "bad country": (
        HEADER + "Anna,anna@example.org,mp,Netherlandz,,yes\n",
        [
            "roster.csv:2 column 'country': unknown country 'Netherlandz': expected an ISO 3166 "
            "two-letter code",
            "did you mean 'NL' (Netherlands)?",
        ],
    ),
    "country code that is no country": (
        HEADER + "Anna,anna@example.org,mp,XX,,yes\n",
        ["roster.csv:2 column 'country': unknown country 'XX'", "did you mean 'XK' (Kosovo)"],
    ),
    "unknown role": (
        HEADER + "Anna,anna@example.org,Member of Parlement,NL,,yes\n",
        [
            "roster.csv:2 column 'role': unknown role 'Member of Parlement': expected one of mp, "
            "ngo, national_rapporteur",
            "did you mean 'mp' ('Member of Parliament')?",
        ],
    ),
    "empty name": (
        HEADER + ",anna@example.org,mp,NL,,yes\n",
        ["roster.csv:2 column 'name': expected a name, found ''"],
    ),
    "unknown column": (
        "name,email,organization,attended\nAnna,anna@example.org,Parliament,yes\n",
        ["roster.csv:1: unknown column 'organization'", "did you mean 'organisation'?"],
    ),
    "missing column": (
        "name,email,role\nAnna,anna@example.org,mp\n",
        ["roster.csv:1: missing column 'attended'"],
    ),
    "duplicate column": (
        "name,email,email,attended\nAnna,anna@example.org,anna@example.org,yes\n",
        ["roster.csv:1: column 'email' appears twice in the header"],
    ),
    "unnamed column": (
        "name;email;attended;;\nAnna;anna@example.org;yes;;\n",
        ["roster.csv:1: column 4 has no name", "roster.csv:1: column 5 has no name"],
    ),
    "duplicate email": (
        HEADER + "Anna,anna@example.org,mp,NL,,yes\nBob,bob@example.org,ngo,GB,,no\n"
        "Anna again,Anna@Example.org,mp,NL,,yes\n",
        ["roster.csv:4 column 'email': 'Anna@Example.org' is also on line 2"],
    ),
    "wrong cell count": (
        HEADER + "Anna,anna@example.org,mp,NL,yes\nBob,bob@example.org,ngo,GB,,no,extra\n",
        ["roster.csv:2: expected 6 cells, found 5", "roster.csv:3: expected 6 cells, found 7"],
    ),
    "header only": (HEADER, ["roster.csv: no participants"]),
    "empty file": ("\n", ["roster.csv: empty file: expected a header row"]),
}


@pytest.mark.parametrize(("text", "expected"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_is_refused_naming_line_and_column(
    project: Path, text: str, expected: list[str]
) -> None:
    good = write(project / "good.csv", ROSTER)
    assert run(project, "roster", "import", str(good), "--event", "hague-2011").exit_code == 0
    before = dump(project / "feedback.db")

    file = write(project / "roster.csv", text)
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for fragment in expected:
        assert fragment in result.output
    assert dump(project / "feedback.db") == before


def test_every_problem_is_reported_and_nothing_is_stored(project: Path) -> None:
    before = dump(project / "feedback.db")
    file = write(
        project / "roster.csv",
        HEADER
        + "Anna,anna@example.org,mp,NL,,yes\n"
        + "Bob,not-an-email,ngo,GB,,no\n"
        + "Carla,carla@example.org,mp,IT,,perhaps\n"
        + "Dan,dan@example.org,mp,SI,,yes\n",
    )
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")
    assert result.exit_code == 2
    assert "roster.csv:3 column 'email'" in result.output
    assert "roster.csv:4 column 'attended'" in result.output
    assert dump(project / "feedback.db") == before
    assert roster(project) == []


def test_failed_reimport_leaves_earlier_data_as_it_was(project: Path) -> None:
    file = write(project / "roster.csv", ROSTER)
    assert run(project, "roster", "import", str(file), "--event", "hague-2011").exit_code == 0
    before = dump(project / "feedback.db")

    changed = write(
        project / "changed.csv",
        HEADER
        + "Anna Renamed,anna@example.org,mp,NL,,no\n"
        + "Bob Smith,bob@example.org,ngo,GB,La Strada,sometimes\n",
    )
    result = run(project, "roster", "import", str(changed), "--event", "hague-2011")
    assert result.exit_code == 2
    assert dump(project / "feedback.db") == before
    anna = next(r for r in roster(project) if r["email"] == "anna@example.org")
    assert (anna["name"], anna["attended"]) == ("Anna de Vries", 1)


def test_not_utf8_names_the_line(project: Path) -> None:
    before = dump(project / "feedback.db")
    file = write(project / "roster.csv", HEADER + "José,jose@example.org,mp,ES,,yes\n", "cp1252")
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")
    assert result.exit_code == 2
    assert "roster.csv:2: expected UTF-8 text, found byte 0xe9" in result.output
    assert dump(project / "feedback.db") == before


def test_missing_file(project: Path) -> None:
    result = run(project, "roster", "import", str(project / "nope.csv"), "--event", "hague-2011")
    assert result.exit_code == 2
    assert "nope.csv: no such file" in result.output


def test_unknown_event_is_refused_with_a_suggestion(project: Path) -> None:
    before = dump(project / "feedback.db")
    file = write(project / "roster.csv", ROSTER)
    result = run(project, "roster", "import", str(file), "--event", "hague-2012")
    assert result.exit_code == 2
    assert "unknown event 'hague-2012'" in result.output
    assert "did you mean 'hague-2011'?" in result.output
    assert dump(project / "feedback.db") == before

    listed = run(project, "roster", "list", "--event", "hague-2012")
    assert listed.exit_code == 2
    assert "unknown event 'hague-2012'" in listed.output


def test_db_option_uses_another_file(project: Path) -> None:
    other = project / "other.db"
    db = ["--db", str(other)]
    before = dump(project / "feedback.db")
    assert run(project, "event", "add", "riga-2012", "--title", "Riga", *db).exit_code == 0
    file = write(project / "roster.csv", ROSTER)

    result = run(project, "roster", "import", str(file), "--event", "riga-2012", *db)
    assert result.exit_code == 0, result.output

    assert len(roster(project, "riga-2012", *db)) == 3
    assert len(people(other)) == 3
    assert dump(project / "feedback.db") == before
    # the project's database has no such event
    assert run(project, "roster", "list", "--event", "riga-2012").exit_code == 2


def test_language_column_is_kept_and_a_later_roster_without_it_keeps_it(project: Path) -> None:
    with_language = (
        "name,email,attended,language\n"
        "Anna de Vries,anna@example.org,yes,NL\n"
        "Bob Smith,bob@example.org,yes,\n"
    )
    assert (
        run(
            project,
            "roster",
            "import",
            str(write(project / "a.csv", with_language)),
            "--event",
            "hague-2011",
        ).exit_code
        == 0
    )
    db = project / "feedback.db"
    languages = "SELECT email, language FROM people ORDER BY email"
    assert query(db, languages) == [("anna@example.org", "nl"), ("bob@example.org", None)]
    without = "name,email,attended\nAnna de Vries,anna@example.org,yes\n"
    assert (
        run(
            project,
            "roster",
            "import",
            str(write(project / "b.csv", without)),
            "--event",
            "hague-2011",
        ).exit_code
        == 0
    )
    assert query(db, languages)[0] == ("anna@example.org", "nl")


def test_a_bad_language_names_line_and_column(project: Path) -> None:
    bad = "name,email,attended,language\nAnna de Vries,anna@example.org,yes,Dutch!\n"
    before = dump(project / "feedback.db")
    result = run(
        project, "roster", "import", str(write(project / "c.csv", bad)), "--event", "hague-2011"
    )
    assert result.exit_code == 2
    assert "c.csv:2 column 'language'" in result.output
    assert "a language code such as en or nl" in result.output
    assert dump(project / "feedback.db") == before


# -- issue 13: the whole file through the csv module ------------------------------------------


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        ('name,email,organisation,attended\n"Smith, ""Jo""",jo@example.org,"A, B",yes\n', "A, B"),
        (
            '\ufeffname;email;organisation;attended\r\n"Smith, ""Jo""";jo@example.org;"A; B";ja\r\n',
            "A; B",
        ),
        (
            '\ufeff"name";"email";"organisation";"attended"\r\n'
            '"Smith, ""Jo""";"jo@example.org";"Kamer ""West""";"ja"\r\n',
            'Kamer "West"',
        ),
        (
            # Excel's first line naming the separator
            'sep=;\r\nname;email;organisation;attended\r\n"Smith, ""Jo""";jo@example.org;A,B;ja\r\n',
            "A,B",
        ),
        (
            # a header whose quoted cells hold the other separator
            '"name","email","organisation","attended"\n"Smith, ""Jo""","jo@example.org","x;y",1\n',
            "x;y",
        ),
        (
            # a blank line above the header, as an export with a title row removed leaves it
            '\ufeff\r\nname;email;organisation;attended\r\n"Smith, ""Jo""";jo@example.org;C;ja\r\n',
            "C",
        ),
    ],
    ids=["comma", "semicolon-bom", "all-quoted", "sep-line", "quoted-header", "blank-first"],
)
def test_quoted_cells_with_separators_and_doubled_quotes_are_kept(
    project: Path, text: str, organisation: str
) -> None:
    file = write(project / "roster.csv", text)
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    [row] = roster(project)
    assert (row["name"], row["organisation"], row["attended"]) == ('Smith, "Jo"', organisation, 1)


def test_a_sep_line_counts_in_the_line_numbers(project: Path) -> None:
    text = "sep=;\nname;email;attended\nJo;jo@example.org;perhaps\n"
    result = run(
        project, "roster", "import", str(write(project / "r.csv", text)), "--event", "hague-2011"
    )
    assert result.exit_code == 2
    assert "r.csv:3 column 'attended'" in result.output


# -- issue 13: roles and countries through the programme's vocabulary ----------------------------

VOCABULARY = (
    HEADER
    + "Anna de Vries,anna@example.org,Member of Parliament,the Netherlands,,yes\n"
    + "Bob Smith,bob@example.org,MPs,UK,,yes\n"
    + "Kostas Pappas,kostas@example.org,Kamerlid,EL,,yes\n"
    + "Jan Jansen,jan@example.org,Lid van een nationaal parlement of regionale "
    "volksvertegenwoordiging,Duitsland,,yes\n"
    + "Carla Rossi,carla@example.org,National Rapporteur,Italië,,yes\n"
    + "Dora Novak,dora@example.org,Non-governmental organisation (NGO),si,,yes\n"
)


def test_roles_and_countries_are_stored_as_the_programme_s_ids(project: Path) -> None:
    file = write(project / "roster.csv", VOCABULARY)
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    stored = {r["email"].split("@")[0]: (r["role"], r["country"]) for r in roster(project)}
    assert stored == {
        "anna": ("mp", "NL"),
        "bob": ("mp", "GB"),
        "kostas": ("mp", "GR"),
        "jan": ("mp", "DE"),
        "carla": ("national_rapporteur", "IT"),
        "dora": ("ngo", "SI"),
    }


def test_an_mp_written_out_counts_in_reach(project: Path) -> None:
    (project / "feedback.toml").write_text("[programme.targets]\nmp = 10\ncountries = 5\n")
    file = write(project / "roster.csv", VOCABULARY)
    assert run(project, "roster", "import", str(file), "--event", "hague-2011").exit_code == 0
    result = run(project, "score", "--event", "hague-2011", "--json")
    assert result.exit_code == 0, result.output
    [reach] = [s for s in json.loads(result.stdout) if s["scorer"] == "reach"]
    assert (reach["n"], reach["k"]) == (6, 4)  # four MPs from four countries
    assert "4 parliamentarians from 4 countries" in reach["summary"]


@pytest.mark.parametrize(
    ("cell", "column", "expected"),
    [
        ("Member of Parlement", "role", "did you mean 'mp' ('Member of Parliament')?"),
        ("journalist", "role", "expected one of mp, ngo, national_rapporteur"),
        ("XX", "country", "did you mean 'XK' (Kosovo)"),
        ("Nederlnd", "country", "did you mean 'NL' (Netherlands)?"),
    ],
)
def test_an_unknown_role_or_country_names_row_column_and_value_and_stores_nothing(
    project: Path, cell: str, column: str, expected: str
) -> None:
    before = dump(project / "feedback.db")
    row = {"role": f"{cell},NL", "country": f"mp,{cell}"}[column]
    text = HEADER + "Anna,anna@example.org,mp,NL,,yes\n" + f"Bob,bob@example.org,{row},,no\n"
    result = run(
        project, "roster", "import", str(write(project / "r.csv", text)), "--event", "hague-2011"
    )
    assert result.exit_code == 2
    assert f"r.csv:3 column '{column}': unknown {column} '{cell}'" in result.output
    assert expected in result.output
    assert dump(project / "feedback.db") == before


def test_role_and_country_aliases_of_the_project(project: Path) -> None:
    (project / "feedback.toml").write_text(
        '[programme.role_aliases]\n"Deputy" = "mp"\n"Hoofd ngo" = "ngo"\n\n'
        '[programme.country_aliases]\n"Nederlân" = "NL"\n'
    )
    text = (
        HEADER
        + "Anna,anna@example.org,deputy,Nederlân,,yes\n"
        + "Bob,bob@example.org,HOOFD NGO,NL,,yes\n"
    )
    result = run(
        project, "roster", "import", str(write(project / "r.csv", text)), "--event", "hague-2011"
    )
    assert result.exit_code == 0, result.output
    assert {(r["role"], r["country"]) for r in roster(project)} == {("mp", "NL"), ("ngo", "NL")}


def test_an_alias_to_a_role_the_programme_lacks_is_refused(project: Path) -> None:
    (project / "feedback.toml").write_text('[programme.role_aliases]\n"Deputy" = "mps"\n')
    before = dump(project / "feedback.db")
    text = HEADER + "Anna,anna@example.org,deputy,NL,,yes\n"
    result = run(
        project, "roster", "import", str(write(project / "r.csv", text)), "--event", "hague-2011"
    )
    assert result.exit_code == 2
    assert "feedback.toml: [programme.role_aliases] 'Deputy' = 'mps': no role 'mps'" in (
        result.output
    )
    assert "did you mean 'mp'?" in result.output
    assert dump(project / "feedback.db") == before


def test_the_programme_s_roles_replace_the_survey_s(project: Path) -> None:
    (project / "feedback.toml").write_text('[programme]\nroles = ["mp", "ngo", "press"]\n')
    good = HEADER + "Anna,anna@example.org,Press,NL,,yes\nBob,bob@example.org,MP,NL,,yes\n"
    result = run(
        project, "roster", "import", str(write(project / "a.csv", good)), "--event", "hague-2011"
    )
    assert result.exit_code == 0, result.output
    bad = HEADER + "Carla,carla@example.org,researcher,IT,,yes\n"
    result = run(
        project, "roster", "import", str(write(project / "b.csv", bad)), "--event", "hague-2011"
    )
    assert result.exit_code == 2
    assert "unknown role 'researcher': expected one of mp, ngo, press" in result.output


# -- issue 13: nobody attends an event before it takes place -------------------------------------


def test_attended_an_event_after_today_is_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1295481600")  # 2011-01-20, before the event
    before = dump(project / "feedback.db")
    file = write(project / "roster.csv", ROSTER)
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")
    assert result.exit_code == 2
    assert (
        "roster.csv:2 column 'attended': attended 'yes', but the event is on 2011-01-26 and "
        "today is 2011-01-20" in result.output
    )
    assert "roster.csv:4 column 'attended'" in result.output
    assert "roster.csv:3" not in result.output  # Bob did not attend: nothing wrong
    assert dump(project / "feedback.db") == before

    invited = write(project / "invited.csv", ROSTER.replace(",yes\n", ",no\n"))
    result = run(project, "roster", "import", str(invited), "--event", "hague-2011")
    assert result.exit_code == 0, result.output

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1296043200")  # 2011-01-26 12:00, the day itself
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")
    assert result.exit_code == 0, result.output


# -- issue 13: counts agree in number -------------------------------------------------------------


def test_one_person_is_a_person(project: Path) -> None:
    file = write(project / "one.csv", "name,email,attended\nJo,jo@example.org,yes\n")
    result = run(project, "roster", "import", str(file), "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    assert "1 person for hague-2011: 1 added" in result.output
    listed = run(project, "roster", "list", "--event", "hague-2011")
    assert "1 person, 1 attended" in listed.output
