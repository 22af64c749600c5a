"""How ``database-0.1.sqlite`` was made: a project database as the code before plugins owned their
tables (commit 45440d3) left it, every core migration applied (0001-0006), with a row in each
table the web form used (an open link's draft, a sealed personal draft, a secret, a failed link)
and a stored response to the shipped post-seminar survey. ``tests/core/test_plugin_migrations.py``
copies it and opens it with the current code. Kept for the record; it runs only against that commit's ``feedback``:

    mkdir /tmp/old && git archive 45440d3 | tar -x -C /tmp/old && cd /tmp/old && \
        PYTHONPATH=.:plugins python3 tests/data/make_database_0_1.py tests/data/database-0.1.sqlite
"""

from __future__ import annotations

import sys
from pathlib import Path

import feedback_formats
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.invitations import Draft, Invitations
from feedback.plugins import make_plugin_manager


def main(path: Path) -> None:
    path.unlink(missing_ok=True)
    project = path.parent / "project-0.1"
    project.mkdir()
    settings = load_settings(project, db=path.resolve())
    pm = make_plugin_manager(entrypoints=False, plugins=[feedback_formats])
    with Engine(settings=settings, pm=pm) as engine:
        store = engine.store
        store.upsert_event({"id": "hague-2011", "title": "Good practice exchange", "open_link": 1})
        with store.write():
            person = store.save_person({"name": "Ann", "email": "ann@example.org", "role": "mp"})
            store.set_attendance(person, "hague-2011", invited=True, attended=True)
        survey = engine.survey("post-seminar")
        engine.submit(
            {
                "id": "0b7a2c1e-0000-4000-8000-000000000001",
                "event": "hague-2011",
                "survey": "post-seminar",
                "channel": "web",
                "language": "en",
                "submitted": "2011-01-26",
                "answers": {"role": "mp"},
            }
        )
        invitations = Invitations(store)
        [(invitation, token)], _ = invitations.prepare("hague-2011", "post-seminar", ["en"])
        invitations.mark_sent(invitation, "smtp")
        invitations.save_draft(
            Draft(
                "o:open-1",
                None,
                "hague-2011",
                "post-seminar",
                survey.version,
                "0b7a2c1e-0000-4000-8000-000000000002",
                "en",
                1,
                {"role": "ngo"},
                "",
            ),
        )
        invitations.save_draft(
            Draft(
                f"i:{invitation.id}",
                invitation.id,
                "hague-2011",
                "post-seminar",
                survey.version,
                None,
                "en",
                1,
                {"role": "ngo"},
                "",
            ),
            seal_with=token,
        )
        invitations.secret("csrf")
        with store.write():
            store.conn.execute(
                "INSERT INTO web_failed_links (address, moment) VALUES ('keyed-hash', 1.5)"
            )
        store.conn.execute("VACUUM")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("PRAGMA journal_mode = DELETE")
    project.rmdir()
    (path.parent / "database-0.1.token").write_text(token + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
