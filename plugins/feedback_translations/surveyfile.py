"""Writing translations into a survey's file, keeping the file as its author wrote it.

PyYAML (the project's YAML library) reads comments and layout but cannot write them back, so the
file is edited as text instead: each change replaces or inserts only the few characters of one
value, found by the position PyYAML gives every node (``{en: Age}`` becomes ``{en: Age, fr:
"Âge"}``; a block mapping gets one more line at its own indentation). Comments, key order,
quoting and blank lines stay as they were.

The edited text is then read back through the survey format plugins and must give exactly the
data intended; when it does not (an anchor shared by several places, a block scalar ``|`` to
replace, a JSON file), the whole file is written anew in a stable layout instead
(``yaml.safe_dump``, keys in their order; comments are lost) and the caller says so.
"""

from __future__ import annotations

import contextlib
import copy
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from feedback_translations.strings import Entry, Loc

#: Keys that YAML 1.1 readers take for booleans or null: written quoted.
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


class Unsupported(Exception):
    """A change the text editor does not make; the file is rewritten instead."""


@dataclass(frozen=True)
class Change:
    """One translation to write: the string's entry and its new text."""

    entry: Entry
    text: str


def _key(name: str) -> str:
    return json.dumps(name) if name.lower() in _YAML11_WORDS else name


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def _flow_map(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{_key(k)}: {v}" for k, v in pairs) + "}"


def new_data(data: Any, changes: list[Change], languages: list[str], language: str) -> Any:
    """The survey file's data with ``changes`` written for ``language`` (a copy).

    A text that was the same in every language (plain text, or an option's id alone) becomes a
    text per language: each of the survey's ``languages`` keeps what it showed.
    """
    out = copy.deepcopy(data)
    for change in changes:
        entry = change.entry
        parent = _at(out, entry.loc[:-2]) if len(entry.loc) > 1 else None
        holder = _at(out, entry.loc[:-1])
        key = entry.loc[-1]
        if not isinstance(holder, dict):  # an option given by its id alone
            assert isinstance(parent, list)
            parent[entry.loc[-2]] = {  # type: ignore[index]
                "id": str(holder),
                str(key): _each(languages, entry.fallback, language, change.text),
            }
            continue
        value = holder.get(key)
        if isinstance(value, dict):
            value[language] = change.text
        else:
            old = entry.fallback if value is None else value
            holder[key] = _each(languages, old, language, change.text)
    listed = out.get("languages")
    if listed is None:
        out["languages"] = [*languages, language]
    elif language not in listed:
        listed.append(language)
    return out


def _each(languages: list[str], old: str, language: str, new: str) -> dict[str, str]:
    return {**{lang: old for lang in languages if lang != language}, language: new}


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


# -- editing the text -------------------------------------------------------------------------


