"""The kiosk as a participant uses it: a whole survey, navigation, review, languages, themes."""

from __future__ import annotations

import pytest
from helpers import EVENT
from kiosk_helpers import (
    current,
    go_to,
    jump,
    press,
    rows,
    submit,
    text_of,
    type_text,
    wait_for,
)
from textual.widgets import Button

pytestmark = pytest.mark.asyncio


async def test_a_full_fill_in_of_the_shipped_survey_is_stored_as_chosen(kiosk, engine, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773144000")  # the core's clock: 10 March 2026
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.id == "attract"
        await press(pilot, "enter")  # English, the first language
        assert current(app) == "intro:0"
        await press(pilot, "enter", "enter")  # the welcome, the consent note
        assert current(app) == "q:role"
        await press(pilot, "1", "enter")  # member of parliament
        assert current(app) == "q:country"
        await press(pilot, *["down"] * 19, "enter")  # the 20th country: the Netherlands
        await press(pilot, "enter")  # the section's intro
        assert current(app) == "q:rapporteur_role"
        await press(pilot, "2", "enter", "4", "enter")  # before: a little; Enter; now: good
        await press(pilot, "1", "enter", "3", "enter")
        await press(pilot, "3", "enter", "5", "enter")
        await press(pilot, "enter")
        assert current(app) == "q:support_rapporteur_office"
        await press(pilot, "5", "enter")
        assert current(app) == "q:join_network"  # shown to members of parliament
        await press(pilot, "6", "enter")  # don't know
        await press(pilot, "4", "enter")
        await press(pilot, "enter")  # inform_colleagues: skipped
        await press(pilot, "enter")
        assert current(app) == "q:passed_contacts"
        await press(pilot, "1", "enter")  # yes
        assert current(app) == "q:new_mp_contacts"
        await type_text(pilot, "3")
        await press(pilot, "enter")
        await press(pilot, "2", "enter")  # no support for the next event
        assert current(app) == "intro:4"  # so no question on the kind of support
        await press(pilot, "enter")
        await press(pilot, "1", "0", "enter")  # usefulness 10
        await press(pilot, "8", "enter")
        assert current(app) == "q:improvements"
        await type_text(pilot, "More time for questions.")
        await press(pilot, "tab", "enter")  # Tab goes to Next (before Back)
        await press(pilot, "tab", "enter")  # comments: skipped
        assert app.screen.id == "review"
        await press(pilot, "enter")  # Submit has the focus
        assert app.screen.id == "thanks"
        assert "Thank you! Your answers help us" in text_of(app, "#thanks-message")

    [row] = rows(engine)
    assert row["channel"] == "kiosk"
    assert row["language"] == "en"
    assert row["event"] == EVENT["id"]
    assert row["survey"] == "post-seminar"
    assert row["submitted"] == "2026-03-10"
    assert row["answers"] == {
        "role": "mp",
        "country": "NL",
        "rapporteur_role": {"then": "little", "now": "good"},
        "other_countries": {"then": "none", "now": "some"},
        "mp_ngo_cooperation": {"then": "some", "now": "very_good"},
        "support_rapporteur_office": "strongly_agree",
        "join_network": "dont_know",
        "continue_ngo_cooperation": "agree",
        "passed_contacts": True,
        "new_mp_contacts": 3,
        "support_next_event": False,
        "usefulness": 10,
        "recommend": 8,
        "improvements": "More time for questions.",
    }


# -- show_if ---------------------------------------------------------------------------------------


async def test_show_if_follows_the_answers_as_they_change(kiosk):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "2", "enter")  # NGO
        assert text_of(app, "#counter") == "Question 2 of 14"
        await go_to(pilot, "q:support_rapporteur_office")
        await press(pilot, "enter")
        assert current(app) == "q:continue_ngo_cooperation"  # no network question for an NGO
        await press(pilot, "escape", "escape")
        assert current(app) == "intro:2"
        await press(pilot, *["escape"] * 6)  # three then/now items, an intro, country, role
        assert current(app) == "q:role"
        await press(pilot, "1")  # member of parliament after all
        assert text_of(app, "#counter") == "Question 1 of 15"
        await go_to(pilot, "q:support_rapporteur_office")
        await press(pilot, "enter")
        assert current(app) == "q:join_network"
        await go_to(pilot, "q:passed_contacts")
        await press(pilot, "2", "enter")
        assert current(app) == "q:support_next_event"  # no count of contacts passed on
        await press(pilot, "escape", "1", "enter")
        assert current(app) == "q:new_mp_contacts"


