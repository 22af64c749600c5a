"""Data entry of paper forms: before each form staff key in the No. written on it, its language
and its date (the event's date unless keyed in); a No. already entered is refused, in the staff's
language, and nothing is stored; the counts agree in number."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import EVENT
from kiosk_helpers import go_to, press, rows, submit, text_of, type_text, wait_for
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from feedback.engine import Engine
from feedback_kiosk.app import KioskApp
from feedback_offline.entry import PaperForms, response_id

pytestmark = pytest.mark.asyncio

Kiosk = Callable[..., KioskApp]


def field(app: KioskApp, name: str) -> Input:
    return app.screen.query_one(f"#field-{name}", Input)


async def key_heading(
    pilot: Pilot, number: str, language: str | None = None, date: str | None = None
) -> None:
    """On the heading screen: the No., then (Tab) the language and the date if given, Enter."""
    app = pilot.app
    assert app.screen.id == "heading" and app.focused is field(app, "number")  # type: ignore[arg-type]
    await type_text(pilot, number)
    for value in (language, date):
        await press(pilot, "tab")  # the field's text is selected: typing replaces it
        if value is not None:
            await type_text(pilot, value)
    await press(pilot, "enter")


async def key_form(pilot: Pilot, role: str = "1") -> None:
    """Answer the first question (the role) and submit the form."""
    await go_to(pilot, "q:role")
    await press(pilot, role, "enter")
    await submit(pilot)


async def test_a_form_is_stored_with_its_no_language_and_date(kiosk: Kiosk, engine: Engine):
    app = kiosk(data_entry=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await key_heading(pilot, "7", "nl", "2011-01-27")
        assert app.screen.id == "survey"
        assert text_of(app, "#status") == "No. 7 · 0 forms entered"
        assert app.session is not None and app.session.language == "nl"
        await key_form(pilot)
        await wait_for(pilot, lambda: app.screen.id == "heading")
        assert text_of(app, "#status") == "1 form entered"
    [stored] = rows(engine)
    survey = app.survey
    assert stored["id"] == response_id(EVENT["id"], survey.id, survey.version, 7)
    assert stored["language"] == "nl"
    assert stored["submitted"] == "2011-01-27"
    assert stored["channel"] == "paper"
    assert stored["answers"] == {"role": "mp"}


async def test_the_date_is_the_events_unless_keyed_in(kiosk: Kiosk, engine: Engine):
    app = kiosk(data_entry=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert field(app, "date").value == EVENT["date"]  # not today's
        assert field(app, "language").value == "en"
        await key_heading(pilot, "1")
        await key_form(pilot)
        await wait_for(pilot, lambda: app.screen.id == "heading")
        field(app, "date").value = ""  # emptied: the event's date all the same
        await key_heading(pilot, "2")
        await key_form(pilot)
        await wait_for(pilot, lambda: app.screen.id == "heading")
    assert [r["submitted"] for r in rows(engine)] == [EVENT["date"], EVENT["date"]]


async def test_a_no_entered_already_is_refused_and_nothing_more_is_stored(
    kiosk: Kiosk, engine: Engine
):
    app = kiosk(data_entry=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await key_heading(pilot, "7", "nl")
        await key_form(pilot, "1")
        await wait_for(pilot, lambda: app.screen.id == "heading")
        await key_heading(pilot, "7")
        assert app.screen.id == "heading"  # not on to the answers
        assert app.session is None
        assert text_of(app, "#error-number") == (
            "Form No. 7 is already entered: each paper form is entered once. "
            "Check the No. written on this form."
        )
        assert app.focused is field(app, "number")
        assert text_of(app, "#status") == "1 form entered"
    assert len(rows(engine)) == 1


async def test_the_refusal_is_in_the_staffs_language(kiosk: Kiosk, engine: Engine):
    first = kiosk(data_entry=True)
    async with first.run_test(size=(80, 24)) as pilot:
        await key_heading(pilot, "3")
        await key_form(pilot)
        await wait_for(pilot, lambda: first.screen.id == "heading")
    app = kiosk(data_entry=True, language="nl")  # another run, another day: stored is stored
    async with app.run_test(size=(80, 24)) as pilot:
        assert text_of(app, "#status") == "0 formulieren ingevoerd"
        await key_heading(pilot, "3")
        assert text_of(app, "#error-number").startswith("Formulier nr. 3 is al ingevoerd")
    assert len(rows(engine)) == 1


async def test_a_no_entered_elsewhere_meanwhile_is_refused_on_saving_not_spooled(
    kiosk: Kiosk, engine: Engine
):
    """Two stations key in the same No.: the second is refused when it saves, nothing goes to
    the spool, and staff see why with the form's heading as keyed in."""
    app = kiosk(data_entry=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await key_heading(pilot, "9", "nl", "2011-01-28")
        other = app.paper[str(app.session.id)].forms  # type: ignore[union-attr]
        heading = app.paper[str(app.session.id)].heading  # type: ignore[union-attr]
        engine.submit(other.response(heading, {"role": "ngo"}))  # the other station
        await key_form(pilot, "1")
        await wait_for(pilot, lambda: app.screen.id == "heading")
        assert text_of(app, "#error-number").startswith("Form No. 9 is already entered")
        assert field(app, "number").value == "9"
        assert field(app, "date").value == "2011-01-28"
        assert text_of(app, "#status") == "0 forms entered"
        assert app.spool.pending() == 0
        assert app.submitted == []
    [stored] = rows(engine)
    assert stored["answers"] == {"role": "ngo"}  # the other station's, untouched


async def test_each_field_says_what_is_wrong(kiosk: Kiosk, engine: Engine):
    app = kiosk(data_entry=True)
    async with app.run_test(size=(80, 24)) as pilot:
        field(app, "date").value = ""
        await key_heading(pilot, "", "fr", "2011-13-40")
        assert app.screen.id == "heading"
        assert "found nothing" in text_of(app, "#error-number")
        assert "expected one of en, nl" in text_of(app, "#error-language")
        assert "found '2011-13-40'" in text_of(app, "#error-date")
        assert app.focused is field(app, "number")
        await type_text(pilot, "5")
        await press(pilot, "enter")
        assert "en, nl" in text_of(app, "#error-language")  # still wrong: kept
        assert not app.screen.query_one("#error-number").display
        assert app.focused is field(app, "language")
    assert rows(engine) == []


async def test_counts_agree_in_number(kiosk: Kiosk, engine: Engine):
    app = kiosk(data_entry=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert text_of(app, "#status") == "0 forms entered"
        await key_heading(pilot, "1")
        await key_form(pilot)
        await wait_for(pilot, lambda: app.screen.id == "heading")
        assert text_of(app, "#status") == "1 form entered"
        await key_heading(pilot, "2")
        assert text_of(app, "#status") == "No. 2 · 1 form entered"
        await key_form(pilot)
        await wait_for(pilot, lambda: app.screen.id == "heading")
        assert text_of(app, "#status") == "2 forms entered"
    assert len(rows(engine)) == 2


async def test_keys_typed_fast_after_tab_go_to_the_next_field(kiosk: Kiosk):
    """All keys at once, as a fast typist's reach the kiosk: after Tab they go to the next
    field, not to the one before it."""
    app = kiosk(data_entry=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for char in "7\tnl\t2011-01-27":
            key = {"\t": "tab", "-": "minus"}.get(char, char)
            app.post_message(events.Key(key, None if char == "\t" else char))
        await pilot.pause()
        await pilot.pause()
        assert [field(app, name).value for name in ("number", "language", "date")] == [
            "7",
            "nl",
            "2011-01-27",
        ]


async def test_a_no_entered_already_is_said_with_the_other_problems(kiosk: Kiosk):
    app = kiosk(data_entry=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await key_heading(pilot, "4")
        await key_form(pilot)
        await wait_for(pilot, lambda: app.screen.id == "heading")
        await key_heading(pilot, "4", "fr")
        assert text_of(app, "#error-number").startswith("Form No. 4 is already entered")
        assert "found 'fr'" in text_of(app, "#error-language")
        assert app.focused is field(app, "number")
        assert field(app, "number").selected_text == "4"  # typing replaces it
        await type_text(pilot, "5")
        assert field(app, "number").value == "5"


async def test_back_from_the_first_step_corrects_the_heading(kiosk: Kiosk, engine: Engine):
    app = kiosk(data_entry=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await key_heading(pilot, "8", "nl")
        assert app.screen.id == "survey"
        await press(pilot, "escape")
        assert app.screen.id == "heading"
        assert [field(app, name).value for name in ("number", "language", "date")] == [
            "8",
            "nl",
            EVENT["date"],
        ]
        await type_text(pilot, "6")  # the No. is selected: typed over
        await press(pilot, "enter")
        await key_form(pilot)
        await wait_for(pilot, lambda: app.screen.id == "heading")
    [stored] = rows(engine)
    survey = app.survey
    assert stored["id"] == response_id(EVENT["id"], survey.id, survey.version, 6)
    assert stored["language"] == "nl"


async def test_a_conflict_on_storing_is_shown_to_staff_not_spooled(
    kiosk: Kiosk, engine: Engine, monkeypatch: pytest.MonkeyPatch
):
    """The other station stores the same No. between the last check and the write (the check
    is made to miss it): the engine's conflict is the refusal, and nothing goes to the spool."""
    app = kiosk(data_entry=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await key_heading(pilot, "11")
        form = app.paper[str(app.session.id)]  # type: ignore[union-attr]
        engine.submit(form.forms.response(form.heading, {"role": "ngo"}))
        monkeypatch.setattr(PaperForms, "check_new", lambda self, number: None)
        await key_form(pilot, "1")
        await wait_for(pilot, lambda: app.screen.id == "heading")
        assert text_of(app, "#error-number").startswith("Form No. 11 is already entered")
        assert app.spool.pending() == 0 and app.unsaved is None
        assert app.problem is None
    [stored] = rows(engine)
    assert stored["answers"] == {"role": "ngo"}
