"""The spool: where a response goes when the database cannot take it, so nothing is lost.

An append-only JSON Lines file, each line written and ``fsync``-ed before the participant is
thanked. `Spool.replay` hands the responses to `Engine.submit_many` (idempotent on the response id,
so a replay after a crash stores nothing twice) and keeps only what still could not be stored. An
advisory lock keeps two kiosk processes on one laptop from replaying the same file at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedback.errors import FeedbackError
from feedback.responses import Response


@dataclass
class ReplayResult:
    stored: int = 0
    already_stored: int = 0
    refused: int = 0  # invalid or conflicting: moved aside to ``<spool>.refused``
    remaining: int = 0  # still not writable: kept for the next try


class Spool:
    def __init__(self, path: Path):
        self.path = Path(path)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def append(self, response: Response) -> None:
        """Write one response durably (flushed and fsync-ed) at the end of the spool."""
        line = json.dumps(response.record(), ensure_ascii=False, sort_keys=True) + "\n"
        with self._locked():
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)

    def pending(self) -> int:
        """How many responses wait in the spool."""
        try:
            with self.path.open("rb") as handle:
                return sum(1 for line in handle if line.strip())
        except FileNotFoundError:
            return 0

    def _records(self) -> list[dict[str, Any]]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        records = []
        for line in lines:
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a line torn by a power cut before its fsync: never acknowledged
        return records

    def replay(self, engine: Any) -> ReplayResult:
        """Store what the spool holds, one response at a time; keep what still fails."""
        result = ReplayResult()
        with self._locked():
            records = self._records()
            if not records:
                return result
            keep: list[dict[str, Any]] = []
            refused: list[dict[str, Any]] = []
            for index, record in enumerate(records):
                try:
                    status = engine.submit(record)
                except FeedbackError as exc:
                    if exc.exit_code == 2:  # invalid or conflicting: never storable as it is
                        refused.append({**record, "_refused": str(exc)})
                        result.refused += 1
                        continue
                    # the database is still not writable: keep the rest for the next try rather
                    # than wait for it once per response
                    keep.extend(records[index:])
                    break
                if status == "stored":
                    result.stored += 1
                else:
                    result.already_stored += 1
            if refused:
                with self.path.with_name(self.path.name + ".refused").open("a") as handle:
                    for record in refused:
                        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
            self._rewrite(keep)
            result.remaining = len(keep)
        return result

    def _rewrite(self, records: list[dict[str, Any]]) -> None:
        if not records:
            self.path.unlink(missing_ok=True)
            return
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
