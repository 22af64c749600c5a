"""The statistics behind the scorers: small, pure functions on plain numbers.

Everything here follows principle 6 of the design ("statistics are honest"):

* every count comes with its denominator, every share with an interval;
* the normal and F distributions come from scipy (``scipy.special``, the functions behind
  ``scipy.stats``, which alone takes half a second to import); the one distribution
  counted out here, the exact null distribution of the Wilcoxon signed-rank statistic, is counted
  with whole numbers (no random draws), so the same answers always give the same p-value;
* every result carries a ``method`` string that says in words what was computed, so that a report
  can print it next to the number (including what was left out: zero differences, incomplete rows);
* change measured by asking "before the seminar" and "now" at the same moment is labelled
  *self-reported change (retrospective pre/post)*: it is not a measured before/after.

A missing answer is ``None`` (or NaN) wherever a function accepts one; it is never counted as a
score. Nothing here writes a figure for people to read: rounding and display (percentages,
p-values, signed scores) belong to :mod:`feedback.figures`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral, Rational, Real
from typing import Any, Literal, cast

import numpy as np
from scipy import special

__all__ = [
    "EXACT_LIMIT",
    "SELF_REPORTED",
    "Alpha",
    "Distribution",
    "NetPromoter",
    "PairedChange",
    "Proportion",
    "cronbach_alpha",
    "median_and_distribution",
    "nps",
    "paired_change",
    "proportion",
]

SELF_REPORTED = "self-reported change (retrospective pre/post)"
"""The label every then/now result carries: one moment, two questions, not a measured change."""

EXACT_LIMIT = 50
"""Largest number of changed pairs for which the exact Wilcoxon distribution is counted."""

NPS_PSEUDO = (Fraction(3, 4), Fraction(3, 2), Fraction(3, 4))
"""Pseudo-observations (detractors, passives, promoters) of the adjusted-Wald NPS interval."""


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proportion:
    """A share ``k`` of ``n`` with its confidence interval (all ``None`` when ``n`` is 0)."""

    k: int
    n: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    method: str


@dataclass(frozen=True, slots=True)
class PairedChange:
    """Then/now answers of the same people compared pair by pair.

    ``n_pairs`` counts the complete pairs; ``rose + same + fell == n_pairs`` and ``changed`` is
    ``rose + fell``, the pairs the test ranks. ``median_then`` and ``median_now`` are exact: a
    float when it holds the median exactly (whole points and halves), else a
    :class:`~fractions.Fraction`.

    ``statistic`` is R's ``V`` (``wilcox.test``'s statistic): the sum of the mid-ranks of the rises
    among the changed pairs. (scipy's two-sided ``wilcoxon`` reports the smaller of ``V`` and
    ``changed·(changed+1)/2 - V`` instead; the p-value is the same.) ``p_value`` is two-sided and
    ``p_method`` says how it was found: ``"exact"`` (the exact conditional distribution, at most
    `EXACT_LIMIT` changed pairs) or ``"normal"`` (normal approximation, more changed pairs).
    ``statistic``, ``p_value`` and ``p_method`` are ``None`` when fewer than two pairs changed.

    ``effect_size`` is the matched-pairs rank-biserial correlation (Kerby 2014) of the changed
    pairs (+1: every change was a rise, -1: every change was a fall; unchanged pairs do not enter
    it); ``None`` when no pair changed.
    """

    n_pairs: int
    rose: int
    same: int
    fell: int
    changed: int
    median_then: float | Fraction | None
    median_now: float | Fraction | None
    statistic: float | None
    p_value: float | None
    p_method: Literal["exact", "normal"] | None
    effect_size: float | None
    method: str


@dataclass(frozen=True, slots=True)
class Alpha:
    """Cronbach's alpha of ``k_items`` items over ``n`` complete respondents, with an interval."""

    k_items: int
    n: int
    alpha: float | None
    ci_low: float | None
    ci_high: float | None
    method: str


