"""`assistant-gateway serve`: start the gateway (main port, plus any dialect with a port of its own)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

import uvicorn

from gateway.app import Gateway
from gateway.config import ConfigError, Settings, load_settings


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
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(settings))
    return 0


async def serve(settings: Settings) -> None:
    gateway = Gateway(settings)
    await gateway.start()
    server = settings.server

    def uvicorn_server(app: object, port: int) -> uvicorn.Server:
        config = uvicorn.Config(
            app,
            host=server.host,
            port=port,
            lifespan="off",
            log_level=server.log_level,
            access_log=server.access_log,
        )
        return uvicorn.Server(config)

    servers = [uvicorn_server(gateway.app(), server.port)]
    for name, dialect_settings in settings.dialects.items():
        if dialect_settings.enabled and dialect_settings.port is not None:
            servers.append(uvicorn_server(gateway.dialect_app(name), dialect_settings.port))
    try:
        await asyncio.gather(*(s.serve() for s in servers))
    finally:
        await gateway.stop()


if __name__ == "__main__":
    sys.exit(main())
