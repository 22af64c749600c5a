"""A third-party plugin's settings and tables: declared through ``register_settings`` and
``register_migrations``, read and made by the core exactly as the core's own, with no change to
the core. The plugin is defined here and registered on a plugin manager of its own."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import pm_with_formats
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from feedback import hookimpl
from feedback.cli import cli
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.errors import InvalidInput
from feedback.plugins import PluginManager
from feedback.registry import SettingsSection
from feedback.sqlite import Database, Migrations


class SliderSettings(BaseModel):
    """``[plugins.slider]``: a slider question type."""

    model_config = ConfigDict(extra="forbid")

    steps: int = Field(default=10, ge=2, description="Steps of the slider's track.")
    colour: str = Field(default="blue", description="Colour of the slider's track.")
    api_key: SecretStr | None = Field(
        default=None, description="Key of the slider's service: from the environment only."
    )


class GadgetSettings(BaseModel):
    """A section owned by name: ``[gadget]``."""

    model_config = ConfigDict(extra="forbid")

    size: int = Field(default=3, description="How big the gadget is.")


slider_migrations = Migrations("feedback_slider")


@slider_migrations(name="0001_slider_marks")
def _slider_marks(db: Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS slider_marks ("
        " id INTEGER PRIMARY KEY, response TEXT NOT NULL, value REAL NOT NULL)"
    )


@slider_migrations(name="0002_slider_marks_by_response")
def _slider_index(db: Database) -> None:
    db.execute("CREATE INDEX IF NOT EXISTS slider_marks_response ON slider_marks(response)")


class SliderPlugin:
    @hookimpl
    def register_settings(self, register) -> None:  # type: ignore[no-untyped-def]
        register(SettingsSection("slider", SliderSettings, "A slider question type."))
        register(SettingsSection("gadget", GadgetSettings, "A gadget.", own_section=True))

    @hookimpl
    def register_migrations(self, register) -> None:  # type: ignore[no-untyped-def]
        register(slider_migrations)


@pytest.fixture
def pm() -> PluginManager:
    return pm_with_formats(SliderPlugin())


def write(project: Path, toml: str) -> None:
    (project / "feedback.toml").write_text(toml, encoding="utf-8")


def feedback(project: Path, pm: PluginManager, *args: str) -> Result:
    """``feedback --project PROJECT ARGS`` with ``pm``, piped output at 80 columns."""
    return CliRunner(env={"COLUMNS": "80"}).invoke(cli, ["--project", str(project), *args], obj=pm)


# -- settings -----------------------------------------------------------------------------------


def test_hook_register_settings(
    project: Path, pm: PluginManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project, '[plugins.slider]\nsteps = 12\ncolour = "red"\n\n[gadget]\nsize = 5\n')
    settings = load_settings(project, pm=pm)
    slider = settings.plugin(SliderSettings)
    assert isinstance(slider, SliderSettings)
    assert (slider.steps, slider.colour, slider.api_key) == (12, "red", None)
    assert settings.plugin(GadgetSettings).size == 5
    # the environment wins over the file, as for the core's settings
    monkeypatch.setenv("FEEDBACK_PLUGINS__SLIDER__STEPS", "20")
    monkeypatch.setenv("FEEDBACK_GADGET__SIZE", "7")
    monkeypatch.setenv("FEEDBACK_PLUGINS__SLIDER__API_KEY", "k3y")
    settings = load_settings(project, pm=pm)
    assert settings.plugin(SliderSettings).steps == 20
    assert settings.plugin(SliderSettings).colour == "red"
    assert settings.plugin(GadgetSettings).size == 7
    key = settings.plugin(SliderSettings).api_key
    assert key is not None and key.get_secret_value() == "k3y"
    # an engine built by the command line reads them too
    engine = Engine(settings=settings, pm=pm)
    assert engine.settings.plugin(SliderSettings).steps == 20


def test_a_plugin_section_that_is_absent_gives_its_defaults(project: Path, pm: PluginManager):
    settings = load_settings(project, pm=pm)
    assert settings.plugin(SliderSettings) == SliderSettings()
    assert settings.plugin(GadgetSettings).size == 3


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            "[plugins.slider]\nsteps = 1\n",
            "feedback.toml (or FEEDBACK_ variables): plugins.slider.steps: Input should be "
            "greater than or equal to 2, found 1",
        ),
        (
            '[plugins.slider]\nsteps = "many"\n',
            "plugins.slider.steps: Input should be a valid integer, unable to parse string as "
            "an integer, found 'many'",
        ),
        (
            "[plugins.slider]\nstesp = 4\n",
            "plugins.slider.stesp: unknown setting 'stesp'; did you mean 'steps'?",
        ),
        (
            "[plugins.slidr]\nsteps = 4\n",
            "plugins.slidr: unknown section [plugins.slidr]: no installed plugin declares it; "
            "did you mean 'slider'?",
        ),
        ("[gadjet]\nsize = 4\n", "gadjet: unknown section [gadjet]: no installed plugin"),
        ("[gadget]\nsise = 4\n", "gadget.sise: unknown setting 'sise'; did you mean 'size'?"),
        ("steps = 4\n", "steps: unknown setting 'steps': it is a setting of [plugins.slider] now"),
    ],
)
def test_a_plugin_s_bad_settings_are_located_like_the_core_s(
    project: Path, pm: PluginManager, toml: str, expected: str
) -> None:
    write(project, toml)
    with pytest.raises(InvalidInput) as info:
        load_settings(project, pm=pm)
    assert str(project / "feedback.toml") in str(info.value)
    assert expected in str(info.value)
    result = feedback(project, pm, "config", "show")
    assert result.exit_code == 2
    assert expected in result.output


def test_a_bad_variable_of_a_plugin_is_named(
    project: Path, pm: PluginManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEEDBACK_PLUGINS__SLIDER__STEPS", "0")
    with pytest.raises(InvalidInput, match=r"plugins.slider.steps: .*, found '0'"):
        load_settings(project, pm=pm)


def test_a_plugin_s_secret_is_refused_in_the_file(project: Path, pm: PluginManager) -> None:
    write(project, '[plugins.slider]\napi_key = "k3y"\n')
    with pytest.raises(InvalidInput) as info:
        load_settings(project, pm=pm)
    assert "plugins.slider.api_key: a password or key does not belong in a file" in str(info.value)
    assert "FEEDBACK_PLUGINS__SLIDER__API_KEY" in str(info.value)
    assert "k3y" not in str(info.value)


def test_without_the_plugin_its_section_is_unknown(project: Path) -> None:
    write(project, "[plugins.slider]\nsteps = 12\n")
    with pytest.raises(InvalidInput, match=r"unknown section \[plugins.slider\]"):
        load_settings(project, pm=pm_with_formats())
    settings = load_settings(project, pm=pm_with_formats(SliderPlugin()))
    assert settings.plugin(SliderSettings).steps == 12
    (project / "feedback.toml").unlink()
    with pytest.raises(LookupError, match=r"no plugin declared settings .*GadgetSettings"):
        load_settings(project, pm=pm_with_formats()).plugin(GadgetSettings)


class Clumsy:
    """Declarations the core cannot honour, each left out with a problem naming the plugin."""

    @hookimpl
    def register_settings(self, register) -> None:  # type: ignore[no-untyped-def]
        register(SettingsSection("db", GadgetSettings, own_section=True))  # the core's key
        register(SettingsSection("my-plugin", GadgetSettings))  # not a variable name
        register(SettingsSection("loose", dict))  # not a pydantic model
        register({"name": "dict"})  # not a SettingsSection
        register(SettingsSection("slider", GadgetSettings))  # the slider's, registered first

    @hookimpl
    def register_migrations(self, register) -> None:  # type: ignore[no-untyped-def]
        register(Migrations("feedback"))  # the core's set


def test_declarations_that_cannot_work_are_problems_not_crashes(project: Path) -> None:
    pm = pm_with_formats(SliderPlugin(), Clumsy())
    settings = load_settings(project, pm=pm)
    assert [s.name for s in settings.plugin_sections] == ["slider", "gadget"]
    problems = "\n".join(settings.plugin_problems)
    assert "plugin 'Clumsy' declared settings section 'db': the name is a setting of the core" in (
        problems
    )
    assert "'plugins.my-plugin': expected a name of lower-case letters, digits and '_'" in problems
    assert "'plugins.loose': expected a pydantic model" in problems
    assert "expected a feedback.registry.SettingsSection" in problems
    assert "which plugin 'SliderPlugin' registered first" in problems
    result = feedback(project, pm, "plugins", "--json")
    assert result.exit_code == 0, result.output
    listed = "\n".join(json.loads(result.output)["problems"])
    assert "declared settings section 'db'" in listed
    assert "declared the migration set 'feedback', which is the core's" in listed


# -- feedback config show ------------------------------------------------------------------------


def test_config_show_lists_every_plugin_s_settings(
    project: Path, pm: PluginManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project, "min_cell_size = 3\n\n[plugins.slider]\nsteps = 12\n")
    monkeypatch.setenv("FEEDBACK_PLUGINS__SLIDER__API_KEY", "k3y")
    result = feedback(project, pm, "config", "show")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "k3y" not in text
    assert all(len(line) <= 80 for line in text.splitlines()), text
    lines = text.splitlines()
    assert "[plugins.slider]  (plugin SliderPlugin; FEEDBACK_PLUGINS__SLIDER__<KEY>)" in lines
    assert "  A slider question type." in lines
    assert "  steps = 12  (default: 10)" in lines
    assert "      Steps of the slider's track." in lines
    assert '  colour = "blue"  (default)' in lines
    assert "  api_key = ********  (default: not set)" in lines
    assert "[gadget]  (plugin SliderPlugin; FEEDBACK_GADGET__<KEY>)" in lines
    assert "  size = 3  (default)" in lines
    # the core's first, then the built-ins this manager holds (none here), then the plugin's
    assert "  min_cell_size = 3  (default: 5)" in lines
    assert lines.index("top level  (core; FEEDBACK_<KEY>)") < lines.index(
        "[programme]  (core; FEEDBACK_PROGRAMME__<KEY>)"
    )
    assert lines.index("[invitations]  (core; FEEDBACK_INVITATIONS__<KEY>)") < lines.index(
        "[plugins.slider]  (plugin SliderPlugin; FEEDBACK_PLUGINS__SLIDER__<KEY>)"
    )

    shown = json.loads(feedback(project, pm, "config", "show", "--json").output)
    sections = {s["section"]: s for s in shown["sections"]}
    assert list(sections) == ["", "programme", "invitations", "plugins.slider", "gadget"]
    slider = {row["key"]: row for row in sections["plugins.slider"]["settings"]}
    assert slider["steps"] == {
        "section": "plugins.slider",
        "key": "steps",
        "value": 12,
        "default": 10,
        "is_default": False,
        "description": "Steps of the slider's track.",
        "env": "FEEDBACK_PLUGINS__SLIDER__STEPS",
        "secret": False,
        "plugin": "SliderPlugin",
    }
    assert (slider["api_key"]["value"], slider["api_key"]["secret"]) == ("********", True)
    assert sections["plugins.slider"]["plugin"] == "SliderPlugin"
    assert shown["file"] == str((project / "feedback.toml").resolve())


def test_config_show_with_the_built_in_plugins(project: Path) -> None:
    """Every built-in's section, with every field of its model, defaults and descriptions."""
    from feedback_email.settings import EmailSettings
    from feedback_kiosk.settings import KioskSettings
    from feedback_web.settings import WebSettings

    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        cli, ["--project", str(project), "config", "show", "--json"]
    )
    assert result.exit_code == 0, result.output
    sections = {s["section"]: s for s in json.loads(result.output)["sections"]}
    for name, model in (("web", WebSettings), ("kiosk", KioskSettings), ("email", EmailSettings)):
        rows = sections[name]["settings"]
        assert [row["key"] for row in rows] == list(model.model_fields), name
        assert all(row["description"] and row["is_default"] for row in rows), name
        assert sections[name]["plugin"] == name
    assert not any(row["key"].startswith("smtp_") for row in sections[""]["settings"])


