"""Scoring: what a scorer is given (`ScoringContext`) and what it returns (`ScoreResult`).

Scorers are plugins (``register_scorers``): each names the constructs it reads (``measures:`` tags)
and returns typed results with their denominators, intervals and methods, so that every report
format can state them. Breakdowns by stakeholder group and country obey the minimum cell size.
"""

from __future__ import annotations

import contextlib
import gc
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, computed_field

from feedback import figures
from feedback.survey import QuestionBase, Survey

NOT_STATED = "not_stated"
"""The group of those who did not say (no answer to ``role`` or ``country``): a row of its own."""


class Cell(BaseModel):
    """One group of a breakdown. A suppressed cell carries no numbers at all."""

    group: str
    label: str
    n: int | None = None
    k: int | None = None
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    suppressed: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def display(self) -> dict[str, str]:
        """The share and interval as every format writes them (`feedback.figures`); none if hidden."""
        if self.suppressed or self.n is None or self.k is None:
            return {}
        return {
            "share": figures.share(self.k, self.n),
            "ci": figures.interval(self.ci_low, self.ci_high),
        }


class Breakdown(BaseModel):
    """A result split by a grouping (``role`` or ``country``): every group of the vocabulary, in
    the survey's order, then "not stated"; hidden groups per `feedback.disclosure`."""

    by: str
    cells: list[Cell] = Field(default_factory=list)
    note: str | None = None


with warnings.catch_warnings():
    # ``construct`` is the natural name of the field (and a JSON key users rely on); pydantic
    # warns that it shadows the deprecated ``BaseModel.construct``, which this class never uses.
    warnings.filterwarnings("ignore", message='Field name "construct"')

    class ScoreResult(BaseModel):
        """One outcome figure, with everything a funder needs to trust it."""

        scorer: str
        construct: str
        label: str
        item: str | None = Field(default=None, description="The question id; None for a summary.")
        event: str | None = Field(default=None, description="The event; None for the programme.")
        n: int | None = Field(
            description="How many answered (don't know / N/A and missing not included); None when "
            "the result is suppressed."
        )
        n_na: int = 0
        n_missing: int = 0
        k: int | None = None
        estimate: float | None = None
        ci_low: float | None = None
        ci_high: float | None = None
        p_value: float | None = None
        effect_size: float | None = None
        effect_size_name: str | None = None
        unit: str = Field(default="proportion", description="proportion, median, score, count ...")
        method: str = ""
        summary: str = Field(default="", description="The result as a plain sentence.")
        details: dict[str, Any] = Field(default_factory=dict)
        breakdowns: list[Breakdown] = Field(default_factory=list)
        notes: list[str] = Field(default_factory=list)
        suppressed: bool = Field(
            default=False,
            description="Too few answered (or all alike) to show: no k, estimate or breakdown.",
        )

        @computed_field  # type: ignore[prop-decorator]
        @property
        def display(self) -> dict[str, str]:
            """The figures as every format writes them, rounded half-up by `feedback.figures`."""
            return displayed(self)


def displayed(result: ScoreResult) -> dict[str, str]:
    """The display fields of a result: what the sentence, the tables and CSV/JSON readers show."""
    if result.suppressed:
        return {}
    out: dict[str, str] = {}
    if result.unit in ("proportion", "pairs") and result.k is not None and result.n:
        out["share"] = figures.share(result.k, result.n)
        out["ci"] = figures.interval(result.ci_low, result.ci_high)
    elif result.unit == "median" and result.estimate is not None:
        out["median"] = figures.median(result.estimate)
    elif result.unit == "alpha" and result.estimate is not None:
        out["alpha"] = figures.decimal(result.estimate)
        if result.ci_low is not None and result.ci_high is not None:
            out["ci"] = f"{figures.decimal(result.ci_low)} to {figures.decimal(result.ci_high)}"
    if result.p_value is not None:
        out["p"] = figures.p_value(result.p_value)
    if result.effect_size is not None:
        out["effect_size"] = figures.decimal(result.effect_size)
    nps = result.details.get("nps")
    if nps is not None:
        out["nps"] = figures.signed(nps)
        low, high = result.details.get("nps_ci_low"), result.details.get("nps_ci_high")
        if low is not None and high is not None:
            out["nps_ci"] = f"{figures.signed(low)} to {figures.signed(high)}"
    for key in ("mp_achievement", "country_achievement", "response_rate"):
        value = result.details.get(key)
        if isinstance(value, str):
            out[key] = value
    return out


