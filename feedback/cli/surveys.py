"""``feedback survey``: validate, show, list, schema, and import (`feedback.cli.survey_import`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from feedback.cli import CommandError, LazyCommand, json_option, state
from feedback.errors import FeedbackError, SurveyError
from feedback.i18n import plural
from feedback.loading import SurveyFile
from feedback.survey import (
    ChoiceQuestion,
    MultiChoice,
    Note,
    Number,
    QuestionBase,
    Rating,
    ScaleQuestion,
    Survey,
    TextQuestion,
    ThenNow,
    localise,
)


@click.group()
def survey() -> None:
    """Survey definitions: check them, read them, publish their schema."""


@survey.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check survey files (default: every survey file the project can see).

    Prints every problem of every file, each with its file, line and path, in one run; exits 2
    when any file is invalid.
    """
    engine = state().engine()
    checked = [_checked(engine, path) for path in files] if files else engine.survey_catalogue()
    if not checked:
        raise CommandError("no survey files given and none found", 2)
    failed = 0
    for entry in checked:
        if entry.error is not None:
            failed += 1
            click.echo(entry.error.render(), err=True)
            continue
        assert entry.survey is not None
        loaded = entry.survey
        unused = f"; not used: {entry.replaced_by} replaces it" if entry.replaced_by else ""
        click.echo(
            f"ok: {entry.path} ({loaded.id}, version {loaded.version}, "
            f"{plural(len(loaded.all_questions()), 'question')}, "
            f"languages {', '.join(loaded.languages)}{unused})"
        )
    if failed:
        raise CommandError(
            f"{failed} of {plural(len(checked), 'survey file')} invalid (every problem is listed "
            "above)",
            2,
        )


def _checked(engine: Any, path: Path) -> SurveyFile:
    """A file named on the command line, read on its own."""
    try:
        loaded = engine.read_survey(path)
    except SurveyError as exc:
        return SurveyFile(path, None, exc, None, 0)
    return SurveyFile(path, loaded, None, loaded.id, 0)


