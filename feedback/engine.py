"""The engine: settings + plugin manager + store, and the one way responses get in.

Every channel hands responses to `Engine.submit` (one), `Engine.submit_many` (a file, a merge, a
spool) or `Engine.submit_batches` (many files): validated against the survey version they answer,
idempotent on the response id. The same response twice is stored once; the same id with other
content is refused and kept in the ``conflicts`` table for review, never written over the stored
one.

The engine owns the unit of work: each of these opens, commits and on failure rolls back its own
transaction (a channel never opens one around it), and a channel's own writes that must be atomic
with the response go in as ``within`` (`Work`). ``response_storing`` hooks run inside the
transaction, for a plugin's writes that belong with each response stored (a webhook's outbox
row); ``response_submitted`` hooks run after the commit, so a hook that reads the database finds
the response. A conflict is always kept, even when the response, the channel's work or the batch
is refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

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
from feedback.events import today
from feedback.i18n import plural
from feedback.loading import (
    BrokenSurvey,
    SurveyDocument,
    SurveyFile,
    parse_survey,
    pydantic_problems,
    survey_catalogue,
)
from feedback.migrations import plugin_migrations
from feedback.plugins import PluginManager, make_plugin_manager
from feedback.question_types import AnswerError, QuestionTypes, collect_types
from feedback.registry import Channel, Registry, ReportFormat, Scorer, collect
from feedback.responses import (
    Response,
    canonical_json,
    envelope_problems,
    parse_answers,
    stored_row,
)
from feedback.store import Store
from feedback.survey import QuestionBase, Survey, survey_model

log = logging.getLogger(__name__)

SURVEY_SUFFIXES = (".yaml", ".yml", ".json")
CHUNK = 1000
MAX_REJECTIONS_KEPT = 1000
#: `Engine.submit_batches`: batches committed in one transaction, and the longest one stays open
GROUP_BATCHES = 500
GROUP_SECONDS = 1.0

#: A response to submit, labelled for messages ("line 12"): the response, its raw mapping, or the
#: exception that stopped it from being read.
Item = tuple[str, Response | dict[str, Any] | Exception]
#: A channel's own writes that belong with a submission: called with the store inside the
#: engine's transaction (``Engine.submit(..., within=...)``).
Work = Callable[[Store], None]
K = TypeVar("K")


class Link(NamedTuple):
    """The keyed hash that links a response to the same person's answers in other waves, and how
    it was made: ``person`` (a roster person's, for a pseudonymous survey) or ``self_code`` (a
    self-generated code's). A row of ``response_links`` (`feedback.linking`)."""

    link: str
    method: str


#: what a link made under a linking key looks like: an HMAC-SHA256 in lower-case hex
_LINK_PATTERN = re.compile(r"[0-9a-f]{64}")


def shipped_surveys_dir() -> Path:
    """The surveys that ship with the project (inside the wheel, or the checkout's ``surveys/``)."""
    packaged = Path(str(resources.files("feedback"))) / "_surveys"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "surveys"


class UnitOfWorkError(RuntimeError):
    """The engine was asked to write inside a transaction that someone else opened: it owns its
    transactions (so it can commit before announcing, and keep conflicts). A programming error."""


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
    """What `Engine.submit_many` did with a batch. Nothing is written when anything was rejected
    (``committed`` false), but the conflicts listed in ``conflicts``, which are always kept."""

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
    """Raised inside the engine's transaction to roll it back when the batch was refused."""


class Engine:
    """The core. Construct with settings (default: the working directory's project)."""

    def __init__(
        self,
        settings: Settings | None = None,
        pm: PluginManager | None = None,
        store: Store | None = None,
    ):
        self.settings = settings if settings is not None else load_settings(pm=pm)
        self._pm = pm
        self._store = store
        self._prepared: dict[tuple[str, str], Survey] = {}
        self._linking_key: bytes | None = None

    # -- parts, made when first needed --------------------------------------------------------

    @property
    def pm(self) -> PluginManager:
        if self._pm is None:
            self._pm = make_plugin_manager()
        return self._pm

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(
                self.settings.db_path,
                busy_timeout=self.settings.busy_timeout,
                plugin_migrations=plugin_migrations(self.pm),
            )
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
    def types(self) -> QuestionTypes:
        """Every question type (built-in and from plugins) and how each channel draws it."""
        return collect_types(self.pm)

    @functools.cached_property
    def question_types(self) -> Registry[type[QuestionBase]]:
        """The models of the question types plugins added, with the registration problems."""
        return self.types.plugin_models()

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
        document: SurveyDocument | None = self.pm.hook.load_survey(path=path)
        if document is None:
            raise SurveyError(
                path, [Problem(f"no installed plugin reads '{path.suffix or path.name}' files")]
            )
        if document.source is None:
            document.source = path
        return document

    def _parse(self, document: SurveyDocument) -> Survey:
        return parse_survey(
            document, self.survey_model, outcome_kinds=self.settings.programme.outcome_kinds
        )

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
    #
    # The engine owns the unit of work: every submit opens, commits and (on any failure) rolls
    # back its own ``BEGIN IMMEDIATE`` transaction, and refuses to run inside one that a caller
    # opened (`UnitOfWorkError`). A channel's own writes that belong with the response go in
    # ``within``; ``response_storing`` hooks run inside the transaction, for each response stored,
    # and ``response_submitted`` hooks after the commit; a conflict is always kept.

    def submit(
        self,
        response: Response | dict[str, Any],
        *,
        within: Work | None = None,
        person: int | None = None,
        link: Link | tuple[str, str] | None = None,
    ) -> str:
        """Validate and store one response in a transaction of its own; return ``"stored"`` or
        ``"already_stored"``.

        ``within`` is the channel's own work that belongs with the response (the web form
        completes the invitation and drops the draft): it is called with the store first, inside
        the same transaction, before the response is checked or written, and it is committed
        with the response or not at all. Kept when the response is stored or was stored already;
        rolled back when the response is invalid, conflicts, or anything fails.

        A conflict is always kept: its ``conflicts`` row is committed (in a transaction of its
        own) even though the response, and ``within``'s work, are not; and when ``within``
        raises, the response is still compared with the stored one and a conflict kept.

        :raises ResponseInvalid: the response does not fit its survey; nothing is written.
        :raises ResponseConflict: its id is stored with other content; only the conflict is kept.
        :raises UnitOfWorkError: called inside an open write transaction.
        :raises Exception: what ``within`` raised, unchanged; nothing of it was written.
        :raises Exception: what a ``response_storing`` hook raised, unchanged; the response and
            ``within``'s work were rolled back (the channel reports it not saved).

        ``person``: the roster person a personal link belongs to. For a survey with ``linking:
        pseudonymous`` the response keeps the person's keyed hash (never the person), which links
        it to their answers in other waves; for any other survey it is not used.

        ``link``: the link `prepare_links` made for this response before it was kept elsewhere (the
        kiosk's spool), stored with it as the engine would have made it; refused (the response
        is invalid) when the survey links no response that way, or its code answers give another.
        """
        batch = self._batch()
        batch.person = person
        response_id = _id_of(response)
        if link is not None and response_id is not None:
            batch.given = {response_id: Link(*link)}
        try:
            result = self._submit([("response", response)], within, batch, refuse_conflicts=True)
        except Exception:
            if batch.within_failed:
                self._keep_conflict_of(response)
            raise
        if result.rejected:
            raise ResponseInvalid(result.rejected[0].problems, _id_of(response))
        if result.conflicts:
            raise ResponseConflict(result.conflicts[0])
        return "stored" if result.stored else "already_stored"

    def submit_many(
        self,
        items: Iterable[Item],
        *,
        within: Work | None = None,
        links: Mapping[str, Link | tuple[str, str]] | None = None,
    ) -> BatchResult:
        """Validate and store many responses in one transaction of their own: all, or none.

        ``items`` pairs a label for messages ("line 12") with a response, its raw mapping, or the
        exception that stopped it from being read. The iterable is consumed as a stream, so a file
        of any size needs little memory.

        ``within`` is the channel's own work that belongs with the batch (the merge copies the
        other database's events, people, attendance and survey versions, which its responses
        need): it is called with the store first, inside the same transaction, before any
        response is checked or written, and is committed with the batch or not at all. When it
        raises, nothing is written and the exception propagates unchanged.

        When anything is rejected the batch is refused: nothing of it (nor of ``within``) is
        written and the result lists every rejection. A conflict does not refuse the batch, and
        is always kept: even in a refused batch, a response whose id is stored (from before the
        batch) with other content is kept in the ``conflicts`` table and listed in
        ``result.conflicts``, as it is the only copy the project has of what was received. (Two
        responses of the refused batch itself that share an id are no conflict: neither was
        stored.) ``response_submitted`` hooks run once the batch is committed.

        ``links``: response id -> the `Link` made for it elsewhere under the project's key (the
        links of another database of the project, which the merge brings in), checked and stored
        as `submit` checks and stores its ``link``; also for a response stored already with the
        same content that has no link yet. It is read as each response is checked, after
        ``within`` has run, so ``within`` may fill it.

        :raises UnitOfWorkError: called inside an open write transaction.
        """
        batch = self._batch()
        if links is not None:
            batch.given = links
        return self._submit(items, within, batch, refuse_conflicts=False)

    def submit_batches(
        self,
        batches: Iterable[tuple[K, Iterable[Item]]],
        *,
        group: int = GROUP_BATCHES,
        seconds: float = GROUP_SECONDS,
    ) -> Iterator[tuple[K, BatchResult]]:
        """Store many batches (the files of an import), each all or nothing, committed in groups.

        Each ``(key, items)`` batch is checked and stored as `submit_many` stores one, in a
        savepoint of its own, so a refused batch changes nothing while the others go in. Batches
        are committed together, at most ``group`` batches and about ``seconds`` seconds to a
        transaction, so ten thousand small files do not cost ten thousand synchronous commits
        and another writer (a kiosk) never waits long. After each commit the group's results are
        yielded as ``(key, result)``, in order, and ``response_submitted`` hooks have run.

        The ``batches`` iterable is read inside the transaction: it must not write to the
        database itself. A failure (a database error, an exception from ``batches``) rolls back
        the group under way and propagates; the groups before it stay committed. Conflicts are
        kept as `submit_many` keeps them, in a refused batch too.

        :raises UnitOfWorkError: called inside an open write transaction.
        """
        self._own_transaction()
        batches = iter(batches)
        while True:
            done: list[tuple[K, BatchResult]] = []
            announce: list[Response] = []
            group_batches: list[_Batch] = []
            exhausted = True
            try:
                with self.store.write():
                    started = time.monotonic()
                    for key, items in batches:
                        batch = self._batch()
                        group_batches.append(batch)
                        if self._store_batch(items, batch, refuse_conflicts=False):
                            self._keep_conflicts(batch)  # the savepoint's rollback lost them
                        else:
                            announce += batch.announce
                            batch.result.committed = True  # once the group commits, below
                        done.append((key, batch.result))
                        if len(done) >= group or time.monotonic() - started > seconds:
                            exhausted = False
                            break
            except BaseException:
                self._keep_after_failure([c for b in group_batches for c in b.conflicts])
                raise
            self._announce(announce)
            yield from done
            if exhausted:
                return

    def keep_survey_version(self, survey: Survey) -> bool:
        """Keep ``survey``'s version in the database, in a transaction of its own, so that forms
        printed or saved for it can be read and imported after the survey file changes. Return
        whether it was new (keeping a version twice changes nothing).

        :raises UnitOfWorkError: called inside an open write transaction.
        """
        self._own_transaction()
        with self.store.write():
            return self.store.save_survey_version(
                survey.id, survey.version, survey.text(survey.title), survey.canonical_json
            )

    def known_channels(self) -> list[str]:
        """The channels a response may come from: those the engine's plugins register, and those
        of every plugin installed, loaded or not (a kiosk's answers are good data on a laptop
        that runs no kiosk, or where ``FEEDBACK_LOAD_PLUGINS`` leaves the kiosk out)."""
        return sorted(set(self.channels.items) | self._installed_channels)

    @functools.cached_property
    def _installed_channels(self) -> set[str]:
        import importlib.metadata

        from feedback.plugins import GROUP

        installed = PluginManager()
        for entry_point in importlib.metadata.entry_points(group=GROUP):
            if installed.has_plugin(entry_point.name):
                continue
            try:
                installed.register(entry_point.load(), name=entry_point.name)
            except Exception:  # a broken plugin is for `feedback plugins` to report
                continue
        found = collect(
            installed, "register_channels", "channel", lambda c: isinstance(c, Channel), "a Channel"
        )
        return set(found.items)

    # -- the unit of work, inside ---------------------------------------------------------------

    def _own_transaction(self) -> None:
        if self.store.conn.in_transaction:
            raise UnitOfWorkError(
                "the engine opens, commits and rolls back its own transaction: it was called "
                "inside one that is open (Store.write); pass the channel's own writes as "
                "`within=` instead"
            )

    def _batch(self) -> _Batch:
        hook = self.pm.hook
        return _Batch(
            notify=bool(hook.response_submitted.get_hookimpls()),
            storing=bool(hook.response_storing.get_hookimpls()),
            today=today(),
        )

    def _submit(
        self, items: Iterable[Item], within: Work | None, batch: _Batch, refuse_conflicts: bool
    ) -> BatchResult:
        self._own_transaction()
        try:
            with self.store.write():
                if within is not None:
                    try:
                        within(self.store)
                    except BaseException:
                        batch.within_failed = True
                        raise
                if self._store_batch(items, batch, refuse_conflicts):
                    raise _Refused
        except _Refused:
            # rolled back, ``within``'s work too; the conflicts are kept all the same
            with self.store.write():
                self._keep_conflicts(batch)
            return batch.result
        except BaseException:
            self._keep_after_failure(batch.conflicts)
            raise
        batch.result.committed = True
        self._announce(batch.announce)
        return batch.result

    def _store_batch(self, items: Iterable[Item], batch: _Batch, refuse_conflicts: bool) -> bool:
        """Check and write one batch inside the open transaction, in a savepoint: all of it, or
        (anything rejected; with ``refuse_conflicts``, any conflict) none of it. Return whether
        it was refused. A refused batch's conflicts are in ``batch.conflicts``, to keep."""
        conn = self.store.conn
        result = batch.result
        conn.execute("SAVEPOINT feedback_batch")
        try:
            chunk: list[tuple[Response, list[Any], bool]] = []
            for where, item in items:
                result.received += 1
                response, problems = self._check(item, batch)
                if problems:
                    result.rejected_count += 1
                    if len(result.rejected) < MAX_REJECTIONS_KEPT:
                        result.rejected.append(Rejection(where, problems))
                    continue
                assert response is not None
                chunk.append((response, self._row(response), _names_version(item)))
                if len(chunk) >= CHUNK:
                    # after a rejection nothing will be written: only look for conflicts
                    self._write_chunk(chunk, batch, write=not result.rejected_count)
                    chunk = []
            self._write_chunk(chunk, batch, write=not result.rejected_count)
            refused = bool(result.rejected_count or (refuse_conflicts and result.conflicts))
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO feedback_batch")
                conn.execute("RELEASE feedback_batch")
            raise
        if refused:
            conn.execute("ROLLBACK TO feedback_batch")
            result.stored = 0
            batch.announce.clear()
        conn.execute("RELEASE feedback_batch")
        return refused

    def _keep_conflicts(self, batch: _Batch) -> None:
        """After a rollback, inside a transaction: keep the conflicts the batch found with a
        response stored before it (one found with another response of the batch itself was with
        a response that is not stored after all)."""
        stored = self.store.stored_hashes(sorted({c.response_id for c in batch.conflicts}))
        kept = [c for c in batch.conflicts if c.response_id in stored]
        for conflict in kept:
            self.store.add_conflict(*conflict)
        batch.result.conflicts = [c.response_id for c in kept]

    def _keep_after_failure(self, conflicts: list[_Conflict]) -> None:
        """After a failure rolled a transaction back: keep its conflicts if the database lets us
        (the failure is what the caller hears about)."""
        if not conflicts:
            return
        try:
            with self.store.write():
                self._keep_conflicts(_Batch(conflicts=conflicts))
        except Exception:
            log.exception("the conflicts of a failed write could not be kept")

    def _keep_conflict_of(self, item: Response | dict[str, Any]) -> None:
        """Keep the conflict of one response whose ``within`` failed, if it conflicts."""
        batch = self._batch()
        try:
            with self.store.write():
                response, problems = self._check(item, batch)
                if response is not None and not problems:
                    row = self._row(response)
                    self._write_chunk([(response, row, _names_version(item))], batch, write=False)
        except Exception:
            log.exception("the conflict of a response whose channel work failed was not kept")

    def _announce(self, responses: list[Response]) -> None:
        """Tell the ``response_submitted`` hooks, once the responses are committed."""
        for response in responses:
            try:
                self.pm.hook.response_submitted(engine=self, response=response)
            except Exception:
                log.exception("a response_submitted hook failed for %s", response.id)

    def _check(
        self, item: Response | dict[str, Any] | Exception, batch: _Batch
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
        problems = self._channel_and_date_problems(response, batch.today)
        try:
            survey = self._prepare(response.survey, response.survey_version, batch.saved)
        except InvalidInput as exc:
            field_name = "survey_version" if response.survey_version else "survey"
            return None, [*problems, Problem(str(exc), (field_name,))]
        if response.survey_version is None:
            response = response.model_copy(update={"survey_version": survey.version})
        problems += envelope_problems(survey, response)
        events = batch.events
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
        # every answer through its type's one parser: stored as the forms store what was typed
        answers, answer_issues = parse_answers(survey, response.answers, partial=response.partial)
        problems += answer_issues
        if answers is not response.answers:
            response = response.model_copy(update={"answers": answers})
        if not problems:
            response, problems = self._link(survey, response, batch)
        if not problems:
            for extra in self.pm.hook.validate_response(survey=survey, response=response):
                problems += [p if isinstance(p, Problem) else Problem(str(p)) for p in extra or []]
        return response, problems

    def prepare_links(
        self,
        response: Response,
        *,
        survey: Survey | None = None,
        person: int | None = None,
    ) -> tuple[Response, Link | None]:
        """The response as it may be kept anywhere, and its link: a self-generated code's answers
        taken out and replaced by their keyed hash (for a pseudonymous survey and a ``person``,
        the person's hash), as `submit` does before anything is stored.

        For a channel that keeps a response outside the database before it is stored (the
        kiosk's spool): the code never touches the disk as typed; `submit` with ``link=`` then
        stores the same response and the same link as a `submit` of the original would.
        ``survey``: the survey it answers, when the caller holds it (the database need not be
        readable); else it is looked up.

        :raises ResponseInvalid: a part of the code is not a short line of text; or the survey
            links answers and no linking key can be read (`feedback keys new`).
        """
        survey = survey or self.survey(response.survey, response.survey_version)
        if survey.self_code:
            answers = dict(response.answers)
            problems = []
            by_id = survey.by_id
            for question_id in survey.self_code:
                if question_id in answers and question_id in by_id:
                    try:
                        answers[question_id] = by_id[question_id].parse(answers[question_id])
                    except AnswerError as exc:
                        problems.append(Problem(exc.message, (question_id,)))
                    if answers[question_id] is None:
                        del answers[question_id]
            if problems:
                raise ResponseInvalid(problems, str(response.id))
            response = response.model_copy(update={"answers": answers})
        try:
            return self._links_of(survey, response, person)
        except InvalidInput as exc:
            raise ResponseInvalid(
                [Problem(self._key_problem(survey, exc), ("answers",))], str(response.id)
            ) from exc

    def _link(
        self, survey: Survey, response: Response, batch: _Batch
    ) -> tuple[Response, list[Problem]]:
        """Take a checked response's link (see `prepare_links`) into ``batch``, with the one it
        was given, if any (checked against the survey and against the one made here)."""
        try:
            response, link = self._links_of(survey, response, batch.person)
        except InvalidInput as exc:
            return response, [Problem(self._key_problem(survey, exc), ("answers",))]
        given = batch.given.get(str(response.id)) if batch.given else None
        if given is not None:
            problem = _given_link_problem(survey, Link(*given), link)
            if problem is not None:
                return response, [problem]
            link = Link(*given)
        if link is not None:
            batch.links[str(response.id)] = link
        return response, []

    def _links_of(
        self, survey: Survey, response: Response, person: int | None
    ) -> tuple[Response, Link | None]:
        """A self-generated code taken out of the (parsed) answers and kept only as its keyed
        hash (`feedback.linking`); for a pseudonymous survey, the ``person``'s hash. A code with a
        part left blank links nothing, and its other parts are dropped all the same.

        :raises InvalidInput: the key is needed and cannot be read.
        """
        from feedback.linking import person_link, self_code

        link: Link | None = None
        if survey.self_code:
            parts = [response.answers.get(q) for q in survey.self_code]
            given = [p for p in parts if p is not None]
            if given:
                key = self.linking_key()
                if len(given) == len(parts):
                    code = self_code(key, [str(p) for p in parts])
                    if code is not None:
                        link = Link(code, "self_code")
            kept = {q: v for q, v in response.answers.items() if q not in survey.self_code}
            if len(kept) != len(response.answers):
                response = response.model_copy(update={"answers": kept})
        if person is not None and survey.linking == "pseudonymous":
            link = Link(person_link(self.linking_key(), person), "person")
        return response, link

    @staticmethod
    def _key_problem(survey: Survey, exc: InvalidInput) -> str:
        if survey.linking == "pseudonymous":
            return f"survey '{survey.id}' is pseudonymous: {exc}"
        return f"survey '{survey.id}' links answers by a self-generated code: {exc}"

    def linking_key(self) -> bytes:
        """The project's linking key (read once): ``linking_key``, else the default place.

        :raises InvalidInput: there is no key file, or it is not one (`feedback keys new`).
        """
        if self._linking_key is None:
            from feedback.linking import default_key_path, read_key

            path = self.settings.linking_key_path or default_key_path(self.settings.project_dir)
            self._linking_key = read_key(path)
        return self._linking_key

    def _channel_and_date_problems(self, response: Response, today: dt.date) -> list[Problem]:
        """The channel, if no installed plugin registers it; the date, if after ``today``."""
        problems = []
        if response.channel not in self.channels.items:
            channels = self.known_channels()
            if response.channel not in channels:
                problems.append(
                    Problem(
                        f"unknown channel '{response.channel}' (known: {', '.join(channels)})"
                        + did_you_mean(response.channel, channels),
                        ("channel",),
                    )
                )
        if response.submitted > today:
            problems.append(
                Problem(
                    f"{response.submitted.isoformat()} is after today ({today.isoformat()}): "
                    "expected the date the answers were given",
                    ("submitted",),
                )
            )
        return problems

    def _prepare(self, survey_id: str, version: str | None, saved: set[tuple[str, str]]) -> Survey:
        """The survey a response answers, its version kept once per batch."""
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
        self, chunk: list[tuple[Response, list[Any], bool]], batch: _Batch, write: bool = True
    ) -> None:
        """Store the new responses of ``chunk`` (unless ``write`` is false), count those already
        stored, and keep the conflicts (in the transaction, and in ``batch.conflicts``)."""
        if not chunk:
            return
        result = batch.result
        stored = self.store.stored_hashes([row[0] for _, row, _ in chunk])
        new_rows = []
        new_responses: list[Response] = []
        # the same response stored before without its link (a merge of a release that did not
        # carry links, a spool replayed after a crash): it gets it now; one it has is kept
        linked_before: list[str] = []
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
                    if write and rid in batch.links:
                        linked_before.append(rid)
                else:
                    result.conflicts.append(rid)
                    conflict = _Conflict(
                        rid, response.channel, canonical_json(response.record()), digest
                    )
                    batch.conflicts.append(conflict)
                    self.store.add_conflict(*conflict)
                continue
            if not write:
                continue
            stored[rid] = (digest, response.survey_version or "")
            new_rows.append(row)
            if batch.storing:
                new_responses.append(response)
            if batch.notify:
                batch.announce.append(response)
        if new_rows:
            self.store.insert_responses(new_rows)
            result.stored += len(new_rows)
        linked = [row[0] for row in new_rows if row[0] in batch.links] + linked_before
        if linked:
            self.store.add_links([(rid, *batch.links[rid]) for rid in linked])
        for response in new_responses:
            # inside the transaction: what the hooks write is kept with the response or not at
            # all, and an exception rolls the response back (see the hookspec)
            self.pm.hook.response_storing(
                engine=self, store=self.store, response=response, survey=self._survey_of(response)
            )

    def _survey_of(self, response: Response) -> Survey:
        """The survey version a checked response answers (prepared by `_check` in this batch)."""
        key = (response.survey, response.survey_version or "")
        return self._prepared.get(key) or self.survey(response.survey, response.survey_version)


class _Conflict(NamedTuple):
    """A conflict found, as `Store.add_conflict` takes it."""

    response_id: str
    channel: str
    content: str
    content_hash: str


@dataclass
class _Batch:
    """One batch under way: its result, and what is needed once its transaction ends."""

    result: BatchResult = field(default_factory=BatchResult)
    #: whether any ``response_submitted`` hook listens (else stored responses are not kept)
    notify: bool = False
    #: whether any ``response_storing`` hook listens (called in the transaction, per response)
    storing: bool = False
    #: the date after which a response's date is refused
    today: dt.date = dt.date.max
    #: stored responses, to announce after the commit
    announce: list[Response] = field(default_factory=list)
    #: the conflicts found, to keep again when the transaction is rolled back
    conflicts: list[_Conflict] = field(default_factory=list)
    #: whether each event id is known (looked up once per batch)
    events: dict[str, bool] = field(default_factory=dict)
    #: the survey versions kept in this batch
    saved: set[tuple[str, str]] = field(default_factory=set)
    #: whether ``within`` raised
    within_failed: bool = False
    #: the roster person of a single submit (a personal link), for pseudonymous surveys
    person: int | None = None
    #: response id -> (link, method): the keyed hashes to keep with the responses stored
    links: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: response id -> the link made for it elsewhere (`Engine.submit`'s ``link``, a merge's)
    given: Mapping[str, tuple[str, str]] | None = None


def _given_link_problem(survey: Survey, given: Link, made: Link | None) -> Problem | None:
    """Why a link made elsewhere cannot be kept with a response of ``survey``, if it cannot."""
    if given.method == "self_code" and not survey.self_code:
        why = "it has no self_code"
    elif given.method == "person" and survey.linking != "pseudonymous":
        why = "it is not pseudonymous"
    elif given.method not in ("self_code", "person"):
        why = f"expected the method person or self_code, found {given.method!r}"
    elif not isinstance(given.link, str) or not _LINK_PATTERN.fullmatch(given.link):
        why = "expected 64 lower-case hexadecimal digits (a keyed hash)"
    elif made is not None and made != given:
        why = "its answers give another link"
    else:
        return None
    return Problem(
        f"a {given.method} link given with a response of survey '{survey.id}': {why}", ("link",)
    )


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
