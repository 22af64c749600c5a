"""One test per hook in ``feedback.hookspecs``: a small plugin, registered and unregistered inside
the test, exercised through the real engine and a real SQLite file in ``tmp_path``."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import click
import pytest
from helpers import make_response, pm_with_formats

from feedback import hookimpl
from feedback.engine import Engine, ResponseConflict
from feedback.errors import Problem, ResponseInvalid, SurveyError, SurveyNotFound
from feedback.loading import SurveyDocument
from feedback.registry import Channel, ReportFormat, Scorer
from feedback.responses import Response
from feedback.survey import QuestionBase, Survey

TINY = """\
id: tiny
title: {en: Tiny survey, nl: Kleine vragenlijst}
languages: [en, nl]
scales:
  agree3: {points: [disagree, neutral, agree]}
questions:
  - id: role
    type: single_choice
    label: Which best describes you?
    choices: [mp, ngo, other]
    required: true
  - id: support
    type: likert
    label: My country should have an independent national rapporteur
    scale: agree3
    measures: rapporteur_support
"""


@pytest.fixture
def project(project: Path) -> Path:
    """The shared empty project with the survey ``tiny``; ``make_engine`` builds engines on it."""
    (project / "surveys" / "tiny.yaml").write_text(TINY, encoding="utf-8")
    return project


def response(**changes: Any) -> dict[str, Any]:
    return make_response("tiny", {"role": "mp", "support": "agree"}, **changes)


def stored_ids(engine: Engine) -> list[str]:
    return [row["id"] for row in engine.store.iter_responses()]


# -- register_commands -------------------------------------------------------------------------


class HelloCommand:
    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        @cli.command(name="say-hello")
        @click.argument("name")
        def say_hello(name: str) -> None:
            """Greet someone."""
            click.echo(f"Hello, {name}!")


def test_hook_register_commands(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    from click.testing import CliRunner

    import feedback.cli

    plugin = HelloCommand()
    pm = pm_with_formats()
    pm.register(plugin, name="hello")
    # feedback.cli takes its plugin manager from a process-wide cache and adds plugin commands to
    # the global group once: point it at this manager, on a copy of the group's commands.
    group = feedback.cli.cli
    monkeypatch.setattr(feedback.cli, "plugin_manager", lambda: pm)
    monkeypatch.setattr(group, "_plugins_added", False)
    monkeypatch.setattr(group, "commands", dict(group.commands))

    runner = CliRunner()
    result = runner.invoke(group, ["--project", str(project), "say-hello", "Hague"])
    assert result.exit_code == 0, result.output
    assert result.output == "Hello, Hague!\n"
    listing = runner.invoke(group, ["--help"])
    assert re.search(r"^\s+say-hello\s+Greet someone\.$", listing.output, re.MULTILINE)

    # Without the plugin, the hook adds nothing.
    pm.unregister(plugin)
    other = click.Group("feedback")
    pm.hook.register_commands(cli=other)
    assert other.commands == {}


# -- load_survey -------------------------------------------------------------------------------

TINY_TOML = """\
id = "tiny-toml"
title = "Tiny survey, in TOML"

[[questions]]
id = "role"
type = "single_choice"
label = "Which best describes you?"
choices = ["mp", "ngo"]
required = true
"""


class TomlSurveys:
    """Reads ``.toml`` survey files; leaves every other format to other plugins."""

    def __init__(self) -> None:
        self.seen: list[Path] = []

    @hookimpl
    def load_survey(self, path: Path) -> SurveyDocument | None:
        self.seen.append(path)
        if path.suffix != ".toml":
            return None
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SurveyError(path, [Problem(f"not valid TOML: {exc}")]) from exc
        return SurveyDocument(data=data, source=path)


def test_hook_load_survey(make_engine: Callable[..., Engine], project: Path) -> None:
    plugin = TomlSurveys()
    engine = make_engine(plugin, event=False)
    path = project / "tiny.toml"
    path.write_text(TINY_TOML, encoding="utf-8")

    survey = engine.read_survey(path)
    assert isinstance(survey, Survey)
    assert survey.id == "tiny-toml"
    assert [q.id for q in survey.all_questions()] == ["role"]

    # A YAML file is not this plugin's: it returns None and the built-in YAML reader takes over.
    assert engine.read_survey(project / "surveys" / "tiny.yaml").id == "tiny"
    assert project / "surveys" / "tiny.yaml" in plugin.seen

    # The core validates what the plugin read, and names the file.
    path.write_text(TINY_TOML.replace("required = true", "requierd = true"), encoding="utf-8")
    with pytest.raises(SurveyError) as info:
        engine.read_survey(path)
    assert str(path) in str(info.value)
    assert "unknown key 'requierd'" in str(info.value)
    assert "did you mean 'required'" in str(info.value)

    # The plugin's own error for a broken file of its format comes through.
    path.write_text("id = ", encoding="utf-8")
    with pytest.raises(SurveyError, match="not valid TOML"):
        engine.read_survey(path)

    engine.pm.unregister(plugin)
    path.write_text(TINY_TOML, encoding="utf-8")
    with pytest.raises(SurveyError, match=r"no installed plugin reads '\.toml' files"):
        engine.read_survey(path)


def test_load_survey_plugin_formats_are_found_by_id(
    make_engine: Callable[..., Engine], project: Path
) -> None:
    engine = make_engine(TomlSurveys())
    (project / "surveys" / "tiny-toml.toml").write_text(TINY_TOML, encoding="utf-8")
    assert engine.survey("tiny-toml").id == "tiny-toml"


# -- register_question_types -------------------------------------------------------------------


class Email(QuestionBase):
    """An e-mail address, for participants who want the report."""

    type: Literal["email"] = "email"

    def check(self, value: Any) -> str | None:
        if not isinstance(value, str) or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            return f"expected an e-mail address, found {value!r}"
        return None


class EmailQuestions:
    @hookimpl
    def register_question_types(self, register: Callable[[type[QuestionBase]], None]) -> None:
        register(Email)


CONTACT = """\
id: contact
title: Contact
questions:
  - id: email
    type: email
    label: Your e-mail address, if you want the report
