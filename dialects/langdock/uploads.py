"""Reading one multipart `file` part within a size limit, without buffering more than the limit allows."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

# Room for the multipart framing (boundaries, part headers, small text fields) beside the file itself.
FRAMING_ALLOWANCE = 64 * 1024


class NoFile(Exception):
    """No `file` part (wrong content type, a plain text field, or a malformed body)."""


class FileTooLarge(Exception):
    pass


class File:
    __slots__ = ("content", "mime_type", "name")

    def __init__(self, name: str, mime_type: str, content: bytes) -> None:
        self.name = name
        self.mime_type = mime_type
        self.content = content


async def _bounded(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit:
            raise FileTooLarge
        yield chunk


async def read_file(request: Request, limit: int) -> File:
    """The `file` part of a multipart/form-data body; `FileTooLarge` past `limit` bytes of file content."""
    content_type = request.headers.get("content-type", "")
    if content_type.partition(";")[0].strip().lower() != "multipart/form-data":
        raise NoFile
    body_limit = limit + FRAMING_ALLOWANCE
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > body_limit:
        raise FileTooLarge
    parser = MultiPartParser(request.headers, _bounded(request, body_limit), max_files=10, max_fields=100)
    try:
        form = await parser.parse()
    except MultiPartException:
        raise NoFile from None
    try:
        part = form.get("file")
        if not isinstance(part, UploadFile):
            raise NoFile
        if part.size is not None and part.size > limit:
            raise FileTooLarge
        content = await part.read()
        if len(content) > limit:
            raise FileTooLarge
        mime_type = part.content_type or "application/octet-stream"
        return File(part.filename or "file", mime_type, content)
    finally:
        await form.close()
