"""The plugin manager and the registries: what loads, what fails, and how conflicts are reported."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pluggy
import pytest
from helpers import open_engine

import feedback_formats
from feedback import hookimpl
from feedback.engine import Engine
from feedback.errors import SurveyError
from feedback.plugins import GROUP, LOAD_ENV, PluginManager, make_plugin_manager
from feedback.registry import Channel, Scorer
from feedback.survey import Likert, QuestionBase, Survey


@pytest.fixture
def make_engine(
    tmp_path: Path, close_after: Callable[[Engine], Engine]
) -> Callable[[PluginManager], Engine]:
    """Engines on ``tmp_path`` with the given plugin manager as it is, closed when the test ends
    (the shared ``make_engine`` adds the formats plugin and an event: these tests choose)."""
    return lambda pm: close_after(open_engine(tmp_path, pm))


def names(pm: PluginManager) -> set[str]:
    return {str(name) for name, plugin in pm.list_name_plugin() if plugin is not None}


# -- the manager -------------------------------------------------------------------------------


def test_check_pending_passes_with_the_builtins() -> None:
    pm = make_plugin_manager()
    assert pm.failures == []
    pm.check_pending()  # every hookimpl of every built-in matches a hookspec


class Misspelt:
    @hookimpl
    def register_channel(self, register: Callable[[Channel], None]) -> None:  # no such hook
        register(Channel("sms", "Text message"))


def test_a_hookimpl_without_a_spec_is_refused() -> None:
    with pytest.raises(pluggy.PluginValidationError, match="register_channel"):
        make_plugin_manager(entrypoints=False, plugins=[Misspelt()])


def test_entry_points_find_the_builtin_formats_plugin() -> None:
    pm = make_plugin_manager()
    assert "formats" in names(pm)
    assert pm.get_plugin("formats") is feedback_formats
    assert pm.sources["formats"].startswith("entry point formats = feedback_formats (feedback ")
    info = {i.name: i for i in pm.info()}
    assert info["formats"].hooks == ("load_survey", "register_channels")
    assert info["formats"].as_dict()["source"] == pm.sources["formats"]


class Nothing:
    """A plugin that implements no hook."""


def test_no_entry_points_when_disabled() -> None:
    pm = make_plugin_manager(entrypoints=False, plugins=[Nothing()])
    assert "formats" not in names(pm)
    assert [i.source for i in pm.info()] == ["explicit"]


def test_load_plugins_empty_loads_none(
    monkeypatch: pytest.MonkeyPatch, make_engine: Callable[[PluginManager], Engine], tmp_path: Path
) -> None:
    monkeypatch.setenv(LOAD_ENV, "")
    pm = make_plugin_manager()
    assert names(pm) == set()
    assert pm.failures == []
    # Nothing reads survey files now: not even YAML, which is a plugin like any other.
    (tmp_path / "s.yaml").write_text("id: s\ntitle: S\nquestions: []\n", encoding="utf-8")
    with pytest.raises(SurveyError, match=r"no installed plugin reads '\.yaml' files"):
        make_engine(pm).read_survey(tmp_path / "s.yaml")


@pytest.mark.parametrize("value", ["formats", " formats ,", "formats,not-installed"])
def test_load_plugins_names_what_loads(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(LOAD_ENV, value)
    pm = make_plugin_manager()
    assert names(pm) == {"formats"}
    assert pm.failures == []  # a name with no entry point is not a failure


def test_load_plugins_other_name_skips_formats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LOAD_ENV, "kiosk")
    assert "formats" not in names(make_plugin_manager())


def fake_entry_points(
    monkeypatch: pytest.MonkeyPatch, *extra: importlib.metadata.EntryPoint
) -> None:
    """Make the plugin manager see ``extra`` entry points besides the installed ones."""
    real = importlib.metadata.entry_points

    def entry_points(**params: Any) -> Any:
        found = list(real(**params))
        if params.get("group") == GROUP:
            found += list(extra)
        return found

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


def test_a_plugin_that_fails_to_import_is_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(
        monkeypatch,
        importlib.metadata.EntryPoint("broken", "feedback_no_such_module_xyz", GROUP),
        importlib.metadata.EntryPoint("missing-attr", "feedback_formats:no_such_plugin", GROUP),
    )
    pm = make_plugin_manager()
    failures = {f.name: f for f in pm.failures}
    assert set(failures) == {"broken", "missing-attr"}
    assert failures["broken"].error.startswith("ModuleNotFoundError: ")
    assert "feedback_no_such_module_xyz" in failures["broken"].error
    assert failures["broken"].source == (
        "entry point broken = feedback_no_such_module_xyz (unknown distribution)"
    )
    assert failures["missing-attr"].error.startswith("AttributeError: ")
    # The others still load, and the broken ones are not registered.
    assert "formats" in names(pm)
    assert not {"broken", "missing-attr"} & names(pm)
    pm.check_pending()


def test_a_broken_plugin_not_selected_is_not_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(
        monkeypatch, importlib.metadata.EntryPoint("broken", "feedback_no_such_module_xyz", GROUP)
    )
    monkeypatch.setenv(LOAD_ENV, "formats")
    pm = make_plugin_manager()
    assert pm.failures == []
    assert names(pm) == {"formats"}


def test_an_explicit_plugin_is_not_loaded_twice_from_its_entry_point() -> None:
    pm = PluginManager()
    pm.register_from(feedback_formats, "formats", "explicit")
    from feedback.plugins import load_entrypoints

    load_entrypoints(pm)
    assert pm.failures == []
    assert pm.sources["formats"] == "explicit"


# -- registries: duplicates and wrong types ----------------------------------------------------


class Sms:
    def __init__(self, title: str) -> None:
        self.title = title

    @hookimpl
    def register_channels(self, register: Callable[[Channel], None]) -> None:
        register(Channel("sms", self.title))


def manager(**plugins: Any) -> PluginManager:
    pm = make_plugin_manager(entrypoints=False)
    for name, plugin in plugins.items():
        pm.register(plugin, name=name)
    return pm


def test_duplicate_names_are_reported_and_the_first_is_kept(
    make_engine: Callable[[PluginManager], Engine],
) -> None:
    pm = manager(alpha=Sms("from alpha"), beta=Sms("from beta"))
    # The first registered plugin keeps the name, whatever order pluggy calls hooks in.
    first, second = "alpha", "beta"
    channels = make_engine(pm).channels
    assert channels.names() == ["sms"]
    assert channels["sms"].title == f"from {first}"
    assert channels.owners["sms"] == first
    assert channels.problems == [
        f"plugin '{second}' registered channel 'sms', which plugin '{first}' registered first; "
        "the first is kept"
    ]


class BadNames:
    @hookimpl
    def register_channels(self, register: Callable[[Channel], None]) -> None:
        register(Channel("Text Message", "Text message"))
        register(Channel("ok", "OK"))


def test_a_badly_formed_name_is_reported(make_engine: Callable[[PluginManager], Engine]) -> None:
    channels = make_engine(manager(bad=BadNames())).channels
    assert channels.names() == ["ok"]
    assert channels.problems == [
        "plugin 'bad' registered channel 'Text Message': expected a name of lower-case letters, "
        "digits, '-' and '_'"
    ]


class WrongTypes:
    @hookimpl
    def register_channels(self, register: Callable[[Channel], None]) -> None:
        register({"name": "sms", "title": "Text message"})  # type: ignore[arg-type]

    @hookimpl
    def register_scorers(self, register: Callable[[Scorer], None]) -> None:
        register(Channel("reach", "Reach"))  # type: ignore[arg-type]

    @hookimpl
    def register_question_types(self, register: Callable[[type[QuestionBase]], None]) -> None:
        register(dict)  # type: ignore[arg-type]


def test_a_wrong_type_is_reported(make_engine: Callable[[PluginManager], Engine]) -> None:
    engine = make_engine(manager(wrong=WrongTypes(), good=Sms("Text message")))
    assert engine.channels.names() == ["sms"]
    assert engine.channels.owners["sms"] == "good"
    assert engine.channels.problems == [
        "plugin 'wrong' registered {'name': 'sms', 'title': 'Text message'} as a channel; "
        "expected a Channel"
    ]
    assert len(engine.scorers) == 0
    assert engine.scorers.problems == [
        "plugin 'wrong' registered Channel(name='reach', title='Reach', description='', "
        "rendering=None, app=None, phrase='') as a scorer; expected a Scorer"
    ]
    assert len(engine.question_types) == 0
    assert engine.question_types.problems == [
        "plugin 'wrong' registered <class 'dict'> as a question type; expected a "
        "feedback.question_types.QuestionType or a subclass of feedback.survey.QuestionBase"
    ]


class Raising:
    @hookimpl
    def register_channels(self, register: Callable[[Channel], None]) -> None:
        raise RuntimeError("no network")


def test_a_plugin_failing_in_a_register_hook_does_not_stop_the_others(
    make_engine: Callable[[PluginManager], Engine],
) -> None:
    channels = make_engine(manager(raising=Raising(), good=Sms("Text message"))).channels
    assert channels.names() == ["sms"]
    assert channels.problems == [
        "plugin 'raising' failed in register_channels: RuntimeError('no network')"
    ]


class MyLikert(Likert):
    type: Literal["likert"] = "likert"  # type: ignore[assignment]


class Shadowing:
    @hookimpl
    def register_question_types(self, register: Callable[[type[QuestionBase]], None]) -> None:
        register(MyLikert)


def test_a_plugin_cannot_replace_a_builtin_question_type(
    make_engine: Callable[[PluginManager], Engine],
) -> None:
    engine = make_engine(manager(shadow=Shadowing()))
    types = engine.question_types
    assert "likert" not in types  # the registry holds plugin types; the built-in stays in use
    assert engine.survey_model is Survey
    assert types.problems == [
        "plugin 'shadow' registered question type 'likert', which is built in; "
        "the built-in type is kept"
    ]


def test_explicit_plugins_get_readable_unique_names() -> None:
    pm = make_plugin_manager(entrypoints=False, plugins=[Sms("a"), Sms("b")])
    assert [info.name for info in pm.info()] == ["Sms", "Sms-2"]
    assert all(info.source == "explicit" for info in pm.info())


def test_earlier_registration_keeps_a_name_against_a_later_plugin(
    make_engine: Callable[[PluginManager], Engine],
) -> None:
    """The built-in channel 'import' cannot be taken over by a plugin registered later."""

    class Squatter:
        @hookimpl
        def register_channels(self, register: Callable[[Channel], None]) -> None:
            register(Channel("import", "Hijacked"))

    pm = make_plugin_manager(entrypoints=True)
    pm.register(Squatter(), name="zz-squatter")
    channels = make_engine(pm).channels
    assert channels["import"].title == "File import"
    assert channels.owners["import"] == "formats"
    assert any("zz-squatter" in p and "the first is kept" in p for p in channels.problems)