"""


def test_hook_register_question_types(make_engine: Callable[..., Engine], project: Path) -> None:
    (project / "surveys" / "contact.yaml").write_text(CONTACT, encoding="utf-8")

    plugin = EmailQuestions()
    engine = make_engine(plugin)
    assert engine.question_types["email"] is Email
    assert engine.question_types.problems == []

    survey = engine.survey("contact")
    assert isinstance(survey.question("email"), Email)

    good = response(survey="contact", answers={"email": "mp@example.org"})
    assert engine.submit(good) == "stored"
    bad = response(survey="contact", answers={"email": "not an address"})
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(bad)
    assert [p.loc for p in info.value.problems] == [("email",)]
    assert "expected an e-mail address" in info.value.problems[0].message
    assert stored_ids(engine) == [good["id"]]

    # Without the plugin, the survey using the type does not validate.
    engine.pm.unregister(plugin)
    without = make_engine(event=False)
    assert "email" not in without.question_types
    with pytest.raises(SurveyError, match="unknown question type 'email'"):
        without.read_survey(project / "surveys" / "contact.yaml")
    with pytest.raises(SurveyNotFound, match=r"contact\.yaml"):
        without.survey("contact")


# -- register_channels -------------------------------------------------------------------------


class SmsChannel:
    @hookimpl
    def register_channels(self, register: Callable[[Channel], None]) -> None:
        register(Channel("sms", "Text message", "Answers sent by SMS, handed to Engine.submit"))


def test_hook_register_channels(make_engine: Callable[..., Engine]) -> None:
    plugin = SmsChannel()
    engine = make_engine(plugin)
    assert set(engine.channels.names()) == {"sms", "import"}  # "import" is feedback_formats'
    assert engine.channels["sms"] == Channel(
        "sms", "Text message", "Answers sent by SMS, handed to Engine.submit"
    )
    assert engine.channels.owners["sms"] == engine.pm.get_name(plugin)
    assert engine.channels.problems == []

    # A response from the channel goes in through the one way in.
    assert engine.submit(response(channel="sms")) == "stored"
    assert [row["channel"] for row in engine.store.iter_responses()] == ["sms"]

    engine.pm.unregister(plugin)
    assert "sms" not in make_engine(event=False).channels


# -- validate_response -------------------------------------------------------------------------


class MpsMustAnswerSupport:
    """A house rule beyond the survey: an MP must say whether they support a rapporteur."""

    def __init__(self) -> None:
        self.calls: list[tuple[Survey, Response]] = []

    @hookimpl
    def validate_response(self, survey: Survey, response: Response) -> list[Problem] | None:
        self.calls.append((survey, response))
        if response.answers.get("role") == "mp" and "support" not in response.answers:
            return [Problem("an MP must answer this question", ("support",))]
        return None


def test_hook_validate_response(make_engine: Callable[..., Engine]) -> None:
    plugin = MpsMustAnswerSupport()
    engine = make_engine(plugin)

    refused = response(answers={"role": "mp"})
    with pytest.raises(ResponseInvalid) as info:
        engine.submit(refused)
    assert info.value.problems == [Problem("an MP must answer this question", ("support",))]
    assert refused["id"] in str(info.value)
    assert engine.store.count_responses() == 0
    assert engine.store.conflicts() == []

    survey, seen = plugin.calls[-1]
    assert survey.id == "tiny"
    assert isinstance(seen, Response)
    assert str(seen.id) == refused["id"]
    assert seen.survey_version == survey.version  # filled in before the hook sees it

    ok = response(answers={"role": "ngo"})
    assert engine.submit(ok) == "stored"
    assert stored_ids(engine) == [ok["id"]]

    # A response that already fails the survey's own checks is not passed to the hook.
    calls = len(plugin.calls)
    with pytest.raises(ResponseInvalid, match="unknown choice"):
        engine.submit(response(answers={"role": "senator"}))
    assert len(plugin.calls) == calls

    engine.pm.unregister(plugin)
    assert engine.submit(refused) == "stored"


# -- response_submitted ------------------------------------------------------------------------


class Recorder:
    """Records each notification and what a separate connection sees in the database then."""

    def __init__(self) -> None:
        self.calls: list[tuple[Engine, Response, int]] = []

    @hookimpl
    def response_submitted(self, engine: Engine, response: Response) -> None:
        with sqlite3.connect(engine.settings.db_path) as other:
            (count,) = other.execute(
                "SELECT count(*) FROM responses WHERE id = ?", [str(response.id)]
            ).fetchone()
        other.close()
        self.calls.append((engine, response, count))


def test_hook_response_submitted(make_engine: Callable[..., Engine]) -> None:
    plugin = Recorder()
    engine = make_engine(plugin)
    first = response()

    assert engine.submit(first) == "stored"
    assert len(plugin.calls) == 1
    called_engine, called_response, count_seen = plugin.calls[0]
    assert called_engine is engine
    assert str(called_response.id) == first["id"]
    assert count_seen == 1  # committed: another connection already sees it

    # The same response again is stored once, and nobody is told twice.
    assert engine.submit(dict(first)) == "already_stored"
    assert len(plugin.calls) == 1

    # The same id with other content is a conflict, not a submission.
    with pytest.raises(ResponseConflict):
        engine.submit(response(id=first["id"], answers={"role": "ngo"}))
    assert len(plugin.calls) == 1

    # A refused response is not announced either.
    with pytest.raises(ResponseInvalid):
        engine.submit(response(answers={}))
    assert len(plugin.calls) == 1

    engine.pm.unregister(plugin)
    assert engine.submit(response()) == "stored"
    assert len(plugin.calls) == 1


class Failing:
    @hookimpl
    def response_submitted(self, engine: Engine, response: Response) -> None:
        raise RuntimeError("webhook is down")


def test_response_submitted_failure_keeps_the_response(
    make_engine: Callable[..., Engine], caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(Failing())
    item = response()
    assert engine.submit(item) == "stored"
    assert stored_ids(engine) == [item["id"]]
    assert "webhook is down" in caplog.text


# -- register_scorers --------------------------------------------------------------------------


def support_share(survey: Survey, responses: list[dict[str, Any]]) -> tuple[int, int]:
    """(agree, answered) over the items that measure rapporteur_support."""
    items = [q.id for q in survey.measures("rapporteur_support")]
    answers = [r["answers"][i] for r in responses for i in items if i in r["answers"]]
    return sum(a == "agree" for a in answers), len(answers)


class SupportScorer:
    @hookimpl
    def register_scorers(self, register: Callable[[Scorer], None]) -> None:
        register(
            Scorer(
                name="support-share",
                title="Support for an independent national rapporteur",
                constructs=("rapporteur_support",),
                score=support_share,
            )
        )


def test_hook_register_scorers(make_engine: Callable[..., Engine]) -> None:
    plugin = SupportScorer()
    engine = make_engine(plugin)
    assert engine.scorers.names() == ["support-share"]
    assert engine.scorers.problems == []
    scorer = engine.scorers["support-share"]
    assert scorer.constructs == ("rapporteur_support",)

    for answer in ("agree", "agree", "neutral"):
        engine.submit(response(answers={"role": "mp", "support": answer}))
    engine.submit(response(answers={"role": "ngo"}))
    survey = engine.survey("tiny")
    assert survey.measures("rapporteur_support")  # the survey tags the construct the scorer reads
    assert scorer.score(survey, list(engine.store.iter_responses(survey="tiny"))) == (2, 3)

    engine.pm.unregister(plugin)
    assert len(make_engine(event=False).scorers) == 0


# -- register_report_formats -------------------------------------------------------------------


def render_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    lines = ["id,role"] + [f"{r['id']},{r['answers'].get('role', '')}" for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class CsvReports:
    @hookimpl
    def register_report_formats(self, register: Callable[[ReportFormat], None]) -> None:
        register(ReportFormat("csv", ".csv", render_csv, "Comma-separated values"))


def test_hook_register_report_formats(make_engine: Callable[..., Engine], tmp_path: Path) -> None:
    plugin = CsvReports()
    engine = make_engine(plugin)
    assert engine.report_formats.names() == ["csv"]
    fmt = engine.report_formats["csv"]
    assert fmt.suffix == ".csv"
    assert engine.report_formats.owners["csv"] == engine.pm.get_name(plugin)

    item = response(submitted=dt.date(2011, 1, 27).isoformat())
    engine.submit(item)
    out = fmt.render(list(engine.store.iter_responses()), tmp_path / f"report{fmt.suffix}")
    assert out.read_text(encoding="utf-8") == f"id,role\n{item['id']},mp\n"

    engine.pm.unregister(plugin)
    assert "csv" not in make_engine(event=False).report_formats
