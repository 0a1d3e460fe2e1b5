"""langgraph-sdk 0.4.14 drives every `client.assistants` method against the Aegra mount on a real uvicorn,
with Aegra's own behaviours asserted: do_nothing, the 409s, DELETE's body, metadata merge, versions,
/latest, and the SDK features Aegra does not serve (specs/aegra.md §7).

`AEGRA_REFERENCE_URL=http://127.0.0.1:2126` (and `AEGRA_AUTH_REFERENCE_URL=http://127.0.0.1:2127` for the
API-key test) drive a real Aegra 0.11.0 instead, as tests/test_aegra_api.py and test_aegra_auth.py
describe; each test then starts by deleting the users' own assistants there.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from langgraph_sdk import get_client, get_sync_client
from langgraph_sdk.errors import BadRequestError, ConflictError, NotFoundError, UnprocessableEntityError

from gateway.app import Gateway
from gateway.config import load_settings
from tests.conftest import live_server

AEGRA_CONFIG = Path(__file__).parent / "fixtures" / "aegra.toml"
REFERENCE = os.environ.get("AEGRA_REFERENCE_URL")
AUTH_REFERENCE = os.environ.get("AEGRA_AUTH_REFERENCE_URL")
AGENT_SYSTEM_ID = "fe096781-5601-53d2-b2f6-0d3403f7e9ca"
NESTED_SYSTEM_ID = "0813419b-f0e6-579e-bdee-18d9fdf48632"
KEYS = """
[[auth.keys]]
key = "alice-key"
user = "alice"