def edited_text(text: str, changes: list[Change], languages: list[str], language: str) -> str:
    """The YAML ``text`` with ``changes`` made in place.

    :raises Unsupported: a change this editor does not make.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise Unsupported(str(exc)) from exc
    if not isinstance(root, yaml.MappingNode):
        raise Unsupported("the file is not a mapping")
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[tuple[int, int, str]] = []
    for change in changes:
        edits.append(_edit(text, root, change, languages, language, newline))
    listed = _child(root, "languages")
    if listed is None:
        every = ", ".join(_key(lang) for lang in [*languages, language])
        edits.append(_add(text, root, "languages", f"[{every}]", newline))
    elif not isinstance(listed, yaml.SequenceNode):
        raise Unsupported("languages is not a list")
    elif language not in [n.value for n in listed.value]:
        edits.append(_add(text, listed, None, _key(language), newline))
    for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "<<":
                raise Unsupported("merge keys")
            if key.value == part:
                return value  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return node.value[part] if part < len(node.value) else None
    return None


def _node(root: yaml.Node, loc: Loc) -> yaml.Node:
    node: yaml.Node | None = root
    for part in loc:
        node = _child(node, part) if node is not None else None
    if node is None:
        raise Unsupported(f"no node at {loc}")
    return node


def _edit(
    text: str, root: yaml.Node, change: Change, languages: list[str], language: str, newline: str
) -> tuple[int, int, str]:
    entry, new = change.entry, _quoted(change.text)
    holder = _node(root, entry.loc[:-1])
    key = str(entry.loc[-1])

    def each(old: str) -> str:
        texts = _each(languages, old, language, change.text)
        return _flow_map([(k, _quoted(v)) for k, v in texts.items()])

    if isinstance(holder, yaml.ScalarNode):  # an option given by its id alone
        label = each(entry.fallback)
        return _replace(text, holder, f"{{id: {_span(text, holder)}, {key}: {label}}}")
    value = _child(holder, key)
    if value is None:
        return _add(text, holder, key, each(entry.fallback), newline)
    if isinstance(value, yaml.ScalarNode):
        return _replace(text, value, each(value.value))
    existing = _child(value, language)
    if isinstance(existing, yaml.ScalarNode):
        return _replace(text, existing, new)
    return _add(text, value, language, new, newline)


def _span(text: str, node: yaml.Node) -> str:
    return text[node.start_mark.index : node.end_mark.index]


def _replace(text: str, node: yaml.Node, new: str) -> tuple[int, int, str]:
    if not isinstance(node, yaml.ScalarNode) or node.style in ("|", ">"):
        raise Unsupported("a block scalar")
    return node.start_mark.index, node.end_mark.index, new


def _add(
    text: str, node: yaml.Node, key: str | None, value: str, newline: str
) -> tuple[int, int, str]:
    """Insert ``key: value`` into a mapping node (``key`` None: an item into a sequence)."""
    item = value if key is None else f"{_key(key)}: {value}"
    if not isinstance(node, yaml.MappingNode | yaml.SequenceNode) or not node.value:
        raise Unsupported("an empty or odd collection")
    if node.flow_style:
        end = node.end_mark.index - 1  # the closing bracket
        if text[end] not in "}]":
            raise Unsupported("no closing bracket")
        before = text[:end].rstrip()
        at = len(before)
        return at, at, (" " if before.endswith(",") else ", ") + item
    first = node.value[0][0] if isinstance(node, yaml.MappingNode) else node.value[0]
    last = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    if not isinstance(last, yaml.ScalarNode) or last.style in ("|", ">"):
        raise Unsupported("a block collection that ends in a nested one or a block scalar")
    line_start = text.rfind("\n", 0, first.start_mark.index) + 1
    if isinstance(node, yaml.SequenceNode):
        dash = text.find("-", line_start, first.start_mark.index)
        if dash < 0:
            raise Unsupported("no dash before the first item")
        indent, item = " " * (dash - line_start), "- " + item
    else:
        indent = " " * first.start_mark.column
    end_of_line = text.find("\n", last.end_mark.index)
    at = len(text) if end_of_line < 0 else end_of_line
    if text[at - 1 : at] == "\r":
        at -= 1
    return at, at, newline + indent + item


# -- writing ----------------------------------------------------------------------------------


def render(
    path: Path,
    wanted: Any,
    changes: list[Change],
    languages: list[str],
    language: str,
    read_back: Callable[[Path], Any],
) -> tuple[str, bool]:
    """The new text of the survey file at ``path`` and whether it was edited in place (``False``:
    written anew in the stable layout). ``read_back`` reads a file as the project reads surveys.

    :raises ValueError: not even the stable layout reads back as ``wanted``.
    """
    text = path.read_text(encoding="utf-8-sig")
    candidates: list[tuple[str, bool]] = []
    if path.suffix.lower() != ".json":
        with contextlib.suppress(Unsupported):  # then only the stable layout is tried
            candidates.append((edited_text(text, changes, languages, language), True))
        stable = yaml.safe_dump(wanted, allow_unicode=True, sort_keys=False, width=100)
    else:
        stable = json.dumps(wanted, indent=2, ensure_ascii=False) + "\n"
    candidates.append((stable, False))
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / path.name
        for candidate, in_place in candidates:
            probe.write_text(candidate, encoding="utf-8", newline="")
            try:
                if read_back(probe) == wanted:
                    return candidate, in_place
            except Exception:  # any failure to read back: try the next candidate
                continue
    raise ValueError(f"{path}: the survey with its translations does not read back as written")
