"""``feedback offline form``: the survey as one HTML file that works opened from disk, with no network.

The file holds everything: the web form's styles, the scripts the web form uses too (the core's
``feedback/static/js``: ``conditions.js`` show_if, ``answers.js`` the one answer parser's twin,
``types.js`` the question types' components), the components of the survey's question types from
plugins (each type's ``offline`` rendering), the form's own scripts (``assets/``: ``core.js``
checksums and ids; ``survey.js`` the survey's pages and answers; ``form.js`` the pages, the draft
and the files) and a JSON data block with the survey's canonical definition, its id, version and
languages, the event, and the form's words in each language. Its Content-Security-Policy allows nothing but its
own inline style and scripts, by their hashes.

Each submitted response is saved as a response file (`feedback_offline.files`), kept in the
browser's localStorage as well, and "export all" saves them together as one bundle; the files are
read back with ``feedback offline import``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import click
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from feedback import files as output_files
from feedback.cli import CommandError, check_output, db_option, state
from feedback.engine import Engine
from feedback.errors import FeedbackError, did_you_mean
from feedback.form_words import language_name
from feedback.form_words import words as web_words
from feedback.i18n import words_in
from feedback.question_types import QuestionTypes, collect_types, resource_text
from feedback.questions import field_defaults
from feedback.survey import Survey
from feedback_offline import files

HERE = Path(__file__).parent
ASSETS = HERE / "assets"
SHARED = resources.files("feedback") / "static" / "js"
#: the scripts the web form serves too (show_if, the answer parser, the question components),
#: first; the components of plugin types come after them, then the form's own (`OWN_SCRIPTS`)
SHARED_SCRIPTS = (SHARED / "conditions.js", SHARED / "answers.js", SHARED / "types.js")
OWN_SCRIPTS = (ASSETS / "core.js", ASSETS / "survey.js", ASSETS / "form.js")
#: every script of a form whose types are all built in, each an inline block, in this order
SCRIPTS = SHARED_SCRIPTS + OWN_SCRIPTS
#: how the offline form draws question types (`feedback.question_types.RENDERINGS`)
RENDERING = "offline"
#: the forms' styles (the core's, served by the web form too): both forms look the same
WEB_CSS = resources.files("feedback") / "static" / "css" / "form.css"

#: the web form's words the offline form uses
WEB_KEYS = (
    "language",
    "next",
    "back",
    "submit",
    "page_of",
    "required_mark",
    "errors_title",
    "required",
    "both_rows",
    "before",
    "now",
    "yes",
    "no",
    "expected_number",
    "expected_whole",
    "between",
    "at_least",
    "at_most",
    "select_between",
    "too_long",
    "one_line",
    "choose",
    "yes_or_no",
    "expected_date",
    "no_such_date",
    "date_between",
    "date_from",
    "date_until",
    "invalid",
    "thank_you_title",
    "thank_you",
    "skip",
)

#: the offline form's own words (English fills the gaps of other languages)
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "saved_file": "Your answers were saved in the file {name} (in the downloads folder).",
        "not_kept": "This browser could not keep a copy of your answers: please make sure the "
        "file was saved.",
        "save_again": "Save the file again",
        "next_participant": "Next participant",
        "export_all": "Export all responses",
        "kept": "Responses kept in this browser: {n}",
        "exported": "Saved {name} with {n} responses.",
        "none_kept": "No responses are kept in this browser yet.",
        "organisers": "For the organisers",
        "clear_form": "Clear the form for the next participant",
        "needs_script": "This form needs JavaScript. Please open it in a web browser with "
        "JavaScript turned on.",
    },
    "nl": {
        "saved_file": "Uw antwoorden zijn opgeslagen in het bestand {name} (in de map met "
        "downloads).",
        "not_kept": "Deze browser kon geen kopie van uw antwoorden bewaren: controleer of het "
        "bestand is opgeslagen.",
        "save_again": "Het bestand opnieuw opslaan",
        "next_participant": "Volgende deelnemer",
        "export_all": "Alle antwoorden exporteren",
        "kept": "Antwoorden bewaard in deze browser: {n}",
        "exported": "{name} opgeslagen met {n} antwoorden.",
        "none_kept": "Er zijn nog geen antwoorden bewaard in deze browser.",
        "organisers": "Voor de organisatoren",
        "clear_form": "Het formulier leegmaken voor de volgende deelnemer",
        "needs_script": "Dit formulier heeft JavaScript nodig. Open het in een webbrowser waarin "
        "JavaScript aan staat.",
    },
}


def words(language: str) -> dict[str, str]:
    """The form's words in ``language``: the web form's it shares, and its own."""
    shared = web_words(language)
    # (a problem's key without a word here is shown in the parser's English message)
    return {key: shared[key] for key in WEB_KEYS if key in shared} | words_in(WORDS, language)


def offline_types(types: QuestionTypes) -> QuestionTypes:
    """``types`` with the offline form's renderings of the built-in types, which its plugin
    registers (`feedback_offline.register_renderings`), also on an engine without the plugin."""
    from feedback_offline import register_renderings

    return types.including(register_renderings, "feedback_offline")


def builtin_types() -> QuestionTypes:
    """The built-in question types alone, for a form made without an engine."""
    return collect_types(_NoPlugins())


class _NoHook:
    def get_hookimpls(self) -> list[Any]:
        return []


class _NoPlugins:
    """A plugin manager's ``hook`` with no implementations: the built-in question types only."""

    class hook:  # the attribute of a plugin manager
        register_question_types = _NoHook()
        register_renderings = _NoHook()


