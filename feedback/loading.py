"""From a survey file to a `Survey`: format plugins read, the core validates and locates errors.

A format plugin (``load_survey`` hook) turns a file into a `SurveyDocument`: the plain data and, where
it knows them, the line and column of each part. The core validates every format the same way, so an
error reads ``surveys/x.yaml:12:7: questions[3].scale: unknown scale 'agre5'; did you mean 'agree5'?``
whatever the format.
"""

from __future__ import annotations

import copy
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from feedback.checks import survey_problems
from feedback.errors import Problem, SurveyError, SurveyNotFound, did_you_mean
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
    #: the format read, in words ("LimeSurvey survey structure"), for `feedback survey import`
    format: str | None = None
    #: what a reader of another tool's format changed on the way in (an array question become
    #: one item per row), for `feedback survey import` to tell the organiser
    notes: list[str] = field(default_factory=list)

    def position(self, loc: Loc, at_key: bool = False) -> tuple[int | None, int | None]:
        """The position of ``loc``, or of its nearest ancestor that has one."""
        if at_key and loc in self.key_positions:
            return self.key_positions[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.positions:
                return self.positions[loc[:end]]
        return None, None


def parse_survey(
    document: SurveyDocument,
    model: type[Survey] = Survey,
    *,
    outcome_kinds: Mapping[str, str] | None = None,
) -> Survey:
    """Validate a document into a survey; raise `SurveyError` listing every problem, located.

    :param outcome_kinds: the programme's kinds of outcome, which items' ``outcome:`` must name
        (`feedback.checks.survey_problems`); ``None`` leaves the kinds unchecked.
    """
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
        rest = _problems_of_the_rest(data, model, outcome_kinds)
        problems += [p for p in rest if p not in problems]
    else:
        problems = survey_problems(survey, outcome_kinds)
    if problems:
        located = []
        for problem in problems:
            line, column = document.position(problem.loc, problem.at_key)
            located.append(Problem(problem.message, problem.loc, line, column))
        raise SurveyError(document.source, located)
    return survey


def _problems_of_the_rest(
    data: Mapping[str, Any],
    model: type[Survey],
    outcome_kinds: Mapping[str, str] | None = None,
) -> list[Problem]:
    """The checks of the survey as a whole (ids, scales, conditions, languages) on the parts that
    have the right shape, so that one run reports every problem of a file.

    A question of the wrong shape stands in as a note with its id, a scale of the wrong shape and an
    unknown key are left out; problems that involve a stand-in are not reported (its own problem
    is). Nothing when the rest cannot be checked (a wrong shape outside questions and scales).
    """
    repaired: Any = copy.deepcopy(dict(data))
    stand_ins: list[Loc] = []
    left_out: set[str] = set()
    for _ in range(5):
        try:
            survey = model.model_validate(repaired, context={"defer_checks": True})
        except ValidationError as exc:
            if not _repair(repaired, exc, stand_ins, left_out):
                return []
            continue
        names = {f"'{name}'" for name in left_out}
        return [
            problem
            for problem in survey_problems(survey, outcome_kinds)
            if not any(problem.loc[: len(loc)] == loc for loc in stand_ins)
            and not any(name in problem.message for name in names)
        ]
    return []


def _repair(data: Any, exc: ValidationError, stand_ins: list[Loc], left_out: set[str]) -> bool:
    """Replace or leave out each part of ``data`` that ``exc`` finds fault with, in place."""
    for error in exc.errors(include_url=False):
        loc = _clean_loc(tuple(error["loc"]), data, error["type"])
        question = _question_at(loc)
        if error["type"] == "extra_forbidden" and loc and isinstance(_at(data, loc[:-1]), dict):
            _at(data, loc[:-1]).pop(loc[-1], None)
        elif question is not None and question not in stand_ins:
            parent = _at(data, question[:-1])
            if not isinstance(parent, list) or not isinstance(question[-1], int):
                return False
            old = parent[question[-1]]
            given = old.get("id") if isinstance(old, Mapping) else None
            valid = isinstance(given, str) and re.fullmatch(r"[a-z][a-z0-9_]*", given)
            question_id = given if valid else f"broken_question_{len(stand_ins)}"
            parent[question[-1]] = {"type": "note", "id": question_id, "label": "-"}
            stand_ins.append(question)
            left_out.add(str(question_id))
        elif question is not None:
            continue
        elif len(loc) >= 2 and loc[0] == "scales":
            scales = _at(data, ("scales",))
            if isinstance(scales, dict):
                scales.pop(loc[1], None)
                left_out.add(str(loc[1]))
        else:
            return False
    return True


def _question_at(loc: Loc) -> Loc | None:
    """The path of the question that ``loc`` is in (``("sections", 0, "questions", 2)``)."""
    for i in range(len(loc) - 1, 0, -1):
        if loc[i - 1] == "questions" and isinstance(loc[i], int):
            return loc[: i + 1]
    return None


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


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
            if isinstance(current, list):
                current = current[part] if isinstance(part, int) else None
            elif isinstance(current, Mapping):
                current = current[part]
            else:
                current = None
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
    problems: list[Problem] = []
    for loc, messages in merged.items():
        if len(messages) > 1 and all(m.startswith("input should be") for m in messages):
            found = messages[0].rsplit(", found ", 1)[-1]
            wanted = [m.split(", found ")[0].removeprefix("input should be ") for m in messages]
            messages = [f"expected {' or '.join(wanted)}, found {found}"]
        problems.extend(Problem(m, loc, at_key=m.startswith("unknown key")) for m in messages)
    return problems


# -- which file defines which survey ----------------------------------------------------------


class BrokenSurvey(SurveyError, SurveyNotFound):
    """The file that defines a survey id has errors, so the survey cannot be used.

    A `SurveyError` (its file, line and problems) and a `SurveyNotFound` (callers that fall back
    when a survey is missing do the same here); never replaced by another file of the same id.
    """

    def __init__(self, survey_id: str, error: SurveyError):
        self.survey_id = survey_id
        super().__init__(error.source, error.problems)

    def render(self) -> str:
        return (
            f"survey '{self.survey_id}' cannot be used: {self.source} has errors\n"
            + super().render()
        )


@dataclass(frozen=True)
class SurveyFile:
    """One file of a survey folder: its survey or its error, and whether it is the one in use."""

    path: Path
    survey: Survey | None
    error: SurveyError | None
    #: the id the file defines; for a file that cannot be read, the id it seems to name
    survey_id: str | None
    #: the folder's rank: 0 for the project's ``surveys/``, then the shipped surveys
    rank: int
    #: whether this file's folder is the one that defines its id (the first that has it)
    in_use: bool = True
    #: the file of another folder that defines the same id first, when not in use
    replaced_by: Path | None = None

    @property
    def first_problem(self) -> str:
        if self.error is None:
            return ""
        problems = self.error.problems
        return problems[0].render(self.error.source) if problems else str(self.error)


_ID_LINE = re.compile(r"^id:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9_.-]*)", re.MULTILINE)


def claimed_id(path: Path, data: Any = None) -> str:
    """The id a survey file that does not validate is meant to define: its ``id`` when it was
    read, else a top-level ``id:`` line of its text, else its file name without the suffix."""
    if isinstance(data, Mapping) and isinstance(data.get("id"), str) and data["id"].strip():
        return str(data["id"])
    try:
        with path.open("rb") as handle:
            head = handle.read(65536).decode("utf-8", "replace")
    except OSError:
        head = ""
    found = _ID_LINE.search(head)
    return found.group(1) if found else path.stem


def survey_catalogue(
    folders: list[Path],
    paths: list[Path],
    read: Callable[[Path], SurveyDocument],
    parse: Callable[[SurveyDocument], Survey],
) -> list[SurveyFile]:
    """Read every survey file and decide which defines each id.

    The first folder that has a file for an id defines it, whether that file is valid or not: a
    project's broken file is never silently replaced by a shipped survey of the same id. Two
    files of one folder with the same id are an error of the later one.
    """
    resolved = [folder.resolve() for folder in folders]
    read_files: list[SurveyFile] = []
    for path in paths:
        parent = path.parent.resolve()
        rank = resolved.index(parent) if parent in resolved else len(resolved)
        data = None
        try:
            document = read(path)
            data = document.data
            survey = parse(document)
        except SurveyError as exc:
            read_files.append(SurveyFile(path, None, exc, claimed_id(path, data), rank))
        else:
            read_files.append(SurveyFile(path, survey, None, survey.id, rank))
    owners: dict[str, SurveyFile] = {}
    out: list[SurveyFile] = []
    for entry in sorted(read_files, key=lambda f: f.rank):
        key = entry.survey_id or ""
        first = owners.setdefault(key, entry)
        if first is entry:
            out.append(entry)
        elif first.rank != entry.rank:
            out.append(replace(entry, in_use=False, replaced_by=first.path))
        else:
            twice = Problem(
                f"the survey id '{key}' is also defined in {first.path}: each survey needs an id "
                "of its own"
            )
            problems = [twice, *(entry.error.problems if entry.error else [])]
            out.append(replace(entry, error=SurveyError(entry.path, problems), survey=None))
    order = {path: i for i, path in enumerate(paths)}
    return sorted(out, key=lambda f: order[f.path])