@dataclass
class ScoringContext:
    """Everything a scorer may read, gathered once: responses, surveys, attendance, settings."""

    event: str | None
    events: list[dict[str, Any]]
    responses: list[dict[str, Any]]
    surveys: dict[tuple[str, str], Survey]
    attendance: list[dict[str, Any]]
    min_cell_size: int = 5
    #: the smallest group whose answers are all alike that may be shown (twice the minimum)
    uniform_cell_size: int = 10
    targets: dict[str, int] = field(default_factory=dict)
    programme: bool = False
    #: scorers may keep what they compute once per context here (e.g. visible questions)
    cache: dict[str, Any] = field(default_factory=dict)

    def items(self, construct: str) -> list[QuestionBase]:
        """Questions measuring ``construct`` in any survey version used, once per question id."""
        found: dict[str, QuestionBase] = {}
        for survey in self.surveys.values():
            for question in survey.measures(construct):
                found.setdefault(question.id, question)
        return list(found.values())

    def asking(self, question_id: str) -> list[dict[str, Any]]:
        """The responses whose survey version asks ``question_id``, in order (computed once)."""
        cache = self.cache.setdefault("asking", {})
        if question_id not in cache:
            versions = {key for key, s in self.surveys.items() if question_id in s.by_id}
            if len(versions) == len(self.surveys):  # every version asks it
                cache[question_id] = self.responses
            else:
                cache[question_id] = [
                    r for r in self.responses if (r["survey"], r["survey_version"]) in versions
                ]
        return cache[question_id]

    def answers(self, question_id: str) -> Iterator[tuple[dict[str, Any], Any]]:
        """(response, answer or None) for every response whose survey asks ``question_id``."""
        for response in self.asking(question_id):
            yield response, response["answers"].get(question_id)

    def group_of(self, response: dict[str, Any], by: str) -> str | None:
        """The stakeholder group (the ``role`` answer) or ``country`` a response gives."""
        value = response["answers"].get(by)
        return value if value.__class__ is str else None


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while many response records are read and scored.

    Responses are plain dicts and lists without reference cycles, so reference counting frees
    them; a full collection would walk every record read so far, again and again (it made
    scoring grow faster than linearly). The collector runs again, once, afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_context(engine: Any, event: str | None = None, programme: bool = False) -> ScoringContext:
    """Gather what the scorers read: one event's responses, or every event's for the programme.

    :raises UnknownEvent: ``event`` is not in the database.
    """
    from feedback.disclosure import uniform_minimum
    from feedback.errors import UnknownEvent, did_you_mean

    store = engine.store
    events = store.events()
    if event is not None and store.event(event) is None:
        raise UnknownEvent(
            f"--event: unknown event '{event}'" + did_you_mean(event, [e["id"] for e in events])
        )
    responses = list(store.iter_responses(event=None if programme else event))
    surveys: dict[tuple[str, str], Survey] = {}
    for key in {(r["survey"], r["survey_version"]) for r in responses}:
        surveys[key] = engine.survey(*key)
    attendance = store.attendance()
    return ScoringContext(
        event=None if programme else event,
        events=events,
        responses=responses,
        surveys=surveys,
        attendance=attendance,
        min_cell_size=engine.settings.min_cell_size,
        uniform_cell_size=uniform_minimum(
            engine.settings.min_cell_size, engine.settings.uniform_cell_size
        ),
        targets=dict(engine.settings.programme.targets),
        programme=programme,
    )


def score(engine: Any, context: ScoringContext) -> list[ScoreResult]:
    """Run every registered scorer on the context, in registration order."""
    results: list[ScoreResult] = []
    for scorer in engine.scorers:
        results.extend(scorer.score(context))
    return results