[[auth.keys]]
key = "bob-key"
user = "bob"
"""


def serve(tmp_path: Path, extra: str = "") -> Any:
    text = AEGRA_CONFIG.read_text().replace('"aegra/', f'"{AEGRA_CONFIG.parent}/aegra/') + extra
    path = tmp_path / "gateway.toml"
    path.write_text(text, encoding="utf-8")
    settings = load_settings(path, environ={}, overrides={"storage.path": str(tmp_path / "g.db")})
    return live_server(Gateway(settings).app())


def clean(url: str, *keys: str | None) -> str:
    """Delete every assistant the given users own on a reference server (it keeps its state)."""
    with httpx.Client(base_url=url, timeout=30) as http:
        for key in keys:
            headers = {"x-api-key": key} if key else {}
            for a in http.get("/assistants", headers=headers).json()["assistants"]:
                if a["user_id"] != "system":
                    http.delete("/assistants/" + quote(a["assistant_id"], safe=""), headers=headers)
    return url


@contextlib.contextmanager
def aegra_url(tmp_path: Path, keys: bool = False) -> Iterator[str]:
    """The Aegra mount of a fresh gateway on a real uvicorn, or the reference server when set."""
    reference = AUTH_REFERENCE if keys else REFERENCE
    if reference:
        yield clean(reference, *(("alice-key", "bob-key") if keys else (None,)))
        return
    with serve(tmp_path, KEYS if keys else "") as url:
        yield f"{url}/aegra"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[str]:
    with aegra_url(tmp_path) as url:
        yield url


@pytest.fixture
def client(live: str) -> Iterator[Any]:
    with get_sync_client(url=live, api_key=None) as sdk:
        yield sdk


def test_create_get_update_delete(client: Any, live: str) -> None:
    created = client.assistants.create(
        "agent",
        config={"tags": ["sdk"], "recursion_limit": 7},
        context={"model": "sdk-m"},
        metadata={"team": "sdk"},
        name="SDK assistant",
        description="made by the sdk",
        assistant_id="sdk-assistant",  # any string, not only a uuid
    )
    assert created["assistant_id"] == "sdk-assistant"
    assert created["config"] == {"tags": ["sdk"], "recursion_limit": 7, "configurable": {"model": "sdk-m"}}
    assert created["context"] == {"model": "sdk-m"}
    assert (created["user_id"], created["version"]) == ("anonymous", 1)
    assert created["created_at"].endswith("Z")
    assert client.assistants.get("sdk-assistant") == created

    updated = client.assistants.update("sdk-assistant", metadata={"env": "dev"}, name="renamed")
    assert updated["version"] == 2
    assert updated["metadata"] == {"team": "sdk", "env": "dev"}  # merged
    assert (updated["name"], updated["description"]) == ("renamed", "made by the sdk")
    assert updated["config"] == created["config"] and updated["context"] == created["context"]
    assert client.assistants.update("sdk-assistant")["version"] == 3  # `{}` still makes a version

    # The SDK drops DELETE's body; the wire carries Aegra's 200 {"status": "deleted"}.
    assert client.assistants.delete("sdk-assistant", delete_threads=True) is None
    with pytest.raises(NotFoundError):
        client.assistants.get("sdk-assistant")
    with pytest.raises(NotFoundError):
        client.assistants.delete("sdk-assistant")
    again = client.assistants.create("agent", config={"tags": ["raw"]})
    raw = httpx.delete(f"{live}/assistants/{again['assistant_id']}")
    assert (raw.status_code, raw.json()) == (200, {"status": "deleted"})


def test_if_exists_and_the_one_per_graph_and_config_rule(client: Any) -> None:
    first = client.assistants.create("agent", assistant_id="one", name="one", config={"tags": ["x"]})
    with pytest.raises(ConflictError, match="Assistant 'one' already exists"):
        client.assistants.create("agent", assistant_id="one")
    with pytest.raises(ConflictError):
        client.assistants.create("nested", assistant_id="one", if_exists="raise")
    assert client.assistants.create("nested", assistant_id="one", if_exists="do_nothing") == first
    # same graph and config under another id: 409, or the existing one with do_nothing
    with pytest.raises(ConflictError, match="Assistant 'two' already exists"):
        client.assistants.create("agent", assistant_id="two", config={"tags": ["x"]})
    twin = client.assistants.create(
        "agent", assistant_id="two", config={"tags": ["x"]}, if_exists="do_nothing"
    )
    assert twin == first
    plain = client.assistants.create("agent")  # the system assistant does not count
    with pytest.raises(ConflictError):
        client.assistants.create("agent")
    assert client.assistants.create("agent", if_exists="do_nothing") == plain


def test_sdk_errors_map_to_their_classes(client: Any) -> None:
    with pytest.raises(BadRequestError, match=r"not found in aegra\.json"):
        client.assistants.create("nope")
    with pytest.raises(BadRequestError, match="Cannot specify both configurable and context"):
        client.assistants.create("agent", config={"configurable": {"a": 1}}, context={"b": 2})
    with pytest.raises(NotFoundError):
        client.assistants.get("agent")  # a graph id is not an assistant id here
    aid = client.assistants.create("agent", config={"tags": ["e"]})["assistant_id"]
    assert client.assistants.update(aid, name="")["name"] == "Assistant for agent"  # the SDK drops ""
    with pytest.raises(UnprocessableEntityError):
        client.assistants.search(limit=101)
    with pytest.raises(NotFoundError):
        client.assistants.update(AGENT_SYSTEM_ID, name="mine now")  # system assistants are read-only


def test_search_both_response_formats_and_count(client: Any) -> None:
    run = uuid.uuid4().hex
    made = [
        client.assistants.create("agent", name=f"s{i}", metadata={"run": run}, config={"tags": [str(i)]})
        for i in range(3)
    ]
    page = client.assistants.search(metadata={"run": run}, limit=2)
    assert [a["name"] for a in page] == ["s2", "s1"]
    first = client.assistants.search(metadata={"run": run}, limit=2, response_format="object")
    assert [a["name"] for a in first["assistants"]] == ["s2", "s1"]
    assert first["next"] is None  # Aegra sends no X-Pagination headers
    rest = client.assistants.search(metadata={"run": run}, limit=2, offset=2)
    assert [a["assistant_id"] for a in rest] == [made[0]["assistant_id"]]
    ordered = client.assistants.search(
        metadata={"run": run}, sort_by="name", sort_order="asc", select=["name"]
    )
    assert [a["name"] for a in ordered] == ["s0", "s1", "s2"]
    assert "graph_id" in ordered[0]  # select is ignored
    assert client.assistants.search(metadata={"run": run}, name="S1")[0]["name"] == "s1"
    assert client.assistants.search(graph_id="nested", metadata={"run": run}) == []
    assert client.assistants.count(metadata={"run": run}) == 3
    assert client.assistants.count(metadata={"run": run}, name="s2") == 1
    assert client.assistants.count(graph_id="agent") == 4  # the system assistant too


def test_versions_and_set_latest(client: Any) -> None:
    aid = client.assistants.create("agent", name="v1", metadata={"stage": "one"})["assistant_id"]
    client.assistants.update(aid, name="v2", metadata={"stage": "two"})
    client.assistants.update(aid, name="v3")
    versions = client.assistants.get_versions(aid)
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert versions[0]["created_at"] == versions[0]["updated_at"]
    # limit, offset and metadata are ignored by Aegra
    assert len(client.assistants.get_versions(aid, limit=1, offset=1, metadata={"stage": "one"})) == 3
    rolled_back = client.assistants.set_latest(aid, 1)
    assert (rolled_back["version"], rolled_back["name"], rolled_back["metadata"]) == (
        1,
        "v1",
        {"stage": "one"},
    )
    assert client.assistants.update(aid)["version"] == 4
    with pytest.raises(NotFoundError, match="Version '42'"):
        client.assistants.set_latest(aid, 42)


def test_graph_schemas_subgraphs(client: Any) -> None:
    graph = client.assistants.get_graph(AGENT_SYSTEM_ID)
    assert [n["id"] for n in graph["nodes"]] == ["__start__", "echo", "__end__"]
    xray = client.assistants.get_graph(NESTED_SYSTEM_ID, xray=True)
    assert "child:inner" in [n["id"] for n in xray["nodes"]]
    assert client.assistants.get_graph(NESTED_SYSTEM_ID, xray=1) == xray
    with pytest.raises(UnprocessableEntityError):
        client.assistants.get_graph(NESTED_SYSTEM_ID, xray=-1)
    schemas = client.assistants.get_schemas(AGENT_SYSTEM_ID)
    assert schemas["graph_id"] == "agent" and schemas["context_schema"]["title"] == "Ctx"
    subgraphs = client.assistants.get_subgraphs(NESTED_SYSTEM_ID, recurse=True)
    assert list(subgraphs) == ["child"]
    with pytest.raises(NotFoundError):  # the SDK's `/subgraphs/{namespace}` form is not an Aegra route
        client.assistants.get_subgraphs(NESTED_SYSTEM_ID, namespace="child")


def test_api_keys_map_to_users(tmp_path: Path) -> None:
    with (
        aegra_url(tmp_path, keys=True) as url,
        get_sync_client(url=url, api_key="alice-key") as alice,
        get_sync_client(url=url, api_key="bob-key") as bob,
        get_sync_client(url=url, api_key=None) as nobody,
    ):
        mine = alice.assistants.create("agent", assistant_id="alices", config={})
        assert mine["user_id"] == "alice"
        assert bob.assistants.create("agent", config={})["user_id"] == "bob"  # per-user uniqueness
        with pytest.raises(NotFoundError):
            bob.assistants.get("alices")
        with pytest.raises(ConflictError):
            bob.assistants.create("other", assistant_id="alices", if_exists="do_nothing")
        assert [a["user_id"] for a in bob.assistants.search(graph_id="agent")] == ["bob", "system"]
        assert bob.assistants.get_versions(AGENT_SYSTEM_ID)[0]["user_id"] == "bob"
        with pytest.raises(httpx.HTTPStatusError) as denied:
            nobody.assistants.search()
        assert denied.value.response.status_code == 401


def test_async_client(live: str) -> None:
    async def scenario() -> None:
        client = get_client(url=live, api_key=None)
        try:
            created = await client.assistants.create("agent", name="async", metadata={"mode": "async"})
            assert (await client.assistants.get(created["assistant_id"]))["name"] == "async"
            assert await client.assistants.count(metadata={"mode": "async"}) == 1
            await client.assistants.delete(created["assistant_id"])
            assert await client.assistants.count(metadata={"mode": "async"}) == 0
        finally:
            await client.aclose()

    asyncio.run(scenario())
