"""Linking a person's answers over time without the database alone saying who they are.

A follow-up survey is matched to a person's first answers by a *keyed hash*: an HMAC-SHA256 under
a secret key that lives in a key file, never in the database (``feedback keys new`` makes one).
Whoever holds the database but not the key sees unrelated random-looking strings; whoever holds
both can link the answers of one person, so keep the key apart from the database (another folder,
another machine, a password manager).

Two things are hashed, each under its own label so that one can never stand for the other:

- a person of the roster (`person_link`), for surveys reached by personal links;
- a *self-generated code* (`self_code`): the answers to two or three questions only the participant
  knows ("the first letter of your mother's first name", "the month you were born"), for anonymous
  surveys (kiosk, paper, open link). The parts are normalised (case, accents, spaces) and matched
  exactly: "É" and "e ", typed on two different days, give the same code.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from feedback.errors import InvalidInput

KEY_BYTES = 32
HEADER = "feedback linking key v1"


class LinkingKeyError(InvalidInput):
    """A key file that is missing, unreadable or not a linking key."""


def new_key_file(path: Path) -> None:
    """Write a new random key to ``path``, readable by its owner only; never over an existing
    file (a new key would make every link made with the old one unmatchable).

    :raises LinkingKeyError: ``path`` exists, or its folder does not, or it cannot be written.
    """
    if path.exists():
        raise LinkingKeyError(
            f"{path}: exists already; a new key would unlink every answer linked with the old "
            "one (remove the file yourself if that is what you want)"
        )
    if not path.parent.is_dir():
        raise LinkingKeyError(f"{path}: the folder {path.parent} does not exist")
    key = base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")
    text = f"{HEADER}\n{key}\n"
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    except OSError as exc:
        raise LinkingKeyError(
            f"{path}: cannot write in {path.parent}: {exc.strerror or exc}"
        ) from exc
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)  # fails if the path was made meanwhile: never written over
    except FileExistsError as exc:
        raise LinkingKeyError(f"{path}: exists already") from exc
    except OSError as exc:
        raise LinkingKeyError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def read_key(path: Path) -> bytes:
    """The key in ``path``.

    :raises LinkingKeyError: missing, unreadable, or not a key file made by ``feedback keys new``.
    """
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except FileNotFoundError as exc:
        raise LinkingKeyError(
            f"{path}: no such key file (make one with `feedback keys new`, or set linking_key "
            "to where it is)"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise LinkingKeyError(f"{path}: cannot read the key file: {exc}") from exc
    if len(lines) != 2 or lines[0] != HEADER:
        raise LinkingKeyError(
            f"{path}: expected a key file of `feedback keys new`, found another file"
        )
    try:
        key = base64.urlsafe_b64decode(lines[1].encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise LinkingKeyError(f"{path}: line 2: expected the key in base64, found {exc}") from exc
    if len(key) != KEY_BYTES:
        raise LinkingKeyError(
            f"{path}: line 2: expected a {KEY_BYTES}-byte key, found {len(key)} bytes"
        )
    return key


def _hash(key: bytes, label: str, value: str) -> str:
    return hmac.new(key, f"{label}\x1f{value}".encode(), hashlib.sha256).hexdigest()


def person_link(key: bytes, person_id: int | str) -> str:
    """The keyed hash that stands for a roster person on each of their responses."""
    return _hash(key, "person", str(person_id))


def normalise_part(text: str) -> str:
    """A part of a self-generated code as compared: case, accents and spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())
    return unicodedata.normalize("NFC", kept)


def self_code(key: bytes, parts: Sequence[str] | Mapping[str, str]) -> str | None:
    """The keyed hash of a self-generated code, or ``None`` when any part is blank (a code with a
    part left out would match people it should not). A mapping's parts are taken in key order,
    so that the same questions always give the same code."""
    values = [parts[k] for k in sorted(parts)] if isinstance(parts, Mapping) else list(parts)
    normalised = [normalise_part(v) for v in values]
    if not normalised or any(not part for part in normalised):
        return None
    return _hash(key, "self-code", "\x1e".join(normalised))


def default_key_path(project_dir: Path) -> Path:
    """Where a project's key lives unless ``linking_key`` says otherwise: in the user's config
    folder (``$XDG_CONFIG_HOME/feedback/keys``, else ``~/.config/feedback/keys``), named after
    the project, so that it is never beside the database nor copied with the project folder."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    project = project_dir.resolve()
    tag = hashlib.sha256(str(project).encode()).hexdigest()[:12]
    return Path(base) / "feedback" / "keys" / f"{project.name or 'project'}-{tag}.key"
