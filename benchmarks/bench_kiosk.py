"""Benchmark: the kiosk's start-up, question changes and memory, against a bare Textual app.

Run from the project root (never from pytest; it asserts nothing, it prints figures):

    python benchmarks/bench_kiosk.py                     # everything, 200 participants
    python benchmarks/bench_kiosk.py --participants 50   # a shorter run
    python benchmarks/bench_kiosk.py --repeat 9          # more cold starts per start-up figure

Goals (from the issue):

* start-up to the first screen within 1.5x of a bare Textual app's;
* a question change (key press to the next question drawn) under 50 ms;
* resident memory within 1.3x of the bare app's, and flat after 200 participants in a row.

Both apps are measured the same way, each in fresh child processes of this script started the
same way, at 80x24:

* in-process, headless (Textual's ``run_test``, the driver tests use). `App._display`, which the
  screen calls with each frame the compositor has rendered (layout done, widgets' lines rendered;
  headless, the frame is not then encoded and written to a terminal), is wrapped to timestamp
  every frame. Keys are handed to the driver as the real one does (``driver.send_message``), not
  through ``Pilot.press``, whose waits would be timed too.

  - start-up: from just before the App is constructed to the first frame in which the first
    screen's last widget is laid out (the kiosk: the attract screen's "press Enter to begin"; the
    bare app: its one line of text). Cold: one start-up per fresh process, ``--repeat`` processes,
    median. The kiosk's engine (settings, plugins, database, survey) is opened before the clock
    starts, as the CLI does before it builds the app; its cost is printed apart.
  - question change: from handing the key to the driver to (a) "first paint", the first frame in
    which every widget of the new question's body is new and laid out, and (b) "settled", the last
    frame before the app has drawn nothing for 40 ms (the focus, the counter, the progress bar and
    the hint drawn too). The bare app's question is a label and five lines of options that replace
    the previous ones on Enter. The kiosk's are the shipped survey's first steps, by each
    participant: intro -> note -> role -> country -> intro -> then/now -> then/now (Enter on the
    Next button, or on the answered options).
  - memory: VmRSS and VmHWM from /proc/self/status, after a ``gc.collect()``: once the modules are
    imported (the kiosk: and the engine opened), at the first screen, and then after N question
    changes (bare) or after 1, 50, 100 and 200 participants one after another (kiosk). A
    participant: picks English on the attract screen, answers the role and a then/now question on
    the way through the first steps above, skips to the review (as its Change buttons do, by
    setting the session's step), presses Submit; the thank-you screen (0.05 s) returns to the
    attract screen.
* whole process, in a pseudo-terminal of 80x24: ``feedback --project DIR kiosk --event ID`` (with
  ``FEEDBACK_KIOSK_PIN`` set, so the PIN is hashed at start-up as it is at a venue) against
  ``python benchmarks/bench_kiosk.py --bare-app``, from the spawn to the first output that holds the
  first screen's text (interpreter start and imports included), and the process's VmRSS then.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZE = (80, 24)
EVENT_ID = "bench-kiosk"
EVENT_TITLE = "Kiosk benchmark"
GOAL_STARTUP = 1.5  # kiosk / bare
GOAL_CHANGE_MS = 50.0
GOAL_MEMORY = 1.3  # kiosk / bare
CHECKPOINTS = (1, 50, 100, 200)
QUIET = 0.04  # seconds without a frame: the app has finished drawing
WAIT = 10.0  # seconds before a frame that never comes is an error
PIN = "1234"

#: The CLI in a child process, whatever is (or is not) installed as a console script.
CLI = [sys.executable, "-c", "from feedback.cli import cli; cli(prog_name='feedback')"]
BARE_TEXT = "Choose your language"  # the bare app's first screen, in a word or three
KIOSK_TEXT = "Kies uw taal"  # on the kiosk's attract screen (the shipped survey: en and nl)


def memory() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in KiB."""
    gc.collect()
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def rss_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# -- the bare app (Textual only: this module imports nothing of the project at the top) ----------


