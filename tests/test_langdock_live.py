"""The documented Langdock calls, sent as users send them, through httpx against a real uvicorn.

The seed document's axios example (`POST {base}/api/public/assistant/v1/create` with
`Authorization: Bearer YOUR_API_KEY`), the OpenAPI create examples, each OpenAPI update example and
disable/enable; every response field is checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
