"""The variables of a survey, as a statistics package sees them: one model that the SPSS and Stata
exports and the codebook all read, so that a name, a code or a missing value means the same thing in
the data file and in its documentation.

A question becomes one or more variables:

- single choice, likert and rating-free scales: one numeric variable, the options coded 1, 2, 3 ...
  in survey order (``Code``); a scale's N/A point ("don't know") is not a point of the scale, so it
  is a *missing* code (`NA`), not a number an analyst could average by mistake;
- yes/no: 1 = yes, 0 = no; multiple choice: one 0/1 variable per choice ("question: choice");
- then/now: two variables, ``<id>_then`` and ``<id>_now``, on the same codes;
- number and rating: the number; text: a string; date: a date (the stored ``YYYY-MM-DD``, which
  the SPSS and Stata writers turn into a date variable); anything else (a plugin's type): its JSON
  text.

Two missing codes are kept apart from a blank: `NA` (the participant chose the scale's N/A point)
and `NOT_ASKED` (the question was not shown: its ``show_if`` did not hold, or the response's survey
version did not have it). The writers map them to their format's own notation (SPSS user-missing
values, Stata extended missing values ``.a`` and ``.b``). A question that was shown and left
unanswered is plain (system) missing.

Names are made for both formats at once: at most 32 characters (Stata's limit; SPSS allows 64
bytes), lower case (SPSS does not tell ``Q1`` from ``q1``), letters, digits and ``_``, starting with
a letter, no reserved word of either. A question id that fits is kept as it is; a longer one is cut
and given a short hash of the full name, so that it does not change when another question is added;
what still collides gets ``_2``, ``_3`` ... in survey order. The codebook lists every mapping.

No variable holds who answered: the responses table has no person in it, and the questions of a
survey's ``self_code`` (the parts of a participant's linking code) are never variables.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from feedback.conditions import Condition, comparisons
from feedback.errors import InvalidInput
from feedback.form_words import WORDS
from feedback.i18n import words_in
from feedback.options import Option, localise
from feedback.questions import (
    ChoiceQuestion,
    DateQuestion,
    MultiChoice,
    Number,
    QuestionBase,
    Rating,
    ScaleQuestion,
    TextQuestion,
    ThenNow,
    YesNo,
)
from feedback.survey import Survey

#: The longest name: Stata's 32 characters (SPSS allows 64 bytes).
MAX_NAME = 32
#: Words neither SPSS (its reserved keywords) nor Stata (its reserved names) takes as a name.
RESERVED = frozenset(
    {
        *("all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"),
        *("_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long"),
        *("_n", "_pi", "_pred", "_rc", "_skip", "strl", "using"),
    }
)
_STATA_STR = re.compile(r"^str[0-9]+$")

Kind = Literal["code", "flag", "number", "text", "date", "json"]
Measure = Literal["nominal", "ordinal", "scale"]


class Missing:
    """A missing code: why there is no value (not the blank of a question left unanswered)."""

    def __init__(self, key: str, spss: int, stata: str, label: str) -> None:
        self.key = key
        #: the SPSS user-missing value (negative: no code or number of ours is negative ...
        #: except a number question's, which therefore gets no missing codes in SPSS)
        self.spss = spss
        #: the Stata extended missing value, as pyreadstat writes it (``"a"`` is ``.a``)
        self.stata = stata
        self.label = label

    def __repr__(self) -> str:
        return f"Missing({self.key})"


#: The participant chose the scale's N/A ("don't know") point; its label is the point's own.
NA = Missing("na", -1, "a", "Don't know / not applicable")
#: The question was not shown: its condition did not hold, or the survey version lacked it.
NOT_ASKED = Missing(
    "not_asked", -2, "b", "Not asked (skipped by its condition, or not in this version)"
)
MISSING = (NA, NOT_ASKED)


@dataclass(frozen=True)
class Code:
    """One value of a coded variable and its label in each language."""

    value: int
    id: str
    labels: dict[str, str]


@dataclass
class Variable:
    """One column of a data file."""

    name: str
    #: the question id, or the response field for metadata
    source: str
    #: the choice id (multiple choice), ``then``/``now``, or ``None``
    part: str | None
    kind: Kind
    measure: Measure
    #: the variable label per language
    labels: dict[str, str]
    #: the question type, or ``metadata``
    type: str = "metadata"
    codes: list[Code] = field(default_factory=list)
    #: the label per language of the `NA` code, when the variable has one
    na_labels: dict[str, str] | None = None
    #: whether it can be `NOT_ASKED` (a question with a condition, or missing from a version)
    skippable: bool = False
    question: QuestionBase | None = None
    #: the versions of the survey that ask it (all of them for metadata)
    versions: list[str] = field(default_factory=list)

    def label(self, language: str) -> str:
        return _pick(self.labels, language)

    def value_labels(self, language: str) -> dict[int, str]:
        return {c.value: _pick(c.labels, language) for c in self.codes}

    def missing(self) -> list[Missing]:
        """The missing codes this variable may hold."""
        out = []
        if self.na_labels is not None:
            out.append(NA)
        if self.skippable:
            out.append(NOT_ASKED)
        return out

    def missing_label(self, missing: Missing, language: str) -> str:
        if missing is NA and self.na_labels is not None:
            return _pick(self.na_labels, language)
        return missing.label


def _pick(labels: Mapping[str, str], language: str) -> str:
    return labels.get(language) or next(iter(labels.values()), "")


# -- names ------------------------------------------------------------------------------------


def safe_name(raw: str) -> str:
    """A name valid in SPSS and Stata for ``raw`` (a question id, ``id_then``, ``id_choice``):
    the same for the same ``raw`` whatever else the survey holds (collisions aside)."""
    name = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_") or "v"
    if not name[0].isalpha():
        name = "v_" + name
    if len(name) > MAX_NAME:
        digest = hashlib.sha256(raw.encode()).hexdigest()[:6]
        name = name[: MAX_NAME - 7].rstrip("_") + "_" + digest
    if name in RESERVED or _STATA_STR.match(name):
        name += "_"
    return name


class _Names:
    def __init__(self) -> None:
        self.taken: set[str] = set()

    def give(self, raw: str) -> str:
        name = safe_name(raw)
        n = 1
        candidate = name
        while candidate in self.taken:
            n += 1
            suffix = f"_{n}"
            candidate = name[: MAX_NAME - len(suffix)] + suffix
        self.taken.add(candidate)
        return candidate


# -- the model --------------------------------------------------------------------------------

#: Metadata of each response: (field, kind, label). Never a person: the table holds none.
META: tuple[tuple[str, Kind, str], ...] = (
    ("id", "text", "Response id"),
    ("event", "text", "Event"),
    ("survey_version", "text", "Survey version"),
    ("channel", "text", "Channel"),
    ("language", "text", "Language of the response"),
    ("submitted", "date", "Date submitted"),
    ("partial", "flag", "Partial response (abandoned before Submit)"),
)


def _texts(value: Any, languages: Sequence[str], default: str = "") -> dict[str, str]:
    return {lang: localise(value, lang, default) for lang in languages}


def _option_labels(option: Option, languages: Sequence[str]) -> dict[str, str]:
    return {lang: option.text(lang) for lang in languages}


@dataclass
class Variables:
    """The variables of one survey across its versions (newest first), in file order."""

    survey: Survey
    versions: list[Survey]
    variables: list[Variable]

    @property
    def languages(self) -> list[str]:
        return list(self.survey.languages)

    def by_name(self) -> dict[str, Variable]:
        return {v.name: v for v in self.variables}

    def question_variables(self, question_id: str) -> list[Variable]:
        return [v for v in self.variables if v.source == question_id and v.type != "metadata"]

    def rows(self, records: Iterable[Mapping[str, Any]]) -> Iterable[list[Any]]:
        """One row of values per stored response, in variable order: numbers, text, dates
        (ISO text), ``None`` for a blank, `NA` or `NOT_ASKED` for a missing code.

        :raises InvalidInput: a stored answer that no version of the survey can code.
        """
        by_version = {s.version: _Visibility(s) for s in self.versions}
        newest = by_version[self.survey.version]
        getters = [_getter(v) for v in self.variables]
        for record in records:
            visibility = by_version.get(record.get("survey_version", ""), newest)
            answers = record["answers"]
            memo: dict[str, bool] = {}

            def shown(
                question_id: str,
                answers: Any = answers,
                memo: Any = memo,
                visibility: _Visibility = visibility,
            ) -> bool:
                return visibility.shown(question_id, answers, memo)

            try:
                yield [get(record, answers, shown) for get in getters]
            except _Uncodable as exc:
                raise InvalidInput(
                    f"response {record.get('id')}: the answer {exc.value!r} to question "
                    f"'{exc.variable.source}' is not among its choices in any version of survey "
                    f"'{self.survey.id}'"
                ) from None


class _Visibility:
    """Whether a question was shown to a response, as `Survey.visible` says, worked out only
    for the question asked about and the questions its condition reads (not the whole survey
    for every response: most answers are there, and an answer present was shown)."""

    def __init__(self, survey: Survey) -> None:
        self.ids = frozenset(q.id for q in survey.questions_in_order)
        self.conditions: dict[str, tuple[Condition, tuple[str, ...]]] = {
            q.id: (q.show_if, tuple(dict.fromkeys(c.question for c in comparisons(q.show_if))))
            for q in survey.questions_in_order
            if q.show_if is not None
        }

    def shown(self, question_id: str, answers: Mapping[str, Any], memo: dict[str, bool]) -> bool:
        if question_id not in self.ids:
            return False
        condition = self.conditions.get(question_id)
        if condition is None:
            return True
        if question_id not in memo:
            show_if, reads = condition
            seen = {r: answers[r] for r in reads if r in answers and self.shown(r, answers, memo)}
            memo[question_id] = show_if.evaluate(seen)
        return memo[question_id]


class _Uncodable(Exception):
    def __init__(self, variable: Variable, value: Any) -> None:
        self.variable = variable
        self.value = value


Shown = Callable[[str], bool]
Getter = Callable[[Mapping[str, Any], Mapping[str, Any], Shown], Any]


def _getter(variable: Variable) -> Getter:
    """How to read this variable's value from a record (made once per export, for speed)."""
    source, part, kind = variable.source, variable.part, variable.kind
    if variable.type == "metadata":
        if kind == "flag":
            return lambda record, answers, shown: int(bool(record.get(source)))
        return lambda record, answers, shown: record.get(source)
    codes = {c.id: c.value for c in variable.codes}
    na_id = variable.question and _na_id(variable.question)

    def absent(shown: Shown) -> Any:
        return None if shown(source) else NOT_ASKED

    if kind == "flag":
        if variable.type == "yes_no":

            def yes_no(record: Mapping[str, Any], answers: Mapping[str, Any], shown: Shown) -> Any:
                value = answers.get(source)
                return absent(shown) if value is None else int(value is True)

            return yes_no

        def ticked(record: Mapping[str, Any], answers: Mapping[str, Any], shown: Shown) -> Any:
            value = answers.get(source)
            return absent(shown) if value is None else int(part in value)

        return ticked
    if kind == "code":

        def coded(record: Mapping[str, Any], answers: Mapping[str, Any], shown: Shown) -> Any:
            value = answers.get(source)
            if value is not None and part is not None:
                value = value.get(part) if isinstance(value, dict) else None
            if value is None:
                return absent(shown)
            if value == na_id:
                return NA
            try:
                return codes[value]
            except (KeyError, TypeError):
                raise _Uncodable(variable, value) from None

        return coded
    if kind == "number":

        def number(record: Mapping[str, Any], answers: Mapping[str, Any], shown: Shown) -> Any:
            value = answers.get(source)
            if value is None:
                return absent(shown)
            return value if isinstance(value, int | float) and not isinstance(value, bool) else None

        return number

    def text(record: Mapping[str, Any], answers: Mapping[str, Any], shown: Shown) -> Any:
        value = answers.get(source)
        if value is None:
            return absent(shown)
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    return text


