"""``feedback attendance badges``: name badges with a personal check-in QR code, as PDF (read back
with pypdf) and HTML (escaped, its QR codes decoded back to links that `find_pass` resolves, a
print stylesheet checked in Chromium), and its refusals, which issue nothing; on real SQLite files
through the command line."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import segno
from helpers import AXE, WCAG_21_AA, chromium_browser, dump, query, run
from pypdf import PdfReader
from segno import consts

from feedback.checkin import find_pass, token_from_scan
from feedback.cli import lazy_command_problems
from feedback.config import load_settings
from feedback.engine import Engine

BASE = "https://feedback.example.org"
HEADER = "name,email,role,country,organisation,attended\n"
ROSTER = HEADER + "".join(
    f"{name},{email},ngo,NL,{organisation},no\n"
    for name, email, organisation in [
        ("Anna de Vries", "anna@example.org", "Tweede Kamer"),
        ("Bob Smith", "bob@example.org", "La Strada"),
        ("Ελένη Παπαδοπούλου", "eleni@example.org", "Βουλή των Ελλήνων"),
        ("Иван Петров", "ivan@example.org", "Народно събрание"),
        ("فاطمة الزهراء", "fatima@example.org", "جمعية"),
        ('"<b>Eve</b> & ""Co"""', "eve@example.org", "<script>alert(1)</script>"),
        ("Zoë Zeta", "zoe@example.org", ""),
        ("דוד כהן", "david@example.org", "ארגון"),
        ("Maximiliana Konstantinopoulou-Vanderbilt", "max@example.org", "Bundesministerium"),
    ]
)
EVE = '<b>Eve</b> & "Co"'
#: The badges' order, worked out by hand: by the folded last word of the name ('"co"' sorts
#: before letters), Latin, then Greek, Cyrillic, Hebrew and Arabic letters by code point.
ORDER = [
    EVE,
    "Maximiliana Konstantinopoulou-Vanderbilt",
    "Bob Smith",
    "Anna de Vries",
    "Zoë Zeta",
    "Ελένη Παπαδοπούλου",
    "Иван Петров",
    "דוד כהן",
    "فاطمة الزهراء",
]


def _import(project: Path, text: str, event: str) -> None:
    file = project / f"roster-{event}.csv"
    file.write_text(text, encoding="utf-8")
    result = run(project, "roster", "import", str(file), "--event", event)
    assert result.exit_code == 0, result.output


