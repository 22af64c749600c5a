"""The outcome log (`feedback.outcomes`, ``feedback outcome``) on real SQLite files: add, list,
import, and every refusal (exit 2, each problem named, the database unchanged)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from helpers import dump, run

from feedback import outcomes
from feedback.config import ProgrammeSettings
from feedback.store import Store

HEADER = "event,kind,date,text,evidence\n"


@pytest.fixture
def project(event_project: Path) -> Path:
    """A project with the event ``hague-2011`` (the shared ``event_project``)."""
    return event_project


def db(project: Path) -> Path:
    return project / "feedback.db"


def listed(project: Path, *args: str) -> list[dict]:
    result = run(project, "outcome", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def add(project: Path, *args: str):  # type: ignore[no-untyped-def]
    return run(project, "outcome", "add", *args)


def test_the_default_kinds() -> None:
    assert ProgrammeSettings().outcome_kinds == {
        "contact_shared": "Contact shared",
        "policy_change": "Policy change",
        "media": "Media",
        "follow_up_meeting": "Follow-up meeting",
    }


def test_add_then_list_with_evidence_inside_the_project(project: Path) -> None:
    evidence = project / "evidence" / "hansard.pdf"
    evidence.parent.mkdir()
    evidence.write_bytes(b"motion 33 tabled")
    result = add(
        project, "--event", "hague-2011", "--kind", "policy_change", "--date", "2011-03-02",
        "--text", "A motion was tabled in parliament", "--evidence", str(evidence),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "recorded outcome 1: policy_change of hague-2011 on 2011-03-02" in result.output
    result = add(
        project, "--event", "hague-2011", "--kind", "contact_shared", "--date", "2011-02-01",
        "--text", "3 MPs sent new contacts",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = listed(project)
    assert [(r["date"], r["kind"], r["text"]) for r in rows] == [
        ("2011-02-01", "contact_shared", "3 MPs sent new contacts"),
        ("2011-03-02", "policy_change", "A motion was tabled in parliament"),
    ]
    assert rows[1]["evidence"] == "evidence/hansard.pdf"  # relative to the project
    assert rows[1]["evidence_sha256"] == hashlib.sha256(b"motion 33 tabled").hexdigest()
    assert rows[1]["source"] == "cli" and rows[1]["recorded"]
    assert rows[0]["evidence"] is None
    assert listed(project, "--event", "hague-2011") == rows


def test_evidence_outside_the_project_is_kept_by_its_absolute_path(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "clip.txt"
    outside.write_text("radio", encoding="utf-8")
    result = add(
        project, "--event", "hague-2011", "--kind", "media", "--date", "2011-02-01",
        "--text", "Radio interview", "--evidence", str(outside),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert listed(project)[0]["evidence"] == str(outside.resolve())


def test_the_table_reads_at_80_columns(project: Path) -> None:
    from click.testing import CliRunner

    from feedback.cli import cli

    text = "A long description of what happened after the seminar, " * 3
    assert add(
        project, "--event", "hague-2011", "--kind", "follow_up_meeting", "--date", "2011-02-01",
        "--text", text.strip(),
    ).exit_code == 0  # fmt: skip
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        cli, ["--project", str(project), "outcome", "list"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Follow-up" in result.output and "1 outcome" in lines[-1]
    assert "seminar" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--kind", "medai"],
            "--kind: unknown kind 'medai': expected one of contact_shared, "
            "policy_change, media, follow_up_meeting",
        ),
        (["--kind", "medai"], "did you mean 'media'?"),
        (["--date", "2011-02-30"], "--date: expected a date as YYYY-MM-DD, found '2011-02-30'"),
        (["--date", "2999-01-01"], "--date: 2999-01-01 is after today"),
        (["--event", "hague-2012"], "--event: unknown event 'hague-2012'"),
        (["--text", "evil\x1b[31m"], "--text: expected plain text, found an escape character"),
        (["--text", "two\nlines"], "--text: expected plain text, found a line feed"),
        (["--text", "   "], "--text: expected a description of the outcome, found nothing"),
        (["--evidence", "missing.pdf"], "--evidence: no such file: missing.pdf"),
    ],
)
def test_a_bad_outcome_is_refused_and_nothing_is_written(
    project: Path, args: list[str], expected: str
) -> None:
    given = {"--event": "hague-2011", "--kind": "media", "--date": "2011-02-01", "--text": "ok"}
    extra: list[str] = []
    for option, value in zip(args[::2], args[1::2], strict=True):
        if option in given:
            given[option] = value
        else:
            extra += [option, value]
    before = dump(db(project))
    result = add(project, *[x for pair in given.items() for x in pair], *extra)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert dump(db(project)) == before


def test_after_today_follows_the_core_clock(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(dt.datetime(2011, 2, 1, tzinfo=dt.UTC).timestamp()))
    )
    args = ["--event", "hague-2011", "--kind", "media", "--text", "x"]
    assert add(project, *args, "--date", "2011-02-01").exit_code == 0
    result = add(project, *args, "--date", "2011-02-02")
    assert result.exit_code == 2
    assert "2011-02-02 is after today (2011-02-01)" in result.output


def test_kinds_come_from_the_programme_s_settings(project: Path) -> None:
    (project / "feedback.toml").write_text(
        '[programme.outcome_kinds]\nlaw_passed = "Law passed"\n', encoding="utf-8"
    )
    args = ["--event", "hague-2011", "--date", "2011-02-01", "--text", "x"]
    result = add(project, *args, "--kind", "media")
    assert result.exit_code == 2
    assert "expected one of law_passed" in result.output
    assert add(project, *args, "--kind", "law_passed").exit_code == 0


def test_import_writes_every_row(project: Path) -> None:
    (project / "scan.png").write_bytes(b"png")
    file = project / "outcomes.csv"
    file.write_text(
        HEADER
        + "hague-2011,media,2011-02-01,Article in NRC,scan.png\n"
        + 'hague-2011,policy_change,2011-03-02,"Motion tabled, and passed",\n',
        encoding="utf-8",
    )
    result = run(project, "outcome", "import", str(file))
    assert result.exit_code == 0, result.output
    assert "2 outcomes recorded for 1 event (hague-2011)" in result.output
    rows = listed(project)
    assert [(r["kind"], r["text"], r["evidence"], r["source"]) for r in rows] == [
        ("media", "Article in NRC", "scan.png", "csv"),
        ("policy_change", "Motion tabled, and passed", None, "csv"),
    ]


def test_import_is_all_or_nothing_and_names_each_bad_cell(project: Path) -> None:
    file = project / "outcomes.csv"
    file.write_text(
        HEADER
        + "hague-2011,media,2011-02-01,Fine row,\n"
        + "hague-2011,medai,2011-02-01,Bad kind,\n"
        + "hague-2011,media,01/02/2011,Bad date,\n"
        + "nowhere,media,2011-02-01,Bad event,\n"
        + "hague-2011,media,2999-01-01,Future,\n"
        + "hague-2011,media,2011-02-01,Bell\x07,\n"
        + "hague-2011,media,2011-02-01,No file,gone.pdf\n",
        encoding="utf-8",
    )
    before = dump(db(project))
    result = run(project, "outcome", "import", str(file))
    assert result.exit_code == 2, result.output
    out = result.output
    assert f"{file}:3: column 'kind': unknown kind 'medai'" in out
    assert f"{file}:4: column 'date': expected a date as YYYY-MM-DD, found '01/02/2011'" in out
    assert f"{file}:5: column 'event': unknown event 'nowhere'" in out
    assert f"{file}:6: column 'date': 2999-01-01 is after today" in out
    assert f"{file}:7: column 'text': expected plain text, found a control character" in out
    assert f"{file}:8: column 'evidence': no such file: {project / 'gone.pdf'}" in out
    assert ":2:" not in out
    assert dump(db(project)) == before


def test_import_refuses_a_bad_header(project: Path) -> None:
    file = project / "outcomes.csv"
    file.write_text("event,knd,date\nhague-2011,media,2011-02-01\n", encoding="utf-8")
    before = dump(db(project))
    result = run(project, "outcome", "import", str(file))
    assert result.exit_code == 2
    assert "unknown column 'knd'" in result.output and "did you mean 'kind'?" in result.output
    assert "missing column 'text'" in result.output
    assert dump(db(project)) == before


def test_the_store_api(project: Path) -> None:
    with Store(db(project)) as store:
        found, problems = outcomes.check_outcome(
            {"event": "hague-2011", "kind": "media", "date": "2011-02-01", "text": " On TV "},
            kinds=ProgrammeSettings().outcome_kinds,
            events=store.event_ids(),
            project_dir=project,
            today=dt.date(2011, 2, 1),
        )
        assert problems == [] and found is not None
        assert found.text == "On TV"
        number = outcomes.add_outcome(store, found)
        assert [r["id"] for r in outcomes.list_outcomes(store, ["hague-2011"])] == [number]
        assert outcomes.list_outcomes(store, ["other"]) == []
        # the table refuses an outcome of an unknown event even past the checks
        bad = found.model_copy(update={"event": "nowhere"})
        before = dump(db(project))
        with pytest.raises(Exception, match="FOREIGN KEY"):
            outcomes.add_outcomes(store, [found, bad])
        assert dump(db(project)) == before
