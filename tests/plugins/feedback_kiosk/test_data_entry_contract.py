"""Data entry asks the core for paper forms (the ``paper_entry`` hook) and imports no plugin: any
plugin that answers the hook is keyed in through, none answering is said plainly; and what is wrong
with a form's heading is said in the kiosk's language, with no hint meant for a spreadsheet."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import EVENT
from kiosk_helpers import go_to, press, rows, submit, text_of, wait_for
from paper_entry_plugin import NumberedForms, NumberedFormsPlugin
from textual.pilot import Pilot
from textual.widgets import Input

from feedback.engine import Engine
from feedback_kiosk.app import KioskApp

Kiosk = Callable[..., KioskApp]


def field(app: KioskApp, name: str) -> Input:
    return app.screen.query_one(f"#field-{name}", Input)


async def key_heading(pilot: Pilot, number: str, language: str = "", date: str = "") -> None:
    """On the heading screen: each field typed over (empty for empty), then Enter."""
    app = pilot.app
    assert isinstance(app, KioskApp) and app.screen.id == "heading"
    for name, value in (("number", number), ("language", language), ("date", date)):
        field(app, name).value = value
    field(app, "number").focus()
    await press(pilot, "enter")


async def key_form(pilot: Pilot) -> None:
    await go_to(pilot, "q:role")
    await press(pilot, "1", "enter")
    await submit(pilot)


@pytest.mark.asyncio
async def test_heading_problems_are_in_the_kiosks_language(kiosk: Kiosk, engine: Engine) -> None:
    app = kiosk(data_entry=True, language="nl")
    async with app.run_test(size=(100, 30)) as pilot:
        await key_heading(pilot, "", "fr", "2011-13-40")
        assert app.screen.id == "heading"
        assert text_of(app, "#error-number") == (
            "verwacht het nummer dat op het papieren formulier staat, gevonden: niets"
        )
        assert text_of(app, "#error-language") == (
            "verwacht een van en, nl (of niets voor en), gevonden: 'fr'"
        )
        assert text_of(app, "#error-date") == (
            "verwacht een datum als JJJJ-MM-DD, gevonden: '2011-13-40'"
        )
        await key_heading(pilot, "nr 4")
        assert text_of(app, "#error-number") == (
            "verwacht het nummer dat op het papieren formulier staat (een geheel getal vanaf 1), "
            "gevonden: 'nr 4'"
        )
    assert rows(engine) == []


@pytest.mark.asyncio
async def test_a_wrong_date_on_the_kiosk_has_no_spreadsheet_hint(kiosk: Kiosk) -> None:
    app = kiosk(data_entry=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await key_heading(pilot, "3", "en", "26/01/2011")
        assert text_of(app, "#error-date") == "expected a date as YYYY-MM-DD, found '26/01/2011'"


@pytest.mark.asyncio
async def test_forms_are_keyed_in_through_any_plugin_that_answers_paper_entry(
    kiosk: Kiosk, make_engine: Callable[..., Engine]
) -> None:
    """No offline plugin here: a third party's paper forms, found through the hook alone."""
    plugin = NumberedFormsPlugin()
    engine = make_engine(plugin)
    assert "offline" not in [name for name, _ in engine.pm.list_name_plugin()]
    app = kiosk(data_entry=True, on=engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await key_heading(pilot, "5", "nl")
        assert app.screen.id == "survey"
        await key_form(pilot)
        await wait_for(pilot, lambda: app.screen.id == "heading")
        assert text_of(app, "#status") == "1 form entered"
        await key_heading(pilot, "5")  # entered already: the plugin's check, the core's words
        assert text_of(app, "#error-number").startswith("Form No. 5 is already entered")
    [stored] = rows(engine)
    forms = NumberedForms(engine, dict(EVENT), app.survey)
    assert stored["id"] == forms.response_id(5)
    assert (stored["channel"], stored["language"], stored["submitted"]) == (
        "paper",
        "nl",
        EVENT["date"],
    )
    assert plugin.calls and all(call[0] is engine for call in plugin.calls)


@pytest.mark.asyncio
async def test_with_no_plugin_for_paper_forms_the_heading_says_so(
    kiosk: Kiosk, make_engine: Callable[..., Engine]
) -> None:
    engine = make_engine()  # the formats plugin only
    app = kiosk(data_entry=True, on=engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await key_heading(pilot, "5")
        assert app.screen.id == "heading"
        assert text_of(app, "#error-number").startswith("no plugin keys in paper forms")
    assert rows(engine) == []


def test_the_command_refuses_data_entry_with_no_plugin_for_paper_forms(
    project: Path, engine: Engine
) -> None:
    """A real process (its plugins are loaded once per process, from entry points): the offline
    plugin not allowed, ``--data-entry`` is refused before the kiosk starts."""
    result = subprocess.run(
        [sys.executable, "-m", "feedback", "--project", str(project), "kiosk", "--data-entry"],
        env={**os.environ, "FEEDBACK_LOAD_PLUGINS": "formats,kiosk", "FEEDBACK_KIOSK_PIN": "2468"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,  # without the check the kiosk would start and wait
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--data-entry: no plugin keys in paper forms" in result.stderr
    assert "FEEDBACK_LOAD_PLUGINS" in result.stderr