@pytest.fixture
def project(event_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``hague-2011`` (26 January 2011) with the nine people of `ROSTER`, and ``rome-2012`` with
    one other person; ``base_url`` set in feedback.toml."""
    monkeypatch.delenv("FEEDBACK_BASE_URL", raising=False)
    config = event_project / "feedback.toml"
    before = config.read_text(encoding="utf-8") if config.exists() else ""
    config.write_text(f'base_url = "{BASE}"\n' + before, encoding="utf-8")
    result = run(
        event_project, "event", "add", "rome-2012", "--title", "Rome", "--date", "2012-03-01"
    )
    assert result.exit_code == 0, result.output
    _import(event_project, ROSTER, "hague-2011")
    _import(event_project, HEADER + "Otto Other,otto@example.org,mp,IT,,no\n", "rome-2012")
    return event_project


def badges(project: Path, out: Path, *args: str, event: str = "hague-2011") -> Path:
    result = run(project, "attendance", "badges", "--event", event, "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return out


def resolve(project: Path, link: str) -> tuple[str, str] | None:
    """The (event, name on the roster) of the pass in ``link``, looked up in the database."""
    token = token_from_scan(link)
    assert token is not None, link
    engine = Engine(settings=load_settings(project))
    try:
        found = find_pass(engine.store, token)
        if found is None:
            return None
        event, person = found
        (name,) = engine.store.conn.execute(
            "SELECT name FROM people WHERE id = ?", [person]
        ).fetchone()
        return event, str(name)
    finally:
        engine.close()


# -- reading a QR code back ------------------------------------------------------------------------


def svg_modules(svg: str) -> list[list[bool]]:
    """The modules of segno's inline SVG (one path of horizontal runs: ``M x y``, ``m dx dy``,
    ``h n``, each run on the row at y - 0.5), quiet zone removed."""
    (d,) = re.findall(r'<path[^>]* d="([^"]+)"', svg)
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", d):
        numbers = [float(n) for n in args.replace(",", " ").split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command in "hH":
            end = x + numbers[0] if command == "h" else numbers[0]
            for column in range(int(x), int(end)):
                grid[int(y)][column] = True
            x = end
    rows = [r for r, row in enumerate(grid) if any(row)]
    columns = [c for c in range(size) if any(row[c] for row in grid)]
    return [row[columns[0] : columns[-1] + 1] for row in grid[rows[0] : rows[-1] + 1]]


MASKS = [
    lambda x, y: (x + y) % 2 == 0,
    lambda x, y: y % 2 == 0,
    lambda x, y: x % 3 == 0,
    lambda x, y: (x + y) % 3 == 0,
    lambda x, y: (x // 3 + y // 2) % 2 == 0,
    lambda x, y: x * y % 2 + x * y % 3 == 0,
    lambda x, y: (x * y % 2 + x * y % 3) % 2 == 0,
    lambda x, y: ((x + y) % 2 + x * y % 3) % 2 == 0,
]


def decode(m: list[list[bool]]) -> str:
    """The text of a QR code in byte mode, read from its modules (``m[row][column]``, no quiet
    zone) as a scanner does: format bits, unmasking, the zigzag, the blocks de-interleaved. The
    error correction codewords are not checked: a misread fails the lookups that follow."""
    size = len(m)
    version = (size - 17) // 4
    # format information: bits 0-5 down column 8, then (7, 8), (8, 8), (8, 7), bits 9-14 along
    # row 8 leftwards; the five data bits come masked with 10101
    cells = (
        [(r, 8) for r in range(6)] + [(7, 8), (8, 8), (8, 7)] + [(8, 14 - i) for i in range(9, 15)]
    )
    bits = sum(int(m[r][c]) << i for i, (r, c) in enumerate(cells))
    data5 = (bits >> 10) ^ 0b10101
    level = {1: "L", 0: "M", 3: "Q", 2: "H"}[data5 >> 3]
    mask = MASKS[data5 & 7]
    # modules that are not data: finders with separators and format, timing, alignment, version
    function = [[False] * size for _ in range(size)]

    def reserve(top: int, left: int, height: int, width: int) -> None:
        for r in range(max(top, 0), min(top + height, size)):
            for c in range(max(left, 0), min(left + width, size)):
                function[r][c] = True

    reserve(0, 0, 9, 9)
    reserve(0, size - 8, 9, 8)
    reserve(size - 8, 0, 8, 9)
    reserve(6, 0, 1, size)
    reserve(0, 6, size, 1)
    centres = consts.ALIGNMENT_POS[version - 2] if version > 1 else ()
    for r in centres:
        for c in centres:
            if not function[r][c]:
                reserve(r - 2, c - 2, 5, 5)
    if version >= 7:
        reserve(0, size - 11, 6, 3)
        reserve(size - 11, 0, 3, 6)
    stream: list[int] = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5
        upward = (right + 1) & 2 == 0
        for step in range(size):
            r = size - 1 - step if upward else step
            for c in (right, right - 1):
                if not function[r][c]:
                    stream.append(int(m[r][c] != mask(c, r)))
        right -= 2
    codewords = [int("".join(map(str, stream[i : i + 8])), 2) for i in range(0, len(stream) - 7, 8)]
    blocks = [
        group.num_data
        for group in consts.ECC[version][consts.ERROR_MAPPING[level]]
        for _ in range(group.num_blocks)
    ]
    data: list[list[int]] = [[] for _ in blocks]
    at = 0
    for i in range(max(blocks)):
        for b, length in enumerate(blocks):
            if i < length:
                data[b].append(codewords[at])
                at += 1
    bitstring = "".join(f"{byte:08b}" for block in data for byte in block)
    assert bitstring[:4] == "0100", "byte mode expected"
    width = 8 if version < 10 else 16
    count = int(bitstring[4 : 4 + width], 2)
    start = 4 + width
    return bytes(
        int(bitstring[start + 8 * i : start + 8 * i + 8], 2) for i in range(count)
    ).decode()


def check_the_decoder() -> None:
    """The decoder reads what segno writes, at every mask, in one block or several of two
    sizes, with an 8-bit and a 16-bit length: the tests of the badges' codes rely on it."""
    for text, error, version in [
        (f"{BASE}/c/" + "x" * 43, "m", 5),
        ("https://example.org/e/hague", "l", 2),
        (f"{BASE}/c/" + "y" * 180, "q", 13),
    ]:
        for mask in range(8):
            code = segno.make(text, error=error, mask=mask, boost_error=False, mode="byte")
            assert code.version == version
            assert decode(svg_modules(code.svg_inline(border=2, omitsize=True))) == text


