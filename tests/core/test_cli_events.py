"""``feedback event add`` and ``feedback event list`` on real SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import dump, run

HAGUE = ["hague-2011", "--title", "Good practice exchange", "--date", "2011-01-26"]
HAGUE_PLACE = ["--city", "The Hague", "--country", "NL"]


def events(project: Path, *args: str) -> list[dict]:
    result = run(project, "event", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_add_then_list_shows_the_event(tmp_path: Path) -> None:
    added = run(tmp_path, "event", "add", *HAGUE, *HAGUE_PLACE)
    assert added.exit_code == 0, added.output
    assert "added event hague-2011: Good practice exchange" in added.output
    assert (tmp_path / "feedback.db").is_file()

    table = run(tmp_path, "event", "list")
    assert table.exit_code == 0
    assert "Good practice exchange" in table.output
    assert "The Hague" in table.output

    assert events(tmp_path) == [
        {
            "id": "hague-2011",
            "title": "Good practice exchange",
            "date": "2011-01-26",
            "city": "The Hague",
            "country": "NL",
            "programme": None,
            "open_link": False,
            "attended": 0,
            "responses": 0,
        }
    ]


def test_country_is_stored_upper_case_and_text_trimmed(tmp_path: Path) -> None:
    result = run(tmp_path, "event", "add", "riga-2012", "--title", "  Riga  ", "--country", "lv")
    assert result.exit_code == 0, result.output
    [event] = events(tmp_path)
    assert event["country"] == "LV"
    assert event["title"] == "Riga"


def test_list_without_events_says_how_to_add_one(tmp_path: Path) -> None:
    result = run(tmp_path, "event", "list")
    assert result.exit_code == 0
    assert "no events yet" in result.output
    assert "feedback event add" in result.output
    assert events(tmp_path) == []


def test_list_is_ordered_by_date(tmp_path: Path) -> None:
    run(tmp_path, "event", "add", "riga-2012", "--title", "Riga", "--date", "2012-05-10")
    run(tmp_path, "event", "add", *HAGUE)
    run(tmp_path, "event", "add", "oslo-2013", "--title", "Oslo", "--date", "2013-02-01")
    assert [e["id"] for e in events(tmp_path)] == ["hague-2011", "riga-2012", "oslo-2013"]


def test_add_again_updates_rather_than_duplicates(tmp_path: Path) -> None:
    assert run(tmp_path, "event", "add", *HAGUE, *HAGUE_PLACE).exit_code == 0
    result = run(tmp_path, "event", "add", "hague-2011", "--title", "Renamed", "--city", "Leiden")
    assert result.exit_code == 0, result.output
    assert "updated event hague-2011: Renamed" in result.output
    [event] = events(tmp_path)
    assert event["title"] == "Renamed"
    assert event["city"] == "Leiden"
    # options not given keep their stored value
    assert event["date"] == "2011-01-26"
    assert event["country"] == "NL"


@pytest.mark.parametrize(
    ("args", "option", "found"),
    [
        (["--date", "2011-13-26"], "--date", "2011-13-26"),
        (["--date", "26/01/2011"], "--date", "26/01/2011"),
        (["--country", "NLD"], "--country", "NLD"),
        (["--country", "Neverland"], "--country", "Neverland"),
        (["--country", "XX"], "--country", "unknown country 'XX'"),
        (["--title", "   "], "--title", ""),
        (["--title", "Hague\x1b[2J"], "--title", "an escape character (U+001B)"),
        (["--title", "T" * 301], "--title", "expected at most 300 characters, found 301"),
        (["--city", "The\nHague"], "--city", "a line feed (U+000A)"),
    ],
)
def test_invalid_option_exits_2_naming_it_and_changes_nothing(
    tmp_path: Path, args: list[str], option: str, found: str
) -> None:
    assert run(tmp_path, "event", "add", *HAGUE, *HAGUE_PLACE).exit_code == 0
    before = dump(tmp_path / "feedback.db")

    result = run(tmp_path, "event", "add", "hague-2011", "--title", "Changed", *args)

    assert result.exit_code == 2
    assert f"{option}:" in result.output
    assert found in result.output
    assert "Traceback" not in result.output
    assert dump(tmp_path / "feedback.db") == before
    assert events(tmp_path)[0]["title"] == "Good practice exchange"


def test_every_invalid_option_is_reported_at_once(tmp_path: Path) -> None:
    result = run(
        tmp_path, "event", "add", "hague-2011", "--title", "T", "--date", "2011-02-30",
        "--country", "N1",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--date:" in result.output
    assert "--country:" in result.output


def test_invalid_id_names_the_argument(tmp_path: Path) -> None:
    result = run(tmp_path, "event", "add", "Hague 2011", "--title", "T")
    assert result.exit_code == 2
    assert "ID:" in result.output
    assert "'Hague 2011'" in result.output


def test_invalid_input_on_a_new_project_creates_no_database(tmp_path: Path) -> None:
    result = run(tmp_path, "event", "add", "hague-2011", "--title", "T", "--date", "tomorrow")
    assert result.exit_code == 2
    assert not (tmp_path / "feedback.db").exists()


def test_title_is_required_for_a_new_event(tmp_path: Path) -> None:
    result = run(tmp_path, "event", "add", "hague-2011", "--city", "The Hague")
    assert result.exit_code == 2
    assert "--title: event 'hague-2011' is new: give its title with --title" in result.output
    assert not (tmp_path / "feedback.db").exists()


def test_title_is_not_required_to_update_an_event(tmp_path: Path) -> None:
    assert run(tmp_path, "event", "add", *HAGUE).exit_code == 0
    result = run(tmp_path, "event", "add", "hague-2011", "--city", "The Hague")
    assert result.exit_code == 0, result.output
    assert "updated event hague-2011: Good practice exchange" in result.output
    result = run(tmp_path, "event", "add", "hague-2011", "--country", "Nederland", "--open-link")
    assert result.exit_code == 0, result.output
    [event] = events(tmp_path)
    assert (event["title"], event["date"], event["city"], event["country"], event["open_link"]) == (
        "Good practice exchange",
        "2011-01-26",
        "The Hague",
        "NL",
        True,
    )


def test_a_new_event_without_title_suggests_a_stored_one(tmp_path: Path) -> None:
    assert run(tmp_path, "event", "add", *HAGUE).exit_code == 0
    before = dump(tmp_path / "feedback.db")
    result = run(tmp_path, "event", "add", "hague-2012", "--city", "Leiden")
    assert result.exit_code == 2
    assert "did you mean 'hague-2011'?" in result.output
    assert dump(tmp_path / "feedback.db") == before


@pytest.mark.parametrize(
    ("written", "code"),
    [("UK", "GB"), ("EL", "GR"), ("Griekenland", "GR"), ("the Netherlands", "NL")],
)
def test_country_goes_through_the_country_mapping(tmp_path: Path, written: str, code: str) -> None:
    result = run(tmp_path, "event", "add", "athens-2012", "--title", "A", "--country", written)
    assert result.exit_code == 0, result.output
    assert events(tmp_path)[0]["country"] == code


def test_country_aliases_of_the_project_apply_to_events(tmp_path: Path) -> None:
    (tmp_path / "feedback.toml").write_text('[programme.country_aliases]\n"Fryslân" = "NL"\n')
    result = run(tmp_path, "event", "add", "ljouwert", "--title", "L", "--country", "Fryslan")
    assert result.exit_code == 0, result.output
    assert events(tmp_path)[0]["country"] == "NL"


def test_an_unknown_country_suggests_the_closest(tmp_path: Path) -> None:
    result = run(tmp_path, "event", "add", "x", "--title", "X", "--country", "Grece")
    assert result.exit_code == 2
    assert "--country: unknown country 'Grece'" in result.output
    assert "did you mean 'GR' (Greece)?" in result.output
    assert not (tmp_path / "feedback.db").exists()


# -- what enters an event's responses: channels and dates -------------------------------------


def _answers(path: Path, **changes: str) -> Path:
    record = {
        "id": "00000000-0000-4000-8000-000000000001",
        "survey": "post-seminar",
        "event": "hague-2011",
        "channel": "paper",
        "language": "en",
        "submitted": "2011-01-27",
        "answers": {"role": "mp"},
    }
    path.write_text(json.dumps(record | changes) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"channel": "papper"}, "channel: unknown channel 'papper' (known: "),
        ({"channel": "papper"}, "did you mean 'paper'?"),
        ({"channel": "fax"}, "paper"),
        (
            {"submitted": "2011-02-01"},
            "submitted: 2011-02-01 is after today (2011-01-31): expected the date the answers "
            "were given",
        ),
    ],
)
def test_a_response_from_an_unknown_channel_or_after_today_is_refused(
    event_project: Path, monkeypatch: pytest.MonkeyPatch, changes: dict[str, str], expected: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1296432000")  # 2011-01-31
    before = dump(event_project / "feedback.db")
    file = _answers(event_project / "answers.jsonl", **changes)
    result = run(event_project, "responses", "import", str(file))
    assert result.exit_code == 2
    assert "answers.jsonl: line 1: " in result.output
    assert expected in result.output
    assert "1 of 1 file had problems" in result.output
    assert dump(event_project / "feedback.db") == before
    # the same response, from a known channel on a past date, is stored
    good = _answers(event_project / "good.jsonl", submitted="2011-01-31")
    result = run(event_project, "responses", "import", str(good))
    assert result.exit_code == 0, result.output


def test_db_option_uses_another_file(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "other.db"
    other.parent.mkdir()
    result = run(tmp_path, "event", "add", *HAGUE, "--db", str(other))
    assert result.exit_code == 0, result.output

    assert other.is_file()
    assert [e["id"] for e in events(tmp_path, "--db", str(other))] == ["hague-2011"]
    # the project's own database does not have it
    assert events(tmp_path) == []


def test_list_counts_attendees_and_responses(tmp_path: Path) -> None:
    run(tmp_path, "event", "add", *HAGUE)
    run(tmp_path, "event", "add", "riga-2012", "--title", "Riga", "--date", "2012-05-10")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,email,attended\nAnna,anna@example.org,yes\nBob,bob@example.org,no\n"
        "Carla,carla@example.org,yes\n",
        encoding="utf-8",
    )
    assert run(tmp_path, "roster", "import", str(roster), "--event", "hague-2011").exit_code == 0
    answers = tmp_path / "answers.jsonl"
    answers.write_text(
        "".join(
            json.dumps(
                {
                    "survey": "post-seminar",
                    "event": "hague-2011",
                    "channel": "paper",
                    "language": "en",
                    "submitted": "2011-01-27",
                    "answers": {"role": role},
                    "id": f"00000000-0000-4000-8000-00000000000{n}",
                }
            )
            + "\n"
            for n, role in enumerate(["mp", "ngo"])
        ),
        encoding="utf-8",
    )
    assert run(tmp_path, "responses", "import", str(answers)).exit_code == 0

    counts = {e["id"]: (e["attended"], e["responses"]) for e in events(tmp_path)}
    assert counts == {"hague-2011": (2, 2), "riga-2012": (0, 0)}


def test_counts_of_one_response_agree_in_number(event_project: Path) -> None:
    file = _answers(event_project / "answers.jsonl")
    assert run(event_project, "responses", "import", str(file)).exit_code == 0
    changed = _answers(event_project / "changed.jsonl", language="nl")
    result = run(event_project, "responses", "import", str(changed))
    assert result.exit_code == 2
    assert "1 read, 0 stored, 0 already present, 1 conflict\n" in result.output
    assert "1 of 1 file had problems" in result.output
    out = event_project / "out.csv"
    result = run(event_project, "responses", "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote 1 response to {out}" in result.output
