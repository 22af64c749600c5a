"""The words of the paper form and the entry template, in every language a shipped survey offers
(English fills the gaps). Conditions are written out from parts so that each language keeps its own
word order: ``Only if you answered "Yes" to question 9`` / ``Alleen als u bij vraag 9 "Ja" hebt
geantwoord``.

The words of keying in paper forms (field labels, "2 forms entered", a No. entered already) are the
core's, `feedback.paper_entry`, shared with every data-entry screen; `words` gives them too.
"""

from __future__ import annotations

from feedback import paper_entry
from feedback.i18n import words_in

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "form": "Form",
        "number": "No.",
        "office_use": "office use",
        "page_of": "Page {n} of {total}",
        "question": "Question {n}",
        "required_mark": "(required)",
        "instructions": "Please answer by putting a cross in the box of your answer. To change an "
        "answer, fill the wrong box in completely and cross the right one.",
        "anonymous": "This form is anonymous: please do not write your name on it.",
        "online": "Prefer to answer online? Scan the code or go to {link}",
        "qr_alt": "QR code of {link}",
        "hand_in": "Please hand this form in to the organisers.",
        "tick_one": "Tick one box.",
        "tick_row": "Tick one box in each row.",
        "tick_any": "Tick all that apply.",
        "tick_at_least": "Tick all that apply (at least {min}).",
        "tick_at_most": "Tick up to {max}.",
        "tick_between": "Tick {min} to {max}.",
        "before": "Before the seminar",
        "now": "Now",
        "yes": "Yes",
        "no": "No",
        "write_number": "Write a number",
        "write_whole": "Write a whole number",
        "from_to": " from {min} to {max}",
        "at_least": " of at least {min}",
        "at_most": " of at most {max}",
        "write_text": "Write your answer in the box.",
        "write_date": "Write the date: day, month, year",
        "date_from_to": ", from {min} to {max}",
        "date_on_or_after": ", on or after {min}",
        "date_on_or_before": ", on or before {max}",
        "day_box": "DD",
        "month_box": "MM",
        "year_box": "YYYY",
        "legend_date_answer": "the date as YYYY-MM-DD (the form's boxes read day, month, year)",
        "only_if": "Only if {condition}.",
        "cond_answered_value": "you answered {values} to question {n}",
        "cond_not_value": "you did not answer {values} to question {n}",
        "cond_gt": "your answer to question {n} is more than {value}",
        "cond_ge": "your answer to question {n} is at least {value}",
        "cond_lt": "your answer to question {n} is less than {value}",
        "cond_le": "your answer to question {n} is at most {value}",
        "cond_answered": "you answered question {n}",
        "cond_not_answered": "you did not answer question {n}",
        "cond_not": "it is not so that {condition}",
        "and": " and ",
        "or": " or ",
        "legend_required": "required",
        "legend_several": "several codes separated by spaces",
        "legend_rating": "a whole number {min}-{max}",
        "legend_text": "the text as written",
        "legend_number": "the No. written on the paper form (required; each form once: a No. "
        "already entered with other answers is refused)",
        "legend_language": "the language of the form: {languages} (empty: {default})",
        "legend_date": "the date the form was filled in, as YYYY-MM-DD (empty: {default})",
        "legend_date_required": "the date the form was filled in, as YYYY-MM-DD (required)",
    },
    "nl": {
        "form": "Formulier",
        "number": "Nr.",
        "office_use": "in te vullen door de organisatie",
        "page_of": "Pagina {n} van {total}",
        "question": "Vraag {n}",
        "required_mark": "(verplicht)",
        "instructions": "Zet een kruisje in het vakje van uw antwoord. Wilt u een antwoord "
        "veranderen? Kleur dan het verkeerde vakje helemaal in en kruis het goede aan.",
        "anonymous": "Dit formulier is anoniem: schrijf er alstublieft niet uw naam op.",
        "online": "Liever online antwoorden? Scan de code of ga naar {link}",
        "qr_alt": "QR-code van {link}",
        "hand_in": "Geef dit formulier alstublieft af bij de organisatoren.",
        "tick_one": "Kruis één vakje aan.",
        "tick_row": "Kruis in elke rij één vakje aan.",
        "tick_any": "Kruis alles aan wat van toepassing is.",
        "tick_at_least": "Kruis alles aan wat van toepassing is (minstens {min}).",
        "tick_at_most": "Kruis er hoogstens {max} aan.",
        "tick_between": "Kruis er {min} tot {max} aan.",
        "before": "Vóór het seminar",
        "now": "Nu",
        "yes": "Ja",
        "no": "Nee",
        "write_number": "Schrijf een getal",
        "write_whole": "Schrijf een geheel getal",
        "from_to": " van {min} tot en met {max}",
        "at_least": " van minstens {min}",
        "at_most": " van hoogstens {max}",
        "write_text": "Schrijf uw antwoord in het vak.",
        "write_date": "Schrijf de datum: dag, maand, jaar",
        "date_from_to": ", van {min} tot en met {max}",
        "date_on_or_after": ", op of na {min}",
        "date_on_or_before": ", op of voor {max}",
        "day_box": "DD",
        "month_box": "MM",
        "year_box": "JJJJ",
        "legend_date_answer": "de datum als JJJJ-MM-DD (de vakjes op het formulier: dag, maand, "
        "jaar)",
        "only_if": "Alleen als {condition}.",
        "cond_answered_value": "u bij vraag {n} {values} hebt geantwoord",
        "cond_not_value": "u bij vraag {n} niet {values} hebt geantwoord",
        "cond_gt": "uw antwoord op vraag {n} meer dan {value} is",
        "cond_ge": "uw antwoord op vraag {n} minstens {value} is",
        "cond_lt": "uw antwoord op vraag {n} minder dan {value} is",
        "cond_le": "uw antwoord op vraag {n} hoogstens {value} is",
        "cond_answered": "u vraag {n} hebt beantwoord",
        "cond_not_answered": "u vraag {n} niet hebt beantwoord",
        "cond_not": "niet geldt dat {condition}",
        "and": " en ",
        "or": " of ",
        "legend_required": "verplicht",
        "legend_several": "meerdere codes, gescheiden door spaties",
        "legend_rating": "een geheel getal {min}-{max}",
        "legend_text": "de tekst zoals geschreven",
        "legend_number": "het nummer dat op het papieren formulier is geschreven (verplicht; elk "
        "formulier één keer: een nummer dat al met andere antwoorden is ingevoerd, wordt "
        "geweigerd)",
        "legend_language": "de taal van het formulier: {languages} (leeg: {default})",
        "legend_date": "de datum waarop het formulier is ingevuld, als JJJJ-MM-DD (leeg: {default})",
        "legend_date_required": "de datum waarop het formulier is ingevuld, als JJJJ-MM-DD "
        "(verplicht)",
    },
}


def words(language: str) -> dict[str, str]:
    """The words in ``language`` (the paper form's and those of keying it in), English for any
    word or language not translated."""
    return paper_entry.words(language) | words_in(WORDS, language)


def yes_no_words() -> dict[str, bool]:
    """Every language's yes and no, lower case, for reading a yes/no cell written out."""
    out: dict[str, bool] = {}
    for table in WORDS.values():
        out[table["yes"].casefold()] = True
        out[table["no"].casefold()] = False
    return out


def forms_entered(count: int, language: str) -> str:
    """How many paper forms are entered, in agreement with the number: ``1 form entered``,
    ``2 forms entered`` (``1 formulier ingevoerd``, ``2 formulieren ingevoerd``)."""
    return paper_entry.forms_entered(count, language)
