"""``feedback qr`` (the venue QR code of an event's open link), ``feedback serve --help`` and the
limits of the server it runs (their attacks, on the real server: tests/security/)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import run
from uvicorn.protocols.http.h11_impl import H11Protocol

from feedback_web.security import BodyLimit, CanonicalPath
from feedback_web.server import LimitedH11Protocol, ServerLimits, guard, protocol_for

PNG = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"
LINK = "https://feedback.example.org/e/hague-2011"


def made(project: Path) -> list[str]:
    """What a command left in the project besides the database."""
    return sorted(p.name for p in project.iterdir() if not p.name.startswith("feedback.db"))


def test_qr_writes_svg_and_png_and_prints_the_link(event_project: Path, monkeypatch) -> None:
    monkeypatch.setenv("FEEDBACK_BASE_URL", "https://feedback.example.org/")
    svg, png = event_project / "code.svg", event_project / "code.png"
    result = run(event_project, "qr", "--event", "hague-2011", "-o", str(svg), "-o", str(png))
    assert result.exit_code == 0, result.output
    assert LINK in result.stdout.splitlines()
    assert f"Wrote {svg}" in result.stderr and f"Wrote {png}" in result.stderr
    assert png.read_bytes().startswith(PNG)
    root = ET.parse(svg).getroot()
    assert root.tag == f"{SVG}svg"
    assert [e.text for e in root.iter(f"{SVG}title")] == [LINK]
    assert "▀" in result.stdout or "█" in result.stdout  # the code itself, on the terminal


def test_qr_scale_sets_the_size_of_the_png(event_project: Path, monkeypatch) -> None:
    monkeypatch.setenv("FEEDBACK_BASE_URL", "https://feedback.example.org")
    sizes = []
    for scale in ("2", "8"):
        out = event_project / f"code-{scale}.png"
        result = run(event_project, "qr", "--event", "hague-2011", "--scale", scale, "-o", str(out))
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        sizes.append(int.from_bytes(data[16:20], "big"))  # IHDR width
    assert sizes[1] == 4 * sizes[0]


@pytest.mark.parametrize(
    ("base_url", "args", "message"),
    [
        (
            "https://feedback.example.org",
            ["--event", "hague-2010"],
            "unknown event 'hague-2010'; did you mean 'hague-2011'?",
        ),
        (None, ["--event", "hague-2011"], "no base URL: set base_url in feedback.toml"),
        (
            "https://feedback.example.org",
            ["--event", "hague-2011", "-o", "code.svg", "-o", "code.jpg"],
            "code.jpg: expected a file name ending in .svg or .png, found '.jpg'",
        ),
        (
            "https://feedback.example.org",
            ["--event", "hague-2011", "-o", "code.svg", "-o", "missing/code.png"],
            "missing is not an existing folder",
        ),
        (
            "https://feedback.example.org",
            ["--event", "hague-2011", "-o", "code.svg", "-o", "x" * 300 + ".png"],
            "File name too long",
        ),
        (
            "https://feedback.example.org",
            ["--event", "hague-2011", "-o", "code.svg", "-o", "/proc/code.png"],
            "-o: cannot write /proc/code.png",
        ),
    ],
    ids=["unknown event", "no base URL", "jpg output", "missing folder", "long name", "proc"],
)
def test_qr_refuses_bad_input_with_exit_2_and_writes_nothing(
    event_project: Path, monkeypatch, base_url: str | None, args: list[str], message: str
) -> None:
    if base_url:
        monkeypatch.setenv("FEEDBACK_BASE_URL", base_url)
    monkeypatch.chdir(event_project)
    before = made(event_project)
    result = run(event_project, "qr", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert made(event_project) == before
    assert "█" not in result.stdout  # no code shown for a command that failed


def test_serve_help(event_project: Path) -> None:
    result = run(event_project, "serve", "--help")
    assert result.exit_code == 0, result.output
    assert "/s/<token>" in result.output and "/e/<event>" in result.output
    for option in (
        "--host",
        "--port",
        "--proxy-headers",
        "--db",
        "--header-timeout",
        "--body-timeout",
        "--keep-alive",
        "--max-connections",
    ):
        assert option in result.output


def test_serve_refuses_a_port_out_of_range(event_project: Path) -> None:
    result = run(event_project, "serve", "--port", "70000")
    assert result.exit_code == 2
    assert "70000" in result.output


@pytest.mark.parametrize(
    "option",
    ["--header-timeout", "--body-timeout", "--keep-alive", "--max-connections"],
)
def test_serve_refuses_a_limit_of_zero(event_project: Path, option: str) -> None:
    result = run(event_project, "serve", option, "0")
    assert result.exit_code == 2
    assert option in result.output and "0" in result.output


def test_serve_refuses_more_connections_than_the_process_may_open(event_project: Path) -> None:
    result = run(event_project, "serve", "--max-connections", "2000000000")
    assert result.exit_code == 2, result.output
    assert "web.max_connections: expected at most" in result.output
    assert "found 2000000000" in result.output


def test_server_limits_come_from_the_settings_then_the_options() -> None:
    web = SimpleNamespace(header_timeout=3.0, max_connections=40, open_links=True)
    limits = ServerLimits.from_settings(web, keep_alive=9, max_connections=None)
    assert limits == ServerLimits(header_timeout=3.0, max_connections=40, keep_alive=9)
    assert limits.max_body == 1_000_000 and limits.body_timeout == 30.0  # not in the settings
    with pytest.raises(ValueError, match=r"web.max_body: expected more than 0, found -1"):
        ServerLimits.from_settings(web, max_body=-1)


def test_the_protocol_is_uvicorns_h11_with_the_limits_of_its_server() -> None:
    tight, loose = ServerLimits(header_timeout=1.0), ServerLimits(header_timeout=20.0)
    made = protocol_for(tight)
    assert issubclass(made, LimitedH11Protocol) and issubclass(made, H11Protocol)
    assert made.limits is tight and protocol_for(loose).limits is loose
    assert LimitedH11Protocol.limits == ServerLimits()  # the class itself keeps the defaults


def test_guard_adds_the_body_limit_and_path_check_unless_the_app_has_them() -> None:
    from starlette.applications import Starlette

    limits = ServerLimits(max_body=123)
    bare = Starlette()
    outer = guard(bare, limits)
    assert isinstance(outer, CanonicalPath) and isinstance(outer.app, BodyLimit)
    assert outer.app.max_body == 123 and outer.app.app is bare
    protected = Starlette()
    protected.add_middleware(BodyLimit, max_body=123)
    protected.add_middleware(CanonicalPath)
    assert guard(protected, limits) is protected
