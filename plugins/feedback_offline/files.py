"""The response file of the offline form, and the bundle its "export all" writes.

A response file (``response-<uuid>.json``)::

    {
      "format": "feedback-response",
      "format_version": 1,
      "response": {"id": UUID, "survey": ..., "survey_version": ..., "event": ...,
                   "channel": "offline", "language": ..., "submitted": "YYYY-MM-DD",
                   "answers": {...}},
      "checksum": "sha256:<hex>"
    }

The checksum is the SHA-256 of the response's canonical JSON: keys sorted at every level, no
whitespace, text as UTF-8 (what ``JSON.stringify`` of a key-sorted copy gives in the browser).
A bundle (``{"format": "feedback-response-bundle", "format_version": 1, "files": [...]}``) holds
response files; each is checked on its own.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

FORMAT = "feedback-response"
BUNDLE = "feedback-response-bundle"
FORMAT_VERSION = 1


def canonical(value: Any) -> str:
    """The canonical JSON the checksum is taken of."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum(response: dict[str, Any]) -> str:
    """``sha256:<hex>`` of the response's canonical JSON."""
    return "sha256:" + hashlib.sha256(canonical(response).encode("utf-8")).hexdigest()


def response_file(response: dict[str, Any]) -> dict[str, Any]:
    """The file content for a response (a `feedback.responses.Response.record()`)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "response": response,
        "checksum": checksum(response),
    }


def bundle(files: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": BUNDLE, "format_version": FORMAT_VERSION, "files": files}
