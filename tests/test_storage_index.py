"""The SQLite store's internals behind the interface: the metadata index stays exact through every
kind of write, the planner's choices never change an answer, reads that overrun their inline budget
are answered by a reader thread, and an older database is migrated."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from gateway.jsonmatch import contains
from gateway.model import Assistant, Scope, SearchQuery
from storage.sqlite import SqliteStorage, queries, store
from storage.sqlite.schema import MIGRATIONS

SCOPE = Scope()


def run(storage: SqliteStorage, scenario: Callable[[SqliteStorage], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        await storage.open()
        try:
            return await scenario(storage)
        finally:
            await storage.close()

    return asyncio.run(main())


def assistant(n: int, metadata: dict[str, Any], tenant: str = "default") -> Assistant:
    return Assistant(
        id=f"id-{n:03d}", tenant=tenant, name=f"n{n}", metadata=metadata, created_at=n, updated_at=n
    )


def index_rows(db: Path) -> set[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT tenant, path, value, created_at, pk FROM metadata_leaves"))


def expected_rows(db: Path) -> set[tuple[Any, ...]]:
    decode = msgspec.json.Decoder(Assistant).decode
    with sqlite3.connect(db) as conn:
        return {
            row
            for pk, doc in conn.execute("SELECT pk, doc FROM assistants")
            for row in queries.metadata_rows(pk, decode(doc))
        }


FILTERS: list[dict[str, Any]] = [
    {"team": "a"},
    {"team": "a", "env": "prod"},
    {"env": "prod", "team": "b", "k": {"deep": 1}},
    {"tags": ["x"]},
    {"missing": 1},
    {"k": {}},
]


async def check_against_brute_force(storage: SqliteStorage) -> None:
    everything, _ = await storage.search(SCOPE, SearchQuery(limit=10_000))
    for pattern in FILTERS:
        expected = [a.id for a in everything if contains(a.metadata, pattern)]
        page, _ = await storage.search(SCOPE, SearchQuery(metadata=pattern, limit=10_000))
        assert [a.id for a in page] == expected, pattern
        assert await storage.count(SCOPE, SearchQuery(metadata=pattern)) == len(expected), pattern
        first, more = await storage.search(SCOPE, SearchQuery(metadata=pattern, limit=2, offset=1))
        assert [a.id for a in first] == expected[1:3] and more == (len(expected) > 3), pattern


def test_the_metadata_index_stays_exact_through_inserts_updates_and_deletes(tmp_path: Path) -> None:
    db = tmp_path / "s.db"

    async def scenario(storage: SqliteStorage) -> None:
        for n in range(40):
            meta = {
                "team": "ab"[n % 2],
                "env": "prod" if n % 3 else "dev",
                "k": {"deep": n % 4},
                "tags": ["x"] * (n % 2),
            }
            await storage.write(lambda tx, n=n, meta=meta: tx.insert(assistant(n, meta)))
        await storage.write(
            lambda tx: tx.insert_many([assistant(n, {"team": "a", "env": "prod"}) for n in range(40, 60)])
        )
        await check_against_brute_force(storage)

        def patch(n: int, meta: dict[str, Any], *, read_first: bool) -> Callable[[Any], None]:
            def unit(tx: Any) -> None:
                current = tx.get("default", f"id-{n:03d}") if read_first else assistant(n, {})
                tx.update(
                    msgspec.structs.replace(current, metadata=meta, version=2, updated_at=1000 + n),
                    new_version=True,
                )

            return unit

        await storage.write(patch(1, {"team": "a", "env": "prod", "k": {"deep": 1}}, read_first=True))
        await storage.write(patch(2, {"env": "prod"}, read_first=False))  # the store reads the row itself
        await storage.write(patch(3, {}, read_first=True))
        assert await storage.write(lambda tx: tx.delete("default", "id-004"))
        assert not await storage.write(lambda tx: tx.delete("default", "id-004"))
        await storage.write(lambda tx: tx.delete("default", "id-041"))  # inserted in bulk
        await check_against_brute_force(storage)
        assert index_rows(db) == expected_rows(db)

    run(SqliteStorage(str(db)), scenario)


def test_the_index_is_per_tenant(tmp_path: Path) -> None:
    async def scenario(storage: SqliteStorage) -> None:
        for n, tenant in enumerate(["acme", "acme", "globex"]):
            await storage.write(lambda tx, n=n, tenant=tenant: tx.insert(assistant(n, {"team": "a"}, tenant)))
        query = SearchQuery(metadata={"team": "a"})
        assert await storage.count(Scope(tenant="acme"), query) == 2
        assert [a.id for a in (await storage.search(Scope(tenant="globex"), query))[0]] == ["id-002"]
        assert await storage.count(SCOPE, query) == 0

    run(SqliteStorage(str(tmp_path / "s.db")), scenario)


@pytest.mark.parametrize("readers", [2, 0])
def test_reads_over_the_inline_budget_give_the_same_answers(
    tmp_path: Path, readers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A budget of ~0 interrupts every read that steps at all: each is answered by a reader thread
    (or, without reader threads, inline without a budget)."""

    async def fill(storage: SqliteStorage) -> None:
        await storage.write(
            lambda tx: tx.insert_many([assistant(n, {"team": "ab"[n % 2], "n": n}) for n in range(3000)])
        )

    run(SqliteStorage(str(tmp_path / "s.db")), fill)

    async def read_all(storage: SqliteStorage) -> Any:
        page, more = await storage.search(SCOPE, SearchQuery(metadata={"team": "b"}, limit=5, offset=700))
        count = await storage.count(SCOPE, SearchQuery(metadata={"team": "a"}))
        got = await storage.get(SCOPE, "id-123")
        return [a.id for a in page], more, count, got and got.metadata

    normal = run(SqliteStorage(str(tmp_path / "s.db")), read_all)
    hops: list[str] = []
    real_run = store._run

    async def counting_run(conn: Any, fn: Any, *args: Any) -> Any:
        hops.append(fn.__name__)
        return await real_run(conn, fn, *args)

    monkeypatch.setattr(store, "_run", counting_run)
    starved = run(SqliteStorage(str(tmp_path / "s.db"), readers=readers, inline_budget_ms=1e-9), read_all)
    assert (
        normal
        == starved
        == (["id-1599", "id-1597", "id-1595", "id-1593", "id-1591"], True, 1500, {"team": "b", "n": 123})
    )
    assert hops == (["_search", "_count"] if readers else [])


