"""LangSmith Agent Server (langgraph-api 0.16.7) assistants API, as `specs/langsmith.md` describes it.

Choices where the reference and a sane server part ways (each written down here, as the guide asks):
- `/latest` restores the whole snapshot, `context` and `graph_id` included. The in-memory reference
  forgets those two, which the write-up calls an in-memory bug.
- System assistants are created once per graph and tenant. A restart neither duplicates their
  history nor resets their timestamps (the reference appends a `version: 1` row at every boot).
- Metadata filters use PostgreSQL JSONB containment (`@>`), as production LangSmith does: arrays
  match by containment. The in-memory runtime compares arrays by equality, and every filter that
  matches there matches here too, except where Python's `True == 1` lets `{"b": true}` match a
  stored `1` (JSONB keeps booleans and numbers apart, and so does the gateway).
- System assistants of a graph no longer configured are kept (Aegra keeps them too, over the same
  store): GET and the graph routes answer 404 for them as for any assistant of an unknown graph, but
  search and count still list them. The in-memory reference drops them at start-up.
- `{"context": {...}}` alone on PATCH replaces `config` with `{"configurable": context}`, dropping
  `tags` and `recursion_limit`, exactly as the reference does.
- With API keys configured, a request needs `x-api-key` (or `Authorization: Bearer`) naming one. A
  missing or unknown key gets 401 `{"detail": "Missing or invalid API key"}`. `langgraph dev` has no auth.
- A schema-generation failure gives the configured schema or `null`, never the reference's 500.
- Requests run in this order, as in the reference: parse, strip reserved keys, JSON schema, uuid,
  `Config`, graph, copy rule, store. The path uuid comes first for GET/PATCH/DELETE/versions; on
  `/latest` the body is parsed before the uuid is checked.
"""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from dialects import langgraph
from dialects.base import CORS, ApiError, Dialect
from dialects.langsmith.validation import (
    Invalid,
    orjson_numbers,
    sanitize_reserved_keys,
    validate,
    validators,
)
from dialects.langsmith.wire import JSONResponse, View, canonical_uuid
from gateway import http
from gateway.auth import ANONYMOUS, Principal, bearer_token
from gateway.http import BodyTooLarge, InvalidJSON, decode_json, read_body
from gateway.jsonmatch import contains
from gateway.model import Assistant, Conflict, NotFound, Scope, SearchQuery
from gateway.service import VersionNotFound, system_assistant_id

BOTH_CONFIGURABLE_AND_CONTEXT = (
    "Cannot specify both configurable and context. Prefer setting context alone. Context was introduced in "
    "LangGraph 0.6.0 and is the long term planned replacement for configurable."
)
INVALID_UUID = "Invalid assistant ID: must be a UUID"

INFO = {
    "version": "0.16.7",
    "langgraph_py_version": "1.2.22",
    "flags": {
        "assistants": True,
        "crons": True,
        "langsmith": False,
        "langsmith_tracing_replicas": True,
        "langsmith_tracing_session_on_runs": True,
    },
    "host": {
        "kind": "self-hosted",
        "project_id": None,
        "host_revision_id": None,
        "revision_id": None,
        "tenant_id": None,
    },
}