def _na_id(question: QuestionBase) -> str | None:
    if isinstance(question, ScaleQuestion) and question.allow_na:
        na = question.resolved_scale.na
        return na.id if na is not None else None
    return None


def survey_variables(versions: Sequence[Survey]) -> Variables:
    """The variables of a survey given its versions, newest first (the newest names the
    variables and orders them; choices only older versions had are coded after the newest's).

    :raises InvalidInput: no versions, versions of different surveys, or a question whose type
        changed between versions (its answers cannot share one variable).
    """
    if not versions:
        raise InvalidInput("no survey version to describe")
    newest = versions[0]
    if any(s.id != newest.id for s in versions):
        ids = sorted({s.id for s in versions})
        raise InvalidInput(f"one data file holds one survey, found {', '.join(ids)}: give --survey")
    languages = newest.languages
    names = _Names()
    out: list[Variable] = []
    all_versions = [s.version for s in versions]
    for source, kind, label in META:
        out.append(
            Variable(
                names.give(source),
                source,
                None,
                kind,
                "scale" if kind == "date" else "nominal",
                dict.fromkeys(languages, label),
                codes=[
                    Code(0, "no", _yes_no(languages, "no")),
                    Code(1, "yes", _yes_no(languages, "yes")),
                ]
                if kind == "flag"
                else [],
                versions=all_versions,
            )
        )
    seen: dict[str, QuestionBase] = {}
    order: list[str] = []
    holders: dict[str, list[str]] = {}
    for survey in versions:
        skip = set(survey.self_code or ())
        for question in survey.questions_in_order:
            if not question.answerable or question.id in skip:
                continue
            holders.setdefault(question.id, []).append(survey.version)
            if question.id not in seen:
                seen[question.id] = question
                order.append(question.id)
            elif seen[question.id].type != question.type:
                raise InvalidInput(
                    f"survey '{newest.id}': question '{question.id}' is a {question.type} in "
                    f"version {survey.version} and a {seen[question.id].type} in a newer one: "
                    "their answers cannot share one variable (export the versions apart)"
                )
    for qid in order:
        question = seen[qid]
        olders = [s.by_id[qid] for s in versions if qid in s.by_id]
        skippable = (
            question.show_if is not None
            or len(holders[qid]) < len(versions)
            or any(q.show_if is not None for q in olders)
        )
        for variable in _question_variables(question, olders, languages, names):
            variable.skippable = skippable
            variable.versions = holders[qid]
            out.append(variable)
    return Variables(newest, list(versions), out)


