"""Programme indicators: what a programme promised its funder ("100 MPs reached", "3 laws
amended"), each with a baseline and a target, and how far it has come, event by event.

An indicator is declared in the programme's settings (``[[programme.indicators]]``, read by
`IndicatorSettings`)::

    [[programme.indicators]]
    id = "mps_reached"
    label = { en = "MPs reached", nl = "Bereikte parlementariërs" }
    unit = "MPs"
    baseline = 0
    target = 100
    source = { scorer = "reach", figure = "mps" }

Its values come from one of two sources:

* a figure of a scorer (``source = { scorer = ..., figure = ... }``), read from the scorer's
  result by the result's kind (`FIGURES`): a count of a ``counts_against_targets`` result by its
  id (``mps``, ``countries``) or ``total``; ``share`` (k/n as a percentage, 0-100), ``k`` or ``n``
  of a ``share``; ``share`` (those who rose), ``rose``, ``same``, ``fell`` or ``n`` of a
  ``paired_change``; ``median`` or ``n`` of a ``distribution``; ``value`` or ``n`` of a
  ``score``. ``construct`` and ``item`` pick one result when a scorer gives several. The value at
  an event is scored on that event's responses and roster; the value *so far* on every event up
  to it (in date order), so the programme's value is the figure over all of them.
* values entered by hand (``source = "manual"``) with ``feedback indicator set``, each on a date,
  for an event or for the whole programme, with its evidence (a file, kept by path and sha256, or
  a line of text). The value at an event is the latest entered for it; the value so far is the sum
  of the events' values up to it (``cumulative = "sum"``, the default) or the latest of them
  (``cumulative = "latest"``: a level, such as "laws in force"); a value entered for the whole
  programme (no ``--event``), the latest of them, is the programme's value.

Progress is how far the value so far has come from the baseline towards the target, as a share
(``(value - baseline) / (target - baseline)``, exact, written half-up by `feedback.figures`): 35
against a baseline of 10 and a target of 60 is 50%. A target below its baseline is a reduction.

`compute` returns, per indicator, the rows a table, an export and a report's chart of progress over
the events need (`IndicatorReport`); `export` writes them to CSV or XLSX.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from feedback import figures
from feedback.errors import InvalidInput, did_you_mean

if TYPE_CHECKING:
    from feedback.scoring import ScoreResult, ScoringContext
    from feedback.store import Store

#: What an indicator id looks like (``mps_reached``).
INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: What a language code of a label looks like (``en``, ``nl``).
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
#: The keys of a scorer source.
SOURCE_KEYS = ("scorer", "figure", "construct", "item")
#: The figures an indicator can read from a result, by the result's kind.
FIGURES: dict[str, tuple[str, ...]] = {
    "counts_against_targets": ("total",),  # and each count's id
    "share": ("share", "k", "n"),
    "paired_change": ("share", "rose", "same", "fell", "n"),
    "distribution": ("median", "n"),
    "score": ("value", "n"),
}
#: Evidence that names a file (a path, or a name with a document's suffix) but no file exists:
#: refused rather than kept as text, so that a mistyped name is not taken for a sentence.
FILE_LIKE = re.compile(
    r"(?i)\S*/\S*|\S+\.(pdf|docx?|xlsx?|odt|ods|csv|txt|md|html?|png|jpe?g|eml|msg|zip)"
)
#: The longest text of evidence, in characters.
MAX_EVIDENCE = 1000
#: The columns of an export, in order.
COLUMNS = (
    "indicator",
    "label",
    "unit",
    "scope",
    "event",
    "date",
    "baseline",
    "target",
    "value",
    "so_far",
    "progress",
    "source",
    "evidence",
    "note",
)
EXPORT_FORMATS = ("csv", "xlsx")
SETTINGS = "feedback.toml (or FEEDBACK_ variables): programme.indicators[0]"


with warnings.catch_warnings():
    # ``construct`` is the word the scorers' results use (`feedback.scoring.ScoreResult`); pydantic
    # warns that it shadows the deprecated ``BaseModel.construct``, which this class never uses.
    warnings.filterwarnings("ignore", message='Field name "construct"')

    class ScorerSource(BaseModel):
        """A figure of a scorer's result: ``scorer``, ``figure``; ``construct`` and ``item`` pick
        one result when the scorer gives several."""

        model_config = ConfigDict(extra="forbid")

        scorer: str
        figure: str
        construct: str | None = None  # type: ignore[assignment]
        item: str | None = None

        @model_serializer(mode="wrap")
        def _given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
            """Only the keys given (``feedback config show``): no empty construct or item."""
            data: dict[str, Any] = handler(self)
            return {key: value for key, value in data.items() if value is not None}

        def text(self) -> str:
            """The source as a table shows it: ``reach: mps``, ``knowledge (k1): share``."""
            which = self.construct if self.construct and self.construct != self.scorer else ""
            which += f" ({self.item})" if self.item else ""
            return f"{self.scorer}{' ' + which if which else ''}: {self.figure}"


#: The largest value (in magnitude) and the most decimals an indicator's numbers may have.
MAX_VALUE = Decimal(10) ** 15
MAX_PLACES = 6


def number_problem(value: Decimal) -> str | None:
    """Why ``value`` cannot be an indicator's number (not finite, too large, too many decimals)."""
    if not value.is_finite():
        return f"expected a number such as 12 or 3.5, found {value}"
    # adjusted() and the exponent: no arithmetic, which would overflow on 1e999999999
    if (value and value.adjusted() >= 15) or value.as_tuple().exponent < -MAX_PLACES:  # type: ignore[operator]
        return (
            f"expected a number below {MAX_VALUE:,} with at most {MAX_PLACES} decimals, "
            f"found {value}"
        )
    return None


