"""Gathering a `Report`: order of the outcomes, answer distributions, comments, and a programme's
events cut from one read of the responses."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from reports_helpers import (
    HAGUE_RESPONDENTS,
    HOSTILE_COMMENT,
    IMPROVEMENT,
    NGO_COMMENT,
    ROME_RESPONDENTS,
)

from feedback.scoring import ScoreResult
from feedback_reports.build import (
    NothingToReport,
    build_report,
    comments,
    event_contexts,
    in_report_order,
    long_date,
)
from feedback_reports.model import Comment
from feedback_scoring.scorers import SCORERS


def test_outcomes_follow_the_scorers_registration_with_method_checks_last() -> None:
    # The seed report's order (reach first) is the built-in scorers' registration order; a
    # report names no scorer: it keeps the order it is given and puts checks on the method last.
    def result(scorer: str, outcome: bool = True) -> ScoreResult:
        return ScoreResult(scorer=scorer, construct=scorer, label=scorer, n=1, outcome=outcome)

    given = [
        result("reach"),
        result("reliability", outcome=False),
        result("awareness"),
        result("contacts"),
        result("satisfaction"),
        result("third_party"),
    ]
    ordered = [r.scorer for r in in_report_order(given)]
    assert ordered == [
        "reach",
        "awareness",
        "contacts",
        "satisfaction",
        "third_party",
        "reliability",
    ]
    names = [s.name for s in SCORERS]
    assert names[:4] == ["reach", "response_rate", "awareness", "rapporteur_support"]
    assert names.index("contacts") < names.index("next_event_support") < names.index("satisfaction")


def test_an_event_report_holds_the_event_and_its_results(hague) -> None:
    _context, report = hague
    assert report.title == "Good practice exchange: outcomes"
    assert report.subtitle == "The Hague, Netherlands · 26 January 2011"
    assert report.event["id"] == "hague-2011" and not report.programme
    assert report.n_responses == len(HAGUE_RESPONDENTS) == 20
    assert report.min_cell_size == 5
    assert report.results[0].scorer == "reach"
    assert {r.event for r in report.results} <= {"hague-2011", None}
    assert report.events == []
    assert report.scorer_titles["awareness"] == "Raised awareness (then/now)"
    assert report.country_names["GR"] == "Greece"


def test_comments_are_sorted_by_question_and_text_and_never_attributed(hague) -> None:
    _, report = hague
    assert all(isinstance(c, Comment) and len(c) == 2 for c in report.comments)
    assert [c.question for c in report.comments] == [
        "What should we change for the next seminar?",
        *["Is there anything else you would like to tell us?"] * 3,
    ]
    texts = [c.text for c in report.comments]
    assert texts[0] == IMPROVEMENT
    assert texts[1:] == sorted(
        [HOSTILE_COMMENT, "Excellent speakers.", NGO_COMMENT], key=str.casefold
    )


def test_blank_comments_are_left_out(hague) -> None:
    context, _ = hague
    response = dict(context.responses[0])
    response["answers"] = {**response["answers"], "comments": "   ", "improvements": " x "}
    only = dataclasses.replace(context, responses=[response], cache={})
    assert comments(only) == [Comment("What should we change for the next seminar?", "x")]


def test_distributions_count_every_point_and_keep_dont_know_apart(hague) -> None:
    context, report = hague
    by_item = {d.item: d for d in report.distributions}
    assert list(by_item) == [
        "rapporteur_role",
        "other_countries",
        "mp_ngo_cooperation",
        "support_rapporteur_office",
        "join_network",
        "continue_ngo_cooperation",
        "inform_colleagues",
    ]
    answers = Counter(r["answers"]["inform_colleagues"] for r in context.responses)
    inform = by_item["inform_colleagues"]
    assert inform.n_na == answers.pop("dont_know", 0)
    assert inform.counts == {p.id: answers.get(p.id, 0) for p in inform.points}
    assert next(p.label for p in inform.points) == "Strongly disagree"
    assert inform.na_label == "Don't know"
    # only MPs are asked to join the network (show_if)
    mps = sum(1 for role, _ in HAGUE_RESPONDENTS if role == "mp")
    assert by_item["join_network"].n + by_item["join_network"].n_na == mps
    role = by_item["rapporteur_role"]
    assert role.then_label == "Before the seminar" and role.now_label == "Now"
    assert Counter(r["answers"]["rapporteur_role"]["now"] for r in context.responses) == +Counter(
        role.now
    )


def test_a_programme_scores_each_event_on_its_own_responses(programme) -> None:
    _context, report = programme
    assert report.title == "Parliamentarians against Human Trafficking: outcomes so far"
    assert report.subtitle == "3 events, 26 January 2011 to 18 April 2012"
    assert report.programme and report.event is None
    assert report.n_responses == len(HAGUE_RESPONDENTS) + len(ROME_RESPONDENTS)
    assert [(e.event["id"], e.n_responses) for e in report.events] == [
        ("hague-2011", 20),
        ("rome-2012", 6),
        ("warsaw-2012", 0),
    ]
    for entry in report.events:
        for result in entry.results:
            if result.scorer != "reach":
                assert result.event == entry.event["id"]
    rome = report.events[1]
    support = next(r for r in rome.results if r.item == "support_next_event")
    assert support.n == 6
    reach = {r.details["scope"]: r.details["mps"] for r in rome.results if r.scorer == "reach"}
    assert reach == {"event": 6, "programme": 17}


def test_event_contexts_are_cut_from_the_programmes(programme) -> None:
    context, _ = programme
    parts = event_contexts(context)
    assert [e["id"] for e, _ in parts] == ["hague-2011", "rome-2012", "warsaw-2012"]
    for event, part in parts:
        assert {r["event"] for r in part.responses} <= {event["id"]}
        assert part.event == event["id"] and not part.programme
        assert part.attendance is context.attendance and part.cache == {}
    assert sum(len(p.responses) for _, p in parts) == len(context.responses)


def test_nothing_to_report_without_responses(hague) -> None:
    context, _ = hague
    empty = dataclasses.replace(context, responses=[], cache={})
    with pytest.raises(NothingToReport, match="event 'hague-2011' has no responses yet") as info:
        build_report(None, empty)
    assert info.value.exit_code == 1


def test_dates_are_written_out_in_english() -> None:
    assert long_date("2011-01-26") == "26 January 2011"
    assert long_date(None) == ""
    assert long_date("soon") == "soon"
