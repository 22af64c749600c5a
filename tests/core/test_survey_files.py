"""Surveys the organiser wrote: a project's file always wins over a shipped survey of the same id,
broken or not; `feedback survey list` shows broken files, `feedback survey validate` every problem.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import make_response, open_engine, run

from feedback.engine import Engine
from feedback.errors import ResponseInvalid, SurveyError, SurveyNotFound
from feedback.loading import BrokenSurvey

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "surveys" / "post-seminar.yaml").read_text(encoding="utf-8")

#: the shipped survey with one scale misspelt (line 157 of the file)
MISSPELT = SHIPPED.replace("scale: agree5", "scale: agre5", 1)
MISSPELT_LINE = SHIPPED[: SHIPPED.index("scale: agree5")].count("\n") + 1

OWN = """\
id: post-seminar
title: Our own
questions:
  - {id: q, type: yes_no, label: Q}
"""


@pytest.fixture
def broken(project: Path) -> Path:
    """The project's own post-seminar survey, with a misspelt scale."""
    path = project / "surveys" / "post-seminar.yaml"
    path.write_text(MISSPELT, encoding="utf-8")
    return path


def test_a_broken_project_survey_is_not_replaced_by_the_shipped_one(broken: Path) -> None:
    engine = open_engine(broken.parent.parent)
    try:
        with pytest.raises(BrokenSurvey) as info:
            engine.survey("post-seminar")
        assert isinstance(info.value, SurveyError) and isinstance(info.value, SurveyNotFound)
        message = str(info.value)
        assert message.startswith(f"survey 'post-seminar' cannot be used: {broken} has errors\n")
        assert f"{broken}:{MISSPELT_LINE}:" in message and "unknown scale 'agre5'" in message
        assert "post-seminar" not in engine.surveys()  # nor listed as usable
    finally:
        engine.close()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # the id is read from the file, whatever its name
        ("mine.yaml", "id: post-seminar\ntitle: [Our own\nquestions: []\n"),
        # nothing can be read: the file is named after the id
        ("post-seminar.yaml", "title: [Our own\n"),
        ("post-seminar.json", '{"id": "post-seminar", "title": '),
    ],
)
def test_a_project_file_that_cannot_be_read_still_wins(project: Path, name: str, text: str) -> None:
    (project / "surveys" / name).write_text(text, encoding="utf-8")
    result = run(project, "survey", "show", "post-seminar")
    assert result.exit_code == 2, result.output
    assert f"surveys/{name}:" in result.output and "not valid" in result.output
    assert "Post-seminar feedback" not in result.output  # the shipped survey is not shown


def test_a_valid_project_file_wins_and_the_shipped_one_is_noted_as_replaced(project: Path) -> None:
    (project / "surveys" / "mine.yaml").write_text(OWN, encoding="utf-8")
    assert "Our own" in run(project, "survey", "show").output
    result = run(project, "survey", "validate")
    assert result.exit_code == 0, result.output
    shipped = ROOT / "surveys" / "post-seminar.yaml"
    assert f"ok: {shipped} (post-seminar, " in result.output
    assert f"not used: {project / 'surveys' / 'mine.yaml'} replaces it)" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("survey", "show", "post-seminar"),
        ("survey", "show"),  # the default survey
        ("offline", "form", "--event", "hague-2011", "-o", "{project}/form.html"),
        ("offline", "template", "--event", "hague-2011", "-o", "{project}/form.csv"),
        ("offline", "paper", "--event", "hague-2011", "-o", "{project}/form.html"),
    ],
)
def test_every_command_that_needs_the_survey_stops_with_file_and_line(
    event_project: Path, args: tuple[str, ...]
) -> None:
    path = event_project / "surveys" / "post-seminar.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(MISSPELT, encoding="utf-8")
    result = run(event_project, *(a.format(project=event_project) for a in args))
    assert result.exit_code == 2, result.output
    assert f"surveys/post-seminar.yaml:{MISSPELT_LINE}:" in result.output
    assert "unknown scale 'agre5'" in result.output
    assert not list(event_project.glob("form.*"))


def test_a_response_to_the_broken_survey_is_refused_naming_the_file(
    broken: Path, make_engine
) -> None:
    engine: Engine = make_engine()
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(make_response("post-seminar", {}))
    assert f"{broken}:{MISSPELT_LINE}:" in str(info.value)
    assert list(engine.store.iter_responses()) == []


def test_versions_kept_in_the_database_stay_readable(project: Path, make_engine) -> None:
    """Responses stored before the file broke answer a version kept in the database: reports
    and exports of them still work."""
    path = project / "surveys" / "post-seminar.yaml"
    path.write_text(OWN, encoding="utf-8")
    engine: Engine = make_engine()
    engine.submit(make_response("post-seminar", {"q": True}))
    version = engine.survey("post-seminar").version
    path.write_text(OWN + "  - {id: q, type: yes_no}\n", encoding="utf-8")
    later = open_engine(project)
    try:
        assert later.survey("post-seminar", version).title == "Our own"
        with pytest.raises(BrokenSurvey):
            later.survey("post-seminar")
        with pytest.raises(BrokenSurvey):
            later.survey("post-seminar", "0" * 16)
    finally:
        later.close()


