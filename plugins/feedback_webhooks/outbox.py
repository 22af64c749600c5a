"""The outbox: messages queued with the responses they tell of, and their state of delivery.

A message is queued by the ``response_storing`` hook, inside the engine's transaction, so it is
committed with its response or not at all. It is sent later, after the commit, by `feedback
webhooks deliver` (`feedback_webhooks.delivery`), which claims the messages due, sends them
outside any transaction (the kiosk and the web form never wait on an HTTP call) and records each
outcome: delivered; or failed, due again after an exponential backoff; or, after the endpoint's
last attempt, kept as failed until `feedback webhooks retry` queues it again.

Every time is a moment of the clock handed in (`feedback.clock.moment` by default), stored as
ISO 8601 in UTC to the second, so that times compare as text.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from feedback.errors import InvalidInput, did_you_mean
from feedback.responses import Response
from feedback.store import Store
from feedback.survey import Survey
from feedback_webhooks.settings import Endpoint, WebhookSettings

TABLE = "webhooks_outbox"
#: the event of a stored response
RESPONSE_STORED = "response.stored"
#: the namespace of message ids: the id of a message is the same whoever queues it
_NAMESPACE = uuid.UUID("5d0f6c1e-8f43-4f8e-9d3b-0c4d7f1a2b61")

Clock = Callable[[], dt.datetime]


def stamp(moment: dt.datetime) -> str:
    """A moment as stored: ISO 8601 in UTC, to the second."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def message_id(endpoint: str, event_type: str, subject: str) -> str:
    """The ``webhook-id`` of a message: derived from what it tells of, so it never changes."""
    return "msg_" + uuid.uuid5(_NAMESPACE, f"{endpoint}\n{event_type}\n{subject}").hex


def response_payload(response: Response, survey: Survey, answers: bool) -> dict[str, Any]:
    """The body of a ``response.stored`` message (Standard Webhooks' ``type``, ``timestamp``,
    ``data``). The timestamp is the response's date: all that an anonymous survey's response
    keeps of when it was given. Without ``answers``, the data holds ids, the event and the date
    only, no answer text, channel or language."""
    data: dict[str, Any] = {
        "response_id": str(response.id),
        "survey": response.survey,
        "survey_version": response.survey_version,
        "event": response.event,
        "submitted": response.submitted.isoformat(),
        "anonymous": survey.anonymous,
    }
    if answers:
        data["channel"] = response.channel
        data["language"] = response.language
        data["answers"] = response.answers
    return {"type": RESPONSE_STORED, "timestamp": response.submitted.isoformat(), "data": data}


def body(payload: dict[str, Any]) -> str:
    """The bytes sent (as text): compact JSON, keys in a fixed order."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def queue_response(
    store: Store, settings: WebhookSettings, response: Response, survey: Survey
) -> int:
    """Queue a message about a stored ``response`` for every endpoint that hears of it, in the
    transaction under way; return how many. A message queued already is left as it is."""
    rows = []
    for name, endpoint in settings.endpoints.items():
        if RESPONSE_STORED not in endpoint.events:
            continue
        payload = response_payload(response, survey, endpoint.answers_for(survey.anonymous))
        rows.append(
            {
                "id": message_id(name, RESPONSE_STORED, str(response.id)),
                "endpoint": name,
                "event_type": RESPONSE_STORED,
                "response_id": str(response.id),
                "payload": body(payload),
                "status": "pending",
                "attempts": 0,
            }
        )
    if rows:
        # plain SQL: sqlite-utils' insert_all reads the table's schema at every call, which
        # tripled the time of a bulk import (one call per response)
        columns = list(rows[0])
        store.conn.executemany(
            f"INSERT OR IGNORE INTO {TABLE} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            [[row[c] for c in columns] for row in rows],
        )
    return len(rows)


@dataclass(frozen=True)
class Message:
    """A row of the outbox."""

    id: str
    endpoint: str
    event_type: str
    response_id: str | None
    payload: str
    status: str
    attempts: int
    next_attempt: str | None
    last_attempt: str | None
    last_error: str | None
    delivered: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Message:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


def backoff(endpoint: Endpoint, attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: ``backoff_base`` doubled after each
    failure, at most ``max_backoff``."""
    seconds = endpoint.backoff_base * 2.0 ** min(attempts - 1, 62)
    return dt.timedelta(seconds=min(seconds, endpoint.max_backoff))


