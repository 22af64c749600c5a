"""The words of a survey form in a browser that the web form and the offline form both show, in
every language a shipped survey offers (English fills the gaps), and each language's own name.

Both forms draw the same questions with the same buttons and the same error messages, so these
words live here, in the core: each plugin reads them from here and keeps only its own words
(`feedback_web.i18n`, `feedback_offline.standalone`).
"""

from __future__ import annotations

from feedback.i18n import language_name as _language_name
from feedback.i18n import words_in

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "language_name": "English",
        "language": "Language",
        "next": "Next",
        "back": "Back",
        "submit": "Submit",
        "page_of": "Page {n} of {total}",
        "required_mark": "(required)",
        "errors_title": "There is a problem",
        "required": "Please answer this question.",
        "both_rows": "Please choose an answer in both rows.",
        "before": "Before the seminar",
        "now": "Now",
        "yes": "Yes",
        "no": "No",
        "expected_number": "Please type a number.",
        "expected_whole": "Please type a whole number.",
        "between": "Please give a number from {min} to {max}.",
        "at_least": "Please give a number of at least {min}.",
        "at_most": "Please give a number of at most {max}.",
        "expected_date": "Please type a date as YYYY-MM-DD, like 2026-01-14.",
        "no_such_date": "There is no date {date}: please check the day and the month.",
        "date_between": "Please give a date from {min} to {max}.",
        "date_from": "Please give a date on or after {min}.",
        "date_until": "Please give a date on or before {max}.",
        "select_between": "Please choose between {min} and {max} options.",
        "too_long": "Please use at most {max} characters.",
        "one_line": "Please keep this answer on one line.",
        "choose": "Please choose one of the options.",
        "yes_or_no": "Please answer yes or no.",
        "invalid": "Please check this answer.",
        "thank_you_title": "Thank you",
        "thank_you": "Thank you for your feedback!",
        "skip": "Skip to content",
        "linking_notice": "Your answers here will be linked to your answers to the earlier "
        "survey by a coded key that is kept apart from them. They are not anonymous: whoever "
        "holds both the answers and the key can tell they are yours.",
        "self_code_notice": "A few questions ask for a personal code, such as the first "
        "letter of a parent's first name. It is never kept as you type it: it only links your "
        "answers to your answers in a later survey, without saying who you are.",
    },
    "nl": {
        "language_name": "Nederlands",
        "language": "Taal",
        "next": "Volgende",
        "back": "Terug",
        "submit": "Versturen",
        "page_of": "Pagina {n} van {total}",
        "required_mark": "(verplicht)",
        "errors_title": "Er is een probleem",
        "required": "Beantwoord deze vraag.",
        "both_rows": "Kies een antwoord in beide rijen.",
        "before": "Vóór het seminar",
        "now": "Nu",
        "yes": "Ja",
        "no": "Nee",
        "expected_number": "Typ een getal.",
        "expected_whole": "Typ een geheel getal.",
        "between": "Geef een getal van {min} tot {max}.",
        "at_least": "Geef een getal van minstens {min}.",
        "at_most": "Geef een getal van hoogstens {max}.",
        "expected_date": "Typ een datum als JJJJ-MM-DD, bijvoorbeeld 2026-01-14.",
        "no_such_date": "De datum {date} bestaat niet: controleer de dag en de maand.",
        "date_between": "Geef een datum van {min} tot en met {max}.",
        "date_from": "Geef een datum op of na {min}.",
        "date_until": "Geef een datum op of voor {max}.",
        "select_between": "Kies tussen {min} en {max} opties.",
        "too_long": "Gebruik hoogstens {max} tekens.",
        "one_line": "Houd dit antwoord op één regel.",
        "choose": "Kies een van de mogelijkheden.",
        "yes_or_no": "Antwoord met ja of nee.",
        "invalid": "Controleer dit antwoord.",
        "thank_you_title": "Dank u wel",
        "thank_you": "Dank u wel voor uw feedback!",
        "skip": "Naar de inhoud",
        "linking_notice": "Uw antwoorden hier worden gekoppeld aan uw antwoorden op de eerdere "
        "vragenlijst, met een gecodeerde sleutel die apart daarvan wordt bewaard. Ze zijn niet "
        "anoniem: wie zowel de antwoorden als de sleutel heeft, kan zien dat ze van u zijn.",
        "self_code_notice": "Een paar vragen vragen om een persoonlijke code, zoals de eerste "
        "letter van de voornaam van een ouder. Die wordt nooit bewaard zoals u hem typt: hij "
        "koppelt alleen uw antwoorden aan uw antwoorden op een latere vragenlijst, zonder te "
        "zeggen wie u bent.",
    },
}


def words(language: str) -> dict[str, str]:
    """The shared form words in ``language`` (``nl-BE`` finds ``nl``), English for any word or
    language not translated."""
    return words_in(WORDS, language)


def language_name(language: str) -> str:
    """The language's own name (``Nederlands``), or its code when it has none here."""
    return _language_name(WORDS, language)
