"""The offline form draws a question type from a plugin through the type's ``offline``
rendering: a component file of the plugin's package, inlined after the core's modules (and
allowed by its hash), that registers the type with ``feedback.registerType``. In headless
Chromium the component draws the question, reads what was typed and parses it; the response
file it saves is stored by an engine with the plugin."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from email_question import EmailPlugin
from helpers import chromium_browser
from offline_form_helpers import Blocks, Laptop, write_form

from feedback.engine import Engine
from feedback_offline.standalone import SCRIPTS

CONTACT = """\
id: contact
title: Contact
questions:
  - {id: score, type: rating, label: Score, min: 1, max: 5, required: true}
  - {id: email, type: email, label: Your e-mail address, help: For the report}
  - {id: why, type: text, label: Why so low, show_if: {score: {le: 2}}}
"""
COMPONENT = (resources.files("email_question") / "email.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with chromium_browser() as browser:
        yield browser


@pytest.fixture
def laptop(chromium: Any) -> Iterator[Laptop]:
    machine = Laptop(chromium)
    yield machine
    machine.close()


@pytest.fixture
def form(project: Path, make_engine: Callable[..., Engine]) -> Path:
    (project / "surveys" / "contact.yaml").write_text(CONTACT, encoding="utf-8")
    make_engine(EmailPlugin())
    out = project / "contact.html"
    result = write_form(
        project, "--event", "hague-2011", "--survey", "contact", "-o", str(out),
        plugins=(EmailPlugin(),),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_the_component_is_inlined_after_the_core_and_allowed_by_its_hash(form: Path) -> None:
    blocks = Blocks(form.read_text(encoding="utf-8"))
    assert len(blocks.scripts) == len(SCRIPTS) + 1
    assert blocks.scripts[3] == COMPONENT.replace("\r\n", "\n")  # after conditions, answers, types
    digest = base64.b64encode(hashlib.sha256(blocks.scripts[3].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in blocks.policy()["script-src"]


def test_a_plugin_type_is_drawn_read_and_parsed_by_its_component(
    form: Path, laptop: Laptop, make_engine: Callable[..., Engine], tmp_path: Path
) -> None:
    page = laptop.page
    laptop.open(form)
    assert page.get_attribute("#q-email-input", "type") == "email"
    assert page.get_attribute("[data-question=email]", "data-type") == "email"
    assert page.get_attribute("#q-email-input", "aria-describedby") == "q-email-help"

    page.check("#q-score-2")  # show_if with the core's parser: "2" is the number 2
    page.wait_for_selector("#q-why-input", state="visible", timeout=2000)
    page.check("#q-score-4")
    page.wait_for_selector("#q-why-input", state="hidden", timeout=2000)
    page.fill("#q-email-input", "not an address")
    laptop.next()
    assert page.inner_text("#q-email-error") == "enter an e-mail address, like name@example.org"
    assert page.get_attribute("#q-email-input", "aria-invalid") == "true"
    assert page.input_value("#q-email-input") == "not an address"  # what was typed stays
    assert laptop.axe() == []

    page.fill("#q-email-input", "  Ann@Example.ORG ")
    name, _, content = laptop.download("#next", tmp_path)
    response = content["response"]
    assert response["answers"] == {"score": 4, "email": "Ann@example.org"}
    assert laptop.problems == [] and laptop.outside == []
    engine = make_engine(EmailPlugin(), event=False)
    result = engine.submit_many([(name, response)])
    assert (result.stored, result.rejected) == (1, [])
