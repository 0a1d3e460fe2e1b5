"""Bulk-load a store with N LangSmith-shaped assistants through the storage layer, not HTTP.

Rows go in through `SqliteStorage.write` in big units of work (one transaction per chunk), exactly
the rows the service would write for an assistant created through the LangSmith dialect. The ids are
written to a file, one per line, for the wrk scripts that GET and PATCH loaded assistants.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from gateway.app import Gateway
from gateway.config import load_settings
from gateway.model import Assistant
from storage.sqlite import SqliteStorage
from storage.sqlite.store import SqliteWriteTx

TEAMS = 1000  # metadata {"team": "team-<k>"}: each team holds 1 % of the store
ENVS = ("prod", "staging", "dev")
CHUNK = 20_000
EPOCH_US = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z


def make_assistant(i: int, assistant_id: str) -> Assistant:
    """The i-th assistant: what `POST /langsmith/assistants` with bench/lua/create.lua's body stores."""
    prompt = f"You are support assistant number {i}. Answer briefly and politely."
    context = {"model": "gpt-4o-mini", "system_prompt": prompt}
    at = EPOCH_US + i * 1000
    return Assistant(
        id=assistant_id,
        name=f"bench assistant {i}",
        description="An assistant loaded by the benchmark",
        graph_id="agent",
        config={"tags": ["bench"], "recursion_limit": 25, "configurable": dict(context)},
        context=context,
        metadata={"team": f"team-{i % TEAMS}", "env": ENVS[i % len(ENVS)], "seq": i},
        instructions=prompt,
        model="gpt-4o-mini",
        created_at=at,
        updated_at=at,
    )


def _ids(n: int, seed: int) -> Iterator[str]:
    # Random-looking but reproducible uuid4-shaped ids (the gateway's own ids are uuid4).
    import random

    rng = random.Random(seed)
    for _ in range(n):
        yield str(uuid.UUID(int=rng.getrandbits(128), version=4))


async def load(path: str, n: int, ids_file: str | None = None, *, seed: int = 1) -> float:
    """Load assistants 0..n-1 into the store at `path`; returns the seconds it took."""
    started = time.perf_counter()
    # The gateway's own storage, so that the dialects' lookup keys (Aegra's) are written with the rows,
    # exactly as for assistants created over HTTP; the gateway then finds nothing to rebuild at start-up.
    settings = load_settings(
        environ={}, overrides={"storage.path": path, "storage.synchronous": "normal", "storage.readers": 0}
    )
    storage = Gateway(settings).storage
    assert isinstance(storage, SqliteStorage)
    await storage.open()
    ids = list(_ids(n, seed))
    try:
        for start in range(0, n, CHUNK):
            chunk = [make_assistant(i, ids[i]) for i in range(start, min(start + CHUNK, n))]

            def unit(tx: SqliteWriteTx, chunk: list[Assistant] = chunk) -> None:
                tx.insert_many(chunk)

            await storage.write(unit)
    finally:
        await storage.close()
    if ids_file is not None:
        Path(ids_file).write_text("\n".join(ids) + "\n", encoding="ascii")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--ids", help="write the loaded ids here, one per line")
    args = parser.parse_args(argv)
    seconds = asyncio.run(load(args.db, args.n, args.ids))
    print(f"loaded {args.n} assistants in {seconds:.1f} s")


if __name__ == "__main__":
    main()