def bare_app_class() -> type:
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    class BareApp(App[None]):
        """One line of text; Enter replaces a label and five options with the next ones."""

        CSS = "#body { height: 1fr; }"
        BINDINGS = [Binding("enter", "next", show=False)]

        def __init__(self) -> None:
            super().__init__()
            self.n = 0

        def compose(self) -> ComposeResult:
            yield Static(f"{BARE_TEXT} / Kies uw taal", id="first")
            yield VerticalScroll(id="body")

        async def action_next(self) -> None:
            self.n += 1
            body = self.query_one("#body", VerticalScroll)
            await body.remove_children()
            await body.mount_all(
                [
                    Static(f"Question {self.n}: how far do you agree?", classes="label"),
                    *[Static(f"{i} ( ) Option {i} of question {self.n}") for i in range(1, 6)],
                ]
            )

    return BareApp


# -- frames ----------------------------------------------------------------------------------------


class Frames:
    """Timestamps the frames an app draws, and wakes whoever waits for a frame that shows X."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last = 0.0
        self.count = 0
        self._waiters: list[tuple[Callable[[Any], bool], asyncio.Future[float]]] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            drawn = renderable is not None and not app._batch_count
            original(screen, renderable)
            if not drawn:
                return
            now = time.perf_counter()
            self.last = now
            self.count += 1
            for predicate, future in self._waiters:
                if not future.done() and predicate(screen):
                    future.set_result(now)
            self._waiters = [(p, f) for p, f in self._waiters if not f.done()]

        app._display = display

    def expect(self, predicate: Callable[[Any], bool]) -> asyncio.Future[float]:
        """A future for the time of the first frame after now for which ``predicate(screen)``."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        return future

    async def settled(self) -> float:
        """The time of the last frame, once nothing has been drawn for `QUIET` seconds."""
        while time.perf_counter() - self.last < QUIET:
            await asyncio.sleep(QUIET / 4)
        return self.last


async def within(future: asyncio.Future[float], what: str) -> float:
    try:
        return await asyncio.wait_for(future, WAIT)
    except TimeoutError:
        raise SystemExit(f"no frame showing {what} within {WAIT:.0f}s") from None


def laid_out(screen: Any, selector: str) -> bool:
    found = screen.query(selector)
    return bool(found) and all(widget.region for widget in found)


def all_new(screen: Any, old: set[int]) -> bool:
    """Whether the screen's ``#body`` holds only new widgets, every one laid out."""
    try:
        body = screen.query_one("#body")
    except Exception:
        return False
    children = list(body.children)
    return bool(children) and all(id(w) not in old and w.region for w in children)


def body_ids(app: Any) -> set[int]:
    try:
        return {id(w) for w in app.screen.query_one("#body").children}
    except Exception:
        return set()


