"""The built-in YAML/JSON reader: YAML 1.2 scalars, duplicate keys, positions, readable failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import open_engine
from hypothesis import given, settings
from hypothesis import strategies as st

import feedback_formats
from feedback.engine import Engine
from feedback.errors import SurveyError
from feedback.loading import SurveyDocument
from feedback.survey import Survey

SURVEY = {
    "id": "s",
    "title": "T",
    "scales": {"agree3": {"points": ["disagree", "neutral", "agree"]}},
    "questions": [
        {"type": "single_choice", "id": "role", "label": "Role", "choices": ["mp", "ngo"]},
        {"type": "likert", "id": "useful", "label": "Useful", "scale": "agree3"},
    ],
}


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_engine(tmp_path)


@pytest.fixture
def write(tmp_path: Path):
    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


def error_of(engine: Engine, path: Path) -> str:
    with pytest.raises(SurveyError) as info:
        engine.read_survey(path)
    return str(info.value).replace(f"{path.parent}/", "")


# -- YAML scalars ------------------------------------------------------------------------------


def test_yes_no_on_off_and_country_codes_stay_text(engine, write):
    path = write(
        "s.yaml",
        "id: s\ntitle: T\nquestions:\n"
        "  - {type: single_choice, id: c, label: C, choices: [yes, no, on, off, NO, Y, n]}\n"
        "  - {type: yes_no, id: again, label: Again, required: true}\n",
    )
    survey = engine.read_survey(path)
    assert survey.question("c").answer_ids() == ["yes", "no", "on", "off", "NO", "Y", "n"]
    assert survey.question("again").required is True


def test_true_and_false_are_booleans(engine, write):
    path = write(
        "s.yaml", "id: s\ntitle: T\nanonymous: False\nquestions: [{type: note, id: n, label: N}]\n"
    )
    assert engine.read_survey(path).anonymous is False


def test_a_time_of_day_is_text_not_a_number(engine, write):
    path = write(
        "s.yaml",
        "id: s\ntitle: T\nquestions:\n"
        "  - {type: single_choice, id: slot, label: 10:30, choices: [morning, {id: am, label: 9:00}]}\n",
    )
    survey = engine.read_survey(path)
    assert survey.question("slot").label == "10:30"
    assert survey.question("slot").choices[1].label == "9:00"


def test_numbers_are_still_numbers():
    data, _ = feedback_formats.read_yaml("a: 10\nb: -3\nc: 2.5\nd: 1e3\ne: 0x1F\n")
    assert data == {"a": 10, "b": -3, "c": 2.5, "d": "1e3", "e": 31}


def test_a_byte_order_mark_is_allowed(engine, write):
    path = write("s.yaml", "\ufeffid: s\ntitle: T\nquestions: [{type: note, id: n, label: N}]\n")
    assert engine.read_survey(path).id == "s"


# -- duplicate keys and anchors -----------------------------------------------------------------


def test_a_duplicate_key_is_an_error_with_its_line(engine, write):
    path = write(
        "s.yaml",
        "id: s\ntitle: T\nquestions:\n  - type: note\n    id: a\n    label: A\n    id: b\n",
    )
    message = error_of(engine, path)
    assert message.startswith("s.yaml:7:5: not valid YAML: the key 'id' appears twice")


def test_merge_keys_may_be_overridden(engine, write):
    path = write(
        "s.yaml",
        """\
id: s
title: T
scales:
  agree3: {points: [a, b, c]}
questions:
  - &item {type: likert, id: q1, label: First, scale: agree3, measures: usefulness}
  - <<: *item
    id: q2
    label: Second
