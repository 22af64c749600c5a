"""`KioskSession`: one participant's path through a survey and the response made at the end."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import EVENT

from feedback_kiosk.session import KioskSession


@pytest.fixture
def survey(engine):
    return engine.survey("post-seminar")


@pytest.fixture
def session(survey) -> KioskSession:
    return KioskSession(survey, EVENT["id"], "en", today=dt.date(2011, 1, 26))


def keys(session: KioskSession) -> list[str]:
    return [step.key for step in session.steps()]


def test_the_steps_are_section_intros_and_the_visible_questions(session):
    steps = keys(session)
    assert steps[:4] == ["intro:0", "q:consent", "q:role", "q:country"]
    assert "q:join_network" not in steps
    assert "q:new_mp_contacts" not in steps
    assert "q:support_kinds" not in steps
    assert steps[-1] == "q:comments"
    assert session.current == "intro:0"


def test_show_if_adds_and_removes_steps_as_answers_change(session):
    session.set_answer("role", "mp")
    session.set_answer("passed_contacts", True)
    session.set_answer("support_next_event", True)
    steps = keys(session)
    assert steps.index("q:join_network") == steps.index("q:support_rapporteur_office") + 1
    assert "q:new_mp_contacts" in steps and "q:support_kinds" in steps
    session.set_answer("role", "ngo")
    session.set_answer("passed_contacts", None)  # cleared
    assert "q:join_network" not in keys(session)
    assert "q:new_mp_contacts" not in keys(session)


def test_position_counts_questions_only(session):
    assert session.position() == (1, 14)  # an intro, and the consent note, lead to question 1
    session.next()
    assert session.current == "q:consent"
    assert session.position() == (1, 14)
    session.next()
    assert session.position() == (1, 14)  # role
    session.set_answer("role", "mp")
    assert session.position() == (1, 15)  # the network question joins
    session.go_to("country")
    assert session.position() == (2, 15)
    session.current = "review"
    assert session.position() == (15, 15)


def test_next_stops_at_a_required_question_and_back_returns(session):
    assert not session.back()  # nothing before the first step
    assert session.next() and session.next()
    assert session.current == "q:role"
    assert session.problem() == "Please answer this question to continue."
    assert not session.next()
    assert session.current == "q:role"
    session.set_answer("role", "ngo")
    assert session.next()
    assert session.current == "q:country"
    assert session.next()  # optional: skipped
    assert session.current == "intro:1"
    assert session.back() and session.back()
    assert session.current == "q:role"


def test_next_after_the_last_question_is_the_review_and_back_from_it(session):
    session.go_to("comments")
    assert session.next()
    assert session.current == "review"
    assert session.step() is None
    assert session.back()
    assert session.current == "q:comments"


def test_problems_are_in_the_participants_words(survey):
    session = KioskSession(survey, EVENT["id"], "nl")
    session.set_answer("passed_contacts", True)
    session.go_to("new_mp_contacts")
    session.set_answer("new_mp_contacts", 101)
    assert session.problem() == "Geef een getal van 0 tot 100."
    session.set_invalid("new_mp_contacts", session.words["expected_whole"])
    assert session.problem() == "Typ een geheel getal."
    session.go_to("rapporteur_role")
    session.set_row("rapporteur_role", "then", "little")
    assert session.problem() == "Kies een antwoord in beide rijen."
    session.set_row("rapporteur_role", "now", "good")
    assert session.problem() is None
    assert session.answers["rapporteur_role"] == {"then": "little", "now": "good"}


def test_only_visible_answers_are_submitted(session):
    session.set_answer("role", "mp")
    session.set_answer("join_network", "agree")
    session.set_answer("passed_contacts", True)
    session.set_answer("new_mp_contacts", 3)
    assert session.submitted_answers() == {
        "role": "mp",
        "join_network": "agree",
        "passed_contacts": True,
        "new_mp_contacts": 3,
    }
    session.set_answer("role", "ngo")
    session.set_answer("passed_contacts", False)
    assert session.submitted_answers() == {"role": "ngo", "passed_contacts": False}
    assert session.answers["join_network"] == "agree"  # kept, in case the participant goes back


def test_the_review_describes_each_answer(session):
    session.set_answer("role", "mp")
    session.set_answer("rapporteur_role", {"then": "none", "now": "good"})
    session.set_answer("passed_contacts", False)
    session.set_answer("support_kinds", ["political"])  # hidden: not reviewed
    items = {q.id: text for q, text in session.review_items()}
    assert "consent" not in items and "support_kinds" not in items
    assert items["role"] == "Member of a national parliament or regional assembly"
    assert items["rapporteur_role"] == "Before the seminar: None · Now: Good"
    assert items["passed_contacts"] == "No"
    assert items["country"] == "(not answered)"


def test_the_response_holds_the_session(session, survey):
    session.set_answer("role", "ngo")
    session.set_answer("usefulness", 9)
    response = session.response()
    assert response.id == session.id
    assert response.survey == "post-seminar"
    assert response.survey_version == survey.version
    assert response.event == EVENT["id"]
    assert response.channel == "kiosk"
    assert response.language == "en"
    assert response.submitted == dt.date(2011, 1, 26)
    assert response.answers == {"role": "ngo", "usefulness": 9}
    assert session.response().id == response.id  # a resend is the same response


def test_each_session_is_a_new_response(survey, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773144000")  # the core's clock: 10 March 2026
    first = KioskSession(survey, EVENT["id"], "en", channel="paper")
    second = KioskSession(survey, EVENT["id"], "en", channel="paper")
    assert first.id != second.id
    assert first.response().channel == "paper"
    assert first.response().submitted == dt.date(2026, 3, 10)


def test_a_change_from_the_review_returns_to_it_through_new_questions_only(session):
    session.set_answer("role", "ngo")
    session.current = "review"
    session.change("country")
    assert session.next() and session.current == "review"  # not on to the next question
    session.change("role")
    session.set_answer("role", "mp")  # brings in the question for MPs only
    assert session.next() and session.current == "q:join_network"
    assert session.next() and session.current == "review"
    session.go_to("role")  # a plain jump (not a change) goes on question by question
    assert session.next() and session.current == "q:country"


def test_a_then_now_item_cleared_row_by_row_is_unanswered_again(session):
    session.current = "q:rapporteur_role"
    session.set_row("rapporteur_role", "then", "some")
    session.set_row("rapporteur_role", "now", "good")
    assert session.answers["rapporteur_role"] == {"then": "some", "now": "good"}
    session.set_row("rapporteur_role", "now", None)
    assert "rapporteur_role" not in session.answers
    assert session.problem() == "Please choose an answer in both rows."
    session.set_row("rapporteur_role", "then", None)
    assert "rapporteur_role" not in session.partial
    assert session.problem() is None  # optional: it can be skipped
    assert "rapporteur_role" not in session.response().answers
