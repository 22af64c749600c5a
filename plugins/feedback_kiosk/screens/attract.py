"""The attract screen: the event, the languages, "press Enter or click to begin"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from feedback_kiosk.i18n import language_name, words
from feedback_kiosk.plain import plain


class AttractScreen(Screen[None]):
    BINDINGS = [
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, title: str, event_title: str, languages: list[str]) -> None:
        super().__init__(id="attract")
        self.survey_title = title
        self.event_title = event_title
        self.languages = languages

    def compose(self) -> ComposeResult:
        with Vertical(id="attract-box"):
            yield Static(plain(self.event_title), id="attract-event", markup=False)
            yield Static(plain(self.survey_title), id="attract-title", markup=False)
            prompts = " / ".join(words(lang)["choose_language"] for lang in self.languages)
            yield Static(prompts, id="attract-choose", markup=False)
            with Center(), Horizontal(id="languages"):
                for n, lang in enumerate(self.languages, start=1):
                    label = (
                        f"{n}  {language_name(lang)}"
                        if len(self.languages) > 1
                        else language_name(lang)
                    )
                    yield Button(label, id=f"lang-{lang}", classes="language")
            begin = " / ".join(dict.fromkeys(words(lang)["begin"] for lang in self.languages))
            yield Static(begin, id="attract-begin", markup=False)
            yield Static("F2: high contrast", id="attract-keys", markup=False)

    def on_mount(self) -> None:
        # after the refresh: a screen switched in while the app is busy (an idle reset under
        # load) may not hold its buttons yet when it mounts, and a kiosk must never crash
        self.call_after_refresh(self._focus_first_language)

    def _focus_first_language(self) -> None:
        for button in self.query(Button):
            button.focus()
            return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("lang-"):
            self.app.begin(event.button.id.removeprefix("lang-"))  # type: ignore[attr-defined]

    def action_pick(self, n: int) -> None:
        if 1 <= n <= len(self.languages):
            self.app.begin(self.languages[n - 1])  # type: ignore[attr-defined]
