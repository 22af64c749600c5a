"""The real `feedback kiosk` command, whole, in a real terminal: tmux runs it at 80x24, sends the
keys a participant and then staff would press, and reads the screen back after each step.

One participant chooses Dutch, answers the role, a then/now question, a likert question and a long
text, reaches the review and submits; the response is then read from the project's feedback.db.
Staff leave with Ctrl+O, the PIN and "Exit kiosk", and the process must have ended with status 0.

Needs tmux (skipped without it, except in CI, where a missing tmux fails the test). Each run has
its own tmux server (``-L``), so no tmux session of the developer's is touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import query

PIN = "1234"
EVENT_ID = "hague-2011"
EVENT_TITLE = "Good practice exchange"
TIMEOUT = 30.0  # seconds for one step to show on screen (a cold start in CI can take several)
POLL = 0.05
# Textual's Button ignores a press during the 0.2 s of its "pressed" effect. The survey screen
# clears the effect on each new step, but Submit, the operator's buttons and any later change are
# safer at a person's pace: presses of a button are kept this far apart.
BUTTON_GAP = 0.3


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _tmux() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        if _in_ci():
            pytest.fail(
                "tmux is not installed, and CI (CI=true) must run the whole-process kiosk test: "
                "have .ci/run install it (apt-get install -y tmux)",
                pytrace=False,
            )
        pytest.skip(
            "tmux is not installed (apt-get install tmux): needed to drive `feedback kiosk`"
        )
    return tmux


def _feedback() -> str:
    """The installed `feedback` command of the Python running the tests."""
    beside = Path(sys.executable).with_name("feedback")
    if beside.is_file():
        return str(beside)
    found = shutil.which("feedback")
    if found is None:
        pytest.fail("the `feedback` command is not installed (pip install -e '.[test]')")
    return found


class Terminal:
    """One tmux session, on a tmux server of its own, running one command at 80x24."""

    def __init__(self, tmux: str) -> None:
        name = f"feedback-kiosk-{uuid.uuid4().hex[:12]}"
        self.tmux = tmux
        self.socket = name
        self.session = name
        # no $TMUX (we may run inside the developer's tmux); nothing else changes
        self.env = {k: v for k, v in os.environ.items() if k != "TMUX"}
        self.last_button_press = 0.0

    def tmux_cmd(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-u", "-L", self.socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.env,
            timeout=30,
        )
        if result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def start(self, command: str) -> None:
        self.tmux_cmd("new-session", "-d", "-s", self.session, "-x", "80", "-y", "24", command)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux_cmd("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def press_button(self, *keys: str) -> None:
        """Keys that end with Enter on a focused button (Next, Submit, Exit kiosk)."""
        time.sleep(max(0.0, self.last_button_press + BUTTON_GAP - time.monotonic()))
        self.keys(*keys)
        self.last_button_press = time.monotonic()

    def screen(self, escapes: bool = False) -> str:
        return self.tmux_cmd("capture-pane", "-p", *(["-e"] if escapes else []), "-t", self.session)

    def pane(self, fmt: str) -> str:
        return self.tmux_cmd("display-message", "-p", "-t", self.session, fmt).strip()

    def wait_for(self, *texts: str, timeout: float = TIMEOUT) -> str:
        """The screen, once it shows every one of ``texts``; fail (showing it) after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                missing = [text for text in texts if text not in screen]
                pytest.fail(
                    f"after {timeout:.0f}s the kiosk does not show {missing}; the screen:\n{screen}",
                    pytrace=False,
                )
            time.sleep(POLL)

    def _lines(self, where: str | None) -> list[str]:
        """The screen's lines with their colours; only those showing ``where``, if given."""
        styled = self.screen(escapes=True).splitlines()
        if where is None:
            return styled
        plain = self.screen().splitlines()
        return [line for text, line in zip(plain, styled, strict=False) if where in text]

    def press_and_wait_for_change(
        self, *keys: str, where: str | None = None, timeout: float = TIMEOUT
    ) -> None:
        """Press ``keys`` and wait until the screen, colours included, is drawn differently (only
        the lines showing ``where``, if given): for keys whose only effect is to move the focus.

        Keys sent at once can reach the widget that had the focus before an earlier key moved it
        (a text area then takes the Enter meant for the Next button), so a key that moves the focus
        is followed by this wait. ``where`` leaves out lines with a blinking cursor."""
        before = self._lines(where)
        self.keys(*keys)
        deadline = time.monotonic() + timeout
        while self._lines(where) == before:
            if time.monotonic() > deadline:
                pytest.fail(f"the screen did not change after {keys}:\n{self.screen()}")
            time.sleep(POLL)

    def children(self) -> list[tuple[int, str]]:
        """(pid, command line) of each process the pane's shell started."""
        shell = self.pane("#{pane_pid}")
        found = []
        for proc in Path("/proc").iterdir():
            try:
                stat = (proc / "stat").read_text()
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, ValueError):
                continue
            if stat[stat.rindex(")") + 2 :].split()[1] == shell:  # the parent's pid
                found.append((int(proc.name), cmdline))
        return found

    def kill(self) -> None:
        """End the tmux server, the kiosk with it, and remove the server's socket file."""
        command = [self.tmux, "-L", self.socket, "-f", os.devnull]
        socket = subprocess.run(
            [*command, "display-message", "-p", "#{socket_path}"],
            capture_output=True, text=True, env=self.env, timeout=30,
        ).stdout.strip()  # fmt: skip
        subprocess.run([*command, "kill-server"], capture_output=True, env=self.env, timeout=30)
        if socket:
            Path(socket).unlink(missing_ok=True)


