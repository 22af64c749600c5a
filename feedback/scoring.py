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
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, computed_field, model_validator

from feedback import figures
from feedback.survey import ChoiceQuestion, QuestionBase, Survey

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


# -- kinds: what a result is, so that a report can draw it without knowing its scorer ----------

Kind = Literal["share", "paired_change", "counts_against_targets", "distribution", "score"]
"""What a result is. A report draws its table, chart and sentence from its kind alone:

* ``share``: k of n with its interval (agreement with a statement, a yes/no, a response rate);
* ``paired_change``: then/now (before/after) pairs: how many rose, stayed the same, fell;
* ``counts_against_targets``: counts (people, countries ...) against targets (reach);
* ``distribution``: how many answers at each point of a scale, with the median;
* ``score``: one number with its interval (Cronbach's alpha, a mean, an index).
"""

KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]


class Wording(BaseModel):
    """The words a report uses for a result, in one language (`ScoreResult.wording` maps a
    language code to them). Every field is optional: a report falls back on its kind's words.

    ``sentence`` is a `str.format` template of the result's sentence (used when the scorer leaves
    ``summary`` empty); its fields are those of `sentence_fields`. ``labels`` holds the named
    words a kind's table and chart read (see each kind's docstring)."""

    title: str | None = Field(default=None, description="The heading of the result's part.")
    intro: str | None = Field(default=None, description="A line under the part's sentences.")
    detail_intro: str | None = Field(default=None, description="A line over its tables in full.")
    caption: str | None = Field(default=None, description="The caption of its chart.")
    caveat: tuple[str, str] | None = Field(
        default=None,
        description="A caveat in 'Methods and caveats', shown before the denominators: (the "
        "words in bold, the rest).",
    )
    basis: tuple[str, str] | None = Field(
        default=None,
        description="Where its counts come from, in 'Methods and caveats' after the "
        "denominators: (the words in bold, the rest).",
    )
    legend: str | None = Field(
        default=None, description="What n, k and the estimate of its table are."
    )
    sentence: str | None = Field(default=None, description="A template of its sentence.")
    labels: dict[str, str] = Field(default_factory=dict)


class _Figure(BaseModel):
    """What every kind's figure has: whether a report charts it (``chart``)."""

    chart: bool = Field(
        default=True,
        description="Whether a report draws its chart; a scorer may keep a figure to tables.",
    )


class Share(_Figure):
    """``k`` of ``n`` with its 95% interval (``ci_low``, ``ci_high``, exact floats; none when
    nobody was sampled). Table: n, k, share, interval, and the breakdowns. Chart: a bar per result
    with its interval. Labels: ``hit`` (what k counts, "agree"), ``axis``."""

    kind: Literal["share"] = "share"
    k: int = Field(ge=0)
    n: int = Field(ge=0)
    ci_low: float | None = None
    ci_high: float | None = None


class PairedChange(_Figure):
    """Then/now pairs (``n`` of them): how many ``rose``, stayed the ``same`` and ``fell``; the
    share that rose has its interval. Chart: a bar per result split into the three. Labels:
    ``measure`` (what was rated, "self-reported knowledge"), ``before`` and ``after``
    ("before the seminar", "now"), ``rose``, ``same``, ``fell``."""

    kind: Literal["paired_change"] = "paired_change"
    n: int = Field(ge=0)
    rose: int = Field(ge=0)
    same: int = Field(ge=0)
    fell: int = Field(ge=0)
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    effect_size: float | None = None

    @model_validator(mode="after")
    def _adds_up(self) -> PairedChange:
        if self.rose + self.same + self.fell != self.n:
            raise ValueError(
                f"rose + same + fell must be n: {self.rose} + {self.same} + {self.fell} != {self.n}"
            )
        return self


class TargetCount(BaseModel):
    """One count against its target: ``value`` of ``target`` (None: no target set).

    ``label`` names it in a chart ("MPs"), ``noun`` in a sentence ("MPs", "countries");
    ``columns`` the headers of its table columns: ``count``, ``target``, ``of_target``,
    ``at_event``, ``so_far``, ``of_target_so_far`` (defaults made from ``label``)."""

    id: str
    label: str
    noun: str = ""
    value: int = Field(ge=0)
    target: int | None = Field(default=None, ge=1)
    columns: dict[str, str] = Field(default_factory=dict)

    def column(self, key: str) -> str:
        defaults = {
            "count": self.label,
            "target": f"{self.label} target",
            "of_target": f"{self.label}: of the target",
            "at_event": f"{self.label} at the event",
            "so_far": f"{self.label} so far",
            "of_target_so_far": f"of the {self.label} target",
        }
        return self.columns.get(key) or defaults[key]


