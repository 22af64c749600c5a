"""The statistics of the scorers against published values, hand calculations and direct scipy calls."""

from __future__ import annotations

import itertools
import statistics
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from feedback_scoring import stats
from feedback_scoring.stats import (
    Alpha,
    Distribution,
    NetPromoter,
    cronbach_alpha,
    median_and_distribution,
    nps,
    paired_change,
    proportion,
)

# -- proportion --------------------------------------------------------------------------------

# Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of
# seven methods", Statistics in Medicine 17:857-872, table I, method 3 (Wilson score, no
# continuity correction), to four decimals.
NEWCOMBE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), NEWCOMBE)
def test_wilson_interval_matches_newcombe_1998(k: int, n: int, low: float, high: float) -> None:
    share = proportion(k, n)
    assert share.k == k and share.n == n
    assert share.estimate == pytest.approx(k / n)
    assert round(share.ci_low, 4) == low
    assert round(share.ci_high, 4) == high
    assert share.method == f"share ({k} of {n}), Wilson score 95% interval"


def test_nine_of_eleven_is_about_52_to_95_percent() -> None:
    share = proportion(9, 11)
    assert share.ci_low == pytest.approx(0.5230, abs=5e-5)
    assert share.ci_high == pytest.approx(0.9486, abs=5e-5)


def test_proportion_label_and_other_confidence_levels() -> None:
    share = proportion(9, 11, 0.9, label="share agreeing")
    direct = sps.binomtest(9, 11).proportion_ci(confidence_level=0.9, method="wilson")
    assert (share.ci_low, share.ci_high) == (pytest.approx(direct.low), pytest.approx(direct.high))
    assert share.method == "share agreeing (9 of 11), Wilson score 90% interval"
    assert proportion(1, 2, 0.995).method.endswith("Wilson score 99.5% interval")


def test_no_answers_gives_no_estimate() -> None:
    share = proportion(0, 0)
    assert (share.estimate, share.ci_low, share.ci_high) == (None, None, None)
    assert "no answers" in share.method


@pytest.mark.parametrize(
    ("k", "n", "confidence"), [(3, 2, 0.95), (-1, 5, 0.95), (1, 5, 1.0), (1, 5, 0)]
)
def test_impossible_shares_are_errors(k: int, n: int, confidence: float) -> None:
    with pytest.raises(ValueError):
        proportion(k, n, confidence)


def test_percent_and_achievement_have_moved_to_figures() -> None:
    assert not hasattr(stats, "percent")
    assert not hasattr(stats, "achievement")
    assert {"N_RESAMPLES", "PERMUTATION_SEED"}.isdisjoint(dir(stats))
    assert set(stats.__all__) <= set(dir(stats))


# -- paired change -----------------------------------------------------------------------------


def _brute_force_p(differences: list[Fraction]) -> Fraction:
    """Two-sided p of R's V by enumerating every sign assignment of the non-zero differences."""
    changed = [d for d in differences if d != 0]
    sizes = sorted(abs(d) for d in changed)
    # mid-rank of a size: the average of the 1-based positions it occupies.
    positions: dict[Fraction, list[int]] = {}
    for position, size in enumerate(sizes, start=1):
        positions.setdefault(size, []).append(position)
    ranks = [Fraction(sum(positions[abs(d)]), len(positions[abs(d)])) for d in changed]
    observed = sum(r for r, d in zip(ranks, changed, strict=True) if d > 0)
    sums = [
        sum(r for r, rose in zip(ranks, signs, strict=True) if rose)
        for signs in itertools.product((False, True), repeat=len(ranks))
    ]
    lower = sum(1 for s in sums if s <= observed)
    upper = sum(1 for s in sums if s >= observed)
    return min(Fraction(1), Fraction(2 * min(lower, upper), len(sums)))


# The scipy documentation's example for wilcoxon: Fisher's (The Design of Experiments) differences in
# height between cross- and self-fertilised plants of Darwin's. Exact two-sided p-value 0.041259765625
# (= 169/4096); scipy's statistic 24 is the smaller rank sum, R's V the larger (120 - 24 = 96).
DARWIN = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]


