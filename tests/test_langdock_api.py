"""Langdock dialect over HTTP (in process): every route, the field mapping, the defaults and the 4xx bodies.

The seed and OpenAPI examples themselves run against a real uvicorn in test_langdock_live.py.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import SettingsFactory, in_process

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
DETAIL_KEYS = [
    "id",
    "name",
    "description",
    "instruction",
    "emojiIcon",
    "model",
    "temperature",
    "conversationStarters",
    "inputType",
    "webSearchEnabled",
    "imageGenerationEnabled",
    "codeInterpreterEnabled",
    "canvasEnabled",
    "extendedThinking",
    "actions",
    "inputFields",
    "attachments",
    "createdAt",
    "updatedAt",
]

MODELS_TOML = """
[dialects.langdock]
default_model = "gpt-5-mini"

[[dialects.langdock.models]]
id = "gpt-5"
uuid = "ACBC6237-75AD-4C9B-897F-C99393B74A54"
extended_thinking = true

[[dialects.langdock.models]]
id = "gpt-5-mini"
created = 1700000000000

[[dialects.langdock.models]]
id = "claude-sonnet-4-5@20250929"
uuid = "0b6a4f2e-2f5c-4d0e-9d7e-2f1c3b4a5d6e"
"""


def expected_details(**fields: Any) -> dict[str, Any]:
    """An AssistantDetails body with Langdock's defaults, minus id and timestamps (checked apart)."""
    base: dict[str, Any] = {
        "name": "",
        "description": None,
        "instruction": None,
        "emojiIcon": None,
        "model": "gpt-5",
        "temperature": 0.3,
        "conversationStarters": [],
        "inputType": "PROMPT",
        "webSearchEnabled": False,
        "imageGenerationEnabled": False,
        "codeInterpreterEnabled": False,
        "canvasEnabled": False,
        "extendedThinking": False,
        "actions": [],
        "inputFields": [],
        "attachments": [],
    }
    base.update(fields)
    return base


def check_details(shown: dict[str, Any], **fields: Any) -> None:
    """Every key, in order, with its value; id a UUID; timestamps JavaScript ISO strings."""
    assert list(shown) == DETAIL_KEYS
    assert str(uuid.UUID(shown["id"])) == shown["id"]
    assert ISO_MS.match(shown["createdAt"]) and ISO_MS.match(shown["updatedAt"]), shown
    assert shown["updatedAt"] >= shown["createdAt"]
    rest = {k: v for k, v in shown.items() if k not in ("id", "createdAt", "updatedAt")}
    assert rest == expected_details(**fields)


@pytest.fixture
def langdock(make_settings: SettingsFactory) -> Iterator[httpx.Client]:
    with in_process(make_settings(), "http://testserver/langdock") as client:
        yield client


def create(client: httpx.Client, **body: Any) -> dict[str, Any]:
    body.setdefault("name", "Test assistant")
    response = client.post("/assistant/v1/create", json=body)
    assert response.status_code == 201, response.text
    return response.json()["assistant"]


def get(client: httpx.Client, assistant_id: str) -> dict[str, Any]:
    response = client.get("/assistant/v1/get", params={"assistantId": assistant_id})
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["status", "assistant"] and body["status"] == "success"
    return body["assistant"]


def update(client: httpx.Client, assistant_id: str, **body: Any) -> dict[str, Any]:
    response = client.patch("/assistant/v1/update", json={"assistantId": assistant_id, **body})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["status"] == "success" and answer["message"] == "Assistant updated successfully"
    return answer["assistant"]


def version_count(client: httpx.Client, assistant_id: str) -> int:
    url = client.base_url.copy_with(path=f"/langsmith/assistants/{assistant_id}/versions")
    response = client.post(url, json={"limit": 1000})
    assert response.status_code == 200
    return len(response.json())


# -- create ------------------------------------------------------------------------------------------


