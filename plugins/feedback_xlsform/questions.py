"""The rows of an XLSForm's survey sheet as our questions and sections, type by type.

``select_one`` is a single choice (yes/no when its list is exactly ``yes`` and ``no``),
``select_multiple`` a multi choice, ``integer`` and ``decimal`` numbers (a simple range
constraint their min and max), ``text`` text (``multiline``: long), ``date`` a date question
(KoboToolbox exports its answers as ISO dates, which it stores as they are), ``note`` a note, and a top-level ``begin_group``/``end_group`` a section; a group's relevance
applies to each of its questions. Other types (``calculate``, repeats, media ...) are refused.
"""

from __future__ import annotations

from typing import Any

from feedback.conditions import All
from feedback_xlsform.reading import (
    DISPLAY_ONLY,
    METADATA,
    ChoiceLists,
    Reader,
    Row,
    date_range,
    number_range,
    relevance,
    scale_of,
)

_SIMPLE = {"integer": "number", "int": "number", "decimal": "number", "text": "text"}
_SIMPLE |= {"string": "text", "date": "date", "note": "note"}
#: what a show_if comparison on each of our types takes (`feedback_xlsform.expressions`)
KINDS = {
    "single_choice": "id", "likert": "id", "multi_choice": "multi", "yes_no": "bool",
    "number": "number", "rating": "number", "text": "text", "date": "date",
}  # fmt: skip


def _words(row: Row) -> list[str]:
    text = row.get("type").replace("begin group", "begin_group").replace("end group", "end_group")
    text = text.replace("select one ", "select_one ").replace(
        "select multiple ", "select_multiple "
    )
    return text.split()


def build_questions(
    reader: Reader, rows: list[Row], lists: ChoiceLists, scale_names: list[str]
) -> dict[str, Any]:
    """``{"questions": [...]}``, or ``{"sections": [...]}`` when the form has groups."""
    sections: list[dict[str, Any]] = []
    loose: dict[str, Any] | None = None  # questions outside any group
    group: dict[str, Any] | None = None
    group_condition: Any = None
    grouped = any(_words(r)[:1] == ["begin_group"] for r in rows)
    i = 0
    while i < len(rows):
        row = rows[i]
        words = _words(row)
        i += 1
        if not words:
            reader.problems.add("survey", row.number, "type", "no type")
            continue
        if words[0] in METADATA and len(words) == 1:
            continue
        if words[0] == "end_group":
            if group is None:
                reader.problems.add("survey", row.number, row.column("type"), "no group to end")
            group = None
            continue
        extras = reader.extras("survey", row)
        if words[0] == "begin_group" and extras.get("type") == "then_now" and group is not None:
            i = _then_now(reader, rows, i, row, extras, group, group_condition)
            continue
        if words[0] == "begin_group":
            if group is not None:
                reader.problems.add(
                    "survey", row.number, row.column("type"),
                    "a group inside a group cannot be carried over (sections do not nest)",
                )  # fmt: skip
                continue
            _display_only(reader, row, "group")
            group = {"id": row.get("name"), "questions": []}
            group.update({k: v for k, v in extras.items()})
            title = reader.text("survey", row, "label")
            if title is not None:
                group["title"] = title
            group_condition = relevance(reader, row)
            sections.append(group)
            loose = None
            continue
        target = group
        if target is None:
            if loose is None:
                loose = {"questions": []}
                sections.append(loose)
            target = loose
        if extras.pop("intro", False) and words == ["note"] and target is group:
            target["intro"] = reader.text("survey", row, "label")
            continue
        question = _question(reader, row, words, extras, lists, scale_names)
        if question is None:
            continue
        condition = question.pop("show_if", None)
        own = group_condition if target is group else None
        if own is not None and condition is not None:
            condition = All((own, condition))
        if (own or condition) is not None:
            question["show_if"] = condition if condition is not None else own
        reader.positions[_loc(sections, target, grouped)] = (row.number, 1)
        target["questions"].append(question)
        if question["type"] in KINDS:
            reader.kinds[question["id"]] = KINDS[question["type"]]
    if group is not None:
        reader.problems.add("survey", None, None, f"the group '{group['id']}' is never ended")
    if not grouped:
        return {"questions": sections[0]["questions"] if sections else []}
    return {"sections": sections}


def _loc(sections: list[dict[str, Any]], target: dict[str, Any], grouped: bool) -> tuple[Any, ...]:
    q = len(target["questions"])
    if not grouped:
        return ("questions", q)
    return ("sections", next(s for s, t in enumerate(sections) if t is target), "questions", q)