def test_wilcoxon_matches_the_published_example() -> None:
    then = [100.0] * len(DARWIN)
    now = [100.0 + d for d in DARWIN]
    change = paired_change(then, now)
    direct = sps.wilcoxon(DARWIN, method="exact")
    assert change.p_value == pytest.approx(0.041259765625, rel=1e-12)
    assert change.p_value == pytest.approx(float(direct.pvalue), rel=1e-12)
    assert change.statistic == 96
    assert 15 * 16 / 2 - change.statistic == 24 == float(direct.statistic)
    assert (change.n_pairs, change.rose, change.same, change.fell) == (15, 13, 0, 2)
    assert change.changed == 15 and change.p_method == "exact"
    # negative ranks: |-48| is the 10th, |-67| the 14th smallest -> 24 of 120.
    assert change.effect_size == pytest.approx((96 - 24) / 120)
    assert change.median_then == 100 and change.median_now == 124
    assert change.method.startswith(stats.SELF_REPORTED)
    assert "exact conditional distribution of the signed-rank statistic" in change.method
    assert "V = 96 (R's V" in change.method


# R's documentation, ?wilcox.test, first example (Hollander & Wolfe 1973, p. 29f): Hamilton
# depression scale of 9 patients at the first (x) and second (y) visit. R prints for
# wilcox.test(x, y, paired = TRUE): V = 40, p-value = 0.03906 (two-sided, exact); the same values
# are in exactRankTests' recorded example output (tests/Examples/exactRankTests-Ex.Rout.save).
DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def test_wilcoxon_matches_r_documented_example() -> None:
    # V sums the ranks of x - y > 0: "then" is y, "now" is x.
    change = paired_change(DEPRESSION_Y, DEPRESSION_X)
    assert change.statistic == 40
    assert round(change.p_value, 5) == 0.03906
    assert change.p_value == 20 / 512  # exactly: P(V >= 40) = 10/512, doubled
    assert change.p_method == "exact"
    assert (change.rose, change.fell, change.same) == (7, 2, 0)
    # the other direction: V = 5, the same two-sided p.
    reverse = paired_change(DEPRESSION_X, DEPRESSION_Y)
    assert reverse.statistic == 5 and reverse.p_value == change.p_value
    assert reverse.effect_size == -change.effect_size
    direct = sps.wilcoxon(DEPRESSION_X, DEPRESSION_Y, method="exact")
    assert change.p_value == pytest.approx(float(direct.pvalue), rel=1e-12)


# Serum antigen level of 20 AIDS patients before and after AZT: Mehta & Patel (2001), StatXact-5
# for Windows manual, table 8.1, p. 181; exact two-sided p of the signed-rank test 0.0021
# (p. 183), 0.0038 asymptotically. exactRankTests (data set `sal`, tests/reg-tests.Rout.save)
# prints wilcox.exact(pre, post, paired = TRUE): V = 124, p-value = 0.002136. Four pairs are
# unchanged (zeros, dropped); the 16 changes do not tie.
SAL_PRE = [149, 0, 0, 259, 106, 255, 0, 52, 340, 65, 180, 0, 84, 89, 212, 554, 500, 424, 112, 2600]
SAL_POST = [0, 51, 0, 385, 0, 235, 0, 0, 48, 65, 77, 0, 0, 0, 53, 150, 0, 165, 98, 0]


def test_wilcoxon_with_zeros_matches_statxact() -> None:
    # V sums the ranks of pre - post > 0: "then" is post, "now" is pre.
    change = paired_change(SAL_POST, SAL_PRE)
    assert (change.n_pairs, change.same, change.changed) == (20, 4, 16)
    assert change.statistic == 124
    assert round(change.p_value, 6) == 0.002136
    assert round(change.p_value, 4) == 0.0021
    assert change.p_method == "exact"
    assert "4 unchanged pairs dropped" in change.method


# Tied and zero differences, exact conditional p: exactRankTests' regression test
# (tests/bugfix-tests.R, recorded output tests/bugfix-tests.Rout.save) prints for
# wilcox.exact(x, y, paired = TRUE): "V = 559, p-value = 0.9603". 73 pairs, 26 unchanged, 47
# changed with 37 distinct absolute changes.
BUGFIX_X = [0, 87, 0, 0, 0, 0, 8, 0, 16, 0, 64, 0, 0, 37, 200, 0, 0, 32, 5, 0, 0, 14, 0, 0, 4, 0, 0,
            50, 0, 0, 99, 0, 0, 12, 36, 22, 4, 13, 0, 10, 70, 0, 0, 0, 0, 19, 0, 4, 3, 4, 23, 0, 0,
            0, 0, 0, 0, 14, 4, 8, 0, 11, 42, 0, 0, 0, 0, 0, 18, 11, 29, 0, 0]  # fmt: skip
