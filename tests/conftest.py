"""Shared fixtures: an isolated project directory, settings and engines on a real SQLite file.

Plain helpers (the event, engine and response builders, the command line) are in ``helpers.py``.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import EVENT, open_engine, pm_with_formats, run

from feedback.engine import Engine

#: The plugin-author kit (tests/kit uses it as a plugin's own tests would); its fixtures are all
#: named feedback_* or after what they make, so they hide none of the fixtures below.
pytest_plugins = ["feedback.testing"]

# -- markers: browser and slow, by what a test uses --------------------------------------------

#: A test whose own code or any of whose fixtures' code holds one of these is marked ``browser``.
BROWSER_CALLS = ("chromium_browser(",)
#: ... and one holding one of these is marked ``slow``: it starts whole processes.
PROCESS_CALLS = ("subprocess.", "Popen(", "tmux")
#: Tests (or whole modules) measured at several seconds each that the rules above do not catch,
#: by node id prefix: long walks through the kiosk under Pilot, the kiosk's snapshots, and waits
#: for SQLite's busy timeout. Re-measure with ``python3 -m pytest -n auto --durations=40``.
SLOW_TESTS: tuple[str, ...] = (
    "tests/core/test_store.py::test_second_writer_waits_instead_of_failing",
    "tests/core/test_store.py::test_writer_gives_up_after_busy_timeout_and_nothing_is_written",
    "tests/plugins/feedback_kiosk/test_app.py::test_a_full_fill_in_of_the_shipped_survey_",
    "tests/plugins/feedback_kiosk/test_app.py::test_show_if_follows_the_answers_as_they_change",
    "tests/plugins/feedback_kiosk/test_app.py::test_an_answer_to_a_question_hidden_later_",
    "tests/plugins/feedback_kiosk/test_app.py::test_a_change_that_brings_in_a_question_",
    "tests/plugins/feedback_kiosk/test_app.py::test_the_review_lists_the_answers_",
    "tests/plugins/feedback_kiosk/test_app.py::test_back_with_escape_backspace_",
    "tests/plugins/feedback_kiosk/test_kiosk_unit_of_work.py::test_a_kiosk_response_is_announced_",
    "tests/plugins/feedback_kiosk/test_lockdown.py::test_switching_event_collects_",
    "tests/plugins/feedback_kiosk/test_questions.py::test_a_long_list_keeps_the_highlighted_",
    "tests/plugins/feedback_kiosk/test_questions.py::test_an_optional_then_now_touched_",
    "tests/plugins/feedback_kiosk/test_questions.py::test_every_type_is_stored_as_answered",
    "tests/plugins/feedback_kiosk/test_snapshots.py::",
    "tests/plugins/feedback_kiosk/test_spool.py::test_retry_spool_on_the_operator_screen_",
    "tests/security/test_security_kiosk_spool.py::test_on_a_full_disk_",
    "tests/security/test_security_kiosk_text.py::test_every_question_type_draws_hostile_text_",
)


@functools.cache
def _source(function: Callable[..., Any]) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _code_of(item: pytest.Item) -> Iterable[str]:
    """The source of the test function and of every fixture it uses, directly or not."""
    function = getattr(item, "function", None)
    if function is not None:
        yield _source(function)
    info = getattr(item, "_fixtureinfo", None)
    for definitions in getattr(info, "name2fixturedefs", {}).values():
        for definition in definitions:
            yield _source(definition.func)


def _is_hypothesis_test(item: pytest.Item) -> bool:
    function = getattr(item, "function", None)
    return bool(getattr(function, "is_hypothesis_test", False))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``browser`` and ``slow`` tests by what they use, so that no test file has to (a test
    may still carry either mark itself): ``-m "not browser and not slow"`` is the quick run."""
    for item in items:
        code = list(_code_of(item))
        if any(call in text for text in code for call in BROWSER_CALLS):
            item.add_marker(pytest.mark.browser)
        if (
            any(call in text for text in code for call in PROCESS_CALLS)
            or _is_hypothesis_test(item)
            or item.nodeid.startswith(SLOW_TESTS)
        ):
            item.add_marker(pytest.mark.slow)


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No FEEDBACK_* variable of the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("FEEDBACK_"):
            monkeypatch.delenv(name)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project directory (no feedback.toml: defaults apply)."""
    (tmp_path / "surveys").mkdir()
    return tmp_path


@pytest.fixture
def close_after() -> Iterator[Callable[[Engine], Engine]]:
    """Hand an engine to this to have it closed when the test ends; it is handed back."""
    engines: list[Engine] = []

    def close_later(engine: Engine) -> Engine:
        engines.append(engine)
        return engine

    yield close_later
    for engine in engines:
        engine.close()


@pytest.fixture
def make_engine(project: Path, close_after: Callable[[Engine], Engine]) -> Callable[..., Engine]:
    """Build engines on ``project`` with the built-in formats plugin plus the given plugins, and
    with the event ``EVENT`` unless ``event=False``; each is closed when the test ends."""

    def make(*plugins: Any, event: bool = True) -> Engine:
        engine = close_after(open_engine(project, pm_with_formats(*plugins)))
        if event:
            engine.store.upsert_event(dict(EVENT))
        return engine

    return make


@pytest.fixture
def engine(make_engine: Callable[..., Engine]) -> Engine:
    """An engine on ``project/feedback.db`` with the built-in plugins only and one event."""
    return make_engine()


@pytest.fixture
def event_project(tmp_path: Path) -> Path:
    """A project with the event ``hague-2011`` in its database, added through the command line."""
    result = run(tmp_path, "event", "add", "hague-2011", "--title", "Hague", "--date", "2011-01-26")
    assert result.exit_code == 0, result.output
    return tmp_path
