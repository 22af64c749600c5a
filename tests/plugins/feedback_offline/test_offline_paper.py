"""``feedback offline paper``: the printable form as PDF and HTML, with codes, conditions in words,
the form code on every page and the QR code of the open link when there is a base URL."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import EVENT, run
from offline_paper_helpers import SURVEY, html_class_texts, html_text, pdf_pages, pdf_text

import feedback_offline.paper_pdf as paper_pdf
from feedback.engine import Engine
from feedback.survey import ChoiceQuestion, Rating, ScaleQuestion, ThenNow, YesNo
from feedback_offline.codes import form_code
from feedback_offline.paper import build_form, render_html

BASE_URL = "https://feedback.example.org"
LINK = f"{BASE_URL}/e/hague-2011"


def paper(project: Path, name: str, *args: str) -> Path:
    out = project / name
    result = run(project, "offline", "paper", "--event", "hague-2011", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.stderr
    return out


def code_of(engine: Engine) -> str:
    return form_code("hague-2011", SURVEY, engine.survey(SURVEY).version)


def labels(engine: Engine, language: str) -> list[str]:
    survey = engine.survey(SURVEY)
    return [survey.text(q.label, language) for q in survey.all_questions()]


def extracted_text(path: Path) -> str | None:
    """The PDF's text by an independent reader when one is installed (pypdf, pdftotext)."""
    try:
        import pypdf
    except ImportError:
        pypdf = None
    if pypdf is not None:
        return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages)
    if shutil.which("pdftotext"):
        done = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        )
        return " ".join(done.stdout.decode("utf-8").split())
    return None


# -- PDF -------------------------------------------------------------------------------------------


