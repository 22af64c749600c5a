"""Fixtures of the offline plugin's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback.linking import new_key_file


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    folder = tmp_path / "keys"  # apart from both projects
    folder.mkdir()
    path = folder / "linking.key"
    new_key_file(path)
    return path
