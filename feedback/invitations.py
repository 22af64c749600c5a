"""Personal links: invitations and their tokens.

A token is ``secrets.token_urlsafe(32)``, sent once in an email and never stored: the database keeps
its SHA-256 only, and a link is looked up by that hash and compared in constant time. Every token an
invitation was sent with stays good (a reminder carries a new one) until the invitation is completed
or expires. For an anonymous survey, completing stores no link to the response, and the date only.
The email and web plugins both work through this module; neither writes SQL to these tables.
The web form's drafts and secrets are the web plugin's (`feedback_web.drafts`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from feedback.clock import moment
from feedback.store import Store

TOKEN_BYTES = 32
#: what `secrets.token_urlsafe(32)` makes: 43 characters of the URL-safe alphabet
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
STATUSES = ("not sent", "failed", "outstanding", "completed", "expired")
#: where a personal link leads, under the site's address: the web form serves it and the
#: invitations carry it, so both read it from here
PERSONAL_PATH = "/s/{token}"


def personal_link(base_url: str, token: str) -> str:
    """The personal link of ``token`` on the site at ``base_url`` (no trailing slash)."""
    return base_url.rstrip("/") + PERSONAL_PATH.format(token=token)


def utcnow() -> dt.datetime:
    """Now, by the core's clock (`feedback.events.moment`)."""
    return moment()


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def parse_stamp(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:  # a date alone (an anonymous completion): the start of that day
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def new_token() -> str:
    """A fresh personal token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(token: str) -> bool:
    return bool(TOKEN_PATTERN.match(token))


@dataclass(frozen=True)
class Invitation:
    """One person's invitation to one survey after one event, with what became of it."""

    id: int
    person: int
    name: str
    email: str | None
    event: str
    survey: str
    language: str
    created: str
    expires: str
    sent: str | None
    via: str | None
    reminded: str | None
    reminders: int
    failed: str | None
    error: str | None
    completed: str | None
    response: str | None

    def expired(self, now: dt.datetime | None = None) -> bool:
        expires = parse_stamp(self.expires)
        return expires is not None and (now or utcnow()) >= expires

    def status(self, now: dt.datetime | None = None) -> str:
        """One of `STATUSES`."""
        if self.completed:
            return "completed"
        if self.sent is None:
            return "failed" if self.failed else "not sent"
        if self.expired(now):
            return "expired"
        return "outstanding"

    def last_contact(self) -> dt.datetime | None:
        moments = [m for m in (parse_stamp(self.sent), parse_stamp(self.reminded)) if m]
        return max(moments) if moments else None


_SELECT = """
    SELECT i.id, i.person, p.name, p.email, i.event, i.survey, i.language, i.created, i.expires,
           i.sent, i.via, i.reminded, i.reminders, i.failed, i.error, i.completed, i.response
    FROM invitations i JOIN people p ON p.id = i.person
"""


class Invitations:
    """Invitations and tokens of one store."""

    def __init__(self, store: Store, expires_days: float = 30.0):
        self.store = store
        self.expires_days = expires_days

    # -- creating and sending -------------------------------------------------------------------

    def prepare(
        self,
        event: str,
        survey: str,
        languages: list[str],
        now: dt.datetime | None = None,
    ) -> tuple[list[tuple[Invitation, str]], list[dict[str, Any]]]:
        """Invitations to send for an event: one per attendee who has none sent yet, each with a
        fresh token; and the attendees who cannot be invited (no email address).

        An invitation whose sending failed (or was interrupted) gets a new token; its earlier ones
        stay good, in case a message got through after all. Runs in one transaction.
        """
        now = now or utcnow()
        expires = stamp(now + dt.timedelta(days=self.expires_days))
        out: list[tuple[int, str]] = []
        skipped: list[dict[str, Any]] = []
        with self.store.write() as db:
            attendees = list(
                db.query(
                    """
                    SELECT p.id, p.name, p.email, p.language, i.id AS invitation, i.sent
                    FROM attendance a JOIN people p ON p.id = a.person
                    LEFT JOIN invitations i
                      ON i.person = p.id AND i.event = a.event AND i.survey = ?
                    WHERE a.event = ? AND a.attended
                    ORDER BY p.name, p.id
                    """,
                    [survey, event],
                )
            )
            for row in attendees:
                if not row["email"]:
                    skipped.append(row)
                    continue
                if row["sent"] is not None:
                    continue
                token = new_token()
                invitation = row["invitation"]
                if invitation is None:
                    language = _language(row["language"], languages)
                    invitation = db.execute(
                        "INSERT INTO invitations (token_hash, person, event, survey, language,"
                        " created, expires) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [
                            hash_token(token),
                            row["id"],
                            event,
                            survey,
                            language,
                            stamp(now),
                            expires,
                        ],
                    ).lastrowid
                self._add_token(int(invitation), token, now)
                out.append((int(invitation), token))
        return [(self.get(i), token) for i, token in out], skipped

    def _add_token(self, invitation: int, token: str, now: dt.datetime) -> None:
        self.store.conn.execute(
            "INSERT INTO invitation_tokens (token_hash, invitation, issued) VALUES (?, ?, ?)",
            [hash_token(token), invitation, stamp(now)],
        )

    def issue_token(self, invitation: Invitation, now: dt.datetime | None = None) -> str:
        """A new token for an invitation (a reminder's link); the earlier ones stay good."""
        token = new_token()
        with self.store.write():
            self._add_token(invitation.id, token, now or utcnow())
        return token

    def mark_sent(self, invitation: Invitation, via: str, now: dt.datetime | None = None) -> None:
        """Sent (``via`` "smtp" or "outbox"): the link is good for the configured days from now."""
        now = now or utcnow()
        expires = stamp(now + dt.timedelta(days=self.expires_days))
        with self.store.write():
            self.store.conn.execute(
                "UPDATE invitations SET sent = ?, via = ?, expires = ?, failed = NULL,"
                " error = NULL WHERE id = ?",
                [stamp(now), via, expires, invitation.id],
            )

    def mark_failed(
        self, invitation: Invitation, error: str, now: dt.datetime | None = None
    ) -> None:
        with self.store.write():
            self.store.conn.execute(
                "UPDATE invitations SET failed = ?, error = ? WHERE id = ?",
                [stamp(now or utcnow()), error[:1000], invitation.id],
            )

    def due_reminders(
        self,
        event: str,
        survey: str | None,
        interval_days: float,
        max_reminders: int,
        now: dt.datetime | None = None,
    ) -> list[Invitation]:
        """Sent, not completed, not expired, and last contacted at least ``interval_days`` ago."""
        now = now or utcnow()
        due = []
        for invitation in self.list(event, survey):
            if invitation.status(now) != "outstanding" or invitation.reminders >= max_reminders:
                continue
            last = invitation.last_contact()
            if last is not None and now - last >= dt.timedelta(days=interval_days):
                due.append(invitation)
        return due

    def mark_reminded(
        self, invitation: Invitation, error: str | None = None, now: dt.datetime | None = None
    ) -> None:
        """A reminder went out, or (with ``error``) failed to."""
        when = stamp(now or utcnow())
        with self.store.write():
            if error is None:
                self.store.conn.execute(
                    "UPDATE invitations SET reminded = ?, reminders = reminders + 1 WHERE id = ?",
                    [when, invitation.id],
                )
            else:
                self.store.conn.execute(
                    "UPDATE invitations SET error = ? WHERE id = ?",
                    [f"reminder failed {when}: {error}"[:1000], invitation.id],
                )

    # -- reading --------------------------------------------------------------------------------

    def get(self, invitation_id: int) -> Invitation:
        row = self.store.conn.execute(_SELECT + " WHERE i.id = ?", [invitation_id]).fetchone()
        if row is None:
            raise LookupError(f"no invitation {invitation_id}")
        return Invitation(*row)

    def find(self, token: str) -> Invitation | None:
        """The invitation a token belongs to, or ``None``; by hash, compared in constant time."""
        if not looks_like_token(token):
            return None
        digest = hash_token(token)
        row = self.store.conn.execute(
            _SELECT.replace("SELECT", "SELECT t.token_hash,", 1)
            + " JOIN invitation_tokens t ON t.invitation = i.id WHERE t.token_hash = ?",
            [digest],
        ).fetchone()
        if row is None or not hmac.compare_digest(row[0], digest):
            return None
        return Invitation(*row[1:])

    def list(self, event: str | None = None, survey: str | None = None) -> list[Invitation]:
        clauses, params = [], []
        if event is not None:
            clauses.append("i.event = ?")
            params.append(event)
        if survey is not None:
            clauses.append("i.survey = ?")
            params.append(survey)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self.store.conn.execute(_SELECT + where + " ORDER BY p.name, i.id", params)
        return [Invitation(*row) for row in rows]

    def counts(
        self, event: str, survey: str | None = None, now: dt.datetime | None = None
    ) -> dict[str, int]:
        """How many invitations are in each of `STATUSES`, plus ``sent`` and ``reminded``."""
        invitations = self.list(event, survey)
        counts = Counter(i.status(now) for i in invitations)
        out = {status: counts.get(status, 0) for status in STATUSES}
        out["sent"] = sum(i.sent is not None for i in invitations)
        out["reminded"] = sum(i.reminders > 0 for i in invitations)
        out["invitations"] = len(invitations)
        return out

    # -- completing -----------------------------------------------------------------------------

    def complete(
        self,
        invitation: Invitation,
        response_id: str,
        anonymous: bool,
        now: dt.datetime | None = None,
    ) -> bool:
        """Mark an invitation completed; call inside the transaction that stores its response.
        Return whether it was completed now (``False``: it already was).

        ``anonymous`` (pass ``not survey.traceable``: anonymous and pseudonymous surveys alike):
        the date only, and no link to the response.
        """
        now = now or utcnow()
        when = now.date().isoformat() if anonymous else stamp(now)
        cursor = self.store.conn.execute(
            "UPDATE invitations SET completed = ?, response = ? WHERE id = ? AND completed IS NULL",
            [when, None if anonymous else response_id, invitation.id],
        )
        return cursor.rowcount == 1


def _language(preferred: str | None, languages: list[str]) -> str:
    """The person's language where the survey has it (``nl-BE`` finds ``nl``), else its first."""
    if preferred:
        if preferred in languages:
            return preferred
        base = preferred.split("-")[0].lower()
        for language in languages:
            if language.split("-")[0].lower() == base:
                return language
    return languages[0]
