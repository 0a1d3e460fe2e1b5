"""SQL for search and count, built from a `SearchQuery` as plain (sql, params) pairs.

Kept apart from connection handling so that the query shapes can be read and tested on their own.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from gateway import jsonmatch
from gateway.model import Scope, SearchQuery

# Longer index keys are stored as a digest: the index stays compact and equality still holds.
MAX_INDEXED_TEXT = 200
MAX_SQL_INT = 2**62

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def index_key(text: str) -> str:
    if len(text) <= MAX_INDEXED_TEXT:
        return text
    return "#" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def metadata_rows(pk: int, metadata: dict[str, Any]) -> list[tuple[str, str, int]]:
    return sorted({(index_key(path), index_key(value), pk) for path, value in jsonmatch.leaves(metadata)})


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


def scope_filter(where: Where, scope: Scope) -> None:
    where.add("a.tenant = ?", scope.tenant)
    if scope.owners is not None:
        where.add(f"a.owner IN ({','.join('?' * len(scope.owners))})", *scope.owners)


def search_filter(scope: Scope, query: SearchQuery) -> tuple[Where, bool]:
    """The WHERE clause for a query, and whether the metadata filter must still be checked in Python."""
    where = Where()
    scope_filter(where, scope)
    if query.graph_id is not None:
        if query.graph_id == query.default_graph_id:
            where.add("(a.graph_id = ? OR a.graph_id IS NULL)", query.graph_id)
        else:
            where.add("a.graph_id = ?", query.graph_id)
    if query.name_contains:
        where.add("instr(a.name_folded, ?) > 0", fold(query.name_contains))
    if query.name_equals is not None:
        where.add("json_extract(CAST(a.doc AS TEXT), '$.name') = ?", query.name_equals)
    if query.description_contains:
        where.add("instr(a.description_folded, ?) > 0", fold(query.description_contains))
    for dotted, value in (query.extension_equals or {}).items():
        where.add(
            f"json_extract(CAST(a.doc AS TEXT), '{_json_path('extensions', *dotted.split('.'))}') = ?", value
        )
    needs_check = False
    if query.metadata:
        leaves = jsonmatch.filter_leaves(query.metadata)
        if leaves:
            probes = " INTERSECT ".join(
                ["SELECT pk FROM assistant_metadata WHERE path = ? AND value = ?"] * len(leaves)
            )
            where.add(
                f"a.pk IN ({probes})",
                *[index_key(part) for leaf in leaves for part in leaf],
            )
        needs_check = not jsonmatch.is_exact(query.metadata)
    return where, needs_check


def _json_path(*keys: str) -> str:
    for key in keys:
        if not _IDENTIFIER.match(key):
            raise ValueError(f"not a plain key: {key!r}")
    return "$." + ".".join(f'"{key}"' for key in keys)


def sort_key(query: SearchQuery) -> tuple[str, list[Any]]:
    """The SQL expression to sort by, with its parameters."""
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
            return "a.created_at", []


def tiebreak_column(query: SearchQuery) -> str:
    return "a.assistant_id" if query.tiebreak_by_id else "a.pk"


def order_by(query: SearchQuery, *, reverse: bool = False) -> tuple[str, list[Any]]:
    """ORDER BY for the query. Ties keep insertion order (LangSmith's stable sort) or id order (Aegra)."""
    key, params = sort_key(query)
    descending = query.descending != reverse
    tiebreak_direction = "DESC" if reverse else "ASC"
    return f"{key} {'DESC' if descending else 'ASC'}, {tiebreak_column(query)} {tiebreak_direction}", params


def cursor_predicate(query: SearchQuery, *, after: bool) -> str:
    """Rows strictly after (or before) a cursor row whose key and tiebreak are bound as ?, ?, ?."""
    key, _ = sort_key(query)
    tiebreak = tiebreak_column(query)
    forward = ">" if after else "<"
    key_op = forward if not query.descending else ("<" if after else ">")
    return f"({key} {key_op} ? OR ({key} = ? AND {tiebreak} {forward} ?))"


def clamp(value: int) -> int:
    """Keep client-supplied offsets and limits inside SQLite's integer range."""
    return max(0, min(int(value), MAX_SQL_INT))