@dataclass(frozen=True, slots=True)
class NetPromoter:
    """Net Promoter Score: % promoters minus % detractors, in points (-100 to +100).

    ``score`` is the exact fraction ``100·(promoters - detractors)/n``; ``ci_low`` and ``ci_high``
    bound its adjusted-Wald interval (Rocks 2016), in points. All three are ``None`` without
    answers.
    """

    n: int
    promoters: int
    passives: int
    detractors: int
    score: Fraction | None
    ci_low: float | None
    ci_high: float | None
    method: str


@dataclass(frozen=True, slots=True)
class Distribution:
    """The median of ``n`` answers and how many gave each point of the scale (zeros included)."""

    n: int
    median: float | None
    counts: dict[Any, int]
    method: str


# -- helpers -----------------------------------------------------------------------------------


def _level(confidence: float) -> str:
    """``0.95`` -> ``"95%"``, ``0.995`` -> ``"99.5%"``."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    return f"{confidence * 100:g}%"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, Real) and math.isnan(value))


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise ValueError(f"{name} must be a whole number of at least 0, not {value!r}")
    return int(value)


def _median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _exact(value: object) -> Fraction | int:
    """A score as the exact number it holds: a float is its binary value, not its repr; a whole
    number stays an int (exact already, and many times faster to compare than a fraction)."""
    if value.__class__ is int:
        return value
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"a score must be a number, not {value!r}")
    if isinstance(value, Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if not math.isfinite(value):
        raise ValueError(f"a score must be a finite number, not {value!r}")
    return Fraction(float(value))


def _exact_median(values: Sequence[Fraction | int]) -> float | Fraction | None:
    """The exact median: a float when the float holds it exactly (3, 3.5), else the fraction."""
    if not values:
        return None
    middle = statistics.median(cast("Sequence[Fraction]", values))
    as_float = float(middle)
    return as_float if Fraction(as_float) == middle else middle


# -- shares ------------------------------------------------------------------------------------


def proportion(k: int, n: int, confidence: float = 0.95, *, label: str = "share") -> Proportion:
    """The share ``k / n`` with its Wilson score interval.

    The interval is Wilson's (1927) score interval without continuity correction, as scipy's
    ``binomtest(k, n).proportion_ci(method="wilson")`` computes it, with the normal quantile from
    ``scipy.special.ndtri`` (``scipy.stats`` alone takes half a second to import): unlike the textbook "estimate ± 1.96 standard errors" it stays
    inside 0–1 and keeps its coverage for the small groups and the 0-of-n and n-of-n shares that
    seminar feedback produces. ``n == 0`` gives no estimate and no interval ("no answers").
    ``label`` names the share in the method text ("share agreeing", "share of MPs", ...).
    """
    k, n = _count(k, "k"), _count(n, "n")
    level = _level(confidence)
    if k > n:
        raise ValueError(f"k ({k}) cannot exceed n ({n})")
    if n == 0:
        return Proportion(k, n, None, None, None, f"{label}: no answers (0 of 0), no interval")
    z = float(special.ndtri(1 - (1 - confidence) / 2))
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Proportion(
        k=k,
        n=n,
        estimate=p,
        ci_low=0.0 if k == 0 else max(0.0, centre - half),
        ci_high=1.0 if k == n else min(1.0, centre + half),
        method=f"{label} ({k} of {n}), Wilson score {level} interval",
    )


# -- then/now change ---------------------------------------------------------------------------


def _doubled_midranks(sizes: Sequence[Fraction | int]) -> list[int]:
    """Twice the mid-rank of every value in ``sizes`` (all > 0), in the order given.

    Tied values share the average of the ranks they occupy; a tie group over ranks i+1 … i+t has
    mid-rank i + (t+1)/2, so twice it, 2i + t + 1, is a whole number.
    """
    order = sorted(range(len(sizes)), key=lambda i: sizes[i])
    doubled = [0] * len(sizes)
    start = 0
    while start < len(order):
        stop = start
        while stop + 1 < len(order) and sizes[order[stop + 1]] == sizes[order[start]]:
            stop += 1
        width = stop - start + 1
        for position in order[start : stop + 1]:
            doubled[position] = 2 * start + width + 1
        start = stop + 1
    return doubled


def _signed_rank_counts(doubled: Sequence[int]) -> np.ndarray:
    """How many of the 2^m sign assignments give each sum of doubled ranks to the rises.

    ``counts[s]`` is the number of ways to choose which changed pairs rose so that their doubled
    mid-ranks add up to ``s``: under the null hypothesis each pair rises or falls with probability
    1/2, independently, given the observed absolute changes (the exact conditional distribution,
    ties and zeros allowed). Counted by adding one pair at a time (each term at most 2^m, so
    int64 holds every count exactly for m <= 62).
    """
    total = sum(doubled)
    counts = np.zeros(total + 1, dtype=np.int64)
    counts[0] = 1
    reach = 0
    for rank in doubled:
        # the new pair falls (sums unchanged) or rises (every sum moves up by its rank).
        counts[rank : reach + rank + 1] += counts[: reach + 1].copy()
        reach += rank
    return counts


def _exact_p(doubled: Sequence[int], v2: int) -> Fraction:
    """Two-sided exact p of the doubled statistic ``v2``: min(1, 2·min(P(V <= v), P(V >= v)))."""
    counts = _signed_rank_counts(doubled)
    lower = int(counts[: v2 + 1].sum())
    upper = int(counts[v2:].sum())
    return min(Fraction(1), Fraction(2 * min(lower, upper), 2 ** len(doubled)))


def _normal_p(doubled: Sequence[int], v2: int) -> float:
    """Two-sided p of the normal approximation, as R's ``wilcox.test(correct = TRUE)`` computes it.

    With n changed pairs and tie groups of sizes t: mean n(n+1)/4, variance
    n(n+1)(2n+1)/24 - Σ(t³ - t)/48, z = (V - mean - sign(V - mean)·1/2) / sd, p = 2·P(Z > |z|).
    Everything up to the square root is exact.
    """
    n = len(doubled)
    v = Fraction(v2, 2)
    mean = Fraction(n * (n + 1), 4)
    ties = sum(t**3 - t for t in _group_sizes(doubled))
    variance = Fraction(n * (n + 1) * (2 * n + 1), 24) - Fraction(ties, 48)
    distance = v - mean
    correction = Fraction(1, 2) if distance > 0 else Fraction(-1, 2) if distance < 0 else 0
    z = float(distance - correction) / math.sqrt(variance)
    return float(min(1.0, 2 * special.ndtr(-abs(z))))


def _group_sizes(doubled: Sequence[int]) -> list[int]:
    """The sizes of the tie groups (equal mid-ranks are equal absolute changes)."""
    sizes: dict[int, int] = {}
    for rank in doubled:
        sizes[rank] = sizes.get(rank, 0) + 1
    return list(sizes.values())


def paired_change(
    then: Sequence[float | Fraction | None], now: Sequence[float | Fraction | None]
) -> PairedChange:
    """Compare then/now answers of the same respondents: counts, medians, Wilcoxon test, effect.

    ``then[i]`` and ``now[i]`` belong to one respondent; a pair with a side missing (``None`` or
    NaN) is left out. Scores may be whole numbers, fractions or floats; all arithmetic is exact
    (a float counts as the binary fraction it holds), so per-person scores computed as fractions
    (4/3 and 4/3) tie exactly. The differences ``now - then`` are counted as rises, unchanged and
    falls.

    The test is the Wilcoxon signed-rank test, two-sided, with Wilcoxon's treatment of zeros (as R's
    ``wilcox.test``): unchanged pairs are dropped before ranking (they are still counted in
    ``same``). The absolute changes get mid-ranks (ties share the average rank) and the statistic
    ``V`` is the sum of the mid-ranks of the rises. Its p-value is

    * with at most `EXACT_LIMIT` (50) changed pairs, exact: the conditional null distribution of
      ``V`` over the observed mid-ranks, counting all 2^m ways the m changed pairs could have
      risen or fallen (ties and zeros allowed); p = min(1, 2·min(P(V <= v), P(V >= v)));
    * above that, the normal approximation with continuity correction and tie-corrected variance,
      exactly as R's ``wilcox.test(correct = TRUE)``.

    Neither draws random numbers: the same answers always give the same p-value. With fewer than
    two changed pairs there is nothing to test: ``statistic``, ``p_value`` and ``p_method`` are
    ``None`` and the method text says why. The effect size is the matched-pairs rank-biserial
    correlation (Kerby 2014), computed exactly on the same mid-ranks, over the changed pairs only.

    These answers are a retrospective pre/post ("before the seminar" asked after it), so the result
    is labelled *self-reported change* and is no measurement of a change in knowledge.
    """
    if len(then) != len(now):
        raise ValueError(f"then has {len(then)} answers but now has {len(now)}")
    pairs: list[tuple[Any, Any]] = [  # Fraction | int: their difference is exact too
        (_exact(t), _exact(w))
        for t, w in zip(then, now, strict=True)
        if not _missing(t) and not _missing(w)
    ]
    before = [t for t, _ in pairs]
    after = [w for _, w in pairs]
    n_pairs = len(pairs)
    differences: list[Any] = [w - t for t, w in pairs]  # exact: Fraction or int
    changes = [d for d in differences if d != 0]
    rose = sum(1 for d in changes if d > 0)
    fell = len(changes) - rose
    same = n_pairs - rose - fell
    m = len(changes)

    doubled = _doubled_midranks([abs(d) for d in changes])
    v2 = sum(r for r, d in zip(doubled, changes, strict=True) if d > 0)
    total2 = m * (m + 1)  # twice the sum of the ranks 1 … m, ties or not
    effect = float(Fraction(2 * v2 - total2, total2)) if m else None

    head = f"{SELF_REPORTED}: {n_pairs} then/now pairs ({rose} rose, {same} unchanged, {fell} fell)"
    effect_text = (
        "effect size: matched-pairs rank-biserial correlation (Kerby 2014) of the mid-ranked "
        f"changes, over the {m} changed pairs only (unchanged pairs do not enter it)"
    )
    common: dict[str, Any] = {
        "n_pairs": n_pairs,
        "rose": rose,
        "same": same,
        "fell": fell,
        "changed": m,
        "median_then": _exact_median(before),
        "median_now": _exact_median(after),
        "effect_size": effect,
    }
    if m < 2:
        reason = "no pair changed" if m == 0 else "only one pair changed"
        return PairedChange(
            **common,
            statistic=None,
            p_value=None,
            p_method=None,
            method=f"{head}; {reason}, too few for a Wilcoxon signed-rank test"
            + (f"; {effect_text}" if effect is not None else ""),
        )

    p_method: Literal["exact", "normal"]
    if m <= EXACT_LIMIT:
        p_method = "exact"
        p_value = float(_exact_p(doubled, v2))
        assignments = f"{2**m}" if m < 20 else f"2^{m}"
        how = (
            "p from the exact conditional distribution of the signed-rank statistic over the "
            f"observed mid-ranks (ties and zeros allowed; all {assignments} sign assignments "
            "counted)"
        )
    else:
        p_method = "normal"
        p_value = _normal_p(doubled, v2)
        how = (
            "p from the normal approximation with continuity and tie correction "
            f"(more than {EXACT_LIMIT} changed pairs; as R's wilcox.test with correct = TRUE)"
        )
    v = Fraction(v2, 2)
    return PairedChange(
        **common,
        statistic=float(v),
        p_value=p_value,
        p_method=p_method,
        method=(
            f"{head}; Wilcoxon signed-rank test, two-sided, on the {m} changed pairs "
            f"({same} unchanged pairs dropped, Wilcoxon's zero method), V = {float(v):g} "
            f"(R's V: sum of the mid-ranks of the rises), {how}; {effect_text}"
        ),
    )


# -- reliability -------------------------------------------------------------------------------


def cronbach_alpha(items: Sequence[Sequence[float | None]], confidence: float = 0.95) -> Alpha:
    """Cronbach's alpha of a set of items, with Feldt's (1965) confidence interval.

    ``items`` holds one row per respondent, one score per item in every row (the same items in the
    same order). Rows with any item missing (``None`` or NaN) are left out (listwise deletion);
    ``n`` counts the rows used. Reverse-worded items must already be reversed by the caller
    (a 1–5 item as ``6 - score``): this function cannot tell them apart.

    alpha = k/(k-1) · (1 - Σ item variances / variance of the totals), sample variances
    (``ddof=1``). The interval is Feldt's: (1 - alpha) / (1 - α̂) follows an F distribution with
    n-1 and (n-1)(k-1) degrees of freedom, so with q = ``scipy.special.fdtri`` (the F quantile of ``scipy.stats.f.ppf``)
    lower = 1 - (1 - α̂)·q(1 - γ/2) and upper = 1 - (1 - α̂)·q(γ/2), γ = 1 - confidence.

    Fewer than two complete rows, or totals that do not vary, leave alpha undefined (``None``).
    """
    level = _level(confidence)
    rows = [list(row) for row in items]
    widths = {len(row) for row in rows}
    if len(widths) > 1:
        raise ValueError(f"every row needs the same number of items, got {sorted(widths)}")
    k = widths.pop() if widths else 0
    if rows and k < 2:
        raise ValueError("Cronbach's alpha needs at least two items")
    table = np.array(rows, dtype=float).reshape(len(rows), k)  # None becomes NaN
    complete = table[~np.isnan(table).any(axis=1)]
    n = len(complete)
    dropped = len(rows) - n
    head = (
        f"Cronbach's alpha over {k} items and {n} respondents who answered every item "
        f"(listwise deletion: {dropped} incomplete dropped)"
    )
    if n < 2:
        return Alpha(k, n, None, None, None, f"{head}; too few respondents for alpha")
    data = complete
    item_variances = data.var(axis=0, ddof=1).sum()
    total_variance = data.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return Alpha(k, n, None, None, None, f"{head}; the totals do not vary, alpha undefined")
    alpha = k / (k - 1) * (1 - item_variances / total_variance)
    gamma = 1 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * special.fdtri(df1, df2, 1 - gamma / 2)
    high = 1 - (1 - alpha) * special.fdtri(df1, df2, gamma / 2)
    return Alpha(
        k_items=k,
        n=n,
        alpha=float(alpha),
        ci_low=float(low),
        ci_high=float(high),
        method=f"{head}; Feldt (1965) {level} interval (F with {df1} and {df2} df)",
    )


# -- ratings -----------------------------------------------------------------------------------


def _wald_bounds(
    promoters: Fraction, detractors: Fraction, n: Fraction, z: float
) -> tuple[float, float]:
    """The Wald interval of p - d in points, with Var = (p + d - (p - d)²)/n, clipped to ±100.

    The variance of a difference of two proportions of one multinomial sample: p(1-p)/n +
    d(1-d)/n + 2pd/n, which simplifies to (p + d - (p - d)²)/n. Exact up to the square root.
    """
    p, d = promoters / n, detractors / n
    centre = p - d
    variance = (p + d - centre**2) / n
    half = z * math.sqrt(variance)
    low, high = float(centre) - half, float(centre) + half
    return max(-100.0, 100 * low), min(100.0, 100 * high)


def nps(scores: Sequence[int | None], confidence: float = 0.95) -> NetPromoter:
    """Net Promoter Score of answers on a 0–10 scale, with its adjusted-Wald interval.

    Promoters answered 9 or 10, passives 7 or 8, detractors 0 to 6; the score is the percentage of
    promoters minus the percentage of detractors, in points (-100 to +100), over the ``n`` answers
    given (``None`` is no answer and is not counted), as an exact fraction. A score outside 0–10
    is an error.

    The interval is the adjusted Wald interval of Rocks (2016, "Interval estimation for the net
    promoter score", The American Statistician; also his R package NPS, ``nps_test(test =
    "adjusted.wald")``), the method MeasuringU (Sauro and Lewis) recommend: add 3/4 of a detractor, 3/2 of a passive and 3/4 of a promoter (3 answers
    in all), then take p - d ± z·sqrt((p + d - (p - d)²)/(n + 3)) on the adjusted shares, with z
    the normal quantile of ``confidence`` (``scipy.special.ndtri``, as ``scipy.stats.norm.ppf``), clipped to -100…+100. Unlike
    the plain Wald interval it does not shrink to a point when every answer falls in one group.
    """
    level = _level(confidence)
    given = [s for s in scores if s is not None]
    for s in given:
        if isinstance(s, bool) or not isinstance(s, Integral) or not 0 <= s <= 10:
            raise ValueError(f"a 0–10 score must be a whole number from 0 to 10, not {s!r}")
    n = len(given)
    promoters = sum(1 for s in given if s >= 9)
    detractors = sum(1 for s in given if s <= 6)
    passives = n - promoters - detractors
    what = "Net Promoter Score: % promoters (9–10) minus % detractors (0–6)"
    if n == 0:
        return NetPromoter(0, 0, 0, 0, None, None, None, f"{what}; no answers, no interval")
    z = float(special.ndtri(1 - (1 - confidence) / 2))
    added_d, added_passive, added_p = NPS_PSEUDO
    low, high = _wald_bounds(
        promoters + added_p, detractors + added_d, n + added_d + added_passive + added_p, z
    )
    return NetPromoter(
        n=n,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        score=Fraction(100 * (promoters - detractors), n),
        ci_low=low,
        ci_high=high,
        method=(
            f"{what} of {n} answers on a 0–10 scale, in points "
            f"({promoters} promoters, {passives} passives, {detractors} detractors); "
            f"adjusted-Wald {level} interval (Rocks 2016: 3/4 detractor, 3/2 passive and "
            "3/4 promoter added before the Wald interval), clipped to -100…+100"
        ),
    )


def median_and_distribution(
    values: Sequence[float | None], points: Sequence[Hashable]
) -> Distribution:
    """The median of rating or ordinal answers and the count at every point of the scale.

    ``points`` lists the possible values in scale order (a rating 1–5: ``[1, 2, 3, 4, 5]``; an
    ordinal scale: its 1-based scores, and ``values`` the scores of the answers). ``counts`` has
    every point as a key, in that order, zeros included, so a report shows the whole scale. A value
    that is not one of ``points`` is an error; ``None`` is no answer and is not counted.

    The median is ``statistics.median``: with an even number of answers it may fall halfway
    between two points (3.5).
    """
    given = [v for v in values if not _missing(v)]
    counts: dict[Any, int] = dict.fromkeys(points, 0)
    for value in given:
        if value not in counts:
            raise ValueError(f"{value!r} is not a point of the scale {list(points)!r}")
        counts[value] += 1
    n = len(given)
    median = _median(given)  # type: ignore[arg-type]
    if n == 0:
        method = "median and distribution: no answers"
    else:
        method = f"median of {n} answers on {points[0]}–{points[-1]}, with the count at each point"
    return Distribution(n=n, median=median, counts=counts, method=method)
