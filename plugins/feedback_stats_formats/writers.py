"""The SPSS and Stata writers: `feedback.variables` laid out as a data frame, written by pyreadstat.

Missing codes, in each package's own notation (pyreadstat's README, "Reading and writing user
defined missing values"):

- SPSS: `feedback.variables.NA` is -1 and `NOT_ASKED` -2, declared as the variable's discrete
  user-missing values (``missing_ranges``) and labelled. A number question's own values may be
  negative, so there a "not asked" is left system-missing (blank) rather than risk a real -2.
- Stata: ``.a`` (N/A, "don't know") and ``.b`` (not asked), extended missing values
  (``missing_user_values``), labelled in the variable's value label; every numeric variable can
  hold them, numbers included.

Text is written as it was typed, with no ``'`` before ``= + - @``: neither SPSS nor Stata runs a
cell as a formula, and a prefix would change the data an analyst codes and counts. A spreadsheet
made from such a file later is that program's export, not ours; the CSV and XLSX exports, which
are opened in spreadsheets, stay neutralised.

Label lengths are the formats' own: SPSS keeps a variable label of 256 bytes and a value label of
120, Stata a variable label of 80 characters; longer ones are cut with "…" (the codebook gives
them whole).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from feedback.registry import Export
from feedback.variables import NA, NOT_ASKED, Missing, Variable, Variables, survey_variables

Target = Literal["sav", "dta"]

SPSS_VARIABLE_LABEL = 256  # bytes
SPSS_VALUE_LABEL = 120  # bytes
SPSS_FILE_LABEL = 64  # bytes
STATA_VARIABLE_LABEL = 80  # characters
STATA_FILE_LABEL = 80  # characters
STATA_VALUE_LABEL = 32_000  # characters


def cut_bytes(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` UTF-8 bytes, ending in "…" when cut (never mid-character)."""
    if len(text.encode("utf-8")) <= limit:
        return text
    data = text.encode("utf-8")[: limit - len("…".encode())]
    return data.decode("utf-8", errors="ignore").rstrip() + "…"


def cut_chars(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(text: str, target: Target, spss: int, stata: int) -> str:
    return cut_bytes(text, spss) if target == "sav" else cut_chars(text, stata)


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _converter(variable: Variable, target: Target) -> Callable[[Any], Any]:
    """How a value of the variables model becomes a cell of ``target``'s column: a number (NaN
    for a blank) or a missing code in the target's notation; a date; a string."""
    if variable.kind in ("code", "flag", "number"):
        codes: dict[Any, Any] = {None: math.nan}
        if target == "dta":
            codes |= {m: m.stata for m in (NA, NOT_ASKED)}
        elif variable.kind == "number":  # its values may be negative: no codes of ours there
            codes |= {NA: math.nan, NOT_ASKED: math.nan}
        else:
            codes |= {m: (m.spss if m in variable.missing() else math.nan) for m in (NA, NOT_ASKED)}

        def number(value: Any) -> Any:
            return codes[value] if value is None or isinstance(value, Missing) else value

        return number
    if variable.kind == "date":
        return _date
    return lambda value: "" if value is None or isinstance(value, Missing) else str(value)


def frame(export: Export, target: Target) -> tuple[Any, dict[str, Any], int]:
    """The data frame and pyreadstat's keyword arguments for ``target``, and the row count.

    Rows are read one by one into a list per column (not kept as rows), and each column becomes
    its frame column in turn, its list let go: the peak holds about one copy of the data."""
    import pandas as pd

    variables = survey_variables(export.surveys)
    language = export.language
    converters = [_converter(v, target) for v in variables.variables]
    cells: list[list[Any]] = [[] for _ in variables.variables]
    appends = [column.append for column in cells]
    count = 0
    for row in variables.rows(export.records):
        for append, convert, value in zip(appends, converters, row, strict=True):
            append(convert(value))
        count += 1
    columns: dict[str, Any] = {}
    variable_labels: dict[str, str] = {}
    value_labels: dict[str, dict[Any, str]] = {}
    missing: dict[str, list[Any]] = {}
    formats: dict[str, str] = {}
    measures: dict[str, str] = {}
    for index, variable in enumerate(variables.variables):
        values, cells[index] = cells[index], []
        name = variable.name
        variable_labels[name] = _label(
            variable.label(language), target, SPSS_VARIABLE_LABEL, STATA_VARIABLE_LABEL
        )
        if variable.kind in ("code", "flag", "number"):
            stata_missing = target == "dta" and any(isinstance(v, str) for v in values)
            columns[name] = pd.Series(values, dtype=object if stata_missing else "float64")
            measures[name] = variable.measure
            labels = _value_labels(variable, language, target)
            if labels:
                value_labels[name] = labels
            if variable.kind != "number":
                formats[name] = "F8.0" if target == "sav" else "%8.0g"
            declared = [
                m for m in variable.missing() if target == "dta" or variable.kind != "number"
            ]
            if declared:
                missing[name] = [m.spss if target == "sav" else m.stata for m in declared]
        else:
            columns[name] = pd.Series(values, dtype=object)
            measures[name] = "scale" if variable.kind == "date" else "nominal"
        del values
    data = pd.DataFrame(columns)
    title = variables.survey.text(variables.survey.title, language)
    file_label = f"{title} ({variables.survey.id}, version {variables.survey.version})"
    options: dict[str, Any] = {
        "column_labels": variable_labels,
        "variable_value_labels": value_labels,
        "variable_format": formats,
    }
    if target == "sav":
        options["file_label"] = cut_bytes(file_label, SPSS_FILE_LABEL)
        options["missing_ranges"] = missing
        options["variable_measure"] = measures
    else:
        options["file_label"] = cut_chars(file_label, STATA_FILE_LABEL)
        options["missing_user_values"] = missing
    return data, options, count


def _value_labels(variable: Variable, language: str, target: Target) -> dict[Any, str]:
    labels: dict[Any, str] = {
        code: _label(text, target, SPSS_VALUE_LABEL, STATA_VALUE_LABEL)
        for code, text in variable.value_labels(language).items()
    }
    for m in variable.missing():
        if target == "sav" and variable.kind == "number":
            continue
        key = m.spss if target == "sav" else m.stata
        labels[key] = _label(
            variable.missing_label(m, language), target, SPSS_VALUE_LABEL, STATA_VALUE_LABEL
        )
    return labels


def write_sav(export: Export, path: Path) -> int:
    """Write an SPSS ``.sav`` file of the export; returns the number of responses."""
    import pyreadstat

    data, options, count = frame(export, "sav")
    pyreadstat.write_sav(data, path, **options)
    return count


def write_dta(export: Export, path: Path) -> int:
    """Write a Stata ``.dta`` file (for Stata 15 and later: UTF-8 text) of the export;
    returns the number of responses."""
    import pyreadstat

    data, options, count = frame(export, "dta")
    pyreadstat.write_dta(data, path, version=15, **options)
    return count


__all__ = ["Variables", "frame", "write_dta", "write_sav"]
