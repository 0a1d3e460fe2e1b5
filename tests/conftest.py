"""Shared fixtures: settings in a temporary directory, the in-process app, and a real uvicorn server.

In-process tests use Starlette's TestClient (it runs the lifespan and re-raises any server crash, so
a 500 fails the test loudly). SDK tests run a real uvicorn on an ephemeral loopback port in a thread.

`LANGSMITH_REFERENCE_URL=http://127.0.0.1:2025` runs the LangSmith HTTP tests marked `reference`
against a real `langgraph dev` serving tests/fixtures' graphs, the way moto runs its tests in server
mode. CI never sets it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.testclient import TestClient

from gateway.app import Gateway
from gateway.config import Settings, load_settings

FIXTURES = Path(__file__).parent / "fixtures"
LANGGRAPH_CONFIG = FIXTURES / "langgraph.toml"
REFERENCE_URL = os.environ.get("LANGSMITH_REFERENCE_URL")

SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    """Build settings: the fixture graphs (or `config_text` as the whole file), a database in tmp_path."""

    def make(
        config_text: str | None = None,
        *,
        overrides: dict[str, Any] | None = None,
        environ: dict[str, str] | None = None,
    ) -> Settings:
        path = LANGGRAPH_CONFIG
        if config_text is not None:
            path = tmp_path / "gateway.toml"
            path.write_text(config_text, encoding="utf-8")
        return load_settings(
            path,
            environ=environ or {},
            overrides={"storage.path": str(tmp_path / "gateway.db"), **(overrides or {})},
        )

    return make


@contextlib.contextmanager
def in_process(settings: Settings, base_url: str = "http://testserver") -> Iterator[TestClient]:
    with TestClient(Gateway(settings).app(), base_url=base_url) as client:
        yield client


@pytest.fixture
def gateway(make_settings: SettingsFactory) -> Iterator[TestClient]:
    """The whole gateway in process, at its root (dialects under their prefixes)."""
    with in_process(make_settings()) as client:
        yield client


@pytest.fixture
def langsmith(make_settings: SettingsFactory) -> Iterator[httpx.Client]:
    """An HTTP client whose base URL is the LangSmith dialect (or the reference server, when set)."""
    if REFERENCE_URL:
        with httpx.Client(base_url=REFERENCE_URL, timeout=30) as client:
            yield client
    else:
        with in_process(make_settings(), "http://testserver/langsmith") as client:
            yield client


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve `app` with a real uvicorn on an ephemeral loopback port; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture
def live_gateway(make_settings: SettingsFactory) -> Iterator[str]:
    """The gateway on a real uvicorn (fixture graphs, fresh database); yields its base URL."""
    with live_server(Gateway(make_settings()).app()) as url:
        yield url


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reference: also passes against the real LangSmith server")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not REFERENCE_URL:
        return
    skip = pytest.mark.skip(reason="gateway-only test; LANGSMITH_REFERENCE_URL is set")
    for item in items:
        if "reference" not in item.keywords:
            item.add_marker(skip)
