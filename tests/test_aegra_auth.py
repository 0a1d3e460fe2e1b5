"""Users in the Aegra dialect: with API keys each key is a user id, assistants belong to their creator,
other users' assistants answer 404, and system assistants are visible to all but read-only.

`AEGRA_AUTH_REFERENCE_URL=http://127.0.0.1:2127` runs them against a real Aegra 0.11.0 whose
`langgraph_sdk.Auth` handler maps `x-api-key` "alice-key" / "bob-key" to the identities "alice" / "bob"
(missing key → 401 "Authentication required", unknown → 401 "Invalid API key"; specs/aegra.md §5.9),
serving the graphs of tests/fixtures/aegra.toml; the gateway-only tests are then skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from gateway.config import load_settings
from tests.conftest import in_process

AEGRA_CONFIG = Path(__file__).parent / "fixtures" / "aegra.toml"
REFERENCE = os.environ.get("AEGRA_AUTH_REFERENCE_URL")
gateway_only = pytest.mark.skipif(bool(REFERENCE), reason="needs the gateway's tenants or other dialects")
AGENT_SYSTEM_ID = "fe096781-5601-53d2-b2f6-0d3403f7e9ca"
ALICE = {"x-api-key": "alice-key"}
BOB = {"x-api-key": "bob-key"}
KEYS = """
[[auth.keys]]
key = "alice-key"
user = "alice"

[[auth.keys]]
key = "bob-key"
user = "bob"

