"""LangSmith's response shapes, field for field and in the reference server's key order."""

from __future__ import annotations

import functools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from dialects.langgraph import ContextKeys, view_config
from gateway import http
from gateway.model import Assistant, Snapshot, Version

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def iso(us: int) -> str:
    """`2026-11-22T09:03:13.616041+00:00`: Python's isoformat of an aware UTC datetime (no fraction at .0)."""
    seconds, micro = divmod(us, 1_000_000)
    whole = _whole_second(seconds)
    return f"{whole}.{micro:06d}+00:00" if micro else f"{whole}+00:00"


@functools.lru_cache(maxsize=4096)
def _whole_second(seconds: int) -> str:
    # A second is formatted once: a store's timestamps cluster (a page of search results, a burst of writes).
    return (_EPOCH + timedelta(seconds=seconds)).isoformat(timespec="seconds").removesuffix("+00:00")


def canonical_uuid(text: str) -> str | None:
    """Anything `uuid.UUID()` accepts (braces, urn:uuid:, no hyphens, upper case) in canonical form."""
    try:
        return str(uuid.UUID(text))
    except (ValueError, TypeError):
        return None


class AssistantOut(msgspec.Struct):
    assistant_id: str
    graph_id: str
    config: dict[str, Any]
    context: dict[str, Any]
    metadata: dict[str, Any]
    name: str
    created_at: str
    updated_at: str
    version: int
    description: str | None


class VersionOut(msgspec.Struct):
    assistant_id: str
    version: int
    graph_id: str
    config: dict[str, Any]
    context: dict[str, Any]
    metadata: dict[str, Any]
    created_at: str
    name: str
    description: str | None


class View:
    """Canonical → LangSmith, with the configured context keys and default graph."""

    def __init__(self, keys: ContextKeys, default_graph_id: str) -> None:
        self.keys = keys
        self.default_graph_id = default_graph_id

    def config_and_context(self, content: Assistant | Snapshot) -> tuple[dict[str, Any], dict[str, Any]]:
        canonical = {field: getattr(content, field) for field in self.keys.by_field}
        context = self.keys.overlay(content.context, canonical)
        return view_config(content.config, content.context, context), context

    def assistant(self, a: Assistant) -> AssistantOut:
        config, context = self.config_and_context(a)
        return AssistantOut(
            assistant_id=a.id,
            graph_id=a.graph_id or self.default_graph_id,
            config=config,
            context=context,
            metadata=a.metadata,
            name=a.name,
            created_at=iso(a.created_at),
            updated_at=iso(a.updated_at),
            version=a.version,
            description=a.description,
        )

    def version(self, assistant_id: str, v: Version) -> VersionOut:
        s = v.snapshot
        config, context = self.config_and_context(s)
        return VersionOut(
            assistant_id=assistant_id,
            version=v.version,
            graph_id=s.graph_id or self.default_graph_id,
            config=config,
            context=context,
            metadata=s.metadata,
            created_at=iso(v.created_at),
            name=s.name,
            description=s.description,
        )

    def selected(self, a: Assistant, select: list[str]) -> dict[str, Any]:
        """Only the selected keys, in the assistant's own key order (as the reference filters a dict)."""
        full = msgspec.structs.asdict(self.assistant(a))
        wanted = set(select)
        return {k: v for k, v in full.items() if k in wanted}


class JSONResponse(http.JSONResponse):
    """A success body as the reference's `json_dumpb` writes it: U+0000 comes out as U+FFFD, and so does
    the escaped text `\\u0000` inside a string, so that no NUL reaches a client. Error bodies keep theirs."""

    def render(self, content: Any) -> bytes:
        body = super().render(content)
        if rb"\u0000" not in body:
            return body
        return body.replace(rb"\\u0000", rb"\\ufffd").replace(rb"\u0000", rb"\ufffd")