class CountsAgainstTargets(_Figure):
    """Counts against targets (reach), at one event (``scope`` "event") or over the programme so
    far ("programme"). ``total`` everyone counted ("attended"), ``counts`` each count against its
    target, ``by_group`` everyone counted by group ("Role" -> people), ``notes`` lines under its
    tables ("The MPs came from ..."). Chart: a bar per count against its target; in a programme,
    the counts so far event by event. Labels: ``total`` (column header), ``group`` (header of
    ``by_group``), ``chart`` (what the chart describes), ``so_far`` (a sentence part per event
    with the counts' ids as fields, "{mps} MPs from {countries} countries")."""

    kind: Literal["counts_against_targets"] = "counts_against_targets"
    scope: Literal["event", "programme"] = "event"
    total: int = Field(ge=0)
    counts: list[TargetCount] = Field(default_factory=list)
    by_group: dict[str, int] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


class Distribution(_Figure):
    """How many answers at each point: ``points`` (label -> count, in the scale's order) over
    ``n`` answers, and their ``median``; ``points`` may be left empty (not shown: an event's in a
    programme report). Chart: a bar per point. Labels: ``axis``."""

    kind: Literal["distribution"] = "distribution"
    n: int = Field(ge=0)
    points: dict[str, int] = Field(default_factory=dict)
    median: float | None = None

    @model_validator(mode="after")
    def _adds_up(self) -> Distribution:
        if self.points and sum(self.points.values()) != self.n:
            raise ValueError(
                f"the counts at the points add up to {sum(self.points.values())}, not n = {self.n}"
            )
        return self


class Score(_Figure):
    """One number (``value``) with its interval, from ``n`` answers: written with ``places``
    decimals (``signed``: with its sign, "+13"). ``low`` and ``high`` bound the chart's axis.
    Chart: a dot per result with its interval. Labels: ``name`` ("Cronbach's alpha"), ``axis``."""

    kind: Literal["score"] = "score"
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int = Field(default=0, ge=0)
    places: int = Field(default=2, ge=0)
    signed: bool = False
    low: float | None = None
    high: float | None = None


Figure = Annotated[
    Share | PairedChange | CountsAgainstTargets | Distribution | Score,
    Field(discriminator="kind"),
]
"""A result's figures by its kind (`Kind`): exact counts, unrounded bounds."""

DEFAULT_SENTENCES: dict[str, str] = {
    "share": "{label}: {k} of {n} {hit} ({share}{ci_part}).",
    "paired_change": "{label}: {rose} of {n} rose, {same} the same, {fell} lower.",
    "counts_against_targets": "{label}: {counts}.",
    "distribution": "{label}: median {median} ({n} answered).",
    "score": "{label}: {name} {value}{ci_part} (n = {n}).",
}
"""The sentence of each kind when a result has neither a ``summary`` nor a ``sentence`` of its
own (English); fields as `sentence_fields`."""


def score_text(figure: Score, value: float | None) -> str:
    """A value of a score as a report writes it (`feedback.figures`)."""
    if value is None:
        return figures.DASH
    if figure.signed:
        return figures.signed(value, figure.places)
    return figures.decimal(value, figure.places)


