"""Plain helpers of the web form tests: people and invitations, the web form on a project (`Web`),
a participant's browser without JavaScript (a Starlette TestClient that reads and posts the form as
a browser would), a parsed page, the live server for Chromium, and the answers to the shipped survey
page by page.

Importable as ``from web_helpers import ...`` (pytest puts this folder on ``sys.path``; the tests of
``tests/security/`` put it there themselves).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from helpers import AXE, CHROMIUM, EVENT, FLAGS, WCAG_21_AA, dump, query  # noqa: F401
from starlette.testclient import TestClient

from feedback.engine import Engine
from feedback.invitations import Invitation, Invitations
from feedback_web.app import make_app

FAILED_ROW = 'INSERT INTO "web_failed_links" '
FORM = {"content-type": "application/x-www-form-urlencoded"}
Pairs = Iterable[tuple[str, str]] | Mapping[str, str | list[str]]

# The shipped survey (surveys/post-seminar.yaml), one list of fields per page, as a participant
# who is not an MP and passes on no contacts would fill it in.
SHIPPED_TITLES_EN = [
    "Welcome",
    "What you learned",
    "Your views and plans",
    "Towards the next event",
    "Overall",
]
SHIPPED_PAGES: list[list[tuple[str, str]]] = [
    [("role", "ngo"), ("country", "NL")],
    [
        ("rapporteur_role.then", "little"),
        ("rapporteur_role.now", "good"),
        ("other_countries.then", "none"),
        ("other_countries.now", "some"),
        ("mp_ngo_cooperation.then", "some"),
        ("mp_ngo_cooperation.now", "very_good"),
    ],
    [
        ("support_rapporteur_office", "strongly_agree"),
        ("continue_ngo_cooperation", "agree"),
        ("inform_colleagues", "agree"),
    ],
    [("passed_contacts", "no"), ("support_next_event", "no")],
    [("usefulness", "8"), ("recommend", "9"), ("improvements", "More time for questions.")],
]
#: what the shipped pages above are stored as
SHIPPED_ANSWERS: dict[str, Any] = {
    "role": "ngo",
    "country": "NL",
    "rapporteur_role": {"then": "little", "now": "good"},
    "other_countries": {"then": "none", "now": "some"},
    "mp_ngo_cooperation": {"then": "some", "now": "very_good"},
    "support_rapporteur_office": "strongly_agree",
    "continue_ngo_cooperation": "agree",
    "inform_colleagues": "agree",
    "passed_contacts": False,
    "support_next_event": False,
    "usefulness": 8,
    "recommend": 9,
    "improvements": "More time for questions.",
}


class Clock:
    """A clock that moves only when told (``clock.now += 600``)."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


# -- people and invitations --------------------------------------------------------------------


def add_person(
    engine: Engine,
    name: str,
    email: str | None,
    *,
    language: str | None = "en",
    attended: bool = True,
    event: str = "hague-2011",
    role: str | None = None,
) -> int:
    """A person on the roster of ``event`` (attended unless told), as `feedback roster import` does."""
    with engine.store.write():
        person = engine.store.save_person(
            {"name": name, "email": email, "language": language, "role": role}
        )
        engine.store.set_attendance(person, event, invited=True, attended=attended)
    return person


def invite(
    engine: Engine,
    name: str = "Ann Example",
    email: str | None = None,
    *,
    language: str = "en",
    survey: str = "post-seminar",
    event: str = "hague-2011",
    sent: dt.datetime | None = None,
    expires_days: float = 30.0,
) -> tuple[Invitation, str]:
    """A sent invitation of one new attendee to ``survey``, and its token."""
    email = email or f"{name.split()[0].lower()}@example.org"
    add_person(engine, name, email, language=language, event=event)
    invitations = Invitations(engine.store, expires_days)
    made, _ = invitations.prepare(event, survey, list(engine.survey(survey).languages))
    (invitation, token) = next((i, t) for i, t in made if i.email == email)
    invitations.mark_sent(invitation, "smtp", now=sent)
    return invitations.get(invitation.id), token


# -- the web form on a project -----------------------------------------------------------------


