"""The contract of keying in paper forms (`feedback.paper_entry`): the ``paper_entry`` hook, what the
core says when no plugin answers it or one answers wrongly, and the words every data-entry screen
shares, in the staff's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from paper_entry_plugin import NumberedForms, NumberedFormsPlugin

from feedback import hookimpl
from feedback.engine import Engine
from feedback.paper_entry import (
    FormAlreadyEntered,
    FormHeading,
    HeadingProblem,
    NoPaperEntry,
    PaperEntry,
    date_problem,
    forms_entered,
    language_problem,
    number_problem,
    paper_entry,
    provides_paper_entry,
    words,
)
from feedback.survey import Survey


def test_hook_paper_entry(make_engine: Callable[..., Engine]) -> None:
    plugin = NumberedFormsPlugin()
    engine = make_engine(plugin)
    event, survey = engine.store.event("hague-2011"), engine.survey("post-seminar")
    assert event is not None
    assert provides_paper_entry(engine.pm)

    entry = paper_entry(engine, event, survey)

    assert isinstance(entry, NumberedForms) and isinstance(entry, PaperEntry)
    assert plugin.calls == [(engine, event, survey)]
    heading = entry.heading("3", "nl")
    assert heading == FormHeading(3, "nl", "2011-01-26")  # the event's date
    response = entry.response(heading, {"role": "mp"})
    assert engine.submit(response) == "stored"
    with pytest.raises(FormAlreadyEntered) as caught:
        entry.check_new(3)
    assert caught.value.in_language("nl").startswith("Formulier nr. 3 is al ingevoerd")

    engine.pm.unregister(plugin)
    assert not provides_paper_entry(engine.pm)
    with pytest.raises(
        NoPaperEntry, match="no plugin keys in paper forms of survey 'post-seminar'"
    ):
        paper_entry(engine, event, survey)


class AnswersWithADict:
    @hookimpl
    def paper_entry(self, engine: Engine, event: dict[str, Any], survey: Survey) -> Any:
        return {"number": 1}


def test_an_answer_that_is_no_paper_entry_is_named(make_engine: Callable[..., Engine]) -> None:
    engine = make_engine(AnswersWithADict())
    event = engine.store.event("hague-2011")
    assert event is not None
    with pytest.raises(
        TypeError, match=r"returned a dict, expected a feedback\.paper_entry\.PaperEntry"
    ):
        paper_entry(engine, event, engine.survey("post-seminar"))


def test_the_first_plugin_that_answers_wins(make_engine: Callable[..., Engine]) -> None:
    class NotThisSurvey:
        @hookimpl
        def paper_entry(self, engine: Engine, event: dict[str, Any], survey: Survey) -> None:
            return None  # a plugin that knows other surveys' paper forms only

    engine = make_engine(NumberedFormsPlugin(), NotThisSurvey())
    event = engine.store.event("hague-2011")
    assert event is not None
    assert isinstance(paper_entry(engine, event, engine.survey("post-seminar")), NumberedForms)


@pytest.mark.parametrize(
    ("staff", "problem", "message"),
    [
        ("en", lambda lang: number_problem("", lang), "expected the No. written on the paper "
         "form, found nothing"),
        ("nl", lambda lang: number_problem(" No. 3 ", lang), "verwacht het nummer dat op het "
         "papieren formulier staat (een geheel getal vanaf 1), gevonden: 'No. 3'"),
        ("en", lambda lang: language_problem("fr", ["en", "nl"], lang), "expected one of en, nl "
         "(or nothing for en), found 'fr'"),
        ("nl-BE", lambda lang: language_problem("NLL", ["en", "nl"], lang), "verwacht een van "
         "en, nl (of niets voor en), gevonden: 'NLL'; bedoelt u 'nl'?"),
        ("en", lambda lang: language_problem("nll", ["en", "nl"], lang), "expected one of en, nl "
         "(or nothing for en), found 'nll'; did you mean 'nl'?"),
        ("nl", lambda lang: date_problem("", lang), "verwacht de datum waarop het formulier is "
         "ingevuld (JJJJ-MM-DD), gevonden: niets"),
        ("nl", lambda lang: date_problem("26/01/2011", lang), "verwacht een datum als "
         "JJJJ-MM-DD, gevonden: '26/01/2011'"),
        ("fr", lambda lang: date_problem("26/01/2011", lang), "expected a date as YYYY-MM-DD, "
         "found '26/01/2011'"),
    ],
)  # fmt: skip
def test_heading_problems_are_said_in_the_staffs_language(
    staff: str, problem: Callable[[str], str], message: str
) -> None:
    assert problem(staff) == message


def test_a_heading_problem_names_every_field() -> None:
    problem = HeadingProblem({"number": "a", "date": "b"})
    assert problem.problems == {"number": "a", "date": "b"}
    assert str(problem) == "number: a; date: b"


def test_the_words_of_keying_in_cover_every_language_of_english() -> None:
    for language in ("en", "nl"):
        assert set(words(language)) == set(words("en"))
    assert forms_entered(1, "nl") == "1 formulier ingevoerd"
    assert forms_entered(0, "en") == "0 forms entered"
    assert FormAlreadyEntered(7, "long message").in_language("en") == (
        "Form No. 7 is already entered: each paper form is entered once. "
        "Check the No. written on this form."
    )
