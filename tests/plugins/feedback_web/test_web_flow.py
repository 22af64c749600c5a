"""The web form over HTTP, as a participant without JavaScript uses it: a personal link from the
first page to the stored response, CSRF, expired, unknown and rate-limited links, resuming in
another browser, saving for later, switching language, going back, the problems shown next to
their question, and ``show_if`` between pages and on one page."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from starlette.testclient import TestClient
from web_helpers import (
    SHIPPED_ANSWERS,
    SHIPPED_PAGES,
    SHIPPED_TITLES_EN,
    Page,
    Visitor,
    parse,
    post_raw,
    query,
    write_survey,
)

import feedback_web.app as app_module
from feedback.invitations import Invitations, new_token, utcnow
from feedback_web.app import make_app
from feedback_web.settings import WebSettings

PICKY = """
id: picky
title: {en: "Picky survey", nl: "Kieskeurige vragenlijst"}
languages: [en, nl]
anonymous: false
questions:
  - id: topics
    type: multi_choice
    label: {en: "Which topics should the next seminar cover?", nl: "Welke onderwerpen moet het volgende seminar behandelen?"}
    min_selections: 1
    max_selections: 2
    choices: [legislation, victims, data, prosecution]
  - id: remarks
    type: text
    label: {en: "Remarks", nl: "Opmerkingen"}
"""


def walk(visitor: Visitor, pages: int) -> Page:
    """Open the link and fill in the first ``pages`` pages of the shipped survey."""
    page = visitor.open()
    for fields in SHIPPED_PAGES[:pages]:
        page = visitor.send(fields)
        assert page.status == 200 and not page.errors, (page.title, page.errors)
    return page


def button_links(page: Page) -> list[tuple[str, str]]:
    return [
        (str(a.attrs["href"]), a.text) for a in page.links if "button" in str(a.attrs.get("class"))
    ]


def described_by(page: Page, qid: str) -> list[str]:
    """The ids in aria-describedby of the question's field (its fieldset, or its input)."""
    element = page.by_id.get(f"q-{qid}-input") or page.by_id[f"q-{qid}"]
    return (element.attrs.get("aria-describedby") or "").split()


# -- the whole way -----------------------------------------------------------------------------


def test_a_personal_link_goes_page_by_page_to_one_stored_web_response(web) -> None:
    invitation, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    page = visitor.open()
    assert page.status == 200
    for number, (title, fields) in enumerate(zip(SHIPPED_TITLES_EN, SHIPPED_PAGES, strict=True), 1):
        assert page.title == f"{title} · Post-seminar feedback"
        assert f"Page {number} of 5" in page.words()
        primary = [b.text for b in page.buttons if "primary" in (b.attrs.get("class") or "")]
        assert primary == (["Submit"] if number == 5 else ["Next"])
        assert ("Back" in [b.text for b in page.buttons]) == (number > 1)
        page = visitor.send(fields)

    # straight after submitting: thank you (a redirect, so a reload does not post again)
    assert [r.status_code for r in visitor.response.history] == [303]
    assert visitor.response.url.params.get("done") == "1"
    assert (page.status, page.title) == (200, "Thank you")

    [row] = web.responses()
    assert row["channel"] == "web"
    assert (row["event"], row["survey"], row["language"]) == ("hague-2011", "post-seminar", "en")
    assert json.loads(row["answers"]) == SHIPPED_ANSWERS
    done = Invitations(web.engine.store).get(invitation.id)
    assert done.completed is not None and done.status() == "completed"
    assert web.drafts() == []

    # the link opened again, in another browser: already completed, a page and not an error
    again = web.visitor(f"/s/{token}").open()
    assert (again.status, again.title) == (200, "Already completed")
    assert "already completed this survey" in again.words()
    assert "csrf" not in again.hidden and not again.questions
    assert len(web.responses()) == 1


def test_the_thank_you_page_shows_the_surveys_own_thank_you_text(web) -> None:
    """The shipped survey says what it thanks for (the kiosk shows it); the web form too."""
    _, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    page = walk(visitor, 5)
    assert page.title == "Thank you"
    assert (
        "Your answers help us see what the seminars achieve and make the next one better."
        in page.words()
    )


