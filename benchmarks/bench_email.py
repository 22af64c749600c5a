"""Benchmark: `feedback invite` sending 1,000 invitations, against a bare smtplib loop.

Run from the project root (never from pytest; it asserts nothing, it prints figures):

    python benchmarks/bench_email.py                 # 1,000 invitations, median of 3 runs
    python benchmarks/bench_email.py --n 5000        # another size
    python benchmarks/bench_email.py --repeat 5      # more runs (the median is reported)
    python benchmarks/bench_email.py --breakdown     # also: where the invite's time goes (one run)

Goal (from the issue): our throughput at least **0.7x** the bare loop's, i.e.
ratio = bare time / invite time >= 0.7.

Both send to the same local SMTP server: aiosmtpd's `Controller` on 127.0.0.1, in a child process
of its own (so that the server does not compete with the sender for this process's GIL), whose
handler counts what it accepts and keeps nothing.

* invite: a fresh project per run (feedback.toml pointing at the server, no TLS, no back-off), the
  event added and a roster of N attendees imported first with the core's roster code, the engine
  opened and the survey loaded (all untimed). Then `feedback_email.send_invitations`, the function
  behind `feedback invite`, is timed: its checks, preparing N invitations and their tokens (one
  transaction), connecting, and for each message rendering the three templates, building the
  `EmailMessage`, sending it and recording it sent (one transaction each, as the command does).
* bare loop: one `smtplib.SMTP` connection, then for each of N messages an `EmailMessage` with the
  same headers, built from the same text and HTML bodies (rendered once, untimed, with a fresh
  token put into the link each time), sent with `send_message`; then QUIT. Connecting and building
  are timed, as in the invite.

The two alternate within each run (invite first in odd runs, bare first in even ones). The
server's count is checked after each: both must have delivered exactly N messages.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import email.utils
import pstats
import secrets
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVENT_ID = "bench-2024"
GOAL_RATIO = 0.7
FIRST = ("Anna", "Brian", "Chloé", "Dirk", "Eva", "Fatma", "Gábor", "Hanna", "Ivo", "Jana")
LAST = ("de Vries", "O'Neill", "Dupont", "Janssens", "Kowalska", "Müller", "Novák", "Rossi")

#: The SMTP server, in a child process: prints its port, then answers "count" with the number of
#: messages accepted so far; stops at the end of its input.
SERVER = r"""
import socket, sys
from aiosmtpd.controller import Controller

class Counter:
    accepted = 0
    async def handle_DATA(self, server, session, envelope):
        Counter.accepted += 1
        return "250 OK"

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
controller = Controller(Counter(), hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)
for line in sys.stdin:
    print(Counter.accepted, flush=True)
