"""The PAIS agents API over HTTP, in process: shapes, defaults, every documented error, views across dialects."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from gateway.app import Gateway
from gateway.config import ConfigError
from gateway.model import Assistant, Scope
from tests.conftest import SettingsFactory, in_process

API = "/pais/api/v1/compatibility/openai/v1"
MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct"
BASE = {"model": MODEL, "session_max_length": 1000, "session_summarization_strategy": "delete_oldest"}
AGENT_KEYS = [
    "name",
    "description",
    "instructions",
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
    "metadata",
    "id",
    "object",
    "created_at",
    "model",
    "status",
    "status_errors",
    "chat_system_instruction_mode",
]
NO_AGENT = {"detail": "No agent found with the specified ID."}
NO_MODEL = {"detail": "Endpoint with requested model does not exist"}
BAD_CURSOR = {"detail": "An invalid ID was passed for paginating results."}
INDEX = "3cdb958c-e4cc-4834-b52b-1d1a7f324714"
TOOL = "6d1f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"

FULL = {
    "name": "hr-assistant",
    "description": "HR policy Q&A",
    "instructions": "Answer only from the HR policy documents.",
    "session_max_ttl": 3600,
    "completion_role": "assistant",
    "tools": [
        {
            "link_type": "PAIS_KNOWLEDGE_BASE_INDEX_SEARCH_TOOL_LINK",
            "tool_id": TOOL,
            "top_n": 5,
            "similarity_cutoff": 0.65,
        },
        {"link_type": "GENERIC_MCP_TOOL_LINK", "tool_id": str(uuid.UUID(int=7))},
    ],
    "index_id": INDEX,
    "index_top_n": 3,
    "index_similarity_cutoff": 0.5,
    "index_reference_format": "structured",
    "index_reference_delimiter": "\n---\n",
    "session_max_length": 10000,
    "session_summarization_strategy": "summarize",
    "metadata": {"team": "hr", "x-pais-force-static-tool-execution": "true"},
    "model": MODEL,
    "chat_system_instruction_mode": "prompt-prefix",
}

PAIS_CONFIG = f"""
[dialects.pais]
default_session_max_length = 2048
default_session_summarization_strategy = "summarize"
knowledge_bases = {{ "kb-hr" = ["{INDEX}"], "kb-tools" = ["{TOOL.upper()}"], "kb-empty" = [] }}

[[dialects.pais.models]]
id = "{MODEL}"
model_engine = "VLLM"
created = 1717000000

[[dialects.pais.models]]
id = "small"
model_engine = "LLAMA_CPP"
created = 1700000000
owned_by = "ops"

