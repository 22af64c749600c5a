"""Every figure a user sees, written by one set of functions from one rounding rule.

The rule: a figure is rounded **half-up on its exact value** (`round_half_up`). Counts are exact
already; a share ``k/n`` is the exact `~fractions.Fraction`; a float (an interval bound, a p-value)
is converted to the exact binary fraction it holds, never through its decimal ``repr``. So 5 of 8 is
63%, 1 of 16 is 6%, 1 of 8 at one decimal is 12.5%, and an NPS of exactly 12.5 is +13, whatever
the floating-point rounding of the division would have been. Ties round away from zero (-12.5 is
-13), as `decimal.ROUND_HALF_UP` does.

Two rules keep a rounded figure from saying more than the data:

* a share that is neither 0 nor 1 is never written 0% or 100%: 99,999 of 100,000 is ">99%" and
  1 of 1,000 is "<1%" (`percent`);
* a p-value is never rounded across 0.05, 0.01 or 0.001: 0.0499 is "p = 0.0499", not "p = 0.05";
  below 0.001 it is "p < 0.001" (`p_value`).

Scorers, report formats, charts, CSV and JSON display fields all format through this module; the
plain numbers beside them (``estimate``, ``ci_low`` ...) stay unrounded for other tools.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from numbers import Rational

__all__ = [
    "DASH",
    "THRESHOLDS",
    "achievement",
    "decimal",
    "exact",
    "interval",
    "median",
    "p_value",
    "percent",
    "round_half_up",
    "share",
    "signed",
    "span",
]

DASH = "–"
"""What a figure that does not exist (no answers, not computed) is written as."""

THRESHOLDS = (Fraction(5, 100), Fraction(1, 100), Fraction(1, 1000))
"""The significance levels a written p-value must stay on the right side of."""

Exact = Fraction | Decimal | int | float


def exact(value: Exact) -> Fraction:
    """``value`` as an exact fraction: a float is the binary fraction it holds, not its repr."""
    if isinstance(value, bool):
        raise TypeError("a figure cannot be true or false")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Rational):
        return Fraction(value.numerator, value.denominator)
    if isinstance(value, float | Decimal):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        return Fraction(value)
    raise TypeError(f"{value!r} is not a number")


def round_half_up(value: Exact, places: int = 0) -> Decimal:
    """``value`` rounded half-up (ties away from zero) to ``places`` decimals, exactly.

    ``round_half_up(Fraction(5, 8) * 100) == Decimal("63")``, ``round_half_up(0.125, 2)`` is
    ``Decimal("0.13")`` (0.125 is exact in binary), ``round_half_up(2.675, 2)`` is ``Decimal("2.67")``
    (the float 2.675 is a little below 2.675). This is the only rounding of a shown figure.
    """
    if places < 0:
        raise ValueError(f"places must be at least 0, not {places}")
    scaled = exact(value) * 10**places
    sign = -1 if scaled < 0 else 1
    magnitude = abs(scaled)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    if 2 * rest >= magnitude.denominator:
        whole += 1
    return Decimal(sign * whole).scaleb(-places) if whole else Decimal(0).scaleb(-places)


def _plain(number: Decimal, places: int) -> str:
    return f"{number:.{places}f}"


def percent(value: Exact | None, places: int = 0) -> str:
    """A share (0 to 1) as a percentage: ``percent(Fraction(5, 8)) == "63%"``.

    A share that is not exactly 0 or 1 is never written as 0% or 100%: it becomes "<1%" or ">99%"
    (with ``places`` decimals: "<0.1%", ">99.9%"). ``None`` is `DASH`.
    """
    if value is None:
        return DASH
    fraction = exact(value)
    rounded = round_half_up(fraction * 100, places)
    step = Decimal(1).scaleb(-places)
    if fraction != 0 and rounded == 0 and fraction > 0:
        return f"<{_plain(step, places)}%"
    if fraction != 1 and rounded == 100 and fraction < 1:
        return f">{_plain(100 - step, places)}%"
    return f"{_plain(rounded, places)}%"


def share(k: int, n: int, places: int = 0) -> str:
    """``k`` of ``n`` as a percentage (`percent` of the exact ``k/n``); ``n`` of 0 is `DASH`."""
    if n == 0:
        return DASH
    return percent(Fraction(k, n), places)


def achievement(k: int, target: int) -> str:
    """How much of a target was reached: whole percent when it is whole, else one decimal.

    ``achievement(11, 100) == "11%"``, ``achievement(7, 15) == "46.7%"`` (may exceed 100%).
    """
    if target <= 0:
        raise ValueError(f"a target must be at least 1, not {target}")
    text = percent(Fraction(k, target), 1)
    return text.replace(".0%", "%") if text.endswith(".0%") and text[0].isdigit() else text


def span(low: Exact | None, high: Exact | None, places: int = 0) -> str:
    """The bounds of a share's interval, as a table cell writes them: ``"72–96%"``; empty when
    there is none."""
    if low is None or high is None:
        return ""
    return f"{percent(low, places).rstrip('%')}–{percent(high, places)}"


def interval(low: Exact | None, high: Exact | None, places: int = 0) -> str:
    """A confidence interval of a share, as a sentence writes it: ``"95% CI 72–96%"``; empty
    when there is none."""
    bounds = span(low, high, places)
    return f"95% CI {bounds}" if bounds else ""


def p_value(p: Exact | None) -> str:
    """A p-value as a report writes it: ``"p = 0.03"``, ``"p = 0.0499"``, ``"p < 0.001"``.

    Two decimals from 0.01 up, three below; more where rounding would carry the value across
    0.05, 0.01 or 0.001 (to either side), so a written p-value is significant at a level exactly
    when the p-value is. Below 0.001 it is "p < 0.001".
    """
    if p is None:
        return DASH
    value = exact(p)
    if value < 0 or value > 1:
        raise ValueError(f"a p-value lies between 0 and 1, not {p!r}")
    if value < THRESHOLDS[-1]:
        return "p < 0.001"
    places = 2 if value >= Fraction(1, 100) else 3
    while True:
        rounded = exact(round_half_up(value, places))
        if all((value < t) == (rounded < t) for t in THRESHOLDS):
            return f"p = {_plain(round_half_up(value, places), places)}"
        places += 1


def decimal(value: Exact | None, places: int = 2) -> str:
    """A coefficient (alpha, an effect size) with ``places`` decimals: ``"0.64"``, ``"-0.12"``."""
    if value is None:
        return DASH
    text = _plain(round_half_up(value, places), places)
    return "0." + "0" * places if text == "-0." + "0" * places else text


def signed(value: Exact | None, places: int = 0) -> str:
    """A score that can be negative, with its sign: an NPS of 12.5 is ``"+13"``, of 0 ``"0"``."""
    if value is None:
        return DASH
    rounded = round_half_up(value, places)
    text = _plain(abs(rounded), places)
    if rounded > 0:
        return f"+{text}"
    if rounded < 0:
        return f"-{text}"
    return text


def median(value: Exact | None) -> str:
    """A median (or any mean of two points): ``"4"``, ``"3.5"``, at most two decimals."""
    if value is None:
        return DASH
    rounded = round_half_up(value, 2)
    text = _plain(rounded, 2).rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
