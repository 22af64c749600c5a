"""The long-text answer survives Textual 8.2's first-render race (Textualize/textual#6528)."""

from __future__ import annotations

import pytest
from rich.style import Style
from textual.widgets import TextArea

from feedback_kiosk.widgets.text import AnswerArea


def test_a_render_before_the_css_gets_a_plain_style_not_a_crash() -> None:
    """Before the CSS has given the widget its component styles (not mounted here), Textual's
    TextArea raises KeyError for 'text-area--gutter'; the kiosk's answer area does not."""
    with pytest.raises(KeyError, match="text-area--gutter"):
        TextArea().get_component_rich_style("text-area--gutter")
    assert AnswerArea().get_component_rich_style("text-area--gutter") == Style()
    given = Style(bold=True)
    assert AnswerArea().get_component_rich_style("text-area--gutter", default=given) is given
