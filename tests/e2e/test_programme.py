"""A whole programme, end to end (issue 15): two seminars, each followed up 90 days later, run
through its months on the core's clock (SOURCE_DATE_EPOCH), with every channel a user meets
real: invitations and reminders to an SMTP server on loopback (aiosmtpd), answers on the web
form by personal link, answers at the kiosk (Textual's Pilot) with a self-generated code,
attendance confirmed by a signed sheet and by check-in passes, an outcome log, indicators, and
the programme report, whose figures are checked against the ones worked out by hand below.

The story, and the figures it must give:

* The Hague, 20 January 2026: 8 attend (4 MPs from NL, 4 NGO staff), 1 does not. All 8 are
  invited by email to ``day`` (pseudonymous, personal links) and answer: A1-A6 intend to
  contact an NGO, A7 and A8 do not. Attendance is confirmed by the signed sheet.
* Rome, 10 March 2026: 6 attend (A1 again, and 2 new MPs from IT; 3 NGO staff), each sent a
  check-in pass by email a week before and checked in at the door by its link. Six people answer ``kiosk`` (anonymous) at the kiosk with a code:
  K1-K4 intend, K5 and K6 do not.
* 20 April (90 days after The Hague): ``feedback invite --due`` sends ``day-90`` to The Hague's 8
  and nothing for Rome (not due; and Rome never ran ``day``). A1-A3 and A7 have acted; A4 and A8
  not. A5 and A6 are silent; on 27 April ``feedback remind --due`` reminds exactly those two,
  and A5 answers: acted.
  -> intended and answered both: A1-A5 = 5, acted 4 (80%); did not intend: A7, A8 = 2, acted 1
  (50%); follow-up response rate 7 of 8 (88%: 87.5 rounded half up), all matched by person.
* 8 June (90 days after Rome): ``invite --due`` sends ``kiosk-90`` to Rome's 6. Four answer
  with codes that match: K1, K2 (acted), K3 (not), K5 (acted anyway); a fifth answers with a
  code nobody gave at the kiosk.
  K1 and K2 describe a meeting since (2 follow-up meetings reported, of 5 asked).
  -> intended: K1-K3 = 3, acted 2 (67%); did not intend: K5 alone = 1, hidden (below the
  minimum cell of 2); response rate 4 of 6 (67%), 4 matched by code, 1 follow-up unmatched.
* Reach, confirmed attendance only: distinct MPs 4 (The Hague) + 2 new (Rome) = 6; indicator
  "MPs reached" baseline 0, target 10: 4 after The Hague, 6 so far after Rome, 60%.
  "Motions tabled", entered by hand: 1 at Rome against a target of 2: 50%.
* Outcome log: contact_shared at The Hague, media at The Hague, policy_change at Rome: 3.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import hashlib
import json
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from helpers import run
from starlette.testclient import TestClient

from feedback.config import load_settings
from feedback.engine import Engine
from feedback.linking import LinkingKeyError
from feedback.testing import channel_app, kiosk_go_to, kiosk_press, kiosk_step, kiosk_type, web_fill

BASE_URL = "https://feedback.example.org"
LINK = re.compile(re.escape(BASE_URL) + r"/s/([A-Za-z0-9_-]{43})")
PASS = re.compile(re.escape(BASE_URL) + r"/c/([A-Za-z0-9_-]{43})")
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')

DAY = """\
id: day
title: On the day
languages: [en]
anonymous: false
linking: pseudonymous
questions:
  - {id: will_contact, type: yes_no, label: "Will you contact an NGO in the next three months?",
     measures: ngo_cooperation, stage: intention}
"""
DAY_90 = """\
id: day-90
title: Ninety days on
languages: [en]
anonymous: false
linking: pseudonymous
follows: {survey: day, wave: day_90, due_days: 90}
questions:
  - {id: contacted, type: yes_no, label: "Have you contacted an NGO since the seminar?",
     measures: ngo_cooperation, stage: action}
  - {id: shared, type: number, integer: true, required: false, outcome: contact_shared,
     label: "How many new contacts have you shared with NGOs?"}
"""
KIOSK = """\
id: kiosk
title: At the kiosk
languages: [en]
self_code: [parent, month]
questions:
  - {id: will_contact, type: yes_no, label: "Will you contact an NGO in the next three months?",
     measures: ngo_cooperation, stage: intention}
  - {id: parent, type: text, label: "The first letter of your mother's first name"}
  - {id: month, type: text, label: "The month you were born, as a number"}
