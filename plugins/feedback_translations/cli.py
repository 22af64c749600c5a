"""``feedback survey translations export|import``: a thin layer over `catalog` and `surveyfile`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from feedback import clock, files
from feedback.cli import CommandError, check_output, state
from feedback.engine import shipped_surveys_dir
from feedback.errors import SurveyNotFound
from feedback.i18n import plural
from feedback.survey import Survey
from feedback_translations.catalog import TranslationError, build, plan, po_bytes, read
from feedback_translations.surveyfile import Change, new_data, render


@click.group()
def translations() -> None:
    """A survey's texts as PO files for translators, and their translations back.

    Export a PO file for a language, have it translated in any PO editor, import it: the
    translations are written into the survey's file and the language is added to the survey.
    """


@translations.command(name="export")
@click.argument("survey_ref", metavar="[SURVEY]", required=False)
@click.option("-l", "--language", required=True, help="The language to translate into (fr, pt-BR).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the PO file here (default: print it).",
)
def export(survey_ref: str | None, language: str, output: Path | None) -> None:
    """Write a PO file of every text of a survey (a file or an id; default: the project's).

    Each msgid is the text in the survey's first language, each msgctxt names the text
    (question:role/label, scale:agree5/points/agree/label), and each msgstr is the translation
    the survey already has, or empty.
    """
    engine = state().engine()
    survey = engine.resolve_survey(survey_ref)
    if output is not None:
        check_output(output, engine.settings.db)
    catalog = build(survey, language, clock.moment())
    data = po_bytes(catalog)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    files.write_bytes(output, data)
    done = sum(1 for message in catalog if message.id and message.string)
    click.echo(
        f"wrote {output}: {plural(len(catalog), 'text')} of survey '{survey.id}' "
        f"(version {survey.version}), {done} already translated into {language}",
        err=True,
    )


@translations.command(name="import")
@click.argument("po_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--survey",
    "survey_ref",
    help="The survey (a file or an id; default: the one the PO file was exported from).",
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def import_translations(po_file: Path, survey_ref: str | None, dry_run: bool) -> None:
    """Write the translations of a PO file into its survey's file, and list what is missing,
    fuzzy or no longer used.

    Fuzzy translations, translations of a text that has changed since the export, and texts the
    survey no longer has are listed and not applied. The file keeps its comments and layout
    where it can; otherwise it is written anew and the command says so.
    """
    engine = state().engine()
    catalog = read(po_file)
    try:
        survey, path = _survey_file(engine, survey_ref or catalog.project or None, po_file)
    except SurveyNotFound as exc:
        if survey_ref is not None:
            raise
        raise TranslationError(
            f"{po_file}: the PO file is of survey '{catalog.project}' (Project-Id-Version), "
            f"which cannot be used here ({exc}): give --survey"
        ) from exc
    found = plan(survey, catalog, po_file)
    language, source = found.language, survey.languages[0]
    changes = [Change(found.targets[c], text) for c, text in found.apply.items()]
    if changes:  # the texts left untranslated show the source text (see `Plan.stand_ins`)
        changes += [Change(e, e.source(source)) for e in found.stand_ins.values()]
    text = None
    in_place = True
    if changes:
        document = engine.pm.hook.load_survey(path=path)
        wanted = new_data(document.data, changes, survey.languages, language)

        def read_back(probe: Path) -> Any:
            engine.read_survey(probe)  # valid, with the project's question types
            return engine.pm.hook.load_survey(path=probe).data

        try:
            text, in_place = render(path, wanted, changes, survey.languages, language, read_back)
        except ValueError as exc:
            raise TranslationError(str(exc)) from exc
    _report(survey, path, found, dry_run)
    if text is None:
        click.echo(f"{path} is unchanged")
        return
    new = "" if language in survey.languages else f" and {language} added to its languages"
    verb = "would be" if dry_run else "were"
    click.echo(f"{plural(len(found.apply), 'translation')} {verb} written into {path}{new}")
    if found.stand_ins:
        click.echo(
            f"{plural(len(found.stand_ins), 'text')} without a translation {verb} shown in "
            f"{source} (the {source} text stands in for {language} until translated)"
        )
    if not in_place:
        click.echo(
            f"{path} {verb} written anew in the stable layout: the YAML library cannot keep its "
            "comments and formatting for these changes",
            err=True,
        )
    if not dry_run:
        files.write_text(path, text)


def _survey_file(engine: Any, ref: str | None, po_file: Path) -> tuple[Survey, Path]:
    """The survey a PO file goes into and its file, which must be the project's own."""
    if ref is None:
        raise CommandError(
            f"{po_file}: the PO header names no survey (Project-Id-Version): give --survey", 2
        )
    if "/" in ref or Path(ref).is_file():
        return engine.read_survey(ref), Path(ref)
    survey = engine.survey(ref)
    path = Path(engine.surveys()[survey.id][1])
    if path.resolve().is_relative_to(shipped_surveys_dir().resolve()):
        raise CommandError(
            f"survey '{survey.id}' is the one shipped with feedback ({path}): copy it into the "
            "project's surveys/ folder first, then import its translations there",
            2,
        )
    return survey, path


def _report(survey: Survey, path: Path, found: Any, dry_run: bool) -> None:
    click.echo(
        f"survey '{survey.id}' ({path}), language {found.language}: "
        f"{plural(len(found.apply), 'new translation')}, {len(found.unchanged)} unchanged"
        + (" (dry run: nothing written)" if dry_run else "")
    )
    for title, contexts in (
        ("missing (no translation)", found.missing),
        ("fuzzy (not applied)", found.fuzzy),
        ("source text changed since the export (not applied: re-export)", found.changed),
        ("no longer in the survey (not applied)", found.obsolete),
    ):
        if contexts:
            click.echo(f"{title}: {len(contexts)}")
            for context in contexts:
                click.echo(f"  {context}")
