"""Langdock's response shapes and the view canonical assistant → `AssistantDetails`.

Key order follows the response type in Langdock's create page (the seed document), with
`extendedThinking` (newest schema only) after `canvasEnabled`. Timestamps are JavaScript
`toISOString()` strings (`2023-11-07T05:31:56.123Z`), as a Node server's JSON dates are.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from gateway.model import Assistant

DEFAULT_TEMPERATURE = 0.3
DEFAULT_INPUT_TYPE = "PROMPT"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def iso(us: int) -> str:
    moment = _EPOCH + timedelta(microseconds=us)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


class AssistantDetails(
    msgspec.Struct,
    rename={
        "emoji_icon": "emojiIcon",
        "conversation_starters": "conversationStarters",
        "input_type": "inputType",
        "web_search_enabled": "webSearchEnabled",
        "image_generation_enabled": "imageGenerationEnabled",
        "code_interpreter_enabled": "codeInterpreterEnabled",
        "canvas_enabled": "canvasEnabled",
        "extended_thinking": "extendedThinking",
        "input_fields": "inputFields",
        "created_at": "createdAt",
        "updated_at": "updatedAt",
    },
):
    id: str
    name: str
    description: str | None
    instruction: str | None
    emoji_icon: str | None
    model: str
    temperature: float
    conversation_starters: list[Any]
    input_type: str
    web_search_enabled: bool
    image_generation_enabled: bool
    code_interpreter_enabled: bool
    canvas_enabled: bool
    extended_thinking: bool
    actions: list[Any]
    input_fields: list[Any]
    attachments: list[Any]
    created_at: str
    updated_at: str


class Saved(msgspec.Struct):
    """The create and update answers."""

    status: str
    message: str
    assistant: AssistantDetails


class Fetched(msgspec.Struct):
    status: str
    assistant: AssistantDetails


class Toggled(msgspec.Struct):
    status: str
    message: str


class UploadedFile(msgspec.Struct, rename={"mime_type": "mimeType", "size_in_bytes": "sizeInBytes"}):
    name: str
    mime_type: str
    size_in_bytes: int


class Uploaded(msgspec.Struct, rename={"attachment_id": "attachmentId"}):
    attachment_id: str
    file: UploadedFile


class AttachmentDeleted(msgspec.Struct, rename={"attachment_id": "attachmentId"}):
    success: bool
    message: str
    attachment_id: str


def langdock_extension(assistant: Assistant) -> dict[str, Any]:
    found = assistant.extensions.get("langdock")
    return found if isinstance(found, dict) else {}


def _list(ext: dict[str, Any], key: str) -> list[Any]:
    value = ext.get(key)
    return value if isinstance(value, list) else []


def _flag(ext: dict[str, Any], key: str) -> bool:
    return ext.get(key) is True


def details(assistant: Assistant, default_model: str) -> AssistantDetails:
    """Any assistant of the tenant as Langdock shows it; documented defaults for what was never set here."""
    ext = langdock_extension(assistant)
    emoji = ext.get("emoji")
    input_type = ext.get("inputType")
    return AssistantDetails(
        id=assistant.id,
        name=assistant.name,
        description=assistant.description,
        instruction=assistant.instructions,
        emoji_icon=emoji if isinstance(emoji, str) else None,
        model=assistant.model if assistant.model is not None else default_model,
        temperature=assistant.temperature if assistant.temperature is not None else DEFAULT_TEMPERATURE,
        conversation_starters=_list(ext, "conversationStarters"),
        input_type=input_type if isinstance(input_type, str) else DEFAULT_INPUT_TYPE,
        web_search_enabled=_flag(ext, "webSearch"),
        image_generation_enabled=_flag(ext, "imageGeneration"),
        code_interpreter_enabled=_flag(ext, "dataAnalyst"),
        canvas_enabled=_flag(ext, "canvas"),
        extended_thinking=_flag(ext, "extendedThinking"),
        actions=_list(ext, "actions"),
        input_fields=_list(ext, "inputFields"),
        attachments=_list(ext, "attachments"),
        created_at=iso(assistant.created_at),
        updated_at=iso(assistant.updated_at),
    )
