"""The codebook of a survey: every variable of its data files (`feedback.variables`) in words.

For each variable: its name, the question it comes from, the question text in each language, its
type and measurement level, its codes and their labels, its missing codes (SPSS user-missing and
Stata extended missing), the condition that shows it (``show_if`` in words, naming variables and
codes as the data file does), and the survey versions that ask it. The SPSS and Stata exports read
the same model, so the codebook and the files cannot disagree.

Three renderings: HTML (one self-contained page, Jinja2 with autoescaping, a table with a caption
and header cells for screen readers, each text marked with its language), Markdown, and CSV
(one row per variable, cells neutralised so a spreadsheet runs no formula).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from feedback.conditions import All, AnyOf, Compare, Condition, Not
from feedback.exporting import neutralise
from feedback.survey import Survey
from feedback.variables import Variable, Variables, survey_variables

FORMATS = ("html", "md", "csv")


@dataclass(frozen=True)
class Entry:
    """One variable as the codebook shows it."""

    name: str
    question: str
    part: str
    type: str
    measure: str
    #: language -> the variable's label (the question text)
    labels: dict[str, str]
    #: language -> ``["1 = Disagree", ...]``
    codes: dict[str, list[str]]
    #: ``[".a / -1: Don't know", ...]`` in the first language shown
    missing: list[str]
    shown_if: str
    versions: list[str]


def entries(variables: Variables, languages: Sequence[str]) -> list[Entry]:
    """The codebook's rows for ``languages`` (of the survey)."""
    out = []
    first = languages[0]
    for variable in variables.variables:
        question = variable.question
        out.append(
            Entry(
                name=variable.name,
                question=variable.source if question is not None else "(response)",
                part=variable.part or "",
                type=variable.type,
                measure=variable.measure,
                labels={lang: variable.label(lang) for lang in languages},
                codes={
                    lang: [f"{code} = {text}" for code, text in variable.value_labels(lang).items()]
                    for lang in languages
                },
                missing=_missing(variable, first),
                shown_if=condition_words(
                    question.show_if if question is not None else None, variables, first
                ),
                versions=variable.versions,
            )
        )
    return out


def _missing(variable: Variable, language: str) -> list[str]:
    out = []
    for m in variable.missing():
        spss = "system-missing" if variable.kind == "number" else str(m.spss)
        where = f".{m.stata} (Stata), {spss} (SPSS)"
        if variable.kind in ("text", "json", "date"):
            where = "empty"
        out.append(f"{where}: {variable.missing_label(m, language)}")
    if variable.kind in ("code", "flag", "number") and variable.type != "metadata":
        out.append(". (Stata), system-missing (SPSS): not answered")
    return out


@dataclass(frozen=True)
class Codebook:
    survey: Survey
    versions: list[str]
    languages: list[str]
    entries: list[Entry]


def build(versions: Sequence[Survey], language: str | None = None) -> Codebook:
    """The codebook of a survey's versions (newest first), in ``language`` or all of its own."""
    variables = survey_variables(versions)
    languages = [language] if language else list(variables.survey.languages)
    return Codebook(
        variables.survey, [s.version for s in versions], languages, entries(variables, languages)
    )


# -- conditions in words ----------------------------------------------------------------------


def condition_words(condition: Condition | None, variables: Variables, language: str) -> str:
    """A ``show_if`` in words, naming variables and codes as the data file has them:
    ``role is “Member of Parliament” (1)``. Empty for a question always shown."""
    if condition is None:
        return ""
    return _words(condition, variables, language)


def _in(labels: dict[str, str], language: str) -> str:
    return labels.get(language) or next(iter(labels.values()), "")


def _words(condition: Condition, variables: Variables, language: str) -> str:
    if isinstance(condition, All):
        return " and ".join(_group(c, variables, language) for c in condition.items)
    if isinstance(condition, AnyOf):
        return " or ".join(_group(c, variables, language) for c in condition.items)
    if isinstance(condition, Not):
        return f"not ({_words(condition.item, variables, language)})"
    return _compare(condition, variables, language)


def _group(condition: Condition, variables: Variables, language: str) -> str:
    text = _words(condition, variables, language)
    return f"({text})" if isinstance(condition, All | AnyOf) else text


_OPS = {
    "eq": "is",
    "ne": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "gt": "is more than",
    "ge": "is at least",
    "lt": "is less than",
    "le": "is at most",
}


def _compare(compare: Compare, variables: Variables, language: str) -> str:
    found = variables.question_variables(compare.question)
    if not found:
        return f"{compare.question} {_OPS.get(compare.op, compare.op)} {compare.value}"
    if compare.op == "answered":
        return f"{found[0].source} is {'answered' if compare.value else 'not answered'}"
    values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
    first = found[0]
    if first.type == "multi_choice":
        by_part = {v.part: v for v in found}
        ticked = [by_part[v].name if v in by_part else str(v) for v in values]
        joined = " or ".join(f"{name} = 1" for name in ticked)
        if compare.op in ("ne", "not_in"):
            return f"none of {', '.join(ticked)} is ticked"
        return joined + (" (ticked)" if len(ticked) == 1 else " (any ticked)")
    words = []
    codes = {c.id: c for c in first.codes}
    for value in values:
        key = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        code = codes.get(key)
        words.append(
            f"“{_in(code.labels, language)}” ({code.value})" if code is not None else f"{value}"
        )
    return f"{first.name} {_OPS.get(compare.op, compare.op)} {', '.join(words)}"


# -- renderings -------------------------------------------------------------------------------


