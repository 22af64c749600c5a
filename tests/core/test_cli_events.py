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
        (["--country", "Netherlands"], "--country", "Netherlands"),
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


def test_title_is_required(tmp_path: Path) -> None:
    result = run(tmp_path, "event", "add", "hague-2011")
    assert result.exit_code == 2
    assert "--title" in result.output


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
