"""A self-generated code never touches the disk as typed, not even in the spool: the kiosk hashes it
before the response can be spooled, the spool line carries the keyed hash, and the replay stores
the link a direct submit would have stored. Without a key the participant is not thanked."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import make_response, pm_with_formats
from kiosk_helpers import go_to, jump, press, rows, type_text

import feedback_offline
from feedback.config import load_settings
from feedback.engine import Engine, Link
from feedback.linking import new_key_file, read_key, self_code
from feedback.responses import Response
from feedback_kiosk.app import KioskApp
from feedback_kiosk.spool import Spool

CODED = """\
id: coded
title: Ninety days on
languages: [en]
self_code: [parent, month]
questions:
  - {id: acted, type: yes_no, label: "Did you contact an NGO?"}
  - {id: parent, type: text, label: "The first name of a parent"}
  - {id: month, type: text, label: "The month you were born"}
"""

#: the code as typed: distinctive, so that finding it in any byte of a file means it leaked
PARENT, MONTH = "Xantippe", "Zyxwember"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "linking.key"  # made by the tests that have a key


@pytest.fixture
def engine(project: Path, key_file: Path, make_engine: Callable[..., Engine]) -> Engine:
    """The kiosk's engine on a project whose survey links answers by a self-generated code."""
    (project / "surveys" / "coded.yaml").write_text(CODED, encoding="utf-8")
    (project / "feedback.toml").write_text(f'linking_key = "{key_file}"\n', encoding="utf-8")
    key_file.parent.mkdir()
    return make_engine(feedback_offline)


@pytest.fixture
def impatient(project: Path, engine: Engine, close_after: Callable[[Engine], Engine]) -> Engine:
    """An engine on the same database that waits only 0.2 s for a lock, as the kiosk's does."""
    quick = close_after(
        Engine(settings=load_settings(project, busy_timeout=0.2), pm=pm_with_formats())
    )
    assert quick.store.count_responses() == 0
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


async def answer_with_a_code(pilot: Any) -> None:
    await press(pilot, "enter")  # the attract screen
    await jump(pilot, "acted")
    await press(pilot, "1", "enter")
    await type_text(pilot, PARENT)
    await press(pilot, "enter")
    await type_text(pilot, MONTH)
    await press(pilot, "enter")
    await go_to(pilot, "review")
    await press(pilot, "enter")


def leaked(data: bytes) -> list[str]:
    """The forms of the code found in ``data``: as typed, and as compared (case folded)."""
    return [
        text
        for text in (PARENT, MONTH, PARENT.casefold(), MONTH.casefold(), PARENT.upper())
        if text.encode() in data
    ]


@pytest.mark.asyncio
async def test_a_spooled_code_is_only_its_hash_and_the_replay_stores_the_same_link(
    kiosk: Callable[..., KioskApp],
    engine: Engine,
    impatient: Engine,
    write_lock: sqlite3.Connection,
    key_file: Path,
) -> None:
    new_key_file(key_file)
    app = kiosk("coded", on=impatient)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_with_a_code(pilot)
        assert app.screen.id == "thanks"  # kept safe: the participant is thanked
        assert app.spooled == 1 and rows(engine) == []
        data = app.spool.path.read_bytes()
        assert leaked(data) == []
        [line] = [json.loads(text) for text in data.decode().splitlines()]
        assert line["answers"] == {"acted": True}
        expected = self_code(read_key(key_file), [PARENT, MONTH])
        assert line["_link"] == {"link": expected, "method": "self_code"}

        write_lock.execute("ROLLBACK")
        app.replay_spool()
    assert not app.spool.path.exists()
    [row] = rows(engine)
    assert row["id"] == line["id"] and row["answers"] == {"acted": True}
    assert engine.store.response_links() == {line["id"]: (expected, "self_code")}
    # the very response a direct submit stores: sent again with its code, it is already there
    original = dict(line, answers={"acted": True, "parent": PARENT, "month": MONTH})
    del original["_link"]
    assert engine.submit(original) == "already_stored"
    direct = make_response("coded", {"parent": PARENT.lower(), "month": f" {MONTH} "})
    engine.submit(direct)
    assert engine.store.response_links()[direct["id"]] == (expected, "self_code")


@pytest.mark.asyncio
async def test_without_a_key_the_participant_is_not_thanked_and_nothing_is_written(
    kiosk: Callable[..., KioskApp],
    engine: Engine,
    impatient: Engine,
    write_lock: sqlite3.Connection,
    key_file: Path,
) -> None:
    """No key file: the code cannot be hashed, so it cannot be kept (not in the database, not
    in the spool as typed). Staff see why; once the key is back, Retry saves the answers."""
    app = kiosk("coded", on=impatient)
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_with_a_code(pilot)
        assert app.screen.id == "not-saved"
        assert app.spooled == 0 and not app.spool.path.exists()
        assert app.problem is not None and "feedback keys new" in app.problem
        assert app.unsaved is not None  # held in memory for staff, never on disk

        new_key_file(key_file)
        write_lock.execute("ROLLBACK")
        app.retry()
        await pilot.pause()
        assert app.screen.id == "thanks" and app.unsaved is None
    [row] = rows(engine)
    assert row["answers"] == {"acted": True}
    expected = self_code(read_key(key_file), [PARENT, MONTH])
    assert engine.store.response_links() == {row["id"]: (expected, "self_code")}


def test_the_spool_keeps_a_link_and_a_replay_refuses_one_the_survey_cannot_have(
    engine: Engine, key_file: Path, tmp_path: Path
) -> None:
    new_key_file(key_file)
    spool = Spool(tmp_path / "s.spool")
    typed = Response.model_validate(make_response("coded", {"parent": "E", "month": "March"}))
    kept, link = engine.prepare_links(typed)
    assert kept.answers == {} and link == Link(
        self_code(read_key(key_file), ["E", "March"]), "self_code"
    )
    spool.append(kept, link)
    forged = Response.model_validate(make_response("post-seminar", {"role": "mp"}))
    spool.append(forged, link)  # the shipped survey links nothing
    result = spool.replay(engine)
    assert (result.stored, result.refused) == (1, 1)
    assert engine.store.response_links() == {str(typed.id): link}
    [refused] = [json.loads(text) for text in spool.refused_path.read_text().splitlines()]
    assert refused["id"] == str(forged.id) and "it has no self_code" in refused["_refused"]
