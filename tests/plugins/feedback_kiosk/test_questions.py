"""Each question type at the kiosk: how it is answered, what it says when the answer will not do,
and what is stored. The test survey ``types`` (in ``kiosk_helpers``) has one question of each."""

from __future__ import annotations

import pytest
from kiosk_helpers import (
    TYPES_SURVEY,
    current,
    go_to,
    jump,
    press,
    rows,
    text_of,
    type_text,
    wait_for,
)
from textual.widgets import Input, TextArea

from feedback_kiosk.widgets.choices import Choices, OptionBox

pytestmark = pytest.mark.asyncio


@pytest.fixture
def types_app(kiosk, write_survey):
    write_survey("types", TYPES_SURVEY)
    return kiosk("types")


def options(app, selector: str = "#answer") -> list[OptionBox]:
    return list(app.screen.query_one(selector, Choices).query(OptionBox))


async def test_a_note_asks_nothing_and_is_not_counted(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        assert current(app) == "q:intro_note"
        assert "A note: nothing to answer here." in text_of(app, ".question-label")
        assert text_of(app, "#counter") == "Question 1 of 10"  # ten questions, the note not one
        assert app.focused is app.screen.query_one("#next")
        await press(pilot, "enter")
        assert current(app) == "q:colour"
        assert text_of(app, "#counter") == "Question 1 of 10"


async def test_a_required_question_says_so_and_stays(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "colour")
        assert text_of(app, ".question-label") == "Favourite colour *"
        await press(pilot, "enter")
        assert current(app) == "q:colour"
        assert text_of(app, "#error") == "Please answer this question to continue."
        await press(pilot, "2")
        assert text_of(app, "#error") == ""  # answering clears the message
        await press(pilot, "enter")
        assert current(app) == "q:topics"
        assert app.session.answers == {"colour": "green"}


async def test_single_choice_by_arrows_and_enter_picks_the_highlighted_option(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "colour")
        await press(pilot, "down", "down", "enter")
        assert app.session.answers["colour"] == "blue"
        assert current(app) == "q:topics"
        await press(pilot, "escape")  # back: the answer is shown, and arrows then Enter change it
        assert "(•) Blue" in str(options(app)[2].render())
        await press(pilot, "up", "enter")
        assert app.session.answers["colour"] == "green"


async def test_a_long_list_keeps_the_highlighted_option_in_view(kiosk):
    app = kiosk()  # the shipped survey: 31 countries, more than a 24-line screen shows
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "country")
        body = app.screen.query_one("#body")
        netherlands = options(app)[19]
        assert not body.region.contains_region(netherlands.region)
        await press(pilot, *["down"] * 19)
        assert netherlands.has_class("-highlight")
        await wait_for(pilot, lambda: body.region.contains_region(netherlands.region), 1.0)
        await press(pilot, "enter")
        assert app.session.answers["country"] == "NL"


async def test_multiple_choice_keeps_within_min_and_max(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "topics")
        await press(pilot, "1", "enter")
        assert current(app) == "q:topics"
        assert text_of(app, "#error") == "Please choose between 2 and 3 options."
        await press(pilot, "3", "4", "5", "enter")  # four ticked: one too many
        assert current(app) == "q:topics"
        assert text_of(app, "#error") == "Please choose between 2 and 3 options."
        await press(pilot, "1")  # untick law
        assert [str(o.render()) for o in options(app)][:2] == ["1 [ ] Law", "2 [ ] Care"]
        await press(pilot, "enter")
        assert current(app) == "q:agreement"
        assert app.session.answers["topics"] == ["police", "media", "money"]


async def test_likert_sets_dont_know_apart(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "agreement")
        boxes = options(app)
        assert [str(b.render()) for b in boxes] == [
            "1 Disagree",
            "2 Neutral",
            "3 Agree",
            "4 Don't know",
        ]
        assert [b.has_class("-apart") for b in boxes] == [False, False, False, True]
        await press(pilot, "4")
        assert boxes[3].has_class("-selected")
        await press(pilot, "enter")
        assert app.session.answers["agreement"] == "dont_know"


