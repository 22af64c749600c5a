"""Built-in plugin: forms that work with no server and no network, paper forms, their import, and
the merge of databases from several kiosks.

- ``feedback offline form``: one self-contained HTML file that works opened from disk;
- ``feedback offline paper``: a printable form (PDF or HTML) with tick boxes and a form code;
- ``feedback offline template``: a CSV for keying in paper forms;
- ``feedback offline import``: response files and filled CSV templates, each file all or nothing;
- ``feedback merge``: the responses, events, surveys, people and attendance of other databases.
- ``feedback attendance sheet``: a printable sign-in sheet (PDF or HTML) of an event's roster.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from feedback import hookimpl
from feedback.question_types import Rendering
from feedback.registry import Channel

if TYPE_CHECKING:
    from feedback.cli import FeedbackGroup
    from feedback.engine import Engine
    from feedback.paper_entry import PaperEntry
    from feedback.survey import Survey


@hookimpl
def register_commands(cli: FeedbackGroup) -> None:
    cli.add_lazy_command(
        "offline",
        "feedback_offline.cli:offline",
        "Forms without a server or network: a standalone HTML form, paper, and their import.",
    )
    cli.add_lazy_command(
        "merge",
        "feedback_offline.merging:merge",
        "Merge other feedback databases (one per kiosk laptop) into this project's.",
    )
    cli.add_lazy_command(
        "attendance",
        "feedback_offline.attendance:attendance",
        "Sign-in sheets and badges that prove attendance.",
    )


@hookimpl
def register_channels(register: Callable[[Channel], None]) -> None:
    register(
        Channel(
            "offline",
            "Offline form",
            "A standalone HTML file filled in with no network; its response files are imported "
            "with `feedback offline import`.",
            phrase="on the offline form",
        )
    )


@hookimpl
def paper_entry(engine: Engine, event: dict[str, Any], survey: Survey) -> PaperEntry:
    """Paper forms keyed in on a data-entry screen read and become what a row of the entry
    template does (`feedback_offline.entry.PaperForms`)."""
    from feedback_offline.entry import PaperForms

    return PaperForms(engine, event, survey)


#: How the paper form prints and keys in the built-in question types (`feedback.paper_layout`):
#: loaded only when a paper form or entry template is made or read.
PAPER_LAYOUTS = {
    "single_choice": "feedback_offline.paper_layouts:ChoiceLayout",
    "multi_choice": "feedback_offline.paper_layouts:MultiLayout",
    "likert": "feedback_offline.paper_layouts:ScaleLayout",
    "then_now": "feedback_offline.paper_layouts:ThenNowLayout",
    "rating": "feedback_offline.paper_layouts:RatingLayout",
    "yes_no": "feedback_offline.paper_layouts:YesNoLayout",
    "number": "feedback_offline.paper_layouts:NumberLayout",
    "text": "feedback_offline.paper_layouts:TextLayout",
    "date": "feedback_offline.paper_layouts:DateLayout",
    "note": "feedback_offline.paper_layouts:NoteLayout",
}


#: How the offline form draws the built-in question types: the core's components (types.js).
OFFLINE_COMPONENTS = "feedback:static/js/types.js"


@hookimpl
def register_renderings(register: Callable[[Rendering], None]) -> None:
    for type_name, target in PAPER_LAYOUTS.items():
        register(Rendering(type_name, "paper", target))
        register(Rendering(type_name, "offline", OFFLINE_COMPONENTS))