# -- PDF ---------------------------------------------------------------------------------------


def test_pdf_has_a_badge_for_everyone_eight_to_a_sheet(project: Path) -> None:
    out = badges(project, project / "badges.pdf")
    reader = PdfReader(out)
    assert len(reader.pages) == 2  # nine badges: eight on the first sheet, one on the second
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    first, second = (page.extract_text() for page in reader.pages)
    # by family name; the names in Greek and Cyrillic as text in DejaVu Sans, not boxes
    assert [n for n in ("Bob Smith", "Anna de Vries", "Zoë Zeta") if n in first] == [
        "Bob Smith",
        "Anna de Vries",
        "Zoë Zeta",
    ]
    assert first.index("Zoë Zeta") < first.index("Παπαδοπούλου") < first.index("Иван Петров")
    assert "Βουλή των Ελλήνων" in first and "Народно събрание" in first
    assert "Bundesministerium" in first and "Konstantinopoulou-" in first
    assert first.count("Scan at the entrance to") == 8 and second.count("Scan at the") == 1
    assert first.count("26 January 2011") == 8 and "Hague" in second
    assert "Smith" not in second and "Zeta" not in second
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(f.endswith("DejaVuSans-Bold") for f in fonts), fonts
    # each QR code is a link area too: nine new passes, one for each person, all stored
    links = [
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots", [])
    ]
    assert len(links) == 9 and all(link.startswith(f"{BASE}/c/") for link in links)
    assert sorted(resolve(project, link) for link in links) == sorted(  # type: ignore[type-var]
        ("hague-2011", name) for name in ORDER
    )
    db = project / "feedback.db"
    assert query(db, "SELECT count(*), count(DISTINCT person) FROM checkin_passes") == [(9, 9)]


def test_named_people_only_and_printing_again_keeps_old_codes_good(project: Path) -> None:
    first = badges(project, project / "one.pdf", "--person", "bob@example.org")
    (old,) = [a.get_object()["/A"]["/URI"] for a in PdfReader(first).pages[0]["/Annots"]]
    (anna,) = query(
        project / "feedback.db", "SELECT id FROM people WHERE email = 'anna@example.org'"
    )
    again = badges(
        project, project / "two.pdf", "--person", "BOB@example.org", "--person", str(anna[0])
    )
    reader = PdfReader(again)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert text.index("Bob Smith") < text.index("Anna de Vries")
    assert "Zeta" not in text and text.count("Scan at the entrance") == 2
    new = [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]]
    assert old not in new
    assert resolve(project, old) == ("hague-2011", "Bob Smith")  # the first badge still works
    assert sorted(resolve(project, link) for link in new) == [  # type: ignore[type-var]
        ("hague-2011", "Anna de Vries"),
        ("hague-2011", "Bob Smith"),
    ]


# -- HTML --------------------------------------------------------------------------------------


def html_badges(page: str) -> list[tuple[str, str, str]]:
    """(name, organisation, SVG) of each badge of the HTML, in order, as written (escaped)."""
    found = []
    for article in re.findall(r'<article class="badge"[^>]*>(.*?)</article>', page, re.S):
        name = re.search(r'<h2 class="name[^"]*"[^>]*>(.*?)</h2>', article, re.S).group(1)  # type: ignore[union-attr]
        org = re.search(r'<p class="organisation"[^>]*>(.*?)</p>', article, re.S)
        svg = re.search(r"<svg.*?</svg>", article, re.S).group(0)  # type: ignore[union-attr]
        found.append((name, org.group(1) if org else "", svg))
    return found


