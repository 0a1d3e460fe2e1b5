"""The benchmark's tooling, cheaply (the benchmark itself is `python -m bench`, never part of the suite):
the loader fills a store the gateway serves, the baseline answers the same shape, the report renders."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from starlette.testclient import TestClient

from bench import baseline, run
from bench.loader import load
from tests.conftest import SettingsFactory, in_process


def test_loaded_assistants_are_served_and_the_baseline_has_their_shape(
    tmp_path: Path, make_settings: SettingsFactory
) -> None:
    db, ids = tmp_path / "bench.db", tmp_path / "ids.txt"
    asyncio.run(load(str(db), 50, str(ids)))
    loaded = ids.read_text().split()
    assert len(loaded) == 50
    settings = make_settings(overrides={"storage.path": str(db)})
    with in_process(settings, "http://testserver/langsmith") as client:
        served = client.get(f"/assistants/{loaded[7]}").json()
        assert served["metadata"] == {"team": "team-7", "env": "staging", "seq": 7}
        assert client.post("/assistants/count", json={"metadata": {"team": "team-7"}}).json() == 1
        page = client.post("/assistants/search", json={"metadata": {"env": "prod"}, "limit": 10}).json()
        assert [a["metadata"]["seq"] for a in page] == [48, 45, 42, 39, 36, 33, 30, 27, 24, 21]
    with TestClient(baseline.app) as client:
        answer = client.get(f"/langsmith/assistants/{loaded[7]}").json()
    assert list(answer) == list(served)
    assert abs(len(str(answer)) - len(str(served))) < 40


def test_the_report_shows_every_row_with_its_verdict() -> None:
    fast = run.WrkResult(rps=9000, p50_ms=1.0, p99_ms=3.0, requests=90000, errors=0)
    base = run.WrkResult(rps=10000, p50_ms=1.0, p99_ms=2.0, requests=100000, errors=0)
    slow = run.WrkResult(rps=1000, p50_ms=20.0, p99_ms=80.0, requests=10000, errors=0)
    results = {"get": run.OpResult(fast, base, base), "search": run.OpResult(slow, base, fast)}
    memory = [run.MemoryResult(10_000, 60_000, 0.3), run.MemoryResult(1_000_000, 66_000, 0.4)]
    args = argparse.Namespace(n=1000, connections=8, warmup=1, rounds=2, seconds=1, memory_seconds=1)
    text = run.report(args, results, memory, "notes here")
    assert "| GET by id | 9,000 | 1.00 ms | 3.00 ms | 10,000 | 0.90 | ≥ 0.50 | ✅ | 10,000 | 0.90 |" in text
    assert "search, metadata filter, limit 10, 1,000 stored | 1,000 |" in text and "❌ below target" in text
    assert "| 1.10 x | ≤ 1.2 x | ✅ |" in text
    assert text.rstrip().endswith("notes here")
    assert run.combine([fast, slow]).rps == 100000 / 20
