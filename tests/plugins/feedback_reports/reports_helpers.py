"""Helpers of the report tests: a seminar project built through the command line, ``feedback``
with the report plugin, and reading the reports back (HTML tables, headings, ids; Markdown tables).

The project mirrors the Hague good practice exchange (``shared/seeds/002``): 37 attended, 11 of them
MPs from 7 countries, against targets of 100 MPs and 15 countries; 20 responses to the shipped
survey, among them a group of only 2 NGO respondents (below the minimum cell size of 5).

Importable as ``from reports_helpers import ...`` (pytest puts this folder on ``sys.path``); kept
out of ``conftest.py``, which other folders' ``conftest`` modules shadow.
"""

from __future__ import annotations

import csv
import json
import random
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import feedback.cli
import feedback_formats
import feedback_kiosk
import feedback_reports
import feedback_scoring
from feedback.plugins import PluginManager, make_plugin_manager

# -- the seminar project -----------------------------------------------------------------------

TOML = """\
min_cell_size = 5

[programme]
title = "Parliamentarians against Human Trafficking"
targets = {mp = 100, countries = 15}
"""

EVENTS = [
    ("hague-2011", "Good practice exchange", "2011-01-26", "The Hague", "NL"),
    ("rome-2012", "Regional seminar on victim protection", "2012-03-22", "Rome", "IT"),
    ("warsaw-2012", "Seminar on national referral mechanisms", "2012-04-18", "Warsaw", "PL"),
    ("vienna-2012", "Regional seminar on labour exploitation", "2012-06-12", "Vienna", "AT"),
]

#: The Hague: 11 MPs from 7 countries (3 from the UK), 11 NGO representatives, and 15 others.
HAGUE_MPS = ["GB", "GB", "GB", "FI", "FI", "GR", "PL", "PT", "PT", "RO", "NL"]
HAGUE_OTHERS = (
    [("ngo", c) for c in ("FI", "GR", "PL", "PT", "RO", "NL", "GB", "NL", "NL", "GB", "FI")]
    + [("national_rapporteur", "NL"), ("national_rapporteur", "NL"), ("law_enforcement", "NL")]
    + [("intergovernmental", "CH")] * 3
    + [("government", "NL")] * 2
    + [("researcher", "NL")] * 2
    + [("parliamentary_staff", "GB")] * 3
    + [("other", "NL")] * 2
)

#: (role, country) of the 20 Hague respondents: NGO is the group of 2; FI the country of 2.
HAGUE_RESPONDENTS = (
    [("mp", "GB")] * 3
    + [("mp", "NL"), ("mp", "PL"), ("mp", "PT"), ("mp", "PT"), ("mp", "GR"), ("mp", "RO")]
    + [("mp", "GB"), ("mp", "GB"), ("mp", "PL"), ("mp", "NL")]
    + [("ngo", "FI"), ("ngo", "FI")]
    + [("intergovernmental", "NL")] * 5
)

ROME_RESPONDENTS = [("mp", "IT"), ("mp", "IT"), ("mp", "GB")] + [("ngo", "IT")] * 3

IMPROVEMENT = "Start later: flights from Athens arrive at noon."
NGO_COMMENT = "More time for the NGO panel, please.\nAnd interpretation into Greek."
HOSTILE_COMMENT = "<script>alert('x')</script> **bold** [link](https://example.org) & more"


def answers_for(role: str, country: str, rng: random.Random, comment: str | None) -> dict:
    knowledge = ["none", "little", "some", "good", "very_good"]
    agree = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]

    def then_now() -> dict[str, str]:
        then = rng.randrange(0, 3)
        return {"then": knowledge[then], "now": knowledge[min(4, then + rng.randrange(0, 3))]}

    def opinion() -> str:
        return rng.choice(agree[1:] + agree[3:] + ["dont_know"])

    answers: dict[str, Any] = {
        "role": role,
        "country": country,
        "rapporteur_role": then_now(),
        "other_countries": then_now(),
        "mp_ngo_cooperation": then_now(),
        "support_rapporteur_office": opinion(),
        "continue_ngo_cooperation": opinion(),
        "inform_colleagues": opinion(),
        "passed_contacts": rng.random() < 0.4,
        "support_next_event": rng.random() < 0.5,
        "usefulness": rng.randrange(5, 11),
        "recommend": rng.randrange(4, 11),
    }
    if role == "mp":
        answers["join_network"] = opinion()
    if answers["passed_contacts"]:
        answers["new_mp_contacts"] = rng.randrange(1, 4)
    if answers["support_next_event"]:
        answers["support_kinds"] = ["political"]
    if comment:
        answers["comments"] = comment
    return answers


def response(event: str, answers: dict, submitted: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "survey": "post-seminar",
        "event": event,
        "channel": "import",
        "language": "en",
        "submitted": submitted,
        "answers": answers,
    }


# -- the command line --------------------------------------------------------------------------


def reports_plugin_manager() -> PluginManager:
    """Formats, scorers and reports, registered explicitly (no entry points needed); and the
    kiosk, whose channels (``kiosk``, ``paper``) the seminar's responses came by and which words
    how their counts read ("20 at the kiosk, 10 on paper")."""
    return make_plugin_manager(
        entrypoints=False,
        plugins=[feedback_formats, feedback_kiosk, feedback_scoring, feedback_reports],
    )