def sentence_fields(result: ScoreResult, lang: str = "en") -> dict[str, Any]:
    """The fields of a sentence template: ``label``, the figure's fields, and its figures as
    written (``share``, ``ci``, ``ci_part`` ", 95% CI 72–96%", ``median``, ``value``, ``counts``
    "11 MPs of a target of 100; 7 countries of 15"), ``hit`` and ``name`` from the labels."""
    figure = result.figure
    fields: dict[str, Any] = {"label": result.label}
    if figure is None:
        return fields
    labels = result.words(lang).labels
    fields.update(figure.model_dump(exclude={"chart", "kind", "counts", "by_group", "notes"}))
    fields["hit"] = labels.get("hit", "")
    fields["name"] = labels.get("name", "")
    if isinstance(figure, Share | PairedChange):
        k = figure.k if isinstance(figure, Share) else figure.rose
        fields["share"] = figures.share(k, figure.n)
        fields["ci"] = figures.interval(figure.ci_low, figure.ci_high)
        fields["ci_part"] = f", {fields['ci']}" if fields["ci"] else ""
        fields["p"] = figures.p_value(figure.p_value) if isinstance(figure, PairedChange) else ""
    elif isinstance(figure, Distribution):
        fields["median"] = figures.median(figure.median)
    elif isinstance(figure, Score):
        fields["value"] = score_text(figure, figure.value)
        both = figure.ci_low is not None and figure.ci_high is not None
        fields["ci"] = (
            f"95% CI {score_text(figure, figure.ci_low)} to {score_text(figure, figure.ci_high)}"
            if both
            else ""
        )
        fields["ci_part"] = f", {fields['ci']}" if both else ""
    elif isinstance(figure, CountsAgainstTargets):
        fields["counts"] = "; ".join(
            f"{c.value} {c.noun or c.label}"
            + (
                f" of a target of {c.target} ({figures.achievement(c.value, c.target)})"
                if c.target
                else ""
            )
            for c in figure.counts
        )
        fields.update({c.id: c.value for c in figure.counts})
    return fields


with warnings.catch_warnings():
    # ``construct`` is the natural name of the field (and a JSON key users rely on); pydantic
    # warns that it shadows the deprecated ``BaseModel.construct``, which this class never uses.
    warnings.filterwarnings("ignore", message='Field name "construct"')

    class ScoreResult(BaseModel):
        """One outcome figure, with everything a funder needs to trust it."""

        scorer: str
        construct: str  # type: ignore[assignment]
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
        kind: Kind | None = Field(
            default=None,
            description="What the result is (`Kind`), so that a report draws it; None: a plain "
            "table. Set from ``figure`` when not given; kept when a hidden result has no figure.",
        )
        figure: Figure | None = Field(
            default=None,
            description="Its figures by kind; None when hidden (``suppressed``).",
        )
        wording: dict[str, Wording] = Field(
            default_factory=dict,
            description="Its words by language code ('en'): heading, intro, caption, caveats, "
            "sentence template, labels.",
        )
        source: Literal["answers", "roster"] = Field(
            default="answers",
            description="What it counts: answers (hidden event by event when they could be "
            "told apart), or the roster of who attended (no answer to protect, no table event "
            "by event).",
        )
        outcome: bool = Field(
            default=True,
            description="An outcome (in 'Outcomes' and the main part); False: a check on the "
            "method (reliability), shown in the appendix only.",
        )

        @model_validator(mode="after")
        def _kind_and_sentence(self) -> ScoreResult:
            if self.figure is not None:
                if self.kind is None:
                    self.kind = self.figure.kind
                elif self.kind != self.figure.kind:
                    raise ValueError(
                        f"result '{self.label}': kind '{self.kind}' but a "
                        f"'{self.figure.kind}' figure"
                    )
                if self.suppressed:
                    raise ValueError(f"result '{self.label}': a hidden result carries no figure")
                for name, value in _figure_fields(self.figure).items():
                    if name not in self.model_fields_set:
                        setattr(self, name, value)
                if not self.summary:
                    template = self.words("en").sentence or DEFAULT_SENTENCES[self.figure.kind]
                    text = template.format(**sentence_fields(self, "en"))
                    self.summary = " ".join(text.split()).replace(" .", ".")
            return self

        def words(self, lang: str = "en") -> Wording:
            """Its words in ``lang`` (else English, else none)."""
            return self.wording.get(lang) or self.wording.get("en") or Wording()

        @computed_field  # type: ignore[prop-decorator]
        @property
        def display(self) -> dict[str, str]:
            """The figures as every format writes them, rounded half-up by `feedback.figures`."""
            return displayed(self)


def _figure_fields(
    figure: Share | PairedChange | CountsAgainstTargets | Distribution | Score,
) -> dict[str, Any]:
    """The plain fields of a result (k, estimate, interval, test) its figure gives, for a scorer
    that leaves them out."""
    if isinstance(figure, Share):
        return {
            "k": figure.k,
            "estimate": figure.k / figure.n if figure.n else None,
            "ci_low": figure.ci_low,
            "ci_high": figure.ci_high,
        }
    if isinstance(figure, PairedChange):
        return {
            "k": figure.rose,
            "estimate": figure.rose / figure.n if figure.n else None,
            "ci_low": figure.ci_low,
            "ci_high": figure.ci_high,
            "p_value": figure.p_value,
            "effect_size": figure.effect_size,
        }
    if isinstance(figure, CountsAgainstTargets):
        first = next((c for c in figure.counts if c.target), None)
        return {
            "k": figure.counts[0].value if figure.counts else None,
            "estimate": first.value / first.target if first and first.target else None,
        }
    if isinstance(figure, Distribution):
        return {"estimate": figure.median}
    return {"estimate": figure.value, "ci_low": figure.ci_low, "ci_high": figure.ci_high}


