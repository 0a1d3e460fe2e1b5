"""JSON containment with PostgreSQL `@>` semantics, and its decomposition into indexable leaves.

Both LangSmith (production, Postgres) and Aegra filter metadata with JSONB containment. Storage
indexes each assistant's metadata as (path, value) leaves; a filter is decomposed the same way, so
candidate rows are found through the index and then checked exactly with `contains`. Everything here
is iterative: hostile, deeply nested documents must not hit Python's recursion limit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import msgspec

_encode = msgspec.json.Encoder(order="deterministic").encode

# A path is a tuple of object keys; ARRAY_ITEM marks "some element of the array here".
ARRAY_ITEM = 0


def _scalar_key(value: Any) -> str:
    """A canonical text for a JSON scalar: 1 and 1.0 are the same number, true is not 1."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        value = int(value)
    return _encode(value).decode()


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def contains(document: Any, pattern: Any) -> bool:
    """PostgreSQL `document @> pattern` for JSON values (objects, arrays, scalars)."""
    stack: list[tuple[Any, Any]] = [(document, pattern)]
    while stack:
        doc, pat = stack.pop()
        if isinstance(pat, dict):
            if not isinstance(doc, dict):
                return False
            for key, sub in pat.items():
                if key not in doc:
                    return False
                stack.append((doc[key], sub))
        elif isinstance(pat, list):
            if not isinstance(doc, list):
                return False
            for item in pat:
                if not any(_contains_item(candidate, item) for candidate in doc):
                    return False
        elif not _same(doc, pat):
            return False
    return True


def _contains_item(candidate: Any, item: Any) -> bool:
    if isinstance(item, dict | list):
        return contains(candidate, item)
    return not isinstance(candidate, dict | list) and _same(candidate, item)


def leaves(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield (path, value) pairs for every scalar in `document`, arrays flattened to ARRAY_ITEM.

    Duplicates are possible (the same scalar twice in an array); callers de-duplicate. Top-level
    scalars, the usual metadata, take a short path: this runs for every write of an assistant.
    """
    stack: list[tuple[tuple[Any, ...], Any]] = []
    if not isinstance(document, dict):
        stack.append(((), document))
    else:
        for key, value in document.items():
            if isinstance(value, dict | list):
                stack.append(((key,), value))
            else:
                yield _top_path(key), _scalar_key(value)
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, sub in value.items():
                stack.append(((*path, key), sub))
        elif isinstance(value, list):
            for sub in value:
                stack.append(((*path, ARRAY_ITEM), sub))
        elif path:
            yield _encode(list(path)).decode(), _scalar_key(value)


@functools.lru_cache(maxsize=4096)
def _top_path(key: str) -> str:
    return _encode([key]).decode()


def filter_leaves(pattern: dict[str, Any]) -> list[tuple[str, str]]:
    """The leaves every matching document must have; empty when the pattern has none to offer.

    Containment of a filter leaf is necessary for a match, so intersecting the index on these leaves
    yields a superset of the matches; `contains` then decides exactly.
    """
    return sorted(set(leaves(pattern)))


def is_exact(pattern: dict[str, Any]) -> bool:
    """True when the index alone answers the pattern: only objects and scalars, no arrays or `{}`.

    Then every document with all the filter's leaves contains it, and pagination can run in SQL.
    """
    stack: list[Any] = [pattern]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            return False
        if isinstance(value, dict):
            if not value and value is not pattern:
                return False
            stack.extend(value.values())
    return True
