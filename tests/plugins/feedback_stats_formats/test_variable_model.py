"""`feedback.variables`: names valid in SPSS and Stata, versions merged, and the export hook."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyreadstat
import pytest

from feedback import hookimpl
from feedback.engine import Engine
from feedback.registry import Export, ExportFormat
from feedback.survey import Survey
from feedback.testing import new_response
from feedback.variables import MAX_NAME, NOT_ASKED, safe_name, survey_variables

#: Stata: "names are 1 to 32 characters long and must start with a-z, A-Z, or _ ... letters,
#: digits and _" (Stata User's Guide, [U] 11.3 Naming conventions), and not a reserved word
#: (the list of [U] 11.3); SPSS: at most 64 bytes, beginning with a letter, not one of its
#: reserved keywords ALL AND BY EQ GE GT LE LT NE NOT OR TO WITH (IBM SPSS Statistics,
#: "Variable names"). Lower case, as SPSS does not tell upper from lower.
VALID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _survey(
    make_survey: Callable[..., Survey], questions: list[dict[str, Any]], **kw: Any
) -> Survey:
    return make_survey({"id": "names", "title": "Names", "questions": questions, **kw})


def test_long_reserved_and_colliding_ids_get_valid_distinct_names(
    make_survey: Callable[..., Survey],
) -> None:
    long_id = "how_useful_was_the_session_on_national_rapporteurs_today"
    survey = _survey(
        make_survey,
        [
            {"id": long_id, "type": "text", "label": "a"},
            {"id": long_id + "_x", "type": "text", "label": "b"},
            {"id": "to", "type": "text", "label": "c"},
            {"id": "event", "type": "text", "label": "d"},
            {"id": "topics", "type": "multi_choice", "label": "e", "choices": ["a-b", "A.B"]},
            {"id": "topics_a_b", "type": "yes_no", "label": "f"},
        ],
    )
    names = [v.name for v in survey_variables([survey]).variables]
    assert all(VALID.match(n) for n in names), names
    assert len({n.lower() for n in names}) == len(names)
    assert "to_" in names and "event_2" in names  # reserved in SPSS; taken by the metadata
    assert names[7:9] == [safe_name(long_id), safe_name(long_id + "_x")]
    assert len(names[7]) == MAX_NAME and names[7] != names[8]
    # the same id gets the same name, whatever else the survey holds
    again = _survey(make_survey, [{"id": long_id, "type": "text", "label": "a"}])
    assert survey_variables([again]).variables[7].name == names[7]
    assert names[-3:] == ["topics_a_b", "topics_a_b_2", "topics_a_b_3"]


def test_versions_share_variables_and_old_choices_keep_their_codes(
    make_survey: Callable[..., Survey],
    feedback_engine: Engine,
    tmp_path: Path,
    feedback_cli: Callable[..., Any],
) -> None:
    """A choice the newer version dropped is coded after the newer's; a question the older
    version lacked is "not asked" (.b) for its responses."""
    old = _survey(
        make_survey,
        [{"id": "role", "type": "single_choice", "label": "Role", "choices": ["mp", "press"]}],
    )
    assert feedback_engine.submit(new_response(old, {"role": "press"})) == "stored"
    new = _survey(
        make_survey,
        [
            {"id": "role", "type": "single_choice", "label": "Role", "choices": ["ngo", "mp"]},
            {"id": "useful", "type": "yes_no", "label": "Useful?"},
        ],
    )
    assert (
        feedback_engine.submit(
            new_response(new, {"role": "mp", "useful": True}, survey_version=new.version)
        )
        == "stored"
    )
    variables = survey_variables([new, old])
    role = variables.by_name()["role"]
    assert [(c.value, c.id) for c in role.codes] == [(1, "ngo"), (2, "mp"), (3, "press")]
    rows = list(variables.rows(feedback_engine.store.iter_responses(survey="names")))
    names = [v.name for v in variables.variables]
    assert [r[names.index("role")] for r in rows] == [3, 2]
    assert [r[names.index("useful")] for r in rows] == [NOT_ASKED, 1]
    out = tmp_path / "names.dta"
    assert feedback_cli("responses", "export", "--format", "dta", "-o", str(out)).exit_code == 0
    data, _ = pyreadstat.read_dta(out, user_missing=True)
    assert list(data["useful"]) == ["b", 1]


def test_hook_register_export_formats(
    feedback_engine: Engine, feedback_cli: Callable[..., Any], feedback_pm: Any, tmp_path: Path
) -> None:
    """A plugin's format is offered by --format; a failing writer leaves the file as it was;
    a plugin cannot take a built-in name."""

    class Plugin:
        @hookimpl
        def register_export_formats(self, register: Callable[[ExportFormat], None]) -> None:
            register(ExportFormat("lines", ".txt", f"{__name__}:write_lines"))
            register(ExportFormat("broken", ".txt", f"{__name__}:write_broken"))
            register(ExportFormat("csv", ".csv", f"{__name__}:write_lines"))

    plugin = Plugin()
    feedback_pm.register(plugin)
    try:
        from feedback.exporting import export_formats

        found = export_formats(feedback_pm)
        assert {"lines", "broken"} <= set(found.names()) and "csv" not in found.names()
        assert any("'csv', which is built in" in p for p in found.problems)
        survey = feedback_engine.survey()
        assert feedback_engine.submit(new_response(survey, {"useful": "agree"})) == "stored"
        (tmp_path / "out").mkdir()
        out = tmp_path / "out" / "out.txt"
        result = feedback_cli("responses", "export", "--format", "lines", "-o", str(out))
        assert result.exit_code == 0, result.output
        assert out.read_text() == "1\n"
        result = feedback_cli("responses", "export", "--format", "broken", "-o", str(out))
        assert result.exit_code == 2 and "cannot code this" in result.output
        assert out.read_text() == "1\n"
        assert [p.name for p in out.parent.iterdir()] == ["out.txt"]  # no temporary left
        help_text = feedback_cli("responses", "export", "--help").output
        assert "lines" in help_text and "broken" in help_text
    finally:
        feedback_pm.unregister(plugin)


def write_lines(export: Export, path: Path) -> int:
    rows = list(survey_variables(export.surveys).rows(export.records))
    path.write_text(f"{len(rows)}\n")
    return len(rows)


def write_broken(export: Export, path: Path) -> int:
    from feedback.errors import InvalidInput

    path.write_text("half a file")
    raise InvalidInput("cannot code this")


@pytest.mark.parametrize("raw", ["Q1", "1st", "str12", "a" * 80, "in", "_x", "é"])
def test_safe_name_is_valid(raw: str) -> None:
    name = safe_name(raw)
    assert VALID.match(name) and name not in ("in", "str12"), name
