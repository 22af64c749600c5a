"""The spool: where a response goes when the database cannot take it, so nothing is lost.

An append-only JSON Lines file. `Spool.append` returns only once the whole line is on disk: every
byte written (a short write is carried on, a failed one undone by truncating the file back to its
length before), ``fsync``-ed, and read back; otherwise it raises `SpoolError` and the participant
is not thanked. `Spool.replay` hands the responses to `Engine.submit` (idempotent on the response
id, so a replay after a crash stores nothing twice) and keeps only what still could not be stored.
A line that cannot be read (torn by a power cut) or that the database refuses is moved aside to
``<spool>.refused`` for staff to review, never deleted. An advisory lock keeps two kiosk processes
on one laptop from writing or replaying the same file at once.

A self-generated code never reaches the spool as typed: the kiosk hands `Spool.append` the
response that `Engine.prepare_links` made, without the code's answers, and its keyed hash, which
the line keeps under ``_link`` and `Spool.replay` hands back to `Engine.submit`; the link stored
is the one a direct submit would have stored.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedback import files
from feedback.engine import Link
from feedback.errors import FeedbackError
from feedback.responses import Response

log = logging.getLogger(__name__)


class SpoolError(FeedbackError):
    """The spool could not keep a response, or be read or rewritten (disk full, no folder ...)."""


@dataclass
class ReplayResult:
    stored: int = 0
    already_stored: int = 0
    refused: int = 0  # unreadable, invalid or conflicting: moved aside to ``<spool>.refused``
    unreadable: int = 0  # of the refused, lines that could not be read at all
    remaining: int = 0  # still not writable: kept for the next try
    error: str | None = None  # why the remaining ones could not be stored


@dataclass(frozen=True)
class _Line:
    number: int
    raw: bytes
    record: dict[str, Any] | None
    problem: str | None = None


def _encode(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data``, carrying on after a short write; raise if one writes none."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, "no byte could be written")
        view = view[written:]


def _sync_folder(folder: Path) -> None:
    """Make a file's creation, rename or removal durable: fsync its folder."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _append_durably(path: Path, data: bytes) -> None:
    """Append ``data`` to ``path`` whole, fsync-ed and read back, or leave the file as it was."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        start = os.fstat(fd).st_size
        try:
            if start and os.pread(fd, 1, start - 1) != b"\n":
                # the last line was torn (a power cut before its fsync): keep it a line of its
                # own, to be refused at replay, rather than glue this one to it
                data = b"\n" + data
            _write_all(fd, data)
            os.fsync(fd)
            if os.fstat(fd).st_size != start + len(data) or os.pread(fd, len(data), start) != data:
                raise OSError(errno.EIO, "the line read back is not the line written")
            if start == 0:
                _sync_folder(path.parent)  # a new file: its name must survive a power cut too
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, start)  # no torn line left behind
                os.fsync(fd)
            raise
    finally:
        os.close(fd)


class Spool:
    def __init__(self, path: Path):
        self.path = Path(path)

    @property
    def refused_path(self) -> Path:
        """Where lines that can never be stored as they are go, for staff to review."""
        return self.path.with_name(self.path.name + ".refused")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a file holds the folder's name: say that, not "file exists"
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def append(self, response: Response, link: Link | None = None) -> None:
        """Write one response durably at the end of the spool: whole, fsync-ed, read back.

        ``link``: the response's link from `Engine.prepare_links` (which took the code's answers
        out of ``response``), kept on the line for the replay.

        :raises SpoolError: it could not be (disk full, folder not writable); the spool is left
            as it was, and the response is not kept.
        """
        record = response.record()
        if link is not None:
            record[LINK] = {"link": link.link, "method": link.method}
        data = _encode(record)
        try:
            with self._locked():
                _append_durably(self.path, data)
        except OSError as exc:
            raise SpoolError(f"{self.path}: cannot keep the response: {_reason(exc)}") from exc

    def pending(self) -> int:
        """How many lines wait in the spool.

        :raises SpoolError: the spool cannot be read.
        """
        return _count_lines(self.path)

    def refused(self) -> int:
        """How many lines have been set aside in ``<spool>.refused`` (over every run).

        :raises SpoolError: that file cannot be read.
        """
        return _count_lines(self.refused_path)

    def _lines(self) -> list[_Line]:
        try:
            content = self.path.read_bytes()
        except FileNotFoundError:
            return []
        lines = []
        for number, raw in enumerate(content.split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                lines.append(_Line(number, raw, None, f"cannot be read ({exc})"))
                continue
            if not isinstance(record, dict):
                lines.append(_Line(number, raw, None, "is not a response"))
                continue
            lines.append(_Line(number, raw, record))
        return lines

    def replay(self, engine: Any) -> ReplayResult:
        """Store what the spool holds, one response at a time; keep what still fails.

        :raises SpoolError: the spool, or ``<spool>.refused``, cannot be read or written; then the
            spool is left whole (a later replay finds the stored ones already stored).
        """
        try:
            with self._locked():
                return self._replay(engine)
        except OSError as exc:
            raise SpoolError(f"{self.path}: cannot replay the spool: {_reason(exc)}") from exc

    def _replay(self, engine: Any) -> ReplayResult:
        result = ReplayResult()
        lines = self._lines()
        if not lines:
            return result
        keep: list[dict[str, Any]] = []
        refused: list[dict[str, Any]] = []
        for line in lines:
            if line.record is None:  # torn or garbled: set aside as it was, never dropped
                reason = f"{self.path}: line {line.number} {line.problem}"
                log.warning("spool: %s; set aside in %s", reason, self.refused_path)
                refused.append(
                    {"_refused": reason, "_line": line.raw.decode("utf-8", "backslashreplace")}
                )
                result.unreadable += 1
        readable = [line.record for line in lines if line.record is not None]
        for index, record in enumerate(readable):
            try:
                response, link = _link_of(record)
                if link is None:
                    status = engine.submit(response)
                else:
                    status = engine.submit(response, link=link)
            except FeedbackError as exc:
                if exc.exit_code == 2:  # invalid or conflicting: never storable as it is
                    refused.append({**record, "_refused": str(exc)})
                    continue
                # the database is still not writable: keep the rest for the next try rather
                # than wait for it once per response
                keep.extend(readable[index:])
                result.error = str(exc)
                break
            except sqlite3.Error as exc:
                keep.extend(readable[index:])
                result.error = str(exc)
                break
            if status == "stored":
                result.stored += 1
            else:
                result.already_stored += 1
        result.refused = len(refused)
        if refused:
            # first make the refused lines safe elsewhere, then take them out of the spool
            _append_durably(self.refused_path, b"".join(_encode(r) for r in refused))
        self._rewrite(keep)
        result.remaining = len(keep)
        return result

    def _rewrite(self, records: list[dict[str, Any]]) -> None:
        if not records:
            self.path.unlink(missing_ok=True)
            _sync_folder(self.path.parent)
            return
        with files.atomic_write(self.path, "wb", permissions=0o600) as out:
            out.write(b"".join(_encode(r) for r in records))


#: the key of a spool line that holds the response's link (never a response field)
LINK = "_link"


def _link_of(record: dict[str, Any]) -> tuple[dict[str, Any], Link | None]:
    """A spool line's response and its link, if it has one. A link that is not a mapping of a
    link and a method is handed on as it is, for the engine to refuse with the response."""
    if LINK not in record:
        return record, None
    response = {k: v for k, v in record.items() if k != LINK}
    value = record[LINK]
    if isinstance(value, dict):
        return response, Link(str(value.get("link")), str(value.get("method")))
    return response, Link(str(value), "?")


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise SpoolError(f"{path}: cannot be read: {_reason(exc)}") from exc


def _reason(exc: OSError) -> str:
    """An OS error in words, without the Python class name."""
    if exc.strerror:
        return f"{exc.strerror} (errno {exc.errno})"
    return str(exc)
