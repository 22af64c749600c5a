"""``feedback offline import PATH...``: response files of the offline form, their bundles, and filled
CSV templates of paper forms.

Each file is all or nothing: it is checked whole (format, checksum, known survey version, known
event, channel, date, answers) and stored by `Engine.submit_batches` in a savepoint of its own, so a
bad file changes nothing while the good ones go in. The engine commits files together in groups,
so ten thousand small files do not cost ten thousand synchronous commits; a group never holds the
database for long.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import orjson

from feedback.cli import CommandError, db_option, state
from feedback.engine import BatchResult, Engine, Rejection
from feedback.errors import FeedbackError
from feedback.i18n import plural
from feedback_offline.files import BUNDLE, FORMAT, FORMAT_VERSION, checksum

MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = (".json", ".csv")
#: files stored in one transaction (`Engine.submit_batches`), and the longest it stays open
GROUP_FILES = 500
GROUP_SECONDS = 1.0

Item = tuple[str, dict[str, Any] | Exception]


class FileRefused(Exception):
    """A file that cannot be read at all: its problem, for the summary."""


@dataclass
class FileReport:
    """What became of one file."""

    path: Path
    received: int = 0
    stored: int = 0
    already_stored: int = 0
    conflicts: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.rejected and not self.conflicts

    def absorb(self, result: BatchResult) -> None:
        self.received += result.received
        self.stored += result.stored
        self.already_stored += result.already_stored
        self.conflicts += result.conflicts
        self.rejected += result.rejected


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileReport]]:
    """The files to import: files as given, folders searched (sorted) for .json and .csv files.

    A path that does not exist is reported, not raised: the others still go.
    """
    found: list[Path] = []
    missing: list[FileReport] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                (
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
                ),
                key=lambda p: p.parts,  # the same order as sorting paths, at a quarter of the cost
            )
        elif path.is_file():
            found.append(path)
        else:
            missing.append(FileReport(path, problem="no such file or folder"))
    return found, missing


def read_json_file(path: Path) -> list[Item]:
    """The responses of a response file or a bundle, each checked against its checksum.

    :raises FileRefused: the file is empty, too large, not UTF-8 JSON, or of another format.
    """
    size = path.stat().st_size
    if size == 0:
        raise FileRefused("empty file: expected a response file of the offline form (JSON)")
    if size > MAX_BYTES:
        raise FileRefused(f"too large: {size:,} bytes, at most {MAX_BYTES:,} for a response file")
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FileRefused(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    if not isinstance(document, dict):
        raise FileRefused(
            f'expected a response file (a JSON object with "format": "{FORMAT}"), '
            f"found {_kind(document)}"
        )
    kind = document.get("format")
    version = document.get("format_version")
    if kind not in (FORMAT, BUNDLE):
        raise FileRefused(
            f"format: expected '{FORMAT}' or '{BUNDLE}', found {_shown(kind)}"
            + (
                " (is it a response export? use `feedback responses import`)"
                if kind is None
                else ""
            )
        )
    if version != FORMAT_VERSION:
        raise FileRefused(
            f"format_version: expected {FORMAT_VERSION}, found {_shown(version)} "
            "(written by a newer version of feedback?)"
        )
    if kind == FORMAT:
        return [_checked(str(path), document)]
    files = document.get("files")
    if not isinstance(files, list):
        raise FileRefused(f"files: expected a list of response files, found {_kind(files)}")
    return [_checked(f"{path} file {i}", entry) for i, entry in enumerate(files, start=1)]


def _checked(where: str, document: Any) -> Item:
    """One response file's response, or why it cannot be taken."""
    if not isinstance(document, dict):
        return where, ValueError(f"expected a response file object, found {_kind(document)}")
    if document.get("format") != FORMAT:
        return where, ValueError(
            f"format: expected '{FORMAT}', found {_shown(document.get('format'))}"
        )
    response = document.get("response")
    if not isinstance(response, dict):
        return where, ValueError(f"response: expected an object, found {_kind(response)}")
    stated = document.get("checksum")
    actual = checksum(response)
    if stated != actual:
        return where, ValueError(
            f"checksum: the response does not match its checksum, so the file was changed or "
            f"damaged after it was saved (stated {_shown(stated)}, computed {actual})"
        )
    if not response.get("survey_version"):
        return where, ValueError(
            "survey_version: missing (an offline form always records the version it showed)"
        )
    return where, response


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _shown(value: Any) -> str:
    text = orjson.dumps(value).decode() if not isinstance(value, bytes) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def read_file(engine: Engine, path: Path) -> list[Item]:
    """The responses of any file the importer takes.

    :raises FileRefused: the file cannot be read as a whole.
    """
    if path.suffix.lower() == ".csv":
        from feedback_offline.paper import read_entry_csv

        try:
            return list(read_entry_csv(engine, path).items)
        except FeedbackError as exc:
            raise FileRefused(str(exc)) from exc
    try:
        return read_json_file(path)
    except OSError as exc:
        raise FileRefused(f"cannot read: {exc.strerror or exc}") from exc