BUGFIX_Y = [0, 0, 14, 0, 0, 16, 0, 145, 0, 0, 16, 0, 0, 47, 0, 0, 0, 144, 0, 2, 0, 13, 0, 0, 114, 0,
            6, 0, 0, 4, 9, 0, 0, 17, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0, 25, 0, 1, 178, 0, 0, 0, 6, 0, 7,
            76, 252, 0, 0, 23, 0, 0, 68, 0, 0, 0, 24, 0, 59, 0, 0, 0, 0, 16]  # fmt: skip


def test_exact_conditional_p_with_ties_and_zeros_matches_exact_rank_tests() -> None:
    change = paired_change(BUGFIX_Y, BUGFIX_X)  # x - y: "then" is y, "now" is x
    assert (change.n_pairs, change.same, change.changed) == (73, 26, 47)
    assert len({abs(x - y) for x, y in zip(BUGFIX_X, BUGFIX_Y, strict=True) if x != y}) == 37
    assert change.statistic == 559
    assert round(change.p_value, 4) == 0.9603
    assert change.p_method == "exact"
    assert "all 2^47 sign assignments counted" in change.method


def test_rank_biserial_and_tied_exact_test_by_hand() -> None:
    # differences 2, 1, -1, 0: the 0 is dropped; |1|, |1| share rank 1.5, |2| has rank 3.
    then = [1, 2, 3, 2]
    now = [3, 3, 2, 2]
    change = paired_change(then, now)
    assert (change.n_pairs, change.rose, change.same, change.fell) == (4, 2, 1, 1)
    assert change.changed == 3
    assert change.effect_size == pytest.approx((4.5 - 1.5) / 6)
    assert change.statistic == 4.5  # R's V: ranks 3 + 1.5 of the two rises
    # all 8 sign assignments of ranks (3, 1.5, 1.5) give V in {0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6};
    # observed V = 4.5: P(V >= 4.5) = 3/8, two-sided p = 2 * 3/8.
    assert change.p_value == 0.75
    assert change.p_value == _brute_force_p([Fraction(2), Fraction(1), Fraction(-1)])
    assert change.p_method == "exact"
    assert "1 unchanged pairs dropped" in change.method
    assert "all 8 sign assignments" in change.method
    assert "ties and zeros allowed" in change.method
    assert "self-reported change (retrospective pre/post)" in change.method
    assert "over the 3 changed pairs only (unchanged pairs do not enter it)" in change.method
    assert change.median_then == 2 and change.median_now == 2.5


@settings(deadline=None, max_examples=150)
@given(st.lists(st.integers(-4, 4), min_size=2, max_size=11))
def test_exact_p_equals_enumeration_of_every_sign_assignment(differences: list[int]) -> None:
    # small integer changes: many ties and zeros.
    change = paired_change([0] * len(differences), differences)
    if change.changed < 2:
        assert change.p_value is None and change.p_method is None
        return
    assert change.p_value == float(_brute_force_p([Fraction(d) for d in differences]))
    assert change.p_method == "exact"


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(-200, 200).filter(bool), min_size=2, max_size=25, unique_by=abs))
def test_exact_p_without_ties_agrees_with_scipy_exact(differences: list[int]) -> None:
    change = paired_change([0] * len(differences), differences)
    direct = sps.wilcoxon(differences, method="exact")
    assert change.p_value == pytest.approx(float(direct.pvalue), rel=1e-12)
    total = len(differences) * (len(differences) + 1) / 2
    assert min(change.statistic, total - change.statistic) == float(direct.statistic)


def test_fractions_tie_exactly_where_floats_would_not() -> None:
    # per-person mean scores 4/3 - 1 and 7/3 - 2 are both exactly 1/3; as floats they differ.
    assert 4 / 3 - 1 != 7 / 3 - 2
    then = [Fraction(1), Fraction(2), Fraction(3), Fraction(1)]
    now = [Fraction(4, 3), Fraction(7, 3), Fraction(2), Fraction(1)]
    change = paired_change(then, now)
    assert (change.rose, change.same, change.fell, change.changed) == (2, 1, 1, 3)
    # |1/3|, |1/3| share rank 1.5; |-1| has rank 3: V = 3, P(V <= 3) = 4/8, p = 1.
    assert change.statistic == 3
    assert change.p_value == float(_brute_force_p([Fraction(1, 3), Fraction(1, 3), Fraction(-1)]))
    assert change.p_value == 1
    assert change.effect_size == 0
    # medians are exact: (1 + 2)/2 = 3/2 and (4/3 + 2)/2 = 5/3, which no float holds.
    assert change.median_then == 1.5
    assert change.median_now == Fraction(5, 3)
    assert isinstance(change.median_now, Fraction)


