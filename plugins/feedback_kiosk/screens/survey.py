"""The survey screen: one step at a time (a section's intro, or one question), Back and Next."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, ProgressBar, Static

from feedback.kiosk_widget import KioskContext
from feedback.question_types import QuestionTypes
from feedback_kiosk.plain import plain
from feedback_kiosk.session import NOTICE, KioskSession
from feedback_kiosk.widgets import is_typed, question_widget
from feedback_kiosk.widgets.messages import Answered, GoOn, NotAnAnswer, RowAnswered


class SurveyScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", show=False),
        Binding("backspace", "back", show=False),
        Binding("enter", "next", show=False),
    ]

    def __init__(
        self,
        session: KioskSession,
        event_title: str,
        status: str = "",
        before_first: Callable[[], None] | None = None,
    ) -> None:
        """``before_first``: what Back does on the first step (in data entry: back to the
        form's No., language and date); by default Back is off there."""
        super().__init__(id="survey")
        self.session = session
        self.event_title = event_title
        self.status = status
        self.before_first = before_first

    def compose(self) -> ComposeResult:
        w = self.session.words
        with Horizontal(id="top"):
            yield Static(plain(self.event_title), id="event-title", markup=False)
            yield Static(self.status, id="status", markup=False)
            yield Static("", id="counter", markup=False)
        yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
        yield VerticalScroll(id="body")
        yield Static("", id="error", markup=False)
        with Horizontal(id="nav"):
            yield Button(w["back"], id="back")
            yield Button(w["next"], id="next", variant="primary")
        yield Static("", id="hint", markup=False)

    async def on_mount(self) -> None:
        await self.show_step()

    @property
    def focus_chain(self) -> list[Widget]:
        """Tab goes from the answer to Next before Back: Tab then Enter in a long text (where
        Enter is a new line) goes on, and never back, although Back is drawn first."""
        chain = super().focus_chain
        back, next_ = self.query_one("#back", Button), self.query_one("#next", Button)
        if back in chain and next_ in chain:
            chain.remove(back)
            chain.insert(chain.index(next_) + 1, back)
        return chain

    async def show_step(self) -> None:
        """Draw the current step; the review when the questions are done."""
        session = self.session
        step = session.step()
        if step is None:
            self.app.show_review()  # type: ignore[attr-defined]
            return
        w = session.words
        body = self.query_one("#body", VerticalScroll)
        await body.remove_children()
        self.query_one("#error", Static).update("")
        section = session.survey.section_list()[step.section]
        number, total = session.position()
        self.query_one("#counter", Static).update(
            w["question_of"].format(n=max(number, 1), total=total)
        )
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(total, 1), progress=max(number - 1, 0))
        self.query_one("#back", Button).disabled = not self._can_go_back()
        for button in self.query("#nav Button").results(Button):
            # a new step is a new page: a press of the same button there must count, however
            # soon (Textual ignores presses during a button's 0.2 s "pressed" effect)
            button.remove_class("-active")
        parts: list[Widget] = []
        if step.key == NOTICE:
            await body.mount(Static(plain(session.notice()), classes="section-intro", markup=False))
            self.query_one("#hint", Static).update(w["hint_choice"].split(" · ", 1)[1])
            self.query_one("#next", Button).focus()
            return
        if step.question is None:
            if section.title is not None:
                parts.append(
                    Static(
                        plain(session.text(section.title)), classes="section-title", markup=False
                    )
                )
            if section.intro is not None:
                parts.append(
                    Static(
                        plain(session.text(section.intro)), classes="section-intro", markup=False
                    )
                )
            await body.mount_all(parts)
            self.query_one("#hint", Static).update(w["hint_choice"].split(" · ", 1)[1])
            self.query_one("#next", Button).focus()
            return
        question = step.question
        label = session.text(question.label)
        if question.required:
            label += " *"
        parts.append(Static(plain(label), classes="question-label", markup=False))
        if question.help is not None:
            parts.append(
                Static(plain(session.text(question.help)), classes="question-help", markup=False)
            )
        context = KioskContext(
            language=session.language,
            words=w,
            partial=session.partial.get(question.id, {}),
            width=self.app.size.width,
        )
        # the type's kiosk rendering (`feedback.kiosk_widget`); `feedback kiosk` refused at
        # start a survey with a type that has none
        widget = question_widget(self.types, question, session.answers.get(question.id), context)
        parts.append(widget)
        await body.mount_all(parts)
        body.scroll_home(animate=False)  # before the focus: keys may come as soon as it is there
        hint = (
            w["hint_choice"].split(" · ", 1)[1]
            if not question.answerable
            else w["hint_text" if is_typed(widget) else "hint_choice"]
        )
        self.query_one("#hint", Static).update(hint)
        # the control that takes the keys (the contract's id="answer"), else the first that can
        nodes = [widget, *widget.query("*")]
        answers = [n for n in nodes if n.id in ("answer", "row-then")] or [
            n for n in nodes if n.focusable
        ]
        if answers and question.answerable:
            answers[0].focus(scroll_visible=False)  # the question stays in view
        else:
            self.query_one("#next", Button).focus()

    @property
    def types(self) -> QuestionTypes:
        """The question types and their renderings: the kiosk engine's."""
        return self.app.engine.types  # type: ignore[attr-defined,no-any-return]

    def _can_go_back(self) -> bool:
        if self.before_first is not None:
            return True
        steps = [s.key for s in self.session.steps()]
        return bool(steps) and self.session.current != steps[0]

    # -- navigation ----------------------------------------------------------------------------

    async def action_next(self) -> None:
        problem = self.session.problem()
        if problem:
            self.query_one("#error", Static).update(plain(problem))
            self.app.bell()
            return
        self.session.next()
        await self.show_step()

    async def action_back(self) -> None:
        if self.session.back():
            await self.show_step()
        elif self.before_first is not None:
            self.before_first()

    @on(Button.Pressed, "#next")
    async def _next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#back")
    async def _back_pressed(self) -> None:
        await self.action_back()

    # -- answers from the widgets --------------------------------------------------------------

    def on_answered(self, message: Answered) -> None:
        self.session.set_answer(message.question_id, message.value)
        self.query_one("#error", Static).update("")
        self._update_counter()

    def on_row_answered(self, message: RowAnswered) -> None:
        self.session.set_row(message.question_id, message.row, message.point)
        self.query_one("#error", Static).update("")
        self._update_counter()

    def on_not_an_answer(self, message: NotAnAnswer) -> None:
        self.session.set_invalid(message.question_id, message.why, message.partial)

    async def on_go_on(self, message: GoOn) -> None:
        message.stop()
        await self.action_next()

    def _update_counter(self) -> None:
        number, total = self.session.position()
        counter = self.session.words["question_of"].format(n=max(number, 1), total=total)
        self.query_one("#counter", Static).update(counter)
