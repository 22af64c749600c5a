"""The plugin's own words in invitations, reminders and check-in passes, in English and Dutch.

Templates get them as ``words``; a language without its own words gets the English ones. Dates are
written out in the language (26 January 2011, 26 januari 2011).
"""

from __future__ import annotations

import datetime as dt

from feedback.i18n import long_date, own_words

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "invitation_subject": "Your feedback on",
        "reminder_subject": "Reminder: your feedback on",
        "dear": "Dear",
        "thanks_for_coming": "Thank you for taking part in",
        "in": "in",
        "on": "on",
        "invitation_ask": "Would you tell us what the seminar gave you and what comes next? "
        "It takes only a few minutes.",
        "reminder_intro": "A little while ago we asked for your feedback on",
        "reminder_ask": "If you have not had the time yet, we would still be glad to hear from "
        "you. It takes only a few minutes.",
        "link_text": "Fill in the questionnaire",
        "copy_link": "If the link does not open, copy this address into your browser:",
        "personal": "This link is personal: please do not forward this email.",
        "expires": "The link works until",
        "anonymous": "Your answers are anonymous: they are stored without your name.",
        "regards": "Kind regards,",
        "automatic": "This message was sent automatically; replies may not be read.",
        "pass_subject": "Your check-in pass for",
        "pass_intro": "Here is your personal check-in pass for",
        "pass_show": "Please show this code at the entrance, on your phone or printed: it "
        "checks you in.",
        "pass_image": "Your check-in code",
        "pass_link": "If the code cannot be read, staff can open your check-in link:",
        "pass_personal": "This pass is personal: please do not forward this email.",
    },
    "nl": {
        "invitation_subject": "Uw mening over",
        "reminder_subject": "Herinnering: uw mening over",
        "dear": "Beste",
        "thanks_for_coming": "Dank u voor uw deelname aan",
        "in": "in",
        "on": "op",
        "invitation_ask": "Wilt u ons laten weten wat het seminar u heeft opgeleverd en wat er "
        "nu volgt? Het kost maar een paar minuten.",
        "reminder_intro": "Enige tijd geleden vroegen wij uw mening over",
        "reminder_ask": "Had u nog geen tijd? Wij horen graag alsnog van u. Het kost maar een "
        "paar minuten.",
        "link_text": "Vul de vragenlijst in",
        "copy_link": "Opent de link niet? Kopieer dan dit adres in uw browser:",
        "personal": "Deze link is persoonlijk: stuur deze e-mail alstublieft niet door.",
        "expires": "De link werkt tot",
        "anonymous": "Uw antwoorden zijn anoniem: ze worden zonder uw naam bewaard.",
        "regards": "Met vriendelijke groet,",
        "automatic": "Dit bericht is automatisch verstuurd; antwoorden worden mogelijk niet "
        "gelezen.",
        "pass_subject": "Uw toegangspas voor",
        "pass_intro": "Hier is uw persoonlijke toegangspas voor",
        "pass_show": "Laat deze code bij de ingang zien, op uw telefoon of afgedrukt: zo wordt "
        "u aangemeld.",
        "pass_image": "Uw aanmeldcode",
        "pass_link": "Kan de code niet worden gelezen? Dan opent de organisatie uw aanmeldlink:",
        "pass_personal": "Deze pas is persoonlijk: stuur deze e-mail alstublieft niet door.",
    },
}


def has_words(language: str) -> bool:
    """Whether the plugin has its own words in ``language`` (or its base language)."""
    return own_words(WORDS, language) is not None


def words_for(language: str) -> dict[str, str]:
    """The words in ``language`` (``nl-BE`` finds ``nl``), else in English."""
    return own_words(WORDS, language) or WORDS["en"]


def format_date(value: dt.date | str | None, language: str) -> str:
    """``2011-01-26`` as ``26 January 2011`` (or ``26 januari 2011``); ``""`` for none."""
    return long_date(value, language)
