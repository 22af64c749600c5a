"""Every hook a plugin can implement. Each docstring is that hook's documentation.

Plugins implement hooks with ``feedback.hookimpl`` and are found through the entry-point group
``feedback`` (see ``docs/plugins.md``). Built-in plugins use exactly the same mechanism.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from feedback.cli import FeedbackGroup
    from feedback.engine import Engine
    from feedback.errors import Problem
    from feedback.loading import SurveyDocument
    from feedback.paper_entry import PaperEntry
    from feedback.question_types import QuestionType, Rendering
    from feedback.registry import Channel, ExportFormat, ReportFormat, Scorer, SettingsSection
    from feedback.responses import Response
    from feedback.sqlite import Migrations
    from feedback.store import Store
    from feedback.survey import QuestionBase, Survey

hookspec = pluggy.HookspecMarker("feedback")


@hookspec
def register_commands(cli: FeedbackGroup) -> None:
    """Add subcommands to the ``feedback`` command line.

    Prefer ``cli.add_lazy_command(name, "package.module:command", short_help)``: ``feedback
    --help`` lists the command from its short help (the first sentence of its docstring) and its
    module is imported only when it runs. ``cli.add_command()`` and ``@cli.command()`` work too,
    but import the command's module at every start of ``feedback``.

    :param cli: the top-level click group (`feedback.cli.FeedbackGroup`).
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
def register_question_types(
    register: Callable[[QuestionType | type[QuestionBase]], None],
) -> None:
    """Add question types: one `feedback.question_types.QuestionType` each.

    A type is its pydantic model (a subclass of `feedback.survey.QuestionBase` whose ``type`` field
    is a ``Literal`` with the new type's name, with ``check(value)`` and ``parse(raw)``) and its
    renderings: how the kiosk, the web form, the offline form and the paper form draw it, as
    targets loaded only when a channel draws the type. A channel without a rendering of a type
    refuses a survey that uses it when the survey is loaded. Registering a bare model class is
    still accepted: a type that no channel can draw.

    :param register: call with each `QuestionType` (or model class).
    """


@hookspec
def register_renderings(register: Callable[[Rendering], None]) -> None:
    """Draw question types that another package defined, for a channel of this plugin.

    The built-in channels draw the built-in question types this way. The first rendering of a
    (type, rendering) pair is kept.

    :param register: call with a `feedback.question_types.Rendering` for each pair.
    """


@hookspec
def register_settings(register: Callable[[SettingsSection], None]) -> None:
    """Declare this plugin's settings: a pydantic model read from its section of ``feedback.toml``.

    The section is ``[plugins.NAME]``, or ``[NAME]`` for a section the plugin owns by name (the
    built-ins: ``[kiosk]``, ``[web]``, ``[email]``). The core's loader reads it with the same error
    messages and ``FEEDBACK_...`` environment overrides as its own settings; ``feedback config
    show`` lists every field with its default and description.

    :param register: call with a `feedback.registry.SettingsSection`.
    """


@hookspec
def register_migrations(register: Callable[[Migrations], None]) -> None:
    """Declare this plugin's tables: a `feedback.sqlite.Migrations` set named after the plugin.

    Applied with the core's migrations when a database is opened, each set recorded under its own
    name. A plugin creates and changes only its own tables, never the core's.

    :param register: call with the plugin's ``Migrations``.
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
def response_storing(engine: Engine, store: Store, response: Response, survey: Survey) -> None:
    """Called inside the engine's transaction for each response it stores, after the response's
    row is written and before the commit (not for duplicates or conflicts).

    For writes that must be kept with the response or not at all: an outbox row of a message
    to send about it. Write only through ``store`` (the engine's connection, in its open
    transaction) and do nothing outside the database: a send, a file, anything the rollback
    cannot undo belongs in `response_submitted`. Keep it quick, as the database is locked for
    writing while it runs.

    An exception here rolls the response back, with all that hooks wrote: `Engine.submit`
    raises it unchanged and the channel reports the response as not saved (the kiosk keeps it
    in its spool to store later); `Engine.submit_many` stores none of the batch;
    `Engine.submit_batches` rolls back the group of batches under way.

    :param engine: the engine storing it (its settings, its plugins).
    :param store: the store, inside the engine's open transaction.
    :param response: the response as stored: checked, its survey version set.
    :param survey: the survey version it answers.
    """


@hookspec
def response_submitted(engine: Engine, response: Response) -> None:
    """Called after a response was committed to the database (not for duplicates or conflicts).

    For notifications and webhooks. An exception here is logged; the response stays stored.

    :param engine: the engine that stored it.
    :param response: the stored response.
    """


@hookspec(firstresult=True)
def paper_entry(engine: Engine, event: dict[str, Any], survey: Survey) -> PaperEntry | None:
    """Key in the paper forms of an event and a survey version: read each form's heading, refuse a
    No. entered already, and make the response a form becomes.

    A channel where staff key in paper forms (the kiosk's data entry) asks for this through
    `feedback.paper_entry.paper_entry`, so that a form reads and becomes the same response wherever
    it is keyed in, without that channel importing the plugin that knows paper forms (the built-in
    ``offline`` plugin answers). Stops at first non-None result.

    :param engine: the engine the forms are stored with.
    :param event: the event's row (``id``, ``date`` ...).
    :param survey: the survey version the forms were printed from.
    :returns: a `feedback.paper_entry.PaperEntry`, or ``None`` when this plugin does not key in
        paper forms of this survey.
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


@hookspec
def register_export_formats(register: Callable[[ExportFormat], None]) -> None:
    """Add response export formats (SPSS, Stata ...) to ``feedback responses export --format``.

    The writer is a target loaded only when its format is chosen; it gets the responses of one
    survey with the survey's versions and the language of the labels, and writes a file that the
    core then puts in place whole or not at all. The built-in csv, jsonl and xlsx cannot be
    replaced.

    :param register: call with a `feedback.registry.ExportFormat` for each format.
    """
