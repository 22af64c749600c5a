"""The review: every answer, a way back to change each, and Submit."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from feedback_kiosk.plain import plain
from feedback_kiosk.session import KioskSession


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", show=False),
        Binding("up", "app.focus_previous", show=False),
        Binding("down", "app.focus_next", show=False),
    ]

    def __init__(self, session: KioskSession) -> None:
        super().__init__(id="review")
        self.session = session

    def compose(self) -> ComposeResult:
        w = self.session.words
        yield Static(w["review"], id="review-title", markup=False)
        yield Static(w["review_intro"], id="review-intro", markup=False)
        with VerticalScroll(id="answers"):
            for question, answer in self.session.review_items():
                with Horizontal(classes="answer-row"):
                    yield Static(
                        plain(self.session.text(question.label)),
                        classes="answer-question",
                        markup=False,
                    )
                    yield Static(plain(answer), classes="answer-value", markup=False)
                    yield Button(w["change"], id=f"change-{question.id}", classes="change")
        with Horizontal(id="nav"):
            yield Button(w["back"], id="back")
            yield Button(w["submit"], id="submit", variant="success")
        yield Static(w["hint_review"], id="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#submit", Button).focus()

    def action_back(self) -> None:
        self.session.back()
        self.app.show_survey()  # type: ignore[attr-defined]

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        self.app.submit()  # type: ignore[attr-defined]

    @on(Button.Pressed, ".change")
    def _change(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.session.change(event.button.id.removeprefix("change-"))
        self.app.show_survey()  # type: ignore[attr-defined]
