"""``feedback attendance sheet``: the sign-in sheet of an event's roster as PDF (read back with
pypdf) and HTML (escaped, a print stylesheet, axe-core in Chromium), and its refusals; on real
SQLite files through the command line."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from helpers import AXE, WCAG_21_AA, chromium_browser, run
from pypdf import PdfReader

HEADER = "name,email,role,country,organisation,attended\n"
ROSTER = (
    HEADER
    + "Anna de Vries,anna@example.org,mp,NL,Tweede Kamer,yes\n"
    + "Bob Smith,bob@example.org,ngo,GB,La Strada,no\n"
    + "Carla Rossi,carla@example.org,national_rapporteur,IT,,yes\n"
    + "Émile Zola,emile@example.org,ngo,FR,Ligue <d> & co,no\n"
)
#: In the sheet's order: by family name (Rossi, Smith, Vries, Zola).
ORDER = ["Carla Rossi", "Bob Smith", "Anna de Vries", "Émile Zola"]


def _import(project: Path, text: str, event: str = "hague-2011") -> None:
    file = project / f"roster-{event}.csv"
    file.write_text(text, encoding="utf-8")
    result = run(project, "roster", "import", str(file), "--event", event)
    assert result.exit_code == 0, result.output


@pytest.fixture
def project(event_project: Path) -> Path:
    """The events ``hague-2011`` (Hague, 26 January 2011) with a roster of four and ``rome-2012``
    (Rome, 1 March 2012, Roma, Italy) with nobody on its roster."""
    result = run(
        event_project,
        "event",
        "add",
        "rome-2012",
        "--title",
        "Rome",
        "--date",
        "2012-03-01",
        "--city",
        "Roma",
        "--country",
        "IT",
    )
    assert result.exit_code == 0, result.output
    _import(event_project, ROSTER)
    return event_project


def sheet(project: Path, out: Path, *args: str, event: str = "hague-2011") -> Path:
    result = run(project, "attendance", "sheet", "--event", event, "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return out


def pages(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


# -- PDF ---------------------------------------------------------------------------------------


def test_pdf_lists_the_roster_by_family_name_with_blank_rows(project: Path) -> None:
    out = sheet(project, project / "sheet.pdf")
    (text,) = pages(out)
    found = lines(text)
    assert [n for n in found if n in ORDER] == ORDER
    # each person's organisation, role and country on their row, after their name
    at = found.index("Émile Zola")
    assert found[at + 1 : at + 4] == ["Ligue <d> & co", "ngo", "FR"]
    at = found.index("Anna de Vries")
    assert found[at + 1 : at + 4] == ["Tweede Kamer", "mp", "NL"]
    # 4 people then 10 numbered empty rows
    numbers = [int(n) for n in found if re.fullmatch(r"\d{1,3}", n)]
    assert numbers == list(range(1, 15))
    assert found[found.index("14") - 1] == "13"
    for words in ("Attendance sheet: Hague", "26 January 2011", "Page 1 of 1", "Signature"):
        assert words in text
    assert "Signature of the organiser" in text and "Date" in found
    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait


def test_pdf_blank_rows_and_dutch(project: Path) -> None:
    out = sheet(project, project / "sheet.pdf", "--blank", "3", "--lang", "nl")
    (text,) = pages(out)
    numbers = [int(n) for n in lines(text) if re.fullmatch(r"\d{1,3}", n)]
    assert numbers == list(range(1, 8))  # 4 people, 3 empty rows
    for words in ("Presentielijst: Hague", "26 januari 2011", "Pagina 1 van 1", "Handtekening"):
        assert words in text


def test_event_with_nobody_on_the_roster_gives_blank_rows(project: Path) -> None:
    out = sheet(project, project / "rome.pdf", "--blank", "25", event="rome-2012")
    texts = pages(out)
    numbers = [int(n) for t in texts for n in lines(t) if re.fullmatch(r"\d{1,3}", n)]
    assert numbers == list(range(1, 26))
    assert not any(name in t for t in texts for name in ORDER)
    assert all("Attendance sheet: Rome" in t for t in texts)
    assert all("1 March 2012 · Roma, Italy" in t for t in texts)


def long_roster(project: Path) -> list[str]:
    """80 people on the roster of ``rome-2012``; their names, in the order of the roster."""
    rows = [HEADER]
    names = []
    for i in range(80):
        # every fifth person has an organisation long enough to wrap onto several lines
        organisation = (
            f"Nationaal Rapporteur Mensenhandel en Seksueel Geweld tegen Kinderen afdeling {i}"
            if i % 5 == 0
            else f"Org {i}"
        )
        name = f"Person{i:02d} Family{79 - i:02d}"
        names.append(name)
        rows.append(f"{name},p{i}@example.org,ngo,NL,{organisation},no\n")
    _import(project, "".join(rows), event="rome-2012")
    return names


def test_long_roster_over_several_pages_never_splits_a_row(project: Path) -> None:
    names = long_roster(project)
    out = sheet(project, project / "long.pdf", event="rome-2012")
    texts = pages(out)
    total = len(texts)
    assert total >= 3
    for n, text in enumerate(texts, 1):
        assert "Attendance sheet: Rome" in text  # the header on every page
        assert "1 March 2012 · Roma, Italy" in text
        assert f"Page {n} of {total}" in text
        heads = lines(text)
        assert {"No.", "Name", "Organisation", "Role", "Country", "Signature"} <= set(heads)
    # sorted by family name: Family00 (Person79) first
    found = [line for t in texts for line in lines(t) if line.startswith("Person")]
    assert found == sorted(names, key=lambda n: n.split()[-1])
    # no row split: each row's number, name and the whole organisation on the same page
    for i in range(0, 80, 5):
        name = f"Person{i:02d} Family{79 - i:02d}"
        (page,) = [t for t in texts if name in t]
        joined = " ".join(lines(page))
        assert f"Seksueel Geweld tegen Kinderen afdeling {i}" in re.sub(r"\s+", " ", joined)
    numbers = [int(x) for t in texts for x in lines(t) if re.fullmatch(r"\d{1,3}", x)]
    assert numbers == list(range(1, 91))  # 80 people, 10 empty rows, each number once
    assert "Signature of the organiser" in texts[-1]


# -- HTML --------------------------------------------------------------------------------------

HOSTILE = (
    HEADER
    + '"<script>alert(1)</script> Evil",evil@example.org,ngo,GB,A & B <i>Ltd</i>,no\n'
    + "מרים כהן,miriam@example.org,mp,IL,,no\n"
    + "Maria Aparecida dos Santos Oliveira de Albuquerque Cavalcanti Wolfeschlegelsteinhausen"
    + "bergerdorff,maria@example.org,ngo,BR,,no\n"
)


def test_html_escapes_names_and_has_a_print_stylesheet(project: Path) -> None:
    _import(project, HOSTILE, event="rome-2012")
    out = sheet(project, project / "sheet.html", "--blank", "2", event="rome-2012")
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "<i>Ltd" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Evil" in html
    assert "A &amp; B &lt;i&gt;Ltd&lt;/i&gt;" in html
    assert '<td class="name" dir="auto">מרים כהן</td>' in html
    assert "Wolfeschlegelsteinhausenbergerdorff" in html
    names = re.findall(r'<td class="name" dir="auto">([^<]*)</td>', html)
    assert names == [  # by family name: Evil, Wolfe..., then the Hebrew letters
        "&lt;script&gt;alert(1)&lt;/script&gt; Evil",
        "Maria Aparecida dos Santos Oliveira de Albuquerque Cavalcanti "
        "Wolfeschlegelsteinhausenbergerdorff",
        "מרים כהן",
    ]
    assert html.count('<tr class="blank">') == 2
    assert "@media print" in html and "size: A4 portrait" in html
    assert "break-inside: avoid" in html and "counter(pages)" in html
    assert '<th scope="col">Signature</th>' in html


def test_html_event_title_cannot_break_out_of_the_style(event_project: Path) -> None:
    title = 'Evil</style><script>x()</script>"; }'
    result = run(event_project, "event", "add", "evil", "--title", title, "--date", "2011-02-01")
    assert result.exit_code == 0, result.output
    html = sheet(event_project, event_project / "e.html", event="evil").read_text()
    style = html[html.index("<style>") : html.index("</style>")]
    assert "<script>" not in html and "x()" not in style
    assert "Evil&lt;/style&gt;&lt;script&gt;x()" in html


def test_html_in_chromium_passes_axe_and_prints_a4(project: Path) -> None:
    _import(project, HOSTILE, event="rome-2012")
    out = sheet(project, project / "sheet.html", event="rome-2012")
    with chromium_browser() as browser:
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
        assert page.evaluate("!!document.querySelector('script')") is False
        page.evaluate(AXE.read_text(encoding="utf-8"))
        run_axe = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        found = {}
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            for media in ("screen", "print"):
                page.emulate_media(media=media)
                result = page.evaluate(run_axe, WCAG_21_AA)
                found[(width, media)] = [(v["id"], len(v["nodes"])) for v in result["violations"]]
        assert all(v == [] for v in found.values()), found
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 360, "height": 800})
        # the page itself does not scroll sideways at 360 px: only the table's region does
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        pdf = project / "printed.pdf"
        page.emulate_media(media="print")
        page.pdf(path=str(pdf), prefer_css_page_size=True)
    texts = pages(pdf)
    box = PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    everything = " ".join(texts)
    assert "Evil" in everything and ("מרים" in everything or "םירמ" in everything)
    assert f"Page 1 of {len(texts)}" in texts[0]
    assert "Attendance sheet: Rome" in texts[-1] and "Roma, Italy" in texts[-1]


def test_long_html_printed_by_chromium_repeats_heads_and_keeps_rows_whole(project: Path) -> None:
    names = long_roster(project)
    out = sheet(project, project / "long.html", event="rome-2012")
    with chromium_browser() as browser:
        page = browser.new_page()
        page.goto(out.as_uri())
        page.emulate_media(media="print")
        pdf = project / "printed.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True)
    texts = pages(pdf)
    total = len(texts)
    assert total >= 3
    for n, text in enumerate(texts, 1):
        assert f"Page {n} of {total}" in text
        # the page's top margin box (its text comes back without spaces)
        assert "Attendancesheet:Rome·1March2012·Roma,Italy" in re.sub(r"\s", "", text)
        assert "Signature" in text and "Organisation" in text and "Country" in text  # the head
    flat = [re.sub(r"\s+", " ", t) for t in texts]
    for i in range(0, 80, 5):  # the tall rows: name and whole organisation on one page
        (page_text,) = [t for t in flat if f"Person{i:02d} Family{79 - i:02d}" in t]
        assert f"Seksueel Geweld tegen Kinderen afdeling {i}" in page_text
    assert sum(t.count("Person") for t in flat) == len(names)


# -- refusals ----------------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--event", "hague-2012", "-o", "{p}/s.pdf"),
            "unknown event 'hague-2012'; did you mean 'hague-2011'?",
        ),
        (
            ("--event", "hague-2011", "-o", "{p}/s.txt"),
            "expected a file name ending in .pdf or .html, found '.txt'",
        ),
        (("--event", "hague-2011", "-o", "{p}/s"), "found '(no suffix)'"),
        (("--event", "hague-2011", "-o", "{p}/missing/s.pdf"), "is not an existing folder"),
        (("--event", "hague-2011", "-o", "{p}/s.pdf", "--lang", "fr"), "unknown language 'fr'"),
        (("--event", "hague-2011", "-o", "{p}/s.pdf", "--blank", "-1"), "--blank"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    project: Path, args: tuple[str, ...], message: str
) -> None:
    db = project / "feedback.db"
    before = _digest(db)
    result = run(project, "attendance", "sheet", *(a.format(p=project) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not list(project.glob("s*")) and not (project / "missing").exists()
    assert _digest(db) == before


@pytest.mark.parametrize("where", ["/proc/sheet.pdf", "{p}/folder.pdf"])
def test_unwritable_output_exits_2_and_writes_nothing(project: Path, where: str) -> None:
    (project / "folder.pdf").mkdir()
    out = where.format(p=project)
    before = _digest(project / "feedback.db")
    result = run(project, "attendance", "sheet", "--event", "hague-2011", "-o", out)
    assert result.exit_code == 2, result.output
    assert out in result.output and "-o" in result.output
    assert not Path("/proc/sheet.pdf").exists()
    assert list((project / "folder.pdf").iterdir()) == []
    assert _digest(project / "feedback.db") == before


def test_help_and_default_language_from_the_survey(project: Path) -> None:
    result = run(project, "--help")
    assert "Sign-in sheets and badges that prove attendance." in result.output
    result = run(project, "attendance", "sheet", "--help")
    assert result.exit_code == 0 and "--blank" in result.output
    out = sheet(project, project / "s.html")
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html  # the default survey's first language


def test_default_language_is_the_default_surveys_first(project: Path) -> None:
    shipped = Path(__file__).parents[3] / "surveys" / "post-seminar.yaml"
    text = shipped.read_text(encoding="utf-8")
    text = text.replace("id: post-seminar", "id: dutch").replace(
        "languages: [en, nl]", "languages: [nl, en]"
    )
    (project / "surveys").mkdir(exist_ok=True)
    (project / "surveys" / "dutch.yaml").write_text(text, encoding="utf-8")
    (project / "feedback.toml").write_text('default_survey = "dutch"\n', encoding="utf-8")
    (text,) = pages(sheet(project, project / "s.pdf"))
    assert "Presentielijst: Hague" in text and "Pagina 1 van 1" in text
    (text,) = pages(sheet(project, project / "s.pdf", "--lang", "EN"))
    assert "Attendance sheet: Hague" in text


def test_a_right_to_left_name_is_drawn_in_reading_order(project: Path) -> None:
    """reportlab draws every string left to right: a Hebrew name must be given to it reversed,
    or it is printed backwards. pypdf reads a run of Hebrew drawn left to right back in reverse,
    so the text it extracts is in reading order exactly when the name was drawn right: with the
    name given as stored, it extracted "ןהכ דוד" and " ןוגרא12"."""
    _import(
        project,
        "name,email,role,country,organisation,attended\n"
        "דוד כהן,david@example.org,mp,IL,ארגון 12,yes\n",
        event="rome-2012",
    )
    text = pages(sheet(project, project / "rtl.pdf", event="rome-2012"))[0]
    assert "דוד כהן" in text and "ןהכ דוד" not in text
    assert "12 ארגון" in text  # the number keeps its own order


@pytest.mark.parametrize(
    ("logical", "drawn"),
    [
        ("דוד כהן", "ןהכ דוד"),
        ("(מרכז) 2024", "2024 (זכרמ)"),  # numbers keep their order, brackets mirror
        ("Anna de Vries", "Anna de Vries"),  # left to right: as it is
        ("Mixed דוד", "Mixed דוד"),  # mixed scripts: kept as stored
        ("", ""),
    ],
)
def test_visual_order_for_a_left_to_right_canvas(logical: str, drawn: str) -> None:
    from feedback_offline.bidi import visual

    assert visual(logical) == drawn