def render(book: Codebook, fmt: str) -> str:
    if fmt == "csv":
        return render_csv(book)
    if fmt == "md":
        return render_markdown(book)
    if fmt == "html":
        return render_html(book)
    raise ValueError(f"unknown codebook format {fmt!r}: expected one of {', '.join(FORMATS)}")


def _title(book: Codebook, language: str) -> str:
    return book.survey.text(book.survey.title, language)


def render_csv(book: Codebook) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    head = ["name", "question", "part", "type", "measure"]
    head += [f"label_{lang}" for lang in book.languages]
    head += [f"codes_{lang}" for lang in book.languages]
    head += ["missing", "shown_if", "survey_versions"]
    writer.writerow(head)
    for e in book.entries:
        row = [e.name, e.question, e.part, e.type, e.measure]
        row += [e.labels[lang] for lang in book.languages]
        row += ["; ".join(e.codes[lang]) for lang in book.languages]
        row += ["; ".join(e.missing), e.shown_if, " ".join(e.versions)]
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~"} | {"\n": " ", "\r": " "})


def md(text: str) -> str:
    """Text shown as itself in a Markdown table cell: no markup, no HTML, no cell break."""
    return text.translate(_MD_SPECIAL)


def render_markdown(book: Codebook) -> str:
    first = book.languages[0]
    lines = [
        f"# Codebook: {md(_title(book, first))}",
        "",
        f"Survey `{book.survey.id}`, version {book.versions[0]}"
        + (
            f" (and earlier versions {', '.join(book.versions[1:])})"
            if len(book.versions) > 1
            else ""
        )
        + f". Labels in: {', '.join(book.languages)}.",
        "",
        "Missing codes: .a (Stata) / -1 (SPSS) is the scale's \"don't know\" or N/A answer; "
        ".b / -2 a question not asked (its condition did not hold, or the version lacked it); "
        "a blank is a question shown and not answered.",
        "",
    ]
    head = ["Variable", "Question", "Type"]
    head += [f"Text ({lang})" for lang in book.languages]
    head += [f"Codes ({lang})" for lang in book.languages]
    head += ["Missing", "Shown if", "Versions"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for e in book.entries:
        cells = [
            f"`{e.name}`" if "`" not in e.name else md(e.name),
            md(_question(e)),
            md(f"{e.type} ({e.measure})"),
        ]
        cells += [md(e.labels[lang]) for lang in book.languages]
        cells += ["<br>".join(md(c) for c in e.codes[lang]) for lang in book.languages]
        cells += ["<br>".join(md(m) for m in e.missing), md(e.shown_if), md(" ".join(e.versions))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _question(e: Entry) -> str:
    return f"{e.question} ({e.part})" if e.part else e.question


_HTML = """<!DOCTYPE html>
<html lang="{{ languages[0] }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Codebook: {{ title }}</title>
<style>
body { font: 1rem/1.5 system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 1rem; }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border: 1px solid #595959; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
thead th { background: #e8e8e8; }
code { font-family: ui-monospace, monospace; }
ul { margin: 0; padding-left: 1.1rem; }
</style>
</head>
<body>
<main>
<h1>Codebook: {{ title }}</h1>
<p>Survey <code>{{ survey.id }}</code>, version <code>{{ versions[0] }}</code>
{%- if versions|length > 1 %} (and earlier versions
{%- for v in versions[1:] %} <code>{{ v }}</code>{% endfor %}){% endif %}.
{{ entries|length }} variables; labels in {{ languages|join(", ") }}.</p>
<p>Missing codes: <code>.a</code> (Stata) or <code>-1</code> (SPSS) is the scale's
"don't know" or N/A answer; <code>.b</code> or <code>-2</code> a question not asked (its
condition did not hold, or the survey version lacked it); a blank is a question shown and not
answered.</p>
<div class="wrap" role="region" aria-labelledby="caption" tabindex="0">
<table>
<caption id="caption">Variables of {{ title }}</caption>
<thead><tr>
<th scope="col">Variable</th><th scope="col">Question</th><th scope="col">Type</th>
{%- for lang in languages %}<th scope="col">Text (<span lang="{{ lang }}">{{ lang }}</span>)</th>{% endfor %}
{%- for lang in languages %}<th scope="col">Codes ({{ lang }})</th>{% endfor %}
<th scope="col">Missing</th><th scope="col">Shown if</th><th scope="col">Versions</th>
</tr></thead>
<tbody>
{%- for e in entries %}
<tr>
<th scope="row"><code>{{ e.name }}</code></th>
<td>{{ e.question }}{% if e.part %} ({{ e.part }}){% endif %}</td>
<td>{{ e.type }} ({{ e.measure }})</td>
{%- for lang in languages %}<td lang="{{ lang }}">{{ e.labels[lang] }}</td>{% endfor %}
{%- for lang in languages %}<td lang="{{ lang }}">{% if e.codes[lang] %}<ul>{% for c in e.codes[lang] %}<li>{{ c }}</li>{% endfor %}</ul>{% endif %}</td>{% endfor %}
<td>{% if e.missing %}<ul>{% for m in e.missing %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}</td>
<td>{{ e.shown_if or "always" }}</td>
<td>{% for v in e.versions %}<code>{{ v }}</code> {% endfor %}</td>
</tr>
{%- endfor %}
</tbody>
</table>
</div>
</main>
</body>
</html>
"""


def render_html(book: Codebook) -> str:
    from jinja2 import Environment, StrictUndefined

    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    return env.from_string(_HTML).render(
        title=_title(book, book.languages[0]),
        survey=book.survey,
        versions=book.versions,
        languages=book.languages,
        entries=book.entries,
    )


__all__ = ["FORMATS", "Codebook", "Entry", "build", "condition_words", "render"]
