"""Pytest fixtures for plugin authors: a project, an engine on a real SQLite file, surveys from
dicts, a kiosk under Textual's Pilot and a web test client.

Use it from a plugin's tests with one line in ``conftest.py``::

    pytest_plugins = ["feedback.testing"]

and name the plugin under test in a fixture of your own (the kit registers it on every engine)::

    import my_plugin

    @pytest.fixture
    def feedback_plugins():
        return [my_plugin]

Every fixture works on real components: the database is a file in the test's temporary folder,
the kiosk is the real Textual app driven by ``run_test()``, the web client is Starlette's
``TestClient`` on the real ASGI app. Textual and Starlette are imported only by the fixtures that
use them. The channels are reached through their registrations (`feedback.registry.Channel.app`),
never by importing a plugin, so the kit drives any channel that declares an app.
"""

from __future__ import annotations

import contextlib
import html
import re
import urllib.parse
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from feedback.config import CONFIG_NAME, load_settings
from feedback.engine import Engine
from feedback.plugins import PluginManager, make_plugin_manager
from feedback.question_types import load_target
from feedback.survey import Survey

#: The event every kit project starts with.
EVENT: dict[str, Any] = {
    "id": "test-event",
    "title": "Test seminar",
    "date": "2026-01-26",
    "city": "The Hague",
    "country": "NL",
}

#: A small survey that every built-in channel can draw (used when a test names none).
SURVEY: dict[str, Any] = {
    "id": "test-survey",
    "title": "Test survey",
    "languages": ["en"],
    "scales": {
        "agree5": {
            "points": [
                {"id": "strongly_disagree", "label": "Strongly disagree"},
                {"id": "disagree", "label": "Disagree"},
                {"id": "neutral", "label": "Neither agree nor disagree"},
                {"id": "agree", "label": "Agree"},
                {"id": "strongly_agree", "label": "Strongly agree"},
            ]
        }
    },
    "questions": [
        {
            "id": "useful",
            "type": "likert",
            "label": "The seminar was useful.",
            "scale": "agree5",
            "measures": "satisfaction",
        },
        {"id": "comment", "type": "text", "label": "Anything else?"},
    ],
}


def new_response(
    survey: Survey, answers: dict[str, Any], /, *, event: str = EVENT["id"], **changes: Any
) -> dict[str, Any]:
    """A response to ``survey`` at ``event`` with a new id, from a kiosk in its first language;
    ``changes`` replace any field."""
    return {
        "id": str(uuid.uuid4()),
        "survey": survey.id,
        "event": event,
        "channel": "kiosk",
        "language": survey.languages[0],
        "submitted": EVENT["date"],
        "answers": answers,
        **changes,
    }


@pytest.fixture
def feedback_plugins() -> list[Any]:
    """The plugins under test, registered on every engine of the kit before the installed ones.

    Override this fixture in your tests to name your plugin module (or object)."""
    return []


@pytest.fixture
def feedback_entrypoints() -> bool:
    """Whether engines also load the installed plugins (the built-ins among them). Override with
    ``False`` for an isolated manager holding only `feedback_plugins`."""
    return True


@pytest.fixture
def feedback_pm(feedback_plugins: list[Any], feedback_entrypoints: bool) -> PluginManager:
    """A plugin manager with the plugins under test, then the installed ones."""
    return make_plugin_manager(entrypoints=feedback_entrypoints, plugins=feedback_plugins)


