"""Plain helpers shared by the tests: the event, engines, responses, the command line, SQLite.

Importable as ``from helpers import ...``: pytest puts this folder on ``sys.path`` when it loads
``tests/conftest.py`` (rootdir conftest, "prepend" import mode, no ``__init__.py``).
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

import feedback_formats
from feedback.cli import cli
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.plugins import PluginManager, make_plugin_manager

EVENT = {
    "id": "hague-2011",
    "title": "Good practice exchange",
    "date": "2011-01-26",
    "city": "The Hague",
    "country": "NL",
    "programme": "paht",
}


# -- engines -----------------------------------------------------------------------------------


def pm_with_formats(*plugins: Any) -> PluginManager:
    """A plugin manager with the built-in formats plugin and ``plugins``; no entry points."""
    return make_plugin_manager(entrypoints=False, plugins=[feedback_formats, *plugins])


def open_engine(project: Path, pm: PluginManager | None = None) -> Engine:
    """An engine on ``project``'s settings, with ``pm`` or else the built-in formats plugin only.

    The caller closes it."""
    return Engine(settings=load_settings(project), pm=pm_with_formats() if pm is None else pm)


# -- responses ---------------------------------------------------------------------------------


def make_response(survey: str, answers: dict[str, Any], /, **changes: Any) -> dict[str, Any]:
    """A response with a new id to ``survey`` at the event hague-2011, sent from a kiosk in
    English on 2011-01-26; ``changes`` replace any field."""
    return {
        "id": str(uuid.uuid4()),
        "survey": survey,
        "event": "hague-2011",
        "channel": "kiosk",
        "language": "en",
        "submitted": "2011-01-26",
        "answers": answers,
        **changes,
    }


# -- the command line and the database file ----------------------------------------------------


def run(project: Path, *args: str) -> Result:
    """``feedback --project PROJECT ARGS``, in a wide terminal so that tables show whole cells."""
    return CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["--project", str(project), *args])


def query(db: Path, sql: str) -> list[tuple]:
    """The rows ``sql`` finds in the SQLite file ``db``, on a connection of its own."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def dump(db: Path) -> list[str]:
    """The whole SQLite file ``db`` as SQL: equal before and after when nothing was written."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
