"""SQL for search and count, built from a `SearchQuery` as plain (sql, params) pairs.

Kept apart from connection handling so that the query shapes can be read and tested on their own.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import msgspec

from gateway import jsonmatch
from gateway.model import Assistant, Scope, SearchQuery

# Longer index keys are stored as a digest: the index stays compact and equality still holds.
MAX_INDEXED_TEXT = 200
MAX_SQL_INT = 2**62

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def index_key(text: str) -> str:
    if len(text) <= MAX_INDEXED_TEXT:
        return text
    return "#" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def metadata_rows(pk: int, assistant: Any) -> list[tuple[str, str, str, int, int]]:
    """The rows of `metadata_leaves` for one assistant: (tenant, path, value, created_at, pk)."""
    tenant, created_at = assistant.tenant, assistant.created_at
    return sorted(
        {
            (tenant, index_key(path), index_key(value), created_at, pk)
            for path, value in jsonmatch.leaves(assistant.metadata)
        }
    )


def fold(text: str) -> str:
    """Case folding used for case-insensitive filters and sorts (Python's `lower`, as the vendors)."""
    return text.lower()


class Where:
    """A WHERE clause under construction."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        return " AND ".join(self.parts) if self.parts else "1"


class Plan:
    """FROM and WHERE of a search or count.

    Without a metadata filter the rows come from `assistants` (tenant index). With one, they come from
    the metadata index: the range of one filter leaf (`m`, ordered by creation time, so the default
    newest-first page is read straight off the index and stops at LIMIT), each other leaf checked by
    one index probe per candidate, the assistant row joined by primary key. CROSS JOIN fixes that
    order: SQLite's planner, without statistics, would rather walk the whole tenant.
    """

    def __init__(self) -> None:
        self.source = "assistants a"
        self.where = Where()
        self.driven = False  # rows come from the metadata index `m`
        self.row_filters = False  # some condition needs the assistant row (beyond the tenant)
        self.needs_check = False  # some filter must still be checked in Python (`matches`)

    def key(self, query: SearchQuery) -> tuple[str, list[Any]]:
        return sort_key(query, driven=self.driven)

    def tiebreak(self, query: SearchQuery) -> str:
        return tiebreak_column(query, driven=self.driven)


LEAF_RANGE = "m.tenant = ? AND m.path = ? AND m.value = ?"
LEAF_PROBE = (
    "EXISTS (SELECT 1 FROM metadata_leaves x WHERE x.tenant = m.tenant AND x.path = ? AND x.value = ?"
    " AND x.created_at = m.created_at AND x.pk = m.pk)"
)


def scope_filter(where: Where, scope: Scope) -> None:
    where.add("a.tenant = ?", scope.tenant)
    if scope.owners is not None:
        where.add(f"a.owner IN ({','.join('?' * len(scope.owners))})", *scope.owners)


def metadata_leaves(query: SearchQuery) -> list[tuple[str, str]]:
    """The filter's leaves as index keys; empty without a metadata filter (or one with no leaves)."""
    if not query.metadata:
        return []
    return [(index_key(path), index_key(value)) for path, value in jsonmatch.filter_leaves(query.metadata)]


def plan(scope: Scope, query: SearchQuery, leaves: list[tuple[str, str]] | None = None) -> Plan:
    """The plan for a query; `leaves` (from `metadata_leaves`, the driving leaf first) may be reordered
    by the caller, who knows which leaf is the most selective."""
    if leaves is None:
        leaves = metadata_leaves(query)
    p = Plan()
    where = p.where
    if leaves:
        p.driven = True
        p.source = "metadata_leaves m CROSS JOIN assistants a ON a.pk = m.pk"
        where.add(LEAF_RANGE, scope.tenant, *leaves[0])
        for leaf in leaves[1:]:
            where.add(LEAF_PROBE, *leaf)
    else:
        where.add("a.tenant = ?", scope.tenant)
    if scope.owners is not None:
        where.add(f"a.owner IN ({','.join('?' * len(scope.owners))})", *scope.owners)
        p.row_filters = True
    if query.graph_id is not None:
        p.row_filters = True
        if query.graph_id == query.default_graph_id:
            where.add("(a.graph_id = ? OR a.graph_id IS NULL)", query.graph_id)
        else:
            where.add("a.graph_id = ?", query.graph_id)
    if query.name_contains:
        p.row_filters = True
        where.add("instr(a.name_folded, ?) > 0", fold(query.name_contains))
    if query.name_equals is not None:
        p.row_filters = True
        # Narrowed in SQL by the folded name, decided in Python (`matches`): SQLite's JSON functions
        # stop at a NUL character, and no index keeps the exact name.
        where.add("a.name_folded = ?", fold(query.name_equals))
    if query.description_contains:
        p.row_filters = True
        where.add("instr(a.description_folded, ?) > 0", fold(query.description_contains))
    if query.ids is not None:
        p.row_filters = True
        # One parameter however many ids (ids never hold NUL, where SQLite's JSON functions stop).
        where.add("a.assistant_id IN (SELECT value FROM json_each(?))", _encode_ids(query.ids))
    for dotted, value in (query.extension_equals or {}).items():
        p.row_filters = True
        where.add(
            f"json_extract(CAST(a.doc AS TEXT), '{_json_path('extensions', *dotted.split('.'))}') = ?", value
        )
    p.needs_check = query.name_equals is not None or (
        bool(query.metadata) and not jsonmatch.is_exact(query.metadata)
    )
    return p


def _encode_ids(ids: tuple[str, ...]) -> str:
    return msgspec.json.encode(ids).decode()


def matches(query: SearchQuery, assistant: Assistant) -> bool:
    """The part of a query SQL does not decide exactly: metadata containment and the exact name."""
    if query.name_equals is not None and assistant.name != query.name_equals:
        return False
    return not query.metadata or jsonmatch.contains(assistant.metadata, query.metadata)


def _json_path(*keys: str) -> str:
    for key in keys:
        if not _IDENTIFIER.match(key):
            raise ValueError(f"not a plain key: {key!r}")
    return "$." + ".".join(f'"{key}"' for key in keys)


def sort_key(query: SearchQuery, *, driven: bool = False) -> tuple[str, list[Any]]:
    """The SQL expression to sort by, with its parameters (creation time from the index when driven)."""
    match query.sort_by:
        case "updated_at":
            return "a.updated_at", []
        case "assistant_id":
            return "a.assistant_id", []
        case "name":
            return "a.name_folded", []
        case "graph_id":
            return "lower(coalesce(a.graph_id, ?))", [query.default_graph_id or ""]
        case _:
            return ("m.created_at" if driven else "a.created_at"), []


def tiebreak_column(query: SearchQuery, *, driven: bool = False) -> str:
    if query.tiebreak_by_id:
        return "a.assistant_id"
    return "m.pk" if driven else "a.pk"


def order_by(query: SearchQuery, *, reverse: bool = False, driven: bool = False) -> tuple[str, list[Any]]:
    """ORDER BY for the query. Ties keep insertion order (LangSmith's stable sort) or id order (Aegra)."""
    key, params = sort_key(query, driven=driven)
    descending = query.descending != reverse
    tiebreak_direction = "DESC" if reverse else "ASC"
    tiebreak = tiebreak_column(query, driven=driven)
    return f"{key} {'DESC' if descending else 'ASC'}, {tiebreak} {tiebreak_direction}", params


def cursor_predicate(query: SearchQuery, *, after: bool, driven: bool = False) -> str:
    """Rows strictly after (or before) a cursor row whose key and tiebreak are bound as ?, ?, ?."""
    key, _ = sort_key(query, driven=driven)
    tiebreak = tiebreak_column(query, driven=driven)
    forward = ">" if after else "<"
    key_op = forward if not query.descending else ("<" if after else ">")
    return f"({key} {key_op} ? OR ({key} = ? AND {tiebreak} {forward} ?))"


def clamp(value: int) -> int:
    """Keep client-supplied offsets and limits inside SQLite's integer range."""
    return max(0, min(int(value), MAX_SQL_INT))
