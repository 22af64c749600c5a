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
#: Lists and objects inside each other, at most (a response needs four levels).
MAX_DEPTH = 32

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
    except RecursionError:
        return "not valid JSON: lists and objects nested too deeply"
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text: {exc.reason} at byte {exc.start + 1}"
    except json.JSONDecodeError as exc:
        return f"not valid JSON: {exc.msg} (column {exc.colno})"
    return "not valid JSON: NaN, Infinity and integers beyond 64 bits are not accepted"


def _too_deep(handle: BinaryIO) -> str | None:
    """Where the file nests lists and objects deeper than `MAX_DEPTH`, or None.

    ijson's item builder keeps the path of every level, so memory grows with the square of the
    depth (a 200 kB file of nested brackets needs tens of GB): the depth is checked first, by a
    pass that keeps no path.
    """
    depth = 0
    number = 0
    try:
        for event, _ in ijson.basic_parse(handle, use_float=True):
            if event in ("start_map", "start_array"):
                depth += 1
                if depth == 2:
                    number += 1
                if depth > MAX_DEPTH:
                    return f"item {number}"
            elif event in ("end_map", "end_array"):
                depth -= 1
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError):
        return None  # said by the reading proper, with the item where it happens
    return None


def _array_items(handle: BinaryIO) -> Iterator[Item]:
    start = handle.tell()
    where = _too_deep(handle)
    handle.seek(start)
    if where is not None:
        yield (
            where,
            ValueError(f"not accepted: lists and objects nested more than {MAX_DEPTH} levels deep"),
        )
        return
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
