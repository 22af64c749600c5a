"""Every hook a plugin can implement. Each docstring is that hook's documentation.

Plugins implement hooks with ``feedback.hookimpl`` and are found through the entry-point group
``feedback`` (see ``docs/plugins.md``). Built-in plugins use exactly the same mechanism.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from feedback.engine import Engine
    from feedback.errors import Problem
    from feedback.loading import SurveyDocument
    from feedback.registry import Channel, ReportFormat, Scorer
    from feedback.responses import Response
    from feedback.survey import QuestionBase, Survey

hookspec = pluggy.HookspecMarker("feedback")


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add subcommands to the ``feedback`` command line.

    :param cli: the top-level click group; call ``cli.command()`` or ``cli.add_command()`` on it.
    """


@hookspec(firstresult=True)
def load_survey(path: Path) -> SurveyDocument | None:
    """Read a survey file of a format this plugin knows into a `SurveyDocument`.

    Return ``None`` for a file of another format. The core validates the document, so every format
    gets the same checks and located error messages; include line and column positions where the
    format has them. Raise `feedback.errors.SurveyError` for a file of your format that cannot be
    read (a syntax error), naming the line. Stops at first non-None result.

    :param path: the survey file.
    :returns: the document, or ``None`` when the file is not of this plugin's format.
    """


@hookspec
def register_question_types(register: Callable[[type[QuestionBase]], None]) -> None:
    """Add question types: each a pydantic model subclassing `feedback.survey.QuestionBase`.

    The model's ``type`` field must be a ``Literal`` with the new type's name; ``check(value)``
    returns why an answer is invalid (or ``None``). Channels look the type up by name to show it.

    :param register: call with each question model class.
    """


@hookspec
def register_channels(register: Callable[[Channel], None]) -> None:
    """Describe delivery channels (kiosk, web, paper ...) so that ``feedback channels`` lists them.

    :param register: call with a `feedback.registry.Channel` for each channel.
    """


@hookspec
def validate_response(survey: Survey, response: Response) -> list[Problem] | None:
    """Check a response beyond what its survey says; called before it is stored.

    Any problem returned refuses the response, and nothing is written.

    :param survey: the survey version the response answers.
    :param response: the response, already checked against the survey.
    :returns: problems (``feedback.errors.Problem``, ``loc`` starting with the question id), or
        ``None``/an empty list when the response is acceptable.
    """


@hookspec
def response_submitted(engine: Engine, response: Response) -> None:
    """Called after a response was committed to the database (not for duplicates or conflicts).

    For notifications and webhooks. An exception here is logged; the response stays stored.

    :param engine: the engine that stored it.
    :param response: the stored response.
    """


@hookspec
def register_scorers(register: Callable[[Scorer], None]) -> None:
    """Add outcome scorers: each names the constructs (``measures:`` tags) it reads.

    :param register: call with a `feedback.registry.Scorer` for each scorer.
    """


@hookspec
def register_report_formats(register: Callable[[ReportFormat], None]) -> None:
    """Add report formats (HTML, Markdown, JSON ...).

    :param register: call with a `feedback.registry.ReportFormat` for each format.
    """
