"""Storage invariants: atomic units inside group commits, containment semantics, paging and cursors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from gateway.jsonmatch import contains, is_exact
from gateway.model import Assistant, NotFound, Scope, SearchQuery
from storage.sqlite import SqliteStorage

SCOPE = Scope()


def run(tmp_path: Path, scenario: Callable[[SqliteStorage], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        storage = SqliteStorage(str(tmp_path / "s.db"))
        await storage.open()
        try:
            return await scenario(storage)
        finally:
            await storage.close()

    return asyncio.run(main())


def assistant(n: int, **fields: Any) -> Assistant:
    return Assistant(id=f"id-{n:04d}", name=f"name {n}", created_at=n, updated_at=n, **fields)


@pytest.mark.parametrize(
    ("document", "pattern", "expected"),
    [
        ({"a": 1, "b": {"x": 1, "y": 2}}, {"b": {"x": 1}}, True),
        ({"a": 1}, {"a": 1.0}, True),
        ({"a": 1}, {"a": True}, False),
        ({"a": True}, {"a": 1}, False),
        ({"a": None}, {"a": None}, True),
        ({}, {"a": None}, False),
        ({"tags": ["a", "b", "c"]}, {"tags": ["c", "a"]}, True),
        ({"tags": ["a"]}, {"tags": ["a", "b"]}, False),
        ({"tags": [{"k": 1, "j": 2}]}, {"tags": [{"k": 1}]}, True),
        ({"a": {"b": 1}}, {"a": {}}, True),
        ({"a": 1}, {"a": {}}, False),
        ({"a": [1]}, {"a": 1}, False),
        ({"a": "1"}, {"a": 1}, False),
    ],
)
def test_containment_follows_postgres(document: Any, pattern: Any, expected: bool) -> None:
    assert contains(document, pattern) is expected


def test_exactness_of_the_index() -> None:
    assert is_exact({"a": 1, "b": {"c": None}})
    assert not is_exact({"a": [1]})
    assert not is_exact({"a": {}})
    assert is_exact({})


def test_a_failing_unit_leaves_nothing_and_does_not_spoil_its_batch(tmp_path: Path) -> None:
    async def scenario(storage: SqliteStorage) -> None:
        def good(n: int) -> Callable[[Any], int]:
            def unit(tx: Any) -> int:
                tx.insert(assistant(n, metadata={"k": n}))
                return n

            return unit

        def bad(tx: Any) -> None:
            tx.insert(assistant(999, metadata={"k": 999}))
            raise ValueError("refused half-way")

        results = await asyncio.gather(
            *(storage.write(good(n)) for n in range(20)), storage.write(bad), return_exceptions=True
        )
        assert results[:20] == list(range(20))
        assert isinstance(results[20], ValueError)
        assert await storage.get(SCOPE, "id-0999") is None
        assert await storage.count(SCOPE, SearchQuery(metadata={"k": 999})) == 0
        assert await storage.count(SCOPE, SearchQuery()) == 20
        assert await storage.versions(SCOPE, "id-0999") is None

    run(tmp_path, scenario)


def test_refusals_before_any_write_cost_no_replay_and_later_units_see_earlier_ones(tmp_path: Path) -> None:
    runs: list[str] = []

    async def scenario(storage: SqliteStorage) -> None:
        def create(n: int) -> Callable[[Any], int]:
            def unit(tx: Any) -> int:
                runs.append(f"create {n}")
                if tx.get("default", f"id-{n:04d}") is not None:
                    raise KeyError(n)  # refused before writing: nothing to undo
                tx.insert(assistant(n))
                return n

            return unit

        results = await asyncio.gather(
            *(storage.write(create(n)) for n in (1, 2, 1, 3, 2)), return_exceptions=True
        )
        assert results[:2] == [1, 2] and results[3] == 3
        assert isinstance(results[2], KeyError) and isinstance(results[4], KeyError)
        assert runs == ["create 1", "create 2", "create 1", "create 3", "create 2"]  # each ran once
        assert await storage.count(SCOPE, SearchQuery()) == 3
        assert [v.version for v in await storage.versions(SCOPE, "id-0001") or []] == [1]

    run(tmp_path, scenario)


def test_many_concurrent_writers_all_land(tmp_path: Path) -> None:
    async def scenario(storage: SqliteStorage) -> None:
        await asyncio.gather(*(storage.write(lambda tx, n=n: tx.insert(assistant(n))) for n in range(500)))
        assert await storage.count(SCOPE, SearchQuery()) == 500

    run(tmp_path, scenario)


def test_metadata_search_with_and_without_the_exact_index(tmp_path: Path) -> None:
    async def scenario(storage: SqliteStorage) -> None:
        for n in range(30):
            meta = {"team": "a" if n % 3 == 0 else "b", "tags": ["x", f"t{n % 2}"], "n": {"v": n % 5}}
            await storage.write(lambda tx, n=n, meta=meta: tx.insert(assistant(n, metadata=meta)))
        exact = SearchQuery(metadata={"team": "a", "n": {"v": 0}}, limit=100)
        page, more = await storage.search(SCOPE, exact)
        assert [a.id for a in page] == ["id-0015", "id-0000"] and not more
        arrays = SearchQuery(metadata={"team": "a", "tags": ["t1"]}, limit=2, offset=1)
        page, more = await storage.search(SCOPE, arrays)
        assert [a.id for a in page] == ["id-0021", "id-0015"] and more
        assert await storage.count(SCOPE, SearchQuery(metadata={"tags": ["t1", "x"]})) == 15
        assert await storage.count(SCOPE, SearchQuery(metadata={"n": {}})) == 30

    run(tmp_path, scenario)


def test_cursors_paging_filters_and_owner_scope(tmp_path: Path) -> None:
    async def scenario(storage: SqliteStorage) -> None:
        for n in range(10):
            owner = "alice" if n % 2 else "bob"
            extensions = {"pais": {"index_id": "idx" if n < 3 else None}}
            fields = {"owner": owner, "extensions": extensions, "description": f"About Item {n}"}
            await storage.write(lambda tx, n=n, fields=fields: tx.insert(assistant(n, **fields)))
        asc = SearchQuery(descending=False, limit=3)
        page, more = await storage.search(SCOPE, msgspec.structs.replace(asc, after="id-0002"))
        assert [a.id for a in page] == ["id-0003", "id-0004", "id-0005"] and more
        page, more = await storage.search(SCOPE, msgspec.structs.replace(asc, before="id-0005"))
        assert [a.id for a in page] == ["id-0002", "id-0003", "id-0004"] and more
        desc = SearchQuery(descending=True, limit=3, after="id-0005")
        page, _ = await storage.search(SCOPE, desc)
        assert [a.id for a in page] == ["id-0004", "id-0003", "id-0002"]
        with pytest.raises(NotFound):
            await storage.search(SCOPE, SearchQuery(after="missing"))
        alice = Scope(owners=("alice",))
        assert await storage.count(alice, SearchQuery()) == 5
        assert await storage.get(alice, "id-0000") is None
        assert await storage.count(SCOPE, SearchQuery(extension_equals={"pais.index_id": "idx"})) == 3
        assert await storage.count(SCOPE, SearchQuery(description_contains="item 7")) == 1
        assert await storage.count(SCOPE, SearchQuery(name_equals="name 4")) == 1

    run(tmp_path, scenario)


def test_tenants_are_isolated(tmp_path: Path) -> None:
    async def scenario(storage: SqliteStorage) -> None:
        await storage.write(lambda tx: tx.insert(msgspec.structs.replace(assistant(1), tenant="acme")))
        await storage.write(lambda tx: tx.insert(msgspec.structs.replace(assistant(1), tenant="globex")))
        assert await storage.count(Scope(tenant="acme"), SearchQuery()) == 1
        assert await storage.get(Scope(tenant="default"), "id-0001") is None

    run(tmp_path, scenario)


def test_attachments_are_stored_per_tenant_and_soft_deleted(tmp_path: Path) -> None:
    from gateway.graphs import GraphRegistry
    from gateway.service import AssistantService

    async def scenario(storage: SqliteStorage) -> None:
        service = AssistantService(storage, GraphRegistry([]))
        added = await service.add_attachment(
            SCOPE, name="a.pdf", mime_type="application/pdf", content=b"%PDF"
        )
        assert (added.size, added.deleted) == (4, False)
        assert await service.get_attachment(SCOPE, added.id) == added
        with pytest.raises(NotFound):
            await service.get_attachment(Scope(tenant="other"), added.id)
        deleted = await service.delete_attachment(SCOPE, added.id)
        assert deleted.deleted and (await service.get_attachment(SCOPE, added.id)).deleted
        with pytest.raises(NotFound):
            await service.delete_attachment(SCOPE, added.id)

    run(tmp_path, scenario)


def test_lookup_keys_follow_every_write_and_are_rebuilt_when_their_function_changes(tmp_path: Path) -> None:
    def by_name(a: Assistant) -> str | None:
        return a.name.split()[0] if a.name else None

    def by_owner(a: Assistant) -> str | None:
        return a.owner

    async def first_run(storage: SqliteStorage) -> None:
        for n in range(6):
            await storage.write(lambda tx, n=n: tx.insert(assistant(n, owner=f"o{n % 2}")))
        assert [a.id for a in await storage.write(lambda tx: tx.find("default", "k", "name"))] == [
            f"id-000{n}" for n in range(6)
        ]

        def rename(tx: Any) -> None:
            current = tx.get("default", "id-0001")
            tx.update(msgspec.structs.replace(current, name="other 1", version=2), new_version=True)

        await storage.write(rename)
        await storage.write(lambda tx: tx.delete("default", "id-0002"))
        names = await storage.write(lambda tx: tx.find("default", "k", "name"))
        assert [a.id for a in names] == ["id-0000", "id-0003", "id-0004", "id-0005"]
        assert [a.id for a in await storage.write(lambda tx: tx.find("default", "k", "other"))] == ["id-0001"]
        assert await storage.write(lambda tx: tx.find("acme", "k", "name")) == []

    async def main() -> None:
        storage = SqliteStorage(str(tmp_path / "s.db"))
        storage.register_lookup("k", by_name, signature="by name")
        await storage.open()
        try:
            await first_run(storage)
        finally:
            await storage.close()
        again = SqliteStorage(str(tmp_path / "s.db"))
        again.register_lookup("k", by_owner, signature="by owner")  # changed: rebuilt at open
        await again.open()
        try:
            found = await again.write(lambda tx: tx.find("default", "k", "o1"))
            assert [a.id for a in found] == ["id-0001", "id-0003", "id-0005"]
            assert await again.write(lambda tx: tx.find("default", "k", "name")) == []
        finally:
            await again.close()

    asyncio.run(main())


def test_exact_name_filter_is_exact_with_nul_and_case(tmp_path: Path) -> None:
    names = ["Bot\x00one", "bot\x00one", "Bot", "bot", "Bot\x00two"]

    async def scenario(storage: SqliteStorage) -> None:
        for n, name in enumerate(names):
            await storage.write(
                lambda tx, n=n, name=name: tx.insert(msgspec.structs.replace(assistant(n), name=name))
            )
        for name in names:
            page, more = await storage.search(SCOPE, SearchQuery(name_equals=name, limit=10))
            assert [a.name for a in page] == [name] and not more
            assert await storage.count(SCOPE, SearchQuery(name_equals=name)) == 1
        assert await storage.count(SCOPE, SearchQuery(name_equals="Bot\x00")) == 0

    run(tmp_path, scenario)