class Web:
    """The project, its engine and the web app on it, each built on first use: settings a test
    makes before (``FEEDBACK_WEB__*``, ``feedback.toml``, survey files) apply. The event
    hague-2011 has its open link on; ``clock`` times the rate limit and the open-link throttle."""

    def __init__(
        self, project: Path, make_engine: Callable[..., Engine], clients: list[TestClient]
    ):
        self.project = project
        self._make_engine = make_engine
        self._clients = clients
        self.clock = Clock()

    @cached_property
    def engine(self) -> Engine:
        engine = self._make_engine()
        engine.store.upsert_event({**EVENT, "open_link": 1})
        return engine

    @cached_property
    def app(self) -> Any:
        return make_app(self.engine, clock=self.clock)

    @property
    def db(self) -> Path:
        return self.engine.settings.db_path

    def client(self, **options: Any) -> TestClient:
        """A new browser: its own cookies (and its own address when ``client=`` is given)."""
        client = TestClient(self.app, **options)
        self._clients.append(client)
        return client

    def visitor(self, path: str, **options: Any) -> Visitor:
        return Visitor(self.client(**options), path)

    def invite(self, name: str = "Ann Example", **options: Any) -> tuple[Invitation, str]:
        return invite(self.engine, name, **options)

    def dump(self) -> list[str]:
        """The database as SQL, with the app started (it makes its secrets on start), without
        the count of failed links: an unknown link writes one on purpose (a keyed hash of the
        address and a moment; `failed_links` reads them)."""
        assert self.app is not None
        return [line for line in dump(self.db) if not line.startswith(FAILED_ROW)]

    def failed_links(self) -> list[tuple[Any, ...]]:
        return query(self.db, "SELECT address, moment FROM web_failed_links ORDER BY id")

    def responses(self) -> list[dict[str, Any]]:
        columns = ["id", "event", "survey", "channel", "language", "submitted", "answers"]
        rows = query(self.db, f"SELECT {', '.join(columns)} FROM responses ORDER BY rowid")
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def drafts(self) -> list[tuple[Any, ...]]:
        return query(self.db, "SELECT key, invitation, page, answers FROM drafts")


@contextlib.contextmanager
def web_site(project: Path, make_engine: Callable[..., Engine]) -> Iterator[Web]:
    """A `Web` on ``project`` (``make_engine`` is the fixture of that name); its clients are
    closed at the end."""
    clients: list[TestClient] = []
    try:
        yield Web(project, make_engine, clients)
    finally:
        for client in clients:
            client.close()


# -- a page, parsed ----------------------------------------------------------------------------


@dataclass
class Field:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""

    @property
    def name(self) -> str | None:
        return self.attrs.get("name")

    @property
    def value(self) -> str | None:
        return self.attrs.get("value")


@dataclass
class Page:
    """What a participant sees of one HTML page (and what a browser would post from it)."""

    html: str
    status: int = 200
    lang: str | None = None
    title: str = ""
    h1: str = ""
    fields: list[Field] = field(default_factory=list)
    buttons: list[Field] = field(default_factory=list)
    links: list[Field] = field(default_factory=list)
    questions: dict[str, dict[str, str | None]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)
    notice: str = ""
    text: str = ""
    by_id: dict[str, Field] = field(default_factory=dict)

    @property
    def hidden(self) -> dict[str, str]:
        """The hidden fields of the form (csrf, page, shown)."""
        return {
            f.name: f.value or ""
            for f in self.fields
            if f.attrs.get("type") == "hidden" and f.name is not None
        }

    def checked(self) -> set[tuple[str, str]]:
        """(name, value) of every ticked radio button and check box."""
        return {
            (f.name or "", f.value or "")
            for f in self.fields
            if f.attrs.get("type") in ("radio", "checkbox") and "checked" in f.attrs
        }

    def form_values(self) -> list[tuple[str, str]]:
        """What a browser posts of the visible fields: ticked boxes, text fields, text areas."""
        out = []
        for f in self.fields:
            kind = f.attrs.get("type")
            if f.name is None or "disabled" in f.attrs or kind == "hidden":
                continue
            if kind in ("radio", "checkbox"):
                if "checked" in f.attrs:
                    out.append((f.name, f.value or "on"))
            elif f.tag == "textarea":
                out.append((f.name, f.text.removeprefix("\n")))
            elif f.tag == "input":
                out.append((f.name, f.value or ""))
        return out

    def value_of(self, name: str) -> str | None:
        """The text in the text field or text area ``name``."""
        for f in self.fields:
            if f.name == name and (f.tag == "textarea" or f.attrs.get("type") == "text"):
                return f.text if f.tag == "textarea" else (f.value or "")
        return None

    def shown_questions(self) -> list[str]:
        return [q for q, attrs in self.questions.items() if "hidden" not in attrs]

    def hidden_questions(self) -> list[str]:
        return [q for q, attrs in self.questions.items() if "hidden" in attrs]

    def __repr__(self) -> str:
        return f"<Page {self.status} {self.title!r} errors={self.errors}>"

    def words(self) -> str:
        """The visible text (none of a ``hidden`` element), whitespace collapsed."""
        return " ".join(self.text.split())


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Reader(HTMLParser):
    """Collects a `Page`: each capture is (what, target, depth of the element that opened it)."""

    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str] = []
        self.capture: list[tuple[str, Any, int]] = []

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attrs_list)
        page = self.page
        classes = (attrs.get("class") or "").split()
        captures: list[tuple[str, Any]] = []
        if tag == "html":
            page.lang = attrs.get("lang")
        if tag in ("script", "style", "title") or "hidden" in attrs:
            captures.append(("skip", None))  # not shown: no visible text
        if tag in ("title", "h1"):
            captures.append((tag, None))
        if tag in ("input", "textarea", "select"):
            item = Field(tag, attrs)
            page.fields.append(item)
            if tag == "textarea":
                captures.append(("field", item))
        if tag in ("button", "a"):
            item = Field(tag, attrs)
            (page.buttons if tag == "button" else page.links).append(item)
            captures.append(("field", item))
        if attrs.get("id"):
            page.by_id[str(attrs["id"])] = Field(tag, attrs)
        if attrs.get("data-question"):
            page.questions[str(attrs["data-question"])] = attrs
        if "error" in classes and (attrs.get("id") or "").endswith("-error"):
            qid = str(attrs["id"])[2:-6]
            page.errors[qid] = ""
            captures.append(("error", qid))
        if "notice" in classes:
            captures.append(("notice", None))
        if tag in VOID:
            return
        self.stack.append(tag)
        self.capture.extend((what, target, len(self.stack)) for what, target in captures)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in self.stack:
            return
        while self.stack and self.stack.pop() != tag:
            pass
        depth = len(self.stack)
        self.capture = [c for c in self.capture if c[2] <= depth]

    def handle_data(self, data: str) -> None:
        page = self.page
        skip = False
        for what, target, _ in self.capture:
            if what == "skip":
                skip = True
            elif what == "title":
                page.title += data
            elif what == "h1":
                page.h1 += data
            elif what == "field":
                target.text += data
            elif what == "error":
                page.errors[target] += data
            elif what == "notice":
                page.notice += data
        if not skip:
            page.text += data + " "