def test_fifty_changed_pairs_are_exact_and_fifty_one_normal() -> None:
    fifty = [(-1) ** i * (1 + i % 4) for i in range(50)]  # four sizes: heavy ties
    exact = paired_change([3] * 52, [3, 3, *(3 + d for d in fifty)])
    assert exact.changed == 50 and exact.same == 2 and exact.p_method == "exact"
    assert "exact conditional distribution" in exact.method
    more = paired_change([3] * 51, [3 + d for d in [*fifty, 2]])
    assert more.changed == 51 and more.p_method == "normal"
    assert "normal approximation with continuity and tie correction" in more.method
    assert "more than 50 changed pairs" in more.method
    direct = sps.wilcoxon([*fifty, 2], method="approx", correction=True)
    assert more.p_value == pytest.approx(float(direct.pvalue), rel=1e-12)


def test_many_changes_use_the_normal_approximation_reproducibly() -> None:
    rng = np.random.default_rng(7)
    then = rng.integers(1, 6, size=120).tolist()
    now = [min(5, t + int(r)) for t, r in zip(then, rng.integers(-1, 3, size=120), strict=True)]
    change = paired_change(then, now)
    assert change == paired_change(then, now)
    d = np.array(now, dtype=float) - np.array(then, dtype=float)
    d = d[d != 0]
    assert change.changed == d.size > stats.EXACT_LIMIT
    # scipy's asymptotic method is the same formula as R's wilcox.test(correct = TRUE).
    direct = sps.wilcoxon(d, method="approx", correction=True)
    assert change.p_value == pytest.approx(float(direct.pvalue), rel=1e-12)
    total = d.size * (d.size + 1) / 2
    assert min(change.statistic, total - change.statistic) == pytest.approx(float(direct.statistic))
    assert change.p_method == "normal"


def test_more_than_fifty_untied_changes_use_the_normal_approximation() -> None:
    then = [0.0] * 60
    now = [float(i if i % 3 else -i) for i in range(1, 61)]
    change = paired_change(then, now)
    assert "more than 50 changed pairs" in change.method
    direct = sps.wilcoxon(now, method="approx", correction=True)
    assert change.p_value == pytest.approx(float(direct.pvalue), rel=1e-12)


def _normal_p(differences: list[float]) -> tuple[float, float]:
    """R's V and the normal-approximation p of ``differences`` (zeros dropped)."""
    changed = [Fraction(d) for d in differences if d != 0]
    doubled = stats._doubled_midranks([abs(d) for d in changed])
    v2 = sum(r for r, d in zip(doubled, changed, strict=True) if d > 0)
    return v2 / 2, stats._normal_p(doubled, v2)


@pytest.mark.parametrize(
    ("differences", "v", "p"),
    [
        # scipy's test suite (TestWilcoxon.test_wilcoxon_tie), R: wilcox.test(rep(0.1, 10),
        # exact = FALSE, correct = TRUE)$p.value = 0.00190419504300439; every change tied.
        ([0.1] * 10, 55, 0.00190419504300439),
        # scipy's test suite (test_accuracy_wilcoxon), R: wilcox.test(x, y, paired = TRUE,
        # exact = FALSE, correct = TRUE)$p.value = 0.7240816609153895.
        (
            [
                a - b
                for a, b in zip(
                    [120, 114, 181, 188, 180, 146, 121, 191, 132, 113, 127, 112],
                    [133, 143, 119, 189, 112, 199, 198, 113, 115, 121, 142, 187],
                    strict=True,
                )
            ],
            34,
            0.7240816609153895,
        ),
        # scipy's test suite (test_onesided, "tested against R version 4.0.3"), R gives the
        # one-sided "greater" p 0.3176446594176 with correct = TRUE; V = 27 lies above its mean,
        # so R's two-sided p is twice it. One zero (140 - 140) and tied changes (5, 5; 15, 15).
        (
            [
                a - b
                for a, b in zip(
                    [125, 115, 130, 140, 140, 115, 140, 125, 140, 135],
                    [110, 122, 125, 120, 140, 124, 123, 137, 135, 145],
                    strict=True,
                )
            ],
            27,
            2 * 0.3176446594176,
        ),
    ],
)
def test_normal_approximation_matches_r(differences: list[float], v: float, p: float) -> None:
    observed_v, observed_p = _normal_p(differences)
    assert observed_v == v
    assert observed_p == pytest.approx(p, rel=1e-10)


