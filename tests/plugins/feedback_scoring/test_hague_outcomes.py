"""The Hague good practice exchange (26 January 2011) end to end: the scores state its outcomes.

The dataset in ``tests/data/hague-2011`` (a fictional roster of the 37 attendees and 6 invited German
MPs, 30 responses to ``post-seminar``) is built so that every figure is known in advance; they are
listed in ``expected.md`` there. The project is made with the command line, as a user would.
"""

from __future__ import annotations

import json
import os
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result
from scipy import stats as sps

from feedback.cli import cli

DATA = Path(__file__).resolve().parents[2] / "data" / "hague-2011"
EVENT = "hague-2011"
KNOWLEDGE = ["none", "little", "some", "good", "very_good"]
MP_COUNTRIES = ["FI", "GB", "GR", "NL", "PL", "PT", "RO"]
REACH_SENTENCE = (
    "11 parliamentarians from 7 countries {where}: 11% of the target of 100 "
    "and 7 of 15 countries (46.7%)."
)


def feedback(project: Path, *args: str, columns: int = 200) -> Result:
    """``feedback --project PROJECT ARGS`` in a terminal ``columns`` wide."""
    runner = CliRunner(env={"COLUMNS": str(columns)})
    return runner.invoke(cli, ["--project", str(project), *args])


def build(project: Path) -> list[Result]:
    """The project: targets in feedback.toml, the event, the roster and the responses."""
    (project / "feedback.toml").write_text(
        "[programme.targets]\nmp = 100\ncountries = 15\n", encoding="utf-8"
    )
    return [
        feedback(
            project,
            *("event", "add", EVENT, "--title", "Good practice exchange", "--date", "2011-01-26"),
            *("--city", "The Hague", "--country", "NL", "--programme", "paht"),
        ),
        feedback(project, "roster", "import", str(DATA / "roster.csv"), "--event", EVENT),
        feedback(project, "responses", "import", str(DATA / "responses.jsonl")),
    ]


