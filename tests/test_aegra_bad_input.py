"""A sweep of hostile input against every Aegra route: never a 500, never a half-written row, and every
error in one of Aegra's two formats.

The in-process client re-raises any server exception, so a crash fails the test even before the
status code is looked at. Where real Aegra crashes (NaN, null config, NUL in text, colliding PATCHes)
the gateway answers a 4xx instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from gateway.config import load_settings
from tests.conftest import in_process

AEGRA_CONFIG = Path(__file__).parent / "fixtures" / "aegra.toml"
AGENT_SYSTEM_ID = "fe096781-5601-53d2-b2f6-0d3403f7e9ca"
JSON = {"content-type": "application/json"}
MB_STRING = "x" * (1024 * 1024)

MALFORMED_BODIES: list[bytes] = [
    b"{",
    b"not json",
    b"{} trailing",
    b"\xff\xfe",
    b'{"a": "\xff"}',
    b"[" * 5000 + b"]" * 5000,
    b"\x00",
    b"1" * 5000,
]
# Python's JSON parser takes these; Aegra ignores them in fields it does not read, crashes elsewhere.
UNSTORABLE = [b"NaN", b"-Infinity", b"1e99999", b'"\\ud800"']

WRONG_CREATE: list[Any] = [
    None,
    [],
    "string",
    42,
    True,
    {},
    {"graph_id": None},
    {"graph_id": 5},
    {"graph_id": ["agent"]},
    {"graph_id": "agent", "config": None},
    {"graph_id": "agent", "config": []},
    {"graph_id": "agent", "config": {"configurable": "x"}},
    {"graph_id": "agent", "config": {"configurable": [1]}},
    {"graph_id": "agent", "context": None},
    {"graph_id": "agent", "context": "x"},
    {"graph_id": "agent", "metadata": [1]},
    {"graph_id": "agent", "name": 1},
    {"graph_id": "agent", "name": "a\u0000b"},
    {"graph_id": "agent", "description": 5},
    {"graph_id": "agent", "description": "\u0000"},
    {"graph_id": "agent", "if_exists": 1},
    {"graph_id": "agent", "assistant_id": ""},
    {"graph_id": "agent", "assistant_id": " \t\n"},
    {"graph_id": "agent", "assistant_id": 5},
    {"graph_id": "agent", "assistant_id": "x" * 256},
    {"graph_id": "agent", "assistant_id": "a\u0000b"},
    {"graph_id": "agent", "assistant_id": AGENT_SYSTEM_ID},
    {"graph_id": "unknown-graph"},
    {"graph_id": "agent\u0000"},
    {"graph_id": MB_STRING},
    {"graph_id": "agent", "config": {"configurable": {"a": 1}}, "context": {"b": 1}},
]

WRONG_SEARCH: list[Any] = [
    None,
    [],
    {"limit": 0},
    {"limit": 101},
    {"limit": "many"},
    {"limit": 10**30},
    {"limit": 1.5},
    {"limit": "1" * 5000},
    {"limit": 1e300},
    {"limit": [1]},
    {"offset": -1},
    {"offset": 1.5},
    {"offset": "x"},
    {"metadata": "x"},
    {"metadata": [1]},
    {"graph_id": 5},
    {"name": 5},
    {"description": {}},
    {"sort_by": "version"},
    {"sort_by": 1},
    {"sort_order": "ASC"},
    {"sort_order": None, "sort_by": "nope"},
]

WRONG_PATCH: list[Any] = [
    None,
    [],
    "x",
    {"graph_id": None},
    {"graph_id": ""},
    {"graph_id": 1},
    {"graph_id": "a\u0000"},
    {"name": None},
    {"name": ""},
    {"name": "\u0000"},
    {"description": "\u0000"},
    {"config": []},
    {"config": {"configurable": "x"}},
    {"context": 1},
    {"metadata": "m"},
    {"config": {"configurable": {"a": 1}}, "context": {"b": 1}},
]

WRONG_LATEST: list[Any] = [
    None,
    [],
    {},
    {"version": "one"},
    {"version": 1.5},
    {"version": None},
    {"version": [1]},
    {"version": 10**30},
    {"version": -(2**70)},
    {"version": 0},
    {"version": 99},
]

BAD_IDS = [
    "nope",
    "agent",
    "' OR 1=1 --",
    "%00",
    "\u0000",
    "x" * 5000,
    "ünïcode",
    " ",
    "12345678-1234-1234-1234-12345678901",
]


def assert_aegra_error(response: httpx.Response) -> None:
    """A 4xx in Aegra's own format, or FastAPI's `{"detail": [...]}` / `{"detail": "..."}`."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    body = response.json()
    assert isinstance(body, dict), body
    if "detail" in body:
        assert list(body) == ["detail"]
        detail = body["detail"]
        assert (isinstance(detail, str) and detail) or (isinstance(detail, list) and detail), body
        if isinstance(detail, list):
            for entry in detail:
                assert {"type", "loc", "msg", "input"} <= set(entry) <= {"type", "loc", "msg", "input", "ctx"}
    else:
        assert list(body) == ["error", "message", "details"], body
        assert isinstance(body["message"], str) and body["message"] and body["details"] is None


