"""When follow-up surveys are due: a survey that ``follows`` another is due ``due_days`` after
each event's date (issue 15). A scheduler runs ``feedback invite --due`` daily; no daemon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from feedback.events import event_date, today

if TYPE_CHECKING:
    from feedback.engine import Engine


@dataclass(frozen=True)
class FollowUp:
    """A follow-up survey at one event: due on ``due`` (the event's date plus its days)."""

    event: str
    survey: str
    wave: str
    due: dt.date

    def is_due(self, on: dt.date) -> bool:
        return self.due <= on


def _runs(engine: Engine) -> set[tuple[str, str]]:
    """The (event, survey) pairs a survey was run at: it has responses or invitations there."""
    rows = engine.store.conn.execute(
        "SELECT DISTINCT event, survey FROM responses"
        " UNION SELECT DISTINCT event, survey FROM invitations"
    )
    return {(str(event), str(survey)) for event, survey in rows}


def follow_ups(engine: Engine) -> list[FollowUp]:
    """Every follow-up survey of the project at every dated event where the survey it follows
    was run (it has responses or invitations there: a follow-up of a survey nobody was asked
    could match nobody), by due date then event."""
    surveys = [s for s, _ in engine.surveys().values() if s.follows is not None]
    runs = _runs(engine)
    found = []
    for event in engine.store.events():
        held = event_date(event)
        if held is None:
            continue  # an event without a date has no "90 days after"
        for survey in surveys:
            assert survey.follows is not None
            if (str(event["id"]), survey.follows.survey) not in runs:
                continue
            due = held + dt.timedelta(days=survey.follows.due_days)
            found.append(FollowUp(str(event["id"]), survey.id, survey.follows.wave, due))
    return sorted(found, key=lambda f: (f.due, f.event, f.survey))


def due_now(engine: Engine, on: dt.date | None = None) -> tuple[list[FollowUp], list[FollowUp]]:
    """The follow-ups due by ``on`` (default: today, the core's clock), and those not yet."""
    day = on or today()
    every = follow_ups(engine)
    return [f for f in every if f.is_due(day)], [f for f in every if not f.is_due(day)]
