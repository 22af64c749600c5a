"""``feedback offline form``: one self-contained HTML file, its Content-Security-Policy, the survey
and event in its data block (no text of theirs can break out of it), and the command's errors."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pytest
from helpers import EVENT, query, run
from offline_form_helpers import Blocks, made_files, write_form

from feedback import hookimpl
from feedback.engine import Engine
from feedback.survey import QuestionBase
from feedback_offline.standalone import SCRIPTS, script_json

HOSTILE = '</script><script>alert("x")</script><img src=x onerror=alert(1)> & <!-- '
HOSTILE_SURVEY = f"""\
id: hostile
title: {json.dumps(HOSTILE)}
languages: [en]
questions:
  - id: pick
    type: single_choice
    label: {json.dumps("Pick " + HOSTILE)}
    help: "</style><style>body {{ display: none }}</style>"
    choices:
      - {{id: a, label: {json.dumps(HOSTILE)}}}
      - b
"""


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture
def written(engine: Engine, project: Path) -> tuple[str, Blocks]:
    """The offline form of the shipped survey at the event hague-2011: its text, parsed."""
    out = project / "form.html"
    result = write_form(project, "--event", "hague-2011", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    return html, Blocks(html)


def test_the_form_is_one_file_that_fetches_nothing(written: tuple[str, Blocks]) -> None:
    html, blocks = written
    # (the policy's base64 hashes may hold "//" and a letter: they are no address)
    assert re.findall(r"(?i)https?:|//[a-z0-9]", html.replace(blocks.csp, "")) == []
    assert [t for t, a in blocks.tags if "src" in a] == []
    assert {a["href"] for t, a in blocks.tags if "href" in a} == {"#main", "data:,"}
    for tag in ("iframe", "img", "object", "embed", "base", "audio", "video", "source"):
        assert tag not in {t for t, _ in blocks.tags}
    assert [a.get("rel") for t, a in blocks.tags if t == "link"] == ["icon"]
    # nothing the policy forbids: no event handler attributes, no style attributes
    assert [(t, name) for t, a in blocks.tags for name in a if name.startswith("on")] == []
    assert [t for t, a in blocks.tags if "style" in a] == []
    assert len(blocks.styles) == 1 and len(blocks.data) == 1
    # the core's conditions.js, answers.js, types.js; the form's core.js, survey.js, form.js
    assert len(blocks.scripts) == len(SCRIPTS)


def test_the_policy_allows_the_inline_blocks_by_their_hashes_and_nothing_else(
    written: tuple[str, Blocks],
) -> None:
    _, blocks = written
    policy = blocks.policy()
    assert policy["default-src"] == ["'none'"]
    assert policy["connect-src"] == ["'none'"]
    assert policy["form-action"] == ["'none'"]
    assert policy["img-src"] == ["data:"]
    assert sorted(policy["script-src"]) == sorted(sha256_source(s) for s in blocks.scripts)
    assert policy["style-src"] == [sha256_source(blocks.styles[0])]
    assert "unsafe" not in blocks.csp
    assert blocks.order[0] == "csp"  # in force before the first style or script


def test_the_data_block_holds_the_survey_and_the_event(
    written: tuple[str, Blocks], engine: Engine
) -> None:
    _, blocks = written
    data = blocks.form_data()
    survey = engine.survey("post-seminar")
    assert data["survey"] == {
        "id": "post-seminar",
        "version": survey.version,
        "languages": ["en", "nl"],
        "definition": survey.canonical(),
    }
    assert data["event"] == {"id": "hague-2011", "title": EVENT["title"]}
    assert data["files"] == {
        "response": "feedback-response",
        "bundle": "feedback-response-bundle",
        "version": 1,
    }
    assert data["words"]["nl"]["next_participant"] == "Volgende deelnemer"
    assert data["defaults"]["rating"]["max"] == 10  # what canonical() leaves out
    assert set(data["language_names"]) == {"en", "nl"}


def test_survey_and_event_texts_cannot_break_out_of_the_page(engine: Engine, project: Path) -> None:
    (project / "surveys" / "hostile.yaml").write_text(HOSTILE_SURVEY, encoding="utf-8")
    with engine.store.write():
        engine.store.upsert_event({**EVENT, "id": "bad-2012", "title": HOSTILE, "city": "<b>"})
    out = project / "hostile.html"
    result = write_form(project, "--event", "bad-2012", "--survey", "hostile", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    blocks = Blocks(html)

    blocks_in_all = len(SCRIPTS) + 1  # the scripts and the data block, no more
    assert html.count("<script") == html.count("</script>") == blocks_in_all
    assert html.count("<style") == 1 and html.count("</style>") == 1
    assert "<img" not in html and "<b>" not in html and "<!--" not in html
    # the title and the masthead show the text, escaped
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(&#34;x&#34;)" in html
    assert '<p class="event">&lt;/script&gt;' in html and "· &lt;b&gt;</p>" in html
    # the data block has no < > & of its own, and reads back as the very same texts
    [block] = blocks.data
    assert not {"<", ">", "&"} & set(block)
    data = json.loads(block)
    assert data["event"]["title"] == HOSTILE
    assert data["survey"]["definition"]["title"] == HOSTILE
    assert data["survey"]["definition"]["questions"][0]["choices"][0]["label"] == HOSTILE


def test_script_json_escapes_what_could_end_the_block() -> None:
    text = script_json({"a": "</script>&<!--\u2028"})
    assert text == '{"a":"\\u003c/script\\u003e\\u0026\\u003c!--\\u2028"}'
    assert json.loads(text) == {"a": "</script>&<!--\u2028"}


def test_the_command_says_where_it_wrote_and_keeps_the_survey_version(
    engine: Engine, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    result = write_form(project, "--event", "hague-2011")
    assert result.exit_code == 0, result.output
    version = engine.survey("post-seminar").version
    assert result.output.startswith(
        f"Wrote offline-form-hague-2011.html: survey 'post-seminar' (version {version}, en, nl)"
    )
    assert made_files(project) == ["offline-form-hague-2011.html", "surveys"]
    # the version the form answers is in the database, so its files import after the file changes
    rows = query(engine.settings.db_path, "SELECT id, version FROM surveys")
    assert rows == [("post-seminar", version)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--event", "hague-2010"], "unknown event 'hague-2010'; did you mean 'hague-2011'?"),
        (
            ["--event", "hague-2011", "--survey", "post-seminr"],
            "unknown survey 'post-seminr'",
        ),
        (
            ["--event", "hague-2011", "-o", "missing/form.html"],
            "missing/form.html: the folder missing does not exist",
        ),
    ],
    ids=["unknown event", "unknown survey", "missing folder"],
)
def test_bad_input_exits_2_and_writes_nothing(
    engine: Engine,
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(project)
    before = made_files(project)
    result = write_form(project, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    if "survey" in args:
        assert "did you mean 'post-seminar'?" in result.output
    assert made_files(project) == before
    assert query(engine.settings.db_path, "SELECT count(*) FROM surveys") == [(0,)]


class Email(QuestionBase):
    type: Literal["email"] = "email"

    def check(self, value: Any) -> str | None:
        return None


class EmailQuestions:
    @hookimpl
    def register_question_types(self, register: Callable[[type[QuestionBase]], None]) -> None:
        register(Email)


def test_a_question_type_from_a_plugin_is_refused_by_name(
    make_engine: Callable[..., Engine], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "surveys" / "contact.yaml").write_text(
        "id: contact\ntitle: Contact\nquestions:\n"
        "  - {id: email, type: email, label: Your e-mail address}\n",
        encoding="utf-8",
    )
    make_engine()
    monkeypatch.chdir(project)
    result = write_form(
        project, "--event", "hague-2011", "--survey", "contact", plugins=(EmailQuestions(),)
    )
    assert result.exit_code == 2, result.output
    assert (
        "survey 'contact' cannot be shown by the offline form: question 'email' is of type "
        "'email', which has no offline rendering"
    ) in result.output
    assert made_files(project) == ["surveys"]


def test_feedback_offline_offers_the_form_command(project: Path) -> None:
    pytest.importorskip("feedback_offline.importer", reason="the importer is not written yet")
    pytest.importorskip("feedback_offline.paper", reason="the paper form is not written yet")
    result = run(project, "offline", "form", "--help")
    assert result.exit_code == 0, result.output
    assert "--event" in result.output and "--survey" in result.output
