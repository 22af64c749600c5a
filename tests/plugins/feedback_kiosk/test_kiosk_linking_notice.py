"""The kiosk tells a participant how a self-generated code is kept before the first question."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kiosk_helpers import press

from feedback.form_words import words
from feedback_kiosk.app import KioskApp

pytestmark = pytest.mark.asyncio

CODED = """\
id: coded
title: Ninety days on
languages: [en]
self_code: [parent, month]
questions:
  - {id: acted, type: yes_no, label: "Did you contact an NGO?"}
  - {id: parent, type: text, label: "The first letter of a parent's name"}
  - {id: month, type: text, label: "The month you were born"}
"""


async def test_the_notice_comes_before_the_first_question(
    kiosk: Callable[..., KioskApp], write_survey: Callable[[str, str], object]
) -> None:
    write_survey("coded", CODED)
    app = kiosk("coded")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")  # the attract screen
        await pilot.pause()
        assert app.session is not None and app.session.current == "notice"
        shown = " ".join(str(s.render()) for s in app.screen.query(".section-intro"))
        assert "never kept as you type it" in " ".join(shown.split())
        assert words("en")["self_code_notice"].startswith("A few questions")
        await press(pilot, "enter")
        await pilot.pause()
        assert app.session.current == "q:acted"
