"""Two databases of one project for the merge tests: a first survey with a self-generated code,
its pseudonymous follow-up by personal link, and one linking key kept apart from both."""

from __future__ import annotations

from pathlib import Path

from helpers import EVENT, open_engine, pm_with_formats

from feedback.engine import Engine
from feedback.migrations import plugin_migrations
from feedback.plugins import make_plugin_manager

FIRST = """\
id: first
title: On the day
languages: [en]
self_code: [parent, month]
questions:
  - {id: intend, type: yes_no, label: "Will you contact an NGO?"}
  - {id: parent, type: text, label: "The first letter of your mother's first name"}
  - {id: month, type: text, label: "The month you were born"}
"""

PERSONAL = """\
id: personal
title: Ninety days on, by link
languages: [en]
anonymous: false
linking: pseudonymous
follows: {survey: first, wave: day_90, due_days: 90}
questions:
  - {id: acted, type: yes_no, label: "Did you contact an NGO?"}
"""


def project(root: Path, name: str, key: Path) -> Path:
    folder = root / name
    (folder / "surveys").mkdir(parents=True)
    for survey, text in (("first", FIRST), ("personal", PERSONAL)):
        (folder / "surveys" / f"{survey}.yaml").write_text(text, encoding="utf-8")
    (folder / "feedback.toml").write_text(f'linking_key = "{key}"\n', encoding="utf-8")
    return folder


def open_project(folder: Path) -> Engine:
    engine = open_engine(folder, pm_with_formats())
    engine.store.migrate(plugin_migrations(make_plugin_manager()))
    engine.store.upsert_event(dict(EVENT))
    return engine
