"""Write seminar.xlsx: an XLSForm in the style of KoboToolbox's templates (start/end metadata,
groups shown as one page, labels and hints in English and French as ``label::Français (fr)``,
relevance, a note, integer, decimal, date, select_one, select_multiple and text questions).

Run ``python tests/data/xlsform/make_seminar.py`` to write it again; the tests read the file.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

EN, FR = "label::English (en)", "label::Français (fr)"
HINT_EN, HINT_FR = "hint::English (en)", "hint::Français (fr)"
SURVEY = [
    "type",
    "name",
    EN,
    FR,
    HINT_EN,
    HINT_FR,
    "required",
    "relevant",
    "constraint",
    "appearance",
]
ROWS: list[dict[str, str]] = [
    {"type": "start", "name": "start"},
    {"type": "end", "name": "end"},
    {
        "type": "begin_group",
        "name": "about_you",
        EN: "About you",
        FR: "À propos de vous",
        "appearance": "field-list",
    },
    {
        "type": "note",
        "name": "welcome",
        EN: "Your answers are anonymous.",
        FR: "Vos réponses sont anonymes.",
    },
    {
        "type": "select_one role",
        "name": "role",
        EN: "What is your role?",
        FR: "Quel est votre rôle ?",
        "required": "yes",
    },
    {
        "type": "integer",
        "name": "years_in_office",
        EN: "How many years have you been in office?",
        FR: "Depuis combien d'années exercez-vous votre mandat ?",
        "relevant": "${role} = 'mp'",
        "constraint": ". >= 0 and . <= 60",
    },
    {
        "type": "integer",
        "name": "age",
        EN: "How old are you?",
        FR: "Quel âge avez-vous ?",
        "constraint": ". >= 18 and . <= 120",
    },
    {
        "type": "select_one yes_no",
        "name": "first_seminar",
        EN: "Is this your first seminar with us?",
        FR: "Est-ce votre premier séminaire avec nous ?",
    },
    {"type": "end_group"},
    {
        "type": "begin_group",
        "name": "seminar",
        EN: "The seminar",
        FR: "Le séminaire",
        "appearance": "field-list",
    },
    {
        "type": "date",
        "name": "attended_on",
        EN: "On which day did you attend?",
        FR: "Quel jour étiez-vous présent ?",
    },
    {
        "type": "decimal",
        "name": "hours",
        EN: "How many hours did you attend?",
        FR: "Combien d'heures avez-vous assisté ?",
        HINT_EN: "For example 2.5",
        HINT_FR: "Par exemple 2,5",
        "constraint": ". >= 0 and . <= 24",
    },
    {
        "type": "select_multiple topics",
        "name": "topics",
        EN: "Which sessions were useful?",
        FR: "Quelles sessions ont été utiles ?",
        "appearance": "minimal",
    },
    {
        "type": "text",
        "name": "topics_other",
        EN: "Which other session?",
        FR: "Quelle autre session ?",
        "relevant": "selected(${topics}, 'other')",
    },
    {
        "type": "select_one usefulness",
        "name": "usefulness",
        EN: "How useful was the seminar?",
        FR: "Le séminaire a-t-il été utile ?",
        "relevant": "${age} >= 18 and not(${role} = 'other')",
    },
    {
        "type": "text",
        "name": "comments",
        EN: "Any comments?",
        FR: "Des commentaires ?",
        "appearance": "multiline",
        "relevant": "${first_seminar} = 'yes' or ${hours} > 2",
    },
    {"type": "end_group"},
]
CHOICES = [
    ("role", "mp", "Member of parliament", "Parlementaire"),
    ("role", "ngo", "NGO", "ONG"),
    ("role", "police", "Police", "Police"),
    ("role", "other", "Other", "Autre"),
    ("yes_no", "yes", "Yes", "Oui"),
    ("yes_no", "no", "No", "Non"),
    ("topics", "prevention", "Prevention", "Prévention"),
    ("topics", "victims", "Protection of victims", "Protection des victimes"),
    ("topics", "rapporteur", "The National Rapporteur", "Le rapporteur national"),
    ("topics", "other", "Other", "Autre"),
    ("usefulness", "not_useful", "Not useful", "Pas utile"),
    ("usefulness", "useful", "Useful", "Utile"),
    ("usefulness", "very_useful", "Very useful", "Très utile"),
]


def main() -> None:
    path = Path(__file__).with_name("seminar.xlsx")
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(SURVEY)
    for row in ROWS:
        survey.append([row.get(column) for column in SURVEY])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", EN, FR])
    for item in CHOICES:
        choices.append(list(item))
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(["Seminar feedback", "seminar-feedback", "2026011401", "English (en)"])
    book.save(path)


if __name__ == "__main__":
    main()
