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
    plain = AnswerArea().get_component_rich_style("text-area--selection")
    assert plain == Style(color="default") and plain  # set: Textual's empty-style path crashes
    given = Style(bold=True)
    assert AnswerArea().get_component_rich_style("text-area--gutter", default=given) is given


@pytest.mark.asyncio
async def test_the_theme_applies_while_the_component_styles_are_missing(monkeypatch) -> None:
    """The race itself: Textual's theme asks for every component style of the area while none
    is known yet; with the kiosk's answer area neither step of its fallback crashes."""
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield AnswerArea("text", id="answer")

    app = One()
    async with app.run_test() as pilot:
        area = app.query_one(AnswerArea)

        def missing(*names: str) -> None:
            raise KeyError(f"No {names[0]!r} key in COMPONENT_CLASSES")

        monkeypatch.setattr(area, "get_component_styles", missing)
        area._rich_style_cache.clear()
        area._theme.apply_css(area)  # raised KeyError, then AttributeError, before
        await pilot.pause()