"""
KIOSK_90 = """\
id: kiosk-90
title: Ninety days on, from the kiosk
languages: [en]
self_code: [parent, month]
follows: {survey: kiosk, wave: day_90, due_days: 90}
questions:
  - {id: got_in_touch, type: yes_no, label: "Have you contacted an NGO since the seminar?",
     measures: ngo_cooperation, stage: action}
  - {id: meeting, type: text, required: false, outcome: follow_up_meeting,
     label: "Did you meet anyone from the seminar since? Who, and what for?"}
  - {id: parent, type: text, label: "The first letter of your mother's first name"}
  - {id: month, type: text, label: "The month you were born, as a number"}
"""

HAGUE = (
    "name,email,role,country,organisation,attended\n"
    + "".join(
        f"A{i} {name},a{i}@example.org,{role},{country},Org {i},yes\n"
        for i, (name, role, country) in enumerate(
            [
                ("Anna de Vries", "mp", "NL"),
                ("Bram Bakker", "mp", "NL"),
                ("Carla Jansen", "mp", "NL"),
                ("Daan Smit", "mp", "NL"),
                ("Eva Laurent", "ngo", "BE"),
                ("Femke Visser", "ngo", "NL"),
                ("Goran Ilic", "ngo", "RS"),
                ("Hana Novak", "ngo", "SI"),
            ],
            start=1,
        )
    )
    + "A9 Ida Absent,a9@example.org,mp,NL,Org 9,no\n"
)
ROME = (
    "name,email,role,country,organisation,attended\n"
    "A1 Anna de Vries,a1@example.org,mp,NL,Org 1,yes\n"
    "B2 Bruno Rossi,b2@example.org,mp,IT,Camera,yes\n"
    "B3 Chiara Conti,b3@example.org,mp,IT,Senato,yes\n"
    "B4 Dario Greco,b4@example.org,ngo,IT,On the Road,yes\n"
    "B5 Elena Russo,b5@example.org,ngo,IT,Be Free,yes\n"
    "B6 Fabio Marino,b6@example.org,ngo,IT,Caritas,yes\n"
)
#: The kiosk's participants at Rome: (intends?, mother's initial, birth month).
KIOSK_ANSWERS = [
    ("K1", True, "M", "3"),
    ("K2", True, "L", "7"),
    ("K3", True, "S", "11"),
    ("K4", True, "T", "1"),
    ("K5", False, "A", "5"),
    ("K6", False, "R", "9"),
]


def on(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Set the core's clock to ``day`` at noon."""
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))