def question_defaults(types: QuestionTypes | None = None) -> dict[str, dict[str, Any]]:
    """Each question type's field defaults, which the canonical definition leaves out."""
    return field_defaults((types or builtin_types()).models())


def require(types: QuestionTypes, survey: Survey) -> None:
    """Refuse now a survey the offline form cannot draw in full (a question of a type with no
    ``offline`` rendering).

    :raises SurveyError: naming each question and its type.
    """
    offline_types(types).require(survey, RENDERING, "offline form")


def component_scripts(types: QuestionTypes, survey: Survey) -> list[str]:
    """The text of each component the survey's question types need beyond the core's, in the
    order the types first appear (each file once)."""
    shared = {f"feedback:static/js/{path.name}" for path in SHARED_SCRIPTS}
    targets: list[str] = []
    drawn = offline_types(types)
    for question in survey.questions_in_order:
        target = drawn.target(question.type, RENDERING)
        if target is not None and target not in shared and target not in targets:
            targets.append(target)
    texts = []
    for target in targets:
        text = resource_text(target).replace("\r\n", "\n")
        _inline_safe(text, target, "</script")
        texts.append(text)
    return texts


def script_json(value: Any) -> str:
    """JSON for a ``<script type="application/json">`` block: no ``<``, ``>`` or ``&`` in it, so
    that no text of the survey can close the block or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def csp_source(text: str) -> str:
    """The CSP source that allows one inline block: ``'sha256-<base64>'`` of its UTF-8 text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _asset(path: Traversable, closing: str) -> str:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    _inline_safe(text, str(path), closing)
    return text


def _inline_safe(text: str, where: str, closing: str) -> None:
    if closing in text.lower() or "<!--" in text:
        raise ValueError(f"{where}: an inline block may not contain '{closing}' or '<!--'")


def form_data(
    survey: Survey, event: dict[str, Any], types: QuestionTypes | None = None
) -> dict[str, Any]:
    """What the data block holds: the event, the survey, its defaults and the form's words."""
    return {
        "event": {"id": event["id"], "title": event.get("title") or ""},
        "survey": {
            "id": survey.id,
            "version": survey.version,
            "languages": list(survey.languages),
            "definition": survey.canonical(),
        },
        "defaults": question_defaults(types),
        "words": {language: words(language) for language in survey.languages},
        "language_names": {language: language_name(language) for language in survey.languages},
        "files": {
            "response": files.FORMAT,
            "bundle": files.BUNDLE,
            "version": files.FORMAT_VERSION,
        },
    }


