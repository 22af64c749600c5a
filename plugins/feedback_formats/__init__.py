"""Built-in plugin: survey files in YAML and JSON, and the ``import`` channel for response files.

YAML is read as YAML 1.2 would: only ``true``/``false`` are booleans, so a choice ``no`` or the
country code ``NO`` stays text, and ``10:30`` is text, not the number 630. Duplicate keys are an
error, not a silent overwrite; keys merged in with ``<<: *anchor`` may be overridden.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

from feedback import hookimpl
from feedback.errors import Problem, SurveyError
from feedback.registry import Channel

if TYPE_CHECKING:  # feedback.loading loads the survey models (pydantic): not at start-up
    from feedback.loading import SurveyDocument

MAX_SURVEY_BYTES = 5 * 1024 * 1024
MAX_VALUES = 200_000
#: The tags a list or map may carry: those YAML gives them when they have none.
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
#: Lists and maps inside each other, at most (a survey needs a handful).
MAX_DEPTH = 100
Loc = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (``yes``/``no``/``on``/``off`` stay strings)."""


_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _no_sexagesimal(tag: str, regexp: re.Pattern[str]) -> re.Pattern[str]:
    # YAML 1.1 reads 10:30 as the number 630; YAML 1.2 (and a person) reads text.
    if tag not in _NUMBERS:
        return regexp
    return re.compile("^(?!.*:)" + regexp.pattern.removeprefix("^"), regexp.flags)


_Loader.yaml_implicit_resolvers = {
    key: [
        (tag, _no_sexagesimal(tag, regexp))
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:bool"
    ]
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
    key_positions: dict[Loc, tuple[int, int]] | None = None,
) -> Any:
    if depth > MAX_DEPTH:
        raise yaml.MarkedYAMLError(
            problem=f"lists and maps nested more than {MAX_DEPTH} levels deep",
            problem_mark=node.start_mark,
        )
    if len(positions) >= MAX_VALUES:  # aliases can repeat a part: a short file, a huge survey
        raise yaml.MarkedYAMLError(
            problem=f"more than {MAX_VALUES:,} values (does an alias repeat a large part?)",
            problem_mark=node.start_mark,
        )
    positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.CollectionNode) and node.tag not in _COLLECTION_TAGS:
        # lists and maps are rebuilt here, not by the loader, so their tags are checked here:
        # a file called valid must not carry ``!!python/object`` for a less careful reader
        raise yaml.MarkedYAMLError(
            problem=f"the tag {node.tag!r} is not allowed (a survey holds plain lists and maps)",
            problem_mark=node.start_mark,
        )
    if isinstance(node, yaml.MappingNode):
        own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
        loader.flatten_mapping(node)
        merged = len(node.value) - own  # pairs from ``<<: *anchor`` come first; own keys win
        out: dict[Any, Any] = {}
        own_keys: set[Any] = set()
        for i, (key_node, value_node) in enumerate(node.value):
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or isinstance(key, bool):
                key = str(key)
            if key_positions is not None:
                key_positions[(*loc, key)] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            if i < merged:  # merged mappings may overlap: the first one listed wins
                out[key] = _convert(
                    loader, value_node, (*loc, key), positions, depth + 1, key_positions
                )
                continue
            if key in own_keys:
                raise yaml.MarkedYAMLError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key '{key}' appears twice",
                    key_node.start_mark,
                )
            own_keys.add(key)
            out[key] = _convert(
                loader, value_node, (*loc, key), positions, depth + 1, key_positions
            )
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, (*loc, i), positions, depth + 1, key_positions)
            for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def read_yaml(text: str) -> tuple[Any, dict[Loc, tuple[int, int]]]:
    """Parse YAML text into plain data and the position of each part."""
    data, positions, _ = read_yaml_document(text)
    return data, positions


