"""The outbox is written in the engine's transaction (issue 16): the core's ``response_storing``
hook runs inside it for each response stored, by `Engine.submit`, `submit_many` and
`submit_batches`; a hook that raises rolls the response back with its outbox row; a channel's
submission queues exactly one message per endpoint."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient
from webhook_helpers import rows

from feedback import hookimpl
from feedback.engine import Engine, ResponseConflict
from feedback.errors import ResponseInvalid
from feedback.responses import Response
from feedback.store import Store
from feedback.survey import Survey
from feedback.testing import EVENT, channel_app, kiosk_go_to, kiosk_press, new_response, web_fill

ANSWERS = {"useful": "agree"}
ENDPOINTS = {"crm": {"url": "http://127.0.0.1:9/hook"}}


class Recorder:
    """Notes each call: the response, the survey, and what the database showed at that point."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    @hookimpl
    def response_storing(
        self, engine: Engine, store: Store, response: Response, survey: Survey
    ) -> None:
        rid = str(response.id)
        with sqlite3.connect(engine.settings.db_path, timeout=0.1) as other:
            (elsewhere,) = other.execute(
                "SELECT count(*) FROM responses WHERE id = ?", [rid]
            ).fetchone()
        other.close()
        self.calls.append(
            {
                "id": rid,
                "survey": survey,
                "store": store is engine.store,
                "in_transaction": store.conn.in_transaction,
                "written": bool(store.stored_hashes([rid])),
                "seen_elsewhere": elsewhere,
            }
        )


class Failing:
    """Raises after the other hooks (the webhooks' outbox row is written by then)."""

    @hookimpl(trylast=True)
    def response_storing(self, response: Response) -> None:
        raise RuntimeError("the audit log is full")


def test_hook_response_storing(webhook_engine: Callable[..., Engine]) -> None:
    recorder = Recorder()
    engine = webhook_engine({}, recorder)
    survey = engine.survey()
    first = new_response(survey, ANSWERS)

    assert engine.submit(first) == "stored"
    [call] = recorder.calls
    assert call["id"] == first["id"]
    assert call["survey"].version == survey.version
    # inside the engine's transaction, the row written, not yet committed
    assert call["store"] and call["in_transaction"] and call["written"]
    assert call["seen_elsewhere"] == 0

    # not for a duplicate, a conflict or a refused response
    assert engine.submit(dict(first)) == "already_stored"
    with pytest.raises(ResponseConflict):
        engine.submit({**first, "answers": {"useful": "disagree"}})
    with pytest.raises(ResponseInvalid):
        engine.submit(new_response(survey, {"useful": "maybe"}))
    assert len(recorder.calls) == 1

    # once per response stored by the batch forms too
    batch = [("line", new_response(survey, ANSWERS)) for _ in range(3)]
    assert engine.submit_many(batch).stored == 3
    files = [(f"file{n}", [("line 1", new_response(survey, ANSWERS))]) for n in range(2)]
    assert [r.stored for _, r in engine.submit_batches(files)] == [1, 1]
    assert len(recorder.calls) == 6
    assert all(c["in_transaction"] and c["written"] for c in recorder.calls)


def _submit(engine: Engine, how: str, item: dict[str, Any]) -> None:
    if how == "submit":
        engine.submit(item)
    elif how == "submit_many":
        engine.submit_many([("line 1", item)])
    else:
        list(engine.submit_batches([("file", [("line 1", item)])]))


@pytest.mark.parametrize("how", ["submit", "submit_many", "submit_batches"])
def test_a_failing_hook_leaves_neither_the_response_nor_its_outbox_row(
    webhook_engine: Callable[..., Engine], how: str
) -> None:
    failing = Failing()
    engine = webhook_engine(ENDPOINTS, failing)
    with pytest.raises(RuntimeError, match="audit log is full"):
        _submit(engine, how, new_response(engine.survey(), ANSWERS))
    assert engine.store.count_responses() == 0
    assert rows(engine) == []

    engine.pm.unregister(failing)
    _submit(engine, how, new_response(engine.survey(), ANSWERS))
    assert engine.store.count_responses() == 1
    assert len(rows(engine)) == 1  # stored with the response


def test_a_refused_batch_queues_nothing(webhook_engine: Callable[..., Engine]) -> None:
    engine = webhook_engine(ENDPOINTS)
    survey = engine.survey()
    good = [(f"line {n}", new_response(survey, ANSWERS)) for n in range(2)]
    result = engine.submit_many([*good, ("line 3", new_response(survey, {"useful": "maybe"}))])
    assert not result.committed
    assert rows(engine) == []


@pytest.fixture
def web(webhook_engine: Callable[..., Engine]) -> Iterator[tuple[Engine, TestClient]]:
    engine = webhook_engine(ENDPOINTS)
    engine.store.upsert_event({**EVENT, "open_link": 1})
    with TestClient(channel_app(engine, "web")) as client:
        yield engine, client


def test_a_web_submission_queues_exactly_one_message(web: tuple[Engine, TestClient]) -> None:
    engine, client = web
    page = web_fill(client, f"/e/{EVENT['id']}", {"useful": "agree", "comment": "fine"})
    assert page.status_code == 200
    [response] = engine.store.db.query("SELECT id, channel FROM responses")
    assert response["channel"] == "open-link"
    [message] = rows(engine)
    assert (message["response_id"], message["endpoint"], message["status"]) == (
        response["id"],
        "crm",
        "pending",
    )
    assert '"comment"' not in message["payload"]  # the kit's survey is anonymous


@pytest.mark.asyncio
async def test_a_kiosk_submission_queues_exactly_one_message(
    webhook_engine: Callable[..., Engine],
) -> None:
    engine = webhook_engine(ENDPOINTS)
    app = channel_app(engine, "kiosk", event=EVENT["id"], locked=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await kiosk_go_to(pilot, "q:useful")
        await kiosk_press(pilot, "4")
        await kiosk_go_to(pilot, "thanks")
    [response] = engine.store.db.query("SELECT id, channel, answers FROM responses")
    assert response["channel"] == "kiosk"
    [message] = rows(engine)
    assert (message["response_id"], message["endpoint"]) == (response["id"], "crm")
