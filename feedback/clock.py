"""The core's clock: `today` and `moment`, or the moment of ``SOURCE_DATE_EPOCH`` when it is set.

Everything the core dates or stamps reads it (events "after today", follow-ups falling due,
invitations sent, links expiring, reminders due, rows recorded), so that the dates and times
agree, and a test can walk a programme through its months by setting one variable.
"""

from __future__ import annotations

import datetime as dt
import os

__all__ = ["moment", "today"]


def _epoch() -> dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return None


def today() -> dt.date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` when it is set (as reports read it): the
    clock that "after today" is checked against, which tests set."""
    fixed = _epoch()
    return fixed.date() if fixed is not None else dt.date.today()


def moment() -> dt.datetime:
    """Now in UTC, to the second, or the moment of ``SOURCE_DATE_EPOCH`` when it is set: the
    core's clock for what it stamps (invitations sent, links expiring, reminders falling due,
    rows recorded), so that a programme's months can be run through in a test, and the dates
    and times agree with `today`."""
    fixed = _epoch()
    return fixed if fixed is not None else dt.datetime.now(dt.UTC).replace(microsecond=0)