def test_minimal_create_stores_the_documented_defaults(langdock: httpx.Client) -> None:
    response = langdock.post("/assistant/v1/create", json={"name": "Minimal"})
    assert response.status_code == 201
    body = response.json()
    assert list(body) == ["status", "message", "assistant"]
    assert (body["status"], body["message"]) == ("success", "Assistant created successfully")
    check_details(body["assistant"], name="Minimal")
    assert body["assistant"]["createdAt"] == body["assistant"]["updatedAt"]
    assert get(langdock, body["assistant"]["id"]) == body["assistant"]


def test_every_create_field_is_stored_and_returned(langdock: httpx.Client) -> None:
    attachment = upload(langdock, b"%PDF-1.4", "brief.pdf", "application/pdf")
    body = {
        "name": "Everything",
        "description": "all of it",
        "emoji": "🤖",
        "instruction": "Be thorough.",
        "inputType": "STRUCTURED",
        "model": "gpt-5-mini",
        "creativity": 1,
        "conversationStarters": ["one", "two"],
        "actions": [
            {"actionId": "3c90c3cc-0d44-4b50-8888-8dd25736052a"},
            {"actionId": "x", "requiresConfirmation": True},
        ],
        "inputFields": [
            {
                "slug": "file",
                "type": "FILE",
                "label": "File",
                "description": "Upload it",
                "required": True,
                "order": 0,
                "fileTypes": ["pdf"],
            },
            {"slug": "kind", "type": "SELECT", "label": "Kind", "order": 1, "options": ["a", "b"]},
        ],
        "attachments": [attachment],
        "webSearch": True,
        "imageGeneration": True,
        "dataAnalyst": True,
        "canvas": True,
        "extendedThinking": True,
    }
    shown = create(langdock, **body)
    check_details(
        shown,
        name="Everything",
        description="all of it",
        emojiIcon="🤖",
        instruction="Be thorough.",
        inputType="STRUCTURED",
        model="gpt-5-mini",
        temperature=1.0,
        conversationStarters=["one", "two"],
        actions=[
            {"actionId": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "requiresConfirmation": False},
            {"actionId": "x", "requiresConfirmation": True},
        ],
        inputFields=[
            {
                "slug": "file",
                "type": "FILE",
                "label": "File",
                "description": "Upload it",
                "required": True,
                "order": 0,
                "options": [],
                "fileTypes": ["pdf"],
            },
            {
                "slug": "kind",
                "type": "SELECT",
                "label": "Kind",
                "description": "",
                "required": False,
                "order": 1,
                "options": ["a", "b"],
                "fileTypes": None,
            },
        ],
        attachments=[attachment],
        webSearchEnabled=True,
        imageGenerationEnabled=True,
        codeInterpreterEnabled=True,
        canvasEnabled=True,
        extendedThinking=True,
    )
    assert get(langdock, shown["id"]) == shown


def test_input_fields_without_slug_get_one_from_the_label(langdock: httpx.Client) -> None:
    # Langdock staff's clone script sends fields without slug, and SELECT without options.
    fields = [
        {"type": "TEXT", "label": "Customer Name", "description": "", "required": True, "order": 0},
        {"type": "SELECT", "label": "Customer name!", "required": False, "order": 1},
        {"type": "DATE", "label": "???", "order": 2},
        {"slug": "customer_name_3", "type": "NUMBER", "label": "n", "order": 3},
    ]
    shown = create(langdock, inputType="STRUCTURED", inputFields=fields)
    assert [f["slug"] for f in shown["inputFields"]] == [
        "customer_name",
        "customer_name_2",
        "field",
        "customer_name_3",
    ]
    assert shown["inputFields"][1]["options"] == []


def test_null_and_empty_optional_strings_on_create_mean_unset(langdock: httpx.Client) -> None:
    shown = create(langdock, description=None, instruction="", emoji=None)
    check_details(shown, name="Test assistant")


