"""``feedback webhooks deliver|list|retry|test`` (issue 16), against a real local receiver; and
settings that cannot be used give an error naming the key, with exit code 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from webhook_helpers import SECRET, Clock, Receiver, deliver, rows, write_endpoints

from feedback.engine import Engine
from feedback.testing import new_response

ANSWERS = {"useful": "agree", "comment": "fine"}


def failed_message(engine: Engine, clock: Clock, receiver: Receiver, count: int = 1) -> list[str]:
    """Messages kept as failed: queued, and refused once by an endpoint allowing one attempt."""
    for _ in range(count):
        engine.submit(new_response(engine.survey(), ANSWERS))
    report = deliver(engine, clock)
    assert len(report.failed) == count
    return [m.id for m, _ in report.failed]


@pytest.fixture
def one_try(receiver: Receiver, webhook_engine: Callable[..., Engine]) -> Engine:
    return webhook_engine({"crm": {"url": receiver.url(), "max_attempts": 1}})


def test_deliver_sends_what_is_due(
    receiver: Receiver, webhook_engine: Callable[..., Engine], feedback_cli: Callable[..., Any]
) -> None:
    engine = webhook_engine({"crm": {"url": receiver.url()}})
    engine.submit(new_response(engine.survey(), ANSWERS))
    result = feedback_cli("webhooks", "deliver")
    assert result.exit_code == 0, result.output
    assert "0 messages delivered" in result.output  # the receiver is not up yet
    assert "ConnectError" in result.output and "due again at" in result.output

    receiver.start()
    [row] = rows(engine)
    engine.store.db.execute("UPDATE webhooks_outbox SET next_attempt = NULL")  # due now
    result = feedback_cli("webhooks", "deliver")
    assert result.exit_code == 0, result.output
    assert "1 message delivered" in result.output
    [got] = receiver.verified()
    assert got.id == row["id"]


def test_list_shows_the_messages_and_their_state(
    one_try: Engine, clock: Clock, receiver: Receiver, feedback_cli: Callable[..., Any]
) -> None:
    [failed] = failed_message(one_try, clock, receiver)
    one_try.submit(new_response(one_try.survey(), ANSWERS))
    result = feedback_cli("webhooks", "list", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [(m["id"] == failed, m["status"]) for m in listed] == [
        (True, "failed"),
        (False, "pending"),
    ]
    result = feedback_cli("webhooks", "list", "--failed")
    assert result.exit_code == 0, result.output
    assert failed in result.output and "pending" not in result.output
    assert "ConnectError" in result.output


def test_retry_sends_a_failed_message_again_with_its_id(
    one_try: Engine, clock: Clock, receiver: Receiver, feedback_cli: Callable[..., Any]
) -> None:
    first, second = failed_message(one_try, clock, receiver, count=2)
    receiver.start()
    result = feedback_cli("webhooks", "retry", first)
    assert result.exit_code == 0, result.output
    assert "1 message queued again" in result.output and "1 message delivered" in result.output
    assert [r.id for r in receiver.verified()] == [first]
    assert [r["status"] for r in rows(one_try)] == ["delivered", "failed"]

    result = feedback_cli("webhooks", "retry", "--all-failed")
    assert result.exit_code == 0, result.output
    assert [r.id for r in receiver.verified()] == [first, second]
    assert [r["status"] for r in rows(one_try)] == ["delivered", "delivered"]


def test_retry_refuses_an_unknown_or_delivered_message(
    one_try: Engine, clock: Clock, receiver: Receiver, feedback_cli: Callable[..., Any]
) -> None:
    [failed] = failed_message(one_try, clock, receiver)
    result = feedback_cli("webhooks", "retry", failed[:-1] + "x")
    assert result.exit_code == 2
    assert "unknown message" in result.output and f"did you mean '{failed}'" in result.output
    receiver.start()
    assert feedback_cli("webhooks", "retry", failed).exit_code == 0
    result = feedback_cli("webhooks", "retry", failed)
    assert result.exit_code == 2
    assert "was delivered at" in result.output
    assert feedback_cli("webhooks", "retry").exit_code == 2


def test_test_sends_a_signed_test_event(
    receiver: Receiver,
    webhook_engine: Callable[..., Engine],
    feedback_cli: Callable[..., Any],
) -> None:
    webhook_engine({"crm": {"url": receiver.url()}})
    result = feedback_cli("webhooks", "test", "crm")
    assert result.exit_code == 1  # not up yet
    assert "not delivered" in result.output

    receiver.start()
    result = feedback_cli("webhooks", "test", "crm")
    assert result.exit_code == 0, result.output
    result = feedback_cli("webhooks", "test", receiver.url("/other"), "--secret", SECRET)
    assert result.exit_code == 0, result.output
    crm, other = receiver.verified()
    assert crm.payload["type"] == other.payload["type"] == "webhook.test"
    assert other.path == "/other"
    assert not rows(webhook_engine({}))  # a test event is not kept in the outbox

    result = feedback_cli("webhooks", "test", receiver.url("/other"))
    assert result.exit_code == 2 and "expected --secret" in result.output
    result = feedback_cli("webhooks", "test", "crn")
    assert result.exit_code == 2 and "did you mean 'crm'" in result.output


@pytest.mark.parametrize(
    ("options", "secret", "expected"),
    [
        ({"url": "ftp://example.org/"}, SECRET, "webhooks.endpoints.crm.url: URL scheme"),
        ({"url": "http://x/", "max_attempts": 0}, SECRET, "webhooks.endpoints.crm.max_attempts"),
        ({"url": "http://x/", "include_answer": True}, SECRET, "include_answer"),
        ({"url": "http://x/"}, "abc", "expected a secret starting with 'whsec_'"),
        ({"url": "http://x/"}, "whsec_AAAA", "expected a key of 24 to 64 bytes, found 3 bytes"),
        (
            {"url": "http://x/", "events": ["response.deleted"]},
            SECRET,
            "events[0]: Input should be 'response.stored'",
        ),
    ],
)
def test_bad_settings_are_named_with_exit_code_2(
    feedback_project: Path,
    feedback_cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    options: dict[str, Any],
    secret: str,
    expected: str,
) -> None:
    write_endpoints(feedback_project, monkeypatch, {"crm": options})
    monkeypatch.setenv("FEEDBACK_WEBHOOKS__ENDPOINTS__CRM__SECRET", secret)
    before = sorted(p.name for p in feedback_project.iterdir())
    result = feedback_cli("webhooks", "list")
    assert result.exit_code == 2, result.output
    assert "feedback.toml" in result.output
    assert expected in result.output
    assert sorted(p.name for p in feedback_project.iterdir()) == before  # no database made


def test_an_endpoint_name_must_fit_an_environment_variable(
    feedback_project: Path, feedback_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_endpoints(feedback_project, monkeypatch, {"crm-eu": {"url": "http://x/"}})
    result = feedback_cli("webhooks", "list")
    assert result.exit_code == 2
    assert "webhooks.endpoints: expected endpoint names of lower-case letters" in result.output
    assert "found 'crm-eu'" in result.output
