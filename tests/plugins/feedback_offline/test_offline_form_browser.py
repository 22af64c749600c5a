"""The offline form in headless Chromium (Debian's, driven by Playwright), opened from disk on a
"laptop" with no network: every request but file://, data: and blob: refused and recorded, no
console error, axe-core's WCAG 2.1 AA rules on its pages. Two participants fill in the shipped
survey one after the other (a reload in between keeps the draft; the second without
crypto.subtle); the response files they save and the exported bundle are checked against their
checksums and stored by the engine. Every question type is checked and encoded as the web form
does; the form's logic (core.js) agrees with Python on conditions, numbers and checksums."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import chromium_browser, run
from offline_form_helpers import NO_SUBTLE, TODAY, UUID4, Laptop, write_form

from feedback.conditions import parse_condition
from feedback.engine import Engine
from feedback.question_types import AnswerError
from feedback.questions import number_from
from feedback_offline import files
from feedback_offline.files import checksum
from feedback_offline.standalone import OWN_SCRIPTS, SHARED_SCRIPTS

ALL_TYPES = """\
id: all-types
title: {en: Every question type, nl: Elk soort vraag}
languages: [en, nl]
scales:
  agree3: {points: [disagree, neutral, agree], na: dont_know}
  know3: {points: [little, some, much]}
sections:
  - id: everything
    title: Everything
    questions:
      - {id: intro, type: note, label: "A note: nothing is asked here."}
      - {id: pick, type: single_choice, label: Pick one, required: true, choices: [a, b, c]}
      - {id: several, type: multi_choice, label: Pick two at most, max_selections: 2,
         choices: [x, y, z]}
      - {id: agree, type: likert, label: I agree, scale: agree3}
      - {id: change, type: then_now, label: What you know, scale: know3}
      - {id: score, type: rating, label: Score, min: 1, max: 5, min_label: Low, max_label: High}
      - {id: why_high, type: text, label: "Why so high?", show_if: {score: {ge: 4}}}
      - {id: agreed, type: yes_no, label: "Agreed?"}
      - {id: amount, type: number, label: Amount, min: 0.5, max: 10, unit: litres}
      - {id: short, type: text, label: Ten characters at most, max_length: 10}
      - {id: long, type: text, long: true, label: Tell us more}
      - {id: arrived, type: date, label: "When did you arrive?", min: "2026-01-01",
         max: "2026-12-31"}
  - id: later
    title: Later
    questions:
      - {id: only_if_not_a, type: yes_no, label: Only when not a, show_if: {not: {pick: a}}}
"""

FIRST = {
    "role": "ngo",
    "country": "NL",
    "rapporteur_role": {"then": "little", "now": "good"},
    "other_countries": {"then": "none", "now": "some"},
    "mp_ngo_cooperation": {"then": "some", "now": "very_good"},
    "support_rapporteur_office": "strongly_agree",
    "continue_ngo_cooperation": "dont_know",
    "inform_colleagues": "agree",
    "passed_contacts": True,
    "new_mp_contacts": 3,
    "support_next_event": False,
    "usefulness": 8,
    "recommend": 9,
    "improvements": "More time for questions.",
}
SECOND = {
    "role": "mp",
    "country": "BE",
    "rapporteur_role": {"then": "none", "now": "very_good"},
    "other_countries": {"then": "little", "now": "some"},
    "mp_ngo_cooperation": {"then": "some", "now": "good"},
    "support_rapporteur_office": "agree",
    "join_network": "strongly_agree",
    "continue_ngo_cooperation": "neutral",
    "inform_colleagues": "strongly_agree",
    "passed_contacts": False,
    "support_next_event": True,
    "support_kinds": ["political", "logistic"],
    "usefulness": 10,
    "comments": "Dank u — één opmerking 😀",
}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the module; each test opens its own laptop (context)."""
    with chromium_browser() as browser:
        yield browser


