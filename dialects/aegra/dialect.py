"""Aegra 0.11.0's assistants API, as `specs/aegra.md` describes it (checked against a live 0.11.0).

Aegra is a close relative of LangSmith: the same routes and LangGraph view of `config`/`context`, the
same graph documents, the same copy rule on create. What differs is overridden here: ids are any
non-blank string up to 255 characters; assistants belong to their creator (`Scope.owners`: reads see
the caller's and the system's, writes only the caller's); one assistant per (user, graph_id, config);
a true partial PATCH; errors in two formats (Aegra's `{"error", "message", "details"}` for what the
service raises, FastAPI's `{"detail": ...}` for validation 422s and routing); Pydantic coercion.

Choices where the contract leaves room (real Aegra crashes or is unspecified):
- `config: null` / `context: null` on create, a truthy non-object `config.configurable`, and U+0000 in
  `assistant_id`, `name`, `description` or `graph_id` (all 500s in Aegra) are 422s in Aegra's format,
  raised where Aegra would crash: after its 400s (unknown graph; configurable and context both given).
  U+0000 inside `config`/`context`/`metadata` strings is stripped, as Aegra's JSONB columns do.
- A PATCH or `/latest` that gives the assistant the (graph_id, config) of another of the user's
  assistants is a 409 `Assistant '<other id>' already exists` (Aegra: 500 after a half-applied write).
- The (user, graph_id, config) rule compares assistants as this dialect shows them (the default graph
  for graph-less assistants, `config` with canonical fields mirrored in), against every assistant of
  the same owner whichever dialect created it. With auth off that owner is "anonymous" for LangSmith
  too, so an assistant made there counts. Duplicates made elsewhere stay: a PATCH or `/latest` is only
  checked when it changes the shown graph_id or config, and `do_nothing` answers the oldest match.
- System assistants have "system" as owner and keep the store's description; when the graph has none
  (null) this dialect shows Aegra's "Default assistant for graph '<graph_id>'", which Aegra stores, so
  the description filter of search/count finds that text too (the store only holds the null: when the
  filter matches a default text, the store orders and pages the union of its matches and those system
  assistants).
- A search `offset` past int64 (asyncpg overflows: a 500 in Aegra) finds nothing: `[]`.
- `GET /assistants` (unordered in Aegra) lists in creation order. `/health` and `/ready` probe the
  store. `/info` reports `crons: false`: the gateway serves no cron routes.
- NaN, Infinity and lone surrogates pass Python's JSON parser. In a field Aegra reads (and would store
  or echo, crashing) they are a 422 in Aegra's format; in a field it ignores they are ignored, as there.
- With API keys configured, the key comes from `x-api-key` (the langgraph SDK's header) or
  `Authorization: Bearer`; missing → 401 "Authentication required", unknown → 401 "Invalid API key".
- Bodies over `server.max_body_bytes` are 413 `unknown_error` (Aegra's status → type table has no 413).
- Responses send `metadata` (the wire key of real Aegra) and `metadata_dict` (its published schema)
  unless `metadata_key` picks one; `config`, `context` and `metadata` keys come in JSONB order
  (shorter first) unless `jsonb_key_order = false`. A PATCH answers in Aegra's merge order instead
  (stored keys in JSONB order, then the request's), as its ORM hands back the values it wrote.
- Search sorts and filters as the store does (case-insensitive name order, Python's `lower`). Aegra
  follows its database: a C.UTF-8 cluster sorts names bytewise ("B" before "a"), en_US otherwise, and
  its ILIKE folds "İ" to "i" where Python gives "i̇" (checked against a live 0.11.0 on C.UTF-8).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import msgspec
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as AsgiScope

from dialects import langgraph
from dialects.aegra import requests as rq
from dialects.aegra.validation import Invalid, parse_bool, parse_bool_or_int
from dialects.aegra.wire import AegraView, default_description
from dialects.base import CORS, ApiError, DialectSettings
from dialects.fastapi import Unparsable, without_head
from dialects.langsmith import LangSmith
from gateway.auth import Principal
from gateway.http import BodyTooLarge, JSONResponse, read_body
from gateway.model import SYSTEM_OWNER, Assistant, Conflict, NotFound, Scope, SearchQuery
from gateway.service import VersionNotFound
from storage.base import WriteTx

T = TypeVar("T")

VERSION = "0.11.0"
ERROR_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    422: "validation_error",
    500: "internal_error",
    501: "not_implemented",
    503: "service_unavailable",
}
BOTH_ON_PATCH = "Cannot specify both configurable and context. Use only one."
ALL = 2**62  # "no limit" for the store


TWIN = "aegra.twin"  # lookup kind: one assistant per owner, graph and config
_canonical = msgspec.json.Encoder(order="deterministic").encode


class AegraSettings(DialectSettings):
    # Real Aegra sends `metadata`; its OpenAPI document and docs name the field `metadata_dict`.
    metadata_key: Literal["both", "metadata", "metadata_dict"] = "both"
    # Order object keys as PostgreSQL JSONB returns them (shorter first, then bytewise).
    jsonb_key_order: bool = True


class Plain(str):
    """A detail FastAPI/Starlette renders itself: `{"detail": "..."}` (routing, body parsing)."""


def _non_empty(field: str) -> ApiError:
    return ApiError(422, f"{field} must be a non-empty string when supplied; omit it to leave it unchanged")


def _no_nul(**fields: Any) -> None:
    for field, value in fields.items():
        if type(value) is str and "\x00" in value:
            raise ApiError(422, f"{field} must not contain NUL (U+0000) characters")


def _configurable_is_object(config: dict[str, Any]) -> None:
    configurable = config.get("configurable")
    if configurable and type(configurable) is not dict:
        raise ApiError(422, "config.configurable must be an object")


class RequestId:
    """asgi-correlation-id as Aegra configures it: `x-request-id` on every response (the client's when
    it is a uuid4, else a new uuid4 hex). Inside CORS, as there: a preflight answer carries none.

    Starlette's CORS middleware adds `Vary: Origin` to every response of a request without `Origin`;
    the gateway's CORS wrapper skips those requests, so that header is added here instead.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = None
        origin = False
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                request_id = value.decode("latin-1")
            elif name == b"origin":
                origin = True
        if request_id is None or not _is_uuid4(request_id):
            request_id = uuid.uuid4().hex

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("x-request-id", request_id)
                if not origin:
                    headers["vary"] = ", ".join([*headers.getlist("vary"), "Origin"])
            await send(message)

        await self.app(scope, receive, send_with_id)


