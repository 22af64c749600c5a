"""The statistics of the scorers against published values, hand calculations and direct scipy calls."""

from __future__ import annotations

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
    achievement,
    cronbach_alpha,
    median_and_distribution,
    nps,
    paired_change,
    percent,
    proportion,
    suppress,
)

# -- proportion --------------------------------------------------------------------------------

# Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of
# seven methods", Statistics in Medicine 17:857-872, table II, method 3 (Wilson score, no
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
    assert percent(9, 11) == "81.8%"


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


# -- percent -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "places", "text"),
    [
        (7, 15, 1, "46.7%"),
        (11, 100, 0, "11%"),
        (1, 8, 1, "12.5%"),
        (1, 200, 1, "0.5%"),
        (1, 8, 2, "12.50%"),
        (5, 16, 1, "31.3%"),  # 31.25 rounds half-up, not to even
        (1, 8, 0, "13%"),  # 12.5 rounds half-up
        (1, 40, 1, "2.5%"),
        (1, 400, 1, "0.3%"),  # 0.25 rounds half-up
        (3, 8, 1, "37.5%"),
        (7, 8, 0, "88%"),  # 87.5
        (2, 3, 1, "66.7%"),
        (1, 3, 2, "33.33%"),
        (0, 5, 1, "0.0%"),
        (5, 5, 0, "100%"),
        (1, 1000, 1, "0.1%"),
        (1, 2000, 1, "0.1%"),  # 0.05 rounds up
        (1, 2001, 1, "0.0%"),  # 0.049975...: just below the half
        (1, 6, 1, "16.7%"),
    ],
)
def test_percent_rounds_half_up_on_the_exact_fraction(
    k: int, n: int, places: int, text: str
) -> None:
    assert percent(k, n, places) == text


@given(
    k=st.integers(min_value=0, max_value=10**6),
    n=st.integers(min_value=1, max_value=10**6),
    places=st.integers(min_value=0, max_value=4),
)
def test_percent_agrees_with_integer_half_up(k: int, n: int, places: int) -> None:
    # floor(x + 1/2) on the exact fraction, in whole units of the last place.
    units = (2 * 100 * k * 10**places + n) // (2 * n)
    whole, part = divmod(units, 10**places)
    expected = f"{whole}.{part:0{places}d}%" if places else f"{whole}%"
    assert percent(k, n, places) == expected


def test_achievement_may_exceed_the_target() -> None:
    assert achievement(45, 60) == "75.0%"
    assert achievement(13, 12) == "108.3%"
    assert achievement(1, 8, 0) == "13%"
    with pytest.raises(ValueError):
        achievement(3, 0)


def test_percent_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        percent(0, 0)


# -- paired change -----------------------------------------------------------------------------

# The scipy documentation's example for wilcoxon: Fisher's (The Design of Experiments) differences in
# height between cross- and self-fertilised plants of Darwin's. Exact two-sided p-value 0.041259765625
# (= 169/4096), statistic 24.
DARWIN = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]


def test_wilcoxon_matches_the_published_example() -> None:
    then = [100.0] * len(DARWIN)
    now = [100.0 + d for d in DARWIN]
    change = paired_change(then, now)
    direct = sps.wilcoxon(DARWIN, method="exact")
    assert change.p_value == pytest.approx(0.041259765625, rel=1e-12)
    assert change.p_value == pytest.approx(float(direct.pvalue), rel=1e-12)
    assert change.statistic == 24 == float(direct.statistic)
    assert (change.n_pairs, change.rose, change.same, change.fell) == (15, 13, 0, 2)
    # negative ranks: |-48| is the 10th, |-67| the 14th smallest -> 24 of 120.
    assert change.effect_size == pytest.approx((96 - 24) / 120)
    assert change.median_then == 100 and change.median_now == 124
    assert change.method.startswith(stats.SELF_REPORTED)
    assert "exact null distribution" in change.method


