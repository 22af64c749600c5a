"""Exporting stored responses: JSON Lines (the import format), CSV and XLSX (one column per question).

Spreadsheet cells whose text starts with ``= + - @`` (or a tab or carriage return) are prefixed with
``'`` so that a spreadsheet shows them as text and never runs them as a formula.

Plugins add formats (SPSS, Stata ...) through ``register_export_formats``: an `ExportFormat` names a
writer, loaded only when its format is chosen, which gets the responses with the survey's versions
(`Export`) and a path to write; `export_file` makes the write whole or not at all, as for the
built-in formats.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from feedback import files
from feedback.registry import Export, ExportFormat
from feedback.store import RESPONSE_COLUMNS
from feedback.survey import Survey, ThenNow

if TYPE_CHECKING:
    from feedback.registry import Registry

__all__ = ["FORMATS", "Export", "ExportFormat", "export_file", "export_formats", "write_with"]

FORMATS = ("csv", "jsonl", "xlsx")
#: the columns of a stored response but its answers (a column per question) and content hash
META = tuple(c for c in RESPONSE_COLUMNS if c not in ("answers", "content_hash"))
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def columns(surveys: Iterable[Survey]) -> list[str]:
    """Answer columns: each question once, in survey order; then/now items as two columns."""
    out: list[str] = []
    for survey in surveys:
        for question in survey.all_questions():
            if not question.answerable:
                continue
            names = (
                [f"{question.id}.then", f"{question.id}.now"]
                if isinstance(question, ThenNow)
                else [question.id]
            )
            out.extend(n for n in names if n not in out)
    return out


def flatten(answers: dict[str, Any], answer_columns: list[str]) -> list[Any]:
    """One row of cells for the answer columns."""
    cells = []
    for column in answer_columns:
        base, _, part = column.partition(".")
        value = answers.get(base)
        if part and isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list):
            value = ";".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False)
        cells.append(value)
    return cells


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def _rows(records: Iterable[dict[str, Any]], answer_columns: list[str]) -> Iterator[list[Any]]:
    for record in records:
        row = [
            record.get(name, False) if name == "partial" else record[name] for name in META
        ] + flatten(record["answers"], answer_columns)
        yield [neutralise(cell) for cell in row]


def write_csv(records: Iterable[dict[str, Any]], answer_columns: list[str], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow([*META, *answer_columns])
    count = 0
    for row in _rows(records, answer_columns):
        writer.writerow(["" if cell is None else _csv_cell(cell) for cell in row])
        count += 1
    return count


def _csv_cell(cell: Any) -> Any:
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    return cell


def _xlsx_cell(cell: Any) -> Any:
    # XLSX cannot hold most control characters (openpyxl refuses them): show each as U+FFFD.
    # Replaced, not removed, so that "\x01=cmd" cannot turn into a formula after `neutralise`.
    if isinstance(cell, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", cell)
    return cell


def write_xlsx(
    records: Iterable[dict[str, Any]], answer_columns: list[str], path: Path | IO[bytes]
) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    try:
        sheet.append([*META, *answer_columns])
        count = 0
        for row in _rows(records, answer_columns):
            sheet.append([_xlsx_cell(cell) for cell in row])
            count += 1
        workbook.save(path)
    except BaseException:
        _discard(sheet)
        raise
    return count


def _discard(sheet: Any) -> None:
    """Close a write-only sheet that failed (a full disk) and remove its temporary file, so that
    its stream is not closed again, noisily, when it is collected."""
    writer = getattr(sheet, "_writer", None)
    if writer is None:
        return
    with contextlib.suppress(Exception):
        if writer.xf is not None:
            writer.xf.close()
    writer.xf = None
    out = getattr(writer, "out", None)
    if isinstance(out, str):
        with contextlib.suppress(OSError):
            os.unlink(out)


def export_formats(pm: Any) -> Registry[ExportFormat]:
    """The formats plugins registered (the built-in csv, jsonl and xlsx are not among them and
    cannot be replaced)."""
    from feedback.registry import collect

    registry: Registry[ExportFormat] = collect(
        pm,
        "register_export_formats",
        "export format",
        lambda f: isinstance(f, ExportFormat),
        "a feedback.exporting.ExportFormat",
    )
    for name in FORMATS:
        if name in registry:
            registry.problems.append(
                f"plugin '{registry.owners[name]}' registered export format '{name}', which is "
                "built in; the built-in format is kept"
            )
            del registry.items[name], registry.owners[name]
    return registry


def write_with(fmt: ExportFormat, export: Export, path: Path) -> int:
    """Run a plugin's writer on a temporary file beside ``path``, then rename it over ``path``:
    a writer that fails (or a kill) leaves ``path`` as it was."""
    from feedback.question_types import load_target

    writer: Callable[[Export, Path], int] = load_target(fmt.writer)
    temporary = files.temporary_name(path)
    try:
        count = writer(export, temporary)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return count


def export_file(
    fmt: str, records: Iterable[dict[str, Any]], answer_columns: list[str], path: Path
) -> int:
    """Write an export to ``path`` whole or not at all (`feedback.files.atomic_write`): a kill or a
    full disk midway leaves the previous file as it was. Returns the number of responses written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        with files.atomic_write(path, "wb") as binary:
            return write_xlsx(records, answer_columns, binary)
    with files.atomic_write(path, newline="") as out:
        if fmt == "jsonl":
            return write_jsonl(records, out)
        return write_csv(records, answer_columns, out)
