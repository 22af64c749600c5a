"""The SQLite store on real files: connection settings, migrations, transactions, concurrency."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import time
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest
from helpers import make_response

from feedback.engine import Engine
from feedback.errors import StoreError
from feedback.migrations import migrations
from feedback.store import Store
from feedback_web.migrations import migrations as web_migrations


def response(**answers: object) -> dict:
    return make_response("post-seminar", {"role": "mp", **answers})


def test_pragmas_are_set_on_every_connection(tmp_path: Path) -> None:
    with Store(tmp_path / "f.db", busy_timeout=7.5) as store:
        pragma = lambda name: store.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 7500
        assert pragma("secure_delete") == 1  # whatever the SQLite build's default


def test_migrations_are_numbered_recorded_and_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    with Store(path) as store:
        assert store.applied_migrations() == [m.name for m in migrations._migrations]
        assert store.applied_migrations()[0] == "0001_initial"
        assert store.applied_migrations()[-1] == "0013_erased_people"
        tables = set(store.db.table_names())
        assert {"events", "people", "attendance", "surveys", "responses", "conflicts"} <= tables
        assert {"invitations", "outcomes", "indicator_values"} <= tables
        assert "answers" in store.db.view_names()
        assert not {"drafts", "secrets", "web_failed_links"} & tables  # the web plugin's
    with Store(path) as again:
        assert again.migrate() == []


def test_a_plugin_s_migrations_follow_the_core_s_and_are_recorded_under_its_name(
    tmp_path: Path,
) -> None:
    path = tmp_path / "f.db"
    with Store(path, plugin_migrations=[web_migrations]) as store:
        core = [m.name for m in migrations._migrations]
        web = [f"feedback_web:{m.name}" for m in web_migrations._migrations]
        assert store.applied_migrations() == [*core, *web]
        assert web == [
            "feedback_web:0001_drafts_and_secrets",
            "feedback_web:0002_sealed_drafts",
            "feedback_web:0003_failed_links",
        ]
        assert {"drafts", "secrets", "web_failed_links"} <= set(store.db.table_names())
        recorded = store.conn.execute(
            "SELECT migration_set, name FROM _sqlite_migrations ORDER BY id"
        ).fetchall()
        assert recorded == [("feedback", name) for name in core] + [
            ("feedback_web", m.name) for m in web_migrations._migrations
        ]
    with Store(path) as core_only:  # the core alone leaves the plugin's set as it is
        assert core_only.migrate() == []
        assert core_only.migrate([web_migrations]) == []


def test_write_rolls_back_everything_on_error(tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store:
        with pytest.raises(RuntimeError), store.write():
            store.db["events"].insert({"id": "a", "title": "A"})
            raise RuntimeError("boom")
        assert store.events() == []
        assert not store.conn.in_transaction


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store, pytest.raises(sqlite3.IntegrityError), store.write():
        store.set_attendance(999, "no-such-event", invited=True, attended=True)


def test_unwritable_location_is_a_clear_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(tmp_path / "missing-dir" / "f.db")


def test_answers_view_gives_long_form(engine: Engine) -> None:
    engine.submit(response(country="NL", rapporteur_role={"then": "little", "now": "good"}))
    rows = list(engine.store.db.query("SELECT question, value FROM answers ORDER BY question"))
    assert [r["question"] for r in rows] == ["country", "rapporteur_role", "role"]
    assert json.loads(rows[1]["value"]) == {"then": "little", "now": "good"}


def _hold_write_lock(path: str, ready: multiprocessing.Event, seconds: float) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO events (id, title) VALUES ('other', 'Held by another writer')")
    ready.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def hold_write_lock(db: Path, seconds: float) -> BaseProcess:
    """Another process holding the write lock on ``db`` for ``seconds``, once it holds it."""
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_write_lock, args=(str(db), ready, seconds), daemon=True)
    holder.start()
    assert ready.wait(30)
    return holder


def test_second_writer_waits_instead_of_failing(engine: Engine) -> None:
    """Another process (a second kiosk) holds the write lock; a submit waits, then succeeds."""
    holder = hold_write_lock(engine.store.path, 1.0)
    started = time.monotonic()
    assert engine.submit(response()) == "stored"
    waited = time.monotonic() - started
    holder.join(30)
    assert waited > 0.5  # it really waited for the other writer
    assert engine.store.count_responses() == 1
    assert engine.store.event("other") is not None


def test_writer_gives_up_after_busy_timeout_and_nothing_is_written(
    engine: Engine, project: Path
) -> None:
    from feedback.config import load_settings

    quick = Engine(
        settings=load_settings(project, busy_timeout=0.2), pm=engine.pm
    )  # same database, short patience
    holder = hold_write_lock(engine.store.path, 2.0)
    with pytest.raises(StoreError, match="cannot start a write"):
        quick.submit(response())
    holder.join(30)
    quick.close()
    assert engine.store.count_responses() == 0


def test_a_database_of_the_first_release_is_brought_up_to_date_with_its_data(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    with Store(path, migrate=False) as old:
        with old.write():
            migrations.apply(old.db, stop_before="0002_invitations")
            old.db["events"].insert({"id": "ev", "title": "Event"})
            old.db["people"].insert({"name": "Ann", "email": "ann@example.org", "role": "mp"})
        assert old.applied_migrations() == ["0001_initial"]
    with Store(path, plugin_migrations=[web_migrations]) as store:
        assert store.applied_migrations() == [
            "0001_initial",
            "0002_invitations",
            "0003_event_open_link",
            "0004_sealed_drafts",
            "0005_web_failed_links",
            "0006_partial_responses",
            "0007_outcomes",
            "0008_indicator_values",
            "0009_response_links",
            "0010_erasures",
            "0011_attendance_evidence",
            "0012_checkin_passes",
            "0013_erased_people",
            "feedback_web:0001_drafts_and_secrets",
            "feedback_web:0002_sealed_drafts",
            "feedback_web:0003_failed_links",
        ]
        person = store.person_by_email("ann@example.org")
        assert person is not None and person["role"] == "mp" and person["language"] is None
        assert {"invitation_tokens", "drafts", "secrets"} <= set(store.db.table_names())
        columns = {c.name for c in store.db["invitations"].columns}
        assert {"token_hash", "person", "event", "survey", "sent", "reminded", "expires"} <= columns
        assert {"completed", "response", "language", "failed", "error"} <= columns
