"""The built-in scorers. Each reads the items tagged with its constructs and returns `ScoreResult`s.

Answer counts keep "don't know"/N/A (``n_na``) and unanswered-but-shown (``n_missing``) apart from
the answers (``n``): they never enter a proportion's denominator and are never read as a midpoint.
A question hidden by ``show_if`` was not asked and counts nowhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from feedback.registry import Scorer
from feedback.scoring import Breakdown, Cell, ScoreResult, ScoringContext
from feedback.survey import (
    ChoiceQuestion,
    Likert,
    QuestionBase,
    Rating,
    ScaleQuestion,
    ThenNow,
    YesNo,
)
from feedback_scoring import stats

GROUPINGS = ("role", "country")
MP = "mp"
SELF_REPORTED = "self-reported change, retrospective pre/post"


# -- reading answers ---------------------------------------------------------------------------


class Answers:
    """The answers of a context to one item, sorted into answered, N/A, missing, not asked."""

    def __init__(self, context: ScoringContext, question: QuestionBase):
        self.question = question
        self.answered: list[tuple[dict[str, Any], Any]] = []
        unanswered: list[dict[str, Any]] = []
        na = _na_id(question)
        n_na = 0
        keep, skip = self.answered.append, unanswered.append
        # the hot loop of scoring (responses x items): kept lean
        qid = question.id
        for response in context.asking(qid):
            value = response["answers"].get(qid)
            if value is None:
                skip(response)
            elif na is not None and (
                value == na or (value.__class__ is dict and na in value.values())
            ):
                n_na += 1
            else:
                keep((response, value))
        self.n_na = n_na
        self.n_missing = sum(1 for r in unanswered if _visible(context, r, question.id))

    @property
    def n(self) -> int:
        return len(self.answered)


def _na_id(question: QuestionBase) -> str | None:
    if isinstance(question, ScaleQuestion):
        na = question.resolved_scale.na
        return na.id if na is not None else None
    return None


def _visible(context: ScoringContext, response: dict[str, Any], question_id: str) -> bool:
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


def labels(context: ScoringContext, by: str) -> dict[str, str]:
    """Group ids to their English labels, from the surveys' ``role`` / ``country`` questions."""
    out: dict[str, str] = {}
    for survey in context.surveys.values():
        question = survey.by_id.get(by)
        if isinstance(question, ChoiceQuestion):
            for choice in question.choices:
                out.setdefault(choice.id, choice.text("en"))
    return out


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def p_text(p: float) -> str:
    """A p-value as a report states it: "p < 0.001" rather than a spuriously exact tiny number."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def number(value: float | None) -> str:
    """A median or mean for a sentence: at most two decimals, no trailing zeros."""
    if value is None:
        return "–"
    return f"{round(value, 2):g}"


def achieved(k: int, target: int) -> str:
    """k of a target as a percentage, rounded half-up: one decimal unless it is whole (11%)."""
    text = stats.achievement(k, target)
    return text.replace(".0%", "%") if text.endswith(".0%") else text


def interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"95% CI {low * 100:.0f}–{high * 100:.0f}%"


def breakdowns(
    context: ScoringContext,
    answered: list[tuple[dict[str, Any], Any]],
    hit: Callable[[Any], bool],
) -> list[Breakdown]:
    """Share of ``hit`` answers by stakeholder group and by country, small cells suppressed."""
    out = []
    hits = [bool(hit(value)) for _, value in answered]  # once, for every grouping
    for by in GROUPINGS:
        groups = [response["answers"].get(by) for response, _ in answered]
        sizes = Counter(g for g in groups if g.__class__ is str)
        if not sizes:
            continue
        found = Counter(g for g, h in zip(groups, hits, strict=True) if h and g.__class__ is str)
        counts = {g: [found[g], n] for g, n in sizes.items()}
        names = labels(context, by)
        hidden = stats.suppress({g: n for g, (_, n) in counts.items()}, context.min_cell_size)
        cells = []
        for group in sorted(counts, key=lambda g: (-counts[g][1], g)):
            k, n = counts[group]
            if group in hidden:
                cells.append(Cell(group=group, label=names.get(group, group), suppressed=True))
                continue
            share = stats.proportion(k, n)
            cells.append(
                Cell(
                    group=group,
                    label=names.get(group, group),
                    n=n,
                    k=k,
                    estimate=share.estimate,
                    ci_low=share.ci_low,
                    ci_high=share.ci_high,
                )
            )
        note = f"groups of fewer than {context.min_cell_size} are not shown" if hidden else None
        out.append(Breakdown(by=by, cells=cells, note=note))
    return out


def _label(context: ScoringContext, question: QuestionBase) -> str:
    for survey in context.surveys.values():
        if question.id in survey.by_id:
            return survey.text(question.label, "en")
    return question.id


# -- agreement ---------------------------------------------------------------------------------


def agreement_scorer(construct: str, title: str, verb: str) -> Scorer:
    """A scorer of the share agreeing (likert top half, or yes) with each item of a construct."""

    def score(context: ScoringContext) -> list[ScoreResult]:
        results = []
        for question in context.items(construct):
            if not isinstance(question, Likert | YesNo | Rating):
                continue
            answers = Answers(context, question)
            agree = agreement(question)
            k = sum(1 for _, v in answers.answered if agree(v))
            share = stats.proportion(k, answers.n)
            label = _label(context, question)
            mps = [(r, v) for r, v in answers.answered if context.group_of(r, "role") == MP]
            k_mp = sum(1 for _, v in mps if agree(v))
            notes = []
            if answers.n == 0:
                summary = f"No answers yet on “{label}”."
            else:
                summary = (
                    f"{k} of {answers.n} respondents ({_pct(share.estimate)}, "
                    f"{interval(share.ci_low, share.ci_high)}) {verb}."
                )
                if len(mps) >= context.min_cell_size:
                    mp_share = stats.proportion(k_mp, len(mps))
                    summary += (
                        f" Among MPs: {k_mp} of {len(mps)} ({_pct(mp_share.estimate)}, "
                        f"{interval(mp_share.ci_low, mp_share.ci_high)})."
                    )
                elif mps:
                    notes.append(
                        f"fewer than {context.min_cell_size} MPs answered: their share is not "
                        "shown on its own"
                    )
            if answers.n_na:
                notes.append(f"{answers.n_na} answered “don't know” (not in the denominator)")
            results.append(
                ScoreResult(
                    scorer=construct,
                    construct=construct,
                    label=label,
                    item=question.id,
                    event=context.event,
                    n=answers.n,
                    n_na=answers.n_na,
                    n_missing=answers.n_missing,
                    k=k,
                    estimate=share.estimate,
                    ci_low=share.ci_low,
                    ci_high=share.ci_high,
                    method=share.method
                    + (
                        "; agreeing = the points above the scale's middle"
                        if isinstance(question, Likert)
                        else ""
                    ),
                    summary=summary,
                    breakdowns=breakdowns(context, answers.answered, agree),
                    notes=notes,
                    details=(
                        {"mp_k": k_mp, "mp_n": len(mps)}
                        if len(mps) >= context.min_cell_size
                        else {}
                    ),
                )
            )
        return results

    return Scorer(name=construct, title=title, constructs=(construct,), score=score)


# -- awareness ---------------------------------------------------------------------------------


def _awareness(context: ScoringContext) -> list[ScoreResult]:
    results = []
    # per participant: [response, sum of "then" scores, sum of "now" scores, items answered]
    totals: dict[str, list[Any]] = {}
    items = [q for q in context.items("awareness") if isinstance(q, ThenNow)]
    for question in items:
        answers = Answers(context, question)
        scale = question.resolved_scale
        then, now, answered = [], [], []
        position = scale.positions.get
        for response, value in answers.answered:
            a, b = position(value["then"]), position(value["now"])
            if a is None or b is None:
                continue
            then.append(a)
            now.append(b)
            answered.append((response, (a, b)))
            total = totals.get(response["id"])
            if total is None:
                totals[response["id"]] = [response, a, b, 1]
            else:
                total[1] += a
                total[2] += b
                total[3] += 1
        results.append(
            _change_result(
                context,
                question.id,
                _label(context, question),
                then,
                now,
                answered,
                answers,
                len(scale.points),
            )
        )
    if len(items) > 1 and totals:
        means = [(r, (t / k, n / k)) for r, t, n, k in totals.values()]
        then = [pair[0] for _, pair in means]
        now = [pair[1] for _, pair in means]
        overall = _change_result(
            context, None, "Awareness overall (mean of the items)", then, now, means, None, None
        )
        results.append(overall)
    return results


def _change_result(
    context: ScoringContext,
    item: str | None,
    label: str,
    then: list[float],
    now: list[float],
    answered: list[tuple[dict[str, Any], tuple[float, float]]],
    answers: Answers | None,
    points: int | None,
) -> ScoreResult:
    change = stats.paired_change(then, now)
    rose = stats.proportion(change.rose, change.n_pairs)
    scale = f" on a {points}-point scale" if points else ""
    if change.n_pairs == 0:
        summary = f"No then/now pairs yet on “{label}”."
    else:
        p = "" if change.p_value is None else f"; Wilcoxon {p_text(change.p_value)}"
        r = "" if change.effect_size is None else f", r = {change.effect_size:.2f}"
        summary = (
            f"{label}: rose for {change.rose} of {change.n_pairs} participants "
            f"({_pct(rose.estimate)}, {interval(rose.ci_low, rose.ci_high)}), stayed the same for "
            f"{change.same}, fell for {change.fell}; median {number(change.median_then)} before, "
            f"{number(change.median_now)} now{scale}{p}{r} ({SELF_REPORTED})."
        )
    return ScoreResult(
        scorer="awareness",
        construct="awareness",
        label=label,
        item=item,
        event=context.event,
        n=change.n_pairs,
        n_na=answers.n_na if answers else 0,
        n_missing=answers.n_missing if answers else 0,
        k=change.rose,
        estimate=rose.estimate,
        ci_low=rose.ci_low,
        ci_high=rose.ci_high,
        p_value=change.p_value,
        effect_size=change.effect_size,
        effect_size_name="matched-pairs rank-biserial correlation",
        unit="pairs",
        method=f"{change.method}; share that rose: {rose.method}",
        summary=summary,
        details={
            "rose": change.rose,
            "same": change.same,
            "fell": change.fell,
            "median_then": change.median_then,
            "median_now": change.median_now,
            "points": points,
        },
        breakdowns=breakdowns(context, answered, lambda v: v[1] > v[0]),
        notes=[stats.SELF_REPORTED],
    )


# -- reach -------------------------------------------------------------------------------------


def _reach(context: ScoringContext) -> list[ScoreResult]:
    attended = [a for a in context.attendance if a["attended"]]
    dates = {e["id"]: e.get("date") or "" for e in context.events}
    if context.event is not None and not context.programme:
        cutoff = dates.get(context.event, "")
        scopes = [
            ("event", [a for a in attended if a["event"] == context.event]),
            (
                "programme",
                [
                    a
                    for a in attended
                    if (dates.get(a["event"]) or "") <= cutoff or a["event"] == context.event
                ],
            ),
        ]
    else:
        scopes = [("programme", attended)]
    names = labels(context, "role")
    results = []
    for scope, rows in scopes:
        people = {a["person"]: a for a in rows}
        by_role = Counter((a["role"] or "unknown") for a in people.values())
        mps = {p: a for p, a in people.items() if a["role"] == MP}
        countries = {a["country"] for a in mps.values() if a["country"]}
        where = "at this event" if scope == "event" else "over the programme so far"
        mp_target = context.targets.get("mp")
        country_target = context.targets.get("countries")
        sentence = f"{len(mps)} parliamentarians from {len(countries)} countries {where}"
        parts = []
        if mp_target:
            parts.append(f"{achieved(len(mps), mp_target)} of the target of {mp_target}")
        if country_target:
            parts.append(
                f"{len(countries)} of {country_target} countries "
                f"({achieved(len(countries), country_target)})"
            )
        summary = sentence + (": " + " and ".join(parts) if parts else "") + "."
        results.append(
            ScoreResult(
                scorer="reach",
                construct="reach",
                label=f"Reach {where}",
                event=context.event if scope == "event" else None,
                n=len(people),
                k=len(mps),
                estimate=len(mps) / mp_target if mp_target else None,
                unit="count",
                method="distinct people who attended (from the roster, not the responses); "
                "achievement as exact fractions rounded half-up",
                summary=summary,
                details={
                    "scope": scope,
                    "participants": len(people),
                    "by_role": {names.get(r, r): n for r, n in sorted(by_role.items())},
                    "mps": len(mps),
                    "mp_countries": sorted(countries),
                    "mp_target": mp_target,
                    "country_target": country_target,
                    "mp_achievement": achieved(len(mps), mp_target) if mp_target else None,
                    "country_achievement": (
                        achieved(len(countries), country_target) if country_target else None
                    ),
                },
                notes=[] if context.attendance else ["no roster imported: reach cannot be counted"],
            )
        )
    return results


# -- contacts ----------------------------------------------------------------------------------


def _contacts(context: ScoringContext) -> list[ScoreResult]:
    results = []
    counts = context.items("contacts_count")
    for question in context.items("contacts"):
        if not isinstance(question, YesNo):
            continue
        answers = Answers(context, question)
        mps = [(r, v) for r, v in answers.answered if context.group_of(r, "role") == MP]
        k = sum(1 for _, v in mps if v is True)
        missing_mps = sum(
            1
            for response, value in context.answers(question.id)
            if value is None
            and context.group_of(response, "role") == MP
            and _visible(context, response, question.id)
        )
        total = 0
        for count_question in counts:
            for response, value in context.answers(count_question.id):
                if context.group_of(response, "role") == MP and isinstance(value, int | float):
                    total += int(value)
        share = stats.proportion(k, len(mps))
        if not mps:
            summary = "No MP answered the question on contacts yet."
        elif len(mps) < context.min_cell_size:
            summary = (
                f"Fewer than {context.min_cell_size} MPs answered the question on contacts: "
                "their answers are not reported on their own."
            )
        else:
            summary = (
                f"{k} of {len(mps)} MPs who answered have already passed on contacts of other MPs"
                + (f" ({total} contacts in all)" if counts else "")
                + "."
            )
        results.append(
            ScoreResult(
                scorer="contacts",
                construct="contacts",
                label=_label(context, question),
                item=question.id,
                event=context.event,
                n=len(mps),
                n_missing=missing_mps,
                k=k,
                estimate=share.estimate,
                ci_low=share.ci_low,
                ci_high=share.ci_high,
                method=share.method + "; MPs only (role mp); observed follow-up",
                summary=summary,
                details={
                    "contacts_total": total,
                    "all_k": sum(1 for _, v in answers.answered if v is True),
                    "all_n": answers.n,
                },
            )
        )
    return results


# -- satisfaction ------------------------------------------------------------------------------


def _satisfaction(context: ScoringContext) -> list[ScoreResult]:
    results = []
    for construct in ("satisfaction", "usefulness"):
        for question in context.items(construct):
            if not isinstance(question, Rating | Likert):
                continue
            answers = Answers(context, question)
            label = _label(context, question)
            if isinstance(question, Rating):
                values = [float(v) for _, v in answers.answered]
                points = list(range(question.min, question.max + 1))
            else:
                scale = question.resolved_scale
                values = [float(scale.score(v) or 0) for _, v in answers.answered]
                points = list(range(1, len(scale.points) + 1))
            dist = stats.median_and_distribution(values, points)
            details: dict[str, Any] = {"distribution": {str(k): v for k, v in dist.counts.items()}}
            estimate = dist.median
            method = "median and distribution of the ratings"
            summary = (
                f"“{label}”: median {number(dist.median)} on {points[0]}–{points[-1]} (n = {dist.n})."
                if dist.n
                else f"No answers yet on “{label}”."
            )
            nps_item = construct == "satisfaction" and isinstance(question, Rating)
            if nps_item and question.min == 0 and question.max == 10 and dist.n:
                score = stats.nps([int(v) for v in values])
                details.update(
                    nps=score.score,
                    promoters=score.promoters,
                    passives=score.passives,
                    detractors=score.detractors,
                )
                method += f"; {score.method}"
                summary += (
                    f" Net Promoter Score {score.score:+.0f} ({score.promoters} promoters, "
                    f"{score.passives} passives, {score.detractors} detractors)."
                )
            results.append(
                ScoreResult(
                    scorer="satisfaction",
                    construct=construct,
                    label=label,
                    item=question.id,
                    event=context.event,
                    n=dist.n,
                    n_na=answers.n_na,
                    n_missing=answers.n_missing,
                    estimate=estimate,
                    unit="median",
                    method=method,
                    summary=summary,
                    details=details,
                )
            )
    return results


# -- reliability -------------------------------------------------------------------------------


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
            return lambda v: table.get(v.get("now")) if v.__class__ is dict else None
        return lambda v: table.get(v) if v.__class__ is str else None
    if isinstance(question, Rating):
        return lambda v: (
            float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
        )
    return lambda v: None


def _reliability(context: ScoringContext) -> list[ScoreResult]:
    constructs: dict[str, list[QuestionBase]] = {}
    for survey in context.surveys.values():
        for question in survey.all_questions():
            if question.measures and isinstance(question, ScaleQuestion | Rating):
                items = constructs.setdefault(question.measures, [])
                if question.id not in {q.id for q in items}:
                    items.append(question)
    results = []
    for construct, items in sorted(constructs.items()):
        if len(items) < 2:
            continue
        scorers = [(q.id, item_scorer(q)) for q in items]
        rows = []
        for response in context.responses:
            answers = response["answers"]
            scores = [score(answers.get(qid)) for qid, score in scorers]
            if None not in scores:
                rows.append(scores)
        alpha = stats.cronbach_alpha(rows) if rows else None
        if alpha is None or alpha.alpha is None:
            summary = f"Too few complete answers to estimate the reliability of “{construct}”."
        else:
            summary = (
                f"The {len(items)} items of “{construct}” agree with each other: Cronbach's alpha "
                f"{alpha.alpha:.2f} (95% CI {alpha.ci_low:.2f} to {alpha.ci_high:.2f}, n = {alpha.n})."
            )
        reverse = [q.id for q in items if getattr(q, "reverse", False)]
        results.append(
            ScoreResult(
                scorer="reliability",
                construct=construct,
                label=f"Reliability of {construct}",
                event=context.event,
                n=alpha.n if alpha else 0,
                estimate=alpha.alpha if alpha else None,
                ci_low=alpha.ci_low if alpha else None,
                ci_high=alpha.ci_high if alpha else None,
                unit="alpha",
                method=(alpha.method if alpha else "Cronbach's alpha")
                + (
                    "; then/now items scored on their 'now' answer"
                    if any(isinstance(q, ThenNow) for q in items)
                    else ""
                ),
                summary=summary,
                details={"items": [q.id for q in items], "reverse_coded": reverse},
                notes=[f"reverse-coded before scoring: {', '.join(reverse)}"] if reverse else [],
            )
        )
    return results


def _scorer(name: str, title: str, constructs: Iterable[str], fn: Callable[..., Any]) -> Scorer:
    return Scorer(name=name, title=title, constructs=tuple(constructs), score=fn)


SCORERS: list[Scorer] = [
    _scorer("reach", "Reach against the programme's targets", ("role", "country"), _reach),
    _scorer("awareness", "Raised awareness (then/now)", ("awareness",), _awareness),
    agreement_scorer(
        "rapporteur_support",
        "Support for an independent national rapporteur",
        "agree that their country should have an independent national rapporteur",
    ),
    agreement_scorer(
        "ngo_cooperation",
        "Willingness to cooperate with NGOs",
        "will continue to cooperate with the NGOs they met",
    ),
    agreement_scorer(
        "inform_colleagues", "Informing colleagues", "will inform colleagues about the project"
    ),
    agreement_scorer(
        "next_event_support", "Support for the next event", "offer support for the next event"
    ),
    _scorer("contacts", "Contacts passed on", ("contacts", "contacts_count"), _contacts),
    _scorer(
        "satisfaction", "Usefulness and satisfaction", ("satisfaction", "usefulness"), _satisfaction
    ),
    _scorer("reliability", "Reliability of multi-item constructs", (), _reliability),
]
