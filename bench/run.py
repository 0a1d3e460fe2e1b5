"""`python -m bench`: the gateway against a bare Starlette app, with wrk, on this machine.

One command: it installs wrk if missing (Debian's package), bulk-loads a store of N assistants
(bench/loader.py), starts the gateway (`python -m gateway serve`, one uvicorn worker) and the baseline
(bench/baseline.py under one uvicorn worker, same loop and parser) on ephemeral loopback ports, and
drives each operation with wrk: GET by id, create, PATCH, metadata search (limit 10) and count on the
LangSmith mount. The baseline and the gateway run alternately, in rounds of a few seconds, so that
a machine that speeds up or slows down during the run (shared CPUs do) skews no ratio. Then it
measures the gateway's resident memory after the same warm-up work at two
store sizes (10k and 1M by default), and the start-up time with the large store, and writes
bench/RESULTS.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import http.client
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.loader import load

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LUA = HERE / "lua"

# operation → (wrk script, target ratio to the baseline, description)
OPERATIONS: dict[str, tuple[str, float, str]] = {
    "get": ("get.lua", 0.50, "GET by id"),
    "create": ("create.lua", 0.30, "create (durable: answered after commit)"),
    "patch": ("patch.lua", 0.25, "PATCH (new version)"),
    "search": ("search.lua", 0.20, "search, metadata filter, limit 10"),
    "count": ("count.lua", 0.20, "count, metadata filter"),
}
# Reads first: the writes add rows (creates) and versions (PATCH) to the loaded store.
ORDER = ("get", "search", "count", "create", "patch")
SEARCH_P99_MS = 50.0
MEMORY_RATIO_TARGET = 1.2
STARTUP_TARGET_S = 2.0


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


# -- processes ---------------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing Debian's package", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*sudo, "apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(install, env=env, check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("could not install wrk")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port: int, path: str, deadline_s: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.005)
    raise SystemExit(f"server on port {port} did not answer {path} in {deadline_s} s")


@contextlib.contextmanager
def server(
    argv: list[str], port: int, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **(env or {})})
    try:
        wait_http(port, "/healthz", 60, proc)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


GATEWAY_ENV = {
    # What the baseline runs with too: no access log, warnings only.
    "ASSISTANT_GATEWAY_SERVER_ACCESS_LOG": "false",
    "ASSISTANT_GATEWAY_SERVER_LOG_LEVEL": "warning",
}


def gateway_argv(db: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "gateway", "serve", "--port", str(port), "--db", str(db)]


def baseline_argv(port: int, *, same_stack: bool = False) -> list[str]:
    """Stock uvicorn (the issue's baseline), or uvicorn with the gateway's own HTTP protocol."""
    http = "gateway.http:CoalescingHttpToolsProtocol" if same_stack else "httptools"
    return [
        sys.executable, "-m", "uvicorn", "bench.baseline:app", "--host", "127.0.0.1",
        "--port", str(port), "--workers", "1", "--loop", "uvloop", "--http", http,
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


# -- wrk ---------------------------------------------------------------------------------------------------


def script(op: str, workdir: Path) -> Path:
    path = workdir / f"{op}.lua"
    path.write_text((LUA / "common.lua").read_text() + "\n" + (LUA / OPERATIONS[op][0]).read_text())
    return path


def wrk(port: int, lua: Path, ids: Path, *, seconds: int, connections: int, seed: int) -> WrkResult:
    argv = [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(lua),
        f"http://127.0.0.1:{port}", "--", str(ids), str(seed),
    ]  # fmt: skip
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH-RESULT "))
    data = json.loads(line.removeprefix("BENCH-RESULT "))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return WrkResult(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        requests=data["requests"],
        errors=errors,
    )


def combine(runs: list[WrkResult]) -> WrkResult:
    """Several runs as one: requests/s over their total time; latencies as the median run's."""
    runs_by_p99 = sorted(runs, key=lambda r: r.p99_ms)
    runs_by_p50 = sorted(runs, key=lambda r: r.p50_ms)
    total_s = sum(r.requests / r.rps for r in runs)
    return WrkResult(
        rps=sum(r.requests for r in runs) / total_s,
        p50_ms=runs_by_p50[len(runs) // 2].p50_ms,
        p99_ms=runs_by_p99[len(runs) // 2].p99_ms,
        requests=sum(r.requests for r in runs),
        errors=sum(r.errors for r in runs),
    )


# -- the run -------------------------------------------------------------------------------------------------


def load_store(path: Path, n: int, ids: Path | None = None) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    seconds = asyncio.run(load(str(path), n, None if ids is None else str(ids)))
    print(f"loaded {n:,} assistants into {path.name} in {seconds:.1f} s", flush=True)
    return seconds


@dataclass
class OpResult:
    gateway: WrkResult
    baseline: WrkResult  # bare Starlette on stock uvicorn: the ratios and verdicts
    same_stack: WrkResult  # bare Starlette on the gateway's HTTP protocol: for comparison
    round_ratios: list[float] = field(default_factory=list)  # gateway / baseline, round by round


def throughput(args: argparse.Namespace, workdir: Path) -> dict[str, OpResult]:
    db, ids = workdir / "store.db", workdir / "ids.txt"
    load_store(db, args.n, ids)
    gw_port, base_port, same_port = free_port(), free_port(), free_port()
    results: dict[str, OpResult] = {}
    with (
        server(baseline_argv(base_port), base_port),
        server(baseline_argv(same_port, same_stack=True), same_port),
        server(gateway_argv(db, gw_port), gw_port, GATEWAY_ENV),
    ):
        base_lua = script("get", workdir)
        for seed, op in enumerate(ORDER, start=1):
            if op not in args.ops:
                continue
            lua = script(op, workdir)
            targets = ((base_port, base_lua), (same_port, base_lua), (gw_port, lua))
            for port, path in targets:  # warm-up (caches, connections), not recorded
                wrk(port, path, ids, seconds=args.warmup, connections=args.connections, seed=seed)
            rounds: list[list[WrkResult]] = []
            for r in range(args.rounds):
                rounds.append(
                    [
                        wrk(
                            port,
                            path,
                            ids,
                            seconds=args.seconds,
                            connections=args.connections,
                            seed=seed * 100 + r,
                        )
                        for port, path in targets
                    ]
                )
            base, same, gw = (combine([round_[k] for round_ in rounds]) for k in range(3))
            results[op] = OpResult(gw, base, same, [g.rps / b.rps for b, _, g in rounds])
            print(
                f"{op:7s} gateway {gw.rps:8.0f} req/s  p50 {gw.p50_ms:6.2f} ms  p99 {gw.p99_ms:6.2f} ms"
                f"  | baseline {base.rps:8.0f} req/s  → ratio {gw.rps / base.rps:.2f}"
                f"  (rounds: {', '.join(f'{g.rps / b.rps:.2f}' for b, _, g in rounds)})"
                f"  | same-stack baseline {same.rps:8.0f} → {gw.rps / same.rps:.2f}"
                + (f"  ({gw.errors} errors!)" if gw.errors else ""),
                flush=True,
            )
    return results


@dataclass
class MemoryResult:
    n: int
    rss_kib: int
    startup_s: float


def memory(args: argparse.Namespace, workdir: Path, n: int) -> MemoryResult:
    """Start the gateway on a store of n, time it to /healthz, do the same warm-up work, read its RSS."""
    db, ids = workdir / f"mem-{n}.db", workdir / f"mem-{n}.ids"
    load_store(db, n, ids)
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(gateway_argv(db, port), cwd=ROOT, env={**os.environ, **GATEWAY_ENV})
    try:
        wait_http(port, "/healthz", 120, proc)
        startup = time.perf_counter() - started
        for seed, op in enumerate(("get", "search", "count", "patch", "create"), start=1):
            wrk(
                port,
                script(op, workdir),
                ids,
                seconds=args.memory_seconds,
                connections=args.connections,
                seed=seed,
            )
        rss = rss_kib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(15)
    print(f"{n:>9,} stored: start-up {startup:.2f} s, RSS after warm-up {rss / 1024:.1f} MiB", flush=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return MemoryResult(n, rss, startup)


# -- the report ---------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.0f} GiB"
    wrk_version = "not installed"
    with contextlib.suppress(OSError):
        wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version.split(" Copyright")[0].strip().removeprefix("wrk "),
    }


def verdict(ok: bool) -> str:
    return "✅" if ok else "❌ below target"


def report(
    args: argparse.Namespace,
    results: dict[str, OpResult],
    mem: list[MemoryResult],
    notes: str,
) -> str:
    info = machine()
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m bench` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()) + ".",
        "",
        f"Store: {args.n:,} assistants (bench/loader.py). Load: wrk, 1 thread,"
        f" {args.connections} connections, over loopback on the same machine. Per operation, after"
        f" {args.warmup} s of warm-up, {args.rounds} rounds of {args.seconds} s: the baselines, then the"
        " gateway, alternately, so that all see the same machine (others' jobs may share these CPUs)."
        " Requests/s is over all rounds; p50 and p99 are the median round's."
        " Gateway and baselines: one uvicorn worker each, uvloop, httptools, no access log. The gateway runs"
        " its defaults otherwise: SQLite, `synchronous = full` (every answered write is fsynced)."
        " The baseline (ratios, verdicts) is bench/baseline.py on stock uvicorn, as the issue defines it;"
        " the same-stack baseline is the same app on the gateway's own HTTP protocol (one write per"
        " response, gateway/http.py), for an apples-to-apples view of what the gateway adds.",
        "",
        "| operation | gateway req/s | p50 | p99 | baseline req/s | ratio | target | |"
        " same-stack baseline req/s | ratio to it |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for op in ORDER:
        if op not in results:
            continue
        gw, base, same = results[op].gateway, results[op].baseline, results[op].same_stack
        ratio = gw.rps / base.rps
        _, target, label = OPERATIONS[op]
        ok = ratio >= target and gw.errors == 0
        extra = ""
        if op == "search":
            ok = ok and gw.p99_ms < SEARCH_P99_MS
            extra = f", p99 < {SEARCH_P99_MS:g} ms"
        if op in ("search", "count"):
            label += f", {args.n:,} stored"
        lines.append(
            f"| {label} | {gw.rps:,.0f} | {gw.p50_ms:.2f} ms | {gw.p99_ms:.2f} ms | {base.rps:,.0f} |"
            f" {ratio:.2f} | ≥ {target:.2f}{extra} | {verdict(ok)} |"
            f" {same.rps:,.0f} | {gw.rps / same.rps:.2f} |"
        )
    spread = [
        f"{OPERATIONS[op][2].split(' (')[0]} {', '.join(f'{r:.2f}' for r in results[op].round_ratios)}"
        for op in ORDER
        if op in results and results[op].round_ratios
    ]
    if len(mem) == 2:
        small, large = mem
        ratio = large.rss_kib / small.rss_kib
        lines += [
            f"| resident memory, {large.n:,} vs {small.n:,} stored | {large.rss_kib / 1024:.1f} MiB vs"
            f" {small.rss_kib / 1024:.1f} MiB | | | | {ratio:.2f} x | ≤ {MEMORY_RATIO_TARGET} x |"
            f" {verdict(ratio <= MEMORY_RATIO_TARGET)} | | |",
            f"| start-up with {large.n:,} stored (process start → /healthz) | {large.startup_s:.2f} s"
            " | | | | |"
            f" < {STARTUP_TARGET_S:g} s | {verdict(large.startup_s < STARTUP_TARGET_S)} | | |",
            "",
            "Resident memory is the gateway's VmRSS after the same warm-up at both sizes"
            f" ({args.memory_seconds:g} s each of GET, search, count, PATCH and create); with"
            f" {small.n:,} stored it started in {small.startup_s:.2f} s.",
        ]
    if spread:
        lines += ["", "Ratio to the baseline, round by round: " + "; ".join(spread) + "."]
    if notes:
        lines += ["", notes.strip()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="assistants in the store (default 100000)")
    parser.add_argument("--seconds", type=int, default=3, help="seconds of each measured wrk run")
    parser.add_argument("--rounds", type=int, default=5, help="measured runs per operation, each side")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of each warm-up wrk run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--ops", nargs="*", choices=ORDER, default=list(ORDER), help="operations to run")
    parser.add_argument(
        "--memory-sizes", type=int, nargs=2, default=[10_000, 1_000_000], metavar=("SMALL", "LARGE")
    )
    parser.add_argument(
        "--memory-seconds", type=int, default=3, help="seconds of each warm-up run before reading RSS"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory and start-up rows")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="where to write the results")
    parser.add_argument("--notes", type=Path, default=HERE / "NOTES.md", help="appended to the results")
    parser.add_argument("--workdir", type=Path, help="where the stores go (default: a temporary directory)")
    args = parser.parse_args(argv)
    ensure_wrk()
    with contextlib.ExitStack() as stack:
        if args.workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gateway-bench-")))
        else:
            workdir = args.workdir
            workdir.mkdir(parents=True, exist_ok=True)
        results = throughput(args, workdir)
        mem = [] if args.no_memory else [memory(args, workdir, n) for n in args.memory_sizes]
    notes = args.notes.read_text() if args.notes and args.notes.exists() else ""
    text = report(args, results, mem, notes)
    args.out.write_text(text, encoding="utf-8")
    print(f"\nwrote {args.out}\n\n{text}")


if __name__ == "__main__":
    main()
