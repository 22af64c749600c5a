"""The web form: personal links (``/s/<token>``) and each event's open link (``/e/<event>``).

Server-rendered pages that work without JavaScript, one per section. Every step is saved as a
draft, so a participant who leaves comes back to where they were; submitting goes through
`Engine.submit` (channel ``web`` for personal links, ``open-link`` for open links) in the same
transaction that completes the invitation and deletes the draft.

The database work of a request runs in a worker thread, one request at a time on the engine's one
SQLite connection, so the event loop keeps serving other requests (a static file, the home page)
while a write waits for another writer. A step that cannot be stored (the busy timeout passed, a
full disk, a read-only file) gets a page that says the answers are kept (on that page, and in the
draft of the steps before) with a button that sends them again; never a bare error.

A personal link's draft holds no response id, and an anonymous survey's draft is sealed under the
participant's token (see `feedback.invitations`); after such a response is stored the write-ahead
log is emptied, so that no page of the database or its log holds an invitation beside a response.
An event's open link works only when the event and the server both allow open links, and its
submissions are throttled per client address and per event (`feedback_web.throttle`).

Every step is post/redirect/get: it answers with a redirect to the page's own address
(``?page=N``), so the browser's Back and Forward go between pages and a reload posts nothing;
a submission redirects to the thank-you page, which a reload or Back shows again. A link is
looked up before anything else: only unknown links count against the limit of failures
(`feedback_web.security.FailedLinks`, kept in the database for every worker).

A pass's check-in link (``/c/<code>``, `feedback.checkin`) shows whose pass it is and for which
event, with one button; only pressing it (a POST with the page's CSRF token) checks the holder in,
since link previewers and scanners fetch what they see. It checks in only on the event's day
(the core clock, `feedback.events.today`), widened by the ``[web]`` settings
``checkin_days_before`` and ``checkin_days_after``; an unknown code gets the same page whether it
never existed or its person was erased, and counts against the same limit as unknown links.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import logging
import math
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import anyio
import segno
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from feedback.checkin import CHECKIN_PATH, check_in_pass, find_pass
from feedback.engine import Engine, ResponseConflict
from feedback.errors import InvalidInput, ResponseInvalid, StoreError, SurveyNotFound
from feedback.events import event_date, today
from feedback.i18n import long_date
from feedback.invitations import PERSONAL_PATH, Invitation, Invitations, hash_token
from feedback.responses import Response as SurveyResponse
from feedback.store import Store
from feedback.survey import Survey
from feedback_web import form as pages
from feedback_web.drafts import Draft, Drafts, DraftSealed
from feedback_web.i18n import language_name, negotiate, words
from feedback_web.migrations import migrations
from feedback_web.security import BodyLimit, CanonicalPath, Csrf, FailedLinks, SecurityHeaders
from feedback_web.settings import WebSettings
from feedback_web.throttle import Clock, OpenLinkThrottle

HERE = Path(__file__).parent
COOKIE = "feedback_draft"
#: an open link's cookie of a response just stored (its id): the link's page then says the
#: answers are saved (a reload, the browser's Back) until the participant starts again
DONE_COOKIE = "feedback_done"
MAX_BODY = 1_000_000
PERSONAL_LINK = "web"
OPEN_LINK = "open-link"
#: Anonymous submissions at most between two emptyings of the log under a steady load.
CHECKPOINT_EVERY = 32
#: unknown links tried from all addresses together per ``rate_window`` before any more are refused
#: (the ``[web]`` setting ``rate_limit_overall`` when there is one)
RATE_LIMIT_OVERALL = 200
#: what a database that cannot be written raises: the busy timeout passed, a full disk, read-only
NOT_STORED: tuple[type[Exception], ...] = (StoreError, sqlite3.Error)

log = logging.getLogger(__name__)
T = TypeVar("T")
Form = dict[str, list[str]]


@dataclass(frozen=True)
class Visit:
    """Who is filling in what: the draft key, the invitation and its token (personal links),
    event, survey and the channel responses are stored under."""

    key: str
    event: dict[str, Any]
    survey: Survey
    action: str
    channel: str = PERSONAL_LINK
    invitation: Invitation | None = None
    token: str | None = None
    cookie: str | None = None  # a new open-link cookie to set

    @property
    def sealed(self) -> bool:
        """Whether the draft is sealed under the token: a survey by a personal link whose
        responses the database must not tie to their person (anonymous or pseudonymous)."""
        return self.invitation is not None and self.token is not None and not self.survey.traceable


@dataclass(frozen=True)
class PassVisit:
    """Whose pass's check-in link is open: its code, event and holder, and the page's address
    and language."""

    token: str
    event: dict[str, Any]
    person: int
    name: str
    language: str
    action: str

    @property
    def key(self) -> str:
        """What the page's CSRF token is made for: the pass (its hash, as it is stored)."""
        return "c:" + hash_token(self.token)


class _AlreadyCompleted(Exception):
    """The invitation was completed by another request meanwhile: roll the submission back."""