def test_two_project_files_with_one_id_are_an_error(project: Path) -> None:
    (project / "surveys" / "a.yaml").write_text(OWN, encoding="utf-8")
    (project / "surveys" / "b.yaml").write_text(OWN.replace("Our own", "Other"), encoding="utf-8")
    result = run(project, "survey", "show")
    assert result.exit_code == 2
    assert f"the survey id 'post-seminar' is also defined in {project / 'surveys' / 'a.yaml'}" in (
        result.output
    )


# -- feedback survey list ----------------------------------------------------------------------


def test_survey_list_shows_broken_files_with_their_first_error(broken: Path) -> None:
    project = broken.parent.parent
    (project / "surveys" / "other.yaml").write_text(
        "id: other\ntitle: {en: Other\nquestions: []\n", encoding="utf-8"
    )
    result = run(project, "survey", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {"post-seminar", "other"}  # the shipped post-seminar is not listed
    assert rows["post-seminar"]["file"] == str(broken)
    assert rows["post-seminar"]["error"].startswith(f"{broken}:{MISSPELT_LINE}:")
    assert rows["other"]["error"].startswith(f"{project / 'surveys' / 'other.yaml'}:2:8: ")
    table = run(project, "survey", "list")
    assert table.exit_code == 0
    assert "invalid" in table.stdout and "unknown scale 'agre5'" in table.stdout
    assert "2 survey files have errors" in table.stderr


def test_survey_list_of_valid_surveys_has_no_error(project: Path) -> None:
    (row,) = json.loads(run(project, "survey", "list", "--json").stdout)
    assert row["id"] == "post-seminar" and row["error"] is None


# -- feedback survey validate ------------------------------------------------------------------

SEVERAL = """\
id: s
title: T
scales:
  agree3: {points: [a, b, c]}
  one: {points: [a]}
questions:
  - {type: likert, id: q1, label: First, scale: agre3}
  - {type: likert, id: q2, label: Second, scale: agree3, colour: red}
  - {type: yes_no, id: q3, label: Third, show_if: {q9: [true]}}
  - {type: yes_no, id: q1, label: Fourth}
  - {type: likret, id: q5, label: Fifth}
  - {type: yes_no, id: q6, label: Sixth, show_if: {q5: [true]}}
  - {type: yes_no, id: q7, label: Seventh, show_if: {q2: [agree]}}
"""


def test_validate_reports_every_problem_of_every_file_in_one_run(project: Path) -> None:
    """Problems of shape (an unknown key, a question type, a scale of one point) and problems of
    the survey as a whole (an unknown scale, a condition, an id used twice) in the same run."""
    (project / "surveys" / "s.yaml").write_text(SEVERAL, encoding="utf-8")
    (project / "surveys" / "t.yaml").write_text("id: t\ntitle: [T\n", encoding="utf-8")
    result = run(project, "survey", "validate")
    assert result.exit_code == 2
    s = project / "surveys" / "s.yaml"
    expected = [
        f"{s}:5:17: scales.one.points: list should have at least 2 items",
        f"{s}:8:58: questions[1].colour: unknown key 'colour'",
        f"{s}:11:5: questions[4]: unknown question type 'likret'",
        f"{s}:7:49: questions[0].scale: unknown scale 'agre3'",
        f"{s}:9:51: questions[2].show_if: unknown question 'q9'",
        f"{s}:10:24: questions[3].id: question id 'q1' is used twice",
        f"{s}:13:53: questions[6].show_if: condition on 'q2': unknown value 'agree'",
        f"{project / 'surveys' / 't.yaml'}:2:8: not valid YAML: this '[' is never closed",
    ]
    for line in expected:
        assert line in result.output, line
    # no problem that only follows from another: q6's condition on the mistyped q5
    assert "questions[5]" not in result.output
    assert "2 of 3 survey files invalid" in result.output


def test_validate_counts_agree_in_number(project: Path) -> None:
    (project / "surveys" / "s.yaml").write_text(
        "id: s\ntitle: T\nquestions:\n  - {id: q, type: yes_no, label: Q}\n", encoding="utf-8"
    )
    result = run(project, "survey", "validate", str(project / "surveys" / "s.yaml"))
    assert "(s, version " in result.output and ", 1 question, languages en)" in result.output
    (project / "surveys" / "s.yaml").write_text("id: s\n", encoding="utf-8")
    result = run(project, "survey", "validate", str(project / "surveys" / "s.yaml"))
    assert "1 of 1 survey file invalid" in result.output
