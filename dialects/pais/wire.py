"""PAIS wire shapes: the request schemas (msgspec fast path, FastAPI-style checkers) and the responses.

Each request schema exists twice, kept in step by tests/test_pais_validation.py: as msgspec structs
that decode a well-formed body in one pass, and as `dialects.fastapi` checkers that list every problem of a
body msgspec refused (and accept what pydantic's lax mode accepts). Both produce the same plain dict
of validated values. Field order is PAIS's declaration order, which is also the order of its errors
and of the response keys.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from dialects import fastapi as f
from dialects.pais.validation import uuid_string

NAME_MAX, DESCRIPTION_MAX, INSTRUCTIONS_MAX, MODEL_MAX, METADATA_MAX = 256, 512, 32768, 128, 16
REFERENCE_FORMATS = ("structured", "markdown")
INSTRUCTION_MODES = ("system-message", "prompt-prefix")
GENERIC_LINK = "GENERIC_MCP_TOOL_LINK"
SEARCH_LINK = "PAIS_KNOWLEDGE_BASE_INDEX_SEARCH_TOOL_LINK"

# Fields the canonical assistant holds; everything else lives in `extensions["pais"]`.
CANONICAL_FIELDS = ("name", "description", "instructions", "model", "metadata")
EXTENSION_FIELDS = (
    "session_max_ttl",
    "completion_role",
    "tools",
    "index_id",
    "index_top_n",
    "index_similarity_cutoff",
    "index_reference_format",
    "index_reference_delimiter",
    "session_max_length",
    "session_summarization_strategy",
    "chat_system_instruction_mode",
)
# What PAIS shows when a field was never set (the documented defaults).
DEFAULT_COMPLETION_ROLE = "assistant"
DEFAULT_INSTRUCTION_MODE = "system-message"

# -- requests: the msgspec fast path ------------------------------------------------------------------------

Name = Annotated[str, Meta(max_length=NAME_MAX)]
Description = Annotated[str, Meta(max_length=DESCRIPTION_MAX)]
Instructions = Annotated[str, Meta(max_length=INSTRUCTIONS_MAX)]
ModelId = Annotated[str, Meta(max_length=MODEL_MAX)]
Positive = Annotated[int, Meta(gt=0)]
Metadata = Annotated[dict[str, str], Meta(max_length=METADATA_MAX)]
ReferenceFormat = Literal["structured", "markdown"]
InstructionMode = Literal["system-message", "prompt-prefix"]


class GenericToolLink(Struct, tag_field="link_type", tag=GENERIC_LINK, forbid_unknown_fields=True):
    tool_id: uuid.UUID


class SearchToolLink(Struct, tag_field="link_type", tag=SEARCH_LINK, forbid_unknown_fields=True):
    tool_id: uuid.UUID
    top_n: Positive | None = None
    similarity_cutoff: float | None = None


ToolLinks = list[GenericToolLink | SearchToolLink]


class AgentCreateRequest(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name | None = None
    description: Description | None = None
    instructions: Instructions | None = None
    session_max_ttl: Positive | None = None
    completion_role: str | None = None
    tools: ToolLinks | None = None
    index_id: uuid.UUID | None = None
    index_top_n: Positive | None = None
    index_similarity_cutoff: float | None = None
    index_reference_format: ReferenceFormat | None = None
    index_reference_delimiter: str | None = None
    session_max_length: Positive
    session_summarization_strategy: str
    metadata: Metadata | None = None
    model: ModelId
    chat_system_instruction_mode: InstructionMode | None = None


class AgentUpdateRequest(Struct, kw_only=True, forbid_unknown_fields=True):
    """Every field optional; `null` resets it to its default."""

    name: Name | UnsetType | None = UNSET
    description: Description | UnsetType | None = UNSET
    instructions: Instructions | UnsetType | None = UNSET
    session_max_ttl: Positive | UnsetType | None = UNSET
    completion_role: str | UnsetType | None = UNSET
    tools: ToolLinks | UnsetType | None = UNSET
    index_id: uuid.UUID | UnsetType | None = UNSET
    index_top_n: Positive | UnsetType | None = UNSET
    index_similarity_cutoff: float | UnsetType | None = UNSET
    index_reference_format: ReferenceFormat | UnsetType | None = UNSET
    index_reference_delimiter: str | UnsetType | None = UNSET
    session_max_length: Positive | UnsetType | None = UNSET
    session_summarization_strategy: str | UnsetType | None = UNSET
    metadata: Metadata | UnsetType | None = UNSET
    model: ModelId | UnsetType | None = UNSET
    chat_system_instruction_mode: InstructionMode | UnsetType | None = UNSET


REQUEST_FIELDS: tuple[str, ...] = AgentCreateRequest.__struct_fields__
assert set(REQUEST_FIELDS) == set(CANONICAL_FIELDS) | set(EXTENSION_FIELDS)
assert AgentUpdateRequest.__struct_fields__ == REQUEST_FIELDS

CREATE_DECODER = msgspec.json.Decoder(AgentCreateRequest)
UPDATE_DECODER = msgspec.json.Decoder(AgentUpdateRequest)


def _plain(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "tools":
        return [msgspec.to_builtins(link) for link in value]
    if name == "index_id":
        return str(value)
    return value


def values_of(request: AgentCreateRequest | AgentUpdateRequest) -> dict[str, Any]:
    """The validated values as a plain dict; an update leaves out what it does not name."""
    return {
        name: _plain(name, value) for name in REQUEST_FIELDS if (value := getattr(request, name)) is not UNSET
    }


# -- requests: the checkers for the error path --------------------------------------------------------------
# PAIS's models refuse unknown keys (`extra="forbid"`): see the dialect's docstring.

_TOOL_LINK = f.list_of(
    f.tagged(
        "link_type",
        {
            GENERIC_LINK: f.Model(
                [f.Field("tool_id", uuid_string(), required=True)],
                forbid_extra=True,
                skip=frozenset({"link_type"}),
            ),
            SEARCH_LINK: f.Model(
                [
                    f.Field("tool_id", uuid_string(), required=True),
                    f.Field("top_n", f.nullable(f.integer(gt=0))),
                    f.Field("similarity_cutoff", f.nullable(f.number())),
                ],
                forbid_extra=True,
                skip=frozenset({"link_type"}),
            ),
        },
    )
)


def _fields(*, update: bool) -> list[f.Field]:
    def field(name: str, check: f.Check, *, required: bool = False) -> f.Field:
        if update:  # every field optional and nullable
            return f.Field(name, f.nullable(check))
        return f.Field(name, check if required else f.nullable(check), required=required)

    return [
        field("name", f.string(max_length=NAME_MAX)),
        field("description", f.string(max_length=DESCRIPTION_MAX)),
        field("instructions", f.string(max_length=INSTRUCTIONS_MAX)),
        field("session_max_ttl", f.integer(gt=0)),
        field("completion_role", f.string()),
        field("tools", _TOOL_LINK),
        field("index_id", uuid_string()),
        field("index_top_n", f.integer(gt=0)),
        field("index_similarity_cutoff", f.number()),
        field("index_reference_format", f.choice(REFERENCE_FORMATS)),
        field("index_reference_delimiter", f.string()),
        field("session_max_length", f.integer(gt=0), required=True),
        field("session_summarization_strategy", f.string(), required=True),
        field("metadata", f.dictionary(f.string(), max_length=METADATA_MAX)),
        field("model", f.string(max_length=MODEL_MAX), required=True),
        field("chat_system_instruction_mode", f.choice(INSTRUCTION_MODES)),
    ]


CREATE_CHECK = f.Model(_fields(update=False), forbid_extra=True)
UPDATE_CHECK = f.Model(_fields(update=True), partial=True, forbid_extra=True)

# -- list query --------------------------------------------------------------------------------------------

LIMIT_DEFAULT, LIMIT_BELOW, OFFSET_MAX = 100, 1000, 4294967296


class ListQuery(Struct, kw_only=True):
    after: str | None = None
    before: str | None = None
    limit: int = LIMIT_DEFAULT
    offset: int = 0
    order: str = "asc"
    set_num_objects: bool = False
    name: str | None = None
    index_id: str | None = None
    knowledge_base_id: str | None = None


_QUERY_CHECKS: dict[str, f.Check] = {
    "limit": f.integer(gt=0, lt=LIMIT_BELOW),
    "offset": f.integer(ge=0, le=OFFSET_MAX),
    "order": f.choice(("asc", "desc"), literal=True),
    "set_num_objects": f.boolean(),
}
QUERY_FIELDS: tuple[str, ...] = ListQuery.__struct_fields__


def list_query(params: Any) -> ListQuery:
    """The list parameters (the last value of a repeated one), with every invalid one reported."""
    errors: f.Errors = []
    found: dict[str, Any] = {}
    for name in QUERY_FIELDS:
        raw = params.get(name)
        if raw is None:
            continue
        check = _QUERY_CHECKS.get(name)
        found[name] = raw if check is None else check(raw, ("query", name), errors)
    if errors:
        raise f.Invalid(errors)
    return ListQuery(**found)


# -- responses ---------------------------------------------------------------------------------------------


class Agent(Struct, kw_only=True):
    """PAIS's `Agent`, keys in its schema's order."""

    name: str | None
    description: str | None
    instructions: str | None
    session_max_ttl: Any
    completion_role: Any
    tools: Any
    index_id: Any
    index_top_n: Any
    index_similarity_cutoff: Any
    index_reference_format: Any
    index_reference_delimiter: Any
    session_max_length: Any
    session_summarization_strategy: Any
    metadata: dict[str, str]
    id: str
    object: str = "agent"
    created_at: int
    model: str
    status: str
    status_errors: list[str]
    chat_system_instruction_mode: Any


class AgentList(Struct, kw_only=True):
    object: str = "list"
    data: list[Agent]
    first_id: str | None
    last_id: str | None
    has_more: bool
    num_objects: int | None


class AgentDeleted(Struct, kw_only=True):
    id: str
    object: str = "agent.deleted"
    deleted: bool = True


class Model(Struct, kw_only=True):
    id: str
    object: str = "model"
    created: int
    owned_by: str
    model_type: str
    model_engine: str


class ModelList(Struct, kw_only=True):
    object: str = "list"
    data: list[Model]