def test_model_by_id_or_uuid_and_the_workspace_default(make_settings: SettingsFactory) -> None:
    with in_process(make_settings(MODELS_TOML), "http://testserver/langdock") as client:
        assert create(client)["model"] == "gpt-5-mini"  # the configured default
        assert create(client, model="acbc6237-75ad-4c9b-897f-c99393b74a54")["model"] == "gpt-5"
        assert create(client, model="ACBC6237-75AD-4C9B-897F-C99393B74A54")["model"] == "gpt-5"
        assert create(client, model="claude-sonnet-4-5@20250929")["model"] == "claude-sonnet-4-5@20250929"
        for unknown in ("gpt-4o", "GPT-5", "3c90c3cc-0d44-4b50-8888-8dd25736052a", ""):
            response = client.post("/assistant/v1/create", json={"name": "x", "model": unknown})
            assert response.status_code == 404, unknown
            assert response.json() == {"message": "Model not found"}
        listing = client.get("/assistant/v1/models")
        assert listing.status_code == 200
        assert listing.headers["content-type"] == "application/json"
        assert listing.json() == {
            "object": "list",
            "data": [
                {"id": "gpt-5", "object": "model", "created": 1686935735000, "owned_by": "system"},
                {"id": "gpt-5-mini", "object": "model", "created": 1700000000000, "owned_by": "system"},
                {
                    "id": "claude-sonnet-4-5@20250929",
                    "object": "model",
                    "created": 1686935735000,
                    "owned_by": "system",
                },
            ],
        }


def test_default_models_listing(langdock: httpx.Client) -> None:
    listing = langdock.get("/api/public/assistant/v1/models").json()
    assert listing["object"] == "list"
    assert [m["id"] for m in listing["data"]] == ["gpt-5", "gpt-5-mini", "gpt-4o", "gpt-4o-mini"]
    assert all(m["created"] == 1686935735000 and m["owned_by"] == "system" for m in listing["data"])


def test_extended_thinking_needs_a_model_that_has_it(make_settings: SettingsFactory) -> None:
    with in_process(make_settings(MODELS_TOML), "http://testserver/langdock") as client:
        refused = client.post("/assistant/v1/create", json={"name": "x", "extendedThinking": True})
        assert refused.status_code == 400
        assert refused.json() == {"message": "Extended thinking is not supported by the selected model"}
        shown = create(client, model="gpt-5", extendedThinking=True)
        assert shown["extendedThinking"] is True
        # switching to a model without it, while it stays on, is refused and changes nothing
        response = client.patch(
            "/assistant/v1/update", json={"assistantId": shown["id"], "model": "gpt-5-mini"}
        )
        assert response.status_code == 400
        assert get(client, shown["id"])["model"] == "gpt-5"
        moved = update(client, shown["id"], model="gpt-5-mini", extendedThinking=False)
        assert (moved["model"], moved["extendedThinking"]) == ("gpt-5-mini", False)
        assert create(client, extendedThinking=False)["extendedThinking"] is False


def test_limit_profiles(make_settings: SettingsFactory) -> None:
    with in_process(make_settings(), "http://testserver/langdock") as client:
        assert create(client, name="n" * 255, description="d" * 256, instruction="i" * 16384)
        too_long = client.post("/assistant/v1/create", json={"name": "n" * 256, "description": "d" * 257})
        assert too_long.status_code == 400
        assert too_long.json() == {
            "message": [
                {
                    "code": "too_big",
                    "maximum": 255,
                    "type": "string",
                    "inclusive": True,
                    "exact": False,
                    "message": "String must contain at most 255 character(s)",
                    "path": ["name"],
                },
                {
                    "code": "too_big",
                    "maximum": 256,
                    "type": "string",
                    "inclusive": True,
                    "exact": False,
                    "message": "String must contain at most 256 character(s)",
                    "path": ["description"],
                },
            ]
        }
        # JavaScript counts UTF-16 code units: an emoji outside the BMP is two
        assert client.post("/assistant/v1/create", json={"name": "🤖" * 128}).status_code == 400
        assert create(client, name="🤖" * 127 + "x")
    newest = '[dialects.langdock]\nlimits = "newest"\n'
    with in_process(make_settings(newest), "http://testserver/langdock") as client:
        assert create(client, name="n" * 80, description="d" * 500, instruction="i" * 40000)
        response = client.post(
            "/assistant/v1/create",
            json={"name": "n" * 81, "description": "d" * 501, "instruction": "i" * 40001},
        )
        assert response.status_code == 400
        assert [(i["path"], i["maximum"]) for i in response.json()["message"]] == [
            (["name"], 80),
            (["description"], 500),
            (["instruction"], 40000),
        ]


