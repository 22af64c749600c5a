"""``feedback serve`` (the web form) and ``feedback qr`` (the venue QR code of an event)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import click

from feedback import files
from feedback.cli import CommandError, check_output, db_option, state
from feedback.errors import FeedbackError, did_you_mean

QR_SUFFIXES = (".svg", ".png")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--proxy-headers/--no-proxy-headers",
    default=False,
    show_default=True,
    help="Trust X-Forwarded-For/-Proto from the proxy in front (for the rate limit and https).",
)
@click.option(
    "--header-timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a client has to send its request headers [web.header_timeout, 10].",
)
@click.option(
    "--body-timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a client has to send its request body [web.body_timeout, 30].",
)
@click.option(
    "--keep-alive",
    type=click.IntRange(min=1),
    help="Seconds an idle connection stays open between requests [web.keep_alive, 5].",
)
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    help="Connections open at once; past it the slowest waiting one is closed "
    "[web.max_connections, 500].",
)
@db_option
def serve(
    host: str,
    port: int,
    proxy_headers: bool,
    header_timeout: float | None,
    body_timeout: float | None,
    keep_alive: int | None,
    max_connections: int | None,
    db: Path | None,
) -> None:
    """Serve the web form: personal links (/s/<token>) and open links (/e/<event>).

    Put it behind a TLS-terminating proxy to reach it from outside; set base_url
    (FEEDBACK_BASE_URL) to the address participants use. The limits default to the [web]
    settings (FEEDBACK_WEB__HEADER_TIMEOUT ...), named in brackets with their defaults; a request
    body is limited by web.max_body (1000000 bytes).
    """
    from feedback_web import form as web_form
    from feedback_web.app import make_app
    from feedback_web.security import RedactTokens
    from feedback_web.server import ServerLimits, make_server
    from feedback_web.settings import WebSettings

    engine = state().engine(db)
    try:
        limits = ServerLimits.from_settings(
            engine.settings.plugin(WebSettings),
            header_timeout=header_timeout,
            body_timeout=body_timeout,
            keep_alive=keep_alive,
            max_connections=max_connections,
        )
    except ValueError as exc:
        raise CommandError(str(exc), 2) from exc
    # a broken default survey, or a survey with a question the web form cannot draw (the
    # default one, an invitation's), is reported now (exit code 2), not at the first participant
    try:
        web_form.require_served(engine)
    except FeedbackError as exc:
        raise CommandError(str(exc), exc.exit_code) from exc
    app = make_app(engine)
    for name in ("uvicorn.access", "uvicorn.error", "uvicorn"):
        logging.getLogger(name).addFilter(RedactTokens())
    try:
        server = make_server(app, limits, host=host, port=port, proxy_headers=proxy_headers)
    except ValueError as exc:
        raise CommandError(str(exc), 2) from exc
    base = engine.settings.base_url or f"http://{host}:{port}"
    click.echo(f"Serving the web form on http://{host}:{port} (links start with {base})", err=True)
    server.run()


@click.command()
@click.option("--event", "event_id", required=True, help="The event whose open link to encode.")
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the code to this file too: .svg or .png (may be given more than once).",
)
@click.option(
    "--scale",
    default=10,
    show_default=True,
    type=click.IntRange(1, 100),
    help="Pixels per module in the files.",
)
@db_option
def qr(event_id: str, outputs: tuple[Path, ...], scale: int, db: Path | None) -> None:
    """Show the QR code of an event's open link, to project or print at the venue."""
    import segno

    engine = state().engine(db)
    if engine.store.event(event_id) is None:
        hint = did_you_mean(event_id, engine.store.event_ids())
        raise CommandError(f"unknown event '{event_id}'{hint}", 2)
    base = engine.settings.base_url
    if not base:
        raise CommandError(
            "no base URL: set base_url in feedback.toml or FEEDBACK_BASE_URL to the address "
            "participants reach `feedback serve` at (e.g. https://feedback.example.org)",
            2,
        )
    for path in outputs:
        if path.suffix.lower() not in QR_SUFFIXES:
            raise CommandError(
                f"{path}: expected a file name ending in .svg or .png, found '{path.suffix}'", 2
            )
        check_output(path, engine.store.path)
    link = f"{base.rstrip('/')}/e/{event_id}"
    code = segno.make(link, error="m")
    code.terminal(compact=True)
    click.echo(link)
    for path in outputs:
        out = io.BytesIO()
        if path.suffix.lower() == ".svg":
            code.save(out, kind="svg", scale=scale, title=link, border=4)
        else:
            code.save(out, kind="png", scale=scale, border=4)
        try:
            files.write_bytes(path, out.getvalue())  # whole or not at all
        except OSError as exc:
            raise CommandError(f"-o: cannot write {path}: {exc.strerror or exc}", 2) from exc
        click.echo(f"Wrote {path}", err=True)
