"""Outcomes participants report in a follow-up survey's answers (items that declare ``outcome:``),
in the report's "Reported outcomes": counted by kind and by event apart from the observed outcome
log, small counts hidden by the disclosure rules, texts set apart for review and escaped; the CSV
carries the same rows, formula-safe."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from helpers import open_engine
from reports_helpers import build_seminar, invoke, md_tables, reports_plugin_manager, section

from feedback.plugins import PluginManager

FOLLOW_UP = """\
id: hague-followup
title: Ninety days on
languages: [en]
follows: {survey: post-seminar, wave: day_90, due_days: 90}
questions:
  - {id: shared, type: yes_no, label: "Have you passed on contacts to an NGO?", outcome: contact_shared}
  - id: meetings
    type: number
    integer: true
    min: 0
    label: "How many follow-up meetings have you held?"
    outcome: follow_up_meeting
    show_if: {shared: {eq: true}}
  - id: motion
    type: single_choice
    label: "Has a motion been tabled in your parliament?"
    choices: [no_motion, tabled, passed]
    outcome: {kind: policy_change, when: [tabled, passed]}
  - {id: press, type: text, label: "What did the press publish?", outcome: media}
  - {id: remarks, type: text, label: "Anything else?"}
"""

HOSTILE = '=HYPERLINK("http://x.example","<b>click</b>") **bold**'
OP_ED = "An op-ed in NRC"

#: The Hague: 12 answers. shared: 7 of 12; meetings (asked of those 7): 3, 0, 1, 2, 0, 1, 0, so
#: 4 of 7 reported 7 meetings; motion: tabled twice and passed once, 3 of 12; press: 2 texts.
HAGUE: list[dict[str, Any]] = [
    {"shared": True, "meetings": 3, "motion": "tabled", "press": OP_ED},
    {"shared": True, "meetings": 0, "motion": "no_motion", "press": HOSTILE},
    {"shared": True, "meetings": 1, "motion": "passed"},
    {"shared": True, "meetings": 2, "motion": "no_motion"},
    {"shared": True, "meetings": 0, "motion": "tabled", "remarks": "Thanks."},
    {"shared": True, "meetings": 1, "motion": "no_motion"},
    {"shared": True, "meetings": 0, "motion": "no_motion"},
    {"shared": False, "motion": "no_motion"},
    {"shared": False, "motion": "no_motion"},
    {"shared": False, "motion": "no_motion"},
    {"shared": False, "motion": "no_motion"},
    {"shared": False, "motion": "no_motion"},
]
#: Rome: 3 answers (fewer than 5); Warsaw: 6, one of whom reported anything (1 of 6).
ROME: list[dict[str, Any]] = [
    {"shared": True, "meetings": 5, "motion": "passed", "press": "Rome's only article"},
    {"shared": False, "motion": "no_motion"},
    {"shared": False, "motion": "no_motion"},
]
WARSAW: list[dict[str, Any]] = [{"shared": True, "meetings": 0, "motion": "no_motion"}] + [
    {"shared": False, "motion": "no_motion"}
] * 5


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """The seminar project with the follow-up answered at three events (through the engine)
    and one observed outcome; the Hague's and the programme's reports in every format."""
    pm: PluginManager = reports_plugin_manager()
    root = tmp_path_factory.mktemp("participants")
    project = build_seminar(root, pm)
    (project / "surveys").mkdir(exist_ok=True)
    (project / "surveys" / "hague-followup.yaml").write_text(FOLLOW_UP, encoding="utf-8")
    engine = open_engine(project, pm)
    try:
        version = engine.survey("hague-followup").version
        for event, answers, day in (
            ("hague-2011", HAGUE, "2011-04-26"),
            ("rome-2012", ROME, "2012-06-20"),
            ("warsaw-2012", WARSAW, "2012-07-17"),
        ):
            for given in answers:
                response = {
                    "id": str(uuid.uuid4()),
                    "survey": "hague-followup",
                    "survey_version": version,
                    "event": event,
                    "channel": "web",
                    "language": "en",
                    "submitted": day,
                    "answers": given,
                }
                assert engine.submit(response) == "stored"
    finally:
        engine.close()

    def ok(*args: str) -> None:
        result = invoke(pm, "--project", str(project), *args)
        assert result.exit_code == 0, result.output

    ok(
        "outcome", "add", "--event", "hague-2011", "--kind", "policy_change",
        "--date", "2011-03-02", "--text", "A motion was tabled in parliament",
    )  # fmt: skip
    out = root / "out"
    out.mkdir()
    files = {}
    for scope, args in (("hague", ["--event", "hague-2011"]), ("programme", ["--programme"])):
        for fmt in ("html", "md", "json", "csv"):
            path = out / f"{scope}.{fmt}"
            ok("report", *args, "--format", fmt, "-o", str(path))
            files[(scope, fmt)] = path.read_text(encoding="utf-8")
    return files


def html_part(page: str) -> str:
    return section(
        page, '<section class="review" aria-labelledby="reported-outcomes">', "</section>"
    )


def md_part(text: str) -> str:
    return section(text, "## Reported outcomes", "## Appendix C")


HIDDEN = "fewer than 5, or hidden to protect a group"


def test_the_event_report_counts_both_sources_apart(reports: dict[tuple[str, str], str]) -> None:
    part = md_part(reports[("hague", "md")])
    tables = md_tables(part)
    header = ["Observed", "Reported by participants", "Participants who reported"]
    assert [
        ["Kind", *header],
        ["Contact shared", "0", "7", "7 of 12 asked"],
        ["Follow-up meeting", "0", "7", "4 of 7 asked"],
        ["Media", "0", "2", "2 of 12 asked"],
        ["Policy change", "1", "3", "3 of 12 asked"],
    ] in tables
    # 7 of the 12 reported something (those who shared contacts: the motions are theirs too);
    # 19 outcomes = 7 contacts + 7 meetings + 2 texts + 3 motions
    assert [["Event", *header], ["Good practice exchange", "1", "19", "7 of 12 asked"]] in tables
    assert "self-reported, not observed" in part


def test_participants_texts_are_set_apart_escaped_and_not_comments(
    reports: dict[tuple[str, str], str],
) -> None:
    page = reports[("hague", "html")]
    part = html_part(page)
    assert "Outcomes participants described" in part
    assert "<h4>Media (2)</h4>" in part
    assert f"<blockquote>{OP_ED}</blockquote>" in part
    assert "&lt;b&gt;click&lt;/b&gt;" in part and "<b>click</b>" not in page
    assert "2011-04-26" not in part and "26 April 2011" not in part  # no date: not attributed
    review = section(page, '<section class="review" aria-labelledby="review">', "</section>")
    assert OP_ED not in review  # an outcome, not a comment
    assert "Thanks." in review  # the survey's other text question stays a comment
    md = md_part(reports[("hague", "md")])
    assert "#### Media (2)" in md
    assert r'> =HYPERLINK("http://x.example","\<b\>click\</b\>") \*\*bold\*\*' in md


def test_a_programme_hides_the_events_that_would_give_an_answer_away(
    reports: dict[tuple[str, str], str],
) -> None:
    """Rome has 3 answers: hidden. Warsaw (6) is hidden too, or the programme's count minus
    the Hague's would be Rome's. The Hague's stays shown; the texts name no event."""
    part = md_part(reports[("programme", "md")])
    by_event = next(t for t in md_tables(part) if t[0][0] == "Event" and len(t[0]) == 4)
    rows = {row[0]: row[1:] for row in by_event[1:]}
    assert rows["Good practice exchange"] == ["1", "19", "7 of 12 asked"]
    assert rows["Regional seminar on victim protection"] == ["0", "–", HIDDEN]
    assert rows["Seminar on national referral mechanisms"] == ["0", "–", HIDDEN]
    by_kind = next(t for t in md_tables(part) if t[0][0] == "Kind")
    assert ["Contact shared", "0", "9", "9 of 21 asked"] in by_kind
    assert ["Follow-up meeting", "0", "12", "5 of 9 asked"] in by_kind
    html = html_part(reports[("programme", "html")])
    assert "Rome&#39;s only article" in html or "Rome's only article" in html
    data = json.loads(reports[("programme", "json")])["participant_outcomes"]
    hidden = [c for c in data["by_event"] if c["suppressed"]]
    assert {c["key"] for c in hidden} == {"rome-2012", "warsaw-2012"}
    assert all(c["asked"] is None and c["outcomes"] is None for c in hidden)
    assert all(set(t) == {"kind", "kind_label", "question", "text"} for t in data["texts"])


