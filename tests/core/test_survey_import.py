"""``feedback survey import``: any reader's document, validated by the core, written as our YAML."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import feedback_formats
from feedback import hookimpl
from feedback.config import load_settings
from feedback.engine import Engine
from feedback.errors import SurveyError
from feedback.loading import SurveyDocument
from feedback.plugins import make_plugin_manager

QUESTIONNAIRE = {
    "id": "hague-feedback",
    "title": {"en": "Seminar feedback", "fr": "Évaluation du séminaire"},
    "languages": ["en", "fr"],
    "questions": [
        {
            "type": "single_choice",
            "id": "role",
            "label": {"en": "Your role", "fr": "Votre rôle"},
            "choices": ["mp", "ngo", "no"],
            "required": True,
        },
        {
            "id": "parliament",
            "label": {"en": "Will you raise it?", "fr": "Le soulèverez-vous ?"},
            "type": "yes_no",
            "show_if": {"role": "mp"},
        },
    ],
}


class TabReader:
    """A reader of a made-up tab-separated format, recognised by its first line only (no
    extension), as another tool's export named anything would be."""

    @hookimpl
    def load_survey(self, path: Path) -> SurveyDocument | None:
        """Tab questionnaires (first line 'TABQ')."""
        text = path.read_text(encoding="utf-8")
        if not text.startswith("TABQ\n"):
            return None
        survey_id, question = text.splitlines()[1].split("\t")
        data = {
            "id": survey_id,
            "title": "Tab",
            "questions": [{"id": question, "type": "text", "label": question}],
        }
        return SurveyDocument(data, path, {("questions", 0): (2, 1)}, notes=["kept the tab"])


@pytest.fixture
def feedback_plugins() -> list[Any]:
    return [feedback_formats, TabReader()]


@pytest.fixture
def feedback_entrypoints() -> bool:
    return False


def _survey(project: Path, path: Path) -> Any:
    engine = Engine(
        settings=load_settings(project), pm=make_plugin_manager(False, [feedback_formats])
    )
    try:
        return engine.read_survey(path)
    finally:
        engine.close()


def test_our_json_becomes_yaml_in_the_survey_folder(
    feedback_cli: Callable[..., Any], feedback_project: Path, tmp_path: Path
) -> None:
    source = tmp_path / "exported.json"
    source.write_text(json.dumps(QUESTIONNAIRE, ensure_ascii=False), encoding="utf-8")
    result = feedback_cli("survey", "import", str(source))
    assert result.exit_code == 0, result.output
    written = feedback_project / "surveys" / "hague-feedback.yaml"
    assert "as feedback's own survey files, YAML or JSON" in result.output
    assert "2 questions (1 single_choice, 1 yes_no); languages en, fr; 1 condition" in result.output
    assert _survey(feedback_project, written) == _survey(feedback_project, source)
    text = written.read_text(encoding="utf-8")
    # readable and stable: id, type and label first in each question, 'no' quoted as text
    assert "- id: role\n  type: single_choice\n  label:" in text
    assert "- 'no'" in text
    assert "Évaluation" in text
    assert yaml.safe_load(text)["questions"][1]["show_if"] == {"role": "mp"}


def test_an_existing_file_is_replaced_only_with_force(
    feedback_cli: Callable[..., Any], feedback_project: Path, tmp_path: Path
) -> None:
    source = tmp_path / "exported.json"
    source.write_text(json.dumps(QUESTIONNAIRE), encoding="utf-8")
    target = tmp_path / "out.yaml"
    target.write_text("kept\n", encoding="utf-8")
    refused = feedback_cli("survey", "import", str(source), "-o", str(target))
    assert refused.exit_code == 2
    assert "exists: give --force" in refused.output
    assert target.read_text(encoding="utf-8") == "kept\n"
    forced = feedback_cli("survey", "import", str(source), "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert _survey(feedback_project, target).id == "hague-feedback"


def test_a_second_file_of_the_same_id_in_the_folder_is_refused(
    feedback_cli: Callable[..., Any], feedback_project: Path, tmp_path: Path
) -> None:
    source = tmp_path / "test-survey.json"  # the kit's survey is surveys/test-survey.yaml
    source.write_text(json.dumps({**QUESTIONNAIRE, "id": "test-survey"}), encoding="utf-8")
    (feedback_project / "surveys" / "test-survey.yaml").rename(
        feedback_project / "surveys" / "kept.yaml"
    )
    result = feedback_cli("survey", "import", str(source))
    assert result.exit_code == 2
    assert "kept.yaml defines the survey 'test-survey' already: give --id NEW" in result.output
    assert not (feedback_project / "surveys" / "test-survey.yaml").exists()
    renamed = feedback_cli("survey", "import", str(source), "--id", "second")
    assert renamed.exit_code == 0, renamed.output
    assert (feedback_project / "surveys" / "second.yaml").is_file()


def test_the_reader_is_chosen_by_content_and_named(
    feedback_cli: Callable[..., Any], feedback_project: Path, tmp_path: Path
) -> None:
    source = tmp_path / "export.dat"
    source.write_text("TABQ\ntab-survey\tcomments\n", encoding="utf-8")
    result = feedback_cli("survey", "import", str(source))
    assert result.exit_code == 0, result.output
    assert "as Tab questionnaires (first line 'TABQ') (plugin TabReader)" in result.output
    assert "note: kept the tab" in result.output
    written = feedback_project / "surveys" / "tab-survey.yaml"
    assert [q.id for q in _survey(feedback_project, written).all_questions()] == ["comments"]


def test_a_file_no_reader_knows_names_the_formats_known(
    feedback_cli: Callable[..., Any], feedback_project: Path, tmp_path: Path
) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("hello\n", encoding="utf-8")
    result = feedback_cli("survey", "import", str(source))
    assert result.exit_code == 2
    assert "no installed reader knows this file; formats known:" in result.output
    assert "Tab questionnaires (first line 'TABQ') (plugin TabReader)" in result.output
    assert "feedback's own survey files, YAML or JSON (.yaml, .yml, .json)" in result.output
    assert sorted(p.name for p in (feedback_project / "surveys").iterdir()) == ["test-survey.yaml"]


def test_an_invalid_document_is_located_and_nothing_is_written(
    feedback_cli: Callable[..., Any], feedback_project: Path, tmp_path: Path
) -> None:
    source = tmp_path / "bad.tab"
    source.write_text("TABQ\ntab-survey\tBad Id\n", encoding="utf-8")
    result = feedback_cli("survey", "import", str(source))
    assert result.exit_code == 2
    assert f"{source}:2:1: questions[0].id: expected an id of lower-case letters" in result.output
    assert not (feedback_project / "surveys" / "tab-survey.yaml").exists()


def test_a_reader_error_stops_the_import(tmp_path: Path) -> None:
    from feedback.cli.survey_import import read_foreign

    pm = make_plugin_manager(False, [feedback_formats, TabReader()])
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": ', encoding="utf-8")
    with pytest.raises(SurveyError, match="not valid JSON"):
        read_foreign(pm, broken)
    with pytest.raises(SurveyError, match="no such file"):
        read_foreign(pm, tmp_path / "missing.lss")
