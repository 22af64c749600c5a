"""Webhooks against a real local receiver that verifies each signature with the
``standardwebhooks`` library (issue 16): delivered and verified; a receiver down for a while
loses nothing; a duplicate delivery carries the same webhook-id; anonymous surveys send no
answers unless the endpoint asks for them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from webhook_helpers import Clock, Receiver, deliver, rows

from feedback.engine import Engine
from feedback.survey import Survey
from feedback.testing import EVENT, SURVEY, new_response

ANSWERS = {"useful": "agree", "comment": "The rapporteur session was the best part."}


def test_a_stored_response_is_delivered_signed_and_verified(
    receiver: Receiver, clock: Clock, webhook_engine: Callable[..., Engine]
) -> None:
    engine = webhook_engine({"crm": {"url": receiver.url()}})
    receiver.start()
    response = new_response(engine.survey(), ANSWERS)
    assert engine.submit(response) == "stored"
    [queued] = rows(engine)
    assert (queued["endpoint"], queued["status"], queued["attempts"]) == ("crm", "pending", 0)

    report = deliver(engine, clock)

    [got] = receiver.verified()
    assert len(report.delivered) == 1
    assert got.id == queued["id"]  # the webhook-id is the message id stored in the outbox
    assert got.headers["webhook-timestamp"] == str(int(clock().timestamp()))
    assert got.headers["webhook-signature"].startswith("v1,")
    assert got.payload["type"] == "response.stored"
    assert got.payload["data"]["response_id"] == response["id"]
    assert got.payload["data"]["event"] == EVENT["id"]
    [row] = rows(engine)
    assert (row["status"], row["attempts"], row["delivered"]) == (
        "delivered",
        1,
        clock().isoformat(),
    )
    assert deliver(engine, clock).delivered == []  # delivered once, not again


def test_an_anonymous_survey_sends_no_answers_unless_the_endpoint_asks(
    receiver: Receiver,
    clock: Clock,
    webhook_engine: Callable[..., Engine],
) -> None:
    engine = webhook_engine(
        {
            "ids": {"url": receiver.url("/ids")},
            "full": {"url": receiver.url("/full"), "include_answers": True},
        }
    )
    assert SURVEY.get("anonymous", True)  # the kit's survey is anonymous (the default)
    receiver.start()
    response = new_response(engine.survey(), ANSWERS)
    engine.submit(response)
    deliver(engine, clock)

    by_path = {r.path: r for r in receiver.verified()}
    ids_only = by_path["/ids"]
    assert ids_only.payload == {
        "type": "response.stored",
        "timestamp": EVENT["date"],
        "data": {
            "response_id": response["id"],
            "survey": SURVEY["id"],
            "survey_version": engine.survey().version,
            "event": EVENT["id"],
            "submitted": EVENT["date"],
            "anonymous": True,
        },
    }
    assert b"rapporteur session" not in ids_only.body and b"kiosk" not in ids_only.body
    assert by_path["/full"].payload["data"]["answers"] == ANSWERS
    assert by_path["/full"].id != ids_only.id  # one message per endpoint


def test_a_survey_that_is_not_anonymous_sends_its_answers_by_default(
    receiver: Receiver,
    clock: Clock,
    webhook_engine: Callable[..., Engine],
    make_survey: Callable[..., Survey],
) -> None:
    engine = webhook_engine(
        {
            "crm": {"url": receiver.url()},
            "never": {"url": receiver.url("/n"), "include_answers": False},
        }
    )
    named = make_survey({**SURVEY, "id": "named", "anonymous": False})
    receiver.start()
    engine.submit(new_response(named, ANSWERS))
    deliver(engine, clock)
    by_path = {r.path: r.payload["data"] for r in receiver.verified()}
    assert by_path["/hook"]["answers"] == ANSWERS
    assert by_path["/hook"]["channel"] == "kiosk"
    assert "answers" not in by_path["/n"]


def test_a_receiver_down_for_a_while_loses_nothing(
    receiver: Receiver, clock: Clock, webhook_engine: Callable[..., Engine]
) -> None:
    engine = webhook_engine({"crm": {"url": receiver.url(), "backoff_base": 10, "max_attempts": 5}})
    ids = []
    for n in range(3):
        response = new_response(engine.survey(), {"useful": "agree", "comment": f"n{n}"})
        engine.submit(response)
        ids.append(response["id"])

    # down: the connection is refused; each message is due again after the backoff base
    report = deliver(engine, clock)
    assert (len(report.delivered), len(report.retrying), len(report.failed)) == (0, 3, 0)
    assert all("Connect" in why for _, why, _ in report.retrying)
    start = clock()
    assert {r["next_attempt"] for r in rows(engine)} == {
        (start + dt.timedelta(seconds=10)).isoformat()
    }

    clock.advance(9)  # not yet due: nothing is tried
    assert deliver(engine, clock).retrying == []

    # up, but failing: a second failure doubles the wait
    receiver.status = 500
    receiver.start()
    clock.advance(1)
    report = deliver(engine, clock)
    assert [why for _, why, _ in report.retrying] == ["HTTP 500"] * 3
    assert {r["next_attempt"] for r in rows(engine)} == {
        (clock() + dt.timedelta(seconds=20)).isoformat()
    }
    assert {r["attempts"] for r in rows(engine)} == {2}

    # back: everything is delivered, once each, with the ids it was first sent with
    receiver.status = 200
    clock.advance(20)
    report = deliver(engine, clock)
    assert len(report.delivered) == 3
    got = receiver.verified()
    assert len(got) == 6  # three refused with 500, three taken
    assert [g.payload["data"]["response_id"] for g in got[3:]] == ids
    assert [g.id for g in got[:3]] == [g.id for g in got[3:]]
    assert {r["status"] for r in rows(engine)} == {"delivered"}
    assert deliver(engine, clock).delivered == []


def test_a_duplicate_delivery_carries_the_same_webhook_id(
    receiver: Receiver, clock: Clock, webhook_engine: Callable[..., Engine]
) -> None:
    """The receiver processes the message but answers after the sender's timeout: the sender
    counts it failed and sends it again, with the same id and body, and a new signature."""
    engine = webhook_engine({"crm": {"url": receiver.url(), "timeout": 0.2, "backoff_base": 5}})
    engine.submit(new_response(engine.survey(), ANSWERS))
    receiver.delay = 0.6
    receiver.start()
    report = deliver(engine, clock)
    assert [why for _, why, _ in report.retrying] == ["no answer within 0.2 s"]

    receiver.delay = 0
    clock.advance(5)
    assert len(deliver(engine, clock).delivered) == 1
    first, second = receiver.verified()
    assert first.id == second.id
    assert first.body == second.body
    assert first.headers["webhook-timestamp"] != second.headers["webhook-timestamp"]
    assert json.loads(second.body) == second.payload


def test_a_message_is_kept_as_failed_after_its_last_attempt(
    receiver: Receiver, clock: Clock, webhook_engine: Callable[..., Engine]
) -> None:
    engine = webhook_engine({"crm": {"url": receiver.url(), "backoff_base": 1, "max_attempts": 2}})
    engine.submit(new_response(engine.survey(), ANSWERS))
    assert len(deliver(engine, clock).retrying) == 1
    clock.advance(1)
    report = deliver(engine, clock)
    [(_, why)] = report.failed
    assert why.startswith("ConnectError")
    [row] = rows(engine)
    assert (row["status"], row["attempts"], row["next_attempt"]) == ("failed", 2, None)
    clock.advance(3600)
    assert deliver(engine, clock).failed == []  # kept, not tried again by itself
