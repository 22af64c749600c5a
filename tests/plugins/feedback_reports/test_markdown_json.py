"""The Markdown and JSON reports: the same sections and figures, escaped text, stable keys."""

from __future__ import annotations

import json
import re

import pytest
from reports_helpers import HOSTILE_COMMENT, Built, invoke, md_tables

from feedback.scoring import ScoreResult
from feedback_reports.render import md

JSON_KEYS = [
    "title",
    "event",
    "programme",
    "generated",
    "min_cell_size",
    "responses",
    "results",
    "events",
    "distributions",
    "comments",
    "outcome_log",
    "participant_outcomes",
    "indicators",
]


@pytest.mark.parametrize("scope", ["hague", "programme"])
def test_markdown_has_the_sections_in_order(built: Built, scope: str) -> None:
    text = built.text(scope, "md")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == [
        "Contents",
        "Outcomes",
        "Results",
        "Methods and caveats",
        "Appendix A: Tables in full",
        "Appendix B: How each figure was computed",
        "Reported outcomes",
        "Appendix C: Comments for review",
    ]
    assert text.startswith("# ")
    outcomes = text[text.index("## Outcomes") : text.index("## Results")]
    data = json.loads(built.text(scope, "json"))
    for result in data["results"]:
        if result["summary"] and result["scorer"] != "reliability":
            assert f"- {md(result['summary'])}\n" in outcomes
    assert outcomes.index("parliamentarians from") < outcomes.index("rated it higher")


@pytest.mark.parametrize("scope", ["hague", "programme"])
def test_markdown_tables_are_well_formed(built: Built, scope: str) -> None:
    tables = md_tables(built.text(scope, "md"))
    assert len(tables) > 10
    for table in tables:
        widths = {len(row) for row in table}
        assert len(widths) == 1, table


def test_markdown_escapes_what_participants_wrote(built: Built) -> None:
    text = built.text("hague", "md")
    review = text[text.index("## Appendix C: Comments for review") :]
    assert "<script>" not in text
    assert (
        r"> \<script\>alert('x')\</script\> \*\*bold\*\* \[link\](https://example.org) \& more"
        in (review)
    )
    # a comment of two lines stays one quote of two lines
    assert "> More time for the NGO panel, please.\n> And interpretation into Greek.\n" in review
    assert HOSTILE_COMMENT not in text


def test_markdown_escaping() -> None:
    assert md("1. first") == r"1\. first"
    assert md("11.0%") == "11.0%"
    assert md("# not a heading") == r"\# not a heading"
    assert md("-5 points") == "-5 points"
    assert md("a | b\nc") == r"a \| b c"


@pytest.mark.parametrize("scope", ["hague", "programme"])
def test_json_has_stable_keys_and_the_score_results(built: Built, scope: str) -> None:
    data = json.loads(built.text(scope, "json"))
    assert list(data) == JSON_KEYS
    assert data["generated"] == re.sub(r"T.*", "", data["generated"])
    results = [ScoreResult.model_validate(r) for r in data["results"]]
    assert results[0].scorer == "reach"
    for comment in data["comments"]:
        assert list(comment) == ["question", "text"]
    if scope == "hague":
        assert data["event"]["id"] == "hague-2011" and data["programme"] is False
        assert data["events"] == []
        assert data["responses"] == 20
    else:
        assert data["event"] is None and data["programme"] is True
        assert [e["event"]["id"] for e in data["events"]] == [
            "hague-2011",
            "rome-2012",
            "warsaw-2012",  # a roster, no responses; Vienna (nothing yet) is left out
        ]
        assert [e["responses"] for e in data["events"]] == [20, 6, 0]
        for entry in data["events"]:
            assert {r["event"] for r in entry["results"] if r["scorer"] != "reach"} <= {
                entry["event"]["id"]
            }


def test_json_results_are_those_of_feedback_score(built: Built, reports_pm) -> None:
    scored = invoke(
        reports_pm, "--project", str(built.project), "score", "--event", "hague-2011", "--json"
    )
    assert scored.exit_code == 0, scored.output
    expected = json.loads(scored.output)
    got = json.loads(built.text("hague", "json"))["results"]
    key = lambda r: (r["scorer"], r["construct"], r["item"] or "", r["label"])  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)


def test_json_distributions_count_the_answers(built: Built) -> None:
    data = json.loads(built.text("hague", "json"))
    by_item = {d["item"]: d for d in data["distributions"]}
    support = by_item["support_rapporteur_office"]
    result = next(r for r in data["results"] if r["item"] == "support_rapporteur_office")
    assert support["kind"] == "likert"
    assert sum(support["counts"].values()) == support["n"] == result["n"]
    assert support["n_na"] == result["n_na"]
    assert support["counts"]["agree"] + support["counts"]["strongly_agree"] == result["k"]
    role = by_item["rapporteur_role"]
    assert role["kind"] == "then_now"
    assert sum(role["then"].values()) == sum(role["now"].values()) == role["n"] == 20
