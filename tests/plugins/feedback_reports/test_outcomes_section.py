"""The report's "Reported outcomes" section: the outcome log's outcomes of the event (or of the
programme's events), counted by kind and by event, each with its date and evidence, its text
escaped and set apart for review; in HTML (checked with axe in Chromium), Markdown and JSON."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from reports_helpers import build_seminar, invoke, md_tables, reports_plugin_manager, section

from feedback.plugins import PluginManager

HOSTILE = "<script>alert(1)</script> **bold** [link](http://x.example) # not a heading"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PluginManager, dict[str, Any]]:
    """The seminar project with an outcome log: two outcomes of the Hague (one with evidence, one
    with a hostile text) and one of Rome; its reports in HTML, Markdown and JSON."""
    pm = reports_plugin_manager()
    root = tmp_path_factory.mktemp("outcomes")
    project = build_seminar(root, pm)
    evidence = project / "evidence" / "motion.pdf"
    evidence.parent.mkdir()
    evidence.write_bytes(b"%PDF-1.4 motion tabled\n")

    def ok(*args: str) -> str:
        result = invoke(pm, "--project", str(project), *args)
        assert result.exit_code == 0, result.output
        return result.output

    ok(
        "outcome", "add", "--event", "hague-2011", "--kind", "policy_change",
        "--date", "2011-03-02", "--text", "A motion was tabled in parliament",
        "--evidence", str(evidence),
    )  # fmt: skip
    ok(
        "outcome", "add", "--event", "hague-2011", "--kind", "contact_shared",
        "--date", "2011-02-10", "--text", HOSTILE,
    )  # fmt: skip
    ok(
        "outcome", "add", "--event", "rome-2012", "--kind", "media",
        "--date", "2012-04-01", "--text", "An interview on national radio",
    )  # fmt: skip
    out = root / "out"
    out.mkdir()
    files = {}
    for scope, args in (("hague", ["--event", "hague-2011"]), ("programme", ["--programme"])):
        for fmt in ("html", "md", "json"):
            path = out / f"{scope}.{fmt}"
            ok("report", *args, "--format", fmt, "-o", str(path))
            files[(scope, fmt)] = path.read_text(encoding="utf-8")
    return project, pm, {"files": files, "sha": hashlib.sha256(evidence.read_bytes()).hexdigest()}


def html_section(text: str) -> str:
    return section(
        text, '<section class="review" aria-labelledby="reported-outcomes">', "</section>"
    )


def test_the_html_section_lists_the_event_s_outcomes_with_date_kind_and_evidence(project) -> None:
    _, _, data = project
    page = data["files"][("hague", "html")]
    part = html_section(page)
    assert '<h2 id="reported-outcomes">Reported outcomes</h2>' in part
    assert 'href="#reported-outcomes"' in page  # in the contents
    assert "A motion was tabled in parliament" in part
    assert "2 March 2011" in part and "10 February 2011" in part
    assert "Policy change" in part and "Contact shared" in part
    assert "evidence/motion.pdf" in part and data["sha"] in part
    assert "none recorded" in part  # the outcome without evidence says so
    assert "interview on national radio" not in part  # Rome's: not in the Hague's report
    # counted by kind and by event
    assert "<caption>Reported outcomes by kind</caption>" in part
    assert "<caption>Reported outcomes by event</caption>" in part
    assert '<th scope="row" role="rowheader">Policy change</th><td role="cell"' in part


def test_an_outcome_s_text_is_escaped_in_html(project) -> None:
    _, _, data = project
    part = html_section(data["files"][("hague", "html")])
    assert "<script>" not in part
    assert "<blockquote>&lt;script&gt;alert(1)&lt;/script&gt; **bold**" in part


def test_the_markdown_section_counts_and_quotes_as_text(project) -> None:
    _, _, data = project
    text = data["files"][("hague", "md")]
    part = section(text, "## Reported outcomes", "## Appendix C")
    assert "<script>" not in part
    assert (
        r"> \<script\>alert(1)\</script\> \*\*bold\*\* \[link\](http://x.example) # not a heading"
        in part
    )
    assert "evidence/motion.pdf" in part and data["sha"] in part
    tables = md_tables(part)
    assert [["Kind", "Outcomes"], ["Contact shared", "1"], ["Policy change", "1"]] in tables
    assert [["Event", "Outcomes"], ["Good practice exchange", "2"]] in tables
    assert "[Reported outcomes](#reported-outcomes)" in text


def test_the_programme_report_has_every_event_s_outcomes(project) -> None:
    _, _, data = project
    part = html_section(data["files"][("programme", "html")])
    assert "An interview on national radio" in part and "A motion was tabled" in part
    assert "rome-2012" in part  # a programme's outcome names its event
    md = section(data["files"][("programme", "md")], "## Reported outcomes", "## Appendix C")
    by_event = next(t for t in md_tables(md) if t[0] == ["Event", "Outcomes"])
    assert sorted(row[1] for row in by_event[1:]) == ["1", "2"]


def test_json_carries_the_outcome_log(project) -> None:
    _, _, data = project
    log = json.loads(data["files"][("hague", "json")])["outcome_log"]
    assert [(o["date"], o["kind"]) for o in log] == [
        ("2011-02-10", "contact_shared"),
        ("2011-03-02", "policy_change"),
    ]
    assert log[0]["text"] == HOSTILE
    assert log[1]["evidence"] == "evidence/motion.pdf"
    assert log[1]["evidence_sha256"] == data["sha"]


def test_a_report_without_outcomes_says_so(tmp_path: Path) -> None:
    pm = reports_plugin_manager()
    project = build_seminar(tmp_path, pm)
    out = tmp_path / "r.md"
    result = invoke(pm, "--project", str(project), "report", "--event", "hague-2011",
                    "--format", "md", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    part = section(out.read_text(encoding="utf-8"), "## Reported outcomes", "## Appendix C")
    assert "No outcomes recorded" in part


def test_the_html_section_passes_axe_in_chromium(project, tmp_path: Path) -> None:
    from helpers import AXE, WCAG_21_AA, chromium_browser

    _, _, data = project
    path = tmp_path / "hague.html"
    path.write_text(data["files"][("hague", "html")], encoding="utf-8")
    with chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 360, "height": 900})
        try:
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(("file://", "data:"))
                    else route.abort()
                ),
            )
            page.goto(path.as_uri())
            assert page.locator("#reported-outcomes").inner_text() == "Reported outcomes"
            assert (
                page.locator(".outcome-log blockquote")
                .first.inner_text()
                .startswith("<script>alert(1)</script>")
            )
            page.evaluate(AXE.read_text(encoding="utf-8"))
            result = page.evaluate(
                "tags => axe.run({include: [['section[aria-labelledby=reported-outcomes]']]},"
                " {runOnly: {type: 'tag', values: tags}})",
                WCAG_21_AA,
            )
            violations = [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]]
            assert violations == []
            assert result["passes"], "axe checked nothing in the section"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360  # the section does not widen the phone's page
        finally:
            page.close()