""",
    )
    survey = engine.read_survey(path)
    assert [(q.id, q.label, q.measures) for q in survey.all_questions()] == [
        ("q1", "First", "usefulness"),
        ("q2", "Second", "usefulness"),
    ]


def test_a_key_twice_beside_a_merge_is_still_an_error(engine, write):
    path = write(
        "s.yaml",
        "id: s\ntitle: T\nquestions:\n  - &q {type: note, id: a, label: A}\n"
        "  - <<: *q\n    id: b\n    id: c\n",
    )
    assert "s.yaml:7:5: not valid YAML: the key 'id' appears twice" in error_of(engine, path)


def test_aliases_that_expand_without_end_are_refused(engine, write):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    path = write("s.yaml", "\n".join(lines) + "\n")
    message = error_of(engine, path)
    assert message.startswith("s.yaml:")
    assert "does an alias repeat a large part?" in message


# -- syntax errors -----------------------------------------------------------------------------


def test_invalid_yaml_names_line_and_column(engine, write):
    """An unclosed ``{`` is named where it opens (line 4), not where the file ends (line 5)."""
    path = write("s.yaml", "id: s\ntitle: T\nquestions:\n  - {type: note, id: n, label: N\n")
    message = error_of(engine, path)
    assert message == (
        "s.yaml:4:5: not valid YAML: this '{' is never closed "
        "(expected ',' or '}', found the end of the file at line 5:1)"
    )


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        # a list never closed: PyYAML notices it at the next key (line 3) or the end (line 7)
        ("id: s\nlanguages: [en, nl\ntitle: T\n", "2:12", "this '[' is never closed"),
        (
            "id: s\ntitle: T\nlanguages: [en, nl\nquestions:\n  - id: a\n    type: note\n",
            "3:12",
            "this '[' is never closed",
        ),
        # the innermost one that is open
        ("id: s\nq: [a, {b: c, d: [e, f}\nz: 1\n", "2:18", "this '[' is never closed"),
        # a quote never closed: PyYAML notices at the end of the file
        ('id: s\ntitle: "Post\nlanguages: [en]\nquestions: []\n', "2:8", "quote is never closed"),
        ("id: s\ntitle: 'Post\nlanguages: [en]\nquestions: []\n", "2:8", "quote is never closed"),
        # ... or where the next quote closes it and what follows makes no sense
        ('id: s\ntitle: "Post\nlanguages: [en]\nlabel: "A"\nz: 1\n', "2:8", "never closed"),
        # a key without its colon, noticed on the next line
        ('id: s\ntitle "T"\nlanguages: [en]\n', "2:1", "this key has no ':' after it"),
    ],
)
def test_a_yaml_syntax_error_names_the_line_where_it_starts(engine, write, text, where, what):
    message = error_of(engine, write("s.yaml", text))
    assert message.startswith(f"s.yaml:{where}: not valid YAML: "), message
    assert what in message


def test_other_yaml_errors_keep_the_place_pyyaml_found(engine, write):
    path = write("s.yaml", "id: s\n  title: T\nz: 1\n")
    assert (
        error_of(engine, path) == "s.yaml:2:8: not valid YAML: mapping values are not allowed here"
    )


def test_an_unclosed_json_list_names_its_opening(engine, write):
    path = write("s.json", '{"id": "s",\n "languages": ["en", "nl",\n "questions": []\n}\n')
    assert error_of(engine, path) == (
        "s.json:2:15: not valid JSON: this '[' is never closed "
        "(Expecting ',' delimiter at line 3:13)"
    )


def test_python_tags_are_refused(engine, write):
    path = write("s.yaml", "id: !!python/name:os.system ''\ntitle: T\n")
    message = error_of(engine, path)
    assert message.startswith("s.yaml:1:5: not valid YAML: could not determine a constructor")


def test_a_python_tag_on_a_list_is_refused(engine, write):
    """Lists are rebuilt without the loader's constructors, so nothing is built from the tag; it
    is refused all the same, since a file called valid must not carry it (issue 12)."""
    path = write("s.yaml", "id: !!python/object/apply:os.system [echo hi]\ntitle: T\n")
    assert error_of(engine, path) == (
        "s.yaml:1:5: not valid YAML: the tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "is not allowed (a survey holds plain lists and maps)"
    )


def test_invalid_json_names_line_and_column(engine, write):
    path = write("s.json", '{"id": "s",\n "title": }\n')
    assert error_of(engine, path) == "s.json:2:11: not valid JSON: Expecting value"


def test_a_duplicate_json_key_names_its_line(engine, write):
    path = write("s.json", '{"id": "s",\n  "title": "T",\n  "id": "t"}\n')
    message = error_of(engine, path)
    assert message == "s.json:3:3: not valid JSON: the key 'id' appears twice"


def test_not_utf8(engine, write):
    path = write("s.yaml", b"id: s\ntitle: caf\xe9\n")
    assert error_of(engine, path).startswith("s.yaml: not UTF-8 text:")


def test_too_large(engine, write, monkeypatch):
    monkeypatch.setattr(feedback_formats, "MAX_SURVEY_BYTES", 10)
    path = write("s.yaml", "id: s\ntitle: a long title\n")
    assert "too large for a survey: 26 bytes (at most 10)" in error_of(engine, path)


def test_other_suffixes_are_left_to_other_plugins(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("id = 's'\n")
    assert feedback_formats.load_survey(path=path) is None


# -- positions ---------------------------------------------------------------------------------


def test_yaml_positions_point_at_each_part():
    _, positions = feedback_formats.read_yaml(
        "id: s\nquestions:\n  - type: note\n    label: {en: Hi}\n"
    )
    assert positions[("id",)] == (1, 5)
    assert positions[("questions", 0)] == (3, 5)
    assert positions[("questions", 0, "label", "en")] == (4, 17)


@pytest.mark.parametrize("indent", [None, 2, "\t"], ids=["one-line", "spaces", "tabs"])
def test_json_errors_have_lines_however_it_is_indented(engine, write, indent):
    data = json.loads(json.dumps(SURVEY))
    data["questions"][1]["scale"] = "agre3"
    text = json.dumps(data, indent=indent)
    path = write("s.json", text)
    message = error_of(engine, path)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "agre3" in row)
    assert message.startswith(f"s.json:{line}:")
    assert "questions[1].scale: unknown scale 'agre3'" in message
    assert "did you mean 'agree3'?" in message


def test_yaml_and_json_give_the_same_survey(engine, write):
    from_json = engine.read_survey(write("a.json", json.dumps(SURVEY)))
    lines = [
        "id: s",
        "title: T",
        "scales: {agree3: {points: [disagree, neutral, agree]}}",
        "questions:",
        "  - {type: single_choice, id: role, label: Role, choices: [mp, ngo]}",
        "  - {type: likert, id: useful, label: Useful, scale: agree3}",
    ]
    from_yaml = engine.read_survey(write("b.yaml", "\n".join(lines) + "\n"))
    assert from_json.version == from_yaml.version


def test_hook_load_survey_returns_a_document(write):
    path = write("s.yml", "id: s\n")
    document = feedback_formats.load_survey(path=path)
    assert isinstance(document, SurveyDocument)
    assert document.data == {"id": "s"}
    assert document.source == path
    assert document.position(("id",)) == (1, 5)
    assert document.position(("id", "deeper", 3)) == (1, 5)


def test_hook_register_channels_adds_import():
    registered = []
    feedback_formats.register_channels(register=registered.append)
    assert [c.name for c in registered] == ["import"]


# -- never a crash -----------------------------------------------------------------------------

yaml_fragments = st.sampled_from(
    [
        "id: s\n",
        "title: T\n",
        "questions:\n",
        "  - {type: note, id: n, label: N}\n",
        "  - type: likert\n",
        "    id: q\n",
        "    scale: agree\n",
        "    label: {en: x}\n",
        "scales: {agree: {points: [a, b]}}\n",
        "  - &a {type: yes_no, id: y, label: Y}\n",
        "  - <<: *a\n",
        "  - *a\n",
        "    show_if: {y: true}\n",
        "\t",
        "[",
        "{",
        ": ",
        "- ",
        "'",
        '"',
        "!!binary x\n",
        "? x\n",
        "%YAML 1.2\n---\n",
        "...\n",
        "--- \n",
        "10:30\n",
        "&x\n",
        "*x\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(
        st.lists(yaml_fragments, max_size=14).map("".join),
        st.text(max_size=60),
    ),
    suffix=st.sampled_from([".yaml", ".json"]),
)
def test_any_text_reads_to_a_survey_or_a_survey_error(tmp_path_factory, text, suffix):
    path = tmp_path_factory.mktemp("random") / f"survey{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    engine = open_engine(path.parent)
    try:
        survey = engine.read_survey(path)
    except SurveyError as exc:
        assert exc.problems
        assert str(exc).startswith(str(path))
    else:
        assert isinstance(survey, Survey)
