"""The kinds of a result (`feedback.scoring`): typed figures, their words, their sentence."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from feedback.scoring import (
    DEFAULT_SENTENCES,
    KINDS,
    CountsAgainstTargets,
    Distribution,
    PairedChange,
    Score,
    ScoreResult,
    Share,
    TargetCount,
    Wording,
    headline,
    sentence_fields,
)


def result(**values: object) -> ScoreResult:
    return ScoreResult.model_validate({"scorer": "x", "construct": "x", "label": "X", **values})


def test_the_kinds_are_the_five_of_the_issue() -> None:
    assert KINDS == ("share", "paired_change", "counts_against_targets", "distribution", "score")
    assert set(DEFAULT_SENTENCES) == set(KINDS)


def test_a_result_takes_its_kind_from_its_figure_and_its_plain_fields_too() -> None:
    share = result(n=8, figure=Share(k=5, n=8, ci_low=0.3, ci_high=0.9))
    assert share.kind == "share"
    assert (share.k, share.estimate, share.ci_low, share.ci_high) == (5, 5 / 8, 0.3, 0.9)
    assert share.display == {"share": "63%", "ci": "95% CI 30–90%"}  # 5 of 8: 62.5 -> 63
    assert headline(share) == "63%"
    # a field the scorer gives is kept, even None (a response rate that cannot be given)
    kept = result(n=8, estimate=None, figure=Share(k=9, n=8))
    assert kept.estimate is None and kept.k == 9


def test_a_kind_that_contradicts_the_figure_or_a_hidden_figure_is_refused() -> None:
    with pytest.raises(ValidationError, match="kind 'score' but a 'share' figure"):
        result(n=1, kind="score", figure=Share(k=1, n=1))
    with pytest.raises(ValidationError, match="a hidden result carries no figure"):
        result(n=None, suppressed=True, figure=Share(k=1, n=1))
    with pytest.raises(ValidationError, match="rose \\+ same \\+ fell must be n"):
        PairedChange(n=5, rose=1, same=1, fell=1)
    with pytest.raises(ValidationError, match="add up to 3, not n = 4"):
        Distribution(n=4, points={"a": 1, "b": 2})
    with pytest.raises(ValidationError):
        result(n=1, kind="pie")
    hidden = result(n=None, suppressed=True, kind="share")
    assert hidden.kind == "share" and hidden.figure is None and hidden.display == {}


def test_the_sentence_is_made_from_the_kind_when_the_scorer_writes_none() -> None:
    share = result(
        n=20,
        figure=Share(k=13, n=20, ci_low=0.43, ci_high=0.83),
        wording={"en": Wording(labels={"hit": "agree"})},
    )
    assert share.summary == "X: 13 of 20 agree (65%, 95% CI 43–83%)."
    no_interval = result(n=3, figure=Share(k=1, n=3))
    assert no_interval.summary == "X: 1 of 3 (33%)."
    change = result(n=4, figure=PairedChange(n=4, rose=2, same=1, fell=1))
    assert change.summary == "X: 2 of 4 rose, 1 the same, 1 lower."
    counts = result(
        n=37,
        figure=CountsAgainstTargets(
            total=37,
            counts=[
                TargetCount(id="mps", label="MPs", value=11, target=100),
                TargetCount(id="countries", label="Countries", noun="countries", value=7),
            ],
        ),
    )
    assert counts.summary == "X: 11 MPs of a target of 100 (11%); 7 countries."
    dist = result(n=3, figure=Distribution(n=3, points={"1": 1, "2": 2}, median=2))
    assert dist.summary == "X: median 2 (3 answered)."
    score = result(
        n=30,
        figure=Score(value=12.5, ci_low=-3, ci_high=27, n=30, places=0, signed=True),
        wording={"en": Wording(labels={"name": "NPS"})},
    )
    assert score.summary == "X: NPS +13, 95% CI -3 to +27 (n = 30)."
    own = result(
        n=4,
        figure=PairedChange(n=4, rose=2, same=1, fell=1, p_value=0.0499),
        wording={"fr": Wording(sentence="?"), "en": Wording(sentence="{label}: {share}, {p}")},
    )
    assert own.summary == "X: 50%, p = 0.0499"
    assert own.words("fr").sentence == "?" and own.words("de").sentence == own.words().sentence
    written = result(n=1, summary="Said by the scorer.", figure=Share(k=1, n=1))
    assert written.summary == "Said by the scorer."


def test_sentence_fields_hold_the_figures_as_written() -> None:
    share = result(n=8, figure=Share(k=5, n=8, ci_low=0.3, ci_high=0.9))
    fields = sentence_fields(share)
    assert fields["share"] == "63%" and fields["ci_part"] == ", 95% CI 30–90%"
    assert fields["k"] == 5 and fields["label"] == "X"


def test_a_result_with_its_kind_round_trips_through_json() -> None:
    original = result(
        n=37,
        figure=CountsAgainstTargets(
            scope="programme",
            total=37,
            counts=[TargetCount(id="mps", label="MPs", value=11, target=100)],
            by_group={"MPs": 11},
        ),
        wording={"en": Wording(basis=("Reach", "is counted from the roster."))},
        source="roster",
    )
    data = json.loads(original.model_dump_json())
    assert data["kind"] == "counts_against_targets"
    assert data["figure"]["counts"][0]["target"] == 100
    again = ScoreResult.model_validate(data)
    assert again == original
    assert isinstance(again.figure, CountsAgainstTargets)
    assert again.figure.counts[0].column("of_target") == "MPs: of the target"


def test_a_result_without_a_kind_is_as_before() -> None:
    plain = result(n=10, k=4, estimate=0.4)
    assert plain.kind is None and plain.figure is None and plain.wording == {}
    assert plain.outcome and plain.source == "answers"
    assert plain.display["share"] == "40%"
