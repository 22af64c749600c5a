"""Gather a `Report` from a scoring context: results in report order, answer distributions for the
charts, free-text comments for review, and, for a programme, each event's results.

The scorers run once for the context (unless their results are handed in) and, for a programme
report, once more per event on that event's part of the same context: the responses are read from
the database once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from feedback import disclosure, events, i18n
from feedback.errors import FeedbackError
from feedback.scoring import (
    CountsAgainstTargets,
    Distribution,
    ScoreResult,
    ScoringContext,
    score,
)
from feedback.survey import Likert, ScaleQuestion, Survey, TextQuestion, ThenNow
from feedback_reports.model import (
    Comment,
    EventResults,
    ItemDistribution,
    OutcomeText,
    ParticipantCount,
    ParticipantOutcomes,
    Report,
    ReportedOutcome,
    ScalePoint,
)

Step = Callable[[str], None]


class NothingToReport(FeedbackError):
    """The event (or programme) has no responses yet."""

    exit_code = 1


# -- ordering and redaction --------------------------------------------------------------------


def order_key(result: ScoreResult) -> int:
    """Outcomes first, checks on the method (``outcome`` false: reliability) after them."""
    return 0 if result.outcome else 1


def in_report_order(results: Iterable[ScoreResult]) -> list[ScoreResult]:
    """The results in the order the scorers were registered (and each scorer gave them), checks
    on the method last. No scorer is named: a scorer's place is its registration's."""
    return sorted(results, key=order_key)


def is_outcome(result: ScoreResult) -> bool:
    return result.outcome and bool(result.summary)


def redact(result: ScoreResult, min_cell_size: int) -> ScoreResult:
    """A copy without counts of groups smaller than ``min_cell_size`` kept in ``details``.

    The scorers keep the MPs' counts (``mp_k``, ``mp_n``) only when the MPs' cell is shown; this
    guards a report against a scorer (a plugin's) that keeps them for a smaller group.
    """
    details = result.details
    mp_n = details.get("mp_n")
    if isinstance(mp_n, int) and 0 < mp_n < min_cell_size:
        details = {k: v for k, v in details.items() if k not in ("mp_k", "mp_n")}
        return result.model_copy(update={"details": details})
    return result


def withheld(result: ScoreResult) -> ScoreResult:
    """``result`` with every figure removed: an event's cell hidden in a programme report."""
    return result.model_copy(
        update={
            "n": None,
            "k": None,
            "estimate": None,
            "ci_low": None,
            "ci_high": None,
            "p_value": None,
            "effect_size": None,
            "n_na": 0,
            "n_missing": 0,
            "summary": "",
            "details": {},
            "breakdowns": [],
            "suppressed": True,
            "figure": None,
        }
    )


def scope(result: ScoreResult) -> str | None:
    """The scope of counts against targets ("event", "programme"); None for other kinds."""
    figure = result.figure
    if isinstance(figure, CountsAgainstTargets):
        return figure.scope
    scope = result.details.get("scope")
    return scope if isinstance(scope, str) else None


def result_key(result: ScoreResult) -> tuple[str, str, str | None, Any]:
    """What makes a result the same figure at each event of a programme (counts against targets:
    and their scope)."""
    return (result.scorer, result.construct, result.item, scope(result))


def protect_events(
    pooled: list[ScoreResult], per_event: list[EventResults], minimum: int, uniform: int
) -> None:
    """Hide, in each event of a programme, the figures that would give an answer away.

    The events of a programme are groups of the pooled figure as much as stakeholder groups are:
    the pooled k and n minus the events shown give the hidden events' sum. So the same rules
    (`feedback.disclosure.protect`) decide which event's figure to hide, for every result. An
    event's own breakdowns and details are left out (with the pooled breakdowns they would form a
    table of event by group whose small cells could be worked out); counts from the roster stay.
    """
    for entry in per_event:
        entry.results = [
            r
            if r.source == "roster"
            else r.model_copy(
                update={"breakdowns": [], "details": _kept(r), "figure": _kept_figure(r)}
            )
            for r in entry.results
        ]
    for result in pooled:
        if result.source == "roster" or result.suppressed:
            continue
        key = result_key(result)
        cells: dict[str, disclosure.Count] = {}
        by_scorer: list[int] = []  # events whose scorer hid the figure already
        for i, entry in enumerate(per_event):
            match = next((r for r in entry.results if result_key(r) == key), None)
            if match is None:
                continue
            if match.suppressed or match.n is None:
                by_scorer.append(i)
                continue
            hits = match.k if match.k is not None else 0
            cells[str(i)] = disclosure.Count(hits, match.n, match.n + match.n_na + match.n_missing)
        if by_scorer:
            # what anyone can work out of them: the pooled figure minus the events shown, as one
            rest_n = max((result.n or 0) - sum(c.n for c in cells.values()), 0)
            rest_k = max((result.k or 0) - sum(c.k for c in cells.values()), 0)
            cells["rest"] = disclosure.Count(min(rest_k, rest_n), rest_n, max(rest_n, 1))
        has_hits = result.k is not None
        hidden = disclosure.protect(
            cells, minimum, uniform if has_hits else 0, ["rest"] if by_scorer else []
        )
        for i in [int(h) for h in hidden if h != "rest"] + by_scorer:
            entry = per_event[i]
            entry.results = [withheld(r) if result_key(r) == key else r for r in entry.results]


def _kept_figure(result: ScoreResult) -> Any:
    """An event's figure in a programme report: without its distribution over the points."""
    figure = result.figure
    if isinstance(figure, Distribution):
        return figure.model_copy(update={"points": {}})
    return figure


def _kept(result: ScoreResult) -> dict[str, Any]:
    """What an event's result keeps of its details in a programme report (no distributions)."""
    keep = ("rose", "same", "fell", "changed", "points", "scope")
    return {k: v for k, v in result.details.items() if k in keep}


# -- what the context holds besides results ----------------------------------------------------


def _survey_of(context: ScoringContext, response: dict[str, Any]) -> Survey | None:
    return context.surveys.get((response["survey"], response["survey_version"]))


def comments(context: ScoringContext) -> list[Comment]:
    """Free-text answers, by question (in survey order), sorted within each question.

    Sorting (rather than keeping the order of submission) keeps one person's answers to different
    questions from being matched up by position. Nothing about the respondent is kept. A text
    question that records outcomes is left out: its answers are outcomes, set apart for review
    under the reported outcomes (`participant_outcomes`).
    """
    order: dict[str, int] = {}
    labels: dict[str, str] = {}
    for survey in context.surveys.values():
        for question in survey.all_questions():
            if (
                isinstance(question, TextQuestion)
                and question.outcome is None
                and question.id not in labels
            ):
                order[question.id] = len(order)
                labels[question.id] = survey.text(question.label, "en")
    found: list[tuple[int, str, str]] = []
    for response in context.responses:
        asked = _survey_of(context, response)
        if asked is None:
            continue
        for question_id, value in response["answers"].items():
            if (
                question_id in labels
                and isinstance(value, str)
                and value.strip()
                and isinstance(asked.by_id.get(question_id), TextQuestion)
                and asked.by_id[question_id].outcome is None
            ):
                found.append((order[question_id], value.strip(), question_id))
    found.sort(key=lambda item: (item[0], item[1].casefold(), item[1]))
    return [Comment(labels[qid], text) for _, text, qid in found]


def outcome_log(engine: Any, context: ScoringContext) -> list[ReportedOutcome]:
    """The outcome log's outcomes of the context's event (a programme's: of its events), by
    date, read through the core (`feedback.outcomes.list_outcomes`); none without a store."""
    from feedback.outcomes import list_outcomes

    store = getattr(engine, "store", None)
    if store is None:
        return []
    wanted = [e["id"] for e in context.events] if context.programme else [context.event or ""]
    programme = getattr(getattr(engine, "settings", None), "programme", None)
    kinds: dict[str, str] = getattr(programme, "outcome_kinds", None) or {}
    return [
        ReportedOutcome(
            event=row["event"],
            kind=row["kind"],
            kind_label=kinds.get(row["kind"], row["kind"]),
            date=row["date"],
            text=row["text"],
            evidence=row["evidence"],
            evidence_sha256=row["evidence_sha256"],
        )
        for row in list_outcomes(store, wanted)
    ]


def participant_outcomes(engine: Any, context: ScoringContext) -> ParticipantOutcomes:
    """What the context's answers say of outcomes (items that declare ``outcome:``), read from
    the answers through the core (`feedback.outcomes.survey_outcomes`) and protected here.

    A kind's count is a result of its own: ``reporting`` of ``asked``, hidden by the rules of a
    whole result (`feedback.disclosure.hidden_result`). The events are groups of the whole, as in
    `protect_events`: `feedback.disclosure.protect` decides which event's count to hide, so that
    neither a small event nor the whole minus the events shown gives an answer away. Texts are
    listed by kind, sorted, with no event or date, as comments are.
    """
    from feedback.outcomes import survey_outcomes

    found = [r for r in survey_outcomes(context.surveys, context.responses) if r.asked]
    if not found:
        return ParticipantOutcomes()
    programme = getattr(getattr(engine, "settings", None), "programme", None)
    kinds: dict[str, str] = getattr(programme, "outcome_kinds", None) or {}
    minimum, uniform = context.min_cell_size, context.uniform_cell_size
    by_kind = []
    for kind in sorted({k for r in found for k in r.asked}, key=lambda k: kinds.get(k, k)):
        asked = [r for r in found if kind in r.asked]
        reporting = sum(1 for r in asked if r.reported(kind))
        if disclosure.hidden_result(reporting, len(asked), minimum, uniform):
            by_kind.append(ParticipantCount(kind, kinds.get(kind, kind), None, None, None, True))
        else:
            total = sum(r.reported(kind) for r in asked)
            by_kind.append(
                ParticipantCount(kind, kinds.get(kind, kind), len(asked), reporting, total)
            )
    titles = {e["id"]: e.get("title") or e["id"] for e in context.events}
    order = [e["id"] for e in context.events] if context.programme else [context.event or ""]
    cells: dict[str, disclosure.Count] = {}
    totals: dict[str, int] = {}
    for event in order:
        asked = [r for r in found if r.event == event]
        if asked:
            reporting = sum(1 for r in asked if r.reported())
            cells[event] = disclosure.Count(reporting, len(asked), len(asked))
            totals[event] = sum(r.reported() for r in asked)
    hidden = disclosure.protect(cells, minimum, uniform)
    by_event = [
        ParticipantCount(event, titles.get(event, event), None, None, None, True)
        if event in hidden
        else ParticipantCount(event, titles.get(event, event), cell.n, cell.k, totals[event])
        for event, cell in cells.items()
    ]
    texts = [
        OutcomeText(o.kind, kinds.get(o.kind, o.kind), o.label, o.text.strip())
        for r in found
        for o in r.outcomes
        if o.text and o.text.strip()
    ]
    texts.sort(key=lambda t: (t.kind_label, t.text.casefold(), t.text))
    return ParticipantOutcomes(by_kind=by_kind, by_event=by_event, texts=texts)


def _points(question: ScaleQuestion) -> list[ScalePoint]:
    return [ScalePoint(p.id, p.text("en")) for p in question.resolved_scale.points]


def distributions(
    context: ScoringContext, withheld_items: frozenset[str] = frozenset()
) -> list[ItemDistribution]:
    """Answer counts per scale point of every tagged likert and then/now item.

    Likert: each point counted, "don't know" apart. Then/now: the complete pairs only (both sides
    on the scale), so "before" and "now" describe the same people. An item answered by fewer than
    ``min_cell_size`` people, or whose result is hidden (``withheld_items``: the answers were all
    alike), is marked suppressed and carries no counts.
    """
    questions: dict[str, tuple[Survey, ScaleQuestion]] = {}
    for survey in context.surveys.values():
        for question in survey.all_questions():
            if question.measures and isinstance(question, Likert | ThenNow):
                questions.setdefault(question.id, (survey, question))
    out = []
    for question_id, (survey, question) in questions.items():
        scale = question.resolved_scale
        ids = scale.ids()
        na = scale.na.id if scale.na is not None else None
        label = survey.text(question.label, "en")
        if isinstance(question, ThenNow):
            then = dict.fromkeys(ids, 0)
            now = dict.fromkeys(ids, 0)
            n = 0
            for _, value in context.answers(question_id):
                if (
                    isinstance(value, dict)
                    and value.get("then") in then
                    and value.get("now") in now
                ):
                    then[value["then"]] += 1
                    now[value["now"]] += 1
                    n += 1
            dist = ItemDistribution(
                item=question_id,
                label=label,
                construct=question.measures or "",
                kind="then_now",
                points=_points(question),
                n=n,
                then=then,
                now=now,
                then_label=survey.text(question.then_label, "en", "Before the seminar"),
                now_label=survey.text(question.now_label, "en", "Now"),
            )
        else:
            counts = dict.fromkeys(ids, 0)
            n_na = 0
            for _, value in context.answers(question_id):
                if value in counts:
                    counts[value] += 1
                elif na is not None and value == na:
                    n_na += 1
            dist = ItemDistribution(
                item=question_id,
                label=label,
                construct=question.measures or "",
                kind="likert",
                points=_points(question),
                n=sum(counts.values()),
                n_na=n_na,
                na_label=scale.na.text("en") if scale.na is not None else None,
                counts=counts,
            )
        if 0 < dist.n + dist.n_na < context.min_cell_size or question_id in withheld_items:
            dist = dataclasses.replace(dist, counts={}, then={}, now={}, suppressed=True)
        out.append(dist)
    return out


def event_contexts(context: ScoringContext) -> list[tuple[dict[str, Any], ScoringContext]]:
    """Each event of a programme with its own context, cut from the programme's (no new reads).

    Events with neither responses nor a roster (planned ones) are left out.
    """
    by_event: dict[str, list[dict[str, Any]]] = {}
    for response in context.responses:
        by_event.setdefault(response["event"], []).append(response)
    rostered = {a["event"] for a in context.attendance}
    out = []
    for event in context.events:
        responses = by_event.get(event["id"], [])
        if not responses and event["id"] not in rostered:
            continue
        used = {(r["survey"], r["survey_version"]) for r in responses}
        out.append(
            (
                event,
                dataclasses.replace(
                    context,
                    event=event["id"],
                    programme=False,
                    responses=responses,
                    surveys={k: v for k, v in context.surveys.items() if k in used},
                    cache={},
                ),
            )
        )
    return out


# -- wording -----------------------------------------------------------------------------------


def long_date(value: Any) -> str:
    """``2011-01-26`` -> ``26 January 2011`` (English, whatever the locale)."""
    return i18n.long_date(value, "en")


def place(event: dict[str, Any], countries: dict[str, str]) -> str:
    """Where an event was: ``The Hague, Netherlands`` (the country's name where it is known)."""
    code = event.get("country") or ""
    return ", ".join(p for p in (event.get("city"), countries.get(code, code)) if p)


def event_line(event: dict[str, Any], countries: dict[str, str]) -> str:
    return " · ".join(p for p in (place(event, countries), long_date(event.get("date"))) if p)


today = events.today  # the core's clock: SOURCE_DATE_EPOCH for reproducible reports


# -- the report --------------------------------------------------------------------------------


def build_report(
    engine: Any,
    context: ScoringContext,
    results: list[ScoreResult] | None = None,
    *,
    generated: dt.date | None = None,
    step: Step | None = None,
) -> Report:
    """The report of ``context`` (an event's, or the programme's when ``context.programme``).

    :param results: the context's results when already scored (``feedback score``'s), else the
        scorers run here.
    :param step: called with a description before each stage (a progress bar).
    :raises NothingToReport: the context holds no responses.
    """
    step = step or (lambda _: None)
    if not context.responses:
        where = "the programme" if context.programme else f"event '{context.event}'"
        rostered = context.programme or any(a["event"] == context.event for a in context.attendance)
        hint = (
            "; `feedback score` shows the reach from the roster alone"
            if rostered
            else ", and a roster with `feedback roster import`"
        )
        raise NothingToReport(
            f"{where} has no responses yet: nothing to report (import them with "
            f"`feedback responses import`{hint})"
        )
    minimum = context.min_cell_size
    if results is None:
        step("scoring")
        results = score(engine, context)
    per_event: list[EventResults] = []
    if context.programme:
        for row, sub in event_contexts(context):
            step(f"scoring {row['id']}")
            per_event.append(
                EventResults(
                    event=row,
                    n_responses=len(sub.responses),
                    results=[redact(r, minimum) for r in in_report_order(score(engine, sub))],
                )
            )
        protect_events(results, per_event, minimum, context.uniform_cell_size)
    step("counting answers")
    countries = context.choice_names("country")
    event: dict[str, Any] | None = None
    if context.programme:
        settings = getattr(engine, "settings", None)
        name = getattr(getattr(settings, "programme", None), "title", None) or "The programme"
        title = f"{name}: outcomes so far"
        dates = [long_date(e.event.get("date")) for e in per_event if e.event.get("date")]
        span = f", {dates[0]} to {dates[-1]}" if len(dates) > 1 else ""
        count = len(per_event)
        subtitle = f"{count} event{'s' if count != 1 else ''}{span}"
    else:
        found = next((e for e in context.events if e["id"] == context.event), None)
        event = found or {"id": context.event, "title": context.event}
        title = f"{event.get('title') or event['id']}: outcomes"
        subtitle = event_line(event, countries)
    titles = {s.name: s.title for s in getattr(engine, "scorers", [])}
    return Report(
        title=title,
        event=event,
        programme=context.programme,
        generated=generated or today(),
        min_cell_size=minimum,
        results=[redact(r, minimum) for r in in_report_order(results)],
        comments=comments(context),
        events=per_event,
        distributions=distributions(
            context, frozenset(r.item for r in results if r.suppressed and r.item)
        ),
        subtitle=subtitle,
        n_responses=len(context.responses),
        scorer_titles=titles,
        country_names=countries,
        outcome_log=outcome_log(engine, context),
        participant_outcomes=participant_outcomes(engine, context),
        **programme_indicators(engine, context),
    )


def programme_indicators(engine: Any, context: ScoringContext) -> dict[str, Any]:
    """A programme report's indicators, computed through the core (`feedback.indicators`), or
    why they could not be: the report is still written, and says so."""
    if not context.programme or getattr(engine, "store", None) is None:
        return {}
    from feedback.errors import InvalidInput
    from feedback.indicators import compute

    try:
        return {"indicators": compute(engine)}
    except InvalidInput as exc:
        return {"indicators_problem": str(exc)}
