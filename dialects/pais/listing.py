"""One page of agents for `GET .../assistants` and `GET .../agents`.

Sorted by creation time (ties in insertion order), `asc` by default. `after` / `before` are agent ids
(cursors); `offset` skips rows after the cursor is applied. Filters: `name` (exact, as PAIS shows it:
`name=` finds only agents shown with the name `""`, not unnamed ones, shown as null), `index_id` (the
agent's legacy `index_id`, compared as a canonical uuid when it is one) and `knowledge_base_id`.

The gateway has no knowledge bases of its own, so `knowledge_base_id` uses the configured table
`knowledge_bases` (knowledge base id → its index ids and search-tool ids): an agent belongs to a
knowledge base when its `index_id` or the `tool_id` of one of its tool links is listed there. An
unknown knowledge base matches nothing. This filter runs in Python over the other filters' matches,
so it costs a scan of the tenant's agents; the common, unfiltered path stays a single indexed query.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from dialects.pais.mapping import pais_extension
from dialects.pais.validation import parse_uuid
from dialects.pais.wire import ListQuery
from gateway.model import Assistant, Scope, SearchQuery
from gateway.service import AssistantService

_EVERYTHING = 2**62


def search_query(params: ListQuery) -> SearchQuery:
    extension_equals = None
    if params.index_id is not None:
        extension_equals = {"pais.index_id": parse_uuid(params.index_id) or params.index_id}
    return SearchQuery(
        name_equals=params.name,
        extension_equals=extension_equals,
        sort_by="created_at",
        descending=params.order == "desc",
        limit=params.limit,
        offset=params.offset,
        after=params.after,
        before=params.before,
    )


def linked_ids(assistant: Assistant) -> set[str]:
    pais = pais_extension(assistant)
    ids = {pais["index_id"]} if isinstance(pais.get("index_id"), str) else set()
    tools = pais.get("tools")
    if isinstance(tools, list):
        ids.update(t["tool_id"] for t in tools if isinstance(t, dict) and isinstance(t.get("tool_id"), str))
    return ids


Predicate = Callable[[Assistant], bool]


class Lister:
    def __init__(self, service: AssistantService, knowledge_bases: dict[str, list[str]]) -> None:
        self.service = service
        self.knowledge_bases = {
            kb: frozenset(parse_uuid(i) or i for i in ids) for kb, ids in knowledge_bases.items()
        }

    async def page(self, scope: Scope, params: ListQuery) -> tuple[list[Assistant], bool, int | None]:
        """The page, whether more rows follow it in its direction, and the total when asked for.

        Raises `NotFound` for a cursor that is not an agent of the tenant.
        """
        query = search_query(params)
        predicates: list[Predicate] = []
        if params.name == "":
            predicates.append(lambda a: pais_extension(a).get("name") == "")
        if params.knowledge_base_id is not None:
            members = self.knowledge_bases.get(params.knowledge_base_id, frozenset())
            predicates.append(lambda a: not members.isdisjoint(linked_ids(a)))
            if not members:  # nothing can match; an unknown cursor is still refused
                await self.service.search(scope, msgspec.structs.replace(query, limit=0, offset=0))
                return [], False, 0 if params.set_num_objects else None
        if not predicates:
            page, has_more = await self.service.search(scope, query)
            total = await self.service.count(scope, query) if params.set_num_objects else None
            return page, has_more, total
        return await self._filtered(scope, query, params, predicates)

    async def _filtered(
        self, scope: Scope, query: SearchQuery, params: ListQuery, predicates: list[Predicate]
    ) -> tuple[list[Assistant], bool, int | None]:
        """The storage's matches (cursor applied), then the predicates, then offset and limit."""
        rows, _ = await self.service.search(
            scope, msgspec.structs.replace(query, limit=_EVERYTHING, offset=0)
        )
        matches = [a for a in rows if all(p(a) for p in predicates)]
        n, limit, offset = len(matches), params.limit, params.offset
        if query.before is not None and query.after is None:  # the rows nearest the cursor, in order
            end = max(0, n - offset)
            page, has_more = matches[max(0, end - limit) : end], end > limit
        else:
            page, has_more = matches[offset : offset + limit], n > offset + limit
        total = None
        if params.set_num_objects:
            everything = msgspec.structs.replace(query, limit=_EVERYTHING, offset=0, after=None, before=None)
            all_rows, _ = await self.service.search(scope, everything)
            total = sum(1 for a in all_rows if all(p(a) for p in predicates))
        return page, has_more, total
