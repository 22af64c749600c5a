"""Built-in plugin: responses exported for SPSS (``.sav``) and Stata (``.dta``), with their meaning.

``feedback responses export --format sav|dta`` writes one survey's responses with the question as
each variable's label, the choices as value labels (in one language), "don't know" and "not asked"
as missing codes the packages themselves understand, and a multiple-choice question as one 0/1
variable per choice. The files are written by pyreadstat (ReadStat, the library R's haven uses), so
haven, SPSS and Stata read them as their own. The variables are `feedback.variables`: the same
names and codes as ``feedback survey codebook`` documents.

pandas and pyreadstat are imported only when one of these formats is chosen.
"""

from __future__ import annotations

from collections.abc import Callable

from feedback import hookimpl
from feedback.registry import ExportFormat


@hookimpl
def register_export_formats(register: Callable[[ExportFormat], None]) -> None:
    register(
        ExportFormat(
            "sav",
            ".sav",
            "feedback_stats_formats.writers:write_sav",
            "SPSS data file: variable and value labels, user-missing values",
        )
    )
    register(
        ExportFormat(
            "dta",
            ".dta",
            "feedback_stats_formats.writers:write_dta",
            "Stata data file (version 15, UTF-8): labels, extended missing values .a and .b",
        )
    )
