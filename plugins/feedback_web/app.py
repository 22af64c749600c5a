"""The web form: personal links (``/s/<token>``) and each event's open link (``/e/<event>``).

Server-rendered pages that work without JavaScript, one per section. Every step is saved as a
draft, so a participant who leaves comes back to where they were; submitting goes through
`Engine.submit` (channel ``web``) in the same transaction that completes the invitation and deletes
the draft. The handlers are ``async`` and do their database work without awaiting in between, so
requests never interleave on the engine's one SQLite connection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from feedback.engine import Engine, ResponseConflict
from feedback.errors import ResponseInvalid, SurveyNotFound
from feedback.invitations import Draft, Invitation, Invitations
from feedback.responses import Response as SurveyResponse
from feedback.survey import Survey
from feedback_web import form as pages
from feedback_web.i18n import language_name, negotiate, words
from feedback_web.security import Csrf, RateLimiter, SecurityHeaders

HERE = Path(__file__).parent
COOKIE = "feedback_draft"
MAX_BODY = 1_000_000


@dataclass(frozen=True)
class Visit:
    """Who is filling in what: the draft key, the invitation (personal links), event and survey."""

    key: str
    event: dict[str, Any]
    survey: Survey
    action: str
    invitation: Invitation | None = None
    cookie: str | None = None  # a new open-link cookie to set


class WebForm:
    """The state of the web form: the engine, invitations, CSRF secret, rate limit, templates."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.settings = engine.settings
        self.invitations = Invitations(engine.store, self.settings.invitations.expires_days)
        self.csrf = Csrf(self.invitations.secret("csrf"))
        self.limiter = RateLimiter(self.settings.web.rate_limit, self.settings.web.rate_window)
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._blocks: dict[tuple[Any, ...], Markup] = {}

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
    ) -> HTMLResponse:
        """A page with a title and a sentence: thank you, expired, unknown ..."""
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
        problems: list[tuple[str, str, str]] = []
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
            problems = [(q.id, q.label, q.error) for q in questions if q.error]
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
            event=visit.event,
            section_title=survey.text(section.title, language) if section.title else "",
            intro=survey.text(section.intro, language) if section.intro else "",
            questions_html=block,
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

    def draft_for(self, visit: Visit, language: str, save: bool = True) -> Draft:
        """The visit's draft; a new one is saved unless ``save`` is false (an open link's first
        page: the draft is kept from the first step on, so link previews and QR scanners that
        only look leave no rows behind)."""
        draft = self.invitations.draft(visit.key)
        if draft is not None:
            if draft.page >= len(visit.survey.section_list()):
                draft = replace(draft, page=pages.first_page(visit.survey, draft.answers))
            return draft
        draft = Draft(
            key=visit.key,
            invitation=visit.invitation.id if visit.invitation else None,
            event=visit.event["id"],
            survey=visit.survey.id,
            survey_version=visit.survey.version,
            response_id=str(uuid.uuid4()),
            language=language,
            page=pages.first_page(visit.survey, {}),
            answers={},
            updated="",
        )
        if save:
            self.invitations.save_draft(draft)
        return draft

    # -- the steps ----------------------------------------------------------------------------

    def show(self, request: Request, visit: Visit, language: str) -> Response:
        draft = self.draft_for(visit, language, save=False)
        response = self.page(request, visit, draft)
        return self._with_cookie(request, visit, response)

    async def post(self, request: Request, visit: Visit, language: str) -> Response:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY:
            return HTMLResponse("Request too large", status_code=413)
        posted = await request.form(max_files=0, max_fields=2000)
        form = {key: [str(v) for v in posted.getlist(key)] for key in posted}
        # From here on nothing awaits: the database work of one request runs alone.
        if not self.csrf.valid(visit.key, _last(form, "csrf")):
            return self.message(request, "csrf", 403, language, (visit.action, "back_to_survey"))
        posted_id = _last(form, "response")
        if (
            visit.invitation is None
            and self.invitations.draft(visit.key) is None
            and posted_id
            and self.engine.store.stored_hashes([posted_id])
        ):
            # the same form posted again after it was stored (a double tap): thank you again
            return self._thanks(request, visit, language)
        draft = self.draft_for(visit, language, save=False)
        if not draft.updated and _uuid_text(posted_id):
            # a new draft (a GET saves none): keep the response id the page was shown with, so
            # that the same form posted twice is the same response
            draft = replace(draft, response_id=_uuid_text(posted_id))
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
        here = RedirectResponse(visit.action, status_code=303)

        if action.startswith("lang:"):
            wanted = action[5:]
            if wanted in survey.languages:
                draft = replace(draft, language=wanted)
            self.invitations.save_draft(draft)
            return here
        if action == "back":
            previous = pages.neighbour(pages.pages(survey, answers), page, -1)
            self.invitations.save_draft(replace(draft, page=page if previous is None else previous))
            return here
        if action == "save":
            self.invitations.save_draft(draft)
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
            self.invitations.save_draft(draft)
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
            self.invitations.save_draft(replace(draft, page=following))
            return here
        return self.submit(request, visit, draft)

    def submit(self, request: Request, visit: Visit, draft: Draft) -> Response:
        """Store the response, complete the invitation and drop the draft, in one transaction."""
        survey = visit.survey
        visible = survey.visible(draft.answers)
        answers = {q.id: draft.answers[q.id] for q in visible if q.id in draft.answers}
        response = SurveyResponse(
            id=uuid.UUID(draft.response_id),
            survey=survey.id,
            survey_version=survey.version,
            event=visit.event["id"],
            channel="web",
            language=draft.language,
            submitted=dt.date.today(),
            answers=answers,
        )
        try:
            with self.engine.store.write():
                self.engine.submit(response)
                if visit.invitation is not None:
                    self.invitations.complete(visit.invitation, draft.response_id, survey.anonymous)
                self.invitations.delete_draft(draft.key)
        except ResponseInvalid as exc:
            # Answers that fit no longer (the survey changed since the draft was begun): show
            # the first page with a problem, the problem next to its question.
            return self._refused(request, visit, draft, exc)
        except ResponseConflict:
            self.invitations.delete_draft(draft.key)
        if visit.invitation is not None:
            return RedirectResponse(f"{visit.action}?done=1&lang={draft.language}", status_code=303)
        return self._thanks(request, visit, draft.language)

    def _thanks(self, request: Request, visit: Visit, language: str) -> Response:
        """The open link's thank-you page (the survey's own words), its draft cookie dropped."""
        survey = visit.survey
        response_page = self.message(
            request,
            "thank_you",
            200,
            language,
            (visit.action, "start_again"),
            event=visit.event,
            text=survey.text(survey.thank_you, language, words(language)["thank_you"]),
        )
        response_page.delete_cookie(COOKIE, path=visit.action)
        return response_page

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
        self.invitations.save_draft(draft)
        return self.page(request, visit, draft, errors=errors)

    def _with_cookie(self, request: Request, visit: Visit, response: Response) -> Response:
        if visit.cookie is not None:
            response.set_cookie(
                COOKIE,
                visit.cookie,
                max_age=int(self.settings.invitations.expires_days * 86400),
                path=visit.action,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
            )
        return response

    # -- who is it ----------------------------------------------------------------------------

    def personal(self, request: Request) -> Visit | Response:
        """The visit of a personal link, or the page to show instead."""
        client = request.client.host if request.client else "unknown"
        token = request.path_params["token"]
        wait = self.limiter.blocked(client)
        if wait is not None:
            return self.message(
                request, "too_many", 429, headers={"Retry-After": str(int(wait) + 1)}
            )
        invitation = self.invitations.find(token)
        if invitation is None:
            self.limiter.failed(client)
            return self.message(request, "unknown", 404)
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
                    request, "thank_you", 200, language, event=event, text=text or None
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
            action=f"{request.scope.get('root_path', '')}/s/{token}",
            invitation=invitation,
        )

    def open_link(self, request: Request, new_cookie: bool) -> Visit | Response:
        """The visit of an event's open link, or the page to show instead."""
        event_id = request.path_params["event"]
        event = self.engine.store.event(event_id) if self.settings.web.open_links else None
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
            cookie=fresh,
        )

    def venue_link(self, request: Request, event_id: str) -> str:
        base = (self.settings.base_url or str(request.base_url)).rstrip("/")
        return f"{base}/e/{event_id}"


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


