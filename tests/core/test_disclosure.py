"""Disclosure control (`feedback.disclosure`): which groups a table may show."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback.disclosure import Count, hidden_result, protect, uniform_minimum


def c(k: int, n: int, asked: int | None = None) -> Count:
    return Count(k, n, n if asked is None else asked)


def test_a_small_group_is_hidden_with_the_next_smallest() -> None:
    cells = {"mp": c(9, 12), "ngo": c(5, 8), "rapporteur": c(1, 3)}
    # 3 alone would be the total minus the groups shown: the NGOs (8) are hidden with it
    assert protect(cells, 5, 10) == {"rapporteur", "ngo"}


def test_an_empty_group_is_hidden_and_a_group_nobody_was_asked_protects_nothing() -> None:
    # "other" had one person, who said "don't know": n 0 but asked 1, so it must be protected
    cells = {"mp": c(9, 12), "ngo": c(5, 8), "other": c(0, 0, asked=1)}
    assert protect(cells, 5, 10) == {"other", "ngo"}
    # nobody of "other" was asked (a question shown only to MPs): hidden, but nothing to protect
    cells = {"mp": c(9, 12), "ngo": c(5, 8), "other": c(0, 0, asked=0)}
    assert protect(cells, 5, 10) == {"other"}


def test_a_group_whose_answers_are_all_alike_needs_the_uniform_minimum() -> None:
    cells = {"mp": c(7, 7), "ngo": c(4, 9), "researcher": c(3, 6)}
    hidden = protect(cells, 5, 10)
    assert "mp" in hidden  # 7 of 7: each MP's answer would be known
    # and it is not left alone: the hidden sum must not be all alike either
    assert len(hidden) >= 2
    cells = {"mp": c(10, 10), "ngo": c(4, 9)}
    assert protect(cells, 5, 10) == set()  # 10 alike is allowed at a uniform minimum of 10


def test_ties_for_the_complement_go_to_the_first_in_the_tables_order() -> None:
    cells = {"b": c(3, 7), "a": c(3, 7), "x": c(1, 1)}
    assert protect(cells, 5, 10) == {"x", "b"}


def test_everything_is_hidden_when_nothing_else_protects_a_small_group() -> None:
    assert protect({"mp": c(1, 3), "ngo": c(0, 0, asked=0)}, 5, 10) == {"mp", "ngo"}


def test_groups_hidden_already_are_protected_too() -> None:
    cells = {"a": c(3, 8), "b": c(4, 9), "rest": c(2, 6)}
    assert protect(cells, 5, 10) == set()
    assert protect(cells, 5, 10, already=["rest"]) == {"rest"}
    cells = {"a": c(3, 8), "b": c(4, 9), "rest": c(2, 3)}
    assert protect(cells, 5, 10, already=["rest"]) == {"rest", "a"}


def test_the_uniform_minimum_defaults_to_twice_the_minimum() -> None:
    assert uniform_minimum(5) == 10
    assert uniform_minimum(5, 7) == 7
    assert uniform_minimum(5, 3) == 5  # never below the minimum itself


def test_a_whole_result_follows_the_same_rules() -> None:
    assert hidden_result(3, 4, 5, 10)
    assert hidden_result(8, 8, 5, 10)  # eight of eight agreeing: each answer is known
    assert not hidden_result(7, 8, 5, 10)
    assert not hidden_result(12, 12, 5, 10)


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        Count(3, 2, 2)
    with pytest.raises(ValueError):
        Count(1, 2, 1)
    with pytest.raises(ValueError):
        protect({"a": c(1, 2)}, 0, 0)


counts = st.integers(0, 20).flatmap(
    lambda asked: st.integers(0, asked).flatmap(
        lambda n: st.integers(0, n).map(lambda k: Count(k, n, asked))
    )
)
tables = st.dictionaries(st.text(alphabet="abcdefgh", min_size=1, max_size=3), counts, max_size=8)


@given(cells=tables, minimum=st.integers(1, 8), extra=st.integers(0, 8))
def test_no_hidden_group_can_be_worked_out_from_the_total(
    cells: dict[str, Count], minimum: int, extra: int
) -> None:
    """Whatever the table: every group shown passes the rules, and so does the sum of the hidden
    groups (what the total minus the shown groups gives) whenever any hidden group was asked."""
    uniform = minimum + extra
    hidden = protect(cells, minimum, uniform)
    for group, count in cells.items():
        if group not in hidden:
            assert count.n >= minimum
            assert not (count.k in (0, count.n) and count.n < uniform)
    if any(cells[g].asked for g in hidden) and set(hidden) != set(cells):
        n = sum(cells[g].n for g in hidden)
        k = sum(cells[g].k for g in hidden)
        assert n >= minimum
        assert n >= uniform or 0 < k < n
