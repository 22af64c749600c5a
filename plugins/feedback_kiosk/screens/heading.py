"""Data entry: before each paper form, staff key in what is written at its top: the No. on the
paper, the form's language and the date it was filled in. Enter (in any field) starts the form;
Tab and Shift+Tab move between the fields; each problem is shown under its field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from feedback_kiosk.plain import plain

FIELDS = ("number", "language", "date")

#: Called with the No., language and date as keyed in; returns each field's problem (nothing
#: when the form was started).
StartForm = Callable[[str, str, str], dict[str, str]]


@dataclass(frozen=True)
class HeadingText:
    """What the heading screen says, in the staff's language."""

    title: str
    number: str
    language: str
    date: str
    hint: str


class HeadingScreen(Screen[None]):
    """The No., language and date of the next paper form."""

    # Tab moves before the keys typed after it are handed on (a priority binding acts as the key
    # arrives; a plain one only once the field before has seen it): staff type fast, and
    # "7<Tab>nl" must not put "n" in the No.
    BINDINGS = [
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    def __init__(
        self,
        text: HeadingText,
        event_title: str,
        status: str,
        start: StartForm,
        values: dict[str, str] | None = None,
        problems: dict[str, str] | None = None,
    ) -> None:
        super().__init__(id="heading")
        self.text = text
        self.event_title = event_title
        self.status = status
        self.start = start
        self.values = values or {}
        self.problems = problems or {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static(plain(self.event_title), id="event-title", markup=False)
            yield Static(self.status, id="status", markup=False)
        with Vertical(id="heading-box"):
            yield Static(self.text.title, id="heading-title", markup=False)
            for name, label, restrict, length in (
                ("number", self.text.number, r"[0-9]*", 9),
                ("language", self.text.language, None, 16),
                ("date", self.text.date, r"[0-9-]*", 10),
            ):
                yield Static(label, id=f"label-{name}", classes="heading-label", markup=False)
                yield Input(
                    self.values.get(name, ""),
                    id=f"field-{name}",
                    restrict=restrict,
                    max_length=length,
                    select_on_focus=True,
                )
                yield Static("", id=f"error-{name}", classes="heading-error", markup=False)
        yield Static(self.text.hint, id="hint", markup=False)

    def on_mount(self) -> None:
        self.show_problems(self.problems)

    def field(self, name: str) -> Input:
        return self.query_one(f"#field-{name}", Input)

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each field's problem under it (the others cleared); the focus on the first field
        with a problem, its text selected, or on the No."""
        for name in FIELDS:
            error = self.query_one(f"#error-{name}", Static)
            error.update(plain(problems.get(name, "")))
            error.display = name in problems
        wrong = [name for name in FIELDS if name in problems]
        field = self.field(wrong[0] if wrong else "number")
        field.focus()
        if wrong:
            field.select_all()  # typing replaces what is wrong

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in any field: start the form, or show what is wrong."""
        event.stop()
        problems = self.start(*(self.field(name).value for name in FIELDS))
        if problems:
            self.show_problems(problems)
            self.app.bell()
