"""The web form's settings: ``[web]`` of ``feedback.toml`` (``FEEDBACK_WEB__<KEY>``), declared
through the ``register_settings`` hook and read with ``settings.plugin(WebSettings)``.

``docs/deployment.md`` documents every field (a test checks it). How long a personal link lasts is
``[invitations]`` of the core: the email plugin sends the links, this one answers them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class WebSettings(BaseModel):
    """``[web]``: the web form behind personal links, open links and check-in passes."""

    model_config = ConfigDict(extra="forbid")

    open_links: bool = Field(
        default=True,
        description="Serve open links (/e/<event>, the venue QR code) at all; each event's "
        "open link works only when the event turns it on too (`feedback event add --open-link`).",
    )
    rate_limit: int = Field(
        default=10, ge=1, description="Unknown links one client may try per window."
    )
    rate_window: float = Field(
        default=600.0, gt=0, description="Seconds of the window the rate limit counts in."
    )
    open_link_address_limit: int = Field(
        default=10,
        ge=1,
        description="Responses one client address may give by open links per "
        "open_link_address_window; raise it when many participants share one address (a "
        "venue's Wi-Fi behind one router).",
    )
    open_link_address_window: float = Field(
        default=600.0, gt=0, description="Seconds the per-address open-link limit counts in."
    )
    open_link_event_limit: int = Field(
        default=300, ge=1, description="Responses one event's open link takes per window."
    )
    open_link_event_window: float = Field(
        default=3600.0, gt=0, description="Seconds the per-event open-link limit counts in."
    )
    checkin_days_before: int = Field(
        default=0,
        ge=0,
        description="Days before an event's date that its passes' check-in links (/c/<code>) "
        "already check people in; 0: only on the day (an event without a date: any day).",
    )
    checkin_days_after: int = Field(
        default=0,
        ge=0,
        description="Days after an event's date that its passes' check-in links still check "
        "people in (0: only on the day).",
    )
    max_body: int = Field(
        default=1_000_000,
        ge=1,
        description="Bytes one request body may hold; more is answered 413 before anything is "
        "parsed.",
    )
    header_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a client has to send its request headers, from connecting or from "
        "the end of the previous answer; slower connections are closed with 408.",
    )
    body_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a client has to send its request body once its headers are in.",
    )
    keep_alive: int = Field(
        default=5, ge=1, description="Seconds an idle connection stays open between requests."
    )
    max_connections: int = Field(
        default=500,
        ge=1,
        description="Connections open at once; past it, the one waiting longest for its "
        "headers is closed. Must fit the process's open-file limit.",
    )
