"""Survey text on screen as plain text: never markup, never a terminal control sequence.

Organisers write survey texts, titles and labels; a valid survey may hold ``[/x]``, ``[bold]``,
``[link=...]`` or an escape character. Every widget draws such text through `plain`, which returns
a Textual `Content` (taken as it is, whatever a widget's ``markup`` setting) with each control
character shown as its visible Unicode picture (ESC as ``␛``), so the text appears literally and
nothing reaches the terminal as a command.

Both live in the core's kiosk widget contract (`feedback.kiosk_widget`), so the widgets of question
types from other packages draw text the same way.
"""

from __future__ import annotations

from feedback.kiosk_widget import plain, visible

__all__ = ["plain", "visible"]