def test_html_qr_codes_decode_to_each_holders_check_in_link(project: Path) -> None:
    out = badges(project, project / "badges.html", "--language", "nl")
    page = out.read_text(encoding="utf-8")
    found = html_badges(page)
    assert [html.unescape(name) for name, _, _ in found] == ORDER
    check_the_decoder()
    assert page.count('class="sheet"') == 2
    assert page.count("Scan bij de ingang om in te checken") == 9 and "26 januari 2011" in page
    links = []
    for name, _, svg in found:
        link = decode(svg_modules(svg))
        assert link.startswith(f"{BASE}/c/")
        # the code on each badge is the pass of the person named on it
        assert resolve(project, link) == ("hague-2011", html.unescape(name))
        links.append(link)
    assert len(set(links)) == 9


def test_html_escapes_names_and_organisations(project: Path) -> None:
    page = badges(project, project / "badges.html").read_text(encoding="utf-8")
    name, organisation, _ = html_badges(page)[0]
    assert name == "&lt;b&gt;Eve&lt;/b&gt; &amp; &#34;Co&#34;"
    assert organisation == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<b>Eve" not in page and "<script" not in page
    assert 'aria-label="Check-in QR code of &lt;b&gt;Eve&lt;/b&gt; &amp; &#34;Co&#34;"' in page


def test_html_in_chromium_passes_axe_and_prints_badges_of_90_by_55_mm(project: Path) -> None:
    out = badges(project, project / "badges.html")
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
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.emulate_media(media="print")
        sizes = page.evaluate(
            "[...document.querySelectorAll('.badge')].map(b => {"
            " const r = b.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        mm = 96 / 25.4  # CSS pixels in a millimetre
        assert len(sizes) == 9
        assert all(abs(w - 90 * mm) < 1 and abs(h - 55 * mm) < 1 for w, h in sizes), sizes
        pdf = project / "printed.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    first, second = (p.extract_text() for p in reader.pages)
    assert "Bob Smith" in first and "Иван Петров" in first and "Ελένη" in first
    assert first.count("Scan at the entrance") == 8 and second.count("Scan at the entrance") == 1


# -- the command -------------------------------------------------------------------------------


def test_attendance_lists_badges_without_loading_it(project: Path) -> None:
    from feedback_offline.attendance import attendance

    result = run(project, "attendance", "--help")
    assert result.exit_code == 0
    assert "badges" in result.output and "check-in QR code" in result.output
    assert lazy_command_problems(attendance) == []  # type: ignore[arg-type]
    help_text = " ".join(run(project, "attendance", "badges", "--help").output.split())
    assert "Codes printed before stay good" in help_text and "base_url" in help_text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--event", "nowhere"], "--event: unknown event 'nowhere'"),
        (["--event", "hague-2011", "--person", "nobody@example.org"], "nobody@example.org"),
        (["--event", "hague-2011", "--person", "999"], "'999'"),
        (
            [
                "--event",
                "hague-2011",
                "--person",
                "bob@example.org",
                "--person",
                "otto@example.org",
            ],
            "'otto@example.org' is not on the roster of 'hague-2011'",
        ),
        (["--event", "hague-2011", "--language", "fr"], "--language: unknown language 'fr'"),
    ],
)
def test_refusals_issue_nothing(project: Path, args: list[str], expected: str) -> None:
    db = project / "feedback.db"
    before = dump(db)
    out = project / "badges.pdf"
    result = run(project, "attendance", "badges", "-o", str(out), *args)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert dump(db) == before and not out.exists()


def test_a_wrong_suffix_is_refused(project: Path) -> None:
    before = dump(project / "feedback.db")
    result = run(project, "attendance", "badges", "--event", "hague-2011", "-o", "badges.png")
    assert result.exit_code == 2
    assert "expected a file name ending in .pdf or .html, found '.png'" in result.output
    assert dump(project / "feedback.db") == before


def test_without_base_url_nothing_is_issued(project: Path) -> None:
    config = project / "feedback.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(f'base_url = "{BASE}"\n', ""), encoding="utf-8"
    )
    before = dump(project / "feedback.db")
    out = project / "badges.html"
    result = run(project, "attendance", "badges", "--event", "hague-2011", "-o", str(out))
    assert result.exit_code == 2
    assert "base_url" in result.output and "FEEDBACK_BASE_URL" in result.output
    assert dump(project / "feedback.db") == before and not out.exists()
