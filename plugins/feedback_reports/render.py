"""The built-in report formats: HTML and Markdown from Jinja2 templates, and JSON.

Both templates render the same view of a `Report` (`feedback_reports.view`). HTML adds inline SVG
charts (`feedback_reports.charts`, which imports matplotlib, only when HTML is rendered).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from feedback_reports.build import long_date
from feedback_reports.model import Report
from feedback_reports.view import anchor, view

# -- Jinja -------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
#: How a line can start a block in CommonMark, once spaces are collapsed and `_MD_SPECIAL` is
#: escaped: an ATX heading (``#`` to ``######`` then a space or the end), a bullet (``-`` or ``+``
#: then a space), a thematic break or setext underline (a line of ``-`` or ``=`` and spaces).
_MD_BLOCK = re.compile(r"#{1,6}(?: |$)|[-+=](?: |$)|[-=][-= ]*$")


def md(text: Any) -> str:
    """Text safe in Markdown: no markup, no HTML, one line (for headings, lists, cells)."""
    value = " ".join(str(text).split())
    value = _MD_SPECIAL.sub(r"\\\1", value)
    if _MD_BLOCK.match(value):
        value = "\\" + value  # a backslash before ASCII punctuation makes it a plain character
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", value)  # an ordered list marker


def md_quote(text: str) -> str:
    """A comment as a Markdown block quote, its line breaks kept, no markup."""
    lines = [md(line) for line in str(text).splitlines()] or [""]
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def sentences(notes: list[str]) -> str:
    """Notes as one run of sentences: each ends with its own stop ("." added where it has none),
    so that joining never writes ".;" between them."""
    return " ".join(n if n.rstrip().endswith((".", "!", "?", ":")) else n + "." for n in notes)


@functools.cache
def environment(kind: str) -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("feedback_reports", "templates"),
        autoescape=kind == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    env.filters["md_quote"] = md_quote
    env.filters["long_date"] = long_date
    env.filters["anchor"] = anchor
    env.filters["sentences"] = sentences
    return env


def render_html(report: Report) -> str:
    """One self-contained HTML file: inline CSS, inline SVG charts, a strict CSP, no scripts."""
    from markupsafe import Markup

    from feedback_reports import charts

    context = view(report)
    draw = {  # by the kind of the results a chart draws (`feedback.scoring.Kind`)
        "share": lambda spec: charts.share_chart(spec.results, spec.key),
        "paired_change": lambda spec: charts.change_chart(spec.results, spec.key),
        "counts_against_targets": lambda spec: charts.targets_chart(spec.results, spec.key),
        "cumulative": lambda spec: charts.cumulative_chart(report.events, spec.results, spec.key),
        "distribution": lambda spec: charts.distribution_chart(spec.results, spec.key),
        "score": lambda spec: charts.score_chart(spec.results, spec.key),
        "likert": lambda spec: charts.likert_chart(spec.items, spec.key),
    }
    drawn: dict[str, Any] = {}
    for part in context["parts"]:
        for spec in part.charts:
            chart = draw[spec.kind](spec)
            if chart is not None:
                drawn[spec.key] = Markup(chart.svg)
    progress = charts.indicators_chart(report.indicators, "chart-indicators")
    indicator_chart = (
        {"svg": Markup(progress.svg), "description": progress.description} if progress else None
    )
    page: str = (
        environment("html")
        .get_template("report.html.j2")
        .render(**context, charts=drawn, indicator_chart=indicator_chart)
    )
    return page


def render_markdown(report: Report) -> str:
    text: str = environment("md").get_template("report.md.j2").render(**view(report))
    return text


def render_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