async def test_then_now_needs_both_rows(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "growth")
        assert app.focused is app.screen.query_one("#row-then")
        await press(pilot, "1", "enter")  # Enter on the first row moves to the second
        assert app.focused is app.screen.query_one("#row-now")
        await press(pilot, "enter")
        assert current(app) == "q:growth"
        assert text_of(app, "#error") == "Please choose an answer in both rows."
        assert "growth" not in app.session.answers
        await press(pilot, "3")
        assert text_of(app, "#error") == ""
        await press(pilot, "enter")
        assert current(app) == "q:score"
        assert app.session.answers["growth"] == {"then": "disagree", "now": "agree"}


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["rows", "columns"])
async def test_number_keys_act_on_the_then_now_row_that_has_the_focus(types_app, size):
    """In rows (80x24) Down goes to the other row; in columns (60x20) Down past the last option
    does. Either way the number keys then answer that row, and its label is marked."""
    app = types_app
    async with app.run_test(size=size) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "growth")
        then, now = app.screen.query_one("#row-then"), app.screen.query_one("#row-now")
        await press(pilot, "2")
        for _ in range(6):
            if app.focused is now:
                break
            await press(pilot, "down")
        assert app.focused is now
        assert app.screen.query_one("#label-now").has_class("-focused")
        assert not app.screen.query_one("#label-then").has_class("-focused")
        await press(pilot, "3")
        assert app.session.partial["growth"] == {"then": "neutral", "now": "agree"}
        for _ in range(6):
            if app.focused is then:
                break
            await press(pilot, "up")
        assert app.focused is then
        await press(pilot, "1")
        assert app.session.answers["growth"] == {"then": "disagree", "now": "agree"}


async def test_an_optional_then_now_touched_can_be_cleared_and_skipped(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "growth")
        await press(pilot, "2", "enter", "enter")  # one row only: it will not do
        assert text_of(app, "#error") == "Please choose an answer in both rows."
        await press(pilot, "up", "delete")  # Delete clears the focused row
        assert "growth" not in app.session.partial
        await press(pilot, "enter", "enter")
        assert current(app) == "q:score"  # skipped
        await press(pilot, "escape")
        await press(pilot, "1", "enter", "3")  # both rows this time, then the Clear button
        assert app.session.answers["growth"] == {"then": "disagree", "now": "agree"}
        await pilot.click("#clear-rows")
        await pilot.pause()
        assert "growth" not in app.session.answers and "growth" not in app.session.partial
        assert not app.screen.query("#body .-selected")
        assert app.focused is app.screen.query_one("#row-then")
        await press(pilot, "tab", "tab")  # the Clear button is for the mouse: on to Next
        assert app.focused is app.screen.query_one("#next")
        await press(pilot, "enter")
        assert current(app) == "q:score"
        await go_to(pilot, "review")
        shown = {app.session.text(q.label): answer for q, answer in app.session.review_items()}
        assert shown["Knowledge"] == "(not answered)"
        assert "growth" not in app.session.response().answers


async def test_a_rating_takes_two_digit_numbers(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "score")
        assert [str(b.render()) for b in options(app)] == [str(n) for n in range(11)]
        await press(pilot, "1", "0")
        assert app.session.answers["score"] == 10
        assert options(app)[10].has_class("-selected")
        await press(pilot, "7", "3")  # no option 73: the last digit alone
        assert app.session.answers["score"] == 3


async def test_yes_no_is_stored_as_true_or_false(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "again")
        assert [str(b.render()) for b in options(app)] == ["1 Yes", "2 No"]
        await press(pilot, "2", "enter")
        assert app.session.answers["again"] is False
        assert current(app) == "q:age"


async def test_a_number_says_what_is_wrong_with_it(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "age")
        field = app.screen.query_one("#answer", Input)
        await type_text(pilot, "abc")
        assert field.value == ""  # letters are not taken
        await type_text(pilot, "-")
        await press(pilot, "enter")
        assert current(app) == "q:age"
        assert text_of(app, "#error") == "Please type a whole number."
        await type_text(pilot, "5")
        await press(pilot, "enter")
        assert text_of(app, "#error") == "Please give a number from 18 to 99."
        await press(pilot, "backspace", "backspace")
        await type_text(pilot, "42")
        await press(pilot, "enter")
        assert current(app) == "q:weight"
        assert app.session.answers["age"] == 42
        await type_text(pilot, ".")
        await press(pilot, "enter")
        assert text_of(app, "#error") == "Please type a number."
        await press(pilot, "backspace")
        await type_text(pilot, "72.5")
        await press(pilot, "enter")
        assert app.session.answers["weight"] == 72.5


async def test_a_number_comes_back_as_it_was_typed(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "weight")
        await type_text(pilot, "1234567")
        await press(pilot, "enter", "escape")  # on, and back again
        assert current(app) == "q:weight"
        assert app.screen.query_one("#answer", Input).value == "1234567"
        assert app.session.answers["weight"] == 1234567


