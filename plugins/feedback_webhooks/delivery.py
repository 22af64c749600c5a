"""Sending the outbox's messages: signed per the Standard Webhooks specification, one HTTP POST
each, and each outcome recorded (`feedback_webhooks.outbox`).

Delivery runs apart from the channels, in `feedback webhooks deliver` (a scheduler runs it every
minute or so), never in the ``response_submitted`` hook: the kiosk often has no network at the
venue and the web form answers participants, so neither should wait on a receiver's timeout;
an import of ten thousand responses must not make ten thousand calls while it holds the
database; and one process that claims the due messages retries them all, whichever channel
stored their responses.

The signature is the ``standardwebhooks`` library's: ``webhook-id`` is the message's id as
stored (the same on every attempt, so a receiver that got a message twice, after a timeout that
came once it had processed it, can tell), ``webhook-timestamp`` the moment of the attempt by the
injected clock, ``webhook-signature`` ``v1,`` and the HMAC-SHA256 of id, timestamp and body.
httpx and standardwebhooks are imported here only, when a command sends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx
from standardwebhooks import Webhook

from feedback.clock import moment
from feedback_webhooks.outbox import Clock, Message, Outbox, message_id
from feedback_webhooks.settings import Endpoint

if TYPE_CHECKING:
    import datetime as dt

USER_AGENT = "feedback-webhooks/1"


class NoSecret(Exception):
    """An endpoint has no signing secret: nothing unsigned is ever sent."""


def signed_headers(
    endpoint_name: str, endpoint: Endpoint, msg_id: str, when: dt.datetime, body: str
) -> dict[str, str]:
    """The headers of a signed message (Standard Webhooks: id, timestamp, signature).

    :raises NoSecret: the endpoint has no secret.
    """
    if endpoint.secret is None:
        raise NoSecret(
            f"endpoint '{endpoint_name}' has no secret: give it in "
            f"FEEDBACK_WEBHOOKS__ENDPOINTS__{endpoint_name.upper()}__SECRET"
        )
    signature = Webhook(endpoint.secret.get_secret_value()).sign(msg_id, when, body)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def post(
    client: httpx.Client,
    endpoint_name: str,
    endpoint: Endpoint,
    msg_id: str,
    body: str,
    when: dt.datetime,
) -> str | None:
    """Send one message; return ``None`` when the endpoint took it (a 2xx answer), else why not.
    A redirect is not followed (the specification counts it as a failure)."""
    try:
        headers = signed_headers(endpoint_name, endpoint, msg_id, when, body)
        answer = client.post(
            str(endpoint.url), content=body.encode(), headers=headers, timeout=endpoint.timeout
        )
    except NoSecret as exc:
        return str(exc)
    except httpx.TimeoutException:
        return f"no answer within {endpoint.timeout:g} s"
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    if 200 <= answer.status_code < 300:
        return None
    return f"HTTP {answer.status_code}"


@dataclass
class Report:
    """What one delivery run did."""

    delivered: list[Message] = field(default_factory=list)
    #: (message, why, due again at)
    retrying: list[tuple[Message, str, str]] = field(default_factory=list)
    #: (message, why): kept as failed
    failed: list[tuple[Message, str]] = field(default_factory=list)


class Deliverer:
    """Sends what is due in an outbox, with one HTTP client for the run."""

    def __init__(
        self, outbox: Outbox, clock: Clock = moment, client: httpx.Client | None = None
    ) -> None:
        self.outbox = outbox
        self.clock = clock
        self.client = client or httpx.Client(follow_redirects=False)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Deliverer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, ids: Sequence[str] | None = None) -> Report:
        """Send every message due now (of ``ids``, if given), batch after batch, until none is
        due. A message that fails is due again later, so one run sends each at most once."""
        report = Report()
        while True:
            claimed = self.outbox.claim(ids)
            if not claimed:
                return report
            for message in claimed:
                self._send(message, report)

    def _send(self, message: Message, report: Report) -> None:
        endpoint = self.outbox.settings.endpoints.get(message.endpoint)
        if endpoint is None:
            why = f"endpoint '{message.endpoint}' is not configured in [webhooks.endpoints]"
        else:
            why = (
                post(
                    self.client,
                    message.endpoint,
                    endpoint,
                    message.id,
                    message.payload,
                    self.clock(),
                )
                or ""
            )
        if not why:
            self.outbox.delivered(message)
            report.delivered.append(message)
            return
        again = self.outbox.failed(message, why)
        if again is None:
            report.failed.append((message, why))
        else:
            report.retrying.append((message, why, again))


def send_test_event(
    client: httpx.Client, endpoint_name: str, endpoint: Endpoint, clock: Clock = moment
) -> tuple[str, str | None]:
    """Send a signed ``webhook.test`` event (not kept in the outbox); return its id and why it
    failed (``None``: delivered)."""
    import json

    when = clock()
    msg_id = message_id(endpoint_name, "webhook.test", when.isoformat())
    payload = {"type": "webhook.test", "timestamp": when.isoformat(), "data": {}}
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return msg_id, post(client, endpoint_name, endpoint, msg_id, body, when)
