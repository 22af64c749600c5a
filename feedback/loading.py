"""From a survey file to a `Survey`: format plugins read, the core validates and locates errors.

A format plugin (``load_survey`` hook) turns a file into a `SurveyDocument`: the plain data and, where
it knows them, the line and column of each part. The core validates every format the same way, so an
error reads ``surveys/x.yaml:12:7: questions[3].scale: unknown scale 'agre5'; did you mean 'agree5'?``
whatever the format.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from feedback.checks import survey_problems
from feedback.errors import Problem, SurveyError, did_you_mean
from feedback.survey import QuestionBase, Survey

Loc = tuple[str | int, ...]


@dataclass
class SurveyDocument:
    """What a format plugin read: the data and the position of each part (1-based line, column)."""

    data: Any
    source: str | Path | None = None
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    #: where each mapping key is written, for problems with the key itself ("unknown key")
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, at_key: bool = False) -> tuple[int | None, int | None]:
        """The position of ``loc``, or of its nearest ancestor that has one."""
        if at_key and loc in self.key_positions:
            return self.key_positions[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.positions:
                return self.positions[loc[:end]]
        return None, None


def parse_survey(document: SurveyDocument, model: type[Survey] = Survey) -> Survey:
    """Validate a document into a survey; raise `SurveyError` listing every problem, located."""
    data = document.data
    if not isinstance(data, Mapping):
        found = "nothing (an empty file)" if data is None else type(data).__name__
        raise SurveyError(
            document.source, [Problem(f"expected a mapping of survey keys, found {found}")]
        )
    try:
        survey = model.model_validate(data, context={"defer_checks": True})
    except ValidationError as exc:
        problems = pydantic_problems(exc, data, model)
    else:
        problems = survey_problems(survey)
    if problems:
        located = []
        for problem in problems:
            line, column = document.position(problem.loc, problem.at_key)
            located.append(Problem(problem.message, problem.loc, line, column))
        raise SurveyError(document.source, located)
    return survey


# -- turning pydantic's errors into located, readable problems --------------------------------


def _clean_loc(loc: tuple[Any, ...], data: Any, error_type: str) -> Loc:
    """Drop union and discriminator tags: keep only the parts that index into the data."""
    kept: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if (isinstance(current, Mapping) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            kept.append(part)
            current = current[part]
        elif last and error_type == "missing" and isinstance(current, Mapping):
            kept.append(part)
    return tuple(kept)


def _unwrap(annotation: Any, value: Any) -> Any:
    """The model class an annotation means for ``value`` (unions resolved by ``type``)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0], value)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        for member in members:
            cls = _unwrap(member, value)
            if isinstance(cls, type) and issubclass(cls, QuestionBase):
                wanted = isinstance(value, Mapping) and value.get("type")
                if cls.model_fields["type"].default == wanted:
                    return cls
            elif isinstance(cls, type) and issubclass(cls, BaseModel):
                return cls
        return members[0] if len(members) == 1 else None
    return annotation


def _allowed_keys(model: type[BaseModel], loc: Loc, data: Any) -> list[str]:
    """The field names of the model found at ``loc`` in the data."""
    cls: Any = model
    current = data
    for part in loc:
        if isinstance(cls, type) and issubclass(cls, BaseModel) and isinstance(part, str):
            info = cls.model_fields.get(part)
            if info is None:
                return []
            current = current[part] if isinstance(current, Mapping) else None
            cls = info.annotation
        else:
            current = current[part] if isinstance(current, list | Mapping) else None
            args = typing.get_args(_strip(cls))
            cls = args[-1] if args else None
        cls = _unwrap(cls, current)
    if isinstance(cls, type) and issubclass(cls, BaseModel):
        return list(cls.model_fields)
    return []


def _strip(annotation: Any) -> Any:
    """``list[X] | None`` -> ``list[X]``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        containers = [m for m in members if typing.get_origin(m) in (list, dict)]
        return containers[0] if containers else members[0]
    if typing.get_origin(annotation) is typing.Annotated:
        return _strip(typing.get_args(annotation)[0])
    return annotation


def _question_types(model: Any, seen: set[int] | None = None) -> list[str]:
    """The ``type`` names of every question model reachable from ``model``'s annotations."""
    seen = set() if seen is None else seen
    if id(model) in seen:
        return []
    seen.add(id(model))
    names: list[str] = []
    if isinstance(model, type) and issubclass(model, QuestionBase):
        names.append(str(model.model_fields["type"].default))
    elif isinstance(model, type) and issubclass(model, BaseModel):
        for info in model.model_fields.values():
            names += [n for n in _question_types(info.annotation, seen) if n not in names]
    else:
        for arg in typing.get_args(model):
            names += [n for n in _question_types(arg, seen) if n not in names]
    return names


