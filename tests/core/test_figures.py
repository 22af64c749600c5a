"""Every shown figure is rounded half-up on its exact value and never says more than the data."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback import figures
from feedback.figures import (
    DASH,
    achievement,
    p_value,
    percent,
    round_half_up,
    share,
    signed,
)

# -- share (moved from the scorers' percent) -----------------------------------------------------


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
        (1, 2001, 1, "<0.1%"),  # 0.049975...: below the half, and not nothing
        (1, 6, 1, "16.7%"),
        (9, 11, 1, "81.8%"),
        (5, 8, 0, "63%"),  # 62.5
        (1, 16, 0, "6%"),  # 6.25
    ],
)
def test_share_rounds_half_up_on_the_exact_fraction(k: int, n: int, places: int, text: str) -> None:
    assert share(k, n, places) == text


def test_share_defaults_to_whole_percent() -> None:
    assert share(5, 8) == "63%"
    assert share(1, 16) == "6%"
    assert share(7, 15) == "47%"
    assert share(0, 0) == DASH  # no answers: no percentage


@given(
    k=st.integers(min_value=0, max_value=10**6),
    n=st.integers(min_value=1, max_value=10**6),
    places=st.integers(min_value=0, max_value=4),
)
def test_share_agrees_with_integer_half_up(k: int, n: int, places: int) -> None:
    k = min(k, n)
    # floor(x + 1/2) on the exact fraction, in whole units of the last place.
    units = (2 * 100 * k * 10**places + n) // (2 * n)
    step = 100 * 10**places
    whole, part = divmod(units, 10**places)
    expected = f"{whole}.{part:0{places}d}%" if places else f"{whole}%"
    if units == 0 and k > 0:
        expected = "<" + (f"0.{1:0{places}d}%" if places else "1%")
    if units == step and k < n:
        expected = ">" + (f"99.{'9' * places}%" if places else "99%")
    assert share(k, n, places) == expected


def test_achievement_may_exceed_the_target() -> None:
    assert achievement(7, 15) == "46.7%"
    assert achievement(11, 100) == "11%"
    assert achievement(45, 60) == "75%"
    assert achievement(13, 12) == "108.3%"
    assert achievement(1, 8) == "12.5%"
    with pytest.raises(ValueError):
        achievement(3, 0)


# -- the rounding rule ---------------------------------------------------------------------------


def test_round_half_up_is_exact() -> None:
    assert round_half_up(Fraction(5, 8) * 100) == Decimal("63")
    assert round_half_up(0.125, 2) == Decimal("0.13")  # 0.125 is exact in binary
    # the float 2.675 is 2.67499999999999982236431605997495353221893310546875.
    assert round_half_up(2.675, 2) == Decimal("2.67")
    assert round_half_up(-12.5) == Decimal("-13")  # ties away from zero
    assert round_half_up(Fraction(25, 2)) == Decimal("13")


def test_signed_scores_round_ties_away_from_zero() -> None:
    assert signed(Fraction(25, 2)) == "+13"
    assert signed(-12.5) == "-13"
    assert signed(0) == "0"
    assert signed(None) == DASH


# -- a share is never rounded to nothing or to everything ---------------------------------------


def test_shares_between_0_and_1_never_print_as_0_or_100_percent() -> None:
    assert share(99_999, 100_000) == ">99%"
    assert share(1, 1000) == "<1%"
    assert share(0, 1000) == "0%"
    assert share(1000, 1000) == "100%"
    assert percent(0) == "0%" and percent(1) == "100%"
    assert percent(Fraction(0)) == "0%" and percent(1.0) == "100%"
    assert percent(None) == DASH


@given(
    value=st.one_of(
        st.fractions(min_value=0, max_value=1, max_denominator=10**9),
        st.fractions(min_value=0, max_value=Fraction(1, 100), max_denominator=10**9),
        st.fractions(min_value=Fraction(99, 100), max_value=1, max_denominator=10**9),
    ),
    places=st.integers(min_value=0, max_value=3),
)
def test_percent_never_writes_0_or_100_for_a_share_strictly_between(
    value: Fraction, places: int
) -> None:
    text = percent(value, places)
    zero, hundred = f"{Decimal(0):.{places}f}%", f"{Decimal(100):.{places}f}%"
    if 0 < value < 1:
        assert text not in (zero, hundred)
    elif value == 0:
        assert text == zero
    else:
        assert text == hundred


# -- p-values ------------------------------------------------------------------------------------


def test_p_values_are_not_rounded_across_the_thresholds() -> None:
    assert p_value(0.0499) == "p = 0.0499"
    assert p_value(0.03) == "p = 0.03"
    assert p_value(0.05) == "p = 0.05"  # the float 0.05 lies a little above 0.05
    written = p_value(0.00999)
    assert written == "p = 0.00999"
    assert Decimal(written.removeprefix("p = ")) < Decimal("0.01")
    assert p_value(0.0009) == "p < 0.001"
    assert p_value(Fraction(1, 10**6)) == "p < 0.001"
    assert p_value(0) == "p < 0.001"
    assert p_value(1) == "p = 1.00"
    assert p_value(None) == DASH
    with pytest.raises(ValueError):
        p_value(1.5)


near_a_threshold = st.builds(
    lambda t, offset: min(Fraction(1), max(Fraction(0), t + offset)),
    st.sampled_from(figures.THRESHOLDS),
    st.fractions(
        min_value=Fraction(-1, 10**3), max_value=Fraction(1, 10**3), max_denominator=10**9
    ),
)


@given(st.one_of(st.fractions(min_value=0, max_value=1, max_denominator=10**12), near_a_threshold))
def test_a_written_p_value_is_on_the_same_side_of_every_threshold(p: Fraction) -> None:
    text = p_value(p)
    if text == "p < 0.001":
        assert p < Fraction(1, 1000)
        return
    assert text.startswith("p = ")
    written = Fraction(Decimal(text.removeprefix("p = ")))
    for threshold in figures.THRESHOLDS:
        assert (p < threshold) == (written < threshold), (p, text, threshold)


def test_an_interval_is_written_with_the_same_rules_as_a_share() -> None:
    from feedback.figures import interval, span

    assert span(0.72, 0.9634) == "72–96%"
    assert interval(0.72, 0.9634) == "95% CI 72–96%"
    # a bound strictly inside 0–1 is never written as 0% or 100%
    assert span(0.001, 0.9999) == "<1–>99%"
    assert span(0.0, 1.0) == "0–100%"
    assert span(None, 0.5) == interval(None, 0.5) == ""
