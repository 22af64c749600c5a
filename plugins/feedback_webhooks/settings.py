"""The webhooks' settings: ``[webhooks]`` of ``feedback.toml`` (``FEEDBACK_WEBHOOKS__<KEY>``),
declared through the ``register_settings`` hook and read with ``settings.plugin(WebhookSettings)``.

Each endpoint is a table of its own, ``[webhooks.endpoints.NAME]``, with its URL, the events it
hears of, whether it receives answers, and how its deliveries are retried. Its signing secret is
read from the environment (``FEEDBACK_WEBHOOKS__ENDPOINTS__NAME__SECRET``), so that the file can be
copied and shared. Importing this module imports pydantic only: it is read at every start.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, SecretStr, field_validator

#: The events an endpoint can hear of: a response stored (queued in the outbox with it).
EventType = Literal["response.stored"]
#: The prefix of a Standard Webhooks secret; what follows is the key in base64.
SECRET_PREFIX = "whsec_"
#: The key's length in bytes that the Standard Webhooks specification asks for ("Signature
#: scheme: symmetric", https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/
#: standard-webhooks.md): between 24 and 64 bytes.
KEY_BYTES = (24, 64)
#: an endpoint's name: what an environment variable's name can hold (its secret is given in one)
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def secret_key(secret: str) -> bytes:
    """The key of a ``whsec_...`` secret.

    :raises ValueError: it lacks the prefix, is not base64, or is not 24 to 64 bytes long.
    """
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"expected a secret starting with '{SECRET_PREFIX}'")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"expected base64 after '{SECRET_PREFIX}' ({exc})") from None
    if not KEY_BYTES[0] <= len(key) <= KEY_BYTES[1]:
        raise ValueError(
            f"expected a key of {KEY_BYTES[0]} to {KEY_BYTES[1]} bytes, found {len(key)} bytes"
        )
    return key


class Endpoint(BaseModel):
    """``[webhooks.endpoints.NAME]``: one receiver of signed messages."""

    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl = Field(description="The http(s) URL messages are posted to.")
    secret: SecretStr | None = Field(
        default=None,
        description="The Standard Webhooks signing secret, whsec_ and 24 to 64 bytes in base64: "
        "only from the environment (FEEDBACK_WEBHOOKS__ENDPOINTS__NAME__SECRET).",
    )
    events: list[EventType] = Field(
        default=["response.stored"], description="The events this endpoint hears of."
    )
    include_answers: bool | None = Field(
        default=None,
        description="Send the answers (and the channel and language): true always, false never; "
        "unset, only for surveys that are not anonymous. Without them a message holds the "
        "response id, survey, version, event and date.",
    )
    timeout: float = Field(
        default=5.0, gt=0, le=60, description="Seconds one delivery may take before it failed."
    )
    max_attempts: int = Field(
        default=10, ge=1, description="Attempts before a message is kept as failed."
    )
    backoff_base: float = Field(
        default=30.0,
        gt=0,
        description="Seconds before the second attempt, doubled after each failure "
        "(30 s, 1 min, 2 min ... up to max_backoff).",
    )
    max_backoff: float = Field(
        default=6 * 3600.0, gt=0, description="The longest wait between two attempts, in seconds."
    )

    @field_validator("secret")
    @classmethod
    def _standard_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            secret_key(value.get_secret_value())
        return value

    def answers_for(self, anonymous: bool) -> bool:
        """Whether a message about a response of a survey (anonymous or not) holds its answers."""
        return self.include_answers if self.include_answers is not None else not anonymous


class WebhookSettings(BaseModel):
    """``[webhooks]``: the endpoints told of each stored response."""

    model_config = ConfigDict(extra="forbid")

    endpoints: dict[str, Endpoint] = Field(
        default_factory=dict,
        description="The receivers, by name: [webhooks.endpoints.NAME] tables.",
    )
    batch: int = Field(
        default=100, ge=1, description="Messages one `feedback webhooks deliver` claims at a time."
    )

    @field_validator("endpoints")
    @classmethod
    def _names(cls, value: dict[str, Endpoint]) -> dict[str, Endpoint]:
        for name in value:
            if not _NAME.fullmatch(name):
                raise ValueError(
                    f"expected endpoint names of lower-case letters, digits and _ (the secret "
                    f"is read from FEEDBACK_WEBHOOKS__ENDPOINTS__NAME__SECRET), found {name!r}"
                )
        return value
