"""One clock for the core: with SOURCE_DATE_EPOCH set, what is dated (today) and what is stamped
(invitations, rows recorded, links expiring) agree, so a test can walk a programme's months."""

from __future__ import annotations

import datetime as dt

import pytest

from feedback.clock import moment, today
from feedback.invitations import utcnow
from feedback.store import now

EPOCH = dt.datetime(2026, 4, 20, 9, 30, tzinfo=dt.UTC)


def test_the_epoch_sets_the_day_and_the_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH.timestamp())))
    assert today() == dt.date(2026, 4, 20)
    assert moment() == EPOCH
    assert utcnow() == EPOCH
    assert now() == "2026-04-20T09:30:00+00:00"


def test_without_it_the_moment_is_the_real_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamped = moment()
    after = dt.datetime.now(dt.UTC)
    assert before <= stamped <= after
    assert stamped.microsecond == 0 and stamped.tzinfo is dt.UTC


def test_a_value_that_is_not_a_count_of_seconds_is_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert abs(moment() - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