async def test_text_counts_characters_up_to_the_limit(types_app):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "nickname")
        assert text_of(app, ".counter") == "0 of 10 characters"
        await type_text(pilot, "Bob")
        assert text_of(app, ".counter") == "3 of 10 characters"
        await type_text(pilot, " by the builder")
        assert app.screen.query_one("#answer", Input).value == "Bob by the"
        assert text_of(app, ".counter") == "10 of 10 characters"
        await press(pilot, "enter")
        assert current(app) == "q:story"
        assert isinstance(app.focused, TextArea)
        await type_text(pilot, "Line one")
        await press(pilot, "enter")  # a new line, not the next step
        await type_text(pilot, "two")
        assert current(app) == "q:story"
        assert text_of(app, ".counter") == "12 of 50 characters"
        await press(pilot, "tab")  # Tab goes to Next first, though Back is drawn first
        assert app.focused is app.screen.query_one("#next")
        await press(pilot, "enter")
        assert current(app) == "review"
        assert app.session.answers["story"] == "Line one\ntwo"


async def test_every_type_is_stored_as_answered(types_app, engine):
    app = types_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "enter")
        await press(pilot, "3", "enter")
        await press(pilot, "1", "2", "enter")
        await press(pilot, "3", "enter")
        await press(pilot, "1", "enter", "3", "enter")
        await press(pilot, "7", "enter")
        await press(pilot, "1", "enter")
        await type_text(pilot, "30")
        await press(pilot, "enter")
        await press(pilot, "enter")  # weight: skipped
        await type_text(pilot, "Al")
        await press(pilot, "enter")
        await go_to(pilot, "review")
        await press(pilot, "enter")
        assert app.screen.id == "thanks"
    [row] = rows(engine)
    assert row["survey"] == "types"
    assert row["answers"] == {
        "colour": "blue",
        "topics": ["law", "care"],
        "agreement": "agree",
        "growth": {"then": "disagree", "now": "agree"},
        "score": 7,
        "again": True,
        "age": 30,
        "nickname": "Al",
    }


async def test_a_long_list_opens_with_its_question_in_view(kiosk):
    """Focusing the 31 countries must not scroll the question itself out of sight."""
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "country")
        await pilot.pause(0.5)  # longer than any scroll animation
        body = app.screen.query_one("#body")
        label = app.screen.query_one(".question-label")
        assert body.region.contains_region(label.region)


@pytest.mark.parametrize(
    ("size", "rows_of_boxes"),
    [((120, 40), [11]), ((80, 24), [11]), ((60, 20), [6, 5]), ((40, 20), [4, 4, 3])],
)
async def test_a_rating_fits_in_one_row_or_balanced_rows_with_its_ends_under_them(
    kiosk, size, rows_of_boxes
):
    """0-10 at 80 columns: one row; at 60, 0-5 over 6-10; every box whole and on screen, of
    one width, and the end labels under their ends: "Not at all useful" from the left edge of
    0, "Extremely useful" ending at the right edge of 10."""
    app = kiosk()
    async with app.run_test(size=size) as pilot:
        await press(pilot, "enter")
        await jump(pilot, "usefulness")
        boxes = options(app)
        assert [str(b.render()) for b in boxes] == [str(n) for n in range(11)]
        tops = sorted({b.region.y for b in boxes})
        assert [sum(b.region.y == y for b in boxes) for y in tops] == rows_of_boxes
        assert len({b.region.width for b in boxes}) == 1
        assert all(b.region.width >= 6 and b.region.right <= size[0] for b in boxes)
        for row_top in tops[1:]:  # each row starts under the one before
            assert min(b.region.x for b in boxes if b.region.y == row_top) == boxes[0].region.x
        ends = app.screen.query_one(".rating-ends")
        lines = str(ends.render()).split("\n")
        left = ends.content_region.x
        assert lines[0].startswith("Not at all useful")
        assert left == boxes[0].region.x
        assert lines[-1].endswith("Extremely useful")
        assert left + len(lines[-1]) == boxes[10].region.right
        assert ends.region.y >= boxes[10].region.bottom
        await press(pilot, "1", "0")
        assert boxes[10].has_class("-selected") and str(boxes[10].render()) == "✔ 10"
        assert app.session.answers["usefulness"] == 10
        if len(rows_of_boxes) == 2:  # arrows move between the rows, to the box above or below
            await press(pilot, "up", "left", "space")
            assert app.session.answers["usefulness"] == 3
            await press(pilot, "down", "space")
            assert app.session.answers["usefulness"] == 9
