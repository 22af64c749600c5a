"""The web form as `feedback.registry.Channel.app` builds it: for tests and embedding."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from feedback.engine import Engine
from feedback_web.app import make_app


def channel_app(engine: Engine, **options: Any) -> Starlette:
    """The web form's ASGI app on ``engine`` (every survey and event it holds); ``clock`` times
    its rate limits. ``survey`` and ``event`` are accepted and unused: links name them."""
    options.pop("survey", None)
    options.pop("event", None)
    clock = options.pop("clock", None)
    if options:
        raise TypeError(f"unknown options for the web form: {', '.join(sorted(options))}")
    return make_app(engine) if clock is None else make_app(engine, clock=clock)