def _check_depth(text: str) -> None:
    """Refuse lists and maps nested deeper than `MAX_DEPTH`, before PyYAML's composer (which
    recurses once per level) meets them: the event stream is read without recursion."""
    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise yaml.MarkedYAMLError(
                        problem=f"lists and maps nested more than {MAX_DEPTH} levels deep",
                        # The pure-Python loader's marks (the stubs also allow libyaml's).
                        problem_mark=cast(yaml.Mark, event.start_mark),
                    )
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def read_yaml_document(
    text: str,
) -> tuple[Any, dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]]:
    """Parse YAML text: the data, the position of each value, and of each mapping key."""
    _check_depth(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        positions: dict[Loc, tuple[int, int]] = {}
        keys: dict[Loc, tuple[int, int]] = {}
        data = None if node is None else _convert(loader, node, (), positions, 0, keys)
        return data, positions, keys
    finally:
        loader.dispose()


#: PyYAML's contexts whose mark is where the trouble starts: the ``[`` or ``{`` that is never
#: closed, the quote that is never closed, the key whose ``:`` never comes
_OPENED_AT = {
    "while parsing a flow sequence": "this '[' is never closed",
    "while parsing a flow mapping": "this '{' is never closed",
    "while scanning a quoted scalar": "this quote is never closed",
    "while scanning a simple key": "this key has no ':' after it",
}


def _at(mark: Any) -> str:
    return f"line {mark.line + 1}:{mark.column + 1}"


def _yaml_problem(exc: yaml.YAMLError, text: str | None = None) -> Problem:
    """A YAML error located where the problem starts, not where PyYAML noticed it.

    PyYAML reports an unclosed ``[``, ``{`` or quote where it gave up, often the end of the file;
    its context mark is the opening. A quoted text that runs over lines and ends just before the
    error is the likely cause too: a closing quote is missing and the next quote closed it.
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context in _OPENED_AT and context_mark is not None:
        noticed = (
            problem.replace("but got", "found")
            .replace("'<stream end>'", "the end of the file")
            .replace("found unexpected end of stream", "the file ends first")
        )
        if mark is not None and mark.index != context_mark.index:
            noticed += f" at {_at(mark)}"
        message = f"not valid YAML: {_OPENED_AT[context]} ({noticed})"
        return Problem(message, line=context_mark.line + 1, column=context_mark.column + 1)
    message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return Problem(message)
    opened = _quote_run_on(text, mark) if text is not None else None
    if opened is not None:
        message = (
            "not valid YAML: this quote is never closed: the quoted text runs on to line "
            f"{opened.end_mark.line + 1} ({problem.replace('but found', 'found')} at {_at(mark)})"
        )
        return Problem(
            message, line=opened.start_mark.line + 1, column=opened.start_mark.column + 1
        )
    return Problem(message, line=mark.line + 1, column=mark.column + 1)


def _quote_run_on(text: str, mark: Any) -> Any:
    """The quoted scalar that spans several lines and ends on the error's line just before it
    (``title: "Post`` closed only by the next line's opening quote), if there is one."""
    loader = _Loader(text)
    last = None
    try:
        while loader.check_token():
            token = loader.get_token()
            if token.start_mark.index >= mark.index:
                break
            last = token
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    if (
        isinstance(last, yaml.ScalarToken)
        and last.style in ("'", '"')
        and last.start_mark.line < last.end_mark.line == mark.line
    ):
        return last
    return None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key '{key}' appears twice")
        out[key] = value
    return out


def _tabs_to_spaces(json_text: str) -> str:
    # YAML refuses tabs where JSON allows them; a JSON string holds no raw tab, and one space
    # for one tab keeps every line and column.
    return json_text.replace("\t", " ")


def read_json(text: str) -> tuple[Any, dict[Loc, tuple[int, int]]]:
    """Parse JSON text; positions come from reading it again as YAML, where that works."""
    data, positions, _ = read_json_document(text)
    return data, positions


def read_json_document(
    text: str,
) -> tuple[Any, dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]]:
    """Parse JSON text: the data, and the positions of values and keys (read as YAML)."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except RecursionError:
        # json recurses once per level; where, reading it as YAML says (without recursion)
        message = f"lists and maps nested more than {MAX_DEPTH} levels deep"
        try:
            _check_depth(_tabs_to_spaces(text))
        except yaml.MarkedYAMLError as located:
            if located.problem_mark is not None:
                raise json.JSONDecodeError(message, text, located.problem_mark.index) from None
        raise json.JSONDecodeError(message, text, 0) from None
    try:
        _, positions, keys = read_yaml_document(_tabs_to_spaces(text))
    except yaml.YAMLError:
        positions, keys = {}, {}
    return data, positions, keys


def _json_problem(exc: json.JSONDecodeError, text: str) -> Problem:
    """A JSON syntax error; for a ``[``, ``{`` or quote never closed, located at the opening
    (found by reading the text as YAML, which says where a flow collection opened)."""
    unclosed = exc.msg.startswith("Expecting ',' delimiter") or exc.pos >= len(text.rstrip())
    try:
        if unclosed:
            read_yaml_document(_tabs_to_spaces(text))
    except yaml.MarkedYAMLError as located:
        start = located.context_mark
        if located.context in _OPENED_AT and start is not None and start.index <= exc.pos:
            return Problem(
                f"not valid JSON: {_OPENED_AT[located.context]} ({exc.msg} at line "
                f"{exc.lineno}:{exc.colno})",
                line=start.line + 1,
                column=start.column + 1,
            )
    except yaml.YAMLError:
        pass
    return Problem(f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno)


@hookimpl(trylast=True)
def load_survey(path: Path) -> SurveyDocument | None:
    """feedback's own survey files, YAML or JSON (.yaml, .yml, .json).

    Called last, so that a reader of another tool's JSON (SurveyJS) can take such a file first.
    """
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        return None
    text = _read_text(path)
    if suffix == ".json":
        try:
            data, positions, keys = read_json_document(text)
        except json.JSONDecodeError as exc:
            raise SurveyError(path, [_json_problem(exc, text)]) from exc
        except ValueError as exc:  # a duplicate key: reading it as YAML says where
            problem = Problem(f"not valid JSON: {exc}")
            try:
                read_yaml(_tabs_to_spaces(text))
            except yaml.MarkedYAMLError as located:
                mark = located.problem_mark
                if mark is not None:
                    problem = Problem(problem.message, line=mark.line + 1, column=mark.column + 1)
            raise SurveyError(path, [problem]) from exc
    else:
        try:
            data, positions, keys = read_yaml_document(text)
        except yaml.YAMLError as exc:
            raise SurveyError(path, [_yaml_problem(exc, text)]) from exc
    from feedback.loading import SurveyDocument

    return SurveyDocument(data=data, source=path, positions=positions, key_positions=keys)


@hookimpl
def register_channels(register: Callable[[Channel], None]) -> None:
    register(
        Channel(
            "import",
            "File import",
            "Responses read from JSON Lines or JSON files by `feedback responses import`.",
            phrase="imported from files",
        )
    )
