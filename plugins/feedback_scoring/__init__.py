"""Built-in plugin: the outcome scorers and `feedback score`.

awareness (then/now change), rapporteur_support, ngo_cooperation, inform_colleagues,
next_event_support (agreement shares), reach (from attendance, against the programme's targets),
contacts, satisfaction (median, distribution, Net Promoter Score) and reliability (Cronbach's alpha
where a construct has several items).
"""

from __future__ import annotations

from collections.abc import Callable

import click

from feedback import hookimpl
from feedback.registry import Scorer


@hookimpl
def register_scorers(register: Callable[[Scorer], None]) -> None:
    from feedback_scoring.scorers import SCORERS

    for scorer in SCORERS:
        register(scorer)


@hookimpl
def register_commands(cli: click.Group) -> None:
    from feedback_scoring.cli import score

    cli.add_command(score)
