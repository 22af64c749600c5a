"""Disclosure control tried as an adversary would: hypothesis makes datasets of one event, every
report format is built from them (HTML, Markdown, JSON, CSV and `feedback score --json`'s results),
and the test tries to recover a hidden group's answers by subtraction across totals, groups,
sentences and JSON. It must never succeed.

What the adversary reads: every "k of n" a text states, every number of the JSON and CSV. What it
tries: (1) a pair "k of n" anywhere that belongs to a hidden group and to no figure shown; (2) the
total of a result minus the groups shown, which is the hidden groups' sum: it must be empty (nothing
hidden that anyone answered), or hold at least the minimum number of answers and not all alike
(unless at least the uniform minimum); (3) a number in a hidden group's row.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import open_engine, pm_with_formats, scoring_context
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import feedback_reports
import feedback_scoring
from feedback.engine import Engine
from feedback_reports.build import build_report

MINIMUM = 5
UNIFORM = 10
ROLES = ["mp", "ngo", "researcher", "government", "lived_experience"]
COUNTRIES = ["GB", "NL", "FI", None]
AGREE = ["strongly_agree", "agree", "neutral", "disagree", "dont_know", None]
KNOWLEDGE = ["none", "little", "some", "good", "very_good"]
ITEMS = ("support_rapporteur_office", "continue_ngo_cooperation")
PAIR = re.compile(r"(\d+) of (?:the )?(\d+)\b")

respondent = st.fixed_dictionaries(
    {
        "role": st.sampled_from(ROLES),
        "country": st.sampled_from(COUNTRIES),
        "support_rapporteur_office": st.sampled_from(AGREE),
        "continue_ngo_cooperation": st.sampled_from(AGREE),
        "rapporteur_role": st.one_of(
            st.none(),
            st.tuples(st.sampled_from(KNOWLEDGE), st.sampled_from(KNOWLEDGE)),
        ),
    }
)


def _engine(project: Path) -> Engine:
    return open_engine(project, pm_with_formats(feedback_scoring, feedback_reports))


def person(
    role: str,
    country: str | None,
    support: str | None,
    knowledge: tuple[str, str] | None = None,
    cooperate: str | None = "agree",
) -> dict[str, Any]:
    """One respondent as the strategy makes them, for the examples every run tries."""
    return {
        "role": role,
        "country": country,
        "support_rapporteur_office": support,
        "continue_ngo_cooperation": cooperate,
        "rapporteur_role": knowledge,
    }


def _answers(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for person in people:
        answers: dict[str, Any] = {"role": person["role"]}
        if person["country"]:
            answers["country"] = person["country"]
        for item in ITEMS:
            if person[item]:
                answers[item] = person[item]
        if person["rapporteur_role"]:
            then, now = person["rapporteur_role"]
            answers["rapporteur_role"] = {"then": then, "now": now}
        out.append(answers)
    return out


def _truth(people: list[dict[str, Any]], item: str, by: str) -> dict[str, tuple[int, int, int]]:
    """The real (k agreeing, n answered, asked) of every group, for the adversary's checks."""
    out: dict[str, list[int]] = {}
    for person in people:
        group = person[by] or "not_stated"
        value = person[item]
        cell = out.setdefault(group, [0, 0, 0])
        cell[2] += 1
        if value is not None and value != "dont_know":
            cell[1] += 1
            cell[0] += value in ("agree", "strongly_agree")
    return {g: (k, n, asked) for g, (k, n, asked) in out.items()}


def _texts(outputs: dict[str, str]) -> str:
    return "\n".join(outputs[f] for f in ("html", "md", "csv"))


def _stated_pairs(text: str) -> set[tuple[int, int]]:
    return {(int(k), int(n)) for k, n in PAIR.findall(re.sub(r"<[^>]+>", " ", text))}


