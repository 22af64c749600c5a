"""Issue 12, item 1: a participant is thanked only once their answer is durably whole.

On a nearly full disk the kiosk spool's write used to be short (the return of ``os.write`` was not
checked): the participant was thanked, and the replay then skipped the torn line without a word and
deleted the spool. Here the disk is really full: a child process runs under a file-size limit
(``RLIMIT_FSIZE`` just above the spool's size, ``SIGXFSZ`` ignored), so a write past it is short and
the next one fails with ``EFBIG``, for the spool and for SQLite's WAL alike. And a line torn by hand
at the end of a spool must be moved aside to ``<spool>.refused`` and reported, never deleted.
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import textual._wait
from helpers import EVENT, make_response
from textual.widgets import Static

from feedback.engine import Engine
from feedback.responses import Response
from feedback_kiosk.app import KioskApp, KioskOptions, make_app
from feedback_kiosk.spool import Spool, SpoolError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "feedback_kiosk"))
from kiosk_helpers import press, wait_for

KIOSK_TESTS = Path(__file__).resolve().parents[1] / "plugins" / "feedback_kiosk"

ROOM = 40  # bytes left on the "disk": less than any spool line, far less than a WAL frame


@pytest.fixture(autouse=True)
def _quick_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.002, raising=False)


def response(**changes: Any) -> Response:
    return Response.model_validate(make_response("post-seminar", {"role": "mp"}, **changes))


def full_disk(limit: int) -> Callable[[], None]:
    """For a child process: files may not grow past ``limit`` bytes, and a write past it fails
    with EFBIG instead of killing the process."""

    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_files


def run_child(script: str, *args: str, limit: int, cwd: Path) -> dict[str, Any]:
    """Run ``script`` in a child process on a disk with room up to ``limit``; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        preexec_fn=full_disk(limit),
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the spool on a full disk ----------------------------------------------------------------------

APPEND = """
import json, os, sys
from pathlib import Path
from feedback.responses import Response
from feedback_kiosk import spool as spool_module

writes = []
real_write = os.write

def write(fd, data):
    try:
        n = real_write(fd, data)
    except OSError as exc:
        writes.append([len(data), exc.errno])
        raise
    writes.append([len(data), n])
    return n

os.write = write
response = Response.model_validate(json.loads(sys.argv[2]))
try:
    spool_module.Spool(Path(sys.argv[1])).append(response)
    outcome = "kept"
except spool_module.SpoolError as exc:
    outcome = "SpoolError: " + str(exc)
print(json.dumps({"outcome": outcome, "writes": writes}))
"""


@pytest.mark.parametrize("room", [ROOM, 0], ids=["short-write", "no-room"])
def test_a_full_disk_leaves_the_spool_as_it_was_and_says_so(tmp_path: Path, room: int) -> None:
    spool = Spool(tmp_path / "kiosk.spool")
    first = response()
    spool.append(first)
    before = spool.path.read_bytes()
    late = response(answers={"role": "ngo"})
    line = len(json.dumps(late.record(), ensure_ascii=False, sort_keys=True)) + 1

    child = run_child(
        APPEND,
        str(spool.path),
        json.dumps(late.record()),
        limit=len(before) + room,
        cwd=tmp_path,
    )

    assert child["outcome"].startswith("SpoolError: ")
    assert "File too large" in child["outcome"]
    if room:  # the disk took part of the line, then no more: the short write was carried on
        assert child["writes"][0] == [line, room]
        assert child["writes"][1][1] == 27  # EFBIG
    assert spool.path.read_bytes() == before  # truncated back: no torn line left behind
    assert [json.loads(x)["id"] for x in before.decode().splitlines()] == [str(first.id)]


# -- the kiosk on a full disk: the database and the spool both refuse ------------------------------

KIOSK = """
import asyncio, json, sys
from pathlib import Path

project, spool, event, helpers = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
sys.path.insert(0, helpers)
import feedback_formats
from textual.widgets import Static
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.plugins import make_plugin_manager
from feedback_kiosk.app import KioskOptions, make_app
from kiosk_helpers import go_to, press, submit, wait_for


def text(app):
    return "\\n".join(str(w.render()) for w in app.screen.query(Static))


async def main():
    pm = make_plugin_manager(entrypoints=False, plugins=[feedback_formats])
    engine = Engine(settings=load_settings(project, busy_timeout=0.2), pm=pm)
    options = KioskOptions(
        event=event, survey=engine.survey("post-seminar"), locked=False, idle_timeout=600.0,
        thank_you_seconds=600.0, retry_seconds=600.0, spool=spool,
    )
    app = make_app(engine, options)
    out = {}
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "2")
        await submit(pilot)
        await wait_for(pilot, lambda: app.screen.id in ("thanks", "not-saved"))
        await pilot.pause()
        out.update(
            screen=app.screen.id,
            text=text(app),
            submitted=app.submitted,
            running=app.is_running and app.return_code is None,
        )
        await press(pilot, "ctrl+o")
        await wait_for(pilot, lambda: app.screen.id == "operator")
        out["operator"] = text(app)
        out["still_running"] = app.is_running and app.return_code is None
    engine.close()
    print(json.dumps(out))


asyncio.run(main())
"""


