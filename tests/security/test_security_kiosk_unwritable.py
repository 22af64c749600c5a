"""Issue 12, items 2 and 5: the kiosk when nothing can be written, and a spool that never drained.

Item 2: with the database and the spool both unwritable the kiosk used to crash, with a traceback
showing the participant's answers and the shell behind it. It must stay up, tell the participant
plainly (in their language) that the answers could not be saved and to ask staff, hold the answers
in memory until staff retry or discard them, and show staff the cause on the operator screen.

Item 5: a kiosk started while its database file was read-only kept its read-only connection for
life, so nothing spooled was stored until a restart. Each retry after a failure must use a fresh
connection.

The files are made unwritable for real, also for root (the tests run as root, where ``chmod``
stops nothing): ``chattr +i`` makes a file or folder immutable, so SQLite opens the database
read-only, exactly as it does a file its user may not write, and no file can be made in the spool's
folder. Where ``chattr`` is not available, the database is replaced by a folder and the spool's
folder by a file, which nobody can write either.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import textual._wait
from helpers import EVENT, pm_with_formats, unavailable
from textual.pilot import Pilot
from textual.widgets import Static

from feedback.config import load_settings
from feedback.engine import Engine
from feedback_kiosk.app import KioskApp, KioskOptions, make_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "feedback_kiosk"))
from kiosk_helpers import go_to, press, rows, submit, wait_for

pytestmark = pytest.mark.asyncio


@pytest.fixture(autouse=True)
def _quick_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.002, raising=False)


class Immutable:
    """Make files and folders unwritable even for root (``chattr +i``); all undone at the end."""

    def __init__(self) -> None:
        self.made: list[Path] = []

    def __call__(self, path: Path) -> None:
        if shutil.which("chattr") is None:
            unavailable("chattr is not available (apt-get install e2fsprogs)")
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            unavailable(f"chattr +i does not work here: {done.stderr.strip()}")
        self.made.append(path)

    def undo(self, path: Path) -> None:
        subprocess.run(["chattr", "-i", str(path)], check=True)
        self.made.remove(path)


@pytest.fixture
def immutable() -> Iterator[Immutable]:
    made = Immutable()
    yield made
    for path in list(made.made):
        made.undo(path)


@pytest.fixture
def kiosk_engine(project: Path, engine: Engine, close_after: Any) -> Any:
    """Open the kiosk's own engine later, as the CLI does: after the test has made the files
    unwritable. (The ``engine`` fixture made the database, with the event, and keeps it open.)"""

    def open_() -> Engine:
        settings = load_settings(project, busy_timeout=0.2)
        kiosk = close_after(Engine(settings=settings, pm=pm_with_formats()))
        kiosk.store  # noqa: B018 - the connection is opened now, while the file is as it is
        return kiosk

    return open_


def kiosk_app(engine: Engine, spool: Path) -> KioskApp:
    """An unlocked kiosk (Ctrl+O opens the operator screen, no PIN) with far-off timers."""
    options = KioskOptions(
        event=EVENT["id"],
        survey=engine.survey("post-seminar"),
        locked=False,
        idle_timeout=600.0,
        thank_you_seconds=600.0,
        retry_seconds=600.0,
        spool=spool,
    )
    return make_app(engine, options)


def screen_text(app: KioskApp) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


def running(app: KioskApp) -> bool:
    return app.is_running and app.return_code is None


async def answer_and_submit(pilot: Pilot, language_key: str = "1") -> None:
    """Choose a language on the attract screen, answer "NGO" to the role, and submit."""
    await press(pilot, language_key)
    await go_to(pilot, "q:role")
    await press(pilot, "2")
    await submit(pilot)


async def operator(pilot: Pilot) -> str:
    app = pilot.app
    assert isinstance(app, KioskApp)
    await press(pilot, "ctrl+o")
    await wait_for(pilot, lambda: app.screen.id == "operator")
    await pilot.pause()
    return screen_text(app)


# -- item 2: nothing can be written ----------------------------------------------------------------


async def test_nothing_writable_tells_the_participant_and_staff_and_keeps_running(
    project: Path, engine: Engine, kiosk_engine: Any, immutable: Immutable
) -> None:
    spool_folder = project / "spool"
    spool_folder.mkdir()
    immutable(engine.settings.db_path)
    immutable(spool_folder)
    app = kiosk_app(kiosk_engine(), spool_folder / "kiosk.spool")
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_and_submit(pilot, "2")  # in Dutch
        await wait_for(pilot, lambda: app.screen.id == "not-saved")
        said = screen_text(app)
        assert "Sorry: uw antwoorden konden niet worden opgeslagen." in said
        assert "Vraag een medewerker om hulp." in said
        assert "ngo" not in said.lower() and "Traceback" not in said  # no answers, no code
        assert running(app)
        assert app.submitted == [] and app.unsaved is not None  # held for staff, in memory only

        await press(pilot, "enter", "1", "space", "escape", "tab", "enter")  # a participant's keys
        assert app.screen.id == "not-saved" and running(app)

        figures = await operator(pilot)
        assert "NOT SAVED (held in memory until saved or discarded): 1" in figures
        assert "attempt to write a readonly database" in figures  # the causes, for staff
        assert "Operation not permitted" in figures
        await press(pilot, "escape")
        assert app.screen.id == "not-saved"

        immutable.undo(engine.settings.db_path)  # staff free the disk ...
        immutable.undo(spool_folder)
        await operator(pilot)
        await pilot.click("#retry")  # ... and retry: a fresh connection can write now
        await wait_for(pilot, lambda: app.screen.id == "thanks")
        assert "De volgende deelnemer kan zo beginnen." in screen_text(app)
        assert app.unsaved is None and app.problem is None
        assert running(app)
    [row] = rows(engine)
    assert (row["answers"], row["language"]) == ({"role": "ngo"}, "nl")
    assert not (spool_folder / "kiosk.spool").exists()


async def test_staff_can_discard_what_cannot_be_saved_and_the_kiosk_goes_on(
    project: Path, engine: Engine, close_after: Any
) -> None:
    """Without chattr: a folder where the database should be, a file where the spool's folder
    should be. Retrying changes nothing; discarding forgets the answers; the kiosk carries on."""
    blocked = project / "blocked"
    blocked.write_text("a file where the spool's folder should be")
    (project / "nodb").mkdir()
    settings = load_settings(project, db=Path("nodb"), busy_timeout=0.2)
    nothing = close_after(Engine(settings=settings, pm=pm_with_formats()))
    app = kiosk_app(nothing, blocked / "kiosk.spool")
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_and_submit(pilot)
        await wait_for(pilot, lambda: app.screen.id == "not-saved")
        assert "Sorry: your answers could not be saved." in screen_text(app)
        assert "Please ask a member of staff for help." in screen_text(app)

        figures = await operator(pilot)
        assert "unable to open database file" in figures
        assert "Not a directory" in figures
        await pilot.click("#retry")
        await wait_for(pilot, lambda: app.screen.id == "not-saved")
        assert app.unsaved is not None and running(app)

        await operator(pilot)
        await pilot.click("#discard")
        await wait_for(pilot, lambda: app.screen.id == "attract")
        assert app.unsaved is None and app.submitted == []
        assert "NOT SAVED" not in await operator(pilot)
        await press(pilot, "escape")
        await press(pilot, "enter")  # the next participant can begin
        assert app.session is not None and running(app)
    assert rows(engine) == []


# -- item 5: the spool drains once the file is writable, without a restart -------------------------


async def test_a_kiosk_started_on_a_read_only_database_drains_its_spool_once_writable(
    project: Path, engine: Engine, kiosk_engine: Any, immutable: Immutable
) -> None:
    immutable(engine.settings.db_path)
    kiosk = kiosk_engine()  # SQLite opens the file read-only, and that connection stays so
    app = kiosk_app(kiosk, project / "kiosk.spool")
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_and_submit(pilot)
        await wait_for(pilot, lambda: app.screen.id == "thanks")  # safe in the spool: thanked
        assert app.spool.pending() == 1 and rows(engine) == []
        app.replay_spool()  # still read-only: kept
        assert app.spool.pending() == 1

        immutable.undo(engine.settings.db_path)
        app.replay_spool()  # the next retry, as the timer or staff make it
        assert app.spool.pending() == 0
        assert running(app)
    [row] = rows(engine)
    assert row["answers"] == {"role": "ngo"}


async def test_a_spool_left_from_before_drains_after_the_start_on_a_read_only_file(
    project: Path, engine: Engine, kiosk_engine: Any, immutable: Immutable
) -> None:
    """The start's replay fails on the read-only file; a later one, with a fresh connection, stores."""
    from helpers import make_response

    from feedback.responses import Response
    from feedback_kiosk.spool import Spool

    spool = Spool(project / "kiosk.spool")
    waiting = Response.model_validate(make_response("post-seminar", {"role": "mp"}))
    spool.append(waiting)
    immutable(engine.settings.db_path)
    app = kiosk_app(kiosk_engine(), spool.path)
    async with app.run_test(size=(100, 40)):
        assert spool.pending() == 1  # the replay at the start could not store it
        immutable.undo(engine.settings.db_path)
        app.replay_spool()
        assert spool.pending() == 0
    assert [row["id"] for row in rows(engine)] == [str(waiting.id)]
