"""A channel that has no rendering of a question type refuses a survey that uses it when the
survey is loaded, with a message naming the question, its type and the renderings it has, and
exit code 2; never when a participant reaches the question. The slider's model is registered
here on its own (a bare model class: a type no channel can draw), or with a rendering that does
not load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from feedback_slider.model import Slider
from helpers import pm_with_formats, query
from slider_helpers import PLUGINS

from feedback import hookimpl
from feedback.cli import State
from feedback.question_types import QuestionType
from feedback_kiosk.cli import kiosk as kiosk_command
from feedback_offline.paper import paper_command, template_command
from feedback_offline.standalone import form_command

BUILT_IN = tuple(p for p in PLUGINS if p.__name__ != "feedback_slider")


class BareSlider:
    """The slider's model registered on its own: a type with no renderings."""

    @hookimpl
    def register_question_types(self, register: Any) -> None:
        register(Slider)


def invoke(project: Path, command: Any, args: list[str], plugin: Any) -> Result:
    state = State(project, pm_with_formats(*BUILT_IN, plugin))
    try:
        return CliRunner().invoke(command, args, obj=state)
    finally:
        state.close()


@pytest.fixture
def database(project: Path, make_engine: Any) -> Path:
    """The project's database with its event, made before the command runs."""
    return Path(make_engine(event=True).settings.db_path)


def test_the_kiosk_refuses_at_start_a_survey_with_a_type_it_cannot_draw(
    project: Path, database: Path
) -> None:
    result = invoke(project, kiosk_command, ["--survey", "confidence", "--unlocked"], BareSlider())
    assert result.exit_code == 2, result.output
    assert "survey 'confidence' cannot be shown by the kiosk" in result.output
    assert (
        "question 'confident' is of type 'slider', which has no kiosk rendering (it has: none); "
        "install the plugin that draws it for the kiosk, or leave the question out"
    ) in result.output
    assert "role" not in result.output  # the built-in types are drawn: only the slider is named


@pytest.mark.parametrize("broken", ["feedback_slider.kiosk:NoSuchWidget", "no_such_module:Widget"])
def test_the_kiosk_refuses_a_kiosk_rendering_that_does_not_load(
    project: Path, database: Path, broken: str
) -> None:
    class BrokenSlider:
        @hookimpl
        def register_question_types(self, register: Any) -> None:
            register(QuestionType(Slider, {"kiosk": broken}))

    result = invoke(
        project, kiosk_command, ["--survey", "confidence", "--unlocked"], BrokenSlider()
    )
    assert result.exit_code == 2, result.output
    assert f"question type 'slider': cannot load its kiosk rendering '{broken}'" in result.output


@pytest.mark.parametrize(
    ("command", "name"), [(paper_command, "form.pdf"), (paper_command, "form.html")]
)
def test_the_paper_form_refuses_a_survey_with_a_type_it_cannot_print(
    project: Path, database: Path, command: Any, name: str
) -> None:
    before = query(database, "SELECT id, version FROM surveys")
    out = project / name
    args = ["--event", "hague-2011", "--survey", "confidence", "-o", str(out)]
    result = invoke(project, command, args, BareSlider())
    assert result.exit_code == 2, result.output
    assert "survey 'confidence' cannot be shown by the paper form" in result.output
    assert "question 'confident' is of type 'slider', which has no paper rendering" in result.output
    assert not out.exists()
    # refused before anything was written: the survey version is not kept
    assert query(database, "SELECT id, version FROM surveys") == before


def test_the_entry_template_refuses_it_too(project: Path, database: Path) -> None:
    out = project / "entry.csv"
    args = ["--event", "hague-2011", "--survey", "confidence", "-o", str(out)]
    result = invoke(project, template_command, args, BareSlider())
    assert result.exit_code == 2, result.output
    assert "which has no paper rendering" in result.output
    assert not out.exists()


def test_the_offline_form_refuses_it_too(project: Path, database: Path) -> None:
    out = project / "form.html"
    args = ["--event", "hague-2011", "--survey", "confidence", "-o", str(out)]
    result = invoke(project, form_command, args, BareSlider())
    assert result.exit_code == 2, result.output
    assert "which has no offline rendering" in result.output
    assert not out.exists()


def test_each_channel_draws_it_with_the_plugins_renderings(project: Path, database: Path) -> None:
    """The same commands, with the example plugin itself: nothing refused."""
    import feedback_slider

    out = project / "form.html"
    args = ["--event", "hague-2011", "--survey", "confidence", "-o", str(out)]
    result = invoke(project, paper_command, args, feedback_slider)
    assert result.exit_code == 0, result.output
    assert 'class="question kind-slider" id="q-confident"' in out.read_text(encoding="utf-8")
