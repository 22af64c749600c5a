"""The kiosk's words, in every language a shipped survey offers (English is the fallback): the
forms' shared words of the core (`feedback.form_words`: Next, Yes, the answer problems ...) with
the kiosk's own over them."""

from __future__ import annotations

from feedback.form_words import words as form_words
from feedback.i18n import language_name as _language_name
from feedback.i18n import words_in

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "language_name": "English",
        "begin": "Press Enter or click to begin",
        "choose_language": "Choose your language",
        "review": "Check your answers",
        "review_intro": "Choose an answer to change it, or submit when you are ready.",
        "change": "Change",
        "clear": "Clear (Delete)",
        "not_answered": "(not answered)",
        "question_of": "Question {n} of {total}",
        "required": "Please answer this question to continue.",
        "characters": "{n} of {max} characters",
        "thank_you": "Thank you! Your answers have been saved.",
        "next_participant": "The next participant can start in a moment.",
        "still_there": "Are you still there?",
        "reset_in": "Your answers will be cleared in {n} seconds. Press any key to continue.",
        "hint_choice": "Number keys or arrows to choose · Enter: next · Esc: back",
        "hint_text": "Tab: to Next · Esc: back",
        "hint_review": "Tab: move · Enter: choose · Esc: back",
        "next_form": "Next paper form: what is written at its top",
        "date_format": "YYYY-MM-DD",
        "heading_hint": "Enter: start the form · Tab: next field · Ctrl+O: staff",
        "form_saved": "Form saved. Next form.",
        "staff_pin": "Staff PIN",
        "wrong_pin": "Wrong PIN.",
        "locked_out": "Too many attempts. Try again in {n} seconds.",
        "not_saved": "Sorry: your answers could not be saved.",
        "ask_staff": "Please ask a member of staff for help.",
        "checkin_title": "Check-in",
        "checkin_present": "present {n} of {total} on the roster",
        "checkin_prompt": "Part of a name or organisation, or scan a pass",
        "checkin_hint": "Enter: check in · ↓: the list · Ctrl+R: undo the last · Esc: back",
        "checkin_undo": "Undo last (Ctrl+R)",
        "checkin_back": "Back (Esc)",
        "checkin_by_checkin": "✔ checked in",
        "checkin_by_sheet": "✔ signed sheet",
        "checkin_done": "Checked in: {name}",
        "checkin_already_at": "{name}: already checked in at {time}",
        "checkin_already_sheet": "{name}: already present by the signed sheet",
        "checkin_not_recorded": "Not recorded: {cause}. Nobody was checked in.",
        "checkin_undone": "Undone: {name} is no longer checked in.",
        "checkin_undo_failed": "Undo not recorded: {cause}. {name} is still checked in.",
        "checkin_nothing_to_undo": "Nothing to undo.",
        "checkin_unknown_pass": "Unknown pass: no pass has this code. Nobody was checked in.",
        "checkin_not_a_pass": "This is not a pass's code. Nobody was checked in.",
        "checkin_other_event": (
            "Refused: this pass of {name} is for another event ({event}). Nobody was checked in."
        ),
        "checkin_no_match": "Nobody on the roster matches “{text}”.",
        "checkin_choose": "{n} matches: choose with the arrows, then Enter.",
        "checkin_unreadable": "The roster could not be read: {cause}",
    },
    "nl": {
        "language_name": "Nederlands",
        "begin": "Druk op Enter of klik om te beginnen",
        "choose_language": "Kies uw taal",
        "review": "Controleer uw antwoorden",
        "review_intro": "Kies een antwoord om het te wijzigen, of verstuur als u klaar bent.",
        "change": "Wijzigen",
        "clear": "Wissen (Delete)",
        "not_answered": "(niet beantwoord)",
        "question_of": "Vraag {n} van {total}",
        "required": "Beantwoord deze vraag om verder te gaan.",
        "characters": "{n} van {max} tekens",
        "thank_you": "Dank u wel! Uw antwoorden zijn opgeslagen.",
        "next_participant": "De volgende deelnemer kan zo beginnen.",
        "still_there": "Bent u er nog?",
        "reset_in": "Uw antwoorden worden over {n} seconden gewist. Druk op een toets om door te gaan.",
        "hint_choice": "Cijfertoetsen of pijltjes om te kiezen · Enter: volgende · Esc: terug",
        "hint_text": "Tab: naar Volgende · Esc: terug",
        "hint_review": "Tab: verplaatsen · Enter: kiezen · Esc: terug",
        "next_form": "Volgend papieren formulier: wat er bovenaan staat",
        "date_format": "JJJJ-MM-DD",
        "heading_hint": "Enter: formulier beginnen · Tab: volgend veld · Ctrl+O: medewerkers",
        "form_saved": "Formulier opgeslagen. Volgend formulier.",
        "staff_pin": "Pincode medewerkers",
        "wrong_pin": "Onjuiste pincode.",
        "locked_out": "Te veel pogingen. Probeer het over {n} seconden opnieuw.",
        "not_saved": "Sorry: uw antwoorden konden niet worden opgeslagen.",
        "ask_staff": "Vraag een medewerker om hulp.",
        "checkin_title": "Aanmelden",
        "checkin_present": "{n} van {total} op de deelnemerslijst aanwezig",
        "checkin_prompt": "Deel van een naam of organisatie, of scan een pas",
        "checkin_hint": "Enter: aanmelden · ↓: de lijst · Ctrl+R: laatste ongedaan · Esc: terug",
        "checkin_undo": "Ongedaan maken (Ctrl+R)",
        "checkin_back": "Terug (Esc)",
        "checkin_by_checkin": "✔ aangemeld",
        "checkin_by_sheet": "✔ getekende lijst",
        "checkin_done": "Aangemeld: {name}",
        "checkin_already_at": "{name}: al aangemeld om {time}",
        "checkin_already_sheet": "{name}: al aanwezig volgens de getekende lijst",
        "checkin_not_recorded": "Niet vastgelegd: {cause}. Niemand is aangemeld.",
        "checkin_undone": "Ongedaan: {name} is niet meer aangemeld.",
        "checkin_undo_failed": "Ongedaan maken niet vastgelegd: {cause}. {name} blijft aangemeld.",
        "checkin_nothing_to_undo": "Niets om ongedaan te maken.",
        "checkin_unknown_pass": "Onbekende pas: geen pas heeft deze code. Niemand is aangemeld.",
        "checkin_not_a_pass": "Dit is geen code van een pas. Niemand is aangemeld.",
        "checkin_other_event": (
            "Geweigerd: deze pas van {name} is voor een ander evenement ({event}). "
            "Niemand is aangemeld."
        ),
        "checkin_no_match": "Niemand op de deelnemerslijst past bij “{text}”.",
        "checkin_choose": "{n} gevonden: kies met de pijltjes, dan Enter.",
        "checkin_unreadable": "De deelnemerslijst kon niet worden gelezen: {cause}",
    },
}


def words(language: str) -> dict[str, str]:
    """The words in ``language``, English for any word or language not translated."""
    return {**form_words(language), **words_in(WORDS, language)}


def language_name(language: str) -> str:
    return _language_name(WORDS, language)
