"""`feedback.exporting`: answer columns, flattening, spreadsheet safety, the three writers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from feedback.exporting import (
    META,
    columns,
    flatten,
    neutralise,
    write_csv,
    write_jsonl,
    write_xlsx,
)
from feedback.survey import Survey

TINY = {
    "id": "tiny",
    "title": "Tiny",
    "scales": {"know": {"points": ["none", "some", "good"]}},
    "questions": [
        {"id": "intro", "type": "note", "label": "Hello"},
        {"id": "role", "type": "single_choice", "label": "Role", "choices": ["mp", "ngo"]},
        {"id": "knowledge", "type": "then_now", "label": "Knowledge", "scale": "know"},
        {"id": "kinds", "type": "multi_choice", "label": "Kinds", "choices": ["a", "b"]},
        {"id": "comments", "type": "text", "label": "Comments"},
    ],
}
LATER = {
    "id": "later",
    "title": "Later",
    "questions": [
        {"id": "role", "type": "single_choice", "label": "Role", "choices": ["mp", "other"]},
        {"id": "useful", "type": "rating", "label": "Useful", "min": 0, "max": 10},
    ],
}


def record(**answers: Any) -> dict[str, Any]:
    return {
        "id": "11111111-1111-4111-8111-111111111111",
        "event": "hague-2011",
        "survey": "tiny",
        "survey_version": "0123456789abcdef",
        "channel": "paper",
        "language": "en",
        "submitted": "2011-01-27",
        "answers": answers,
    }


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example","x")', "+1", "-x", "@SUM(A1)", "\tx", "\r=1", "="],
)
def test_formula_like_text_is_made_inert(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["plain text", "a=b", " =1", "", "'quoted", -3, 2.5, True, None])
def test_other_values_are_left_alone(value: Any) -> None:
    assert neutralise(value) == value


def test_columns_follow_survey_order_without_notes_and_split_then_now() -> None:
    tiny = Survey.model_validate(TINY)
    later = Survey.model_validate(LATER)
    assert columns([tiny]) == ["role", "knowledge.then", "knowledge.now", "kinds", "comments"]
    # a question in both surveys gets one column
    assert columns([tiny, later]) == [*columns([tiny]), "useful"]


def test_flatten() -> None:
    cells = flatten(
        {"knowledge": {"then": "none", "now": "good"}, "kinds": ["a", "b"], "role": "mp"},
        ["role", "knowledge.then", "knowledge.now", "kinds", "comments"],
    )
    assert cells == ["mp", "none", "good", "a;b", None]


def test_write_csv() -> None:
    out = io.StringIO()
    answer_columns = ["role", "passed", "useful", "comments"]
    records = [
        record(role="mp", passed=True, useful=7, comments="=1+1"),
        record(role="ngo", passed=False),
    ]
    assert write_csv(records, answer_columns, out) == 2
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [*META, *answer_columns]
    assert rows[1][len(META) :] == ["mp", "yes", "7", "'=1+1"]
    assert rows[2][len(META) :] == ["ngo", "no", "", ""]


def test_write_jsonl_is_one_sorted_object_per_line() -> None:
    out = io.StringIO()
    records = [record(role="mp", comments="=1+1 ünïcode"), record(role="ngo")]
    assert write_jsonl(records, out) == 2
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == records
    assert "ünïcode" in lines[0]  # not escaped
    assert list(json.loads(lines[0])) == sorted(records[0])


def test_write_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    records = [record(role="mp", useful=7, comments="@cmd"), record(comments="bell\x07")]
    assert write_xlsx(records, ["role", "useful", "comments"], path) == 2
    rows = list(load_workbook(path)["responses"].iter_rows(values_only=True))
    assert rows[0] == (*META, "role", "useful", "comments")
    assert rows[1][len(META) :] == ("mp", 7, "'@cmd")
    # a character XLSX cannot hold is shown as U+FFFD instead of failing the export
    assert rows[2][len(META) :] == (None, None, "bell\ufffd")


def test_write_xlsx_never_writes_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    texts = ["=1+1", "\x01=1+1", "+SUM(A1)", "-2+3"]
    write_xlsx([record(comments=t) for t in texts], ["comments"], path)
    sheet = load_workbook(path)["responses"]
    cells = [row[-1] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["'=1+1", "\ufffd=1+1", "'+SUM(A1)", "'-2+3"]
