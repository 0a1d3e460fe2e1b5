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


# -- serving ---------------------------------------------------------------------------------------------


class CoalescingTransport:
    """A transport that sends everything written during one turn of the event loop in one write.

    uvicorn writes a response's head and its body separately, two send() system calls where one
    would do; on loopback that second call costs as much as routing the request (bench/ measured).
    Writes are gathered and flushed by a callback at the end of the current loop turn (the head and a
    one-piece body are written in the same turn), and before the transport is closed.
    """

    __slots__ = ("_loop", "_pending", "_transport")

    def __init__(self, transport: Any, loop: Any) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(data)

    def writelines(self, lines: Any) -> None:
        for data in lines:
            self.write(data)

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending) if len(self._pending) > 1 else self._pending[0]
            self._pending = []
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._pending = []
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(len(d) for d in self._pending)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def coalescing_protocol() -> type | None:
    """uvicorn's httptools protocol whose responses leave in one write (see `CoalescingTransport`);
    None without httptools. Also usable as `uvicorn --http gateway.http:CoalescingHttpToolsProtocol`."""
    return CoalescingHttpToolsProtocol


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - uvicorn[standard] installs httptools
    CoalescingHttpToolsProtocol: type | None = None
else:

    class CoalescingHttpToolsProtocol(HttpToolsProtocol):  # type: ignore[no-redef]
        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(CoalescingTransport(transport, self.loop))  # type: ignore[arg-type]
