"""SQLite storage on aiosqlite: one writer with group commit, a small pool of readers, WAL.

Writes: every `write(fn)` joins a queue; the writer drains it in batches. A batch runs on the writer's
thread as one hop: `BEGIN IMMEDIATE`, then each unit of work inside its own SAVEPOINT (a unit that
raises is rolled back alone), then one `COMMIT`, and only then are the callers answered. Under load
many requests share a commit (and its fsync); alone, a request commits at once.

Reads go to reader connections round-robin, each a single hop as well. WAL lets them run beside the
writer and see every committed write, so a client reads back what it was just answered.
"""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite
import msgspec

from gateway import jsonmatch
from gateway.model import Assistant, Attachment, NotFound, Scope, SearchQuery, Snapshot, Version, snapshot_of
from storage.sqlite import queries
from storage.sqlite.schema import migrate

T = TypeVar("T")

_encode = msgspec.json.Encoder().encode
_decode_assistant = msgspec.json.Decoder(Assistant).decode
_decode_snapshot = msgspec.json.Decoder(Snapshot).decode
_decode_attachment = msgspec.json.Decoder(Attachment).decode


async def _run(conn: aiosqlite.Connection, fn: Callable[..., T], *args: Any) -> T:
    """Run `fn(raw_sqlite3_connection, *args)` on the connection's own thread, in one hop.

    aiosqlite has no public call for "run this function on your thread"; `_execute` and `_conn` are
    the mechanism behind all of its public methods (stable across releases; the version is pinned in
    pyproject.toml). One hop per transaction instead of one per statement is what makes group commit
    and multi-statement reads cheap.
    """
    return await conn._execute(fn, conn._conn, *args)


class SqliteStorage:
    """The default store: a single SQLite file (or `:memory:` for throwaway use)."""

    def __init__(
        self,
        path: str,
        *,
        synchronous: str = "full",
        readers: int = 2,
        cache_kib: int = 8192,
        batch_limit: int = 256,
    ) -> None:
        self.path = path
        self._synchronous = synchronous
        self._reader_count = 0 if path == ":memory:" else readers
        self._cache_kib = cache_kib
        self._batch_limit = batch_limit
        self._writer: aiosqlite.Connection | None = None
        self._readers: list[aiosqlite.Connection] = []
        self._next_reader: itertools.cycle[aiosqlite.Connection] | None = None
        self._pending: list[tuple[Callable[[SqliteWriteTx], Any], asyncio.Future[Any]]] = []
        self._wakeup = asyncio.Event()
        self._closing = False
        self._writer_task: asyncio.Task[None] | None = None

    # -- lifecycle -------------------------------------------------------------------------------------

    async def open(self) -> None:
        self._writer = await self._connect(writer=True)
        await _run(self._writer, migrate)
        for _ in range(self._reader_count):
            self._readers.append(await self._connect(writer=False))
        self._next_reader = itertools.cycle(self._readers or [self._writer])
        self._wakeup = asyncio.Event()
        self._closing = False
        self._writer_task = asyncio.create_task(self._write_loop(), name="sqlite-writer")

    async def _connect(self, *, writer: bool) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        pragmas = [
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 10000",
            f"PRAGMA cache_size = -{int(self._cache_kib)}",
            f"PRAGMA synchronous = {self._synchronous.upper()}",
        ]
        if writer:
            pragmas.insert(0, "PRAGMA journal_mode = WAL")
        else:
            pragmas.append("PRAGMA query_only = ON")
        for pragma in pragmas:
            await conn.execute(pragma)
        return conn

    async def close(self) -> None:
        self._closing = True
        self._wakeup.set()
        if self._writer_task is not None:
            await self._writer_task
            self._writer_task = None
        for conn in self._readers:
            await conn.close()
        self._readers.clear()
        if self._writer is not None:
            await self._writer.close()
            self._writer = None

    # -- reads -------------------------------------------------------------------------------------------

    def _reader(self) -> aiosqlite.Connection:
        assert self._next_reader is not None, "storage is not open"
        return next(self._next_reader)

    async def get(self, scope: Scope, assistant_id: str) -> Assistant | None:
        return await _run(self._reader(), _get, scope, assistant_id)

    async def search(self, scope: Scope, query: SearchQuery) -> tuple[list[Assistant], bool]:
        return await _run(self._reader(), _search, scope, query)

    async def count(self, scope: Scope, query: SearchQuery) -> int:
        return await _run(self._reader(), _count, scope, query)

    async def versions(self, scope: Scope, assistant_id: str) -> list[Version] | None:
        return await _run(self._reader(), _versions, scope, assistant_id)

    async def get_attachment(self, scope: Scope, attachment_id: str) -> Attachment | None:
        return await _run(self._reader(), _get_attachment, scope.tenant, attachment_id)

    # -- writes ------------------------------------------------------------------------------------------

    async def write(self, fn: Callable[[SqliteWriteTx], T]) -> T:
        if self._writer_task is None or self._closing:
            raise RuntimeError("storage is not open")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((fn, future))
        self._wakeup.set()
        return await future

    async def _write_loop(self) -> None:
        assert self._writer is not None
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._pending:
                batch = self._pending[: self._batch_limit]
                del self._pending[: len(batch)]
                try:
                    outcomes = await _run(self._writer, _apply_batch, [fn for fn, _ in batch])
                except BaseException as exc:  # the commit itself failed: nothing in the batch is durable
                    outcomes = [(False, exc)] * len(batch)
                for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue
                    if ok:
                        future.set_result(value)
                    else:
                        future.set_exception(value)
            if self._closing:
                return


