"""Built-in plugin: survey files in YAML and JSON, and the ``import`` channel for response files.

YAML is read as YAML 1.2 would: only ``true``/``false`` are booleans, so a choice ``no`` or the
country code ``NO`` stays text. Duplicate keys are an error, not a silent overwrite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from feedback import hookimpl
from feedback.errors import Problem, SurveyError
from feedback.loading import SurveyDocument
from feedback.registry import Channel

MAX_SURVEY_BYTES = 5 * 1024 * 1024
Loc = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (``yes``/``no``/``on``/``off`` stay strings)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_SURVEY_BYTES:
        raise SurveyError(
            path,
            [Problem(f"too large for a survey: {size:,} bytes (at most {MAX_SURVEY_BYTES:,})")],
        )
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SurveyError(
            path, [Problem(f"not UTF-8 text: {exc.reason} at byte {exc.start}")]
        ) from exc


def _convert(
    loader: _Loader,
    node: yaml.Node,
    loc: Loc,
    positions: dict[Loc, tuple[int, int]],
    depth: int = 0,
) -> Any:
    if depth > 100:
        raise yaml.YAMLError("nested more than 100 levels deep")
    positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or isinstance(key, bool):
                key = str(key)
            if key in out:
                raise yaml.MarkedYAMLError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key '{key}' appears twice",
                    key_node.start_mark,
                )
            out[key] = _convert(loader, value_node, (*loc, key), positions, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, (*loc, i), positions, depth + 1)
            for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def read_yaml(text: str) -> tuple[Any, dict[Loc, tuple[int, int]]]:
    """Parse YAML text into plain data and the position of each part."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        positions: dict[Loc, tuple[int, int]] = {}
        data = None if node is None else _convert(loader, node, (), positions)
        return data, positions
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return Problem(message)
    return Problem(message, line=mark.line + 1, column=mark.column + 1)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key '{key}' appears twice")
        out[key] = value
    return out


def read_json(text: str) -> tuple[Any, dict[Loc, tuple[int, int]]]:
    """Parse JSON text; positions come from reading it again as YAML, where that works."""
    data = json.loads(text, object_pairs_hook=_no_duplicates)
    try:
        _, positions = read_yaml(text)
    except yaml.YAMLError:
        positions = {}
    return data, positions


@hookimpl(trylast=True)
def load_survey(path: Path) -> SurveyDocument | None:
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        return None
    text = _read_text(path)
    if suffix == ".json":
        try:
            data, positions = read_json(text)
        except json.JSONDecodeError as exc:
            raise SurveyError(
                path, [Problem(f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno)]
            ) from exc
        except ValueError as exc:
            raise SurveyError(path, [Problem(f"not valid JSON: {exc}")]) from exc
    else:
        try:
            data, positions = read_yaml(text)
        except yaml.YAMLError as exc:
            raise SurveyError(path, [_yaml_problem(exc)]) from exc
    return SurveyDocument(data=data, source=path, positions=positions)


@hookimpl
def register_channels(register: Callable[[Channel], None]) -> None:
    register(
        Channel(
            "import",
            "File import",
            "Responses read from JSON Lines or JSON files by `feedback responses import`.",
        )
    )