# -- CSRF --------------------------------------------------------------------------------------


@pytest.mark.parametrize("csrf", ["missing", "wrong", "another-participants", "not-ascii"])
def test_a_post_without_this_pages_csrf_token_is_refused_and_changes_nothing(
    web, csrf: str
) -> None:
    _, ann_token = web.invite("Ann Example")
    _, bob_token = web.invite("Bob Example")
    ann = web.visitor(f"/s/{ann_token}", raise_server_exceptions=False)
    bob = web.visitor(f"/s/{bob_token}", raise_server_exceptions=False)
    own = ann.open().hidden["csrf"]
    bobs = bob.open().hidden["csrf"]
    assert own != bobs
    value = {
        "missing": None,
        "wrong": own[:-1] + ("A" if own[-1] != "A" else "B"),
        "another-participants": bobs,
        "not-ascii": "é" + own[1:],
    }[csrf]
    before = web.dump()

    fields = [("page", "0"), ("role", "mp"), ("country", "NL"), ("action", "next")]
    if value is not None:
        fields.append(("csrf", value))
    response = post_raw(ann.client, f"/s/{ann_token}", fields)

    assert response.status_code == 403
    page = parse(response.text, response.status_code)
    assert page.title == "Please try again"
    assert button_links(page) == [(f"/s/{ann_token}", "Back to the survey")]
    assert web.dump() == before


# -- links that do not lead to a form ----------------------------------------------------------


def test_an_expired_link_gets_a_friendly_410_page(web) -> None:
    _, token = web.invite(language="nl", sent=utcnow() - dt.timedelta(days=31), expires_days=30)
    before = web.dump()
    page = web.visitor(f"/s/{token}").open()
    assert page.status == 410
    assert (page.lang, page.title) == ("nl", "Deze link is verlopen")
    assert "contact op met de organisatoren" in page.words()
    assert web.dump() == before


def test_a_link_that_expires_while_the_page_is_open_stores_nothing(web) -> None:
    invitation, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    Invitations(web.engine.store, expires_days=1).mark_sent(
        invitation, "smtp", now=utcnow() - dt.timedelta(days=2)
    )
    before = web.dump()
    page = visitor.send(SHIPPED_PAGES[0])
    assert (page.status, page.title) == (410, "This link has expired")
    assert web.dump() == before


def _changed(token: str) -> str:
    return token[:10] + ("A" if token[10] != "A" else "B") + token[11:]


@pytest.mark.parametrize(
    "make_bad",
    [
        pytest.param(lambda good: new_token(), id="well-formed-never-issued"),
        pytest.param(_changed, id="one-character-changed"),
        pytest.param(lambda good: good[:-1], id="one-character-short"),
        pytest.param(lambda good: good + "A", id="one-character-long"),
        pytest.param(lambda good: "abc", id="short"),
        pytest.param(lambda good: "x" * 400, id="very-long"),
        pytest.param(lambda good: "ünïcödé-" + good[8:], id="not-ascii"),
        pytest.param(lambda good: good[:20] + "%20" + good[23:], id="with-a-space"),
    ],
)
def test_unknown_and_malformed_tokens_get_a_friendly_404_page(web, make_bad) -> None:
    _, good = web.invite()
    before = web.dump()
    client = web.client(raise_server_exceptions=False)
    response = client.get(f"/s/{make_bad(good)}")
    assert response.status_code == 404
    page = parse(response.text, 404)
    assert page.title == "Link not recognised"
    assert "copied the whole link" in page.words()
    assert web.dump() == before


def test_the_404_page_speaks_the_browsers_language(web) -> None:
    page = web.visitor(f"/s/{new_token()}").open(**{"accept-language": "nl-BE,nl;q=0.9,en;q=0.5"})
    assert (page.status, page.lang, page.title) == (404, "nl", "Link niet herkend")


