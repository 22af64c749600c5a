"""Disclosure control: which groups of a table may be shown without giving away anyone's answers.

A report shows, for an item, the whole count (k of n) and the same count by group (stakeholder group,
country, or event in a programme). Hiding the small groups is not enough, since a hidden group can be
worked out: the total minus the groups shown gives the hidden groups' sum, and a group whose members
all answered alike (0% or 100%) tells each member's answer. `protect` decides what to hide so that
neither can happen:

1. **Primary suppression**: a group with fewer than ``minimum`` answers is hidden (an empty group
   too: a 0 next to "fewer than 5" elsewhere would say who answered "don't know").
2. **Uniform groups**: a group whose answers are all the same (k = 0 or k = n) is shown only when
   it has at least ``uniform_minimum`` answers (default twice ``minimum``).
3. **Complementary suppression**: what the shown figures let anyone work out about the hidden
   groups together (the total minus the shown groups: their summed n and k) must itself pass both
   rules: at least ``minimum`` answers, and not all alike unless at least ``uniform_minimum``. If it
   does not, the smallest shown group (the first in the table's order on a tie) is hidden as well,
   and again, until it does or everything is hidden.

A group nobody in it was asked (``asked == 0``: a question shown only to MPs, a country nobody came
from) has nothing to protect: it is hidden with the rest when small, but it is never what the rules
protect and never hidden to protect another. The groups must partition the total (give a row to
"not stated"), so that the total minus the shown groups is exactly the hidden groups' sum.

Every hidden group is written the same way in every format, whatever rule hid it, so that the
words do not tell a uniform group from a small one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Count", "hidden_result", "protect", "uniform_minimum"]


@dataclass(frozen=True, slots=True)
class Count:
    """One group of a table: ``k`` of ``n`` answers were hits; ``asked`` were shown the question."""

    k: int
    n: int
    asked: int

    def __post_init__(self) -> None:
        if not 0 <= self.k <= self.n <= self.asked:
            raise ValueError(f"a group needs 0 <= k <= n <= asked, got {self}")


def uniform_minimum(minimum: int, setting: int | None = None) -> int:
    """The smallest uniform group shown: the setting, or twice ``minimum`` when it is not set."""
    return 2 * minimum if setting is None else max(setting, minimum)


def _unsafe(k: int, n: int, minimum: int, uniform: int) -> bool:
    """``uniform`` of 0 turns the uniform rule off (a count with no hits to give away)."""
    return n < minimum or (k in (0, n) and n < uniform)


def hidden_result(k: int, n: int, minimum: int, uniform: int) -> bool:
    """Whether a whole result (``k`` of ``n``) must be hidden: the group rules applied to it.

    An item answered by fewer than ``minimum`` people, or answered alike by fewer than ``uniform``,
    would give away each answer (think of a question shown only to the four MPs present).
    """
    return _unsafe(k, n, minimum, uniform)


def protect(
    cells: Mapping[str, Count], minimum: int, uniform: int, already: Iterable[str] = ()
) -> set[str]:
    """The groups of ``cells`` (in the table's order) to hide; see the module's rules.

    :param already: groups hidden for another reason, which the rules must protect all the same.
    """
    if minimum < 1:
        raise ValueError(f"the minimum cell size must be at least 1, not {minimum}")
    order = list(cells)
    hidden = {g for g, c in cells.items() if _unsafe(c.k, c.n, minimum, uniform)}
    hidden.update(already)
    while True:
        if not any(cells[g].asked for g in hidden):
            return hidden  # nothing anyone answered is hidden: nothing to work out
        n = sum(cells[g].n for g in hidden)
        k = sum(cells[g].k for g in hidden)
        if not _unsafe(k, n, minimum, uniform):
            return hidden
        shown = [g for g in order if g not in hidden and cells[g].asked]
        if not shown:
            return set(order)
        hidden.add(min(shown, key=lambda g: (cells[g].n, order.index(g))))
