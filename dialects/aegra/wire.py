"""Aegra's response shapes: the `Assistant` model's keys in Pydantic field order, its timestamps, and
the key order PostgreSQL's JSONB gives `config`, `context` and `metadata`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import msgspec

from dialects.langgraph import ContextKeys
from dialects.langsmith.wire import View
from gateway.model import SYSTEM_OWNER, Assistant, Version

_EPOCH = datetime(1970, 1, 1)


def iso_z(us: int) -> str:
    """`2026-11-22T09:01:17.892022Z`, as Pydantic writes a UTC datetime (no fraction when it is .0)."""
    return (_EPOCH + timedelta(microseconds=us)).isoformat() + "Z"


def _jsonb_key(key: str) -> tuple[int, str]:
    # JSONB compares keys by UTF-8 length, then bytewise; UTF-8 byte order is code point order.
    return (len(key) if key.isascii() else len(key.encode("utf-8", "surrogatepass")), key)


def _in_jsonb_order(keys: list[str]) -> bool:
    previous: tuple[int, str] | None = None
    for key in keys:
        current = _jsonb_key(key)
        if previous is not None and current < previous:
            return False
        previous = current
    return True


def jsonb_ordered(value: dict[str, Any]) -> dict[str, Any]:
    """`value` with every object's keys in JSONB order (shorter first, then bytewise), at any depth.

    Returns `value` itself when it is already in that order, so the common case costs no copy.
    Iterative: stored documents may be nested far deeper than Python's recursion limit.
    """
    if not value:
        return value
    flat = True
    for item in value.values():
        kind = type(item)
        if kind is dict or kind is list:
            flat = False
            break
    if flat:  # the usual metadata: one level of scalars
        keys = list(value)
        return value if _in_jsonb_order(keys) else {k: value[k] for k in sorted(keys, key=_jsonb_key)}
    if _ordered_throughout(value):
        return value
    root: dict[str, Any] = {}
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        if type(source) is dict:
            keys = list(source)
            if not _in_jsonb_order(keys):
                keys.sort(key=_jsonb_key)
            pairs: Any = ((k, source[k]) for k in keys)
        else:
            pairs = enumerate(source)
        for key, item in pairs:
            kind = type(item)
            if (kind is dict or kind is list) and item:
                copy: Any = {} if kind is dict else []
                stack.append((item, copy))
                item = copy
            if type(target) is dict:
                target[key] = item
            else:
                target.append(item)
    return root


def _ordered_throughout(value: dict[str, Any]) -> bool:
    stack: list[Any] = [value]
    push, pop = stack.append, stack.pop
    while stack:
        item = pop()
        if type(item) is dict:
            previous: tuple[int, str] | None = None
            for key, sub in item.items():
                current = (len(key) if key.isascii() else len(key.encode("utf-8", "surrogatepass")), key)
                if previous is not None and current < previous:
                    return False
                previous = current
                kind = type(sub)
                if kind is dict or kind is list:
                    push(sub)
        else:
            for sub in item:
                kind = type(sub)
                if kind is dict or kind is list:
                    push(sub)
    return True


def _unordered(value: dict[str, Any]) -> dict[str, Any]:
    return value


# -- response structs (one per metadata key setting, all in Aegra's key order) ------------------------------


class AssistantOut(msgspec.Struct):
    assistant_id: str
    name: str
    description: str | None
    config: dict[str, Any]
    context: dict[str, Any]
    graph_id: str
    user_id: str
    version: int
    metadata: dict[str, Any]
    created_at: str
    updated_at: str


class AssistantOutDict(msgspec.Struct):
    assistant_id: str
    name: str
    description: str | None
    config: dict[str, Any]
    context: dict[str, Any]
    graph_id: str
    user_id: str
    version: int
    metadata_dict: dict[str, Any]
    created_at: str
    updated_at: str


class AssistantOutBoth(msgspec.Struct):
    assistant_id: str
    name: str
    description: str | None
    config: dict[str, Any]
    context: dict[str, Any]
    graph_id: str
    user_id: str
    version: int
    metadata: dict[str, Any]
    metadata_dict: dict[str, Any]
    created_at: str
    updated_at: str


AnyAssistantOut = AssistantOut | AssistantOutDict | AssistantOutBoth


def default_description(graph_id: str) -> str:
    return f"Default assistant for graph '{graph_id}'"


class AegraView(View):
    """Canonical → Aegra. The LangGraph view of `context` and `config` is LangSmith's; on top of it:
    `user_id`, Aegra's key order and timestamps, the metadata key(s), and the default description of
    system assistants."""

    def __init__(
        self,
        keys: ContextKeys,
        default_graph_id: str,
        *,
        metadata_key: str = "both",
        jsonb_key_order: bool = True,
    ) -> None:
        super().__init__(keys, default_graph_id)
        self.order = jsonb_ordered if jsonb_key_order else _unordered
        self._out = {
            "both": self._both,
            "metadata": self._metadata,
            "metadata_dict": self._metadata_dict,
        }[metadata_key]

    def description(self, description: str | None, owner: str, graph_id: str) -> str | None:
        if description is None and owner == SYSTEM_OWNER:
            return default_description(graph_id)
        return description

    def assistant(self, a: Assistant, *, ordered: bool = True) -> AnyAssistantOut:  # type: ignore[override]
        """The assistant; `ordered=False` keeps the objects' key order as it is (a PATCH answers with
        its own merge order, as Aegra does: stored keys in JSONB order, then the request's)."""
        config, context = self.config_and_context(a)
        graph_id = a.graph_id or self.default_graph_id
        updated = iso_z(a.updated_at)
        order = self.order if ordered else _unordered
        return self._out(
            a.id,
            a.name,
            self.description(a.description, a.owner, graph_id),
            order(config),
            order(context),
            graph_id,
            a.owner,
            a.version,
            order(a.metadata),
            updated if a.updated_at == a.created_at else iso_z(a.created_at),
            updated,
        )

    def version(  # type: ignore[override]
        self, assistant_id: str, v: Version, *, user_id: str, owner: str
    ) -> AnyAssistantOut:
        """One row of `/versions`: `user_id` is the caller, both timestamps the version's creation."""
        s = v.snapshot
        config, context = self.config_and_context(s)
        graph_id = s.graph_id or self.default_graph_id
        created = iso_z(v.created_at)
        return self._out(
            assistant_id,
            s.name,
            self.description(s.description, owner, graph_id),
            self.order(config),
            self.order(context),
            graph_id,
            user_id,
            v.version,
            self.order(s.metadata),
            created,
            created,
        )

    @staticmethod
    def _metadata(*f: Any) -> AnyAssistantOut:
        return AssistantOut(*f)

    @staticmethod
    def _metadata_dict(*f: Any) -> AnyAssistantOut:
        return AssistantOutDict(*f)

    @staticmethod
    def _both(*f: Any) -> AnyAssistantOut:
        return AssistantOutBoth(*f[:9], f[8], *f[9:])