controller.stop()
"""


class Server:
    """The child-process SMTP server."""

    def __init__(self) -> None:
        self.child = subprocess.Popen(
            [sys.executable, "-c", SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.child.stdout is not None
        self.port = int(self.child.stdout.readline())

    def accepted(self) -> int:
        assert self.child.stdin is not None and self.child.stdout is not None
        self.child.stdin.write("count\n")
        self.child.stdin.flush()
        return int(self.child.stdout.readline())

    def close(self) -> None:
        assert self.child.stdin is not None
        self.child.stdin.close()
        self.child.wait(timeout=10)


# -- the invite -------------------------------------------------------------------------------


def roster_csv(path: Path, n: int) -> None:
    lines = ["name,email,role,country,organisation,attended,language"]
    for i in range(n):
        name = f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]} {i}"
        language = "nl" if i % 3 == 0 else "en"
        lines.append(f"{name},person{i}@example.org,ngo,NL,Org {i % 17},yes,{language}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def new_project(base: Path, name: str, port: int, n: int) -> Any:
    """A project with the event and a roster of ``n`` attendees, and its engine (survey loaded)."""
    from feedback import roster
    from feedback.config import load_settings
    from feedback.engine import Engine

    project = base / name
    (project / "surveys").mkdir(parents=True)
    (project / "feedback.toml").write_text(
        'base_url = "https://feedback.example.org"\n\n[email]\n'
        'mail_from = "Seminar team <team@example.org>"\n'
        f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\n'
        "smtp_backoff = 0\n",
        encoding="utf-8",
    )
    engine = Engine(settings=load_settings(project))
    engine.store.upsert_event(
        {"id": EVENT_ID, "title": "Benchmark seminar", "date": "2024-03-14", "city": "The Hague"}
    )
    csv_path = project / "roster.csv"
    roster_csv(csv_path, n)
    roster.import_roster(engine.store, EVENT_ID, roster.read_roster(csv_path))
    engine.survey(None)
    return engine


def time_invite(base: Path, name: str, server: Server, n: int, profile: bool = False) -> float:
    from feedback_email import send_invitations

    engine = new_project(base, name, server.port, n)
    before = server.accepted()
    profiler = cProfile.Profile() if profile else None
    try:
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        summary = send_invitations(engine, EVENT_ID)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
    finally:
        engine.close()
    if summary.sent != n or summary.failed or server.accepted() - before != n:
        raise SystemExit(f"the invite sent {summary.sent} of {n}: {summary.failed[:3]}")
    if profiler:
        print_breakdown(profiler, seconds)
    return seconds


def print_breakdown(profiler: cProfile.Profile, seconds: float) -> None:
    stats = pstats.Stats(profiler)
    wanted = {
        "prepare (invitations and tokens)": ("invitations.py", "prepare"),
        "render the three templates": ("compose.py", "render"),
        "build the EmailMessage": ("compose.py", "message"),
        "flatten to bytes": ("message.py", "as_bytes"),
        "SMTP sendmail": ("smtplib.py", "sendmail"),
        "record sent (mark_sent)": ("invitations.py", "mark_sent"),
    }
    found: dict[str, float] = {}
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        for label, (file_end, name) in wanted.items():
            if filename.endswith(file_end) and function == name:
                found[label] = found.get(label, 0.0) + row[3]  # cumulative time
    print(f"\n  where the invite's time goes (cProfile, so slower: {seconds:.3f} s in all)")
    for label in wanted:
        share = found.get(label, 0.0)
        print(f"    {label:<34} {share:7.3f} s  {share / seconds:6.1%}")
    print("    (render is part of build; flatten runs before sendmail, not inside it)")


# -- the bare loop ----------------------------------------------------------------------------


def sample_bodies() -> tuple[str, str, str, str]:
    """Subject, text and HTML the invite renders for one English attendee, and the sample token
    in them (untimed)."""
    from feedback.config import load_settings
    from feedback.engine import Engine
    from feedback_email.compose import Composer, Recipient

    with tempfile.TemporaryDirectory(prefix="feedback-bench-email-") as empty:
        settings = load_settings(
            Path(empty),
            base_url="https://feedback.example.org",
            email={"mail_from": "Seminar team <team@example.org>"},
        )
        engine = Engine(settings=settings)
        try:
            event = {"id": EVENT_ID, "title": "Benchmark seminar", "date": "2024-03-14"}
            event["city"] = "The Hague"
            composer = Composer(settings, engine.survey(None), event)
            token = secrets.token_urlsafe(32)
            expires = dt.date.today() + dt.timedelta(days=30)
            subject, text, html = composer.render(
                "invitation", Recipient("Anna de Vries 0", "a@example.org", "en", token, expires)
            )
        finally:
            engine.close()
    return subject, text, html, token


def time_bare(server: Server, n: int, bodies: tuple[str, str, str, str]) -> float:
    subject, text, html, sample = bodies
    sender = Address("Seminar team", "team", "example.org")
    before = server.accepted()
    start = time.perf_counter()
    conn = smtplib.SMTP("127.0.0.1", server.port, timeout=30)
    for i in range(n):
        token = secrets.token_urlsafe(32)
        message = EmailMessage(policy=SMTP)
        message["From"] = sender
        message["To"] = Address(f"Anna de Vries {i}", addr_spec=f"person{i}@example.org")
        message["Subject"] = subject
        message["Date"] = email.utils.format_datetime(email.utils.localtime())
        message["Message-ID"] = email.utils.make_msgid(domain="example.org")
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(text.replace(sample, token))
        message.add_alternative(html.replace(sample, token), subtype="html")
        message["Content-Language"] = "en"
        conn.send_message(message)
    conn.quit()
    seconds = time.perf_counter() - start
    if server.accepted() - before != n:
        raise SystemExit("the bare loop did not deliver every message")
    return seconds


# -- main -------------------------------------------------------------------------------------


def fmt_times(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="invitations per run (1,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is reported (3)")
    parser.add_argument(
        "--breakdown", action="store_true", help="one more invite under cProfile, by stage"
    )
    args = parser.parse_args()
    n, repeat = args.n, args.repeat
    import aiosmtpd

    server = Server()
    try:
        bodies = sample_bodies()
        print(
            f"python {sys.version.split()[0]}, aiosmtpd {aiosmtpd.__version__}; "
            f"{n:,} messages per run, {repeat} runs; server on 127.0.0.1:{server.port} "
            "(child process)"
        )
        ours: list[float] = []
        bare: list[float] = []
        with tempfile.TemporaryDirectory(prefix="feedback-bench-email-") as tmp:
            base = Path(tmp)
            time_bare(server, min(n, 50), bodies)  # warm-up: imports, the server's first use
            for i in range(repeat):
                if i % 2 == 0:
                    ours.append(time_invite(base, f"run-{i}", server, n))
                    bare.append(time_bare(server, n, bodies))
                else:
                    bare.append(time_bare(server, n, bodies))
                    ours.append(time_invite(base, f"run-{i}", server, n))
            if args.breakdown:
                time_invite(base, "profiled", server, n, profile=True)
    finally:
        server.close()

    our_median, bare_median = statistics.median(ours), statistics.median(bare)
    ratio = bare_median / our_median
    print()
    print(f"median of {repeat} runs, seconds (each run: {{...}})")
    print(f"  feedback invite (send_invitations)  {our_median:7.3f}   {{{fmt_times(ours)}}}")
    print(f"  bare smtplib loop                   {bare_median:7.3f}   {{{fmt_times(bare)}}}")
    print()
    print(f"  invite throughput     {n / our_median:8,.0f} messages/s")
    print(f"  bare throughput       {n / bare_median:8,.0f} messages/s")
    verdict = "met" if ratio >= GOAL_RATIO else "MISSED"
    print(
        f"  ratio bare / invite   {ratio:8.3f}x   goal >= {GOAL_RATIO}x: {verdict} "
        f"(invite = {our_median / bare_median:.2f}x the bare loop's time)"
    )


if __name__ == "__main__":
    main()
