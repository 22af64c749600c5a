"""Built-in plugin: XLSForms (KoboToolbox, ODK) in and out, and their submissions in.

- ``load_survey``: an XLSForm workbook (found by its content: a spreadsheet with a ``survey``
  sheet) is read through pyxform into our survey, or refused with every row we cannot carry over;
  so a project's ``surveys/form.xlsx`` is a survey, and ``feedback survey import form.xlsx``
  writes it as YAML;
- ``feedback xlsform export``: a survey as an XLSForm to upload to KoboToolbox or ODK Central;
- ``feedback xlsform submissions``: the CSV of submissions KoboToolbox or ODK Central exports,
  each submission's instance id its response id, so importing it twice adds nothing.

Nothing heavy is imported here: pyxform and openpyxl load when a workbook is read or written.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from feedback import hookimpl
from feedback.registry import Channel

if TYPE_CHECKING:
    from feedback.cli import FeedbackGroup
    from feedback.loading import SurveyDocument

#: how a legacy ``.xls`` (an OLE2 compound file) begins
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_workbook(path: Path) -> bool:
    """Whether ``path`` holds a spreadsheet (by its content, whatever its name)."""
    try:
        with path.open("rb") as handle:
            start = handle.read(8)
    except OSError:
        return False
    if start == _OLE2:
        return True
    if not start.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


@hookimpl
def load_survey(path: Path) -> SurveyDocument | None:
    """XLSForm (.xlsx): KoboToolbox, ODK, SurveyCTO, recognised by its survey sheet."""
    if not is_workbook(path):
        return None
    from feedback.loading import SurveyDocument
    from feedback_xlsform.reading import read_xlsform

    data, positions = read_xlsform(path)
    return SurveyDocument(data=data, source=path, positions=positions, format="XLSForm")


@hookimpl
def register_commands(cli: FeedbackGroup) -> None:
    cli.add_lazy_command(
        "xlsform",
        "feedback_xlsform.cli:xlsform",
        "XLSForms for KoboToolbox and ODK: export a survey, import its submissions.",
    )


@hookimpl
def register_channels(register: Callable[[Channel], None]) -> None:
    register(
        Channel(
            "kobo",
            "KoboToolbox / ODK",
            "Submissions collected with KoboToolbox or ODK Collect from an XLSForm of the survey, "
            "imported from their CSV export with `feedback xlsform submissions`.",
            phrase="through KoboToolbox or ODK",
        )
    )