def import_files(
    engine: Engine,
    paths: Iterable[Path],
    progress: Callable[[int, int], None] | None = None,
) -> list[FileReport]:
    """Import every file found under ``paths``; one report per file, in order.

    Each file is one batch of `Engine.submit_batches`: stored whole or not at all, committed
    together with the files around it (at most `GROUP_FILES` files, about `GROUP_SECONDS` to a
    transaction, the engine's).
    """
    files, reports = find_files(paths)
    total = len(files)

    def batches() -> Iterator[tuple[FileReport, list[Item]]]:
        for index, path in enumerate(files, start=1):
            report = FileReport(path)
            reports.append(report)
            try:
                items = read_file(engine, path)
            except FileRefused as exc:
                report.problem = str(exc)
                items = []
            else:
                if not items:
                    report.problem = "no responses in the file"
            if items:
                yield report, items  # all of the file, or none of it
            if progress:
                progress(index, total)

    for report, result in engine.submit_batches(
        batches(), group=GROUP_FILES, seconds=GROUP_SECONDS
    ):
        report.absorb(result)
    return reports


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=False))
@db_option
def import_command(paths: tuple[Path, ...], db: Path | None) -> None:
    """Import response files of the offline form (and their "export all" bundles) and filled CSV
    templates of paper forms: files, or folders to search.

    Each file is checked whole and stored whole or not at all. Importing the same files again
    stores nothing new; a response whose id is stored with other content is kept apart for
    review. Exit code 2 when anything was rejected.
    """
    engine = state().engine(db)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("Importing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("import", total=None)
        reports = import_files(
            engine, paths, lambda done, total: bar.update(task, completed=done, total=total)
        )
    _summarise(reports)


def _summarise(reports: list[FileReport]) -> None:
    stored = sum(r.stored for r in reports)
    already = sum(r.already_stored for r in reports)
    refused = [r for r in reports if r.problem is not None or r.rejected]
    conflicts = [(r.path, c) for r in reports for c in r.conflicts]
    for report in refused:
        click.echo(f"rejected {report.path}:", err=True)
        if report.problem is not None:
            click.echo(f"  {report.problem}", err=True)
        for rejection in report.rejected:
            click.echo(f"  {rejection.render()}", err=True)
        if report.received and report.rejected:
            click.echo(
                f"  nothing of this file was stored ({plural(report.received, 'response')} in it)",
                err=True,
            )
    for path, response_id in conflicts:
        click.echo(
            f"conflict {path}: response {response_id} is stored with other content; the new one "
            "is kept in the conflicts table for review",
            err=True,
        )
    files = len(reports)
    click.echo(
        f"{plural(files, 'file')}: {plural(stored, 'response')} stored, {already} already "
        f"present, {plural(len(refused), 'file')} rejected, {plural(len(conflicts), 'conflict')}"
    )
    if refused or conflicts:
        raise CommandError("some files were not imported (see above)", 2)
