"""The example plugin ``examples/feedback_slider``, installed into the test process: importable
from its folder and registered on the engines' plugin managers explicitly, as the hook tests do
(`tests/core/test_hooks.py`), so that no other test sees it. The engines here have the built-in
plugins too, as an installed ``feedback`` has (the channels draw the built-in types through the
renderings those plugins register).

Importable as ``from slider_helpers import ...`` (pytest puts this folder on ``sys.path``); it
puts the example and the helper folders of the channels' tests on ``sys.path`` too.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "feedback_slider"
for folder in (
    EXAMPLE,
    ROOT / "tests" / "plugins" / "feedback_web",
    ROOT / "tests" / "plugins" / "feedback_offline",
    ROOT / "tests" / "plugins" / "feedback_kiosk",
):
    if str(folder) not in sys.path:
        sys.path.append(str(folder))

import feedback_slider  # noqa: E402
from helpers import EVENT  # noqa: E402

import feedback_kiosk  # noqa: E402
import feedback_offline  # noqa: E402
import feedback_reports  # noqa: E402
import feedback_scoring  # noqa: E402
import feedback_web  # noqa: E402

#: the built-in plugins a channel test needs, and the example
PLUGINS = (
    feedback_kiosk,
    feedback_offline,
    feedback_web,
    feedback_scoring,
    feedback_reports,
    feedback_slider,
)

#: A survey with the example's question type, between two built-in ones.
SLIDER_SURVEY = """\
id: confidence
title: {en: "Confidence check", nl: "Vertrouwen"}
languages: [en, nl]
questions:
  - id: role
    type: single_choice
    label: "Which best describes you?"
    choices: [mp, ngo, other]
  - id: confident
    type: slider
    label: {en: "How confident do you feel raising the subject in parliament?", nl: "Hoe zeker?"}
    min: 0
    max: 10
    step: 1
    min_label: {en: "Not at all", nl: "Helemaal niet"}
    max_label: {en: "Completely", nl: "Helemaal"}
    required: true
    measures: confidence
  - id: comments
    type: text
    label: "Anything else?"
"""


__all__ = ["EVENT", "EXAMPLE", "PLUGINS", "SLIDER_SURVEY"]
