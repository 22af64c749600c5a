"""The kiosk speaks the forms' shared words (the core's), with its own over them: an answer
problem from the one parser (`AnswerError.key`) is worded in the kiosk's language."""

from __future__ import annotations

import pytest

from feedback.form_words import words as form_words
from feedback.question_types import AnswerError
from feedback_kiosk.i18n import words


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_answer_problem_is_worded_in_the_kiosks_language(language: str) -> None:
    kiosk = words(language)
    for key in ("too_long", "one_line", "choose", "yes_or_no", "between", "expected_whole"):
        assert kiosk[key] == form_words(language)[key]
    problem = AnswerError("use at most 10 characters", "too_long", {"max": 10})
    assert problem.worded(kiosk) == form_words(language)["too_long"].format(max=10)


def test_the_kiosks_own_words_stay_over_the_shared_ones() -> None:
    assert words("en")["required"] != form_words("en")["required"]
    assert words("nl")["next"] == "Volgende"
