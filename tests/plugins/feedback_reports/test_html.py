"""The HTML report: one self-contained, accessible page; outcomes first, in the seed report's order;
charts inline; comments set apart for review."""

from __future__ import annotations

import html
import itertools
import json
import re
from collections import Counter

import pytest
from reports_helpers import HOSTILE_COMMENT, IMPROVEMENT, NGO_COMMENT, Built, Page, section

from feedback_scoring.scorers import SCORERS

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@pytest.fixture(scope="module", params=["hague", "programme"])
def page(request, built: Built) -> tuple[str, Page, dict]:
    text = built.text(request.param, "html")
    return text, Page(text), json.loads(built.text(request.param, "json"))


def test_the_page_is_self_contained(page) -> None:
    text, parsed, _ = page
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, (tag, attrs)
        assert tag not in ("script", "iframe", "object", "embed", "img", "base")
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("#", "data:")), (tag, href)
        if tag == "link":
            assert attrs == {"rel": "icon", "href": "data:,"}  # no request for /favicon.ico
    assert "@import" not in text and "@font-face" not in text
    assert re.findall(r"url\((?!#)", text) == []
    # the only web address on the page is the one a participant typed into a comment
    addresses = re.findall(r"https?://[^\s\"'<)]+", text)
    assert set(addresses) <= {"https://example.org"}


def test_the_page_declares_language_charset_and_a_strict_csp(page) -> None:
    text, parsed, _ = page
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    metas = [attrs for tag, attrs in parsed.tags if tag == "meta"]
    assert {"charset": "utf-8"} in metas
    assert {"http-equiv": "Content-Security-Policy", "content": CSP} in metas
    assert [tag for tag, _ in parsed.tags].count("title") >= 1


def test_outcomes_come_first_as_the_results_sentences_in_the_seed_reports_order(page) -> None:
    text, parsed, data = page
    assert [h for level, h in parsed.headings if level == 2] == [
        "Contents",
        "Outcomes",
        "Results",
        "Methods and caveats",
        "Appendix A: Tables in full",
        "Appendix B: How each figure was computed",
        "Reported outcomes",
        "Appendix C: Comments for review",
    ]
    outcomes = html.unescape(section(text, '<h2 id="outcomes">', "</section>"))
    expected = [r for r in data["results"] if r["summary"] and r["scorer"] != "reliability"]
    assert expected, "the scorers gave no summaries"
    positions = [outcomes.index(f"<li>{r['summary']}</li>") for r in expected]
    assert positions == sorted(positions)
    scorers = list(dict.fromkeys(r["scorer"] for r in expected))
    assert scorers[0] == "reach"
    order = [s.name for s in SCORERS]  # the report keeps the registration order
    assert scorers == sorted(scorers, key=order.index)
    assert "parliamentarians from" in outcomes and "of the target of 100" in outcomes


def test_headings_do_not_skip_a_level(page) -> None:
    _, parsed, _ = page
    levels = [level for level, _ in parsed.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_tables_have_captions_and_scoped_headers(page) -> None:
    _, parsed, _ = page
    assert len(parsed.tables) > 10
    for table in parsed.tables:
        assert table.caption
        for row in table.rows:
            for cell in row:
                if cell.tag == "th":
                    assert cell.attrs.get("scope") in ("col", "row"), table.caption


def test_ids_are_unique_in_the_page(page) -> None:
    _, parsed, _ = page
    assert [i for i, n in Counter(parsed.ids).items() if n > 1] == []


def test_charts_are_inline_svg_described_for_screen_readers(page) -> None:
    text, parsed, data = page
    svgs = [attrs for tag, attrs in parsed.tags if tag == "svg"]
    expected = 4 if data["programme"] else 3  # reach, then/now, statements (+ cumulative reach)
    assert len(svgs) == expected
    for attrs in svgs:
        assert attrs["role"] == "img"
        assert len(attrs["aria-label"]) > 40
        assert "xmlns" not in attrs
    for match in re.finditer(r"<svg\b[^>]*>", text):
        assert text[match.end() :].startswith("<title>")
    assert "<?xml" not in text and "<!DOCTYPE svg" not in text and "<metadata" not in text
    likert = next(a["aria-label"] for a in svgs if a["id"] == "chart-likert")
    assert "Diverging bar chart" in likert and "don't know" in likert
    reach = next(a["aria-label"] for a in svgs if a["id"] == "chart-reach")
    assert "MPs so far: 19 of 100 (19%)" in reach or "MPs at this event: 11 of 100 (11%)" in reach


def test_methods_state_the_suppression_rule_and_self_reported_change(page) -> None:
    text, _, data = page
    methods = html.unescape(section(text, '<h2 id="methods">', "</section>"))
    assert "fewer than 5" in methods and "Minimum cell size: 5" in methods
    assert "self-reported change (retrospective pre/post)" in methods
    each = html.unescape(section(text, '<h2 id="appendix-methods">', "</section>"))
    for result in data["results"]:
        assert result["method"] in each


def test_comments_are_set_apart_for_review_and_escaped(built: Built) -> None:
    text = built.text("hague", "html")
    main = section(text, "<main>", "</main>")
    review = section(text, '<section class="review" aria-labelledby="review"', "</section>")
    assert text.index("</main>") < text.index('<section class="review"')
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in review
    # each comment once, whole, in a quote of its own: nothing about who wrote it
    quotes = [
        html.unescape(q) for q in re.findall(r"<blockquote>(.*?)</blockquote>", review, flags=re.S)
    ]
    assert quotes == sorted(
        [IMPROVEMENT]  # "What should we change ...?" comes first in the survey
    ) + sorted([NGO_COMMENT, HOSTILE_COMMENT, "Excellent speakers."], key=str.casefold)
    for comment in quotes:
        assert comment not in html.unescape(main)


def test_a_programme_page_shows_each_event_and_cumulative_reach(built: Built) -> None:
    page = Page(built.text("programme", "html"))
    cumulative = next(t for t in page.tables if t.caption.startswith("Reach event by event"))
    assert [row[0].text for row in cumulative.rows[1:]] == [
        "Good practice exchange",
        "Regional seminar on victim protection",
        "Seminar on national referral mechanisms",
    ]
    hague, rome, warsaw = (row[1:] for row in cumulative.rows[1:])
    assert [c.text for c in hague][1:8] == ["20", "37", "11", "11", "11%", "7", "46.7%"]
    assert [c.text for c in rome][4] == "17"  # 11 + 6 new MPs, counted once each
    assert [c.text for c in warsaw][1] == "0"
    per_event = [t for t in page.tables if t.caption.endswith(": event by event")]
    assert per_event
    for table in per_event:
        assert table.rows_for("Seminar on national referral mechanisms")[0][1].text == (
            "no responses yet"
        )
