"""Outcome sentences that claim no more than the data: "don't know" said with its count, questions
made neutral for funders, a low alpha called what it is."""

from __future__ import annotations

from pathlib import Path

from helpers import open_engine, pm_with_formats, scoring_context

import feedback_scoring
from feedback.scoring import ScoreResult, score
from feedback_scoring.wording import neutral


def results_of(project: Path, answers: list[dict[str, object]]) -> list[ScoreResult]:
    engine = open_engine(project, pm_with_formats(feedback_scoring))
    try:
        return score(engine, scoring_context(engine.survey("post-seminar"), answers))
    finally:
        engine.close()


def test_an_item_everyone_answered_dont_know_says_so_with_the_count(tmp_path: Path) -> None:
    answers = [{"role": "ngo", "support_rapporteur_office": "dont_know"} for _ in range(3)]
    answers.append({"role": "ngo"})  # shown the question, left it blank
    result = next(r for r in results_of(tmp_path, answers) if r.item == "support_rapporteur_office")
    assert result.n == 0 and result.n_na == 3 and result.n_missing == 1
    assert result.summary == (
        "Support for an independent National Rapporteur in their country: all 3 who answered "
        "said “don't know”; 1 did not answer."
    )
    assert "No answers yet" not in result.summary


def test_a_low_alpha_says_the_items_do_not_measure_one_thing(tmp_path: Path) -> None:
    points = ["none", "little", "some", "good", "very_good"]
    answers = []
    for i in range(12):  # the three "now" answers pull in different directions
        answers.append(
            {
                "role": "ngo",
                "rapporteur_role": {"then": "none", "now": points[i % 5]},
                "other_countries": {"then": "none", "now": points[(4 - i) % 5]},
                "mp_ngo_cooperation": {"then": "none", "now": points[(i * 2) % 5]},
            }
        )
    result = next(r for r in results_of(tmp_path, answers) if r.scorer == "reliability")
    assert result.estimate is not None and result.estimate < 0.7
    assert "do not measure one thing" in result.summary and "agree" not in result.summary
    assert "95% CI" in result.summary


def test_too_few_complete_rows_for_alpha_says_why(tmp_path: Path) -> None:
    answers = [
        {
            "role": "ngo",
            "rapporteur_role": {"then": "none", "now": "good"},
            "other_countries": {"then": "none", "now": "some"},
            "mp_ngo_cooperation": {"then": "little", "now": "good"},
        }
        for _ in range(4)
    ]
    result = next(r for r in results_of(tmp_path, answers) if r.scorer == "reliability")
    assert result.estimate is None
    assert result.summary == (
        "The reliability of the 3 items of “awareness” was not computed: only 4 respondents "
        "answered all 3 items (at least 10 are needed)."
    )


def test_questions_are_made_neutral_for_funders() -> None:
    assert neutral("Your understanding of the role") == "Understanding of the role"
    assert neutral("How useful was the seminar for your work?") == (
        "“How useful was the seminar for your work?”"
    )
    assert neutral("I will inform colleagues") == "“I will inform colleagues”"
    assert neutral("Knowledge of the law") == "Knowledge of the law"
