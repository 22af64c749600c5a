"""Stuffed open links (issue 12, item 9): an event's open link works only when the event turns it
on (and the server allows open links at all); submissions by open link are throttled per client
address and per event, the throttled participant keeps their answers and is told to try later; and
open-link responses are stored under their own channel, so a report counts them apart.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import open_engine, pm_with_formats, query, run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "feedback_web"))
from web_helpers import FORM, SHIPPED_PAGES, Web, web_site, write_survey

import feedback_web
from feedback.engine import Engine

OPEN = "/e/hague-2011"
QUICK = (
    "id: quick\ntitle: {en: Quick poll}\nanonymous: true\nquestions:\n"
    "  - {id: liked, type: yes_no, label: {en: 'Did you like it?'}, required: true}\n"
)


@pytest.fixture
def web(project: Path, make_engine: Callable[..., Engine]) -> Iterator[Web]:
    """The web form with a one-question survey as the default; hague-2011's open link is on."""
    write_survey(project, "quick", QUICK)
    (project / "feedback.toml").write_text('default_survey = "quick"\n', encoding="utf-8")
    with web_site(project, make_engine) as site:
        yield site


def answer_once(web: Web, address: str, port: int = 40000):
    """One scripted response by the open link from ``address``: open, answer, submit."""
    visitor = web.visitor(OPEN, client=(address, port))
    visitor.open()
    return visitor, visitor.send([("liked", "yes")])


def test_fifty_scripted_submits_from_one_address_are_throttled_after_the_limit(web) -> None:
    statuses = []
    for n in range(50):
        visitor, page = answer_once(web, "203.0.113.50", 40000 + n)
        statuses.append(page.status)
    assert statuses == [200] * 10 + [429] * 40  # the default: 10 per address in 10 minutes
    assert len(web.responses()) == 10

    # the last one is told to try later, in words, with its answers kept
    assert page.title == "Please try again later"
    assert "Your answers are kept" in page.words()
    assert 1 <= int(visitor.response.headers["retry-after"]) <= 600
    assert [b.text for b in visitor.page.buttons] == ["Try again"]
    kept = query(web.db, "SELECT answers FROM drafts")
    assert len(kept) == 40 and {json.loads(a)["liked"] for (a,) in kept} == {True}

    # another address is not held up by the script
    _, other = answer_once(web, "198.51.100.7")
    assert (other.status, other.title) == (200, "Thank you")

    # ten minutes later the participant presses "Try again": stored once
    web.clock.now += 600
    page = visitor.try_again()
    assert (page.status, page.title) == (200, "Thank you")
    assert len(web.responses()) == 12
    assert len(query(web.db, "SELECT key FROM drafts")) == 39


def test_an_events_open_link_is_throttled_across_addresses(web, monkeypatch) -> None:
    monkeypatch.setenv("FEEDBACK_WEB__OPEN_LINK_EVENT_LIMIT", "3")
    statuses = [answer_once(web, f"192.0.2.{n}")[1].status for n in range(1, 6)]
    assert statuses == [200, 200, 200, 429, 429]
    # personal links are not throttled
    _, token = web.invite(survey="quick")
    visitor = web.visitor(f"/s/{token}", client=("192.0.2.1", 40000))
    visitor.open()
    assert visitor.send([("liked", "no")]).title == "Thank you"
    assert len(web.responses()) == 4
    web.clock.now += 3600  # an hour later the open link takes answers again
    assert answer_once(web, "192.0.2.9")[1].status == 200


def test_a_throttled_submit_keeps_the_draft_for_later(web, monkeypatch) -> None:
    """Closing the 429 page and opening the link later finds the answers again."""
    monkeypatch.setenv("FEEDBACK_WEB__OPEN_LINK_ADDRESS_LIMIT", "1")
    answer_once(web, "203.0.113.60")
    visitor, page = answer_once(web, "203.0.113.60", 40001)
    assert page.status == 429
    web.clock.now += 600
    page = visitor.open()
    assert page.checked() == {("liked", "yes")}
    assert visitor.send().title == "Thank you"
    assert len(web.responses()) == 2


def test_an_open_link_works_only_when_the_event_and_the_server_turn_it_on(
    project: Path, make_engine: Callable[..., Engine], monkeypatch
) -> None:
    paths = ("/e/lisbon-2012", "/e/lisbon-2012/qr", "/e/lisbon-2012/qr.svg")

    def statuses() -> list[int]:
        with web_site(project, make_engine) as web:
            client = web.client()
            before = web.dump()
            found = [client.get(path).status_code for path in paths]
            posted = client.post("/e/lisbon-2012", content="action=next&role=ngo", headers=FORM)
            assert web.dump() == before
            return [*found, posted.status_code]

    result = run(project, "event", "add", "lisbon-2012", "--title", "Lisbon")
    assert result.exit_code == 0, result.output
    assert statuses() == [404] * 4  # added without --open-link
    result = run(project, "event", "add", "lisbon-2012", "--title", "Lisbon", "--open-link")
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("FEEDBACK_WEB__OPEN_LINKS", "false")
    assert statuses() == [404] * 4  # the event allows it, the server does not
    monkeypatch.setenv("FEEDBACK_WEB__OPEN_LINKS", "true")
    assert statuses() == [200, 200, 200, 403]  # both on (a post without the page's cookie)


def test_open_link_responses_are_stored_under_their_own_channel(
    project: Path, make_engine: Callable[..., Engine]
) -> None:
    with web_site(project, make_engine) as web:
        _, token = web.invite()
        personal = web.visitor(f"/s/{token}")
        public = web.visitor(OPEN)
        for visitor in (personal, public):
            visitor.open()
            for fields in SHIPPED_PAGES:
                page = visitor.send(fields)
            assert page.title == "Thank you"
        assert [r["channel"] for r in web.responses()] == ["web", "open-link"]
    with open_engine(project, pm_with_formats(feedback_web)) as engine:
        assert engine.channels["open-link"].title == "Open link"
        assert engine.channels.problems == []
