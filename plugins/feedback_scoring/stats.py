"""The statistics behind the scorers: small, pure functions on plain numbers.

Everything here follows principle 6 of the design ("statistics are honest"):

* every count comes with its denominator, every share with an interval;
* the distributions come from scipy (``scipy.stats``), never from formulas written out here;
* every result carries a ``method`` string that says in words what was computed, so that a report
  can print it next to the number (including what was left out: zero differences, incomplete rows);
* change measured by asking "before the seminar" and "now" at the same moment is labelled
  *self-reported change (retrospective pre/post)*: it is not a measured before/after.

A missing answer is ``None`` (or NaN) wherever a function accepts one; it is never counted as a
score. Percentages are rounded half-up on the exact fraction (:func:`percent`), so the same counts
always print the same way, whatever the floating-point representation of the share.
"""

from __future__ import annotations

import functools
import math
import statistics
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from numbers import Integral, Real
from typing import Any

import numpy as np
from scipy import stats as sps

__all__ = [
    "N_RESAMPLES",
    "PERMUTATION_SEED",
    "SELF_REPORTED",
    "Alpha",
    "Distribution",
    "NetPromoter",
    "PairedChange",
    "Proportion",
    "achievement",
    "cronbach_alpha",
    "median_and_distribution",
    "nps",
    "paired_change",
    "percent",
    "proportion",
    "suppress",
]

SELF_REPORTED = "self-reported change (retrospective pre/post)"
"""The label every then/now result carries: one moment, two questions, not a measured change."""

N_RESAMPLES = 9999
"""Random sign assignments drawn when a permutation test cannot enumerate them all."""

PERMUTATION_SEED = 20_240_601
"""Fixed seed of the permutation tests, so that the same answers always give the same p-value."""

EXACT_LIMIT = 50
"""Largest number of non-zero differences for which the exact Wilcoxon distribution is used."""


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

    ``n_pairs`` counts the complete pairs; ``rose + same + fell == n_pairs``. ``statistic`` is
    scipy's two-sided Wilcoxon statistic (the smaller of the two signed-rank sums), ``effect_size``
    the matched-pairs rank-biserial correlation (+1: every change was a rise, -1: every change was a
    fall). ``statistic`` and ``p_value`` are ``None`` when fewer than two pairs changed.
    """

    n_pairs: int
    rose: int
    same: int
    fell: int
    median_then: float | None
    median_now: float | None
    statistic: float | None
    p_value: float | None
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
    """Net Promoter Score: ``score`` is % promoters minus % detractors, in points (-100 to +100)."""

    n: int
    promoters: int
    passives: int
    detractors: int
    score: float | None
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


# -- shares ------------------------------------------------------------------------------------


def proportion(k: int, n: int, confidence: float = 0.95, *, label: str = "share") -> Proportion:
    """The share ``k / n`` with its Wilson score interval.

    The interval is scipy's ``binomtest(k, n).proportion_ci(method="wilson")`` (Wilson 1927,
    without continuity correction): unlike the textbook "estimate ± 1.96 standard errors" it stays
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
    ci = sps.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return Proportion(
        k=k,
        n=n,
        estimate=k / n,
        ci_low=float(ci.low),
        ci_high=float(ci.high),
        method=f"{label} ({k} of {n}), Wilson score {level} interval",
    )