class LangSmith(Dialect):
    name = "langsmith"
    # How an assistant is written: as the reference's encoder does, NUL characters as U+FFFD.
    assistant_response: ClassVar[type[Response]] = JSONResponse

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        views = self.gateway_settings.views
        self.graphs = self.service.graphs
        self.context_keys = langgraph.ContextKeys(
            views.instructions_key, views.model_key, views.temperature_key
        )
        self.view = View(self.context_keys, self.graphs.default_graph_id)
        self.max_body = self.gateway_settings.server.max_body_bytes
        self.validators = validators()

    # -- framework ---------------------------------------------------------------------------------------

    def error_response(self, status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
        if not isinstance(detail, str) or not detail:
            detail = "unknown error"
        return http.JSONResponse({"detail": detail}, status_code=status, headers=headers)

    def middleware(self) -> list[Middleware]:
        return [
            Middleware(
                CORS,
                allow_origins=["*"],
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=["x-pagination-total", "x-pagination-next", "content-location"],
            )
        ]

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/assistants", self.create, methods=["POST"]),
            Route("/assistants/search", self.search, methods=["POST"]),
            Route("/assistants/count", self.count, methods=["POST"]),
            Route("/assistants/{assistant_id}/latest", self.set_latest, methods=["POST"]),
            Route("/assistants/{assistant_id}/versions", self.versions, methods=["POST"]),
            Route("/assistants/{assistant_id}", self.get, methods=["GET"]),
            Route("/assistants/{assistant_id}/graph", self.graph, methods=["GET"]),
            Route("/assistants/{assistant_id}/schemas", self.schemas, methods=["GET"]),
            Route("/assistants/{assistant_id}/subgraphs", self.subgraphs, methods=["GET"]),
            Route("/assistants/{assistant_id}/subgraphs/{namespace}", self.subgraphs, methods=["GET"]),
            Route("/assistants/{assistant_id}", self.patch, methods=["PATCH"]),
            Route("/assistants/{assistant_id}", self.delete, methods=["DELETE"]),
            any_method(Route("/", self.ok)),  # the reference's root health check
            any_method(Route("/ok", self.ok)),
            any_method(Route("/info", self.info)),
        ]

    # -- request helpers ---------------------------------------------------------------------------------

    def principal(self, request: Request) -> Principal:
        if not self.keyring.enabled:
            return ANONYMOUS
        key = request.headers.get("x-api-key") or bearer_token(request.headers.get("authorization"))
        principal = self.keyring.lookup(key)
        if principal is None:
            raise self.unauthorized(key)
        return principal

    def unauthorized(self, key: str | None) -> ApiError:
        """The 401 for a missing (`key` None) or unknown API key."""
        return ApiError(401, "Missing or invalid API key")

    def scope(self, request: Request) -> Scope:
        return self.principal(request).scope()

    async def payload(self, request: Request, validator: Any, *, strip_metadata: bool = False) -> Any:
        try:
            body = await read_body(request, self.max_body)
        except BodyTooLarge as exc:
            raise ApiError(413, f"Request body too large (limit: {exc.limit} bytes)") from None
        try:
            data = orjson_numbers(body, decode_json(body))
        except InvalidJSON:
            raise ApiError(422, "Invalid JSON in request body") from None
        sanitize_reserved_keys(data, strip_metadata=strip_metadata)
        self.check(validator, data)
        return data

    @staticmethod
    def check(validator: Any, data: Any) -> None:
        try:
            validate(validator, data)
        except Invalid as exc:
            raise ApiError(422, str(exc)) from None
        except ValueError as exc:  # e.g. "Recursion limit reached": the reference's ValueError handler → 400
            raise ApiError(400, str(exc)) from None

    @staticmethod
    def path_uuid(request: Request) -> str:
        assistant_id = canonical_uuid(request.path_params["assistant_id"])
        if assistant_id is None:
            raise ApiError(422, INVALID_UUID)
        return assistant_id

    def check_graph(self, graph_id: str) -> None:
        if graph_id not in self.graphs:
            raise ApiError(404, f"Graph '{graph_id}' not found. Expected one of: {self.graphs.sorted_ids()}")

    def check_config(self, config: Any) -> None:
        if config:
            self.check(self.validators.config, config)

    @staticmethod
    def copy_rule(
        config: dict[str, Any], context: dict[str, Any] | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The copy rule on create: `config.configurable` and `context` mirror whichever was given.

        Both non-empty is the reference's 400. `config` is updated in place.
        """
        if langgraph.has_both_configurable_and_context(config, context):
            raise ApiError(400, BOTH_CONFIGURABLE_AND_CONTEXT)
        if config.get("configurable"):
            context = config["configurable"]
        elif context:
            config["configurable"] = context
        return config, context or {}

    def respond(self, assistant: Assistant) -> Response:
        return self.assistant_response(self.view.assistant(assistant))

    # -- routes ------------------------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        scope = self.scope(request)
        payload = await self.payload(request, self.validators.create, strip_metadata=True)
        assistant_id = ""
        if raw_id := payload.get("assistant_id"):
            assistant_id = canonical_uuid(raw_id) or ""
            if not assistant_id:
                raise ApiError(422, INVALID_UUID)
        self.check_config(payload.get("config"))
        self.check_graph(payload["graph_id"])
        config, context = self.copy_rule(payload.get("config") or {}, payload.get("context"))
        draft = Assistant(
            id=assistant_id,
            owner=scope.user,
            name=payload.get("name") or "Untitled",
            description=payload.get("description"),
            graph_id=payload["graph_id"],
            config=config,
            context=context,
            metadata=payload.get("metadata") or {},
            **self.context_keys.extract(context),
        )
        try:
            assistant, _ = await self.service.create(
                scope, draft, if_exists=payload.get("if_exists") or "raise"
            )
        except Conflict as exc:
            raise ApiError(409, f"Assistant {exc.assistant_id} already exists") from None
        return self.respond(assistant)

    async def get(self, request: Request) -> Response:
        assistant_id = self.path_uuid(request)
        try:
            assistant = await self.service.get(self.scope(request), assistant_id)
        except NotFound:
            raise ApiError(404, "Not Found") from None
        if (assistant.graph_id or self.graphs.default_graph_id) not in self.graphs:
            raise ApiError(404, f"assistant {request.path_params['assistant_id']} not found")
        return self.respond(assistant)

    async def patch(self, request: Request) -> Response:
        assistant_id = self.path_uuid(request)
        scope = self.scope(request)
        payload = await self.payload(request, self.validators.patch, strip_metadata=True)
        self.check_config(payload.get("config"))
        graph_id = payload.get("graph_id")
        if graph_id is not None:
            self.check_graph(graph_id)
        config_in = payload.get("config") or {}
        context_in = payload.get("context")
        if langgraph.has_both_configurable_and_context(config_in, context_in):
            raise ApiError(400, BOTH_CONFIGURABLE_AND_CONTEXT)
        if config_in.get("configurable"):
            context_in = config_in["configurable"]
        elif context_in:
            config_in["configurable"] = context_in
        metadata_in = payload.get("metadata") or {}
        name, description = payload.get("name"), payload.get("description")

        def change(current: Assistant) -> Assistant:
            fields: dict[str, Any] = {"metadata": {**current.metadata, **metadata_in}}
            if config_in:
                fields["config"] = config_in
            if context_in is not None:
                fields["context"] = context_in
                fields.update(self.context_keys.extract(context_in))
            if graph_id is not None:
                fields["graph_id"] = graph_id
            if name is not None:
                fields["name"] = name
            if description is not None:
                fields["description"] = description
            return _replace(current, fields)

        try:
            assistant = await self.service.update(scope, assistant_id, change)
        except NotFound:
            raise ApiError(404, f"Assistant {assistant_id} not found") from None
        return self.respond(assistant)

    async def delete(self, request: Request) -> Response:
        assistant_id = self.path_uuid(request)
        # `delete_threads=true` is accepted; the gateway stores no threads, so nothing more is removed.
        try:
            await self.service.delete(self.scope(request), assistant_id)
        except NotFound:
            raise ApiError(404, f"Assistant with ID {assistant_id} not found") from None
        return Response(status_code=204)

    async def search(self, request: Request) -> Response:
        scope = self.scope(request)
        payload = await self.payload(request, self.validators.search)
        select = payload.get("select") or None
        offset = int(payload.get("offset") or 0)
        limit = int(payload.get("limit") or 10)
        graph_id = payload.get("graph_id")
        if graph_id is not None:
            self.check_graph(graph_id)
        self.check_config(payload.get("config"))
        sort_by = payload.get("sort_by")
        query = SearchQuery(
            graph_id=graph_id,
            default_graph_id=self.graphs.default_graph_id,
            name_contains=payload.get("name") or None,
            metadata=payload.get("metadata") or None,
            sort_by=sort_by or "created_at",
            descending=not (sort_by and (payload.get("sort_order") or "").upper() == "ASC"),
            limit=limit,
            offset=offset,
        )
        page, has_more = await self.service.search(scope, query)
        if has_more:
            headers = {
                "X-Pagination-Total": str(offset + limit + 1),
                "X-Pagination-Next": str(offset + limit),
            }
        else:
            headers = {"X-Pagination-Total": str(offset + len(page))}
        if select:
            return JSONResponse([self.view.selected(a, select) for a in page], headers=headers)
        return JSONResponse([self.view.assistant(a) for a in page], headers=headers)

    async def count(self, request: Request) -> Response:
        scope = self.scope(request)
        payload = await self.payload(request, self.validators.count)
        graph_id = payload.get("graph_id")
        if graph_id is not None:
            self.check_graph(graph_id)
        query = SearchQuery(
            graph_id=graph_id,
            default_graph_id=self.graphs.default_graph_id,
            name_contains=payload.get("name") or None,
            metadata=payload.get("metadata") or None,
        )
        return JSONResponse(await self.service.count(scope, query))

    async def versions(self, request: Request) -> Response:
        assistant_id = self.path_uuid(request)
        scope = self.scope(request)
        payload = await self.payload(request, self.validators.versions)
        metadata = payload.get("metadata") or {}
        limit, offset = int(payload.get("limit", 10)), int(payload.get("offset", 0))
        try:
            history = await self.service.versions(scope, assistant_id)
        except NotFound:
            raise ApiError(404, f"Assistant {assistant_id} not found") from None
        matching = [v for v in history if not metadata or contains(v.snapshot.metadata, metadata)]
        page = matching[offset : offset + limit]
        if not page:
            raise ApiError(404, f"Assistant {request.path_params['assistant_id']} not found")
        return JSONResponse([self.view.version(assistant_id, v) for v in page])

    async def set_latest(self, request: Request) -> Response:
        scope = self.scope(request)
        payload = await self.payload(request, self.validators.version_change)
        assistant_id = self.path_uuid(request)
        version = payload.get("version")
        try:
            if version is None:
                await self.service.get(scope, assistant_id)
                raise VersionNotFound(assistant_id)
            assistant = await self.service.set_latest(scope, assistant_id, version)
        except VersionNotFound:
            raise ApiError(404, f"Version {version} not found for assistant {assistant_id}") from None
        except NotFound:
            raise ApiError(404, f"Assistant {assistant_id} not found") from None
        return self.respond(assistant)

    # -- graph documents ---------------------------------------------------------------------------------

    async def _graph_id_of(self, request: Request, *, accept_graph_id: bool = False) -> str:
        raw = request.path_params["assistant_id"]
        if accept_graph_id and raw in self.graphs:
            raw = system_assistant_id(raw)
        assistant_id = canonical_uuid(raw)
        if assistant_id is None:
            raise ApiError(422, INVALID_UUID)
        try:
            assistant = await self.service.get(self.scope(request), assistant_id)
        except NotFound:
            raise ApiError(404, "Not Found") from None
        return assistant.graph_id or self.graphs.default_graph_id

    def _graph(self, graph_id: str) -> Any:
        """The graph's spec; one no longer configured is the reference's unknown-graph 404."""
        self.check_graph(graph_id)
        return self.graphs.get(graph_id)

    async def _graph_of(self, request: Request) -> Any:
        return self._graph(await self._graph_id_of(request))

    async def graph(self, request: Request) -> Response:
        graph_id = await self._graph_id_of(request, accept_graph_id=True)
        xray = parse_xray(request.query_params.get("xray"))  # the reference checks it before the graph
        return JSONResponse(langgraph.drawing(self._graph(graph_id), xray))

    async def schemas(self, request: Request) -> Response:
        spec = await self._graph_of(request)
        return JSONResponse({"graph_id": spec.graph_id, **langgraph.schemas(spec)})

    async def subgraphs(self, request: Request) -> Response:
        spec = await self._graph_of(request)
        recurse = request.query_params.get("recurse", "False") in ("true", "True")
        namespace = request.path_params.get("namespace")
        found = langgraph.subgraphs(spec, namespace, recurse)
        return JSONResponse({ns: langgraph.schemas(sub) for ns, sub in found})

    # -- meta --------------------------------------------------------------------------------------------

    async def ok(self, request: Request) -> Response:
        meta_method(request)
        return JSONResponse({"ok": True, "services": {}})

    async def info(self, request: Request) -> Response:
        meta_method(request)
        return JSONResponse(INFO)


def any_method(route: Route) -> Route:
    """The route matches every method; its handler decides (`meta_method`)."""
    route.methods = None
    return route


def meta_method(request: Request) -> None:
    """`/`, `/ok` and `/info` answer GET and HEAD. The reference serves them beside a catch-all mount,
    so any other method is its 404, not a 405."""
    if request.method not in ("GET", "HEAD"):
        raise ApiError(404, "Not Found")


def parse_xray(value: str | None) -> bool | int:
    """`true`/`True` → all levels, `false`/`False`/empty → none, a positive integer → that depth."""
    if not value or value in ("false", "False"):
        return False
    if value in ("true", "True"):
        return True
    try:
        depth = int(value)
    except ValueError:
        raise ApiError(422, "Invalid xray value") from None
    if depth <= 0:
        raise ApiError(422, "Invalid xray value")
    return depth


def _replace(assistant: Assistant, fields: dict[str, Any]) -> Assistant:
    return msgspec.structs.replace(assistant, **fields)
