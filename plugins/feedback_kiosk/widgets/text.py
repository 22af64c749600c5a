"""A text question: one line, or several for a long answer, with a length counter."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.app import ComposeResult
from textual.widgets import Input, Label, TextArea

from feedback.kiosk_widget import KioskContext, QuestionWidget
from feedback.survey import TextQuestion


class AnswerArea(TextArea):
    """A TextArea that survives Textual 8.2's first-render race (Textualize/textual#6528): a
    render before the CSS has given the widget its component styles raised ``KeyError: No
    'text-area--gutter' key in COMPONENT_CLASSES`` (seen under load), and a kiosk must never
    crash. Such a render gets a plain style (one that is set: an empty one sends Textual down a
    fallback that crashes too, blending a colour name); the next render has the real one."""

    def get_component_rich_style(
        self, *names: str, partial: bool = False, default: Style | None = None
    ) -> Style:
        try:
            return super().get_component_rich_style(*names, partial=partial, default=default)
        except KeyError:
            return default if default is not None else Style(color="default")


class TextWidget(QuestionWidget):
    DEFAULT_CSS = """
    TextWidget { height: auto; padding: 0 1; }
    TextWidget TextArea { height: 6; }
    TextWidget .counter { color: $text-muted; width: 100%; text-align: right; }
    """

    typed = True
    question: TextQuestion

    def __init__(self, question: TextQuestion, value: Any, context: KioskContext) -> None:
        super().__init__(question, value if isinstance(value, str) else "", context)

    def compose(self) -> ComposeResult:
        q = self.question
        if q.long:
            area = AnswerArea(self.value, id="answer", soft_wrap=True, show_line_numbers=False)
            yield area
        else:
            yield Input(self.value, max_length=q.max_length, id="answer")
        yield Label(self._count(len(self.value)), classes="counter", markup=False)

    def _count(self, n: int) -> str:
        return self.words["characters"].format(n=n, max=self.question.max_length)

    def _changed(self, text: str) -> None:
        limit = self.question.max_length
        if len(text) > limit:
            text = text[:limit]
        self.query_one(".counter", Label).update(self._count(len(text)))
        self.typed_in(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed(event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        area = event.text_area
        if len(area.text) > self.question.max_length:  # pasted past the limit: cut it there
            area.load_text(area.text[: self.question.max_length])
            return
        self._changed(area.text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.go_on()
