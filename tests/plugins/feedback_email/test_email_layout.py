"""The HTML part of the invitation and the reminder in headless Chromium, as a phone (360x740)
and a laptop (1280x800) show it: nothing wider than the screen, the text no wider than 600 px,
a link a thumb can hit, axe-core's WCAG 2.1 AA rules without a violation. A screenshot of each
is kept in ``FEEDBACK_ARTIFACTS`` (default ``test-artifacts/``)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from email_helpers import EVENT, Server, check_html, parts
from helpers import AXE, ROOT, WCAG_21_AA, chromium_browser, run

from feedback.invitations import Invitations, utcnow
from feedback.store import Store
from feedback_email.compose import SHIPPED_TEMPLATES

ARTIFACTS = Path(os.environ.get("FEEDBACK_ARTIFACTS") or ROOT / "test-artifacts")
FIXED_WIDTH = re.compile(r"(?<![-\w])(?:min-)?width\s*[:=]\s*\"?\d+(?:px)?(?![\d%])")
SIZES = {"phone": (360, 740), "laptop": (1280, 800)}

#: what a message looks like on a screen: overflow, the width of its text, its links
MEASURE = """() => {
  const root = document.documentElement;
  const texts = [...document.querySelectorAll('p')].map(p => p.getBoundingClientRect());
  const links = [...document.querySelectorAll('a')].map(a => {
    const box = a.getBoundingClientRect();
    return {text: a.textContent.trim(), width: box.width, height: box.height};
  });
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5)
    .map(e => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 40));
  return {
    overflow: root.scrollWidth - root.clientWidth,
    wide: wide,
    text_width: Math.max(...texts.map(b => b.width)),
    links: links,
  };
}"""


def sent_messages(project: Path, smtp: Server) -> dict[str, str]:
    """The HTML parts of Brian's invitation and reminder (English) and Anna's reminder (Dutch)."""
    assert run(project, "invite", "--event", EVENT).exit_code == 0
    with Store(project / "feedback.db") as store:
        invitations = Invitations(store)
        for invitation in invitations.list(EVENT):
            invitations.mark_sent(invitation, "smtp", now=utcnow() - dt.timedelta(days=8))
    assert run(project, "remind", "--event", EVENT).exit_code == 0
    brian = smtp.handler.to("brian@example.org")
    anna = smtp.handler.to("anna@example.nl")
    return {
        "invitation": parts(brian[0])[1],
        "reminder": parts(brian[1])[1],
        "reminder-nl": parts(anna[1])[1],
    }


def test_the_html_messages_fit_a_phone_and_pass_axe(mail_project: Path, smtp: Server) -> None:
    messages = sent_messages(mail_project, smtp)
    for html in messages.values():
        assert check_html(html).problems == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, Any] = {}
    violations: dict[str, list[tuple[str, str, int]]] = {}
    with chromium_browser() as browser:
        for name, html in messages.items():
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                try:
                    page.set_content(html)
                    found[f"{name} {size}"] = page.evaluate(MEASURE)
                    page.evaluate(AXE.read_text(encoding="utf-8"))
                    result = page.evaluate(
                        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                        WCAG_21_AA,
                    )
                    violations[f"{name} {size}"] = [
                        (v["id"], v["help"], len(v["nodes"])) for v in result["violations"]
                    ]
                    shot = ARTIFACTS / f"email-{name}-{width}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    assert shot.stat().st_size > 5_000
                finally:
                    page.close()
    assert {k: v for k, v in violations.items() if v} == {}
    assert {k: (v["overflow"], v["wide"]) for k, v in found.items() if v["overflow"] > 0} == {}
    for key, measured in found.items():
        # the lines of text are never wider than 600 px: readable on a laptop too
        assert measured["text_width"] <= 600, key
        # the personal link is a button a thumb can hit: 44 px high at least, and at least
        # three quarters of the text's width on a phone
        button = measured["links"][0]
        assert button["height"] >= 44, (key, button)
        if key.endswith("phone"):
            assert button["width"] >= 0.75 * measured["text_width"], (key, button)


def test_the_shipped_html_templates_have_no_fixed_widths() -> None:
    """Only ``max-width`` in pixels: a fixed width would make a phone scroll sideways."""
    found = [
        (path.name, match.group(0))
        for path in sorted(SHIPPED_TEMPLATES.glob("*.html.j2"))
        for match in FIXED_WIDTH.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