def make_app(engine: Engine) -> Starlette:
    """The web form as an ASGI application on ``engine``."""
    web = WebForm(engine)

    async def home(request: Request) -> Response:
        return web.message(request, "home", 200)

    async def personal(request: Request) -> Response:
        visit = web.personal(request)
        if not isinstance(visit, Visit):
            return visit
        assert visit.invitation is not None
        if request.method == "POST":
            return await web.post(request, visit, visit.invitation.language)
        return web.show(request, visit, visit.invitation.language)

    async def open_link(request: Request) -> Response:
        visit = web.open_link(request, new_cookie=request.method == "GET")
        if not isinstance(visit, Visit):
            return visit
        language = negotiate(request.headers.get("accept-language", ""), visit.survey.languages)
        if request.method == "POST":
            return await web.post(request, visit, language)
        return web.show(request, visit, language)

    async def venue(request: Request) -> Response:
        event_id = request.path_params["event"]
        event = engine.store.event(event_id) if web.settings.web.open_links else None
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
        event = engine.store.event(event_id) if web.settings.web.open_links else None
        if event is None:
            return Response("Not found", status_code=404, media_type="text/plain")
        link = web.venue_link(request, event_id)
        # a standalone document, with its namespace (svg_inline leaves it out for inline use)
        out = io.BytesIO()
        segno.make(link, error="m").save(out, kind="svg", scale=8, title=link, xmldecl=False)
        return Response(out.getvalue(), media_type="image/svg+xml")

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [
        Route("/", home),
        Route("/favicon.ico", favicon),
        Route("/s/{token}", personal, methods=["GET", "POST"]),
        Route("/e/{event}", open_link, methods=["GET", "POST"]),
        Route("/e/{event}/qr", venue),
        Route("/e/{event}/qr.svg", venue_svg),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(SecurityHeaders)
    app.state.web = web
    return app
