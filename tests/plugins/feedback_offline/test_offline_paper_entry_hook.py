"""The offline plugin answers the core's ``paper_entry`` hook with the entry template's
`PaperForms`, so a form keyed in on a data-entry screen reads, and becomes, what a row of the
template does; its heading problems are said in the language asked for (English on a template
row, which alone adds the spreadsheet's hint to a wrong date)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import feedback_offline
from feedback.engine import Engine
from feedback.paper_entry import HeadingProblem, PaperEntry, paper_entry
from feedback_offline.entry import PaperForms, response_id


@pytest.fixture
def engine(make_engine: Callable[..., Engine]) -> Engine:
    return make_engine(feedback_offline)


def test_the_offline_plugin_answers_paper_entry(engine: Engine) -> None:
    event, survey = engine.store.event("hague-2011"), engine.survey("post-seminar")
    assert event is not None
    entry = paper_entry(engine, event, survey)
    assert isinstance(entry, PaperForms) and isinstance(entry, PaperEntry)
    assert entry.response_id(4) == response_id("hague-2011", survey.id, survey.version, 4)


def test_heading_problems_in_the_staffs_language(engine: Engine) -> None:
    event = engine.store.event("hague-2011")
    assert event is not None
    entry = paper_entry(engine, event, engine.survey("post-seminar"))
    with pytest.raises(HeadingProblem) as caught:
        entry.heading("0", "NLL", "2011-02-30", staff_language="nl")
    assert caught.value.problems == {
        "number": "verwacht het nummer dat op het papieren formulier staat (een geheel getal "
        "vanaf 1), gevonden: '0'",
        "language": "verwacht een van en, nl (of niets voor en), gevonden: 'NLL'; bedoelt u 'nl'?",
        "date": "verwacht een datum als JJJJ-MM-DD, gevonden: '2011-02-30'",
    }
    with pytest.raises(HeadingProblem) as caught:
        entry.heading("0", "NLL", "2011-02-30")
    assert caught.value.problems["language"].endswith("found 'NLL'; did you mean 'nl'?")
    assert "spreadsheet" not in caught.value.problems["date"]
