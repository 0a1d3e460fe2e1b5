"""The request bodies of the Langdock Assistant API (OpenAPI `/assistant/v1/*`, `/attachment/v1/delete`).

Built once per limit profile. Leniencies beyond the OpenAPI file, each because real clients need it:
`slug` may be absent on input fields (Langdock staff's own payloads omit it), `actionId` may be any
non-empty string (the OpenAPI examples use "action-uuid"), and `description`/`instruction`/`emoji`
accept `null` on create as on update (so a body copied from a get answer can be posted back).
"""

from __future__ import annotations

from dialects.langdock.settings import Limits
from dialects.langdock.validation import Checker, Field, array, boolean, enum, number, obj, string

INPUT_TYPES = ("PROMPT", "STRUCTURED")
FIELD_TYPES = ("TEXT", "MULTI_LINE_TEXT", "NUMBER", "CHECKBOX", "FILE", "SELECT", "DATE")

ACTION = obj(
    {
        "actionId": Field(string(min_length=1), required=True),
        "requiresConfirmation": Field(boolean(), default=False),
    }
)

INPUT_FIELD = obj(
    {
        "slug": Field(string()),
        "type": Field(enum(*FIELD_TYPES), required=True),
        "label": Field(string(), required=True),
        "description": Field(string(nullable=True)),
        "required": Field(boolean(), default=False),
        "order": Field(number(minimum=0, integer=True), required=True),
        "options": Field(array(string())),
        "fileTypes": Field(array(string(), nullable=True)),
    }
)


def _assistant_fields(limits: Limits) -> dict[str, Field]:
    """Every field of create, all optional (update uses them as they are; create requires `name`)."""
    return {
        "name": Field(string(min_length=1, max_length=limits.name)),
        "description": Field(string(max_length=limits.description, nullable=True)),
        "emoji": Field(string(nullable=True)),
        "instruction": Field(string(max_length=limits.instruction, nullable=True)),
        "inputType": Field(enum(*INPUT_TYPES)),
        "model": Field(string()),
        "creativity": Field(number(minimum=0, maximum=1)),
        "conversationStarters": Field(array(string())),
        "actions": Field(array(ACTION)),
        "inputFields": Field(array(INPUT_FIELD)),
        "attachments": Field(array(string(uuid=True))),
        "webSearch": Field(boolean()),
        "imageGeneration": Field(boolean()),
        "dataAnalyst": Field(boolean()),
        "canvas": Field(boolean()),
        "extendedThinking": Field(boolean()),
    }


class Schemas:
    def __init__(self, limits: Limits) -> None:
        fields = _assistant_fields(limits)
        self.create: Checker = obj({**fields, "name": Field(fields["name"].check, required=True)})
        self.update: Checker = obj({"assistantId": Field(string(uuid=True), required=True), **fields})
        self.disable: Checker = obj(
            {
                "assistantId": Field(string(uuid=True), required=True),
                "disabled": Field(boolean(), required=True),
            }
        )
        self.delete_attachment: Checker = obj({"attachmentId": Field(string(uuid=True), required=True)})