def test_rank_biserial_and_tied_permutation_test_by_hand() -> None:
    # differences 2, 1, -1, 0: the 0 is dropped; |1|, |1| share rank 1.5, |2| has rank 3.
    then = [1, 2, 3, 2]
    now = [3, 3, 2, 2]
    change = paired_change(then, now)
    assert (change.n_pairs, change.rose, change.same, change.fell) == (4, 2, 1, 1)
    assert change.effect_size == pytest.approx((4.5 - 1.5) / 6)
    assert change.statistic == 1.5
    # all 8 sign assignments of ranks (3, 1.5, 1.5) give R+ in {0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6};
    # observed R+ = 4.5: P(R+ >= 4.5) = 3/8, two-sided p = 2 * 3/8.
    assert change.p_value == pytest.approx(0.75)
    direct = sps.wilcoxon([2.0, 1.0, -1.0], method=sps.PermutationMethod(n_resamples=9999, rng=0))
    assert change.p_value == pytest.approx(float(direct.pvalue))
    assert "1 unchanged pairs dropped" in change.method
    assert "all 8 sign assignments" in change.method
    assert "self-reported change (retrospective pre/post)" in change.method
    assert change.median_then == 2 and change.median_now == 2.5


def test_many_changes_use_a_reproducible_random_permutation_test() -> None:
    rng = np.random.default_rng(7)
    then = rng.integers(1, 6, size=80).tolist()
    now = [min(5, t + int(r)) for t, r in zip(then, rng.integers(-1, 3, size=80), strict=True)]
    change = paired_change(then, now)
    again = paired_change(then, now)
    assert change == again
    d = np.array(now, dtype=float) - np.array(then, dtype=float)
    d = d[d != 0]
    direct = sps.wilcoxon(
        d,
        method=sps.PermutationMethod(n_resamples=stats.N_RESAMPLES, rng=stats.PERMUTATION_SEED),
    )
    assert change.p_value == pytest.approx(float(direct.pvalue))
    assert change.statistic == pytest.approx(float(direct.statistic))
    assert f"{stats.N_RESAMPLES} random sign assignments" in change.method
    assert "p cannot fall below 0.0002" in change.method


def test_more_than_fifty_untied_changes_are_permuted() -> None:
    then = [0.0] * 60
    now = [float(i if i % 3 else -i) for i in range(1, 61)]
    change = paired_change(then, now)
    assert "more than 50 changed pairs" in change.method
    assert change.p_value is not None and 0 < change.p_value <= 1


def test_fallback_without_permutations_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats, "_wilcoxon_takes_permutations", lambda: False)
    change = paired_change([1, 2, 3, 2, 1, 1], [3, 3, 2, 2, 2, 2])
    direct = sps.wilcoxon([2.0, 1.0, -1.0, 1.0, 1.0], method="asymptotic", correction=True)
    assert change.p_value == pytest.approx(float(direct.pvalue))
    assert "normal approximation with continuity correction" in change.method


def test_missing_sides_are_dropped_and_too_few_changes_give_no_test() -> None:
    change = paired_change([1, None, 3, float("nan")], [2, 4, 3, 5])
    assert (change.n_pairs, change.rose, change.same, change.fell) == (2, 1, 1, 0)
    assert change.p_value is None and change.statistic is None
    assert change.effect_size == 1
    assert "only one pair changed" in change.method

    none = paired_change([], [])
    assert none.n_pairs == 0 and none.median_then is None and none.effect_size is None
    assert "no pair changed" in none.method

    with pytest.raises(ValueError):
        paired_change([1, 2], [1])


@settings(deadline=None, max_examples=40)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), max_size=12))
def test_change_counts_add_up(pairs: list[tuple[int, int]]) -> None:
    change = paired_change([t for t, _ in pairs], [n for _, n in pairs])
    assert change.rose + change.same + change.fell == change.n_pairs == len(pairs)
    if change.effect_size is not None:
        assert -1 <= change.effect_size <= 1
    if change.p_value is not None:
        assert 0 < change.p_value <= 1


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


# -- NPS and distributions ---------------------------------------------------------------------


