"""The engine: settings + plugin manager + store, and the one way responses get in.

Every channel hands responses to `Engine.submit` (one) or `Engine.submit_many` (a file, a merge, a
spool): validated against the survey version they answer, written in one transaction, idempotent on
the response id. The same response twice is stored once; the same id with other content is refused
and kept in the ``conflicts`` table for review, never written over the stored one.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from feedback.config import Settings, load_settings
from feedback.errors import (
    InvalidInput,
    Problem,
    ResponseInvalid,
    SurveyError,
    SurveyNotFound,
    did_you_mean,
)
from feedback.i18n import plural
from feedback.loading import (
    BrokenSurvey,
    SurveyDocument,
    SurveyFile,
    parse_survey,
    pydantic_problems,
    survey_catalogue,
)
from feedback.plugins import PluginManager, make_plugin_manager
from feedback.registry import Channel, Registry, ReportFormat, Scorer, collect
from feedback.responses import (
    Response,
    answer_problems,
    canonical_json,
    envelope_problems,
    stored_row,
)
from feedback.store import Store
from feedback.survey import BUILTIN_QUESTION_TYPES, QuestionBase, Survey, survey_model, type_name

log = logging.getLogger(__name__)

SURVEY_SUFFIXES = (".yaml", ".yml", ".json")
CHUNK = 1000
MAX_REJECTIONS_KEPT = 1000


def shipped_surveys_dir() -> Path:
    """The surveys that ship with the project (inside the wheel, or the checkout's ``surveys/``)."""
    packaged = Path(str(resources.files("feedback"))) / "_surveys"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "surveys"


class ResponseConflict(InvalidInput):
    """A response reuses the id of a stored response with other content; it was kept for review."""

    def __init__(self, response_id: str):
        self.response_id = response_id
        super().__init__(
            f"response {response_id}: a different response with this id is already stored; "
            "the new one was not stored over it and is kept in the conflicts table for review"
        )


@dataclass(frozen=True)
class Rejection:
    """A response that was refused: where it came from (a line, a file) and why."""

    where: str
    problems: list[Problem]

    def render(self) -> str:
        return f"{self.where}: " + "; ".join(p.render() for p in self.problems)


@dataclass
class BatchResult:
    """What `Engine.submit_many` did. Nothing is written when anything was rejected."""

    received: int = 0
    stored: int = 0
    already_stored: int = 0
    conflicts: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    rejected_count: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return self.rejected_count == 0 and not self.conflicts


class _Refused(Exception):
    """Raised inside the batch transaction to roll it back when anything was rejected."""


class Engine:
    """The core. Construct with settings (default: the working directory's project)."""

    def __init__(
        self,
        settings: Settings | None = None,
        pm: PluginManager | None = None,
        store: Store | None = None,
    ):
        self.settings = settings if settings is not None else load_settings()
        self._pm = pm
        self._store = store
        self._prepared: dict[tuple[str, str], Survey] = {}

    # -- parts, made when first needed --------------------------------------------------------

    @property
    def pm(self) -> PluginManager:
        if self._pm is None:
            self._pm = make_plugin_manager()
        return self._pm

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.settings.db_path, busy_timeout=self.settings.busy_timeout)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @functools.cached_property
    def question_types(self) -> Registry[type[QuestionBase]]:
        registry = collect(
            self.pm,
            "register_question_types",
            "question type",
            lambda item: isinstance(item, type) and issubclass(item, QuestionBase),
            "a subclass of feedback.survey.QuestionBase",
            type_name,
        )
        for builtin in BUILTIN_QUESTION_TYPES:
            name = type_name(builtin)
            if name in registry:
                registry.problems.append(
                    f"plugin '{registry.owners[name]}' registered question type '{name}', "
                    "which is built in; the built-in type is kept"
                )
                del registry.items[name]
        return registry

    @functools.cached_property
    def channels(self) -> Registry[Channel]:
        return collect(
            self.pm, "register_channels", "channel", lambda c: isinstance(c, Channel), "a Channel"
        )

    @functools.cached_property
    def scorers(self) -> Registry[Scorer]:
        return collect(
            self.pm, "register_scorers", "scorer", lambda s: isinstance(s, Scorer), "a Scorer"
        )

    @functools.cached_property
    def report_formats(self) -> Registry[ReportFormat]:
        return collect(
            self.pm,
            "register_report_formats",
            "report format",
            lambda f: isinstance(f, ReportFormat),
            "a ReportFormat",
        )

    @property
    def survey_model(self) -> type[Survey]:
        return survey_model(tuple(self.question_types))

    # -- surveys ------------------------------------------------------------------------------

    def read_survey(self, path: str | Path) -> Survey:
        """Read and validate one survey file through the format plugins."""
        return self._parse(self._read_document(Path(path)))

    def _read_document(self, path: Path) -> SurveyDocument:
        if not path.is_file():
            raise SurveyError(path, [Problem("no such file")])
        document = self.pm.hook.load_survey(path=path)
        if document is None:
            raise SurveyError(
                path, [Problem(f"no installed plugin reads '{path.suffix or path.name}' files")]
            )
        if document.source is None:
            document.source = path
        return document

    def _parse(self, document: SurveyDocument) -> Survey:
        return parse_survey(document, self.survey_model)

    def survey_dirs(self) -> list[Path]:
        """Where surveys are looked for: the project's ``surveys/`` first, then the shipped ones."""
        dirs = [self.settings.surveys_path, shipped_surveys_dir()]
        unique: list[Path] = []
        for d in dirs:
            if d.is_dir() and all(d.resolve() != u.resolve() for u in unique):
                unique.append(d)
        return unique

    def survey_files(self) -> Iterator[Path]:
        """Every file of the survey folders that an installed format plugin reads."""
        for directory in self.survey_dirs():
            for path in sorted(directory.iterdir()):
                if path.is_file() and not path.name.startswith(".") and self._readable(path):
                    yield path

    def _readable(self, path: Path) -> bool:
        if path.suffix.lower() in SURVEY_SUFFIXES:
            return True
        try:
            return self.pm.hook.load_survey(path=path) is not None
        except SurveyError:
            return True  # a file of a known format with errors: list it, so they are shown

    @functools.cached_property
    def _catalogue(self) -> list[SurveyFile]:
        return survey_catalogue(
            self.survey_dirs(), list(self.survey_files()), self._read_document, self._parse
        )

    def survey_catalogue(self) -> list[SurveyFile]:
        """Every survey file the project can see, in order, with its survey or its error, and
        whether a file of the project's ``surveys/`` replaces it."""
        return list(self._catalogue)

    def surveys(self) -> dict[str, tuple[Survey, Path]]:
        """Every usable survey, by id, with its file (the project's file wins over a shipped one;
        an id whose project file is broken is left out: `survey` says why)."""
        return {f.survey.id: (f.survey, f.path) for f in self._catalogue if f.in_use and f.survey}

    def survey(self, survey_id: str | None = None, version: str | None = None) -> Survey:
        """A survey by id (default: the configured default), at a version if given.

        A version that is not the current file's is read from the database's snapshot. The file
        that defines an id is the project's when it has one, broken or not: a broken file is
        never replaced by a shipped survey of the same id.

        :raises BrokenSurvey: the file that defines the id has errors (and the version asked
            for, if any, is not in the database).
        :raises SurveyNotFound: no file defines the id, and the database has no such version.
        """
        survey_id = survey_id or self.settings.default_survey
        key = (survey_id, version or "")
        if version is not None and key in self._prepared:
            return self._prepared[key]
        files = [f for f in self._catalogue if f.in_use and f.survey_id == survey_id]
        broken = next((f for f in files if f.error is not None), None)
        current = files[0].survey if files and broken is None else None
        if current is not None and version in (None, current.version):
            return current
        if version is not None:
            definition = self.store.survey_definition(survey_id, version)
            if definition is not None:
                return self.survey_model.model_validate(definition)
        if broken is not None and broken.error is not None:
            raise BrokenSurvey(survey_id, broken.error)
        known = [v["version"] for v in self.store.survey_versions(survey_id)] if version else []
        if current is None and not known:
            usable = [f.survey_id for f in self._catalogue if f.in_use and f.survey_id]
            hint = did_you_mean(survey_id, usable)
            bad = [str(f.path) for f in self._catalogue if f.error is not None]
            extra = (
                f" ({plural(len(bad), 'survey file has', 'survey files have')} errors: "
                f"{', '.join(bad)})"
                if bad
                else ""
            )
            places = ", ".join(str(d) for d in self.survey_dirs()) or "no survey folder"
            raise SurveyNotFound(f"unknown survey '{survey_id}' in {places}{hint}{extra}")
        versions = sorted({*known, *([current.version] if current else [])})
        raise SurveyNotFound(
            f"unknown version '{version}' of survey '{survey_id}' (known: {', '.join(versions)})"
        )

    def resolve_survey(self, path_or_id: str | None) -> Survey:
        """A survey given as a file path or an id (the default survey when ``None``)."""
        if path_or_id and (
            Path(path_or_id).is_file()
            or Path(path_or_id).suffix.lower() in SURVEY_SUFFIXES
            or "/" in path_or_id
        ):
            return self.read_survey(path_or_id)
        return self.survey(path_or_id)

    # -- the one way in -----------------------------------------------------------------------

    def submit(self, response: Response | dict[str, Any]) -> str:
        """Validate and store one response; return ``"stored"`` or ``"already_stored"``.

        :raises ResponseInvalid: the response does not fit its survey; nothing is written.
        :raises ResponseConflict: its id is stored with other content; kept for review.
        """
        result = self.submit_many([("response", response)])
        if result.rejected:
            raise ResponseInvalid(result.rejected[0].problems, _id_of(response))
        if result.conflicts:
            raise ResponseConflict(result.conflicts[0])
        return "stored" if result.stored else "already_stored"

    def submit_many(
        self, items: Iterable[tuple[str, Response | dict[str, Any] | Exception]]
    ) -> BatchResult:
        """Validate and store many responses in one transaction: all of them, or none.

        ``items`` pairs a label for messages ("line 12") with a response, its raw mapping, or the
        exception that stopped it from being read. The iterable is consumed as a stream, so a file
        of any size needs little memory. When anything is rejected, nothing is written and the
        result lists every rejection; conflicts are kept in the ``conflicts`` table.
        """
        result = BatchResult()
        notify = bool(self.pm.hook.response_submitted.get_hookimpls())
        stored_responses: list[Response] = []
        events: dict[str, bool] = {}
        saved: set[tuple[str, str]] = set()
        try:
            with self.store.write():
                chunk: list[tuple[Response, list[Any], bool]] = []
                for where, item in items:
                    result.received += 1
                    response, problems = self._check(item, events, saved)
                    if problems:
                        result.rejected_count += 1
                        if len(result.rejected) < MAX_REJECTIONS_KEPT:
                            result.rejected.append(Rejection(where, problems))
                        continue
                    if result.rejected_count:
                        continue  # nothing will be written: keep checking, skip the database
                    assert response is not None
                    chunk.append((response, self._row(response), _names_version(item)))
                    if len(chunk) >= CHUNK:
                        self._write_chunk(chunk, result, stored_responses if notify else None)
                        chunk = []
                if result.rejected_count:
                    raise _Refused
                self._write_chunk(chunk, result, stored_responses if notify else None)
        except _Refused:
            result.stored = 0  # rolled back: the batch is refused as a whole
            result.conflicts.clear()
            return result
        result.committed = True
        for response in stored_responses:
            try:
                self.pm.hook.response_submitted(engine=self, response=response)
            except Exception:
                log.exception("a response_submitted hook failed for %s", response.id)
        return result

    def _check(
        self,
        item: Response | dict[str, Any] | Exception,
        events: dict[str, bool],
        saved: set[tuple[str, str]],
    ) -> tuple[Response | None, list[Problem]]:
        if isinstance(item, Exception):
            return None, [Problem(str(item))]
        if not isinstance(item, Response):
            if not isinstance(item, dict):
                return None, [Problem(f"expected a response object, found {type(item).__name__}")]
            try:
                item = Response.model_validate(item)
            except ValidationError as exc:
                return None, pydantic_problems(exc, item, Response)
        response = item
        try:
            survey = self._prepare(response.survey, response.survey_version, saved)
        except InvalidInput as exc:
            field_name = "survey_version" if response.survey_version else "survey"
            return None, [Problem(str(exc), (field_name,))]
        if response.survey_version is None:
            response = response.model_copy(update={"survey_version": survey.version})
        problems = envelope_problems(survey, response)
        if response.event not in events:
            events[response.event] = self.store.event(response.event) is not None
        if not events[response.event]:
            hint = did_you_mean(response.event, self.store.event_ids())
            problems.append(
                Problem(
                    f"unknown event '{response.event}' (add it with `feedback event add`){hint}",
                    ("event",),
                )
            )
        problems += answer_problems(survey, response.answers, partial=response.partial)
        if not problems:
            for extra in self.pm.hook.validate_response(survey=survey, response=response):
                problems += [p if isinstance(p, Problem) else Problem(str(p)) for p in extra or []]
        return response, problems

    def _prepare(self, survey_id: str, version: str | None, saved: set[tuple[str, str]]) -> Survey:
        """The survey a response answers, snapshotted once per transaction."""
        key = (survey_id, version or "")
        survey = self._prepared.get(key)
        if survey is None:
            survey = self.survey(survey_id, version)
            self._prepared[key] = self._prepared[(survey_id, survey.version)] = survey
        if (survey.id, survey.version) not in saved:
            self.store.save_survey_version(
                survey.id,
                survey.version,
                survey.text(survey.title),
                survey.canonical_json,
            )
            saved.add((survey.id, survey.version))
        return survey

    @staticmethod
    def _row(response: Response, version: str | None = None) -> list[Any]:
        """The database row of a checked response (``version`` instead of its own, if given)."""
        if version is not None:
            response = response.model_copy(update={"survey_version": version})
        return stored_row(response.record())

    def _write_chunk(
        self,
        chunk: list[tuple[Response, list[Any], bool]],
        result: BatchResult,
        stored_responses: list[Response] | None,
    ) -> None:
        if not chunk:
            return
        stored = self.store.stored_hashes([row[0] for _, row, _ in chunk])
        new_rows = []
        for response, row, names_version in chunk:
            rid, digest = row[0], row[-1]
            if rid in stored:
                stored_digest, stored_version = stored[rid]
                if stored_digest == digest or (
                    # sent again without a version after the survey file changed: compare it
                    # as the version it was stored under
                    not names_version
                    and stored_version != response.survey_version
                    and stored_digest == self._row(response, stored_version)[-1]
                ):
                    result.already_stored += 1
                else:
                    result.conflicts.append(rid)
                    content = canonical_json(response.record())
                    self.store.add_conflict(rid, response.channel, content, digest)
                continue
            stored[rid] = (digest, response.survey_version or "")
            new_rows.append(row)
            if stored_responses is not None:
                stored_responses.append(response)
        self.store.insert_responses(new_rows)
        result.stored += len(new_rows)


def _names_version(item: Any) -> bool:
    """Whether a submitted item named its survey version (rather than taking the current one)."""
    if isinstance(item, Response):
        return item.survey_version is not None
    return isinstance(item, dict) and item.get("survey_version") is not None


def _id_of(item: Any) -> str | None:
    if isinstance(item, Response):
        return str(item.id)
    if isinstance(item, dict):
        value = item.get("id")
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            return None
    return None