# -- migrations ---------------------------------------------------------------------------------


def test_hook_register_migrations(project: Path, pm: PluginManager) -> None:
    engine = Engine(settings=load_settings(project, pm=pm), pm=pm)
    try:
        assert engine.store.applied_migrations()[-2:] == [
            "feedback_slider:0001_slider_marks",
            "feedback_slider:0002_slider_marks_by_response",
        ]
        with engine.store.write():
            engine.store.conn.execute(
                "INSERT INTO slider_marks (response, value) VALUES ('r1', 0.5)"
            )
    finally:
        engine.close()
    conn = sqlite3.connect(project / "feedback.db")
    try:
        assert conn.execute("SELECT response, value FROM slider_marks").fetchall() == [("r1", 0.5)]
        assert conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'feedback_slider'"
            " ORDER BY id"
        ).fetchall() == [("0001_slider_marks",), ("0002_slider_marks_by_response",)]
    finally:
        conn.close()
    again = Engine(settings=load_settings(project, pm=pm), pm=pm)
    try:
        assert again.store.migrate() == []  # applied once
    finally:
        again.close()


def test_a_command_that_opens_the_database_applies_the_plugins_migrations(
    project: Path, pm: PluginManager
) -> None:
    result = feedback(project, pm, "event", "add", "hague-2011", "--title", "Hague")
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(project / "feedback.db")
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert "slider_marks" in tables


