"""The report of the realistic Hague dataset (``tests/data/hague-2011``, see its ``expected.md``):
its Outcomes say what the seed report says, with denominators and intervals, and the single
Europol officer, IOM and embassy respondents never appear with numbers."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from reports_helpers import Page, invoke, md_tables

DATA = Path(__file__).resolve().parents[2] / "data" / "hague-2011"
REACH = (
    "11 parliamentarians from 7 countries at this event: 11% of the target of 100 "
    "and 7 of 15 countries (46.7%)."
)
SMALL = ["Law enforcement", "Intergovernmental organisations", "Governments"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, reports_pm) -> dict[str, str]:
    project = tmp_path_factory.mktemp("hague-dataset")
    (project / "feedback.toml").write_text(
        "[programme.targets]\nmp = 100\ncountries = 15\n", encoding="utf-8"
    )
    steps = [
        [
            "event",
            "add",
            "hague-2011",
            "--title",
            "Good practice exchange",
            "--date",
            "2011-01-26",
            "--city",
            "The Hague",
            "--country",
            "NL",
            "--programme",
            "paht",
        ],
        ["roster", "import", str(DATA / "roster.csv"), "--event", "hague-2011"],
        ["responses", "import", str(DATA / "responses.jsonl")],
    ]
    for fmt in ("md", "html", "json"):
        steps.append(
            ["report", "--event", "hague-2011", "--format", fmt, "-o", str(project / f"r.{fmt}")]
        )
    for args in steps:
        result = invoke(reports_pm, "--project", str(project), *args)
        assert result.exit_code == 0, result.output
    return {
        fmt: (project / f"r.{fmt}").read_text(encoding="utf-8") for fmt in ("md", "html", "json")
    }


def test_the_outcomes_say_what_the_seed_report_says(reports) -> None:
    """Reach first, then who responded, then each construct in a sentence or two, every one with
    its denominator: the "Outcomes" of the seed report, written from data."""
    results = json.loads(reports["json"])["results"]
    lines = [r["summary"] for r in results if r["summary"] and r["scorer"] != "reliability"]
    assert lines[0] == REACH  # the programme so far is this event: said once
    assert lines[1] == "30 of the 37 participants responded (81%): 20 at the kiosk, 10 on paper."
    assert lines[2].startswith(
        "Understanding of the role of a National Rapporteur: 24 of 30 rated it higher after the "
        "seminar than before, 5 the same, 1 lower (self-reported, retrospective) [Wilcoxon "
        "signed-rank test (exact), p < 0.001; rank-biserial r = 0.96 among the 25 whose rating "
        "changed, the 5 unchanged left out]."
    )
    for figure in (
        "Support for an independent National Rapporteur in their country: 24 of the 27 who gave "
        "a view agree (89%, 95% CI 72–96%); of the 30 asked, 2 said “don't know” and 1 did not "
        "answer. Among MPs: 9 of 10 (90%, 95% CI 60–98%).",
        "Intention to keep cooperating with the NGOs met at the seminar: 23 of the 29 who gave a "
        "view agree (79%, 95% CI 62–90%)",
        "3 of the 11 MPs who answered have already passed on contact details of other "
        "parliamentarians (9 contacts in all).",
        "Net Promoter Score +50, 95% CI",
    ):
        assert any(figure in line for line in lines), figure
    for line in lines:
        assert len(line.split(". ")) <= 3, line  # one or two plain sentences
        assert not re.search(r"\b(you|your)\b", line, re.IGNORECASE), line  # not to participants
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", reports["html"])).split())
    markdown = " ".join(reports["md"].replace("\\", "").split())
    for line in lines:
        assert line in page, line
        assert line in markdown, line
    # the order of the seed report: reach, then the constructs
    scorers = [r["scorer"] for r in results if r["summary"]]
    assert scorers[:3] == ["reach", "response_rate", "awareness"]


def test_single_respondents_never_appear_with_numbers(reports) -> None:
    page = Page(reports["html"])
    hidden = 0
    for table in page.tables:
        if table.caption.endswith(": by stakeholder group"):
            for label in SMALL:
                for row in table.rows_for(label):
                    hidden += 1
                    assert len(row) == 2 and row[1].text.startswith("fewer than 5")
    assert hidden >= 5
    for table in md_tables(reports["md"]):
        for row in table:
            if row[0] in SMALL and table[0][0] == "Stakeholder group":
                assert row[1].startswith("fewer than 5") and not any(c.strip() for c in row[2:])
