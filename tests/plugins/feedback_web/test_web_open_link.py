"""An event's open link (``/e/<event>``, the venue QR code): a draft per browser (a cookie), each
submission stored once, "Give another response", unknown events and open links turned off, and the
venue page with its QR code."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from helpers import query
from web_helpers import FORM, SHIPPED_ANSWERS, SHIPPED_PAGES, Visitor, parse, write_survey

from feedback_web.throttle import Window

SVG = "{http://www.w3.org/2000/svg}"
OPEN = "/e/hague-2011"


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.found.append(dict(attrs))


def images(html: str) -> list[dict[str, str | None]]:
    reader = _Images()
    reader.feed(html)
    return reader.found


def fill(visitor: Visitor, pages=SHIPPED_PAGES):
    page = visitor.open()
    for fields in pages:
        page = visitor.send(fields)
    return page


def test_each_browser_gets_its_own_draft_and_each_submission_is_stored_once(web) -> None:
    ann = web.visitor(OPEN)
    bob = web.visitor(OPEN)
    ann.open()
    bob.open()
    cookies = [v.client.cookies.get("feedback_draft") for v in (ann, bob)]
    assert all(cookies) and cookies[0] != cookies[1]
    assert ann.page.hidden["csrf"] != bob.page.hidden["csrf"]

    ann.send([("role", "mp"), ("country", "BE")])
    page = bob.open()
    assert page.title.startswith("Welcome") and page.checked() == set()  # not Ann's answers
    bob.send(SHIPPED_PAGES[0])
    assert len(web.drafts()) == 2

    for visitor in (ann, bob):
        for fields in SHIPPED_PAGES[1:]:
            page = visitor.send(fields)
        assert page.title == "Thank you"
    rows = web.responses()
    assert len(rows) == 2 and rows[0]["id"] != rows[1]["id"]
    assert {row["channel"] for row in rows} == {"open-link"}  # counted apart from personal links
    assert [json.loads(row["answers"])["role"] for row in rows] == ["mp", "ngo"]
    assert web.drafts() == []


def test_the_draft_cookie_is_private_to_the_open_link(web) -> None:
    response = web.client().get(OPEN)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("feedback_draft=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "max-age"} <= attributes
    assert f"Path={OPEN}" in cookie and "samesite=lax" in cookie.lower()
    assert "secure" not in attributes  # plain http: a Secure cookie would never come back
    secure = web.client(base_url="https://feedback.example.org").get(OPEN)
    assert "secure" in secure.headers["set-cookie"].lower()


def test_give_another_response_starts_a_fresh_form(web) -> None:
    visitor = web.visitor(OPEN)
    page = fill(visitor)
    assert (page.status, page.title) == (200, "Thank you")
    [(href, text)] = [(a.attrs["href"], a.text) for a in page.links if "button" in str(a.attrs)]
    assert (href, text) == (f"{OPEN}?again=1", "Give another response")
    assert visitor.client.cookies.get("feedback_draft") is None  # the old draft's cookie is gone

    again = Visitor(visitor.client, href)
    page = again.open()
    assert page.title == "Welcome · Post-seminar feedback" and page.checked() == set()
    page = fill(again, [[("role", "ngo")], *SHIPPED_PAGES[1:]])
    assert page.title == "Thank you"
    first, second = web.responses()
    assert first["id"] != second["id"]
    assert json.loads(first["answers"]) == SHIPPED_ANSWERS


def test_after_a_submit_a_reload_or_back_says_the_answers_are_saved(web) -> None:
    """Post/redirect/get: the submit is answered with a redirect to the thank-you page, so a
    reload fetches that page again; the browser's Back (to any page of the form, or a form it
    kept and posts again) says the answers are saved, never "not saved" (403); nothing is
    stored twice. "Give another response" starts again."""
    visitor = web.visitor(OPEN)
    fill(visitor, SHIPPED_PAGES[:4])
    last = [*visitor.page.hidden.items(), *SHIPPED_PAGES[4], ("action", "next")]
    submitted = visitor.client.post(
        OPEN, content=urlencode(last), headers=FORM, follow_redirects=False
    )
    assert submitted.status_code == 303
    thanks = submitted.headers["location"]
    assert thanks.startswith(f"{OPEN}?done=1")
    seen = {
        "thank-you page": visitor.client.get(thanks),
        "reload": visitor.client.get(thanks),
        "back to the last page": visitor.client.get(f"{OPEN}?page=4"),
        "back to the first page": visitor.client.get(OPEN),
        "the kept form posted again": visitor.client.post(
            OPEN, content=urlencode(last), headers=FORM
        ),
    }
    for name, response in seen.items():
        page = parse(response.text, response.status_code)
        assert (page.status, page.title) == (200, "Thank you"), name
        assert "Your answers are saved." in page.words(), name
    assert len(web.responses()) == 1 and web.drafts() == []
    page = visitor.open("?again=1")
    assert page.title == "Welcome · Post-seminar feedback" and page.checked() == set()


def test_pressing_submit_twice_stores_one_response_and_says_thank_you_twice(web) -> None:
    """A double tap: the second post arrives with the same cookie, after the first stored."""
    visitor = web.visitor(OPEN)
    fill(visitor, SHIPPED_PAGES[:4])
    cookie = visitor.client.cookies.get("feedback_draft")
    last = [*visitor.page.hidden.items(), *SHIPPED_PAGES[4], ("action", "next")]
    first = visitor.client.post(OPEN, content=urlencode(last), headers=FORM)
    assert parse(first.text).title == "Thank you"
    second = web.client().post(
        OPEN, content=urlencode(last), headers={**FORM, "cookie": f"feedback_draft={cookie}"}
    )
    assert len(web.responses()) == 1
    page = parse(second.text, second.status_code)
    assert (page.status, page.title, page.errors) == (200, "Thank you", {})
    assert web.drafts() == []


def test_a_post_without_the_draft_cookie_is_refused(web) -> None:
    visitor = web.visitor(OPEN)
    visitor.open()
    before = web.dump()
    stranger = web.client()  # the page's fields, but not the browser's cookie
    pairs = [*visitor.page.hidden.items(), *SHIPPED_PAGES[0], ("action", "next")]
    response = stranger.post(OPEN, content=urlencode(pairs), headers=FORM)
    assert response.status_code == 403
    assert web.dump() == before


def test_the_open_link_speaks_the_browsers_language(web) -> None:
    page = web.visitor(OPEN).open(**{"accept-language": "nl-NL,nl;q=0.9,en;q=0.8"})
    assert (page.lang, page.title) == ("nl", "Welkom · Evaluatie na het seminar")
    page = web.visitor(OPEN).open(**{"accept-language": "fr-FR,de;q=0.9"})
    assert (page.lang, page.title) == ("en", "Welcome · Post-seminar feedback")


def test_the_open_link_serves_the_projects_default_survey(web) -> None:
    write_survey(
        web.project,
        "quick",
        "id: quick\ntitle: {en: Quick poll}\nquestions:\n"
        "  - {id: liked, type: yes_no, label: {en: 'Did you like it?'}, required: true}\n",
    )
    (web.project / "feedback.toml").write_text('default_survey = "quick"\n', encoding="utf-8")
    visitor = web.visitor(OPEN)
    page = visitor.open()
    assert page.title == "Quick poll · Quick poll"
    page = visitor.send([("liked", "yes")])
    assert page.title == "Thank you"
    [row] = web.responses()
    assert (row["survey"], json.loads(row["answers"])) == ("quick", {"liked": True})


@pytest.mark.parametrize("path", ["/e/nowhere", "/e/nowhere/qr", "/e/nowhere/qr.svg"])
def test_an_unknown_event_is_404(web, path: str) -> None:
    before = web.dump()
    response = web.client().get(path)
    assert response.status_code == 404
    if not path.endswith(".svg"):
        assert parse(response.text).title == "Survey not found"
    assert web.dump() == before


def test_with_open_links_off_only_personal_links_work(web, monkeypatch) -> None:
    monkeypatch.setenv("FEEDBACK_WEB__OPEN_LINKS", "false")
    _, token = web.invite()
    client = web.client()
    for path in (OPEN, f"{OPEN}/qr", f"{OPEN}/qr.svg"):
        assert client.get(path).status_code == 404, path
    assert client.post(OPEN, content="action=next", headers=FORM).status_code == 404
    visitor = web.visitor(f"/s/{token}")
    assert visitor.open().title.startswith("Welcome")
    visitor.send(SHIPPED_PAGES[0])
    assert web.drafts() != [] and all(key.startswith("i:") for key, *_ in web.drafts())


def test_opening_a_personal_link_writes_nothing_until_the_first_step(web) -> None:
    """Mail scanners that fetch every link in a message leave no trace; a personal link's page
    and draft carry no response id (it is made when the response is stored)."""
    _, token = web.invite()
    before = web.dump()
    for _ in range(2):
        assert web.client().get(f"/s/{token}").status_code == 200
    assert web.dump() == before
    visitor = web.visitor(f"/s/{token}")
    assert "response" not in visitor.open().hidden
    visitor.send(SHIPPED_PAGES[0])
    ((key, *_rest),) = web.drafts()
    assert key.startswith("i:")
    assert query(web.db, "SELECT response_id FROM drafts") == [(None,)]
    for fields in SHIPPED_PAGES[1:]:
        visitor.send(fields)
    [row] = web.responses()
    assert row["channel"] == "web"


def test_the_venue_page_shows_the_link_and_its_qr_code(web, monkeypatch) -> None:
    monkeypatch.setenv("FEEDBACK_BASE_URL", "https://feedback.example.org/")
    link = "https://feedback.example.org/e/hague-2011"
    page = Visitor(web.client(), f"{OPEN}/qr").open()
    assert page.status == 200
    assert page.title == "Scan the code to give your feedback · Good practice exchange"
    assert link in page.words()
    [image] = [e for e in images(page.html) if "qr" in (e.get("class") or "")]
    assert image["src"] == f"{OPEN}/qr.svg" and link in image["alt"]


@pytest.mark.parametrize(
    ("base_url", "link"),
    [
        ("https://feedback.example.org", "https://feedback.example.org/e/hague-2011"),
        (None, "http://testserver/e/hague-2011"),
    ],
)
def test_the_qr_code_is_an_svg_image_of_the_open_link(
    web, monkeypatch, base_url: str | None, link: str
) -> None:
    if base_url:
        monkeypatch.setenv("FEEDBACK_BASE_URL", base_url)
    response = web.client().get(f"{OPEN}/qr.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    titles = [e.text for e in root.iter() if e.tag in ("title", f"{SVG}title")]
    assert titles == [link]
    assert root.find(f".//{SVG}path") is not None or root.find(".//path") is not None
    # a standalone SVG document: without its namespace no browser draws it as an image
    assert root.tag == f"{SVG}svg"


def test_only_looking_at_the_open_link_leaves_no_draft(web) -> None:
    """Link previews and QR scanners that only open the page write nothing; the first step does."""
    for _ in range(3):
        web.visitor(OPEN).open()
    assert web.drafts() == []
    visitor = web.visitor(OPEN)
    visitor.open()
    visitor.send(SHIPPED_PAGES[0])
    assert len(web.drafts()) == 1


def test_the_throttle_counts_a_sliding_window_per_key_in_bounded_memory() -> None:
    now = [0.0]
    window = Window(limit=3, window=60, clock=lambda: now[0], max_keys=4)
    for moment in (0, 10, 20):
        now[0] = moment
        assert window.wait("a") is None
        window.add("a")
    assert window.wait("a") == pytest.approx(40)  # until the first is a minute old
    assert window.wait("b") is None  # another key
    now[0] = 60
    assert window.wait("a") is None  # the first left the window: one more fits
    window.add("a")
    assert window.wait("a") == pytest.approx(10)  # now the one at 10 s is the oldest
    for key in "bcdefgh":  # a flood of keys: the table stays bounded
        window.add(key)
    assert len(window._moments) <= 4


def test_open_link_limits_are_settings(web, monkeypatch) -> None:
    monkeypatch.setenv("FEEDBACK_WEB__OPEN_LINK_ADDRESS_LIMIT", "2")
    monkeypatch.setenv("FEEDBACK_WEB__OPEN_LINK_ADDRESS_WINDOW", "30")
    statuses = []
    for _ in range(3):
        visitor = web.visitor(OPEN, client=("203.0.113.5", 4000))
        page = fill(visitor)
        statuses.append(page.status)
    assert statuses == [200, 200, 429]
    web.clock.now += 30
    assert visitor.try_again().title == "Thank you"
