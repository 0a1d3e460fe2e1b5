"""langgraph-sdk 0.4.14 drives every `client.assistants` method against the gateway on a real uvicorn.

Marked `reference`: with LANGSMITH_REFERENCE_URL set, the same calls run against `langgraph dev`.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import uuid
from pathlib import Path

import pytest
from langgraph_sdk import get_client, get_sync_client
from langgraph_sdk.errors import BadRequestError, ConflictError, NotFoundError, UnprocessableEntityError

from tests.conftest import REFERENCE_URL

pytestmark = pytest.mark.reference

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture
def base_url(request: pytest.FixtureRequest) -> str:
    """The LangSmith dialect on a real uvicorn (or the reference server, when set)."""
    if REFERENCE_URL:
        return REFERENCE_URL
    return request.getfixturevalue("live_gateway") + "/langsmith"


@pytest.fixture
def client(base_url: str):
    with get_sync_client(url=base_url, api_key=None) as sdk:
        yield sdk


def test_create_get_update_delete(client) -> None:
    created = client.assistants.create(
        "agent",
        config={"tags": ["sdk"], "recursion_limit": 7},
        context={"model_name": "sdk-m"},
        metadata={"team": "sdk"},
        name="SDK assistant",
        description="made by the sdk",
    )
    aid = created["assistant_id"]
    assert created["config"] == {
        "tags": ["sdk"],
        "recursion_limit": 7,
        "configurable": {"model_name": "sdk-m"},
    }
    assert created["context"] == {"model_name": "sdk-m"}
    assert created["version"] == 1

    fetched = client.assistants.get(aid)
    assert fetched == created

    updated = client.assistants.update(
        aid, config={"tags": ["sdk2"]}, metadata={"env": "dev"}, name="renamed"
    )
    assert updated["version"] == 2
    assert updated["config"] == {"tags": ["sdk2"]}
    assert updated["context"] == {"model_name": "sdk-m"}
    assert updated["metadata"] == {"team": "sdk", "env": "dev"}
    assert updated["name"] == "renamed"
    assert updated["description"] == "made by the sdk"

    assert client.assistants.update(aid)["version"] == 3  # `{}` still makes a version

    assert client.assistants.delete(aid) is None
    with pytest.raises(NotFoundError):
        client.assistants.get(aid)
    with pytest.raises(NotFoundError):
        client.assistants.delete(aid, delete_threads=True)


def test_create_if_exists(client) -> None:
    aid = str(uuid.uuid4())
    first = client.assistants.create("agent", assistant_id=aid, name="one")
    with pytest.raises(ConflictError):
        client.assistants.create("agent", assistant_id=aid)
    assert client.assistants.create("nested", assistant_id=aid, if_exists="do_nothing") == first


def test_sdk_errors_map_to_their_classes(client) -> None:
    with pytest.raises(NotFoundError, match="Graph 'nope' not found"):
        client.assistants.create("nope")
    with pytest.raises(BadRequestError, match="Cannot specify both configurable and context"):
        client.assistants.create("agent", config={"configurable": {"a": 1}}, context={"b": 2})
    with pytest.raises(UnprocessableEntityError):
        client.assistants.get("agent")


def test_search_both_response_formats_and_count(client) -> None:
    run = uuid.uuid4().hex
    made = [client.assistants.create("agent", name=f"s{i}", metadata={"run": run}) for i in range(3)]

    page = client.assistants.search(metadata={"run": run}, limit=2)
    assert [a["name"] for a in page] == ["s2", "s1"]

    first = client.assistants.search(metadata={"run": run}, limit=2, response_format="object")
    assert [a["name"] for a in first["assistants"]] == ["s2", "s1"]
    assert first["next"] == "2"
    rest = client.assistants.search(metadata={"run": run}, limit=2, offset=2, response_format="object")
    assert [a["assistant_id"] for a in rest["assistants"]] == [made[0]["assistant_id"]]
    assert rest["next"] is None

    sorted_page = client.assistants.search(
        metadata={"run": run}, sort_by="name", sort_order="asc", select=["name", "version"]
    )
    assert sorted_page == [
        {"name": "s0", "version": 1},
        {"name": "s1", "version": 1},
        {"name": "s2", "version": 1},
    ]
    assert client.assistants.search(metadata={"run": run}, name="S1")[0]["name"] == "s1"
    assert client.assistants.search(graph_id="nested", metadata={"run": run}) == []

    assert client.assistants.count(metadata={"run": run}) == 3
    assert client.assistants.count(metadata={"run": run}, name="s2") == 1
    assert client.assistants.count(graph_id="agent", metadata={"run": run}) == 3


def test_versions_and_set_latest(client) -> None:
    aid = client.assistants.create("agent", name="v1", metadata={"stage": "one"})["assistant_id"]
    client.assistants.update(aid, name="v2", metadata={"stage": "two"})
    client.assistants.update(aid, name="v3")

    versions = client.assistants.get_versions(aid)
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert "updated_at" not in versions[0]
    assert [v["version"] for v in client.assistants.get_versions(aid, metadata={"stage": "two"})] == [3, 2]
    assert [v["version"] for v in client.assistants.get_versions(aid, limit=1, offset=2)] == [1]

    rolled_back = client.assistants.set_latest(aid, 1)
    assert (rolled_back["version"], rolled_back["name"]) == (1, "v1")
    assert client.assistants.update(aid)["version"] == 4
    with pytest.raises(NotFoundError):
        client.assistants.set_latest(aid, 42)


def test_graph_schemas_subgraphs(client) -> None:
    agent = client.assistants.search(metadata={"created_by": "system"}, graph_id="agent")[0]
    nested = client.assistants.search(metadata={"created_by": "system"}, graph_id="nested")[0]

    graph = client.assistants.get_graph(agent["assistant_id"])
    assert [n["id"] for n in graph["nodes"]] == ["__start__", "echo", "__end__"]
    xray = client.assistants.get_graph(nested["assistant_id"], xray=True)
    assert "child:inner" in [n["id"] for n in xray["nodes"]]
    assert client.assistants.get_graph(nested["assistant_id"], xray=1) == xray

    schemas = client.assistants.get_schemas(agent["assistant_id"])
    assert schemas["graph_id"] == "agent"
    assert schemas["context_schema"]["title"] == "Ctx"

    subgraphs = client.assistants.get_subgraphs(nested["assistant_id"])
    assert list(subgraphs) == ["child"]
    assert (
        client.assistants.get_subgraphs(nested["assistant_id"], namespace="child", recurse=True) == subgraphs
    )
    assert client.assistants.get_subgraphs(agent["assistant_id"]) == {}


def test_async_client_drives_every_method(base_url: str) -> None:
    async def scenario() -> None:
        client = get_client(url=base_url, api_key=None)
        run = uuid.uuid4().hex
        try:
            assistants = client.assistants
            created = await assistants.create("nested", name="async", metadata={"run": run})
            aid = created["assistant_id"]
            assert (await assistants.get(aid))["name"] == "async"
            updated = await assistants.update(aid, context={"model_name": "m"}, metadata={"v": 2})
            assert (updated["version"], updated["config"]) == (2, {"configurable": {"model_name": "m"}})
            found = await assistants.search(metadata={"run": run}, response_format="object")
            assert ([a["assistant_id"] for a in found["assistants"]], found["next"]) == ([aid], None)
            assert await assistants.count(metadata={"run": run}) == 1
            assert [v["version"] for v in await assistants.get_versions(aid)] == [2, 1]
            assert (await assistants.set_latest(aid, 1))["metadata"] == {"run": run}
            drawing = await assistants.get_graph(aid, xray=True)
            assert "child:inner" in [n["id"] for n in drawing["nodes"]]
            assert (await assistants.get_schemas(aid))["graph_id"] == "nested"
            assert list(await assistants.get_subgraphs(aid, recurse=True)) == ["child"]
            await assistants.delete(aid)
            with pytest.raises(NotFoundError):
                await assistants.get(aid)
        finally:
            await client.aclose()

    asyncio.run(scenario())


def test_readme_example_runs(base_url: str) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    example = next(b for b in blocks if "langgraph_sdk" in b)
    assert 'url="http://127.0.0.1:8080/langsmith"' in example
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(example.replace("http://127.0.0.1:8080/langsmith", base_url), {})
    assert "'team': 'support'" in out.getvalue()
    assert "'version': 2" in out.getvalue()
