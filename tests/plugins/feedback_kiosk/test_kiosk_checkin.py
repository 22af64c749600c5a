"""Staff check-in at the kiosk (issue 15): behind the PIN, staff find a name (accents and case
forgiven) or scan a pass, mark the person present (attendance source ``checkin``) and undo a
mistake; a pass of another event or an unknown code records nothing, and neither does a locked
database, which the screen says plainly. ``feedback kiosk --checkin`` starts there."""

from __future__ import annotations

import contextlib
import shlex
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import EVENT, dump, query, run
from kiosk_helpers import PIN, FakeClock, idle_for, press, text_of, type_text
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList

import feedback_offline
from feedback.checkin import checkin_link, confirm, issue_passes
from feedback.config import load_settings
from feedback.engine import Engine
from feedback_kiosk.app import KioskApp
from feedback_kiosk.screens.checkin import clock_time

HAGUE = EVENT["id"]
ROSTER = (
    "name,email,organisation,role,country,attended\n"
    "Élodie Martin,elodie@example.fr,Assemblée nationale,mp,FR,no\n"
    "Bo Berg,bo@example.se,Riksdagen,mp,SE,no\n"
    "Bob Bakker,bob@example.nl,Tweede Kamer,mp,NL,no\n"
    "Cas Claes,cas@example.be,Payoke,ngo,BE,yes\n"
    "[i]Mallory[/i],mallory@example.org,[red]Org,ngo,NL,no\n"
)
OTHER = (
    "name,email,organisation,role,country,attended\nOla Nordmann,ola@example.no,Storting,mp,NO,no\n"
)


