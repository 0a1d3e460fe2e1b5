"""VMware Private AI Services (PAIS): the OpenAI-compatible agents API, as `specs/pais.md` describes it.

Every operation lives under `/api/v1/compatibility/openai/v1`, on both `/assistants` and `/agents`
with the same schemas, plus `GET /models`; the openai SDK's `client.beta.assistants` drives it with
`base_url=<gateway>/pais/api/v1/compatibility/openai/v1`. mapping.py says how assistants look here
(metadata as string → string, configured defaults), listing.py how lists page and filter (the
`knowledge_base_id` filter through the configured `knowledge_bases` table), settings.py the defaults.

Choices where the write-up leaves a question open (each written down here, as the guide asks):
- An unknown `after` / `before` cursor is 400 `{"detail": "An invalid ID was passed for paginating
  results."}` (open question 1: 400 or 404). It is a bad parameter, not a missing addressed resource,
  and the openai SDK retries neither.
- Errors are FastAPI's: `{"detail": "<message>"}`, and 422 `{"detail": [items]}` with one item per
  invalid field, each `type`, `loc`, `msg`, `input` and (where pydantic has one) `ctx`, as FastAPI
  with pydantic v2 sends them (the documented schema names only `loc`, `msg`, `type`; the others are
  extra keys any client ignores). Unknown route 404 `Not Found`, wrong method 405 `Method Not Allowed`
  (HEAD too: FastAPI routes do not answer it for GET),
  malformed JSON 422 `json_invalid` at `["body", <position>]`, an empty body 422 `missing` at
  `["body"]`, a body that is not UTF-8 (or too deeply nested, or holds lone surrogates) 400 `There was
  an error parsing the body`, a body over `server.max_body_bytes` 413 `Request Entity Too Large`.
- Unknown body fields are refused (`extra_forbidden`), as pydantic's `extra="forbid"` does (open
  question 4): the gateway never drops a value silently, and OpenAI-only arguments of the SDK
  (`temperature`, `top_p`, `response_format`, `tool_resources`) have nowhere to go in PAIS.
- Enums as documented: `index_reference_format` is `structured` | `markdown` (a third-party config
  mentions `plain`, unverified), `chat_system_instruction_mode` is `system-message` | `prompt-prefix`.
  `session_summarization_strategy` is a free string, as documented (seen: `delete_oldest`, `summarize`).
- `model` must name a configured COMPLETIONS model, on create and on update; otherwise 404 `Endpoint
  with requested model does not exist` (after the 422 checks). On update the agent is looked up first,
  so an unknown id wins over an unknown model.
- An update is partial; `null` resets a field to its default: PAIS-only fields fall back to the
  documented defaults, and `model`, `session_max_length` and `session_summarization_strategy` (required
  on create) to the configured defaults. Every update stores a version, even `{}`.
- The path id is compared exactly (agents created here have lowercase uuids; ids made by other
  dialects may be any string), so an unknown or malformed id is 404 `No agent found with the specified
  ID.`, never a 422.
- With API keys configured, `Authorization: Bearer <key>` is required: none gives 401 `Not
  authenticated`, an unknown key 401 `Invalid authentication credentials` (both with `WWW-Authenticate:
  Bearer`, FastAPI's `HTTPBearer` wording). With no keys every caller is the default tenant. Auth is
  checked before the body is read. `OpenAI-Beta` and the SDK's `X-Stainless-*` headers are ignored.
- FastAPI reads a body as JSON only with no content type or an `application/json` / `*+json` one;
  anything else is validated as text and fails with `model_attributes_type`, as FastAPI does.
- Non-finite numbers (`NaN`, `Infinity`, `1e400`) are 422 `finite_number`, where a FastAPI server
  would accept them and then crash serialising its answer.
- `Agent` keys follow the documented schema's order (`name` ... `metadata`, then `id`, `object`,
  `created_at`, `model`, `status`, `status_errors`, `chat_system_instruction_mode`), with the newer
  `tools` after `completion_role` as the write-up lists it; its illustrative example, which starts
  with `id`, is not a schema. Lists are `object, data, first_id, last_id, has_more, num_objects`;
  `has_more` is always present (the SDK paginates until it is false), `num_objects` is null unless
  `set_num_objects` is true, then the count of every match (cursor and offset aside).
"""

from __future__ import annotations

from typing import Any, cast

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from dialects.base import ApiError, Dialect
from dialects.fastapi import Check, Invalid, Unparsable, without_head
from dialects.pais import validation
from dialects.pais.listing import Lister
from dialects.pais.mapping import View, changed, draft
from dialects.pais.settings import PaisSettings
from dialects.pais.wire import (
    CREATE_CHECK,
    CREATE_DECODER,
    UPDATE_CHECK,
    UPDATE_DECODER,
    AgentDeleted,
    AgentList,
    Model,
    ModelList,
    list_query,
    values_of,
)
from gateway.auth import ANONYMOUS, bearer_token
from gateway.http import BodyTooLarge, JSONResponse, encode_json, read_body
from gateway.model import Assistant, NotFound, Scope

API = "/api/v1/compatibility/openai/v1"
RESOURCES = ("assistants", "agents")

AGENT_NOT_FOUND = "No agent found with the specified ID."
MODEL_NOT_FOUND = "Endpoint with requested model does not exist"
INVALID_CURSOR = "An invalid ID was passed for paginating results."
UNPARSABLE_BODY = "There was an error parsing the body"
BEARER = {"WWW-Authenticate": "Bearer"}


