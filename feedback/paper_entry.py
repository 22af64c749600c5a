"""Keying in paper forms: the contract between the plugin that knows paper forms and any place where
staff key them in.

A paper form is keyed in from what is written on it: its No., the language it is printed in and
the date it was filled in (`FormHeading`), then its answers. Every way of keying it in (a row of the
offline plugin's entry template, the kiosk's data-entry screen) must read that heading alike, refuse
a No. entered already (`FormAlreadyEntered`) and give the same response, with the same id, so that
a form keyed in twice is stored once. A plugin that knows paper forms answers the hook
`paper_entry(engine, event, survey)` with a `PaperEntry` (the built-in offline plugin does); a
data-entry channel asks for one through `paper_entry` here and imports no plugin.

The words of keying in (field labels, "2 forms entered", what is wrong with a heading) are shared by
every such place, so they are here too, in each language a shipped survey offers (English fills the
gaps): the messages of `HeadingProblem` follow the language of the staff at the screen, not the
form's.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from feedback.errors import FeedbackError, InvalidInput
from feedback.i18n import words_in

if TYPE_CHECKING:
    from feedback.engine import Engine
    from feedback.plugins import PluginManager
    from feedback.survey import Survey

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "number": "No.",
        "form_number": "No. on the paper form",
        "form_language": "Language of the form",
        "form_date": "Date on the form",
        "forms_entered_one": "{n} form entered",
        "forms_entered_other": "{n} forms entered",
        "already_entered": "Form No. {number} is already entered: each paper form is entered "
        "once. Check the No. written on this form.",
        "number_missing": "expected the No. written on the paper form, found nothing",
        "number_wrong": "expected the No. written on the paper form (a whole number from 1), "
        "found {found}",
        "language_wrong": "expected one of {languages} (or nothing for {default}), found {found}",
        "did_you_mean": "; did you mean {option}?",
        "date_missing": "expected the date the form was filled in (YYYY-MM-DD), found nothing",
        "date_wrong": "expected a date as YYYY-MM-DD, found {found}",
    },
    "nl": {
        "number": "Nr.",
        "form_number": "Nr. op het papieren formulier",
        "form_language": "Taal van het formulier",
        "form_date": "Datum op het formulier",
        "forms_entered_one": "{n} formulier ingevoerd",
        "forms_entered_other": "{n} formulieren ingevoerd",
        "already_entered": "Formulier nr. {number} is al ingevoerd: elk papieren formulier wordt "
        "één keer ingevoerd. Controleer het nummer op dit formulier.",
        "number_missing": "verwacht het nummer dat op het papieren formulier staat, gevonden: "
        "niets",
        "number_wrong": "verwacht het nummer dat op het papieren formulier staat (een geheel "
        "getal vanaf 1), gevonden: {found}",
        "language_wrong": "verwacht een van {languages} (of niets voor {default}), gevonden: "
        "{found}",
        "did_you_mean": "; bedoelt u {option}?",
        "date_missing": "verwacht de datum waarop het formulier is ingevuld (JJJJ-MM-DD), "
        "gevonden: niets",
        "date_wrong": "verwacht een datum als JJJJ-MM-DD, gevonden: {found}",
    },
}


def words(language: str) -> dict[str, str]:
    """The words of keying in paper forms in ``language``, English for any word or language not
    translated."""
    return words_in(WORDS, language)


def forms_entered(count: int, language: str) -> str:
    """How many paper forms are entered, in agreement with the number: ``1 form entered``,
    ``2 forms entered`` (``1 formulier ingevoerd``, ``2 formulieren ingevoerd``)."""
    w = words(language)
    return w["forms_entered_one" if count == 1 else "forms_entered_other"].format(n=count)


def number_problem(text: str, language: str = "en") -> str:
    """What is wrong with ``text`` as a form's No. (nothing, or no whole number from 1)."""
    w = words(language)
    if not text.strip():
        return w["number_missing"]
    return w["number_wrong"].format(found=repr(text.strip()))


def language_problem(text: str, languages: list[str], language: str = "en") -> str:
    """What is wrong with ``text`` as the language of a form printed in one of ``languages`` (the
    first when nothing is keyed in), with the closest of them when one is close."""
    w = words(language)
    message = w["language_wrong"].format(
        languages=", ".join(languages), default=languages[0], found=repr(text.strip())
    )
    lower = {code.lower(): code for code in languages}
    close = difflib.get_close_matches(text.strip().lower(), list(lower), n=1, cutoff=0.6)
    if close:
        message += w["did_you_mean"].format(option=repr(lower[close[0]]))
    return message


