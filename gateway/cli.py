"""`assistant-gateway serve`: start the gateway (main port, plus any dialect with a port of its own).

The servers run on uvloop with the httptools parser when they are installed (uvicorn[standard]
brings both): `asyncio.run` alone would give the stock asyncio loop, since several uvicorn servers
share one loop here and uvicorn's own loop choice only applies to `uvicorn.run`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import signal
import sys
from collections.abc import Callable, Iterator

import uvicorn

from gateway.app import Gateway
from gateway.config import ConfigError, Settings, load_settings
from gateway.http import coalescing_protocol


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant-gateway", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve every enabled dialect over one store")
    serve.add_argument(
        "--config", help="TOML configuration file (default: $ASSISTANT_GATEWAY_CONFIG, else none)"
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8080)")
    serve.add_argument("--db", help="SQLite database file (default ./assistant-gateway.db)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(
            args.config,
            overrides={"server.host": args.host, "server.port": args.port, "storage.path": args.db},
        )
    except ConfigError as exc:
        print(f"assistant-gateway: configuration error: {exc}", file=sys.stderr)
        return 2
    try:
        with contextlib.suppress(KeyboardInterrupt), asyncio.Runner(loop_factory=loop_factory()) as runner:
            runner.run(serve(settings))
    except StartupFailed as exc:
        print(f"assistant-gateway: could not start: {exc}", file=sys.stderr)
        return 1
    return 0


class StartupFailed(Exception):
    """A server could not start (uvicorn has logged why, e.g. the port is taken)."""


def tune_gc() -> None:
    """Keep the cyclic garbage collector off the request path (measured by bench/: fewer and shorter pauses).

    Everything alive after start-up (modules, apps, compiled schemas) lives as long as the process:
    frozen, full collections no longer walk it. Requests allocate many short-lived objects, so the
    youngest generation is collected every 10,000 allocations instead of every 700.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop when it is installed, else asyncio's default."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] installs it
        return None
    return uvloop.new_event_loop


def _http_protocol() -> str | type:
    return coalescing_protocol() or "h11"


class _Server(uvicorn.Server):
    """uvicorn's server without its own signal handling, which `serve` does for all servers at once.

    uvicorn's handler would stop only the server that installed it last, then re-raise the signal
    after that server's shutdown, killing the process before the store is closed.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve(settings: Settings) -> None:
    gateway = Gateway(settings)
    await gateway.start()
    tune_gc()
    server = settings.server

    def uvicorn_server(app: object, port: int) -> uvicorn.Server:
        config = uvicorn.Config(
            app,
            host=server.host,
            port=port,
            lifespan="off",
            http=_http_protocol(),
            log_level=server.log_level,
            access_log=server.access_log,
        )
        return _Server(config)

    servers = [uvicorn_server(gateway.app(), server.port)]
    for name, dialect_settings in settings.dialects.items():
        if dialect_settings.enabled and dialect_settings.port is not None:
            servers.append(uvicorn_server(gateway.dialect_app(name), dialect_settings.port))

    def stop() -> None:
        """SIGINT/SIGTERM: every server stops taking requests and finishes the ones in flight (a second
        signal: at once); then the store is closed."""
        for s in servers:
            s.force_exit = s.should_exit
            s.should_exit = True

    async def run(s: uvicorn.Server) -> None:
        # uvicorn raises SystemExit when it cannot bind. Left alone, that escapes the event loop past
        # `gateway.stop()`, and the store's threads then keep the process alive, deaf to signals.
        try:
            await s.serve()
        except SystemExit:
            stop()
            raise StartupFailed(f"cannot serve on {server.host}:{s.config.port}") from None

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop)
    try:
        results = await asyncio.gather(*(run(s) for s in servers), return_exceptions=True)
    finally:
        await gateway.stop()
    for result in results:
        if isinstance(result, BaseException):
            raise result


if __name__ == "__main__":
    sys.exit(main())
