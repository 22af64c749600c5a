"""Events (one seminar each) as validated records."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, field_validator

from feedback.survey import Slug


def _country(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(
            f"expected an ISO 3166 two-letter country code such as NL, found {value!r}"
        )
    return code


#: ISO 3166-1 alpha-2, upper case ("NL", "GB").
Country = Annotated[str, AfterValidator(_country)]


class Event(BaseModel):
    """A seminar: id (a slug such as ``hague-2011``), title, date, city, country, programme."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    date: dt.date | None = None
    city: str | None = None
    country: Country | None = None
    programme: Slug | None = None
    #: Whether the event's open link (``/e/<event>``, the venue QR code) takes answers.
    open_link: bool = False

    @field_validator("city")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    def row(self) -> dict[str, Any]:
        data = self.model_dump()
        data["date"] = self.date.isoformat() if self.date else None
        data["open_link"] = int(self.open_link)
        return data
