"""The offline form shows the same buttons, messages and language names as the web form, from the
core (`feedback.form_words`), not from the web form's plugin."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import EVENT

from feedback import form_words
from feedback.engine import Engine
from feedback_offline import standalone

VECTORS = Path(__file__).resolve().parents[2] / "data" / "answer_vectors.json"


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_the_offline_form_shows_the_shared_words(language: str) -> None:
    shared = form_words.words(language)
    offline = standalone.words(language)
    assert {key: offline[key] for key in standalone.WEB_KEYS} == {
        key: shared[key] for key in standalone.WEB_KEYS
    }
    assert offline["export_all"]  # and its own


def test_a_shared_word_changed_in_the_core_changes_in_the_form(
    make_engine: Callable[..., Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(form_words.WORDS["nl"], "next", "Verder")
    monkeypatch.setitem(form_words.WORDS["nl"], "language_name", "Vlaams")
    survey = make_engine().survey("post-seminar")
    data = standalone.form_data(survey, dict(EVENT))
    assert data["words"]["nl"]["next"] == "Verder"
    assert data["words"]["en"]["next"] == "Next"
    assert data["language_names"] == {"en": "English", "nl": "Vlaams"}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_answer_problem_has_its_words_in_the_form(language: str) -> None:
    """Each problem the one parser can raise (the keys of the shared answer vectors) is shown in
    the form's words, not in the parser's English: a new key (the date's) was missed once."""
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
    keys = {case["key"] for case in vectors["cases"] if case.get("key")}
    offline = standalone.words(language)
    assert sorted(keys - set(offline)) == []
    assert all(offline[key] == form_words.words(language)[key] for key in keys)
