"""Built-in plugin: the outcome scorers and `feedback score`.

awareness (then/now change), rapporteur_support, ngo_cooperation, inform_colleagues,
next_event_support (agreement shares), reach (from attendance, against the programme's targets),
contacts, satisfaction (median, distribution, Net Promoter Score) and reliability (Cronbach's alpha
where a construct has several items).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from feedback import hookimpl
from feedback.registry import Scorer

if TYPE_CHECKING:
    from feedback.cli import FeedbackGroup


@hookimpl
def register_scorers(register: Callable[[Scorer], None]) -> None:
    from feedback_scoring.scorers import SCORERS

    for scorer in SCORERS:
        register(scorer)


@hookimpl
def register_commands(cli: FeedbackGroup) -> None:
    cli.add_lazy_command(
        "score",
        "feedback_scoring.cli:score",
        "Score the outcomes: reach, awareness, support, cooperation, contacts, satisfaction.",
    )