def _plain_number(value: Decimal) -> int | float:
    """A baseline or target as settings show it (``feedback config show``, JSON)."""
    return int(value) if value == value.to_integral_value() else float(value)


Number = Annotated[Decimal, PlainSerializer(_plain_number)]


class IndicatorSettings(BaseModel):
    """One indicator of ``[[programme.indicators]]``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="The indicator's id, e.g. mps_reached.")
    label: str | dict[str, str] = Field(
        description='Its name, one for all languages or per language: { en = "...", nl = "..." }.'
    )
    unit: str = Field(default="", description='What its values count, e.g. "MPs" or "%".')
    baseline: Number = Field(default=Decimal(0), description="Its value before the programme.")
    target: Number = Field(description="The value the programme aims at.")
    source: Literal["manual"] | ScorerSource = Field(
        description='"manual" (values entered with `feedback indicator set`) or a figure of a '
        'scorer, e.g. { scorer = "reach", figure = "mps" }.'
    )
    cumulative: Literal["sum", "latest"] = Field(
        default="sum",
        description="How a manual indicator's values add up over the events: their sum, or the "
        "latest (a level).",
    )

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not INDICATOR_ID.fullmatch(value):
            raise ValueError(f"expected an id such as mps_reached, found {value!r}")
        return value

    @field_validator("baseline", "target")
    @classmethod
    def _number(cls, value: Decimal) -> Decimal:
        problem = number_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("label")
    @classmethod
    def _label(cls, value: str | dict[str, str]) -> str | dict[str, str]:
        labels = value if isinstance(value, dict) else {"": value}
        if not labels:
            raise ValueError('expected a label such as "MPs reached" or { en = "...", nl = "..." }')
        for lang, text in labels.items():
            if lang and not LANGUAGE.fullmatch(lang):
                raise ValueError(f"expected language codes such as en or nl, found {lang!r}")
            if not text.strip():
                raise ValueError(f"expected a label{' in ' + lang if lang else ''}, found {text!r}")
        return value

    @field_validator("source", mode="before")
    @classmethod
    def _source(cls, value: Any) -> Any:
        example = '"manual" or a table such as { scorer = "reach", figure = "mps" }'
        if isinstance(value, str):
            if value != "manual":
                raise ValueError(f"expected {example}, found {value!r}")
            return value
        if isinstance(value, ScorerSource):
            return value
        if not isinstance(value, dict):
            raise ValueError(f"expected {example}, found {value!r}")
        for key in value:
            if key not in SOURCE_KEYS:
                raise ValueError(
                    f"unknown key '{key}' of a scorer source (expected: {', '.join(SOURCE_KEYS)})"
                    + did_you_mean(str(key), SOURCE_KEYS)
                )
        for key in ("scorer", "figure"):
            if key not in value:
                raise ValueError(f"a scorer source needs '{key}': expected {example}")
        for key, text in value.items():
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"source '{key}': expected a name, found {text!r}")
        return ScorerSource(**value)

    @model_validator(mode="after")
    def _target(self) -> IndicatorSettings:
        if self.target == self.baseline:
            raise ValueError(
                f"target: expected a value other than the baseline ({self.baseline}), found "
                f"{self.target}: progress runs from the baseline to the target"
            )
        if self.cumulative != "sum" and self.source != "manual":
            raise ValueError(
                "cumulative: only a manual indicator says how its values add up; a scorer's "
                "figure is scored over the events so far"
            )
        return self

    @property
    def manual(self) -> bool:
        return self.source == "manual"

    def label_in(self, lang: str = "en") -> str:
        """Its label in ``lang`` (else English, else the first given)."""
        if isinstance(self.label, str):
            return self.label
        return self.label.get(lang) or self.label.get("en") or next(iter(self.label.values()))

    def source_text(self) -> str:
        return "manual" if isinstance(self.source, str) else self.source.text()


def check_indicators(indicators: list[IndicatorSettings]) -> list[IndicatorSettings]:
    """No two indicators with one id (the programme settings' validator)."""
    seen: set[str] = set()
    for indicator in indicators:
        if indicator.id in seen:
            raise ValueError(f"expected each indicator id once, found {indicator.id!r} twice")
        seen.add(indicator.id)
    return indicators


# -- values -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Point:
    """An indicator at one event (``scope`` "event") or over the programme ("programme").

    ``value`` is its value at the event (None for the programme's row and when there is none),
    ``so_far`` its value over the events up to this one (the programme's: over all of them),
    ``progress`` how far ``so_far`` has come from the baseline to the target (1 is the target).
    ``date`` is the date of the value (a manual value's; the event's for a scorer's), ``source``
    where it came from, ``evidence`` the evidence of the values it was made from."""

    scope: Literal["event", "programme"]
    event: str | None
    title: str | None
    date: str | None
    value: Fraction | None
    so_far: Fraction | None
    progress: Fraction | None
    source: str
    evidence: tuple[str, ...] = ()
    note: str = ""

    def display(self) -> dict[str, str]:
        """Its figures as every format writes them (`feedback.figures`, half-up)."""
        return {
            "value": number(self.value),
            "so_far": number(self.so_far),
            "progress": figures.percent(self.progress) if self.progress is not None else "",
        }


@dataclasses.dataclass(frozen=True)
class IndicatorReport:
    """One indicator, computed: its settings, a `Point` per event (in date order) and the
    programme's (its current value and progress). A report's table reads ``rows()``; its chart of
    progress over the events reads ``events`` (``so_far`` and ``progress`` of each)."""

    indicator: IndicatorSettings
    events: tuple[Point, ...]
    programme: Point

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def baseline(self) -> Fraction:
        return figures.exact(self.indicator.baseline)

    @property
    def target(self) -> Fraction:
        return figures.exact(self.indicator.target)

    @property
    def current(self) -> Fraction | None:
        return self.programme.so_far

    @property
    def progress(self) -> Fraction | None:
        return self.programme.progress

    def rows(self, lang: str = "en") -> list[dict[str, Any]]:
        """The rows of the table and the exports (`COLUMNS`, as written): one per event, then
        the programme's."""
        out = []
        for point in (*self.events, self.programme):
            shown = point.display()
            out.append(
                {
                    "indicator": self.id,
                    "label": self.indicator.label_in(lang),
                    "unit": self.indicator.unit,
                    "scope": point.scope,
                    "event": point.event or "",
                    "date": point.date or "",
                    "baseline": number(self.baseline),
                    "target": number(self.target),
                    "value": shown["value"] if point.scope == "event" else "",
                    "so_far": shown["so_far"],
                    "progress": shown["progress"],
                    "source": point.source,
                    "evidence": "; ".join(point.evidence),
                    "note": point.note,
                }
            )
        return out

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """Everything, as JSON: exact figures as strings of fractions beside the written ones."""

        def point(p: Point) -> dict[str, Any]:
            return {
                **{f.name: getattr(p, f.name) for f in dataclasses.fields(p)},
                "value": _exact(p.value),
                "so_far": _exact(p.so_far),
                "progress": _exact(p.progress),
                "evidence": list(p.evidence),
                "display": p.display(),
            }

        return {
            "id": self.id,
            "label": self.indicator.label_in(lang),
            "labels": self.indicator.label,
            "unit": self.indicator.unit,
            "baseline": number(self.baseline),
            "target": number(self.target),
            "source": self.indicator.source_text(),
            "current": number(self.current),
            "progress": point(self.programme)["display"]["progress"],
            "events": [point(p) for p in self.events],
            "programme": point(self.programme),
        }


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def number(value: Fraction | Decimal | int | None) -> str:
    """A value as written: half-up to at most two decimals, without trailing zeros; `figures.DASH`
    for none."""
    if value is None:
        return figures.DASH
    text = f"{figures.round_half_up(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def progress(value: Fraction | None, baseline: Fraction, target: Fraction) -> Fraction | None:
    """How far ``value`` has come from ``baseline`` towards ``target``: 0 at the baseline, 1 at
    the target (below 0 behind the baseline, above 1 past the target); exact."""
    if value is None:
        return None
    return (value - baseline) / (target - baseline)


# -- values entered by hand ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ManualValue:
    """A value of a manual indicator entered by hand, as stored."""

    indicator: str
    event: str | None
    value: Decimal
    date: dt.date
    evidence: str | None = None
    evidence_sha256: str | None = None


def indicator_by_id(
    indicators: Sequence[IndicatorSettings], indicator_id: str
) -> IndicatorSettings:
    """The indicator ``indicator_id`` of the settings.

    :raises InvalidInput: no such indicator (with the ids there are).
    """
    for indicator in indicators:
        if indicator.id == indicator_id:
            return indicator
    ids = [i.id for i in indicators]
    known = f" (indicators: {', '.join(ids)})" if ids else " (none is declared)"
    raise InvalidInput(
        f"unknown indicator '{indicator_id}'{known}; declare indicators in feedback.toml under "
        "[[programme.indicators]]" + did_you_mean(indicator_id, ids)
    )


def check_value(
    indicators: Sequence[IndicatorSettings],
    indicator_id: str,
    *,
    value: str,
    date: str,
    event: str | None,
    evidence: str | None,
    events: Iterable[str],
    project_dir: Path,
    today: dt.date,
) -> ManualValue:
    """The `ManualValue` the options of ``feedback indicator set`` give. An evidence that names a
    file (read from the working directory) is kept by path and sha256; other evidence is a line of
    text.

    :raises InvalidInput: every problem, each naming its option.
    """
    from feedback.outcomes import evidence_path, sha256
    from feedback.text import cut, text_problem

    indicator = indicator_by_id(indicators, indicator_id)
    problems = []
    if not indicator.manual:
        problems.append(
            f"{indicator_id}: its values come from {indicator.source_text()} (source in "
            'feedback.toml); only an indicator with source = "manual" takes values by hand'
        )
    number_: Decimal | None = None
    try:
        number_ = Decimal(value.strip())
    except InvalidOperation:
        problems.append(f"--value: expected a number such as 12 or 3.5, found {cut(value)!r}")
    else:
        found_problem = number_problem(number_)
        if found_problem is not None:
            problems.append(f"--value: {found_problem}")
            number_ = None
    when: dt.date | None = None
    try:
        when = dt.date.fromisoformat(date.strip())
    except ValueError:
        problems.append(f"--date: expected a date as YYYY-MM-DD, found {cut(date)!r}")
    if when is not None and when > today:
        problems.append(f"--date: {when} is after today ({today}): enter a value once it is known")
    known = list(events)
    if event is not None and event not in known:
        problems.append(
            f"--event: unknown event '{cut(event)}' (add it with `feedback event add`)"
            + did_you_mean(event, known)
        )
    kept = digest = None
    if evidence is not None:
        text = evidence.strip()
        path = Path(text).expanduser()
        found = text_problem(text, MAX_EVIDENCE)
        if found is not None:
            problems.append(f"--evidence: {found}")
        elif not text:
            problems.append("--evidence: expected a file or a line of text, found nothing")
        elif path.is_file():
            try:
                digest = sha256(path)
            except OSError as exc:
                problems.append(f"--evidence: cannot read {path}: {exc.strerror or exc}")
            kept = evidence_path(path, project_dir)
        elif FILE_LIKE.fullmatch(text) and not re.match(r"(?i)https?://", text):
            problems.append(
                f"--evidence: no such file: {path} (give a file that exists, or the evidence as "
                "a sentence)"
            )
        else:
            kept = text
    if problems:
        raise InvalidInput("\n".join(problems))
    assert number_ is not None and when is not None
    return ManualValue(indicator_id, event, number_, when, kept, digest)


def add_value(store: Store, value: ManualValue) -> int:
    """Store a value entered by hand; its id."""
    from feedback.store import now

    with store.write():
        cursor = store.conn.execute(
            "INSERT INTO indicator_values (indicator, event, value, date, evidence, "
            "evidence_sha256, recorded) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                value.indicator,
                value.event,
                str(value.value),
                value.date.isoformat(),
                value.evidence,
                value.evidence_sha256,
                now(),
            ),
        )
    return int(cursor.lastrowid or 0)


