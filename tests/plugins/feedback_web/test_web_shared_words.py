"""The web form's words that the offline form shows too are the core's (`feedback.form_words`): one
table to translate, which the web form reads and does not copy."""

from __future__ import annotations

import pytest

from feedback import form_words
from feedback_web import i18n


@pytest.mark.parametrize("language", ["en", "nl", "nl-BE", "fr"])
def test_the_web_form_shows_the_shared_words(language: str) -> None:
    shared = form_words.words(language)
    web = i18n.words(language)
    assert {key: web[key] for key in shared} == shared
    assert i18n.language_name(language) == form_words.language_name(language)


def test_the_web_form_keeps_no_copy_of_a_shared_word() -> None:
    for language, table in i18n.WORDS.items():
        assert not set(table) & set(form_words.WORDS["en"]), language


def test_a_shared_word_changed_in_the_core_changes_on_the_web(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(form_words.WORDS["nl"], "next", "Verder")
    assert i18n.words("nl")["next"] == "Verder"
    assert i18n.words("nl")["save"] == "Opslaan en later verdergaan"  # its own words stay
