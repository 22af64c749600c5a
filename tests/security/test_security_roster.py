"""Issue 12, item 11: control characters and over-long values in roster fields, and printing them.

Every roster column refuses control characters (C0, DEL, C1), line and paragraph separators,
bidirectional overrides and over-long values, naming the row and the column, exit 2, nothing
stored. Data stored before these checks (an older database) prints inert in ``roster list``,
``event list``, ``feedback invite`` and ``feedback invitations``: escape sequences shown as
``\\x1b``, Rich markup as written.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "feedback_email"))

from email_helpers import EVENT, Server, build_project
from helpers import dump, run

from feedback.store import Store

COLUMNS = ["name", "email", "role", "country", "organisation", "attended", "language"]
GOOD = ["Anna de Vries", "anna@example.org", "mp", "NL", "Tweede Kamer", "yes", "nl"]

#: (column, value, what the error says)
HOSTILE = [
    ("name", "Jo\x00Smith", "a NUL character (U+0000)"),
    ("name", "\x1b[2JJo Smith", "an escape character (U+001B)"),
    ("name", "\x1b]0;owned\x07Jo", "an escape character (U+001B)"),
    ("name", "Jo\r\nSmith", "a carriage return (U+000D)"),
    ("name", "Jo\nSmith", "a line feed (U+000A)"),
    ("name", "Jo\tSmith", "a tab (U+0009)"),
    ("name", "Jo\x7fSmith", "a DEL character (U+007F)"),
    ("name", "Jo\x9b2JSmith", "a control sequence introducer (U+009B)"),
    ("name", "Jo\x85Smith", "a next-line character (U+0085)"),
    ("name", "Jo\u2028Smith", "a line separator (U+2028)"),
    ("name", "Jo\u2029Smith", "a paragraph separator (U+2029)"),
    ("name", "Jo \u202eevil.exe", "a bidirectional text control (U+202E)"),
    ("name", "Jo \u2066Smith\u2069", "a bidirectional text control (U+2066)"),
    ("name", "J" * 5000, "expected at most 200 characters, found 5,000"),
    ("name", "J" * 201, "expected at most 200 characters, found 201"),
    ("email", "jo@example.org\r\nBcc: x@evil.org", "a carriage return (U+000D)"),
    ("email", "jo\x1b[2J@example.org", "an escape character (U+001B)"),
    ("email", "=?utf-8?q?jo?=@example.org", "email header syntax"),
    ("email", "j" * 250 + "@example.org", "expected at most 254 characters"),
    ("role", "mp\x00", "a NUL character (U+0000)"),
    ("role", "m" * 201, "expected at most 200 characters"),
    ("country", "N\x1bL", "an escape character (U+001B)"),
    ("organisation", "Tweede\x1b[31mKamer", "an escape character (U+001B)"),
    ("organisation", "Kamer\u202e", "a bidirectional text control (U+202E)"),
    ("organisation", "O" * 201, "expected at most 200 characters, found 201"),
    ("organisation", "Kamer =?utf-8?b?DQpCY2M6IHg=?=", "email header syntax"),
    ("language", "nl\x07", "a control character (U+0007)"),
    ("attended", "yes\x00", "a NUL character (U+0000)"),
]


def roster_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerows([COLUMNS, *rows])
    return out.getvalue()


@pytest.mark.parametrize(
    ("column", "value", "message"), HOSTILE, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(HOSTILE)]
)
def test_every_column_refuses_control_characters_and_long_values(
    event_project: Path, column: str, value: str, message: str
) -> None:
    first = event_project / "first.csv"
    first.write_text(roster_csv([GOOD]), encoding="utf-8", newline="")
    assert run(event_project, "roster", "import", str(first), "--event", EVENT).exit_code == 0
    before = dump(event_project / "feedback.db")
    row = ["Bob Smith", "bob@example.org", "ngo", "GB", "La Strada", "yes", "en"]
    row[COLUMNS.index(column)] = value
    file = event_project / "roster.csv"
    file.write_text(roster_csv([GOOD, row]), encoding="utf-8", newline="")

    result = run(event_project, "roster", "import", str(file), "--event", EVENT)

    assert result.exit_code == 2, result.output
    assert f"roster.csv:3 column '{column}': " in result.output
    assert message in result.output
    assert dump(event_project / "feedback.db") == before
    # the error itself prints the value inert
    assert "\x1b" not in result.output and "\x00" not in result.output


def test_a_line_break_in_a_quoted_cell_names_the_line_the_row_starts_on(
    event_project: Path,
) -> None:
    file = event_project / "roster.csv"
    file.write_text(
        roster_csv([GOOD, ["Jo\nSmith", "jo@example.org", "", "", "", "yes", ""]]),
        encoding="utf-8",
        newline="",
    )
    result = run(event_project, "roster", "import", str(file), "--event", EVENT)
    assert result.exit_code == 2
    assert "roster.csv:3 column 'name': expected plain text, found a line feed (U+000A)" in (
        result.output
    )


#: What an older database may hold, and how it must print.
ESCAPES = "\x1b]0;owned\x07\x1b[2J"
STORED_NAME = f"{ESCAPES}Mallory [bold red]Evil[/] :smile:"
SHOWN_NAME = "\\x1b]0;owned\\x07\\x1b[2JMallory [bold red]Evil[/] :smile:"


def inert(output: str) -> None:
    assert "\x1b]0;owned" not in output and "\x1b[2J" not in output and "\x07" not in output


@pytest.fixture
def smtp() -> Iterator[Server]:
    with Server() as server:
        yield server


@pytest.fixture
def older(project: Path, smtp: Server) -> Path:
    """The email project, with people and an event title that predate the checks."""
    build_project(project, smtp.port)
    with Store(project / "feedback.db") as store, store.write():
        store.conn.execute(
            "UPDATE events SET title = ?, city = ? WHERE id = ?",
            [f"{ESCAPES}Seminar [link=http://evil.org]x[/link]", f"Hague{ESCAPES}", EVENT],
        )
        for email in (None, "mallory@example.org"):
            person = store.save_person(
                {"name": STORED_NAME, "email": email, "organisation": f"Org{ESCAPES}"}
            )
            store.set_attendance(person, EVENT, invited=True, attended=True)
    return project


def test_roster_list_prints_stored_escape_sequences_inert(older: Path) -> None:
    result = run(older, "roster", "list", "--event", EVENT)
    assert result.exit_code == 0, result.output
    inert(result.output)
    assert SHOWN_NAME in result.output
    assert "Org\\x1b]0;owned\\x07\\x1b[2J" in result.output


def test_event_list_prints_stored_escape_sequences_inert(older: Path) -> None:
    result = run(older, "event", "list")
    assert result.exit_code == 0, result.output
    inert(result.output)
    assert "\\x1b]0;owned\\x07\\x1b[2JSeminar [link=http://evil.org]x[/link]" in result.output


def test_invite_and_invitations_print_stored_escape_sequences_inert(
    older: Path, smtp: Server
) -> None:
    smtp.handler.refuse["mallory@example.org"] = "550 5.1.1 no such user"

    result = run(older, "invite", "--event", EVENT)

    assert result.exit_code == 1, result.output  # Mallory's address was refused
    inert(result.output)
    assert f"  {SHOWN_NAME} <mallory@example.org>: recipient refused" in result.output
    assert "Not invited, no email address (add one to the roster):" in result.output
    assert f"  {SHOWN_NAME}\n" in result.output

    status = run(older, "invitations", "--event", EVENT)
    assert status.exit_code == 0, status.output
    inert(status.output)
    assert "\\x1b]0;owned\\x07\\x1b[2JMallory" in status.output


def test_event_add_on_an_event_stored_with_a_bad_city_says_what_to_give(older: Path) -> None:
    before = dump(older / "feedback.db")
    result = run(older, "event", "add", EVENT, "--title", "Good practice exchange")
    assert result.exit_code == 2, result.output
    assert f"the stored city of event {EVENT} is not valid" in result.output
    assert "give --city to replace it" in result.output
    assert dump(older / "feedback.db") == before
    fixed = run(
        older, "event", "add", EVENT, "--title", "Good practice exchange", "--city", "Hague"
    )
    assert fixed.exit_code == 0, fixed.output
