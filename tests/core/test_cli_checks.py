"""The command line is quick and honest: a bad output path, a missing event or an unknown survey is
reported before any slow work, and counts agree in number ("1 question", "2 questions")."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

import feedback_offline.paper
import feedback_offline.standalone
from feedback.cli import CommandError, check_output
from feedback.scoring import ScoreResult
from feedback_scoring.cli import _figure

#: 255 characters, the most one name may have: fine for the file, too long for the temporary file
#: beside it that the writer makes first (`feedback.files.atomic_write`)
LONGEST = "f" * 250


# -- feedback.cli.check_output -----------------------------------------------------------------


def test_a_writable_output_passes_and_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert check_output(out) == out
    out.write_text("old", encoding="utf-8")
    assert check_output(out) == out
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing", "is not an existing folder"),
        ("folder", "is a folder, not a file"),
        ("database", "is the database: choose another file"),
        ("too long", "cannot write"),
        ("in a file", "is not an existing folder"),
    ],
)
def test_an_output_that_cannot_be_written_is_refused(
    tmp_path: Path, where: str, message: str
) -> None:
    database = tmp_path / "feedback.db"
    database.write_bytes(b"")
    path = {
        "missing": tmp_path / "no" / "r.html",
        "folder": tmp_path,
        "database": database,
        "too long": tmp_path / f"{LONGEST}.html",
        "in a file": database / "r.html",
    }[where]
    with pytest.raises(CommandError) as info:
        check_output(path, database)
    assert info.value.exit_code == 2
    assert info.value.message.startswith("-o: ") and message in info.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feedback.db"]


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="no /proc here")
def test_a_folder_where_no_file_can_be_made_is_refused() -> None:
    """/proc is a folder, writable for root by its mode bits, where no file can be made."""
    with pytest.raises(CommandError, match=r"cannot write /proc/r\.html"):
        check_output(Path("/proc/r.html"))


# -- every command that writes a file checks first ---------------------------------------------


def _never(what: str):
    def called(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{what} ran before the output was checked")

    return called


@pytest.mark.parametrize(
    ("command", "suffix", "slow"),
    [
        ("form", ".html", (feedback_offline.standalone, "render_form")),
        ("paper", ".pdf", (feedback_offline.paper, "build_form")),
        ("paper", ".html", (feedback_offline.paper, "build_form")),
        ("template", ".csv", (feedback_offline.paper, "template_csv")),
    ],
)
@pytest.mark.parametrize("where", ["too long", "/proc"])
def test_offline_forms_refuse_a_bad_output_before_making_the_form(
    event_project: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    suffix: str,
    slow: tuple[object, str],
    where: str,
) -> None:
    if where == "/proc" and not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    monkeypatch.setattr(*slow, _never(f"{command}: {slow[1]}"))
    out = event_project / f"{LONGEST}{suffix}" if where == "too long" else Path(f"/proc/f{suffix}")
    result = run(event_project, "offline", command, "--event", "hague-2011", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"-o: cannot write {out}" in result.output
    assert sorted(p.name for p in event_project.iterdir()) == ["feedback.db"]


@pytest.mark.parametrize("command", ["form", "paper", "template"])
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--event", "hague-2010"], "unknown event 'hague-2010'; did you mean 'hague-2011'?"),
        (["--event", "hague-2011", "--survey", "post-seminr"], "did you mean 'post-seminar'?"),
    ],
)
def test_offline_forms_check_event_and_survey_before_making_the_form(
    event_project: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.setattr(feedback_offline.standalone, "render_form", _never("render_form"))
    monkeypatch.setattr(feedback_offline.paper, "build_form", _never("build_form"))
    monkeypatch.setattr(feedback_offline.paper, "template_csv", _never("template_csv"))
    suffix = ".csv" if command == "template" else ".html"
    out = event_project / f"form{suffix}"
    result = run(event_project, "offline", command, *args, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not out.exists()


# -- counts agree in number --------------------------------------------------------------------


def test_survey_show_says_1_question(project: Path) -> None:
    (project / "surveys" / "one.yaml").write_text(
        "id: one\ntitle: One\nquestions:\n  - {id: q, type: yes_no, label: Q}\n", encoding="utf-8"
    )
    assert "1 question" in run(project, "survey", "show", "one").output
    assert "1 questions" not in run(project, "survey", "show", "one").output
    assert "18 questions" in run(project, "survey", "show", "post-seminar").output


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [(1, 1, "1 MP of 1 participant"), (2, 11, "2 MPs of 11 participants"), (0, 3, "0 MPs of 3")],
)
def test_score_counts_of_mps_agree_in_number(k: int, n: int, expected: str) -> None:
    result = ScoreResult(
        scorer="reach", construct="reach", label="MPs reached", k=k, n=n, unit="count"
    )
    assert _figure(result).startswith(expected)
