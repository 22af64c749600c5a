"""The kiosk's settings: ``[kiosk]`` of ``feedback.toml`` (``FEEDBACK_KIOSK__<KEY>``), declared
through the ``register_settings`` hook and read with ``settings.plugin(KioskSettings)``."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class KioskSettings(BaseModel):
    """``[kiosk]``: the terminal kiosk at the venue."""

    model_config = ConfigDict(extra="forbid")

    event: str | None = Field(default=None, description="Event the kiosk collects for.")
    idle_timeout: float = Field(
        default=90.0, gt=0, description="Seconds without a key press before answers are discarded."
    )
    idle_warning: float = Field(
        default=15.0, ge=0, description="Seconds of visible countdown before the reset."
    )
    thank_you_seconds: float = Field(
        default=6.0, gt=0, description="Seconds the thank-you screen stays up."
    )
    pin_hash: str | None = Field(
        default=None,
        description="Hash of the staff PIN (make one with `feedback kiosk --hash-pin`); "
        "or give the PIN in the environment variable FEEDBACK_KIOSK_PIN.",
    )
    high_contrast: bool = Field(default=False, description="Start in the high-contrast theme.")
    write_timeout: float = Field(
        default=3.0,
        gt=0,
        description="Seconds a submit waits for the database before the response is spooled.",
    )
    spool: Path | None = Field(
        default=None, description="The spool file (default: next to the database)."
    )
    retry_seconds: float = Field(
        default=20.0, gt=0, description="How often spooled responses are retried."
    )
