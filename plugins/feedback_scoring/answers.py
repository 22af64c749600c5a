"""Reading a context's answers for the scorers: who was asked an item, who answered, who said "don't
know", and the same by group (stakeholder group, country) with disclosure control applied.

Answer counts keep "don't know"/N/A (``n_na``) and unanswered-but-shown (``n_missing``) apart from
the answers (``n``): they never enter a proportion's denominator and are never read as a midpoint.
A question hidden by ``show_if`` was not asked and counts nowhere.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from typing import Any

from feedback import disclosure
from feedback.options import humanise
from feedback.scoring import NOT_STATED, Breakdown, Cell, ScoringContext
from feedback.survey import ChoiceQuestion, QuestionBase, Rating, ScaleQuestion, ThenNow, YesNo
from feedback_scoring import stats

GROUPINGS = ("role", "country")
MP = "mp"
NOT_STATED_LABEL = "Not stated"


@dataclasses.dataclass
class Answers:
    """The answers to one item: answered (response, value), "don't know", shown but left blank.

    Read from a context with `read`; a scorer may replace the values (then/now pairs as scores,
    a person's mean over items) or keep some of the people (`among`) and count the rest alike.
    """

    answered: list[tuple[dict[str, Any], Any]]
    na: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    missing: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    @classmethod
    def read(cls, context: ScoringContext, question: QuestionBase) -> Answers:
        """Every response whose survey asks ``question``, sorted into the three."""
        answered: list[tuple[dict[str, Any], Any]] = []
        na_responses: list[dict[str, Any]] = []
        unanswered: list[dict[str, Any]] = []
        na = _na_id(question)
        keep, skip, dont_know = answered.append, unanswered.append, na_responses.append
        # the hot loop of scoring (responses x items): kept lean
        qid = question.id
        for response in context.asking(qid):
            value = response["answers"].get(qid)
            if value is None:
                skip(response)
            elif na is not None and (
                value == na or (value.__class__ is dict and na in value.values())
            ):
                dont_know(response)
            else:
                keep((response, value))
        missing = [r for r in unanswered if visible(context, r, question.id)]
        return cls(answered, na_responses, missing)

    def among(self, keep: Callable[[dict[str, Any]], bool]) -> Answers:
        """The same answers of only the responses ``keep`` accepts (the MPs, say)."""
        return Answers(
            [(r, v) for r, v in self.answered if keep(r)],
            [r for r in self.na if keep(r)],
            [r for r in self.missing if keep(r)],
        )

    @property
    def n(self) -> int:
        return len(self.answered)

    @property
    def n_na(self) -> int:
        return len(self.na)

    @property
    def n_missing(self) -> int:
        return len(self.missing)

    @property
    def asked(self) -> int:
        """Everyone shown the question: answered, "don't know" or left blank."""
        return self.n + self.n_na + self.n_missing


def _na_id(question: QuestionBase) -> str | None:
    if isinstance(question, ScaleQuestion):
        na = question.resolved_scale.na
        return na.id if na is not None else None
    return None


def visible(context: ScoringContext, response: dict[str, Any], question_id: str) -> bool:
    """Whether the participant was shown the question (``show_if`` on their own answers)."""
    survey = context.surveys[(response["survey"], response["survey_version"])]
    if survey.by_id[question_id].show_if is None:
        return True  # shown to everyone who got this far
    cache = context.cache.setdefault("visible", {})
    key = response["id"]
    if key not in cache:
        cache[key] = {q.id for q in survey.visible(response["answers"])}
    return question_id in cache[key]


def agreement(question: QuestionBase) -> Callable[[Any], bool]:
    """Whether an answer agrees: yes, or a point above the middle of the scale (below it, for
    reverse-coded items), or a rating above the middle. Built once per item: it runs per answer."""
    if isinstance(question, YesNo):
        return lambda value: value is True
    if isinstance(question, ScaleQuestion):
        ids = question.resolved_scale.ids()
        half = len(ids) // 2  # a middle point (odd scales) is neither
        upper, lower = ids[len(ids) - half :], ids[:half]
        agreeing = frozenset(lower if getattr(question, "reverse", False) else upper)
        return agreeing.__contains__
    if isinstance(question, Rating):
        middle = (question.min + question.max) / 2
        return lambda value: isinstance(value, int | float) and value > middle
    return lambda value: False


def item_scorer(question: QuestionBase) -> Callable[[Any], float | None]:
    """The numeric score of an answer to an item (then/now: its "now"; reverse items recoded);
    ``None`` for N/A or no answer. Built once per item: it runs per answer."""
    if isinstance(question, ScaleQuestion):
        size = len(question.resolved_scale.points)
        positions = question.resolved_scale.positions
        if getattr(question, "reverse", False):
            positions = {point: size + 1 - score for point, score in positions.items()}
        table = {point: float(score) for point, score in positions.items()}
        if isinstance(question, ThenNow):
            return lambda v: table.get(str(v.get("now"))) if v.__class__ is dict else None
        return lambda v: table.get(v) if v.__class__ is str else None
    if isinstance(question, Rating):
        return lambda v: (
            float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
        )
    return lambda v: None


# -- groups ------------------------------------------------------------------------------------


def vocabulary(context: ScoringContext, by: str) -> dict[str, str]:
    """The groups of a grouping in the survey's order, with the names a report gives them.

    From the ``role`` / ``country`` question of the surveys used (a choice's ``report_label``,
    "MPs", else its label, "Greece"); empty when no survey asks it. Computed once per context.
    """
    cache = context.cache.setdefault("vocabulary", {})
    if by not in cache:
        names: dict[str, str] = {}
        for survey in context.surveys.values():
            question = survey.by_id.get(by)
            if isinstance(question, ChoiceQuestion):
                for choice in question.choices:
                    names.setdefault(choice.id, choice.group_text("en"))
        cache[by] = names
    found: dict[str, str] = cache[by]
    return found


def group_name(context: ScoringContext, by: str, group: str | None) -> str:
    """A group's name in a report: the vocabulary's, never an id made to look like a word."""
    if group is None or group == NOT_STATED:
        return NOT_STATED_LABEL
    return vocabulary(context, by).get(group) or humanise(group)


def _tally(
    context: ScoringContext, by: str, answers: Answers, hits: list[bool]
) -> dict[str, disclosure.Count]:
    names = vocabulary(context, by)
    # the hot loop of breakdowns (answers x groupings): the group inlined, one Counter per pass
    groups = [r["answers"].get(by) for r, _ in answers.answered]
    groups = [g if g.__class__ is str else NOT_STATED for g in groups]
    n = Counter(groups)
    k = Counter(g for g, hit in zip(groups, hits, strict=True) if hit)
    others = [r["answers"].get(by) for r in (*answers.na, *answers.missing)]
    asked = Counter(g if g.__class__ is str else NOT_STATED for g in others)
    order = [*names, *sorted(g for g in (n | asked) if g not in names and g != NOT_STATED)]
    order.append(NOT_STATED)
    return {g: disclosure.Count(k[g], n[g], n[g] + asked[g]) for g in order}


def breakdowns(
    context: ScoringContext, answers: Answers, hit: Callable[[Any], bool]
) -> list[Breakdown]:
    """The share of ``hit`` answers by stakeholder group and by country, protected.

    Every group of the vocabulary has its row, in the survey's order, then "not stated"; the groups
    `feedback.disclosure.protect` hides carry no numbers at all.
    """
    out = []
    hits = [bool(hit(value)) for _, value in answers.answered]  # once, for every grouping
    for by in GROUPINGS:
        if not vocabulary(context, by):
            continue
        counts = _tally(context, by, answers, hits)
        hidden = disclosure.protect(counts, context.min_cell_size, context.uniform_cell_size)
        cells = []
        for group, count in counts.items():
            label = group_name(context, by, group)
            if group in hidden:
                cells.append(Cell(group=group, label=label, suppressed=True))
                continue
            share = stats.proportion(count.k, count.n)
            cells.append(
                Cell(
                    group=group,
                    label=label,
                    n=count.n,
                    k=count.k,
                    estimate=share.estimate,
                    ci_low=share.ci_low,
                    ci_high=share.ci_high,
                )
            )
        note = (
            f"groups of fewer than {context.min_cell_size}, and groups hidden with them so that "
            "none can be worked out, are not shown"
            if hidden
            else None
        )
        out.append(Breakdown(by=by, cells=cells, note=note))
    return out


def shown_cell(breakdowns_: list[Breakdown], by: str, group: str) -> Cell | None:
    """The cell of ``group`` when the breakdown shows it (None when hidden or absent)."""
    for breakdown in breakdowns_:
        if breakdown.by == by:
            for cell in breakdown.cells:
                if cell.group == group and not cell.suppressed and cell.n:
                    return cell
    return None


def hidden(context: ScoringContext, k: int, n: int) -> bool:
    """Whether a whole result must be hidden (`feedback.disclosure.hidden_result`)."""
    return disclosure.hidden_result(k, n, context.min_cell_size, context.uniform_cell_size)