def test_the_csv_carries_the_outcome_rows_formula_safe(
    reports: dict[tuple[str, str], str],
) -> None:
    rows = list(csv.DictReader(io.StringIO(reports[("hague", "csv")])))
    mine = [r for r in rows if r["scorer"] == "outcomes"]
    counts = {
        (r["construct"], r["by"], r["source"]): (r["outcomes"], r["k"], r["n"])
        for r in mine
        if not r["text"]
    }
    assert counts[("contact_shared", "", "reported by participants")] == ("7", "7", "12")
    assert counts[("follow_up_meeting", "", "reported by participants")] == ("7", "4", "7")
    assert counts[("policy_change", "", "observed")] == ("1", "", "")
    assert counts[("policy_change", "", "reported by participants")] == ("3", "3", "12")
    assert counts[("", "event", "observed")] == ("1", "", "")
    assert counts[("", "event", "reported by participants")] == ("19", "7", "12")
    logged = [r for r in mine if r["source"] == "observed" and r["text"]]
    assert [(r["event"], r["date"], r["text"]) for r in logged] == [
        ("hague-2011", "2011-03-02", "A motion was tabled in parliament")
    ]
    texts = sorted(
        r["text"] for r in mine if r["source"] == "reported by participants" and r["text"]
    )
    assert texts == ["'" + HOSTILE, OP_ED]  # a formula made inert
    assert all(r["date"] == "" for r in mine if r["source"] != "observed")
    # the other rows are unchanged, with the new columns empty
    assert all(r["outcomes"] == r["source"] == "" for r in rows if r["scorer"] != "outcomes")