def test_normal_approximation_matches_published_r_output_with_ties() -> None:
    # R output posted at pastebin.com/80FNLWBz: wilcox.test(c(-0.2, -0.05, 0.1, 0.15, 0.2))
    # "V = 9.5, p-value = 0.6845" (|-0.2| and |0.2| tie; R falls back to the normal
    # approximation with continuity correction because of the tie).
    v, p = _normal_p([-0.2, -0.05, 0.1, 0.15, 0.2])
    assert v == 9.5
    assert round(p, 4) == 0.6845


def test_missing_sides_are_dropped_and_too_few_changes_give_no_test() -> None:
    change = paired_change([1, None, 3, float("nan")], [2, 4, 3, 5])
    assert (change.n_pairs, change.rose, change.same, change.fell) == (2, 1, 1, 0)
    assert change.changed == 1
    assert change.p_value is None and change.statistic is None and change.p_method is None
    assert change.effect_size == 1
    assert "only one pair changed" in change.method

    none = paired_change([], [])
    assert none.n_pairs == 0 and none.median_then is None and none.effect_size is None
    assert none.changed == 0 and none.p_method is None
    assert "no pair changed" in none.method

    with pytest.raises(ValueError):
        paired_change([1, 2], [1])
    with pytest.raises(ValueError):
        paired_change([1, "2"], [1, 3])  # type: ignore[list-item]


@settings(deadline=None, max_examples=40)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), max_size=12))
def test_change_counts_add_up(pairs: list[tuple[int, int]]) -> None:
    change = paired_change([t for t, _ in pairs], [n for _, n in pairs])
    assert change.rose + change.same + change.fell == change.n_pairs == len(pairs)
    assert change.changed == change.rose + change.fell
    if change.effect_size is not None:
        assert -1 <= change.effect_size <= 1
    if change.p_value is not None:
        assert 0 < change.p_value <= 1
        assert 0 <= change.statistic <= change.changed * (change.changed + 1) / 2


# -- Cronbach's alpha --------------------------------------------------------------------------


def _alpha_by_hand(rows: list[list[float]]) -> float:
    k = len(rows[0])
    columns = list(zip(*rows, strict=True))
    item_variances = sum(statistics.variance(c) for c in columns)
    total_variance = statistics.variance([sum(r) for r in rows])
    return k / (k - 1) * (1 - item_variances / total_variance)


def test_alpha_of_a_worked_example_is_48_49ths() -> None:
    # item variances 5/3, 11/12, 5/3 (sum 17/4); totals 13, 10, 15, 7 (variance 49/4):
    # alpha = 3/2 * (1 - 17/49) = 48/49.
    rows = [[4, 5, 4], [3, 4, 3], [5, 5, 5], [2, 3, 2]]
    result = cronbach_alpha(rows)
    assert result.alpha == pytest.approx(float(Fraction(48, 49)), rel=1e-12)
    assert result.alpha == pytest.approx(_alpha_by_hand(rows), rel=1e-12)
    assert (result.k_items, result.n) == (3, 4)


SURVEY = [
    [4, 5, 4, 3],
    [3, 4, 3, 3],
    [5, 5, 4, 5],
    [2, 3, 2, 1],
    [4, 3, 5, 4],
    [1, 2, 2, 2],
    [3, 3, 4, 3],
    [5, 4, 5, 4],
]


