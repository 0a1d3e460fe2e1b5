"""A sweep of hostile input against every PAIS route: never a 500, never a half-written row.

The in-process client re-raises any server exception, so a crash fails the test before the status
code is looked at. Every 4xx must be FastAPI-shaped: `{"detail": "<text>"}` or a 422 list of items
with `type`, `loc` and `msg`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import SettingsFactory, in_process

API = "/pais/api/v1/compatibility/openai/v1"
MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct"
BASE = {"model": MODEL, "session_max_length": 100, "session_summarization_strategy": "delete_oldest"}
MB_STRING = "x" * (1024 * 1024)

MALFORMED_BODIES: list[bytes] = [
    b"",
    b"{",
    b"not json",
    b"{} trailing",
    b'{"a": NaN',
    b"\xff\xfe\x00",
    b'{"name": "\\ud800"}',
    b'{"name": "\xc3"}',
    b"[" * 5000 + b"]" * 5000,
    b'{"metadata": ' + b'{"k": ' * 5000 + b"1" + b"}" * 5001,
    b"\x00",
    b'"just a string"',
    b"12345678901234567890" * 300,
]

WRONG_VALUES: list[Any] = [
    None,
    True,
    -1,
    0,
    1.5,
    10**30,
    -(10**30),
    1e308,
    "",
    "' OR 1=1 --",
    MB_STRING,
    [],
    [None],
    {},
    {"$ne": 1},
    {"a": {"b": {"c": [1, 2, {"d": None}]}}},
]

FIELDS = [
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
    "model",
    "chat_system_instruction_mode",
]

WRONG_TOOLS: list[Any] = [
    [{"link_type": "GENERIC_MCP_TOOL_LINK", "tool_id": "' OR 1=1 --"}],
    [{"link_type": "PAIS_KNOWLEDGE_BASE_INDEX_SEARCH_TOOL_LINK", "tool_id": str(uuid.uuid4()), "top_n": -5}],
    [{"link_type": "PAIS_KNOWLEDGE_BASE_INDEX_SEARCH_TOOL_LINK", "tool_id": str(uuid.uuid4()), "x": 1}],
    [{"link_type": ["GENERIC_MCP_TOOL_LINK"], "tool_id": str(uuid.uuid4())}],
    [{"link_type": {"a": 1}}],
    [{"link_type": "GENERIC_MCP_TOOL_LINK", "tool_id": str(uuid.uuid4())}] * 3 + [7],
]

WRONG_QUERIES: list[dict[str, str]] = [
    {"limit": "0"},
    {"limit": "1000"},
    {"limit": "-1"},
    {"limit": "1e3"},
    {"limit": "9" * 5000},
    {"limit": "abc"},
    {"limit": ""},
    {"offset": "-1"},
    {"offset": "4294967297"},
    {"offset": "1.5"},
    {"order": "ASC"},
    {"order": ""},
    {"order": "' OR 1=1 --"},
    {"set_num_objects": "maybe"},
    {"set_num_objects": ""},
]

BAD_IDS = ["not-a-uuid", "' OR 1=1 --", "%00", "x" * 5000, "12345678-1234-1234-1234-12345678901", "..", "%2F"]


def assert_client_error(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    detail = response.json()["detail"]
    if response.status_code == 422 and isinstance(detail, list):
        assert detail and all({"type", "loc", "msg"} <= set(item) for item in detail), detail
        assert all(isinstance(item["loc"], list) and item["loc"][0] in ("body", "query") for item in detail)
    else:
        assert isinstance(detail, str) and detail, detail


def count_all(client: httpx.Client) -> int:
    response = client.get(f"{API}/agents", params={"set_num_objects": "true"})
    assert response.status_code == 200
    return response.json()["num_objects"]


def versions_of(client: httpx.Client, aid: str) -> int:
    return len(client.post(f"/langsmith/assistants/{aid}/versions", json={"limit": 1000}).json())


@pytest.fixture
def target(make_settings: SettingsFactory) -> Iterator[tuple[TestClient, str, dict[str, Any]]]:
    with in_process(make_settings()) as client:
        created = client.post(f"{API}/agents", json={**BASE, "name": "sweep", "metadata": {"sweep": "yes"}})
        assert created.status_code == 201
        yield client, created.json()["id"], created.json()


def test_malformed_bodies_on_every_json_route(target: tuple[TestClient, str, dict[str, Any]]) -> None:
    client, aid, agent = target
    before = count_all(client)
    for path in (f"{API}/agents", f"{API}/assistants", f"{API}/agents/{aid}", f"{API}/assistants/{aid}"):
        for body in MALFORMED_BODIES:
            for content_type in ("application/json", None, "text/plain"):
                headers = {"content-type": content_type} if content_type else {}
                response = client.post(path, content=body, headers=headers)
                assert_client_error(response)
                assert response.status_code in (400, 422), (path, body[:20], response.text[:200])
    assert count_all(client) == before
    assert versions_of(client, aid) == 1
    assert client.get(f"{API}/agents/{aid}").json() == agent


def test_wrong_create_bodies_store_nothing(target: tuple[TestClient, str, dict[str, Any]]) -> None:
    client, _, _ = target
    before = count_all(client)
    bodies: list[Any] = [None, [], "string", 42, True, [BASE]]
    for field in FIELDS:
        bodies += [{**BASE, field: value} for value in WRONG_VALUES]
    bodies += [{**BASE, "tools": tools} for tools in WRONG_TOOLS]
    bodies += [{**BASE, "metadata": {str(i): "v" for i in range(17)}}, {**BASE, "model": "unknown"}]
    created = 0
    for body in bodies:
        response = client.post(f"{API}/assistants", content=json.dumps(body))
        if response.status_code == 201:  # some odd values are valid (a huge name is not one)
            created += 1
            continue
        assert_client_error(response)
    assert created > 0
    assert count_all(client) == before + created


def test_wrong_updates_add_no_version(target: tuple[TestClient, str, dict[str, Any]]) -> None:
    client, aid, _ = target
    bodies: list[Any] = [None, [], "string", 42, {"model": "unknown"}, {"extra": 1}]
    for field in FIELDS:
        bodies += [{field: value} for value in WRONG_VALUES if value is not None]
    bodies += [{"tools": tools} for tools in WRONG_TOOLS]
    accepted = 0
    for body in bodies:
        response = client.post(f"{API}/agents/{aid}", content=json.dumps(body))
        if response.status_code == 200:
            accepted += 1
            continue
        assert_client_error(response)
    assert versions_of(client, aid) == 1 + accepted


def test_wrong_list_queries(target: tuple[TestClient, str, dict[str, Any]]) -> None:
    client, aid, _ = target
    for params in WRONG_QUERIES:
        for path in (f"{API}/agents", f"{API}/assistants"):
            response = client.get(path, params=params)
            assert response.status_code == 422, (params, response.text[:200])
            assert_client_error(response)
    for params in ({"after": "' OR 1=1 --"}, {"before": "x" * 5000}, {"after": aid, "before": "%00"}):
        assert_client_error(client.get(f"{API}/agents", params=params))
    # Raw query strings: bad percent-escapes and bytes, bare and repeated keys (the last one counts, as in
    # FastAPI), non-ASCII digits.
    for query, status in (
        ("limit=%FF", 422),
        ("limit=%00", 422),
        ("limit", 422),
        ("limit=%EF%BC%95", 422),
        ("limit=5&limit=1000", 422),
        ("limit=1000&limit=5", 200),
        ("order=asc%00", 422),
        ("=&&&;;==&", 200),
        ("name=%FF%FE&index_id=%ZZ&knowledge_base_id=%", 200),
        ("after=%00", 400),
        ("set_num_objects=TRUE&offset=00_1", 200),
    ):
        response = client.get(f"{API}/agents?{query}")
        assert response.status_code == status, (query, response.text[:200])
        if status != 200:
            assert_client_error(response)
    odd_filters = {"name": "' OR 1=1 --", "index_id": "\u0000", "knowledge_base_id": "x" * 5000}
    response = client.get(f"{API}/agents", params=odd_filters)
    assert response.status_code == 200 and response.json()["data"] == []


def test_bad_and_unknown_ids_on_every_route(target: tuple[TestClient, str, dict[str, Any]]) -> None:
    client, _, _ = target
    before = count_all(client)
    for raw in [*BAD_IDS, str(uuid.uuid4())]:
        for resource in ("agents", "assistants"):
            path = httpx.URL(f"{API}/{resource}/").copy_with(path=f"{API}/{resource}/{raw}").raw_path.decode()
            for method, body in (("GET", None), ("POST", {"name": "x"}), ("DELETE", None)):
                content = None if body is None else json.dumps(body)
                response = client.request(method, path, content=content, follow_redirects=False)
                if raw == "%2F":  # `/agents//`: Starlette's trailing-slash redirect, as in FastAPI
                    assert response.status_code == 307
                    continue
                assert_client_error(response)
    assert count_all(client) == before


def test_big_numbers_and_huge_offsets(target: tuple[TestClient, str, dict[str, Any]]) -> None:
    client, _, _ = target
    big = client.post(f"{API}/agents", json={**BASE, "session_max_length": 10**30, "index_top_n": 2**63})
    assert big.status_code == 201
    assert (big.json()["session_max_length"], big.json()["index_top_n"]) == (10**30, 2**63)
    assert client.get(f"{API}/agents/{big.json()['id']}").json() == big.json()
    response = client.get(f"{API}/agents", params={"offset": "4294967296", "limit": "999"})
    assert response.status_code == 200 and response.json()["data"] == []
    assert client.post(f"{API}/agents", json={**BASE, "index_similarity_cutoff": 1e308}).status_code == 201


def test_hostile_but_valid_strings_round_trip(target: tuple[TestClient, str, dict[str, Any]]) -> None:
    client, _, _ = target
    values = [
        "'; DROP TABLE assistants; --",
        "\u0000nul inside\u0000",
        "emoji 🤖 and RTL \u202e and ZWJ 👩\u200d💻",
        "%s %d {0} ${x} \\u0000",
        "x" * 256,
    ]
    for value in values:
        body = {
            **BASE,
            "name": value,
            "description": value,
            "instructions": value * 8,
            "completion_role": value,
            "index_reference_delimiter": value,
            "session_summarization_strategy": value,
            "metadata": {value[:64]: value},
        }
        created = client.post(f"{API}/agents", json=body)
        assert created.status_code == 201, created.text[:200]
        got = client.get(f"{API}/agents/{created.json()['id']}").json()
        assert {k: got[k] for k in body} == body
        found = client.get(f"{API}/agents", params={"name": value}).json()["data"]
        assert [a["id"] for a in found] == [got["id"]]
    huge = client.post(
        f"{API}/agents", json={**BASE, "instructions": "i" * 32768, "metadata": {"k": MB_STRING}}
    )
    assert huge.status_code == 201
    assert client.get(f"{API}/agents/{huge.json()['id']}").json()["metadata"] == {"k": MB_STRING}


def test_streamed_oversized_body_is_413(make_settings: SettingsFactory) -> None:
    with in_process(
        make_settings(overrides={"server.max_body_bytes": 1000}), f"http://testserver{API}"
    ) as client:
        before = client.get("/agents", params={"set_num_objects": "1"}).json()["num_objects"]

        def chunks() -> Iterator[bytes]:
            yield json.dumps(BASE)[:-1].encode() + b', "name": "'
            yield b"y" * 2000
            yield b'"}'

        for path in ("/agents", "/assistants"):
            response = client.post(path, content=chunks())  # no content-length: counted while reading
            assert (response.status_code, response.json()) == (413, {"detail": "Request Entity Too Large"})
        assert client.get("/agents", params={"set_num_objects": "1"}).json()["num_objects"] == before