# -- get ---------------------------------------------------------------------------------------------


def test_get_errors(langdock: httpx.Client) -> None:
    missing = langdock.get("/assistant/v1/get")
    assert missing.status_code == 400
    assert missing.json() == {
        "message": [
            {
                "code": "invalid_type",
                "expected": "string",
                "received": "undefined",
                "path": ["assistantId"],
                "message": "Required",
            }
        ]
    }
    for bad in ("nope", "", "3c90c3cc0d444b5088888dd25736052a", "{3c90c3cc-0d44-4b50-8888-8dd25736052a}"):
        response = langdock.get("/assistant/v1/get", params={"assistantId": bad})
        assert response.status_code == 400, bad
        assert response.json() == {"message": "Invalid assistant ID format"}
    unknown = langdock.get("/assistant/v1/get", params={"assistantId": str(uuid.uuid4())})
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "Agent not found"}


def test_get_accepts_upper_case_ids_and_both_prefixes(langdock: httpx.Client) -> None:
    shown = create(langdock)
    assert get(langdock, shown["id"].upper()) == shown
    public = langdock.get("/api/public/assistant/v1/get", params={"assistantId": shown["id"]})
    assert public.json()["assistant"] == shown


# -- update ------------------------------------------------------------------------------------------


def test_partial_update_touches_only_named_fields(langdock: httpx.Client) -> None:
    full = create(
        langdock,
        description="d",
        emoji="🧾",
        instruction="i",
        creativity=0.9,
        conversationStarters=["s"],
        actions=[{"actionId": "a"}],
        webSearch=True,
    )
    renamed = update(langdock, full["id"], name="Renamed")
    assert renamed == {**full, "name": "Renamed", "updatedAt": renamed["updatedAt"]}
    assert renamed["createdAt"] == full["createdAt"]


def test_arrays_replace_and_empty_arrays_clear(langdock: httpx.Client) -> None:
    attachments = [
        upload(langdock, b"a", "a.txt", "text/plain"),
        upload(langdock, b"b", "b.txt", "text/plain"),
    ]
    shown = create(
        langdock,
        conversationStarters=["a", "b"],
        actions=[{"actionId": "one"}, {"actionId": "two"}],
        inputFields=[{"slug": "s", "type": "TEXT", "label": "S", "order": 0}],
        attachments=attachments,
    )
    replaced = update(
        langdock,
        shown["id"],
        conversationStarters=["c"],
        actions=[{"actionId": "three", "requiresConfirmation": True}],
        attachments=attachments[1:],
    )
    assert replaced["conversationStarters"] == ["c"]
    assert replaced["actions"] == [{"actionId": "three", "requiresConfirmation": True}]
    assert replaced["attachments"] == attachments[1:]
    assert replaced["inputFields"] == shown["inputFields"]
    cleared = update(
        langdock, shown["id"], conversationStarters=[], actions=[], inputFields=[], attachments=[]
    )
    assert [cleared[k] for k in ("conversationStarters", "actions", "inputFields", "attachments")] == [
        [],
        [],
        [],
        [],
    ]


@pytest.mark.parametrize("empty", [None, ""])
def test_null_or_empty_string_clears_description_instruction_and_emoji(
    langdock: httpx.Client, empty: Any
) -> None:
    shown = create(langdock, description="d", instruction="i", emoji="📄")
    cleared = update(langdock, shown["id"], description=empty, instruction=empty, emoji=empty)
    assert (cleared["description"], cleared["instruction"], cleared["emojiIcon"]) == (None, None, None)
    assert get(langdock, shown["id"]) == cleared


