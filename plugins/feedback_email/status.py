"""What became of the invitations of an event: counts by status and one row per person."""

from __future__ import annotations

from typing import Any

from feedback.engine import Engine
from feedback.invitations import Invitations, utcnow
from feedback_email.delivery import known_event


def overview(engine: Engine, event_id: str, survey_id: str | None = None) -> dict[str, Any]:
    """``{"event", "survey", "counts", "invitations"}`` of an event's invitations to a survey.

    ``counts`` holds the statuses (``not sent``, ``failed``, ``outstanding``, ``completed``,
    ``expired``), ``sent``, ``reminded``, ``invitations``, and from the roster the attendees
    ``not invited yet`` (an email address, no invitation) and ``without email``.

    :raises InvalidInput: unknown event or survey.
    """
    known_event(engine, event_id)
    store = engine.store
    survey = engine.survey(survey_id)
    invitations = Invitations(store, engine.settings.invitations.expires_days)
    now = utcnow()
    rows = invitations.list(event_id, survey.id)
    counts: dict[str, int] = invitations.counts(event_id, survey.id, now=now)
    invited = {i.person for i in rows}
    attendees = [r for r in store.roster(event_id) if r["attended"]]
    counts["not invited yet"] = sum(1 for r in attendees if r["email"] and r["id"] not in invited)
    counts["without email"] = sum(1 for r in attendees if not r["email"])
    return {
        "event": event_id,
        "survey": survey.id,
        "counts": counts,
        "invitations": [
            {
                "name": i.name,
                "email": i.email,
                "language": i.language,
                "status": i.status(now),
                "sent": i.sent,
                "via": i.via,
                "reminded": i.reminded,
                "reminders": i.reminders,
                "completed": i.completed,
                "expires": i.expires,
                "error": i.error,
            }
            for i in rows
        ],
    }
