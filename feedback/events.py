"""Events (one seminar each) as validated records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, field_validator

from feedback import countries
from feedback.clock import moment as moment  # re-exported: the core clock
from feedback.clock import today as today
from feedback.survey import Slug
from feedback.text import MAX_CITY, MAX_TITLE, plain_text


def _country(value: str) -> str:
    return countries.code(value)  # UnknownCountry is a ValueError: pydantic reports it


def event_date(row: Mapping[str, Any] | None) -> dt.date | None:
    """The date of a stored event, or ``None`` (no event, no date, or not a date)."""
    value = row.get("date") if row is not None else None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


#: ISO 3166-1 alpha-2, upper case ("NL", "GB"); a common alias ("UK") or an English or Dutch
#: name ("Netherlands", "Duitsland") is taken as its code.
Country = Annotated[str, AfterValidator(_country)]


class Event(BaseModel):
    """A seminar: id (a slug such as ``hague-2011``), title, date, city, country, programme.

    The title and the city are plain text (`feedback.text`): they go into email subjects and
    terminal tables, so control characters and email encoded words are refused.
    """

    model_config = ConfigDict(extra="forbid")

    id: Slug
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1), plain_text(MAX_TITLE)
    ]
    date: dt.date | None = None
    city: Annotated[str | None, plain_text(MAX_CITY)] = None
    country: Country | None = None
    programme: Slug | None = None
    #: Whether the event's open link (``/e/<event>``, the venue QR code) takes answers.
    open_link: bool = False

    @field_validator("city", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() or None if isinstance(value, str) else value

    def row(self) -> dict[str, Any]:
        data = self.model_dump()
        data["date"] = self.date.isoformat() if self.date else None
        data["open_link"] = int(self.open_link)
        return data