def test_on_a_full_disk_the_participant_is_not_thanked_and_nothing_is_lost(
    project: Path, engine: Engine
) -> None:
    spool = Spool(project / "kiosk.spool")
    earlier = response()  # spooled at an earlier lock, still waiting
    spool.append(earlier)
    before = spool.path.read_bytes()

    child = run_child(
        KIOSK,
        str(project),
        str(spool.path),
        EVENT["id"],
        str(KIOSK_TESTS),
        limit=len(before) + ROOM,
        cwd=project,
    )

    assert child["screen"] == "not-saved", child
    assert "Sorry: your answers could not be saved." in child["text"]
    assert "Please ask a member of staff for help." in child["text"]
    assert "Thank you" not in child["text"]
    assert child["submitted"] == []
    assert child["running"] and child["still_running"]
    assert "NOT SAVED" in child["operator"]
    assert "File too large" in child["operator"]  # the cause, for staff
    assert list(engine.store.iter_responses()) == []
    assert spool.path.read_bytes() == before  # the earlier response is whole, nothing torn

    result = spool.replay(engine)  # with room again: the earlier response is stored
    assert (result.stored, result.refused, result.remaining) == (1, 0, 0)
    assert [row["id"] for row in engine.store.iter_responses()] == [str(earlier.id)]
    assert not spool.refused_path.exists()


# -- torn lines are set aside and reported, never deleted ------------------------------------------


def tear(spool: Spool, fragment: str = '{"id": "5c0ffee0", "answers": {"ro') -> None:
    """A line cut short by a power cut before its fsync, written by hand at the end."""
    with spool.path.open("a", encoding="utf-8") as handle:
        handle.write(fragment)


def test_a_torn_line_is_moved_to_refused_and_the_good_lines_are_stored(
    engine: Engine, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "kiosk.spool")
    spool.refused_path.write_text('{"_refused": "from an earlier day"}\n')  # kept, not replaced
    before, after = response(), response(answers={"role": "ngo"})
    spool.append(before)
    tear(spool, '{"id": "5c0ffee0", "answers": {"role": "p\u00f6')
    spool.append(after)  # appended after the torn line: a line of its own, not glued to it
    assert spool.pending() == 3

    result = spool.replay(engine)

    assert (result.stored, result.refused, result.unreadable, result.remaining) == (2, 1, 1, 0)
    stored = sorted(row["id"] for row in engine.store.iter_responses())
    assert stored == sorted([str(before.id), str(after.id)])
    earlier, torn = [json.loads(x) for x in spool.refused_path.read_text().splitlines()]
    assert earlier == {"_refused": "from an earlier day"}
    assert torn["_line"] == '{"id": "5c0ffee0", "answers": {"role": "p\u00f6'
    assert f"{spool.path}: line 2 cannot be read" in torn["_refused"]
    assert not spool.path.exists()  # emptied only once the torn line was safe elsewhere
    assert spool.refused() == 2


def test_a_line_torn_in_the_middle_of_a_character_is_kept_byte_for_byte(
    engine: Engine, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "kiosk.spool")
    good = response()
    spool.append(good)
    with spool.path.open("ab") as handle:
        handle.write('{"answers": "caf\u00e9'.encode()[:-1])  # half of the é
    result = spool.replay(engine)
    assert (result.stored, result.unreadable) == (1, 1)
    [torn] = [json.loads(x) for x in spool.refused_path.read_text().splitlines()]
    assert torn["_line"] == '{"answers": "caf\\xc3'


def test_when_refused_cannot_be_written_the_spool_keeps_every_line(
    engine: Engine, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "kiosk.spool")
    good = response()
    spool.append(good)
    tear(spool)
    before = spool.path.read_bytes()
    spool.refused_path.mkdir()  # .refused cannot be written: a folder holds its name
    with pytest.raises(SpoolError, match="cannot replay the spool"):
        spool.replay(engine)
    assert spool.path.read_bytes() == before  # nothing deleted; the good one is stored already
    assert [row["id"] for row in engine.store.iter_responses()] == [str(good.id)]


@pytest.mark.asyncio
async def test_the_kiosk_reports_torn_lines_to_staff(project: Path, engine: Engine) -> None:
    spool = Spool(project / "kiosk.spool")
    spool.append(response())
    tear(spool)
    options = KioskOptions(
        event=EVENT["id"],
        survey=engine.survey("post-seminar"),
        locked=False,
        idle_timeout=600.0,
        thank_you_seconds=600.0,
        retry_seconds=600.0,
        spool=spool.path,
    )
    app: KioskApp = make_app(engine, options)
    async with app.run_test(size=(100, 40)) as pilot:  # the start replays the spool
        assert len(list(engine.store.iter_responses())) == 1
        await press(pilot, "ctrl+o")
        await wait_for(pilot, lambda: app.screen.id == "operator")
        figures = str(app.screen.query_one("#operator-figures", Static).render())
        assert "Set aside for review (unreadable or refused): 1" in figures
        assert str(spool.refused_path) in figures
        assert "Waiting in the spool (database not writable): 0" in figures
    assert spool.refused() == 1
