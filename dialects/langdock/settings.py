"""The Langdock dialect's own configuration keys, and the per-workspace model catalogue built from them.

A Langdock workspace has its own list of models; a create without `model` gets the workspace default,
and `model` must name one of the list, by id (`gpt-5-mini`) or by the UUID older clients send.
`models`/`default_model` apply to every workspace (tenant) unless `workspaces.<tenant>` overrides them.
"""

from __future__ import annotations

import uuid
from typing import Literal

import msgspec

from dialects.base import DialectSettings
from gateway.http import encode_json

# `created` of the models in Langdock's documented /models example (milliseconds since the epoch).
DOC_MODEL_CREATED_MS = 1686935735000


class ModelSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: str
    uuid: str | None = None  # the workspace model UUID real clients send as `model`
    created: int = DOC_MODEL_CREATED_MS  # shown by /models, in milliseconds
    extended_thinking: bool = False  # whether `extendedThinking: true` is allowed with this model

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a model id must not be empty")
        if self.uuid is not None:
            try:
                self.uuid = str(uuid.UUID(self.uuid))
            except ValueError:
                raise ValueError(f"model {self.id!r}: uuid {self.uuid!r} is not a UUID") from None


def _default_models() -> list[ModelSettings]:
    # The ids of Langdock's documented examples (/models lists gpt-5 and gpt-5-mini; create uses gpt-5-mini).
    return [
        ModelSettings(id="gpt-5", extended_thinking=True),
        ModelSettings(id="gpt-5-mini", extended_thinking=True),
        ModelSettings(id="gpt-4o"),
        ModelSettings(id="gpt-4o-mini"),
    ]


def _check_catalogue(models: list[ModelSettings], default_model: str | None, where: str) -> None:
    if not models:
        raise ValueError(f"{where}models must not be empty")
    ids = [m.id for m in models]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{where}models: a model id is listed twice")
    uuids = [m.uuid for m in models if m.uuid is not None]
    if len(set(uuids)) != len(uuids):
        raise ValueError(f"{where}models: a model uuid is listed twice")
    if default_model is not None and default_model not in ids:
        raise ValueError(f"{where}default_model {default_model!r} is not one of the models")


class WorkspaceSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One workspace's (tenant's) own catalogue; unset keys fall back to the dialect-wide ones."""

    models: list[ModelSettings] | None = None
    default_model: str | None = None


class Limits(msgspec.Struct, frozen=True):
    name: int
    description: int
    instruction: int


# "openapi": the OpenAPI file and the assistant pages (255/256/16384); "newest": the newest prose pages.
LIMIT_PROFILES: dict[str, Limits] = {
    "openapi": Limits(name=255, description=256, instruction=16384),
    "newest": Limits(name=80, description=500, instruction=40000),
}


class LangdockSettings(DialectSettings):
    models: list[ModelSettings] = msgspec.field(default_factory=_default_models)
    default_model: str | None = None  # default: the first of `models`
    limits: Literal["openapi", "newest"] = "openapi"
    max_attachment_bytes: int = 100 * 1024 * 1024
    workspaces: dict[str, WorkspaceSettings] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_catalogue(self.models, self.default_model, "")
        if self.max_attachment_bytes <= 0:
            raise ValueError("max_attachment_bytes must be positive")
        for tenant, ws in self.workspaces.items():
            models = ws.models if ws.models is not None else self.models
            default = ws.default_model if ws.default_model is not None else None
            _check_catalogue(models, default, f"workspaces.{tenant}.")


class ModelOut(msgspec.Struct):
    id: str
    object: str
    created: int
    owned_by: str


class ModelList(msgspec.Struct):
    object: str
    data: list[ModelOut]


class Workspace:
    """A workspace's models, resolved once: lookups by id and by UUID, and the pre-encoded /models answer."""

    def __init__(self, models: list[ModelSettings], default_model: str | None) -> None:
        self.models = list(models)
        self.by_id = {m.id: m for m in models}
        self.by_uuid = {m.uuid: m for m in models if m.uuid is not None}
        self.default = self.by_id[default_model] if default_model is not None else models[0]
        self.listing = encode_json(
            ModelList(
                object="list",
                data=[
                    ModelOut(id=m.id, object="model", created=m.created, owned_by="system") for m in models
                ],
            )
        )

    def resolve(self, requested: str) -> ModelSettings | None:
        """The model named by id, or by UUID in any case or spelling `uuid.UUID` accepts."""
        found = self.by_id.get(requested)
        if found is None and self.by_uuid:
            try:
                found = self.by_uuid.get(str(uuid.UUID(requested)))
            except ValueError:
                return None
        return found


class Workspaces:
    """Tenant → `Workspace`, with the dialect-wide catalogue for tenants without their own."""

    def __init__(self, settings: LangdockSettings) -> None:
        self.default = Workspace(settings.models, settings.default_model)
        self.by_tenant: dict[str, Workspace] = {}
        for tenant, ws in settings.workspaces.items():
            models = ws.models if ws.models is not None else settings.models
            default = ws.default_model
            if default is None and ws.models is None:
                default = settings.default_model
            self.by_tenant[tenant] = Workspace(models, default)

    def of(self, tenant: str) -> Workspace:
        return self.by_tenant.get(tenant, self.default)
