"""`feedback.importing.read_response_file`: JSON Lines or a JSON array, each item located."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from feedback import importing
from feedback.errors import InvalidInput
from feedback.importing import read_response_file


def items(path: Path) -> list[tuple[str, Any]]:
    """The items as (where, value or the error's message)."""
    return [
        (where, str(value) if isinstance(value, Exception) else value)
        for where, value in read_response_file(path)
    ]


def test_json_lines_with_bom_crlf_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"n": 1}\r\n\r\n   \n{"n": 2}\r\n{"n": 3}')
    assert items(path) == [("line 1", {"n": 1}), ("line 4", {"n": 2}), ("line 5", {"n": 3})]


def test_bad_lines_are_located_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"n": 1}\n{"n": \n[1, 2]\n"text"\n{"n": "\xe9"}\n{"n": 6}\n')
    found = items(path)
    assert [where for where, _ in found] == [f"line {n}" for n in range(1, 7)]
    assert found[0][1] == {"n": 1}
    assert found[1][1].startswith("not valid JSON: Expecting value (column 7)")
    assert found[2][1] == "expected a JSON object, found list"
    assert found[3][1] == "expected a JSON object, found str"
    assert found[4][1].startswith("not UTF-8 text")
    assert found[5][1] == {"n": 6}


def test_a_line_too_long_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "MAX_LINE_BYTES", 20)
    path = tmp_path / "in.jsonl"
    path.write_text('{"n": 1}\n{"text": "' + "x" * 40 + '"}\n{"n": 3}\n', encoding="utf-8")
    found = items(path)
    assert found[0] == ("line 1", {"n": 1})
    assert found[1][0] == "line 2"
    assert found[1][1].startswith("line too long")
    assert found[2] == ("line 3", {"n": 3})


def test_json_array_items_are_numbered(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text("\ufeff\n  " + json.dumps([{"n": 1}, 2, {"n": 3.5}], indent=2), "utf-8")
    found = items(path)
    assert found == [
        ("item 1", {"n": 1}),
        ("item 2", "expected a JSON object, found int"),
        ("item 3", {"n": 3.5}),
    ]
    assert isinstance(found[2][1]["n"], float)  # floats, not Decimals: they store as JSON


def test_broken_json_array_says_after_which_item(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text('[{"n": 1}, {"n": 2}, {"n": ', encoding="utf-8")
    found = items(path)
    assert found[:2] == [("item 1", {"n": 1}), ("item 2", {"n": 2})]
    assert found[2][0] == "after item 2"
    assert found[2][1].startswith("not valid JSON")
    assert len(found) == 3


def test_empty_array_has_no_items(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text("[]", encoding="utf-8")
    assert items(path) == []


@pytest.mark.parametrize("content", [b"", b"\n \r\n\t", b"\xef\xbb\xbf\n"])
def test_empty_file_is_invalid_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match="empty file: expected JSON Lines or a JSON array"):
        items(path)


def test_missing_file_is_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "nope.jsonl"
    with pytest.raises(InvalidInput, match=r"nope\.jsonl: cannot read"):
        items(path)


def test_items_are_read_as_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"n": n}) + "\n" for n in range(10_000)), "utf-8")
    stream = read_response_file(path)
    assert next(stream) == ("line 1", {"n": 0})
    assert next(stream) == ("line 2", {"n": 1})
    stream.close()


@pytest.mark.parametrize("as_array", [False, True])
def test_progress_is_reported_as_bytes_read(tmp_path: Path, as_array: bool) -> None:
    records = [{"n": i, "text": "x" * 50} for i in range(2500)]
    path = tmp_path / ("r.json" if as_array else "r.jsonl")
    if as_array:
        path.write_text(json.dumps(records))
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
    calls: list[tuple[int, int]] = []
    read = list(read_response_file(path, lambda done, total: calls.append((done, total))))
    size = path.stat().st_size
    assert len(read) == 2500
    assert len(calls) == 3  # every 1,000 items, and once at the end
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert all(total == size for _, total in calls)
    assert calls[-1] == (size, size)
    assert 0 < calls[0][0] < size
