"""The ``slider`` scorer: the mean of each slider item measuring ``confidence``, with its 95%
interval (Student's t). Its results are of the kind ``score``, so the report draws each with a
dot and its interval and writes its sentence, with no change to the reports plugin."""

from __future__ import annotations

import math
import statistics

from feedback.disclosure import hidden_result
from feedback.scoring import Score, ScoreResult, ScoringContext, Wording
from feedback_slider.model import Slider

CONSTRUCT = "confidence"


def _interval(values: list[float]) -> tuple[float, float, float]:
    """The mean and its 95% interval."""
    from scipy import stats

    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, mean, mean
    half = stats.t.ppf(0.975, len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return mean, mean - half, mean + half


def score_sliders(context: ScoringContext) -> list[ScoreResult]:
    out = []
    for question in context.items(CONSTRUCT):
        if not isinstance(question, Slider):
            continue
        values = [float(v) for _, v in context.answers(question.id) if question.check(v) is None]
        n = len(values)
        label = question.id
        if (
            hidden_result(
                sum(1 for v in values if v == values[0]) if values else 0,
                n,
                context.min_cell_size,
                context.uniform_cell_size,
            )
            or n == 0
        ):
            out.append(
                ScoreResult(
                    scorer="slider",
                    construct=CONSTRUCT,
                    label=label,
                    item=question.id,
                    event=context.event,
                    n=None,
                    suppressed=True,
                    kind="score",
                )
            )
            continue
        mean, low, high = _interval(values)
        out.append(
            ScoreResult(
                scorer="slider",
                construct=CONSTRUCT,
                label=f"Confidence ({question.id})",
                item=question.id,
                event=context.event,
                n=n,
                estimate=mean,
                ci_low=low,
                ci_high=high,
                unit="score",
                method="mean of the slider answers, 95% t interval",
                figure=Score(
                    value=mean,
                    ci_low=low,
                    ci_high=high,
                    n=n,
                    places=1,
                    low=question.min,
                    high=question.max,
                ),
                wording={
                    "en": Wording(
                        caption="Mean confidence on the slider, with its 95% interval.",
                        sentence="{label}: the mean answer was {value} on the slider{ci_part} "
                        "(n = {n}).",
                        labels={"name": "mean", "axis": "Slider"},
                    )
                },
            )
        )
    return out
