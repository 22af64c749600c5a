"""``feedback webhooks``: deliver the outbox's messages, list them, retry failed ones, and send a
signed test event to an endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from feedback.cli import db_option, json_option, state
from feedback.clock import moment
from feedback.errors import InvalidInput, did_you_mean
from feedback.i18n import plural
from feedback.text import shown
from feedback_webhooks.outbox import Outbox
from feedback_webhooks.settings import Endpoint, WebhookSettings


def _outbox(db: Path | None) -> Outbox:
    engine = state().engine(db)
    return Outbox(engine.store, engine.settings.plugin(WebhookSettings), moment)


@click.group()
def webhooks() -> None:
    """Tell other systems of each stored response: signed messages from an outbox.

    Messages are queued with each response stored, for every endpoint of
    [webhooks.endpoints.NAME] in feedback.toml; `feedback webhooks deliver`, run by a scheduler,
    sends those due and retries failed ones with exponential backoff.
    """


@webhooks.command()
@db_option
def deliver(db: Path | None) -> None:
    """Send every message due now, and record each outcome.

    Run it from a scheduler (cron, a systemd timer) every minute or so: the kiosk and the web
    form only queue messages, so a participant never waits on a receiver. A message that fails
    is due again after its endpoint's backoff; after its last attempt it is kept as failed
    (`feedback webhooks list --failed`, `feedback webhooks retry`).
    """
    from feedback_webhooks.delivery import Deliverer

    with Deliverer(_outbox(db)) as deliverer:
        report = deliverer.run()
    _print_report(report)


def _print_report(report: Any) -> None:
    click.echo(f"{plural(len(report.delivered), 'message')} delivered")
    for message, why, again in report.retrying:
        click.echo(f"{message.id} to {message.endpoint}: {why}; due again at {again}")
    for message, why in report.failed:
        click.echo(
            f"{message.id} to {message.endpoint}: {why}; kept as failed after "
            f"{plural(message.attempts, 'attempt')}"
        )


@webhooks.command(name="list")
@click.option("--failed", is_flag=True, help="Only the messages kept as failed.")
@click.option("--pending", is_flag=True, help="Only the messages waiting to be delivered.")
@json_option
@db_option
def list_(failed: bool, pending: bool, as_json: bool, db: Path | None) -> None:
    """List the outbox's messages: endpoint, response, status, attempts and the last error."""
    if failed and pending:
        raise InvalidInput("--failed and --pending: expected one of them, found both")
    status = "failed" if failed else "pending" if pending else None
    messages = _outbox(db).messages(status)
    if as_json:
        click.echo(json.dumps([m.__dict__ for m in messages], indent=2, ensure_ascii=False))
        return
    if not messages:
        click.echo(f"no {status or ''} messages".replace("  ", " "))
        return
    # a line for each message and one for its error: ids are too long for a table's columns
    for m in messages:
        state_ = {
            "pending": f"pending, due {m.next_attempt or 'now'}",
            "delivered": f"delivered at {m.delivered}",
            "failed": "failed",
        }[m.status]
        click.echo(
            f"{m.id}  {shown(m.endpoint)}  {state_}  ({plural(m.attempts, 'attempt')}; "
            f"response {m.response_id or '-'})"
        )
        if m.last_error and m.status != "delivered":
            click.echo(f"    last error: {shown(m.last_error)}")


@webhooks.command()
@click.argument("ids", nargs=-1)
@click.option("--all-failed", is_flag=True, help="Every message kept as failed.")
@db_option
def retry(ids: tuple[str, ...], all_failed: bool, db: Path | None) -> None:
    """Queue failed messages again and send them now, with their own ids.

    A message keeps its webhook-id, so a receiver that got it before can tell. Its attempts
    count from zero again.
    """
    from feedback_webhooks.delivery import Deliverer

    if not ids and not all_failed:
        raise InvalidInput("expected message ids or --all-failed, found neither")
    outbox = _outbox(db)
    queued = outbox.requeue(ids, all_failed=all_failed)
    click.echo(f"{plural(len(queued), 'message')} queued again")
    if queued:
        with Deliverer(outbox) as deliverer:
            _print_report(deliverer.run(queued))


@webhooks.command()
@click.argument("target")
@click.option(
    "--secret",
    envvar="FEEDBACK_WEBHOOKS_TEST_SECRET",
    help="The whsec_ secret to sign with, for a URL that is no endpoint "
    "(or FEEDBACK_WEBHOOKS_TEST_SECRET).",
)
@db_option
def test(target: str, secret: str | None, db: Path | None) -> None:
    """Send a signed test event to an endpoint (by name) or a URL.

    The event's type is webhook.test; it is not kept in the outbox. Exit code 1 when the
    receiver did not take it.
    """
    import httpx

    from feedback_webhooks.delivery import send_test_event

    settings = state().engine(db).settings.plugin(WebhookSettings)
    name, endpoint = _endpoint(settings, target, secret)
    with httpx.Client(follow_redirects=False) as client:
        msg_id, why = send_test_event(client, name, endpoint)
    if why is not None:
        raise click.ClickException(f"{endpoint.url}: not delivered: {why} (message {msg_id})")
    click.echo(f"{endpoint.url}: delivered a signed test event (message {msg_id})")


def _endpoint(settings: WebhookSettings, target: str, secret: str | None) -> tuple[str, Endpoint]:
    """The endpoint named ``target``, or the one whose URL it is, or a new one for the URL."""
    if target in settings.endpoints:
        return target, settings.endpoints[target]
    for name, endpoint in settings.endpoints.items():
        if str(endpoint.url) == target and secret is None:
            return name, endpoint
    if "://" not in target:
        raise InvalidInput(
            f"unknown endpoint '{target}'"
            + did_you_mean(target, list(settings.endpoints))
            + f" (known: {', '.join(settings.endpoints) or 'none'}); or give a URL"
        )
    if secret is None:
        raise InvalidInput(f"{target}: expected --secret whsec_... to sign with, found none")
    try:
        return "test", Endpoint.model_validate({"url": target, "secret": secret})
    except ValueError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in getattr(exc, "errors", lambda: [])()
        )
        raise InvalidInput(f"{target}: {problems or exc}") from exc