@pytest.fixture
def laptop(chromium: Any) -> Iterator[Laptop]:
    machine = Laptop(chromium)
    yield machine
    machine.close()


def form_for(project: Path, *args: str) -> Path:
    out = project / "form.html"
    result = write_form(project, "--event", "hague-2011", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return out


def check_file(name: str, content: dict[str, Any]) -> dict[str, Any]:
    """A saved response file: its name, format and checksum; its response."""
    assert set(content) == {"format", "format_version", "response", "checksum"}
    assert (content["format"], content["format_version"]) == ("feedback-response", 1)
    response = content["response"]
    assert content["checksum"] == checksum(response)
    assert name == f"response-{response['id']}.json"
    assert re.match(UUID4, response["id"])
    assert response["channel"] == "offline"
    assert response["submitted"] == TODAY  # the browser's clock, fixed by the laptop
    return response


# -- two participants on one laptop ------------------------------------------------------------


def test_two_participants_on_one_laptop_save_files_the_engine_stores(
    engine: Engine, project: Path, laptop: Laptop, tmp_path: Path
) -> None:
    path = form_for(project)
    saved = tmp_path / "downloads"
    saved.mkdir()
    page = laptop.page
    violations: dict[str, list[tuple[str, str, int]]] = {}

    laptop.open(path)
    assert page.title() == "Welcome · Post-seminar feedback"
    assert page.inner_text(".masthead") == "Good practice exchange · The Hague"
    assert page.inner_text("#position") == "Page 1 of 5"
    assert laptop.draft() is None  # nobody began yet
    violations["first page"] = laptop.axe()

    laptop.next()  # no role: the problem is shown next to the question, and announced
    assert page.title() == "There is a problem: Welcome · Post-seminar feedback"
    assert page.inner_text("#q-role-error") == "Please answer this question."
    assert page.get_attribute("#q-role", "aria-describedby") == "q-role-error"
    assert page.get_attribute(".error-summary", "role") == "alert"
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    violations["a problem"] = laptop.axe()

    # -- the first participant, in English, reloads on the second page
    page.check("#q-role-2")
    page.check("label[for=q-country-20]")
    laptop.next()
    assert page.title() == "What you learned · Post-seminar feedback"
    assert page.inner_text("#position") == "Page 2 of 5"
    page.check("#q-rapporteur_role-then-2")
    page.check("#q-rapporteur_role-now-4")
    draft = laptop.draft()
    assert draft is not None and re.match(UUID4, draft["id"])
    laptop.reload()
    assert page.title() == "What you learned · Post-seminar feedback"
    assert page.is_checked("#q-rapporteur_role-then-2") and page.is_checked(
        "#q-rapporteur_role-now-4"
    )
    assert laptop.draft()["id"] == draft["id"]  # type: ignore[index]
    violations["then and now"] = laptop.axe()
    for qid, then, now in (("other_countries", 1, 3), ("mp_ngo_cooperation", 3, 5)):
        page.check(f"#q-{qid}-then-{then}")
        page.check(f"#q-{qid}-now-{now}")
    laptop.next()

    assert page.title().startswith("Your views and plans")
    assert page.is_hidden("[data-question=join_network]")  # not an MP
    page.check("#q-support_rapporteur_office-5")
    page.check("#q-continue_ngo_cooperation-6")  # the N/A point, last
    page.check("#q-inform_colleagues-4")
    laptop.next()

    assert page.title().startswith("Towards the next event")
    contacts = "#q-new_mp_contacts-input"
    assert page.is_hidden(contacts) and page.is_disabled(contacts)
    page.check("#q-passed_contacts-yes")
    page.wait_for_selector(contacts, state="visible", timeout=2000)
    assert page.is_enabled(contacts)
    page.fill(contacts, "3")
    page.check("#q-support_next_event-no")
    violations["contacts opened"] = laptop.axe()
    laptop.next()

    assert page.title().startswith("Overall")
    assert page.inner_text("#next") == "Submit"
    page.check("#q-usefulness-8")
    page.check("#q-recommend-9")
    page.fill("#q-improvements-input", "More time for questions.")
    first_name, first_path, first = laptop.download("#next", saved)
    assert page.title() == "Thank you · Post-seminar feedback"
    assert first_name in page.inner_text(".message")
    assert page.inner_text(".message .kept") == "Responses kept in this browser: 1"
    assert laptop.draft() is None
    violations["thank you"] = laptop.axe()
    response = check_file(first_name, first)
    assert response["id"] == draft["id"]
    assert (response["language"], response["answers"]) == ("en", FIRST)

    # -- the next participant, in Dutch, without crypto.subtle after a reload
    page.click(".message [data-action=next-participant]")
    assert page.title() == "Welcome · Post-seminar feedback"
    assert not page.is_checked("#q-role-2")
    page.click("button[lang=nl]")
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert page.title() == "Welkom · Evaluatie na het seminar"
    assert page.get_attribute("button[lang=nl]", "aria-current") == "true"
    page.check("#q-role-1")
    page.check("#q-country-2")
    laptop.next()
    assert page.inner_text("#position") == "Pagina 2 van 5"
    second_id = laptop.draft()["id"]  # type: ignore[index]
    assert second_id != draft["id"]
    laptop.context.add_init_script(NO_SUBTLE)
    laptop.reload()
    assert page.evaluate("typeof crypto.subtle") == "undefined"
    assert page.title() == "Wat u hebt geleerd · Evaluatie na het seminar"
    for qid, then, now in (
        ("rapporteur_role", 1, 5),
        ("other_countries", 2, 3),
        ("mp_ngo_cooperation", 3, 4),
    ):
        page.check(f"#q-{qid}-then-{then}")
        page.check(f"#q-{qid}-now-{now}")
    laptop.next()
    assert page.is_visible("[data-question=join_network]")  # an MP
    for qid, n in (
        ("support_rapporteur_office", 4),
        ("join_network", 5),
        ("continue_ngo_cooperation", 3),
        ("inform_colleagues", 5),
    ):
        page.check(f"#q-{qid}-{n}")
    laptop.next()
    page.check("#q-passed_contacts-no")
    page.check("#q-support_next_event-yes")
    page.wait_for_selector("#q-support_kinds-1", state="visible", timeout=2000)
    page.check("#q-support_kinds-1")
    page.check("#q-support_kinds-3")
    laptop.next()
    assert page.inner_text("#next") == "Versturen"
    page.check("#q-usefulness-10")
    page.fill("#q-comments-input", "Dank u — één opmerking 😀")
    second_name, second_path, second = laptop.download("#next", saved)
    response = check_file(second_name, second)
    assert response["id"] == second_id
    assert (response["language"], response["answers"]) == ("nl", SECOND)
    assert page.inner_text(".message .kept") == "Antwoorden bewaard in deze browser: 2"

    # -- export all: one bundle with both, whatever was saved or not
    bundle_name, _, bundle = laptop.download(".message [data-action=export]", saved)
    assert re.fullmatch(r"responses-hague-2011-\d{8}-\d{6}\.json", bundle_name)
    assert bundle == files.bundle([first, second])
    assert bundle_name in page.inner_text("#status")
    assert laptop.problems == []
    assert laptop.outside == []
    assert {name: found for name, found in violations.items() if found} == {}

    # -- `feedback offline import` takes both files, once; imported again, nothing new
    first_path.parent.joinpath(bundle_name).unlink(missing_ok=True)  # the bundle: below
    result = run(project, "offline", "import", str(first_path), str(second_path))
    assert result.exit_code == 0, result.output
    assert "2 responses stored, 0 already present, 0 files rejected" in result.stdout
    stored = {r["id"]: r for r in engine.store.iter_responses()}
    assert stored[response["id"]]["channel"] == "offline"
    assert set(stored) == {draft["id"], second_id}
    bundle_path = first_path.parent / "export.json"
    bundle_path.write_text(json.dumps(bundle), encoding="utf-8")
    again = run(project, "offline", "import", str(first_path), str(second_path), str(bundle_path))
    assert again.exit_code == 0, again.output
    assert "0 responses stored, 4 already present" in again.stdout
    assert engine.store.count_responses() == 2


# -- every question type ------------------------------------------------------------------------


def test_every_question_type_is_checked_shown_and_encoded(
    engine: Engine, project: Path, laptop: Laptop, tmp_path: Path
) -> None:
    (project / "surveys" / "all-types.yaml").write_text(ALL_TYPES, encoding="utf-8")
    path = form_for(project, "--survey", "all-types")
    page = laptop.page
    laptop.open(path)
    assert page.title() == "Everything · Every question type"
    assert page.inner_text("#q-intro") == "A note: nothing is asked here."
    assert page.inner_text("#position") == "Page 1 of 2"

    for box in ("x", "y", "z"):
        page.check(f"#q-several-{'xyz'.index(box) + 1}")
    page.check("#q-change-then-1")
    page.fill("#q-amount-input", "abc")
    page.fill("#q-arrived-input", "2025-12-31")  # the browser's picker, a day too early
    # past the field's maxlength, as a paste into an older browser could be
    page.eval_on_selector(
        "#q-short-input",
        "e => { e.value = 'eleven char'; e.dispatchEvent(new Event('input', {bubbles: true})); }",
    )
    laptop.next()
    errors = {
        "pick": "Please answer this question.",
        "several": "Please choose between 0 and 2 options.",
        "change": "Please choose an answer in both rows.",
        "amount": "Please type a number.",
        "short": "Please use at most 10 characters.",
        "arrived": "Please give a date from 2026-01-01 to 2026-12-31.",
    }
    for qid, text in errors.items():
        assert page.inner_text(f"#q-{qid}-error") == text
        assert "has-error" in (page.get_attribute(f"[data-question={qid}]", "class") or "")
    assert page.locator(".error-summary li").all_inner_texts() == [
        "Pick one: Please answer this question.",
        "Pick two at most: Please choose between 0 and 2 options.",
        "What you know: Please choose an answer in both rows.",
        "Amount: Please type a number.",
        "Ten characters at most: Please use at most 10 characters.",
        "When did you arrive?: Please give a date from 2026-01-01 to 2026-12-31.",
    ]
    assert page.get_attribute("#q-amount-input", "aria-invalid") == "true"
    assert page.get_attribute("#q-amount-input", "aria-describedby") == "q-amount-error"
    assert page.get_attribute("#q-several", "aria-describedby") == "q-several-error"
    assert page.input_value("#q-amount-input") == "abc"  # what was typed stays
    assert laptop.axe() == []
    page.click(".error-summary a[href='#q-amount']")
    assert page.evaluate("document.activeElement.id") == "q-amount-input"

    page.fill("#q-amount-input", "11")
    laptop.next()
    assert page.inner_text("#q-amount-error") == "Please give a number from 0.5 to 10."

    # a later page that only some answers show: the position and the button follow at once
    page.check("#q-pick-1")
    assert page.inner_text("#position") == "Page 1 of 1"
    assert page.inner_text("#next") == "Submit"
    page.check("#q-pick-2")
    assert page.inner_text("#position") == "Page 1 of 2"
    assert page.inner_text("#next") == "Next"

    page.uncheck("#q-several-3")
    page.check("#q-change-now-3")
    page.check("#q-score-5")
    page.wait_for_selector("#q-why_high-input", state="visible", timeout=2000)
    page.fill("#q-why_high-input", "Because.")
    page.check("#q-score-2")  # hidden again: its answer is left out
    page.wait_for_selector("#q-why_high-input", state="hidden", timeout=2000)
    page.check("#q-agreed-yes")
    page.check("#q-agree-4")  # don't know
    page.fill("#q-amount-input", "2,5")
    page.fill("#q-short-input", "ten chars!")
    page.fill("#q-long-input", "line one\nline two")
    page.fill("#q-arrived-input", "2026-02-28")

    page.click("button[lang=nl]")  # the answers stay, the words change
    assert page.is_checked("#q-pick-2") and page.input_value("#q-amount-input") == "2,5"
    assert page.inner_text("label[for=q-agreed-yes]") == "Ja"
    assert page.evaluate("document.activeElement.getAttribute('lang')") == "nl"
    laptop.next()
    assert page.title() == "Later · Elk soort vraag"
    page.click("[data-action=back]")
    assert page.title() == "Everything · Elk soort vraag"
    assert page.is_checked("#q-score-2")
    laptop.next()
    page.check("#q-only_if_not_a-no")
    name, _, content = laptop.download("#next", tmp_path)
    response = check_file(name, content)
    assert response["language"] == "nl"
    assert response["answers"] == {
        "pick": "b",
        "several": ["x", "y"],
        "agree": "dont_know",
        "change": {"then": "little", "now": "much"},
        "score": 2,
        "agreed": True,
        "amount": 2.5,
        "short": "ten chars!",
        "long": "line one\nline two",
        "arrived": "2026-02-28",
        "only_if_not_a": False,
    }
    assert laptop.problems == [] and laptop.outside == []
    result = engine.submit_many([(name, response)])
    assert (result.stored, result.rejected) == (1, [])


def test_survey_texts_are_shown_as_text(engine: Engine, project: Path, laptop: Laptop) -> None:
    hostile = '<img src=x onerror="document.title=1">'
    (project / "surveys" / "hostile.yaml").write_text(
        f"id: hostile\ntitle: {json.dumps(hostile)}\nquestions:\n"
        f"  - {{id: pick, type: single_choice, label: {json.dumps(hostile)}, choices: [a]}}\n",
        encoding="utf-8",
    )
    laptop.open(form_for(project, "--survey", "hostile"))
    page = laptop.page
    assert page.inner_text("#q-pick legend") == hostile
    assert page.inner_text("h1") == hostile
    assert page.locator("img").count() == 0
    assert page.title() == f"{hostile} · {hostile}"
    assert laptop.problems == [] and laptop.outside == []


# -- the form's logic agrees with Python --------------------------------------------------------


@pytest.fixture
def core(laptop: Laptop) -> Any:
    """A blank page with the core's conditions.js and answers.js, and core.js (FeedbackCore)."""
    laptop.page.goto("about:blank")
    laptop.page.evaluate(
        "".join(
            path.read_text(encoding="utf-8") + "\n"
            for path in [*SHARED_SCRIPTS[:2], OWN_SCRIPTS[0]]
        )
        + "window.C = FeedbackCore;"
    )
    return laptop.page


VALUES: list[Any] = [
    {"b": 1, "a": [True, False, None], "é": "ü", "z": {"y": 2, "x": "😀"}},
    {"10": 1, "9": 2, "a": 3, "B": 4, "_": 5, "\ue000": 6, "😀": 7},
    {"n": [0, -0.0, 2.5, -3, 0.1, 1e-5, 1.5e-7, 0.0001, 123456.789, 1e21, 2**53, 1e16 + 2]},
    {"s": 'quote " backslash \\ tab \t newline \n nul \u0000 \u001f \u007f \u2028 </script>'},
    {"id": "6f1c0e0a-2b9e-4a57-9f7e-1d2c3b4a5f60", "answers": {"then_now": {"then": "a"}}},
]


def test_checksums_written_in_the_browser_are_those_python_computes(core: Any) -> None:
    texts = core.evaluate(
        """async values => {
          const out = [];
          for (const value of values) {
            const fallback = "sha256:" + C.sha256Hex(C.utf8(C.canonical(value)));
            out.push([JSON.stringify({response: value, checksum: await C.checksum(value)}), fallback]);
          }
          return out;
        }""",
        VALUES,
    )
    for (text, fallback), value in zip(texts, VALUES, strict=True):
        document = json.loads(text)  # as the importer reads the file
        assert document["checksum"] == checksum(document["response"]) == fallback, value


def test_sha256_in_javascript_is_sha256(core: Any) -> None:
    texts = ["", "abc", "a" * 55, "a" * 56, "a" * 63, "a" * 64, "a" * 65, "é😀" * 100, "x" * 5000]
    found = core.evaluate("texts => texts.map(t => C.sha256Hex(C.utf8(t)))", texts)
    assert found == [hashlib.sha256(t.encode()).hexdigest() for t in texts]


CONDITIONS = [
    {"role": "mp"},
    {"role": ["mp", "ngo"]},
    {"count": {"ge": 3}},
    {"count": {"lt": 3}, "role": {"ne": "mp"}},
    {"any": [{"role": "ngo"}, {"yes": True}]},
    {"not": {"role": "mp"}},
    {"yes": {"eq": 1}},
    {"yes": True},
    {"kinds": "b"},
    {"kinds": {"not_in": ["a", "c"]}},
    {"missing": {"answered": False}},
    {"role": {"answered": True}, "all": [{"count": {"gt": 0}}, {"count": {"le": 5}}]},
    {"count": {"eq": 3.0}},
    {"role": {"gt": 1}},
]
ANSWERS = [
    {},
    {"role": "mp", "count": 3, "yes": True, "kinds": ["a", "b"]},
    {"role": "ngo", "count": 5.5, "yes": False, "kinds": ["c"]},
    {"role": "other", "count": 0, "yes": 1, "kinds": []},
]


def test_show_if_is_evaluated_as_feedback_conditions_does(core: Any) -> None:
    # the canonical form the survey's definition holds, and the forms a survey file may use
    dumped = [json.loads(json.dumps(parse_condition(c).dump())) for c in CONDITIONS]
    found = core.evaluate(
        "([conditions, answers]) => conditions.map(c => answers.map(a => C.evaluate(c, a)))",
        [CONDITIONS + dumped, ANSWERS],
    )
    expected = [[parse_condition(c).evaluate(a) for a in ANSWERS] for c in CONDITIONS]
    assert found == expected + expected


def _number(text: str) -> int | float | None:
    try:
        return number_from(text)
    except AnswerError:
        return None


def test_numbers_are_read_as_the_one_parser_reads_them(core: Any) -> None:
    typed = ["3", " 7 ", "3.0", "2,5", "1 000", "1\u00a0000", "1,000", "1_000", "-0", "+4",
             ".5", "5.", "1e3", "1E-2", "abc", "", "0x10", "Infinity", "nan", "1,5,6", "1..2",
             "1_", "1\t0", "--1"]  # fmt: skip
    found = core.evaluate("typed => typed.map(t => C.parseNumber(t))", typed)
    for text, mine in zip(typed, found, strict=True):
        theirs = _number(text.strip())
        if theirs is None:
            assert mine is None, text
        else:
            assert mine == {"value": theirs, "whole": isinstance(theirs, int)}, text
    numbers = [0, 0.5, 10, 100.0, 1234567, 0.0001, 0.00001234, -2.5, 1e6, 999999.5, 1 / 3]
    assert core.evaluate("xs => xs.map(C.formatG)", numbers) == [f"{x:g}" for x in numbers]


def test_response_ids_are_random_version_4_uuids(core: Any) -> None:
    ids = core.evaluate("() => Array.from({length: 200}, C.uuid4)")
    assert len(set(ids)) == 200 and all(re.match(UUID4, i) for i in ids)
