"""The storage interface the service is written against; backends implement it, nothing else.

Writes are units of work: the service hands `Storage.write` a plain function that runs against a
synchronous `WriteTx`, all of it atomically. A function that raises leaves nothing behind, and its
exception reaches the caller. Such a function may run on another thread, batched with others into
one commit (group commit), so it must not touch the event loop. It is answered only after its
transaction is durable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from gateway.model import Assistant, Attachment, Scope, SearchQuery, Version

T = TypeVar("T")

# A dialect's lookup key for an assistant (None: no key); storage keeps every kind's keys current.
LookupKey = Callable[[Assistant], str | None]


class WriteTx(Protocol):
    """Synchronous access to the store inside one atomic unit of work."""

    def get(self, tenant: str, assistant_id: str) -> Assistant | None: ...

    def insert(self, assistant: Assistant) -> None:
        """Store a new assistant and its history row for `assistant.version`."""

    def update(self, assistant: Assistant, *, new_version: bool) -> None:
        """Overwrite the assistant; with `new_version`, also append its snapshot to the history."""

    def delete(self, tenant: str, assistant_id: str) -> bool:
        """Remove the assistant and its history; False when it did not exist."""

    def max_version(self, tenant: str, assistant_id: str) -> int: ...

    def get_version(self, tenant: str, assistant_id: str, version: int) -> Version | None: ...

    def search(self, scope: Scope, query: SearchQuery) -> list[Assistant]:
        """The same search as `Storage.search`, seen from inside the transaction."""

    def find(self, tenant: str, kind: str, key: str) -> list[Assistant]:
        """The tenant's assistants whose lookup key of `kind` is `key`, oldest first."""

    def insert_attachment(self, attachment: Attachment, content: bytes) -> None: ...

    def get_attachment(self, tenant: str, attachment_id: str) -> Attachment | None: ...

    def update_attachment(self, attachment: Attachment) -> None:
        """Overwrite the record (not the bytes)."""


class Storage(Protocol):
    def register_lookup(self, kind: str, key: LookupKey, signature: str) -> None:
        """Keep `key(assistant)` indexed for every assistant written from now on (call before `open`).

        `signature` names the function's behaviour (including any settings it depends on): when it
        differs from the one the store was built with, `open` recomputes that kind for every row.
        """

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def get(self, scope: Scope, assistant_id: str) -> Assistant | None: ...

    async def search(self, scope: Scope, query: SearchQuery) -> tuple[list[Assistant], bool]:
        """One page of matches and whether more rows follow it."""

    async def count(self, scope: Scope, query: SearchQuery) -> int: ...

    async def versions(self, scope: Scope, assistant_id: str) -> list[Version] | None:
        """Every version, newest first; None when the assistant is not visible."""

    async def get_attachment(self, scope: Scope, attachment_id: str) -> Attachment | None:
        """The record (deleted ones included), without its bytes."""

    async def write(self, fn: Callable[[WriteTx], T]) -> T: ...