def test_update_nulls_where_the_schema_has_no_null_are_refused(langdock: httpx.Client) -> None:
    shown = create(langdock)
    for key in ("name", "model", "creativity", "inputType", "conversationStarters", "actions", "webSearch"):
        response = langdock.patch("/assistant/v1/update", json={"assistantId": shown["id"], key: None})
        assert response.status_code == 400, key
        (issue,) = response.json()["message"]
        assert issue["code"] == "invalid_type" and issue["received"] == "null" and issue["path"] == [key]
    assert get(langdock, shown["id"]) == shown


def test_update_with_only_the_id_changes_nothing(langdock: httpx.Client) -> None:
    shown = create(langdock)
    assert update(langdock, shown["id"]) == shown
    assert version_count(langdock, shown["id"]) == 1
    update(langdock, shown["id"], webSearch=True)
    assert version_count(langdock, shown["id"]) == 2


def test_update_errors(langdock: httpx.Client) -> None:
    unknown = langdock.patch("/assistant/v1/update", json={"assistantId": str(uuid.uuid4()), "name": "x"})
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "Agent not found"}
    bad_id = langdock.patch("/assistant/v1/update", json={"assistantId": "nope", "name": "x"})
    assert bad_id.status_code == 400
    assert bad_id.json() == {
        "message": [
            {
                "validation": "uuid",
                "code": "invalid_string",
                "message": "Invalid uuid",
                "path": ["assistantId"],
            }
        ]
    }
    no_id = langdock.patch("/assistant/v1/update", json={"name": "x"})
    assert no_id.status_code == 400
    assert no_id.json()["message"][0]["path"] == ["assistantId"]
    shown = create(langdock)
    model = langdock.patch("/assistant/v1/update", json={"assistantId": shown["id"], "model": "nope"})
    assert model.status_code == 404
    assert model.json() == {"message": "Model not found"}


# -- disable -----------------------------------------------------------------------------------------


def test_disable_and_enable(langdock: httpx.Client) -> None:
    shown = create(langdock, emoji="🔒")
    for disabled, message in (
        (True, "Assistant disabled successfully"),
        (False, "Assistant enabled successfully"),
    ):
        for _ in range(2):  # idempotent
            response = langdock.patch(
                "/assistant/v1/disable", json={"assistantId": shown["id"], "disabled": disabled}
            )
            assert response.status_code == 200
            assert response.json() == {"status": "success", "message": message}
        # a disabled assistant stays readable and manageable; the view does not change
        current = get(langdock, shown["id"])
        assert {k: v for k, v in current.items() if k not in ("name", "updatedAt")} == {
            k: v for k, v in shown.items() if k not in ("name", "updatedAt")
        }
        renamed = update(langdock, shown["id"], name=f"still editable {disabled}")
        assert renamed["name"] == f"still editable {disabled}"


def test_disable_errors(langdock: httpx.Client) -> None:
    shown = create(langdock)
    missing = langdock.patch("/assistant/v1/disable", json={"assistantId": shown["id"]})
    assert missing.status_code == 400
    assert missing.json() == {
        "message": [
            {
                "code": "invalid_type",
                "expected": "boolean",
                "received": "undefined",
                "path": ["disabled"],
                "message": "Required",
            }
        ]
    }
    wrong = langdock.patch("/assistant/v1/disable", json={"assistantId": shown["id"], "disabled": "true"})
    assert wrong.status_code == 400
    assert wrong.json()["message"][0]["message"] == "Expected boolean, received string"
    unknown = langdock.patch(
        "/assistant/v1/disable", json={"assistantId": str(uuid.uuid4()), "disabled": True}
    )
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "Agent not found"}


# -- attachments -------------------------------------------------------------------------------------


