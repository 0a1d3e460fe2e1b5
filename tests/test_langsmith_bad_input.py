"""A sweep of hostile input against every LangSmith route: never a 500, never a half-written row.

The in-process client re-raises any server exception, so a crash fails the test even before the
status code is looked at.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

MB_STRING = "x" * (1024 * 1024)

MALFORMED_BODIES: list[bytes] = [
    b"",
    b"{",
    b"not json",
    b"{} trailing",
    b'{"a": NaN}',
    b"\xff\xfe",
    b'{"a": "\\ud800"}',
    b"[" * 5000 + b"]" * 5000,
    b"\xef\xbb\xbf{}",
]

# Bodies that parse but are wrong: types, nulls, ranges, enum values.
WRONG_CREATE: list[Any] = [
    None,
    [],
    "string",
    42,
    {"graph_id": None},
    {"graph_id": 5},
    {"graph_id": ["agent"]},
    {"graph_id": "agent", "config": None},
    {"graph_id": "agent", "config": []},
    {"graph_id": "agent", "config": {"tags": "a"}},
    {"graph_id": "agent", "config": {"tags": [1]}},
    {"graph_id": "agent", "config": {"configurable": []}},
    {"graph_id": "agent", "config": {"recursion_limit": 1.5}},
    {"graph_id": "agent", "config": {"a\u0000b": 1}},
    {"graph_id": "agent", "context": {"a\u0000b": 1}},
    {"graph_id": "agent", "context": None},
    {"graph_id": "agent", "context": "x"},
    {"graph_id": "agent", "metadata": None},
    {"graph_id": "agent", "metadata": [1]},
    {"graph_id": "agent", "name": None},
    {"graph_id": "agent", "name": 1},
    {"graph_id": "agent", "description": 5},
    {"graph_id": "agent", "if_exists": None},
    {"graph_id": "agent", "if_exists": 1},
    {"graph_id": "agent", "assistant_id": "nope"},
    {"graph_id": "agent", "assistant_id": 5},
    {"graph_id": "agent", "assistant_id": "' OR 1=1 --"},
    {"graph_id": "unknown-graph"},
    {"graph_id": MB_STRING},
    {"graph_id": "agent", "config": {"configurable": {"a": 1}}, "context": {"b": 1}},
]

WRONG_SEARCH: list[Any] = [
    None,
    [],
    {"limit": 0},
    {"limit": 1001},
    {"limit": "5"},
    {"limit": 10**30},
    {"limit": None},
    {"offset": -1},
    {"offset": 1.5},
    {"metadata": None},
    {"metadata": "x"},
    {"graph_id": None},
    {"graph_id": "unknown-graph"},
    {"name": 5},
    {"sort_by": "version"},
    {"sort_order": "ASC"},
    {"select": ["nope"]},
    {"select": "name"},
    {"config": {"recursion_limit": "x"}},
]

WRONG_PATCH: list[Any] = [
    None,
    [],
    {"graph_id": None},
    {"graph_id": "unknown-graph"},
    {"config": None},
    {"config": {"tags": [None]}},
    {"context": None},
    {"metadata": None},
    {"name": None},
    {"description": None},
    {"config": {"configurable": {"a": 1}}, "context": {"b": 1}},
]

WRONG_VERSIONS: list[Any] = [None, [], {"limit": 0}, {"limit": 1001}, {"offset": -1}, {"metadata": 1}]
WRONG_LATEST: list[Any] = [
    None,
    [],
    {"version": "1"},
    {"version": 1.5},
    {"version": None},
    {"version": 10**30},
]

BAD_IDS = ["not-a-uuid", "agent", "' OR 1=1 --", "%00", "x" * 5000, "12345678-1234-1234-1234-12345678901"]


def assert_client_error(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"], body


def count_all(client: httpx.Client) -> int:
    response = client.post("/assistants/count", json={})
    assert response.status_code == 200
    return response.json()


def versions_of(client: httpx.Client, aid: str) -> int:
    return len(client.post(f"/assistants/{aid}/versions", json={"limit": 1000}).json())


@pytest.fixture
def target(langsmith: httpx.Client) -> tuple[httpx.Client, str]:
    created = langsmith.post("/assistants", json={"graph_id": "agent", "metadata": {"sweep": True}})
    assert created.status_code == 200
    return langsmith, created.json()["assistant_id"]


def test_malformed_bodies_on_every_json_route(target: tuple[httpx.Client, str]) -> None:
    client, aid = target
    before = count_all(client)
    routes = [
        ("POST", "/assistants"),
        ("POST", "/assistants/search"),
        ("POST", "/assistants/count"),
        ("PATCH", f"/assistants/{aid}"),
        ("POST", f"/assistants/{aid}/versions"),
        ("POST", f"/assistants/{aid}/latest"),
    ]
    for method, path in routes:
        for body in MALFORMED_BODIES:
            response = client.request(
                method, path, content=body, headers={"content-type": "application/json"}
            )
            assert response.status_code == 422, (method, path, body[:20], response.text[:200])
            assert response.json() == {"detail": "Invalid JSON in request body"}
    assert count_all(client) == before
    assert versions_of(client, aid) == 1


def test_wrong_create_bodies_store_nothing(target: tuple[httpx.Client, str]) -> None:
    client, _ = target
    before = count_all(client)
    for body in WRONG_CREATE:
        assert_client_error(client.post("/assistants", content=json.dumps(body)))
    assert count_all(client) == before


def test_wrong_search_and_count_bodies(target: tuple[httpx.Client, str]) -> None:
    client, _ = target
    for body in WRONG_SEARCH:
        assert_client_error(client.post("/assistants/search", content=json.dumps(body)))
        if not isinstance(body, dict) or set(body) & {"metadata", "graph_id", "name"}:
            assert_client_error(client.post("/assistants/count", content=json.dumps(body)))


def test_wrong_patch_bodies_add_no_version(target: tuple[httpx.Client, str]) -> None:
    client, aid = target
    for body in WRONG_PATCH:
        assert_client_error(client.patch(f"/assistants/{aid}", content=json.dumps(body)))
    assert versions_of(client, aid) == 1
    assert client.get(f"/assistants/{aid}").json()["metadata"] == {"sweep": True}


def test_wrong_versions_and_latest_bodies(target: tuple[httpx.Client, str]) -> None:
    client, aid = target
    for body in WRONG_VERSIONS:
        assert_client_error(client.post(f"/assistants/{aid}/versions", content=json.dumps(body)))
    for body in WRONG_LATEST:
        assert_client_error(client.post(f"/assistants/{aid}/latest", content=json.dumps(body)))
    assert client.get(f"/assistants/{aid}").json()["version"] == 1


def test_bad_and_unknown_ids_on_every_route(target: tuple[httpx.Client, str]) -> None:
    client, _ = target
    for raw in [*BAD_IDS, str(uuid.uuid4())]:
        quoted = httpx.URL("/assistants/").copy_with(path="/assistants/" + raw).raw_path.decode()
        path = quoted.removeprefix("/assistants/")
        calls = [
            ("GET", f"/assistants/{path}", None),
            ("PATCH", f"/assistants/{path}", {}),
            ("DELETE", f"/assistants/{path}", None),
            ("POST", f"/assistants/{path}/versions", {}),
            ("POST", f"/assistants/{path}/latest", {"version": 1}),
            ("GET", f"/assistants/{path}/graph", None),
            ("GET", f"/assistants/{path}/schemas", None),
            ("GET", f"/assistants/{path}/subgraphs", None),
            ("GET", f"/assistants/{path}/subgraphs/child", None),
        ]
        for method, url, body in calls:
            if raw == "agent" and url.endswith("/graph"):
                continue  # /graph accepts a graph id in place of the uuid
            response = client.request(method, url, content=None if body is None else json.dumps(body))
            assert_client_error(response)


def test_big_numbers_and_huge_offsets(target: tuple[httpx.Client, str]) -> None:
    client, aid = target
    response = client.post("/assistants/search", json={"offset": 10**30})
    assert response.status_code == 200
    assert response.json() == []
    response = client.post(f"/assistants/{aid}/versions", json={"offset": 10**30})
    assert response.status_code == 404
    big = client.post("/assistants", json={"graph_id": "agent", "metadata": {"n": 10**30, "f": 1e308}})
    assert big.status_code == 200
    assert big.json()["metadata"] == {"n": 10**30, "f": 1e308}
    assert client.post("/assistants/count", json={"metadata": {"n": 10**30}}).json() == 1


def test_hostile_but_valid_strings_round_trip(target: tuple[httpx.Client, str]) -> None:
    client, _ = target
    values = [
        "'; DROP TABLE assistants; --",
        "\u0000nul inside\u0000",
        "emoji 🤖 and RTL \u202e and ZWJ 👩\u200d💻",
        "%s %d {0} ${x} \\u0000",
        MB_STRING,
    ]
    for value in values:
        body = {"graph_id": "agent", "name": value, "description": value, "metadata": {value[:100]: value}}
        created = client.post("/assistants", json=body)
        assert created.status_code == 200, created.text[:200]
        got = client.get(f"/assistants/{created.json()['assistant_id']}").json()
        assert (got["name"], got["description"]) == (value, value)
        assert got["metadata"] == {value[:100]: value}
        found = client.post("/assistants/search", json={"metadata": {value[:100]: value}}).json()
        assert [a["assistant_id"] for a in found] == [got["assistant_id"]]
        if len(value) < 1000:
            assert client.post("/assistants/count", json={"name": value}).json() == 1


@pytest.mark.reference
def test_deep_nesting_answers_as_the_reference(langsmith: httpx.Client) -> None:
    # jsonschema-rs gives up past ~255 levels (400, the reference's ValueError handler); the JSON parser
    # refuses documents nested deeper than about a thousand levels (422).
    expected = {50: 200, 200: 200, 400: 400, 5000: 422}
    for depth, status in expected.items():
        text = (
            '{"graph_id": "agent", "metadata": {"deep": ' + '{"k": ' * depth + '"leaf"' + "}" * depth + "}}"
        )
        response = langsmith.post("/assistants", content=text)
        assert response.status_code == status, (depth, response.text[:200])
        if status == 200:
            aid = response.json()["assistant_id"]
            assert langsmith.get(f"/assistants/{aid}").json()["metadata"] == json.loads(text)["metadata"]
    assert langsmith.post("/assistants", content=text.replace("5000", "")).status_code == 422
    deep = langsmith.post(
        "/assistants", content='{"graph_id": "agent", "metadata": ' + "[" * 400 + "]" * 400 + "}"
    )
    assert deep.status_code == 400
    assert deep.json() == {"detail": "Recursion limit reached"}


def test_oversized_body_is_413_in_langsmith_format(make_settings: Any) -> None:
    from tests.conftest import in_process

    settings = make_settings(overrides={"server.max_body_bytes": 1000})
    with in_process(settings, "http://testserver/langsmith") as client:
        response = client.post("/assistants", json={"graph_id": "agent", "name": "x" * 2000})
        assert response.status_code == 413
        assert response.json() == {"detail": "Request body too large (limit: 1000 bytes)"}

        def chunks():
            yield b'{"graph_id": "agent", "name": "'
            yield b"y" * 2000
            yield b'"}'

        streamed = client.post("/assistants", content=chunks())  # no content-length: counted while reading
        assert streamed.status_code == 413
        assert client.post("/assistants/count", json={}).json() == 3  # only the system assistants