[[dialects.pais.models]]
id = "BAAI/bge-small-en-v1.5"
model_type = "EMBEDDINGS"
model_engine = "INFINITY"
created = 1700000001
"""


@pytest.fixture
def pais(make_settings: SettingsFactory) -> Iterator[httpx.Client]:
    with in_process(make_settings(), f"http://testserver{API}") as client:
        yield client


@pytest.fixture
def root(make_settings: SettingsFactory) -> Iterator[TestClient]:
    """The whole gateway (every dialect under its prefix)."""
    with in_process(make_settings()) as client:
        yield client


def create(client: httpx.Client, path: str = "/agents", **fields: Any) -> dict[str, Any]:
    response = client.post(path, json={**BASE, **fields})
    assert response.status_code == 201, response.text
    return response.json()


# -- create / get --------------------------------------------------------------------------------------------


def test_create_returns_the_agent_with_documented_defaults(pais: httpx.Client) -> None:
    before = int(time.time())
    response = pais.post("/assistants", json=BASE, headers={"OpenAI-Beta": "assistants=v2"})
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    agent = response.json()
    assert list(agent) == AGENT_KEYS
    assert str(uuid.UUID(agent["id"])) == agent["id"]
    assert before <= agent["created_at"] <= int(time.time())
    assert agent == {
        "name": None,
        "description": None,
        "instructions": None,
        "session_max_ttl": None,
        "completion_role": "assistant",
        "tools": [],
        "index_id": None,
        "index_top_n": None,
        "index_similarity_cutoff": None,
        "index_reference_format": None,
        "index_reference_delimiter": None,
        "session_max_length": 1000,
        "session_summarization_strategy": "delete_oldest",
        "metadata": {},
        "id": agent["id"],
        "object": "agent",
        "created_at": agent["created_at"],
        "model": MODEL,
        "status": "AVAILABLE",
        "status_errors": [],
        "chat_system_instruction_mode": "system-message",
    }
    assert pais.get(f"/assistants/{agent['id']}").json() == agent
    assert pais.get(f"/agents/{agent['id']}").json() == agent


def test_every_create_field_is_stored_and_returned(pais: httpx.Client) -> None:
    agent = pais.post("/agents", json=FULL).json()
    assert {k: agent[k] for k in FULL} == FULL
    assert pais.get(f"/assistants/{agent['id']}").json() == agent


def test_an_empty_name_is_kept_apart_from_no_name(root: TestClient) -> None:
    empty = create(root, f"{API}/agents", name="")
    unnamed = create(root, f"{API}/agents")
    assert (empty["name"], unnamed["name"]) == ("", None)
    assert root.get(f"{API}/agents/{empty['id']}").json()["name"] == ""
    assert ids(root.get(f"{API}/agents", params={"name": ""})) == [empty["id"]]
    counted = root.get(f"{API}/agents", params={"name": "", "set_num_objects": "true"}).json()
    assert counted["num_objects"] == 1
    assert root.post(f"{API}/agents/{unnamed['id']}", json={"name": ""}).json()["name"] == ""
    assert root.post(f"{API}/agents/{empty['id']}", json={"name": None}).json()["name"] is None
    assert root.post(f"{API}/agents/{empty['id']}", json={"name": "x"}).json()["name"] == "x"
    assert ids(root.get(f"{API}/agents", params={"name": ""})) == [unnamed["id"]]
    # The marker is PAIS's own: other dialects see the canonical name, and it never shadows a real one.
    assert root.get(f"/langsmith/assistants/{unnamed['id']}").json()["name"] == ""
    root.patch(f"/langsmith/assistants/{unnamed['id']}", json={"name": "from langsmith"})
    assert root.get(f"{API}/agents/{unnamed['id']}").json()["name"] == "from langsmith"
    assert ids(root.get(f"{API}/agents", params={"name": ""})) == []


def test_uuids_are_stored_in_canonical_form(pais: httpx.Client) -> None:
    agent = create(
        pais,
        index_id="{" + INDEX.upper() + "}",
        tools=[{"link_type": "GENERIC_MCP_TOOL_LINK", "tool_id": "urn:uuid:" + TOOL}],
    )
    assert agent["index_id"] == INDEX
    assert agent["tools"] == [{"link_type": "GENERIC_MCP_TOOL_LINK", "tool_id": TOOL}]


def test_lax_values_are_accepted_as_pydantic_accepts_them(pais: httpx.Client) -> None:
    agent = pais.post(
        "/agents",
        json={**BASE, "session_max_length": "2048", "index_top_n": 4.0, "index_similarity_cutoff": "0.25"},
    ).json()
    assert (agent["session_max_length"], agent["index_top_n"], agent["index_similarity_cutoff"]) == (
        2048,
        4,
        0.25,
    )


def count(client: httpx.Client) -> int:
    return client.get("/agents", params={"set_num_objects": "true"}).json()["num_objects"]


def test_unknown_model_is_404_and_stores_nothing(pais: httpx.Client) -> None:
    before = count(pais)
    for path in ("/agents", "/assistants"):
        response = pais.post(path, json={**BASE, "model": "gpt-4o"})
        assert response.status_code == 404
        assert response.json() == NO_MODEL
    assert count(pais) == before


def test_validation_lists_every_invalid_field(pais: httpx.Client) -> None:
    body = {
        "name": "n" * 257,
        "description": "d" * 513,
        "instructions": "i" * 32769,
        "session_max_ttl": 0,
        "index_top_n": -1,
        "index_reference_format": "plain",
        "metadata": {str(i): "v" for i in range(17)},
        "model": "m" * 129,
        "chat_system_instruction_mode": "system",
        "temperature": 0.2,
    }
    response = pais.post("/agents", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [(e["loc"], e["type"], e["msg"]) for e in detail] == [
        (["body", "name"], "string_too_long", "String should have at most 256 characters"),
        (["body", "description"], "string_too_long", "String should have at most 512 characters"),
        (["body", "instructions"], "string_too_long", "String should have at most 32768 characters"),
        (["body", "session_max_ttl"], "greater_than", "Input should be greater than 0"),
        (["body", "index_top_n"], "greater_than", "Input should be greater than 0"),
        (["body", "index_reference_format"], "enum", "Input should be 'structured' or 'markdown'"),
        (["body", "session_max_length"], "missing", "Field required"),
        (["body", "session_summarization_strategy"], "missing", "Field required"),
        (
            ["body", "metadata"],
            "too_long",
            "Dictionary should have at most 16 items after validation, not more",
        ),
        (["body", "model"], "string_too_long", "String should have at most 128 characters"),
        (
            ["body", "chat_system_instruction_mode"],
            "enum",
            "Input should be 'system-message' or 'prompt-prefix'",
        ),
        (["body", "temperature"], "extra_forbidden", "Extra inputs are not permitted"),
    ]
    assert detail[0]["ctx"] == {"max_length": 256}
    assert detail[3]["ctx"] == {"gt": 0} and detail[3]["input"] == 0
    assert detail[6]["input"] == body


def test_model_must_be_a_completions_endpoint(make_settings: SettingsFactory) -> None:
    with in_process(make_settings(PAIS_CONFIG), f"http://testserver{API}") as client:
        assert client.post("/agents", json={**BASE, "model": "BAAI/bge-small-en-v1.5"}).json() == NO_MODEL
        assert create(client, model="small")["status"] == "AVAILABLE"


# -- update ----------------------------------------------------------------------------------------------------


def test_update_changes_only_what_it_names(pais: httpx.Client) -> None:
    agent = pais.post("/agents", json=FULL).json()
    response = pais.post(
        f"/assistants/{agent['id']}",
        json={"name": "renamed", "index_top_n": 9},
        headers={"OpenAI-Beta": "assistants=v2"},
    )
    assert response.status_code == 200
    updated = response.json()
    assert updated == {**agent, "name": "renamed", "index_top_n": 9}
    assert pais.post(f"/agents/{agent['id']}", json={}).json() == updated


def test_null_resets_each_field_to_its_default(make_settings: SettingsFactory) -> None:
    with in_process(make_settings(PAIS_CONFIG), f"http://testserver{API}") as client:
        agent = client.post("/agents", json={**FULL, "model": "small"}).json()
        reset = client.post(f"/agents/{agent['id']}", json=dict.fromkeys(FULL)).json()
        assert reset == {
            **agent,
            "name": None,
            "description": None,
            "instructions": None,
            "session_max_ttl": None,
            "completion_role": "assistant",
            "tools": [],
            "index_id": None,
            "index_top_n": None,
            "index_similarity_cutoff": None,
            "index_reference_format": None,
            "index_reference_delimiter": None,
            "session_max_length": 2048,  # the configured defaults
            "session_summarization_strategy": "summarize",
            "metadata": {},
            "model": MODEL,  # the configured default model
            "chat_system_instruction_mode": "system-message",
        }
        assert client.get(f"/assistants/{agent['id']}").json() == reset


def test_update_errors(root: TestClient) -> None:
    agent = create(root, f"{API}/agents", name="keep")
    for path in (f"{API}/agents/{agent['id']}", f"{API}/assistants/{agent['id']}"):
        response = root.post(path, json={"model": "gpt-4o", "name": "lost"})
        assert (response.status_code, response.json()) == (404, NO_MODEL)
        response = root.post(path, json={"session_max_length": 0, "name": 3})
        assert response.status_code == 422
        assert [e["loc"] for e in response.json()["detail"]] == [
            ["body", "name"],
            ["body", "session_max_length"],
        ]
    unknown = str(uuid.uuid4())
    assert root.post(f"{API}/agents/{unknown}", json={"model": "gpt-4o"}).json() == NO_AGENT
    assert root.get(f"{API}/agents/{agent['id']}").json() == agent
    versions = root.post(f"/langsmith/assistants/{agent['id']}/versions", json={})
    assert [v["version"] for v in versions.json()] == [1]  # nothing was half-written


def test_unknown_ids_are_404_on_every_route(pais: httpx.Client) -> None:
    for raw in [str(uuid.uuid4()), "not-a-uuid", "' OR 1=1 --", "x" * 3000, "%00"]:
        for resource in ("agents", "assistants"):
            for method, body in (("GET", None), ("POST", {"name": "x"}), ("DELETE", None)):
                response = pais.request(method, f"/{resource}/{raw}", json=body)
                assert response.status_code == 404, (method, raw[:20], response.text)
                assert response.json() == NO_AGENT


def test_delete(pais: httpx.Client) -> None:
    agent = create(pais)
    response = pais.delete(f"/assistants/{agent['id']}", headers={"OpenAI-Beta": "assistants=v2"})
    assert response.status_code == 200
    assert list(response.json().items()) == [
        ("id", agent["id"]),
        ("object", "agent.deleted"),
        ("deleted", True),
    ]
    assert pais.get(f"/agents/{agent['id']}").json() == NO_AGENT
    assert pais.delete(f"/agents/{agent['id']}").json() == NO_AGENT


# -- list --------------------------------------------------------------------------------------------------------


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [a["id"] for a in response.json()["data"]]


@pytest.fixture
def five(pais: httpx.Client) -> tuple[httpx.Client, list[str]]:
    """Five agents named "page", in creation order (after the system assistants)."""
    made = [create(pais, name="page")["id"] for _ in range(5)]
    return pais, made


def test_list_shape_and_defaults(five: tuple[httpx.Client, list[str]]) -> None:
    client, made = five
    system = count(client) - len(made)  # one system assistant per configured graph
    assert system == 3
    body = client.get("/agents", headers={"OpenAI-Beta": "assistants=v2"}).json()
    assert list(body) == ["object", "data", "first_id", "last_id", "has_more", "num_objects"]
    assert body["object"] == "list"
    assert [a["id"] for a in body["data"]][system:] == made  # ascending by default, system agents first
    assert (body["first_id"], body["last_id"]) == (body["data"][0]["id"], made[-1])
    assert body["has_more"] is False and body["num_objects"] is None
    assert list(body["data"][0]) == AGENT_KEYS
    assert client.get("/assistants").json() == body


def test_list_pages_with_cursors_both_ways(five: tuple[httpx.Client, list[str]]) -> None:
    client, made = five
    page = {"name": "page", "limit": 2}
    first = client.get("/agents", params=page).json()
    assert [a["id"] for a in first["data"]] == made[:2] and first["has_more"] is True
    second = client.get("/agents", params={**page, "after": first["last_id"]}).json()
    assert [a["id"] for a in second["data"]] == made[2:4] and second["has_more"] is True
    third = client.get("/agents", params={**page, "after": second["last_id"]}).json()
    assert [a["id"] for a in third["data"]] == made[4:] and third["has_more"] is False
    desc = client.get("/agents", params={**page, "order": "desc"}).json()
    assert [a["id"] for a in desc["data"]] == made[::-1][:2] and desc["has_more"] is True
    nxt = client.get("/agents", params={**page, "order": "desc", "after": desc["last_id"]}).json()
    assert [a["id"] for a in nxt["data"]] == made[::-1][2:4]
    assert ids(client.get("/agents", params={**page, "before": made[4]})) == made[2:4]
    assert client.get("/agents", params={**page, "before": made[4]}).json()["has_more"] is True
    assert client.get("/agents", params={**page, "before": made[1]}).json()["has_more"] is False
    assert ids(client.get("/agents", params={**page, "order": "desc", "before": made[0]})) == made[2:0:-1]
    assert (
        ids(client.get("/agents", params={"name": "page", "after": made[0], "before": made[4]})) == made[1:4]
    )


def test_list_offset_and_num_objects(five: tuple[httpx.Client, list[str]]) -> None:
    client, made = five
    body = client.get(
        "/agents", params={"name": "page", "offset": 1, "limit": 3, "set_num_objects": "true"}
    ).json()
    assert [a["id"] for a in body["data"]] == made[1:4]
    assert body["num_objects"] == 5 and body["has_more"] is True
    assert ids(client.get("/agents", params={"name": "page", "offset": 1, "after": made[0]})) == made[2:]
    empty = client.get(
        "/agents", params={"name": "page", "offset": 4294967296, "set_num_objects": "1"}
    ).json()
    assert empty == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": False,
        "num_objects": 5,
    }
    assert client.get("/agents", params={"limit": 999}).status_code == 200


def test_default_limit_is_100(pais: httpx.Client) -> None:
    made = [create(pais, name="many")["id"] for _ in range(101)]
    first = pais.get("/assistants", params={"name": "many"}).json()
    assert [a["id"] for a in first["data"]] == made[:100] and first["has_more"] is True
    rest = pais.get("/assistants", params={"name": "many", "after": first["last_id"]}).json()
    assert [a["id"] for a in rest["data"]] == made[100:] and rest["has_more"] is False
    assert ids(pais.get("/agents", params={"name": "many", "limit": 999})) == made


def test_unknown_cursor_is_400(five: tuple[httpx.Client, list[str]]) -> None:
    client, _ = five
    for params in (
        {"after": str(uuid.uuid4())},
        {"before": "nope"},
        {"after": ""},
        {"knowledge_base_id": "x", "after": "y"},
    ):
        for path in ("/agents", "/assistants"):
            response = client.get(path, params=params)
            assert (response.status_code, response.json()) == (400, BAD_CURSOR)


def test_list_filters_by_name_and_index(pais: httpx.Client) -> None:
    a = create(pais, name="alpha", index_id=INDEX)["id"]
    b = create(pais, name="beta")["id"]
    create(pais, name="alphabet")
    assert ids(pais.get("/agents", params={"name": "alpha"})) == [a]
    assert ids(pais.get("/agents", params={"name": "beta"})) == [b]
    assert ids(pais.get("/agents", params={"index_id": INDEX.upper()})) == [a]
    assert ids(pais.get("/agents", params={"index_id": "not-an-index"})) == []
    counted = pais.get("/agents", params={"index_id": INDEX, "set_num_objects": "yes"}).json()
    assert counted["num_objects"] == 1


def test_list_filters_by_knowledge_base(make_settings: SettingsFactory) -> None:
    search_link = {"link_type": "PAIS_KNOWLEDGE_BASE_INDEX_SEARCH_TOOL_LINK", "tool_id": TOOL}
    with in_process(make_settings(PAIS_CONFIG), f"http://testserver{API}") as client:
        by_index = [create(client, index_id=INDEX)["id"] for _ in range(3)]
        by_tool = create(client, tools=[search_link])["id"]
        create(client)
        assert ids(client.get("/agents", params={"knowledge_base_id": "kb-hr"})) == by_index
        assert ids(client.get("/agents", params={"knowledge_base_id": "kb-tools"})) == [by_tool]
        page = client.get(
            "/agents", params={"knowledge_base_id": "kb-hr", "limit": 2, "set_num_objects": "t"}
        )
        assert [a["id"] for a in page.json()["data"]] == by_index[:2]
        assert page.json()["has_more"] is True and page.json()["num_objects"] == 3
        rest = client.get("/agents", params={"knowledge_base_id": "kb-hr", "after": by_index[1]}).json()
        assert [a["id"] for a in rest["data"]] == by_index[2:] and rest["has_more"] is False
        before = client.get("/agents", params={"knowledge_base_id": "kb-hr", "before": by_tool, "limit": 2})
        assert [a["id"] for a in before.json()["data"]] == by_index[1:] and before.json()["has_more"] is True
        desc = client.get("/agents", params={"knowledge_base_id": "kb-hr", "order": "desc", "offset": 1})
        assert ids(desc) == by_index[1::-1]
        for kb in ("kb-empty", "kb-unknown"):
            empty = client.get("/agents", params={"knowledge_base_id": kb, "set_num_objects": "true"}).json()
            assert (empty["data"], empty["has_more"], empty["num_objects"]) == ([], False, 0)


# -- models, framework, auth ------------------------------------------------------------------------------


def test_models_default_and_configured(pais: httpx.Client, make_settings: SettingsFactory) -> None:
    assert pais.get("/models").json() == {
        "object": "list",
        "data": [
            {
                "id": MODEL,
                "object": "model",
                "created": 1717000000,
                "owned_by": "",
                "model_type": "COMPLETIONS",
                "model_engine": "VLLM",
            }
        ],
    }
    with in_process(make_settings(PAIS_CONFIG), f"http://testserver{API}") as client:
        data = client.get("/models").json()["data"]
        assert [(m["id"], m["model_type"], m["model_engine"], m["owned_by"]) for m in data] == [
            (MODEL, "COMPLETIONS", "VLLM", ""),
            ("small", "COMPLETIONS", "LLAMA_CPP", "ops"),
            ("BAAI/bge-small-en-v1.5", "EMBEDDINGS", "INFINITY", ""),
        ]


def test_framework_errors_are_fastapi_shaped(pais: httpx.Client) -> None:
    assert pais.get("/nothing").json() == {"detail": "Not Found"}
    wrong = pais.put("/agents")
    assert (wrong.status_code, wrong.json()) == (405, {"detail": "Method Not Allowed"})
    for path in ("/agents", f"/assistants/{uuid.uuid4()}", "/models"):  # FastAPI: no HEAD for GET routes
        assert pais.head(path).status_code == 405
    assert pais.patch(f"/agents/{uuid.uuid4()}", json={}).status_code == 405
    broken = pais.post("/agents", content=b'{"model": ', headers={"content-type": "application/json"})
    assert broken.status_code == 422
    assert broken.json() == {
        "detail": [
            {
                "type": "json_invalid",
                "loc": ["body", 10],
                "msg": "JSON decode error",
                "input": {},
                "ctx": {"error": "Expecting value"},
            }
        ]
    }
    for empty in (b"", b"null"):
        response = pais.post("/agents", content=empty)
        assert response.status_code == 422
        assert response.json() == {
            "detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
        }
    text = pais.post("/agents", content=b"{}", headers={"content-type": "text/plain"})
    assert text.json()["detail"] == [
        {
            "type": "model_attributes_type",
            "loc": ["body"],
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "input": "{}",
        }
    ]
    for raw in (b'{"name": "\xff"}', b'{"name": "\\ud800"}', b"[" * 100_000 + b"]" * 100_000):
        response = pais.post("/agents", content=raw)
        assert (response.status_code, response.json()) == (
            400,
            {"detail": "There was an error parsing the body"},
        )


def test_json_that_msgspec_refuses_but_fastapi_reads(pais: httpx.Client) -> None:
    bom = b"\xef\xbb\xbf" + httpx.Request("POST", "/", json=BASE).content
    assert pais.post("/agents", content=bom).status_code == 201
    utf16 = httpx.Request("POST", "/", json=BASE).content.decode().encode("utf-16")
    assert (
        pais.post("/agents", content=utf16, headers={"content-type": "application/json"}).status_code == 201
    )
    vendor = pais.post("/agents", json=BASE, headers={"content-type": "application/vnd.api+json"})
    assert vendor.status_code == 201


def test_oversized_body_is_413(make_settings: SettingsFactory) -> None:
    with in_process(
        make_settings(overrides={"server.max_body_bytes": 1000}), f"http://testserver{API}"
    ) as client:
        before = count(client)
        response = client.post("/agents", json={**BASE, "instructions": "x" * 2000})
        assert (response.status_code, response.json()) == (413, {"detail": "Request Entity Too Large"})
        assert count(client) == before


AUTH_CONFIG = """
[[auth.keys]]
key = "sk-acme"
tenant = "acme"
user = "alice"