class Pais(Dialect):
    name = "pais"
    settings_type = PaisSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = cast(PaisSettings, self.settings)
        self.view = View(settings)
        self.lister = Lister(self.service, settings.knowledge_bases)
        self.completion_models = frozenset(m.id for m in settings.models if m.model_type == "COMPLETIONS")
        self.models_body = encode_json(
            ModelList(
                data=[
                    Model(
                        id=m.id,
                        created=m.created,
                        owned_by=m.owned_by,
                        model_type=m.model_type,
                        model_engine=m.model_engine,
                    )
                    for m in settings.models
                ]
            )
        )
        self.max_body = self.gateway_settings.server.max_body_bytes
        self.anonymous = ANONYMOUS.scope()

    # -- framework ---------------------------------------------------------------------------------------

    def error_response(self, status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
        if detail is None or detail == "":
            detail = "Internal Server Error" if status >= 500 else "Error"
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)

    def routes(self) -> list[BaseRoute]:
        routes: list[Route] = [Route(f"{API}/models", self.models, methods=["GET"])]
        for resource in RESOURCES:
            routes += [
                Route(f"{API}/{resource}", self.list_agents, methods=["GET"]),
                Route(f"{API}/{resource}", self.create, methods=["POST"]),
                Route(f"{API}/{resource}/{{agent_id}}", self.get, methods=["GET"]),
                Route(f"{API}/{resource}/{{agent_id}}", self.update, methods=["POST"]),
                Route(f"{API}/{resource}/{{agent_id}}", self.delete, methods=["DELETE"]),
            ]
        return without_head(routes)

    # -- request helpers ---------------------------------------------------------------------------------

    def scope(self, request: Request) -> Scope:
        if not self.keyring.enabled:
            return self.anonymous
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            raise ApiError(401, "Not authenticated", BEARER)
        principal = self.keyring.lookup(token)
        if principal is None:
            raise ApiError(401, "Invalid authentication credentials", BEARER)
        return principal.scope()

    async def values(self, request: Request, decoder: msgspec.json.Decoder, check: Check) -> Any:
        """The validated body: msgspec in one pass, or the FastAPI-style checkers when that fails."""
        try:
            raw = await read_body(request, self.max_body)
        except BodyTooLarge:
            raise ApiError(413, "Request Entity Too Large") from None
        content_type = request.headers.get("content-type")
        if raw and validation.is_json_content_type(content_type):
            try:
                return values_of(decoder.decode(raw))
            except (msgspec.DecodeError, ValueError):  # ValueError: msgspec's UnicodeDecodeError
                pass
        try:
            return validation.body(check, validation.decode_slowly(raw, content_type))
        except Invalid as exc:
            raise ApiError(422, exc.errors) from None
        except Unparsable:
            raise ApiError(400, UNPARSABLE_BODY) from None

    def check_model(self, model: str | None) -> None:
        if model is not None and model not in self.completion_models:
            raise ApiError(404, MODEL_NOT_FOUND)

    def respond(self, assistant: Assistant, status_code: int = 200) -> Response:
        return JSONResponse(self.view.agent(assistant), status_code=status_code)

    # -- routes ------------------------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        scope = self.scope(request)
        values = await self.values(request, CREATE_DECODER, CREATE_CHECK)
        self.check_model(values["model"])
        assistant, _ = await self.service.create(scope, draft(values, scope.user))
        return self.respond(assistant, 201)

    async def get(self, request: Request) -> Response:
        scope = self.scope(request)
        try:
            assistant = await self.service.get(scope, request.path_params["agent_id"])
        except NotFound:
            raise ApiError(404, AGENT_NOT_FOUND) from None
        return self.respond(assistant)

    async def update(self, request: Request) -> Response:
        scope = self.scope(request)
        values = await self.values(request, UPDATE_DECODER, UPDATE_CHECK)
        model = values.get("model")

        def change(current: Assistant) -> Assistant:
            self.check_model(model)
            return changed(current, values)

        try:
            assistant = await self.service.update(scope, request.path_params["agent_id"], change)
        except NotFound:
            raise ApiError(404, AGENT_NOT_FOUND) from None
        return self.respond(assistant)

    async def delete(self, request: Request) -> Response:
        scope = self.scope(request)
        agent_id = request.path_params["agent_id"]
        try:
            await self.service.delete(scope, agent_id)
        except NotFound:
            raise ApiError(404, AGENT_NOT_FOUND) from None
        return JSONResponse(AgentDeleted(id=agent_id))

    async def list_agents(self, request: Request) -> Response:
        scope = self.scope(request)
        try:
            params = list_query(request.query_params)
        except Invalid as exc:
            raise ApiError(422, exc.errors) from None
        try:
            page, has_more, total = await self.lister.page(scope, params)
        except NotFound:
            raise ApiError(400, INVALID_CURSOR) from None
        return JSONResponse(
            AgentList(
                data=[self.view.agent(a) for a in page],
                first_id=page[0].id if page else None,
                last_id=page[-1].id if page else None,
                has_more=has_more,
                num_objects=total,
            )
        )

    async def models(self, request: Request) -> Response:
        self.scope(request)
        return Response(self.models_body, media_type="application/json")
