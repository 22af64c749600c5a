"""Nothing is lost when the database cannot be written: the response goes to the spool, the
participant is thanked all the same, and the spool is stored later, once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import make_response, pm_with_formats
from kiosk_helpers import PIN, go_to, press, rows, submit, type_text

from feedback.config import load_settings
from feedback.engine import Engine
from feedback.errors import StoreError
from feedback.responses import Response
from feedback_kiosk import spool as spool_module
from feedback_kiosk.spool import Spool


@pytest.fixture
def impatient(project: Path, engine: Engine, close_after) -> Engine:
    """An engine on the same database that waits only 0.2 s for a lock, as the kiosk's does."""
    quick = close_after(
        Engine(settings=load_settings(project, busy_timeout=0.2), pm=pm_with_formats())
    )
    assert quick.store.count_responses() == 0  # opened before anyone locks the file
    return quick


@pytest.fixture
def write_lock(engine: Engine) -> Iterator[sqlite3.Connection]:
    """Another program holding the database's write lock until the test rolls it back."""
    conn = sqlite3.connect(engine.settings.db_path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


async def answer_and_submit(pilot) -> None:
    await press(pilot, "enter")
    await go_to(pilot, "q:role")
    await press(pilot, "2", "enter")
    await submit(pilot)


# -- the kiosk on a database it cannot write -------------------------------------------------------


@pytest.mark.asyncio
async def test_a_locked_database_spools_the_response_and_replay_stores_it_once(
    kiosk, engine, impatient, write_lock
):
    app = kiosk(on=impatient)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_and_submit(pilot)
        assert app.screen.id == "thanks"  # the participant is thanked all the same
        assert rows(engine) == []
        [record] = [json.loads(line) for line in app.spool.path.read_text().splitlines()]
        assert record["answers"] == {"role": "ngo"}
        assert record["channel"] == "kiosk"
        assert app.spooled == 1

        app.replay_spool()  # still locked: kept
        assert app.spool.pending() == 1
        write_lock.execute("ROLLBACK")
        app.replay_spool()
        app.replay_spool()
    [row] = rows(engine)
    assert row["id"] == record["id"]
    assert row["answers"] == {"role": "ngo"}
    assert not app.spool.path.exists()


@pytest.mark.asyncio
async def test_a_replay_under_a_lock_does_not_freeze_the_kiosk(
    kiosk, engine, impatient, write_lock
):
    """While the database stays locked, a retry gives up at once instead of waiting for it.

    Once the answer is spooled, the engine is told to wait 20 s for a lock; the replay must not
    wait for that: it gives up within a quarter of it, however loaded the machine (no tight
    timing bound to trip over)."""
    import time

    app = kiosk(on=impatient)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_and_submit(pilot)
        assert app.spool.pending() == 1
        impatient.settings.busy_timeout = 20.0  # for every connection opened from now on
        impatient.store.conn.execute("PRAGMA busy_timeout = 20000")  # and the open one
        started = time.monotonic()
        app.replay_spool()
        assert time.monotonic() - started < 5.0  # not the 20 s busy timeout
        assert app.spool.pending() == 1


@pytest.mark.asyncio
async def test_any_refusal_at_submit_still_keeps_the_answers(kiosk, engine, monkeypatch):
    """An error the participant cannot fix (here: the event removed meanwhile) loses nothing."""
    from feedback.errors import UnknownEvent

    app = kiosk()

    def refuse(response: Any, **options: Any) -> str:
        raise UnknownEvent("unknown event 'hague-2011'")

    monkeypatch.setattr(engine, "submit", refuse)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_and_submit(pilot)
        assert app.screen.id == "thanks"
        [record] = [json.loads(line) for line in app.spool.path.read_text().splitlines()]
        assert record["answers"] == {"role": "ngo"}


@pytest.mark.asyncio
async def test_the_next_start_of_the_kiosk_stores_what_waits_in_the_spool(
    kiosk, engine, impatient, write_lock
):
    first = kiosk(on=impatient)
    async with first.run_test(size=(80, 24)) as pilot:
        await answer_and_submit(pilot)
    assert first.spool.pending() == 1
    write_lock.execute("ROLLBACK")
    second = kiosk(on=impatient)
    async with second.run_test(size=(80, 24)):
        assert len(rows(engine)) == 1
        assert second.spool.pending() == 0
    assert len(rows(engine)) == 1


@pytest.mark.asyncio
async def test_retry_spool_on_the_operator_screen_stores_it(kiosk, engine, impatient, write_lock):
    app = kiosk(on=impatient)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_and_submit(pilot)
        write_lock.execute("ROLLBACK")
        await press(pilot, "ctrl+o")
        await type_text(pilot, PIN)
        await press(pilot, "enter")
        assert "Waiting in the spool (database not writable): 1 response" in str(
            app.screen.query_one("#operator-figures").render()
        )
        await pilot.click("#retry")
        await pilot.pause()
        assert app.screen.id == "thanks"
    assert len(rows(engine)) == 1
    assert app.spool.pending() == 0


# -- the spool on its own --------------------------------------------------------------------------


def response(**changes: Any) -> Response:
    return Response.model_validate(make_response("post-seminar", {"role": "mp"}, **changes))


def test_append_writes_a_line_and_syncs_it_to_disk(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = spool_module.os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(spool_module.os, "fsync", fsync)
    spool = Spool(tmp_path / "feedback.db.spool")
    assert spool.pending() == 0
    first, second = response(), response(language="nl")
    spool.append(first)
    assert len(synced) == 2  # the line, and the folder that now holds a new file
    spool.append(second)
    assert len(synced) == 3
    assert spool.pending() == 2
    lines = spool.path.read_text().splitlines()
    assert [json.loads(line) for line in lines] == [first.record(), second.record()]


def test_replay_stores_everything_once(engine, tmp_path):
    spool = Spool(tmp_path / "s.spool")
    one, two = response(), response()
    for r in (one, two, one):  # one was spooled twice (a resend): stored once
        spool.append(r)
    result = spool.replay(engine)
    assert (result.stored, result.already_stored, result.refused, result.remaining) == (2, 1, 0, 0)
    assert sorted(row["id"] for row in rows(engine)) == sorted([str(one.id), str(two.id)])
    assert spool.pending() == 0 and not spool.path.exists()
    assert spool.replay(engine).stored == 0
    assert len(rows(engine)) == 2


class Unwritable:
    """An engine whose database takes the first ``n`` responses and then refuses to be written."""

    def __init__(self, engine: Engine, n: int):
        self.engine, self.n = engine, n

    def submit(self, record: dict[str, Any]) -> str:
        if self.n == 0:
            raise StoreError("database is locked")
        self.n -= 1
        return self.engine.submit(record)


def test_replay_keeps_what_could_not_be_stored(engine, tmp_path):
    spool = Spool(tmp_path / "s.spool")
    spooled = [response() for _ in range(3)]
    for r in spooled:
        spool.append(r)
    result = spool.replay(Unwritable(engine, 1))
    assert result.stored == 1
    assert result.remaining == 2 == spool.pending()
    assert [json.loads(line)["id"] for line in spool.path.read_text().splitlines()] == [
        str(r.id) for r in spooled[1:]
    ]
    result = spool.replay(engine)
    assert result.stored == 2
    assert len(rows(engine)) == 3


def test_a_refused_response_is_moved_aside_with_the_reason(engine, tmp_path):
    spool = Spool(tmp_path / "s.spool")
    good = response()
    spool.append(response(event="no-such-event"))
    spool.append(good)
    result = spool.replay(engine)
    assert (result.stored, result.refused, result.remaining) == (1, 1, 0)
    assert [row["id"] for row in rows(engine)] == [str(good.id)]
    [refused] = [
        json.loads(line) for line in (tmp_path / "s.spool.refused").read_text().splitlines()
    ]
    assert refused["event"] == "no-such-event"
    assert "no-such-event" in refused["_refused"]
    assert spool.pending() == 0


def test_a_line_torn_by_a_power_cut_is_set_aside_not_dropped(engine, tmp_path):
    spool = Spool(tmp_path / "s.spool")
    whole = response()
    spool.append(whole)
    with spool.path.open("a") as handle:
        handle.write('{"id": "1234", "surv')  # never acknowledged to the participant
    result = spool.replay(engine)
    assert (result.stored, result.refused, result.unreadable, result.remaining) == (1, 1, 1, 0)
    assert [row["id"] for row in rows(engine)] == [str(whole.id)]
    [refused] = [json.loads(line) for line in spool.refused_path.read_text().splitlines()]
    assert refused["_line"] == '{"id": "1234", "surv'
    assert "line 2 cannot be read" in refused["_refused"]


# -- nothing writable: the participant is told, staff see why ---------------------------------------


@pytest.mark.asyncio
async def test_a_locked_kiosk_that_cannot_save_sends_the_participant_to_staff(
    kiosk, project, close_after
):
    """A folder where the database should be and a file where the spool's folder should be: the
    participant is not thanked; staff reach the operator screen through the PIN, see the cause,
    and discard the answers; the kiosk goes on."""
    (project / "nodb").mkdir()
    (project / "blocked").write_text("")
    nothing = close_after(
        Engine(settings=load_settings(project, db=Path("nodb")), pm=pm_with_formats())
    )
    app = kiosk(on=nothing, spool=project / "blocked" / "kiosk.spool")
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_and_submit(pilot)
        assert app.screen.id == "not-saved"
        assert app.submitted == [] and app.spooled == 0
        await press(pilot, "ctrl+o")
        assert app.screen.id == "pin"
        await type_text(pilot, PIN)
        await press(pilot, "enter")
        assert app.screen.id == "operator"
        figures = str(app.screen.query_one("#operator-figures").render())
        assert "NOT SAVED (held in memory until saved or discarded): 1" in figures
        problem = str(app.screen.query_one("#operator-problem").render())
        assert "unable to open database file" in problem and "Not a directory" in problem
        await pilot.click("#discard")
        await pilot.pause()
        assert app.screen.id == "attract" and app.unsaved is None
        assert app.is_running


def test_append_refuses_when_the_folder_cannot_hold_the_spool(tmp_path):
    (tmp_path / "blocked").write_text("")
    spool = Spool(tmp_path / "blocked" / "s.spool")
    with pytest.raises(spool_module.SpoolError, match="Not a directory"):
        spool.append(response())
    with pytest.raises(spool_module.SpoolError, match="cannot be read"):
        spool.pending()