def _yes_no(languages: Sequence[str], word: str) -> dict[str, str]:
    return {lang: words_in(WORDS, lang)[word] for lang in languages}


def _union_options(questions: Sequence[QuestionBase]) -> list[Option]:
    options: dict[str, Option] = {}
    for question in questions:
        if isinstance(question, ChoiceQuestion):
            items = question.choices
        elif isinstance(question, ScaleQuestion):
            items = question.resolved_scale.points
        else:
            items = []
        for option in items:
            options.setdefault(option.id, option)
    return list(options.values())


def _question_variables(
    question: QuestionBase, olders: Sequence[QuestionBase], languages: Sequence[str], names: _Names
) -> Iterable[Variable]:
    label = _texts(question.label, languages, question.id)
    common: dict[str, Any] = {"type": question.type, "question": question}
    if isinstance(question, MultiChoice):
        for option in _union_options(olders):
            choice = _option_labels(option, languages)
            yield Variable(
                names.give(f"{question.id}_{option.id}"),
                question.id,
                option.id,
                "flag",
                "nominal",
                {lang: f"{label[lang]}: {choice[lang]}" for lang in languages},
                codes=[
                    Code(0, "no", _yes_no(languages, "no")),
                    Code(1, "yes", _yes_no(languages, "yes")),
                ],
                **common,
            )
        return
    if isinstance(question, YesNo):
        codes = [Code(1, "yes", _yes_no(languages, "yes")), Code(0, "no", _yes_no(languages, "no"))]
        yield Variable(
            names.give(question.id),
            question.id,
            None,
            "flag",
            "nominal",
            label,
            codes=codes,
            **common,
        )
        return
    if isinstance(question, ChoiceQuestion | ScaleQuestion):
        codes = [
            Code(i, o.id, _option_labels(o, languages))
            for i, o in enumerate(_union_options(olders), start=1)
        ]
        measure: Measure = "ordinal" if isinstance(question, ScaleQuestion) else "nominal"
        na = None
        if isinstance(question, ScaleQuestion) and question.allow_na:
            point = question.resolved_scale.na
            na = _option_labels(point, languages) if point is not None else None
        if isinstance(question, ThenNow):
            words = {lang: words_in(WORDS, lang) for lang in languages}
            for part, field_name, word in (
                ("then", "then_label", "before"),
                ("now", "now_label", "now"),
            ):
                own = getattr(question, field_name)
                part_label = {lang: localise(own, lang, words[lang][word]) for lang in languages}
                yield Variable(
                    names.give(f"{question.id}_{part}"),
                    question.id,
                    part,
                    "code",
                    measure,
                    {lang: f"{label[lang]} ({part_label[lang]})" for lang in languages},
                    codes=codes,
                    na_labels=na,
                    **common,
                )
            return
        yield Variable(
            names.give(question.id),
            question.id,
            None,
            "code",
            measure,
            label,
            codes=codes,
            na_labels=na,
            **common,
        )
        return
    if isinstance(question, Number | Rating):
        yield Variable(
            names.give(question.id), question.id, None, "number", "scale", label, **common
        )
        return
    if isinstance(question, DateQuestion):
        yield Variable(names.give(question.id), question.id, None, "date", "scale", label, **common)
        return
    kind: Kind = "text" if isinstance(question, TextQuestion) else "json"
    yield Variable(names.give(question.id), question.id, None, kind, "nominal", label, **common)


# -- the versions of a survey -----------------------------------------------------------------


def survey_versions(engine: Any, survey_id: str) -> list[Survey]:
    """The versions of a survey, newest first: the current file's (when it can be read), then
    every version stored with responses, newest first. Export and codebook both use this list,
    so they name the same variables."""
    out: list[Survey] = []
    # a broken or missing file: the stored versions still describe the data
    with contextlib.suppress(Exception):
        out.append(engine.survey(survey_id))
    stored = engine.store.survey_versions(survey_id) if engine.settings.db_path.exists() else []
    for row in sorted(stored, key=lambda r: r["first_seen"] or "", reverse=True):
        if any(s.version == row["version"] for s in out):
            continue
        try:
            out.append(engine.survey(survey_id, row["version"]))
        except Exception:
            continue
    if not out:
        engine.survey(survey_id)  # the error, with its "did you mean"
    return out