def _is_uuid4(text: str) -> bool:
    try:
        uuid.UUID(text, version=4)
    except ValueError:
        return False
    return True


class Aegra(LangSmith):
    name = "aegra"
    settings_type = AegraSettings
    assistant_response = JSONResponse  # plain JSON: Aegra echoes NUL characters as it stores them

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = self.settings
        assert isinstance(settings, AegraSettings)
        self.view = AegraView(
            self.context_keys,
            self.graphs.default_graph_id,
            metadata_key=settings.metadata_key,
            jsonb_key_order=settings.jsonb_key_order,
        )
        views = self.gateway_settings.views
        self.service.register_lookup(
            TWIN,
            self.twin_key,
            signature=f"1 {views.instructions_key} {views.model_key} {views.temperature_key} "
            f"{self.graphs.default_graph_id}",
        )
        # Aegra lists the graphs of aegra.json in file order.
        self.unknown_graph = "Graph '{}' not found in aegra.json. Available: " + repr(
            [g.graph_id for g in self.graphs]
        )

    # -- framework ---------------------------------------------------------------------------------------

    def error_response(self, status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
        if isinstance(detail, list):
            return JSONResponse({"detail": detail}, status_code=status, headers=headers)
        if isinstance(detail, Plain):
            return JSONResponse({"detail": str(detail)}, status_code=status, headers=headers)
        if status == 500:
            detail = "An unexpected error occurred"
        elif not isinstance(detail, str):
            detail = "unknown error"
        body = {"error": ERROR_TYPES.get(status, "unknown_error"), "message": detail, "details": None}
        return JSONResponse(body, status_code=status, headers=headers)

    async def _on_http_exception(self, request: Request, exc: Exception) -> Response:
        # Starlette's own 404/405 are not FastAPI's HTTPException, so Aegra's handler never sees them.
        assert isinstance(exc, HTTPException)
        return self.error_response(exc.status_code, Plain(exc.detail), exc.headers)

    def middleware(self) -> list[Middleware]:
        # Aegra's order: CORS outside the request id (a preflight gets no `x-request-id`).
        return [
            Middleware(
                CORS,
                allow_origins=["*"],
                allow_credentials=False,
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=["Content-Location", "Location"],
            ),
            Middleware(RequestId),
        ]

    def routes(self) -> list[BaseRoute]:
        # Aegra's registration order (the health router, then the assistants router, then `/`):
        # Starlette answers 405 with the methods of the first route whose path matches.
        routes = [
            Route("/info", self.info, methods=["GET"]),
            Route("/health", self.health, methods=["GET"]),
            Route("/ready", self.ready, methods=["GET"]),
            Route("/live", self.live, methods=["GET"]),
            Route("/assistants", self.create, methods=["POST"]),
            Route("/assistants", self.list_all, methods=["GET"]),
            Route("/assistants/search", self.search, methods=["POST"]),
            Route("/assistants/count", self.count, methods=["POST"]),
            Route("/assistants/{assistant_id}", self.get, methods=["GET"]),
            Route("/assistants/{assistant_id}", self.patch, methods=["PATCH"]),
            Route("/assistants/{assistant_id}", self.delete, methods=["DELETE"]),
            Route("/assistants/{assistant_id}/latest", self.set_latest, methods=["POST"]),
            Route("/assistants/{assistant_id}/versions", self.versions, methods=["POST"]),
            Route("/assistants/{assistant_id}/schemas", self.schemas, methods=["GET"]),
            Route("/assistants/{assistant_id}/graph", self.graph, methods=["GET"]),
            Route("/assistants/{assistant_id}/subgraphs", self.subgraphs, methods=["GET"]),
            Route("/", self.root, methods=["GET"]),
        ]
        return without_head(routes)

    # -- request helpers ---------------------------------------------------------------------------------

    def unauthorized(self, key: str | None) -> ApiError:
        return ApiError(401, "Authentication required" if key is None else "Invalid API key")

    @staticmethod
    def reads(principal: Principal) -> Scope:
        return principal.scope(owners=(principal.user, SYSTEM_OWNER))

    @staticmethod
    def writes(principal: Principal) -> Scope:
        return principal.scope(owners=(principal.user,))

    async def body(self, request: Request, body: rq.Body[T]) -> tuple[Principal, T, bool]:
        """Read, parse, authenticate, validate, in FastAPI's order (a JSON error comes before a 401).

        The flag says whether the body may carry U+0000 (to be stripped from JSONB values).
        """
        try:
            raw = await read_body(request, self.max_body)
        except BodyTooLarge as exc:
            raise ApiError(413, f"Request body too large (limit: {exc.limit} bytes)") from None
        json_content = rq.is_json(request.headers.get("content-type"))
        if json_content and (parsed := rq.fast(body, raw)) is not None:
            return self.principal(request), parsed, rq.may_hold_nul(raw)
        try:
            data = rq.parse(raw, json_content)
        except Invalid as exc:
            raise ApiError(422, exc.errors) from None
        except Unparsable:
            raise ApiError(400, Plain("There was an error parsing the body")) from None
        principal = self.principal(request)
        try:
            return principal, rq.validate(body, data), True
        except Invalid as exc:
            raise ApiError(422, exc.errors) from None
        except rq.Unstorable as exc:
            raise ApiError(422, f"Request body holds a value that cannot be stored as JSON: {exc}") from None

    @staticmethod
    def query(request: Request, name: str, parse: Callable[[str, tuple[str, ...]], T], default: T) -> T:
        text = request.query_params.get(name)
        if text is None:
            return default
        try:
            return parse(text, ("query", name))
        except Invalid as exc:
            raise ApiError(422, exc.errors) from None

    @staticmethod
    def not_found(assistant_id: str) -> ApiError:
        return ApiError(404, f"Assistant '{assistant_id}' not found")

    def shown_key(self, assistant: Assistant) -> tuple[str, dict[str, Any]]:
        """What the (user, graph_id, config) rule compares: the graph and config this dialect shows."""
        config, _ = self.view.config_and_context(assistant)
        return assistant.graph_id or self.graphs.default_graph_id, config

    def twin_key(self, assistant: Assistant) -> str:
        """The index key of the (user, graph_id, config) rule, as real Aegra's unique index on
        (user_id, graph_id, md5(config)): equal keys for the same owner, shown graph and shown config."""
        graph_id, config = self.shown_key(assistant)
        return hashlib.sha256(_canonical([assistant.owner, graph_id, config])).hexdigest()

    def twin_among(self, found: list[Assistant], candidate: Assistant) -> Assistant | None:
        """The first of `found` (other than `candidate`) that shows the same config."""
        _, config = self.shown_key(candidate)
        for other in found:
            if other.id != candidate.id and self.shown_key(other)[1] == config:
                return other
        return None

    def twin(self, tx: WriteTx, candidate: Assistant) -> Assistant | None:
        """The oldest other assistant of the same owner showing the same graph_id and config."""
        return self.twin_among(tx.find(candidate.tenant, TWIN, self.twin_key(candidate)), candidate)

    def unique(self, tx: WriteTx, updated: Assistant, before: tuple[str, dict[str, Any]]) -> None:
        """PATCH and `/latest`: a change onto another assistant's (graph_id, config) is a 409."""
        if self.shown_key(updated) != before and (other := self.twin(tx, updated)) is not None:
            raise ApiError(409, f"Assistant '{other.id}' already exists")

    # -- routes ------------------------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        principal, body, nul = await self.body(request, rq.CREATE)
        if body.graph_id not in self.graphs:
            raise ApiError(400, self.unknown_graph.format(body.graph_id))
        if body.config is None or body.context is None:
            field = "config" if body.config is None else "context"
            raise ApiError(422, f"{field} must be an object when supplied; omit it for an empty one")
        config = {} if body.config is msgspec.UNSET else body.config
        context = {} if body.context is msgspec.UNSET else body.context
        metadata = body.metadata or {}
        # Aegra's 400 for both comes first; what it would then fail to store or echo is a 422 here.
        config, context = self.copy_rule(config, context)
        _configurable_is_object(config)
        _no_nul(assistant_id=body.assistant_id, name=body.name, description=body.description)
        if nul:
            config, context, metadata = rq.strip_nul(config), rq.strip_nul(context), rq.strip_nul(metadata)
        draft = Assistant(
            id=body.assistant_id or "",
            owner=principal.user,
            name=body.name or f"Assistant for {body.graph_id}",
            description=body.description,
            graph_id=body.graph_id,
            config=config,
            context=context,
            metadata=metadata,
            **self.context_keys.extract(context),
        )
        do_nothing = body.if_exists == "do_nothing"

        def guard(tx: WriteTx, candidate: Assistant) -> Assistant | None:
            other = self.twin(tx, candidate)
            if other is None:
                return None
            if do_nothing:
                return other
            raise Conflict(candidate.id)

        try:
            assistant, _ = await self.service.create(
                self.writes(principal), draft, if_exists="do_nothing" if do_nothing else "raise", guard=guard
            )
        except Conflict as exc:
            if do_nothing and exc.existing is None:
                # The id is someone else's; Aegra then answers with the caller's twin, if any.
                draft = msgspec.structs.replace(draft, id=exc.assistant_id, tenant=principal.tenant)
                found = await self.service.lookup(draft.tenant, TWIN, self.twin_key(draft))
                if (other := self.twin_among(found, draft)) is not None:
                    return self.respond(other)
            raise ApiError(409, f"Assistant '{exc.assistant_id}' already exists") from None
        return self.respond(assistant)

    async def list_all(self, request: Request) -> Response:
        principal = self.principal(request)
        # Aegra has no ORDER BY here (rows come in storage order): creation order, ties by insertion.
        query = SearchQuery(sort_by="created_at", descending=False, limit=ALL)
        found, _ = await self.service.search(self.reads(principal), query)
        return JSONResponse({"assistants": [self.view.assistant(a) for a in found], "total": len(found)})

    def search_query(self, body: rq.SearchBody) -> SearchQuery:
        return SearchQuery(
            graph_id=body.graph_id or None,
            default_graph_id=self.graphs.default_graph_id,
            name_contains=body.name or None,
            description_contains=body.description or None,
            metadata=body.metadata or None,
            sort_by=body.sort_by or "created_at",
            descending=not (body.sort_by and body.sort_order == "asc"),
            tiebreak_by_id=True,
            limit=body.limit or 20,
            offset=body.offset or 0,
        )

    async def search(self, request: Request) -> Response:
        principal, body, _ = await self.body(request, rq.SEARCH)
        query = self.search_query(body)
        scope = self.reads(principal)
        extra = await self.default_description_matches(principal, query)
        if not extra:
            found, _ = await self.service.search(scope, query)
        else:
            # The page of the union: its first offset + limit rows are among the stored matches' first
            # offset + limit and the few system assistants; the store orders those as it orders all.
            top = msgspec.structs.replace(query, offset=0, limit=query.offset + query.limit)
            stored, _ = await self.service.search(scope, top)
            union = msgspec.structs.replace(
                query, description_contains=None, ids=(*extra, *(a.id for a in stored))
            )
            found, _ = await self.service.search(scope, union)
        return JSONResponse([self.view.assistant(a) for a in found])

    async def count(self, request: Request) -> Response:
        principal, body, _ = await self.body(request, rq.SEARCH)
        query = self.search_query(body)
        extra = await self.default_description_matches(principal, query)
        # The extra system assistants store no description, so the store's count never holds them.
        return JSONResponse(await self.service.count(self.reads(principal), query) + len(extra))

    async def default_description_matches(self, principal: Principal, query: SearchQuery) -> tuple[str, ...]:
        """The system assistants that the description filter finds only by Aegra's default text (Aegra
        stores that text; the store keeps null) and that pass the query's other filters: usually none."""
        needle = (query.description_contains or "").lower()
        if not needle:
            return ()
        others = msgspec.structs.replace(query, description_contains=None, offset=0, limit=ALL)
        system, _ = await self.service.search(principal.scope(owners=(SYSTEM_OWNER,)), others)
        return tuple(
            a.id
            for a in system
            if a.description is None
            and needle in default_description(a.graph_id or self.graphs.default_graph_id).lower()
        )

    async def get(self, request: Request) -> Response:
        assistant_id = request.path_params["assistant_id"]
        try:
            assistant = await self.service.get(self.reads(self.principal(request)), assistant_id)
        except NotFound:
            raise self.not_found(assistant_id) from None
        return self.respond(assistant)

    async def patch(self, request: Request) -> Response:
        assistant_id = request.path_params["assistant_id"]
        principal, body, strip = await self.body(request, rq.PATCH)
        seen: dict[str, tuple[str, dict[str, Any]]] = {}

        def change(current: Assistant) -> Assistant:
            # Checked on the stored row, as Aegra does: an unknown id is a 404 before any of these.
            for field in ("name", "graph_id"):
                value = getattr(body, field)
                if value is not msgspec.UNSET and not value:
                    raise _non_empty(field)
            seen["before"] = self.shown_key(current)
            config_given = body.config is not msgspec.UNSET
            context_given = body.context is not msgspec.UNSET
            # Stored objects come back from JSONB in its key order; the request's keep theirs.
            config = (body.config or {}) if config_given else self.view.order(current.config)
            context = (body.context or {}) if context_given else self.view.order(current.context)
            if config_given and context_given and config.get("configurable") and context:
                raise ApiError(400, BOTH_ON_PATCH)
            _no_nul(name=body.name, description=body.description, graph_id=body.graph_id)
            if config_given and not context_given:
                _configurable_is_object(config)
            if strip:
                config, context = rq.strip_nul(config), rq.strip_nul(context)
            configurable = config.get("configurable")
            if context_given:
                config = {**config, "configurable": context}
            elif config_given:
                context = configurable or {}
            elif configurable and type(configurable) is dict:
                context = configurable
            elif context:
                config = {**config, "configurable": context}
            fields: dict[str, Any] = {"config": config, "context": context}
            if context_given or config_given or context != current.context:
                fields.update(self.context_keys.extract(context))
            metadata = body.metadata or {}
            if strip:
                metadata = rq.strip_nul(metadata)
            fields["metadata"] = {**self.view.order(current.metadata), **metadata}
            for field in ("name", "graph_id", "description"):
                if (value := getattr(body, field)) is not msgspec.UNSET:
                    fields[field] = value
            return msgspec.structs.replace(current, **fields)

        def guard(tx: WriteTx, updated: Assistant) -> None:
            self.unique(tx, updated, seen["before"])

        try:
            assistant = await self.service.update(self.writes(principal), assistant_id, change, guard=guard)
        except NotFound:
            raise self.not_found(assistant_id) from None
        return JSONResponse(self.view.assistant(assistant, ordered=False))

    async def delete(self, request: Request) -> Response:
        assistant_id = request.path_params["assistant_id"]
        try:
            await self.service.delete(self.writes(self.principal(request)), assistant_id)
        except NotFound:
            raise self.not_found(assistant_id) from None
        return JSONResponse({"status": "deleted"})

    async def set_latest(self, request: Request) -> Response:
        assistant_id = request.path_params["assistant_id"]
        principal, body, _ = await self.body(request, rq.LATEST)
        scope = self.writes(principal)

        def guard(tx: WriteTx, restored: Assistant) -> None:
            current = tx.get(scope.tenant, assistant_id)
            assert current is not None  # the service found it in this transaction
            self.unique(tx, restored, self.shown_key(current))

        try:
            assistant = await self.service.set_latest(scope, assistant_id, body.version, guard=guard)
        except VersionNotFound:
            raise ApiError(
                404, f"Version '{body.version}' for Assistant '{assistant_id}' not found"
            ) from None
        except NotFound:
            raise self.not_found(assistant_id) from None
        return self.respond(assistant)

    async def versions(self, request: Request) -> Response:
        # Aegra declares no body here: whatever is sent (even malformed JSON) is ignored.
        assistant_id = request.path_params["assistant_id"]
        principal = self.principal(request)
        scope = self.reads(principal)
        try:
            assistant = await self.service.get(scope, assistant_id)
            history = await self.service.versions(scope, assistant_id)
        except NotFound:
            raise self.not_found(assistant_id) from None
        if not history:
            raise ApiError(404, f"No versions found for Assistant '{assistant_id}'")
        return JSONResponse(
            [
                self.view.version(assistant_id, v, user_id=principal.user, owner=assistant.owner)
                for v in history
            ]
        )

    # -- graph documents ---------------------------------------------------------------------------------

    async def _spec_of(self, request: Request, principal: Principal, failure: str) -> Any:
        assistant_id = request.path_params["assistant_id"]
        try:
            assistant = await self.service.get(self.reads(principal), assistant_id)
        except NotFound:
            raise self.not_found(assistant_id) from None
        graph_id = assistant.graph_id or self.graphs.default_graph_id
        spec = self.graphs.get(graph_id)
        if spec is None:  # a PATCH may point an assistant at any graph id
            raise ApiError(400, f"{failure}: Graph not found: {graph_id}")
        return spec

    async def schemas(self, request: Request) -> Response:
        spec = await self._spec_of(request, self.principal(request), "Failed to extract schemas")
        return JSONResponse({"graph_id": spec.graph_id, **langgraph.schemas(spec)})

    async def graph(self, request: Request) -> Response:
        principal = self.principal(request)
        xray = self.query(request, "xray", parse_bool_or_int, False)
        spec = await self._spec_of(request, principal, "Failed to get graph")
        if type(xray) is int and xray <= 0:
            raise ApiError(422, "Invalid xray value")
        return JSONResponse(langgraph.drawing(spec, xray))

    async def subgraphs(self, request: Request) -> Response:
        principal = self.principal(request)
        recurse = self.query(request, "recurse", parse_bool, False)
        namespace = request.query_params.get("namespace")
        spec = await self._spec_of(request, principal, "Failed to get subgraphs")
        found = langgraph.subgraphs(spec, namespace, recurse)
        return JSONResponse({ns: langgraph.schemas(sub) for ns, sub in found})

    # -- meta (no auth, as in Aegra) ---------------------------------------------------------------------

    async def root(self, request: Request) -> Response:
        return JSONResponse({"message": "Aegra", "version": VERSION, "status": "running"})

    async def info(self, request: Request) -> Response:
        return JSONResponse(
            {
                "name": "Aegra",
                "version": VERSION,
                "description": "Production-ready Agent Protocol server built on LangGraph",
                "status": "running",
                "flags": {"assistants": True, "crons": False},
            }
        )

    async def _store_ok(self) -> bool:
        try:
            await self.service.storage.get(Scope(), "")
        except Exception:
            return False
        return True

    async def health(self, request: Request) -> Response:
        if not await self._store_ok():
            raise ApiError(503, "Service unhealthy")
        return JSONResponse(
            {
                "status": "healthy",
                "database": "connected",
                "langgraph_checkpointer": "connected",
                "langgraph_store": "connected",
            }
        )

    async def ready(self, request: Request) -> Response:
        if not await self._store_ok():
            raise ApiError(503, "Service not ready - database error")
        return JSONResponse({"status": "ready"})

    async def live(self, request: Request) -> Response:
        return JSONResponse({"status": "alive"})