class Receiver(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = "https://example.org/hook"
    secret: SecretStr | None = None


class Relay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: SecretStr | None = None


class HooksSettings(BaseModel):
    """``[hooks]``: receivers by name, each a table of its own, and one relay."""

    model_config = ConfigDict(extra="forbid")

    receivers: dict[str, Receiver] = Field(default_factory=dict)
    relay: Relay | None = None


class HooksPlugin:
    @hookimpl
    def register_settings(self, register: object) -> None:
        register(SettingsSection("hooks", HooksSettings, "Receivers.", own_section=True))  # type: ignore[operator]


def test_a_secret_in_a_table_of_a_plugin_s_section_is_refused_in_the_file(project: Path) -> None:
    """A secret nested in a plugin's tables ([hooks.receivers.crm], [hooks.relay]) is as much a
    secret as one at the top of the section: it was let through before."""
    write(
        project,
        '[hooks.receivers.crm]\nurl = "https://crm.example.org"\nsecret = "whsec_abc"\n'
        '[hooks.relay]\ntoken = "t0k3n"\n',
    )
    with pytest.raises(InvalidInput) as info:
        load_settings(project, pm=pm_with_formats(HooksPlugin()))
    message = str(info.value)
    assert "hooks.receivers.crm.secret: a password or key does not belong in a file" in message
    assert "FEEDBACK_HOOKS__RECEIVERS__CRM__SECRET" in message
    assert "hooks.relay.token: a password or key" in message
    assert "whsec_abc" not in message and "t0k3n" not in message
    write(project, '[hooks.receivers.crm]\nurl = "https://crm.example.org"\n')
    settings = load_settings(project, pm=pm_with_formats(HooksPlugin()))
    assert settings.plugin(HooksSettings).receivers["crm"].secret is None
