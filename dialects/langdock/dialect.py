"""Langdock's Assistant API (`/assistant/v1/*`, `/attachment/v1/*`), as `specs/langdock.md` describes it.

Every route answers both at `/<route>` and at `/api/public/<route>` (dedicated deployments and several
doc samples use the latter). Choices where the spec is open, each written down here:
- Auth: `Authorization: Bearer <key>`; a bare `Authorization: <key>` (no scheme, as one public client
  sends) is accepted too, since it costs nothing and names the key just as well. With no keys
  configured every caller is accepted. A missing or unknown key → 401 `{"message": "Invalid or
  missing API key"}` (`{"error": "Invalid API key"}` on attachment routes); a key without the
  `AGENT_API` or the older `ASSISTANT_API` scope → 403 `{"message": "Insufficient permissions -
  requires AGENT_API scope"}` on every route. An assistant of another workspace is 404 "Agent not
  found" (sharing with individual keys is not modelled: a key sees its whole workspace).
- Order: auth, then the body (malformed JSON → 400 `{"message": "Invalid JSON in request body"}`),
  then validation (400 with a list of Zod issues, see validation.py), then the model (404 "Model not
  found"), the attachments (404 "Attachment not found"), then the assistant (404 "Agent not found").
  A get without a UUID `assistantId` → 400 "Invalid assistant ID format" (a string, as documented);
  so assistants whose id is not a UUID (Aegra allows any string) cannot be addressed here, as on
  Langdock. A UUID matches in any case (as Postgres compares them): the id is looked up as sent, then
  lower-, then upper-cased, so an Aegra assistant whose chosen id is an upper-case UUID is reachable. Update
  and disable answer "Agent not found" too (the OpenAPI wording, even on /assistant).
- `model` is accepted as a workspace model id or its configured UUID and stored, and answered, as
  the model id (what the newest docs and /models speak). A create without `model` stores the
  workspace default model; without `creativity`, 0.3. Assistants made elsewhere show the workspace
  default model and 0.3 while theirs are unset.
- `description`/`instruction`: `null` and `""` both clear (shown as `null`); `emoji` likewise. The
  arrays replace; `[]` clears. Attachment ids are stored lower-cased, as uploads answer them. An
  update naming only `assistantId` changes nothing, adds no version, and answers 200 with the
  assistant as it is.
- Numbers are read as JavaScript reads them: an integer beyond the largest double is Infinity (so
  not an integer, and out of range), `-0` is shown as `0`, `5.0` as `5`.
- `extendedThinking: true` is refused (400) unless the resulting model is configured with
  `extended_thinking = true`; checked when a request names `model` or `extendedThinking`, so a
  model changed elsewhere never blocks an unrelated update. `dataAnalyst` is stored and shown as
  `codeInterpreterEnabled` (the newest docs call it ignored; older ones and every example show it).
- There is no list and no delete for assistants. A disabled assistant stays readable and updatable
  through get/update (admins still manage it). Disabling adds a version (the history is the store's,
  and `disabled` is kept across a LangSmith `/latest`); disabling a disabled one answers 200 again
  and adds nothing.
- Unknown request keys are ignored, as a non-strict Zod object strips them. Oversized bodies → 413
  `{"message": ...}`; an upload over `max_attachment_bytes` → 413 `{"error": ...}`.
- Attachment delete is a soft delete, allowed to the key's own user (403 otherwise); assistants keep
  naming a deleted attachment, but it can no longer be added to one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from dialects.base import ApiError, Dialect
from dialects.langdock import mapping
from dialects.langdock.schemas import Schemas
from dialects.langdock.settings import LIMIT_PROFILES, LangdockSettings, Workspace, Workspaces
from dialects.langdock.uploads import FileTooLarge, NoFile, read_file
from dialects.langdock.validation import INVALID, UUID_RE, Checker, run
from dialects.langdock.wire import (
    AttachmentDeleted,
    Fetched,
    Saved,
    Toggled,
    Uploaded,
    UploadedFile,
    details,
)
from gateway.auth import ANONYMOUS, Principal, bearer_token
from gateway.http import BodyTooLarge, InvalidJSON, JSONResponse, decode_json, read_body
from gateway.model import Assistant, NotFound, Scope

SCOPES = frozenset({"AGENT_API", "ASSISTANT_API"})
UNAUTHORIZED = "Invalid or missing API key"
FORBIDDEN = "Insufficient permissions - requires AGENT_API scope"
AGENT_NOT_FOUND = "Agent not found"
INVALID_ID = "Invalid assistant ID format"
INVALID_JSON = "Invalid JSON in request body"
PUBLIC_PREFIX = "/api/public"

Handler = Callable[[Request], Awaitable[Response]]


class Langdock(Dialect):
    name = "langdock"
    settings_type = LangdockSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = self.settings
        assert isinstance(settings, LangdockSettings)
        self.workspaces = Workspaces(settings)
        self.schemas = Schemas(LIMIT_PROFILES[settings.limits])
        self.max_body = self.gateway_settings.server.max_body_bytes
        self.max_attachment = settings.max_attachment_bytes

    # -- framework ---------------------------------------------------------------------------------------

    def error_response(self, status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
        """`{"message": detail}`; a dict detail is the whole body (attachment routes' `{"error": ...}`)."""
        if isinstance(detail, dict):
            return JSONResponse(detail, status_code=status, headers=headers)
        if not isinstance(detail, str | list) or not detail:
            detail = "Internal Server Error" if status >= 500 else "Bad Request"
        return JSONResponse({"message": detail}, status_code=status, headers=headers)

    def routes(self) -> list[BaseRoute]:
        table: list[tuple[str, Handler, str]] = [
            ("/assistant/v1/create", self.create, "POST"),
            ("/assistant/v1/get", self.get, "GET"),
            ("/assistant/v1/update", self.update, "PATCH"),
            ("/assistant/v1/disable", self.disable, "PATCH"),
            ("/assistant/v1/models", self.models, "GET"),
            ("/attachment/v1/upload", self.upload, "POST"),
            ("/attachment/v1/delete", self.delete_attachment, "DELETE"),
        ]
        return [
            Route(prefix + path, handler, methods=[method])
            for prefix in ("", PUBLIC_PREFIX)
            for path, handler, method in table
        ]

    # -- request helpers ---------------------------------------------------------------------------------

    def principal(self, request: Request, unauthorized: Any = UNAUTHORIZED) -> Principal:
        if not self.keyring.enabled:
            return ANONYMOUS
        header = request.headers.get("authorization")
        key = bearer_token(header)
        if key is None and header and " " not in (bare := header.strip()):
            key = bare
        principal = self.keyring.lookup(key)
        if principal is None:
            raise ApiError(401, unauthorized)
        if not principal.scopes & SCOPES:
            raise ApiError(403, FORBIDDEN)
        return principal

    async def body(
        self, request: Request, schema: Checker, bad_request: Callable[[Any], Any] = lambda detail: detail
    ) -> Any:
        """The validated body; `bad_request(message)` shapes the 400 detail for this route."""
        try:
            raw = await read_body(request, self.max_body)
        except BodyTooLarge as exc:
            raise ApiError(413, f"Request body too large (limit: {exc.limit} bytes)") from None
        try:
            data = decode_json(raw)
        except InvalidJSON:
            raise ApiError(400, bad_request(INVALID_JSON)) from None
        checked, issues = run(schema, data)
        if checked is INVALID:
            raise ApiError(400, bad_request(issues))
        return checked

    @staticmethod
    def resolve_model(workspace: Workspace, body: dict[str, Any]) -> str | None:
        if "model" not in body:
            return None
        found = workspace.resolve(body["model"])
        if found is None:
            raise ApiError(404, "Model not found")
        return found.id

    async def check_attachments(self, scope: Scope, body: dict[str, Any]) -> None:
        for attachment_id in dict.fromkeys(a.lower() for a in body.get("attachments", ())):
            try:
                found = await self.service.get_attachment(scope, attachment_id)
            except NotFound:
                raise ApiError(404, "Attachment not found") from None
            if found.deleted:
                raise ApiError(404, "Attachment not found")

    @staticmethod
    def thinking_check(workspace: Workspace) -> Callable[[Assistant], None]:
        """Refuses extended thinking on a model that is not configured for it (the newest docs' 400)."""

        def check(result: Assistant) -> None:
            ext = result.extensions.get(mapping.EXTENSION)
            if not (isinstance(ext, dict) and ext.get("extendedThinking") is True):
                return
            model = workspace.by_id.get(result.model or workspace.default.id)
            if model is None or not model.extended_thinking:
                raise ApiError(400, "Extended thinking is not supported by the selected model")

        return check

    def answer(
        self, assistant: Assistant, workspace: Workspace, message: str | None, status: int = 200
    ) -> Response:
        shown = details(assistant, workspace.default.id)
        if message is None:
            return JSONResponse(Fetched(status="success", assistant=shown), status_code=status)
        return JSONResponse(Saved(status="success", message=message, assistant=shown), status_code=status)

    # -- assistants --------------------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        principal = self.principal(request)
        scope = principal.scope()
        workspace = self.workspaces.of(scope.tenant)
        body = await self.body(request, self.schemas.create)
        model_id = self.resolve_model(workspace, body) or workspace.default.id
        await self.check_attachments(scope, body)
        draft = mapping.draft(body, model_id, scope.user)
        self.thinking_check(workspace)(draft)
        assistant, _ = await self.service.create(scope, draft)
        return self.answer(assistant, workspace, "Assistant created successfully", 201)

    async def get(self, request: Request) -> Response:
        scope = self.principal(request).scope()
        raw = request.query_params.get("assistantId")
        if raw is None:
            raise ApiError(
                400,
                [
                    {
                        "code": "invalid_type",
                        "expected": "string",
                        "received": "undefined",
                        "path": ["assistantId"],
                        "message": "Required",
                    }
                ],
            )
        if not UUID_RE.match(raw):
            raise ApiError(400, INVALID_ID)
        assistant = await _first_found(self.service.get, scope, raw)
        return self.answer(assistant, self.workspaces.of(scope.tenant), None)

    async def update(self, request: Request) -> Response:
        scope = self.principal(request).scope()
        workspace = self.workspaces.of(scope.tenant)
        body = await self.body(request, self.schemas.update)
        model_id = self.resolve_model(workspace, body)
        await self.check_attachments(scope, body)
        if mapping.is_empty_update(body):
            assistant = await _first_found(self.service.get, scope, body["assistantId"])
        else:
            # only an update that names the model or the flag can make their pairing invalid
            names_either = "model" in body or "extendedThinking" in body
            change = mapping.update(body, model_id, self.thinking_check(workspace) if names_either else None)
            assistant = await _first_found(self.service.update, scope, body["assistantId"], change)
        return self.answer(assistant, workspace, "Assistant updated successfully")

    async def disable(self, request: Request) -> Response:
        scope = self.principal(request).scope()
        body = await self.body(request, self.schemas.disable)
        disabled = body["disabled"]
        change = mapping.set_disabled(disabled)
        # already in that state: the same answer, and no version is added
        with contextlib.suppress(mapping.Unchanged):
            await _first_found(self.service.update, scope, body["assistantId"], change)
        message = "Assistant disabled successfully" if disabled else "Assistant enabled successfully"
        return JSONResponse(Toggled(status="success", message=message))

    async def models(self, request: Request) -> Response:
        scope = self.principal(request).scope()
        return Response(self.workspaces.of(scope.tenant).listing, media_type="application/json")

    # -- attachments -------------------------------------------------------------------------------------

    async def upload(self, request: Request) -> Response:
        principal = self.principal(request, {"error": "Invalid API key"})
        try:
            file = await read_file(request, self.max_attachment)
        except NoFile:
            raise ApiError(400, {"error": "No file provided"}) from None
        except FileTooLarge:
            raise ApiError(413, {"error": f"File too large (limit: {self.max_attachment} bytes)"}) from None
        stored = await self.service.add_attachment(
            principal.scope(), name=file.name, mime_type=file.mime_type, content=file.content
        )
        return JSONResponse(
            Uploaded(
                attachment_id=stored.id,
                file=UploadedFile(name=stored.name, mime_type=stored.mime_type, size_in_bytes=stored.size),
            )
        )

    async def delete_attachment(self, request: Request) -> Response:
        principal = self.principal(request, {"error": "Invalid API key"})
        scope = principal.scope()
        body = await self.body(request, self.schemas.delete_attachment, _errors)
        attachment_id = body["attachmentId"].lower()
        try:
            found = await self.service.get_attachment(scope, attachment_id)
            if found.deleted:
                raise NotFound(attachment_id)
            if found.owner != principal.user:
                raise ApiError(403, "API key does not have access to this attachment")
            await self.service.delete_attachment(scope, attachment_id)
        except NotFound:
            raise ApiError(404, "Attachment not found") from None
        return JSONResponse(
            AttachmentDeleted(
                success=True, message="Attachment deleted successfully", attachment_id=attachment_id
            )
        )


async def _first_found(
    call: Callable[..., Awaitable[Assistant]], scope: Scope, raw: str, *args: Any
) -> Assistant:
    """`call(scope, id, *args)` with the id as sent, lower-cased, upper-cased; else 404 "Agent not found".

    The gateway makes lower-case UUIDs, and Langdock's Postgres compares UUIDs in any case; but an
    Aegra client may have chosen an upper-case UUID as its id, and that assistant is reachable too.
    Only a miss costs the extra lookups.
    """
    for assistant_id in dict.fromkeys((raw, raw.lower(), raw.upper())):
        try:
            return await call(scope, assistant_id, *args)
        except NotFound:
            continue
    raise ApiError(404, AGENT_NOT_FOUND)


def _errors(detail: Any) -> dict[str, Any]:
    """`/attachment/v1/delete`'s 400: `{"message": ..., "errors": [...]}`."""
    if isinstance(detail, list):
        return {"message": "Invalid request body", "errors": detail}
    return {"message": detail, "errors": []}
