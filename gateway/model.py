"""The canonical assistant: a superset of what every dialect can say, and nothing vendor-shaped.

Dialects translate to and from these structs; storage persists them; the service enforces their
invariants. Timestamps are integer microseconds since the epoch (UTC) so that they sort, compare
and serialise without ambiguity; each dialect formats them its own way.
"""

from __future__ import annotations

import os
import time
from typing import Any

import msgspec

JSONObject = dict[str, Any]

SYSTEM_OWNER = "system"
DEFAULT_TENANT = "default"
ANONYMOUS_USER = "anonymous"


class Assistant(msgspec.Struct, kw_only=True):
    """One assistant as the gateway stores it, at the version it currently points to."""

    id: str
    tenant: str = DEFAULT_TENANT
    owner: str = ANONYMOUS_USER
    name: str
    description: str | None = None
    instructions: str | None = None
    model: str | None = None
    temperature: float | None = None
    graph_id: str | None = None
    config: JSONObject = msgspec.field(default_factory=dict)
    context: JSONObject = msgspec.field(default_factory=dict)
    metadata: JSONObject = msgspec.field(default_factory=dict)
    disabled: bool = False
    extensions: JSONObject = msgspec.field(default_factory=dict)
    version: int = 1
    created_at: int = 0
    updated_at: int = 0


class Snapshot(msgspec.Struct, kw_only=True):
    """The content of one version: everything an update can change, frozen at that version."""

    name: str
    description: str | None = None
    instructions: str | None = None
    model: str | None = None
    temperature: float | None = None
    graph_id: str | None = None
    config: JSONObject = msgspec.field(default_factory=dict)
    context: JSONObject = msgspec.field(default_factory=dict)
    metadata: JSONObject = msgspec.field(default_factory=dict)
    disabled: bool = False
    extensions: JSONObject = msgspec.field(default_factory=dict)


class Version(msgspec.Struct, kw_only=True):
    """One row of an assistant's history."""

    version: int
    created_at: int
    snapshot: Snapshot


SNAPSHOT_FIELDS: tuple[str, ...] = Snapshot.__struct_fields__
# `disabled` is administrative state (Langdock enable/disable), not content: a rollback keeps it.
RESTORED_FIELDS: tuple[str, ...] = tuple(f for f in SNAPSHOT_FIELDS if f != "disabled")


def snapshot_of(assistant: Assistant) -> Snapshot:
    return Snapshot(**{f: getattr(assistant, f) for f in SNAPSHOT_FIELDS})


class Attachment(msgspec.Struct, kw_only=True):
    """An uploaded file that assistants can reference (Langdock `attachments`); its bytes are stored apart."""

    id: str
    tenant: str = DEFAULT_TENANT
    owner: str = ANONYMOUS_USER
    name: str
    mime_type: str
    size: int
    created_at: int = 0
    deleted: bool = False  # soft delete, as Langdock does


class Scope(msgspec.Struct, frozen=True, kw_only=True):
    """Who is asking: the tenant whose data is visible, and optionally which owners' rows.

    `owners=None` means every owner in the tenant (LangSmith, Langdock, PAIS); Aegra narrows reads to
    the caller and the system owner.
    """

    tenant: str = DEFAULT_TENANT
    user: str = ANONYMOUS_USER
    owners: tuple[str, ...] | None = None


SORT_FIELDS = ("created_at", "updated_at", "assistant_id", "name", "graph_id")


class SearchQuery(msgspec.Struct, kw_only=True):
    """A filtered, sorted page of assistants; every filter is optional and they are AND-ed."""

    graph_id: str | None = None
    # Assistants without a graph (created through Langdock or PAIS) count as this graph.
    default_graph_id: str | None = None
    name_contains: str | None = None  # case-insensitive substring
    name_equals: str | None = None
    description_contains: str | None = None  # case-insensitive substring
    metadata: JSONObject | None = None  # JSONB-style containment
    extension_equals: dict[str, Any] | None = None  # "dialect.key" -> exact value
    ids: tuple[str, ...] | None = None  # only these assistant ids
    sort_by: str = "created_at"
    descending: bool = True
    tiebreak_by_id: bool = False  # Aegra appends `assistant_id ASC`; LangSmith keeps insertion order
    limit: int = 10
    offset: int = 0
    after: str | None = None  # cursor: assistant id; rows strictly after it in this order
    before: str | None = None  # cursor: rows strictly before it, still returned in this order


class NotFound(Exception):
    """The assistant (or version, or cursor) does not exist in the caller's scope."""


class Conflict(Exception):
    """An assistant with this id already exists; `existing` is it when it is visible to the caller."""

    def __init__(self, assistant_id: str, existing: Assistant | None = None) -> None:
        super().__init__(assistant_id)
        self.assistant_id = assistant_id
        self.existing = existing


class _UuidPool:
    """uuid4 strings drawn from a pooled `os.urandom` buffer: one system call per 256 ids, not one each.

    The same randomness source as `uuid.uuid4()`; only the reads are batched. Used on the event loop.
    """

    def __init__(self) -> None:
        self._buffer = b""
        self._offset = 0

    def __call__(self) -> str:
        if self._offset >= len(self._buffer):
            self._buffer = os.urandom(16 * 256)
            self._offset = 0
        raw = bytearray(self._buffer[self._offset : self._offset + 16])
        self._offset += 16
        raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
        raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = raw.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


new_uuid4 = _UuidPool()


def now_us() -> int:
    """The current time in integer microseconds since the epoch."""
    return time.time_ns() // 1000
