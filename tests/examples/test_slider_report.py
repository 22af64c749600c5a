"""The slider's answers are scored by the plugin's scorer, whose results state their kind (a score
with its interval); the reports plugin draws them, with a chart and a sentence, by that kind."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from helpers import make_response, pm_with_formats
from slider_helpers import PLUGINS

from feedback.cli import State
from feedback.engine import Engine
from feedback.scoring import Score, score
from feedback_reports.cli import report as report_command

ANSWERS = [3, 4, 5, 5, 6, 6, 7, 7, 8, 9, 9, 10]


def fill(engine: Engine, values: list[int]) -> None:
    roles = ["mp", "ngo", "other"]
    for i, value in enumerate(values):
        answers = {"role": roles[i % 3], "confident": value}
        engine.submit(make_response("confidence", answers, channel="kiosk"))


def run_report(project: Path, *args: str) -> Any:
    state = State(project, pm_with_formats(*PLUGINS))
    try:
        return CliRunner().invoke(report_command, list(args), obj=state)
    finally:
        state.close()


def test_the_scorer_gives_a_score_with_its_interval(engine: Engine) -> None:
    fill(engine, ANSWERS)
    from feedback.scoring import ScoringContext

    survey = engine.survey("confidence")
    rows = list(engine.store.iter_responses())
    context = ScoringContext(
        event="hague-2011",
        events=[],
        responses=rows,
        surveys={(survey.id, survey.version): survey},
        attendance=[],
    )
    [result] = [r for r in score(engine, context) if r.scorer == "slider"]
    assert result.kind == "score" and isinstance(result.figure, Score)
    assert result.n == 12 and abs(result.figure.value - sum(ANSWERS) / 12) < 1e-9
    assert result.figure.ci_low < result.figure.value < result.figure.ci_high
    assert result.summary.startswith(
        "Confidence (confident): the mean answer was 6.6 on the slider"
    )


def test_the_report_draws_it_by_its_kind(engine: Engine, project: Path) -> None:
    fill(engine, ANSWERS)
    out = project / "report.html"
    result = run_report(project, "--event", "hague-2011", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Slider items" in html  # the scorer's title heads its part
    assert "Confidence (confident): the mean answer was 6.6 on the slider" in html
    assert "Mean confidence on the slider, with its 95% interval." in html  # the chart's caption

    # the chart of a score: an SVG with the dot and its interval, labelled with the figures
    figure = html[
        html.index('id="chart-score') - 300 : html.index(
            "<figcaption>Mean confidence on the slider"
        )
    ]
    assert "<svg" in figure
    assert "Confidence (confident): 6.6 (95% CI 5.2 to 8.0)" in figure

    out = project / "report.json"
    result = run_report(project, "--event", "hague-2011", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    [found] = [
        r for r in json.loads(out.read_text(encoding="utf-8"))["results"] if r["scorer"] == "slider"
    ]
    assert (found["kind"], found["figure"]["kind"], found["n"]) == ("score", "score", 12)
    assert found["summary"].startswith("Confidence (confident): the mean answer was 6.6")


def test_too_few_answers_are_hidden_but_still_filed_by_kind(engine: Engine, project: Path) -> None:
    fill(engine, ANSWERS[:3])
    out = project / "report.json"
    result = run_report(project, "--event", "hague-2011", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    [found] = [
        r for r in json.loads(out.read_text(encoding="utf-8"))["results"] if r["scorer"] == "slider"
    ]
    assert (found["suppressed"], found["kind"], found["figure"], found["n"]) == (
        True,
        "score",
        None,
        None,
    )