def test_the_programme_csv_has_no_number_in_a_hidden_row(
    reports: dict[tuple[str, str], str],
) -> None:
    rows = list(csv.DictReader(io.StringIO(reports[("programme", "csv")])))
    hidden = [r for r in rows if r["scorer"] == "outcomes" and r["suppressed"] == "yes"]
    assert {r["event"] for r in hidden} == {"rome-2012", "warsaw-2012"}
    for row in hidden:
        assert row["n"] == row["k"] == row["outcomes"] == row["shown"] == row["estimate"] == ""


def test_a_small_event_report_hides_the_count_but_lists_texts_like_comments(
    tmp_path: Path,
) -> None:
    """Rome alone: 3 answers. No count is shown (1 of 3 would be a person's answer); the one
    text is listed for review, as the comment section would list a comment."""
    pm = reports_plugin_manager()
    project = build_seminar(tmp_path, pm)
    (project / "surveys").mkdir(exist_ok=True)
    (project / "surveys" / "hague-followup.yaml").write_text(FOLLOW_UP, encoding="utf-8")
    engine = open_engine(project, pm)
    try:
        version = engine.survey("hague-followup").version
        for given in ROME:
            engine.submit(
                {
                    "id": str(uuid.uuid4()),
                    "survey": "hague-followup",
                    "survey_version": version,
                    "event": "rome-2012",
                    "channel": "kiosk",
                    "language": "en",
                    "submitted": "2012-06-20",
                    "answers": given,
                }
            )
    finally:
        engine.close()
    out = tmp_path / "rome.md"
    result = invoke(pm, "--project", str(project), "report", "--event", "rome-2012",
                    "--format", "md", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    part = md_part(out.read_text(encoding="utf-8"))
    for table in md_tables(part):
        for row in table[1:]:
            assert row[2:] in (["–", HIDDEN], ["–", "not asked"]), row
    assert "> Rome's only article" in part
    assert "No outcomes in the outcome log" in part


def test_the_section_with_participants_passes_axe_in_chromium(
    reports: dict[tuple[str, str], str], tmp_path: Path
) -> None:
    from helpers import AXE, WCAG_21_AA, chromium_browser

    path = tmp_path / "hague.html"
    path.write_text(reports[("hague", "html")], encoding="utf-8")
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
            assert page.locator("#participant-outcomes").inner_text() == (
                "Outcomes participants described"
            )
            page.evaluate(AXE.read_text(encoding="utf-8"))
            result = page.evaluate(
                "tags => axe.run({include: [['section[aria-labelledby=reported-outcomes]']]},"
                " {runOnly: {type: 'tag', values: tags}})",
                WCAG_21_AA,
            )
            violations = [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]]
            assert violations == []
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        finally:
            page.close()
