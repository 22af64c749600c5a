"""Keying in paper forms (issue 13): each form's No., language and date, the date the event's and
never today's, a No. already entered refused with a message that names it (the database left as it
was, nothing in the conflicts table), the same form entered again stored once, and counts that
agree in number ("1 form entered", "2 forms entered")."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import dump, query, run
from offline_paper_helpers import SURVEY, fill

from feedback.engine import Engine
from feedback_offline.codes import form_code
from feedback_offline.entry import (
    FormAlreadyEntered,
    FormHeading,
    HeadingProblem,
    PaperForms,
    read_entry_csv,
    response_id,
)
from feedback_offline.paper_words import forms_entered

#: rows of the template before the header (see test_offline_entry.py)
HEADER_ROW = 23


def template(project: Path, name: str = "entry.csv") -> Path:
    out = project / name
    result = run(project, "offline", "template", "--event", "hague-2011", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def import_file(project: Path, path: Path) -> tuple[int, str]:
    result = run(project, "offline", "import", str(path))
    return result.exit_code, result.output


def stored(project: Path) -> list[tuple]:
    return query(
        project / "feedback.db",
        "SELECT language, submitted, json_extract(answers, '$.role') FROM responses ORDER BY id",
    )


# -- a No. keyed in twice --------------------------------------------------------------------------


def test_a_number_entered_before_with_other_answers_is_refused_naming_it(
    project: Path, engine: Engine
) -> None:
    first = fill(
        template(project),
        [{"number": "1", "role": "1"}, {"number": "2", "role": "2", "language": "nl"}],
        project / "monday.csv",
    )
    assert import_file(project, first)[0] == 0
    # the next day another clerk keys in a pile that holds form 2 again, read differently
    second = fill(
        template(project, "tuesday-template.csv"),
        [{"number": "3", "role": "3"}, {"number": "2", "role": "4"}],
        project / "tuesday.csv",
    )
    before = dump(project / "feedback.db")

    code, output = import_file(project, second)

    assert code == 2
    assert (
        f"{second} row {HEADER_ROW + 2}, column 'number': form No. 2 is already entered with "
        "other answers: each paper form is entered once; check the No. written on this form (if "
        "two forms carry No. 2, write a new No. on one of them)"
    ) in " ".join(output.split())
    assert "conflicts table" not in output
    assert dump(project / "feedback.db") == before  # form 3 waits too; no conflicts row
    assert query(project / "feedback.db", "SELECT count(*) FROM conflicts") == [(0,)]


def test_the_same_form_entered_again_is_stored_once(project: Path, engine: Engine) -> None:
    rows = [{"number": "1", "role": "1"}, {"number": "2", "role": "2", "date": "2011-01-27"}]
    path = fill(template(project), rows, project / "forms.csv")
    assert import_file(project, path)[0] == 0
    before = dump(project / "feedback.db")
    again = fill(template(project, "again.csv"), rows[::-1], project / "forms-again.csv")

    code, output = import_file(project, again)

    assert code == 0, output
    assert dump(project / "feedback.db") == before


def test_a_number_entered_from_another_version_of_the_survey_is_refused(
    project: Path, engine: Engine
) -> None:
    old_template = template(project)
    old = engine.survey(SURVEY).version
    path = fill(old_template, [{"number": "7", "role": "1"}], project / "old.csv")
    assert import_file(project, path)[0] == 0
    shipped = Path(__file__).resolve().parents[3] / "surveys" / "post-seminar.yaml"
    changed = shipped.read_text(encoding="utf-8").replace("Which best describes", "What describes")
    (project / "surveys" / "post-seminar.yaml").write_text(changed, encoding="utf-8")
    new = fill(template(project, "new.csv"), [{"number": "7", "role": "1"}], project / "n.csv")
    before = dump(project / "feedback.db")  # the template keeps the new version: now two

    code, output = import_file(project, new)

    assert code == 2
    assert (
        f"form No. 7 is already entered from a form of another version of the survey (form "
        f"{form_code('hague-2011', SURVEY, old)})"
    ) in " ".join(output.split())
    assert dump(project / "feedback.db") == before


def test_a_number_twice_in_one_file_is_still_named_by_its_rows(
    project: Path, engine: Engine
) -> None:
    path = fill(
        template(project),
        [{"number": "4", "role": "1"}, {"number": "4", "role": "2"}],
        project / "twice.csv",
    )
    where, problem = read_entry_csv(engine, path).items[1]
    assert where == f"{path} row {HEADER_ROW + 2}, column 'number'"
    assert str(problem) == f"number 4 is also on row {HEADER_ROW + 1}"


# -- one form at a time (a data-entry screen) -----------------------------------------------------


def test_paper_forms_read_number_language_and_date_the_event_date_by_default(
    engine: Engine,
) -> None:
    forms = PaperForms(engine, engine.store.event("hague-2011"), engine.survey(SURVEY))

    assert forms.default_date == "2011-01-26"  # the event's date, not today's
    assert forms.heading("12") == FormHeading(12, "en", "2011-01-26")
    assert forms.heading(" 3 ", "NL", "2011-01-27") == FormHeading(3, "nl", "2011-01-27")
    with pytest.raises(HeadingProblem) as caught:
        forms.heading("No. 3", "fr", "27/01/2011")
    assert caught.value.problems == {
        "number": "expected the No. written on the paper form (a whole number from 1), "
        "found 'No. 3'",
        "language": "expected one of en, nl (or nothing for en), found 'fr'",
        # no spreadsheet hint: a heading is keyed in on a screen too (a template row has it)
        "date": "expected a date as YYYY-MM-DD, found '27/01/2011'",
    }


def test_paper_forms_refuse_a_number_already_entered_before_its_answers(
    engine: Engine,
) -> None:
    forms = PaperForms(engine, engine.store.event("hague-2011"), engine.survey(SURVEY))
    forms.check_new(5)  # not entered: no error
    response = forms.response(FormHeading(5, "nl", "2011-01-26"), {"role": "mp"})
    assert response["id"] == response_id("hague-2011", SURVEY, engine.survey(SURVEY).version, 5)
    assert (response["channel"], response["language"], response["submitted"]) == (
        "paper",
        "nl",
        "2011-01-26",
    )
    assert engine.submit(response) == "stored"

    with pytest.raises(FormAlreadyEntered) as caught:
        forms.check_new(5)

    assert caught.value.number == 5
    assert str(caught.value).startswith("form No. 5 is already entered: each paper form")
    assert caught.value.in_language("nl") == (
        "Formulier nr. 5 is al ingevoerd: elk papieren formulier wordt één keer ingevoerd. "
        "Controleer het nummer op dit formulier."
    )
    # the same form handed over twice (a double key press) is stored once
    assert engine.submit(response) == "already_stored"
    assert forms.rekeyed({5: response}) == {}


@pytest.mark.parametrize(
    ("count", "language", "text"),
    [
        (0, "en", "0 forms entered"),
        (1, "en", "1 form entered"),
        (2, "en", "2 forms entered"),
        (1, "nl", "1 formulier ingevoerd"),
        (2, "nl", "2 formulieren ingevoerd"),
        (1, "fr", "1 form entered"),
    ],
)
def test_forms_entered_agrees_in_number(count: int, language: str, text: str) -> None:
    assert forms_entered(count, language) == text