def _display_only(reader: Reader, row: Row, kind: str) -> None:
    appearance = row.get("control:appearance")
    if appearance and not set(appearance.split()) <= DISPLAY_ONLY[kind]:
        reader.problems.add(
            "survey", row.number, row.column("control:appearance"),
            f"cannot carry over the appearance {appearance!r}",
        )  # fmt: skip


def _common(reader: Reader, row: Row, kind: str) -> dict[str, Any]:
    question: dict[str, Any] = {"type": kind, "id": row.get("name")}
    if not row.get("name"):
        reader.problems.add("survey", row.number, "name", "no name")
    question["label"] = reader.text("survey", row, "label")
    if question["label"] is None:
        question["label"] = ""
    hint = reader.text("survey", row, "hint")
    if hint is not None:
        question["help"] = hint
    if reader.flag(row, "bind:required"):
        question["required"] = True
    condition = relevance(reader, row)
    if condition is not None:
        question["show_if"] = condition
    return question


def _question(
    reader: Reader,
    row: Row,
    words: list[str],
    extras: dict[str, Any],
    lists: ChoiceLists,
    scale_names: list[str],
) -> dict[str, Any] | None:
    kind = words[0]
    if kind in _SIMPLE and len(words) == 1:
        question = _common(reader, row, _SIMPLE[kind])
        if kind in ("integer", "int", "decimal"):
            whole = kind != "decimal"
            if whole:
                question["integer"] = True
            question |= number_range(reader, row, int if whole else float)
            if extras.get("type") == "rating":
                question.pop("integer", None)
        elif kind == "date":
            question |= date_range(reader, row)
        elif row.get("bind:constraint"):
            reader.problems.add(
                "survey", row.number, row.column("bind:constraint"),
                f"cannot carry over {row.get('bind:constraint')!r}: only a number's or a date's "
                "range",
            )  # fmt: skip
        appearance = row.get("control:appearance")
        if appearance == "multiline" and kind in ("text", "string"):
            question["long"] = True
        elif appearance:
            reader.problems.add(
                "survey", row.number, row.column("control:appearance"),
                f"cannot carry over the appearance {appearance!r}",
            )  # fmt: skip
    elif kind in ("select_one", "select_multiple") and len(words) == 2:
        _display_only(reader, row, "select")
        if words[1] not in lists:
            reader.problems.add(
                "survey", row.number, row.column("type"), f"no choice list '{words[1]}' in the "
                "choices sheet"
            )  # fmt: skip
            return None
        options = lists[words[1]][1]
        ids = sorted(o["id"] for o in options)
        if kind == "select_multiple":
            question = _common(reader, row, "multi_choice")
            question["choices"] = options
        elif extras.get("type") in ("likert",):
            question = _common(reader, row, "likert")
            question["scale"] = words[1] if words[1] in scale_names else scale_of(options)
        elif ids == ["no", "yes"] and extras.get("type") is None:
            question = _common(reader, row, "yes_no")
        else:
            question = _common(reader, row, "single_choice")
            question["choices"] = options
        if row.get("bind:constraint"):
            reader.problems.add(
                "survey", row.number, row.column("bind:constraint"),
                f"cannot carry over {row.get('bind:constraint')!r}: only a number's range",
            )  # fmt: skip
    else:
        reader.problems.add(
            "survey", row.number, row.column("type"),
            f"cannot carry over the type {row.get('type')!r}: only select_one, select_multiple, "
            "integer, decimal, text, date, note and groups",
        )  # fmt: skip
        return None
    question.update(extras)
    return question


def _then_now(
    reader: Reader,
    rows: list[Row],
    i: int,
    row: Row,
    extras: dict[str, Any],
    group: dict[str, Any],
    group_condition: Any,
) -> int:
    """A then/now question, written as a group of two select_one rows ``then`` and ``now``."""
    question = _common(reader, row, "then_now")
    question.update(extras)
    children = []
    while i < len(rows) and _words(rows[i])[:1] != ["end_group"]:
        children.append(rows[i])
        i += 1
    names = [c.get("name") for c in children]
    if names != ["then", "now"] or i == len(rows):
        reader.problems.add(
            "survey", row.number, row.column("type"),
            "a then/now group holds two select_one rows named then and now, then end_group",
        )  # fmt: skip
    condition = question.pop("show_if", None)
    if group_condition is not None and condition is not None:
        condition = All((group_condition, condition))
    if (group_condition or condition) is not None:
        question["show_if"] = condition if condition is not None else group_condition
    group["questions"].append(question)
    return i + 1