class Outbox:
    """The messages of a project's database, and their delivery's bookkeeping."""

    def __init__(self, store: Store, settings: WebhookSettings, clock: Clock):
        self.store = store
        self.settings = settings
        self.clock = clock

    def messages(self, status: str | None = None) -> list[Message]:
        """The messages in the order they were queued (of one ``status``, if given)."""
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        rows = self.store.db.query(f"SELECT * FROM {TABLE} {where} ORDER BY rowid", params)
        return [Message.of(row) for row in rows]

    def claim(self, ids: Sequence[str] | None = None, limit: int | None = None) -> list[Message]:
        """The pending messages due now (of ``ids``, if given), counted as attempted: each is
        given a lease (due again after its endpoint's timeout and a minute), so a second
        ``deliver`` running at the same time does not send it too, and a run that dies mid-way
        leaves it to be sent again. Committed at once: nothing is sent inside a transaction."""
        now = stamp(self.clock())
        sql = f"SELECT * FROM {TABLE} WHERE status = 'pending' AND (next_attempt IS NULL OR next_attempt <= ?)"
        params: list[Any] = [now]
        if ids is not None:
            sql += f" AND id IN ({', '.join('?' for _ in ids)})"
            params += list(ids)
        sql += " ORDER BY rowid LIMIT ?"
        params.append(limit or self.settings.batch)
        with self.store.write() as db:
            claimed = [Message.of(row) for row in db.query(sql, params)]
            for message in claimed:
                endpoint = self.settings.endpoints.get(message.endpoint)
                lease = dt.timedelta(seconds=(endpoint.timeout if endpoint else 0) + 60)
                db.execute(
                    f"UPDATE {TABLE} SET attempts = attempts + 1, last_attempt = ?, "
                    "next_attempt = ? WHERE id = ?",
                    [now, stamp(self.clock() + lease), message.id],
                )
        return [replace(m, attempts=m.attempts + 1, last_attempt=now) for m in claimed]

    def delivered(self, message: Message) -> None:
        with self.store.write() as db:
            db.execute(
                f"UPDATE {TABLE} SET status = 'delivered', delivered = ?, next_attempt = NULL, "
                "last_error = NULL WHERE id = ?",
                [stamp(self.clock()), message.id],
            )

    def failed(self, message: Message, error: str) -> str | None:
        """Record a failed attempt; return when it is due again, or ``None`` when it was the
        last (or its endpoint is no longer configured) and the message is kept as failed."""
        endpoint = self.settings.endpoints.get(message.endpoint)
        again: str | None = None
        if endpoint is not None and message.attempts < endpoint.max_attempts:
            again = stamp(self.clock() + backoff(endpoint, message.attempts))
        with self.store.write() as db:
            db.execute(
                f"UPDATE {TABLE} SET status = ?, next_attempt = ?, last_error = ? WHERE id = ?",
                ["pending" if again else "failed", again, error[:500], message.id],
            )
        return again

    def requeue(self, ids: Iterable[str] = (), all_failed: bool = False) -> list[str]:
        """Queue failed (or pending) messages again, due at once with their attempts counted
        from zero; return their ids.

        :raises InvalidInput: an id is unknown, or names a message delivered already.
        """
        wanted = list(ids)
        with self.store.write() as db:
            known = {
                row["id"]: row for row in db.query(f"SELECT id, status, delivered FROM {TABLE}")
            }
            problems = []
            for message_id_ in wanted:
                row = known.get(message_id_)
                if row is None:
                    problems.append(
                        f"unknown message '{message_id_}'"
                        + did_you_mean(message_id_, list(known))
                        + " (`feedback webhooks list` shows them)"
                    )
                elif row["status"] == "delivered":
                    problems.append(
                        f"message '{message_id_}' was delivered at {row['delivered']}: "
                        "expected a failed or pending one"
                    )
            if problems:
                raise InvalidInput("\n".join(problems))
            if all_failed:
                wanted += [i for i, row in known.items() if row["status"] == "failed"]
            wanted = list(dict.fromkeys(wanted))
            for message_id_ in wanted:
                db.execute(
                    f"UPDATE {TABLE} SET status = 'pending', attempts = 0, next_attempt = NULL "
                    "WHERE id = ?",
                    [message_id_],
                )
        return wanted