def parse(html: str, status: int = 200) -> Page:
    page = Page(html=html, status=status)
    reader = _Reader(page)
    reader.feed(html)
    reader.close()
    page.title = " ".join(page.title.split())
    page.h1 = " ".join(page.h1.split())
    page.notice = " ".join(page.notice.split())
    page.errors = {k: " ".join(v.split()) for k, v in page.errors.items()}
    for f in (*page.buttons, *page.links):
        f.text = " ".join(f.text.split())
    summary = page.by_id.get("error-summary-title")
    if summary is not None:
        page.summary = [
            (str(a.attrs.get("href")), a.text)
            for a in page.links
            if str(a.attrs.get("href", "")).startswith("#q-")
        ]
    return page


# -- a participant without JavaScript ----------------------------------------------------------


def encode(pairs: Pairs) -> list[tuple[str, str]]:
    if isinstance(pairs, Mapping):
        out: list[tuple[str, str]] = []
        for key, value in pairs.items():
            out.extend((key, v) for v in ([value] if isinstance(value, str) else value))
        return out
    return list(pairs)


class Visitor:
    """One participant's browser without JavaScript on one link: it reads each page and posts
    the form back with the page's hidden fields, the fields filled in and the button pressed."""

    def __init__(self, client: TestClient, path: str):
        self.client = client
        self.path = path
        self.page: Page | None = None
        self.response: Any = None

    def open(self, query: str = "", **headers: str) -> Page:
        response = self.client.get(self.path + query, headers=headers)
        return self._read(response)

    def send(self, fields: Pairs = (), action: str = "next", **hidden: str | None) -> Page:
        """Press ``action`` (next, back, save, lang:xx) as a browser would: the page's hidden
        fields, what its fields already hold, ``fields`` in place of any field of the same name
        (an empty value unticks), and the button. ``hidden`` replaces a hidden field of the page
        (``None`` leaves it out)."""
        assert self.page is not None, "open the link first"
        values: dict[str, str | None] = {**self.page.hidden, **hidden}
        given = encode(fields)
        names = {name for name, _ in given}
        pairs = [(k, v) for k, v in values.items() if v is not None]
        pairs += [(k, v) for k, v in self.page.form_values() if k not in names]
        pairs += [(k, v) for k, v in given if v]
        pairs.append(("action", action))
        response = self.client.post(self.path, content=urlencode(pairs), headers=FORM)
        return self._read(response)

    def try_again(self, kept: Page | None = None) -> Page:
        """Press "Try again" on the page (``kept``, default the current one) that kept the answers
        of a step that was not stored: its hidden fields, every value of each, and the button's
        own name and value."""
        kept = kept or self.page
        assert kept is not None, "open the link first"
        pairs = [
            (f.name, f.value or "")
            for f in kept.fields
            if f.attrs.get("type") == "hidden" and f.name is not None
        ]
        [button] = [b for b in kept.buttons if b.name == "action"]
        pairs.append(("action", button.value or ""))
        response = self.client.post(self.path, content=urlencode(pairs), headers=FORM)
        return self._read(response)

    def _read(self, response: Any) -> Page:
        self.response = response
        self.page = parse(response.text, response.status_code)
        return self.page


def post_raw(client: TestClient, path: str, pairs: Pairs, **headers: str) -> Any:
    return client.post(path, content=urlencode(encode(pairs)), headers={**FORM, **headers})


# -- the live server for Chromium --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn in a background thread on a free loopback port; its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def write_survey(project: Path, name: str, text: str) -> Path:
    path = project / "surveys" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