def percent(k: int, n: int, places: int = 1) -> str:
    """``k`` of ``n`` as a percentage with ``places`` decimals, rounded half-up: ``"46.7%"``.

    The rounding is done on the exact fraction ``100·k/n`` (never on a float), so ``1 of 8`` is
    ``"12.5%"``, ``5 of 16`` (31.25%) is ``"31.3%"`` and ``1 of 200`` is ``"0.5%"`` every time.
    ``n`` must be at least 1; a share with no answers has no percentage (say "no answers").
    """
    k, n, places = _count(k, "k"), _count(n, "n"), _count(places, "places")
    if n == 0:
        raise ValueError("a percentage of 0 answers is undefined")
    scaled = Fraction(100 * k, n) * 10**places
    # Half-up rounding of x equals half-up rounding of floor(2x)/2, which Decimal holds exactly
    # (at most one digit after the point), so ROUND_HALF_UP decides on the true value.
    halves = math.floor(2 * scaled)
    with localcontext() as context:
        context.prec = len(str(halves)) + 2
        rounded = (Decimal(halves) / 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{rounded.scaleb(-places):.{places}f}%"


def achievement(k: int, target: int, places: int = 1) -> str:
    """How much of a target was reached, as :func:`percent` prints it (may exceed 100%).

    ``achievement(45, 60) == "75.0%"``; ``target`` must be at least 1.
    """
    return percent(k, target, places)


# -- then/now change ---------------------------------------------------------------------------


@functools.cache
def _wilcoxon_takes_permutations() -> bool:
    """Whether the installed scipy accepts ``method=PermutationMethod(...)`` in ``wilcoxon``."""
    if not hasattr(sps, "PermutationMethod"):
        return False
    try:
        sps.wilcoxon([1.0, -2.0, 3.0], method=sps.PermutationMethod(n_resamples=9))
    except (TypeError, ValueError):
        return False
    return True


def _permutation_method() -> Any:
    try:  # scipy >= 1.15 spells the seed ``rng`` (SPEC 7); earlier versions ``random_state``
        return sps.PermutationMethod(n_resamples=N_RESAMPLES, rng=PERMUTATION_SEED)
    except TypeError:
        return sps.PermutationMethod(n_resamples=N_RESAMPLES, random_state=PERMUTATION_SEED)


def _rank_biserial(differences: np.ndarray) -> float | None:
    """Matched-pairs rank-biserial correlation of the non-zero ``differences``.

    r = (sum of the ranks of the rises - sum of the ranks of the falls) / sum of all ranks, with
    the absolute differences ranked by ``scipy.stats.rankdata`` (ties get their average rank).
    """
    if differences.size == 0:
        return None
    ranks = sps.rankdata(np.abs(differences), method="average")
    positive = float(ranks[differences > 0].sum())
    negative = float(ranks[differences < 0].sum())
    return (positive - negative) / (positive + negative)


def paired_change(then: Sequence[float | None], now: Sequence[float | None]) -> PairedChange:
    """Compare then/now answers of the same respondents: counts, medians, Wilcoxon test, effect.

    ``then[i]`` and ``now[i]`` belong to one respondent; a pair with a side missing (``None`` or
    NaN) is left out. The differences ``now - then`` are counted as rises, unchanged and falls.

    The test is scipy's Wilcoxon signed-rank test, two-sided, with Wilcoxon's treatment of zeros:
    unchanged pairs are dropped before ranking (they are still counted in ``same``), and the
    method text says how many. Its p-value comes from

    * the exact null distribution when at most 50 pairs changed and no two absolute changes tie;
    * otherwise a permutation test over the signs of the changes (``PermutationMethod``): every
      one of the 2^m sign assignments when there are at most 9,999 of them (13 changed pairs or
      fewer), else 9,999 random ones drawn with a fixed seed, so the p-value is reproducible;
    * should the installed scipy not offer permutations for this test, the normal approximation
      with continuity correction, and the method text says so.

    With fewer than two changed pairs there is nothing to test: ``statistic`` and ``p_value`` are
    ``None`` and the method text says why. The effect size is the matched-pairs rank-biserial
    correlation (Kerby 2014), computed on the same ranks as the test.

    These answers are a retrospective pre/post ("before the seminar" asked after it), so the result
    is labelled *self-reported change* and is no measurement of a change in knowledge.
    """
    if len(then) != len(now):
        raise ValueError(f"then has {len(then)} answers but now has {len(now)}")
    both = np.array([then, now], dtype=float)  # None becomes NaN: missing, like NaN itself
    complete = ~np.isnan(both).any(axis=0)
    before, after = both[0][complete], both[1][complete]
    n_pairs = int(complete.sum())
    differences = after - before
    rose = int(np.count_nonzero(differences > 0))
    fell = int(np.count_nonzero(differences < 0))
    same = n_pairs - rose - fell
    changed = differences[differences != 0]
    m = int(changed.size)
    effect = _rank_biserial(changed)

    head = f"{SELF_REPORTED}: {n_pairs} then/now pairs ({rose} rose, {same} unchanged, {fell} fell)"
    effect_text = "effect size: matched-pairs rank-biserial correlation of the ranked changes"
    if m < 2:
        reason = "no pair changed" if m == 0 else "only one pair changed"
        return PairedChange(
            n_pairs=n_pairs,
            rose=rose,
            same=same,
            fell=fell,
            median_then=_median(before.tolist()),
            median_now=_median(after.tolist()),
            statistic=None,
            p_value=None,
            effect_size=effect,
            method=f"{head}; {reason}, too few for a Wilcoxon signed-rank test"
            + (f"; {effect_text}" if effect is not None else ""),
        )

    ties = np.unique(np.abs(changed)).size < m
    if m <= EXACT_LIMIT and not ties:
        method: Any = "exact"
        correction = False
        how = "exact null distribution"
    elif m <= EXACT_LIMIT and _wilcoxon_takes_permutations():
        method = _permutation_method()
        correction = False
        if 2**m <= N_RESAMPLES:
            how = f"permutation test over all {2**m} sign assignments (tied changes)"
        else:
            floor = Fraction(2, N_RESAMPLES + 1)
            how = (
                f"permutation test over {N_RESAMPLES} random sign assignments, fixed seed "
                f"{PERMUTATION_SEED} (tied changes; p cannot fall below {float(floor):g})"
            )
    else:
        method = "approx"
        correction = True
        why = (
            f"more than {EXACT_LIMIT} changed pairs"
            if m > EXACT_LIMIT
            else "the installed scipy offers no permutation test for this test"
        )
        how = f"normal approximation with continuity correction, ties corrected ({why})"
    # The differences themselves are handed over (scipy's advice, avoiding round-off in x - y);
    # zeros are already gone, which zero_method="wilcox" would have done in the same way.
    result = sps.wilcoxon(
        changed,
        zero_method="wilcox",
        correction=correction,
        alternative="two-sided",
        method=method,
    )
    return PairedChange(
        n_pairs=n_pairs,
        rose=rose,
        same=same,
        fell=fell,
        median_then=_median(before.tolist()),
        median_now=_median(after.tolist()),
        statistic=float(result.statistic),
        p_value=float(result.pvalue),
        effect_size=effect,
        method=(
            f"{head}; Wilcoxon signed-rank test, two-sided, on the {m} changed pairs "
            f"({same} unchanged pairs dropped, Wilcoxon's zero method), {how}; {effect_text}"
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
    n-1 and (n-1)(k-1) degrees of freedom, so with q = ``scipy.stats.f.ppf``
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
    low = 1 - (1 - alpha) * sps.f.ppf(1 - gamma / 2, df1, df2)
    high = 1 - (1 - alpha) * sps.f.ppf(gamma / 2, df1, df2)
    return Alpha(
        k_items=k,
        n=n,
        alpha=float(alpha),
        ci_low=float(low),
        ci_high=float(high),
        method=f"{head}; Feldt (1965) {level} interval (F with {df1} and {df2} df)",
    )


# -- ratings -----------------------------------------------------------------------------------


def nps(scores: Sequence[int | None]) -> NetPromoter:
    """Net Promoter Score of answers on a 0–10 scale.

    Promoters answered 9 or 10, passives 7 or 8, detractors 0 to 6; the score is the percentage of
    promoters minus the percentage of detractors, in points (-100 to +100), over the ``n`` answers
    given (``None`` is no answer and is not counted). A score outside 0–10 is an error.
    """
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
        return NetPromoter(0, 0, 0, 0, None, f"{what}; no answers")
    return NetPromoter(
        n=n,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        score=100 * (promoters - detractors) / n,
        method=(
            f"{what} of {n} answers on a 0–10 scale, in points "
            f"({promoters} promoters, {passives} passives, {detractors} detractors)"
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


# -- small cells -------------------------------------------------------------------------------


def suppress(cells: Mapping[str, int], minimum: int, *, total_shown: bool = True) -> set[str]:
    """The groups of a breakdown whose count must not be shown.

    ``cells`` maps each group to its number of respondents; ``minimum`` is the smallest count that
    may be shown (``min_cell_size``).

    1. Primary suppression: every group with ``0 < n < minimum`` is hidden. An empty group (0) is
       shown: there is nobody in it to identify.
    2. Complementary suppression, when a total is shown (``total_shown``): if exactly one group is
       hidden, "total minus the groups shown" would give its count back, so the smallest other
       non-empty group (ties: the first by name) is hidden as well. The total then reveals only
       the sum of the two. An empty group is never used for this: hiding a 0 protects nothing.

    If the hidden group is the only non-empty one, no second group can protect it: the total is
    then itself below ``minimum`` and the caller must not show the total either. This protects one
    table with its total; it does not protect against combining several tables of the same people.
    """
    minimum = _count(minimum, "minimum")
    for group, n in cells.items():
        _count(n, f"the count of {group!r}")
    hidden = {group for group, n in cells.items() if 0 < n < minimum}
    if total_shown and len(hidden) == 1:
        others = sorted((n, group) for group, n in cells.items() if n > 0 and group not in hidden)
        if others:
            hidden.add(others[0][1])
    return hidden
