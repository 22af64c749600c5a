"""The web form's drafts and secrets, in its own tables (`feedback_web.migrations`).

A draft of the web form reached by a personal link never holds a response id (the id is made when
the response is stored), so no row, live or deleted, ties an invitation to a response. The draft of
an anonymous survey is sealed: its language, page and answers are encrypted (AES-GCM) under a key
derived from the participant's token, which the database holds only hashed, so the database alone
cannot read what a person has answered so far.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import orjson

from feedback.invitations import stamp, utcnow
from feedback.store import Store


@dataclass(frozen=True)
class Draft:
    """A web form filled in part-way: kept until its response is submitted.

    ``response_id`` is the id an open link's page was shown with (the same form posted twice is
    the same response); ``None`` for a personal link, whose response id is made when it is stored.
    """

    key: str
    invitation: int | None
    event: str
    survey: str
    survey_version: str
    response_id: str | None
    language: str
    page: int
    answers: dict[str, Any]
    updated: str


class DraftSealed(Exception):
    """A draft is sealed under another link of its invitation (or no link was given to open it).

    A reminder carries a new token, and the key of a sealed draft comes from the token it was
    saved with: the participant continues with that link, or starts again with this one.
    """


_SEAL_VERSION = b"\x01"
_SEAL_INFO = b"feedback draft v1"


def _seal_key(token: str) -> bytes:
    """The 256-bit key of a token's drafts (HKDF-SHA256; the stored hash is plain SHA-256)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_SEAL_INFO).derive(
        token.encode("utf-8")
    )


def seal(token: str, key: str, state: dict[str, Any]) -> bytes:
    """``state`` encrypted under ``token``'s key, bound to the draft ``key`` (AES-256-GCM)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_seal_key(token)).encrypt(nonce, orjson.dumps(state), key.encode("utf-8"))
    return _SEAL_VERSION + nonce + sealed


def unseal(token: str | None, key: str, blob: bytes) -> dict[str, Any]:
    """What `seal` encrypted. :raises DraftSealed: no token, another token, or a damaged blob."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if token is None or blob[:1] != _SEAL_VERSION or len(blob) < 29:
        raise DraftSealed(key)
    try:
        plain = AESGCM(_seal_key(token)).decrypt(blob[1:13], blob[13:], key.encode("utf-8"))
    except InvalidTag:
        raise DraftSealed(key) from None
    return cast(dict[str, Any], orjson.loads(plain))


class Drafts:
    """Drafts and secrets of the web form in one store."""

    def __init__(self, store: Store):
        self.store = store

    # -- drafts ---------------------------------------------------------------------------------

    def draft(self, key: str, token: str | None = None) -> Draft | None:
        """The draft under ``key``, or ``None``; a sealed one is opened with ``token``.

        :raises DraftSealed: the draft is sealed and ``token`` is not the one it was sealed with.
        """
        row = self.store.conn.execute(
            "SELECT key, invitation, event, survey, survey_version, response_id, language, page,"
            " answers, updated, sealed FROM drafts WHERE key = ?",
            [key],
        ).fetchone()
        if row is None:
            return None
        values = list(row[:10])
        sealed = row[10]
        if sealed is not None:
            state = unseal(token, key, bytes(sealed))
            values[6], values[7], values[8] = state["language"], state["page"], state["answers"]
        else:
            values[8] = orjson.loads(values[8])
        return Draft(*values)

    def save_draft(self, draft: Draft, seal_with: str | None = None) -> None:
        """Save a draft (its ``updated`` is now); sealed under the token ``seal_with`` when given:
        its language, page and answers are then stored encrypted only.

        :raises ValueError: a personal link's draft (an invitation) with a response id.
        """
        if draft.invitation is not None and draft.response_id is not None:
            raise ValueError(f"draft {draft.key}: a personal link's draft holds no response id")
        if seal_with is not None:
            state = {"language": draft.language, "page": draft.page, "answers": draft.answers}
            clear: list[Any] = [None, None, None, seal(seal_with, draft.key, state)]
        else:
            answers = orjson.dumps(draft.answers).decode()
            clear = [draft.language, draft.page, answers, None]
        with self.store.write():
            self.store.conn.execute(
                "INSERT INTO drafts (key, invitation, event, survey, survey_version, response_id,"
                " language, page, answers, sealed, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET survey_version = excluded.survey_version,"
                " language = excluded.language, page = excluded.page,"
                " answers = excluded.answers, sealed = excluded.sealed,"
                " updated = excluded.updated",
                [
                    draft.key,
                    draft.invitation,
                    draft.event,
                    draft.survey,
                    draft.survey_version,
                    draft.response_id,
                    *clear,
                    stamp(utcnow()),
                ],
            )

    def delete_draft(self, key: str) -> None:
        """Call inside the transaction that stores the draft's response."""
        self.store.conn.execute("DELETE FROM drafts WHERE key = ?", [key])

    def drafts(self) -> Iterator[Draft]:
        """Every draft that is not sealed, oldest first."""
        for (key,) in self.store.conn.execute(
            "SELECT key FROM drafts WHERE sealed IS NULL ORDER BY updated"
        ):
            draft = self.draft(key)
            if draft is not None:
                yield draft

    # -- secrets --------------------------------------------------------------------------------

    def secret(self, name: str) -> bytes:
        """A random secret kept in the database (made on first use), e.g. for CSRF tokens."""
        row = self.store.conn.execute("SELECT value FROM secrets WHERE name = ?", [name]).fetchone()
        if row is None:
            with self.store.write():
                self.store.conn.execute(
                    "INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)",
                    [name, secrets.token_hex(32)],
                )
            row = self.store.conn.execute(
                "SELECT value FROM secrets WHERE name = ?", [name]
            ).fetchone()
        return bytes.fromhex(row[0])
