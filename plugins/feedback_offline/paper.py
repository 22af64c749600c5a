"""``feedback offline paper`` (a printable form, PDF or HTML) and ``feedback offline template`` (the
CSV in which staff key in the filled forms).

The paper form shows every question with its number, a box next to each option with the code staff
type into the template (`feedback_offline.codes`), ``show_if`` conditions in words ("Only if you
answered "Yes" to question 10"), and on every page the form code and a "No." field for the number
staff write on each form before keying it in. With ``base_url`` set it also carries a QR code of
the event's open web link. The form is built once as plain data (`PaperForm`) and drawn from it as
HTML (``paper_templates/paper.html.j2``) or PDF (`feedback_offline.paper_pdf`).

Each question is printed by its type's paper layout (`feedback.paper_layout`, the type's ``paper``
rendering; the built-in types' are `feedback_offline.paper_layouts`): the form draws the frame
(number, label, help, condition, instruction), the layout the answer area. A survey with a type
that has no paper rendering is refused when the form or the template is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from markupsafe import Markup

from feedback import files
from feedback.cli import CommandError, check_output, db_option, state
from feedback.engine import Engine
from feedback.errors import SurveyError, did_you_mean
from feedback.i18n import long_date
from feedback.paper_layout import PaperContext, PaperItem
from feedback.question_types import QuestionTypes
from feedback.survey import QuestionBase, Survey
from feedback_offline.codes import (
    describe_condition,
    form_code,
    layout_for,
    question_numbers,
    require,
)
from feedback_offline.entry import EntryFile, read_entry_csv, template_csv
from feedback_offline.paper_words import words

__all__ = [
    "EntryFile",
    "PaperForm",
    "build_form",
    "paper_command",
    "read_entry_csv",
    "render_html",
    "template_command",
]

TEMPLATES = Path(__file__).parent / "paper_templates"
PAPER_SUFFIXES = (".pdf", ".html")


# -- the form as data ------------------------------------------------------------------------------


#: One question as printed (`feedback.paper_layout.PaperItem`).
Item = PaperItem


@dataclass
class Part:
    title: str
    intro: str
    items: list[Item]


@dataclass
class PaperForm:
    """Everything a paper form shows, in one language."""

    language: str
    words: dict[str, str]
    title: str
    description: str
    event_title: str
    event_line: str
    form_code: str
    anonymous: bool
    thank_you: str
    parts: list[Part]
    link: str | None = None
    qr: Any = None  # a segno QRCode of ``link``

    def qr_data_uri(self) -> str:
        return self.qr.svg_data_uri(scale=4, border=2, dark="#000") if self.qr else ""


def build_form(
    event: dict[str, Any],
    survey: Survey,
    language: str,
    base_url: str | None = None,
    types: QuestionTypes | None = None,
) -> PaperForm:
    """The paper form of ``survey`` at ``event`` (a row of the events table) in ``language``.

    ``types``: the engine's question types, whose paper renderings print the questions (without
    it, the built-in types' layouts, and a line to write on for any other type).

    :raises SurveyError: a question's type has no paper rendering (with ``types``).
    """
    if types is not None:
        require(types, survey)
    w = words(language)
    numbers = question_numbers(survey)
    parts = [
        Part(
            survey.text(section.title, language),
            survey.text(section.intro, language),
            [_item(q, survey, numbers, language, types) for q in section.questions],
        )
        for section in survey.section_list()
    ]
    link = qr = None
    if base_url:
        import segno

        link = f"{base_url.rstrip('/')}/e/{event['id']}"
        qr = segno.make(link, error="m")
    return PaperForm(
        language=language,
        words=w,
        title=survey.text(survey.title, language),
        description=survey.text(survey.description, language),
        event_title=event.get("title") or event["id"],
        event_line=" · ".join(
            p for p in (long_date(event.get("date"), language), event.get("city") or "") if p
        ),
        form_code=form_code(event["id"], survey.id, survey.version),
        anonymous=survey.anonymous,
        thank_you=survey.text(survey.thank_you, language),
        parts=parts,
        link=link,
        qr=qr,
    )


def _item(
    question: QuestionBase,
    survey: Survey,
    numbers: dict[str, int],
    language: str,
    types: QuestionTypes | None,
) -> PaperItem:
    layout = layout_for(question, types)
    item = PaperItem(
        question=question,
        layout=layout,
        id=question.id,
        label=survey.text(question.label, language),
        number=numbers.get(question.id),
        help=survey.text(question.help, language),
        required=question.required,
    )
    if question.show_if is not None:
        item.condition = describe_condition(question.show_if, survey, numbers, language)
    layout.prepare(item, PaperContext(language, words(language)))
    if item.help.strip().casefold() == item.instruction.casefold():
        item.instruction = ""  # the survey's help says it already
    return item


# -- HTML ----------------------------------------------------------------------------------------


def render_html(form: PaperForm) -> str:
    """The form as one self-contained HTML page with a print stylesheet."""
    from feedback_offline.paper_layouts import templates

    env = templates()
    css = Markup((TEMPLATES / "paper.css").read_text(encoding="utf-8"))
    context = PaperContext(form.language, form.words)

    def answer_area(item: PaperItem) -> Markup:
        """The answer area of a question: its layout's HTML (which escapes what it prints)."""
        return Markup(item.layout.html(item, context))

    return env.get_template("paper.html.j2").render(
        f=form, w=form.words, css=css, answer_area=answer_area
    )


