"""The kiosk as `feedback.registry.Channel.app` builds it: for tests and embedding."""

from __future__ import annotations

from typing import Any

from feedback.engine import Engine
from feedback.survey import Survey
from feedback_kiosk.app import KioskApp, KioskOptions, make_app


def channel_app(
    engine: Engine,
    *,
    survey: Survey | str | None = None,
    event: str | None = None,
    **options: Any,
) -> KioskApp:
    """A kiosk app on ``engine``: ``survey`` (a `Survey`, an id, or the default survey) at
    ``event`` (the only event when the database holds one); ``options`` are `KioskOptions`
    fields (``locked``, ``pin_hash``, ``idle_timeout`` ...) or ``clock``."""
    if not isinstance(survey, Survey):
        survey = engine.survey(survey)
    if event is None:
        ids = engine.store.event_ids()
        if len(ids) != 1:
            raise ValueError(f"name the event: the database holds {len(ids)} events")
        event = ids[0]
    clock = options.pop("clock", None)
    kiosk_options = KioskOptions(event=event, survey=survey, **options)
    if clock is not None:
        return make_app(engine, kiosk_options, clock=clock)
    return make_app(engine, kiosk_options)