@dataclass
class Inbox:
    """What the SMTP server on loopback accepted."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def take(self, link: re.Pattern[str] = LINK) -> dict[str, str]:
        """The token of the link in each message since the last take (a personal link's, or a
        pass's), by recipient's address."""
        found = {}
        for message in self.messages:
            body = message.get_body(("plain",))
            assert body is not None
            tokens = link.findall(body.get_content())
            address = email.utils.parseaddr(str(message["To"]))[1]
            found[address] = tokens[0]
        self.messages.clear()
        return found


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with socket.socket() as probe:  # a port nothing listens on, just now
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def settings(port: int, key: Path) -> str:
    return f"""\
base_url = "{BASE_URL}/"
linking_key = "{key}"
min_cell_size = 2

[email]
mail_from = "Seminar team <team@example.org>"
smtp_host = "127.0.0.1"
smtp_port = {port}
smtp_security = "none"
smtp_timeout = 5
smtp_retries = 2
smtp_backoff = 0

[programme]
reach_attendance = "confirmed"

[[programme.indicators]]
id = "mps_reached"
label = {{ en = "MPs reached" }}
unit = "MPs"
baseline = 0
target = 10
source = {{ scorer = "reach", figure = "mps" }}

[[programme.indicators]]
id = "motions"
label = {{ en = "Motions tabled" }}
unit = "motions"
baseline = 0
target = 2
source = "manual"
"""


def ok(project: Path, *args: str) -> str:
    result = run(project, *args)
    assert result.exit_code == 0, f"feedback {' '.join(args)}:\n{result.output}"
    return str(result.output)


def engine_of(project: Path) -> Engine:
    return Engine(settings=load_settings(project))


def answer_by_link(project: Path, answers: dict[str, dict[str, Any]]) -> None:
    """Each token of ``answers`` fills in its personal link on the web form."""
    with engine_of(project) as engine, TestClient(channel_app(engine, "web")) as client:
        for token, given in answers.items():
            page = web_fill(client, f"/s/{token}", given)
            assert page.status_code == 200 and "Thank you" in page.text, page.text[:500]


async def at_the_kiosk(engine: Engine, intends: bool, parent: str, month: str) -> None:
    app = channel_app(engine, "kiosk", survey="kiosk", event="rome-2026", locked=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await kiosk_press(pilot, "enter")  # the attract screen
        await kiosk_go_to(pilot, "q:will_contact")  # past the notice on the code
        await kiosk_press(pilot, "1" if intends else "2", "enter")
        await kiosk_type(pilot, parent)
        await kiosk_press(pilot, "enter")
        await kiosk_type(pilot, month)
        await kiosk_press(pilot, "enter")
        await kiosk_go_to(pilot, "review")
        await kiosk_press(pilot, "enter")
        for _ in range(40):
            if kiosk_step(app) == "thanks":
                break
            await pilot.pause(0.05)
        assert kiosk_step(app) == "thanks"


def by_label(results: list[dict[str, Any]], label: str) -> dict[str, Any]:
    found = [r for r in results if r["label"] == label]
    assert len(found) == 1, [r["label"] for r in results]
    return found[0]


@pytest.mark.slow
def test_a_programme_from_invitation_to_indicators(
    tmp_path: Path, inbox: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    mail, port = inbox
    project = tmp_path / "programme"
    (project / "surveys").mkdir(parents=True)
    key = tmp_path / "keys" / "linking.key"  # apart from the project and its database
    key.parent.mkdir()
    (project / "feedback.toml").write_text(settings(port, key), encoding="utf-8")
    ok(project, "keys", "new")
    assert key.exists() and not (project / "linking.key").exists()
    for name, text in [("day", DAY), ("day-90", DAY_90), ("kiosk", KIOSK), ("kiosk-90", KIOSK_90)]:
        (project / "surveys" / f"{name}.yaml").write_text(text, encoding="utf-8")
    for event, title, date, city, country, roster in [
        ("hague-2026", "Good practice exchange", "2026-01-20", "The Hague", "NL", HAGUE),
        ("rome-2026", "Cooperation with NGOs", "2026-03-10", "Rome", "IT", ROME),
    ]:
        ok(project, "event", "add", event, "--title", title, "--date", date, "--city", city)
        ok(project, "event", "add", event, "--country", country)
        (project / f"{event}.csv").write_text(roster, encoding="utf-8")
        ok(project, "roster", "import", str(project / f"{event}.csv"), "--event", event)

    # -- The Hague, 20 January: invitations by email, answers by personal link, a signed sheet
    on(monkeypatch, dt.date(2026, 1, 20))
    ok(project, "invite", "--event", "hague-2026", "--survey", "day")
    links = mail.take()
    assert sorted(links) == [f"a{i}@example.org" for i in range(1, 9)]  # not the absentee
    answer_by_link(
        project,
        {
            links[f"a{i}@example.org"]: {"will_contact": "yes" if i <= 6 else "no"}
            for i in range(1, 9)
        },
    )
    signed = [f"a{i}@example.org" for i in range(1, 9)]
    ok(project, "roster", "confirm", "--event", "hague-2026", "--source", "sheet", *signed)

    # -- Rome, 10 March: passes scanned at the door, answers at the kiosk with a code
    on(monkeypatch, dt.date(2026, 3, 3))  # a week before: each attendee gets their pass
    ok(project, "passes", "send", "--event", "rome-2026")
    passes = mail.take(PASS)
    assert sorted(passes) == ["a1@example.org"] + [f"b{i}@example.org" for i in range(2, 7)]
    on(monkeypatch, dt.date(2026, 3, 10))
    with engine_of(project) as engine, TestClient(channel_app(engine, "web")) as client:
        for token in passes.values():  # scanned at the door: the pass's page, then its button
            page = client.get(f"/c/{token}")
            fields = dict(HIDDEN.findall(page.text))
            done = client.post(f"/c/{token}", data={**fields, "action": "checkin"})
            assert done.status_code == 200 and "Checked in" in done.text, done.text[:300]
    with engine_of(project) as engine:
        for _, intends, parent, month in KIOSK_ANSWERS:
            asyncio.run(at_the_kiosk(engine, intends, parent, month))
        stored = engine.store.conn.execute(
            "SELECT count(*) FROM responses WHERE survey = 'kiosk'"
        ).fetchone()
        assert stored == (6,)
        kept = "\n".join(line for line in engine.store.conn.iterdump())
        for _, _, parent, month in KIOSK_ANSWERS:  # the code's answers are never stored
            assert f'"parent": "{parent}"' not in kept and f'"month": "{month}"' not in kept

    # -- 20 April: The Hague's follow-up falls due; Rome's does not yet
    on(monkeypatch, dt.date(2026, 4, 19))
    assert "No follow-up survey is due today." in ok(project, "invite", "--due")
    assert mail.take() == {}
    on(monkeypatch, dt.date(2026, 4, 20))
    sent = ok(project, "invite", "--due")
    assert "not due yet: kiosk-90 at rome-2026 (due 2026-06-08)" in sent
    follow_up = mail.take()
    assert sorted(follow_up) == [f"a{i}@example.org" for i in range(1, 9)]
    acted = {1: ("yes", 2), 2: ("yes", 1), 3: ("yes", 3), 4: ("no", 0), 7: ("yes", 1), 8: ("no", 0)}
    answer_by_link(
        project,
        {
            follow_up[f"a{i}@example.org"]: {"contacted": said, "shared": shared}
            for i, (said, shared) in acted.items()
        },
    )
    on(monkeypatch, dt.date(2026, 4, 27))  # a week on: the silent get a reminder
    ok(project, "remind", "--due")
    reminded = mail.take()
    assert sorted(reminded) == ["a5@example.org", "a6@example.org"]
    answer_by_link(project, {reminded["a5@example.org"]: {"contacted": "yes", "shared": 2}})

    # -- 8 June: Rome's follow-up, answered by link with the code given at the kiosk
    on(monkeypatch, dt.date(2026, 6, 8))
    ok(project, "invite", "--due")
    rome = mail.take()
    assert sorted(rome) == ["a1@example.org"] + [f"b{i}@example.org" for i in range(2, 7)]
    codes = {code: (parent, month) for code, _, parent, month in KIOSK_ANSWERS}
    later = [
        ("K1", "yes", "Met the <i>Payoke</i> team on referrals"),
        ("K2", "yes", "Called La Strada about a shelter place"),
        ("K3", "no", ""),
        ("K5", "yes", ""),
    ]
    tokens = iter(rome[address] for address in sorted(rome))
    answers = {
        next(tokens): {
            "got_in_touch": said,
            "meeting": met,
            "parent": codes[k][0],
            "month": codes[k][1],
        }
        for k, said, met in later
    }
    answers[next(tokens)] = {"got_in_touch": "yes", "parent": "Z", "month": "12"}  # no match
    answer_by_link(project, answers)

    # -- what happened that nobody was asked: the outcome log, and a value entered by hand
    on(monkeypatch, dt.date(2026, 6, 10))
    evidence = project / "evidence" / "contacts.eml"
    evidence.parent.mkdir()
    evidence.write_text("From: a2@example.org\n\nThree new contacts\n", encoding="utf-8")
    ok(
        project,
        *("outcome", "add", "--event", "hague-2026", "--kind", "contact_shared"),
        *("--date", "2026-02-15", "--text", "3 MPs sent new contacts to La Strada"),
        *("--evidence", str(evidence)),
    )
    (project / "outcomes.csv").write_text(
        "event,kind,date,text,evidence\n"
        'hague-2026,media,2026-01-22,"Interview on NOS radio, <b>bold</b>",\n'
        "rome-2026,policy_change,2026-05-05,A motion was tabled in the Camera,\n",
        encoding="utf-8",
    )
    ok(project, "outcome", "import", str(project / "outcomes.csv"))
    ok(
        project,
        *("indicator", "set", "motions", "--value", "1", "--event", "rome-2026"),
        *("--date", "2026-05-05", "--evidence", "Motion 2026/114, Camera dei deputati"),
    )

    # -- the programme report, against the figures worked out by hand
    ok(project, "report", "--programme", "--format", "json", "-o", str(tmp_path / "r.json"))
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    results = [r for r in report["results"] if r["scorer"] == "intentions"]
    link_intended = [r for r in results if r["label"].startswith("Acted, of those who intended")]
    assert sorted((r["item"], r["k"], r["n"]) for r in link_intended) == [
        ("contacted", 4, 5),
        ("got_in_touch", 2, 3),
    ]
    anyway = {r["item"]: r for r in results if r["label"].startswith("Acted anyway")}
    assert (anyway["contacted"]["k"], anyway["contacted"]["n"]) == (1, 2)
    assert anyway["got_in_touch"]["suppressed"]  # K5 alone: 1 of 1 would give K5 away
    rates = {r["item"]: r for r in results if r["label"].startswith("Follow-up response rate")}
    assert (rates["contacted"]["k"], rates["contacted"]["n"]) == (7, 8)
    assert rates["contacted"]["details"]["matched_by"] == {"person": 7}
    assert rates["contacted"]["details"]["follow_ups_not_matched"] == 0
    assert (rates["got_in_touch"]["k"], rates["got_in_touch"]["n"]) == (4, 6)
    assert rates["got_in_touch"]["details"]["matched_by"] == {"self_code": 4}
    assert rates["got_in_touch"]["details"]["follow_ups_not_matched"] == 1
    intended = {r["item"]: r for r in link_intended}
    assert intended["contacted"]["summary"].endswith("4 had acted by the follow-up (80%).")
    assert intended["got_in_touch"]["summary"].endswith("2 had acted by the follow-up (67%).")

    reach = next(r for r in report["results"] if r["scorer"] == "reach")
    mps = next(c for c in reach["figure"]["counts"] if c["id"] == "mps")
    assert mps["value"] == 6
    # 13 people attended: The Hague's 8 signed; Rome's 6 checked in, Anna among them (her latest
    # attendance, Rome's, is the one that speaks for her)
    assert reach["notes"][0].startswith(
        "Attendance evidence: 7 from signed sheets, 6 from check-in at the venue;"
    )

    # the first answers, 8 at The Hague and 6 at Rome, of 14 attendances (Anna came to both);
    # the 12 follow-up answers have their own rate, above
    rate = next(r for r in report["results"] if r["scorer"] == "response_rate")
    assert (rate["k"], rate["n"]) == (14, 14)
    assert rate["summary"] == (
        "14 of the 14 attendances (13 people) over the programme so far responded (100%): 8 "
        "online, 6 at the kiosk. 12 follow-up answers (to a survey that follows another) are "
        "counted apart."
    )

    indicators = {i["id"]: i for i in report["indicators"]}
    mps_rows = indicators["mps_reached"]["events"]
    assert [(p["event"], p["value"], p["so_far"]) for p in mps_rows] == [
        ("hague-2026", "4", "4"),
        ("rome-2026", "3", "6"),
    ]
    assert (indicators["mps_reached"]["current"], indicators["mps_reached"]["progress"]) == (
        "6",
        "60%",
    )
    assert (indicators["motions"]["current"], indicators["motions"]["progress"]) == ("1", "50%")

    import pprint

    pprint.pprint(report["participant_outcomes"])
    log = report["outcome_log"]
    assert sorted((o["event"], o["kind"]) for o in log) == [
        ("hague-2026", "contact_shared"),
        ("hague-2026", "media"),
        ("rome-2026", "policy_change"),
    ]

    ok(project, "report", "--programme", "--format", "html", "-o", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert "&lt;i&gt;Payoke&lt;/i&gt;" in html and "<i>Payoke</i>" not in html
    assert "Reported outcomes" in html and "Programme indicators" in html

    # -- without the key file, the database joins no answer to anyone: no table but the
    # responses' own holds a response's id, the links are keyed hashes that nothing about a
    # person gives, and an invitation completed keeps its date alone, never the time or response
    key.unlink()
    with engine_of(project) as engine:
        conn = engine.store.conn
        responses = {r for (r,) in conn.execute("SELECT id FROM responses")}
        assert len(responses) == 8 + 6 + 7 + 5  # day, kiosk, day-90, kiosk-90
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            if table in ("responses", "response_links"):
                continue
            for row in conn.execute(f"SELECT * FROM '{table}'"):
                assert not responses & {str(v) for v in row}, (table, row)
        people = conn.execute("SELECT id, name, email FROM people").fetchall()
        known = {str(v) for row in people for v in row}
        known |= {hashlib.sha256(v.encode()).hexdigest() for v in known}
        links = {link for (link,) in conn.execute("SELECT link FROM response_links")}
        assert len(links) == 8 + 6 + 1  # The Hague's 8, the 6 kiosk codes, 1 code new later
        assert not links & known
        completed = conn.execute(
            "SELECT DISTINCT completed FROM invitations WHERE completed IS NOT NULL"
        ).fetchall()
        assert sorted(completed) == [
            ("2026-01-20",),
            ("2026-04-20",),
            ("2026-04-27",),
            ("2026-06-08",),
        ]
        with pytest.raises(LinkingKeyError, match="no such key file"):
            engine.linking_key()