def _kind_display(result: ScoreResult) -> dict[str, str]:
    """The display fields of a result by its kind (for units the core does not know)."""
    figure = result.figure
    if isinstance(figure, Share | PairedChange) and figure.n:
        k = figure.k if isinstance(figure, Share) else figure.rose
        return {
            "share": figures.share(k, figure.n),
            "ci": figures.interval(figure.ci_low, figure.ci_high),
        }
    if isinstance(figure, Distribution) and figure.median is not None:
        return {"median": figures.median(figure.median)}
    if isinstance(figure, Score) and figure.value is not None:
        out = {"score": score_text(figure, figure.value)}
        if figure.ci_low is not None and figure.ci_high is not None:
            out["ci"] = (
                f"{score_text(figure, figure.ci_low)} to {score_text(figure, figure.ci_high)}"
            )
        return out
    return {}


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
    elif result.unit not in ("count", "rate"):
        out.update(_kind_display(result))
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


HEADLINE = ("share", "response_rate", "median", "alpha", "mp_achievement", "score")
"""The display fields that can be a result's headline figure, first found first."""


def headline(result: ScoreResult) -> str:
    """A result's headline figure as every format writes it (empty when it has none)."""
    display = result.display
    return next((display[key] for key in HEADLINE if key in display), "")


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
    #: what attendance reach counts: "roster" (all recorded) or "confirmed" (sheets, check-ins)
    reach_attendance: str = "roster"
    #: response id -> its keyed link to the same person's responses in other waves
    #: (`feedback.linking`): the hash only, never who answered
    links: dict[str, str] = field(default_factory=dict)
    #: response id -> how its link was made: "person" (a pseudonymous survey's personal link)
    #: or "self_code" (a self-generated code)
    link_methods: dict[str, str] = field(default_factory=dict)
    #: how a count of each channel's responses reads (``"kiosk": "at the kiosk"``), as the
    #: plugins that register the channels word it (`feedback.registry.Channel.phrase`)
    channel_phrases: dict[str, str] = field(default_factory=dict)
    #: scorers may keep what they compute once per context here (e.g. visible questions)
    cache: dict[str, Any] = field(default_factory=dict)

    def counted_by(self, channel: str) -> str:
        """The words after a count of responses from ``channel``: ``at the kiosk``; ``by
        <channel>`` for a channel no plugin registers (an uninstalled one's old responses)."""
        return self.channel_phrases.get(channel) or f"by {channel}"

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
        asking: list[dict[str, Any]] = cache[question_id]
        return asking

    def answers(self, question_id: str) -> Iterator[tuple[dict[str, Any], Any]]:
        """(response, answer or None) for every response whose survey asks ``question_id``."""
        for response in self.asking(question_id):
            yield response, response["answers"].get(question_id)

    def choice_names(self, question_id: str, language: str = "en") -> dict[str, str]:
        """Option id -> its text in ``language``, over every survey version whose
        ``question_id`` is a choice question (``country``: ISO code -> "Netherlands")."""
        names: dict[str, str] = {}
        for survey in self.surveys.values():
            question = survey.by_id.get(question_id)
            if isinstance(question, ChoiceQuestion):
                for choice in question.choices:
                    names.setdefault(choice.id, choice.text(language))
        return names

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
    linked = store.response_links()
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
        reach_attendance=engine.settings.programme.reach_attendance,
        links={rid: link for rid, (link, _) in linked.items()},
        link_methods={rid: method for rid, (_, method) in linked.items()},
        channel_phrases={name: c.counted() for name, c in engine.channels.items.items()},
    )


def score(engine: Any, context: ScoringContext) -> list[ScoreResult]:
    """Run every registered scorer on the context, in registration order."""
    results: list[ScoreResult] = []
    for scorer in engine.scorers:
        results.extend(scorer.score(context))
    return results
