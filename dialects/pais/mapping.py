"""Canonical assistant ↔ PAIS agent: the view every assistant gets, and what a PAIS write changes.

- `name`, `description`, `instructions`, `model`, `metadata` are canonical; every PAIS-only field is
  kept verbatim in `extensions["pais"]` (only the fields that were set: a missing key shows the
  default, so `null` in an update removes the key).
- The canonical name is a string; PAIS's name is optional. A PAIS agent without a name is stored
  with the name `""`, and `""` is shown to PAIS clients as `null`, unless the name `""` was sent
  through PAIS: that is remembered as `extensions["pais"]["name"] = ""` and shown as `""`.
- Metadata is string → string in PAIS. A non-string value written through another dialect is shown
  as its compact JSON text (`5` → `"5"`, `{"a": 1}` → `"{\"a\":1}"`). An update replaces the metadata
  (as OpenAI's does), except that a value sent back exactly as it was shown keeps its original type:
  reading an agent and writing its metadata back changes nothing.
- Shown with configured defaults when unset: `model` (assistants from other dialects may have none),
  `session_max_length` and `session_summarization_strategy`; the documented defaults for
  `completion_role` (`assistant`), `chat_system_instruction_mode` (`system-message`) and `tools` (`[]`).
- `status` is computed on every read: `ERROR` with `ROUTE_TO_MODEL_NOT_FOUND` when the model is not
  a configured endpoint, `INVALID_MODEL_TYPE_FOR_AGENT` when it is not a COMPLETIONS model.
"""

from __future__ import annotations

from typing import Any

import msgspec

from dialects.pais.settings import PaisSettings
from dialects.pais.wire import (
    DEFAULT_COMPLETION_ROLE,
    DEFAULT_INSTRUCTION_MODE,
    EXTENSION_FIELDS,
    Agent,
)
from gateway.model import Assistant, JSONObject

AVAILABLE: tuple[str, list[str]] = ("AVAILABLE", [])
# What `extensions["pais"]` holds: the PAIS-only fields, and `name` only as the empty-name marker `""`.
MARKED_FIELDS = (*EXTENSION_FIELDS, "name")
_encoder = msgspec.json.Encoder()


def shown(value: Any) -> str:
    """A metadata value as PAIS shows it: strings as they are, anything else as compact JSON."""
    return value if isinstance(value, str) else _encoder.encode(value).decode()


def shown_metadata(metadata: JSONObject) -> dict[str, str]:
    if all(isinstance(value, str) for value in metadata.values()):
        return metadata
    return {key: shown(value) for key, value in metadata.items()}


def merged_metadata(current: JSONObject, incoming: dict[str, str]) -> JSONObject:
    """`incoming` replaces the metadata; a value sent back as it was shown keeps its original type."""
    result: JSONObject = {}
    for key, text in incoming.items():
        old = current.get(key)
        keep = key in current and not isinstance(old, str) and shown(old) == text
        result[key] = old if keep else text
    return result


def pais_extension(assistant: Assistant) -> dict[str, Any]:
    found = assistant.extensions.get("pais")
    return found if isinstance(found, dict) else {}


class View:
    """Canonical → PAIS `Agent`, with the configured defaults."""

    def __init__(self, settings: PaisSettings) -> None:
        self.default_model = settings.completion_model
        self.default_length = settings.default_session_max_length
        self.default_strategy = settings.default_session_summarization_strategy
        self.status: dict[str, tuple[str, list[str]]] = {
            m.id: AVAILABLE if m.model_type == "COMPLETIONS" else ("ERROR", ["INVALID_MODEL_TYPE_FOR_AGENT"])
            for m in settings.models
        }

    def status_of(self, model: str) -> tuple[str, list[str]]:
        found = self.status.get(model)
        return found if found is not None else ("ERROR", ["ROUTE_TO_MODEL_NOT_FOUND"])

    def agent(self, a: Assistant) -> Agent:
        pais = pais_extension(a)
        model = a.model or self.default_model
        status, status_errors = self.status_of(model)
        return Agent(
            name=a.name or ("" if pais.get("name") == "" else None),
            description=a.description,
            instructions=a.instructions,
            session_max_ttl=pais.get("session_max_ttl"),
            completion_role=pais.get("completion_role", DEFAULT_COMPLETION_ROLE),
            tools=pais.get("tools", []),
            index_id=pais.get("index_id"),
            index_top_n=pais.get("index_top_n"),
            index_similarity_cutoff=pais.get("index_similarity_cutoff"),
            index_reference_format=pais.get("index_reference_format"),
            index_reference_delimiter=pais.get("index_reference_delimiter"),
            session_max_length=pais.get("session_max_length", self.default_length),
            session_summarization_strategy=pais.get("session_summarization_strategy", self.default_strategy),
            metadata=shown_metadata(a.metadata),
            id=a.id,
            created_at=a.created_at // 1_000_000,
            model=model,
            status=status,
            status_errors=list(status_errors),
            chat_system_instruction_mode=pais.get("chat_system_instruction_mode", DEFAULT_INSTRUCTION_MODE),
        )


def _marked(values: dict[str, Any]) -> dict[str, Any]:
    """The values with `name` turned into the empty-name marker: `""` kept, anything else null."""
    return {**values, "name": "" if values["name"] == "" else None} if "name" in values else values


def draft(values: dict[str, Any], owner: str) -> Assistant:
    """A new assistant from a validated create request."""
    marked = _marked(values)
    return Assistant(
        id="",
        owner=owner,
        name=values.get("name") or "",
        description=values.get("description"),
        instructions=values.get("instructions"),
        model=values["model"],
        metadata=values.get("metadata") or {},
        extensions={"pais": {k: marked[k] for k in MARKED_FIELDS if marked.get(k) is not None}},
    )


def changed(current: Assistant, values: dict[str, Any]) -> Assistant:
    """`current` with a validated update applied: only the named fields change, `null` resets one.

    Everything PAIS cannot see (other dialects' extensions, graph, config, context, temperature) and
    unknown keys under `extensions["pais"]` are left as they are.
    """
    fields: dict[str, Any] = {}
    if "name" in values:
        fields["name"] = values["name"] or ""
        values = _marked(values)
    for name in ("description", "instructions", "model"):
        if name in values:
            fields[name] = values[name]
    if "metadata" in values:
        fields["metadata"] = merged_metadata(current.metadata, values["metadata"] or {})
    named = [k for k in MARKED_FIELDS if k in values]
    if named:
        pais = dict(pais_extension(current))
        for key in named:
            if values[key] is None:
                pais.pop(key, None)
            else:
                pais[key] = values[key]
        extensions = {k: v for k, v in current.extensions.items() if k != "pais"}
        if pais:
            extensions["pais"] = pais
        fields["extensions"] = extensions
    return msgspec.structs.replace(current, **fields) if fields else current
