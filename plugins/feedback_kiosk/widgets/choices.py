"""Options to pick from: single or multiple, in a column or a row, an N/A option set apart.

Keyboard first: arrows move, a number key picks that option (or, for numbered options such as a
0-10 rating, the option with that number), Space picks or toggles, Enter picks and asks to go on,
Delete clears the answer (an optional question can be left unanswered after all). A click picks
too. The widget posts `Choices.Changed` and never touches the database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from feedback_kiosk.plain import plain


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    apart: bool = False  # "don't know" and the like, shown apart from the scale


def room(screen_width: int) -> int:
    """Columns a question's options have on a screen ``screen_width`` wide: the survey's column
    (at most 120) less the body's and the options' padding and a scroll bar."""
    return min(screen_width, 120) - 6


def fits_in_a_row(choices: list[Choice], width: int) -> bool:
    """Whether options fit side by side in boxes on a screen ``width`` wide, each label (with its
    number key and selection mark) on at most two lines and no word broken."""
    if not choices:
        return True
    regular = [(i, c) for i, c in enumerate(choices) if not c.apart]
    # an option set apart is as wide as its label, its border and padding, and its margins
    apart = sum(len(f"{(i + 1) % 10} ✔ {c.label}") + 8 for i, c in enumerate(choices) if c.apart)
    if not regular:
        return apart <= room(width)
    inner = (room(width) - apart) // len(regular) - 5  # margin, border and padding of a box
    return all(
        max(len(word) for word in f"{(i + 1) % 10} ✔ {c.label}".split()) <= inner
        and len(f"{(i + 1) % 10} ✔ {c.label}") <= 2 * inner
        for i, c in regular
    )


@dataclass(frozen=True)
class Grid:
    """Numbered options (a 0-10 rating) in boxes of one width: ``columns`` a row, as few rows
    as fit, the rows balanced (0-5 over 6-10, not 0-9 over 10)."""

    columns: int
    box: int  # a box's width, its border included
    gap: int  # columns between boxes

    @property
    def width(self) -> int:
        return self.columns * (self.box + self.gap) - self.gap

    def right_edge(self, index: int) -> int:
        """The column just after the box of option ``index``."""
        return (index % self.columns) * (self.box + self.gap) + self.box


WIDEST_BOX = 9  # on a wide screen the boxes stop growing: the rating stays one compact row


def grid_for(labels: list[str], width: int) -> Grid:
    """The grid for numbered options in ``width`` columns: one row if each box holds its label
    with the selection mark ("✔ 10") and its border, else the fewest balanced rows."""
    count = len(labels)
    least = max(len(label) for label in labels) + 4  # "✔ " and the border
    for rows in range(1, count + 1):
        columns = -(-count // rows)
        for gap in (1, 0):
            box = (width + gap) // columns - gap
            if box >= least:
                return Grid(columns, min(box, max(least, WIDEST_BOX)), gap)
    return Grid(1, least, 0)


class OptionBox(Static):
    """One option; the parent `Choices` owns the highlight and the selection."""

    def __init__(self, index: int, text: str, apart: bool) -> None:
        super().__init__(plain(text), classes="option -apart" if apart else "option", markup=False)
        self.index = index

    def on_click(self, event: events.Click) -> None:
        event.stop()
        parent = self.parent
        while parent is not None and not isinstance(parent, Choices):
            parent = parent.parent
        if parent is not None:
            parent.focus()
            parent.pick(self.index)


class Choices(Widget, can_focus=True):
    """A focusable set of options."""

    DEFAULT_CSS = """
    Choices { height: auto; width: 100%; padding: 0 1; }
    Choices > .options { height: auto; width: 100%; }
    Choices.-row > .options { layout: horizontal; }
    Choices .option { height: auto; padding: 0 1; }
    Choices.-numbered .option { padding: 0; }
    Choices.-row .option {
        width: 1fr; min-width: 5; margin: 0 1 0 0; border: round $primary 40%;
        content-align: center middle; text-align: center;
    }
    Choices.-row .option.-apart { margin-left: 3; width: auto; }
    Choices.-column .option.-apart { margin-top: 1; }
    Choices.-row .option.-highlight, Choices.-grid .option.-highlight { border: round $accent; }
    Choices.-grid > .options { layout: grid; height: auto; width: auto; grid-rows: 3; }
    Choices.-grid .option {
        width: 100%; border: round $primary 40%; content-align: center middle;
        text-align: center;
    }
    Choices.-column .option.-highlight { text-style: bold; }
    Choices:focus .option.-highlight { background: $accent 30%; text-style: bold; }
    Choices .option.-selected { background: $primary; color: $text; text-style: bold; }
    """

    BINDINGS = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("up", "vertical(-1)", show=False),
        Binding("down", "vertical(1)", show=False),
        Binding("space", "pick_highlighted", show=False),
        Binding("enter", "confirm", show=False),
        Binding("delete", "clear", show=False),
        *[Binding(str(d), f"digit({d})", show=False) for d in range(10)],
    ]

    class Changed(Message):
        """The selection changed: a choice id, a list of ids (multiple), or ``None``."""

        def __init__(self, choices: Choices, value: str | list[str] | None) -> None:
            super().__init__()
            self.choices = choices
            self.value = value

        @property
        def control(self) -> Choices:
            return self.choices

    class Edge(Message):
        """An arrow pressed past the first (``step`` -1) or last (+1) option of a column."""

        def __init__(self, choices: Choices, step: int) -> None:
            super().__init__()
            self.choices = choices
            self.step = step

        @property
        def control(self) -> Choices:
            return self.choices

    class Confirmed(Message):
        """Enter: the participant wants to go on."""

        def __init__(self, choices: Choices) -> None:
            super().__init__()
            self.choices = choices

        @property
        def control(self) -> Choices:
            return self.choices

    def __init__(
        self,
        choices: list[Choice],
        value: str | list[str] | None = None,
        multiple: bool = False,
        row: bool = False,
        numbered: bool = False,
        id: str | None = None,
        grid: Grid | None = None,
    ) -> None:
        kind = "-grid" if grid else ("-row" if row else "-column")
        super().__init__(id=id, classes=kind + (" -numbered" if numbered else ""))
        self.grid = grid
        self.choices = choices
        self.multiple = multiple
        self.row = row or grid is not None
        self.numbered = numbered  # options are numbers: keys type the number itself
        ids = [c.id for c in choices]
        if multiple:
            self.selected: list[str] = [v for v in (value or []) if v in ids]
        else:
            self.selected = [value] if isinstance(value, str) and value in ids else []
        self.highlight = ids.index(self.selected[0]) if self.selected else 0
        self._typed = ""
        self._moved = False  # Enter picks the highlighted option only once arrows chose it
        self._typed_at = 0.0

    def compose(self) -> ComposeResult:
        with Horizontal(classes="options") if self.row else Vertical(classes="options"):
            for i, choice in enumerate(self.choices):
                yield OptionBox(i, self._text(i), choice.apart)

    def _text(self, index: int) -> str:
        """An option as shown: in a column with its number key and a radio or tick mark."""
        choice = self.choices[index]
        on = choice.id in self.selected
        if self.row:
            key = "" if self.numbered or index > 9 else f"{(index + 1) % 10} "
            return f"{key}{'✔ ' if on else ''}{choice.label}"
        key = f"{(index + 1) % 10}" if index <= 9 and not self.numbered else " "
        mark = ("[x]" if on else "[ ]") if self.multiple else ("(•)" if on else "( )")
        return f"{key} {mark} {choice.label}"

    def on_mount(self) -> None:
        if self.grid is not None:
            options = self.query_one(".options").styles
            options.grid_size_columns = self.grid.columns
            options.grid_columns = str(self.grid.box)
            options.grid_gutter_vertical = self.grid.gap  # between columns
            options.grid_gutter_horizontal = 0  # between rows
        self._refresh_classes()

    @property
    def value(self) -> str | list[str] | None:
        if self.multiple:
            return list(self.selected)
        return self.selected[0] if self.selected else None

    def _refresh_classes(self) -> None:
        for box in self.query(OptionBox):
            choice = self.choices[box.index]
            box.set_class(box.index == self.highlight, "-highlight")
            box.set_class(choice.id in self.selected, "-selected")
            box.update(plain(self._text(box.index)))

    def _scroll_to_highlight(self) -> None:
        """Keep the highlighted option in view: a long list (31 countries) runs past the screen."""
        for box in self.query(OptionBox):
            if box.index == self.highlight:
                # now, not after the next refresh: a scroll left pending would undo a later one
                # (the focus moving on to a then/now question's second row)
                box.scroll_visible(animate=False, immediate=True)

    def pick(self, index: int) -> None:
        """Select (single) or toggle (multiple) the option at ``index``."""
        if not 0 <= index < len(self.choices):
            return
        self.highlight = index
        choice_id = self.choices[index].id
        if self.multiple:
            if choice_id in self.selected:
                self.selected.remove(choice_id)
            else:
                self.selected.append(choice_id)
                order = [c.id for c in self.choices]
                self.selected.sort(key=order.index)
        else:
            self.selected = [choice_id]
        self._refresh_classes()
        self._scroll_to_highlight()
        self.post_message(self.Changed(self, self.value))

    def clear(self) -> None:
        """Take back the answer: nothing selected."""
        if not self.selected:
            return
        self.selected = []
        self._refresh_classes()
        self.post_message(self.Changed(self, self.value))

    def action_clear(self) -> None:
        self.clear()

    def action_move(self, step: int) -> None:
        self._moved = True
        self.highlight = max(0, min(len(self.choices) - 1, self.highlight + step))
        self._refresh_classes()
        self._scroll_to_highlight()

    def action_vertical(self, step: int) -> None:
        """In a column, move (past either end: `Edge`); in a grid, move a row up or down; in a
        row or past a grid's edge, leave it (a then/now question has two rows)."""
        if self.grid is not None and self.highlight + step * self.grid.columns in range(
            len(self.choices)
        ):
            self.action_move(step * self.grid.columns)
            return
        if not self.row:
            if self.highlight + step not in range(len(self.choices)):
                self.post_message(self.Edge(self, step))
                return
            self.action_move(step)
        elif step < 0:
            self.screen.focus_previous()
        else:
            self.screen.focus_next()

    def action_pick_highlighted(self) -> None:
        self.pick(self.highlight)

    def action_confirm(self) -> None:
        # single choice: Enter takes the option the arrows moved to, also over an earlier answer
        if (
            not self.multiple
            and self._moved
            and self.choices[self.highlight].id not in self.selected
        ):
            self.pick(self.highlight)
        self.post_message(self.Confirmed(self))

    def action_digit(self, digit: int) -> None:
        if not self.numbered:
            self.pick(digit - 1 if digit else 9)  # keys 1-9, and 0 for the tenth
            return
        now = time.monotonic()
        typed = (self._typed if now - self._typed_at < 1.0 else "") + str(digit)
        labels = [c.id for c in self.choices]
        if typed not in labels and str(digit) in labels:
            typed = str(digit)
        self._typed, self._typed_at = typed, now
        if typed in labels:
            self.pick(labels.index(typed))
