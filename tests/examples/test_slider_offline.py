"""The slider in the offline form (headless Chromium, no network): drawn by its JavaScript
component (its ``offline`` rendering, inlined into the one HTML file), checked by its JavaScript
parser as the Python one checks, saved as a response file and imported."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from offline_form_helpers import Laptop, write_form
from slider_helpers import PLUGINS

from feedback.engine import Engine
from feedback_offline.importer import import_files


@pytest.fixture
def laptop(chromium: Any) -> Iterator[Laptop]:
    machine = Laptop(chromium)
    yield machine
    machine.close()


def form_for(project: Path) -> Path:
    out = project / "form.html"
    result = write_form(
        project, "--event", "hague-2011", "--survey", "confidence", "-o", str(out),
        plugins=PLUGINS,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_the_slider_is_filled_in_saved_and_imported(
    engine: Engine, project: Path, laptop: Laptop, tmp_path: Path
) -> None:
    path = form_for(project)
    assert 'feedback.registerType("slider"' in path.read_text(encoding="utf-8")
    saved = tmp_path / "downloads"
    saved.mkdir()
    page = laptop.page
    laptop.open(path)
    assert page.is_visible("#q-confident-input")
    assert page.inner_text("#q-confident .slider-ends") == "0 = Not at all … 10 = Completely"

    laptop.next()  # required and not answered
    assert page.inner_text("#q-confident-error") == "Please answer this question."

    page.check("#q-role-1")
    page.fill("#q-confident-input", "11")  # off the slider: its JavaScript parser says so
    laptop.next()
    assert page.inner_text("#q-confident-error") == "Please give a number from 0 to 10."
    page.fill("#q-confident-input", "2.5")  # between two steps
    laptop.next()
    assert "steps of 1" in page.inner_text("#q-confident-error")

    page.fill("#q-confident-input", "")
    page.locator("#q-confident .slider-range").fill("8")  # the slider itself
    assert page.input_value("#q-confident-input") == "8"
    _name, file, content = laptop.download("#next", saved)
    assert content["response"]["answers"] == {"confident": 8, "role": "mp"}
    assert laptop.problems == [] and laptop.outside == []

    [report] = import_files(engine, [file])
    assert report.problem is None
    rows = engine.store.iter_responses()
    [row] = list(rows)
    assert (row["channel"], row["answers"]) == ("offline", {"confident": 8, "role": "mp"})
    assert json.loads(json.dumps(row["answers"])) == {"confident": 8, "role": "mp"}
