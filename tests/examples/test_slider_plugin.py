"""The example plugin is a package feedback finds as it finds any plugin, and a survey that uses
its question type loads, with its one parser and its check."""

from __future__ import annotations

import importlib.metadata
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from feedback_slider.model import Slider
from slider_helpers import EXAMPLE, PLUGINS, SLIDER_SURVEY

from feedback.engine import Engine
from feedback.errors import SurveyError
from feedback.plugins import make_plugin_manager
from feedback.question_types import AnswerError


def test_the_package_declares_its_entry_point_and_feedback_loads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installed as pip installs it (a dist-info with the entry points of its pyproject.toml on
    the path), feedback's plugin loader finds and registers it, with its hooks."""
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))
    points = project["project"]["entry-points"]["feedback"]
    assert points == {"slider": "feedback_slider"}
    site = tmp_path / "site"
    info = site / f"feedback_slider-{project['project']['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['project']['name']}\n"
        f"Version: {project['project']['version']}\n",
        encoding="utf-8",
    )
    lines = ["[feedback]", *(f"{name} = {value}" for name, value in points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])
    monkeypatch.setenv("FEEDBACK_LOAD_PLUGINS", "slider")
    found = [ep for ep in importlib.metadata.entry_points(group="feedback") if ep.name == "slider"]
    assert [ep.dist.name for ep in found if ep.dist] == ["feedback-slider"]

    pm = make_plugin_manager()
    assert pm.failures == []
    [info_row] = [p for p in pm.info() if p.name == "slider"]
    assert info_row.source.startswith(
        "entry point slider = feedback_slider (feedback-slider 0.1.0)"
    )
    assert set(info_row.hooks) == {"register_question_types", "register_scorers"}


def test_a_survey_with_a_slider_loads_with_its_renderings(engine: Engine) -> None:
    survey = engine.survey("confidence")
    question = survey.question("confident")
    assert isinstance(question, Slider) and question.steps() == list(range(11))
    for rendering in ("kiosk", "web", "offline", "paper"):
        assert engine.types.missing(survey, rendering) == []
    assert engine.types.target("slider", "kiosk") == "feedback_slider.kiosk:SliderWidget"
    assert engine.types.problems == []


def test_without_the_plugin_the_survey_does_not_load(make_engine: Any) -> None:
    bare = make_engine()
    with pytest.raises(SurveyError, match="slider"):
        bare.survey("confidence")


@pytest.mark.parametrize(
    ("raw", "value"),
    [("7", 7), (" 7 ", 7), ("7.0", 7), ("1e1", 10), (7, 7), (7.0, 7), ("", None), (None, None)],
)
def test_the_one_parser_reads_what_any_channel_gives(raw: Any, value: Any) -> None:
    question = Slider(id="s", label="s", min=0, max=10)
    assert question.parse(raw) == value
    assert value is None or question.check(value) is None


@pytest.mark.parametrize(
    ("raw", "key"),
    [("11", "between"), ("-1", "between"), ("abc", "expected_number"), ("true", "expected_number")],
)
def test_the_one_parser_refuses_with_a_key_the_channels_word(raw: str, key: str) -> None:
    with pytest.raises(AnswerError) as caught:
        Slider(id="s", label="s", min=0, max=10).parse(raw)
    assert caught.value.key == key


def test_a_half_step_slider_keeps_its_steps() -> None:
    question = Slider(id="s", label="s", min=0, max=5, step=0.5)
    assert question.parse("2,5") == 2.5
    with pytest.raises(AnswerError, match=r"steps of 0\.5") as caught:
        question.parse("2.3")
    assert (caught.value.key, caught.value.params) == (
        "slider_step",
        {"step": "0.5", "min": "0", "example": "0.5"},
    )
    assert question.check(2.3) is not None and question.check(2.5) is None


def test_a_slider_with_a_bad_range_is_a_survey_error_naming_the_field(
    project: Path, engine: Engine
) -> None:
    broken = SLIDER_SURVEY.replace("id: confidence", "id: broken").replace("step: 1", "step: 3")
    (project / "surveys" / "broken.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(SurveyError, match="whole number of steps"):
        engine.survey("broken")


def test_the_bare_model_without_renderings_is_not_drawable(make_engine: Any) -> None:
    """Registered as a bare model class (no renderings), the type loads but no channel draws it."""
    from feedback import hookimpl

    class BareSlider:
        @hookimpl
        def register_question_types(self, register: Any) -> None:
            register(Slider)

    engine = make_engine(*PLUGINS[:-1], BareSlider())
    survey = engine.survey("confidence")
    for rendering in ("kiosk", "web", "offline", "paper"):
        assert engine.types.missing(survey, rendering) == [("confident", "slider")]


def test_the_example_imports_only_the_core_and_libraries() -> None:
    """A plugin imports the core (`feedback`) and libraries, never another plugin: the kiosk
    widget and the paper layout contracts it builds on are the core's."""
    import ast

    plugins = {"feedback_" + name for name in ("email", "formats", "kiosk", "offline")}
    plugins |= {"feedback_" + name for name in ("reports", "scoring", "web")}
    imported: set[str] = set()
    for path in (EXAMPLE / "feedback_slider").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    assert imported & plugins == set()
    assert {"feedback", "textual", "markupsafe"} <= imported