def _apply_batch(
    conn: sqlite3.Connection, units: list[Callable[[SqliteWriteTx], Any]]
) -> list[tuple[bool, Any]]:
    """Runs on the writer thread: every unit in its own savepoint, all in one transaction."""
    outcomes: list[tuple[bool, Any]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for unit in units:
            conn.execute("SAVEPOINT unit")
            try:
                result = unit(SqliteWriteTx(conn))
            except Exception as exc:
                conn.execute("ROLLBACK TO unit")
                conn.execute("RELEASE unit")
                outcomes.append((False, exc))
            else:
                conn.execute("RELEASE unit")
                outcomes.append((True, result))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


# -- the statements, as plain functions of a sqlite3 connection ------------------------------------------


def _row_pk(conn: sqlite3.Connection, scope: Scope, assistant_id: str) -> int | None:
    where = queries.Where()
    queries.scope_filter(where, scope)
    where.add("a.assistant_id = ?", assistant_id)
    row = conn.execute(f"SELECT a.pk FROM assistants a WHERE {where.sql}", where.params).fetchone()
    return None if row is None else row[0]


def _get(conn: sqlite3.Connection, scope: Scope, assistant_id: str) -> Assistant | None:
    where = queries.Where()
    queries.scope_filter(where, scope)
    where.add("a.assistant_id = ?", assistant_id)
    row = conn.execute(f"SELECT a.doc FROM assistants a WHERE {where.sql}", where.params).fetchone()
    return None if row is None else _decode_assistant(row[0])


def _search(conn: sqlite3.Connection, scope: Scope, query: SearchQuery) -> tuple[list[Assistant], bool]:
    where, needs_check = queries.search_filter(scope, query)
    sql_where, params = where.sql, list(where.params)
    reverse = query.before is not None and query.after is None
    for cursor_id, after in ((query.after, True), (query.before, False)):
        if cursor_id is None:
            continue
        key_sql, key_params = queries.sort_key(query)
        cursor_where = queries.Where()
        queries.scope_filter(cursor_where, scope)
        cursor_where.add("a.assistant_id = ?", cursor_id)
        row = conn.execute(
            f"SELECT {key_sql}, {queries.tiebreak_column(query)} FROM assistants a WHERE {cursor_where.sql}",
            [*key_params, *cursor_where.params],
        ).fetchone()
        if row is None:
            raise NotFound(cursor_id)
        sql_where += " AND " + queries.cursor_predicate(query, after=after)
        params += [*key_params, row[0], *key_params, row[0], row[1]]
    order_sql, order_params = queries.order_by(query, reverse=reverse)
    limit, offset = queries.clamp(query.limit), queries.clamp(query.offset)
    select = f"SELECT a.doc FROM assistants a WHERE {sql_where} ORDER BY {order_sql}"
    if needs_check:
        docs = (_decode_assistant(r[0]) for r in conn.execute(select, [*params, *order_params]))
        assert query.metadata is not None
        matches = [a for a in docs if jsonmatch.contains(a.metadata, query.metadata)]
        page = matches[offset : offset + limit + 1]
    else:
        rows = conn.execute(f"{select} LIMIT ? OFFSET ?", [*params, *order_params, limit + 1, offset])
        page = [_decode_assistant(r[0]) for r in rows]
    has_more = len(page) > limit
    del page[limit:]
    if reverse:
        page.reverse()
    return page, has_more


def _count(conn: sqlite3.Connection, scope: Scope, query: SearchQuery) -> int:
    where, needs_check = queries.search_filter(scope, query)
    if needs_check:
        assert query.metadata is not None
        rows = conn.execute(f"SELECT a.doc FROM assistants a WHERE {where.sql}", where.params)
        return sum(1 for r in rows if jsonmatch.contains(_decode_assistant(r[0]).metadata, query.metadata))
    return conn.execute(f"SELECT count(*) FROM assistants a WHERE {where.sql}", where.params).fetchone()[0]


def _versions(conn: sqlite3.Connection, scope: Scope, assistant_id: str) -> list[Version] | None:
    pk = _row_pk(conn, scope, assistant_id)
    if pk is None:
        return None
    rows = conn.execute(
        "SELECT version, created_at, doc FROM assistant_versions WHERE pk = ? ORDER BY version DESC", (pk,)
    )
    return [Version(version=v, created_at=c, snapshot=_decode_snapshot(d)) for v, c, d in rows]


def _get_attachment(conn: sqlite3.Connection, tenant: str, attachment_id: str) -> Attachment | None:
    row = conn.execute(
        "SELECT doc FROM attachments WHERE tenant = ? AND attachment_id = ?", (tenant, attachment_id)
    ).fetchone()
    return None if row is None else _decode_attachment(row[0])


class SqliteWriteTx:
    """`storage.base.WriteTx` on the writer connection, inside the current savepoint."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._loaded: dict[tuple[str, str], tuple[int, Assistant]] = {}

    def _pk(self, tenant: str, assistant_id: str) -> int | None:
        if (tenant, assistant_id) in self._loaded:
            return self._loaded[tenant, assistant_id][0]
        return _row_pk(self._conn, Scope(tenant=tenant), assistant_id)

    def get(self, tenant: str, assistant_id: str) -> Assistant | None:
        row = self._conn.execute(
            "SELECT pk, doc FROM assistants WHERE tenant = ? AND assistant_id = ?", (tenant, assistant_id)
        ).fetchone()
        if row is None:
            return None
        assistant = _decode_assistant(row[1])
        self._loaded[tenant, assistant_id] = (row[0], assistant)
        return assistant

    def insert(self, assistant: Assistant) -> None:
        cursor = self._conn.execute(
            "INSERT INTO assistants (tenant, assistant_id, owner, name_folded, description_folded, graph_id,"
            " created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _columns(assistant),
        )
        pk = cursor.lastrowid
        assert pk is not None
        self._append_version(pk, assistant)
        self._conn.executemany(
            "INSERT INTO assistant_metadata (path, value, pk) VALUES (?, ?, ?)",
            queries.metadata_rows(pk, assistant.metadata),
        )
        self._loaded[assistant.tenant, assistant.id] = (pk, assistant)

    def update(self, assistant: Assistant, *, new_version: bool) -> None:
        known = self._loaded.get((assistant.tenant, assistant.id))
        pk = known[0] if known else self._pk(assistant.tenant, assistant.id)
        if pk is None:
            raise NotFound(assistant.id)
        self._conn.execute(
            "UPDATE assistants SET tenant = ?, assistant_id = ?, owner = ?, name_folded = ?,"
            " description_folded = ?, graph_id = ?, created_at = ?, updated_at = ?, doc = ? WHERE pk = ?",
            (*_columns(assistant), pk),
        )
        if known is None or known[1].metadata != assistant.metadata:
            self._conn.execute("DELETE FROM assistant_metadata WHERE pk = ?", (pk,))
            self._conn.executemany(
                "INSERT INTO assistant_metadata (path, value, pk) VALUES (?, ?, ?)",
                queries.metadata_rows(pk, assistant.metadata),
            )
        if new_version:
            self._append_version(pk, assistant)
        self._loaded[assistant.tenant, assistant.id] = (pk, assistant)

    def _append_version(self, pk: int, assistant: Assistant) -> None:
        self._conn.execute(
            "INSERT INTO assistant_versions (pk, version, created_at, doc) VALUES (?, ?, ?, ?)",
            (pk, assistant.version, assistant.updated_at, _encode(snapshot_of(assistant))),
        )

    def delete(self, tenant: str, assistant_id: str) -> bool:
        self._loaded.pop((tenant, assistant_id), None)
        cursor = self._conn.execute(
            "DELETE FROM assistants WHERE tenant = ? AND assistant_id = ?", (tenant, assistant_id)
        )
        return cursor.rowcount > 0

    def max_version(self, tenant: str, assistant_id: str) -> int:
        pk = self._pk(tenant, assistant_id)
        if pk is None:
            return 0
        row = self._conn.execute("SELECT max(version) FROM assistant_versions WHERE pk = ?", (pk,)).fetchone()
        return row[0] or 0

    def get_version(self, tenant: str, assistant_id: str, version: int) -> Version | None:
        pk = self._pk(tenant, assistant_id)
        if pk is None or not -(2**63) <= version < 2**63:
            return None
        row = self._conn.execute(
            "SELECT version, created_at, doc FROM assistant_versions WHERE pk = ? AND version = ?",
            (pk, version),
        ).fetchone()
        if row is None:
            return None
        return Version(version=row[0], created_at=row[1], snapshot=_decode_snapshot(row[2]))

    def search(self, scope: Scope, query: SearchQuery) -> list[Assistant]:
        return _search(self._conn, scope, query)[0]

    def insert_attachment(self, attachment: Attachment, content: bytes) -> None:
        self._conn.execute(
            "INSERT INTO attachments (tenant, attachment_id, doc, content) VALUES (?, ?, ?, ?)",
            (attachment.tenant, attachment.id, _encode(attachment), content),
        )

    def get_attachment(self, tenant: str, attachment_id: str) -> Attachment | None:
        return _get_attachment(self._conn, tenant, attachment_id)

    def update_attachment(self, attachment: Attachment) -> None:
        self._conn.execute(
            "UPDATE attachments SET doc = ? WHERE tenant = ? AND attachment_id = ?",
            (_encode(attachment), attachment.tenant, attachment.id),
        )


def _columns(a: Assistant) -> tuple[Any, ...]:
    return (
        a.tenant,
        a.id,
        a.owner,
        queries.fold(a.name),
        None if a.description is None else queries.fold(a.description),
        a.graph_id,
        a.created_at,
        a.updated_at,
        _encode(a),
    )