def test_a_version_2_database_is_migrated_with_its_metadata_index(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with sqlite3.connect(db, isolation_level=None) as conn:
        for number, script in enumerate(MIGRATIONS[:2], start=1):
            for statement in (s for s in script.split(";") if s.strip()):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        for n, team in enumerate(["a", "b", "a"]):
            a = assistant(n, {"team": team})
            conn.execute(
                "INSERT INTO assistants (pk, tenant, assistant_id, owner, name_folded, graph_id, created_at,"
                " updated_at, doc) VALUES (?, 'default', ?, 'anonymous', ?, NULL, ?, ?, ?)",
                (n + 1, a.id, a.name, n, n, msgspec.json.encode(a)),
            )
            conn.execute(
                "INSERT INTO assistant_metadata (path, value, pk) VALUES ('[\"team\"]', ?, ?)",
                (f'"{team}"', n + 1),
            )

    async def scenario(storage: SqliteStorage) -> None:
        page, _ = await storage.search(SCOPE, SearchQuery(metadata={"team": "a"}))
        assert [a.id for a in page] == ["id-002", "id-000"]

    run(SqliteStorage(str(db)), scenario)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert (
            conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'assistant_metadata'").fetchone()[0]
            == 0
        )
    assert index_rows(db) == expected_rows(db)


def test_a_version_4_database_keeps_every_version_when_its_history_table_is_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "v4.db"
    with sqlite3.connect(db, isolation_level=None) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        for number, script in enumerate(MIGRATIONS[:4], start=1):
            for statement in (s for s in script.split(";") if s.strip()):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        for n in range(3):
            a = assistant(n, {"team": "a"})
            conn.execute(
                "INSERT INTO assistants (pk, tenant, assistant_id, owner, name_folded, graph_id, created_at,"
                " updated_at, doc) VALUES (?, 'default', ?, 'anonymous', ?, NULL, ?, ?, ?)",
                (n + 1, a.id, a.name, n, n, msgspec.json.encode(a)),
            )
            for version in range(1, n + 2):
                snapshot = msgspec.structs.replace(a, name=f"{a.name} v{version}")
                conn.execute(
                    "INSERT INTO assistant_versions (pk, version, created_at, doc) VALUES (?, ?, ?, ?)",
                    (n + 1, version, version, msgspec.json.encode(snapshot)),
                )

    async def scenario(storage: SqliteStorage) -> None:
        history = await storage.versions(SCOPE, "id-002")
        assert [(v.version, v.snapshot.name) for v in history or []] == [
            (3, "n2 v3"),
            (2, "n2 v2"),
            (1, "n2 v1"),
        ]

        def patch(tx: Any) -> None:
            current = tx.get("default", "id-001")
            tx.update(
                msgspec.structs.replace(
                    current, name="patched", version=tx.max_version("default", "id-001") + 1
                ),
                new_version=True,
            )

        await storage.write(patch)
        assert [v.version for v in await storage.versions(SCOPE, "id-001") or []] == [3, 2, 1]
        await storage.write(lambda tx: tx.delete("default", "id-002"))

    run(SqliteStorage(str(db)), scenario)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        rows = conn.execute("SELECT pk, version FROM assistant_versions ORDER BY pk, version").fetchall()
        assert rows == [(1, 1), (2, 1), (2, 2), (2, 3)]  # id-002's history went with it
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
