"""``feedback report``: the files it writes, their names, and its errors (clear, never a crash)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from reports_helpers import Built, invoke

from feedback.config import load_settings
from feedback.engine import Engine


@pytest.mark.parametrize("scope", ["hague", "programme"])
@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_each_format_writes_its_file(built: Built, scope: str, fmt: str) -> None:
    path = built.files[(scope, fmt)]
    assert path.stat().st_size > 1000
    assert built.outputs[(scope, fmt)].startswith(f"wrote {path}: ")
    assert "20 responses" in built.outputs[("hague", fmt)]
    assert "26 responses" in built.outputs[("programme", fmt)]
    # nothing half-written is left next to it
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


def test_without_o_the_file_is_named_after_the_event(report_cmd, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = report_cmd("--event", "hague-2011", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "report-hague-2011.json").read_text(encoding="utf-8"))
    assert data["event"]["id"] == "hague-2011"

    result = report_cmd("--programme", "--format", "md")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report-programme.md").read_text(encoding="utf-8").startswith("# ")


def test_html_is_the_default_format(report_cmd, tmp_path) -> None:
    out = tmp_path / "hague.html"
    result = report_cmd("--event", "hague-2011", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_unknown_event_exits_2_with_a_suggestion(report_cmd, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = report_cmd("--event", "hague-2012")
    assert result.exit_code == 2
    assert "unknown event 'hague-2012'" in result.output
    assert "did you mean 'hague-2011'?" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_event_without_responses_gives_a_clear_message(report_cmd, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # Warsaw has a roster but no responses yet
    result = report_cmd("--event", "warsaw-2012", "--format", "html")
    assert result.exit_code == 1
    assert "event 'warsaw-2012' has no responses yet: nothing to report" in result.output
    assert "feedback responses import" in result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a crash
    assert "`feedback score` shows the reach from the roster alone" in result.output
    # Vienna has no roster either
    result = report_cmd("--event", "vienna-2012")
    assert result.exit_code == 1
    assert "event 'vienna-2012' has no responses and no roster yet" in result.output
    assert "a roster with `feedback roster import`" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_project_without_responses_has_no_programme_report(reports_pm, tmp_path) -> None:
    result = invoke(reports_pm, "--project", str(tmp_path), "report", "--programme")
    assert result.exit_code == 1
    assert "the programme has no responses and no roster yet" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --event ID, or --programme for every event so far"),
        (["--event", "hague-2011", "--programme"], "give --event ID or --programme, not both"),
        (
            ["--event", "hague-2011", "--format", "htm"],
            "--format: unknown report format 'htm' (known: html, md, json, csv); did you mean 'html'?",
        ),
    ],
)
def test_invalid_options_exit_2(report_cmd, args: list[str], message: str) -> None:
    result = report_cmd(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_an_output_folder_that_does_not_exist_exits_2(report_cmd, tmp_path) -> None:
    result = report_cmd(
        "--event", "hague-2011", "--format", "md", "-o", str(tmp_path / "no" / "r.md")
    )
    assert result.exit_code == 2
    assert "is not an existing folder" in result.output


@pytest.mark.parametrize("where", ["missing folder", "a folder", "name too long", "/proc"])
def test_a_bad_output_is_refused_before_any_work(
    report_cmd, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Every output the writer would fail on at the end is refused first: a name that is fine
    but whose temporary file's name is too long, a folder where no file can be made."""
    import feedback_reports.cli

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the responses were read before the output was checked")

    monkeypatch.setattr(feedback_reports.cli, "scoring_context", no_work)
    target = {
        "missing folder": tmp_path / "no" / "r.md",
        "a folder": tmp_path,
        # 255 characters, the most a name may have: the writer's temporary name is longer
        "name too long": tmp_path / ("r" * 252 + ".md"),
        "/proc": Path("/proc/r.md"),
    }[where]
    if where == "/proc" and not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    result = report_cmd("--event", "hague-2011", "--format", "md", "-o", str(target))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "-o" in result.output and str(target) in result.output
    assert list(tmp_path.iterdir()) == []  # no probe left behind


def test_the_report_counts_agree_in_number(reports_pm, tmp_path: Path) -> None:
    """An event with one response and one comment: "1 response", "1 comment", not "1 responses"."""
    import random

    from reports_helpers import answers_for, response, write_jsonl

    def ok(*args: str) -> str:
        result = invoke(reports_pm, "--project", str(tmp_path), *args)
        assert result.exit_code == 0, result.output
        return result.output

    ok("event", "add", "one-2011", "--title", "One", "--date", "2011-01-26")
    answers = answers_for("mp", "NL", random.Random(1), "Excellent speakers.")
    rows = [response("one-2011", answers, "2011-01-26")]
    ok("responses", "import", str(write_jsonl(tmp_path / "r.jsonl", rows)))
    output = ok("report", "--event", "one-2011", "--format", "md", "-o", str(tmp_path / "r.md"))
    assert "(1 response, " in output and " 1 comment for review)" in output, output
    assert "results, " in output  # several scorers: a plural


def test_the_command_is_listed_with_its_help(reports_pm, tmp_path) -> None:
    listing = invoke(reports_pm, "--help")
    assert "report" in listing.output
    result = invoke(reports_pm, "report", "--help")
    assert result.exit_code == 0
    for option in ("--event", "--programme", "--format", "-o, --output", "--db"):
        assert option in result.output


def test_hook_register_report_formats(reports_pm, tmp_path: Path) -> None:
    engine = Engine(settings=load_settings(tmp_path), pm=reports_pm)
    try:
        formats = engine.report_formats
        assert formats.problems == []
        assert [(f.name, f.suffix) for f in formats] == [
            ("html", ".html"),
            ("md", ".md"),
            ("json", ".json"),
            ("csv", ".csv"),
        ]
        assert {formats.owners[name] for name in formats.names()} == {"feedback_reports"}
    finally:
        engine.close()


def test_the_report_gets_the_usual_permissions(report_cmd, tmp_path) -> None:
    out = tmp_path / "r.json"
    umask = os.umask(0o022)
    try:
        result = report_cmd("--event", "hague-2011", "--format", "json", "-o", str(out))
    finally:
        os.umask(umask)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
