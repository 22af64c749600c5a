"""The email plugin's settings: ``[email]`` of ``feedback.toml`` (``FEEDBACK_EMAIL__<KEY>``),
declared through the ``register_settings`` hook and read with ``settings.plugin(EmailSettings)``.

The keys kept the names they had at the top level of ``feedback.toml`` before the plugin owned
them (``smtp_host``, ``mail_from`` ...): an older file moves them under ``[email]`` as they are, and
the core's loader says so for any left at the top level. The password is read from the environment
only (``FEEDBACK_EMAIL__SMTP_PASSWORD``): a ``SecretStr`` field, which the file refuses. When
personal links expire and reminders fall due is ``[invitations]`` of the core, shared with the web
form.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

#: The port of each security when ``smtp_port`` is not given.
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class EmailSettings(BaseModel):
    """``[email]``: the SMTP server invitations and reminders go through, and their sender."""

    model_config = ConfigDict(extra="forbid")

    smtp_host: str | None = Field(
        default=None,
        description="The SMTP server invitations go through (not needed with --outbox DIR).",
    )
    smtp_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Its port (default: 25 without security, 587 for starttls, 465 for ssl).",
    )
    smtp_security: Literal["none", "starttls", "ssl"] = Field(
        default="starttls", description="none, starttls or ssl."
    )
    smtp_user: str | None = Field(default=None, description="The SMTP login, if the server asks.")
    smtp_password: SecretStr | None = Field(
        default=None,
        description="The SMTP password: only from the environment "
        "(FEEDBACK_EMAIL__SMTP_PASSWORD); feedback.toml refuses it.",
    )
    smtp_timeout: float = Field(default=30.0, gt=0, description="Seconds an SMTP call may take.")
    smtp_retries: int = Field(
        default=3, ge=0, description="Retries of a temporary SMTP failure, with back-off."
    )
    smtp_backoff: float = Field(
        default=2.0, ge=0, description="Seconds before the first retry; doubled each time."
    )
    mail_from: str | None = Field(
        default=None, description="The From address of invitations, e.g. Seminar team <x@y.org>."
    )

    @property
    def smtp_port_or_default(self) -> int:
        if self.smtp_port is not None:
            return self.smtp_port
        return DEFAULT_PORTS[self.smtp_security]
