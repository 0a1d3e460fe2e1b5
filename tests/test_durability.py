"""Durability: a killed gateway loses no answered write, and an answer waits for the WAL's fsync.

The kill test runs the real server (`python -m gateway serve`) in a subprocess, drives creates and
PATCHes at it concurrently, SIGKILLs it the moment enough answers have arrived (with more requests
in flight), restarts it on the same file, and checks that every answered write is there.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.model import Assistant, Scope
from storage.sqlite import SqliteStorage
from storage.sqlite.store import WalSync

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_GATEWAY_")}
    env.update(ASSISTANT_GATEWAY_SERVER_ACCESS_LOG="false", ASSISTANT_GATEWAY_SERVER_LOG_LEVEL="warning")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "serve", "--port", str(port), "--db", str(db)], cwd=ROOT, env=env
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the gateway exited at start-up"
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("the gateway did not start")


async def _drive(
    url: str, proc: subprocess.Popen[bytes], seed_ids: list[str], kill_after: int
) -> dict[str, Any]:
    """Creates and PATCHes from many clients at once; SIGKILL as soon as `kill_after` answers are in."""
    created: dict[str, str] = {}  # id -> name, for every answered create
    patched: dict[str, int] = {}  # id -> highest answered version
    answers = 0
    killed = asyncio.Event()

    async def client(n: int, http: httpx.AsyncClient) -> None:
        nonlocal answers
        i = 0
        while not killed.is_set():
            i += 1
            try:
                if i % 2:
                    name = f"durable {n}-{i}"
                    r = await http.post("/langsmith/assistants", json={"graph_id": "agent", "name": name})
                    if r.status_code == 200:
                        created[r.json()["assistant_id"]] = name
                else:
                    target = seed_ids[(n + i) % len(seed_ids)]
                    r = await http.patch(
                        f"/langsmith/assistants/{target}", json={"metadata": {"w": f"{n}-{i}"}}
                    )
                    if r.status_code == 200:
                        patched[target] = max(patched.get(target, 0), r.json()["version"])
                assert r.status_code == 200, r.text
            except httpx.TransportError:
                return  # the server is gone: this request was never answered
            answers += 1
            if answers >= kill_after and not killed.is_set():
                proc.send_signal(signal.SIGKILL)
                killed.set()

    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        await asyncio.gather(*(client(n, http) for n in range(32)))
    return {"created": created, "patched": patched}


def test_a_killed_gateway_loses_no_answered_write(tmp_path: Path) -> None:
    db = tmp_path / "durable.db"
    proc, url = _start(db)
    try:
        seed_ids = [
            httpx.post(f"{url}/langsmith/assistants", json={"graph_id": "agent", "name": f"seed {k}"}).json()[
                "assistant_id"
            ]
            for k in range(8)
        ]
        answered = asyncio.run(_drive(url, proc, seed_ids, kill_after=400))
        assert proc.wait(10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert len(answered["created"]) > 100 and answered["patched"]

    proc, url = _start(db)
    try:
        with httpx.Client(base_url=f"{url}/langsmith", timeout=30) as http:
            for assistant_id, name in answered["created"].items():
                r = http.get(f"/assistants/{assistant_id}")
                assert r.status_code == 200, (assistant_id, r.text)
                assert r.json()["name"] == name
            for assistant_id, version in answered["patched"].items():
                assert http.get(f"/assistants/{assistant_id}").json()["version"] >= version
                history = http.post(f"/assistants/{assistant_id}/versions", json={"limit": 1000}).json()
                assert version in {v["version"] for v in history}
    finally:
        proc.terminate()
        proc.wait(15)


def test_a_write_is_answered_only_after_the_wal_is_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipelined commit: COMMIT without waiting for the disk, then fsync on its own thread, then answer."""
    gate = threading.Event()
    synced = threading.Event()
    real_sync = WalSync.sync

    def slow_sync(self: WalSync) -> None:
        gate.wait(10)
        real_sync(self)
        synced.set()

    monkeypatch.setattr(WalSync, "sync", slow_sync)

    async def scenario() -> None:
        storage = SqliteStorage(str(tmp_path / "s.db"))
        await storage.open()
        try:
            write = asyncio.ensure_future(
                storage.write(
                    lambda tx: tx.insert(Assistant(id="a1", name="one", created_at=1, updated_at=1))
                )
            )
            await asyncio.sleep(0.2)
            assert not write.done()  # committed, but not yet known to be on disk
            gate.set()
            await asyncio.wait_for(write, 10)
            assert synced.is_set()
        finally:
            gate.set()
            await storage.close()

    asyncio.run(scenario())


def test_normal_mode_answers_at_commit_without_a_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_sync(self: WalSync) -> None:
        raise AssertionError("synchronous = normal must not wait for a sync")

    monkeypatch.setattr(WalSync, "sync", no_sync)

    async def scenario() -> None:
        storage = SqliteStorage(str(tmp_path / "s.db"), synchronous="normal")
        await storage.open()
        try:
            await storage.write(
                lambda tx: tx.insert(Assistant(id="a1", name="one", created_at=1, updated_at=1))
            )
            assert await storage.get(Scope(), "a1") is not None
        finally:
            await storage.close()

    asyncio.run(scenario())


def test_sigterm_finishes_and_closes_the_store(tmp_path: Path) -> None:
    db = tmp_path / "term.db"
    proc, url = _start(db)
    try:
        made = httpx.post(f"{url}/langsmith/assistants", json={"graph_id": "agent", "name": "kept"}).json()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not Path(f"{db}-wal").exists()  # closed cleanly: checkpointed, WAL removed
    proc, url = _start(db)
    try:
        assert httpx.get(f"{url}/langsmith/assistants/{made['assistant_id']}").json()["name"] == "kept"
    finally:
        proc.terminate()
        assert proc.wait(15) == 0
