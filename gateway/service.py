"""The core service: every operation on assistants, with the invariants no dialect may break.

Invariants: ids are unique per tenant; `id`, `tenant`, `owner` and `created_at` never change after
creation; every update appends a full snapshot as version `max(history) + 1`; `/latest` re-points an
assistant at an old snapshot without adding one; a failed operation leaves nothing behind.

Vendor rules enter as pure functions (`change`, `guard`) that run inside the storage transaction, so
a dialect can decide on the current row and refuse it with its own error, atomically.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

import msgspec

from gateway.graphs import GraphRegistry
from gateway.model import (
    RESTORED_FIELDS,
    SYSTEM_OWNER,
    Assistant,
    Attachment,
    Conflict,
    NotFound,
    Scope,
    SearchQuery,
    Version,
    new_uuid4,
    now_us,
)
from storage.base import LookupKey, Storage, WriteTx

# LangGraph's namespace for graph-id → system-assistant-id (uuid5); Aegra uses the same one.
NAMESPACE_GRAPH = uuid.UUID("6ba7b821-9dad-11d1-80b4-00c04fd430c8")

Change = Callable[[Assistant], Assistant]
Guard = Callable[[WriteTx, Assistant], Assistant | None]


class VersionNotFound(NotFound):
    """The assistant exists but has no such version."""


def system_assistant_id(graph_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE_GRAPH, graph_id))


def _visible(scope: Scope, assistant: Assistant) -> bool:
    return assistant.tenant == scope.tenant and (scope.owners is None or assistant.owner in scope.owners)


class AssistantService:
    def __init__(self, storage: Storage, graphs: GraphRegistry, *, clock: Callable[[], int] = now_us) -> None:
        self.storage = storage
        self.graphs = graphs
        self._clock = clock

    def register_lookup(self, kind: str, key: LookupKey, signature: str) -> None:
        """Have storage index `key(assistant)` for every assistant, whichever dialect writes it, so that a
        dialect's rule across assistants (`tx.find`) is an index probe. Call before the store opens."""
        self.storage.register_lookup(kind, key, signature)

    async def lookup(self, tenant: str, kind: str, key: str) -> list[Assistant]:
        """The tenant's assistants with lookup key `key` of `kind`, oldest first (see `register_lookup`)."""
        return await self.storage.write(lambda tx: tx.find(tenant, kind, key))

    # -- reads -------------------------------------------------------------------------------------------

    async def get(self, scope: Scope, assistant_id: str) -> Assistant:
        assistant = await self.storage.get(scope, assistant_id)
        if assistant is None:
            raise NotFound(assistant_id)
        return assistant

    async def search(self, scope: Scope, query: SearchQuery) -> tuple[list[Assistant], bool]:
        return await self.storage.search(scope, query)

    async def count(self, scope: Scope, query: SearchQuery) -> int:
        return await self.storage.count(scope, query)

    async def versions(self, scope: Scope, assistant_id: str) -> list[Version]:
        versions = await self.storage.versions(scope, assistant_id)
        if versions is None:
            raise NotFound(assistant_id)
        return versions

    # -- writes ------------------------------------------------------------------------------------------

    async def create(
        self,
        scope: Scope,
        draft: Assistant,
        *,
        if_exists: str = "raise",
        guard: Guard | None = None,
    ) -> tuple[Assistant, bool]:
        """Store `draft` as version 1; returns the stored assistant and whether it is new.

        An empty `draft.id` gets a uuid4. When the id is taken: `if_exists="do_nothing"` returns the
        existing assistant if the caller can see it, anything else raises `Conflict`. `guard` runs
        before the insert and may return an existing assistant to answer with instead, or raise.
        """
        now = self._clock()
        candidate = msgspec.structs.replace(
            draft,
            id=draft.id or new_uuid4(),
            tenant=scope.tenant,
            version=1,
            created_at=now,
            updated_at=now,
        )

        def unit(tx: WriteTx) -> tuple[Assistant, bool]:
            existing = tx.get(candidate.tenant, candidate.id)
            if existing is not None:
                visible = _visible(scope, existing)
                if if_exists == "do_nothing" and visible:
                    return existing, False
                raise Conflict(candidate.id, existing if visible else None)
            if guard is not None and (answer := guard(tx, candidate)) is not None:
                return answer, False
            tx.insert(candidate)
            return candidate, True

        return await self.storage.write(unit)

    async def update(
        self, scope: Scope, assistant_id: str, change: Change, *, guard: Guard | None = None
    ) -> Assistant:
        """Apply `change` to the current assistant and store the result as a new version.

        `guard` sees the result before it is stored and may raise to refuse it (its return value is
        ignored); it runs in the same transaction, so a rule across assistants holds under concurrency.
        """

        def unit(tx: WriteTx) -> Assistant:
            current = tx.get(scope.tenant, assistant_id)
            if current is None or not _visible(scope, current):
                raise NotFound(assistant_id)
            changed = change(current)
            updated = msgspec.structs.replace(
                changed,
                id=current.id,
                tenant=current.tenant,
                owner=current.owner,
                created_at=current.created_at,
                version=tx.max_version(current.tenant, current.id) + 1,
                updated_at=max(self._clock(), current.updated_at),
            )
            if guard is not None:
                guard(tx, updated)
            tx.update(updated, new_version=True)
            return updated

        return await self.storage.write(unit)

    async def set_latest(
        self, scope: Scope, assistant_id: str, version: int, *, guard: Guard | None = None
    ) -> Assistant:
        """Point the assistant at an earlier (or later) snapshot; the history is not extended.

        `guard` works as in `update`.
        """

        def unit(tx: WriteTx) -> Assistant:
            current = tx.get(scope.tenant, assistant_id)
            if current is None or not _visible(scope, current):
                raise NotFound(assistant_id)
            found = tx.get_version(current.tenant, current.id, version)
            if found is None:
                raise VersionNotFound(assistant_id)
            restored = {field: getattr(found.snapshot, field) for field in RESTORED_FIELDS}
            updated = msgspec.structs.replace(
                current, **restored, version=found.version, updated_at=max(self._clock(), current.updated_at)
            )
            if guard is not None:
                guard(tx, updated)
            tx.update(updated, new_version=False)
            return updated

        return await self.storage.write(unit)

    async def delete(self, scope: Scope, assistant_id: str) -> None:
        def unit(tx: WriteTx) -> None:
            current = tx.get(scope.tenant, assistant_id)
            if current is None or not _visible(scope, current):
                raise NotFound(assistant_id)
            tx.delete(current.tenant, current.id)

        await self.storage.write(unit)

    # -- attachments ---------------------------------------------------------------------------------------

    async def add_attachment(self, scope: Scope, *, name: str, mime_type: str, content: bytes) -> Attachment:
        attachment = Attachment(
            id=new_uuid4(),
            tenant=scope.tenant,
            owner=scope.user,
            name=name,
            mime_type=mime_type,
            size=len(content),
            created_at=self._clock(),
        )
        await self.storage.write(lambda tx: tx.insert_attachment(attachment, content))
        return attachment

    async def get_attachment(self, scope: Scope, attachment_id: str) -> Attachment:
        """The attachment, deleted ones included (callers decide what a deleted one means)."""
        found = await self.storage.get_attachment(scope, attachment_id)
        if found is None:
            raise NotFound(attachment_id)
        return found

    async def delete_attachment(self, scope: Scope, attachment_id: str) -> Attachment:
        """Soft delete: the record stays (assistants may still name it) but is marked deleted."""

        def unit(tx: WriteTx) -> Attachment:
            found = tx.get_attachment(scope.tenant, attachment_id)
            if found is None or found.deleted:
                raise NotFound(attachment_id)
            deleted = msgspec.structs.replace(found, deleted=True)
            tx.update_attachment(deleted)
            return deleted

        return await self.storage.write(unit)

    # -- system assistants -------------------------------------------------------------------------------

    async def ensure_system_assistants(self, tenants: Iterable[str]) -> None:
        """One assistant per graph and tenant, as LangGraph servers create at start-up.

        Idempotent: an existing one is left alone unless the graph's name or description changed, which
        adds a version (as the reference does). One deleted through the API comes back at the next start.
        """
        graphs = list(self.graphs)

        def unit(tx: WriteTx, tenant: str) -> None:
            now = self._clock()
            for graph in graphs:
                assistant_id = system_assistant_id(graph.graph_id)
                existing = tx.get(tenant, assistant_id)
                if existing is None:
                    tx.insert(
                        Assistant(
                            id=assistant_id,
                            tenant=tenant,
                            owner=SYSTEM_OWNER,
                            name=graph.assistant_name,
                            description=graph.description,
                            graph_id=graph.graph_id,
                            metadata={"created_by": SYSTEM_OWNER},
                            created_at=now,
                            updated_at=now,
                        )
                    )
                elif existing.owner == SYSTEM_OWNER and (existing.name, existing.description) != (
                    graph.assistant_name,
                    graph.description,
                ):
                    tx.update(
                        msgspec.structs.replace(
                            existing,
                            name=graph.assistant_name,
                            description=graph.description,
                            version=tx.max_version(tenant, assistant_id) + 1,
                            updated_at=max(now, existing.updated_at),
                        ),
                        new_version=True,
                    )

        for tenant in sorted(set(tenants)):
            await self.storage.write(lambda tx, tenant=tenant: unit(tx, tenant))
