"""What every channel needs to speak the participant's language: a table of words looked up by
language (``nl-BE`` finds ``nl``, English fills the gaps) and dates written out in words.

Each plugin keeps its own words; this module only looks them up, the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
}


def base_language(language: str) -> str:
    """``nl-BE`` -> ``nl``."""
    return language.split("-")[0].lower()


def own_words(table: dict[str, dict[str, str]], language: str) -> dict[str, str] | None:
    """The table's words in ``language`` or its base language; ``None`` when it has none."""
    return table.get(language) or table.get(base_language(language))


def words_in(table: dict[str, dict[str, str]], language: str) -> dict[str, str]:
    """The table's words in ``language``, English for any word or language it lacks."""
    return {**table["en"], **(own_words(table, language) or {})}


def language_name(table: dict[str, dict[str, str]], language: str) -> str:
    """The language's own name (``Nederlands``) from the table's ``language_name`` word."""
    return (own_words(table, language) or {}).get("language_name", language)


def long_date(value: Any, language: str = "en") -> str:
    """``2011-01-26`` as ``26 January 2011`` (``26 januari 2011``); ``""`` for none, and text that
    is no date as it is."""
    if value is None or value == "":
        return ""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    months = MONTHS.get(base_language(language), MONTHS["en"])
    return f"{day.day} {months[day.month - 1]} {day.year}"


def short_date(value: Any) -> str:
    """``2011-01-26`` as ``26 Jan 2011``, in English (the width of a chart's axis label); text
    that is no date as it is."""
    text = long_date(value, "en")
    parts = text.split(" ")
    if len(parts) == 3 and parts[1] in MONTHS["en"]:
        parts[1] = parts[1][:3]
    return " ".join(parts)


def plural(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in agreement: ``1 response``, ``2 responses``, ``0 responses``.

    :param plural: the plural form when it is not ``singular`` + ``s`` (``1 survey file has``,
        ``2 survey files have``).
    """
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
