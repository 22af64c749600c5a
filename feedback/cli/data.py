"""``feedback event``, ``feedback roster`` and ``feedback responses``: the data of a project."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from rich import box
from rich.console import Console
from rich.progress import DownloadColumn, Progress
from rich.table import Table

from feedback.cli import CommandError, State, db_option, json_option, state
from feedback.errors import InvalidInput, SurveyNotFound, UnknownEvent, did_you_mean
from feedback.i18n import plural
from feedback.loading import pydantic_problems
from feedback.text import shown


def _known_event(engine: object, event_id: str) -> None:
    store = engine.store  # type: ignore[attr-defined]
    if store.event(event_id) is None:
        raise UnknownEvent(
            f"unknown event '{event_id}' (add it with `feedback event add`)"
            + did_you_mean(event_id, store.event_ids())
        )


# -- events ---------------------------------------------------------------------------------


@click.group()
def event() -> None:
    """Events: one per seminar."""


@event.command(name="add")
@click.argument("event_id", metavar="ID")
@click.option("--title", help="The event's title (needed for a new event).")
@click.option("--date", "date_", help="The date, YYYY-MM-DD.")
@click.option("--city", help="The city.")
@click.option(
    "--country",
    help="The host country: an ISO 3166 two-letter code (NL), a common alias (UK) or its name.",
)
@click.option("--programme", help="The programme (series of events) it belongs to, as an id.")
@click.option(
    "--open-link/--no-open-link",
    default=None,
    help="Take answers by the event's open link and venue QR code (off unless turned on).",
)
@db_option
def add_event(
    event_id: str,
    title: str | None,
    date_: str | None,
    city: str | None,
    country: str | None,
    programme: str | None,
    open_link: bool | None,
    db: Path | None,
) -> None:
    """Add an event, or update the one with this ID (options not given keep their value)."""
    from feedback.countries import Countries, UnknownCountry
    from feedback.events import Event

    names = {"id": "ID", "date": "--date", "country": "--country", "title": "--title"}
    given: dict[str, object] = {
        "title": title,
        "date": date_,
        "city": city,
        "country": country,
        "programme": programme,
        "open_link": open_link,
    }
    given = {k: v for k, v in given.items() if v is not None}
    engine = state().engine(db)
    lines: list[str] = []
    if country is not None:
        try:
            countries = Countries(engine.settings.programme.country_aliases)
            given["country"] = countries.code(country)
        except UnknownCountry as exc:
            lines.append(f"--country: {exc}")
            del given["country"]
    data = {"id": event_id, "title": "-", **given}  # the title is checked below, when needed
    try:
        Event.model_validate(data)
    except ValidationError as exc:
        problems = pydantic_problems(exc, data, Event)
        lines += [
            f"{names.get(str(p.loc[0]), '--' + str(p.loc[0]))}: {p.message}" for p in problems
        ]
    if lines:
        raise InvalidInput("\n".join(lines))
    store = engine.store if engine.settings.db_path.exists() else None
    stored = store.event(event_id) if store is not None else None
    if stored is None and title is None:
        raise InvalidInput(
            f"--title: event '{event_id}' is new: give its title with --title "
            "(to update an event, give the ID of one in `feedback event list`)"
            + did_you_mean(event_id, store.event_ids() if store is not None else [])
        )
    merged = {**(stored or {}), "id": event_id, **given}
    try:
        record = Event.model_validate(merged)
    except ValidationError as exc:  # stored before today's checks: say what to give
        problems = pydantic_problems(exc, merged, Event)
        fields = [str(p.loc[0]) if p.loc else "event" for p in problems]
        lines = [
            f"the stored {field} of event {event_id} is not valid ({p.message}): "
            f"give {names.get(field, '--' + field)} to replace it"
            for field, p in zip(fields, problems, strict=True)
        ]
        raise InvalidInput("\n".join(lines)) from exc
    engine.store.upsert_event(record.row())
    click.echo(f"{'updated' if stored is not None else 'added'} event {record.id}: {record.title}")


@event.command(name="list")
@json_option
@db_option
def list_events(as_json: bool, db: Path | None) -> None:
    """List events with their counts of attendees and responses."""
    store = state().engine(db).store
    rows = store.events(with_counts=True)
    for row in rows:
        row["open_link"] = bool(row["open_link"])
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no events yet: add one with `feedback event add ID --title ...`")
        return
    # ids, dates and counts never wrap; the title and the city take the rest of a narrow terminal
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("id", no_wrap=True)
    table.add_column("title", ratio=3)
    table.add_column("date", no_wrap=True)
    table.add_column("city", ratio=1)
    table.add_column("country", no_wrap=True)
    table.add_column("open link", no_wrap=True, justify="center")
    table.add_column("attended", justify="right", no_wrap=True)
    table.add_column("responses", justify="right", no_wrap=True)
    for row in rows:
        table.add_row(
            *(shown(row[k]) for k in ("id", "title", "date", "city", "country")),
            "on" if row["open_link"] else "off",
            str(row["attended"]),
            str(row["responses"]),
        )
    Console(emoji=False).print(table)  # stored text as written: no ":smile:" emoji


# -- roster ---------------------------------------------------------------------------------


@click.group()
def roster() -> None:
    """The participant roster: who was invited and who attended."""


@roster.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--event", "event_id", required=True, help="The event the roster is for.")
@db_option
def import_roster(file: Path, event_id: str, db: Path | None) -> None:
    """Import a roster CSV: name, email, role, country, organisation, attended (yes/no), language.

    People are matched by email, so importing again updates rather than duplicates. Any problem
    refuses the whole file (exit 2) and names its line and column.
    """
    from feedback import roster as roster_module
    from feedback.events import event_date, today

    engine = state().engine(db)
    _known_event(engine, event_id)
    vocabulary = roster_module.project_vocabulary(engine)
    entries = roster_module.read_roster(
        file,
        vocabulary,
        event_date=event_date(engine.store.event(event_id)),
        today=today(),
    )
    summary = roster_module.import_roster(engine.store, event_id, entries)
    click.echo(
        f"{file}: {plural(len(entries), 'person', 'people')} for {event_id}: "
        f"{summary.added} added, {summary.updated} updated, {summary.attended} attended"
    )


@roster.command(name="list")
@click.option("--event", "event_id", required=True, help="The event.")
@json_option
@db_option
def list_roster(event_id: str, as_json: bool, db: Path | None) -> None:
    """List the roster of an event."""
    engine = state().engine(db)
    _known_event(engine, event_id)
    rows = engine.store.roster(event_id)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("name", "email", "role", "country", "organisation", "attended")
    for row in rows:
        table.add_row(
            *(shown(row[k]) for k in ("name", "email", "role", "country", "organisation")),
            "yes" if row["attended"] else "no",
        )
    Console(emoji=False).print(table)  # stored text as written: no ":smile:" emoji
    click.echo(
        f"{plural(len(rows), 'person', 'people')}, {sum(1 for r in rows if r['attended'])} attended"
    )


@roster.command(name="confirm")
@click.option("--event", "event_id", required=True, help="The event.")
@click.option(
    "--source",
    type=click.Choice(["sheet", "checkin"]),
    required=True,
    help="What confirms it: a signed sheet entered, or a check-in at the venue.",
)
@click.argument("people", nargs=-1, required=True, metavar="WHO...")
@db_option
def confirm_attendance(
    event_id: str, source: str, people: tuple[str, ...], db: Path | None
) -> None:
    """Record confirmed attendance: people who signed the sheet or checked in.

    WHO is a roster id or an email address; all of them are recorded, or none (an unknown one
    stops the command). A confirmed attendance is never undone by a later roster import; reach
    counts only confirmed attendance when programme.reach_attendance is "confirmed".
    """
    from feedback.checkin import confirm
    from feedback.erasure import find_person

    engine = state().engine(db)
    _known_event(engine, event_id)
    found = []
    for who in people:
        try:
            found.append(find_person(engine, who))
        except InvalidInput as exc:
            raise CommandError(f"{exc}; nothing was recorded", 2) from exc
    done = confirm(engine, event_id, found, source)
    already = sum(1 for c in done if c.already)
    words = {"sheet": "a signed sheet", "checkin": "a check-in"}
    click.echo(
        f"Recorded {plural(len(set(found)), 'person', 'people')} as attending {event_id}, "
        f"confirmed by {words[source]}."
        + (
            f" {plural(already, 'was', 'were')} confirmed before and kept as recorded."
            if already
            else ""
        )
    )


# -- responses ------------------------------------------------------------------------------


@click.group()
def responses() -> None:
    """Responses: import from files, export for analysis."""


@contextlib.contextmanager
def _progress_bar(path: Path) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal for files big enough to take a while; nothing otherwise."""
    console = Console(stderr=True)
    try:
        big = path.stat().st_size > 2_000_000
    except OSError:
        big = False
    if not (console.is_terminal and big):
        yield None
        return
    columns = (*Progress.get_default_columns(), DownloadColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"importing {shown(path.name)}", total=path.stat().st_size)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@responses.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