class WebForm:
    """The state of the web form: the engine, invitations, CSRF secret, rate limit, open-link
    throttle, templates, and the lock that keeps requests to one at a time on the engine."""

    def __init__(self, engine: Engine, clock: Clock = time.monotonic):
        self.engine = engine
        self.settings = engine.settings
        # the web form's tables, also on an engine whose plugin manager does not hold this plugin
        engine.store.migrate([migrations])
        self.web_settings = web = self.settings.plugin(WebSettings)
        self.invitations = Invitations(engine.store, self.settings.invitations.expires_days)
        self.drafts = Drafts(engine.store)
        self.csrf = Csrf(self.drafts.secret("csrf"))
        self.failed_links = FailedLinks(
            engine.store,
            self.drafts.secret("failed-links"),
            web.rate_limit,
            web.rate_window,
            int(getattr(web, "rate_limit_overall", RATE_LIMIT_OVERALL)),
            clock=clock,
        )
        self.throttle = OpenLinkThrottle(web, clock)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_limiter: anyio.CapacityLimiter | None = None
        self._checkpoint_due = False
        self._unchecked = 0  # anonymous submissions since the log was last emptied
        conn = engine.store.conn
        if conn.execute("PRAGMA secure_delete").fetchone()[0] != 1:
            # a deleted draft is overwritten, not left in the file's free pages
            conn.execute("PRAGMA secure_delete = ON")
        self.env = Environment(
            # the question types' web renderings are templates named by target
            loader=ChoiceLoader([FileSystemLoader(HERE / "templates"), pages.TargetLoader()]),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._blocks: dict[tuple[Any, ...], Markup] = {}

    # -- off the event loop -------------------------------------------------------------------

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """``work(*args)`` in a worker thread, alone on the engine: the event loop goes on serving
        other requests while it waits for the database.

        Requests queue for the engine without holding a thread (a limiter of one per event
        loop); the lock keeps any two event loops (test clients) apart as well.
        """
        limiter = self._limiter()
        # when no other request waits for the engine, the log is emptied in the same turn
        quiet = limiter.statistics().tasks_waiting == 0
        return await anyio.to_thread.run_sync(self._alone, quiet, work, *args, limiter=limiter)

    def _limiter(self) -> anyio.CapacityLimiter:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._loop_limiter is None:
            self._loop, self._loop_limiter = loop, anyio.CapacityLimiter(1)
        return self._loop_limiter

    def _alone(self, quiet: bool, work: Callable[..., T], *args: Any) -> T:
        with self._lock:
            try:
                return work(*args)
            finally:
                # emptying the log costs two fsyncs: under a steady load it waits for a batch
                if self._checkpoint_due and (quiet or self._unchecked >= CHECKPOINT_EVERY):
                    self._checkpoint()

    def _checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and empty it, so that the pages of an
        anonymous submission (the invitation completed, the response stored, the draft deleted)
        do not stay side by side in the log. It does not wait: while another connection reads
        or writes, it is tried again after the next request."""
        conn = self.engine.store.conn
        try:
            previous = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
            conn.execute("PRAGMA busy_timeout = 0")
            try:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            finally:
                conn.execute(f"PRAGMA busy_timeout = {previous}")
        except sqlite3.Error as exc:
            log.warning("could not empty the write-ahead log (tried again later): %s", exc)
            busy = 1
        self._checkpoint_due = bool(busy)
        if not busy:
            self._unchecked = 0

    # -- rendering ----------------------------------------------------------------------------

    def render(
        self, request: Request, name: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        language = context.setdefault("language", self.settings_language())
        context.setdefault("w", words(language))
        context.setdefault("root", request.scope.get("root_path", ""))
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)

    def settings_language(self) -> str:
        try:
            return self.engine.survey().languages[0]
        except SurveyNotFound:
            return "en"

    def message(
        self,
        request: Request,
        kind: str,
        status: int,
        language: str | None = None,
        link: tuple[str, str] | None = None,
        headers: dict[str, str] | None = None,
        event: dict[str, Any] | None = None,
        text: str | None = None,
        stored: bool = False,
    ) -> HTMLResponse:
        """A page with a title and a sentence: thank you, expired, unknown ...; ``stored``: it
        also says that the participant's answers are saved."""
        language = language or negotiate(
            request.headers.get("accept-language", ""), self._languages()
        )
        w = words(language)
        response = self.render(
            request,
            "message.html.j2",
            status,
            language=language,
            w=w,
            title=w[f"{kind}_title"],
            text=text or w[kind],
            link=link,
            event=event,
            kind=kind,
            stored=stored,
        )
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    def _languages(self) -> list[str]:
        try:
            return list(self.engine.survey().languages)
        except SurveyNotFound:
            return ["en"]

    def page(
        self,
        request: Request,
        visit: Visit,
        draft: Draft,
        typed: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        visible: list[str] | None = None,
        notice: str | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        """The draft's current page, with what was typed and its problems when given."""
        survey, language = visit.survey, draft.language
        w = words(language)
        section = survey.section_list()[draft.page]
        on_page = {q.id for q in section.questions}
        if visible is None:
            visible = [q.id for q in survey.visible(draft.answers) if q.id in on_page]
        errors = errors or {}
        # An untouched page (nothing typed, no answers on it, no problems) looks the same for
        # everyone with the same visible questions: its questions are rendered once.
        untouched = typed is None and not errors and on_page.isdisjoint(draft.answers)
        key = (survey.id, survey.version, language, draft.page, tuple(visible))
        block = self._blocks.get(key) if untouched else None
        problems: list[tuple[str, int, str]] = []
        if block is None:
            questions = []
            for question in section.questions:
                if typed is not None and question.id in typed:
                    shown_value = typed[question.id]
                else:
                    shown_value = pages.typed_from_answer(question, draft.answers.get(question.id))
                questions.append(
                    SimpleNamespace(
                        q=question,
                        id=question.id,
                        widget=pages.widget(question),
                        template=pages.template(self.engine.types, question),
                        definition=pages.definition_json(survey, question),
                        type=question.type,
                        label=survey.text(question.label, language),
                        help=survey.text(question.help, language) if question.help else "",
                        options=pages.options(question, language),
                        value=shown_value,
                        error=errors.get(question.id),
                        hidden=question.id not in visible,
                        condition=pages.condition_json(question),
                        extra=_extra_texts(survey, question, language, w),
                    )
                )
            # numbered as the page shows them: its visible questions that take an answer
            shown = [q for q in questions if not q.hidden and q.q.answerable]
            problems = [(q.id, shown.index(q) + 1, q.error) for q in shown if q.error]
            block = Markup(
                self.env.get_template("question_list.html.j2").render(questions=questions, w=w)
            )
            if untouched:
                if len(self._blocks) >= 256:
                    self._blocks.clear()
                self._blocks[key] = block
        shown_pages = pages.pages(survey, draft.answers)
        number, total = pages.position(shown_pages, draft.page)
        earlier = {k: v for k, v in draft.answers.items() if k not in on_page}
        last = pages.neighbour(shown_pages, draft.page, +1) is None
        return self.render(
            request,
            "form.html.j2",
            status,
            language=language,
            w=w,
            survey_title=survey.text(survey.title, language),
            description=survey.text(survey.description, language)
            if survey.description and number == 1
            else "",
            anonymous=survey.anonymous,
            linking_notice=linking_notice(survey, w) if number == 1 else "",
            event=visit.event,
            section_title=survey.text(section.title, language) if section.title else "",
            intro=survey.text(section.intro, language) if section.intro else "",
            questions_html=block,
            type_scripts=pages.component_types(self.engine.types, survey),
            errors=problems,
            notice=notice,
            page=draft.page,
            number=number,
            total=total,
            last=last,
            first=pages.neighbour(shown_pages, draft.page, -1) is None,
            csrf=self.csrf.token(visit.key),
            response_id=draft.response_id,
            action=visit.action,
            shown=",".join(visible),
            earlier=earlier,
            languages=[(code, language_name(code)) for code in survey.languages],
        )

    # -- drafts -------------------------------------------------------------------------------

    def draft_for(self, visit: Visit, language: str) -> tuple[Draft, bool]:
        """The visit's draft, or a new one (not saved: the first step saves it, so link previews
        and mail scanners that only look leave no rows behind); and whether a draft sealed under
        another link of the invitation was passed over (the participant is told)."""
        elsewhere = False
        try:
            draft = self.drafts.draft(visit.key, visit.token)
        except DraftSealed:
            draft, elsewhere = None, True
        if draft is not None:
            if draft.page >= len(visit.survey.section_list()):
                draft = replace(draft, page=pages.first_page(visit.survey, draft.answers))
            return draft, False
        draft = Draft(
            key=visit.key,
            invitation=visit.invitation.id if visit.invitation else None,
            event=visit.event["id"],
            survey=visit.survey.id,
            survey_version=visit.survey.version,
            # a personal link's response id is made when it is stored, never kept beside the
            # invitation; an open link's page carries its own, so a double tap stores it once
            response_id=None if visit.invitation else str(uuid.uuid4()),
            language=language,
            page=pages.first_page(visit.survey, {}),
            answers={},
            updated="",
        )
        return draft, elsewhere

    def save(self, visit: Visit, draft: Draft) -> None:
        """Save the draft; sealed under the participant's token for an anonymous survey."""
        self.drafts.save_draft(draft, seal_with=visit.token if visit.sealed else None)

    # -- the steps ----------------------------------------------------------------------------

    def show(self, request: Request, visit: Visit, language: str) -> Response:
        """The page of the link: the one named in the address (``?page=``, where every step
        leads, so that the browser's Back and Forward go between pages), else the draft's."""
        draft, elsewhere = self.draft_for(visit, language)
        wanted = request.query_params.get("page", "")
        if (
            wanted.isascii()
            and wanted.isdigit()
            and len(wanted) < 6
            and int(wanted) in pages.pages(visit.survey, draft.answers)
        ):
            draft = replace(draft, page=int(wanted))
        notice = words(draft.language)["other_link"] if elsewhere else None
        response = self.page(request, visit, draft, notice=notice)
        return self._with_cookie(request, visit, response)

    def post(self, request: Request, visit: Visit, language: str, form: Form) -> Response:
        """One step: the page's answers read, then saved, shown again or submitted. When the
        database cannot be written, the page that keeps the answers and offers to try again."""
        try:
            return self._post(request, visit, language, form)
        except NOT_STORED as exc:
            log.warning("a step of the web form (%s) could not be stored: %s", visit.channel, exc)
            return self.kept(
                request, visit, form, "not_saved", 503, self._language(visit, language)
            )

    def _language(self, visit: Visit, language: str) -> str:
        """The language of the visit's stored draft, if it can be read; else ``language``."""
        try:
            draft = self.drafts.draft(visit.key, visit.token)
        except DraftSealed:
            return language
        except NOT_STORED:
            return language
        return draft.language if draft is not None else language

    def _post(self, request: Request, visit: Visit, language: str, form: Form) -> Response:
        if not self.csrf.valid(visit.key, _last(form, "csrf")):
            return self.message(request, "csrf", 403, language, (visit.action, "back_to_survey"))
        posted_id = _uuid_text(_last(form, "response")) if visit.invitation is None else None
        if (
            posted_id
            and self.drafts.draft(visit.key) is None
            and self.engine.store.stored_hashes([posted_id])
        ):
            # the same form posted again after it was stored (a double tap): thank you again
            return self._stored(request, visit, posted_id, language)
        draft, _ = self.draft_for(visit, language)
        if posted_id and not draft.updated:
            # a new draft (a GET saves none): keep the response id the page was shown with, so
            # that the same form posted twice is the same response
            draft = replace(draft, response_id=posted_id)
        survey = visit.survey
        try:
            page = int(_last(form, "page") or draft.page)
        except ValueError:
            page = draft.page
        if not 0 <= page < len(survey.section_list()):
            page = draft.page
        w = words(draft.language)
        result = pages.read_page(survey, page, form, draft.answers, w)
        on_page = {q.id for q in survey.section_list()[page].questions}
        answers = {k: v for k, v in draft.answers.items() if k not in on_page} | result.answers
        draft = replace(draft, page=page, answers=answers)
        action = _last(form, "action") or "next"

        if action.startswith("lang:"):
            wanted = action[5:]
            if wanted in survey.languages:
                draft = replace(draft, language=wanted)
            self.save(visit, draft)
            return self._to_page(visit, draft.page)
        if action == "back":
            previous = pages.neighbour(pages.pages(survey, answers), page, -1)
            draft = replace(draft, page=page if previous is None else previous)
            self.save(visit, draft)
            return self._to_page(visit, draft.page)
        if action == "save":
            self.save(visit, draft)
            return self.message(
                request, "saved", 200, draft.language, (visit.action, "continue"), event=visit.event
            )
        shown = _last(form, "shown")
        seen = set(shown.split(",")) if shown is not None else set(result.visible)
        opened = [
            q
            for q in result.visible
            if q not in seen and survey.by_id[q].answerable and q not in result.answers
        ]
        errors = {k: v for k, v in result.errors.items() if k not in opened}
        if errors or opened:
            self.save(visit, draft)
            return self.page(
                request,
                visit,
                draft,
                typed=result.typed,
                errors=errors,
                visible=result.visible,
                notice=w["more_questions"] if opened and not errors else None,
            )
        following = pages.neighbour(pages.pages(survey, answers), page, +1)
        if following is not None:
            self.save(visit, replace(draft, page=following))
            return self._to_page(visit, following)
        return self.submit(request, visit, draft, form)

    def _to_page(self, visit: Visit, page: int) -> Response:
        """Post/redirect/get to a page of the form, its number in the address: each page is an
        entry of the browser's history, and a reload shows it again without posting."""
        return RedirectResponse(f"{visit.action}?page={page}", status_code=303)

    def submit(self, request: Request, visit: Visit, draft: Draft, form: Form) -> Response:
        """Store the response, complete the invitation and drop the draft, in one transaction:
        the engine's (`Engine.submit` with ``within``), which commits before it announces the
        response and keeps a conflict even though the rest is rolled back.

        An open link past its throttle keeps the draft and says to try again later.
        """
        survey = visit.survey
        client = _client(request)
        if visit.channel == OPEN_LINK:
            wait = self.throttle.wait(client, visit.event["id"])
            if wait is not None:
                try:
                    self.save(visit, draft)
                except NOT_STORED as exc:  # the page below still holds the answers
                    log.warning("a throttled open-link draft could not be saved: %s", exc)
                return self.kept(
                    request, visit, form, "throttled", 429, draft.language, retry_after=wait
                )
        visible = survey.visible(draft.answers)
        answers = {q.id: draft.answers[q.id] for q in visible if q.id in draft.answers}
        response_id = draft.response_id or str(uuid.uuid4())
        response = SurveyResponse(
            id=uuid.UUID(response_id),
            survey=survey.id,
            survey_version=survey.version,
            event=visit.event["id"],
            channel=visit.channel,
            language=draft.language,
            submitted=today(),  # the clock the engine checks dates against
            answers=answers,
        )
        invitation = visit.invitation

        def finish(store: Store) -> None:
            """The form's own writes, in the engine's transaction: kept with the response."""
            if invitation is not None and not self.invitations.complete(
                invitation, response_id, not survey.traceable
            ):
                raise _AlreadyCompleted
            self.drafts.delete_draft(draft.key)

        outcome = "conflict"
        try:
            person = visit.invitation.person if visit.invitation is not None else None
            outcome = self.engine.submit(response, within=finish, person=person)
        except ResponseInvalid as exc:
            # Answers that fit no longer (the survey changed since the draft was begun): show
            # the first page with a problem, the problem next to its question.
            return self._refused(request, visit, draft, exc)
        except ResponseConflict:
            self.drafts.delete_draft(draft.key)
        except _AlreadyCompleted:
            outcome = "already_stored"  # another tab or a double tap stored it first
        if visit.channel == OPEN_LINK and outcome == "stored":
            self.throttle.stored(client, visit.event["id"])
        if visit.invitation is not None and not survey.traceable:
            self._checkpoint_due = True  # done by `run` as soon as no other request waits
            self._unchecked += 1
        if visit.invitation is not None:
            return RedirectResponse(f"{visit.action}?done=1&lang={draft.language}", status_code=303)
        return self._stored(request, visit, response_id, draft.language)

    def kept(
        self,
        request: Request,
        visit: Visit,
        form: Form,
        kind: str,
        status: int,
        language: str,
        retry_after: float | None = None,
    ) -> HTMLResponse:
        """The page of a step that was not stored (``kind`` "not_saved" or "throttled"): it says
        the answers are kept, holds what was posted, and "Try again" posts it again."""
        w = words(language)
        fields = [
            (name, value) for name, values in form.items() if name != "action" for value in values
        ]
        response = self.render(
            request,
            "kept.html.j2",
            status,
            language=language,
            w=w,
            title=w[f"{kind}_title"],
            text=w[kind],
            kind=kind,
            event=visit.event,
            action=visit.action,
            fields=fields,
            pressed=_last(form, "action") or "next",
        )
        if retry_after is not None:
            response.headers["Retry-After"] = str(max(1, math.ceil(retry_after)))
        return response

    def _stored(self, request: Request, visit: Visit, response_id: str, language: str) -> Response:
        """After an open link's response is stored: on to its thank-you page (post/redirect/
        get), the draft cookie dropped and the response's id kept in a cookie, so that a reload
        or the browser's Back says the answers are saved (`thanks`), never that they are not."""
        response = RedirectResponse(f"{visit.action}?done=1&lang={language}", status_code=303)
        response.delete_cookie(COOKIE, path=visit.action)
        self._set_cookie(request, response, DONE_COOKIE, response_id, visit.action)
        return response

    def stored_here(self, request: Request) -> str | None:
        """The id of the response this browser stored by the open link, if it is stored."""
        done = _uuid_text(request.cookies.get(DONE_COOKIE))
        if done is None or not self.engine.store.stored_hashes([done]):
            return None
        return done

    def thanks(self, request: Request, visit: Visit, language: str) -> Response:
        """The open link's thank-you page (the survey's own words), that the answers are saved,
        and a button to give another response (on this device: a new draft)."""
        survey = visit.survey
        return self.message(
            request,
            "thank_you",
            200,
            language,
            (f"{visit.action}?again=1", "start_again"),
            event=visit.event,
            text=survey.text(survey.thank_you, language, words(language)["thank_you"]),
            stored=True,
        )

    def _refused(
        self, request: Request, visit: Visit, draft: Draft, exc: ResponseInvalid
    ) -> Response:
        survey = visit.survey
        w = words(draft.language)
        errors: dict[str, str] = {}
        for problem in exc.problems:
            qid = str(problem.loc[0]) if problem.loc else ""
            if qid in survey.by_id:
                question = survey.by_id[qid]
                message = problem.message
                if message.startswith("required"):
                    message = w["required"]
                errors.setdefault(question.id, message)
        for index, section in enumerate(survey.section_list()):
            if any(q.id in errors for q in section.questions):
                draft = replace(draft, page=index)
                break
        answers = {k: v for k, v in draft.answers.items() if k not in errors}
        draft = replace(draft, answers=answers)
        self.save(visit, draft)
        return self.page(request, visit, draft, errors=errors)

    def _with_cookie(self, request: Request, visit: Visit, response: Response) -> Response:
        if visit.cookie is not None:
            self._set_cookie(request, response, COOKIE, visit.cookie, visit.action)
        return response

    def _set_cookie(
        self, request: Request, response: Response, name: str, value: str, path: str
    ) -> None:
        """A cookie of this form only (its path), for as long as a link lasts, never read by
        scripts or sent by other sites, and only over https when the page came by https."""
        response.set_cookie(
            name,
            value,
            max_age=int(self.settings.invitations.expires_days * 86400),
            path=path,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )

    # -- who is it ----------------------------------------------------------------------------

    def personal(self, request: Request) -> Visit | Response:
        """The visit of a personal link, or the page to show instead."""
        token = request.path_params["token"]
        # the link first: a valid one goes through whatever others behind its address mistyped
        invitation = self.invitations.find(token)
        if invitation is None:
            return self._unknown_link(request)
        event = self.engine.store.event(invitation.event) or {"id": invitation.event}
        if invitation.completed:
            # Straight after submitting: thank you, in the language the participant chose and
            # in the survey's words; any later visit: already completed.
            try:
                survey: Survey | None = self.engine.survey(invitation.survey)
            except SurveyNotFound:
                survey = None
            language = request.query_params.get("lang", "")
            if survey is None or language not in survey.languages:
                language = invitation.language
            if request.query_params.get("done"):
                text = survey.text(survey.thank_you, language, "") if survey else ""
                return self.message(
                    request, "thank_you", 200, language, event=event, text=text or None, stored=True
                )
            return self.message(request, "completed", 200, language, event=event)
        if invitation.expired():
            return self.message(request, "expired", 410, invitation.language, event=event)
        try:
            survey = self.engine.survey(invitation.survey)
        except SurveyNotFound:
            return self.message(request, "no_event", 404, invitation.language)
        return Visit(
            key=f"i:{invitation.id}",
            event=event,
            survey=survey,
            action=request.scope.get("root_path", "") + PERSONAL_PATH.format(token=token),
            channel=PERSONAL_LINK,
            invitation=invitation,
            token=token,
        )

    def _unknown_link(
        self, request: Request, unknown: str = "unknown", too_many: str = "too_many"
    ) -> Response:
        """The page of an unknown link: "not recognised", the failure counted; past the limit of
        failures (of the address, or of everyone), "too many" and nothing counted. Personal links
        and passes share the count: guessing either is guessing a token."""
        client = _client(request)
        wait = self.failed_links.blocked(client)
        if wait is not None:
            return self.message(request, too_many, 429, headers={"Retry-After": str(int(wait) + 1)})
        try:
            self.failed_links.failed(client)
        except NOT_STORED as exc:  # still "not recognised": the link is unknown either way
            log.warning("a failed link could not be counted: %s", exc)
        return self.message(request, unknown, 404)

    def personal_show(self, request: Request) -> Response:
        """A personal link's page: the invitation looked up and the page drawn in one turn on the
        engine (each turn is a hop to a worker thread)."""
        visit = self.personal(request)
        if not isinstance(visit, Visit):
            return visit
        assert visit.invitation is not None
        return self.show(request, visit, visit.invitation.language)

    def personal_post(self, request: Request, form: Form) -> Response:
        """A step on a personal link, the invitation looked up again in the same turn on the
        engine (another tab may have completed it while this form was read)."""
        visit = self.personal(request)
        if not isinstance(visit, Visit):
            return visit
        assert visit.invitation is not None
        return self.post(request, visit, visit.invitation.language, form)

    def open_event(self, event_id: str) -> dict[str, Any] | None:
        """The event if its open link works: open links on for the server and for the event."""
        if not self.web_settings.open_links:
            return None
        event = self.engine.store.event(event_id)
        return event if event is not None and event.get("open_link") else None

    def open_link(self, request: Request, new_cookie: bool) -> Visit | Response:
        """The visit of an event's open link, or the page to show instead."""
        event_id = request.path_params["event"]
        event = self.open_event(event_id)
        if event is None:
            return self.message(request, "no_event", 404)
        try:
            survey = self.engine.survey()
        except SurveyNotFound:
            return self.message(request, "no_event", 404)
        cookie = request.cookies.get(COOKIE, "")
        fresh = None
        if not (len(cookie) == 43 and cookie.replace("-", "").replace("_", "").isalnum()):
            if not new_cookie:
                cookie = ""
            else:
                cookie = fresh = secrets.token_urlsafe(32)
        key = "o:" + hashlib.sha256(cookie.encode()).hexdigest() if cookie else "o:none"
        return Visit(
            key=key,
            event=event,
            survey=survey,
            action=f"{request.scope.get('root_path', '')}/e/{event_id}",
            channel=OPEN_LINK,
            cookie=fresh,
        )

    def open_show(self, request: Request) -> Response:
        """The open link's page; after this browser stored a response (a reload of the thank-you
        page, the browser's Back to the form), the thank-you page until "Give another response"
        (``?again=1``)."""
        visit = self.open_link(request, new_cookie=True)
        if not isinstance(visit, Visit):
            return visit
        language = self._browser_language(request, visit)
        wanted = request.query_params.get("lang", "")
        if wanted in visit.survey.languages:
            language = wanted
        if request.query_params.get("again"):
            response = self.show(request, visit, language)
            response.delete_cookie(DONE_COOKIE, path=visit.action)
            return response
        if request.cookies.get(DONE_COOKIE) and self.stored_here(request) is not None:
            return self.thanks(request, visit, language)
        return self.show(request, visit, language)

    def open_post(self, request: Request, form: Form) -> Response:
        visit = self.open_link(request, new_cookie=False)
        if not isinstance(visit, Visit):
            return visit
        language = self._browser_language(request, visit)
        posted = _uuid_text(_last(form, "response"))
        if posted is not None and posted == self.stored_here(request):
            # the form of a response this browser stored, posted again (a page kept by the
            # browser's Back, a reload): its answers are saved, whatever its draft cookie
            return self._stored(request, visit, posted, language)
        return self.post(request, visit, language, form)

    def _browser_language(self, request: Request, visit: Visit) -> str:
        return negotiate(request.headers.get("accept-language", ""), visit.survey.languages)

    # -- check-in by a pass --------------------------------------------------------------------

    def pass_visit(self, request: Request, language: str | None = None) -> PassVisit | Response:
        """The visit of a pass's check-in link, or the page of an unknown code: the same for a
        code never issued, a pass whose person was erased, or an event deleted since.

        The page's language: the one asked for (``?lang=``, or the posted page's), else the
        holder's, else the browser's."""
        token = request.path_params["token"]
        store = self.engine.store
        found = find_pass(store, token)
        event = store.event(found[0]) if found is not None else None
        holder = None
        if found is not None and event is not None:
            holder = store.conn.execute(
                "SELECT name, language FROM people WHERE id = ?", [found[1]]
            ).fetchone()
        if found is None or event is None or holder is None:
            return self._unknown_link(request, "unknown_pass", "too_many_passes")
        languages = self._languages()
        chosen = language or request.query_params.get("lang", "")
        if chosen not in languages:
            chosen = holder[1] if holder[1] in languages else ""
        if not chosen:
            chosen = negotiate(request.headers.get("accept-language", ""), languages)
        return PassVisit(
            token=token,
            event=event,
            person=found[1],
            name=str(holder[0]),
            language=chosen,
            action=request.scope.get("root_path", "") + CHECKIN_PATH.format(token=token),
        )

    def checkin_closed(self, event: dict[str, Any]) -> tuple[str, dt.date] | None:
        """``None`` when check-in for ``event`` is open today (by the core clock): on its date,
        widened by ``checkin_days_before`` and ``checkin_days_after``, or any day for an event
        without a date. Else why not: ``("checkin_not_yet", first day)`` or
        ``("checkin_closed", last day)``."""
        day = event_date(event)
        if day is None:
            return None
        first = day - dt.timedelta(days=self.web_settings.checkin_days_before)
        last = day + dt.timedelta(days=self.web_settings.checkin_days_after)
        current = today()
        if current < first:
            return "checkin_not_yet", first
        if current > last:
            return "checkin_closed", last
        return None

    def pass_page(
        self,
        request: Request,
        visit: PassVisit,
        kind: str,
        status: int = 200,
        text: str | None = None,
        button: bool = False,
    ) -> HTMLResponse:
        """The pass's page: whose pass, for which event, a sentence, and the button if asked.
        The page a GET shows offers the other languages; an answer to the button does not (a
        language's link opens the pass again)."""
        w = words(visit.language)
        return self.render(
            request,
            "checkin.html.j2",
            status,
            language=visit.language,
            w=w,
            title=w[f"{kind}_title"],
            kind=kind,
            event=visit.event,
            holder=visit.name,
            date=long_date(visit.event.get("date"), visit.language),
            text=text,
            csrf=self.csrf.token(visit.key) if button else None,
            action=visit.action,
            languages=[(code, language_name(code)) for code in self._languages()]
            if request.method != "POST"
            else [],
        )

    def _closed_page(
        self, request: Request, visit: PassVisit, closed: tuple[str, dt.date], status: int
    ) -> HTMLResponse:
        kind, day = closed
        text = words(visit.language)[kind].format(date=long_date(day, visit.language))
        return self.pass_page(request, visit, kind, status, text)

    def checkin_show(self, request: Request) -> Response:
        """A pass's page with its one button; it writes nothing (a known code counts no failure,
        and no token is stored: the page's CSRF token is made from the pass)."""
        visit = self.pass_visit(request)
        if not isinstance(visit, PassVisit):
            return visit
        closed = self.checkin_closed(visit.event)
        if closed is not None:
            return self._closed_page(request, visit, closed, 200)
        text = words(visit.language)["checkin_intro"]
        return self.pass_page(request, visit, "checkin", text=text, button=True)

    def checkin_post(self, request: Request, form: Form) -> Response:
        """The button pressed: the holder checked in (source ``checkin``), or told they already
        were (the first check-in kept); outside the days of check-in, or without the page's
        CSRF token, nothing is written. A database that cannot be written: 503, a page that
        says so and offers to try again, never "checked in"."""
        visit = self.pass_visit(request, _last(form, "lang"))
        if not isinstance(visit, PassVisit):
            return visit
        language = visit.language
        if not self.csrf.valid(visit.key, _last(form, "csrf")):
            return self.message(
                request,
                "checkin_csrf",
                403,
                language,
                (visit.action, "back_to_pass"),
                event=visit.event,
            )
        closed = self.checkin_closed(visit.event)
        if closed is not None:
            return self._closed_page(request, visit, closed, 403)
        try:
            done = check_in_pass(self.engine, visit.token)
        except InvalidInput:  # the person erased since the pass was looked up
            return self._unknown_link(request, "unknown_pass", "too_many_passes")
        except NOT_STORED as exc:
            log.warning("a check-in could not be recorded: %s", exc)
            w = words(language)
            return self.render(
                request,
                "kept.html.j2",
                503,
                language=language,
                w=w,
                title=w["not_checked_in_title"],
                text=w["not_checked_in"],
                kind="not_checked_in",
                event=visit.event,
                action=visit.action,
                fields=[("csrf", self.csrf.token(visit.key)), ("lang", language)],
                pressed="checkin",
            )
        kind = "already_checked_in" if done.already else "checked_in"
        text = words(language)[kind].format(name=done.name)
        return self.pass_page(request, visit, kind, text=text)

    def venue_link(self, request: Request, event_id: str) -> str:
        base = (self.settings.base_url or str(request.base_url)).rstrip("/")
        return f"{base}/e/{event_id}"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _read_form(request: Request) -> Form | Response:
    """The posted form (on the event loop: reading the body awaits), or the page to show."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY:
        return HTMLResponse("Request too large", status_code=413)
    posted = await request.form(max_files=0, max_fields=2000)
    return {key: [str(v) for v in posted.getlist(key)] for key in posted}


def _uuid_text(value: str | None) -> str | None:
    try:
        return str(uuid.UUID(value)) if value else None
    except ValueError:
        return None


def _last(form: dict[str, list[str]], name: str) -> str | None:
    values = form.get(name)
    return values[-1] if values else None


def _extra_texts(survey: Survey, question: Any, language: str, w: dict[str, str]) -> dict[str, str]:
    out = {}
    for name in ("then_label", "now_label", "min_label", "max_label", "unit"):
        value = getattr(question, name, None)
        if value is not None:
            out[name] = survey.text(value, language)
    out.setdefault("then_label", w["before"])
    out.setdefault("now_label", w["now"])
    return out


def linking_notice(survey: Survey, w: dict[str, str]) -> str:
    """What a participant is told, before the first question, of how their answers are linked
    to their answers in another wave (``""`` for a survey that links nothing)."""
    if survey.linking == "pseudonymous":
        return w["linking_notice"]
    if survey.self_code:
        return w["self_code_notice"]
    return ""


def make_app(engine: Engine, clock: Clock = time.monotonic) -> Starlette:
    """The web form as an ASGI application on ``engine``; ``clock`` times the rate limit and the
    open-link throttle (tests move it)."""
    web = WebForm(engine, clock)

    async def home(request: Request) -> Response:
        return web.message(request, "home", 200)

    async def personal(request: Request) -> Response:
        if request.method != "POST":
            return await web.run(web.personal_show, request)
        # one turn on the engine per request (each turn is a hop to a worker thread): the link
        # is looked up with the step; the body read first is at most web.max_body (BodyLimit)
        form = await _read_form(request)
        if isinstance(form, Response):
            return form
        return await web.run(web.personal_post, request, form)

    async def open_link(request: Request) -> Response:
        if request.method != "POST":
            return await web.run(web.open_show, request)
        form = await _read_form(request)
        if isinstance(form, Response):
            return form
        return await web.run(web.open_post, request, form)  # a closed event's link: 404 there

    async def checkin(request: Request) -> Response:
        if request.method != "POST":
            return await web.run(web.checkin_show, request)
        form = await _read_form(request)
        if isinstance(form, Response):
            return form
        return await web.run(web.checkin_post, request, form)

    async def venue(request: Request) -> Response:
        event_id = request.path_params["event"]
        event = await web.run(web.open_event, event_id)
        if event is None:
            return web.message(request, "no_event", 404)
        language = negotiate(request.headers.get("accept-language", ""), web._languages())
        return web.render(
            request,
            "venue.html.j2",
            language=language,
            event=event,
            link=web.venue_link(request, event_id),
        )

    async def venue_svg(request: Request) -> Response:
        event_id = request.path_params["event"]
        if await web.run(web.open_event, event_id) is None:
            return Response("Not found", status_code=404, media_type="text/plain")
        link = web.venue_link(request, event_id)
        # a standalone document, with its namespace (svg_inline leaves it out for inline use)
        out = io.BytesIO()
        segno.make(link, error="m").save(out, kind="svg", scale=8, title=link, xmldecl=False)
        return Response(out.getvalue(), media_type="image/svg+xml")

    async def type_script(request: Request) -> Response:
        # the browser component of a question type from a plugin (its offline rendering)
        source = pages.component_source(engine.types, request.path_params["name"])
        if source is None:
            return Response("Not found", status_code=404, media_type="text/plain")
        return Response(source, media_type="text/javascript")

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [
        Route("/", home),
        Route("/favicon.ico", favicon),
        Route(PERSONAL_PATH, personal, methods=["GET", "POST"]),
        Route(CHECKIN_PATH, checkin, methods=["GET", "POST"]),
        Route("/e/{event}", open_link, methods=["GET", "POST"]),
        Route("/e/{event}/qr", venue),
        Route("/e/{event}/qr.svg", venue_svg),
        Route("/static/types/{name}.js", type_script),
        Mount(
            "/static",
            # the form's own files, and the core's scripts shared with the offline form
            StaticFiles(
                directory=HERE / "static",
                packages=[("feedback", "static/js"), ("feedback", "static/css")],
            ),
            name="static",
        ),
    ]
    app = Starlette(routes=routes)
    # the last added is the outermost: a body too large (413) or a path not written the one
    # way (404) is refused before routing or parsing, and the refusal gets the headers too
    app.add_middleware(BodyLimit, max_body=engine.settings.plugin(WebSettings).max_body)
    app.add_middleware(CanonicalPath)
    app.add_middleware(SecurityHeaders)
    app.state.web = web
    return app
