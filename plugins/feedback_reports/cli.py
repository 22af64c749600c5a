"""``feedback report``: an event's (or the programme's) outcome report, written to a file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from feedback import files
from feedback.cli import CommandError, check_output, db_option, scoring_context, state
from feedback.errors import did_you_mean
from feedback.i18n import plural


class Stages:
    """Stages of the work shown on a progress bar (stderr, only when it is a terminal)."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress = progress
        self.task = progress.add_task("report", total=total) if progress else None
        self.started = False

    def total(self, total: int) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, total=total)

    def __call__(self, description: str) -> None:
        if self.progress is not None and self.task is not None:
            advance = 1 if self.started else 0
            self.progress.update(self.task, description=description, advance=advance)
        self.started = True


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Stages]:
    console = Console(stderr=True)
    if not console.is_terminal:
        yield Stages(None, total)
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        yield Stages(progress, total)


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (`feedback.files.write_text`), checked
    again: the folder may have changed while the report was made."""
    check_output(path)
    try:
        files.write_text(path, text)
    except OSError as exc:
        raise CommandError(f"-o: cannot write {path}: {exc.strerror or exc}", 2) from exc


@click.command()
@click.option("--event", help="The event to report on.")
@click.option(
    "--programme",
    is_flag=True,
    help="Every event so far: cumulative reach, and each outcome pooled and event by event.",
)
@click.option(
    "--format",
    "fmt",
    default="html",
    show_default=True,
    help="html (one self-contained page with charts), md or json; plugins may add more.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (default: report-EVENT.SUFFIX, or report-programme.SUFFIX).",
)
@db_option
def report(
    event: str | None, programme: bool, fmt: str, output: Path | None, db: Path | None
) -> None:
    """Write the outcome report of an event, or of the programme so far, for the funder.

    Outcomes first, as sentences with their denominators and intervals; then each result in detail
    with breakdowns (groups of fewer than the minimum cell size are not shown); methods and
    caveats; the free-text comments set apart for review.
    """
    from feedback.scoring import paused_gc, score
    from feedback_reports.build import build_report, event_contexts

    if event is not None and programme:
        raise CommandError("give --event ID or --programme, not both", 2)
    engine = state().engine(db)
    formats = engine.report_formats
    if fmt not in formats:
        known = ", ".join(formats.names()) or "none (no report plugin is installed)"
        raise CommandError(
            f"--format: unknown report format '{fmt}' (known: {known})"
            + did_you_mean(fmt, formats.names()),
            2,
        )
    chosen = formats[fmt]
    suffix = chosen.suffix if chosen.suffix.startswith(".") else f".{chosen.suffix}"
    try:
        path = output or files.default_output("report-", event or "programme", suffix)
    except files.UnsafeOutput as exc:
        raise CommandError(f"-o: {exc}", 2) from exc
    check_output(path, engine.store.path)
    with _progress(4) as step, paused_gc():
        step("reading answers")
        context = scoring_context(db, event, programme)
        step("scoring")
        results = score(engine, context)
        if programme:  # a stage per event, known once the context is read
            step.total(4 + len(event_contexts(context)))
        report_ = build_report(engine, context, results, step=step)
        step(f"rendering {fmt}")
        try:
            text = chosen.render(report_)
        except Exception as exc:
            owner = formats.owners.get(fmt, "?")
            raise CommandError(
                f"report format '{fmt}' (plugin '{owner}') failed: {exc!r}", 1
            ) from exc
    _write(path, text)
    click.echo(
        f"wrote {path}: {report_.title} ({plural(report_.n_responses, 'response')}, "
        f"{plural(len(report_.results), 'result')}, "
        f"{plural(len(report_.comments), 'comment')} for review)"
    )
