"""Before the first question, a participant is told how their answers are linked to another
wave's (issue 15): a pseudonymous survey says it is not anonymous; a self-generated code says it
is never kept as typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedback.engine import Engine
from feedback.form_words import words
from feedback.survey import Survey
from feedback.testing import EVENT

SELF_CODE = {
    "id": "coded",
    "title": "Ninety days on",
    "languages": ["en", "nl"],
    "self_code": ["parent", "month"],
    "questions": [
        {"id": "acted", "type": "yes_no", "label": "Did you contact an NGO?"},
        {"id": "parent", "type": "text", "label": "The first letter of a parent's name"},
        {"id": "month", "type": "text", "label": "The month you were born"},
    ],
}


def test_the_open_link_says_how_a_self_generated_code_is_kept(
    web_client: Any, make_survey: Callable[..., Survey], feedback_engine: Engine
) -> None:
    make_survey(SELF_CODE, default=True)
    feedback_engine.store.upsert_event({**EVENT, "open_link": 1})
    page = web_client.get(f"/e/{EVENT['id']}")
    assert page.status_code == 200
    assert words("en")["self_code_notice"].replace("'", "&#39;") in page.text
    dutch = web_client.get(f"/e/{EVENT['id']}?lang=nl")
    assert words("nl")["self_code_notice"] in dutch.text


def test_a_survey_that_links_nothing_says_nothing(
    web_client: Any, make_survey: Callable[..., Survey], feedback_engine: Engine
) -> None:
    plain = {**SELF_CODE, "id": "plain"}
    del plain["self_code"]
    make_survey(plain, default=True)
    feedback_engine.store.upsert_event({**EVENT, "open_link": 1})
    page = web_client.get(f"/e/{EVENT['id']}")
    assert "linking-notice" not in page.text