def test_paper_pdf_is_an_a4_pdf_with_the_form_code(project: Path, engine: Engine) -> None:
    out = paper(project, "form.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 20_000
    assert pdf_pages(data) >= 2
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4 in points
    code = code_of(engine)
    assert f"/Subject (Form {code})".encode() in data
    if (paper_pdf.FONT_DIR / "DejaVuSans.ttf").is_file():
        assert b"DejaVuSans" in data  # embedded, for letters beyond Latin-1
    text = extracted_text(out)
    if text is not None:
        for label in labels(engine, "en"):
            assert " ".join(label.split()) in text
        assert code in text


def test_paper_pdf_shows_every_question_code_and_page_mark(
    project: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without DejaVu the text is set in Helvetica, whose strings can be read back with zlib alone.
    monkeypatch.setattr(paper_pdf, "FONT_DIR", project / "no-fonts")
    data = paper(project, "form.pdf").read_bytes()
    text = pdf_text(data)
    survey = engine.survey(SURVEY)
    for label in labels(engine, "en"):
        assert label in text
    for section in survey.section_list():
        assert survey.text(section.title) in text
        assert survey.text(section.intro) in text
    assert survey.text(survey.description) in text
    assert "1. Which best describes your role at this seminar? (required)" in text
    assert "1 Member of a national parliament or regional assembly 2 Non-governmental" in text
    assert "Before the seminar 1 2 3 4 5 Now 1 2 3 4 5" in text
    assert "Agree Strongly agree Don't know 1 2 3 4 5 0" in text
    assert "0 1 2 3 4 5 6 7 8 9 10 Not at all useful Extremely useful" in text
    assert "Only if you answered “Yes” to question 10." in text
    assert "Write a whole number from 0 to 100. parliamentarians" in text
    assert "Good practice exchange · 26 January 2011 · The Hague" in text
    pages = pdf_pages(data)
    assert text.count(f"Form {code_of(engine)} No. (office use)") == pages
    assert f"Page {pages} of {pages}" in text
    assert "Scan the code" not in text  # no base URL: no QR code


def test_paper_pdf_has_the_qr_code_of_the_open_link(
    project: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paper_pdf, "FONT_DIR", project / "no-fonts")
    plain = pdf_text(paper(project, "plain.pdf").read_bytes())
    monkeypatch.setenv("FEEDBACK_BASE_URL", BASE_URL + "/")
    with_qr = paper(project, "qr.pdf").read_bytes()
    assert "Prefer to answer online? Scan the code or go to " + LINK in pdf_text(with_qr)
    assert LINK not in plain and "Scan the code" not in plain


def test_paper_pdf_in_dutch(project: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paper_pdf, "FONT_DIR", project / "no-fonts")
    data = paper(project, "formulier.pdf", "--lang", "nl").read_bytes()
    text = pdf_text(data)
    for label in labels(engine, "nl"):
        assert label in text
    assert "Alleen als u bij vraag 10 “Ja” hebt geantwoord." in text
    assert f"Formulier {code_of(engine)} Nr." in text
    assert f"Pagina 1 van {pdf_pages(data)}" in text
    assert "26 januari 2011" in text
    assert b"/Lang (nl)" in data


# -- HTML ------------------------------------------------------------------------------------------


def test_paper_html_shows_every_question_option_and_code(project: Path, engine: Engine) -> None:
    html = paper(project, "form.html").read_text(encoding="utf-8")
    survey = engine.survey(SURVEY)
    text = html_text(html)
    assert '<html lang="en">' in html
    assert survey.text(survey.title) in text and survey.text(survey.description) in text
    assert "Good practice exchange · 26 January 2011 · The Hague" in text
    for section in survey.section_list():
        assert survey.text(section.title) in text and survey.text(section.intro) in text
    questions = html_class_texts(html, "label")
    numbered = [q for q in survey.all_questions() if q.answerable]
    assert len(questions) == len(numbered)
    options = iter(html_class_texts(html, "options"))
    scales = iter(html_class_texts(html, "scale"))
    for number, (shown, question) in enumerate(zip(questions, numbered, strict=True), start=1):
        label = survey.text(question.label)
        assert shown == f"{number}. {label}" + (" (required)" if question.required else "")
        if isinstance(question, ChoiceQuestion | YesNo):
            boxes = next(options)
            if isinstance(question, YesNo):
                assert boxes == "1 Yes 2 No"
            else:
                coded = [f"{i} {c.text('en')}" for i, c in enumerate(question.choices, start=1)]
                assert boxes == " ".join(coded)
        elif isinstance(question, ScaleQuestion):
            scale = question.resolved_scale
            heads = [p.text("en") for p in scale.points]
            heads += [scale.na.text("en")] if scale.na else []
            codes = " ".join(str(i) for i in range(1, len(scale.points) + 1))
            codes += " 0" if scale.na else ""
            rows = (
                f"Before the seminar {codes} Now {codes}"
                if isinstance(question, ThenNow)
                else codes
            )
            assert next(scales) == " ".join(heads) + " " + rows
        elif isinstance(question, Rating):
            assert next(options) == " ".join(str(n) for n in range(0, 11))
    assert next(options, None) is None and next(scales, None) is None
    assert html_class_texts(html, "ends") == [
        "0 = Not at all useful 10 = Extremely useful",
        "0 = Not at all likely 10 = Extremely likely",
    ]
    assert html_class_texts(html, "condition") == [
        "Only if you answered “Member of a national parliament or regional assembly” to "
        "question 1.",
        "Only if you answered “Yes” to question 10.",
        "Only if you answered “Yes” to question 12.",
    ]
    assert html_class_texts(html, "instruction").count("Tick all that apply.") == 0  # help says it
    assert "Tick all that apply." in html_class_texts(html, "help")
    assert survey.text(survey.question("consent").label) in html_class_texts(html, "note")[0]
    assert html_class_texts(html, "form-code") == [f"Form {code_of(engine)}"]
    assert html_class_texts(html, "number-field") == ["No. (office use)"]
    assert "<img" not in html and "<svg" not in html and "qr" not in html_class_texts(html, "qr")


def test_paper_html_is_self_contained_and_prints_on_a4(project: Path, engine: Engine) -> None:
    html = paper(project, "form.html").read_text(encoding="utf-8")
    assert "@media print" in html and "size: A4" in html
    for outside in ("<link", "<script", 'src="http', "url(http", "@import"):
        assert outside not in html
    assert html.count("<h1>") == 1 and html.count("<h2>") == 5
    assert '<table class="sheet" role="presentation">' in html  # its head repeats on each page
    assert 'class="box" aria-hidden="true"' in html


def test_paper_html_has_the_qr_code_only_with_a_base_url(
    project: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEEDBACK_BASE_URL", BASE_URL)
    html = paper(project, "form.html").read_text(encoding="utf-8")
    assert html.count("<img") == 1
    assert 'class="qr" src="data:image/svg+xml' in html
    assert f'alt="QR code of {LINK}"' in html
    assert f"Prefer to answer online? Scan the code or go to {LINK}" in html_text(html)


def test_paper_html_in_dutch(project: Path, engine: Engine) -> None:
    html = paper(project, "formulier.html", "--lang", "nl").read_text(encoding="utf-8")
    text = html_text(html)
    assert '<html lang="nl">' in html
    for label in labels(engine, "nl"):
        assert label in text
    assert "1. Wat beschrijft uw rol bij dit seminar het best? (verplicht)" in text
    assert "1 Lid van een nationaal parlement of regionale volksvertegenwoordiging" in text
    assert "Kruis in elke rij één vakje aan." in text
    assert "Alleen als u bij vraag 12 “Ja” hebt geantwoord." in text
    assert "26 januari 2011" in text
    assert html_class_texts(html, "form-code") == [f"Formulier {code_of(engine)}"]
    assert "Before the seminar" not in text and "Tick one box" not in text


# -- conditions in words, and other question types --------------------------------------------------

CONDITIONS = """
id: conditions
title: Conditions
languages: [en, nl]
questions:
  - {id: intro, type: note, label: Welcome}
  - {id: role, type: single_choice, label: Role, choices: [mp, ngo, other]}
  - {id: score, type: rating, label: Score, min: 1, max: 5}
  - {id: ticked, type: multi_choice, label: Ticked, choices: [a, b, c], min_selections: 2, max_selections: 3}
  - {id: back, type: yes_no, label: Back}
  - {id: age, type: number, label: Age, min: 18}
  - {id: q_eq, type: text, label: Eq, show_if: {role: mp}}
  - {id: q_in, type: text, label: In, show_if: {role: [mp, ngo]}}
  - {id: q_ne, type: text, label: Ne, show_if: {role: {ne: mp}}}
  - {id: q_not_in, type: text, label: NotIn, show_if: {role: {not_in: [mp, ngo]}}}
  - {id: q_gt, type: text, label: Gt, show_if: {score: {gt: 3}}}
  - {id: q_le, type: text, label: Le, show_if: {score: {le: 2}}}
  - {id: q_answered, type: text, label: Answered, show_if: {score: {answered: true}}}
  - {id: q_unanswered, type: text, label: Unanswered, show_if: {role: {answered: false}}}
  - {id: q_all, type: text, label: All, show_if: {role: mp, back: true}}
  - {id: q_any, type: text, label: Any, show_if: {any: [{role: mp}, {all: [{back: false}, {score: {ge: 4}}]}]}}
  - {id: q_not, type: text, label: Not, show_if: {not: {role: mp}}}
"""


@pytest.fixture
def conditions(project: Path, engine: Engine) -> dict[str, dict[str, str]]:
    """The condition and instruction of each question of the conditions survey, per language."""
    (project / "surveys" / "conditions.yaml").write_text(CONDITIONS, encoding="utf-8")
    survey = engine.survey("conditions")
    out: dict[str, dict[str, str]] = {}
    for language in ("en", "nl"):
        form = build_form(dict(EVENT), survey, language)
        for item in (i for part in form.parts for i in part.items):
            out.setdefault(item.id, {})[language] = item.condition or item.instruction
    return out


@pytest.mark.parametrize(
    ("question", "english"),
    [
        ("q_eq", "Only if you answered “Mp” to question 1."),
        ("q_in", "Only if you answered “Mp” or “Ngo” to question 1."),
        ("q_ne", "Only if you did not answer “Mp” to question 1."),
        ("q_not_in", "Only if you did not answer “Mp” or “Ngo” to question 1."),
        ("q_gt", "Only if your answer to question 2 is more than 3."),
        ("q_le", "Only if your answer to question 2 is at most 2."),
        ("q_answered", "Only if you answered question 2."),
        ("q_unanswered", "Only if you did not answer question 1."),
        ("q_all", "Only if you answered “Mp” to question 1 and you answered “Yes” to question 4."),
        (
            "q_any",
            "Only if you answered “Mp” to question 1 or (you answered “No” to question 4 and "
            "your answer to question 2 is at least 4).",
        ),
        ("q_not", "Only if it is not so that you answered “Mp” to question 1."),
        ("ticked", "Tick 2 to 3."),
        ("age", "Write a number of at least 18."),
    ],
)
def test_paper_words_conditions_and_instructions(
    conditions: dict[str, dict[str, str]], question: str, english: str
) -> None:
    assert conditions[question]["en"] == english


def test_paper_words_conditions_in_dutch(conditions: dict[str, dict[str, str]]) -> None:
    assert conditions["q_in"]["nl"] == "Alleen als u bij vraag 1 “Mp” of “Ngo” hebt geantwoord."
    assert conditions["q_ne"]["nl"] == "Alleen als u bij vraag 1 niet “Mp” hebt geantwoord."
    assert conditions["q_gt"]["nl"] == "Alleen als uw antwoord op vraag 2 meer dan 3 is."
    assert conditions["q_all"]["nl"] == (
        "Alleen als u bij vraag 1 “Mp” hebt geantwoord en u bij vraag 4 “Ja” hebt geantwoord."
    )
    assert (
        conditions["q_not"]["nl"] == "Alleen als niet geldt dat u bij vraag 1 “Mp” hebt geantwoord."
    )


def test_paper_html_of_a_flat_survey_numbers_questions_not_notes(
    project: Path, engine: Engine
) -> None:
    (project / "surveys" / "conditions.yaml").write_text(CONDITIONS, encoding="utf-8")
    html = render_html(build_form(dict(EVENT), engine.survey("conditions"), "en"))
    assert html_class_texts(html, "note") == ["Welcome"]
    assert html_class_texts(html, "label")[:2] == ["1. Role", "2. Score"]
    assert html_class_texts(html, "options")[:2] == ["1 Mp 2 Ngo 3 Other", "1 2 3 4 5"]
    assert "<h2>" not in html  # one implicit section, no title


# -- the command line ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--event", "hague-2010", "-o", "form.pdf"],
            "unknown event 'hague-2010'; did you mean 'hague-2011'?",
        ),
        (
            ["--event", "hague-2011", "-o", "form.docx"],
            "form.docx: expected a file name ending in .pdf or .html, found '.docx'",
        ),
        (["--event", "hague-2011", "-o", "missing/form.pdf"], "does not exist"),
        (
            ["--event", "hague-2011", "--lang", "NL", "-o", "x.pdf", "--survey", "nope"],
            "unknown survey 'nope'",
        ),
        (
            ["--event", "hague-2011", "--lang", "de", "-o", "form.pdf"],
            "unknown language 'de' for survey 'post-seminar' (it has en, nl)",
        ),
    ],
)
def test_paper_refuses_bad_input_with_exit_2(
    project: Path, engine: Engine, args: list[str], message: str
) -> None:
    args = [str(project / a) if a.endswith((".pdf", ".docx")) else a for a in args]
    result = run(project, "offline", "paper", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not list(project.glob("*.pdf")) and not list(project.glob("*.docx"))
    assert not (project / "missing").exists()


def test_paper_language_is_matched_without_case(project: Path, engine: Engine) -> None:
    html = paper(project, "form.html", "--lang", "NL").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html


def test_paper_replaces_a_form_whole_and_leaves_no_temporary_file(
    project: Path, engine: Engine
) -> None:
    out = project / "form.html"
    out.write_text("old", encoding="utf-8")
    paper(project, "form.html")
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == []


def test_offline_help_lists_paper_and_template(project: Path) -> None:
    result = run(project, "offline", "--help")
    assert result.exit_code == 0
    assert "paper" in result.output and "template" in result.output
    for command in ("paper", "template"):
        result = run(project, "offline", command, "--help")
        assert (
            result.exit_code == 0 and "--event" in result.output and "-o, --output" in result.output
        )
