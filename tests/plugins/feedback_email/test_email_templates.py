"""Organisers' own templates in the project's templates/email/ folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from email_helpers import EVENT, Server, check_html, parts, tokens
from helpers import dump, run

from feedback.invitations import Invitations, utcnow
from feedback.store import Store


def backdate_all(project: Path) -> None:
    """Every invitation as if sent eight days ago: due for a reminder."""
    with Store(project / "feedback.db") as store:
        invitations = Invitations(store)
        for invitation in invitations.list(EVENT):
            invitations.mark_sent(invitation, "smtp", now=utcnow() - dt.timedelta(days=8))


def write_template(project: Path, name: str, text: str) -> Path:
    folder = project / "templates" / "email"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_project_templates_win_general_and_language_specific(
    mail_project: Path, smtp: Server
) -> None:
    write_template(mail_project, "invitation.txt.j2", "Hello {{ name }}!\n{{ link }}\n")
    write_template(
        mail_project,
        "invitation.nl.subject.j2",
        "Uitnodiging: {{ event.title }} ({{ event.date }}, {{ event.city }})",
    )

    result = run(mail_project, "invite", "--event", EVENT)

    assert result.exit_code == 0, result.output
    anna = smtp.handler.to("anna@example.nl")[0]
    text, html = parts(anna)
    assert anna["Subject"] == "Uitnodiging: Good practice exchange (26 januari 2011, The Hague)"
    assert text.splitlines()[0] == "Hello Anna de Vries!"
    assert len(tokens(text)) == 1
    assert "Vul de vragenlijst in" in html  # the shipped HTML, in Dutch
    brian = smtp.handler.to("brian@example.org")[0]
    text, html = parts(brian)
    assert brian["Subject"] == "Your feedback on Good practice exchange"  # shipped subject
    assert text.splitlines()[0] == "Hello Brian O'Neill!"
    assert check_html(html).problems == []


def test_project_html_templates_are_autoescaped(mail_project: Path, smtp: Server) -> None:
    write_template(
        mail_project,
        "invitation.html.j2",
        '<!DOCTYPE html>\n<html lang="{{ language }}"><head><title>{{ subject }}</title></head>'
        '<body><p>{{ event.title }} &amp; {{ "<b>" }}</p><a href="{{ link }}">{{ words.link_text }}'
        "</a></body></html>\n",
    )

    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0

    _, html = parts(smtp.handler.to("brian@example.org")[0])
    assert "&amp; &lt;b&gt;" in html
    assert check_html(html).problems == []


def test_a_broken_template_stops_the_run_naming_file_and_line(
    mail_project: Path, smtp: Server
) -> None:
    write_template(mail_project, "invitation.html.j2", "<p>\n{% if name %}\n<b>oops</b>\n")
    before = dump(mail_project / "feedback.db")

    result = run(mail_project, "invite", "--event", EVENT)

    assert result.exit_code == 2
    assert "invitation.html.j2:" in result.stderr
    assert "endif" in result.stderr
    assert smtp.handler.received == []
    assert dump(mail_project / "feedback.db") == before


def test_an_unknown_variable_is_an_error_not_a_blank(mail_project: Path, smtp: Server) -> None:
    path = write_template(mail_project, "reminder.en.subject.j2", "A reminder for {{ nmae }}")
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0  # reminders only
    before = dump(mail_project / "feedback.db")

    result = run(mail_project, "remind", "--event", EVENT)

    assert result.exit_code == 2
    assert f"{path}:1" in result.stderr and "'nmae' is undefined" in result.stderr
    assert dump(mail_project / "feedback.db") == before


FRENCH_SURVEY = """\
id: seminaire
title: {fr: "Évaluation du séminaire", en: "Seminar evaluation"}
languages: [fr, en]
questions:
  - id: useful
    type: yes_no
    label: {fr: "Utile ?", en: "Useful?"}
"""


def test_a_language_without_words_is_written_in_english_unless_the_project_has_templates(
    mail_project: Path, smtp: Server
) -> None:
    (mail_project / "surveys" / "seminaire.yaml").write_text(FRENCH_SURVEY, encoding="utf-8")

    assert run(mail_project, "invite", "--event", EVENT, "--survey", "seminaire").exit_code == 0

    chloe = smtp.handler.to("chloe@example.fr")[0]
    text, html = parts(chloe)
    assert chloe["Content-Language"] == "en"  # the plugin has no French words
    assert check_html(html).lang == "en"
    assert text.startswith("Dear Chloé Dupont,")
    assert "Fill in the questionnaire (Évaluation du séminaire)" in text  # the form: French

    write_template(mail_project, "reminder.fr.subject.j2", "Rappel : {{ event.title }}")
    write_template(mail_project, "reminder.fr.txt.j2", "Bonjour {{ name }}, {{ link }}\n")
    write_template(
        mail_project,
        "reminder.fr.html.j2",
        '<!DOCTYPE html>\n<html lang="{{ language }}"><head><title>{{ subject }}</title></head>'
        '<body><p><a href="{{ link }}">Répondre</a></p></body></html>\n',
    )
    backdate_all(mail_project)
    assert run(mail_project, "remind", "--event", EVENT, "--survey", "seminaire").exit_code == 0

    reminder = smtp.handler.to("chloe@example.fr")[1]
    text, html = parts(reminder)
    assert reminder["Content-Language"] == "fr"
    assert reminder["Subject"] == "Rappel : Good practice exchange"
    assert check_html(html).lang == "fr"
    assert smtp.handler.to("brian@example.org")[1]["Content-Language"] == "en"
