"""The built-in scorers state the kind of each result (`feedback.scoring.Kind`) with a figure that
holds the same numbers as the result, and the words a report draws it with."""

from __future__ import annotations

from typing import Any

from test_hague_outcomes import hague, scores  # noqa: F401  (module fixtures, built once here)

from feedback.scoring import (
    CountsAgainstTargets,
    Distribution,
    PairedChange,
    Score,
    ScoreResult,
    Share,
)

KINDS = {
    "reach": "counts_against_targets",
    "response_rate": "share",
    "awareness": "paired_change",
    "rapporteur_support": "share",
    "ngo_cooperation": "share",
    "inform_colleagues": "share",
    "contacts": "share",
    "next_event_support": "share",
    "satisfaction": "distribution",
    "reliability": "score",
}


def test_every_built_in_result_states_its_kind(scores: list[dict[str, Any]]) -> None:  # noqa: F811
    results = [ScoreResult.model_validate(s) for s in scores]
    assert {r.scorer for r in results} <= set(KINDS)
    for r in results:
        assert r.kind == KINDS[r.scorer], r.label
        assert (r.figure is None) == r.suppressed, r.label
        assert r.words().legend, r.label  # what n, k and the estimate are, in its own words
    assert [r.scorer for r in results if not r.outcome] == ["reliability"] * sum(
        1 for r in results if r.scorer == "reliability"
    )
    assert {r.source for r in results if r.scorer in ("reach", "response_rate")} == {"roster"}


def test_each_figure_holds_the_results_own_numbers(scores: list[dict[str, Any]]) -> None:  # noqa: F811
    for r in (ScoreResult.model_validate(s) for s in scores):
        figure = r.figure
        if isinstance(figure, Share):
            assert (figure.k, figure.n) == (r.k, r.n)
            assert (figure.ci_low, figure.ci_high) == (r.ci_low, r.ci_high)
        elif isinstance(figure, PairedChange):
            details = r.details
            assert (figure.rose, figure.same, figure.fell) == (
                details["rose"],
                details["same"],
                details["fell"],
            )
            assert (figure.n, figure.p_value, figure.effect_size) == (r.n, r.p_value, r.effect_size)
        elif isinstance(figure, CountsAgainstTargets):
            mps, countries = figure.counts
            assert (mps.value, mps.target) == (r.details["mps"], r.details["mp_target"])
            assert countries.value == len(r.details["mp_countries"])
            assert countries.target == r.details["country_target"]
            assert figure.total == r.details["participants"] == r.n
            assert figure.by_group == r.details["by_role"]
            assert figure.scope == r.details["scope"]
        elif isinstance(figure, Distribution):
            assert figure.points == r.details["distribution"]
            assert figure.median == r.estimate and figure.n == r.n
        elif isinstance(figure, Score):
            assert (figure.value, figure.ci_low, figure.ci_high) == (
                r.estimate,
                r.ci_low,
                r.ci_high,
            )


def test_the_reach_names_the_countries_of_its_mps(scores: list[dict[str, Any]]) -> None:  # noqa: F811
    reach = next(ScoreResult.model_validate(s) for s in scores if s["scorer"] == "reach")
    assert isinstance(reach.figure, CountsAgainstTargets)
    assert reach.figure.notes == [
        "The MPs came from Finland, Greece, Netherlands, Poland, Portugal, Romania, United Kingdom."
    ]
    assert reach.words().basis == (
        "Reach",
        "is counted from the roster of who attended, not from the responses.",
    )


def test_awareness_carries_its_caveat_even_when_hidden(scores: list[dict[str, Any]]) -> None:  # noqa: F811
    from feedback_scoring.scorers import CHANGE_WORDS

    for s in scores:
        if s["scorer"] == "awareness":
            result = ScoreResult.model_validate(s)
            assert result.words() == CHANGE_WORDS
            assert result.words().caveat is not None
            assert result.words().caveat[0] == (
                "Awareness is self-reported change (retrospective pre/post)."
            )