def upload(client: httpx.Client, content: bytes, name: str, mime: str) -> str:
    response = client.post("/attachment/v1/upload", files={"file": (name, content, mime)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == {
        "attachmentId": body["attachmentId"],
        "file": {"name": name, "mimeType": mime, "sizeInBytes": len(content)},
    }
    return body["attachmentId"]


def test_upload_and_delete_attachment(langdock: httpx.Client) -> None:
    attachment = upload(langdock, b"\x00\x01binary\xff" * 100, "data.bin", "application/octet-stream")
    assert str(uuid.UUID(attachment)) == attachment
    public = langdock.post(
        "/api/public/attachment/v1/upload", files={"file": ("r.md", b"# hi", "text/markdown")}
    )
    assert public.status_code == 200
    deleted = langdock.request("DELETE", "/attachment/v1/delete", json={"attachmentId": attachment})
    assert deleted.status_code == 200
    assert deleted.json() == {
        "success": True,
        "message": "Attachment deleted successfully",
        "attachmentId": attachment,
    }
    again = langdock.request("DELETE", "/attachment/v1/delete", json={"attachmentId": attachment})
    assert again.status_code == 404
    assert again.json() == {"message": "Attachment not found"}
    # a deleted attachment can no longer be given to an assistant
    refused = langdock.post("/assistant/v1/create", json={"name": "x", "attachments": [attachment]})
    assert refused.status_code == 404
    assert refused.json() == {"message": "Attachment not found"}


def test_assistant_attachments_must_exist(langdock: httpx.Client) -> None:
    shown = create(langdock)
    unknown = langdock.patch(
        "/assistant/v1/update", json={"assistantId": shown["id"], "attachments": [str(uuid.uuid4())]}
    )
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "Attachment not found"}
    not_uuid = langdock.patch("/assistant/v1/update", json={"assistantId": shown["id"], "attachments": ["x"]})
    assert not_uuid.status_code == 400
    assert not_uuid.json()["message"] == [
        {
            "validation": "uuid",
            "code": "invalid_string",
            "message": "Invalid uuid",
            "path": ["attachments", 0],
        }
    ]
    assert get(langdock, shown["id"]) == shown


def test_upload_errors(make_settings: SettingsFactory) -> None:
    settings = make_settings("[dialects.langdock]\nmax_attachment_bytes = 1000\n")
    with in_process(settings, "http://testserver/langdock") as client:
        for kwargs in (
            {"files": {"other": ("a.txt", b"a", "text/plain")}},
            {"data": {"file": "not a file"}},
            {"json": {"file": "x"}},
            {"content": b""},
            {"content": b"--x\r\nbroken", "headers": {"content-type": "multipart/form-data; boundary=x"}},
            {"content": b"abc", "headers": {"content-type": "multipart/form-data"}},
        ):
            response = client.post("/attachment/v1/upload", **kwargs)
            assert response.status_code == 400, kwargs
            assert response.json() == {"error": "No file provided"}
        assert upload(client, b"x" * 1000, "max.txt", "text/plain")
        too_big = client.post("/attachment/v1/upload", files={"file": ("big.txt", b"x" * 1001, "text/plain")})
        assert too_big.status_code == 413
        assert too_big.json() == {"error": "File too large (limit: 1000 bytes)"}

        def stream() -> Iterator[bytes]:  # no content-length: counted while reading
            yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="s.txt"\r\n\r\n'
            for _ in range(200):
                yield b"y" * 1000
            yield b"\r\n--b--\r\n"

        streamed = client.post(
            "/attachment/v1/upload",
            content=stream(),
            headers={"content-type": "multipart/form-data; boundary=b"},
        )
        assert streamed.status_code == 413
        no_type = client.post("/attachment/v1/upload", files={"file": ("n", b"1")})
        assert no_type.json()["file"]["mimeType"] == "application/octet-stream"


def test_delete_attachment_errors(langdock: httpx.Client) -> None:
    for body, errors in (
        (
            {},
            [
                {
                    "code": "invalid_type",
                    "expected": "string",
                    "received": "undefined",
                    "path": ["attachmentId"],
                    "message": "Required",
                }
            ],
        ),
        (
            {"attachmentId": "x"},
            [
                {
                    "validation": "uuid",
                    "code": "invalid_string",
                    "message": "Invalid uuid",
                    "path": ["attachmentId"],
                }
            ],
        ),
    ):
        response = langdock.request("DELETE", "/attachment/v1/delete", json=body)
        assert response.status_code == 400
        assert response.json() == {"message": "Invalid request body", "errors": errors}
    malformed = langdock.request("DELETE", "/attachment/v1/delete", content=b"{")
    assert malformed.status_code == 400
    assert malformed.json() == {"message": "Invalid JSON in request body", "errors": []}
    unknown = langdock.request("DELETE", "/attachment/v1/delete", json={"attachmentId": str(uuid.uuid4())})
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "Attachment not found"}


