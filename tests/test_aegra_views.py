"""Assistants made through other dialects, seen and edited through Aegra (DESIGN.md, Views across
dialects): the LangGraph view of canonical fields, the default graph, nothing destroyed by a write,
and how Aegra's one-per-(user, graph_id, config) rule treats what other dialects created."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from dialects.aegra.wire import AegraView, jsonb_ordered
from dialects.langgraph import ContextKeys
from gateway.app import Gateway
from gateway.config import load_settings
from gateway.model import Assistant, Scope, Version, snapshot_of

AEGRA_CONFIG = Path(__file__).parent / "fixtures" / "aegra.toml"
AGENT_SYSTEM_ID = "fe096781-5601-53d2-b2f6-0d3403f7e9ca"


class Both:
    """One gateway, its service, and clients for the Aegra and LangSmith mounts."""

    def __init__(self, gateway: Gateway, client: TestClient) -> None:
        self.gateway = gateway
        self.client = client

    def aegra(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, f"/aegra{path}", **kwargs)

    def langsmith(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, f"/langsmith{path}", **kwargs)

    def store(self, assistant: Assistant) -> None:
        """An assistant as a graph-less dialect (Langdock, PAIS) would create it."""
        assert self.client.portal is not None
        self.client.portal.call(self.gateway.service.create, Scope(), assistant)

    def stored(self, assistant_id: str) -> Assistant:
        assert self.client.portal is not None
        return self.client.portal.call(self.gateway.service.get, Scope(), assistant_id)


@pytest.fixture
def both(tmp_path: Path) -> Iterator[Both]:
    settings = load_settings(AEGRA_CONFIG, environ={}, overrides={"storage.path": str(tmp_path / "g.db")})
    gateway = Gateway(settings)
    with TestClient(gateway.app()) as client:
        yield Both(gateway, client)


def langdock_like(**fields: Any) -> Assistant:
    return Assistant(
        id=fields.pop("id", "ld-1"),
        name="Langdock bot",
        instructions="Be brief.",
        model="gpt-4o",
        temperature=0.3,
        extensions={"langdock": {"emoji": "🤖", "conversationStarters": ["hi"]}},
        metadata={"source": "langdock"},
        **fields,
    )


def test_a_graph_less_assistant_shows_the_default_graph_and_canonical_fields(both: Both) -> None:
    both.store(langdock_like())
    shown = both.aegra("GET", "/assistants/ld-1").json()
    assert shown["graph_id"] == "agent"  # the default (first) graph
    assert shown["context"] == {"model": "gpt-4o", "temperature": 0.3, "system_prompt": "Be brief."}
    assert shown["config"] == {"configurable": shown["context"]}
    assert (shown["user_id"], shown["metadata"]) == ("anonymous", {"source": "langdock"})
    assert "extensions" not in shown
    found = both.aegra("POST", "/assistants/search", json={"graph_id": "agent"}).json()
    assert [a["assistant_id"] for a in found] == ["ld-1", AGENT_SYSTEM_ID]


def test_an_aegra_patch_keeps_what_aegra_cannot_see(both: Both) -> None:
    both.store(langdock_like())
    patched = both.aegra("PATCH", "/assistants/ld-1", json={"name": "renamed", "metadata": {"k": 1}})
    assert patched.status_code == 200
    stored = both.stored("ld-1")
    assert (stored.name, stored.instructions, stored.model, stored.temperature) == (
        "renamed",
        "Be brief.",
        "gpt-4o",
        0.3,
    )
    assert stored.extensions == {"langdock": {"emoji": "🤖", "conversationStarters": ["hi"]}}
    assert stored.graph_id is None  # not pinned to the default graph by a write that did not name one
    assert stored.metadata == {"source": "langdock", "k": 1}


def test_an_aegra_context_write_sets_the_canonical_fields(both: Both) -> None:
    both.store(langdock_like())
    both.aegra("PATCH", "/assistants/ld-1", json={"context": {"system_prompt": "Be long.", "model": "m2"}})
    stored = both.stored("ld-1")
    assert (stored.instructions, stored.model, stored.temperature) == ("Be long.", "m2", None)
    assert stored.extensions["langdock"]["emoji"] == "🤖"
    rolled = both.aegra("POST", "/assistants/ld-1/latest", json={"version": 1}).json()
    assert rolled["context"]["system_prompt"] == "Be brief."


def test_a_langdock_assistant_made_over_http_is_an_aegra_assistant(both: Both) -> None:
    made = both.client.post(
        "/langdock/assistant/v1/create",
        json={"name": "LD", "instruction": "Be brief.", "model": "gpt-5-mini", "emoji": "🧾"},
    )
    assert made.status_code == 201, made.text
    aid = made.json()["assistant"]["id"]
    shown = both.aegra("GET", f"/assistants/{aid}").json()
    assert (shown["name"], shown["user_id"], shown["graph_id"]) == ("LD", "anonymous", "agent")
    assert shown["context"]["system_prompt"] == "Be brief." and shown["context"]["model"] == "gpt-5-mini"
    assert aid in [a["assistant_id"] for a in both.aegra("GET", "/assistants").json()["assistants"]]
    patched = both.aegra("PATCH", f"/assistants/{aid}", json={"metadata": {"k": 1}})
    assert patched.status_code == 200 and patched.json()["version"] == 2
    assert both.stored(aid).extensions["langdock"]["emoji"] == "🧾"
    assert both.aegra("DELETE", f"/assistants/{aid}").json() == {"status": "deleted"}


def test_langsmith_assistants_appear_with_aegras_shape(both: Both) -> None:
    made = both.langsmith(
        "POST", "/assistants", json={"graph_id": "nested", "metadata": {"zz": 1, "a": 2}, "name": "from ls"}
    ).json()
    shown = both.aegra("GET", f"/assistants/{made['assistant_id']}").json()
    assert list(shown["metadata"]) == ["a", "zz"]
    assert (shown["name"], shown["user_id"], shown["graph_id"]) == ("from ls", "anonymous", "nested")
    assert shown["created_at"].endswith("Z") and made["created_at"].endswith("+00:00")
    both.aegra("PATCH", f"/assistants/{made['assistant_id']}", json={"description": "via aegra"})
    assert both.langsmith("GET", f"/assistants/{made['assistant_id']}").json()["description"] == "via aegra"


def test_uniqueness_with_duplicates_made_through_langsmith(both: Both) -> None:
    # LangSmith has no (graph, config) rule: two plain assistants of the same (anonymous) user.
    first = both.langsmith("POST", "/assistants", json={"graph_id": "other"}).json()
    second = both.langsmith("POST", "/assistants", json={"graph_id": "other"}).json()
    refused = both.aegra("POST", "/assistants", json={"graph_id": "other", "assistant_id": "mine"})
    assert refused.status_code == 409
    oldest = both.aegra("POST", "/assistants", json={"graph_id": "other", "if_exists": "do_nothing"}).json()
    assert oldest["assistant_id"] == first["assistant_id"]
    # editing one of the duplicates without touching graph or config is fine ...
    renamed = both.aegra("PATCH", f"/assistants/{second['assistant_id']}", json={"name": "renamed"})
    assert renamed.status_code == 200
    # ... moving one onto another's (graph, config) is not
    third = both.aegra("POST", "/assistants", json={"graph_id": "other", "config": {"tags": ["3"]}}).json()
    moved = both.aegra("PATCH", f"/assistants/{third['assistant_id']}", json={"config": {}})
    assert moved.status_code == 409
    assert moved.json()["message"] == f"Assistant '{first['assistant_id']}' already exists"


def test_latest_onto_a_taken_graph_and_config_is_409(both: Both) -> None:
    a = both.aegra("POST", "/assistants", json={"graph_id": "other", "config": {"tags": ["a"]}}).json()
    both.aegra("PATCH", f"/assistants/{a['assistant_id']}", json={"config": {"tags": ["a2"]}})
    both.aegra(
        "POST", "/assistants", json={"graph_id": "other", "config": {"tags": ["a"]}, "assistant_id": "b"}
    )
    response = both.aegra("POST", f"/assistants/{a['assistant_id']}/latest", json={"version": 1})
    assert response.status_code == 409
    assert response.json() == {
        "error": "conflict",
        "message": "Assistant 'b' already exists",
        "details": None,
    }
    assert both.aegra("GET", f"/assistants/{a['assistant_id']}").json()["version"] == 2


def test_system_assistant_descriptions_per_dialect(both: Both) -> None:
    assert both.langsmith("GET", f"/assistants/{AGENT_SYSTEM_ID}").json()["description"] is None
    shown = both.aegra("GET", f"/assistants/{AGENT_SYSTEM_ID}").json()
    assert shown["description"] == "Default assistant for graph 'agent'"
    versions = both.aegra("POST", f"/assistants/{AGENT_SYSTEM_ID}/versions").json()
    assert versions[0]["description"] == "Default assistant for graph 'agent'"
    # a description given through another dialect wins over the default text
    both.langsmith("PATCH", f"/assistants/{AGENT_SYSTEM_ID}", json={"description": "set in langsmith"})
    assert both.aegra("GET", f"/assistants/{AGENT_SYSTEM_ID}").json()["description"] == "set in langsmith"


def test_view_unit_ordering_and_versions() -> None:
    view = AegraView(ContextKeys("system_prompt", "model", "temperature"), "agent", metadata_key="metadata")
    a = Assistant(id="x", name="n", owner="bob", metadata={"bb": 1, "a": {"zz": [{"yy": 1, "x": 2}]}})
    out = view.assistant(a)
    assert list(out.metadata) == ["a", "bb"] and list(out.metadata["a"]["zz"][0]) == ["x", "yy"]
    assert out.created_at == "1970-01-01T00:00:00Z"
    v = view.version(
        "x", Version(version=3, created_at=1_500_000, snapshot=snapshot_of(a)), user_id="me", owner="bob"
    )
    assert (v.user_id, v.version, v.created_at, v.updated_at) == (
        "me",
        3,
        "1970-01-01T00:00:01.500000Z",
        v.created_at,
    )
    ordered = {"a": 1, "bb": {"c": [1, {"d": 2}]}}
    assert jsonb_ordered(ordered) is ordered  # no copy when already in order
    assert list(jsonb_ordered({"é": 1, "z": 2, "aa": 3})) == ["z", "aa", "é"]  # bytes, not characters