def test_after_too_many_failed_links_a_client_waits_for_unknown_links_only(
    web, monkeypatch
) -> None:
    monkeypatch.setenv("FEEDBACK_WEB__RATE_LIMIT", "3")
    monkeypatch.setenv("FEEDBACK_WEB__RATE_WINDOW", "120")
    _, token = web.invite()
    guesser = web.client(client=("198.51.100.7", 40000))
    for _ in range(5):  # good links do not count
        assert guesser.get(f"/s/{token}").status_code == 200
    for _ in range(3):
        assert guesser.get(f"/s/{new_token()}").status_code == 404

    blocked = guesser.get(f"/s/{new_token()}")
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["retry-after"]) <= 121
    assert parse(blocked.text).title == "Too many attempts"
    # a valid link from the same address still goes through: only failures are limited
    assert guesser.get(f"/s/{token}").status_code == 200
    web.clock.now += 121
    assert guesser.get(f"/s/{new_token()}").status_code == 404


def test_forty_participants_behind_one_address_get_through_after_others_mistyped(
    web, monkeypatch
) -> None:
    """A venue's Wi-Fi behind one router: ten people mistype their links, then forty open their
    own valid links and fill in the first page; all get through, while a further unknown link
    from that address is still refused."""
    tokens = [web.invite(f"Person{n} Example")[1] for n in range(40)]
    venue = ("203.0.113.5", 50000)
    for _ in range(10):
        assert web.client(client=venue).get(f"/s/{new_token()}").status_code == 404
    assert web.client(client=venue).get(f"/s/{new_token()}").status_code == 429
    statuses = []
    for token in tokens:
        visitor = web.visitor(f"/s/{token}", client=venue)
        statuses.append(visitor.open().status)
        statuses.append(visitor.send(SHIPPED_PAGES[0]).status)
    assert statuses == [200] * 80
    assert web.client(client=venue).get(f"/s/{new_token()}").status_code == 429


def test_unknown_links_from_many_addresses_are_refused_past_the_overall_limit(
    web, monkeypatch
) -> None:
    """Guessing spread over many addresses (each under its own limit) is stopped by the limit
    on all failures together; valid links still go through."""
    monkeypatch.setattr(app_module, "RATE_LIMIT_OVERALL", 25)
    _, token = web.invite()
    statuses = [
        web.client(client=(f"198.51.100.{n}", 1000)).get(f"/s/{new_token()}").status_code
        for n in range(1, 31)
    ]
    assert statuses == [404] * 25 + [429] * 5
    assert web.client(client=("198.51.100.99", 1000)).get(f"/s/{token}").status_code == 200
    web.clock.now += web.engine.settings.plugin(WebSettings).rate_window
    assert web.client(client=("198.51.100.99", 1000)).get(f"/s/{new_token()}").status_code == 404


def test_workers_on_one_database_share_the_count_of_failed_links(web, monkeypatch) -> None:
    """Two web workers (two apps, two engines, one database file): failures seen by one count
    for the other, and nothing of the address is written as it is."""
    monkeypatch.setenv("FEEDBACK_WEB__RATE_LIMIT", "4")
    first = web.client(client=("192.0.2.44", 1))
    other_engine = web._make_engine()
    try:
        second = TestClient(make_app(other_engine, clock=web.clock), client=("192.0.2.44", 2))
        with second:
            for client in (first, second, first, second):
                assert client.get(f"/s/{new_token()}").status_code == 404
            assert first.get(f"/s/{new_token()}").status_code == 429
            assert second.get(f"/s/{new_token()}").status_code == 429
    finally:
        other_engine.close()
    assert not any("192.0.2.44" in line for line in web.dump())
    [(count,)] = query(web.db, "SELECT count(*) FROM web_failed_links")
    assert count == 4


# -- coming back, saving, languages, back --------------------------------------------------------


def test_a_new_browser_resumes_on_the_next_page_with_earlier_answers_kept(web) -> None:
    _, token = web.invite()
    first = web.visitor(f"/s/{token}")
    page = walk(first, 2)
    assert page.title.startswith("Your views and plans")

    second = web.visitor(f"/s/{token}")  # another device: no cookie, the link only
    page = second.open()
    assert page.title == "Your views and plans · Post-seminar feedback"
    assert "Page 3 of 5" in page.words()
    page = second.send(action="back")
    assert page.title.startswith("What you learned")
    assert set(SHIPPED_PAGES[1]) <= page.checked()
    page = second.send(action="back")
    assert page.title.startswith("Welcome")
    assert page.checked() == set(SHIPPED_PAGES[0])


