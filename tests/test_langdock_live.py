"""The documented Langdock calls, sent as users send them, through httpx against a real uvicorn.

The seed document's axios example (`POST {base}/api/public/assistant/v1/create` with
`Authorization: Bearer YOUR_API_KEY`), the OpenAPI create examples, each OpenAPI update example and
disable/enable; every response field is checked.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from gateway.app import Gateway
from tests.conftest import SettingsFactory, live_server
from tests.test_langdock_api import check_details

HEADERS = {"Authorization": "Bearer YOUR_API_KEY", "Content-Type": "application/json"}

# The seed document's "Creating a Basic Assistant" axios call, body as written there.
SEED_AXIOS_BODY = {
    "name": "Document Analyzer",
    "description": "Analyzes and summarizes documents",
    "emoji": "📄",
    "instruction": "You are a helpful assistant that analyzes documents and provides clear summaries of key information.",
    "creativity": 0.5,
    "conversationStarters": ["Summarize this document", "What are the key points?", "Extract action items"],
    "dataAnalyst": True,
    "webSearch": False,
}

# The seed document's curl example (its documented answer has codeInterpreterEnabled: true).
SEED_CURL_BODY = {
    "name": "Document Analyzer",
    "description": "Analyzes and summarizes documents",
    "emoji": "📄",
    "instruction": "You are a helpful assistant that analyzes documents.",
    "creativity": 0.5,
    "dataAnalyst": True,
}

# specs/langdock-openapi.yml, /assistant/v1/create examples.
BASIC_AGENT = {
    "name": "Document Analyzer",
    "description": "Analyzes and summarizes documents",
    "emoji": "📄",
    "instruction": "You are a helpful agent that analyzes documents.",
    "creativity": 0.5,
}
AGENT_WITH_ACTIONS = {
    "name": "Email Agent",
    "description": "Helps manage and send emails",
    "emoji": "📧",
    "instruction": "You are an email agent.",
    "model": "gpt-5-mini",
    "creativity": 0.7,
    "conversationStarters": ["Send an email to my team", "Draft a follow-up email"],
    "actions": [{"actionId": "action-uuid", "requiresConfirmation": True}],
    "webSearch": True,
}
STRUCTURED_INPUT_AGENT = {
    "name": "Invoice Analyzer",
    "description": "Analyzes invoices",
    "emoji": "🧾",
    "instruction": "You are an invoice analysis agent.",
    "inputType": "STRUCTURED",
    "inputFields": [
        {
            "slug": "customer_name",
            "type": "TEXT",
            "label": "Customer Name",
            "description": "Enter customer name",
            "required": True,
            "order": 0,
            "options": [],
        },
        {
            "slug": "invoice_date",
            "type": "DATE",
            "label": "Invoice Date",
            "required": True,
            "order": 1,
            "options": [],
        },
    ],
}

# specs/langdock-openapi.yml, /assistant/v1/update examples (assistantId replaced by a real one).
UPDATE_BASIC_PROPERTIES = {
    "name": "Advanced Document Analyzer",
    "description": "Analyzes documents with enhanced capabilities",
    "creativity": 0.7,
}
ENABLE_CAPABILITIES = {
    "webSearch": True,
    "conversationStarters": ["Search the web for recent news", "Analyze this data"],
}
UPDATE_ACTIONS = {
    "actions": [
        {"actionId": "action-uuid-1", "requiresConfirmation": True},
        {"actionId": "action-uuid-2", "requiresConfirmation": False},
    ]
}
CLEAR_FIELDS = {"description": None, "emoji": None}


@pytest.fixture
def base(make_settings: SettingsFactory) -> Iterator[str]:
    """The gateway's Langdock base URL on a real uvicorn (replaces https://api.langdock.com)."""
    with live_server(Gateway(make_settings()).app()) as url:
        yield f"{url}/langdock"


@pytest.fixture
def keyed_base(make_settings: SettingsFactory) -> Iterator[str]:
    config = '[[auth.keys]]\nkey = "YOUR_API_KEY"\ntenant = "acme"\nscopes = ["ASSISTANT_API"]\n'
    with live_server(Gateway(make_settings(config)).app()) as url:
        yield f"{url}/langdock"


def post_create(
    client: httpx.Client, body: dict[str, Any], path: str = "/assistant/v1/create"
) -> dict[str, Any]:
    response = client.post(path, json=body, headers=HEADERS)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    assert list(answer) == ["status", "message", "assistant"]
    assert (answer["status"], answer["message"]) == ("success", "Assistant created successfully")
    return answer["assistant"]