def list_values(store: Store, indicator: str | None = None) -> list[dict[str, Any]]:
    """The values entered by hand (of ``indicator`` when given), by indicator, date and id."""
    sql = "SELECT * FROM indicator_values"
    params: list[Any] = []
    if indicator is not None:
        sql += " WHERE indicator = ?"
        params.append(indicator)
    cursor = store.conn.execute(sql + " ORDER BY indicator, date, id", params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# -- computing ----------------------------------------------------------------------------------


def _ordered_events(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Events in the order the programme ran them: by date (undated first, as reach counts
    them), then id."""
    return sorted(events, key=lambda e: (e.get("date") or "", e["id"]))


def _evidence(row: Mapping[str, Any]) -> tuple[str, ...]:
    if not row.get("evidence"):
        return ()
    if row.get("evidence_sha256"):
        return (f"{row['evidence']} (sha256 {str(row['evidence_sha256'])[:12]})",)
    return (str(row["evidence"]),)


def _manual(
    indicator: IndicatorSettings,
    rows: list[dict[str, Any]],
    events: list[Mapping[str, Any]],
) -> IndicatorReport:
    baseline, target = figures.exact(indicator.baseline), figures.exact(indicator.target)
    latest: dict[str | None, dict[str, Any]] = {}
    for entry in sorted(rows, key=lambda r: (r["date"], r["id"])):
        latest[entry["event"]] = entry  # the last by date, then by entry, wins

    def fraction(row: Mapping[str, Any]) -> Fraction:
        return figures.exact(Decimal(row["value"]))

    points = []
    included: list[dict[str, Any]] = []
    so_far: Fraction | None = None
    last: dict[str, Any] | None = None
    for event in events:
        row = latest.get(event["id"])
        if row is not None:
            included.append(row)
            if indicator.cumulative == "sum":
                so_far = (so_far or Fraction(0)) + fraction(row)
            elif last is None or (row["date"], row["id"]) >= (last["date"], last["id"]):
                so_far = fraction(row)
            if last is None or (row["date"], row["id"]) >= (last["date"], last["id"]):
                last = row
        points.append(
            Point(
                scope="event",
                event=event["id"],
                title=event.get("title"),
                date=row["date"] if row is not None else None,
                value=fraction(row) if row is not None else None,
                so_far=so_far,
                progress=progress(so_far, baseline, target),
                source="manual" if row is not None else "",
                evidence=_evidence(row) if row is not None else (),
                note="" if row is not None else "no value entered",
            )
        )
    whole = latest.get(None)
    if whole is not None:
        value: Fraction | None = fraction(whole)
        date, evidence = whole["date"], _evidence(whole)
        note = "entered for the whole programme"
    else:
        value = so_far
        date = last["date"] if last is not None else None
        evidence = tuple(e for row in included for e in _evidence(row))
        how = "the sum of the events' values" if indicator.cumulative == "sum" else "the latest"
        note = how if included else "no value entered"
    programme = Point(
        scope="programme",
        event=None,
        title=None,
        date=date,
        value=None,
        so_far=value,
        progress=progress(value, baseline, target),
        source="manual" if value is not None else "",
        evidence=evidence,
        note=note,
    )
    return IndicatorReport(indicator, tuple(points), programme)


def _located(where: str, key: str, message: str) -> InvalidInput:
    """An error of an indicator's source: ``where`` is the file and the indicator
    (``.../feedback.toml (or FEEDBACK_ variables): programme.indicators[0]``)."""
    return InvalidInput(f"{where}.source.{key}: {message}")


def figure_value(
    result: ScoreResult, source: ScorerSource, where: str = SETTINGS
) -> tuple[Fraction | None, str]:
    """The figure ``source`` names of ``result``, exact, and a note (why there is none).

    :raises InvalidInput: the result's kind has no such figure (naming the figures it has).
    """
    from feedback.scoring import CountsAgainstTargets, Distribution, PairedChange, Score, Share

    figure = result.figure
    if figure is None:
        note = "hidden: too few answers to show" if result.suppressed else "no figure"
        return None, note
    name = source.figure
    known = list(FIGURES[figure.kind])
    value: int | float | None = None
    found = False
    if isinstance(figure, CountsAgainstTargets):
        known += [c.id for c in figure.counts]
        counts = {c.id: c.value for c in figure.counts}
        if name == "total":
            value, found = figure.total, True
        elif name in counts:
            value, found = counts[name], True
    elif name in known:
        found = True
        if isinstance(figure, Share | PairedChange) and name == "share":
            k = figure.k if isinstance(figure, Share) else figure.rose
            if not figure.n:
                return None, "no answers"
            return Fraction(k, figure.n) * 100, ""
        if isinstance(figure, Distribution | Score | Share | PairedChange):
            value = getattr(figure, name)
    if not found:
        raise _located(
            where,
            "figure",
            f"a result of scorer '{source.scorer}' is {figure.kind.replace('_', ' ')}: expected "
            f"one of {', '.join(known)}, found {name!r}" + did_you_mean(name, known),
        )
    if value is None:
        return None, "no value"
    return figures.exact(value), ""


def _pick(
    results: Sequence[ScoreResult], source: ScorerSource, event: str | None, where: str
) -> ScoreResult | None:
    found = [
        r
        for r in results
        if r.scorer == source.scorer
        and r.event == event
        and (source.construct is None or r.construct == source.construct)
        and (source.item is None or r.item == source.item)
    ]
    if len(found) > 1:
        found = [r for r in found if r.item is None] or found
    if len(found) > 1:
        items = sorted({str(r.item) for r in found})
        constructs = sorted({r.construct for r in found})
        raise _located(
            where,
            "item",
            f"scorer '{source.scorer}' gives {len(found)} results here (constructs "
            f"{', '.join(constructs)}; items {', '.join(items)}): name one with construct and "
            "item",
        )
    return found[0] if found else None


def _contexts(engine: Any) -> tuple[list[Mapping[str, Any]], dict[str, Any], Any]:
    """The events in order; for each, the results of its own context and of the programme so
    far; and the programme's results."""
    from feedback.scoring import build_context, paused_gc, score

    with paused_gc():
        base = build_context(engine, None, programme=True)
        events = _ordered_events(base.events)

        def narrowed(ids: set[str], event: str | None) -> ScoringContext:
            responses = [r for r in base.responses if r["event"] in ids]
            used = {(r["survey"], r["survey_version"]) for r in responses}
            return dataclasses.replace(
                base,
                event=event,
                programme=event is None,
                events=[e for e in base.events if e["id"] in ids] if event is None else base.events,
                responses=responses,
                surveys={k: s for k, s in base.surveys.items() if k in used},
                attendance=[a for a in base.attendance if a["event"] in ids]
                if event is None
                else base.attendance,
                cache={},
            )

        per_event: dict[str, Any] = {}
        done: set[str] = set()
        for event in events:
            done.add(event["id"])
            at = score(engine, narrowed({event["id"]}, event["id"]))
            so_far = score(engine, narrowed(set(done), None))
            per_event[event["id"]] = (at, so_far)
        return events, per_event, score(engine, base)


def _scored(
    indicator: IndicatorSettings,
    where: str,
    events: list[Mapping[str, Any]],
    per_event: dict[str, Any],
    programme_results: Sequence[ScoreResult],
) -> IndicatorReport:
    assert isinstance(indicator.source, ScorerSource)
    source = indicator.source
    baseline, target = figures.exact(indicator.baseline), figures.exact(indicator.target)
    text = source.text()

    def read(results: Sequence[ScoreResult], event: str | None) -> tuple[Fraction | None, str]:
        result = _pick(results, source, event, where)
        if result is None:
            return None, "no result (no answers or roster yet)"
        return figure_value(result, source, where)

    points = []
    for event in events:
        at, so_far_results = per_event[event["id"]]
        value, note = read(at, event["id"])
        so_far, note_so_far = read(so_far_results, None)
        points.append(
            Point(
                scope="event",
                event=event["id"],
                title=event.get("title"),
                date=event.get("date"),
                value=value,
                so_far=so_far,
                progress=progress(so_far, baseline, target),
                source=text,
                note=note or note_so_far,
            )
        )
    current, note = read(programme_results, None)
    dates = [str(e["date"]) for e in events if e.get("date")]
    programme = Point(
        scope="programme",
        event=None,
        title=None,
        date=max(dates) if dates else None,
        value=None,
        so_far=current,
        progress=progress(current, baseline, target),
        source=text,
        note=note,
    )
    return IndicatorReport(indicator, tuple(points), programme)


def compute(engine: Any) -> list[IndicatorReport]:
    """Every indicator of the programme's settings, computed on the engine's database: per event
    (in date order) and over the programme, in the order the settings declare them.

    A report needs nothing else: each `IndicatorReport` holds the settings (label per language,
    unit, baseline, target, source), a `Point` per event (value at the event, value so far,
    progress, date, source, evidence: the table, and the chart of progress over the events) and
    the programme's `Point` (the current value and progress).

    :raises InvalidInput: a scorer source names a scorer that is not installed, a figure its
        result does not have, or matches more than one result (located in the settings).
    """
    from feedback.config import CONFIG_NAME

    indicators: list[IndicatorSettings] = list(engine.settings.programme.indicators)
    if not indicators:
        return []
    scored = [(i, ind) for i, ind in enumerate(indicators) if isinstance(ind.source, ScorerSource)]
    events = _ordered_events(engine.store.events())
    per_event: dict[str, Any] = {}
    programme_results: list[ScoreResult] = []
    place = f"{engine.settings.project_dir / CONFIG_NAME} (or FEEDBACK_ variables): "
    place += "programme.indicators"
    if scored:
        names = set(engine.scorers.names())
        events, per_event, programme_results = _contexts(engine)
        names |= {r.scorer for r in programme_results}
        for index, indicator in scored:
            assert isinstance(indicator.source, ScorerSource)
            if indicator.source.scorer not in names:
                raise _located(
                    f"{place}[{index}]",
                    "scorer",
                    f"unknown scorer '{indicator.source.scorer}' (installed: "
                    f"{', '.join(sorted(names)) or 'none'})"
                    + did_you_mean(indicator.source.scorer, sorted(names)),
                )
    values = list_values(engine.store)
    out = []
    for index, indicator in enumerate(indicators):
        if indicator.manual:
            rows = [v for v in values if v["indicator"] == indicator.id]
            out.append(_manual(indicator, rows, events))
        else:
            where = f"{place}[{index}]"
            out.append(_scored(indicator, where, events, per_event, programme_results))
    return out


# -- exports ------------------------------------------------------------------------------------


def _safe(cell: Any) -> Any:
    from feedback.exporting import neutralise

    return neutralise(cell)


def export(reports: Sequence[IndicatorReport], fmt: str, path: Path, lang: str = "en") -> int:
    """Write the table of ``reports`` (`COLUMNS`) to ``path`` as CSV or XLSX, whole or not at all
    (`feedback.files.atomic_write`), text that a spreadsheet would run as a formula made inert
    (`feedback.exporting.neutralise`); the number of rows written."""
    from feedback import files

    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}")
    rows = [[_safe(row[c]) for c in COLUMNS] for report in reports for row in report.rows(lang)]
    if fmt == "csv":
        with files.atomic_write(path, newline="") as out:
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        return len(rows)
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "indicators"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("\ufffd", c) if isinstance(c, str) else c for c in row]
        )
    with files.atomic_write(path, "wb") as binary:
        workbook.save(binary)
    return len(rows)
