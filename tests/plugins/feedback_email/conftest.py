"""Email fixtures: a real SMTP server on loopback and a project that sends to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from email_helpers import Server, build_project


@pytest.fixture
def smtp() -> Iterator[Server]:
    """An SMTP server on 127.0.0.1 (aiosmtpd) collecting what it accepts."""
    with Server() as server:
        yield server


@pytest.fixture
def mail_project(project: Path, smtp: Server) -> Path:
    """The Hague event with a roster of three attendees (nl, en, fr) and one absentee, and
    settings that send to ``smtp`` with no back-off."""
    return build_project(project, smtp.port)
