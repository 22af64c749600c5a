"""Every message has a plain-text part that says what its HTML part says, also when the project's
``templates/email/`` gives an HTML template and no text template."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from pathlib import Path

from email_helpers import EVENT, Server, check_html, parts, tokens
from helpers import run

from feedback.invitations import Invitations, utcnow
from feedback.store import Store
from feedback_email.plaintext import html_to_text

OWN_HTML = """\
<!DOCTYPE html>
<html lang="{{ language }}">
<head><title>{{ subject }}</title><style>p { color: red; }</style></head>
<body>
<h1>Seminar &amp; follow-up</h1>
<p>Hello {{ name }},</p>
<p>Please tell us how
   {{ event.title }} went:</p>
<ul><li>five questions,</li><li>two minutes.</li></ul>
<p><a href="{{ link }}">Start the survey</a></p>
<p>The team</p>
</body>
</html>
"""


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    """The two parts, the text with the line ends of a Python string."""
    text, html = parts(message)
    return text.replace("\r\n", "\n"), html


def write_template(project: Path, name: str, text: str) -> None:
    folder = project / "templates" / "email"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_a_project_html_template_alone_gives_a_text_part_with_its_words(
    mail_project: Path, smtp: Server
) -> None:
    write_template(mail_project, "invitation.html.j2", OWN_HTML)

    result = run(mail_project, "invite", "--event", EVENT)

    assert result.exit_code == 0, result.output
    for address in ("brian@example.org", "anna@example.nl", "chloe@example.fr"):
        [message] = smtp.handler.to(address)
        text, html = text_and_html(message)  # multipart/alternative with text/plain and text/html
        [link] = [href for href, _ in check_html(html).links]
        name = message["To"].addresses[0].display_name
        assert text == (
            "Seminar & follow-up\n\n"
            f"Hello {name},\n\n"
            "Please tell us how Good practice exchange went:\n\n"
            "- five questions,\n"
            "- two minutes.\n\n"
            f"Start the survey: {link}\n\n"
            "The team\n"
        )
        assert len(tokens(text)) == 1
        assert "Dear" not in text and "Beste" not in text  # not the shipped text's words


def test_a_language_html_template_alone_is_not_paired_with_the_general_text(
    mail_project: Path, smtp: Server
) -> None:
    write_template(mail_project, "reminder.txt.j2", "Reminder for {{ name }}: {{ link }}\n")
    write_template(
        mail_project,
        "reminder.nl.html.j2",
        '<!DOCTYPE html>\n<html lang="nl"><head><title>{{ subject }}</title></head><body>'
        '<p>Beste {{ name }}, <a href="{{ link }}">vul de vragenlijst in</a>.</p></body></html>\n',
    )
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0
    with Store(mail_project / "feedback.db") as store:
        invitations = Invitations(store)
        for invitation in invitations.list(EVENT):
            invitations.mark_sent(invitation, "smtp", now=utcnow() - dt.timedelta(days=8))

    assert run(mail_project, "remind", "--event", EVENT).exit_code == 0

    anna_text, anna_html = text_and_html(smtp.handler.to("anna@example.nl")[1])
    [link] = [href for href, _ in check_html(anna_html).links]
    assert anna_text == f"Beste Anna de Vries, vul de vragenlijst in: {link}.\n"
    brian_text, _ = text_and_html(smtp.handler.to("brian@example.org")[1])
    assert brian_text.startswith("Reminder for Brian O'Neill: https://")  # the project's text


def test_the_shipped_text_part_is_kept_when_the_project_gives_none(
    mail_project: Path, smtp: Server
) -> None:
    assert run(mail_project, "invite", "--event", EVENT).exit_code == 0

    text, _ = text_and_html(smtp.handler.to("brian@example.org")[0])
    assert text.startswith("Dear Brian O'Neill,\n\nThank you for taking part in")


def test_html_to_text_keeps_words_and_links_and_drops_the_head() -> None:
    html = (
        "<html><head><title>T</title><script>x()</script></head><body>"
        "<p>One<br>two &lt;three&gt;</p><div>Mail <a href='mailto:a@b.org'>a@b.org</a> or "
        "<a href='https://x.org/'>https://x.org/</a> or <a href='https://y.org/'>here</a></div>"
        "</body></html>"
    )

    assert html_to_text(html) == (
        "One\ntwo <three>\n\nMail a@b.org or https://x.org/ or here: https://y.org/\n"
    )