@pytest.fixture
def engine(project: Path, make_engine: Callable[..., Engine]) -> Engine:
    """The kiosk's engine on a project with a roster of five at the Hague and one at Oslo; a
    writer waits for the database only briefly (as the kiosk's does), so that a locked database
    is said within a moment."""
    (project / "feedback.toml").write_text("busy_timeout = 0.3\n", encoding="utf-8")
    engine = make_engine(feedback_offline)
    (project / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (project / "oslo.csv").write_text(OTHER, encoding="utf-8")
    for args in (
        ("roster", "import", str(project / "roster.csv"), "--event", HAGUE),
        ("event", "add", "oslo-2011", "--title", "Oslo", "--date", "2011-05-02"),
        ("roster", "import", str(project / "oslo.csv"), "--event", "oslo-2011"),
    ):
        result = run(project, *args)
        assert result.exit_code == 0, result.output
    return engine


def person(engine: Engine, email: str) -> int:
    row = engine.store.conn.execute("SELECT id FROM people WHERE email = ?", [email]).fetchone()
    return int(row[0])


def attendance(engine: Engine, email: str, event: str = HAGUE) -> tuple[Any, ...]:
    """(attended, source) of a person at an event, read on a connection of the test's own."""
    rows = query(
        engine.store.path,
        "SELECT a.attended, a.source FROM attendance a JOIN people p ON p.id = a.person"
        f" WHERE p.email = '{email}' AND a.event = '{event}'",
    )
    return rows[0] if rows else ()


@contextlib.contextmanager
def locked(engine: Engine) -> Iterator[Callable[[], None]]:
    """Hold the database's write lock from another connection (``BEGIN IMMEDIATE``) until the
    function given is called (or the block ends)."""
    conn = sqlite3.connect(engine.store.path, isolation_level=None)

    def release() -> None:
        if conn.in_transaction:
            conn.execute("ROLLBACK")

    conn.execute("BEGIN IMMEDIATE")
    try:
        yield release
    finally:
        release()
        conn.close()


def status(app: KioskApp) -> str:
    return text_of(app, "#checkin-status")


def listed(app: KioskApp) -> list[str]:
    matches = app.screen.query_one("#checkin-matches", OptionList)
    return [str(matches.get_option_at_index(i).prompt) for i in range(matches.option_count)]


def field(app: KioskApp) -> Input:
    return app.screen.query_one("#checkin-input", Input)


async def open_checkin(pilot: Pilot) -> None:
    """Ctrl+O, the PIN, then the operator's "Check in" (just before Resume, which has the
    focus), all by keyboard."""
    app = pilot.app
    await press(pilot, "ctrl+o")
    await type_text(pilot, PIN)
    await press(pilot, "enter")
    assert app.screen.id == "operator"
    await press(pilot, "shift+tab")
    assert app.focused is not None and app.focused.id == "checkin"
    await press(pilot, "enter")
    await pilot.pause()
    assert app.screen.id == "checkin"
    assert app.focused is field(app)  # type: ignore[arg-type]


async def scan(pilot: Pilot, text: str) -> None:
    """A QR scanner types like a keyboard: the text, then Enter."""
    await type_text(pilot, text)
    await press(pilot, "enter")


@pytest.mark.asyncio
async def test_staff_find_a_name_without_its_accent_check_in_and_undo(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        assert "present 0 of 5 on the roster" in text_of(app, "#checkin-present")
        assert "Good practice exchange (hague-2011)" in text_of(app, "#checkin-title")
        await type_text(pilot, "elodie")
        assert listed(app) == ["Élodie Martin · Assemblée nationale"]
        await press(pilot, "enter")
        assert status(app) == "Checked in: Élodie Martin"
        assert attendance(engine, "elodie@example.fr") == (1, "checkin")
        assert field(app).value == ""  # ready for the next person
        assert app.focused is field(app)
        assert "present 1 of 5 on the roster" in text_of(app, "#checkin-present")
        assert "Élodie Martin · Assemblée nationale  ✔ checked in" in listed(app)

        await press(pilot, "ctrl+r")
        assert status(app) == "Undone: Élodie Martin is no longer checked in."
        assert attendance(engine, "elodie@example.fr") == (0, "roster")
        assert "present 0 of 5 on the roster" in text_of(app, "#checkin-present")
        assert app.screen.query_one("#checkin-undo", Button).disabled
        await press(pilot, "ctrl+r")
        assert status(app) == "Nothing to undo."
        assert attendance(engine, "elodie@example.fr") == (0, "roster")


@pytest.mark.asyncio
async def test_several_matches_are_chosen_from_the_list_and_a_second_time_says_when(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await type_text(pilot, "BO")  # Bo Berg and Bob Bakker, by name; not by case
        assert listed(app) == ["Bo Berg · Riksdagen", "Bob Bakker · Tweede Kamer"]
        await press(pilot, "enter")  # two match: nobody is checked in, the list takes over
        assert status(app) == "2 matches: choose with the arrows, then Enter."
        assert app.focused is app.screen.query_one("#checkin-matches")
        assert attendance(engine, "bo@example.se") == (0, "roster")
        await press(pilot, "down", "enter")
        assert status(app) == "Checked in: Bob Bakker"
        assert attendance(engine, "bob@example.nl") == (1, "checkin")
        assert attendance(engine, "bo@example.se") == (0, "roster")
        assert app.focused is field(app)

        recorded = query(
            engine.store.path, "SELECT recorded FROM attendance WHERE source = 'checkin'"
        )
        await type_text(pilot, "bakker")
        await press(pilot, "enter")
        assert status(app) == f"Bob Bakker: already checked in at {clock_time(recorded[0][0])}"
        assert app.screen.query_one("#checkin-status").has_class("-already")
        await press(pilot, "ctrl+r")  # undo takes back the first check-in, not the repeat
        assert attendance(engine, "bob@example.nl") == (0, "roster")


@pytest.mark.asyncio
async def test_a_name_confirmed_by_the_signed_sheet_says_so(kiosk, engine):
    confirm(engine, HAGUE, [person(engine, "cas@example.be")], "sheet")
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await type_text(pilot, "payoke")
        assert listed(app) == ["Cas Claes · Payoke  ✔ signed sheet"]
        await press(pilot, "enter")
        assert status(app) == "Cas Claes: already present by the signed sheet"
    assert attendance(engine, "cas@example.be") == (1, "sheet")


@pytest.mark.asyncio
async def test_nobody_matching_checks_nobody_in(kiosk, engine):
    before = dump(engine.store.path)
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await type_text(pilot, "zz")
        assert listed(app) == []
        await press(pilot, "enter")
        assert status(app) == "Nobody on the roster matches “zz”."
        assert field(app).value == "zz"  # to correct
    assert dump(engine.store.path) == before


@pytest.mark.asyncio
async def test_names_are_shown_as_text_never_as_markup(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await type_text(pilot, "mallory")
        assert listed(app) == ["[i]Mallory[/i] · [red]Org"]
        await press(pilot, "enter")
        assert status(app) == "Checked in: [i]Mallory[/i]"
    assert attendance(engine, "mallory@example.org") == (1, "checkin")


@pytest.mark.asyncio
async def test_a_scanned_pass_checks_its_holder_in_at_once(kiosk, engine):
    bo = person(engine, "bo@example.se")
    token = issue_passes(engine, HAGUE, [bo])[0].token
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await scan(pilot, checkin_link("https://feedback.example.org", token))
        assert status(app) == "Checked in: Bo Berg"
        assert attendance(engine, "bo@example.se") == (1, "checkin")
        assert field(app).value == ""
        await scan(pilot, token)  # the bare code, scanned again
        assert status(app).startswith("Bo Berg: already checked in at ")
        assert field(app).value == ""


@pytest.mark.asyncio
async def test_a_pass_of_another_event_is_refused(kiosk, engine):
    ola = person(engine, "ola@example.no")
    token = issue_passes(engine, "oslo-2011", [ola])[0].token
    before = dump(engine.store.path)
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await scan(pilot, checkin_link("https://feedback.example.org", token))
        assert status(app) == (
            "Refused: this pass of Ola Nordmann is for another event (oslo-2011). "
            "Nobody was checked in."
        )
        assert app.screen.query_one("#checkin-status").has_class("-refused")
        assert field(app).value == ""  # the next scan starts clean
        assert "present 0 of 5" in text_of(app, "#checkin-present")
    assert dump(engine.store.path) == before
    assert attendance(engine, "ola@example.no", "oslo-2011") == (0, "roster")


@pytest.mark.asyncio
async def test_an_unknown_code_or_a_broken_link_is_said(kiosk, engine):
    before = dump(engine.store.path)
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await scan(pilot, "B" * 43)
        assert status(app) == "Unknown pass: no pass has this code. Nobody was checked in."
        assert field(app).value == ""
        await scan(pilot, "https://feedback.example.org/c/short")
        assert status(app) == "This is not a pass's code. Nobody was checked in."
    assert dump(engine.store.path) == before


@pytest.mark.asyncio
async def test_a_locked_database_records_nothing_and_says_so(kiosk, engine):
    bo = person(engine, "bo@example.se")
    token = issue_passes(engine, HAGUE, [bo])[0].token
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        with locked(engine) as release:
            before = dump(engine.store.path)  # (a reader is not held back by the writer's lock)
            await type_text(pilot, "elodie")
            await press(pilot, "enter")
            assert status(app).startswith("Not recorded: ")
            assert "database is locked" in status(app)
            assert status(app).endswith("Nobody was checked in.")
            assert app.screen.query_one("#checkin-status").has_class("-error")
            assert field(app).value == "elodie"  # to try again
            assert listed(app) == ["Élodie Martin · Assemblée nationale"]  # no ✔
            assert "present 0 of 5" in text_of(app, "#checkin-present")
            assert app.screen.query_one("#checkin-undo", Button).disabled
            await press(pilot, "ctrl+u")  # (clear the field)
            await scan(pilot, token)
            assert status(app).startswith("Not recorded: ")
            assert dump(engine.store.path) == before

            release()  # the database writes again: the same name now checks in
            await type_text(pilot, "elodie")
            await press(pilot, "enter")
            assert status(app) == "Checked in: Élodie Martin"
    assert attendance(engine, "elodie@example.fr") == (1, "checkin")
    assert attendance(engine, "bo@example.se") == (0, "roster")


@pytest.mark.asyncio
async def test_an_undo_the_locked_database_refuses_leaves_the_check_in(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await type_text(pilot, "elodie")
        await press(pilot, "enter")
        with locked(engine):
            await press(pilot, "ctrl+r")
            assert status(app).startswith("Undo not recorded: ")
            assert status(app).endswith("Élodie Martin is still checked in.")
        assert attendance(engine, "elodie@example.fr") == (1, "checkin")
        await press(pilot, "ctrl+r")  # still there to undo once the database writes again
        assert status(app) == "Undone: Élodie Martin is no longer checked in."
    assert attendance(engine, "elodie@example.fr") == (0, "roster")


@pytest.mark.asyncio
async def test_escape_goes_back_to_the_operator_screen_then_the_survey(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await press(pilot, "escape")
        assert app.screen.id == "operator"
        await press(pilot, "escape")  # Resume
        assert app.screen.id == "attract"
        await open_checkin(pilot)
        await press(pilot, "ctrl+o")  # staff are in already: back to the operator screen
        assert app.screen.id == "operator"


@pytest.mark.asyncio
async def test_a_check_in_screen_left_open_is_closed_like_the_operator_screen(kiosk, engine):
    """Opened from the operator screen, it is a staff screen: left alone, the idle rule closes it
    (the roster's names are not left on show to whoever walks up)."""
    clock = FakeClock()
    app = kiosk(idle_timeout=6.0, idle_warning=3.0, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await idle_for(pilot, clock, 3.5)
        assert app.screen.id == "idle"
        await idle_for(pilot, clock, 3.0)
        assert app.screen.id == "attract"
        assert len(app.screen_stack) == 2


@pytest.mark.asyncio
async def test_the_check_in_screen_fits_80_by_24(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await type_text(pilot, "b")
        screen = app.screen.region
        for selector in (
            "#checkin-title",
            "#checkin-present",
            "#checkin-input",
            "#checkin-status",
            "#checkin-matches",
            "#checkin-undo",
            "#checkin-back",
            "#checkin-hint",
        ):
            region = app.screen.query_one(selector).region
            assert region.height > 0 and screen.contains_region(region), selector
        assert app.screen.query_one("#checkin-matches").region.height >= 8
        # the back button by keyboard too
        await press(pilot, "tab", "tab")  # the list, then Back (Undo: nothing to undo yet)
        assert app.focused is app.screen.query_one("#checkin-back")
        await press(pilot, "enter")
        assert app.screen.id == "operator"


@pytest.mark.asyncio
async def test_a_check_in_kiosk_starts_there_and_leaving_needs_the_pin(kiosk, engine):
    app = kiosk(checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.id == "checkin"
        await type_text(pilot, "elodie")
        await press(pilot, "enter")
        assert status(app) == "Checked in: Élodie Martin"
        await press(pilot, "escape")
        assert app.screen.id == "pin"
        await press(pilot, "escape")  # no PIN: still checking in
        assert app.screen.id == "checkin"
        await press(pilot, "escape")
        await type_text(pilot, PIN)
        await press(pilot, "enter")
        assert app.screen.id == "operator"
        assert not app.screen.query("Button#checkin")  # here: back to the survey instead
        await press(pilot, "escape")  # Resume: check-in again
        assert app.screen.id == "checkin"
        await press(pilot, "escape")
        await type_text(pilot, PIN)
        await press(pilot, "enter", "shift+tab")
        assert app.focused is not None and app.focused.id == "survey"
        await press(pilot, "enter")
        await pilot.pause()
        assert app.screen.id == "attract"
    assert attendance(engine, "elodie@example.fr") == (1, "checkin")


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[KioskApp]:
    """Apps the command starts; instead of running, each is recorded."""
    apps: list[KioskApp] = []

    def fake_run(self: KioskApp, *args: Any, **kwargs: Any) -> None:
        apps.append(self)

    monkeypatch.setattr(KioskApp, "run", fake_run)
    return apps


def test_the_command_starts_in_check_in_with_checkin(project, engine, started, monkeypatch):
    monkeypatch.setenv("FEEDBACK_KIOSK_PIN", PIN)
    result = run(project, "kiosk", "--checkin")
    assert result.exit_code == 0, result.output
    assert [app.options.checkin for app in started] == [True]
    assert started[0].options.locked

    result = run(project, "kiosk", "--checkin", "--data-entry")
    assert result.exit_code == 2
    assert "--checkin and --data-entry" in result.output
    assert len(started) == 1
    assert "--checkin" in run(project, "kiosk", "--help").output


def test_the_whole_check_in_kiosk_in_a_real_terminal(tmp_path: Path) -> None:
    """`feedback kiosk --checkin` run whole by tmux at 80x24: a name typed, a pass scanned (the
    scanner types the link and Enter), then the PIN to leave; the rows are in feedback.db."""
    from test_tmux import Terminal, _feedback, _tmux, terminal_with, wait_for_file

    tmux = _tmux()
    feedback = _feedback()
    project = tmp_path / "project"
    project.mkdir()
    (project / "roster.csv").write_text(ROSTER, encoding="utf-8")
    for args in (
        ("event", "add", HAGUE, "--title", str(EVENT["title"]), "--date", "2011-01-26"),
        ("roster", "import", str(project / "roster.csv"), "--event", HAGUE),
    ):
        subprocess.run(
            [feedback, "--project", str(project), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )
    with Engine(settings=load_settings(project)) as opened:
        token = issue_passes(opened, HAGUE, [person(opened, "bo@example.se")])[0].token
    status_file = tmp_path / "kiosk-status"
    q = shlex.quote
    with terminal_with(tmux) as terminal:
        assert isinstance(terminal, Terminal)
        terminal.start(
            f"cd {q(str(project))} && FEEDBACK_KIOSK_PIN={PIN} "
            f"{q(feedback)} --project {q(str(project))} kiosk --event {HAGUE} --checkin; "
            f"echo $? > {q(str(status_file))}; sleep 300"
        )
        terminal.wait_for("Check-in · Good practice exchange", "present 0 of 5 on the roster")
        terminal.keys("elodie", literal=True)
        terminal.wait_for("Élodie Martin · Assemblée nationale")
        terminal.keys("Enter")
        terminal.wait_for("Checked in: Élodie Martin", "present 1 of 5 on the roster")
        terminal.keys(checkin_link("https://feedback.example.org", token), literal=True)
        terminal.keys("Enter")
        terminal.wait_for("Checked in: Bo Berg", "present 2 of 5 on the roster")

        terminal.keys("Escape")  # leaving needs the PIN
        terminal.wait_for("Staff PIN")
        terminal.keys(PIN, literal=True)
        terminal.wait_for("••••")
        terminal.keys("Enter")
        terminal.wait_for("Kiosk operator", "Survey", "Resume")
        for _ in range(3):  # Resume has the focus; then Switch event, Retry spool, Exit kiosk
            terminal.press_and_wait_for_change("Tab", where="Retry spool")
        terminal.press_button("Enter")
        assert wait_for_file(status_file) == "0"
    rows = query(
        project / "feedback.db",
        "SELECT p.email, a.attended, a.source FROM attendance a JOIN people p ON p.id = a.person"
        " WHERE a.source = 'checkin' ORDER BY p.email",
    )
    assert rows == [("bo@example.se", 1, "checkin"), ("elodie@example.fr", 1, "checkin")]
