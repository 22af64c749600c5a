"""Fixtures of the web form tests: a project with the Hague event and the web app on its engine,
test clients closed at the end, and one headless Chromium per module (Debian's, driven by
Playwright; skipped with the reason when missing, a failure in CI)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from helpers import chromium_browser, dump, query
from starlette.testclient import TestClient
from web_helpers import Visitor, invite

from feedback.engine import Engine
from feedback.invitations import Invitation
from feedback_web.app import make_app


class Web:
    """The project, its engine and the web app on it, each built on first use: settings a test
    makes before (``FEEDBACK_WEB__*``, ``feedback.toml``, survey files) apply."""

    def __init__(
        self, project: Path, make_engine: Callable[..., Engine], clients: list[TestClient]
    ):
        self.project = project
        self._make_engine = make_engine
        self._clients = clients

    @cached_property
    def engine(self) -> Engine:
        return self._make_engine()

    @cached_property
    def app(self) -> Any:
        return make_app(self.engine)

    @property
    def db(self) -> Path:
        return self.engine.settings.db_path

    def client(self, **options: Any) -> TestClient:
        """A new browser: its own cookies (and its own address when ``client=`` is given)."""
        client = TestClient(self.app, **options)
        self._clients.append(client)
        return client

    def visitor(self, path: str, **options: Any) -> Visitor:
        return Visitor(self.client(**options), path)

    def invite(self, name: str = "Ann Example", **options: Any) -> tuple[Invitation, str]:
        return invite(self.engine, name, **options)

    def dump(self) -> list[str]:
        """The database as SQL, with the app started (it makes its CSRF secret on start)."""
        assert self.app is not None
        return dump(self.db)

    def responses(self) -> list[dict[str, Any]]:
        columns = ["id", "event", "survey", "channel", "language", "submitted", "answers"]
        rows = query(self.db, f"SELECT {', '.join(columns)} FROM responses ORDER BY rowid")
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def drafts(self) -> list[tuple[Any, ...]]:
        return query(self.db, "SELECT key, invitation, page, answers FROM drafts")


@pytest.fixture
def web(project: Path, make_engine: Callable[..., Engine]) -> Iterator[Web]:
    """The web form on a project with the event hague-2011 (the shipped survey is the default)."""
    clients: list[TestClient] = []
    yield Web(project, make_engine, clients)
    for client in clients:
        client.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the module's tests; each test opens its own context."""
    with chromium_browser() as browser:
        yield browser
