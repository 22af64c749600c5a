"""Survey items that record outcomes (issue 15: "a follow-up survey item can record outcomes
too"): ``outcome:`` on a yes/no, single-choice, number or text question, checked against the
programme's kinds with located errors; the outcomes read from the stored answers (never copied),
listed beside the outcome log's with their source."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import make_response, open_engine, run

from feedback import outcomes
from feedback.engine import Engine
from feedback.errors import SurveyError

FOLLOW_UP = """\
id: hague-followup
title: Ninety days on
languages: [en]
follows: {survey: post-seminar, wave: day_90, due_days: 90}
questions:
  - id: shared
    type: yes_no
    label: "Have you passed on contacts to an NGO since the seminar?"
    outcome: contact_shared
  - id: contacts
    type: number
    integer: true
    min: 0
    label: "How many follow-up meetings have you held?"
    outcome: follow_up_meeting
    show_if: {shared: {eq: true}}
  - id: motion
    type: single_choice
    label: "Has a motion on trafficking been tabled in your parliament?"
    choices: [no_motion, tabled, passed]
    outcome: {kind: policy_change, when: [tabled, passed]}
  - id: press
    type: text
    label: "Did you speak to the press about it? What was published?"
    outcome: media
"""


def follow_up_project(project: Path, text: str = FOLLOW_UP, toml: str = "") -> None:
    (project / "surveys" / "hague-followup.yaml").write_text(text, encoding="utf-8")
    if toml:
        (project / "feedback.toml").write_text(toml, encoding="utf-8")


def answer(survey_version: str, answers: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return make_response(
        "hague-followup", answers, survey_version=survey_version, submitted="2011-04-26", **changes
    )


ANSWERS = [
    {"shared": True, "contacts": 3, "motion": "tabled", "press": "An op-ed in NRC"},
    {"shared": True, "contacts": 0, "motion": "no_motion"},
    {"shared": False, "motion": "passed", "press": "  "},
    {"shared": False, "motion": "no_motion", "press": '=HYPERLINK("http://x")'},
]


@pytest.fixture
def answered(project: Path, make_engine: Callable[..., Engine]) -> Engine:
    """The Hague with the follow-up answered four times through the engine."""
    follow_up_project(project)
    engine = make_engine()
    survey = engine.survey("hague-followup")
    for answers in ANSWERS:
        clean = {k: v for k, v in answers.items() if not (isinstance(v, str) and not v.strip())}
        assert engine.submit(answer(survey.version, clean)) == "stored"
    return engine


def listed(project: Path, *args: str) -> list[dict[str, Any]]:
    result = run(project, "outcome", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_answers_record_outcomes_by_kind(answered: Engine, project: Path) -> None:
    rows = listed(project)
    found = sorted((r["kind"], r["count"], r["question"], r["answer"]) for r in rows)
    assert found == [
        ("contact_shared", 1, "shared", "yes"),
        ("contact_shared", 1, "shared", "yes"),
        ("follow_up_meeting", 3, "contacts", "3"),  # a number is that many outcomes; 0 none
        ("media", 1, "press", '=HYPERLINK("http://x")'),
        ("media", 1, "press", "An op-ed in NRC"),
        ("policy_change", 1, "motion", "Passed"),
        ("policy_change", 1, "motion", "Tabled"),
    ]
    for row in rows:
        assert row["source"] == "survey"
        assert (row["event"], row["date"], row["survey"]) == (
            "hague-2011",
            "2011-04-26",  # the response's date: the only one a response keeps
            "hague-followup",
        )
        assert row["id"] is None and row["evidence"] is None
        assert "response" not in row  # the listing never points at whose answer it was
    texts = sorted(r["text"] for r in rows if r["text"] is not None)
    assert texts == ['=HYPERLINK("http://x")', "An op-ed in NRC"]
    # read from the answers, never copied into the log
    assert answered.store.conn.execute("SELECT count(*) FROM outcomes").fetchone() == (0,)


def test_the_log_and_the_answers_are_listed_together_with_their_source(
    answered: Engine, project: Path
) -> None:
    result = run(
        project, "outcome", "add", "--event", "hague-2011", "--kind", "policy_change",
        "--date", "2011-03-02", "--text", "A motion was tabled in parliament",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = listed(project, "--event", "hague-2011")
    assert rows[0]["source"] == "cli" and rows[0]["date"] == "2011-03-02"  # by date
    assert rows[0]["count"] == 1 and rows[0]["text"] == "A motion was tabled in parliament"
    assert {r["source"] for r in rows[1:]} == {"survey"}
    table = run(project, "outcome", "list")
    assert table.exit_code == 0, table.output
    assert "cli" in table.output and "survey" in table.output
    assert "Have you passed on contacts to an NGO since the seminar?: yes" in table.output
    assert "An op-ed in NRC" in table.output
    assert "10 outcomes (1 observed, 9 reported in survey answers)" in table.output


def test_an_answer_sent_twice_or_merged_again_counts_once(
    answered: Engine, project: Path, tmp_path: Path
) -> None:
    """The outcomes follow the responses: a response stored once is one answer, whatever
    channel or merge brought it again; a kiosk database merged twice adds nothing."""
    before = listed(project)
    survey = answered.survey("hague-followup")
    response = answer(survey.version, {"shared": True, "contacts": 2})
    kiosk = tmp_path / "kiosk"
    (kiosk / "surveys").mkdir(parents=True)
    shutil.copy(project / "surveys" / "hague-followup.yaml", kiosk / "surveys")
    assert run(kiosk, "event", "add", "hague-2011", "--title", "Hague").exit_code == 0
    kiosk_engine = open_engine(kiosk)
    try:
        assert kiosk_engine.submit(response) == "stored"
    finally:
        kiosk_engine.close()
    for _ in range(2):
        result = run(project, "merge", str(kiosk / "feedback.db"))
        assert result.exit_code == 0, result.output
    assert answered.submit(response) == "already_stored"
    after = listed(project)
    assert len(after) == len(before) + 2  # contact_shared once, follow_up_meeting x2 once
    assert sum(r["count"] for r in after) == sum(r["count"] for r in before) + 3


def test_outcomes_of_another_event_are_not_listed_for_this_one(
    answered: Engine, project: Path
) -> None:
    assert run(project, "event", "add", "rome-2012", "--title", "Rome").exit_code == 0
    survey = answered.survey("hague-followup")
    answered.submit(answer(survey.version, {"shared": True}, event="rome-2012"))
    assert len(listed(project, "--event", "rome-2012")) == 1
    assert all(r["event"] == "hague-2011" for r in listed(project, "--event", "hague-2011"))


def test_the_engine_api_reads_each_response_once(answered: Engine) -> None:
    survey = answered.survey("hague-followup")
    responses = list(answered.store.iter_responses())
    per_response = list(outcomes.survey_outcomes({(survey.id, survey.version): survey}, responses))
    assert [sorted(r.asked) for r in per_response][:2] == [
        ["contact_shared", "follow_up_meeting", "media", "policy_change"],
        ["contact_shared", "follow_up_meeting", "media", "policy_change"],
    ]
    # a "no" hides the number question: not asked about follow-up meetings
    assert "follow_up_meeting" not in per_response[2].asked
    assert [r.reported() for r in per_response] == [6, 1, 1, 1]
    assert per_response[0].reported("follow_up_meeting") == 3


# -- declarations that are refused --------------------------------------------------------------


def _refused(
    project: Path, make_engine: Callable[..., Engine], text: str, toml: str = ""
) -> list[str]:
    """What the engine and ``feedback survey validate`` (exit 2) say of the follow-up."""
    follow_up_project(project, text, toml)
    engine = make_engine()
    with pytest.raises(SurveyError) as caught:
        engine.survey("hague-followup")
    path = project / "surveys" / "hague-followup.yaml"
    validated = run(project, "survey", "validate", str(path))
    assert validated.exit_code == 2
    return [str(caught.value), validated.output]


def _with(old: str, new: str) -> str:
    assert old in FOLLOW_UP
    return FOLLOW_UP.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "outcome: contact_shared",
            "outcome: contacts_shared",
            "surveys/hague-followup.yaml:9:14: questions[0].outcome.kind: question 'shared': "
            "unknown kind of outcome 'contacts_shared': expected one of contact_shared, "
            "policy_change, media, follow_up_meeting (set in feedback.toml under "
            "[programme.outcome_kinds]); did you mean 'contact_shared'?",
        ),
        (
            "outcome: {kind: policy_change, when: [tabled, passed]}",
            "outcome: policy_change",
            "questions[2].outcome: question 'motion': say which choices record an outcome, "
            "e.g. outcome: {kind: policy_change, when: [no_motion]} (choices: no_motion, tabled, "
            "passed)",
        ),
        (
            "when: [tabled, passed]",
            "when: [tabled, pased]",
            ":21:51: questions[2].outcome.when[1]: question 'motion': unknown choice 'pased', "
            "expected one of no_motion, tabled, passed; did you mean 'passed'?",
        ),
        (
            "    integer: true\n",
            "",
            "questions[1].outcome: question 'contacts': a number question that records "
            "outcomes counts them: set integer: true",
        ),
        (
            "    outcome: media\n",
            "    outcome: {kind: media, when: [yes]}\n",
            "questions[3].outcome.when: question 'press': when: is for yes_no and single_choice "
            "questions; a text question records outcomes by any answer",
        ),
        (
            "    outcome: contact_shared\n",
            "    outcome: {kind: contact_shared, when: [maybe]}\n",
            "questions[0].outcome.when[0]: question 'shared': expected yes or no, found 'maybe'",
        ),
        (
            "    outcome: media\n",
            "    outcome: [media]\n",
            "questions[3].outcome: expected a kind of outcome (outcome: KIND) or outcome: "
            '{kind: KIND, when: [answers]}, found ["media"]',
        ),
        (
            "    outcome: media\n",
            "    outcome: {kind: media, wehn: [x]}\n",
            "questions[3].outcome.wehn: unknown key 'wehn'; did you mean 'when'?",
        ),
        (
            "    type: text\n",
            "    type: rating\n",
            "questions[3].outcome: question 'press' is a rating question, whose answer cannot "
            "record outcomes: expected outcome: on a yes_no, single_choice, number or text "
            "question",
        ),
    ],
)
def test_a_bad_declaration_is_refused_with_its_place(
    project: Path, make_engine: Callable[..., Engine], old: str, new: str, expected: str
) -> None:
    for message in _refused(project, make_engine, _with(old, new)):
        assert expected in message


def test_kinds_are_the_programme_s(project: Path, make_engine: Callable[..., Engine]) -> None:
    toml = '[programme.outcome_kinds]\nlaw_passed = "Law passed"\n'
    message, _ = _refused(project, make_engine, FOLLOW_UP, toml)
    assert "unknown kind of outcome 'contact_shared': expected one of law_passed" in message
    assert "question 'motion': unknown kind of outcome 'policy_change'" in message  # every one


def test_a_part_of_a_self_generated_code_records_nothing(
    project: Path, make_engine: Callable[..., Engine]
) -> None:
    text = FOLLOW_UP.replace(
        "questions:\n",
        "self_code: [press, month]\nquestions:\n"
        '  - {id: month, type: text, label: "The month you were born"}\n',
    )
    message, _ = _refused(project, make_engine, text)
    assert "question 'press' is a part of the self-generated code" in message


def test_the_short_form_is_the_long_form(project: Path, make_engine: Callable[..., Engine]) -> None:
    """``outcome: KIND`` and ``outcome: {kind: KIND}`` are one definition: one version."""
    follow_up_project(project)
    short = make_engine().survey("hague-followup")
    follow_up_project(project, _with("outcome: media", "outcome: {kind: media}"))
    assert make_engine().survey("hague-followup").version == short.version


def test_a_stored_version_whose_kind_was_since_removed_still_reads(
    answered: Engine, project: Path
) -> None:
    """The kinds are checked when a survey file is read; answers already stored keep their
    outcomes when the programme later drops a kind (listed by the kind's id)."""
    (project / "feedback.toml").write_text(
        '[programme.outcome_kinds]\ncontact_shared = "Contact shared"\n', encoding="utf-8"
    )
    (project / "surveys" / "hague-followup.yaml").unlink()
    kinds = {r["kind"] for r in listed(project)}
    assert kinds == {"contact_shared", "follow_up_meeting", "media", "policy_change"}