def test_alpha_and_feldt_interval_against_direct_computation() -> None:
    result = cronbach_alpha([*SURVEY, [5, None, 4, 4], [float("nan"), 1, 1, 1]])
    expected = _alpha_by_hand(SURVEY)
    assert result.alpha == pytest.approx(expected, rel=1e-12)
    assert (result.k_items, result.n) == (4, 8)
    df1, df2 = 8 - 1, (8 - 1) * (4 - 1)
    assert result.ci_low == pytest.approx(1 - (1 - expected) * sps.f.ppf(0.975, df1, df2))
    assert result.ci_high == pytest.approx(1 - (1 - expected) * sps.f.ppf(0.025, df1, df2))
    assert result.ci_low < result.alpha < result.ci_high
    assert "listwise deletion: 2 incomplete dropped" in result.method
    assert "Feldt (1965) 95% interval" in result.method

    ninety = cronbach_alpha(SURVEY, 0.9)
    assert ninety.ci_low == pytest.approx(1 - (1 - expected) * sps.f.ppf(0.95, df1, df2))
    assert result.ci_low < ninety.ci_low < ninety.ci_high < result.ci_high


def test_alpha_is_undefined_without_enough_data() -> None:
    assert cronbach_alpha([[1, 2]]) == Alpha(
        2, 1, None, None, None, cronbach_alpha([[1, 2]]).method
    )
    assert cronbach_alpha([[1, None], [2, 3]]).alpha is None
    assert cronbach_alpha([[3, 3], [3, 3], [3, 3]]).alpha is None
    assert cronbach_alpha([]).alpha is None
    with pytest.raises(ValueError):
        cronbach_alpha([[1], [2]])
    with pytest.raises(ValueError):
        cronbach_alpha([[1, 2], [1, 2, 3]])


# pingouin's test suite (pingouin/tests/test_reliability.py, "compare results with the R package
# psych"): its data set cronbach_alpha.csv, 15 respondents x 10 items, gives alpha 0.592 with the
# 95% interval 0.195 to 0.840 (Feldt's F interval, as here).
PINGOUIN = [
    [3, 2, 4, 1, 4, 5, 1, 4, 3, 2],
    [5, 4, 6, 3, 5, 1, 2, 5, 5, 5],
    [7, 3, 5, 5, 6, 4, 3, 3, 6, 5],
    [2, 4, 3, 3, 2, 2, 2, 6, 6, 3],
    [6, 5, 6, 5, 4, 4, 4, 6, 7, 5],
    [1, 2, 3, 4, 2, 5, 2, 3, 5, 2],
    [4, 3, 5, 3, 5, 2, 1, 2, 4, 3],
    [2, 4, 4, 3, 7, 2, 2, 4, 6, 5],
    [6, 5, 5, 5, 1, 6, 5, 2, 3, 2],
    [5, 4, 6, 4, 3, 5, 3, 1, 7, 2],
    [4, 3, 5, 2, 5, 3, 2, 3, 4, 1],
    [4, 2, 3, 2, 5, 3, 4, 2, 3, 4],
    [5, 5, 6, 2, 3, 3, 2, 4, 4, 5],
    [6, 5, 5, 4, 2, 2, 1, 4, 6, 5],
    [4, 3, 5, 5, 3, 1, 3, 2, 3, 4],
]


def test_alpha_matches_pingouin_and_psych() -> None:
    result = cronbach_alpha(PINGOUIN)
    assert (result.k_items, result.n) == (10, 15)
    assert round(result.alpha, 3) == 0.592
    assert round(result.ci_low, 3) == 0.195
    assert round(result.ci_high, 3) == 0.840


# -- NPS and distributions ---------------------------------------------------------------------


