"""The store's methods that let a plugin (the merge) write core tables without SQL of its own:
each keeps what is stored and says whether it changed anything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import EVENT

from feedback.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "feedback.db") as store:
        yield store


def test_add_event_keeps_ours(store: Store) -> None:
    with store.write():
        assert store.add_event({"id": "hague-2011", "title": "Ours"}) is True
        assert store.add_event({"id": "hague-2011", "title": "Theirs"}) is False
    assert store.event("hague-2011")["title"] == "Ours"  # type: ignore[index]
    with pytest.raises(ValueError, match="no column 'colour'"), store.write():
        store.add_event({"id": "x", "title": "X", "colour": "red"})


def test_people_are_found_by_email_or_else_by_who_they_are(store: Store) -> None:
    with store.write():
        ann = store.add_person({"name": "Ann", "email": "ann@example.org"})
        walk_in = store.add_person({"name": "Walk-in", "role": "mp", "country": "NL"})
    assert store.find_person({"name": "Anna", "email": "ANN@example.org"}) == ann
    assert store.find_person({"name": "Walk-in", "role": "mp", "country": "NL"}) == walk_in
    assert store.find_person({"name": "Walk-in", "role": "ngo", "country": "NL"}) is None
    with store.write():
        assert store.fill_person(walk_in, {"role": "ngo", "organisation": "Parliament"}) == 1
    [row] = [r for r in store.db.query("SELECT * FROM people WHERE id = ?", [walk_in])]
    assert (row["role"], row["organisation"]) == ("mp", "Parliament")  # known: never overwritten
    with pytest.raises(ValueError), store.write():
        store.fill_person(walk_in, {"id = 1; --": "x"})


def test_merged_attendance_is_never_lowered(store: Store) -> None:
    with store.write():
        store.upsert_event(dict(EVENT))
        person = store.add_person({"name": "Ann"})
        assert store.merge_attendance(person, EVENT["id"], invited=True, attended=False)
        assert store.merge_attendance(person, EVENT["id"], invited=True, attended=True)
        assert not store.merge_attendance(person, EVENT["id"], invited=False, attended=False)
    assert [(r["invited"], r["attended"]) for r in store.roster(EVENT["id"])] == [(1, 1)]


def test_a_conflict_and_a_survey_version_are_kept_once(store: Store) -> None:
    with store.write():
        assert store.save_survey_version("s", "0" * 16, "S", "{}", first_seen="2011-01-26")
        assert not store.save_survey_version("s", "0" * 16, "S", "{}")
        rid = "11111111-1111-4111-8111-111111111111"
        assert store.add_conflict(rid, "kiosk", "{}", "h1", received="2011-01-27T10:00:00")
        assert not store.add_conflict(rid, "kiosk", "{}", "h1")
    assert store.survey_versions("s")[0]["first_seen"] == "2011-01-26"
    assert [c["received"] for c in store.conflicts()] == ["2011-01-27T10:00:00"]