@pytest.fixture(scope="module")
def hague(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Built once for the module: scoring runs permutation tests and takes a few seconds."""
    path = tmp_path_factory.mktemp("hague")
    with pytest.MonkeyPatch.context() as env:  # no FEEDBACK_* variable of the shell leaks in
        for name in list(os.environ):
            if name.startswith("FEEDBACK_"):
                env.delenv(name)
        for result in build(path):
            assert result.exit_code == 0, result.output
        yield path


@pytest.fixture(scope="module")
def scores(hague: Path) -> list[dict[str, Any]]:
    result = feedback(hague, "score", "--event", EVENT, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def programme_scores(hague: Path) -> list[dict[str, Any]]:
    result = feedback(hague, "score", "--programme", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def scope_scores(
    scope: str, scores: list[dict[str, Any]], programme_scores: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    return scores if scope == "event" else programme_scores


def one(scores: list[dict[str, Any]], scorer: str, item: str | None = None) -> dict[str, Any]:
    found = [s for s in scores if s["scorer"] == scorer and s["item"] == item]
    assert len(found) == 1, f"{len(found)} results of {scorer}/{item}"
    return found[0]


def reach(scores: list[dict[str, Any]], scope: str) -> dict[str, Any]:
    found = [s for s in scores if s["scorer"] == "reach" and s["details"]["scope"] == scope]
    assert len(found) == 1
    return found[0]


def wilson(k: int, n: int) -> tuple[float, float]:
    ci = sps.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def assert_share(result: dict[str, Any], k: int, n: int) -> None:
    assert (result["k"], result["n"]) == (k, n)
    assert result["estimate"] == pytest.approx(k / n)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx(wilson(k, n))


def responses() -> list[dict[str, Any]]:
    lines = (DATA / "responses.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


# -- the dataset -------------------------------------------------------------------------------


def test_the_dataset_imports_whole_and_again_as_already_present(tmp_path: Path) -> None:
    event, roster, answers = build(tmp_path)
    assert event.exit_code == 0, event.output
    assert roster.exit_code == 0, roster.output
    assert "43 people for hague-2011: 43 added, 0 updated, 37 attended" in roster.stdout
    assert answers.exit_code == 0, answers.output
    assert "30 read, 30 stored, 0 already present, 0 conflicts" in answers.stdout
    again = feedback(tmp_path, "responses", "import", str(DATA / "responses.jsonl"))
    assert again.exit_code == 0, again.output
    assert "30 read, 0 stored, 30 already present, 0 conflicts" in again.stdout


def test_the_responses_are_fixed_and_follow_the_survey() -> None:
    records = responses()
    assert len(records) == 30
    assert len({r["id"] for r in records}) == 30
    for record in records:
        assert "survey_version" not in record
        assert record["survey"] == "post-seminar"
        assert record["submitted"] == "2011-01-26"
        assert record["channel"] in {"kiosk", "paper"}
        assert record["language"] in {"en", "nl"}
        answers = record["answers"]
        assert ("join_network" in answers) == (answers["role"] == "mp")
        assert ("new_mp_contacts" in answers) == (answers.get("passed_contacts") is True)
        assert ("support_kinds" in answers) == (answers.get("support_next_event") is True)
    roles = [r["answers"]["role"] for r in records]
    assert roles.count("mp") == 11


# -- reach -------------------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["event", "programme"])
def test_reach_counts_the_attendees_of_the_roster_only(
    scores: list[dict[str, Any]], programme_scores: list[dict[str, Any]], scope: str
) -> None:
    result = reach(scope_scores(scope, scores, programme_scores), scope)
    assert result["n"] == 37
    assert result["k"] == 11
    assert result["unit"] == "count"
    assert result["estimate"] == pytest.approx(0.11)
    details = result["details"]
    assert details["participants"] == 37  # the 6 invited German MPs did not attend
    assert details["mps"] == 11
    assert details["mp_countries"] == MP_COUNTRIES
    assert "DE" not in details["mp_countries"]
    assert (details["mp_target"], details["country_target"]) == (100, 15)
    # the vocabulary's names of the groups (report_label), never an id made to look like a word
    assert details["by_role"] == {
        "Governments": 1,
        "Intergovernmental organisations": 1,
        "Law enforcement": 1,
        "MPs": 11,
        "National Rapporteurs' offices": 2,
        "NGOs": 11,
        "Others": 4,
        "Parliamentary staff": 4,
        "Researchers": 2,
    }
    assert result["event"] == (EVENT if scope == "event" else None)


@pytest.mark.parametrize(
    ("scope", "where"),
    [("event", "at this event"), ("programme", "over the programme so far")],
)
def test_reach_states_the_achievement_as_the_report_does(
    scores: list[dict[str, Any]], programme_scores: list[dict[str, Any]], scope: str, where: str
) -> None:
    result = reach(scope_scores(scope, scores, programme_scores), scope)
    assert result["details"]["mp_achievement"] == "11%"
    assert result["details"]["country_achievement"] == "46.7%"
    assert result["summary"] == REACH_SENTENCE.format(where=where)


def test_a_programme_of_one_event_states_its_reach_once(scores: list[dict[str, Any]]) -> None:
    """The programme so far is this event: the headline does not say the same thing twice."""
    sentences = [s["summary"] for s in scores if s["scorer"] == "reach"]
    assert sentences == [REACH_SENTENCE.format(where="at this event")]


def test_the_response_rate_comes_first_after_reach(scores: list[dict[str, Any]]) -> None:
    result = one(scores, "response_rate")
    assert (result["k"], result["n"]) == (30, 37)
    assert result["summary"] == (
        "30 of the 37 participants responded (81%): 20 at the kiosk, 10 on paper."
    )
    assert result["display"]["response_rate"] == "81%"


def test_the_table_shows_the_reach_sentence(hague: Path, scores: list[dict[str, Any]]) -> None:
    result = feedback(hague, "score", "--event", EVENT, columns=2000)
    assert result.exit_code == 0, result.output
    table = result.stdout
    assert reach(scores, "event")["summary"] in table
    assert "11 parliamentarians from 7 countries at this event" in table
    assert "7 of 15 countries (46.7%)" in table
    assert "11 MPs of 37 participants" in table


# -- agreement ---------------------------------------------------------------------------------


def test_rapporteur_support_keeps_dont_know_out_of_the_denominator(
    scores: list[dict[str, Any]],
) -> None:
    result = one(scores, "rapporteur_support", "support_rapporteur_office")
    assert_share(result, 24, 27)
    assert (result["n_na"], result["n_missing"]) == (2, 1)
    assert result["details"] == {"mp_k": 9, "mp_n": 10}
    low, high = wilson(9, 10)
    assert (
        f"Among MPs: 9 of 10 (90%, 95% CI {low * 100:.0f}–{high * 100:.0f}%)" in (result["summary"])
    )
    assert result["summary"].startswith(
        "Support for an independent National Rapporteur in their country: 24 of the 27 who gave "
        "a view agree (89%, 95% CI 72–96%); of the 30 asked, 2 said “don't know” and 1 did not "
        "answer."
    )
    assert "2 answered “don't know” (not in the denominator)" in result["notes"]
    roles = {
        c["group"]: c for c in next(b for b in result["breakdowns"] if b["by"] == "role")["cells"]
    }
    assert (roles["mp"]["k"], roles["mp"]["n"]) == (9, 10)
    assert (roles["mp"]["ci_low"], roles["mp"]["ci_high"]) == pytest.approx(wilson(9, 10))
    assert (roles["ngo"]["k"], roles["ngo"]["n"]) == (8, 9)
    for small in ("national_rapporteur", "researcher", "parliamentary_staff", "law_enforcement"):
        assert roles[small]["suppressed"] is True
        assert roles[small]["n"] is None and roles[small]["k"] is None
    # its one answer was "don't know": its row is there, hidden like any small group, so that
    # which group is missing cannot tell who said "don't know"
    assert roles["government"]["suppressed"] is True and roles["government"]["n"] is None
    assert list(roles)[:3] == ["mp", "ngo", "national_rapporteur"]  # the survey's order
    assert list(roles)[-1] == "not_stated"
    assert roles["mp"]["label"] == "MPs" and roles["ngo"]["label"] == "NGOs"


@pytest.mark.parametrize(
    ("scorer", "item", "k", "n", "n_na", "mp_k", "mp_n"),
    [
        ("ngo_cooperation", "continue_ngo_cooperation", 23, 29, 1, 8, 10),
        ("inform_colleagues", "inform_colleagues", 25, 29, 1, 10, 11),
        ("next_event_support", "support_next_event", 8, 30, 0, 4, 11),
    ],
)
def test_most_will_cooperate_and_inform_and_some_will_help_next_time(
    scores: list[dict[str, Any]],
    scorer: str,
    item: str,
    k: int,
    n: int,
    n_na: int,
    mp_k: int,
    mp_n: int,
) -> None:
    result = one(scores, scorer, item)
    assert_share(result, k, n)
    assert (result["n_na"], result["n_missing"]) == (n_na, 0)
    assert result["details"] == {"mp_k": mp_k, "mp_n": mp_n}
    assert f"Among MPs: {mp_k} of {mp_n} (" in result["summary"]


def test_the_mps_supporting_the_next_event_are_from_poland_portugal_and_romania() -> None:
    countries = sorted(
        r["answers"]["country"]
        for r in responses()
        if r["answers"]["role"] == "mp" and r["answers"]["support_next_event"]
    )
    assert countries == ["PL", "PT", "RO", "RO"]


# -- awareness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "n", "n_missing", "rose", "same", "fell", "then", "now"),
    [
        ("rapporteur_role", 30, 0, 24, 5, 1, 2, 4),
        ("other_countries", 29, 1, 26, 3, 0, 2, 3),
        ("mp_ngo_cooperation", 30, 0, 20, 10, 0, 3, 4),
        (None, 30, 0, 29, 1, 0, 7 / 3, 11 / 3),
    ],
)
def test_awareness_rose_for_most(
    scores: list[dict[str, Any]],
    item: str | None,
    n: int,
    n_missing: int,
    rose: int,
    same: int,
    fell: int,
    then: float,
    now: float,
) -> None:
    result = one(scores, "awareness", item)
    assert_share(result, rose, n)
    assert result["n_missing"] == n_missing
    details = result["details"]
    assert (details["rose"], details["same"], details["fell"]) == (rose, same, fell)
    assert details["median_then"] == pytest.approx(then)
    assert details["median_now"] == pytest.approx(now)
    assert result["p_value"] < 0.001
    assert "self-reported change (retrospective pre/post)" in result["notes"]


def test_every_mp_understands_the_rapporteur_better_now() -> None:
    mps = [r["answers"] for r in responses() if r["answers"]["role"] == "mp"]
    rose = [
        KNOWLEDGE.index(a["rapporteur_role"]["now"]) > KNOWLEDGE.index(a["rapporteur_role"]["then"])
        for a in mps
    ]
    assert len(rose) == 11 and all(rose)


def test_reliability_of_awareness_is_cronbachs_alpha_of_the_now_answers(
    scores: list[dict[str, Any]],
) -> None:
    items = ["rapporteur_role", "other_countries", "mp_ngo_cooperation"]
    rows = [
        [KNOWLEDGE.index(r["answers"][q]["now"]) + 1 for q in items]
        for r in responses()
        if all(q in r["answers"] for q in items)
    ]
    data = np.array(rows, dtype=float)
    alpha = 3 / 2 * (1 - data.var(axis=0, ddof=1).sum() / data.sum(axis=1).var(ddof=1))
    result = one(scores, "reliability")
    assert result["construct"] == "awareness"
    assert result["n"] == len(rows) == 29
    assert result["estimate"] == pytest.approx(alpha)
    assert result["estimate"] == pytest.approx(0.637, abs=0.0005)


# -- contacts ----------------------------------------------------------------------------------


def test_three_mps_passed_on_contacts_of_nine_mps(scores: list[dict[str, Any]]) -> None:
    result = one(scores, "contacts", "passed_contacts")
    assert_share(result, 3, 11)
    # MPs only: the answers of everyone else are not kept beside them, where "all minus MPs"
    # would give a group that may be smaller than the minimum
    assert result["details"] == {"contacts_total": 9}
    assert result["summary"] == (
        "Contacts of other parliamentarians passed on to the organisers: 3 of the 11 MPs who "
        "answered have already passed on contact details of other parliamentarians "
        "(9 contacts in all)."
    )


# -- satisfaction ------------------------------------------------------------------------------


def test_recommendation_median_and_net_promoter_score(scores: list[dict[str, Any]]) -> None:
    result = one(scores, "satisfaction", "recommend")
    assert (result["n"], result["n_na"], result["n_missing"]) == (30, 0, 0)
    assert result["estimate"] == 9
    details = result["details"]
    assert details["nps"] == pytest.approx(50)
    assert (details["promoters"], details["passives"], details["detractors"]) == (18, 9, 3)
    assert details["distribution"] == {
        **{str(v): 0 for v in range(5)},
        **{"5": 1, "6": 2, "7": 3, "8": 6, "9": 11, "10": 7},
    }
    assert result["display"]["nps"] == "+50"
    assert "Net Promoter Score +50, 95% CI " in result["summary"]
    assert "(18 promoters, 9 passives, 3 detractors)." in result["summary"]


def test_usefulness_median(scores: list[dict[str, Any]]) -> None:
    result = one(scores, "satisfaction", "usefulness")
    assert (result["n"], result["n_missing"]) == (29, 1)
    values = [r["answers"]["usefulness"] for r in responses() if "usefulness" in r["answers"]]
    assert result["estimate"] == statistics.median(values) == 8


def test_at_80_columns_each_result_is_a_block_of_whole_sentences(
    hague: Path, scores: list[dict[str, Any]]
) -> None:
    """A table of six columns at 80 columns cut the sentences into slivers ("parliamentar…")."""
    result = feedback(hague, "score", "--event", EVENT, columns=80)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "…" not in result.stdout
    text = " ".join(result.stdout.split())
    for score in scores:
        assert score["summary"] in text