@contextlib.contextmanager
def terminal_with(tmux: str) -> Iterator[Terminal]:
    """A `Terminal` whose tmux server is killed at the end, whatever happened."""
    term = Terminal(tmux)
    try:
        yield term
    finally:
        term.kill()


def wait_for_file(path: Path, timeout: float = TIMEOUT) -> str:
    deadline = time.monotonic() + timeout
    while not (path.is_file() and path.read_text().strip()):
        if time.monotonic() > deadline:
            pytest.fail(f"{path.name} was not written within {timeout:.0f}s", pytrace=False)
        time.sleep(POLL)
    return path.read_text().strip()


def leave_the_text_area(terminal: Terminal) -> None:
    """From a long text question to the next step: Tab (to Next, before Back), Enter."""
    terminal.press_and_wait_for_change("Tab", where="▊▔▔▔")  # the text area's border: blurred
    terminal.press_button("Enter")


def test_a_participant_answers_in_dutch_and_staff_close_the_kiosk(tmp_path: Path) -> None:
    tmux = _tmux()  # here, not in a fixture: a missing tmux in CI is a failure, not an error
    with terminal_with(tmux) as terminal:
        run_the_kiosk(terminal, tmp_path)


def run_the_kiosk(terminal: Terminal, tmp_path: Path) -> None:
    feedback = _feedback()
    project = tmp_path / "project"
    project.mkdir()
    # a short thank-you, so that the kiosk is back on the attract screen quickly
    (project / "feedback.toml").write_text("[kiosk]\nthank_you_seconds = 1.0\n", encoding="utf-8")
    subprocess.run(
        [feedback, "--project", str(project), "event", "add", EVENT_ID,
         "--title", EVENT_TITLE, "--date", "2011-01-26"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    status_file = tmp_path / "kiosk-status"
    q = shlex.quote
    # Textual draws on stderr: nothing is redirected. The shell then writes the kiosk's exit status
    # to a file and stays, so that its last words stay on the screen (tmux does not always read
    # what a pane wrote just before it closed, nor tell a pane's exit status, on every machine).
    terminal.start(
        f"cd {q(str(project))} && FEEDBACK_KIOSK_PIN={PIN} "
        f"{q(feedback)} --project {q(str(project))} kiosk --event {EVENT_ID}; "
        f"echo $? > {q(str(status_file))}; sleep 300"
    )

    # -- the attract screen, and the participant's language --------------------------------------
    terminal.wait_for(
        EVENT_TITLE,
        "Post-seminar feedback / Evaluatie na het seminar",
        "Choose your language / Kies uw taal",
        "1  English",
        "2  Nederlands",
    )
    kiosks = [pid for pid, cmdline in terminal.children() if " kiosk " in cmdline]
    assert len(kiosks) == 1, terminal.children()
    terminal.keys("2")
    terminal.wait_for("Welkom", "Vraag 1 van 14")
    terminal.press_button("Enter")
    terminal.wait_for("Deze vragenlijst is anoniem.")
    terminal.press_button("Enter")

    # -- role (required): Enter without an answer stays, with the reason -------------------------
    terminal.wait_for("Wat beschrijft uw rol bij dit seminar het best? *", "2 ( ) Ngo")
    terminal.keys("Enter")
    terminal.wait_for("Beantwoord deze vraag om verder te gaan.")
    terminal.keys("2")
    terminal.wait_for("2 (•) Ngo of maatschappelijke organisatie")
    terminal.keys("Enter")
    terminal.wait_for("1 ( ) Oostenrijk", "Vraag 2 van 14")  # country: optional, left out
    terminal.keys("Enter")
    terminal.wait_for("Wat u hebt geleerd")
    terminal.press_button("Enter")

    # -- a then/now question: both rows --------------------------------------------------------
    terminal.wait_for("Uw begrip van de rol van een nationaal rapporteur", "Vóór het seminar")
    terminal.keys("3")
    terminal.wait_for("3 ✔")  # (the label wraps: "Enigszins" below)
    terminal.press_and_wait_for_change("Enter")  # to the "now" row
    terminal.keys("4")
    terminal.wait_for("3 ✔", "4 ✔ Goed")
    terminal.keys("Enter")
    terminal.wait_for("Uw kennis van de situatie rond mensenhandel", "Vraag 4 van 14")
    for _ in range(2):  # then/now questions left unanswered: Enter on each row
        terminal.press_and_wait_for_change("Enter")
    terminal.wait_for("Uw kennis van hoe parlementariërs en ngo's", "Vraag 5 van 14")
    for _ in range(2):
        terminal.press_and_wait_for_change("Enter")
    terminal.wait_for("Uw standpunt en plannen")
    terminal.press_button("Enter")

    # -- a likert question; join_network is not asked (the role is not MP) ----------------------
    terminal.wait_for("Mijn land zou een onafhankelijk nationaal rapporteur", "6 ( ) Weet ik niet")
    terminal.keys("4")
    terminal.wait_for("4 (•) Eens")
    terminal.keys("Enter")
    terminal.wait_for("Ik blijf samenwerken met de ngo's", "Vraag 7 van 14")

    # -- the rest left out, to the text questions -----------------------------------------------
    for expected in (
        "Ik ga collega's in mijn land informeren",
        "Op weg naar het volgende evenement",
        "Hebt u de organisatoren al contactgegevens",
        "Bent u bereid te helpen",
        "Tot slot",
        "Hoe nuttig was het seminar voor uw werk?",
        "Hoe waarschijnlijk is het",
        "Wat moeten we veranderen voor het volgende seminar?",
    ):
        terminal.press_button("Enter")
        terminal.wait_for(expected)
    terminal.keys("Meer pauzes", literal=True)
    terminal.wait_for("Meer pauzes", "11 van 2000 tekens")
    leave_the_text_area(terminal)
    terminal.wait_for("Wilt u ons verder nog iets laten weten?", "Vraag 14 van 14")
    leave_the_text_area(terminal)

    # -- the review, and submit ------------------------------------------------------------------
    terminal.wait_for("Controleer uw antwoorden", "Versturen", "Wijzigen")
    today_before = dt.date.today().isoformat()
    terminal.press_button("Enter")  # Submit has the focus
    terminal.wait_for("Hartelijk dank!", "De volgende deelnemer kan zo beginnen.")
    today_after = dt.date.today().isoformat()

    rows = query(
        project / "feedback.db",
        "SELECT event, survey, channel, language, submitted, answers FROM responses",
    )
    assert len(rows) == 1, rows
    event, survey, channel, language, submitted, answers = rows[0]
    assert (event, survey, channel, language) == (EVENT_ID, "post-seminar", "kiosk", "nl")
    assert submitted in {today_before, today_after}
    assert json.loads(answers) == {
        "role": "ngo",
        "rapporteur_role": {"then": "some", "now": "good"},
        "support_rapporteur_office": "agree",
        "improvements": "Meer pauzes",
    }

    # -- back to the attract screen by itself; staff leave --------------------------------------
    terminal.wait_for("Choose your language / Kies uw taal")
    terminal.keys("C-o")
    terminal.wait_for("Staff PIN")
    terminal.keys(PIN, literal=True)
    terminal.wait_for("••••")
    terminal.keys("Enter")
    terminal.wait_for(
        "Kiosk operator",
        f"Event: {EVENT_ID}    Mode: locked",
        "Responses today at this event: 1",
        "Waiting in the spool (database not writable): 0",
        "Resume",
    )
    for _ in range(3):  # Resume has the focus; then Switch event, Retry spool, Exit kiosk
        terminal.press_and_wait_for_change("Tab", where="Retry spool")
    terminal.press_button("Enter")
    assert wait_for_file(status_file) == "0"
    terminal.wait_for("kiosk closed: 1 response this session")
    with pytest.raises(ProcessLookupError):
        os.kill(kiosks[0], 0)