def fetch(client: httpx.Client, assistant_id: str) -> dict[str, Any]:
    response = client.get(
        "/api/public/assistant/v1/get", params={"assistantId": assistant_id}, headers=HEADERS
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert list(answer) == ["status", "assistant"] and answer["status"] == "success"
    return answer["assistant"]


def patch(client: httpx.Client, assistant_id: str, example: dict[str, Any]) -> dict[str, Any]:
    response = client.patch(
        "/assistant/v1/update", json={"assistantId": assistant_id, **example}, headers=HEADERS
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert list(answer) == ["status", "message", "assistant"]
    assert (answer["status"], answer["message"]) == ("success", "Assistant updated successfully")
    return answer["assistant"]


def seed_expectation() -> dict[str, Any]:
    return {
        "name": "Document Analyzer",
        "description": "Analyzes and summarizes documents",
        "emojiIcon": "📄",
        "instruction": SEED_AXIOS_BODY["instruction"],
        "temperature": 0.5,
        "conversationStarters": SEED_AXIOS_BODY["conversationStarters"],
        "codeInterpreterEnabled": True,
    }


def test_seed_axios_example_unchanged(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        shown = post_create(client, SEED_AXIOS_BODY, "/api/public/assistant/v1/create")
        check_details(shown, **seed_expectation())
        assert fetch(client, shown["id"]) == shown


def test_seed_axios_example_with_a_configured_key(keyed_base: str) -> None:
    with httpx.Client(base_url=keyed_base) as client:
        shown = post_create(client, SEED_AXIOS_BODY, "/api/public/assistant/v1/create")
        check_details(shown, **seed_expectation())
        anonymous = client.post("/api/public/assistant/v1/create", json=SEED_AXIOS_BODY)
        assert anonymous.status_code == 401
        assert anonymous.json() == {"message": "Invalid or missing API key"}


def test_seed_curl_example_gives_the_documented_answer(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        shown = post_create(client, SEED_CURL_BODY)
        check_details(
            shown,
            name="Document Analyzer",
            description="Analyzes and summarizes documents",
            emojiIcon="📄",
            instruction="You are a helpful assistant that analyzes documents.",
            temperature=0.5,
            codeInterpreterEnabled=True,
        )


def test_openapi_create_examples(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        basic = post_create(client, BASIC_AGENT)
        check_details(
            basic,
            name="Document Analyzer",
            description="Analyzes and summarizes documents",
            emojiIcon="📄",
            instruction="You are a helpful agent that analyzes documents.",
            temperature=0.5,
        )
        actions = post_create(client, AGENT_WITH_ACTIONS)
        check_details(
            actions,
            name="Email Agent",
            description="Helps manage and send emails",
            emojiIcon="📧",
            instruction="You are an email agent.",
            model="gpt-5-mini",
            temperature=0.7,
            conversationStarters=["Send an email to my team", "Draft a follow-up email"],
            actions=[{"actionId": "action-uuid", "requiresConfirmation": True}],
            webSearchEnabled=True,
        )
        structured = post_create(client, STRUCTURED_INPUT_AGENT)
        check_details(
            structured,
            name="Invoice Analyzer",
            description="Analyzes invoices",
            emojiIcon="🧾",
            instruction="You are an invoice analysis agent.",
            inputType="STRUCTURED",
            inputFields=[
                {
                    "slug": "customer_name",
                    "type": "TEXT",
                    "label": "Customer Name",
                    "description": "Enter customer name",
                    "required": True,
                    "order": 0,
                    "options": [],
                    "fileTypes": None,
                },
                {
                    "slug": "invoice_date",
                    "type": "DATE",
                    "label": "Invoice Date",
                    "description": "",
                    "required": True,
                    "order": 1,
                    "options": [],
                    "fileTypes": None,
                },
            ],
        )
        for shown in (basic, actions, structured):
            assert fetch(client, shown["id"]) == shown
        assert len({basic["id"], actions["id"], structured["id"]}) == 3


def test_openapi_update_examples_in_turn(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        created = post_create(client, BASIC_AGENT)
        expected: dict[str, Any] = {
            "name": "Document Analyzer",
            "description": "Analyzes and summarizes documents",
            "emojiIcon": "📄",
            "instruction": "You are a helpful agent that analyzes documents.",
            "temperature": 0.5,
        }
        steps = [
            (
                UPDATE_BASIC_PROPERTIES,
                {
                    "name": "Advanced Document Analyzer",
                    "description": "Analyzes documents with enhanced capabilities",
                    "temperature": 0.7,
                },
            ),
            (
                ENABLE_CAPABILITIES,
                {
                    "webSearchEnabled": True,
                    "conversationStarters": ["Search the web for recent news", "Analyze this data"],
                },
            ),
            (UPDATE_ACTIONS, {"actions": UPDATE_ACTIONS["actions"]}),
            (CLEAR_FIELDS, {"description": None, "emojiIcon": None}),
        ]
        previous = created
        for example, changes in steps:
            expected.update(changes)
            shown = patch(client, created["id"], example)
            check_details(shown, **expected)
            assert shown["id"] == created["id"]
            assert shown["createdAt"] == created["createdAt"]
            assert shown["updatedAt"] >= previous["updatedAt"]
            assert fetch(client, created["id"]) == shown
            previous = shown


def test_disable_then_enable(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        created = post_create(client, STRUCTURED_INPUT_AGENT)
        for disabled, message in (
            (True, "Assistant disabled successfully"),
            (False, "Assistant enabled successfully"),
        ):
            response = client.patch(
                "/api/public/assistant/v1/disable",
                json={"assistantId": created["id"], "disabled": disabled},
                headers=HEADERS,
            )
            assert response.status_code == 200
            assert response.json() == {"status": "success", "message": message}
            shown = fetch(client, created["id"])
            assert {k: v for k, v in shown.items() if k != "updatedAt"} == {
                k: v for k, v in created.items() if k != "updatedAt"
            }


def test_models_and_attachments_round_trip(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        models = client.get("/assistant/v1/models", headers=HEADERS)
        assert models.status_code == 200
        assert models.json()["data"][:2] == [
            {"id": "gpt-5", "object": "model", "created": 1686935735000, "owned_by": "system"},
            {"id": "gpt-5-mini", "object": "model", "created": 1686935735000, "owned_by": "system"},
        ]
        uploaded = client.post(
            "/attachment/v1/upload",
            files={"file": ("example.pdf", b"%PDF-1.7 " + b"0" * 4096, "application/pdf")},
            headers={"Authorization": "Bearer YOUR_API_KEY"},
        )
        assert uploaded.status_code == 200
        attachment_id = uploaded.json()["attachmentId"]
        assert uploaded.json()["file"] == {
            "name": "example.pdf",
            "mimeType": "application/pdf",
            "sizeInBytes": 4105,
        }
        shown = post_create(client, {**BASIC_AGENT, "attachments": [attachment_id]})
        assert shown["attachments"] == [attachment_id]
        deleted = client.request(
            "DELETE", "/attachment/v1/delete", json={"attachmentId": attachment_id}, headers=HEADERS
        )
        assert deleted.json() == {
            "success": True,
            "message": "Attachment deleted successfully",
            "attachmentId": attachment_id,
        }


# What axios 1.x puts on the wire for the seed's call, as captured from axios 1.21.1 on Node 20 with
# only the host replaced: these headers in this order, and JSON.stringify's compact body (raw UTF-8).
AXIOS_HEADERS = [
    ("Accept", "application/json, text/plain, */*"),
    ("Content-Type", "application/json"),
    ("Authorization", "Bearer YOUR_API_KEY"),
    ("User-Agent", "axios/1.21.1"),
    ("Content-Length", "365"),
    ("Accept-Encoding", "gzip, compress, deflate, br"),
]


def axios_replay(base_url: str) -> http.client.HTTPResponse:
    """The seed's axios request, byte for byte, on a raw socket (no client library in between)."""
    parts = urlsplit(base_url)
    body = json.dumps(SEED_AXIOS_BODY, separators=(",", ":"), ensure_ascii=False).encode()
    assert len(body) == 365  # what axios sent: the body is JSON.stringify's
    head = [f"POST {parts.path}/api/public/assistant/v1/create HTTP/1.1"]
    head += [f"{name}: {value}" for name, value in AXIOS_HEADERS]
    head += [f"Host: {parts.netloc}", "Connection: keep-alive", "", ""]
    sock = socket.create_connection((parts.hostname, parts.port), timeout=15)
    sock.sendall("\r\n".join(head).encode() + body)
    response = http.client.HTTPResponse(sock, method="POST")
    response.begin()
    sock.close()  # the response keeps its own reference to the file it reads from
    return response


@pytest.mark.parametrize("fixture", ["base", "keyed_base"])
def test_seed_axios_request_byte_for_byte(fixture: str, request: pytest.FixtureRequest) -> None:
    base_url = request.getfixturevalue(fixture)
    response = axios_replay(base_url)
    try:
        assert response.status == 201
        assert response.getheader("content-type") == "application/json"
        assert response.getheader("content-encoding") is None  # axios would inflate it, but none is needed
        answer = json.loads(response.read())
    finally:
        response.close()
    assert list(answer) == ["status", "message", "assistant"]
    assert (answer["status"], answer["message"]) == ("success", "Assistant created successfully")
    check_details(answer["assistant"], **seed_expectation())  # `response.data.assistant.id` is there
    with httpx.Client(base_url=base_url) as client:
        assert fetch(client, answer["assistant"]["id"]) == answer["assistant"]


ERROR_KEYS = """
[[auth.keys]]
key = "YOUR_API_KEY"
tenant = "acme"
scopes = ["AGENT_API"]

[[auth.keys]]
key = "sk-usage-only"
tenant = "acme"
scopes = ["USAGE_EXPORT_API"]

[[auth.keys]]
key = "sk-other-workspace"
tenant = "globex"
scopes = ["AGENT_API"]

[dialects.langdock]
models = [{ id = "gpt-5", extended_thinking = true }, { id = "gpt-4o" }]
"""


@pytest.fixture
def error_base(make_settings: SettingsFactory) -> Iterator[str]:
    with live_server(Gateway(make_settings(ERROR_KEYS)).app()) as url:
        yield f"{url}/langdock"


def test_documented_errors_over_http(error_base: str) -> None:
    """Each documented error, with its body, as a real client meets it on a real server."""
    unknown = "550e8400-e29b-41d4-a716-446655440000"
    usage = {"Authorization": "Bearer sk-usage-only"}
    other = {"Authorization": "Bearer sk-other-workspace"}
    required_name = {
        "code": "invalid_type",
        "expected": "string",
        "received": "undefined",
        "path": ["name"],
        "message": "Required",
    }
    with httpx.Client(base_url=error_base, headers={"Authorization": "Bearer YOUR_API_KEY"}) as client:
        mine = post_create(client, BASIC_AGENT)["id"]
        cases: list[tuple[str, str, dict[str, Any], int, Any]] = [
            ("POST", "/assistant/v1/create", {"json": {}}, 400, {"message": [required_name]}),
            (
                "POST",
                "/assistant/v1/create",
                {"content": b"{nope"},
                400,
                {"message": "Invalid JSON in request body"},
            ),
            (
                "POST",
                "/assistant/v1/create",
                {"json": {"name": "x", "extendedThinking": True, "model": "gpt-4o"}},
                400,
                {"message": "Extended thinking is not supported by the selected model"},
            ),
            (
                "GET",
                "/api/public/assistant/v1/get",
                {"params": {"assistantId": "asst_123"}},
                400,
                {"message": "Invalid assistant ID format"},
            ),
            (
                "GET",
                "/assistant/v1/get",
                {"params": {"assistantId": mine}, "headers": {"Authorization": ""}},
                401,
                {"message": "Invalid or missing API key"},
            ),
            (
                "PATCH",
                "/assistant/v1/update",
                {"json": {"assistantId": mine}, "headers": {"Authorization": "Bearer sk-nope"}},
                401,
                {"message": "Invalid or missing API key"},
            ),
            (
                "POST",
                "/api/public/attachment/v1/upload",
                {"files": {"file": ("a.txt", b"a")}, "headers": {"Authorization": "Bearer sk-nope"}},
                401,
                {"error": "Invalid API key"},
            ),
            (
                "POST",
                "/assistant/v1/create",
                {"json": BASIC_AGENT, "headers": usage},
                403,
                {"message": "Insufficient permissions - requires AGENT_API scope"},
            ),
            (
                "GET",
                "/assistant/v1/get",
                {"params": {"assistantId": mine}, "headers": other},
                404,
                {"message": "Agent not found"},
            ),
            (
                "GET",
                "/assistant/v1/get",
                {"params": {"assistantId": unknown}},
                404,
                {"message": "Agent not found"},
            ),
            (
                "PATCH",
                "/assistant/v1/update",
                {"json": {"assistantId": unknown, **UPDATE_BASIC_PROPERTIES}},
                404,
                {"message": "Agent not found"},
            ),
            (
                "PATCH",
                "/assistant/v1/disable",
                {"json": {"assistantId": mine, "disabled": True}, "headers": other},
                404,
                {"message": "Agent not found"},
            ),
            (
                "POST",
                "/assistant/v1/create",
                {"json": {**BASIC_AGENT, "model": "gpt-5-mini"}},
                404,
                {"message": "Model not found"},
            ),
            (
                "PATCH",
                "/assistant/v1/update",
                {"json": {"assistantId": mine, "attachments": [unknown]}},
                404,
                {"message": "Attachment not found"},
            ),
            (
                "POST",
                "/attachment/v1/upload",
                {"data": {"file": "not a file"}, "headers": {"Authorization": "Bearer YOUR_API_KEY"}},
                400,
                {"error": "No file provided"},
            ),
            (
                "DELETE",
                "/attachment/v1/delete",
                {"json": {"attachmentId": unknown}},
                404,
                {"message": "Attachment not found"},
            ),
        ]
        for method, path, kwargs, status, body in cases:
            response = client.request(method, path, **kwargs)
            assert (response.status_code, response.json()) == (status, body), (method, path)
            assert response.headers["content-type"] == "application/json"
        assert fetch(client, mine)["name"] == BASIC_AGENT["name"]  # none of it changed anything
