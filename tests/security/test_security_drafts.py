"""Anonymous answers linkable through drafts (issue 12, item 8).

While someone fills in an anonymous survey by a personal link, the draft held the invitation's key
beside the future response id and the answers so far, and after submit its page survived in the
write-ahead log. Now no row, live or deleted, holds both an invitation and a response id: the
response id is made at submit; the draft of an anonymous survey is sealed under a key derived from
the participant's token (the database holds only its hash); after submit the log is emptied and
deleted rows are overwritten. The tests read the raw bytes of ``feedback.db`` and its log.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import query

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "feedback_web"))
from web_helpers import SHIPPED_ANSWERS, SHIPPED_PAGES, Web, web_site

from feedback.engine import Engine
from feedback.invitations import Invitations, hash_token
from feedback.migrations import migrations
from feedback.store import Store
from feedback_web.migrations import migrations as web_migrations

SECRET = "Zanzibar ferry timetables"  # a free-text answer, easy to find in raw bytes


@pytest.fixture
def web(project: Path, make_engine: Callable[..., Engine]) -> Iterator[Web]:
    with web_site(project, make_engine) as site:
        yield site


def pieces(db: Path) -> list[tuple[str, bytes]]:
    """Every page of the database file and every frame of its write-ahead log (stale ones too),
    as raw bytes, with where each is."""
    size = query(db, "PRAGMA page_size")[0][0]
    data = db.read_bytes()
    out = [(f"page {n + 1}", data[i : i + size]) for n, i in enumerate(range(0, len(data), size))]
    log = db.with_name(db.name + "-wal")
    if log.exists():
        raw = log.read_bytes()
        frame = 24 + size
        out += [
            (f"log frame {n + 1}", raw[i : i + frame])
            for n, i in enumerate(range(32, len(raw), frame))
        ]
    return out


def raw_files(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))


def test_no_page_or_log_frame_holds_an_invitation_beside_its_response(web) -> None:
    invitation, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    visitor.send(SHIPPED_PAGES[0])
    visitor.send(action="lang:nl")  # more drafts written, each a page in the log
    visitor.send(action="lang:en")
    for fields in SHIPPED_PAGES[1:-1]:
        visitor.send(fields)
    visitor.send(SHIPPED_PAGES[-1], action="save")
    page = visitor.open()
    page = visitor.send(SHIPPED_PAGES[-1])
    assert page.title == "Thank you"
    [(response_id,)] = query(web.db, "SELECT id FROM responses")

    draft_key = b"i:%d" % invitation.id
    marks = {"draft key": draft_key, "token hash": hash_token(token).encode()}
    together = [
        (where, name)
        for where, raw in pieces(web.db)
        if response_id.encode() in raw
        for name, mark in marks.items()
        if mark in raw
    ]
    assert together == []
    assert not any(draft_key in raw for _, raw in pieces(web.db))  # the draft is overwritten
    log = web.db.with_name(web.db.name + "-wal")
    assert not log.exists() or log.stat().st_size == 0  # the log was emptied after the submit
    [(completed, linked)] = query(
        web.db, f"SELECT completed, response FROM invitations WHERE id = {invitation.id}"
    )
    assert completed and linked is None


def test_an_anonymous_draft_cannot_be_read_from_the_database(web) -> None:
    _, token = web.invite()
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    for fields in SHIPPED_PAGES[:-1]:
        visitor.send(fields)
    last = [*SHIPPED_PAGES[-1][:2], ("improvements", SECRET)]
    assert visitor.send(last, action="save").title == "Your answers are saved"

    raw = raw_files(web.db)
    assert SECRET.encode() not in raw
    assert b"strongly_agree" not in raw and b'"role"' not in raw  # no answer in the clear
    [(invitation, response_id, language, answers, sealed)] = query(
        web.db, "SELECT invitation, response_id, language, answers, sealed FROM drafts"
    )
    assert invitation is not None and response_id is None
    assert (language, answers) == (None, None) and len(sealed) > 100

    # the participant's own link opens it: they go on where they left off
    page = visitor.open()
    assert page.value_of("improvements") == SECRET
    assert visitor.send().title == "Thank you"
    [(answers,)] = query(web.db, "SELECT answers FROM responses")
    assert json.loads(answers) == {**SHIPPED_ANSWERS, "improvements": SECRET}


def test_a_reminder_link_does_not_open_a_draft_sealed_under_the_first_link(web) -> None:
    invitation, first = web.invite()
    visitor = web.visitor(f"/s/{first}")
    visitor.open()
    visitor.send(SHIPPED_PAGES[0])
    reminder = Invitations(web.engine.store).issue_token(invitation)

    other = web.visitor(f"/s/{reminder}")
    page = other.open()
    assert page.status == 200 and page.title.startswith("Welcome")
    assert page.notice.startswith("You began this survey with the link from another email")
    assert page.checked() == set()  # nothing of the first link's answers
    assert visitor.open().title.startswith("What you learned")  # the first link goes on

    # going on with the reminder starts again, and stores one response
    for fields in SHIPPED_PAGES:
        page = other.send(fields)
    assert page.title == "Thank you"
    assert len(web.responses()) == 1 and web.drafts() == []
    assert visitor.open().title == "Already completed"


def test_a_named_survey_keeps_no_response_id_in_its_draft_either(web) -> None:
    (web.project / "surveys" / "named.yaml").write_text(
        "id: named\ntitle: {en: Named}\nanonymous: false\nquestions:\n"
        "  - {id: note, type: text, label: {en: 'Anything?'}}\n"
        "  - {id: more, type: text, label: {en: 'More?'}, show_if: {note: ['x']}}\n",
        encoding="utf-8",
    )
    invitation, token = web.invite(survey="named")
    visitor = web.visitor(f"/s/{token}")
    visitor.open()
    visitor.send([("note", "hello")], action="save")
    assert query(web.db, "SELECT response_id, answers FROM drafts") == [(None, '{"note":"hello"}')]
    visitor.open()
    assert visitor.send().title == "Thank you"
    [(response_id,)] = query(web.db, "SELECT id FROM responses")
    assert query(web.db, f"SELECT response FROM invitations WHERE id = {invitation.id}") == [
        (response_id,)  # not anonymous: linked, as the participant was told
    ]


def test_an_older_database_loses_the_response_ids_of_its_personal_drafts(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path, migrate=False) as old, old.write():
        migrations.apply(old.db, stop_before="0004_sealed_drafts")
        # the drafts table as release 0.1's core 0002 made it (the web plugin's now)
        old.conn.execute(
            "CREATE TABLE drafts (key TEXT PRIMARY KEY, invitation INTEGER REFERENCES"
            " invitations(id) ON DELETE CASCADE, event TEXT NOT NULL REFERENCES events(id),"
            " survey TEXT NOT NULL, survey_version TEXT NOT NULL, response_id TEXT NOT NULL,"
            " language TEXT NOT NULL, page INTEGER NOT NULL DEFAULT 0,"
            " answers TEXT NOT NULL DEFAULT '{}', updated TEXT NOT NULL)"
        )
        old.conn.execute("INSERT INTO events (id, title) VALUES ('ev', 'Event')")
        old.conn.execute("INSERT INTO people (id, name) VALUES (1, 'Ann')")
        old.conn.execute(
            "INSERT INTO invitations (id, token_hash, person, event, survey, language, created,"
            " expires) VALUES (1, 'h', 1, 'ev', 's', 'en', 'now', 'later')"
        )
        for key, invitation in (("i:1", 1), ("o:abc", None)):
            old.conn.execute(
                "INSERT INTO drafts (key, invitation, event, survey, survey_version, response_id,"
                " language, page, answers, updated) VALUES (?, ?, 'ev', 's', 'v', ?, 'en', 1,"
                " '{}', 'now')",
                [key, invitation, f"response-of-{key}"],
            )
    with Store(path, plugin_migrations=[web_migrations]) as store:
        rows = store.conn.execute("SELECT key, response_id FROM drafts ORDER BY key").fetchall()
        assert rows == [("i:1", None), ("o:abc", "response-of-o:abc")]
        with pytest.raises(sqlite3.IntegrityError), store.write():
            store.conn.execute("UPDATE drafts SET response_id = 'r' WHERE key = 'i:1'")
    assert b"response-of-i:1" not in raw_files(path)