def invoke(pm: PluginManager, *args: str) -> Result:
    """``feedback ARGS`` with ``pm``'s plugin commands, on a copy of the group's commands."""
    group = feedback.cli.cli
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(feedback.cli, "plugin_manager", lambda: pm)
        patch.setattr(group, "_plugins_added", False)
        patch.setattr(group, "commands", dict(group.commands))
        return CliRunner(env={"COLUMNS": "200"}).invoke(group, list(args))


def write_roster(path: Path, people: list[tuple[str, str]], prefix: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "email", "role", "country", "organisation", "attended"])
        for i, (role, country) in enumerate(people):
            writer.writerow([f"{prefix} {i}", f"{prefix}{i}@example.org", role, country, "", "yes"])
    return path


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def build_seminar(root: Path, pm: PluginManager) -> Path:
    """The project: the Hague (roster + 20 responses), Rome (roster + 6 responses), Warsaw
    (roster, no responses yet), Vienna (planned: nothing yet). All through the command line."""
    project = root / "project"
    project.mkdir()
    (project / "feedback.toml").write_text(TOML, encoding="utf-8")

    def ok(*args: str) -> Result:
        result = invoke(pm, "--project", str(project), *args)
        assert result.exit_code == 0, result.output
        return result

    for event_id, title, date, city, country in EVENTS:
        ok(
            "event",
            "add",
            event_id,
            "--title",
            title,
            "--date",
            date,
            "--city",
            city,
            "--country",
            country,
            "--programme",
            "paht",
        )
    hague = [("mp", c) for c in HAGUE_MPS] + HAGUE_OTHERS
    assert len(hague) == 37
    rosters = {
        "hague-2011": hague,
        "rome-2012": [("mp", c) for c in ("IT", "IT", "GB", "ES", "FR", "DE")]
        + [("ngo", "IT")] * 6,
        "warsaw-2012": [("mp", "PL"), ("mp", "LT"), ("ngo", "PL")],
    }
    for event_id, people in rosters.items():
        csv_path = write_roster(root / f"{event_id}.csv", people, event_id)
        ok("roster", "import", str(csv_path), "--event", event_id)

    rng = random.Random(2011)
    rows = []
    for i, (role, country) in enumerate(HAGUE_RESPONDENTS):
        comment = {13: NGO_COMMENT, 0: HOSTILE_COMMENT, 5: "Excellent speakers."}.get(i)
        rows.append(response("hague-2011", answers_for(role, country, rng, comment), "2011-01-26"))
    rows[1]["answers"]["improvements"] = IMPROVEMENT
    for role, country in ROME_RESPONDENTS:
        rows.append(response("rome-2012", answers_for(role, country, rng, None), "2012-03-22"))
    ok("responses", "import", str(write_jsonl(root / "responses.jsonl", rows)))
    return project


@dataclass
class Built:
    """The seminar project and the reports the command line wrote for it, once per session."""

    project: Path
    files: dict[tuple[str, str], Path]
    outputs: dict[tuple[str, str], str]

    def text(self, scope: str, fmt: str) -> str:
        return self.files[(scope, fmt)].read_text(encoding="utf-8")


# -- reading reports back ----------------------------------------------------------------------


@dataclass
class Cell:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""


@dataclass
class Table:
    caption: str = ""
    rows: list[list[Cell]] = field(default_factory=list)

    def rows_for(self, header: str) -> list[list[Cell]]:
        """The rows whose first cell (the row header) reads ``header``."""
        return [row for row in self.rows if row and row[0].text == header]


class Page(HTMLParser):
    """Everything the tests look at in one pass over the HTML."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.tables: list[Table] = []
        self._heading: list[str] | None = None
        self._level = 0
        self._cell: Cell | None = None
        self._caption: list[str] | None = None
        self._svg_depth = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append((tag, values))
        if values.get("id"):
            self.ids.append(values["id"])
        if tag == "svg":
            self._svg_depth += 1
        if re.fullmatch(r"h[1-6]", tag) and not self._svg_depth:
            self._heading, self._level = [], int(tag[1])
        elif tag == "table":
            self.tables.append(Table())
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("th", "td") and self.tables:
            self._cell = Cell(tag, values)
            self.tables[-1].rows[-1].append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((self._level, " ".join("".join(self._heading).split())))
            self._heading = None
        elif tag == "caption" and self._caption is not None:
            self.tables[-1].caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("th", "td") and self._cell is not None:
            self._cell.text = " ".join(self._cell.text.split())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None:
            self._cell.text += data


def section(text: str, start: str, end: str | None) -> str:
    """The part of ``text`` from ``start`` up to ``end`` (or the end)."""
    begin = text.index(start)
    return text[begin : text.index(end, begin) if end else len(text)]


UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def md_tables(text: str) -> list[list[list[str]]]:
    """Each Markdown table as rows of cells (the delimiter row left out)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in UNESCAPED_PIPE.split(line)[1:-1]]
            if current is None:
                current = []
                tables.append(current)
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                current.append(cells)
        else:
            current = None
    return tables