async def test_an_answer_to_a_question_hidden_later_is_not_stored(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "1", "enter")
        await go_to(pilot, "q:join_network")
        await press(pilot, "5", "enter")
        await go_to(pilot, "q:passed_contacts")
        await press(pilot, "1", "enter")
        await type_text(pilot, "4")
        await press(pilot, "enter")
        # the participant changes their mind on both questions the others depend on
        await press(pilot, "escape", "escape", "2")
        await go_to(pilot, "review")
        assert [b.id for b in app.screen.query(".change")][:2] == ["change-role", "change-country"]
        assert not app.screen.query("#change-new_mp_contacts")
        await pilot.click("#change-role")
        await pilot.pause()
        assert current(app) == "q:role"
        await press(pilot, "2")
        await go_to(pilot, "review")
        assert not app.screen.query("#change-join_network")
        await press(pilot, "enter")
    [row] = rows(engine)
    assert row["answers"] == {"role": "ngo", "passed_contacts": False}


# -- moving around ---------------------------------------------------------------------------------


async def test_back_with_escape_backspace_and_the_button_keeps_the_answers(kiosk):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        assert app.screen.query_one("#back", Button).disabled  # nothing before the first step
        await press(pilot, "escape")
        assert current(app) == "intro:0"
        await go_to(pilot, "q:role")
        await press(pilot, "3", "enter")
        assert current(app) == "q:country"
        await press(pilot, "escape")
        assert current(app) == "q:role"
        assert "(•) National Rapporteur" in text_of(app, "#answer .-selected")
        await press(pilot, "enter", "backspace")
        assert current(app) == "q:role"
        await press(pilot, "enter")
        await pilot.click("#back")
        await pilot.pause()
        assert current(app) == "q:role"
        assert app.session.answers == {"role": "national_rapporteur"}


async def test_quick_presses_of_next_each_count(kiosk):
    """Staff keying paper forms press Enter fast: each intro and note takes its own press."""
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        assert app.focused is app.screen.query_one("#next")
        await pilot.press("enter", "enter")  # no pause between: the same Next button twice
        await pilot.pause()
        assert current(app) == "q:role"


async def test_the_review_lists_the_answers_and_change_goes_back_to_the_question(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "4", "enter", "1", "enter")  # law enforcement, Austria
        await jump(pilot, "comments")
        await go_to(pilot, "review")
        values = [str(v.render()) for v in app.screen.query(".answer-value")]
        assert values[:3] == [
            "Police, prosecution or other law enforcement",
            "Austria",
            "(not answered)",
        ]
        await pilot.click("#change-country")
        await pilot.pause()
        assert app.screen.id == "survey"
        assert current(app) == "q:country"
        await press(pilot, "2", "enter")  # Belgium, and Next: straight back to the review
        assert current(app) == "review"
        assert [str(v.render()) for v in app.screen.query(".answer-value")][1] == "Belgium"
        await press(pilot, "escape")  # back from the review: the last question
        assert current(app) == "q:comments"
        await go_to(pilot, "review")
        await press(pilot, "enter")
        assert app.screen.id == "thanks"
    [row] = rows(engine)
    assert row["answers"] == {"role": "law_enforcement", "country": "BE"}


async def test_a_change_that_brings_in_a_question_asks_it_then_returns_to_the_review(kiosk):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "2", "enter")  # NGO: no question on the MPs' network
        await jump(pilot, "comments")
        await go_to(pilot, "review")
        await pilot.click("#change-role")
        await pilot.pause()
        await press(pilot, "1", "enter")  # a member of parliament after all
        assert current(app) == "q:join_network"  # asked now, as it was not before
        await press(pilot, "4", "enter")
        assert current(app) == "review"
        assert app.session.answers["join_network"] == "agree"
        await pilot.click("#change-country")  # a second change returns to the review too
        await pilot.pause()
        await press(pilot, "3", "enter")
        assert current(app) == "review"


