"""The web form's tables belong to the web plugin: a database made by release 0.1 (whose core made
them) upgrades cleanly and keeps its rows; a new database gets them only through the plugin.

``tests/data/database-0.1.sqlite`` was made by the code of release 0.1 (commit 45440d3; see
``tests/data/make_database_0_1.py``): every core migration of that release applied, a response, a
sent invitation, an open link's draft, a personal link's sealed draft, a secret and a failed link.
Each test works on a copy.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import make_response, pm_with_formats
from starlette.testclient import TestClient

import feedback_web
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.invitations import Invitations
from feedback.migrations import migrations
from feedback.store import Store
from feedback_web.app import make_app
from feedback_web.drafts import Draft, Drafts
from feedback_web.migrations import migrations as web_migrations

DATA = Path(__file__).resolve().parents[1] / "data"
OLD = DATA / "database-0.1.sqlite"
TOKEN = (DATA / "database-0.1.token").read_text(encoding="utf-8").strip()
WEB_TABLES = ("drafts", "secrets", "web_failed_links")
#: the core migrations release 0.1 had applied
RELEASE_0_1 = [
    "0001_initial",
    "0002_invitations",
    "0003_event_open_link",
    "0004_sealed_drafts",
    "0005_web_failed_links",
    "0006_partial_responses",
]
#: every core migration now, in order (tests/core/test_store.py spells the list out)
CORE = [m.name for m in migrations._migrations]
WEB = [
    "feedback_web:0001_drafts_and_secrets",
    "feedback_web:0002_sealed_drafts",
    "feedback_web:0003_failed_links",
]


@pytest.fixture
def old_project(project: Path) -> Path:
    shutil.copyfile(OLD, project / "feedback.db")
    return project


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def shape(db: Path, table: str) -> tuple[list[tuple], list[tuple], list[tuple], list[str]]:
    """A table's columns, foreign keys, indexes and checks, whatever its CREATE text says."""
    conn = sqlite3.connect(db)
    try:
        columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
        keys = conn.execute(f"PRAGMA foreign_key_list({table})").fetchall()
        indexes = sorted(
            (name, unique, tuple(c[2] for c in conn.execute(f"PRAGMA index_info({name})")))
            for _, name, unique, *_ in conn.execute(f"PRAGMA index_list({table})")
        )
        [(sql,)] = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table])
        checks = sorted(" ".join(c.split()) for c in sql.split("CHECK")[1:])
        return columns, keys, indexes, checks
    finally:
        conn.close()


def test_the_fixture_is_a_database_of_release_0_1() -> None:
    """What the old code left: its core made the web form's tables, and recorded only the core."""
    assert rows(OLD, "SELECT migration_set, name FROM _sqlite_migrations ORDER BY id") == [
        ("feedback", name) for name in RELEASE_0_1
    ]
    tables = {name for (name,) in rows(OLD, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(WEB_TABLES) <= tables


def test_a_database_of_release_0_1_upgrades_and_keeps_the_web_form_s_rows(
    old_project: Path,
) -> None:
    db = old_project / "feedback.db"
    before = {table: rows(db, f"SELECT * FROM {table} ORDER BY 1") for table in WEB_TABLES}
    assert all(before.values())  # one row each at least, to keep
    engine = Engine(settings=load_settings(old_project), pm=pm_with_formats(feedback_web))
    try:
        assert engine.store.applied_migrations() == CORE + WEB
        after = {table: rows(db, f"SELECT * FROM {table} ORDER BY 1") for table in WEB_TABLES}
        assert after == before
        # the drafts open as before: the open link's in the clear, the personal one with its token
        drafts = Drafts(engine.store)
        opened = drafts.draft("o:open-1")
        assert opened is not None and opened.answers == {"role": "ngo"} and opened.page == 1
        invitation = Invitations(engine.store).find(TOKEN)
        assert invitation is not None and invitation.email == "ann@example.org"
        sealed = drafts.draft(f"i:{invitation.id}", TOKEN)
        assert sealed is not None and (sealed.page, sealed.answers) == (1, {"role": "ngo"})
        [csrf] = [value for name, value in before["secrets"] if name == "csrf"]
        assert drafts.secret("csrf").hex() == csrf  # the same key: forms in flight stay valid
        # and it works: the web form resumes the sealed draft on its page, drafts are written,
        # responses are stored
        page = TestClient(make_app(engine)).get(f"/s/{TOKEN}")
        assert page.status_code == 200
        assert '<input type="hidden" name="page" value="1">' in page.text
        survey = engine.survey("post-seminar")
        drafts.save_draft(
            Draft("o:new", None, "hague-2011", "post-seminar", survey.version, "r-2", "en", 0,
                  {"role": "mp"}, "")
        )  # fmt: skip
        assert [d.key for d in drafts.drafts()] == ["o:open-1", "o:new"]
        engine.submit(make_response("post-seminar", {"role": "mp"}))
        assert engine.store.count_responses() == 2
    finally:
        engine.close()
    again = Store(db, plugin_migrations=[web_migrations])
    try:
        assert again.migrate() == []  # upgraded once
    finally:
        again.close()


def test_the_upgraded_tables_have_the_shape_a_new_database_gets(
    old_project: Path, tmp_path: Path
) -> None:
    with Store(old_project / "feedback.db", plugin_migrations=[web_migrations]):
        pass
    with Store(tmp_path / "new.db", plugin_migrations=[web_migrations]):
        pass
    for table in WEB_TABLES:
        assert shape(old_project / "feedback.db", table) == shape(tmp_path / "new.db", table)
    assert shape(OLD, "drafts") == shape(tmp_path / "new.db", "drafts")


def test_a_new_database_gets_the_web_form_s_tables_only_through_the_web_plugin(
    project: Path,
) -> None:
    core_only = Engine(settings=load_settings(project), pm=pm_with_formats())
    try:
        tables = set(core_only.store.db.table_names())
        assert {"events", "responses", "invitations", "invitation_tokens"} <= tables
        assert not set(WEB_TABLES) & tables
        assert core_only.store.applied_migrations() == CORE
    finally:
        core_only.close()
    with_web = Engine(settings=load_settings(project), pm=pm_with_formats(feedback_web))
    try:
        assert set(WEB_TABLES) <= set(with_web.store.db.table_names())
        assert with_web.store.applied_migrations() == CORE + WEB
    finally:
        with_web.close()
    assert rows(
        project / "feedback.db",
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'feedback_web' ORDER BY id",
    ) == [(name.split(":")[1],) for name in WEB]


def test_the_web_app_makes_its_tables_on_an_engine_without_the_web_plugin(
    project: Path,
) -> None:
    """A test or an embedding program may hand the web app an engine whose plugin manager does
    not hold the web plugin: the app makes its tables itself."""
    engine = Engine(settings=load_settings(project), pm=pm_with_formats())
    try:
        make_app(engine)
        assert set(WEB_TABLES) <= set(engine.store.db.table_names())
    finally:
        engine.close()


def test_the_core_s_migrations_alone_leave_a_release_0_1_database_as_it_was(
    old_project: Path,
) -> None:
    """Opened by the core alone (no web plugin), an old database keeps the web form's tables and
    rows: nothing of the core drops or changes them."""
    db = old_project / "feedback.db"
    before = {table: rows(db, f"SELECT * FROM {table} ORDER BY 1") for table in WEB_TABLES}
    with Store(db) as store:
        assert store.migrate() == []
        assert store.applied_migrations() == [m.name for m in migrations._migrations]
    assert {table: rows(db, f"SELECT * FROM {table} ORDER BY 1") for table in WEB_TABLES} == before