[[auth.keys]]
key = "carol-key"
tenant = "elsewhere"
user = "alice"
"""


def error(kind: str, message: str) -> dict[str, Any]:
    return {"error": kind, "message": message, "details": None}


@pytest.fixture
def aegra(tmp_path: Path) -> Iterator[httpx.Client]:
    if REFERENCE:
        with httpx.Client(base_url=REFERENCE, timeout=30) as client:
            for headers in (ALICE, BOB):
                for a in client.get("/assistants", headers=headers).json()["assistants"]:
                    if a["user_id"] != "system":
                        client.delete("/assistants/" + quote(a["assistant_id"], safe=""), headers=headers)
            yield client
        return
    text = AEGRA_CONFIG.read_text().replace('"aegra/', f'"{AEGRA_CONFIG.parent}/aegra/') + KEYS
    path = tmp_path / "gateway.toml"
    path.write_text(text, encoding="utf-8")
    settings = load_settings(path, environ={}, overrides={"storage.path": str(tmp_path / "g.db")})
    with in_process(settings, "http://testserver/aegra") as client:
        yield client


def make(client: httpx.Client, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    body.setdefault("graph_id", "agent")
    response = client.post("/assistants", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_missing_and_unknown_keys_are_401_in_aegra_format(aegra: httpx.Client) -> None:
    missing = aegra.post("/assistants/search", json={})
    assert (missing.status_code, missing.json()) == (401, error("unauthorized", "Authentication required"))
    unknown = aegra.post("/assistants/search", json={}, headers={"x-api-key": "nope"})
    assert (unknown.status_code, unknown.json()) == (401, error("unauthorized", "Invalid API key"))
    for method, path in (
        ("GET", "/assistants"),
        ("GET", "/assistants/x"),
        ("DELETE", "/assistants/x"),
        ("POST", "/assistants/x/versions"),
        ("GET", "/assistants/x/graph"),
    ):
        assert aegra.request(method, path).status_code == 401, (method, path)


@gateway_only
def test_the_key_may_also_come_as_a_bearer_token(aegra: httpx.Client) -> None:
    bearer = aegra.post("/assistants/count", json={}, headers={"authorization": "Bearer alice-key"})
    assert (bearer.status_code, bearer.json()) == (200, 3)
    wrong = aegra.post("/assistants/count", json={}, headers={"authorization": "Bearer nope"})
    assert wrong.json() == error("unauthorized", "Invalid API key")


def test_what_comes_before_and_after_the_401(aegra: httpx.Client) -> None:
    # FastAPI parses the JSON body before dependencies run, and validates it after them.
    broken = aegra.post("/assistants/search", content=b"{", headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["detail"][0]["type"] == "json_invalid"
    assert aegra.post("/assistants/search", json={"limit": 0}).status_code == 401
    assert aegra.get("/assistants/x/graph", params={"xray": "nope"}).status_code == 401
    # unknown routes and the meta routes need no key
    assert aegra.get("/nothing").json() == {"detail": "Not Found"}
    for path in ("/", "/info", "/health", "/ready", "/live"):
        assert aegra.get(path).status_code == 200, path


def test_assistants_belong_to_their_creator(aegra: httpx.Client) -> None:
    mine = make(aegra, ALICE, assistant_id="alices", metadata={"k": 1})
    assert mine["user_id"] == "alice"
    for method, path, body in (
        ("GET", "/assistants/alices", None),
        ("PATCH", "/assistants/alices", {"name": "stolen"}),
        ("DELETE", "/assistants/alices", None),
        ("POST", "/assistants/alices/versions", None),
        ("POST", "/assistants/alices/latest", {"version": 1}),
        ("GET", "/assistants/alices/schemas", None),
        ("GET", "/assistants/alices/graph", None),
        ("GET", "/assistants/alices/subgraphs", None),
    ):
        response = aegra.request(method, path, json=body, headers=BOB)
        assert (response.status_code, response.json()) == (
            404,
            error("not_found", "Assistant 'alices' not found"),
        ), (method, path)
    assert aegra.get("/assistants/alices", headers=ALICE).json() == mine
    assert aegra.post("/assistants/count", json={"metadata": {"k": 1}}, headers=BOB).json() == 0
    assert aegra.post("/assistants/search", json={"metadata": {"k": 1}}, headers=BOB).json() == []
    assert [a["assistant_id"] for a in aegra.get("/assistants", headers=BOB).json()["assistants"]] == [
        AGENT_SYSTEM_ID,
        "8d2fdf5d-7331-5702-b419-c34f4de91ad4",
        "0813419b-f0e6-579e-bdee-18d9fdf48632",
    ]


def test_ids_are_unique_across_users_and_never_revealed(aegra: httpx.Client) -> None:
    make(aegra, ALICE, assistant_id="taken")
    for if_exists in ("error", "do_nothing"):
        response = aegra.post(
            "/assistants",
            json={"graph_id": "other", "assistant_id": "taken", "if_exists": if_exists},
            headers=BOB,
        )
        assert (response.status_code, response.json()) == (
            409,
            error("conflict", "Assistant 'taken' already exists"),
        )
    system = aegra.post(
        "/assistants", json={"graph_id": "agent", "assistant_id": AGENT_SYSTEM_ID}, headers=BOB
    )
    assert system.status_code == 409


def test_do_nothing_on_someone_elses_id_answers_the_callers_twin(aegra: httpx.Client) -> None:
    make(aegra, ALICE, assistant_id="taken")
    twin = make(aegra, BOB, config={"tags": ["t"]})
    found = aegra.post(
        "/assistants",
        json={
            "graph_id": "agent",
            "assistant_id": "taken",
            "config": {"tags": ["t"]},
            "if_exists": "do_nothing",
        },
        headers=BOB,
    )
    assert found.status_code == 200
    assert found.json() == twin


def test_uniqueness_of_graph_and_config_is_per_user(aegra: httpx.Client) -> None:
    alice = make(aegra, ALICE, config={"tags": ["same"]})
    bob = make(aegra, BOB, config={"tags": ["same"]})
    assert alice["assistant_id"] != bob["assistant_id"]
    again = aegra.post("/assistants", json={"graph_id": "agent", "config": {"tags": ["same"]}}, headers=BOB)
    assert again.status_code == 409


def test_system_assistants_are_visible_to_all_but_read_only(aegra: httpx.Client) -> None:
    for headers in (ALICE, BOB):
        assert aegra.get(f"/assistants/{AGENT_SYSTEM_ID}", headers=headers).json()["user_id"] == "system"
        versions = aegra.post(f"/assistants/{AGENT_SYSTEM_ID}/versions", headers=headers).json()
        assert versions[0]["user_id"] == headers["x-api-key"].removesuffix("-key")  # the caller
        for method, path, body in (
            ("PATCH", f"/assistants/{AGENT_SYSTEM_ID}", {}),
            ("DELETE", f"/assistants/{AGENT_SYSTEM_ID}", None),
            ("POST", f"/assistants/{AGENT_SYSTEM_ID}/latest", {"version": 1}),
        ):
            response = aegra.request(method, path, json=body, headers=headers)
            assert response.status_code == 404, (method, path)
    assert aegra.get(f"/assistants/{AGENT_SYSTEM_ID}/schemas", headers=BOB).status_code == 200
    assert aegra.post("/assistants/count", json={}, headers=BOB).json() == 3


@gateway_only
def test_tenants_are_separate_even_for_the_same_user_id(aegra: httpx.Client) -> None:
    carol = {"x-api-key": "carol-key"}
    make(aegra, ALICE, assistant_id="shared-name")
    assert aegra.get("/assistants/shared-name", headers=carol).status_code == 404
    elsewhere = make(aegra, carol, assistant_id="shared-name")  # ids are unique per tenant
    assert elsewhere["user_id"] == "alice"
    assert aegra.post("/assistants/count", json={}, headers=carol).json() == 4
    assert aegra.post("/assistants/count", json={}, headers=ALICE).json() == 4


@gateway_only
def test_langsmith_assistants_of_the_same_user_are_aegras_too(aegra: httpx.Client) -> None:
    base = str(aegra.base_url).removesuffix("/aegra/").removesuffix("/aegra")
    made = aegra.post(
        f"{base}/langsmith/assistants", json={"graph_id": "agent", "name": "from langsmith"}, headers=ALICE
    ).json()
    seen = aegra.get(f"/assistants/{made['assistant_id']}", headers=ALICE).json()
    assert (seen["name"], seen["user_id"]) == ("from langsmith", "alice")
    assert aegra.get(f"/assistants/{made['assistant_id']}", headers=BOB).status_code == 404