def import_responses(files: tuple[Path, ...], db: Path | None) -> None:
    """Import responses from JSON Lines files (one response per line) or JSON arrays.

    Each file is all-or-nothing. Prints what was stored, already present and rejected (with the
    line and the reason); exits 2 when anything was rejected or conflicted.
    """
    from feedback.importing import read_response_file

    engine = state().engine(db)
    trouble = 0
    for path in files:
        try:
            with _progress_bar(path) as progress:
                items = read_response_file(path, progress)
                result = engine.submit_many(items)
        except InvalidInput as exc:
            click.echo(f"{exc}", err=True)
            trouble += 1
            continue
        if result.received == 0:
            click.echo(f"{path}: no responses found (only blank lines)", err=True)
            trouble += 1
            continue
        for rejection in result.rejected:
            click.echo(f"{path}: {rejection.render()}", err=True)
        if result.rejected_count > len(result.rejected):
            click.echo(
                f"{path}: ... and {result.rejected_count - len(result.rejected)} more rejected",
                err=True,
            )
        for rid in result.conflicts:
            click.echo(
                f"{path}: response {rid}: a different response with this id is already stored; "
                "kept in the conflicts table for review",
                err=True,
            )
        if result.rejected_count:
            click.echo(
                f"{path}: {result.received} read, {result.rejected_count} rejected: "
                "nothing stored from this file"
            )
        else:
            click.echo(
                f"{path}: {result.received} read, {result.stored} stored, "
                f"{result.already_stored} already present, {plural(len(result.conflicts), 'conflict', 'conflicts')}"
            )
        trouble += bool(result.rejected_count or result.conflicts)
    if trouble:
        raise CommandError(f"{trouble} of {plural(len(files), 'file', 'files')} had problems", 2)