# -- the commands ----------------------------------------------------------------------------------

event_option = click.option(
    "--event",
    "event_id",
    required=True,
    metavar="ID",
    help="The event (see `feedback event list`).",
)
survey_option = click.option(
    "--survey",
    "survey_ref",
    metavar="ID",
    default=None,
    help="Survey id or file (default: the project's default survey, post-seminar).",
)


def _prepare(
    engine: Engine, event_id: str, survey_ref: str | None, language: str | None
) -> tuple[dict[str, Any], Survey, str]:
    event = engine.store.event(event_id)
    if event is None:
        hint = did_you_mean(event_id, engine.store.event_ids())
        raise CommandError(f"unknown event '{event_id}'{hint}", 2)
    survey = engine.resolve_survey(survey_ref)
    try:
        require(engine.types, survey)  # every question printable, before anything is written
    except SurveyError as exc:
        raise CommandError(str(exc), 2) from exc
    if language is None:
        language = survey.languages[0]
    elif language not in survey.languages:
        matches = [lang for lang in survey.languages if lang.lower() == language.lower()]
        if not matches:
            raise CommandError(
                f"unknown language '{language}' for survey '{survey.id}' (it has "
                f"{', '.join(survey.languages)}){did_you_mean(language, survey.languages)}",
                2,
            )
        language = matches[0]
    # Keep the survey version in the database, so the forms can be read back after the survey
    # file changes.
    engine.keep_survey_version(survey)
    return event, survey, language


def _check_output(path: Path, suffixes: tuple[str, ...]) -> None:
    if path.suffix.lower() not in suffixes:
        names = " or ".join(suffixes)
        raise CommandError(
            f"{path}: expected a file name ending in {names}, found '{path.suffix}'", 2
        )
    if not path.parent.is_dir():
        raise CommandError(f"{path}: the folder {path.parent} does not exist", 2)
    check_output(path)


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (`feedback.files.write_bytes`)."""
    try:
        files.write_bytes(path, data)
    except OSError as exc:  # the folder changed since it was checked
        raise CommandError(f"-o: cannot write {path}: {exc.strerror or exc}", 2) from exc


@click.command("paper")
@event_option
@survey_option
@click.option(
    "--lang", "language", metavar="LANG", help="The language (default: the survey's first)."
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The form to write: a .pdf, or an .html page to print from a browser.",
)
@db_option
def paper_command(
    event_id: str, survey_ref: str | None, language: str | None, output: Path, db: Path | None
) -> None:
    """Write a printable paper form with tick boxes, codes for keying in, and the form code.

    Number each filled form in its "No." field, then key it into the template of `feedback
    offline template` and import that with `feedback offline import`.
    """
    _check_output(output, PAPER_SUFFIXES)
    engine = state().engine(db)
    event, survey, language = _prepare(engine, event_id, survey_ref, language)
    form = build_form(event, survey, language, engine.settings.base_url, engine.types)
    if output.suffix.lower() == ".html":
        data = render_html(form).encode("utf-8")
    else:
        from feedback_offline.paper_pdf import render_pdf

        data = render_pdf(form)
    write_file(output, data)
    click.echo(f"Wrote {output} (form {form.form_code}, {survey.id}, {language})", err=True)


@click.command("template")
@event_option
@survey_option
@click.option(
    "--lang",
    "language",
    metavar="LANG",
    help="The language of the legend (default: the survey's first).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The CSV file to write.",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists (its rows are lost).")
@db_option
def template_command(
    event_id: str,
    survey_ref: str | None,
    language: str | None,
    output: Path,
    force: bool,
    db: Path | None,
) -> None:
    """Write a CSV template for keying in paper forms in a spreadsheet, one form per row.

    Its first lines (starting with #) name the form and list every column's codes; import the
    filled file with `feedback offline import`.
    """
    _check_output(output, (".csv",))
    if output.exists() and not force:
        raise CommandError(
            f"{output}: the file exists and may hold keyed-in forms; choose another name or "
            "give --force to replace it",
            2,
        )
    engine = state().engine(db)
    event, survey, language = _prepare(engine, event_id, survey_ref, language)
    write_file(output, template_csv(event, survey, language, engine.types).encode("utf-8-sig"))
    code = form_code(event["id"], survey.id, survey.version)
    click.echo(f"Wrote {output} (form {code}, {survey.id})", err=True)