def test_net_promoter_score() -> None:
    result = nps([10, 10, 9, 8, 2])
    assert result == NetPromoter(5, 3, 1, 1, 40, result.ci_low, result.ci_high, result.method)
    assert isinstance(result.score, Fraction)
    assert "% promoters (9–10) minus % detractors (0–6)" in result.method
    balanced = nps([10, 9, 9, 8, 7, 6, 0, 10, 5, 3, None])
    assert (balanced.n, balanced.promoters, balanced.passives, balanced.detractors) == (10, 4, 2, 4)
    assert balanced.score == 0
    assert nps([0, 6]).score == -100
    # 1 promoter in 8 answers is exactly 12.5 points, not a float near it.
    assert nps([9, 7, 7, 7, 8, 8, 8, 7]).score == Fraction(25, 2)
    empty = nps([])
    assert (empty.score, empty.ci_low, empty.ci_high) == (None, None, None)
    assert "no answers" in empty.method
    for bad in ([11], [-1], [7.5]):
        with pytest.raises(ValueError):
            nps(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        nps([9], confidence=1)


def test_plain_wald_variance_matches_a_published_example() -> None:
    # whuber's answer to "How can I calculate margin of error in a NPS (Net Promoter Score)
    # result?" (stats.stackexchange.com, question 18603): 1/2 promoters, 1/3 passives, 1/6
    # detractors give NPS 1/3 with variance 5/9 (standard deviation about 0.75), so in a sample
    # of 324 "you can expect NPS about 33% with a standard error about 4.1%".
    z = float(sps.norm.ppf(0.975))
    low, high = stats._wald_bounds(Fraction(162), Fraction(54), Fraction(324), z)
    centre, se = (low + high) / 2, (high - low) / (2 * z)
    assert centre == pytest.approx(100 / 3)
    assert se == pytest.approx(100 * (5 / 9 / 324) ** 0.5)
    assert round(se, 1) == 4.1
    assert round((5 / 9) ** 0.5, 2) == 0.75


def test_nps_interval_is_the_adjusted_wald_interval_of_rocks_2016() -> None:
    # Rocks (2016), The American Statistician, and MeasuringU: add 3/4 detractor, 3/2
    # passive and 3/4 promoter, then the Wald interval. By hand for 3 promoters, 1 passive,
    # 1 detractor: n = 8, p = 15/32, d = 7/32, p - d = 1/4,
    # variance (p + d - (p - d)^2)/n = (22/32 - 1/16)/8 = 5/64, so 1/4 ± z·sqrt(5)/8.
    result = nps([10, 10, 9, 8, 2])
    z = float(sps.norm.ppf(0.975))
    assert result.ci_low == pytest.approx(100 * (1 / 4 - z * 5**0.5 / 8))
    assert result.ci_high == pytest.approx(100 * (1 / 4 + z * 5**0.5 / 8))
    assert round(result.ci_low, 1) == -29.8 and round(result.ci_high, 1) == 79.8
    assert "adjusted-Wald 95% interval (Rocks 2016" in result.method

    ninety = nps([10, 10, 9, 8, 2], confidence=0.9)
    z90 = float(sps.norm.ppf(0.95))
    assert ninety.ci_high == pytest.approx(100 * (1 / 4 + z90 * 5**0.5 / 8))
    assert result.ci_low < ninety.ci_low < ninety.ci_high < result.ci_high
    assert "adjusted-Wald 90% interval" in ninety.method


def test_nps_interval_never_collapses_and_stays_within_100_points() -> None:
    # ten promoters: the plain Wald interval would be the single point +100.
    everyone = nps([10] * 10)
    assert everyone.score == 100
    assert everyone.ci_high == 100 and everyone.ci_low < 70
    nobody = nps([0] * 10)
    assert nobody.ci_low == -100 and nobody.ci_high > -70
    one = nps([7])
    assert -100 <= one.ci_low < 0 < one.ci_high <= 100


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=60))
def test_nps_interval_is_ordered_and_bounded(scores: list[int]) -> None:
    result = nps(scores)
    assert -100 <= result.ci_low < result.ci_high <= 100
    assert result.promoters + result.passives + result.detractors == result.n == len(scores)
    assert result.score == Fraction(100 * (result.promoters - result.detractors), result.n)


def test_median_and_distribution_show_the_whole_scale() -> None:
    result = median_and_distribution([4, 5, 4, None, 2, 5, 5], [1, 2, 3, 4, 5])
    assert result == Distribution(6, 4.5, {1: 0, 2: 1, 3: 0, 4: 2, 5: 3}, result.method)
    assert list(result.counts) == [1, 2, 3, 4, 5]
    assert median_and_distribution([3, 1, 2], [1, 2, 3]).median == 2
    empty = median_and_distribution([], [1, 2, 3])
    assert empty.n == 0 and empty.median is None and empty.counts == {1: 0, 2: 0, 3: 0}
    with pytest.raises(ValueError):
        median_and_distribution([6], [1, 2, 3, 4, 5])


def test_the_wilson_interval_is_scipys() -> None:
    """`proportion` writes Wilson's interval out with scipy.special's normal quantile (importing
    scipy.stats costs half a second per command); it must equal scipy.stats.binomtest's."""
    from scipy import stats as sps

    for n in range(1, 61):
        for k in range(n + 1):
            for confidence in (0.9, 0.95, 0.99):
                ours = proportion(k, n, confidence)
                ci = sps.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
                assert (ours.ci_low, ours.ci_high) == pytest.approx((ci.low, ci.high), abs=1e-12)
