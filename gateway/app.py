"""The application factory: one store, one service, every enabled dialect mounted under its prefix.

`Gateway` owns the resources; `Gateway.app()` is the ASGI app for the main port (dialects under
`/langsmith`, `/aegra`, ... and `GET /healthz`), and `Gateway.dialect_app(name)` serves one dialect
at the root of a port of its own, for clients with hard-coded vendor paths.

The main app is a Starlette app with one `Mount` per dialect, fronted by `PrefixDispatch`, which
sends a request under a dialect's prefix straight to that dialect's app with the scope `Mount` would
have given it. The answers are the same; the outer router and its middleware (about a third of the
framework time of a GET, measured by bench/) are skipped on the hot path.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from dialects import available
from dialects.base import Dialect
from gateway.auth import KeyRing
from gateway.config import Settings, load_settings
from gateway.http import JSONResponse
from gateway.service import AssistantService
from storage.base import Storage
from storage.sqlite import SqliteStorage


def create_storage(settings: Settings) -> Storage:
    s = settings.storage
    return SqliteStorage(s.path, synchronous=s.synchronous, readers=s.readers, cache_kib=s.cache_kib)


class Gateway:
    def __init__(self, settings: Settings, storage: Storage | None = None) -> None:
        self.settings = settings
        self.storage = storage or create_storage(settings)
        self.service = AssistantService(self.storage, settings.graphs)
        self.keyring = KeyRing.from_settings(settings.auth.keys)
        types = available()
        self.dialects: dict[str, Dialect] = {
            name: types[name](self.service, settings, self.keyring) for name in settings.enabled_dialects()
        }
        self._started = False

    async def start(self) -> None:
        """Open storage and make sure every tenant has its system assistants (idempotent)."""
        if self._started:
            return
        await self.storage.open()
        self._started = True
        await self.service.ensure_system_assistants(self.keyring.tenants())

    async def stop(self) -> None:
        if self._started:
            self._started = False
            await self.storage.close()

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    def app(self) -> ASGIApp:
        routes: list[Route | Mount] = [Route("/healthz", _healthz, methods=["GET"])]
        mounts: list[tuple[str, ASGIApp]] = []
        for name, dialect in self.dialects.items():
            dialect_app = dialect.build_app()
            routes.append(Mount(self.settings.prefix(name), app=dialect_app, name=name))
            mounts.append((self.settings.prefix(name), dialect_app))
        starlette = Starlette(
            routes=routes,
            lifespan=self.lifespan,
            exception_handlers={HTTPException: _http_error},
        )
        return PrefixDispatch(starlette, mounts)

    def dialect_app(self, name: str) -> ASGIApp:
        return self.dialects[name].build_app()


class PrefixDispatch:
    """Pure ASGI: an HTTP request under a mounted prefix goes straight to that mount's app.

    It decides exactly as the app's `Mount` routes would (same order, same `/prefix/...` match; paths
    `Mount` would not match, and everything that is not HTTP, go to the Starlette app) and hands the
    mounted app the scope `Mount` builds: `root_path` extended by the prefix, `app_root_path` kept.
    """

    def __init__(self, app: Starlette, mounts: list[tuple[str, ASGIApp]]) -> None:
        self.app = app
        # A prefix that is empty or "/" would shadow the root routes: leave such mounts to Starlette.
        usable = all(prefix.strip("/") for prefix, _ in mounts)
        self.mounts = [(prefix.rstrip("/") + "/", mounted) for prefix, mounted in mounts] if usable else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.mounts:
            root_path = scope.get("root_path", "")
            path = _route_path(scope["path"], root_path)
            if path != "/healthz" and "\n" not in path:
                for prefix, mounted in self.mounts:
                    if path.startswith(prefix):
                        scope["path_params"] = dict(scope.get("path_params", {}))
                        scope["app_root_path"] = scope.get("app_root_path", root_path)
                        scope["root_path"] = root_path + prefix[:-1]
                        scope["endpoint"] = mounted
                        await mounted(scope, receive, send)
                        return
        await self.app(scope, receive, send)


def _route_path(path: str, root_path: str) -> str:
    """The path the routes see (Starlette's rule: the root path is cut off when the path starts with it)."""
    if not root_path or not path.startswith(root_path):
        return path
    if path == root_path:
        return ""
    return path[len(root_path) :] if path[len(root_path)] == "/" else path


async def _healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def create_app(settings: Settings | None = None) -> ASGIApp:
    """For `uvicorn gateway.app:create_app --factory`: the configuration comes from the environment."""
    return Gateway(settings or load_settings()).app()