def key(app: Any, name: str) -> None:
    """Hand a key to the driver, as the terminal's input thread does."""
    from textual import events

    char = {"enter": "\r", "tab": "\t"}.get(name, name if len(name) == 1 else None)
    event = events.Key(name, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def change(app: Any, frames: Frames, name: str, what: str) -> tuple[float, float]:
    """Press ``name`` and time the question change it causes: (first paint, settled), in ms."""
    old = body_ids(app)
    shown = frames.expect(lambda screen: all_new(screen, old))
    start = time.perf_counter()
    key(app, name)
    first = await within(shown, what)
    last = await frames.settled()
    return (first - start) * 1000, (last - start) * 1000


async def press_and_settle(app: Any, frames: Frames, name: str) -> None:
    """Press a key that changes no question (picks an option, moves the focus), untimed."""
    count = frames.count
    key(app, name)
    deadline = time.perf_counter() + WAIT
    while frames.count == count and time.perf_counter() < deadline:
        await asyncio.sleep(0.002)
    await frames.settled()


# -- workers (each in a fresh process) --------------------------------------------------------------


async def bare_worker(presses: int) -> dict[str, Any]:
    BareApp = bare_app_class()  # Textual imported, as the kiosk's worker has it before its figure
    imported = memory()
    start = time.perf_counter()
    app = BareApp()
    frames = Frames(app)
    first_screen = frames.expect(lambda screen: laid_out(screen, "#first"))
    async with app.run_test(size=SIZE):
        first = await within(first_screen, "the bare app's first screen")
        startup = (first - start) * 1000
        settled = (await frames.settled() - start) * 1000
        at_first_screen = memory()
        paints, settles = [], []
        for _ in range(presses):
            a, b = await change(app, frames, "enter", "the next question")
            paints.append(a)
            settles.append(b)
        after = memory()
    return {
        "startup_ms": startup,
        "startup_settled_ms": settled,
        "first_paint_ms": paints,
        "settled_ms": settles,
        "memory": {"imported": imported, "first screen": at_first_screen, "after": after},
    }


def kiosk_engine(project: Path) -> tuple[Any, Any]:
    from feedback.config import load_settings
    from feedback.engine import Engine
    from feedback.plugins import make_plugin_manager
    from feedback_kiosk.app import KioskOptions
    from feedback_kiosk.pin import hash_pin

    engine = Engine(settings=load_settings(project), pm=make_plugin_manager())
    options = KioskOptions(
        event=EVENT_ID,
        survey=engine.resolve_survey(None),
        pin_hash=hash_pin(PIN),
        thank_you_seconds=0.05,
        idle_timeout=3600.0,
        retry_seconds=3600.0,
    )
    return engine, options


async def kiosk_worker(project: Path, participants: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    engine, options = kiosk_engine(project)
    engine_ms = (time.perf_counter() - t0) * 1000
    imported = memory()
    from feedback_kiosk.app import make_app

    start = time.perf_counter()
    app = make_app(engine, options)
    frames = Frames(app)
    attract = frames.expect(lambda screen: laid_out(screen, "#attract-begin"))
    async with app.run_test(size=SIZE):
        first = await within(attract, "the attract screen")
        startup = (first - start) * 1000
        settled = (await frames.settled() - start) * 1000
        at_first_screen = memory()
        checkpoints: dict[int, dict[str, int]] = {}
        objects: dict[int, int] = {}
        paints, settles, begins = [], [], []
        by_step: dict[str, list[float]] = {}
        for n in range(1, participants + 1):
            # attract -> the survey's first step (a screen change: timed apart)
            old = body_ids(app)
            shown = frames.expect(lambda s, old=old: s.id == "survey" and all_new(s, old))
            t = time.perf_counter()
            key(app, "1")
            begins.append((await within(shown, "the first step") - t) * 1000)
            await frames.settled()
            for name, what, before in (
                ("enter", "the consent note", None),
                ("enter", "the role question", None),
                ("enter", "the country question", "2"),  # picks role 2 first
                ("enter", "the 'What you learned' intro", None),
                ("enter", "the first then/now question", None),
                ("enter", "the second then/now question", "3 enter 4"),  # both rows
            ):
                for k in (before or "").split():
                    await press_and_settle(app, frames, k)
                a, b = await change(app, frames, name, what)
                paints.append(a)
                settles.append(b)
                by_step.setdefault(what, []).append(a)
            # skip to the review, as its Change buttons move through the survey
            session = app.session
            assert session is not None and session.answers.get("role") == "ngo", session
            review = frames.expect(lambda s: s.id == "review" and laid_out(s, "#submit"))
            session.current = "review"
            app.show_review()
            await within(review, "the review")
            await frames.settled()
            back = frames.expect(lambda s: s.id == "attract" and laid_out(s, "#attract-begin"))
            key(app, "enter")  # Submit has the focus; the thank-you returns to the attract screen
            await within(back, "the attract screen again")
            await frames.settled()
            if n in CHECKPOINTS or n == participants:
                checkpoints[n] = memory()
                objects[n] = len(gc.get_objects())
        stored = len(app.submitted)
    engine.close()
    return {
        "engine_ms": engine_ms,
        "startup_ms": startup,
        "startup_settled_ms": settled,
        "first_paint_ms": paints,
        "settled_ms": settles,
        "begin_ms": begins,
        "by_step_ms": by_step,
        "stored": stored,
        "spooled": app.spooled,
        "objects": objects,
        "memory": {
            "imported": imported,
            "first screen": at_first_screen,
            **{f"after {n}": m for n, m in checkpoints.items()},
        },
    }


async def startup_only(kind: str, project: Path) -> dict[str, Any]:
    """One cold start-up (the first App this process builds), in ms."""
    if kind == "bare":
        BareApp = bare_app_class()
        start = time.perf_counter()
        app = BareApp()
        selector = "#first"
    else:
        engine, options = kiosk_engine(project)
        from feedback_kiosk.app import make_app

        start = time.perf_counter()
        app = make_app(engine, options)
        selector = "#attract-begin"
    frames = Frames(app)
    shown = frames.expect(lambda screen: laid_out(screen, selector))
    async with app.run_test(size=SIZE):
        first = await within(shown, "the first screen")
        settled = await frames.settled()
    return {"startup_ms": (first - start) * 1000, "startup_settled_ms": (settled - start) * 1000}


# -- the parent: children, pseudo-terminals, figures ------------------------------------------------


def child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"worker {args} failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def in_a_terminal(command: list[str], text: str, env: dict[str, str]) -> tuple[float, int]:
    """Spawn ``command`` in a pseudo-terminal of 80x24; (ms until its output holds ``text``,
    its VmRSS in KiB then). The process is killed afterwards."""
    import fcntl
    import pty
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    wanted = text.encode()
    try:
        deadline = start + 60
        while wanted not in seen:
            if time.perf_counter() > deadline or proc.poll() is not None:
                raise SystemExit(f"{command[-4:]} never drew {text!r}: {seen[-2000:]!r}")
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
        elapsed = (time.perf_counter() - start) * 1000
        rss = rss_of(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    return elapsed, rss


def make_project(directory: Path) -> Path:
    project = directory / "project"
    project.mkdir()
    subprocess.run(
        [*CLI, "--project", str(project), "event", "add", EVENT_ID, "--title", EVENT_TITLE,
         "--date", "2024-03-14"],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    return project


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))] if values else float("nan")


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--presses", type=int, default=600, help="question changes of the bare app")
    parser.add_argument("--repeat", type=int, default=5, help="cold starts per start-up figure")
    parser.add_argument("--worker", choices=["bare", "kiosk", "startup-bare", "startup-kiosk"])
    parser.add_argument("--project", type=Path)
    parser.add_argument("--bare-app", action="store_true", help="run the bare app in a terminal")
    args = parser.parse_args()

    if args.bare_app:
        bare_app_class()().run()
        return
    if args.worker:
        if args.worker == "bare":
            result = asyncio.run(bare_worker(args.presses))
        elif args.worker == "kiosk":
            result = asyncio.run(kiosk_worker(args.project, args.participants))
        else:
            result = asyncio.run(startup_only(args.worker.removeprefix("startup-"), args.project))
        print(json.dumps(result))
        return

    import textual

    print(
        f"kiosk benchmark: Python {sys.version.split()[0]}, Textual {textual.__version__}, "
        f"{os.cpu_count()} CPUs; {args.participants} participants, {args.presses} bare presses, "
        f"{args.repeat} cold starts each"
    )
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        project = make_project(Path(tmp))
        where = ["--project", str(project)]

        # -- start-up ---------------------------------------------------------------------------
        cold: dict[str, list[dict[str, float]]] = {"bare": [], "kiosk": []}
        for _ in range(args.repeat):  # interleaved, so that a busy moment hits both
            for kind in cold:
                cold[kind].append(child("--worker", f"startup-{kind}", *where))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACK_", "TEXTUAL_"))}
        env.update(TERM="xterm-256color", FEEDBACK_KIOSK_PIN=PIN)
        whole: dict[str, list[tuple[float, int]]] = {"bare": [], "kiosk": []}
        for _ in range(args.repeat):
            whole["bare"].append(
                in_a_terminal([sys.executable, __file__, "--bare-app"], BARE_TEXT, env)
            )
            whole["kiosk"].append(
                in_a_terminal([*CLI, *where, "kiosk", "--event", EVENT_ID], KIOSK_TEXT, env)
            )

        # -- question changes and memory ----------------------------------------------------------
        bare = child("--worker", "bare", "--presses", str(args.presses))
        kiosk = child("--worker", "kiosk", *where, "--participants", str(args.participants))

    def start(kind: str, field: str) -> float:
        return median([run[field] for run in cold[kind]])

    print("\nStart-up to the first screen (cold, median of fresh processes)")
    print(f"  {'':42} {'bare':>10} {'kiosk':>10} {'ratio':>7}")
    for label, field in (("in-process: first frame", "startup_ms"),
                         ("in-process: settled", "startup_settled_ms")):  # fmt: skip
        b, k = start("bare", field), start("kiosk", field)
        print(f"  {label:42} {b:8.1f}ms {k:8.1f}ms {k / b:6.2f}x")
    wb = median([t for t, _ in whole["bare"]])
    wk = median([t for t, _ in whole["kiosk"]])
    label = "whole process in a terminal (spawn to text)"
    print(f"  {label:42} {wb:8.1f}ms {wk:8.1f}ms {wk / wb:6.2f}x")
    print(f"  (the kiosk's engine, opened before its clock starts: {kiosk['engine_ms']:.1f} ms)")
    ratio = start("kiosk", "startup_ms") / start("bare", "startup_ms")
    print(f"  goal: kiosk within {GOAL_STARTUP}x of bare, in-process first frame: "
          f"{ratio:.2f}x, {verdict(ratio <= GOAL_STARTUP)}; whole process: {wk / wb:.2f}x, "
          f"{verdict(wk / wb <= GOAL_STARTUP)}")  # fmt: skip

    print("\nQuestion change: key press to the next question drawn (in-process, headless)")
    print(f"  {'':42} {'median':>9} {'p95':>9} {'max':>9} {'n':>6}")
    rows = (
        ("bare: first paint", bare["first_paint_ms"]),
        ("bare: settled", bare["settled_ms"]),
        ("kiosk: first paint", kiosk["first_paint_ms"]),
        ("kiosk: settled", kiosk["settled_ms"]),
        ("kiosk: attract -> first step (settled n/a)", kiosk["begin_ms"]),
    )
    for label, values in rows:
        print(f"  {label:42} {median(values):7.1f}ms {p95(values):7.1f}ms "
              f"{max(values):7.1f}ms {len(values):6}")  # fmt: skip
    print("  kiosk, first paint by the question drawn:")
    for what, values in kiosk["by_step_ms"].items():
        label = "    -> " + what
        print(f"  {label:42} {median(values):7.1f}ms {p95(values):7.1f}ms "
              f"{max(values):7.1f}ms {len(values):6}")  # fmt: skip
    kp, bp = median(kiosk["first_paint_ms"]), median(bare["first_paint_ms"])
    ks = median(kiosk["settled_ms"])
    print(f"  kiosk / bare, first paint: {kp / bp:.2f}x; settled: "
          f"{ks / median(bare['settled_ms']):.2f}x")  # fmt: skip
    print(
        f"  goal: under {GOAL_CHANGE_MS:.0f} ms: first paint {kp:.1f} ms, "
        f"{verdict(kp < GOAL_CHANGE_MS)}; settled {ks:.1f} ms, {verdict(ks < GOAL_CHANGE_MS)}"
    )

    print("\nResident memory (VmRSS; VmHWM in brackets)")
    bm, km = bare["memory"], kiosk["memory"]
    print(f"  {'':42} {'bare':>20} {'kiosk':>20}")
    print(f"  {'modules imported (kiosk: engine open)':42} {mib(bm['imported']['VmRSS']):>20} "
          f"{mib(km['imported']['VmRSS']):>20}")  # fmt: skip
    print(f"  {'first screen':42} {mib(bm['first screen']['VmRSS']):>20} "
          f"{mib(km['first screen']['VmRSS']):>20}")  # fmt: skip
    print(f"  {'after ' + str(args.presses) + ' bare question changes':42} "
          f"{mib(bm['after']['VmRSS']) + ' (' + mib(bm['after']['VmHWM']) + ')':>20}")  # fmt: skip
    for name, value in km.items():
        if name.startswith("after"):
            n = int(name.split()[1])
            shown = f"{mib(value['VmRSS'])} ({mib(value['VmHWM'])})"
            print(f"  {'kiosk ' + name + ' participants':42} {'':>20} {shown:>20}"
                  f"   {kiosk['objects'][str(n)]:,} Python objects")  # fmt: skip
    tb = [rss for _, rss in whole["bare"]]
    tk = [rss for _, rss in whole["kiosk"]]
    print(f"  {'whole process at its first screen (median)':42} {mib(int(median(tb))):>20} "
          f"{mib(int(median(tk))):>20}")  # fmt: skip
    first_ratio = km["first screen"]["VmRSS"] / bm["first screen"]["VmRSS"]
    whole_ratio = median(tk) / median(tb)
    after = {int(name.split()[1]): km[name]["VmRSS"] for name in km if name.startswith("after")}
    counts = sorted(after)
    print(f"  goal: kiosk within {GOAL_MEMORY}x of bare: in-process at the first screen "
          f"{first_ratio:.2f}x, {verdict(first_ratio <= GOAL_MEMORY)}; whole process "
          f"{whole_ratio:.2f}x, {verdict(whole_ratio <= GOAL_MEMORY)}")  # fmt: skip
    growth = ", ".join(
        f"{a} -> {b}: {after[b] / after[a]:.3f}x ({(after[b] - after[a]) / 1024:+.1f} MiB)"
        for a, b in itertools.pairwise(counts)
    )
    print(f"  goal: flat after {args.participants} participants: RSS {growth}")
    print(f"\n  {kiosk['stored']} responses submitted ({kiosk['spooled']} spooled)")


if __name__ == "__main__":
    main()
