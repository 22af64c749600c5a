"""What a report format is handed: a `Report`, plain data gathered once by `feedback_reports.build`.

Every format renders the same `Report` with ``render(report) -> str``, so a third-party format sees
exactly what the built-in ones see. Suppression of small groups is already applied here: a format
cannot show what is not in the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from feedback.scoring import CountsAgainstTargets, ScoreResult


class Comment(NamedTuple):
    """A free-text answer: the question's label and the text, never who wrote it."""

    question: str
    text: str


class ReportedOutcome(NamedTuple):
    """An outcome of the outcome log (`feedback.outcomes`): observed, not asked; set apart for
    review like comments, its text as it was recorded."""

    event: str
    kind: str
    #: the kind's label, from the programme's ``outcome_kinds`` (the id when no longer there)
    kind_label: str
    date: str
    text: str
    evidence: str | None = None
    evidence_sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._asdict())


class ParticipantCount(NamedTuple):
    """Outcomes participants reported in their answers (survey items that declare ``outcome:``),
    of one kind or at one event: ``reporting`` of the ``asked`` respondents shown such an item
    reported ``outcomes`` of them (a number answer counts as that many).

    Self-reported, not observed. A count that would give one person's answer away (fewer than
    the minimum cell size asked, or all alike below the uniform minimum, or hidden to protect
    another event: `feedback.disclosure`) is ``suppressed`` and carries no number at all.
    """

    key: str
    label: str
    asked: int | None
    reporting: int | None
    outcomes: int | None
    suppressed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self._asdict())


class OutcomeText(NamedTuple):
    """An outcome a participant described in a text answer: set apart for review like a
    comment, sorted within its kind, never attributed (no event, no date, no respondent)."""

    kind: str
    kind_label: str
    question: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self._asdict())


@dataclass
class ParticipantOutcomes:
    """What the answers of a report's responses say of outcomes, protected already."""

    #: one row per kind some survey asked about, by label
    by_kind: list[ParticipantCount] = field(default_factory=list)
    #: one row per event where some survey asked, in the report's event order
    by_event: list[ParticipantCount] = field(default_factory=list)
    texts: list[OutcomeText] = field(default_factory=list)

    @property
    def asked(self) -> bool:
        """Whether any response was asked about outcomes at all."""
        return bool(self.by_kind)

    def as_dict(self) -> dict[str, Any]:
        return {
            "by_kind": [c.as_dict() for c in self.by_kind],
            "by_event": [c.as_dict() for c in self.by_event],
            "texts": [t.as_dict() for t in self.texts],
        }


@dataclass(frozen=True)
class ScalePoint:
    id: str
    label: str


@dataclass
class ItemDistribution:
    """How the answers to one scale item spread over its points (the whole group, no breakdown).

    ``kind`` is ``likert`` (``counts`` by point, ``n_na`` "don't know" apart) or ``then_now``
    (``then`` and ``now`` by point, over the ``n`` complete pairs). An item with fewer answers than
    the minimum cell size is ``suppressed``: its counts are left empty.
    """

    item: str
    label: str
    construct: str
    kind: Literal["likert", "then_now"]
    points: list[ScalePoint]
    n: int
    n_na: int = 0
    na_label: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    then: dict[str, int] = field(default_factory=dict)
    now: dict[str, int] = field(default_factory=dict)
    then_label: str = "Before the seminar"
    now_label: str = "Now"
    suppressed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "label": self.label,
            "construct": self.construct,
            "kind": self.kind,
            "points": [{"id": p.id, "label": p.label} for p in self.points],
            "n": self.n,
            "n_na": self.n_na,
            "na_label": self.na_label,
            "counts": self.counts,
            "then": self.then,
            "now": self.now,
            "suppressed": self.suppressed,
        }


@dataclass
class EventResults:
    """One event of a programme report: its row, its responses and its results."""

    event: dict[str, Any]
    n_responses: int
    results: list[ScoreResult]

    def targets(self, scorer: str, scope: str) -> ScoreResult | None:
        """The event's counts against targets (of ``scorer``) at the event (``scope`` "event")
        or over the programme up to it ("programme"; the event's own when it was the programme's
        first: said once, not twice)."""
        found: dict[str, ScoreResult] = {
            r.figure.scope: r
            for r in self.results
            if r.scorer == scorer and isinstance(r.figure, CountsAgainstTargets)
        }
        return found.get(scope) or (found.get("event") if scope == "programme" else None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "responses": self.n_responses,
            "results": [r.model_dump(mode="json") for r in self.results],
        }


@dataclass
class Report:
    """An outcome report of one event, or of a programme (every event so far)."""

    title: str
    event: dict[str, Any] | None
    programme: bool
    generated: dt.date
    min_cell_size: int
    #: the results of the event (or of the whole programme), outcomes first, in report order
    results: list[ScoreResult]
    #: free-text answers "for review": sorted within each question, never attributed
    comments: list[Comment] = field(default_factory=list)
    #: a programme report: each event's own results, in date order
    events: list[EventResults] = field(default_factory=list)
    #: answer distributions of likert and then/now items, for charts and their tables
    distributions: list[ItemDistribution] = field(default_factory=list)
    #: the line under the title: place, date, or the events a programme covers
    subtitle: str = ""
    n_responses: int = 0
    #: scorer name -> its title (section headings)
    scorer_titles: dict[str, str] = field(default_factory=dict)
    #: ISO country code -> English name, from the surveys' ``country`` question
    country_names: dict[str, str] = field(default_factory=dict)
    #: the outcome log's outcomes of the event (or the programme's events), by date
    outcome_log: list[ReportedOutcome] = field(default_factory=list)
    #: outcomes participants reported in their answers: counts protected, texts for review
    participant_outcomes: ParticipantOutcomes = field(default_factory=ParticipantOutcomes)
    #: a programme report: the programme's indicators (`feedback.indicators.IndicatorReport`)
    indicators: list[Any] = field(default_factory=list)
    #: why the indicators could not be computed (a source the settings name wrongly), if so
    indicators_problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: stable keys, results as `ScoreResult.model_dump(mode="json")`."""
        return {
            "title": self.title,
            "event": self.event,
            "programme": self.programme,
            "generated": self.generated.isoformat(),
            "min_cell_size": self.min_cell_size,
            "responses": self.n_responses,
            "results": [r.model_dump(mode="json") for r in self.results],
            "events": [e.as_dict() for e in self.events],
            "distributions": [d.as_dict() for d in self.distributions],
            "comments": [{"question": c.question, "text": c.text} for c in self.comments],
            "outcome_log": [o.as_dict() for o in self.outcome_log],
            "participant_outcomes": self.participant_outcomes.as_dict(),
            "indicators": [i.as_dict() for i in self.indicators],
        }