@pytest.fixture
def target(tmp_path: Path) -> Iterator[tuple[httpx.Client, str]]:
    settings = load_settings(AEGRA_CONFIG, environ={}, overrides={"storage.path": str(tmp_path / "g.db")})
    with in_process(settings, "http://testserver/aegra") as client:
        created = client.post("/assistants", json={"graph_id": "agent", "metadata": {"sweep": True}})
        assert created.status_code == 200
        yield client, created.json()["assistant_id"]


def count_all(client: httpx.Client) -> int:
    response = client.post("/assistants/count", json={})
    assert response.status_code == 200
    return response.json()


def versions_of(client: httpx.Client, aid: str) -> int:
    return len(client.post(f"/assistants/{aid}/versions").json())


def test_malformed_bodies_on_every_json_route(target: tuple[httpx.Client, str]) -> None:
    client, aid = target
    before = count_all(client)
    routes = [
        ("POST", "/assistants"),
        ("POST", "/assistants/search"),
        ("POST", "/assistants/count"),
        ("PATCH", f"/assistants/{aid}"),
        ("POST", f"/assistants/{aid}/latest"),
    ]
    for method, path in routes:
        for body in MALFORMED_BODIES:
            response = client.request(method, path, content=body, headers=JSON)
            assert_aegra_error(response)
            assert response.status_code in (400, 422), (method, path, body[:20])
    assert count_all(client) == before
    assert versions_of(client, aid) == 1
    # /versions reads no body at all
    for body in MALFORMED_BODIES:
        assert client.post(f"/assistants/{aid}/versions", content=body, headers=JSON).status_code == 200


def test_unstorable_values_are_422s_where_used_and_ignored_elsewhere(
    target: tuple[httpx.Client, str],
) -> None:
    client, aid = target
    before = count_all(client)
    for value in UNSTORABLE:
        used = [
            ("POST", "/assistants", b'{"graph_id": "agent", "metadata": {"a": %s}}' % value),
            ("POST", "/assistants", b'{"graph_id": "agent", "name": %s}' % value),  # echoed in a 422
            ("POST", "/assistants/search", b'{"limit": %s}' % value),
            ("PATCH", f"/assistants/{aid}", b'{"context": {"k": [%s]}}' % value),
            ("POST", f"/assistants/{aid}/latest", b'{"version": %s}' % value),
        ]
        for method, path, raw in used:
            response = client.request(method, path, content=raw, headers=JSON)
            assert response.status_code == 422, (path, raw)
            assert response.json()["error"] == "validation_error"
            assert response.json()["message"].startswith(
                "Request body holds a value that cannot be stored as JSON"
            )
        ignored = client.post("/assistants/search", content=b'{"ignored": %s}' % value, headers=JSON)
        assert ignored.status_code == 200
    assert count_all(client) == before
    assert versions_of(client, aid) == 1


def test_wrong_create_bodies_store_nothing(target: tuple[httpx.Client, str]) -> None:
    client, _ = target
    before = count_all(client)
    for body in WRONG_CREATE:
        assert_aegra_error(client.post("/assistants", content=json.dumps(body), headers=JSON))
    assert count_all(client) == before
    listed = client.get("/assistants")  # nothing was stored that breaks a later listing
    assert listed.status_code == 200 and listed.json()["total"] == before


def test_wrong_search_and_count_bodies(target: tuple[httpx.Client, str]) -> None:
    client, _ = target
    for body in WRONG_SEARCH:
        for route in ("search", "count"):
            response = client.post(f"/assistants/{route}", content=json.dumps(body), headers=JSON)
            assert_aegra_error(response)
            assert response.status_code == 422


def test_wrong_patch_bodies_add_no_version(target: tuple[httpx.Client, str]) -> None:
    client, aid = target
    for body in WRONG_PATCH:
        assert_aegra_error(client.patch(f"/assistants/{aid}", content=json.dumps(body), headers=JSON))
    assert versions_of(client, aid) == 1
    current = client.get(f"/assistants/{aid}").json()
    assert (current["metadata"], current["graph_id"], current["version"]) == ({"sweep": True}, "agent", 1)


def test_wrong_latest_bodies(target: tuple[httpx.Client, str]) -> None:
    client, aid = target
    for body in WRONG_LATEST:
        assert_aegra_error(client.post(f"/assistants/{aid}/latest", content=json.dumps(body), headers=JSON))
    assert client.get(f"/assistants/{aid}").json()["version"] == 1


