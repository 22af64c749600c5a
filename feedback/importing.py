"""Reading response files as a stream: JSON Lines (one response per line) or a JSON array.

Each item is paired with where it came from ("line 12", "item 3") so that a rejection can say so.
Nothing is held in memory beyond the item being read; `Engine.submit_many` writes as it goes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import ijson
import orjson
from pydantic import ValidationError

from feedback.errors import InvalidInput
from feedback.responses import Response

MAX_LINE_BYTES = 16 * 1024 * 1024

Item = tuple[str, Response | dict[str, Any] | Exception]
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1000


def _first_char(handle: BinaryIO) -> bytes:
    while True:
        block = handle.read(4096)
        if not block:
            return b""
        stripped = block.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped:
            return stripped[:1]


def read_response_file(path: Path, progress: Progress | None = None) -> Iterator[Item]:
    """Items of a response file. A JSON array is streamed; anything else is read as JSON Lines.

    :param progress: called now and then with the bytes read so far and the file's size.
    :raises InvalidInput: the file cannot be opened, or holds no responses at all.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror}") from exc
    with handle:
        first = _first_char(handle)
        if not first:
            raise InvalidInput(
                f"{path}: empty file: expected JSON Lines or a JSON array of responses"
            )
        handle.seek(0)
        if handle.read(3) != b"\xef\xbb\xbf":  # a BOM (Notepad, PowerShell) is not JSON
            handle.seek(0)
        items = _array_items(handle) if first == b"[" else _line_items(handle)
        if progress is None:
            yield from items
            return
        size = path.stat().st_size
        for count, item in enumerate(items, start=1):
            yield item
            if count % PROGRESS_EVERY == 0:
                progress(handle.tell(), size)
        progress(size, size)


def _line_items(handle: BinaryIO) -> Iterator[Item]:
    for number, raw in enumerate(handle, start=1):
        where = f"line {number}"
        if len(raw) > MAX_LINE_BYTES:
            yield (
                where,
                ValueError(f"line too long: {len(raw):,} bytes (at most {MAX_LINE_BYTES:,})"),
            )
            continue
        if not raw.strip():
            continue
        line = raw.rstrip(b"\r\n")  # so a cut-off line's column is right
        try:  # the fast path: parsed and validated in one go by pydantic-core
            yield where, Response.model_validate_json(line)
            continue
        except ValidationError:
            pass  # parsed again below, so that the engine can say what is wrong, and where
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            yield where, ValueError(_json_problem(line))
            continue
        if not isinstance(value, dict):
            yield where, ValueError(f"expected a JSON object, found {type(value).__name__}")
            continue
        yield where, value


def _json_problem(line: bytes) -> str:
    """Why a line is not JSON, in the standard library's words (orjson's are terser)."""
    try:
        json.loads(line)
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text: {exc.reason} at byte {exc.start + 1}"
    except json.JSONDecodeError as exc:
        return f"not valid JSON: {exc.msg} (column {exc.colno})"
    return "not valid JSON: NaN, Infinity and integers beyond 64 bits are not accepted"


def _array_items(handle: BinaryIO) -> Iterator[Item]:
    number = 0
    try:
        for number, value in enumerate(ijson.items(handle, "item", use_float=True), start=1):
            where = f"item {number}"
            if not isinstance(value, dict):
                yield where, ValueError(f"expected a JSON object, found {type(value).__name__}")
                continue
            yield where, value
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as exc:
        yield f"after item {number}", ValueError(f"not valid JSON: {exc}")
