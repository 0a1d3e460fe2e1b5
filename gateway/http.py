"""HTTP plumbing shared by the dialects: bounded body reading, strict JSON, fast JSON responses.

Vendor wording stays in the dialects; these helpers raise plain exceptions that each dialect maps to
its own error body.
"""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

_encoder = msgspec.json.Encoder()


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class InvalidJSON(Exception):
    """The body is not a single valid JSON document (empty, malformed, bad UTF-8, too deep)."""


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes before reading them when the length is known."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    chunks = bytearray()
    async for chunk in request.stream():
        chunks.extend(chunk)
        if len(chunks) > limit:
            raise BodyTooLarge(limit)
    return bytes(chunks)


def decode_json(body: bytes) -> Any:
    """Decode one JSON document, whatever the declared content type (vendors parse text/plain too)."""
    try:
        return msgspec.json.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, UnicodeDecodeError, ValueError):
        raise InvalidJSON from None


def encode_json(content: Any) -> bytes:
    return _encoder.encode(content)


class JSONResponse(Response):
    """A JSON response encoded by msgspec (structs, dicts, lists, ints: anything msgspec can encode)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return _encoder.encode(content)
