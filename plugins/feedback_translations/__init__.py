"""Built-in plugin: a survey's texts for translators, as gettext PO files (through babel).

- ``feedback survey translations export --language fr``: a PO file of every string of a survey,
  the source language's text as msgid and a stable context naming the string as msgctxt;
- ``feedback survey translations import FILE.po``: the translations written into the survey's
  file, and a list of what is missing, fuzzy or no longer used.

A translator works in a PO editor (Poedit, Weblate, Lokalize) and never edits the YAML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback import hookimpl

if TYPE_CHECKING:
    from feedback.cli import FeedbackGroup


@hookimpl
def register_commands(cli: FeedbackGroup) -> None:
    cli.add_lazy_command(
        "survey translations",
        "feedback_translations.cli:translations",
        "A survey's texts as PO files for translators, and their translations back.",
    )
