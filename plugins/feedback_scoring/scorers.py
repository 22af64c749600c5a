"""The built-in scorers. Each reads the items tagged with its constructs and returns `ScoreResult`s.

Every result states who was asked and how many answered; "don't know" is reported beside the
denominator, never inside it. A result, or a group of a breakdown, that would give an answer away is
hidden (`feedback.disclosure`), in its sentence as much as in its numbers. Numbers in sentences are
written by `feedback.figures`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

from feedback import figures
from feedback.registry import Scorer
from feedback.scoring import (
    Distribution,
    Kind,
    PairedChange,
    Score,
    ScoreResult,
    ScoringContext,
    Share,
    Wording,
)
from feedback.survey import Likert, QuestionBase, Rating, ScaleQuestion, ThenNow, YesNo
from feedback_scoring import stats
from feedback_scoring.answers import (
    MP,
    Answers,
    agreement,
    breakdowns,
    hidden,
    item_scorer,
    shown_cell,
    visible,
)
from feedback_scoring.reach import reach, response_rate
from feedback_scoring.wording import (
    besides,
    only_dont_know,
    report_label,
    withheld,
)

SELF_REPORTED = "self-reported, retrospective"
MIN_ALPHA_ROWS = 10
"""Cronbach's alpha is not computed from fewer complete rows: its interval would span most of the
possible range, and one respondent could move it across any threshold."""
ALPHA_ACCEPTABLE = 0.7
"""The conventional lowest alpha at which items are read as measuring one thing (Nunnally 1978)."""


HIDDEN_METHODS = {
    "proportion": "share agreeing (or yes) with its Wilson score 95% interval",
    "pairs": f"{stats.SELF_REPORTED}: then/now pairs, Wilcoxon signed-rank test, share that rose "
    "with its Wilson score 95% interval",
    "median": "median and distribution of the ratings",
}
"""The method of a hidden result: in words only, since the method text of a figure states its
counts ("share (1 of 2)"), which a hidden result must not."""

KINDS: dict[str, Kind] = {"proportion": "share", "pairs": "paired_change", "median": "distribution"}
"""The kind of a result of each unit (`feedback.scoring.Kind`)."""

# -- the words a report uses for the results (`feedback.scoring.Wording`) ----------------------
# The seed report charts the statements by their answers (the diverging chart of the likert
# items), not by each share, and shows ratings, yes/no items and reliability in tables only: those
# figures are kept out of charts (``chart=False``) so that the report stays as published.

SHARE_WORDS = Wording(legend="k = agreeing (or yes), estimate = k / n")
CHANGE_WORDS = Wording(
    intro=f"Awareness is {stats.SELF_REPORTED}: after the seminar, participants rated their "
    "knowledge before it and now; not a measured before/after.",
    detail_intro=f"Awareness is {stats.SELF_REPORTED}: after the seminar, participants rated "
    "their knowledge before it and now. The first table counts the answers before and now at each "
    "point of the scale.",
    caption="For how many participants self-rated knowledge rose, stayed the same or fell, for "
    "each topic and overall. A bar's length is a share of those who rated both; the numbers in it "
    "are people.",
    caveat=(
        f"Awareness is {stats.SELF_REPORTED}.",
        "Participants rated, after the seminar, their knowledge before it and now. Such ratings "
        "tend to overstate change; they are no measurement of learning.",
    ),
    legend="n = then/now pairs, k = rose, estimate = k / n",
    labels={"measure": "self-reported knowledge, before the seminar against now"},
)
RATING_WORDS = Wording(legend="estimate = median")
ALPHA_WORDS = Wording(
    legend="estimate = Cronbach's alpha over n complete answers",
    labels={"name": "Cronbach's alpha"},
)


def _suppressed(
    context: ScoringContext,
    scorer: str,
    construct: str,
    label: str,
    item: str | None,
    answers: Answers,
    unit: str,
    notes: list[str] | None = None,
    wording: Wording | None = None,
) -> ScoreResult:
    """A result hidden by disclosure control: counts of "don't know" and blanks, no figure."""
    return ScoreResult(
        kind=KINDS[unit],
        wording={"en": wording} if wording else {},
        scorer=scorer,
        construct=construct,
        label=label,
        item=item,
        event=context.event,
        n=None,
        n_na=answers.n_na,
        n_missing=answers.n_missing,
        unit=unit,
        method=HIDDEN_METHODS[unit] + "; not shown (see the rules on small groups)",
        summary=withheld(context, label, answers.n_na),
        notes=notes or [],
        suppressed=True,
    )


def _share_result(
    context: ScoringContext,
    scorer: str,
    question: QuestionBase,
    label: str,
    answers: Answers,
    k: int,
    share: stats.Proportion,
    method: str,
    summary: str,
    **extra: Any,
) -> ScoreResult:
    """A share ``k`` of the answers with its interval, as the agreement and contacts scorers
    report it; ``extra`` holds breakdowns, details and notes."""
    return ScoreResult(
        scorer=scorer,
        construct=scorer,
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
        method=method,
        summary=summary,
        figure=Share(k=k, n=answers.n, ci_low=share.ci_low, ci_high=share.ci_high, chart=False),
        wording={"en": SHARE_WORDS},
        **extra,
    )


def _empty_summary(label: str, answers: Answers) -> str:
    if answers.n_na:
        return only_dont_know(label, answers.n_na, answers.n_missing)
    if answers.n_missing:
        return f"{label}: none of the {answers.n_missing} asked answered."
    return f"{label}: no answers yet."


# -- agreement ---------------------------------------------------------------------------------


def agreement_scorer(construct: str, title: str) -> Scorer:
    """A scorer of the share agreeing (likert top half, or yes) with each item of a construct."""

    def score(context: ScoringContext) -> list[ScoreResult]:
        results = []
        for question in context.items(construct):
            if isinstance(question, Likert | YesNo | Rating):
                results.append(_agreement_result(context, construct, question))
        return results

    return Scorer(name=construct, title=title, constructs=(construct,), score=score)


def _agreement_result(
    context: ScoringContext, construct: str, question: QuestionBase
) -> ScoreResult:
    answers = Answers.read(context, question)
    agree = agreement(question)
    label = report_label(context, question)
    k = sum(1 for _, v in answers.answered if agree(v))
    share = stats.proportion(k, answers.n)
    what = "said yes" if isinstance(question, YesNo) else "agree"
    if getattr(question, "reverse", False):
        what = "disagree (a reverse-worded statement)"
    method = share.method + (
        "; agreeing = the points above the scale's middle" if isinstance(question, Likert) else ""
    )
    if answers.n and hidden(context, k, answers.n):
        return _suppressed(
            context,
            construct,
            construct,
            label,
            question.id,
            answers,
            "proportion",
            None,
            SHARE_WORDS,
        )
    parts = breakdowns(context, answers, agree) if answers.n else []
    details: dict[str, Any] = {}
    notes = (
        [f"{answers.n_na} answered “don't know” (not in the denominator)"] if answers.n_na else []
    )
    if answers.n == 0:
        summary = _empty_summary(label, answers)
    else:
        who = (
            f"{k} of {answers.n} respondents"
            if answers.n == answers.asked
            else f"{k} of the {answers.n} who gave a view"
        )
        summary = (
            f"{label}: {who} {what} ({figures.share(k, answers.n)}, "
            f"{figures.interval(share.ci_low, share.ci_high)})"
        )
        beside = besides(answers.n_na, answers.n_missing, answers.asked)
        summary += f"; {beside}." if beside else "."
        mps = shown_cell(parts, "role", MP)
        if mps is not None and mps.n != answers.n and mps.k is not None and mps.n is not None:
            summary += (
                f" Among {mps.label}: {mps.k} of {mps.n} ({figures.share(mps.k, mps.n)}, "
                f"{figures.interval(mps.ci_low, mps.ci_high)})."
            )
            details = {"mp_k": mps.k, "mp_n": mps.n}
    return _share_result(
        context,
        construct,
        question,
        label,
        answers,
        k,
        share,
        method,
        summary,
        breakdowns=parts,
        details=details,
        notes=notes,
    )


# -- awareness ---------------------------------------------------------------------------------


def _awareness(context: ScoringContext) -> list[ScoreResult]:
    results = []
    # per participant: [response, sum of "then" scores, sum of "now" scores, items answered]
    totals: dict[str, list[Any]] = {}
    items = [q for q in context.items("awareness") if isinstance(q, ThenNow)]
    for question in items:
        answers = Answers.read(context, question)
        scale = question.resolved_scale
        pairs = Answers([], answers.na, answers.missing)  # the values become (then, now) scores
        position = scale.positions.get
        for response, value in answers.answered:
            a, b = position(value["then"]), position(value["now"])
            if a is None or b is None:
                continue
            pairs.answered.append((response, (a, b)))
            total = totals.get(response["id"])
            if total is None:
                totals[response["id"]] = [response, a, b, 1]
            else:
                total[1] += a
                total[2] += b
                total[3] += 1
        label = report_label(context, question)
        results.append(_change_result(context, question.id, label, pairs, len(scale.points)))
    if len(items) > 1 and totals:
        # exact means over the items each participant rated, so that 4/3 and 4/3 tie as they
        # must: kept as whole numbers on a common denominator (every count of items divides it),
        # which ranks, tests and counts alike, and is many times faster than fractions
        common = math.lcm(*range(1, len(items) + 1))
        overall = Answers(
            [(r, (t * (common // k), n * (common // k))) for r, t, n, k in totals.values()]
        )
        label = f"Awareness overall (the mean of the {len(items)} topics each participant rated)"
        results.append(_change_result(context, None, label, overall, None, common))
    return results


def _change_result(
    context: ScoringContext,
    item: str | None,
    label: str,
    pairs: Answers,
    points: int | None,
    scale: int = 1,
) -> ScoreResult:
    """The then/now result of ``pairs``, whose scores are ``scale`` times the real ones."""
    then = [a for _, (a, _) in pairs.answered]
    now = [b for _, (_, b) in pairs.answered]
    change = stats.paired_change(then, now)
    rose = stats.proportion(change.rose, change.n_pairs)
    method = f"{change.method}; share that rose: {rose.method}"
    if change.n_pairs and hidden(context, change.rose, change.n_pairs):
        return _suppressed(
            context,
            "awareness",
            "awareness",
            label,
            item,
            pairs,
            "pairs",
            [stats.SELF_REPORTED],
            CHANGE_WORDS,
        )
    changed = change.changed
    if change.n_pairs == 0:
        summary = f"{label}: no then/now pairs yet."
    else:
        tests = []
        if change.p_value is not None:
            how = "exact" if change.p_method == "exact" else "normal approx."
            tests.append(f"Wilcoxon signed-rank test ({how}), {figures.p_value(change.p_value)}")
        if change.effect_size is not None:
            unchanged = f", the {change.same} unchanged left out" if change.same else ""
            tests.append(
                f"rank-biserial r = {figures.decimal(change.effect_size)} among the {changed} "
                f"whose rating changed{unchanged}"
            )
        rated = "rated it higher" if item else "gave higher ratings on average"
        summary = (
            f"{label}: {change.rose} of {change.n_pairs} {rated} after the seminar than "
            f"before, {change.same} the same, {change.fell} lower ({SELF_REPORTED})"
        )
        beside = besides(pairs.n_na, pairs.n_missing, pairs.asked)
        if beside:
            summary += f"; {beside}"
        summary += f" [{'; '.join(tests)}]." if tests else "."
    return ScoreResult(
        scorer="awareness",
        construct="awareness",
        label=label,
        item=item,
        event=context.event,
        n=change.n_pairs,
        n_na=pairs.n_na,
        n_missing=pairs.n_missing,
        k=change.rose,
        estimate=rose.estimate,
        ci_low=rose.ci_low,
        ci_high=rose.ci_high,
        p_value=change.p_value,
        effect_size=change.effect_size,
        effect_size_name=(
            "matched-pairs rank-biserial correlation, over the pairs that changed"
            if change.effect_size is not None
            else None
        ),
        unit="pairs",
        method=method,
        summary=summary,
        details={
            "rose": change.rose,
            "same": change.same,
            "fell": change.fell,
            "changed": changed,
            "statistic_v": change.statistic,
            "p_method": change.p_method,
            "median_then": _number(_unscaled(change.median_then, scale)),
            "median_now": _number(_unscaled(change.median_now, scale)),
            "median_then_text": figures.median(_unscaled(change.median_then, scale)),
            "median_now_text": figures.median(_unscaled(change.median_now, scale)),
            "points": points,
        },
        breakdowns=(breakdowns(context, pairs, lambda v: v[1] > v[0]) if change.n_pairs else []),
        notes=[stats.SELF_REPORTED],
        figure=PairedChange(
            n=change.n_pairs,
            rose=change.rose,
            same=change.same,
            fell=change.fell,
            ci_low=rose.ci_low,
            ci_high=rose.ci_high,
            p_value=change.p_value,
            effect_size=change.effect_size,
        ),
        wording={"en": CHANGE_WORDS},
    )


def _unscaled(value: Any, scale: int) -> Fraction | None:
    return None if value is None else figures.exact(value) / scale


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


# -- contacts ----------------------------------------------------------------------------------


def _contacts(context: ScoringContext) -> list[ScoreResult]:
    results = []
    counts = context.items("contacts_count")
    for question in context.items("contacts"):
        if not isinstance(question, YesNo):
            continue
        everyone = Answers.read(context, question)
        mps = everyone.among(lambda r: context.group_of(r, "role") == MP)
        label = report_label(context, question)
        k = sum(1 for _, v in mps.answered if v is True)
        share = stats.proportion(k, mps.n)
        method = share.method + "; MPs only (role mp); observed follow-up"
        if mps.n and hidden(context, k, mps.n):
            results.append(
                _suppressed(
                    context,
                    "contacts",
                    "contacts",
                    label,
                    question.id,
                    mps,
                    "proportion",
                    None,
                    SHARE_WORDS,
                ).model_copy(
                    update={
                        "summary": (
                            f"{label}: not shown for MPs, because fewer than "
                            f"{context.min_cell_size} MPs answered or their answers were all "
                            "alike, and each answer could be told."
                        )
                    }
                )
            )
            continue
        total = 0
        for count_question in counts:
            for response, value in context.answers(count_question.id):
                if context.group_of(response, "role") == MP and isinstance(value, int | float):
                    total += int(value)
        if not mps.n:
            summary = f"{label}: no MP has answered yet."
        else:
            summary = (
                f"{label}: {k} of the {mps.n} MPs who answered have already passed on contact "
                "details of other parliamentarians"
                + (f" ({total} contacts in all)" if counts else "")
                + "."
            )
        results.append(
            _share_result(
                context,
                "contacts",
                question,
                label,
                mps,
                k,
                share,
                method,
                summary,
                details={"contacts_total": total},
            )
        )
    return results


# -- satisfaction ------------------------------------------------------------------------------


def _satisfaction(context: ScoringContext) -> list[ScoreResult]:
    results = []
    for construct in ("satisfaction", "usefulness"):
        for question in context.items(construct):
            if isinstance(question, Rating | Likert):
                results.append(_rating_result(context, construct, question))
    return results


def _rating_result(
    context: ScoringContext, construct: str, question: Rating | Likert
) -> ScoreResult:
    answers = Answers.read(context, question)
    label = report_label(context, question)
    if isinstance(question, Rating):
        values = [int(v) for _, v in answers.answered]
        points = list(range(question.min, question.max + 1))
    else:
        scale = question.resolved_scale
        values = [int(scale.score(v) or 0) for _, v in answers.answered]
        points = list(range(1, len(scale.points) + 1))
    method = "median and distribution of the ratings"
    alike = len(set(values)) == 1
    if values and hidden(context, 0 if alike else 1, len(values)):
        return _suppressed(
            context,
            "satisfaction",
            construct,
            label,
            question.id,
            answers,
            "median",
            None,
            RATING_WORDS,
        )
    dist = stats.median_and_distribution(values, points)
    details: dict[str, Any] = {"distribution": {str(k): v for k, v in dist.counts.items()}}
    if not dist.n:
        summary = _empty_summary(label, answers)
    else:
        summary = f"{label}: median {figures.median(dist.median)} on {points[0]}–{points[-1]}"
        beside = besides(answers.n_na, answers.n_missing, answers.asked)
        summary += f" ({dist.n} answered; {beside})." if beside else f" ({dist.n} answered)."
    nps_item = construct == "satisfaction" and isinstance(question, Rating)
    if (
        nps_item
        and isinstance(question, Rating)
        and question.min == 0
        and question.max == 10
        and dist.n
    ):
        score = stats.nps(values)
        low, high = score.ci_low, score.ci_high
        details.update(
            nps=_number(score.score),
            nps_ci_low=_number(low),
            nps_ci_high=_number(high),
            nps_text=figures.signed(score.score),
            promoters=score.promoters,
            passives=score.passives,
            detractors=score.detractors,
        )
        method += f"; {score.method}"
        interval = (
            f", 95% CI {figures.signed(low)} to {figures.signed(high)}"
            if low is not None and high is not None
            else ""
        )
        summary += (
            f" Net Promoter Score {figures.signed(score.score)}{interval} "
            f"({score.promoters} promoters, {score.passives} passives, "
            f"{score.detractors} detractors)."
        )
    return ScoreResult(
        scorer="satisfaction",
        construct=construct,
        label=label,
        item=question.id,
        event=context.event,
        n=dist.n,
        n_na=answers.n_na,
        n_missing=answers.n_missing,
        estimate=_number(dist.median),
        unit="median",
        method=method,
        summary=summary,
        details=details,
        figure=Distribution(
            n=dist.n,
            points={str(k): v for k, v in dist.counts.items()},
            median=_number(dist.median),
            chart=False,
        ),
        wording={"en": RATING_WORDS},
    )


# -- reliability -------------------------------------------------------------------------------


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
        alpha = stats.cronbach_alpha(rows) if len(rows) >= MIN_ALPHA_ROWS else None
        what = f"the {len(items)} items of “{construct}”"
        if alpha is None or alpha.alpha is None:
            why = (
                f"only {len(rows)} respondents answered all {len(items)} items (at least "
                f"{MIN_ALPHA_ROWS} are needed)"
                if alpha is None
                else "their totals do not vary"
            )
            summary = f"The reliability of {what} was not computed: {why}."
        else:
            ci = (
                f"95% CI {figures.decimal(alpha.ci_low)} to {figures.decimal(alpha.ci_high)}, "
                f"n = {alpha.n}"
            )
            value = figures.decimal(alpha.alpha)
            if alpha.alpha >= ALPHA_ACCEPTABLE:
                summary = (
                    f"{what[:1].upper()}{what[1:]} measure one thing acceptably: Cronbach's alpha "
                    f"{value} ({ci})."
                )
            else:
                summary = (
                    f"{what[:1].upper()}{what[1:]} do not measure one thing: Cronbach's alpha "
                    f"{value} ({ci}) is below {ALPHA_ACCEPTABLE:.2f}, so read them item by item, "
                    "not as one score."
                )
        reverse = [q.id for q in items if getattr(q, "reverse", False)]
        method = (alpha.method if alpha else "Cronbach's alpha, not computed") + (
            "; then/now items scored on their 'now' answer"
            if any(isinstance(q, ThenNow) for q in items)
            else ""
        )
        results.append(
            ScoreResult(
                scorer="reliability",
                construct=construct,
                label=f"Reliability of {construct}",
                event=context.event,
                n=alpha.n if alpha else len(rows),
                estimate=alpha.alpha if alpha else None,
                ci_low=alpha.ci_low if alpha else None,
                ci_high=alpha.ci_high if alpha else None,
                unit="alpha",
                method=method
                + f"; alpha below {ALPHA_ACCEPTABLE:.2f} is read as items that do not measure "
                f"one thing; not computed from fewer than {MIN_ALPHA_ROWS} complete rows",
                summary=summary,
                details={"items": [q.id for q in items], "reverse_coded": reverse},
                notes=[f"reverse-coded before scoring: {', '.join(reverse)}"] if reverse else [],
                figure=Score(
                    value=alpha.alpha if alpha else None,
                    ci_low=alpha.ci_low if alpha else None,
                    ci_high=alpha.ci_high if alpha else None,
                    n=alpha.n if alpha else len(rows),
                    low=0.0,
                    high=1.0,
                    chart=False,
                ),
                wording={"en": ALPHA_WORDS},
                outcome=False,
            )
        )
    return results


def _scorer(name: str, title: str, constructs: Iterable[str], fn: Callable[..., Any]) -> Scorer:
    return Scorer(name=name, title=title, constructs=tuple(constructs), score=fn)


#: In the order of the report's "Outcomes" (the seed report's: reach first); a report keeps the
#: scorers' registration order.
def _intentions(context: ScoringContext) -> list[ScoreResult]:
    from feedback_scoring.intentions import score

    return score(context)


SCORERS: list[Scorer] = [
    _scorer("reach", "Reach against the programme's targets", ("role", "country"), reach),
    _scorer("response_rate", "Who responded", (), response_rate),
    _scorer("awareness", "Raised awareness (then/now)", ("awareness",), _awareness),
    agreement_scorer("rapporteur_support", "Support for an independent national rapporteur"),
    agreement_scorer("ngo_cooperation", "Willingness to cooperate with NGOs"),
    agreement_scorer("inform_colleagues", "Informing colleagues"),
    _scorer("contacts", "Contacts passed on", ("contacts", "contacts_count"), _contacts),
    agreement_scorer("next_event_support", "Support for the next event"),
    _scorer("intentions", "Intentions against actions", (), _intentions),
    _scorer(
        "satisfaction", "Usefulness and satisfaction", ("satisfaction", "usefulness"), _satisfaction
    ),
    _scorer("reliability", "Reliability of multi-item constructs", (), _reliability),
]

__all__ = ["SCORERS", "agreement_scorer", "visible"]
