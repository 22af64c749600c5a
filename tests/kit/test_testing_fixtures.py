"""`feedback.testing`'s fixtures work on real components: a SQLite file, the kiosk, the web form."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from feedback import hookimpl
from feedback.engine import Engine
from feedback.responses import Response
from feedback.survey import Survey
from feedback.testing import EVENT, SURVEY, channel_app, new_response

SEEN: list[str] = []


class Recorder:
    """A plugin under test: it records each stored response."""

    @hookimpl
    def response_submitted(self, engine: Engine, response: Response) -> None:
        SEEN.append(str(response.id))


@pytest.fixture
def feedback_plugins() -> list[Any]:
    SEEN.clear()
    return [Recorder()]


def test_the_engine_is_on_a_real_file_with_the_event(
    feedback_engine: Engine, feedback_project: Path
) -> None:
    survey = feedback_engine.survey()
    assert survey.id == SURVEY["id"]
    feedback_engine.submit(new_response(survey, {"useful": "agree"}))
    with sqlite3.connect(feedback_project / "feedback.db") as db:
        assert db.execute("SELECT count(*) FROM responses").fetchone() == (1,)
        assert db.execute("SELECT id FROM events").fetchall() == [(EVENT["id"],)]
    assert len(SEEN) == 1  # the plugin under test was registered


def test_a_survey_from_a_dict_is_validated_and_found_by_id(
    make_survey: Callable[[dict[str, Any]], Survey], feedback_engine: Engine
) -> None:
    survey = make_survey(
        {
            "id": "short",
            "title": "Short",
            "languages": ["en"],
            "questions": [{"id": "q1", "type": "yes_no", "label": "Was it useful?"}],
        }
    )
    assert feedback_engine.survey("short").version == survey.version
    with pytest.raises(Exception, match="no_such_type"):
        make_survey(
            {
                "id": "broken",
                "title": "Broken",
                "languages": ["en"],
                "questions": [{"id": "q1", "type": "no_such_type", "label": "?"}],
            }
        )


@pytest.mark.asyncio
async def test_the_kiosk_pilot_drives_the_real_kiosk(
    kiosk_pilot: Callable[..., Any], feedback_engine: Engine
) -> None:
    async with kiosk_pilot() as pilot:
        assert type(pilot.app).__name__ == "KioskApp"
        assert pilot.app.size == (80, 24)


def test_the_web_client_serves_the_real_form(web_client: Any) -> None:
    page = web_client.get("/")
    assert page.status_code == 200
    assert "<html" in page.text.lower()


def test_an_unknown_channel_is_named(feedback_engine: Engine) -> None:
    with pytest.raises(LookupError, match="no channel 'sms'"):
        channel_app(feedback_engine, "sms")