[[auth.keys]]
key = "sk-globex"
tenant = "globex"
"""


def test_bearer_keys_map_to_tenants(make_settings: SettingsFactory) -> None:
    with in_process(make_settings(AUTH_CONFIG), f"http://testserver{API}") as client:
        acme = {
            "Authorization": "Bearer sk-acme",
            "OpenAI-Beta": "assistants=v2",
            "X-Stainless-Lang": "python",
        }
        globex = {"Authorization": "bearer sk-globex"}
        for headers, detail in (
            ({}, "Not authenticated"),
            ({"Authorization": "Bearer nope"}, "Invalid authentication credentials"),
            ({"Authorization": "Basic sk-acme"}, "Not authenticated"),
        ):
            for method, path in (
                ("GET", "/agents"),
                ("POST", "/agents"),
                ("GET", "/models"),
                ("DELETE", "/agents/x"),
            ):
                response = client.request(method, path, headers=headers, json=BASE)
                assert response.status_code == 401
                assert response.json() == {"detail": detail}
                assert response.headers["www-authenticate"] == "Bearer"
        mine = client.post("/agents", json=BASE, headers=acme).json()
        assert client.get(f"/agents/{mine['id']}", headers=globex).json() == NO_AGENT
        assert client.delete(f"/agents/{mine['id']}", headers=globex).json() == NO_AGENT
        assert client.post(f"/agents/{mine['id']}", json={}, headers=globex).json() == NO_AGENT
        assert mine["id"] not in ids(client.get("/agents", headers=globex))
        assert mine["id"] in ids(client.get("/agents", headers=acme))
        assert client.get("/agents", params={"after": mine["id"]}, headers=globex).json() == BAD_CURSOR


def test_auth_off_accepts_any_caller(pais: httpx.Client) -> None:
    agent = create(pais)
    assert pais.get(f"/agents/{agent['id']}", headers={"Authorization": "Bearer whatever"}).status_code == 200


# -- settings ------------------------------------------------------------------------------------------------


def test_bad_pais_settings_stop_start_up(make_settings: SettingsFactory) -> None:
    for text, message in (
        ('[dialects.pais]\ndefault_model = "nope"', "default_model: 'nope' is not a COMPLETIONS model"),
        ("[dialects.pais]\nmodels = []", "at least one COMPLETIONS model"),
        ('[[dialects.pais.models]]\nid = "a"\n[[dialects.pais.models]]\nid = "a"', "the same model id"),
        ('[[dialects.pais.models]]\nid = "a"\nmodel_type = "CHAT"', "dialects.pais"),
        ("[dialects.pais]\ndefault_session_max_length = 0", "must be positive"),
        ("[dialects.pais]\nsurprise = 1", "unknown key 'dialects.pais.surprise'"),
    ):
        with pytest.raises(ConfigError, match=message):
            make_settings(text)


def test_models_from_the_environment(make_settings: SettingsFactory) -> None:
    settings = make_settings(
        environ={
            "ASSISTANT_GATEWAY_DIALECTS_PAIS_MODELS": '[{id = "env-model", model_engine = "TRITON_VLLM"}]',
            "ASSISTANT_GATEWAY_DIALECTS_PAIS_DEFAULT_SESSION_MAX_LENGTH": "77",
        }
    )
    with in_process(settings, f"http://testserver{API}") as client:
        assert [m["id"] for m in client.get("/models").json()["data"]] == ["env-model"]
        agent = create(client, model="env-model")
        system = client.get("/agents").json()["data"][0]
        assert system["id"] != agent["id"] and system["model"] == "env-model"
        assert system["session_max_length"] == 77


# -- views across dialects ---------------------------------------------------------------------------------


def test_langsmith_assistants_appear_with_configured_defaults(root: TestClient) -> None:
    made = root.post(
        "/langsmith/assistants",
        json={
            "graph_id": "agent",
            "name": "from langsmith",
            "context": {"system_prompt": "Be brief.", "model": "gpt-4o", "other": 1},
            "metadata": {"owner": "ls", "n": 5, "nested": {"a": [1, "x"]}, "flag": True, "none": None},
        },
    ).json()
    agent = root.get(f"{API}/agents/{made['assistant_id']}").json()
    assert agent["name"] == "from langsmith"
    assert agent["instructions"] == "Be brief."
    assert agent["model"] == "gpt-4o"
    assert (agent["status"], agent["status_errors"]) == ("ERROR", ["ROUTE_TO_MODEL_NOT_FOUND"])
    assert agent["session_max_length"] == 4096 and agent["session_summarization_strategy"] == "delete_oldest"
    assert agent["metadata"] == {
        "owner": "ls",
        "n": "5",
        "nested": '{"a":[1,"x"]}',
        "flag": "true",
        "none": "null",
    }
    assert agent["created_at"] == int(
        time.mktime(time.strptime(made["created_at"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    )
    plain = root.post("/langsmith/assistants", json={"graph_id": "agent"}).json()
    shown = root.get(f"{API}/assistants/{plain['assistant_id']}").json()
    assert (shown["model"], shown["status"], shown["name"]) == (MODEL, "AVAILABLE", "Untitled")


def test_pais_update_keeps_what_pais_cannot_see(root: TestClient) -> None:
    made = root.post(
        "/langsmith/assistants",
        json={
            "graph_id": "agent",
            "config": {"tags": ["t"], "recursion_limit": 5},
            "context": {"system_prompt": "old", "keep": 1},
            "metadata": {"n": 5, "nested": {"a": 1}, "s": "x", "gone": "bye"},
        },
    ).json()
    aid = made["assistant_id"]
    shown = root.get(f"{API}/agents/{aid}").json()["metadata"]
    # Metadata sent back as shown keeps its types; a changed value becomes the new string; a key left
    # out is removed (metadata is replaced, as in OpenAI's update).
    sent = {**{k: v for k, v in shown.items() if k != "gone"}, "s": "y", "new": "v"}
    updated = root.post(
        f"{API}/agents/{aid}",
        json={"instructions": "new", "metadata": sent, "session_max_length": 500, "model": MODEL},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["metadata"] == sent
    after = root.get(f"/langsmith/assistants/{aid}").json()
    assert after["metadata"] == {"n": 5, "nested": {"a": 1}, "s": "y", "new": "v"}
    assert after["graph_id"] == "agent"
    assert after["config"]["tags"] == ["t"] and after["config"]["recursion_limit"] == 5
    assert after["context"] == {"system_prompt": "new", "keep": 1, "model": MODEL}
    assert after["version"] == 2
    again = root.post(f"{API}/agents/{aid}", json={"metadata": {"n": "6"}}).json()
    assert again["metadata"] == {"n": "6"}
    assert root.get(f"/langsmith/assistants/{aid}").json()["metadata"] == {"n": "6"}


def test_other_dialects_extensions_survive_pais_updates(make_settings: SettingsFactory) -> None:
    gateway = Gateway(make_settings())
    with TestClient(gateway.app(), base_url=f"http://testserver{API}") as client:
        seeded = Assistant(
            id="",
            name="seeded",
            temperature=0.3,
            extensions={
                "langdock": {"emoji": "🤖", "actions": [{"id": 1}]},
                "pais": {"session_max_ttl": 60, "future_key": {"x": 1}},
            },
        )
        stored, _ = client.portal.call(gateway.service.create, Scope(), seeded)
        agent = client.get(f"/agents/{stored.id}").json()
        assert agent["session_max_ttl"] == 60 and agent["name"] == "seeded"
        client.post(f"/agents/{stored.id}", json={"session_max_ttl": None, "index_top_n": 2, "name": "x"})
        after = client.portal.call(gateway.service.get, Scope(), stored.id)
        assert after.extensions == {
            "langdock": {"emoji": "🤖", "actions": [{"id": 1}]},
            "pais": {"future_key": {"x": 1}, "index_top_n": 2},
        }
        assert after.temperature == 0.3 and after.name == "x"