async def test_the_thank_you_screen_returns_to_the_attract_screen_by_itself(kiosk, engine):
    app = kiosk(thank_you_seconds=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "1", "enter")
        await submit(pilot)
        assert app.screen.id == "thanks"
        await wait_for(pilot, lambda: app.screen.id == "attract")
        assert app.session is None
        await press(pilot, "enter")  # the next participant starts afresh
        assert app.session is not None and app.session.answers == {}
    assert len(rows(engine)) == 1


async def test_a_key_on_the_thank_you_screen_shows_the_attract_screen(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "1", "enter")
        await submit(pilot)
        assert app.screen.id == "thanks"
        await press(pilot, "enter")
        assert app.screen.id == "attract"
        assert app.session is None  # the key does not start a survey for the next participant


# -- languages and looks ---------------------------------------------------------------------------


async def test_choosing_nederlands_shows_the_survey_and_the_kiosk_in_dutch(kiosk, engine):
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Kies uw taal" in text_of(app, "#attract-choose")
        await press(pilot, "2")
        assert app.session.language == "nl"
        assert text_of(app, ".section-title") == "Welkom"
        assert text_of(app, "#counter") == "Vraag 1 van 14"
        assert str(app.screen.query_one("#next", Button).label) == "Volgende"
        assert str(app.screen.query_one("#back", Button).label) == "Terug"
        await go_to(pilot, "q:role")
        await press(pilot, "enter")
        assert text_of(app, "#error") == "Beantwoord deze vraag om verder te gaan."
        await press(pilot, "2", "enter")
        await jump(pilot, "comments")
        await go_to(pilot, "review")
        assert text_of(app, "#review-title") == "Controleer uw antwoorden"
        await press(pilot, "enter")
        assert text_of(app, "#thanks-message").startswith("Hartelijk dank!")
    [row] = rows(engine)
    assert row["language"] == "nl"


async def test_one_language_only_when_the_kiosk_is_given_one(kiosk):
    app = kiosk(language="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        assert [b.id for b in app.screen.query(Button)] == ["lang-nl"]
        assert text_of(app, "#attract-title") == "Evaluatie na het seminar"
        await press(pilot, "enter")
        assert app.session.language == "nl"


async def test_high_contrast_and_f2_toggles_it(kiosk):
    app = kiosk(high_contrast=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "kiosk-high-contrast"
        await press(pilot, "f2")
        assert app.theme == "textual-dark"
        await press(pilot, "enter", "f2")  # on any screen
        assert app.theme == "kiosk-high-contrast"
    plain = kiosk()
    async with plain.run_test(size=(80, 24)):
        assert plain.theme == "textual-dark"


# -- data entry of paper forms ---------------------------------------------------------------------


async def test_data_entry_stores_paper_forms_one_after_another(kiosk, engine):
    app = kiosk(data_entry=True, idle_timeout=0.5, idle_warning=0.25)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.id == "heading"  # no attract screen: the next form's No. first
        assert text_of(app, "#status") == "0 forms entered"
        for number, role in (("1", "1"), ("2", "2")):
            await type_text(pilot, number)
            await press(pilot, "enter")
            assert current(app) == "intro:0"
            await go_to(pilot, "q:role")
            await press(pilot, role, "enter")
            await submit(pilot)
            await wait_for(pilot, lambda: app.screen.id == "heading")  # straight to the next
        assert text_of(app, "#status") == "2 forms entered"
        await type_text(pilot, "3")
        await press(pilot, "enter")
        await go_to(pilot, "q:role")
        await press(pilot, "3")
        await pilot.pause(0.8)  # past the idle timeout: staff are not reset
        assert app.screen.id == "survey"
        assert app.session.answers == {"role": "national_rapporteur"}
    stored = rows(engine)
    assert [r["answers"]["role"] for r in stored] == ["mp", "ngo"]
    assert {r["channel"] for r in stored} == {"paper"}