def date_problem(text: str, language: str = "en") -> str:
    """What is wrong with ``text`` as the date on a form (nothing, when the event has no date to
    stand in, or no ``YYYY-MM-DD`` date)."""
    w = words(language)
    if not text.strip():
        return w["date_missing"]
    return w["date_wrong"].format(found=repr(text.strip()))


@dataclass(frozen=True)
class FormHeading:
    """What staff key in from a paper form before its answers: the No. written on it, the
    language it is printed in, and the date it was filled in (``YYYY-MM-DD``)."""

    number: int
    language: str
    date: str


class HeadingProblem(InvalidInput):
    """The No., language or date of a paper form is wrong: ``problems`` maps each field
    (``number``, ``language``, ``date``) to what was expected and found."""

    def __init__(self, problems: Mapping[str, str]):
        self.problems = dict(problems)
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems.items()))


class FormAlreadyEntered(InvalidInput):
    """A form No. already stored for the event and survey: each paper form is entered once.
    The message is the full one (for an import); `in_language` the short one for a screen."""

    def __init__(self, number: int, message: str):
        self.number = number
        super().__init__(message)

    def in_language(self, language: str) -> str:
        """The short message for a data-entry screen in ``language``."""
        return words(language)["already_entered"].format(number=self.number)


class NoPaperEntry(FeedbackError):
    """No plugin keys in paper forms (none answers the ``paper_entry`` hook)."""


@runtime_checkable
class PaperEntry(Protocol):
    """Keying in the paper forms of one event and one survey version: what the ``paper_entry``
    hook returns. Each form's heading is read and checked the same way wherever it is keyed in,
    and becomes the same response."""

    @property
    def default_date(self) -> str | None:
        """The date of a form when none is keyed in (the event's, never today's); ``None`` when
        the event has none, and then each form needs its own."""
        ...

    def number(self, text: str, staff_language: str = "en") -> int:
        """The No. written on the form, from what was keyed in.

        :raises ValueError: nothing, or not a whole number from 1; the message in
            ``staff_language``.
        """
        ...

    def heading(
        self, number: str, language: str = "", date: str = "", staff_language: str = "en"
    ) -> FormHeading:
        """A form's No., language and date as keyed in, each checked; an empty language or date
        is the default (the survey's first language, `default_date`).

        :raises HeadingProblem: every field that is wrong, said in ``staff_language``.
        """
        ...

    def response_id(self, number: int) -> str:
        """The id of the response of form ``number``: the same each time it is keyed in."""
        ...

    def response(self, heading: FormHeading, answers: dict[str, Any]) -> dict[str, Any]:
        """The response a form becomes, for `feedback.engine.Engine.submit`."""
        ...

    def check_new(self, number: int) -> None:
        """Refuse a No. already entered, before its answers are keyed in.

        :raises FormAlreadyEntered: the No. is stored for this event and survey.
        """
        ...


def provides_paper_entry(pm: PluginManager) -> bool:
    """Whether any plugin implements the ``paper_entry`` hook."""
    return bool(pm.hook.paper_entry.get_hookimpls())


def paper_entry(engine: Engine, event: dict[str, Any], survey: Survey) -> PaperEntry:
    """Keying in the paper forms of ``event`` (its row) and ``survey``, from the plugin that
    knows paper forms.

    :raises NoPaperEntry: no plugin answers the ``paper_entry`` hook for them.
    :raises TypeError: a plugin answered with something that is not a `PaperEntry`.
    """
    entry = engine.pm.hook.paper_entry(engine=engine, event=event, survey=survey)
    if entry is None:
        raise NoPaperEntry(
            f"no plugin keys in paper forms of survey '{survey.id}' (the built-in plugin "
            "'offline' does: is it installed, and allowed by FEEDBACK_LOAD_PLUGINS?)"
        )
    if not isinstance(entry, PaperEntry):
        raise TypeError(
            f"the paper_entry hook returned a {type(entry).__name__}, expected a "
            "feedback.paper_entry.PaperEntry"
        )
    return entry
