"""The application factory: one store, one service, every enabled dialect mounted under its prefix.

`Gateway` owns the resources; `Gateway.app()` is the ASGI app for the main port (dialects under
`/langsmith`, `/aegra`, ... and `GET /healthz`), and `Gateway.dialect_app(name)` serves one dialect
at the root of a port of its own, for clients with hard-coded vendor paths.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

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

    def app(self) -> Starlette:
        routes: list[Route | Mount] = [Route("/healthz", _healthz, methods=["GET"])]
        for name, dialect in self.dialects.items():
            routes.append(Mount(self.settings.prefix(name), app=dialect.build_app(), name=name))
        return Starlette(
            routes=routes,
            lifespan=self.lifespan,
            exception_handlers={HTTPException: _http_error},
        )

    def dialect_app(self, name: str) -> ASGIApp:
        return self.dialects[name].build_app()


async def _healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def create_app(settings: Settings | None = None) -> Starlette:
    """For `uvicorn gateway.app:create_app --factory`: the configuration comes from the environment."""
    return Gateway(settings or load_settings()).app()