def render_form(survey: Survey, event: dict[str, Any], types: QuestionTypes | None = None) -> str:
    """The whole offline form of ``survey`` at ``event``, as the text of one HTML file;
    ``types``: the engine's question types (default: the built-in ones).

    :raises SurveyError: a question of a type the offline form cannot draw.
    """
    types = types or builtin_types()
    require(types, survey)
    css = _asset(WEB_CSS, "</style") + _asset(ASSETS / "offline.css", "</style")
    scripts = (
        [_asset(path, "</script") for path in SHARED_SCRIPTS]
        + component_scripts(types, survey)
        + [_asset(path, "</script") for path in OWN_SCRIPTS]
    )
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(csp_source(s) for s in scripts),
            "style-src " + csp_source(css),
            "img-src data:",
            "connect-src 'none'",
            "form-action 'none'",
            "base-uri 'none'",
        ]
    )
    language = survey.languages[0]
    title = event.get("title") or ""
    city = event.get("city") or ""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("form.html.j2").render(
        language=language,
        w=words(language),
        title=survey.text(survey.title, language),
        event_line=(f"{title} · {city}" if title and city else title or event["id"]),
        csp=Markup(csp),  # quotes, base64 and names only
        css=Markup(css),
        scripts=[Markup(s) for s in scripts],
        data=Markup(script_json(form_data(survey, event, types))),
    )


def _write(path: Path, text: str) -> None:
    """Write ``text`` whole or not at all (`feedback.files.write_text`)."""
    output_files.write_text(path, text)


def _survey(engine: Engine, survey_id: str | None) -> Survey:
    try:
        return engine.survey(survey_id)
    except FeedbackError as exc:
        raise CommandError(str(exc), exc.exit_code) from exc


@click.command("form")
@click.option("--event", "event_id", required=True, help="The event the responses are for.")
@click.option(
    "--survey",
    "survey_id",
    default=None,
    help="The survey's id (default: the project's default survey).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The HTML file to write (default: offline-form-EVENT.html).",
)
@db_option
def form_command(
    event_id: str, survey_id: str | None, output: Path | None, db: Path | None
) -> None:
    """Write the survey as one HTML file to fill in on a laptop with no network.

    Open the file in a browser (from disk is fine). Each participant's answers are saved as a
    response file (response-<id>.json) in the downloads folder, and kept in the browser until
    "Export all responses" saves them together. Read the files back with
    `feedback offline import`.
    """
    engine = state().engine(db)
    event = engine.store.event(event_id)
    if event is None:
        hint = did_you_mean(event_id, engine.store.event_ids())
        raise CommandError(f"unknown event '{event_id}'{hint}", 2)
    survey = _survey(engine, survey_id)
    try:
        require(engine.types, survey)
    except FeedbackError as exc:
        raise CommandError(str(exc), 2) from exc
    try:
        path = output or output_files.default_output("offline-form-", event_id, ".html")
        output_files.refuse_database(path, engine.store.path)
    except output_files.UnsafeOutput as exc:
        raise CommandError(f"-o: {exc}", 2) from exc
    if not path.parent.is_dir():
        raise CommandError(f"{path}: the folder {path.parent} does not exist", 2)
    check_output(path, engine.store.path)
    html = render_form(survey, event, engine.types)
    # The version the form answers is kept first, so its files import after the survey changes.
    # Should the file then not be written, the kept version is harmless: a snapshot of the
    # current survey, as the first response to it would keep anyway.
    engine.keep_survey_version(survey)
    try:
        _write(path, html)
    except OSError as exc:  # the folder changed since it was checked: no file is left
        raise CommandError(f"-o: cannot write {path}: {exc.strerror or exc}", 2) from exc
    click.echo(
        f"Wrote {path}: survey '{survey.id}' (version {survey.version}, "
        f"{', '.join(survey.languages)}) for the event '{event_id}'. Open it in a browser; "
        "it needs no network."
    )
