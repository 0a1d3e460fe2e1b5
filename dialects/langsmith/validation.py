"""Request validation exactly as langgraph-api 0.16.7 does it, so that 422 details match word for word.

The reference parses the body, silently strips server-reserved keys, then validates against its
OpenAPI components with jsonschema-rs, whose first error (stringified) is the 422 `detail`. We load
the same components (`schemas.json`), apply the same validator-only guards (no NUL characters in
config/context keys), and use the same jsonschema-rs release.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import jsonschema_rs

from gateway.http import InvalidJSON

NO_NULL_OR_ESCAPED_PATTERN = r"^(?!.*\\[uU]0000)[^\u0000]*$"

RESERVED_CONFIGURABLE_KEYS = frozenset(
    {
        "langgraph_auth_user",
        "langgraph_auth_user_id",
        "langgraph_auth_permissions",
        "langgraph_request_id",
        "__langsmith_project__",
        "__langsmith_example_id__",
        "__request_start_time_ms__",
        "__after_seconds__",
        "__otel_traceparent__",
        "__otel_tracestate__",
        "__dd_trace_headers__",
        "__pregel_node_finished",
        "__context_provided__",
    }
)
RESERVED_METADATA_KEYS = frozenset(
    {"thread_id", "assistant_id", "run_id", "cron_id", "counters_since_delta_snapshot"}
)


class Invalid(Exception):
    """A request body that fails validation; `str()` is the reference's 422 detail."""


def _object_property(schema: dict[str, Any], name: str) -> dict[str, Any] | None:
    prop = schema.get("properties", {}).get(name)
    return prop if isinstance(prop, dict) and prop.get("type") == "object" else None


def _with_guards(schemas: dict[str, Any]) -> dict[str, Any]:
    guarded = copy.deepcopy(schemas)
    config = guarded["Config"]
    config["propertyNames"] = {"pattern": NO_NULL_OR_ESCAPED_PATTERN}
    if configurable := _object_property(config, "configurable"):
        configurable["propertyNames"] = {"pattern": NO_NULL_OR_ESCAPED_PATTERN}
    for name in ("AssistantCreate", "AssistantPatch"):
        for prop in ("config", "context"):
            if found := _object_property(guarded[name], prop):
                found["propertyNames"] = {"pattern": NO_NULL_OR_ESCAPED_PATTERN}
                if prop == "config" and (configurable := _object_property(found, "configurable")):
                    configurable["propertyNames"] = {"pattern": NO_NULL_OR_ESCAPED_PATTERN}
    return guarded


def load_schemas() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schemas.json").read_text(encoding="utf-8")
    return json.loads(text)["schemas"]


class Validators:
    """One compiled validator per request schema, built once per process."""

    def __init__(self) -> None:
        schemas = _with_guards(load_schemas())
        self.config = jsonschema_rs.validator_for(schemas["Config"])
        self.create = jsonschema_rs.validator_for(schemas["AssistantCreate"])
        self.patch = jsonschema_rs.validator_for(schemas["AssistantPatch"])
        self.search = jsonschema_rs.validator_for(schemas["AssistantSearchRequest"])
        self.count = jsonschema_rs.validator_for(schemas["AssistantCountRequest"])
        self.versions = jsonschema_rs.validator_for(schemas["AssistantVersionsSearchRequest"])
        self.version_change = jsonschema_rs.validator_for(schemas["AssistantVersionChange"])


_validators: Validators | None = None


def validators() -> Validators:
    global _validators
    if _validators is None:
        _validators = Validators()
    return _validators


def validate(validator: Any, instance: Any) -> None:
    try:
        validator.validate(instance)
    except jsonschema_rs.ValidationError as exc:
        raise Invalid(str(exc)) from None


# orjson, the reference's parser, reads an integer outside the 64-bit range as a float (and refuses one
# past the float range); msgspec keeps it exact. Only a body with 19 digits in a row can hold one.
_DIGIT_RUNS = bytes(byte if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))  # non-digits → space
_LONG_RUN = 19
_SMALLEST_INT, _LARGEST_INT = -(2**63), 2**64 - 1


def orjson_numbers(body: bytes, data: Any) -> Any:
    """`data`, decoded from `body`, with the numbers orjson would have read: so that stored values, 422
    details and pagination headers come out as the reference's (`10**30` is read as `1e30`). Raises
    `InvalidJSON` for an integer no float can hold, as orjson refuses the body."""
    if not _has_long_digit_run(body):
        return data
    if not isinstance(data, dict | list):
        return _as_orjson_int(data)
    stack: list[Any] = [data]
    while stack:
        container = stack.pop()
        pairs = list(container.items()) if isinstance(container, dict) else list(enumerate(container))
        for key, value in pairs:
            if isinstance(value, dict | list):
                stack.append(value)
            elif isinstance(value, int):
                container[key] = _as_orjson_int(value)
    return data


def _has_long_digit_run(body: bytes) -> bool:
    """Whether `body` has `_LONG_RUN` digits in a row: two C passes, a few times faster than a regex
    search, which restarts its matcher at every byte of a body that is read on every write."""
    return any(len(run) >= _LONG_RUN for run in body.translate(_DIGIT_RUNS).split())


def _as_orjson_int(value: Any) -> Any:
    if not isinstance(value, int) or isinstance(value, bool) or _SMALLEST_INT <= value <= _LARGEST_INT:
        return value
    try:
        return float(value)
    except OverflowError:
        raise InvalidJSON from None


def sanitize_reserved_keys(data: Any, *, strip_metadata: bool) -> None:
    """Remove reserved keys in place, where the reference does: metadata (top level and config.metadata,
    for write schemas only), config.configurable, a top-level configurable, and context."""
    if not isinstance(data, dict):
        return
    config = data.get("config")
    if strip_metadata:
        for holder in (data, config):
            if isinstance(holder, dict) and isinstance(metadata := holder.get("metadata"), dict):
                _strip(metadata, RESERVED_METADATA_KEYS)
    if isinstance(config, dict) and isinstance(configurable := config.get("configurable"), dict):
        _strip(configurable, RESERVED_CONFIGURABLE_KEYS)
    for key in ("configurable", "context"):
        if isinstance(value := data.get(key), dict):
            _strip(value, RESERVED_CONFIGURABLE_KEYS)


def _strip(mapping: dict[str, Any], reserved: frozenset[str]) -> None:
    for key in [k for k in mapping if k in reserved]:
        del mapping[key]


SELECT_FIELDS = (
    "assistant_id",
    "graph_id",
    "name",
    "description",
    "config",
    "context",
    "created_at",
    "updated_at",
    "metadata",
    "version",
)