#: the formats of `feedback.exporting` itself (kept here so that --help imports nothing)
BUILTIN_EXPORTS = ("csv", "jsonl", "xlsx")


def _registered_exports() -> Any:
    """The export formats plugins register, on the plugin manager of this command line."""
    from feedback.cli import plugin_manager
    from feedback.exporting import export_formats

    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(State) if ctx is not None else None
    pm = (found.pm if found is not None else None) or plugin_manager()
    return export_formats(pm)


class ExportFormatChoice(click.Choice):  # type: ignore[type-arg]
    """csv, jsonl, xlsx and the formats plugins register (``register_export_formats``), found
    when the option is read or its help shown."""

    def __init__(self) -> None:
        super().__init__(BUILTIN_EXPORTS)

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        return (*BUILTIN_EXPORTS, *_registered_exports().names())

    @choices.setter
    def choices(self, value: Any) -> None:
        pass  # click sets the built-in ones in __init__; the property answers


@responses.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=ExportFormatChoice(),
    default="csv",
    show_default=True,
    help="csv, jsonl, xlsx, or a format a plugin adds (sav for SPSS, dta for Stata).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@click.option("--event", "event_id", help="Only this event.")
@click.option("--survey", "survey_id", help="Only this survey.")
@click.option(
    "--language",
    help="The language of variable and value labels (sav, dta; default: the survey's first).",
)
@db_option
def export_responses(
    fmt: str,
    output: Path | None,
    event_id: str | None,
    survey_id: str | None,
    language: str | None,
    db: Path | None,
) -> None:
    """Export responses: CSV or XLSX with a column per question, JSON Lines (re-importable), or
    a plugin's format such as SPSS (.sav) or Stata (.dta) with variable and value labels."""
    from feedback import exporting

    engine = state().engine(db)
    store = engine.store
    if event_id is not None:
        _known_event(engine, event_id)
    if fmt == "xlsx" and output is None:
        raise CommandError("--format xlsx needs -o FILE.xlsx", 2)
    if fmt not in BUILTIN_EXPORTS and output is None:
        raise CommandError(f"--format {fmt} needs -o FILE", 2)
    if language is not None and fmt in BUILTIN_EXPORTS:
        raise CommandError(
            f"--language: a {fmt} export has no labels to translate (it applies to formats "
            "with labels, such as sav and dta)",
            2,
        )
    if output is not None and not output.parent.is_dir():
        raise CommandError(f"{output}: cannot write: no folder {output.parent}", 2)
    if output is not None:
        from feedback import files

        try:
            files.refuse_database(output, store.path)
        except files.UnsafeOutput as exc:
            raise CommandError(f"-o: {exc}", 2) from exc
    if fmt not in BUILTIN_EXPORTS:
        assert output is not None
        _export_labelled(engine, fmt, output, event_id, survey_id, language)
        return
    records = store.iter_responses(event=event_id, survey=survey_id)
    # newest version first, so the columns follow the current question order
    versions = [(row["id"], row["version"]) for row in store.survey_versions(survey_id)]
    if survey_id is not None and not versions:
        engine.survey(survey_id)  # an unknown survey id is an error (with "did you mean")
    surveys = []
    for sid, version in reversed(versions):
        try:
            surveys.append(engine.survey(sid, version))
        except SurveyNotFound:
            continue
    answer_columns = exporting.columns(surveys)
    if output is None:
        if fmt == "jsonl":
            exporting.write_jsonl(records, sys.stdout)
        else:
            exporting.write_csv(records, answer_columns, sys.stdout)
        return
    try:  # whole or not at all: a kill or a full disk midway leaves the previous file as it was
        count = exporting.export_file(fmt, records, answer_columns, output)
    except OSError as exc:
        raise CommandError(f"{output}: cannot write: {exc.strerror or exc}", 2) from exc
    click.echo(f"wrote {plural(count, 'response', 'responses')} to {output}", err=True)


