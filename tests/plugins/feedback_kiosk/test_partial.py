"""A kiosk session abandoned before Submit: its answers are kept as a partial response when the
survey says ``keep_partial``, through the same durable path as a submit (database, else spool),
and discarded otherwise."""

from __future__ import annotations

import json
import logging
import sqlite3

import pytest
from kiosk_helpers import FakeClock, go_to, idle_for, press, rows

pytestmark = pytest.mark.asyncio

QUESTIONS = """\
questions:
  - {type: single_choice, id: role, label: Role, choices: [mp, ngo, other], required: true}
  - {type: rating, id: score, label: Score, min: 0, max: 10, required: true}
"""


@pytest.fixture
def keeps(write_survey):
    write_survey("keeps", "id: keeps\ntitle: Keeps\nkeep_partial: true\n" + QUESTIONS)
    return "keeps"


@pytest.fixture
def discards(write_survey):
    write_survey("discards", "id: discards\ntitle: Discards\n" + QUESTIONS)
    return "discards"


async def answer_role_then_leave(app, clock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "2", "enter")  # ngo, then on to the score, left unanswered
        assert app.session is not None and app.session.answers == {"role": "ngo"}
        await idle_for(pilot, clock, 6.0)
        assert app.screen.id == "attract"  # no thank-you: nobody is there to read it
        assert app.session is None


async def test_an_abandoned_session_is_kept_as_a_partial_response(kiosk, engine, keeps, caplog):
    clock = FakeClock()
    app = kiosk(keeps, idle_timeout=6.0, idle_warning=3.0, clock=clock)
    with caplog.at_level(logging.INFO, logger="feedback_kiosk.app"):
        await answer_role_then_leave(app, clock)
    (row,) = rows(engine)
    assert row["partial"] is True
    assert row["answers"] == {"role": "ngo"}
    assert row["channel"] == "kiosk"
    assert any("partial response was kept" in r.getMessage() for r in caplog.records)
    assert not any("ngo" in r.getMessage() for r in caplog.records)  # no answers in the log
    assert not app.spool.path.exists()


async def test_without_keep_partial_an_abandoned_session_stores_nothing(kiosk, engine, discards):
    clock = FakeClock()
    app = kiosk(discards, idle_timeout=6.0, idle_warning=3.0, clock=clock)
    assert app.survey.keep_partial is False  # off unless the survey says so
    await answer_role_then_leave(app, clock)
    assert rows(engine) == []
    assert not app.spool.path.exists()


async def test_a_session_with_no_answer_leaves_nothing_even_with_keep_partial(kiosk, engine, keeps):
    clock = FakeClock()
    app = kiosk(keeps, idle_timeout=6.0, idle_warning=3.0, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await idle_for(pilot, clock, 6.0)
        assert app.screen.id == "attract"
    assert rows(engine) == []
    assert not app.spool.path.exists()


async def test_a_partial_response_the_database_refuses_waits_in_the_spool(
    kiosk, engine, keeps, monkeypatch
):
    clock = FakeClock()
    app = kiosk(keeps, idle_timeout=6.0, idle_warning=3.0, clock=clock)

    def locked(response):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(engine, "submit", locked)
    await answer_role_then_leave(app, clock)
    assert rows(engine) == []
    (line,) = app.spool.path.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["partial"] is True
    assert record["answers"] == {"role": "ngo"}