def test_save_and_finish_later_keeps_the_page_and_its_answers(web) -> None:
    _, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    walk(visitor, 1)
    partial = [("rapporteur_role.then", "little"), ("rapporteur_role.now", "good")]
    page = visitor.send(partial, action="save")
    assert (page.status, page.title) == (200, "Your answers are saved")
    assert "Open the same link again" in page.words()
    assert button_links(page) == [(f"/s/{token}", "Continue now")]
    assert web.responses() == []

    later = web.visitor(f"/s/{token}").open()
    assert later.title.startswith("What you learned")
    assert set(partial) <= later.checked()


def test_switching_language_keeps_the_answers(web) -> None:
    _, token = web.invite(language="nl")
    visitor = web.visitor(f"/s/{token}")
    page = visitor.open()
    assert (page.lang, page.title) == ("nl", "Welkom · Evaluatie na het seminar")

    page = visitor.send([("role", "mp"), ("country", "BE")], action="lang:en")
    assert (page.lang, page.title) == ("en", "Welcome · Post-seminar feedback")
    assert page.checked() == {("role", "mp"), ("country", "BE")}
    assert "Page 1 of 5" in page.words()

    page = visitor.send(action="lang:nl")
    assert (page.lang, page.title) == ("nl", "Welkom · Evaluatie na het seminar")
    assert page.checked() == {("role", "mp"), ("country", "BE")}
    page = visitor.send()
    assert page.title == "Wat u hebt geleerd · Evaluatie na het seminar"


def test_the_thank_you_page_is_in_the_language_the_participant_chose(web) -> None:
    _, token = web.invite(language="nl")
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    page = visitor.send(action="lang:en")
    assert page.lang == "en"
    for fields in SHIPPED_PAGES:
        page = visitor.send(fields)
    [row] = web.responses()
    assert row["language"] == "en"
    assert (page.lang, page.title) == ("en", "Thank you")


def test_back_keeps_what_was_typed_on_the_page_left(web) -> None:
    _, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    walk(visitor, 1)
    page = visitor.send([("rapporteur_role.then", "none"), ("rapporteur_role.now", "some")], "back")
    assert page.title.startswith("Welcome")
    assert page.checked() == set(SHIPPED_PAGES[0])
    page = visitor.send()
    assert page.title.startswith("What you learned")
    assert {("rapporteur_role.then", "none"), ("rapporteur_role.now", "some")} <= page.checked()


def test_each_page_has_its_own_address_so_the_browsers_back_and_forward_go_between_pages(
    web,
) -> None:
    """Every step ends in a redirect to the page's own address (``?page=N``): the browser's Back
    fetches the page before, with its answers, and Forward the page after; a reload shows the
    same page; opening the link itself still resumes where the participant left off."""
    _, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    history = [visitor.open()]
    addresses = [str(visitor.response.url)]
    for fields in SHIPPED_PAGES[:3]:
        history.append(visitor.send(fields))
        addresses.append(str(visitor.response.url))
    assert [a.split("/s/", 1)[1].replace(token, "") for a in addresses] == [
        "",
        "?page=1",
        "?page=2",
        "?page=3",
    ]
    back = web.client()  # what a browser going back fetches: the address, with its cookies
    for number in (2, 1):
        page = parse(visitor.client.get(f"/s/{token}?page={number}").text)
        assert page.title.startswith(SHIPPED_TITLES_EN[number]), number
        assert set(SHIPPED_PAGES[number]) <= page.checked(), number
    page = parse(back.get(f"/s/{token}?page=0").text)
    assert page.title.startswith("Welcome") and page.checked() == set(SHIPPED_PAGES[0])
    assert page.hidden["page"] == "0"  # the step posted from it is a step of that page
    forward = parse(back.get(f"/s/{token}?page=3").text)
    assert forward.title.startswith(SHIPPED_TITLES_EN[3])
    resumed = parse(back.get(f"/s/{token}").text)
    assert resumed.title.startswith(SHIPPED_TITLES_EN[3])
    # a page that is not shown to this participant (or none at all): where they left off
    for wrong in ("99", "-1", "x", "\u00b2", "9" * 5000, ""):
        assert parse(back.get(f"/s/{token}?page={wrong}").text).title == resumed.title


