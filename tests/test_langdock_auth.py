"""Langdock keys: workspace (tenant) scoping, scopes, and the 401/403/404 bodies of every route."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import SettingsFactory, in_process

KEYS = """
[[auth.keys]]
key = "sk-acme-agent"
tenant = "acme"
user = "alice"
scopes = ["AGENT_API"]

[[auth.keys]]
key = "sk-acme-assistant"
tenant = "acme"
user = "bob"
scopes = ["ASSISTANT_API"]

[[auth.keys]]
key = "sk-acme-usage"
tenant = "acme"
scopes = ["USAGE_EXPORT_API"]

[[auth.keys]]
key = "sk-globex"
tenant = "globex"
scopes = ["AGENT_API"]

[dialects.langdock.workspaces.globex]
models = [{ id = "mistral-large", uuid = "9f0e2d1c-3b4a-4c5d-8e6f-7a8b9c0d1e2f" }]
"""

ALICE = {"Authorization": "Bearer sk-acme-agent"}
BOB = {"Authorization": "Bearer sk-acme-assistant"}
USAGE_ONLY = {"Authorization": "Bearer sk-acme-usage"}
GLOBEX = {"Authorization": "Bearer sk-globex"}

UNAUTHORIZED = {"message": "Invalid or missing API key"}
FORBIDDEN = {"message": "Insufficient permissions - requires AGENT_API scope"}


@pytest.fixture
def client(make_settings: SettingsFactory) -> Iterator[httpx.Client]:
    with in_process(make_settings(KEYS), "http://testserver/langdock") as client:
        yield client


def calls(assistant_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """One request per assistant route, each valid apart from its key."""
    return [
        ("POST", "/assistant/v1/create", {"json": {"name": "x"}}),
        ("GET", "/assistant/v1/get", {"params": {"assistantId": assistant_id}}),
        ("PATCH", "/assistant/v1/update", {"json": {"assistantId": assistant_id, "name": "y"}}),
        ("PATCH", "/assistant/v1/disable", {"json": {"assistantId": assistant_id, "disabled": True}}),
        ("GET", "/assistant/v1/models", {}),
    ]


def create(client: httpx.Client, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/assistant/v1/create", json={"name": "x", **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["assistant"]


def test_missing_and_unknown_keys_are_401(client: httpx.Client) -> None:
    assistant_id = create(client, ALICE)["id"]
    for headers in (
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic sk-acme-agent"},
        {"Authorization": "sk-acme-agent extra"},
        {"x-api-key": "sk-acme-agent"},
    ):
        for prefix in ("", "/api/public"):
            for method, path, kwargs in calls(assistant_id):
                response = client.request(method, prefix + path, headers=headers, **kwargs)
                assert response.status_code == 401, (headers, path)
                assert response.json() == UNAUTHORIZED
        upload = client.post("/attachment/v1/upload", files={"file": ("a", b"a")}, headers=headers)
        assert (upload.status_code, upload.json()) == (401, {"error": "Invalid API key"})
        delete = client.request(
            "DELETE", "/attachment/v1/delete", json={"attachmentId": str(uuid.uuid4())}, headers=headers
        )
        assert (delete.status_code, delete.json()) == (401, {"error": "Invalid API key"})
    assert (
        client.get("/assistant/v1/get", params={"assistantId": assistant_id}, headers=ALICE).json()[
            "assistant"
        ]["name"]
        == "x"
    )


def test_auth_comes_before_validation(client: httpx.Client) -> None:
    response = client.post("/assistant/v1/create", content=b"{broken")
    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)
    response = client.get("/assistant/v1/get", params={"assistantId": "nope"}, headers=USAGE_ONLY)
    assert (response.status_code, response.json()) == (403, FORBIDDEN)


def test_a_key_without_the_agent_scope_is_403(client: httpx.Client) -> None:
    assistant_id = create(client, ALICE)["id"]
    for method, path, kwargs in calls(assistant_id):
        response = client.request(method, path, headers=USAGE_ONLY, **kwargs)
        assert response.status_code == 403, path
        assert response.json() == FORBIDDEN
    upload = client.post("/attachment/v1/upload", files={"file": ("a", b"a")}, headers=USAGE_ONLY)
    assert (upload.status_code, upload.json()) == (403, FORBIDDEN)
    assert (
        client.get("/assistant/v1/get", params={"assistantId": assistant_id}, headers=ALICE).json()[
            "assistant"
        ]["name"]
        == "x"
    )  # the 403 update changed nothing


def test_both_scope_names_and_bare_keys_are_accepted(client: httpx.Client) -> None:
    made_by_bob = create(client, BOB)
    for headers in (
        ALICE,
        BOB,
        {"Authorization": "sk-acme-agent"},
        {"authorization": "bearer sk-acme-assistant"},
    ):
        response = client.get("/assistant/v1/get", params={"assistantId": made_by_bob["id"]}, headers=headers)
        assert response.status_code == 200, headers
        assert response.json()["assistant"] == made_by_bob


def test_another_workspace_sees_nothing(client: httpx.Client) -> None:
    assistant_id = create(client, ALICE, emoji="🔒")["id"]
    for method, path, kwargs in calls(assistant_id)[1:4]:
        response = client.request(method, path, headers=GLOBEX, **kwargs)
        assert response.status_code == 404, path
        assert response.json() == {"message": "Agent not found"}
    shown = client.get("/assistant/v1/get", params={"assistantId": assistant_id}, headers=ALICE).json()[
        "assistant"
    ]
    assert (shown["name"], shown["emojiIcon"]) == ("x", "🔒")
    # and the globex assistant is globex's own, with its own models
    globex = create(client, GLOBEX, model="9F0E2D1C-3B4A-4C5D-8E6F-7A8B9C0D1E2F")
    assert globex["model"] == "mistral-large"
    assert (
        client.get("/assistant/v1/get", params={"assistantId": globex["id"]}, headers=ALICE).status_code
        == 404
    )


def test_models_are_per_workspace(client: httpx.Client) -> None:
    acme = client.get("/assistant/v1/models", headers=ALICE).json()
    globex = client.get("/assistant/v1/models", headers=GLOBEX).json()
    assert [m["id"] for m in acme["data"]] == ["gpt-5", "gpt-5-mini", "gpt-4o", "gpt-4o-mini"]
    assert globex == {
        "object": "list",
        "data": [{"id": "mistral-large", "object": "model", "created": 1686935735000, "owned_by": "system"}],
    }
    assert create(client, GLOBEX)["model"] == "mistral-large"  # the workspace's default
    refused = client.post("/assistant/v1/create", json={"name": "x", "model": "gpt-5"}, headers=GLOBEX)
    assert (refused.status_code, refused.json()) == (404, {"message": "Model not found"})


def test_attachments_belong_to_a_workspace_and_a_user(client: httpx.Client) -> None:
    uploaded = client.post(
        "/attachment/v1/upload", files={"file": ("a.txt", b"a", "text/plain")}, headers=ALICE
    )
    attachment_id = uploaded.json()["attachmentId"]
    # another workspace cannot use or delete it
    foreign = client.post(
        "/assistant/v1/create", json={"name": "x", "attachments": [attachment_id]}, headers=GLOBEX
    )
    assert (foreign.status_code, foreign.json()) == (404, {"message": "Attachment not found"})
    gone = client.request(
        "DELETE", "/attachment/v1/delete", json={"attachmentId": attachment_id}, headers=GLOBEX
    )
    assert (gone.status_code, gone.json()) == (404, {"message": "Attachment not found"})
    # the same workspace can use it; only its uploader can delete it
    assert create(client, BOB, attachments=[attachment_id])["attachments"] == [attachment_id]
    denied = client.request(
        "DELETE", "/attachment/v1/delete", json={"attachmentId": attachment_id}, headers=BOB
    )
    assert (denied.status_code, denied.json()) == (
        403,
        {"message": "API key does not have access to this attachment"},
    )
    deleted = client.request(
        "DELETE", "/attachment/v1/delete", json={"attachmentId": attachment_id}, headers=ALICE
    )
    assert deleted.status_code == 200


def test_auth_off_accepts_any_caller(make_settings: SettingsFactory) -> None:
    with in_process(make_settings(), "http://testserver/langdock") as client:
        for headers in ({}, {"Authorization": "Bearer anything"}, {"Authorization": "junk junk"}):
            created = client.post("/assistant/v1/create", json={"name": "open"}, headers=headers)
            assert created.status_code == 201
            assistant_id = created.json()["assistant"]["id"]
            assert client.get("/assistant/v1/get", params={"assistantId": assistant_id}).status_code == 200