def test_bad_and_unknown_ids_on_every_route(target: tuple[httpx.Client, str]) -> None:
    client, _ = target
    for raw in BAD_IDS:
        path = quote(raw, safe="")
        calls = [
            ("GET", f"/assistants/{path}", None),
            ("PATCH", f"/assistants/{path}", {}),
            ("DELETE", f"/assistants/{path}", None),
            ("POST", f"/assistants/{path}/versions", None),
            ("POST", f"/assistants/{path}/latest", {"version": 1}),
            ("GET", f"/assistants/{path}/graph", None),
            ("GET", f"/assistants/{path}/schemas", None),
            ("GET", f"/assistants/{path}/subgraphs", None),
        ]
        for method, url, body in calls:
            response = client.request(method, url, json=body)
            assert_aegra_error(response)
            assert response.status_code in (404, 405), (raw[:20], method, url[:60], response.text[:200])


def test_hostile_query_parameters(target: tuple[httpx.Client, str]) -> None:
    client, _ = target
    graph = f"/assistants/{AGENT_SYSTEM_ID}/graph"
    for xray in ("9" * 5000, "1e3", "0x1", "\u0000", "true\u0000", "-" + "9" * 30):
        assert_aegra_error(client.get(graph, params={"xray": xray}))
    assert client.get(graph, params={"xray": "9" * 30}).status_code == 200  # any depth
    subgraphs = f"/assistants/{AGENT_SYSTEM_ID}/subgraphs"
    for params in ({"recurse": "maybe"}, {"recurse": "\u0000"}):
        assert_aegra_error(client.get(subgraphs, params=params))
    for namespace in ("|", "||", "x" * 10_000, "\u0000", "child|"):
        assert client.get(subgraphs, params={"namespace": namespace, "recurse": "true"}).json() == {}


def test_big_numbers_and_huge_offsets(target: tuple[httpx.Client, str]) -> None:
    client, aid = target
    response = client.post("/assistants/search", json={"offset": 10**30})
    assert (response.status_code, response.json()) == (200, [])
    big = client.post(
        "/assistants",
        json={"graph_id": "agent", "config": {"tags": ["big"]}, "metadata": {"n": 10**30, "f": 1e308}},
    )
    assert big.status_code == 200
    assert big.json()["metadata"] == {"n": 10**30, "f": 1e308}
    assert client.post("/assistants/count", json={"metadata": {"n": 10**30}}).json() == 1
    assert client.post(f"/assistants/{aid}/latest", json={"version": 2**63}).status_code == 404


def test_deep_nesting(target: tuple[httpx.Client, str]) -> None:
    client, _ = target
    for depth in (50, 400):
        metadata = {"deep": json.loads('{"k": ' * depth + '"leaf"' + "}" * depth)}
        response = client.post(
            "/assistants", json={"graph_id": "agent", "config": {"d": depth}, "metadata": metadata}
        )
        assert response.status_code == 200, (depth, response.text[:200])
        aid = response.json()["assistant_id"]
        assert client.get(f"/assistants/{aid}").json()["metadata"] == metadata
        assert client.post("/assistants/count", json={"metadata": metadata}).json() == 1
    text = '{"graph_id": "agent", "metadata": ' + '{"k": ' * 5000 + "1" + "}" * 5000 + "}"
    response = client.post("/assistants", content=text, headers=JSON)
    assert (response.status_code, response.json()) == (400, {"detail": "There was an error parsing the body"})


def test_hostile_but_valid_strings_round_trip(target: tuple[httpx.Client, str]) -> None:
    client, _ = target
    values = [
        "'; DROP TABLE assistants; --",
        "emoji 🤖 and RTL \u202e and ZWJ 👩\u200d💻",
        "%s %d {0} ${x} \\u0000 _%",
        MB_STRING,
    ]
    for n, value in enumerate(values):
        body = {
            "graph_id": "agent",
            "assistant_id": value[:255],
            "name": value,
            "description": value,
            "config": {"tags": [str(n)]},
            "metadata": {value[:100]: value},
        }
        created = client.post("/assistants", json=body)
        assert created.status_code == 200, created.text[:200]
        got = client.get("/assistants/" + quote(value[:255], safe="")).json()
        assert (got["assistant_id"], got["name"], got["description"]) == (value[:255], value, value)
        assert got["metadata"] == {value[:100]: value}
        found = client.post("/assistants/search", json={"metadata": {value[:100]: value}}).json()
        assert [a["assistant_id"] for a in found] == [value[:255]]
        if len(value) < 1000:
            assert client.post("/assistants/count", json={"name": value}).json() == 1
            assert client.post("/assistants/count", json={"description": value.upper()}).json() == 1


def test_oversized_bodies_are_refused_before_reading(tmp_path: Path) -> None:
    settings = load_settings(
        AEGRA_CONFIG,
        environ={},
        overrides={"storage.path": str(tmp_path / "g.db"), "server.max_body_bytes": 1000},
    )
    with in_process(settings, "http://testserver/aegra") as client:

        def chunks() -> Iterator[bytes]:
            yield b'{"graph_id": "agent", "name": "'
            yield b"y" * 2000
            yield b'"}'

        for content in (json.dumps({"graph_id": "agent", "name": "x" * 2000}).encode(), chunks()):
            response = client.post("/assistants", content=content, headers=JSON)
            assert response.status_code == 413
            assert_aegra_error(response)
        assert count_all(client) == 3
