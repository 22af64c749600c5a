"""Built-in plugin: tell other systems of each stored response, by signed webhooks.

Each stored response queues a message for every endpoint of ``[webhooks.endpoints.NAME]`` in an
outbox table, in the engine's transaction (the ``response_storing`` hook): a response is never
stored without its messages, nor a message queued for a response that was not stored. ``feedback
webhooks deliver``, run by a scheduler, sends them signed per the Standard Webhooks
specification, retries failed ones with exponential backoff and keeps them as failed after the
last attempt. httpx and standardwebhooks are imported only when a command sends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from feedback import hookimpl
from feedback.registry import SettingsSection

if TYPE_CHECKING:
    from feedback.cli import FeedbackGroup
    from feedback.engine import Engine
    from feedback.responses import Response
    from feedback.sqlite import Migrations
    from feedback.store import Store
    from feedback.survey import Survey


@hookimpl
def register_commands(cli: FeedbackGroup) -> None:
    cli.add_lazy_command(
        "webhooks",
        "feedback_webhooks.cli:webhooks",
        "Tell other systems of each stored response: signed messages from an outbox.",
    )


@hookimpl
def register_settings(register: Callable[[SettingsSection], None]) -> None:
    from feedback_webhooks.settings import WebhookSettings

    register(
        SettingsSection(
            "webhooks",
            WebhookSettings,
            "The endpoints told of each stored response, by signed webhooks.",
            own_section=True,
        )
    )


@hookimpl
def register_migrations(register: Callable[[Migrations], None]) -> None:
    from feedback_webhooks.migrations import migrations

    register(migrations)


@hookimpl
def response_storing(engine: Engine, store: Store, response: Response, survey: Survey) -> None:
    """Queue the response's messages in the outbox, in the transaction that stores it."""
    from feedback_webhooks.outbox import queue_response
    from feedback_webhooks.settings import WebhookSettings

    settings = engine.settings.plugin(WebhookSettings)
    if settings.endpoints:
        queue_response(store, settings, response, survey)