def _shown_pairs(report_json: dict[str, Any]) -> set[tuple[int, int]]:
    """Every (k, n) the report shows on purpose, anywhere: results, shown groups, details."""
    shown: set[tuple[int, int]] = set()
    for result in report_json["results"]:
        if result["k"] is not None and result["n"] is not None:
            shown.add((result["k"], result["n"]))
        for key in ("rose", "same", "fell"):
            if key in result["details"] and result["n"] is not None:
                shown.add((result["details"][key], result["n"]))
        if "mp_k" in result["details"]:
            shown.add((result["details"]["mp_k"], result["details"]["mp_n"]))
        for breakdown in result["breakdowns"]:
            for cell in breakdown["cells"]:
                if not cell["suppressed"]:
                    shown.add((cell["k"], cell["n"]))
    for dist in report_json["distributions"]:
        n = dist["n"]
        for counts in (dist["counts"], dist["then"], dist["now"]):
            shown.update((v, n) for v in counts.values())
        if dist["kind"] == "likert" and not dist["suppressed"]:
            upper = sum(list(dist["counts"].values())[-2:])
            shown.add((upper, n))
    return shown


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(respondent, min_size=0, max_size=36))
# found by hypothesis, kept so that every run tries them: one small group alone (the total minus
# the shown groups would be its own count), a uniform group, and a then/now item of two people
@example(
    people=[person("mp", "GB", "agree")] * 4
    + [person("mp", "NL", "disagree")] * 2
    + [person("ngo", "NL", "agree")] * 3
    + [person("ngo", "FI", "neutral")] * 2
    + [person("researcher", None, "disagree")]
)
@example(
    people=[person("mp", "GB", "agree")] * 7
    + [person("ngo", "NL", "agree")] * 3
    + [person("ngo", "NL", "disagree")] * 3
    + [person("government", "FI", "dont_know")]
)
@example(
    people=[person("mp", None, "strongly_agree")] * 4
    + [person("government", "FI", "strongly_agree")]
    + [person("lived_experience", "GB", "disagree", ("very_good", "none"))]
    + [person("lived_experience", "NL", None, ("little", "very_good"), "disagree")]
    + [person("researcher", None, "strongly_agree", None, "agree")]
)
def test_no_hidden_group_can_be_recovered_from_any_output(
    tmp_path_factory: pytest.TempPathFactory, people: list[dict[str, Any]]
) -> None:
    project = tmp_path_factory.mktemp("adversary")
    (project / "feedback.toml").write_text(
        f"min_cell_size = {MINIMUM}\nuniform_cell_size = {UNIFORM}\n", encoding="utf-8"
    )
    engine = _engine(project)
    try:
        if not people:
            return
        context = scoring_context(
            engine.survey("post-seminar"),
            _answers(people),
            min_cell_size=MINIMUM,
            uniform_cell_size=UNIFORM,
        )
        report = build_report(engine, context)
        formats = engine.report_formats
        outputs = {name: formats[name].render(report) for name in ("html", "md", "json", "csv")}
    finally:
        engine.close()
    data = json.loads(outputs["json"])
    shown = _shown_pairs(data)
    stated = _stated_pairs(_texts(outputs))
    for item in ITEMS:
        result = next(r for r in data["results"] if r["item"] == item)
        for breakdown in result["breakdowns"]:
            truth = _truth(people, item, breakdown["by"])
            hidden = [c for c in breakdown["cells"] if c["suppressed"]]
            for cell in hidden:
                # (3) a hidden group's row carries no number in any format
                assert (cell["n"], cell["k"], cell["estimate"]) == (None, None, None)
                assert cell["display"] == {}
                k, n, _ = truth.get(cell["group"], (0, 0, 0))
                # (1) its pair is stated nowhere, unless a shown figure has the same pair
                if n and (k, n) not in shown:
                    assert (k, n) not in stated, (item, cell["group"], k, n)
            # (2) total minus shown groups: the hidden groups' sum, which must not give them away
            if result["suppressed"]:
                assert result["n"] is None and result["k"] is None and not result["breakdowns"]
                continue
            rest_n = result["n"] - sum(c["n"] for c in breakdown["cells"] if not c["suppressed"])
            rest_k = result["k"] - sum(c["k"] for c in breakdown["cells"] if not c["suppressed"])
            asked = sum(truth.get(c["group"], (0, 0, 0))[2] for c in hidden)
            if asked:
                assert rest_n >= MINIMUM, (item, breakdown["by"], rest_n)
                assert rest_n >= UNIFORM or 0 < rest_k < rest_n, (item, rest_k, rest_n)
            # every group of the vocabulary has its row, in the survey's order
            assert [c["group"] for c in breakdown["cells"]][-1] == "not_stated"
        # a shown group, and the whole result, is never uniform below the uniform minimum
        if not result["suppressed"]:
            assert result["n"] >= MINIMUM or result["n"] == 0
            if result["n"] and result["k"] in (0, result["n"]):
                assert result["n"] >= UNIFORM
        for breakdown in result["breakdowns"]:
            for cell in breakdown["cells"]:
                if not cell["suppressed"]:
                    assert cell["n"] >= MINIMUM
                    if cell["k"] in (0, cell["n"]):
                        assert cell["n"] >= UNIFORM
    # the CSV holds the same: no number in a hidden row
    for row in csv.DictReader(io.StringIO(outputs["csv"])):
        if row["suppressed"] == "yes":
            assert row["n"] == row["k"] == row["estimate"] == row["shown"] == ""