# -- framework ---------------------------------------------------------------------------------------


def test_framework_errors_use_the_message_body(langdock: httpx.Client) -> None:
    assert langdock.get("/assistant/v1/list").json() == {"message": "Not Found"}
    wrong_method = langdock.post("/assistant/v1/get")
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"message": "Method Not Allowed"}
    assert langdock.delete("/api/public/assistant/v1/create").status_code == 405
    malformed = langdock.post(
        "/assistant/v1/create", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    assert malformed.json() == {"message": "Invalid JSON in request body"}


def test_oversized_body_is_413(make_settings: SettingsFactory) -> None:
    settings = make_settings(overrides={"server.max_body_bytes": 1000})
    with in_process(settings, "http://testserver/langdock") as client:
        response = client.post("/assistant/v1/create", json={"name": "x" * 2000})
        assert response.status_code == 413
        assert response.json() == {"message": "Request body too large (limit: 1000 bytes)"}


def test_unknown_keys_are_ignored(langdock: httpx.Client) -> None:
    shown = create(langdock, tools=[{"x": 1}], assistantId=str(uuid.uuid4()), temperature=0.9)
    check_details(shown, name="Test assistant")


def test_disable_adds_a_version_only_when_the_state_changes(langdock: httpx.Client) -> None:
    shown = create(langdock)
    for disabled in (True, True, False, False, False):
        response = langdock.patch(
            "/assistant/v1/disable", json={"assistantId": shown["id"], "disabled": disabled}
        )
        assert response.status_code == 200
    assert version_count(langdock, shown["id"]) == 3


@pytest.mark.parametrize("prefix", ["", "/api/public"])
def test_every_route_answers_at_both_prefixes(langdock: httpx.Client, prefix: str) -> None:
    created = langdock.post(prefix + "/assistant/v1/create", json={"name": "Both"})
    assert created.status_code == 201
    assistant_id = created.json()["assistant"]["id"]
    got = langdock.get(prefix + "/assistant/v1/get", params={"assistantId": assistant_id})
    assert (got.status_code, got.json()["assistant"]) == (200, created.json()["assistant"])
    updated = langdock.patch(
        prefix + "/assistant/v1/update", json={"assistantId": assistant_id, "emoji": "🅿"}
    )
    assert (updated.status_code, updated.json()["assistant"]["emojiIcon"]) == (200, "🅿")
    disabled = langdock.patch(
        prefix + "/assistant/v1/disable", json={"assistantId": assistant_id, "disabled": True}
    )
    assert disabled.json() == {"status": "success", "message": "Assistant disabled successfully"}
    models = langdock.get(prefix + "/assistant/v1/models")
    assert (models.status_code, models.json()["object"]) == (200, "list")
    uploaded = langdock.post(prefix + "/attachment/v1/upload", files={"file": ("p.txt", b"p", "text/plain")})
    assert uploaded.status_code == 200
    attachment_id = uploaded.json()["attachmentId"]
    deleted = langdock.request(
        "DELETE", prefix + "/attachment/v1/delete", json={"attachmentId": attachment_id}
    )
    assert (deleted.status_code, deleted.json()["attachmentId"]) == (200, attachment_id)


def test_attachment_ids_are_stored_as_the_upload_answered_them(langdock: httpx.Client) -> None:
    attachment = upload(langdock, b"a", "a.txt", "text/plain")
    shown = create(langdock, attachments=[attachment.upper()])
    assert shown["attachments"] == [attachment]
    again = update(langdock, shown["id"], attachments=[attachment.upper(), attachment])
    assert again["attachments"] == [attachment, attachment]
