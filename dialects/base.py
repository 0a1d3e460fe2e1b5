"""What every dialect is: a named set of routes, its settings, and its own error format.

A dialect registers itself by being defined (`name = "..."` on a subclass). A fifth vendor is one
new module in this package plus its tests, with no list to edit. Framework-level failures (unknown
route, wrong method, a crash) are rendered by the dialect's `error_response`, so clients never see
Starlette's plain-text defaults.

A dialect's app is Starlette's router behind a thin ASGI front (`DialectApp`), and each handler is
wrapped once (`Endpoint`) so that its errors become the dialect's error response where they are
raised. A full `Starlette` app would wrap every response's `send` three more times (server-error,
exception and handler middleware): measured by bench/, that is a sixth of a create's CPU.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import msgspec
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, Router
from starlette.types import ASGIApp, Receive, Send
from starlette.types import Scope as AsgiScope

if TYPE_CHECKING:
    from gateway.auth import KeyRing
    from gateway.config import Settings
    from gateway.service import AssistantService


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

    def build_app(self) -> ASGIApp:
        routes = [_with_endpoint(route, self) for route in self.routes()]
        app: ASGIApp = DialectApp(self, Router(routes))
        for cls, args, kwargs in reversed(self.middleware()):
            app = cls(app, *args, **kwargs)
        return app

    async def _on_http_exception(self, request: Request, exc: Exception) -> Response:
        """Starlette's own 404 and 405 (and any `HTTPException`), in the dialect's format."""
        assert isinstance(exc, HTTPException)
        return self.error_response(exc.status_code, exc.detail, exc.headers)

    async def _on_crash(self, request: Request, exc: Exception) -> Response:
        return self.error_response(500, "Internal Server Error")


class Endpoint:
    """A handler `(request) -> Response` as an ASGI app that answers its errors in the dialect's format.

    A crash is answered with the dialect's 500 and then re-raised, so that the server logs it and test
    clients fail loudly, as Starlette's error middleware does.
    """

    __slots__ = ("dialect", "handler")

    def __init__(self, dialect: Dialect, handler: Any) -> None:
        self.dialect = dialect
        self.handler = handler

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        try:
            response = await self.handler(request)
        except ApiError as exc:
            response = self.dialect.error_response(exc.status, exc.detail, exc.headers)
        except HTTPException as exc:
            response = await self.dialect._on_http_exception(request, exc)
        except Exception as exc:
            await (await self.dialect._on_crash(request, exc))(scope, receive, send)
            raise
        await response(scope, receive, send)


def _with_endpoint(route: BaseRoute, dialect: Dialect) -> BaseRoute:
    """The same route, its handler wrapped in `Endpoint` (path, name and methods, HEAD included, kept)."""
    if not isinstance(route, Route) or isinstance(route.endpoint, Endpoint):
        return route
    wrapped = Route(route.path, Endpoint(dialect, route.endpoint), name=route.name)
    wrapped.methods = route.methods
    return wrapped


class DialectApp:
    """The dialect's router; routing errors (404, 405) come back in the dialect's format."""

    def __init__(self, dialect: Dialect, router: Router) -> None:
        self.dialect = dialect
        self.router = router

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        scope["app"] = self  # the router then raises HTTPException for 404/405 instead of answering in text
        try:
            await self.router(scope, receive, send)
        except HTTPException as exc:
            if scope["type"] != "http":
                raise
            request = Request(scope, receive, send)
            await (await self.dialect._on_http_exception(request, exc))(scope, receive, send)


class CORS:
    """Starlette's CORS middleware, entered only by requests that carry an `Origin` header.

    Browser clients (LangGraph Studio calls a local server from the page) get the full CORS answer;
    SDKs and scripts send no `Origin` and skip the wrapping of every `send` that CORS needs.
    """

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, **options)

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, _ in scope["headers"]:
                if name == b"origin":
                    await self.cors(scope, receive, send)
                    return
        await self.app(scope, receive, send)