@survey.command(name="list")
@json_option
def list_surveys(as_json: bool) -> None:
    """List the surveys the project can see, and the files that fail to load with their first
    error (`feedback survey validate` lists every problem)."""
    engine = state().engine()
    rows: list[dict[str, Any]] = []
    for entry in engine.survey_catalogue():
        if not entry.in_use:
            continue  # a shipped survey that a file of the project replaces
        s = entry.survey
        rows.append(
            {
                "id": s.id if s else entry.survey_id,
                "version": s.version if s else None,
                "title": s.text(s.title) if s else None,
                "languages": s.languages if s else [],
                "questions": len(s.all_questions()) if s else None,
                "file": str(entry.path),
                "error": entry.first_problem or None,
                "problems": len(entry.error.problems) if entry.error else 0,
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("id", "version", "title", "languages", "questions", "file")
    broken = 0
    for row in rows:
        if row["error"]:
            broken += 1
            more = row["problems"] - 1
            error = row["error"] + (f" (and {plural(more, 'more problem')})" if more else "")
            table.add_row(
                escape(row["id"] or "?"),
                "[red]invalid[/red]",
                f"[red]{escape(error)}[/red]",
                "",
                "",
                escape(row["file"]),
            )
            continue
        table.add_row(
            row["id"],
            row["version"],
            escape(row["title"]),
            ", ".join(row["languages"]),
            str(row["questions"]),
            escape(row["file"]),
        )
    Console().print(table)
    if broken:
        click.echo(
            f"{plural(broken, 'survey file has', 'survey files have')} errors: "
            "`feedback survey validate` lists every problem",
            err=True,
        )


@survey.command()
@click.argument("survey_ref", metavar="[FILE_OR_ID]", required=False)
@click.option("--lang", help="Language to show (default: the survey's first).")
def show(survey_ref: str | None, lang: str | None) -> None:
    """Show a survey as a participant would meet it (default: the shipped post-seminar survey)."""
    engine = state().engine()
    loaded = engine.resolve_survey(survey_ref)
    language = lang or loaded.languages[0]
    if language not in loaded.languages:
        raise CommandError(
            f"--lang: the survey has {', '.join(loaded.languages)}, not '{language}'", 2
        )
    Console(highlight=False).print(*render_survey(loaded, language), sep="\n")


def render_survey(s: Survey, language: str) -> list[object]:
    """Rich renderables for a survey in one language."""
    out: list[object] = []
    head = f"[bold]{escape(s.text(s.title, language))}[/bold]"
    if s.description:
        head += "\n" + escape(s.text(s.description, language))
    head += (
        f"\n[dim]id {s.id} · version {s.version} · languages {', '.join(s.languages)} · "
        f"{'anonymous' if s.anonymous else 'named'} · {plural(len(s.all_questions()), 'question')}[/dim]"
    )
    out.append(Panel(head, expand=False))
    number = 0
    for section in s.section_list():
        if section.title:
            out.append(
                f"\n[bold underline]{escape(s.text(section.title, language))}[/bold underline]"
            )
        if section.intro:
            out.append(f"[italic]{escape(s.text(section.intro, language))}[/italic]")
        for question in section.questions:
            if not isinstance(question, Note):
                number += 1
            out.extend(_render_question(s, question, language, number))
    if s.thank_you:
        out.append(f"\n[bold]{escape(s.text(s.thank_you, language))}[/bold]")
    return out


def _render_question(s: Survey, q: QuestionBase, language: str, number: int) -> list[object]:
    label = escape(s.text(q.label, language))
    if isinstance(q, Note):
        return [Panel(label, border_style="dim", expand=False)]
    marks = []
    if q.required:
        marks.append("[red]required[/red]")
    if q.measures:
        marks.append(f"measures {q.measures}")
    if q.show_if is not None:
        marks.append(f"shown if {escape(json.dumps(q.show_if.dump(), default=list))}")
    meta = f"  [dim]{q.id} · {q.type}{' · ' if marks else ''}{' · '.join(marks)}[/dim]"
    lines: list[object] = [f"\n[bold]{number}.[/bold] {label}", meta]
    if q.help:
        lines.append(f"   [italic]{escape(s.text(q.help, language))}[/italic]")
    lines.extend(f"   {escape(line)}" for line in _answer_lines(q, language))
    return lines


def _answer_lines(q: QuestionBase, language: str) -> list[str]:
    if isinstance(q, ChoiceQuestion):
        box = "☐" if isinstance(q, MultiChoice) else "○"
        lines = [f"{box} {c.text(language)}" for c in q.choices]
        if isinstance(q, MultiChoice) and (q.min_selections or q.max_selections):
            lines.append(f"(choose {q.min_selections} to {q.max_selections or len(q.choices)})")
        return lines
    if isinstance(q, ScaleQuestion):
        scale = q.resolved_scale
        points = " | ".join(p.text(language) for p in scale.points)
        na = f"   ({scale.na.text(language)})" if q.allow_na and scale.na else ""
        if isinstance(q, ThenNow):
            then = localise(q.then_label, language, "Before the seminar")
            now = localise(q.now_label, language, "Now")
            return [f"{then}: {points}{na}", f"{now}: {points}{na}"]
        return [points + na]
    if isinstance(q, Rating):
        low = f" ({localise(q.min_label, language)})" if q.min_label else ""
        high = f" ({localise(q.max_label, language)})" if q.max_label else ""
        return [f"{q.min}{low} … {q.max}{high}"]
    if isinstance(q, Number):
        bounds = [
            f"min {q.min:g}" if q.min is not None else "",
            f"max {q.max:g}" if q.max is not None else "",
        ]
        kind = "whole number" if q.integer else "number"
        return [f"[{kind}{', ' if any(bounds) else ''}{', '.join(b for b in bounds if b)}]"]
    if isinstance(q, TextQuestion):
        return [f"[{'long ' if q.long else ''}text, up to {q.max_length} characters]"]
    if q.type == "yes_no":
        return ["○ yes   ○ no"]
    return [f"[{q.type}]"]


@survey.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of survey files (for editors' validation and completion)."""
    engine = state().engine()
    document = engine.survey_model.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "feedback survey definition"
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if output is None:
        click.echo(text)
        return
    try:
        from feedback import files

        files.write_text(output, text + "\n")
    except OSError as exc:
        raise FeedbackError(f"{output}: cannot write: {exc.strerror}") from exc
    click.echo(f"wrote {output}", err=True)


# `feedback survey import` is loaded only when it runs (it reads through every format plugin).
survey.add_command(
    LazyCommand(
        "import",
        "feedback.cli.survey_import:import_survey",
        "Turn a questionnaire of another tool (LimeSurvey, SurveyJS ...) into a survey file of "
        "ours.",
    )
)


@survey.command()
@click.argument("survey_ref", metavar="[SURVEY]", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "csv"]),
    default="html",
    show_default=True,
    help="HTML page, Markdown, or CSV (a row per variable).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@click.option("--language", help="Only the texts and labels in this language (default: all).")
def codebook(survey_ref: str | None, fmt: str, output: Path | None, language: str | None) -> None:
    """Write the codebook of a survey: every variable of its SPSS and Stata files, in words.

    For each variable: its name, the question text in each language, its type, its codes and
    labels, its missing codes, the condition that shows it, and the survey versions that ask it.
    SURVEY is an id or a file (default: the project's default survey); the versions stored with
    responses are included, named as `feedback responses export --format sav|dta` names them.
    """
    from feedback import codebook as codebooks
    from feedback import files
    from feedback.errors import did_you_mean
    from feedback.variables import survey_versions

    engine = state().engine()
    if output is not None:
        from feedback.cli import check_output

        check_output(output, engine.settings.db_path)
    if survey_ref is not None and (Path(survey_ref).suffix or "/" in survey_ref):
        loaded = engine.resolve_survey(survey_ref)
        stored = survey_versions(engine, loaded.id) if _stored(engine, loaded.id) else []
        versions = [loaded, *(s for s in stored if s.version != loaded.version)]
    else:
        versions = survey_versions(engine, survey_ref or engine.settings.default_survey)
    if language is not None and language not in versions[0].languages:
        raise CommandError(
            f"--language: survey '{versions[0].id}' is in {', '.join(versions[0].languages)}, "
            f"not '{language}'" + did_you_mean(language, versions[0].languages),
            2,
        )
    text = codebooks.render(codebooks.build(versions, language), fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        files.write_text(output, text)
    except OSError as exc:
        raise CommandError(f"{output}: cannot write: {exc.strerror or exc}", 2) from exc
    click.echo(f"wrote the codebook of {versions[0].id} to {output}", err=True)


def _stored(engine: Any, survey_id: str) -> bool:
    return bool(engine.settings.db_path.exists() and engine.store.survey_versions(survey_id))
