"""The web form hands its response and its own writes (the invitation completed, the draft dropped)
to the engine, in the engine's one transaction (issue 14, §1): a ``response_submitted`` hook finds
the response committed, with the invitation completed; a conflict is kept in ``conflicts``."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import make_response, query
from uow_helpers import ReadsBack
from web_helpers import SHIPPED_ANSWERS, SHIPPED_PAGES, Web, web_site

from feedback import hookimpl
from feedback.engine import Engine
from feedback.invitations import Invitations
from feedback.responses import Response

OPEN = "/e/hague-2011"


class ReadsBackWithInvitation(ReadsBack):
    """Also notes, from a fresh connection, whether each person's invitation was completed."""

    def __init__(self) -> None:
        super().__init__()
        self.completed: list[int] = []

    @hookimpl
    def response_submitted(self, engine: Engine, response: Response) -> None:
        super().response_submitted(engine, response)
        conn = sqlite3.connect(engine.settings.db_path)
        try:
            (count,) = conn.execute(
                "SELECT count(*) FROM invitations WHERE completed IS NOT NULL"
            ).fetchone()
        finally:
            conn.close()
        self.completed.append(count)


@pytest.fixture
def seen() -> ReadsBackWithInvitation:
    return ReadsBackWithInvitation()


@pytest.fixture
def web(
    project: Path, make_engine: Callable[..., Engine], seen: ReadsBackWithInvitation
) -> Iterator[Web]:
    """The web form on an engine whose plugin manager holds the hook ``seen``."""
    with web_site(project, functools.partial(make_engine, seen)) as site:
        yield site


def fill(web: Web, path: str, pages: list[list[tuple[str, str]]] = SHIPPED_PAGES) -> Any:
    visitor = web.visitor(path)
    page = visitor.open()
    for fields in pages:
        page = visitor.send(fields)
        assert page.status == 200 and not page.errors, (page.title, page.errors)
    return visitor


def test_a_personal_link_response_is_announced_once_committed_with_its_invitation(
    web: Web, seen: ReadsBackWithInvitation
) -> None:
    invitation, token = web.invite()
    visitor = fill(web, f"/s/{token}")
    assert visitor.page.title == "Thank you"
    [row] = web.responses()
    assert seen.ids() == {row["id"]}
    assert seen.all_found(), seen.seen
    assert seen.completed == [1]  # the invitation was completed in the same commit
    assert Invitations(web.engine.store).get(invitation.id).status() == "completed"
    assert web.drafts() == []


def test_an_open_link_response_is_announced_once_committed(
    web: Web, seen: ReadsBackWithInvitation
) -> None:
    fill(web, OPEN)
    [row] = web.responses()
    assert row["channel"] == "open-link"
    assert seen.ids() == {row["id"]}
    assert seen.all_found(), seen.seen


def test_a_web_conflict_leaves_its_row_in_conflicts(
    web: Web, seen: ReadsBackWithInvitation
) -> None:
    """The open link's draft carries its response id; a response with that id but other answers
    is stored first (another channel, a bug, a forged copy): the web response is a conflict,
    and its content is kept for review although the rest of the submit is rolled back."""
    visitor = fill(web, OPEN, SHIPPED_PAGES[:4])
    [(response_id,)] = query(web.db, "SELECT response_id FROM drafts")
    theirs = make_response(
        "post-seminar",
        {"role": "mp"},
        id=response_id,
        submitted="2011-01-26",
    )
    assert web.engine.submit(theirs) == "stored"
    seen.seen.clear()

    page = visitor.send(SHIPPED_PAGES[4])
    assert page.status == 200

    rows = query(web.db, "SELECT response_id, channel, content FROM conflicts")
    assert [(rid, channel) for rid, channel, _ in rows] == [(response_id, "open-link")]
    assert json.loads(rows[0][2])["answers"] == SHIPPED_ANSWERS
    [stored] = web.responses()
    assert json.loads(stored["answers"]) == {"role": "mp"}  # never written over
    assert seen.seen == []  # a conflict is not announced
