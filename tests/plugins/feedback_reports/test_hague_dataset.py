"""The report of the realistic Hague dataset (``tests/data/hague-2011``, see its ``expected.md``):
its Outcomes say what the seed report says, with denominators and intervals, and the single
Europol officer, IOM and embassy respondents never appear with numbers."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from reports_helpers import Page, invoke, md_tables, section

DATA = Path(__file__).resolve().parents[2] / "data" / "hague-2011"
REACH = (
    "11 parliamentarians from 7 countries at this event: 11% of the target of 100 "
    "and 7 of 15 countries (46.7%)."
)
SMALL = [
    "Police, prosecution or other law enforcement",
    "Intergovernmental organisation (e.g. IOM, OSCE, Council of Europe)",
    "Government ministry, agency or embassy",
]


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
    outcomes = html.unescape(section(reports["html"], '<h2 id="outcomes">', "</section>"))
    lines = [
        line.strip()[4:-5] for line in outcomes.splitlines() if line.strip().startswith("<li>")
    ]
    assert lines[0] == REACH
    assert lines[1] == REACH.replace("at this event", "over the programme so far")
    text = "\n".join(lines)
    for figure in (
        "24 of 27 respondents",
        "9 contacts",
        "Net Promoter Score +50",
        "rose for 24 of 30",
    ):
        assert figure in text
    results = json.loads(reports["json"])["results"]
    assert [r["summary"] for r in results if r["summary"] and r["scorer"] != "reliability"] == lines


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
