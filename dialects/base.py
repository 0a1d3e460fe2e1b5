"""What every dialect is: a named set of routes, its settings, and its own error format.

A dialect registers itself by being defined (`name = "..."` on a subclass). A fifth vendor is one
new module in this package plus its tests, with no list to edit. Framework-level failures (unknown
route, wrong method, a crash) are rendered by the dialect's `error_response`, so clients never see
Starlette's plain-text defaults.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

if TYPE_CHECKING:
    from gateway.auth import KeyRing
    from gateway.config import Settings
    from gateway.service import AssistantService

log = logging.getLogger("gateway")


class DialectSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Settings every dialect has; a dialect may subclass this to add its own keys."""

    enabled: bool = True
    prefix: str | None = None  # where it is mounted on the main port; default "/<name>"
    port: int | None = None  # also serve it at the root of this port (for clients with fixed paths)


class ApiError(Exception):
    """An error answer; the dialect that raised it renders `detail` in its own format."""

    def __init__(self, status: int, detail: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, detail)
        self.status = status
        self.detail = detail
        self.headers = headers


class Dialect:
    name: ClassVar[str]
    settings_type: ClassVar[type[DialectSettings]] = DialectSettings
    registry: ClassVar[dict[str, type[Dialect]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            Dialect.registry[cls.name] = cls

    def __init__(self, service: AssistantService, settings: Settings, keyring: KeyRing) -> None:
        self.service = service
        self.gateway_settings = settings
        self.settings: DialectSettings = settings.dialects.get(self.name) or self.settings_type()
        self.keyring = keyring

    @classmethod
    def default_prefix(cls) -> str:
        return "/" + cls.name

    # -- what a dialect provides -------------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        raise NotImplementedError

    def error_response(self, status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
        """Render an error in the vendor's format."""
        raise NotImplementedError

    def middleware(self) -> list[Middleware]:
        return []

    # -- the ASGI app --------------------------------------------------------------------------------------

    def build_app(self) -> Starlette:
        return Starlette(
            routes=self.routes(),
            middleware=self.middleware(),
            exception_handlers={
                ApiError: self._on_api_error,
                HTTPException: self._on_http_exception,
                Exception: self._on_crash,
            },
        )

    async def _on_api_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return self.error_response(exc.status, exc.detail, exc.headers)

    async def _on_http_exception(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return self.error_response(exc.status_code, exc.detail, exc.headers)

    async def _on_crash(self, request: Request, exc: Exception) -> Response:
        log.exception("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
        return self.error_response(500, "Internal Server Error")
