"""``feedback xlsform``: a survey to KoboToolbox or ODK as an XLSForm, and its submissions back."""

from __future__ import annotations

from pathlib import Path

import click

from feedback.cli import CommandError, check_output, db_option, state
from feedback.errors import FeedbackError
from feedback.i18n import plural


@click.group()
def xlsform() -> None:
    """XLSForms for KoboToolbox and ODK: export a survey, import its submissions.

    An XLSForm in the project's surveys/ folder is read as a survey as it is;
    `feedback survey import FORM.xlsx` turns one into YAML.
    """


@xlsform.command(name="export")
@click.argument("survey_ref", metavar="FILE_OR_ID")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)  # fmt: skip
@db_option
def export(survey_ref: str, output: Path, db: Path | None) -> None:
    """Write a survey as an XLSForm (survey, choices and settings sheets) for KoboToolbox or ODK.

    Reading the file back gives the same survey: our own fields travel in a `feedback` column.
    """
    from feedback_xlsform.writing import write_xlsform

    engine = state().engine(db)
    check_output(output, None)
    try:
        survey = engine.resolve_survey(survey_ref)
        write_xlsform(survey, output)
    except FeedbackError as exc:
        raise CommandError(str(exc), exc.exit_code) from exc
    except OSError as exc:
        raise CommandError(f"{output}: cannot write: {exc.strerror or exc}", 2) from exc
    click.echo(f"wrote {survey.id} to {output}", err=True)


@xlsform.command(name="submissions")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--survey", "survey_id", required=True, help="The survey the form was made from.")
@click.option("--event", "event_id", required=True, help="The event the submissions are for.")
@click.option("--language", help="The language of the answers (default: the survey's first).")
@db_option
def submissions(
    file: Path, survey_id: str, event_id: str, language: str | None, db: Path | None
) -> None:
    """Import submissions exported from KoboToolbox or ODK Central as CSV.

    Each submission's instance id becomes its response id: importing a file twice adds nothing.
    The file is all or nothing; every problem is named by row and column (exit code 2).
    """
    from feedback_xlsform.submissions import read_submissions

    engine = state().engine(db)
    try:
        survey = engine.survey(survey_id)
        items = read_submissions(file, survey, event_id, language)
        result = engine.submit_many(items)
    except FeedbackError as exc:
        raise CommandError(str(exc), exc.exit_code) from exc
    for rejection in result.rejected:
        click.echo(rejection.render(), err=True)
    for rid in result.conflicts:
        click.echo(
            f"{file}: response {rid}: a different response with this id is already stored; "
            "kept in the conflicts table for review",
            err=True,
        )
    if result.rejected_count:
        raise CommandError(f"{file}: {result.rejected_count} rejected: nothing stored", 2)
    click.echo(
        f"{file}: {plural(result.received, 'submission', 'submissions')} read, "
        f"{result.stored} stored, {result.already_stored} already present"
    )
    if result.conflicts:
        raise CommandError(f"{file}: {plural(len(result.conflicts), 'conflict', 'conflicts')}", 2)
