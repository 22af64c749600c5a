"""``feedback kiosk``: its options, its errors, the PIN hash, and the event it collects for.

(Named ``test_kiosk_cli.py``: ``tests/core/test_cli.py`` holds the basename ``test_cli``.)
"""

from __future__ import annotations

import signal
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import EVENT, run

from feedback.cli import cli
from feedback.errors import UnknownEvent
from feedback_kiosk.app import KioskApp
from feedback_kiosk.cli import DEFAULT_EVENT, PIN_ENV, choose_event
from feedback_kiosk.pin import check_pin


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Apps the command starts; instead of running, each is recorded with the SIGINT handler."""
    apps: list[dict[str, Any]] = []

    def fake_run(self: KioskApp, *args: Any, **kwargs: Any) -> None:
        apps.append({"app": self, "sigint": signal.getsignal(signal.SIGINT)})

    monkeypatch.setattr(KioskApp, "run", fake_run)
    return apps


def test_help_describes_the_kiosk(project):
    result = run(project, "kiosk", "--help")
    assert result.exit_code == 0, result.output
    for option in ("--event", "--lang", "--unlocked", "--data-entry", "--hash-pin"):
        assert option in result.output
    assert "Ctrl+O" in result.output


def test_a_language_the_survey_lacks_is_refused(project, engine, started):
    result = run(project, "kiosk", "--lang", "xx")
    assert result.exit_code == 2
    assert "--lang: the survey has en, nl, not 'xx'" in result.output
    assert started == []


def test_an_unknown_event_is_refused_with_a_suggestion(project, engine, started):
    result = run(project, "kiosk", "--event", "hague-2012")
    assert result.exit_code == 2
    assert "unknown event 'hague-2012'" in result.output
    assert "did you mean 'hague-2011'?" in result.output
    assert started == []


def test_an_idle_timeout_must_be_positive(project, engine, started):
    result = run(project, "kiosk", "--idle-timeout", "0")
    assert result.exit_code == 2
    assert "--idle-timeout" in result.output


def test_hash_pin_prints_a_hash_the_kiosk_accepts(project):
    result = CliRunner().invoke(
        cli, ["--project", str(project), "kiosk", "--hash-pin"], input="1234\n1234\n"
    )
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("pin_hash = "))
    stored = line.removeprefix("pin_hash = ").strip('"')
    assert check_pin("1234", stored)
    assert not check_pin("4321", stored)
    assert "1234" not in result.output.replace("Staff PIN", "")  # never echoed


def test_hash_pin_refuses_a_short_pin(project):
    result = CliRunner().invoke(
        cli, ["--project", str(project), "kiosk", "--hash-pin"], input="12\n12\n"
    )
    assert result.exit_code == 2
    assert "at least 4 characters" in result.output


def test_the_command_starts_a_locked_kiosk_that_ignores_ctrl_c(
    project, engine, started, monkeypatch
):
    monkeypatch.setenv(PIN_ENV, "2468")
    before = signal.getsignal(signal.SIGINT)
    result = run(project, "kiosk", "--lang", "nl", "--idle-timeout", "30")
    assert result.exit_code == 0, result.output
    [start] = started
    app, options = start["app"], start["app"].options
    assert options.event == EVENT["id"]
    assert options.survey.id == "post-seminar"
    assert options.language == "nl"
    assert options.locked and not options.data_entry
    assert options.idle_timeout == 30
    assert options.idle_warning <= 15
    assert check_pin("2468", options.pin_hash)
    assert app.engine.settings.busy_timeout < engine.settings.busy_timeout  # spool, not wait
    assert start["sigint"] == signal.SIG_IGN  # Ctrl+C sent as a signal does nothing either
    assert signal.getsignal(signal.SIGINT) == before  # and is restored afterwards


def test_without_a_pin_the_command_makes_one_for_the_session(project, engine, started):
    result = run(project, "kiosk")
    assert result.exit_code == 0, result.output
    assert "No staff PIN is set, so this session's PIN is " in result.output
    pin = result.output.split("this session's PIN is ")[1][:4]
    assert check_pin(pin, started[0]["app"].options.pin_hash)


def test_unlocked_data_entry(project, engine, started):
    result = run(project, "kiosk", "--unlocked", "--data-entry")
    assert result.exit_code == 0, result.output
    options = started[0]["app"].options
    assert not options.locked and options.pin_hash is None
    assert options.data_entry
    assert started[0]["sigint"] != signal.SIG_IGN


def test_choose_event_makes_a_default_event_on_an_empty_database(make_engine, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773144000")  # the core's clock: 10 March 2026
    engine = make_engine(event=False)
    assert choose_event(engine, None) == DEFAULT_EVENT["id"]
    event = engine.store.event(DEFAULT_EVENT["id"])
    assert event is not None
    assert event["title"] == DEFAULT_EVENT["title"]
    assert event["date"] == "2026-03-10"
    assert choose_event(engine, None) == DEFAULT_EVENT["id"]  # made once
    assert len(engine.store.events()) == 1


def test_choose_event_takes_the_given_or_else_the_latest_dated_event(engine):
    engine.store.upsert_event({"id": "undated", "title": "Undated"})
    engine.store.upsert_event({"id": "berlin-2012", "title": "Berlin", "date": "2012-03-01"})
    assert choose_event(engine, "undated") == "undated"
    assert choose_event(engine, None) == "berlin-2012"
    with pytest.raises(UnknownEvent, match="did you mean 'berlin-2012'"):
        choose_event(engine, "berlin-2013")