def _member(loc: tuple[Any, ...], data: Any) -> tuple[Loc, str] | None:
    """The innermost union in a raw pydantic ``loc``: where it is, and the member tried."""
    kept: list[str | int] = []
    current = data
    found = None
    for part in loc:
        if (isinstance(current, Mapping) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            current = current[part]
        else:
            found = (tuple(kept), str(part))
            continue
        kept.append(part)
    return found


def _drop_other_members(errors: list[Any], data: Any) -> list[Any]:
    """Leave out "should be text" from one member of a union when the value is clearly meant
    for another member that has a real problem (an inline scale with one point, a translation
    map with a number in it): that problem alone is the useful message."""

    def mismatch(error: Any, where: Loc) -> bool:
        # the value as a whole is not of the member's type
        kind = str(error["type"])
        loc = _clean_loc(tuple(error["loc"]), data, kind)
        return loc == where and kind.endswith(("_type", "_parsing"))

    members = [_member(tuple(e["loc"]), data) for e in errors]
    meant = {m for e, m in zip(errors, members, strict=True) if m and not mismatch(e, m[0])}
    kept = []
    for error, member in zip(errors, members, strict=True):
        if member and mismatch(error, member[0]):
            where, name = member
            if any(w == where and n != name for w, n in meant):
                continue
        kept.append(error)
    return kept


def _found(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


#: What each id pattern of `feedback.survey` allows, in words.
_PATTERNS = {
    r"^[a-z][a-z0-9_]*$": "an id of lower-case letters, digits and '_', starting with a letter",
    r"^[a-z0-9][a-z0-9_-]*$": (
        "an id of lower-case letters, digits, '_' and '-', starting with a letter or digit"
    ),
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$": (
        "an id of letters, digits, '_', '.' and '-', starting with a letter or digit"
    ),
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$": "a language code such as 'en' or 'pt-BR'",
}


def _message(error: Any, loc: Loc, data: Any, model: type[BaseModel]) -> str:
    kind = error["type"]
    msg = str(error["msg"])
    if kind == "missing":
        return f"missing required key '{loc[-1]}'" if loc else msg
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        allowed = _allowed_keys(model, loc[:-1], data)
        hint = did_you_mean(name, allowed)
        expected = f" (expected one of: {', '.join(allowed)})" if allowed and not hint else ""
        return f"unknown key '{name}'{expected}{hint}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        ctx = error.get("ctx") or {}
        expected = str(ctx.get("expected_tags", "")).replace("'", "")
        if kind == "union_tag_not_found":
            # pydantic gives no expected tags here: list the question types of the model
            return f"missing 'type' (one of: {', '.join(_question_types(model))})"
        tag = str(ctx.get("tag", ""))
        return f"unknown question type '{tag}' (expected one of: {expected})" + did_you_mean(
            tag, [t.strip() for t in expected.split(",")]
        )
    if kind == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        expected = _PATTERNS.get(pattern, f"text matching {pattern}")
        return f"expected {expected}, found {_found(error['input'])}"
    if msg.startswith("Value error, "):
        return msg[len("Value error, ") :]
    text = msg[:1].lower() + msg[1:]
    return f"{text}, found {_found(error['input'])}"


def pydantic_problems(exc: ValidationError, data: Any, model: type[BaseModel]) -> list[Problem]:
    """Readable, located problems from a pydantic error; union alternatives merged into one."""
    merged: dict[Loc, list[str]] = {}
    errors = _drop_other_members(exc.errors(include_url=False), data)
    for error in errors:
        loc = _clean_loc(tuple(error["loc"]), data, error["type"])
        message = _message(error, loc, data, model)
        messages = merged.setdefault(loc, [])
        if message not in messages:
            messages.append(message)
    problems = []
    for loc, messages in merged.items():
        if len(messages) > 1 and all(m.startswith("input should be") for m in messages):
            found = messages[0].rsplit(", found ", 1)[-1]
            wanted = [m.split(", found ")[0].removeprefix("input should be ") for m in messages]
            messages = [f"expected {' or '.join(wanted)}, found {found}"]
        problems.extend(Problem(m, loc, at_key=m.startswith("unknown key")) for m in messages)
    return problems