def test_a_whole_number_question_asks_a_phone_for_its_number_keypad(web) -> None:
    """``inputmode="numeric"`` (digits only) for a whole number, ``decimal`` otherwise."""
    write_survey(
        web.project,
        "numbers",
        "id: numbers\ntitle: {en: Numbers}\nquestions:\n"
        "  - {id: people, type: number, integer: true, label: {en: 'How many people?'}}\n"
        "  - {id: hours, type: number, label: {en: 'How many hours?'}}\n",
    )
    _, token = web.invite(survey="numbers")
    page = web.visitor(f"/s/{token}").open()
    modes = {
        qid: page.by_id[f"q-{qid}-input"].attrs.get("inputmode") for qid in ("people", "hours")
    }
    assert modes == {"people": "numeric", "hours": "decimal"}


# -- problems next to their question -------------------------------------------------------------

CASES = {
    # name: (pages filled first, fields, question, English, Dutch, what stays typed)
    "required": (0, [("country", "NL")], "role", "Please answer this question.",
                 "Beantwoord deze vraag.", None),
    "one row of then/now": (1, [("rapporteur_role.now", "good")], "rapporteur_role",
                            "Please choose an answer in both rows.",
                            "Kies een antwoord in beide rijen.", None),
    "number out of range": (3, [("passed_contacts", "yes"), ("new_mp_contacts", "101")],
                            "new_mp_contacts", "Please give a number from 0 to 100.",
                            "Geef een getal van 0 tot 100.", "101"),
    "negative number": (3, [("passed_contacts", "yes"), ("new_mp_contacts", "-2")],
                        "new_mp_contacts", "Please give a number from 0 to 100.",
                        "Geef een getal van 0 tot 100.", "-2"),
    "not a number": (3, [("passed_contacts", "yes"), ("new_mp_contacts", "abc")],
                     "new_mp_contacts", "Please type a whole number.", "Typ een geheel getal.",
                     "abc"),
    "not whole": (3, [("passed_contacts", "yes"), ("new_mp_contacts", "2,5")],
                  "new_mp_contacts", "Please type a whole number.", "Typ een geheel getal.",
                  "2,5"),
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_problem_is_shown_next_to_its_question_and_in_the_summary(
    web, case: str, language: str
) -> None:
    filled, fields, qid, english, dutch, typed = CASES[case]
    message = english if language == "en" else dutch
    _, token = web.invite(language=language)
    visitor = web.visitor(f"/s/{token}")
    page = walk(visitor, filled)
    title = page.title
    shown = ",".join([*page.shown_questions(), qid])  # as the page's script would post it
    page = visitor.send(fields, shown=shown)

    assert page.status == 200
    problem = "There is a problem" if language == "en" else "Er is een probleem"
    assert page.title == f"{problem}: {title}"  # the same page, its title saying why
    assert page.lang == language
    assert page.errors == {qid: message}
    assert f"q-{qid}-error" in described_by(page, qid)
    # a sentence naming the question by its number on the page (the page numbers its
    # visible questions the same way), not "<label>?: <problem>"
    numbered = [q for q in page.shown_questions() if page.questions[q]["data-widget"] != "note"]
    word = "Question" if language == "en" else "Vraag"
    assert page.summary == [(f"#q-{qid}", f"{word} {numbered.index(qid) + 1}: {message}")]
    assert "?:" not in page.words()
    assert f"q-{qid}" in page.by_id  # the summary's link leads to the question
    if typed is not None:
        assert page.value_of(qid) == typed
        assert page.by_id[f"q-{qid}-input"].attrs.get("aria-invalid") == "true"
    assert web.responses() == []


def test_too_many_selections_are_refused_in_the_participants_language(web) -> None:
    write_survey(web.project, "picky", PICKY)
    _, token = web.invite(language="nl", survey="picky")
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    page = visitor.send([("topics", "legislation"), ("topics", "victims"), ("topics", "data")])
    assert page.errors == {"topics": "Kies tussen 1 en 2 opties."}
    assert "q-topics-error" in described_by(page, "topics")
    assert page.summary == [("#q-topics", "Vraag 1: Kies tussen 1 en 2 opties.")]
    assert {("topics", "legislation"), ("topics", "victims"), ("topics", "data")} <= page.checked()
    page = visitor.send([("topics", "data")])
    assert page.title == "Dank u wel"
    assert json.loads(web.responses()[0]["answers"]) == {"topics": ["data"]}


# -- show_if ---------------------------------------------------------------------------------------


def test_a_question_for_mps_is_never_shown_to_others_nor_stored(web) -> None:
    _, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    page = walk(visitor, 2)
    assert page.title.startswith("Your views and plans")
    assert "join_network" in page.hidden_questions()
    assert "European network of parliamentarians" not in page.words()
    # a forged answer to the hidden question is dropped
    page = visitor.send([*SHIPPED_PAGES[2], ("join_network", "agree")])
    for fields in SHIPPED_PAGES[3:]:
        page = visitor.send(fields)
    assert page.title == "Thank you"
    assert "join_network" not in json.loads(web.responses()[0]["answers"])


def test_the_mp_question_is_shown_to_an_mp(web) -> None:
    _, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    visitor.send([("role", "mp")])
    page = visitor.send(SHIPPED_PAGES[1])
    assert "join_network" in page.shown_questions()
    assert page.hidden_questions() == []


def test_an_answer_to_a_question_hidden_later_is_not_stored(web) -> None:
    _, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    visitor.send([("role", "mp"), ("country", "NL")])
    visitor.send(SHIPPED_PAGES[1])
    page = visitor.send([*SHIPPED_PAGES[2], ("join_network", "strongly_agree")])
    assert page.title.startswith("Towards the next event")
    for _ in range(3):
        page = visitor.send(action="back")
    assert page.title.startswith("Welcome")
    page = visitor.send([("role", "ngo")])  # no longer an MP
    for fields in SHIPPED_PAGES[1:]:
        page = visitor.send(fields)
    assert page.title == "Thank you"
    answers = json.loads(web.responses()[0]["answers"])
    assert answers["role"] == "ngo" and "join_network" not in answers


def test_a_question_opened_on_the_same_page_without_javascript_is_shown_with_a_notice(
    web,
) -> None:
    _, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    page = walk(visitor, 3)
    assert page.title.startswith("Towards the next event")
    assert page.hidden["shown"] == "passed_contacts,support_next_event"
    assert set(page.hidden_questions()) == {"new_mp_contacts", "support_kinds"}

    page = visitor.send([("passed_contacts", "yes"), ("support_next_event", "no")])
    assert page.status == 200
    assert page.title == "Towards the next event · Post-seminar feedback"  # not "a problem"
    assert page.errors == {} and page.summary == []
    assert page.notice == "Your answers opened further questions on this page."
    assert "new_mp_contacts" in page.shown_questions()
    assert ("passed_contacts", "yes") in page.checked()
    assert "new_mp_contacts" in page.hidden["shown"].split(",")

    page = visitor.send([("new_mp_contacts", "4")])
    assert page.title.startswith("Overall")
    page = visitor.send(SHIPPED_PAGES[4])
    answers = json.loads(web.responses()[0]["answers"])
    assert (answers["passed_contacts"], answers["new_mp_contacts"]) == (True, 4)


def test_with_the_question_already_shown_by_the_script_the_page_goes_on(web) -> None:
    _, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    walk(visitor, 3)
    page = visitor.send(
        [("passed_contacts", "yes"), ("new_mp_contacts", "7"), ("support_next_event", "no")],
        shown="passed_contacts,new_mp_contacts,support_next_event",
    )
    assert page.title.startswith("Overall")
    assert not page.notice
    assert re.search(r"Page 5 of 5", page.words())