def test_net_promoter_score() -> None:
    result = nps([10, 10, 9, 8, 2])
    assert result == NetPromoter(5, 3, 1, 1, 40.0, result.method)
    assert "% promoters (9–10) minus % detractors (0–6)" in result.method
    balanced = nps([10, 9, 9, 8, 7, 6, 0, 10, 5, 3, None])
    assert (balanced.n, balanced.promoters, balanced.passives, balanced.detractors) == (10, 4, 2, 4)
    assert balanced.score == 0
    assert nps([0, 6]).score == -100
    assert nps([]).score is None
    for bad in ([11], [-1], [7.5]):
        with pytest.raises(ValueError):
            nps(bad)  # type: ignore[arg-type]


def test_median_and_distribution_show_the_whole_scale() -> None:
    result = median_and_distribution([4, 5, 4, None, 2, 5, 5], [1, 2, 3, 4, 5])
    assert result == Distribution(6, 4.5, {1: 0, 2: 1, 3: 0, 4: 2, 5: 3}, result.method)
    assert list(result.counts) == [1, 2, 3, 4, 5]
    assert median_and_distribution([3, 1, 2], [1, 2, 3]).median == 2
    empty = median_and_distribution([], [1, 2, 3])
    assert empty.n == 0 and empty.median is None and empty.counts == {1: 0, 2: 0, 3: 0}
    with pytest.raises(ValueError):
        median_and_distribution([6], [1, 2, 3, 4, 5])


# -- suppression -------------------------------------------------------------------------------


def test_small_groups_are_hidden_with_a_complement() -> None:
    assert suppress({"mp": 12, "ngo": 8, "rapporteur": 3}, 5) == {"rapporteur", "ngo"}
    assert suppress({"mp": 12, "ngo": 2, "rapporteur": 3}, 5) == {"rapporteur", "ngo"}
    assert suppress({"mp": 12, "ngo": 8, "other": 0}, 5) == set()
    # an empty group is no complement: "other" would still leave the 3 recoverable.
    assert suppress({"mp": 12, "ngo": 8, "rapporteur": 3, "other": 0}, 5) == {"rapporteur", "ngo"}
    # ties for the complement: the first by name.
    assert suppress({"b": 7, "a": 7, "c": 1}, 5) == {"a", "c"}
    # without a total no complement is needed.
    assert suppress({"mp": 12, "rapporteur": 3}, 5, total_shown=False) == {"rapporteur"}
    # the only non-empty group: no complement exists, the total is below the minimum itself.
    assert suppress({"mp": 3, "ngo": 0}, 5) == {"mp"}
    with pytest.raises(ValueError):
        suppress({"mp": -1}, 5)


cell_maps = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3), st.integers(0, 30), max_size=8
)


@given(cells=cell_maps, minimum=st.integers(0, 12))
def test_no_single_hidden_cell_can_be_recovered_from_the_total(
    cells: dict[str, int], minimum: int
) -> None:
    hidden = suppress(cells, minimum)
    assert hidden <= set(cells)
    # every small group is hidden; no empty group is hidden.
    assert {g for g, n in cells.items() if 0 < n < minimum} <= hidden
    assert all(cells[g] > 0 for g in hidden)
    # total minus the shown cells is the sum of at least two hidden counts, or else the total is
    # itself below the minimum (the caller hides it).
    total = sum(cells.values())
    if len(hidden) == 1:
        assert total < minimum
    # every shown cell is either empty or at least the minimum.
    assert all(n == 0 or n >= minimum for g, n in cells.items() if g not in hidden)
    # complementary suppression hides at most one group that was not small.
    assert len({g for g in hidden if cells[g] >= minimum}) <= 1


@given(cells=cell_maps, minimum=st.integers(0, 12))
def test_without_a_total_only_small_groups_are_hidden(cells: dict[str, int], minimum: int) -> None:
    assert suppress(cells, minimum, total_shown=False) == {
        g for g, n in cells.items() if 0 < n < minimum
    }
