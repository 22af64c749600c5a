"""The web form's own words, in every language a shipped survey offers (English is the fallback).

The words the offline form shows too (buttons, error messages, language names) are the core's,
`feedback.form_words`; `words` gives both.
"""

from __future__ import annotations

from feedback import form_words
from feedback.i18n import words_in

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "save": "Save and finish later",
        "progress": "Progress",
        "more_questions": "Your answers opened further questions on this page.",
        "max_characters": "At most {max} characters.",
        "stored": "Your answers are saved.",
        "completed_title": "Already completed",
        "completed": "You have already completed this survey, and your answers are saved. Thank "
        "you for your feedback!",
        "error_item": "Question {n}: {error}",
        "saved_title": "Your answers are saved",
        "saved": "Your answers are saved. Open the same link again to continue where you left off.",
        "continue": "Continue now",
        "expired_title": "This link has expired",
        "expired": "This personal link is no longer valid. If you would still like to give feedback, "
        "please contact the organisers of the seminar.",
        "unknown_title": "Link not recognised",
        "unknown": "We could not find a survey for this link. Please check that you copied the whole "
        "link from your email.",
        "no_event_title": "Survey not found",
        "no_event": "There is no survey at this address.",
        "too_many_title": "Too many attempts",
        "too_many": "Too many unknown links were tried from your connection. Please check that "
        "you copied the whole link from your email, or wait a few minutes and try again.",
        "csrf_title": "Please try again",
        "csrf": "This page was open for too long or came from somewhere else, so your last step was "
        "not saved. Please go back to the survey and try again.",
        "back_to_survey": "Back to the survey",
        "start_again": "Give another response",
        "home_title": "Feedback",
        "home": "Please open the personal link from your invitation email, or scan the code shown "
        "at the venue.",
        "scan": "Scan the code to give your feedback",
        "anonymous": "This survey is anonymous.",
        "not_saved_title": "Your answers are not saved yet",
        "not_saved": "Your answers are kept on this page, but we could not store them just now. "
        "Please press “Try again” in a moment. If it still does not work, please tell the "
        "organisers of the seminar.",
        "throttled_title": "Please try again later",
        "throttled": "Many responses have arrived from your connection or for this event in a "
        "short time, so yours is not stored yet. Your answers are kept: please press “Try again” "
        "in a few minutes.",
        "try_again": "Try again",
        "other_link": "You began this survey with the link from another email. To continue where "
        "you left off, open that link: your answers there are kept. If you go on here, you start "
        "again.",
        # check-in by a pass's link (/c/<code>)
        "checkin_title": "Check in",
        "checkin_event": "Event",
        "checkin_pass_of": "Pass of",
        "checkin_button": "Check in",
        "checkin_intro": "Press “Check in” to record that the holder of this pass is here.",
        "checked_in_title": "Checked in",
        "checked_in": "{name} is checked in. Welcome!",
        "already_checked_in_title": "Already checked in",
        "already_checked_in": "{name} was already checked in. The first check-in is kept.",
        "checkin_not_yet_title": "Check-in is not open yet",
        "checkin_not_yet": "Check-in for this event opens on {date}. Nothing has been recorded.",
        "checkin_closed_title": "Check-in is closed",
        "checkin_closed": "Check-in for this event closed after {date}. Nothing has been recorded.",
        "not_checked_in_title": "Not checked in yet",
        "not_checked_in": "Your check-in could not be recorded just now, so you are not checked "
        "in yet. Please press “Try again” in a moment, or go to the registration desk.",
        "checkin_csrf_title": "Please try again",
        "checkin_csrf": "This page was open for too long or came from somewhere else, so you are "
        "not checked in yet. Please go back to the pass and press “Check in” again.",
        "back_to_pass": "Back to the pass",
        "unknown_pass_title": "Pass not recognised",
        "unknown_pass": "We could not find a pass with this code. Please check that the whole code "
        "was scanned, or ask at the registration desk.",
        "too_many_passes_title": "Too many attempts",
        "too_many_passes": "Too many unknown codes were tried from your connection. Please wait a "
        "few minutes and try again, or ask at the registration desk.",
    },
    "nl": {
        "save": "Opslaan en later verdergaan",
        "progress": "Voortgang",
        "more_questions": "Uw antwoorden hebben op deze pagina meer vragen geopend.",
        "max_characters": "Hoogstens {max} tekens.",
        "stored": "Uw antwoorden zijn opgeslagen.",
        "completed_title": "Al ingevuld",
        "completed": "U hebt deze vragenlijst al ingevuld en uw antwoorden zijn opgeslagen. Dank u "
        "wel voor uw feedback!",
        "error_item": "Vraag {n}: {error}",
        "saved_title": "Uw antwoorden zijn bewaard",
        "saved": "Uw antwoorden zijn bewaard. Open dezelfde link opnieuw om verder te gaan waar u "
        "was gebleven.",
        "continue": "Nu verdergaan",
        "expired_title": "Deze link is verlopen",
        "expired": "Deze persoonlijke link is niet meer geldig. Wilt u toch feedback geven, neem dan "
        "contact op met de organisatoren van het seminar.",
        "unknown_title": "Link niet herkend",
        "unknown": "Bij deze link hoort geen vragenlijst. Controleer of u de hele link uit uw e-mail "
        "hebt gekopieerd.",
        "no_event_title": "Vragenlijst niet gevonden",
        "no_event": "Op dit adres staat geen vragenlijst.",
        "too_many_title": "Te veel pogingen",
        "too_many": "Vanaf uw verbinding zijn te veel onbekende links geprobeerd. Controleer of u "
        "de hele link uit uw e-mail hebt gekopieerd, of wacht een paar minuten en probeer het dan "
        "opnieuw.",
        "csrf_title": "Probeer het opnieuw",
        "csrf": "Deze pagina stond te lang open of kwam van elders, dus uw laatste stap is niet "
        "opgeslagen. Ga terug naar de vragenlijst en probeer het opnieuw.",
        "back_to_survey": "Terug naar de vragenlijst",
        "start_again": "Nog een antwoord geven",
        "home_title": "Feedback",
        "home": "Open de persoonlijke link uit uw uitnodiging, of scan de code die op de locatie "
        "wordt getoond.",
        "scan": "Scan de code om uw feedback te geven",
        "anonymous": "Deze vragenlijst is anoniem.",
        "not_saved_title": "Uw antwoorden zijn nog niet opgeslagen",
        "not_saved": "Uw antwoorden staan nog op deze pagina, maar konden zojuist niet worden "
        "opgeslagen. Druk over een ogenblik op ‘Opnieuw proberen’. Lukt het dan nog niet, laat "
        "het dan de organisatoren van het seminar weten.",
        "throttled_title": "Probeer het later opnieuw",
        "throttled": "Er zijn in korte tijd veel antwoorden binnengekomen vanaf uw verbinding of "
        "voor dit evenement, dus het uwe is nog niet opgeslagen. Uw antwoorden zijn bewaard: druk "
        "over enkele minuten op ‘Opnieuw proberen’.",
        "try_again": "Opnieuw proberen",
        "other_link": "U bent aan deze vragenlijst begonnen met de link uit een andere e-mail. "
        "Open die link om verder te gaan waar u was gebleven: uw antwoorden daar zijn bewaard. "
        "Gaat u hier verder, dan begint u opnieuw.",
        "checkin_title": "Inchecken",
        "checkin_event": "Evenement",
        "checkin_pass_of": "Pas van",
        "checkin_button": "Inchecken",
        "checkin_intro": "Druk op ‘Inchecken’ om vast te leggen dat de houder van deze pas "
        "aanwezig is.",
        "checked_in_title": "Ingecheckt",
        "checked_in": "{name} is ingecheckt. Welkom!",
        "already_checked_in_title": "Al ingecheckt",
        "already_checked_in": "{name} was al ingecheckt. De eerste incheck blijft staan.",
        "checkin_not_yet_title": "Inchecken is nog niet open",
        "checkin_not_yet": "Inchecken voor dit evenement kan vanaf {date}. Er is niets vastgelegd.",
        "checkin_closed_title": "Inchecken is gesloten",
        "checkin_closed": "Inchecken voor dit evenement kon tot en met {date}. Er is niets "
        "vastgelegd.",
        "not_checked_in_title": "Nog niet ingecheckt",
        "not_checked_in": "Uw incheck kon zojuist niet worden vastgelegd, dus u bent nog niet "
        "ingecheckt. Druk over een ogenblik op ‘Opnieuw proberen’, of ga naar de "
        "registratiebalie.",
        "checkin_csrf_title": "Probeer het opnieuw",
        "checkin_csrf": "Deze pagina stond te lang open of kwam van elders, dus u bent nog niet "
        "ingecheckt. Ga terug naar de pas en druk opnieuw op ‘Inchecken’.",
        "back_to_pass": "Terug naar de pas",
        "unknown_pass_title": "Pas niet herkend",
        "unknown_pass": "Bij deze code hoort geen pas. Controleer of de hele code is gescand, of "
        "vraag het aan de registratiebalie.",
        "too_many_passes_title": "Te veel pogingen",
        "too_many_passes": "Vanaf uw verbinding zijn te veel onbekende codes geprobeerd. Wacht een "
        "paar minuten en probeer het opnieuw, of vraag het aan de registratiebalie.",
    },
}


def words(language: str) -> dict[str, str]:
    """The web form's words in ``language``: the shared form words (`feedback.form_words`) and
    its own, English for any word or language not translated."""
    return form_words.words(language) | words_in(WORDS, language)


def language_name(language: str) -> str:
    """The language's own name (``Nederlands``), from `feedback.form_words`."""
    return form_words.language_name(language)


def negotiate(accept_language: str, languages: list[str]) -> str:
    """The survey language a browser's ``Accept-Language`` prefers; the survey's first otherwise."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            ranked.append((-quality, index, tag.lower()))
    for _, _, tag in sorted(ranked):
        for language in languages:
            if language.lower() == tag or language.split("-")[0].lower() == tag.split("-")[0]:
                return language
    return languages[0]
