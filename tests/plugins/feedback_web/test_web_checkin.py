"""Check-in by a pass's link (``/c/<code>``, the QR code on a badge or in an invitation), on the
real app and a real SQLite file: the page a GET shows (whose pass, which event, one button) writes
nothing; the button checks the holder in (source ``checkin``) once, and says so again after;
only on the event's day by the core clock (``SOURCE_DATE_EPOCH``) and the ``[web]`` days around
it; an unknown code gets a neutral 404 and counts against the limit of unknown links; no CSRF
token, nothing written; a database that cannot be written, 503 and nothing written. In headless
Chromium at a phone's width and a laptop's, the pages pass axe-core's WCAG 2.1 AA rules;
screenshots go to ``/tmp/issue15/shots/`` (``FEEDBACK_SHOTS``)."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_web_browser import Browser
from test_web_layout import OVERFLOW
from web_helpers import Web, add_person, live_server, parse, post_raw, query

from feedback.checkin import CHECKIN_PATH, checkin_link, confirm, issue_passes
from feedback.erasure import erase_person
from feedback.invitations import new_token
from feedback_web.security import RedactTokens, redact

#: midnight (UTC) of the days around the event hague-2011 (2011-01-26)
DAY_BEFORE, EVENT_DAY, DAY_AFTER = 1295913600, 1296000000, 1296086400
SHOTS = Path(os.environ.get("FEEDBACK_SHOTS", "/tmp/issue15/shots"))
SIZES = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1280, "height": 800}}


@pytest.fixture
def event_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EVENT_DAY))


def holder(web: Web, name: str = "Ann Example", **options: Any) -> tuple[int, str]:
    """A person on the roster of hague-2011 (not yet confirmed) and the code of their pass."""
    options.setdefault("attended", False)
    person = add_person(web.engine, name, f"{name.split()[0].lower()}@example.org", **options)
    [issued] = issue_passes(web.engine, "hague-2011", [person])
    return person, issued.token


def path(token: str) -> str:
    return CHECKIN_PATH.format(token=token)


def attendance(web: Web, person: int) -> list[tuple[Any, ...]]:
    return query(
        web.db,
        f"SELECT attended, source, recorded FROM attendance WHERE person = {person}",
    )


# -- the page and the button -------------------------------------------------------------------


def test_the_page_names_the_event_and_holder_offers_one_button_and_writes_nothing(
    web: Web, event_day: None
) -> None:
    person, token = holder(web, "Ann <b>Example</b> & Co")
    before = web.dump()
    visitor = web.visitor(path(token))
    for _ in range(2):  # a link previewer, then the holder
        page = visitor.open()
        assert page.status == 200
        assert page.h1 == "Check in"
        assert page.lang == "en"
        assert "Event: Good practice exchange, 26 January 2011" in page.words().replace(" ,", ",")
        assert "Pass of: Ann <b>Example</b> & Co" in page.words()  # shown as text ...
        assert "&lt;b&gt;Example&lt;/b&gt; &amp; Co" in page.html  # ... escaped
        assert "ann@example.org" not in page.html  # the name only
        assert [b.text for b in page.buttons] == ["Check in"]
        assert set(page.hidden) == {"csrf", "lang"}
    assert web.client().head(path(token)).status_code == 200
    assert web.dump() == before
    assert web.failed_links() == []
    assert attendance(web, person)[0][:2] == (0, "roster")


def test_the_page_speaks_the_holders_language_and_offers_the_others(
    web: Web, event_day: None
) -> None:
    _, token = holder(web, "Bram Voorbeeld", language="nl")
    visitor = web.visitor(path(token))
    page = visitor.open()
    assert (page.lang, page.h1) == ("nl", "Inchecken")
    assert "Pas van: Bram Voorbeeld" in page.words()
    assert "26 januari 2011" in page.words()
    assert [link.text for link in page.links if "lang=" in str(link.attrs["href"])] == [
        "English",
        "Nederlands",
    ]
    page = visitor.open("?lang=en")
    assert (page.lang, page.h1) == ("en", "Check in")
    page = visitor.send(action="checkin")  # the posted page's language is kept
    assert (page.lang, page.h1) == ("en", "Checked in")


def test_pressing_the_button_checks_the_holder_in_once(
    web: Web, event_day: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    person, token = holder(web)
    visitor = web.visitor(path(token))
    visitor.open()
    page = visitor.send(action="checkin")
    assert (page.status, page.h1) == (200, "Checked in")
    assert "Ann Example is checked in." in page.words()
    assert page.buttons == []
    first = attendance(web, person)
    assert first == [(1, "checkin", "2011-01-26T00:00:00+00:00")]

    # the same button again (another phone, a reload) a little later: already, the first kept
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EVENT_DAY + 3600))
    again = web.visitor(path(token))
    again.open()
    page = again.send(action="checkin")
    assert (page.status, page.h1) == (200, "Already checked in")
    assert "Ann Example was already checked in. The first check-in is kept." in page.words()
    assert attendance(web, person) == first


def test_a_signed_sheet_entered_first_stays_the_confirmation(web: Web, event_day: None) -> None:
    person, token = holder(web)
    confirm(web.engine, "hague-2011", [person], "sheet")
    kept = attendance(web, person)
    visitor = web.visitor(path(token))
    visitor.open()
    assert visitor.send(action="checkin").h1 == "Already checked in"
    assert attendance(web, person) == kept and kept[0][1] == "sheet"


# -- only on the day ---------------------------------------------------------------------------


def test_outside_the_event_day_the_page_says_when_and_the_button_changes_nothing(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    person, token = holder(web)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY_BEFORE))
    page = web.visitor(path(token)).open()
    assert (page.status, page.h1) == (200, "Check-in is not open yet")
    assert "Check-in for this event opens on 26 January 2011." in page.words()
    assert page.buttons == []

    # a page opened on the day, its button pressed the day after
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EVENT_DAY))
    visitor = web.visitor(path(token))
    visitor.open()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY_AFTER))
    before = web.dump()
    page = visitor.send(action="checkin")
    assert (page.status, page.h1) == (403, "Check-in is closed")
    assert "closed after 26 January 2011" in page.words()
    assert "Nothing has been recorded." in page.words()
    assert web.dump() == before
    assert attendance(web, person)[0][:2] == (0, "roster")


def test_the_days_around_the_event_are_a_setting(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDBACK_WEB__CHECKIN_DAYS_BEFORE", "1")
    monkeypatch.setenv("FEEDBACK_WEB__CHECKIN_DAYS_AFTER", "2")
    person, token = holder(web)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY_BEFORE - 86400))
    page = web.visitor(path(token)).open()
    assert "opens on 25 January 2011" in page.words()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY_AFTER + 2 * 86400))
    assert "closed after 28 January 2011" in web.visitor(path(token)).open().words()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY_BEFORE))
    visitor = web.visitor(path(token))
    visitor.open()
    assert visitor.send(action="checkin").h1 == "Checked in"
    assert attendance(web, person)[0][:2] == (1, "checkin")


def test_an_event_without_a_date_checks_in_any_day(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    with web.engine.store.write():
        web.engine.store.upsert_event({"id": "open-day", "title": "Open day"})
    person = add_person(web.engine, "Cleo Example", "cleo@example.org", event="open-day")
    [issued] = issue_passes(web.engine, "open-day", [person])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DAY_AFTER + 400 * 86400))
    visitor = web.visitor(path(issued.token))
    assert "Event: Open day" in visitor.open().words()
    assert visitor.send(action="checkin").h1 == "Checked in"
    assert query(web.db, f"SELECT source FROM attendance WHERE person = {person}") == [("checkin",)]


# -- unknown codes -----------------------------------------------------------------------------


def test_an_unknown_code_gets_a_neutral_404_and_guessing_is_throttled(
    web: Web, event_day: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEEDBACK_WEB__RATE_LIMIT", "3")
    person, token = holder(web)
    erased, gone = holder(web, "Dora Example")
    erase_person(web.engine, erased)
    client = web.client()
    never = client.get(path(new_token()))
    after_erasure = client.get(path(gone))
    assert never.status_code == after_erasure.status_code == 404
    assert parse(never.text).h1 == "Pass not recognised"
    assert never.text == after_erasure.text  # nothing tells a code that once was
    assert len(web.failed_links()) == 2
    # past the limit, "too many" for unknown codes, posted or not, and nothing more is counted
    assert post_raw(client, path("x"), {"csrf": "x", "action": "checkin"}).status_code == 404
    refused = client.get(path(new_token()))
    assert refused.status_code == 429 and parse(refused.text).h1 == "Too many attempts"
    assert "Retry-After" in refused.headers
    assert len(web.failed_links()) == 3
    # a real pass still goes through from the same address
    visitor = web.visitor(path(token))
    assert visitor.open().status == 200
    assert visitor.send(action="checkin").h1 == "Checked in"
    assert attendance(web, person)[0][:2] == (1, "checkin")


def test_the_access_log_shows_no_pass_code() -> None:
    token = new_token()
    assert (
        redact(f'"GET /c/{token}?lang=nl HTTP/1.1" 200') == '"GET /c/[token]?lang=nl HTTP/1.1" 200'
    )
    assert token not in redact(checkin_link("https://feedback.example.org", token))
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", f"/%63/{token}", "1.1", 200),
        None,
    )
    RedactTokens().filter(record)
    assert token not in record.getMessage() and "/c/[token]" in record.getMessage()


# -- refusals that write nothing ---------------------------------------------------------------


def test_without_the_pages_csrf_token_nothing_is_recorded(web: Web, event_day: None) -> None:
    person, token = holder(web)
    _, other = holder(web, "Eve Example")
    visitor = web.visitor(path(token))
    visitor.open()
    foreign = web.visitor(path(other)).open().hidden["csrf"]
    before = web.dump()
    for csrf in (None, "", foreign):  # none, empty, another pass's page's
        page = visitor.send(action="checkin", csrf=csrf)
        assert (page.status, page.h1) == (403, "Please try again")
        assert "you are not checked in yet" in page.words()
        assert [link.text for link in page.links if link.attrs["href"] == path(token)] == [
            "Back to the pass"
        ]
    assert web.dump() == before
    assert attendance(web, person)[0][:2] == (0, "roster")


def test_a_database_that_cannot_be_written_says_not_recorded_with_503(
    web: Web, event_day: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEEDBACK_BUSY_TIMEOUT", "0.2")
    person, token = holder(web)
    visitor = web.visitor(path(token))
    visitor.open()
    holder_conn = sqlite3.connect(web.db, isolation_level=None)
    try:
        holder_conn.execute("BEGIN EXCLUSIVE")
        page = visitor.send(action="checkin")
    finally:
        holder_conn.close()
    assert (page.status, page.h1) == (503, "Not checked in yet")
    assert "could not be recorded" in page.words()
    assert "Checked in" not in page.words()
    assert attendance(web, person)[0][:2] == (0, "roster")
    # "Try again" once the database can be written
    page = visitor.try_again()
    assert (page.status, page.h1) == (200, "Checked in")
    assert attendance(web, person)[0][:2] == (1, "checkin")


# -- in a browser ------------------------------------------------------------------------------


def test_in_chromium_the_pages_pass_axe_at_both_sizes_and_the_button_checks_in(
    web: Web, chromium: Any, event_day: None
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    people = {size: holder(web, f"{size.title()} Holder-Ngozi Adébáyọ̀") for size in SIZES}
    violations: dict[str, Any] = {}
    overflow: dict[str, Any] = {}
    with live_server(web.app) as base:
        for size, (person, token) in people.items():
            context = chromium.new_context(viewport=SIZES[size])
            try:
                browser = Browser(context, base)
                page = browser.page
                width = SIZES[size]["width"]
                browser.goto(path(token))
                assert page.title() == "Check in · Good practice exchange"
                for name, press in (("pass", True), ("checked-in", False)):
                    violations[f"{name}-{width}"] = browser.axe()
                    over, wide = page.evaluate(OVERFLOW)
                    if over > 0 or wide:
                        overflow[f"{name}-{width}"] = (over, wide)
                    shot = SHOTS / f"checkin-{name}-{width}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    assert shot.stat().st_size > 5_000
                    if press:
                        button = page.get_by_role("button", name="Check in")
                        box = button.bounding_box()
                        assert box is not None and box["height"] >= 44
                        browser.press()
                assert page.locator("h1").inner_text() == "Checked in"
                assert attendance(web, person)[0][:2] == (1, "checkin")
                assert browser.problems == [] and browser.outside == []
            finally:
                context.close()
    assert {name: found for name, found in violations.items() if found} == {}
    assert overflow == {}
