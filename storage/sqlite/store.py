"""SQLite storage: one writer with pipelined group commit, reads inline under a budget, WAL.

The statements of a request run on the event loop's own thread; what needs no Python (COMMIT's page
writes, fsync, checkpoints) runs on threads of its own. Measured by bench/: with the writer on a
thread, its many short SQLite calls each gave up and re-took the GIL against the busy event loop,
and that convoy, not SQLite, set the pace.

Writes: every `write(fn)` joins a queue; the writer task drains it in batches. A batch is one
transaction, `BEGIN IMMEDIATE`, each unit of work inside its own SAVEPOINT (a unit that raises is
rolled back alone), then one `COMMIT` on the commit thread while the loop serves other requests.
Under load many requests share a commit; alone, a request commits at once. A batch is bounded
(`batch_limit`) so that it holds the loop for milliseconds at most.

Durability (`synchronous = "full"`, the default): the writer runs with SQLite's `synchronous =
NORMAL`, so COMMIT appends to the WAL without waiting for the disk, and `WalSync` then fsyncs the WAL
on a thread of its own, which is exactly the extra step FULL adds to each commit. The callers are
answered only after that fsync, in commit order; meanwhile the writer already runs the next batch,
and one fsync covers every batch committed before it started. Readers may see a committed write
before its fsync has finished, never one that was rolled back. `synchronous = "normal"` is the
opt-in fast mode: answered at COMMIT, the last writes may be lost on power loss (not on a crash of
the process).

Checkpoints (copying the WAL back into the database) run on a connection and thread of their own,
PASSIVE, beside the writer; SQLite's automatic checkpoint inside COMMIT remains as a backstop.

Reads run inline on a connection of their own, under a time budget (a SQLite progress handler
interrupts a read that overruns it): a point lookup or an indexed page costs tens of microseconds,
less than the two thread switches of a hop to a reader thread, and the budget keeps a slow read from
stalling the loop. An interrupted read runs again on a reader connection (aiosqlite, round-robin,
one hop each), where SQLite works beside the loop. WAL lets every reader see every committed write,
so a client reads back what it was just answered.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import math
import os
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite
import msgspec

from gateway.model import Assistant, Attachment, NotFound, Scope, SearchQuery, Snapshot, Version, snapshot_of
from storage.base import LookupKey
from storage.sqlite import queries
from storage.sqlite.schema import migrate

T = TypeVar("T")

CHECKPOINT_INTERVAL_S = 0.05
WRITER_AUTOCHECKPOINT_PAGES = 8000  # 32 MiB of WAL with 4 KiB pages: the backstop

_encode = msgspec.json.Encoder().encode
_decode_assistant = msgspec.json.Decoder(Assistant).decode
_decode_snapshot = msgspec.json.Decoder(Snapshot).decode
_decode_attachment = msgspec.json.Decoder(Attachment).decode


async def _run(conn: aiosqlite.Connection, fn: Callable[..., T], *args: Any) -> T:
    """Run `fn(raw_sqlite3_connection, *args)` on the connection's own thread, in one hop.

    aiosqlite has no public call for "run this function on your thread"; `_execute` and `_conn` are
    the mechanism behind all of its public methods (stable across releases; the version is pinned in
    pyproject.toml). One hop per read instead of one per statement keeps multi-statement reads cheap.
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
        inline_budget_ms: float = 1.0,
    ) -> None:
        self.path = path
        self._synchronous = synchronous.lower()
        self._memory = path == ":memory:"
        self._reader_count = 0 if self._memory else readers
        self._cache_kib = cache_kib
        self._batch_limit = batch_limit
        # Without reader threads to fall back on, inline reads run to the end.
        self._inline_budget = inline_budget_ms / 1000 if self._reader_count else math.inf
        self._conn: sqlite3.Connection | None = None  # the writer
        self._inline: sqlite3.Connection | None = None  # the loop's reader
        self._readers: list[aiosqlite.Connection] = []
        self._next_reader: itertools.cycle[aiosqlite.Connection] | None = None
        self._deadline = math.inf
        self._pending: list[tuple[Callable[[SqliteWriteTx], Any], asyncio.Future[Any]]] = []
        self._wakeup = asyncio.Event()
        self._closing = False
        self._writer_task: asyncio.Task[None] | None = None
        self._wal: WalSync | None = None
        self._unsynced: list[tuple[asyncio.Future[Any], tuple[bool, Any]]] = []
        self._sync_wakeup = asyncio.Event()
        self._sync_task: asyncio.Task[None] | None = None
        self._checkpointer: aiosqlite.Connection | None = None
        self._checkpoint_task: asyncio.Task[None] | None = None
        self._commits = 0  # batches committed since the last background checkpoint
        self._commit_executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._lookups: dict[str, LookupKey] = {}
        self._signatures: dict[str, str] = {}

    # -- lifecycle -------------------------------------------------------------------------------------

    def register_lookup(self, kind: str, key: LookupKey, signature: str) -> None:
        self._lookups[kind] = key
        self._signatures[kind] = signature

    async def open(self) -> None:
        self._conn = self._connect_writer()
        migrate(self._conn)
        _refresh_lookups(self._conn, self._lookups, self._signatures)
        if not self._memory:
            self._inline = self._connect_inline()
            for _ in range(self._reader_count):
                self._readers.append(await self._connect_reader())
            self._checkpointer = await aiosqlite.connect(self.path, isolation_level=None)
            await self._checkpointer.execute("PRAGMA busy_timeout = 10000")
        self._next_reader = itertools.cycle(self._readers) if self._readers else None
        self._wakeup = asyncio.Event()
        self._sync_wakeup = asyncio.Event()
        self._closing = False
        self._commit_executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="sqlite-commit")
        self._writer_task = asyncio.create_task(self._write_loop(), name="sqlite-writer")
        if self._wal is not None:
            self._sync_task = asyncio.create_task(self._sync_loop(), name="sqlite-wal-sync")
        if self._checkpointer is not None:
            self._checkpoint_task = asyncio.create_task(self._checkpoint_loop(), name="sqlite-checkpoint")

    def _pragmas(self) -> list[str]:
        return [
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 10000",
            f"PRAGMA cache_size = -{int(self._cache_kib)}",
            # Savepoint journals (one per unit of work) in memory, not in a temporary file: on disk,
            # every page a unit first touches was written there, a fifth of a create's cost.
            "PRAGMA temp_store = MEMORY",
        ]

    def _connect_writer(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        row = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        in_wal = row is not None and str(row[0]).lower() == "wal"
        pragmas = self._pragmas()
        # The writer checkpoints only as a backstop; `_checkpoint_loop` does it beside the writer.
        pragmas.append(f"PRAGMA wal_autocheckpoint = {WRITER_AUTOCHECKPOINT_PAGES}")
        if self._synchronous == "full" and in_wal:
            # Durable and pipelined (see the module's docstring): NORMAL here, and `WalSync`.
            self._wal = WalSync(self.path + "-wal")
            pragmas.append("PRAGMA synchronous = NORMAL")
        else:
            pragmas.append(f"PRAGMA synchronous = {self._synchronous.upper()}")
        for pragma in pragmas:
            conn.execute(pragma)
        return conn

    async def _connect_reader(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        for pragma in [*self._pragmas(), "PRAGMA query_only = ON"]:
            await conn.execute(pragma)
        return conn

    def _connect_inline(self) -> sqlite3.Connection:
        """The loop's read connection: never waits for a lock (busy → the read goes to a reader thread
        instead), and interrupted by the progress handler once the read's budget is spent."""
        conn = sqlite3.connect(self.path, isolation_level=None)
        for pragma in (
            f"PRAGMA busy_timeout = {0 if self._reader_count else 10000}",
            f"PRAGMA cache_size = -{int(self._cache_kib)}",
            "PRAGMA query_only = ON",
        ):
            conn.execute(pragma)
        if self._inline_budget != math.inf:
            conn.set_progress_handler(self._over_budget, 1000)
        return conn

    def _over_budget(self) -> bool:
        return time.perf_counter() > self._deadline

    async def close(self) -> None:
        self._closing = True
        self._wakeup.set()
        if self._writer_task is not None:
            await self._writer_task
            self._writer_task = None
        if self._commit_executor is not None:
            self._commit_executor.shutdown(wait=True)
            self._commit_executor = None
        self._sync_wakeup.set()
        if self._sync_task is not None:
            await self._sync_task
            self._sync_task = None
        if self._wal is not None:
            self._wal.close()
            self._wal = None
        if self._checkpoint_task is not None:
            self._checkpoint_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpoint_task
            self._checkpoint_task = None
        if self._checkpointer is not None:
            await self._checkpointer.close()
            self._checkpointer = None
        for conn in self._readers:
            await conn.close()
        self._readers.clear()
        if self._inline is not None:
            self._inline.close()
            self._inline = None
        if self._conn is not None:
            self._conn.close()  # the last connection: SQLite checkpoints and removes the WAL
            self._conn = None

    # -- reads -------------------------------------------------------------------------------------------

    async def _read(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(connection, *args)` inline within the budget, else on a reader thread."""
        inline = self._inline
        if inline is None:  # `:memory:`: the writer's connection is the store
            assert self._conn is not None, "storage is not open"
            return fn(self._conn, *args)
        self._deadline = time.perf_counter() + self._inline_budget
        try:
            return fn(inline, *args)
        except sqlite3.OperationalError as exc:
            if self._next_reader is None or getattr(exc, "sqlite_errorcode", None) not in _RETRY_ON_READER:
                raise
        finally:
            self._deadline = math.inf
        return await _run(next(self._next_reader), fn, *args)

    async def get(self, scope: Scope, assistant_id: str) -> Assistant | None:
        return await self._read(_get, scope, assistant_id)

    async def search(self, scope: Scope, query: SearchQuery) -> tuple[list[Assistant], bool]:
        return await self._read(_search, scope, query)

    async def count(self, scope: Scope, query: SearchQuery) -> int:
        return await self._read(_count, scope, query)

    async def versions(self, scope: Scope, assistant_id: str) -> list[Version] | None:
        return await self._read(_versions, scope, assistant_id)

    async def get_attachment(self, scope: Scope, attachment_id: str) -> Attachment | None:
        return await self._read(_get_attachment, scope.tenant, attachment_id)

    # -- writes ------------------------------------------------------------------------------------------

    async def write(self, fn: Callable[[SqliteWriteTx], T]) -> T:
        if self._writer_task is None or self._closing:
            raise RuntimeError("storage is not open")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((fn, future))
        self._wakeup.set()
        return await future

    async def _write_loop(self) -> None:
        assert self._conn is not None
        loop = asyncio.get_running_loop()
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._pending:
                batch = self._pending[: self._batch_limit]
                del self._pending[: len(batch)]
                try:
                    outcomes = _apply_batch(
                        self._conn, [fn for fn, _ in batch], commit=self._memory, lookups=self._lookups
                    )
                    if not self._memory:
                        # COMMIT writes the batch's pages to the WAL: work without the GIL, done on the
                        # commit thread while the loop serves requests. Nothing else uses the writer
                        # connection meanwhile: this task is its only user.
                        await loop.run_in_executor(self._commit_executor, _commit, self._conn)
                except BaseException as exc:  # the commit itself failed: nothing in the batch is durable
                    outcomes = [(False, exc)] * len(batch)
                settled = [(future, outcome) for (_, future), outcome in zip(batch, outcomes, strict=True)]
                self._commits += 1
                if self._wal is not None and (self._unsynced or any(ok for ok, _ in outcomes)):
                    # Answered once the WAL is on disk, in commit order (refusals too: one may rest
                    # on a write that is not durable yet).
                    self._unsynced.extend(settled)
                    self._sync_wakeup.set()
                else:
                    _settle(settled)
                # Let the loop serve requests (and queue more writes) before the next batch.
                await asyncio.sleep(0)
            if self._closing:
                return

    async def _sync_loop(self) -> None:
        """Make committed batches durable, then answer them: one fsync covers every batch committed
        before it started, so under load many batches share one."""
        assert self._wal is not None
        loop = asyncio.get_running_loop()
        while True:
            await self._sync_wakeup.wait()
            self._sync_wakeup.clear()
            while self._unsynced:
                waiting, self._unsynced = self._unsynced, []
                try:
                    await loop.run_in_executor(self._wal.executor, self._wal.sync)
                except OSError as exc:  # committed, but not known to be on disk: do not claim success
                    waiting = [
                        (future, (False, exc) if ok else (ok, value)) for future, (ok, value) in waiting
                    ]
                _settle(waiting)
            if self._writer_task is None or self._writer_task.done():
                return

    async def _checkpoint_loop(self) -> None:
        """Copy the WAL into the database on a connection and thread of its own, beside the writer.

        SQLite's automatic checkpoint runs inside a commit and, under a steady write load, costs more
        than the commit itself. A PASSIVE checkpoint blocks neither the writer nor the readers; the
        writer's automatic checkpoint (at `WRITER_AUTOCHECKPOINT_PAGES`) remains as a backstop that
        finishes the tail, so that the WAL is reset and stays bounded.
        """
        assert self._checkpointer is not None
        while True:
            await asyncio.sleep(CHECKPOINT_INTERVAL_S)
            if self._commits:
                self._commits = 0
                with contextlib.suppress(sqlite3.Error):
                    await _run(self._checkpointer, _checkpoint)


def _checkpoint(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def _settle(settled: list[tuple[asyncio.Future[Any], tuple[bool, Any]]]) -> None:
    for future, (ok, value) in settled:
        if future.done():
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)


class WalSync:
    """fsync of the WAL file on a thread of its own: what `synchronous = FULL` adds to each commit.

    Linux syncs a file, not a descriptor, so a descriptor of our own covers SQLite's writes. It is
    reopened if the WAL file was replaced, and the directory is synced once per WAL file, so that the
    file itself survives a power loss.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="wal-sync")
        self._fd: int | None = None
        self._inode: int | None = None

    def sync(self) -> None:
        inode = os.stat(self.path).st_ino
        if self._fd is None or inode != self._inode:
            if self._fd is not None:
                os.close(self._fd)
            self._fd = os.open(self.path, os.O_RDONLY)
            self._inode = os.fstat(self._fd).st_ino
            _sync_directory(os.path.dirname(os.path.abspath(self.path)))
        _fdatasync(self._fd)

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


_fdatasync = getattr(os, "fdatasync", os.fsync)


def _sync_directory(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # platforms without directory descriptors
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# Interrupted (over budget), busy or locked: the read is run again on a reader thread.
_RETRY_ON_READER = frozenset({sqlite3.SQLITE_INTERRUPT, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


def _apply_batch(
    conn: sqlite3.Connection,
    units: list[Callable[[SqliteWriteTx], Any]],
    *,
    commit: bool = True,
    lookups: dict[str, LookupKey] | None = None,
) -> list[tuple[bool, Any]]:
    """Every unit in one transaction, committed unless `commit` is False, in which case the caller
    commits (`_commit`) or rolls back.

    The units first run back to back, without a savepoint each: a unit that fails before it writes
    (not found, conflict: the usual refusals) leaves nothing to undo, and a savepoint costs a unit a
    tenth of its statements. Should a unit fail after writing, the batch is rolled back and runs
    again with a savepoint per unit, which undoes exactly that unit's writes.
    """
    for savepoints in (False, True):
        conn.execute("BEGIN IMMEDIATE")
        try:
            outcomes = _run_units(conn, units, lookups, savepoints=savepoints)
            if outcomes is None:
                conn.execute("ROLLBACK")
                continue
            if commit:
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return outcomes
    raise AssertionError("a batch with savepoints always completes")


def _run_units(
    conn: sqlite3.Connection,
    units: list[Callable[[SqliteWriteTx], Any]],
    lookups: dict[str, LookupKey] | None,
    *,
    savepoints: bool,
) -> list[tuple[bool, Any]] | None:
    """Each unit's outcome; None when a unit without a savepoint failed after writing."""
    outcomes: list[tuple[bool, Any]] = []
    for unit in units:
        tx = SqliteWriteTx(conn, lookups)
        if savepoints:
            conn.execute("SAVEPOINT unit")
        try:
            result = unit(tx)
        except Exception as exc:
            if savepoints:
                conn.execute("ROLLBACK TO unit")
                conn.execute("RELEASE unit")
            elif tx.wrote:
                return None
            outcomes.append((False, exc))
        else:
            if savepoints:
                conn.execute("RELEASE unit")
            outcomes.append((True, result))
    return outcomes


def _commit(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


# -- the statements, as plain functions of a sqlite3 connection ------------------------------------------


def _row_pk(conn: sqlite3.Connection, scope: Scope, assistant_id: str) -> int | None:
    where = queries.Where()
    queries.scope_filter(where, scope)
    where.add("a.assistant_id = ?", assistant_id)
    row = conn.execute(f"SELECT a.pk FROM assistants a WHERE {where.sql}", where.params).fetchone()
    return None if row is None else row[0]


_GET_BY_ID = "SELECT doc FROM assistants WHERE tenant = ? AND assistant_id = ?"


def _get(conn: sqlite3.Connection, scope: Scope, assistant_id: str) -> Assistant | None:
    if scope.owners is None:
        row = conn.execute(_GET_BY_ID, (scope.tenant, assistant_id)).fetchone()
    else:
        where = queries.Where()
        queries.scope_filter(where, scope)
        where.add("a.assistant_id = ?", assistant_id)
        row = conn.execute(f"SELECT a.doc FROM assistants a WHERE {where.sql}", where.params).fetchone()
    return None if row is None else _decode_assistant(row[0])


# A leaf with more rows than this is "broad": only the order among selective leaves matters.
_LEAF_SAMPLE = 1000


def _plan(conn: sqlite3.Connection, scope: Scope, query: SearchQuery) -> queries.Plan:
    """The query plan, driven by the filter's most selective leaf (each sized by a bounded index count)."""
    leaves = queries.metadata_leaves(query)
    if len(leaves) > 1:
        sizes = {
            leaf: conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM metadata_leaves WHERE tenant = ? AND path = ?"
                " AND value = ? LIMIT ?)",
                (scope.tenant, *leaf, _LEAF_SAMPLE),
            ).fetchone()[0]
            for leaf in leaves
        }
        leaves.sort(key=sizes.__getitem__)
    return queries.plan(scope, query, leaves)


def _search(conn: sqlite3.Connection, scope: Scope, query: SearchQuery) -> tuple[list[Assistant], bool]:
    plan = _plan(conn, scope, query)
    sql_where, params = plan.where.sql, list(plan.where.params)
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
        sql_where += " AND " + queries.cursor_predicate(query, after=after, driven=plan.driven)
        params += [*key_params, row[0], *key_params, row[0], row[1]]
    order_sql, order_params = queries.order_by(query, reverse=reverse, driven=plan.driven)
    limit, offset = queries.clamp(query.limit), queries.clamp(query.offset)
    select = f"SELECT a.doc FROM {plan.source} WHERE {sql_where} ORDER BY {order_sql}"
    if plan.needs_check:
        docs = (_decode_assistant(r[0]) for r in conn.execute(select, [*params, *order_params]))
        found = [a for a in docs if queries.matches(query, a)]
        page = found[offset : offset + limit + 1]
    else:
        rows = conn.execute(f"{select} LIMIT ? OFFSET ?", [*params, *order_params, limit + 1, offset])
        page = [_decode_assistant(r[0]) for r in rows]
    has_more = len(page) > limit
    del page[limit:]
    if reverse:
        page.reverse()
    return page, has_more


def _count(conn: sqlite3.Connection, scope: Scope, query: SearchQuery) -> int:
    plan = _plan(conn, scope, query)
    where = plan.where
    if plan.needs_check:
        rows = conn.execute(f"SELECT a.doc FROM {plan.source} WHERE {where.sql}", where.params)
        return sum(1 for r in rows if queries.matches(query, _decode_assistant(r[0])))
    # Only index conditions: count the index range without touching the assistant rows.
    source = "metadata_leaves m" if plan.driven and not plan.row_filters else plan.source
    return conn.execute(f"SELECT count(*) FROM {source} WHERE {where.sql}", where.params).fetchone()[0]


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


_INSERT_LEAF = "INSERT INTO metadata_leaves (tenant, path, value, created_at, pk) VALUES (?, ?, ?, ?, ?)"
_DELETE_LEAF = (
    "DELETE FROM metadata_leaves WHERE tenant = ? AND path = ? AND value = ? AND created_at = ? AND pk = ?"
)


_INSERT_LOOKUP = "INSERT INTO lookup_keys (tenant, kind, key, created_at, pk) VALUES (?, ?, ?, ?, ?)"
_DELETE_LOOKUP = (
    "DELETE FROM lookup_keys WHERE tenant = ? AND kind = ? AND key = ? AND created_at = ? AND pk = ?"
)


def _lookup_rows(lookups: dict[str, LookupKey], pk: int, a: Assistant) -> set[tuple[str, str, str, int, int]]:
    rows = set()
    for kind, key_of in lookups.items():
        if (key := key_of(a)) is not None:
            rows.add((a.tenant, kind, key, a.created_at, pk))
    return rows


def _refresh_lookups(
    conn: sqlite3.Connection, lookups: dict[str, LookupKey], signatures: dict[str, str]
) -> None:
    """Rebuild the keys of every kind whose function is new or changed (its signature differs).

    Rows of kinds no longer registered are left alone: the dialect that made them may come back.
    """
    stored = dict(conn.execute("SELECT kind, signature FROM lookup_kinds").fetchall())
    stale = [kind for kind in lookups if stored.get(kind) != signatures[kind]]
    if not stale:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for kind in stale:
            conn.execute("DELETE FROM lookup_keys WHERE kind = ?", (kind,))
            one = {kind: lookups[kind]}
            rows = conn.execute("SELECT pk, doc FROM assistants")
            while chunk := rows.fetchmany(10_000):
                conn.executemany(
                    _INSERT_LOOKUP,
                    [r for pk, doc in chunk for r in _lookup_rows(one, pk, _decode_assistant(doc))],
                )
            conn.execute(
                "INSERT INTO lookup_kinds (kind, signature) VALUES (?, ?)"
                " ON CONFLICT (kind) DO UPDATE SET signature = excluded.signature",
                (kind, signatures[kind]),
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class SqliteWriteTx:
    """`storage.base.WriteTx` on the writer connection, inside the current savepoint."""

    def __init__(self, conn: sqlite3.Connection, lookups: dict[str, LookupKey] | None = None) -> None:
        self._conn = conn
        self._lookups = lookups or {}
        self._loaded: dict[tuple[str, str], tuple[int, Assistant]] = {}
        self.wrote = False  # set before this unit's first write: its failure then needs a rollback

    def _lookup_rows(self, pk: int, assistant: Assistant) -> set[tuple[str, str, str, int, int]]:
        return _lookup_rows(self._lookups, pk, assistant)

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
        self.wrote = True
        cursor = self._conn.execute(
            "INSERT INTO assistants (tenant, assistant_id, owner, name_folded, description_folded, graph_id,"
            " created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _columns(assistant),
        )
        pk = cursor.lastrowid
        assert pk is not None
        self._append_version(pk, assistant)
        self._conn.executemany(_INSERT_LEAF, queries.metadata_rows(pk, assistant))
        if self._lookups:
            self._conn.executemany(_INSERT_LOOKUP, sorted(self._lookup_rows(pk, assistant)))
        self._loaded[assistant.tenant, assistant.id] = (pk, assistant)

    def insert_many(self, assistants: list[Assistant]) -> None:
        """Bulk `insert` (loaders, imports): the same rows in three `executemany` calls, not 3N statements.

        Row keys continue from the largest one, as SQLite's own rowid choice does; the writer holds the
        write lock, so nothing else can take them meanwhile.
        """
        self.wrote = True
        first = self._conn.execute("SELECT coalesce(max(pk), 0) + 1 FROM assistants").fetchone()[0]
        pks = range(first, first + len(assistants))
        self._conn.executemany(
            "INSERT INTO assistants (pk, tenant, assistant_id, owner, name_folded, description_folded,"
            " graph_id, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(pk, *_columns(a)) for pk, a in zip(pks, assistants, strict=True)],
        )
        self._conn.executemany(
            "INSERT INTO assistant_versions (pk, version, created_at, doc) VALUES (?, ?, ?, ?)",
            [
                (pk, a.version, a.updated_at, _encode(snapshot_of(a)))
                for pk, a in zip(pks, assistants, strict=True)
            ],
        )
        self._conn.executemany(
            _INSERT_LEAF,
            [row for pk, a in zip(pks, assistants, strict=True) for row in queries.metadata_rows(pk, a)],
        )
        if self._lookups:
            self._conn.executemany(
                _INSERT_LOOKUP,
                [row for pk, a in zip(pks, assistants, strict=True) for row in self._lookup_rows(pk, a)],
            )
        for pk, a in zip(pks, assistants, strict=True):
            self._loaded[a.tenant, a.id] = (pk, a)

    def _current(self, tenant: str, assistant_id: str) -> tuple[int, Assistant] | None:
        """The stored row's key and assistant: from this unit's cache, else from the table."""
        known = self._loaded.get((tenant, assistant_id))
        if known is None and self.get(tenant, assistant_id) is not None:
            known = self._loaded[tenant, assistant_id]
        return known

    def update(self, assistant: Assistant, *, new_version: bool) -> None:
        known = self._current(assistant.tenant, assistant.id)
        if known is None:
            raise NotFound(assistant.id)
        self.wrote = True
        pk, current = known
        if (current.tenant, current.id, current.owner, current.created_at) == (
            assistant.tenant,
            assistant.id,
            assistant.owner,
            assistant.created_at,
        ):
            # Only the columns that can change: SQLite rewrites the entries of every index whose
            # columns are SET, changed or not, and a PATCH should not move the assistant in three
            # (nor in the graph index, which a PATCH seldom changes).
            graph_changed = assistant.graph_id != current.graph_id
            self._conn.execute(
                "UPDATE assistants SET name_folded = ?, description_folded = ?,"
                + (" graph_id = ?," if graph_changed else "")
                + " updated_at = ?, doc = ? WHERE pk = ?",
                (
                    queries.fold(assistant.name),
                    None if assistant.description is None else queries.fold(assistant.description),
                    *((assistant.graph_id,) if graph_changed else ()),
                    assistant.updated_at,
                    _encode(assistant),
                    pk,
                ),
            )
        else:
            self._conn.execute(
                "UPDATE assistants SET tenant = ?, assistant_id = ?, owner = ?, name_folded = ?,"
                " description_folded = ?, graph_id = ?, created_at = ?, updated_at = ?, doc = ? WHERE pk = ?",
                (*_columns(assistant), pk),
            )
        before = queries.metadata_rows(pk, current)
        after = queries.metadata_rows(pk, assistant)
        if before != after:
            # Only the leaves that changed: a PATCH adding one key writes one index entry, not all.
            self._conn.executemany(_DELETE_LEAF, sorted(set(before) - set(after)))
            self._conn.executemany(_INSERT_LEAF, sorted(set(after) - set(before)))
        if self._lookups:
            keys_before, keys_after = self._lookup_rows(pk, current), self._lookup_rows(pk, assistant)
            if keys_before != keys_after:
                self._conn.executemany(_DELETE_LOOKUP, sorted(keys_before - keys_after))
                self._conn.executemany(_INSERT_LOOKUP, sorted(keys_after - keys_before))
        if new_version:
            self._append_version(pk, assistant)
        self._loaded[assistant.tenant, assistant.id] = (pk, assistant)

    def _append_version(self, pk: int, assistant: Assistant) -> None:
        self._conn.execute(
            "INSERT INTO assistant_versions (pk, version, created_at, doc) VALUES (?, ?, ?, ?)",
            (pk, assistant.version, assistant.updated_at, _encode(snapshot_of(assistant))),
        )

    def delete(self, tenant: str, assistant_id: str) -> bool:
        known = self._current(tenant, assistant_id)
        if known is None:
            return False
        self.wrote = True
        pk, current = known
        # The index rows are found by their keys (computed from the stored metadata), not by a
        # second index on `pk` that every create would have to maintain.
        self._conn.executemany(_DELETE_LEAF, queries.metadata_rows(pk, current))
        if self._lookups:
            self._conn.executemany(_DELETE_LOOKUP, sorted(self._lookup_rows(pk, current)))
        self._conn.execute("DELETE FROM assistants WHERE pk = ?", (pk,))
        del self._loaded[tenant, assistant_id]
        return True

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

    def find(self, tenant: str, kind: str, key: str) -> list[Assistant]:
        rows = self._conn.execute(
            "SELECT a.doc FROM lookup_keys k JOIN assistants a ON a.pk = k.pk"
            " WHERE k.tenant = ? AND k.kind = ? AND k.key = ? ORDER BY k.created_at, k.pk",
            (tenant, kind, key),
        )
        return [_decode_assistant(row[0]) for row in rows]

    def insert_attachment(self, attachment: Attachment, content: bytes) -> None:
        self.wrote = True
        self._conn.execute(
            "INSERT INTO attachments (tenant, attachment_id, doc, content) VALUES (?, ?, ?, ?)",
            (attachment.tenant, attachment.id, _encode(attachment), content),
        )

    def get_attachment(self, tenant: str, attachment_id: str) -> Attachment | None:
        return _get_attachment(self._conn, tenant, attachment_id)

    def update_attachment(self, attachment: Attachment) -> None:
        self.wrote = True
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