@pytest.fixture
def feedback_project(tmp_path: Path) -> Path:
    """A project directory: an empty ``feedback.toml`` and a ``surveys/`` folder holding `SURVEY`.

    Write more settings into ``feedback.toml`` and more surveys into ``surveys/`` before the
    first engine is made."""
    project = tmp_path / "project"
    (project / "surveys").mkdir(parents=True)
    (project / CONFIG_NAME).write_text(f'default_survey = "{SURVEY["id"]}"\n', encoding="utf-8")
    (project / "surveys" / f"{SURVEY['id']}.yaml").write_text(
        yaml.safe_dump(SURVEY, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return project


@pytest.fixture
def feedback_engine(feedback_project: Path, feedback_pm: PluginManager) -> Iterator[Engine]:
    """An engine on ``feedback_project/feedback.db`` (a real SQLite file) with the event `EVENT`."""
    engine = Engine(settings=load_settings(feedback_project), pm=feedback_pm)
    try:
        engine.store.upsert_event(dict(EVENT))
        yield engine
    finally:
        engine.close()


@pytest.fixture
def make_survey(feedback_project: Path, feedback_engine: Engine) -> Callable[..., Survey]:
    """Build a survey from a dict, validated by the engine (with the plugins' question types)
    and written to the project's ``surveys/`` folder so every channel finds it by id."""

    def make(document: dict[str, Any], default: bool = False) -> Survey:
        """``default``: make it the project's default survey too (the one the kiosk, the open
        link and ``feedback`` commands use when none is named)."""
        path = feedback_project / "surveys" / f"{document['id']}.yaml"
        path.write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        feedback_engine.__dict__.pop("_catalogue", None)  # see the new file
        survey = feedback_engine.read_survey(path)
        if default:
            (feedback_project / CONFIG_NAME).write_text(
                f'default_survey = "{survey.id}"\n', encoding="utf-8"
            )
            feedback_engine.settings.default_survey = survey.id
        return survey

    return make


def channel_app(engine: Engine, channel: str, **options: Any) -> Any:
    """The app of a registered channel (``kiosk``, ``web`` ...) on ``engine``.

    :raises LookupError: no such channel, or it declares no app.
    """
    if channel not in engine.channels:
        raise LookupError(
            f"no channel '{channel}' (registered: {', '.join(engine.channels.names())})"
        )
    target = engine.channels[channel].app
    if target is None:
        raise LookupError(f"channel '{channel}' declares no app to drive in tests")
    return load_target(target)(engine, **options)


@pytest.fixture
def kiosk_pilot(
    feedback_engine: Engine,
) -> Callable[..., contextlib.AbstractAsyncContextManager[Any]]:
    """Drive the kiosk with Textual's Pilot: ``async with kiosk_pilot(survey=...) as pilot:``.

    Keyword arguments go to the kiosk (``survey``, ``event``, ``locked``, ``idle_timeout``,
    ``clock`` ...); the default is the project's default survey, unlocked, at `EVENT`, at 80x24.
    ``pilot.app`` is the kiosk app."""

    @contextlib.asynccontextmanager
    async def run(size: tuple[int, int] = (80, 24), **options: Any) -> AsyncIterator[Any]:
        options.setdefault("event", EVENT["id"])
        options.setdefault("locked", False)
        app = channel_app(feedback_engine, "kiosk", **options)
        async with app.run_test(size=size) as pilot:
            yield pilot

    return run


@pytest.fixture
def web_client(feedback_engine: Engine) -> Iterator[Any]:
    """A Starlette ``TestClient`` on the web form of ``feedback_engine``."""
    from starlette.testclient import TestClient  # only the tests that use it pay for Starlette

    with TestClient(channel_app(feedback_engine, "web")) as client:
        yield client


@pytest.fixture
def feedback_cli(feedback_project: Path, feedback_pm: PluginManager) -> Callable[..., Any]:
    """Run a ``feedback`` command on the project with the kit's plugins:
    ``result = feedback_cli("report", "--event", EVENT["id"], "--format", "md")``.

    Returns click's ``Result`` (``exit_code``, ``output``); the engine the command builds has the
    plugins under test registered. A command a plugin adds is there once the plugin is installed
    (``pip install -e .``), as it is for a user."""
    from click.testing import CliRunner

    from feedback.cli import cli

    def run(*args: str) -> Any:
        return CliRunner().invoke(cli, ["--project", str(feedback_project), *args], obj=feedback_pm)

    return run


# -- driving the kiosk ------------------------------------------------------------------------


def kiosk_step(app: Any) -> str:
    """Where the participant is: the session's step (``"q:ID"``, ``"review"``), or the screen's
    id when there is none (``"attract"``, ``"thanks"`` ...)."""
    session = getattr(app, "session", None)
    if session is not None and app.screen.id in ("survey", "review"):
        return str(session.current)
    return str(app.screen.id)


async def kiosk_press(pilot: Any, *keys: str) -> None:
    """Press keys one by one, each once the app has handled the one before (a Textual button
    ignores presses during its short "pressed" effect, as a person would wait for it)."""
    for key in keys:
        focused = pilot.app.focused
        while focused is not None and focused.has_class("-active"):
            await pilot.pause(0.05)
        await pilot.press(key)


async def kiosk_type(pilot: Any, text: str) -> None:
    """Type ``text`` into the focused field."""
    await pilot.press(*["space" if c == " " else c for c in text])


async def kiosk_go_to(pilot: Any, step: str, limit: int = 40) -> None:
    """Go on (Enter) until the participant reaches ``step`` (``"q:ID"``, ``"review"``, a screen
    id such as ``"thanks"``); fails when it is never reached."""
    for _ in range(limit):
        if kiosk_step(pilot.app) == step:
            return
        await kiosk_press(pilot, "enter")
        await pilot.pause()
    raise AssertionError(f"never reached {step}: stuck at {kiosk_step(pilot.app)}")


# -- driving the web form ---------------------------------------------------------------------

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_NAMED = re.compile(r'\bname="([^"]+)"')


def web_fill(client: Any, path: str, answers: dict[str, Any], limit: int = 20) -> Any:
    """Answer the web form at ``path`` as a browser without JavaScript would: on each page, post
    the page's hidden fields and the ``answers`` whose fields it shows, with Next, until no form
    is left. Returns the last response (the thank-you page, or a page that refused)."""
    page = client.get(path)
    for _ in range(limit):
        if page.status_code != 200 or "<form" not in page.text:
            return page
        fields: list[tuple[str, str]] = [
            (name, html.unescape(value)) for name, value in _HIDDEN.findall(page.text)
        ]
        shown = set(_NAMED.findall(page.text))
        for question_id, value in answers.items():
            values = value if isinstance(value, list) else [value]
            for name in (question_id, *(f"{question_id}.{k}" for k in ("then", "now"))):
                if name in shown and not isinstance(value, dict):
                    fields += [(question_id, str(v)) for v in values]
                    break
            if isinstance(value, dict):
                fields += [(f"{question_id}.{k}", str(v)) for k, v in value.items()]
        fields.append(("action", "next"))
        before = page.text
        page = client.post(
            str(page.url),
            content=urllib.parse.urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if page.text == before:
            return page  # refused: the same page again, with its problems
    raise AssertionError(f"the form at {path} did not end within {limit} pages")
