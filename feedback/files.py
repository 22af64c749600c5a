"""Writing output files whole or not at all.

Every file that `feedback` writes for a user (an export, a report, an offline form, a paper form) goes
through `atomic_write`: the data goes to a temporary file in the same folder, is flushed to disk, and
only then renamed over the target, so that a crash, a kill or a full disk leaves either the previous
file or the new one, never a truncated one. The folder is synced too, so that the rename itself
survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a platform or file system that cannot open folders: the rename stands
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temporary_name(path: Path) -> Path:
    """A hidden name beside ``path`` that no other writer uses."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")


@contextlib.contextmanager
def atomic_write(
    path: Path, mode: str = "w", *, newline: str | None = "\n", permissions: int = 0o666
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` for writing; on leaving the block without an error,
    flush it to disk and rename it over ``path``. On any error (or interrupt), remove it and re-raise:
    ``path`` is left as it was.

    The temporary file is created like any new file, with ``permissions`` less the umask (give
    ``0o600`` for a file that holds answers), in text mode as UTF-8.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write: mode must be 'w' or 'wb', not {mode!r}")
    temporary = temporary_name(path)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, permissions)
    try:
        try:
            if mode == "wb":
                handle: IO[Any] = os.fdopen(fd, "wb")
            else:
                handle = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        except BaseException:
            os.close(fd)
            raise
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_folder(path.parent)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (see `atomic_write`)."""
    with atomic_write(path) as handle:
        handle.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (see `atomic_write`)."""
    with atomic_write(path, "wb") as handle:
        handle.write(data)


class UnsafeOutput(ValueError):
    """An output file that must not be written: it would name another folder, or the database."""


def default_output(prefix: str, key: str, suffix: str) -> Path:
    """The file a command writes in the current folder when no ``-o`` is given, named after an
    id (``report-hague-2011.html``).

    :raises UnsafeOutput: the id cannot name one file in this folder (a separator, ``..``, a
        control character): a database edited by hand can hold any id.
    """
    name = f"{prefix}{key}{suffix}"
    if (
        not key
        or key in (".", "..")
        or any(c in key for c in "/\\")
        or any(ord(c) < 32 or ord(c) == 127 for c in key)
        or Path(name).name != name
    ):
        raise UnsafeOutput(f"the id {key!r} cannot name a file here: give -o FILE")
    return Path(name)


def refuse_database(path: Path, database: Path) -> None:
    """Refuse to write over the project's database or its journal files.

    :raises UnsafeOutput: ``path`` is ``database``, or its ``-wal``, ``-shm`` or ``-journal``.
    """
    for name in ("", "-wal", "-shm", "-journal"):
        guarded = database.with_name(database.name + name)
        same = False
        with contextlib.suppress(OSError):
            same = path.exists() and guarded.exists() and os.path.samefile(path, guarded)
        if same or path.resolve() == guarded.resolve():
            what = f"the database's {name[1:]} file" if name else "the database"
            raise UnsafeOutput(f"{path} is {what}: choose another file")