def _export_labelled(
    engine: Any,
    fmt: str,
    output: Path,
    event_id: str | None,
    survey_id: str | None,
    language: str | None,
) -> None:
    """A plugin's format: one survey (all its versions), labels in one language."""
    from feedback import exporting
    from feedback.variables import survey_variables, survey_versions

    store = engine.store
    if survey_id is None:
        ids = sorted({row["id"] for row in store.survey_versions()})
        if len(ids) != 1:
            raise CommandError(
                f"--format {fmt} writes one survey: give --survey ID"
                + (f" (the database holds {', '.join(ids)})" if ids else " (none is stored yet)"),
                2,
            )
        survey_id = ids[0]
    versions = survey_versions(engine, survey_id)
    newest = versions[0]
    if language is None:
        language = newest.languages[0]
    elif language not in newest.languages:
        raise CommandError(
            f"--language: survey '{survey_id}' is in {', '.join(newest.languages)}, not "
            f"'{language}'" + did_you_mean(language, newest.languages),
            2,
        )
    survey_variables(versions)  # a survey whose versions cannot share variables: before writing
    export = exporting.Export(
        store.iter_responses(event=event_id, survey=survey_id), versions, language
    )
    try:  # whole or not at all: a failure midway leaves the previous file as it was
        count = exporting.write_with(_registered_exports()[fmt], export, output)
    except OSError as exc:
        raise CommandError(f"{output}: cannot write: {exc.strerror or exc}", 2) from exc
    click.echo(f"wrote {plural(count, 'response', 'responses')} to {output}", err=True)
