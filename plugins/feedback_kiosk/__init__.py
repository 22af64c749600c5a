"""Built-in plugin: the terminal kiosk (Textual) and staff data entry of paper forms.

Textual is imported only when the kiosk runs, so ``import feedback`` stays free of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from feedback import hookimpl
from feedback.question_types import Rendering
from feedback.registry import Channel, SettingsSection

if TYPE_CHECKING:
    from feedback.cli import FeedbackGroup


@hookimpl
def register_commands(cli: FeedbackGroup) -> None:
    cli.add_lazy_command(
        "kiosk",
        "feedback_kiosk.cli:kiosk",
        "Run the survey kiosk at the venue: participants walk up, answer, and walk away.",
    )


@hookimpl
def register_channels(register: Callable[[Channel], None]) -> None:
    register(
        Channel(
            "kiosk",
            "Kiosk",
            "A terminal at the venue that participants walk up to.",
            rendering="kiosk",
            app="feedback_kiosk.embed:channel_app",
            phrase="at the kiosk",
        )
    )
    register(
        Channel(
            "paper",
            "Paper",
            "Paper forms keyed in by staff (`feedback kiosk --data-entry`).",
            phrase="on paper",
        )
    )


#: How the kiosk draws the built-in question types (`feedback.kiosk_widget`): loaded only when a
#: question of the type is drawn.
KIOSK_WIDGETS = {
    "single_choice": "feedback_kiosk.widgets.choice:ChoiceQuestionWidget",
    "multi_choice": "feedback_kiosk.widgets.choice:ChoiceQuestionWidget",
    "likert": "feedback_kiosk.widgets.choice:ChoiceQuestionWidget",
    "rating": "feedback_kiosk.widgets.choice:ChoiceQuestionWidget",
    "yes_no": "feedback_kiosk.widgets.choice:ChoiceQuestionWidget",
    "then_now": "feedback_kiosk.widgets.then_now:ThenNowWidget",
    "number": "feedback_kiosk.widgets.number:NumberWidget",
    "text": "feedback_kiosk.widgets.text:TextWidget",
    "date": "feedback_kiosk.widgets.date:DateWidget",
    "note": "feedback_kiosk.widgets.note:note_widget",
}


@hookimpl
def register_renderings(register: Callable[[Rendering], None]) -> None:
    for type_name, target in KIOSK_WIDGETS.items():
        register(Rendering(type_name, "kiosk", target))


@hookimpl
def register_settings(register: Callable[[SettingsSection], None]) -> None:
    from feedback_kiosk.settings import KioskSettings

    register(
        SettingsSection(
            "kiosk", KioskSettings, "The terminal kiosk at the venue.", own_section=True
        )
    )
