"""Settings: defaults with nothing configured, feedback.toml, FEEDBACK_* variables, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback.config import load_settings
from feedback.errors import InvalidInput


def test_defaults_with_nothing_configured(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.db_path == tmp_path / "feedback.db"
    assert settings.surveys_path == tmp_path / "surveys"
    assert settings.default_survey == "post-seminar"
    assert settings.min_cell_size == 5
    assert settings.programme.targets == {}


def test_toml_file_relative_to_the_project(tmp_path: Path) -> None:
    (tmp_path / "feedback.toml").write_text(
        'db = "data/kiosk.db"\nmin_cell_size = 3\n\n[programme.targets]\nmp = 100\ncountries = 15\n'
    )
    settings = load_settings(tmp_path)
    assert settings.db_path == tmp_path / "data" / "kiosk.db"
    assert settings.min_cell_size == 3
    assert settings.programme.targets == {"mp": 100, "countries": 15}


def test_environment_wins_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "feedback.toml").write_text('db = "file.db"\n')
    monkeypatch.setenv("FEEDBACK_DB", "/srv/env.db")
    monkeypatch.setenv("FEEDBACK_PROGRAMME__TARGETS__MP", "50")
    settings = load_settings(tmp_path)
    assert settings.db_path == Path("/srv/env.db")
    assert settings.programme.targets == {"mp": 50}


def test_invalid_values_name_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "feedback.toml").write_text("min_cell_size = 0\n")
    with pytest.raises(InvalidInput) as info:
        load_settings(tmp_path)
    assert "feedback.toml" in str(info.value)
    assert "min_cell_size" in str(info.value)
    assert "found 0" in str(info.value)


def test_unknown_nested_key_suggests(tmp_path: Path) -> None:
    (tmp_path / "feedback.toml").write_text("[programme]\ntargest = {mp = 1}\n")
    with pytest.raises(InvalidInput, match="unknown setting 'targest'; did you mean 'targets'"):
        load_settings(tmp_path)


def test_missing_project_directory(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="expected a project directory"):
        load_settings(tmp_path / "nope")
