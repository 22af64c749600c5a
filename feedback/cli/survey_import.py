"""``feedback survey import``: a questionnaire of another tool, as a survey file of ours.

Every ``load_survey`` plugin is asked in turn, in the order the hook calls them, so that the reader
that knows the file's content takes it (a LimeSurvey export named ``.xml``, a SurveyJS ``.json``):
the same choice the engine makes when it reads a survey folder, but told to the organiser, reader
by reader. The document is validated by the core like any survey file, then written as YAML into
the project's ``surveys/`` so that the organiser keeps editing it there, in our format.
"""

from __future__ import annotations

import inspect
from collections import Counter
from pathlib import Path
from typing import Any

import click
import yaml
from pydantic import BaseModel

from feedback.cli import CommandError, check_output, state
from feedback.errors import Problem, SurveyError
from feedback.i18n import plural
from feedback.loading import SurveyDocument, parse_survey
from feedback.survey import Survey

#: Keys written first, in this order, wherever they occur; other keys keep the reader's order.
KEY_ORDER = (
    "id",
    "type",
    "title",
    "label",
    "description",
    "intro",
    "help",
    "languages",
    "anonymous",
    "scales",
    "points",
    "na",
    "sections",
    "questions",
)


@click.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (default: the project's surveys/ID.yaml).",
)
@click.option("--id", "survey_id", help="The survey's id (default: the one the reader gives).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def import_survey(file: Path, output: Path | None, survey_id: str | None, force: bool) -> None:
    """Turn a questionnaire of another tool (LimeSurvey, SurveyJS ...) into a survey file of ours.

    The reader is chosen by the file's content, not only its extension. Whatever cannot be carried
    over is an error naming where it is in FILE; nothing is written then (exit 2).
    """
    engine = state().engine()
    reader, document = read_foreign(engine.pm, file)
    if survey_id is not None and isinstance(document.data, dict):
        document.data["id"] = survey_id
    survey = parse_survey(
        document, engine.survey_model, outcome_kinds=engine.settings.programme.outcome_kinds
    )
    target = output if output is not None else engine.settings.surveys_path / f"{survey.id}.yaml"
    _refuse_clash(engine, target, survey.id, force)
    if output is None:
        target.parent.mkdir(exist_ok=True)
    check_output(target, engine.settings.db_path)
    from feedback import files

    files.write_text(target, survey_yaml(document.data))
    click.echo(f"read {file} as {reader}")
    click.echo(f"carried over: {carried_over(survey)}")
    for note in document.notes:
        click.echo(f"  note: {note}")
    click.echo(f"wrote {target} (survey {survey.id}, version {survey.version})")


def read_foreign(pm: Any, path: Path) -> tuple[str, SurveyDocument]:
    """The first reader that takes ``path``, by name, and its document.

    :raises SurveyError: no such file; a reader's own error (a file of its format that it cannot
        carry over); no reader takes the file (naming the formats known).
    """
    if not path.is_file():
        raise SurveyError(path, [Problem("no such file")])
    # pluggy calls the implementations from the end of this list (tryfirst last, trylast first)
    readers = [i for i in reversed(pm.hook.load_survey.get_hookimpls()) if not _wraps(i)]
    for impl in readers:
        document = impl.function(**{name: path for name in impl.argnames})
        if document is not None:
            if document.source is None:
                document.source = path
            told = f"{document.format} (plugin {impl.plugin_name})" if document.format else ""
            return told or reader_name(impl), document
    known = "; ".join(reader_name(impl) for impl in readers) or "none (no reader is installed)"
    raise SurveyError(
        path, [Problem(f"no installed reader knows this file; formats known: {known}")]
    )


def _wraps(impl: Any) -> bool:
    return bool(impl.hookwrapper or impl.wrapper)


def reader_name(impl: Any) -> str:
    """The format a ``load_survey`` implementation reads: the first line of its docstring (see
    docs/plugins.md), with its plugin's name."""
    doc = inspect.getdoc(impl.function) or ""
    first = doc.strip().splitlines()[0].rstrip(".") if doc.strip() else ""
    return f"{first} (plugin {impl.plugin_name})" if first else f"plugin {impl.plugin_name}"


def _refuse_clash(engine: Any, target: Path, survey_id: str, force: bool) -> None:
    """Refuse to replace a file without ``--force``, and to add a second file of the project's
    ``surveys/`` that defines the same id (the project would refuse both)."""
    if target.exists() and not force:
        raise CommandError(f"{target} exists: give --force to replace it, or -o FILE", 2)
    folder = engine.settings.surveys_path
    if not folder.is_dir() or target.parent.resolve() != folder.resolve():
        return
    for entry in engine.survey_catalogue():
        same_file = entry.path.resolve() == target.resolve()
        if entry.rank == 0 and entry.survey_id == survey_id and not same_file:
            raise CommandError(
                f"{entry.path} defines the survey '{survey_id}' already: give --id NEW, or move "
                "that file out of the survey folder",
                2,
            )


def carried_over(survey: Survey) -> str:
    """What the survey holds, in one line: sections, questions by type, languages, conditions."""
    questions = survey.all_questions()
    types = Counter(q.type for q in questions)
    sections = survey.sections or []
    parts = [
        plural(len(sections), "section") if sections else "no sections",
        plural(len(questions), "question")
        + f" ({', '.join(f'{n} {t}' for t, n in types.most_common())})",
        f"languages {', '.join(survey.languages)}",
        plural(sum(q.show_if is not None for q in questions), "condition") + " (show_if)",
        f"{sum(q.required for q in questions)} required",
    ]
    if survey.scales:
        parts.append(plural(len(survey.scales), "scale"))
    return "; ".join(parts)


def _ordered(value: Any) -> Any:
    """``value`` as plain data in a stable key order. A reader may hand over what the core parses
    to (a parsed ``show_if`` condition, a pydantic model): each is written as its plain form."""
    if isinstance(value, BaseModel):
        return _ordered(value.model_dump(mode="json", exclude_unset=True))
    dump = getattr(value, "dump", None)
    if callable(dump) and not isinstance(value, type):
        return _ordered(dump())
    if isinstance(value, dict):
        rank = {key: i for i, key in enumerate(KEY_ORDER)}
        keys = sorted(value, key=lambda k: rank.get(k, len(KEY_ORDER)))  # stable: reader's order
        return {key: _ordered(value[key]) for key in keys}
    if isinstance(value, list | tuple):
        return [_ordered(v) for v in value]
    return value


def survey_yaml(data: Any) -> str:
    """The document's data as readable YAML, keys in a stable order (`KEY_ORDER` first).

    Strings YAML 1.1 would read as something else (``no``, ``1``, ``10:30``) are quoted, so the
    file means the same to every YAML reader.
    """
    return yaml.safe_dump(
        _ordered(data), allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
