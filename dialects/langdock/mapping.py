"""Langdock request → canonical assistant: the canonical fields, and the rest in `extensions["langdock"]`.

Canonical: `name`, `description`, `instruction` → `instructions`, `model` (the workspace model's id),
`creativity` → `temperature`. Everything only Langdock has is kept under the request's own key names
(`emoji`, `inputType`, `conversationStarters`, `actions`, `inputFields`, `attachments`, `webSearch`,
`imageGeneration`, `dataAnalyst`, `canvas`, `extendedThinking`), normalised with the documented defaults.
An update touches only what the request names; other dialects' extensions, config, context, graph
and metadata are never rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import msgspec

from dialects.langdock.wire import DEFAULT_INPUT_TYPE, DEFAULT_TEMPERATURE, langdock_extension
from gateway.model import Assistant

EXTENSION = "langdock"
LIST_KEYS = ("conversationStarters", "actions", "inputFields", "attachments")
FLAG_KEYS = ("webSearch", "imageGeneration", "dataAnalyst", "canvas", "extendedThinking")

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slugify(label: str) -> str:
    return _NOT_SLUG.sub("_", label.lower()).strip("_")[:64] or "field"


def input_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every key of the response shape, in its order; a missing slug is made from the label, unique."""
    taken = {f["slug"] for f in fields if "slug" in f}
    out = []
    for f in fields:
        slug = f.get("slug")
        if slug is None:
            base = slug = _slugify(f["label"])
            n = 1
            while slug in taken:
                n += 1
                slug = f"{base}_{n}"
            taken.add(slug)
        out.append(
            {
                "slug": slug,
                "type": f["type"],
                "label": f["label"],
                "description": f.get("description") or "",
                "required": f["required"],
                "order": f["order"],
                "options": f.get("options", []),
                "fileTypes": f.get("fileTypes"),
            }
        )
    return out


def _lower_ids(ids: list[str]) -> list[str]:
    return [i.lower() for i in ids]  # as the upload answered them


_LIST_NORMALIZERS: dict[str, Callable[[list[Any]], list[Any]]] = {
    "inputFields": input_fields,
    "attachments": _lower_ids,
}


def extension_changes(body: dict[str, Any]) -> dict[str, Any]:
    """The `extensions["langdock"]` keys a validated request sets."""
    changes: dict[str, Any] = {}
    if "emoji" in body:
        changes["emoji"] = body["emoji"] or None  # null and "" both clear it
    if "inputType" in body:
        changes["inputType"] = body["inputType"]
    for key in LIST_KEYS:
        if key in body:
            normalize = _LIST_NORMALIZERS.get(key)
            changes[key] = normalize(body[key]) if normalize else body[key]
    for key in FLAG_KEYS:
        if key in body:
            changes[key] = body[key]
    return changes


def canonical_changes(body: dict[str, Any], model_id: str | None) -> dict[str, Any]:
    """The canonical fields a validated request sets (`model_id` is the resolved workspace model)."""
    fields: dict[str, Any] = {}
    if "name" in body:
        fields["name"] = body["name"]
    if "description" in body:
        fields["description"] = body["description"] or None  # null and "" both clear it
    if "instruction" in body:
        fields["instructions"] = body["instruction"] or None
    if model_id is not None:
        fields["model"] = model_id
    if "creativity" in body:
        fields["temperature"] = float(body["creativity"])
    return fields


def new_extension(body: dict[str, Any]) -> dict[str, Any]:
    """A created assistant's extension: every key, with the documented defaults for what was not sent."""
    return {
        "emoji": None,
        "inputType": DEFAULT_INPUT_TYPE,
        **{key: [] for key in LIST_KEYS},
        **dict.fromkeys(FLAG_KEYS, False),
        **extension_changes(body),
    }


def draft(body: dict[str, Any], model_id: str, owner: str) -> Assistant:
    """A create request as the canonical assistant; the default model and creativity 0.3 are stored."""
    fields = canonical_changes(body, model_id)
    fields.setdefault("temperature", DEFAULT_TEMPERATURE)
    return Assistant(id="", owner=owner, **fields, extensions={EXTENSION: new_extension(body)})


def is_empty_update(body: dict[str, Any]) -> bool:
    return body.keys() <= {"assistantId"}


def update(
    body: dict[str, Any], model_id: str | None, check: Callable[[Assistant], None] | None = None
) -> Callable[[Assistant], Assistant]:
    """The `change` function of a partial update; `check` may refuse the result (inside the transaction)."""
    fields = canonical_changes(body, model_id)
    ext_changes = extension_changes(body)

    def change(current: Assistant) -> Assistant:
        changed = dict(fields)
        if ext_changes:
            ext = {**langdock_extension(current), **ext_changes}
            changed["extensions"] = {**current.extensions, EXTENSION: ext}
        result = msgspec.structs.replace(current, **changed)
        if check is not None:
            check(result)
        return result

    return change


class Unchanged(Exception):
    """Raised by a `change` that has nothing to change, so that the update stores no new version."""


def set_disabled(disabled: bool) -> Callable[[Assistant], Assistant]:
    def change(current: Assistant) -> Assistant:
        if current.disabled == disabled:
            raise Unchanged
        return msgspec.structs.replace(current, disabled=disabled)

    return change
