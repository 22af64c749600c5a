"""Intentions against actions: pairs matched by keyed link only, k of n with Wilson intervals
(issue 15). The figures are Newcombe's: "Two-sided confidence intervals for the single
proportion", Statistics in Medicine 17:857-872 (1998), Table I, method 3 (Wilson score):
81/263 -> 0.2553 to 0.3662 and 1/29 -> 0.0061 to 0.1718."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import EVENT, make_response

import feedback_scoring
from feedback.engine import Engine
from feedback.linking import new_key_file
from feedback.scoring import ScoreResult, build_context, score

FIRST = """\
id: first
title: On the day
languages: [en]
self_code: [parent, month]
questions:
  - {id: will_contact, type: yes_no, label: "Will you contact an NGO?",
     measures: ngo_cooperation, stage: intention}
  - {id: parent, type: text, label: "The first letter of your mother's first name"}
  - {id: month, type: text, label: "The month you were born"}
"""

LATER = """\
id: later
title: Ninety days on
languages: [en]
follows: {survey: first, wave: day_90, due_days: 90}
self_code: [parent, month]
questions:
  - {id: contacted, type: yes_no, label: "Have you contacted an NGO since?",
     measures: ngo_cooperation, stage: action}
  - {id: parent, type: text, label: "The first letter of your mother's first name"}
  - {id: month, type: text, label: "The month you were born"}
"""


@pytest.fixture
def engine(project: Path, tmp_path: Path, make_engine: Callable[..., Engine]) -> Engine:
    key = tmp_path / "keys" / "linking.key"
    key.parent.mkdir()
    new_key_file(key)
    (project / "feedback.toml").write_text(f'linking_key = "{key}"\n', encoding="utf-8")
    (project / "surveys" / "first.yaml").write_text(FIRST, encoding="utf-8")
    (project / "surveys" / "later.yaml").write_text(LATER, encoding="utf-8")
    return make_engine(feedback_scoring)


def person(i: int) -> dict[str, str]:
    return {"parent": f"P{i}", "month": str(i % 12 + 1)}


def wave(engine: Engine, survey: str, answers: list[tuple[int, dict[str, Any]]]) -> None:
    result = engine.submit_many(
        (f"#{i}", make_response(survey, {**person(i), **given})) for i, given in answers
    )
    assert result.ok and result.stored == len(answers), result.rejected


def results(engine: Engine) -> dict[str, ScoreResult]:
    found = score(engine, build_context(engine, EVENT["id"]))
    return {r.label: r for r in found if r.scorer == "intentions"}


def test_of_those_who_intended_how_many_acted(engine: Engine) -> None:
    # 263 intended (81 acted), 29 did not (1 acted anyway), 8 never answered the follow-up
    first = [(i, {"will_contact": i < 263}) for i in range(300)]
    later = [(i, {"contacted": i < 81 or i == 263}) for i in range(292)]
    later.append((999, {"contacted": True}))  # a follow-up with no first answers: not matched
    wave(engine, "first", first)
    wave(engine, "later", later)
    found = results(engine)
    intended = found["Acted, of those who intended (ngo_cooperation)"]
    assert (intended.k, intended.n) == (81, 263)
    assert intended.ci_low == pytest.approx(0.2553, abs=5e-5)
    assert intended.ci_high == pytest.approx(0.3662, abs=5e-5)
    anyway = found["Acted anyway, of those who did not intend (ngo_cooperation)"]
    assert (anyway.k, anyway.n) == (1, 29)
    assert anyway.ci_low == pytest.approx(0.0061, abs=5e-5)
    assert anyway.ci_high == pytest.approx(0.1718, abs=5e-5)
    rate = found["Follow-up response rate (ngo_cooperation)"]
    assert (rate.k, rate.n) == (292, 300)
    assert rate.details["matched_by"] == {"self_code": 292}
    assert rate.details["follow_ups_not_matched"] == 1  # the follow-up with no first answers
    assert intended.kind == "share" and intended.figure is not None
    assert intended.summary == (
        "Of the 263 people who said they would (will_contact), 81 had acted by the follow-up (31%)."
    )


def test_small_groups_are_hidden(engine: Engine) -> None:
    wave(engine, "first", [(i, {"will_contact": i < 6}) for i in range(9)])
    wave(engine, "later", [(i, {"contacted": i < 3}) for i in range(9)])
    found = results(engine)
    intended = found["Acted, of those who intended (ngo_cooperation)"]
    assert (intended.k, intended.n) == (3, 6)
    anyway = found["Acted anyway, of those who did not intend (ngo_cooperation)"]
    assert anyway.suppressed and anyway.k is None  # 0 of 3: too few, and all alike


def test_without_links_nothing_is_paired(engine: Engine) -> None:
    """Answers without a code are not guessed together by their order or their event."""
    first = [(i, {"will_contact": True}) for i in range(20)]
    engine.submit_many((f"#{i}", make_response("first", given)) for i, given in first)
    engine.submit_many((f"#{i}", make_response("later", {"contacted": True})) for i in range(20))
    found = results(engine)
    assert found["Acted, of those who intended (ngo_cooperation)"].suppressed
    assert found["Follow-up response rate (ngo_cooperation)"].suppressed


def test_attrition_compares_those_followed_up_with_those_not(engine: Engine) -> None:
    # 40 answered on the day; the 20 who answered the follow-up had mostly intended (16 of 20),
    # the 20 who did not mostly had not (6 of 20): the follow-up speaks for the keen
    first = [(i, {"will_contact": (i < 16) or (20 <= i < 26)}) for i in range(40)]
    wave(engine, "first", first)
    wave(engine, "later", [(i, {"contacted": i < 10}) for i in range(20)])
    rate = results(engine)["Follow-up response rate (ngo_cooperation)"]
    assert (rate.k, rate.n) == (20, 40)
    assert rate.details["attrition"] == {
        "followed_up": {"intended": 16, "answered": 20},
        "not_followed_up": {"intended": 6, "answered": 20},
    }
    assert rate.notes[0] == (
        "Matched 20 by self-generated code; 0 follow-up answers matched no first answers."
    )
    assert rate.notes[1] == (
        "On the day, 80% of those followed up (16 of 20) said they would act (will_contact), "
        "against 30% of those not followed up (6 of 20)."
    )
    assert rate.notes[2].startswith("Warning: the two differ")


def test_alike_groups_raise_no_warning(engine: Engine) -> None:
    first = [(i, {"will_contact": i % 2 == 0}) for i in range(40)]
    wave(engine, "first", first)
    wave(engine, "later", [(i, {"contacted": i < 5}) for i in range(20)])
    rate = results(engine)["Follow-up response rate (ngo_cooperation)"]
    assert len(rate.notes) == 2 and "50% of those followed up" in rate.notes[1]
