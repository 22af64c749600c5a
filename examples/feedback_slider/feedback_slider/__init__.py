"""An example plugin: the ``slider`` question type, a number from ``min`` to ``max`` in steps of
``step`` with a label at each end ("Not at all" ... "Completely"), and the ``slider`` scorer.

It shows everything a question type from a plugin brings, with no change to any built-in plugin:

- the model, with its answer check and its one parser (`feedback_slider.model.Slider`);
- its renderings, one per channel, loaded only when a channel draws a slider: a Textual widget
  for the kiosk (`feedback_slider.kiosk`), a Jinja template for the web form
  (``templates/slider.html.j2``), a JavaScript component for the offline form
  (``static/slider.js``) and a layout for the paper form (`feedback_slider.paper`);
- a scorer whose results state their kind (a score with its interval), so that the report draws
  them with a chart and a sentence (`feedback_slider.scoring`).

This module stays light: it is imported at every start of ``feedback``.
"""

from __future__ import annotations

from collections.abc import Callable

from feedback import hookimpl
from feedback.question_types import QuestionType
from feedback.registry import Scorer

#: How each channel draws a slider: targets, loaded when the channel draws one.
RENDERINGS = {
    "kiosk": "feedback_slider.kiosk:SliderWidget",
    "web": "feedback_slider:templates/slider.html.j2",
    "offline": "feedback_slider:static/slider.js",
    "paper": "feedback_slider.paper:SliderLayout",
}


@hookimpl
def register_question_types(register: Callable[[QuestionType], None]) -> None:
    from feedback_slider.model import Slider

    register(QuestionType(Slider, RENDERINGS, "A number from min to max in steps, on a slider."))


@hookimpl
def register_scorers(register: Callable[[Scorer], None]) -> None:
    from feedback_slider.scoring import CONSTRUCT, score_sliders

    register(
        Scorer(
            name="slider",
            title="Slider items",
            constructs=(CONSTRUCT,),
            score=score_sliders,
            description="The mean of each slider item with its 95% interval.",
        )
    )
