"""Reports draw a result by its kind, never by its scorer's name (issue 14, section 6).

A scorer from another package, registered here on the plugin manager, returns one result of each
kind (`feedback.scoring.Kind`); the report draws its table, its chart and its sentence in HTML and
Markdown with no change to the reports plugin. And the reports plugin names no scorer at all.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from reports_helpers import Built, Page, md_tables, reports_plugin_manager, section

import feedback_reports
from feedback import hookimpl
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.registry import Scorer
from feedback.scoring import (
    CountsAgainstTargets,
    Distribution,
    PairedChange,
    Score,
    ScoreResult,
    ScoringContext,
    Share,
    TargetCount,
    Wording,
    build_context,
)
from feedback_reports import charts
from feedback_reports.build import build_report
from feedback_reports.model import Report
from feedback_reports.render import render_html, render_json, render_markdown
from feedback_scoring.scorers import SCORERS

REPORTS = Path(feedback_reports.__file__).parent


# -- the reports plugin names no scorer --------------------------------------------------------


def test_the_reports_plugin_dispatches_on_no_scorer_name() -> None:
    # the check, over every source and template of the plugin
    quoted = re.compile(r"\"(reach|awareness|satisfaction|cooperation|rapporteur)\"")
    names = {s.name for s in SCORERS}
    found = []
    for path in sorted(REPORTS.rglob("*")):
        if path.suffix not in (".py", ".j2"):
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m.group(0)}" for m in quoted.finditer(text)]
        if path.suffix == ".py":
            # no string constant anywhere is a built-in scorer's name ("contacts", "reliability",
            # "response_rate" ... as much as "reach"), and no plugin is imported
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.Constant) and node.value in names:
                    found.append(f"{path.name}:{node.lineno}: {node.value!r}")
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "feedback_scoring"
                ):
                    found.append(f"{path.name}:{node.lineno}: imports {node.module}")
                if isinstance(node, ast.Import):
                    found += [
                        f"{path.name}:{node.lineno}: imports {a.name}"
                        for a in node.names
                        if a.name.startswith("feedback_scoring")
                    ]
    assert found == []


# -- a scorer from another package -------------------------------------------------------------

CAVEAT = ("Confidence is self-rated.", "Participants rated it once, after the event.")


def _roles(context: ScoringContext) -> Counter[str]:
    return Counter(
        r["answers"]["role"] for r in context.responses if isinstance(r["answers"].get("role"), str)
    )


def poll_share(context: ScoringContext) -> list[ScoreResult]:
    roles = _roles(context)
    n, k = sum(roles.values()), roles["mp"]
    return [
        ScoreResult(
            scorer="poll_share",
            construct="poll",
            label="MPs responding",
            event=context.event,
            n=n,
            figure=Share(k=k, n=n, ci_low=0.43, ci_high=0.83),
            wording={"en": Wording(labels={"hit": "were MPs"}, caption="MPs among them.")},
        ),
        ScoreResult(
            scorer="poll_share",
            construct="poll",
            label="A hidden item",
            event=context.event,
            n=None,
            kind="share",
            suppressed=True,
            summary="A hidden item: not shown.",
        ),
    ]


def poll_change(context: ScoringContext) -> list[ScoreResult]:
    return [
        ScoreResult(
            scorer="poll_change",
            construct="poll",
            label="Confidence",
            event=context.event,
            n=20,
            figure=PairedChange(n=20, rose=12, same=6, fell=2, p_value=0.0021),
            wording={
                "en": Wording(
                    sentence="{label}: up for {rose} of {n} ({share}, {p}).",
                    caveat=CAVEAT,
                    intro="Confidence was rated before and after.",
                    labels={"measure": "self-rated confidence"},
                )
            },
        )
    ]


def poll_targets(context: ScoringContext) -> list[ScoreResult]:
    return [
        ScoreResult(
            scorer="poll_targets",
            construct="poll",
            label="Responses against targets",
            event=context.event,
            n=len(context.responses),
            figure=CountsAgainstTargets(
                scope="event",
                total=len(context.responses),
                counts=[
                    TargetCount(
                        id="responses",
                        label="Responses",
                        noun="responses",
                        value=len(context.responses),
                        target=40,
                    ),
                    TargetCount(id="languages", label="Languages", noun="languages", value=3),
                ],
                by_group={"English": 15, "French": 5},
                notes=["Counted from the forms."],
            ),
            wording={"en": Wording(basis=("Responses", "are counted from the forms."))},
        )
    ]


def poll_distribution(context: ScoringContext) -> list[ScoreResult]:
    roles = _roles(context)
    points = {
        "MPs": roles["mp"],
        "NGOs": roles["ngo"],
        "Others": roles.total() - roles["mp"] - roles["ngo"],
    }
    return [
        ScoreResult(
            scorer="poll_distribution",
            construct="poll",
            label="Who answered",
            event=context.event,
            n=roles.total(),
            figure=Distribution(n=roles.total(), points=points),
            wording={"en": Wording(sentence="{label}: {n} answered, by group.")},
        )
    ]


def poll_score(context: ScoringContext) -> list[ScoreResult]:
    return [
        ScoreResult(
            scorer="poll_score",
            construct="poll",
            label="Engagement <index>",
            event=context.event,
            n=20,
            figure=Score(value=0.42, ci_low=0.2, ci_high=0.6, n=20, low=0, high=1),
            wording={"en": Wording(labels={"name": "index"})},
        )
    ]


class OtherPackage:
    """The plugin of another package: one scorer of each kind."""

    @hookimpl
    def register_scorers(self, register: Callable[[Scorer], None]) -> None:
        for name, title, score in (
            ("poll_share", "Poll: a share", poll_share),
            ("poll_change", "Poll: a change", poll_change),
            ("poll_targets", "Poll: against targets", poll_targets),
            ("poll_distribution", "Poll: a distribution", poll_distribution),
            ("poll_score", "Poll: a score", poll_score),
        ):
            register(Scorer(name=name, title=title, constructs=(), score=score))


SENTENCES = {
    "poll-share": "MPs responding: 13 of 20 were MPs (65%, 95% CI 43–83%).",
    "poll-change": "Confidence: up for 12 of 20 (60%, p = 0.002).",
    "poll-targets": "Responses against targets: 20 responses of a target of 40 (50%); 3 languages.",
    "poll-distribution": "Who answered: 20 answered, by group.",
    "poll-score": "Engagement <index>: index 0.42, 95% CI 0.20 to 0.60 (n = 20).",
}


TITLES = {
    "poll-share": "Poll: a share",
    "poll-change": "Poll: a change",
    "poll-targets": "Poll: against targets",
    "poll-distribution": "Poll: a distribution",
    "poll-score": "Poll: a score",
}


@pytest.fixture(scope="module")
def other(built: Built) -> Report:
    """The Hague's report with the other package's scorers registered beside the built-ins."""
    pm = reports_plugin_manager()
    pm.register(OtherPackage(), name="other_package")
    engine = Engine(settings=load_settings(built.project), pm=pm)
    try:
        context = build_context(engine, "hague-2011")
        return build_report(engine, context, generated=dt.date(2011, 2, 1))
    finally:
        engine.close()


def test_each_result_states_its_kind_and_its_sentence(other: Report) -> None:
    kinds = {r.scorer: r.kind for r in other.results if r.scorer.startswith("poll_")}
    assert kinds == {
        "poll_share": "share",
        "poll_change": "paired_change",
        "poll_targets": "counts_against_targets",
        "poll_distribution": "distribution",
        "poll_score": "score",
    }
    summaries = [r.summary for r in other.results if r.scorer.startswith("poll_")]
    assert summaries == [
        SENTENCES["poll-share"],
        "A hidden item: not shown.",
        *list(SENTENCES.values())[1:],
    ]
    data = json.loads(render_json(other))
    score = next(r for r in data["results"] if r["scorer"] == "poll_score")
    assert score["figure"]["kind"] == "score" and score["display"]["score"] == "0.42"
    assert score["estimate"] == 0.42  # the plain fields come from the figure


def test_the_html_report_draws_each_kinds_table_chart_and_sentence(other: Report) -> None:
    text = render_html(other)
    page = Page(text)
    outcomes = html.unescape(section(text, '<h2 id="outcomes">', "</section>"))
    for key, sentence in SENTENCES.items():
        part = html.unescape(section(text, f'<h3 id="results-{key}">', "</section>"))
        assert sentence in part, key
        assert f"<li>{sentence}</li>" in outcomes, key
        assert f'id="detail-{key}"' in text, key
    assert "Engagement <index>" not in text and "Engagement &lt;index&gt;" in text
    labels = {a["id"]: a["aria-label"] for tag, a in page.tags if tag == "svg"}
    # the built-in charts keep their ids; the other package's come after them
    assert set(labels) == {
        "chart-reach",
        "chart-change",
        "chart-likert",
        "chart-share",
        "chart-change-2",
        "chart-reach-2",
        "chart-distribution",
        "chart-score",
    }
    assert "MPs responding: 13 of 20 (65%)" in labels["chart-share"]
    assert "A hidden item" not in labels["chart-share"]
    assert "Bar chart of self-rated confidence" in labels["chart-change-2"]
    assert (
        "Confidence: rose for 12 of 20, stayed the same for 6, fell for 2"
        in labels["chart-change-2"]
    )
    assert "Responses at this event: 20 of 40 (50%)" in labels["chart-reach-2"]
    assert "Languages" not in labels["chart-reach-2"]  # no target: no bar
    assert "MPs: 13; NGOs: 2; Others: 5" in labels["chart-distribution"]
    assert "Engagement <index>: 0.42 (95% CI 0.20 to 0.60)" in labels["chart-score"]
    captions = html.unescape(section(text, '<h3 id="results-poll-share">', "</section>"))
    assert "<figcaption>MPs among them.</figcaption>" in captions
    change = html.unescape(section(text, '<h3 id="results-poll-change">', "</section>"))
    assert '<p class="caveat">Confidence was rated before and after.</p>' in change
    targets = html.unescape(section(text, '<h3 id="results-poll-targets">', "</section>"))
    assert "Counted from the forms." in targets
    methods = html.unescape(section(text, '<h2 id="methods">', "</section>"))
    assert f"<strong>{CAVEAT[0]}</strong> {CAVEAT[1]}" in methods
    assert "<strong>Responses</strong> are counted from the forms." in methods
    assert "<strong>Reach</strong> is counted from the roster" in methods  # the built-in's


def test_the_charts_of_every_kind_are_clean(other: Report) -> None:
    by = {r.scorer: [r] for r in other.results}
    by["poll_share"] = [r for r in other.results if r.scorer == "poll_share"]
    drawn = [
        charts.share_chart(by["poll_share"], "s"),
        charts.change_chart(by["poll_change"], "c"),
        charts.targets_chart(by["poll_targets"], "t"),
        charts.distribution_chart(by["poll_distribution"], "d"),
        charts.score_chart(by["poll_score"], "x"),
    ]
    for chart in drawn:
        assert chart is not None
        assert chart.problems == (), chart.id
        assert "<title>" in chart.svg


def _table(tables: list[list[list[str]]], first_header: str, row: list[str]) -> bool:
    return any(t[0][0] == first_header and row in t[1:] for t in tables)


def test_the_markdown_report_draws_each_kinds_table_and_sentence(other: Report) -> None:
    text = render_markdown(other)
    for key, sentence in SENTENCES.items():
        part = section(text, f"### {TITLES[key]}\n", "\n### ")
        assert sentence.replace("<", "\\<").replace(">", "\\>") in part, key
    tables = md_tables(section(text, "## Appendix A", "## Appendix B"))
    # share: n, k, share, interval
    assert _table(tables, "n", ["20", "13", "65%", "43–83%", "–", "–", "0", "0"])
    # the hidden result: no number at all
    assert _table(tables, "n", ["–", "–", "–", "–", "–", "–", "0", "0"])
    # paired change: pairs, rose, share that rose, p
    assert _table(tables, "n", ["20", "12", "60%", "–", "0.002", "–", "0", "0"])
    # counts against targets: everyone counted, each count against its target, by group
    assert _table(tables, "counted", ["20", "20", "40", "50%", "3", "–", "–"])
    assert any(t[0] == ["Group", "count"] and ["English", "15"] in t for t in tables)
    # distribution: the answers at each point
    assert any(
        t[0] == ["Point", "MPs", "NGOs", "Others"] and t[1] == ["answers", "13", "2", "5"]
        for t in tables
    )
    # score: the value and its interval as the score writes them
    assert _table(tables, "n", ["20", "–", "0.42", "0.20 to 0.60", "–", "–", "0", "0"])
    methods = section(text, "## Methods and caveats", "---")
    assert f"- **{CAVEAT[0]}** {CAVEAT[1]}" in methods


def test_the_built_in_results_are_drawn_as_before(other: Report, built: Built) -> None:
    # the other package's results add parts; the built-ins' parts read exactly as without them
    alone = built.text("hague", "md")
    both = render_markdown(other)
    for heading in ("### Reach against the programme's targets", "### Raised awareness"):
        assert section(alone, heading, "\n### ") == section(both, heading, "\n### ")
