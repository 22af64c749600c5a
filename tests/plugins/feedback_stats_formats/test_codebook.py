"""``feedback survey codebook``: the variables of the data files in words, as HTML, Markdown, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyreadstat
import pytest

from feedback.survey import Survey

HOSTILE = {
    "id": "hostile",
    "title": "<script>alert(1)</script> survey",
    "languages": ["en", "fr"],
    "questions": [
        {
            "id": "role",
            "type": "single_choice",
            "label": {"en": "=cmd|' /C calc'!A0", "fr": "Rôle <b>?</b>"},
            "choices": [{"id": "mp", "label": {"en": "@SUM(1+1)", "fr": "Député | élu"}}, "ngo"],
        },
        {
            "id": "why",
            "type": "text",
            "label": "Why?",
            "show_if": {"role": ["mp"]},
        },
    ],
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_codebook_is_escaped_self_contained_and_labelled(
    make_survey: Callable[..., Survey], feedback_cli: Callable[..., Any], tmp_path: Path
) -> None:
    make_survey(HOSTILE)
    out = tmp_path / "codebook.html"
    result = feedback_cli("survey", "codebook", "hostile", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Rôle &lt;b&gt;?&lt;/b&gt;" in html
    page = _Page()
    page.feed(html)
    tags = [t for t, _ in page.tags]
    # self-contained: nothing fetched from elsewhere
    assert not any(t in ("script", "link", "img", "iframe") for t in tags)
    assert ("html", {"lang": "en"}) in page.tags
    # a table a screen reader can walk: caption, column and row headers, texts in their language
    assert "caption" in tags
    assert all(a.get("scope") in ("col", "row") for t, a in page.tags if t == "th")
    assert ("td", {"lang": "fr"}) in page.tags
    # the skip condition in words, with the variable and the code of the data file
    assert "role is one of “@SUM(1+1)” (1)" in html


def test_csv_codebook_is_formula_safe(
    make_survey: Callable[..., Survey], feedback_cli: Callable[..., Any]
) -> None:
    make_survey(HOSTILE)
    result = feedback_cli("survey", "codebook", "hostile", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["role"]["label_en"] == "'=cmd|' /C calc'!A0"
    assert rows["role"]["codes_fr"] == "1 = Député | élu; 2 = Ngo"
    assert rows["why"]["shown_if"] == "role is one of “@SUM(1+1)” (1)"
    assert (
        rows["why"]["missing"]
        == "empty: Not asked (skipped by its condition, or not in this version)"
    )


def test_codebook_names_what_the_sav_file_holds(
    make_survey: Callable[..., Survey],
    feedback_engine: Any,
    feedback_cli: Callable[..., Any],
    tmp_path: Path,
) -> None:
    """Every variable of the .sav file is in the codebook with the same name, label and codes."""
    from feedback.testing import new_response

    survey = make_survey(HOSTILE)
    assert feedback_engine.submit(new_response(survey, {"role": "mp", "why": "x"})) == "stored"
    sav = tmp_path / "data.sav"
    assert feedback_cli("responses", "export", "--format", "sav", "-o", str(sav)).exit_code == 0
    _, meta = pyreadstat.read_sav(sav, metadataonly=True)
    result = feedback_cli("survey", "codebook", "hostile", "--format", "csv", "--language", "en")
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert list(rows) == meta.column_names
    assert rows["role"]["codes_en"] == "; ".join(
        f"{int(k)} = {v}" for k, v in meta.variable_value_labels["role"].items()
    )
    assert rows["role"]["label_en"] == "'" + meta.column_names_to_labels["role"]
    assert rows["survey_version"]["survey_versions"] == survey.version


def test_markdown_codebook_keeps_cells_whole(
    make_survey: Callable[..., Survey], feedback_cli: Callable[..., Any]
) -> None:
    make_survey(HOSTILE)
    result = feedback_cli("survey", "codebook", "hostile", "--format", "md", "--language", "fr")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("| `role`"))
    assert "Député \\| élu" in row and "Rôle \\<b\\>?\\</b\\>" in row
    assert row.count(" | ") == len(result.stdout.splitlines()[8].split(" | ")) - 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hostile", "--language", "nl"], "--language: survey 'hostile' is in en, fr"),
        (["hostil"], "did you mean"),
        (["hostile", "--format", "pdf"], "'pdf' is not one of"),
    ],
)
def test_bad_codebook_options_exit_2_and_write_nothing(
    make_survey: Callable[..., Survey],
    feedback_cli: Callable[..., Any],
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    make_survey(HOSTILE)
    out = tmp_path / "out"
    out.mkdir()
    result = feedback_cli("survey", "codebook", *args, "-o", str(out / "book.html"))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert list(out.iterdir()) == []
