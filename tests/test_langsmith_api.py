"""LangSmith dialect over HTTP: every status code and error string of specs/langsmith.md §2-§6.

Tests marked `reference` make no assumption about what else is stored (each tags its own assistants
with a unique metadata value), so they also pass against `langgraph dev` serving tests/fixtures.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.reference

AGENT_SYSTEM_ID = "fe096781-5601-53d2-b2f6-0d3403f7e9ca"
NESTED_SYSTEM_ID = "0813419b-f0e6-579e-bdee-18d9fdf48632"
BOTH = (
    "Cannot specify both configurable and context. Prefer setting context alone. Context was introduced in "
    "LangGraph 0.6.0 and is the long term planned replacement for configurable."
)
KEY_ORDER = [
    "assistant_id",
    "graph_id",
    "config",
    "context",
    "metadata",
    "name",
    "created_at",
    "updated_at",
    "version",
    "description",
]


def tag() -> dict[str, str]:
    return {"test_run": uuid.uuid4().hex}


def create(client: httpx.Client, **body: Any) -> dict[str, Any]:
    body.setdefault("graph_id", "agent")
    response = client.post("/assistants", json=body)
    assert response.status_code == 200, response.text
    return response.json()


# -- create ----------------------------------------------------------------------


def test_create_returns_the_reference_shape_and_key_order(langsmith: httpx.Client) -> None:
    meta = {**tag(), "nested": {"x": 1, "y": 2}}
    body = create(
        langsmith,
        name="My Assistant",
        description="first",
        config={"tags": ["t1"], "recursion_limit": 10, "configurable": {"model_name": "m1"}},
        metadata=meta,
    )
    assert list(body) == KEY_ORDER
    uuid.UUID(body["assistant_id"])
    assert body["graph_id"] == "agent"
    assert body["config"] == {"tags": ["t1"], "recursion_limit": 10, "configurable": {"model_name": "m1"}}
    assert body["context"] == {"model_name": "m1"}  # copied from configurable
    assert body["metadata"] == meta
    assert (body["name"], body["description"], body["version"]) == ("My Assistant", "first", 1)
    assert body["created_at"] == body["updated_at"]
    assert body["created_at"].endswith("+00:00")


def test_create_defaults(langsmith: httpx.Client) -> None:
    body = create(langsmith, metadata=tag())
    assert body["name"] == "Untitled"
    assert body["description"] is None
    assert body["config"] == {}
    assert body["context"] == {}
    empty_name = create(langsmith, name="", metadata=tag())
    assert empty_name["name"] == "Untitled"


def test_context_alone_is_copied_into_config(langsmith: httpx.Client) -> None:
    body = create(langsmith, context={"model_name": "ctx-model"}, config={"tags": ["ctx"]}, metadata=tag())
    assert body["config"] == {"tags": ["ctx"], "configurable": {"model_name": "ctx-model"}}
    assert body["context"] == {"model_name": "ctx-model"}


def test_configurable_and_context_together_is_400(langsmith: httpx.Client) -> None:
    response = langsmith.post(
        "/assistants",
        json={"graph_id": "agent", "config": {"configurable": {"a": 1}}, "context": {"b": 2}},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": BOTH}


def test_assistant_id_any_uuid_form_is_stored_canonically(langsmith: httpx.Client) -> None:
    raw = uuid.uuid4()
    body = create(langsmith, assistant_id=str(raw).upper(), metadata=tag())
    assert body["assistant_id"] == str(raw)
    other = uuid.uuid4()
    body = create(langsmith, assistant_id=other.hex, metadata=tag())
    assert body["assistant_id"] == str(other)
    # the path accepts the same forms
    assert langsmith.get(f"/assistants/{str(raw).upper()}").json()["assistant_id"] == str(raw)
    assert langsmith.get("/assistants/{" + str(raw) + "}").status_code == 200


def test_invalid_assistant_id_on_create_is_422(langsmith: httpx.Client) -> None:
    response = langsmith.post("/assistants", json={"graph_id": "agent", "assistant_id": "agent"})
    assert response.status_code == 422
    assert response.json() == {"detail": "Invalid assistant ID: must be a UUID"}


def test_unknown_graph_is_404_listing_the_graphs(langsmith: httpx.Client) -> None:
    response = langsmith.post("/assistants", json={"graph_id": "nope"})
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Graph 'nope' not found. Expected one of: ['agent', 'legacy', 'nested']"
    }


def test_duplicate_raises_409_and_do_nothing_returns_the_existing(langsmith: httpx.Client) -> None:
    first = create(langsmith, name="original", metadata=tag())
    aid = first["assistant_id"]
    again = langsmith.post("/assistants", json={"graph_id": "agent", "assistant_id": aid})
    assert again.status_code == 409
    assert again.json() == {"detail": f"Assistant {aid} already exists"}
    raised = langsmith.post(
        "/assistants", json={"graph_id": "agent", "assistant_id": aid, "if_exists": "raise"}
    )
    assert raised.status_code == 409
    kept = langsmith.post(
        "/assistants",
        json={"graph_id": "nested", "assistant_id": aid, "if_exists": "do_nothing", "name": "changed"},
    )
    assert kept.status_code == 200
    assert kept.json() == first


def test_do_nothing_creates_when_new(langsmith: httpx.Client) -> None:
    aid = str(uuid.uuid4())
    body = create(langsmith, assistant_id=aid, if_exists="do_nothing", metadata=tag())
    assert body["assistant_id"] == aid and body["version"] == 1


def test_if_exists_null_and_unknown_are_422(langsmith: httpx.Client) -> None:
    for value in (None, "update"):
        response = langsmith.post("/assistants", json={"graph_id": "agent", "if_exists": value})
        assert response.status_code == 422
    assert langsmith.post("/assistants", json={"graph_id": "agent", "if_exists": "update"}).json() == {
        "detail": '"update" is not one of "raise" or "do_nothing"\n\nFailed validating "enum" in '
        'schema["properties"]["if_exists"]\n\nOn instance["if_exists"]:\n    "update"'
    }


def test_missing_graph_id_is_422_with_the_jsonschema_message(langsmith: httpx.Client) -> None:
    response = langsmith.post("/assistants", json={"name": "x"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": '"graph_id" is a required property\n\nFailed validating "required" in schema\n\n'
        'On instance:\n    {"name":"x"}'
    }


def test_bad_config_types_are_validated_relative_to_config(langsmith: httpx.Client) -> None:
    response = langsmith.post("/assistants", json={"graph_id": "agent", "config": {"recursion_limit": "ten"}})
    assert response.status_code == 422
    assert response.json()["detail"].startswith(
        '"ten" is not of type "integer"\n\nFailed validating "type" in schema["properties"]["recursion_limit"]'
    )


def test_unknown_top_level_fields_are_ignored(langsmith: httpx.Client) -> None:
    body = create(langsmith, bogus_field=123, metadata=tag())
    assert "bogus_field" not in body


def test_reserved_keys_are_stripped(langsmith: httpx.Client) -> None:
    meta = tag()
    body = create(
        langsmith,
        metadata={**meta, "thread_id": "t", "run_id": "r"},
        context={"model_name": "m", "langgraph_auth_user": "x", "__after_seconds__": 3},
    )
    assert body["metadata"] == meta
    assert body["context"] == {"model_name": "m"}
    assert body["config"] == {"configurable": {"model_name": "m"}}


def test_other_config_keys_round_trip(langsmith: httpx.Client) -> None:
    body = create(langsmith, config={"max_concurrency": 3, "foo": "bar"}, metadata=tag())
    assert body["config"] == {"max_concurrency": 3, "foo": "bar"}


def test_text_plain_and_missing_content_type_are_parsed_as_json(langsmith: httpx.Client) -> None:
    meta = tag()
    for headers in ({"content-type": "text/plain;charset=UTF-8"}, {}):
        content = json.dumps({"graph_id": "agent", "metadata": meta}).encode()
        response = langsmith.post("/assistants", content=content, headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["metadata"] == meta


# -- get ----------------------------------------------------------------------


def test_get_returns_the_assistant(langsmith: httpx.Client) -> None:
    created = create(langsmith, metadata=tag())
    response = langsmith.get(f"/assistants/{created['assistant_id']}")
    assert response.status_code == 200
    assert response.json() == created
    assert response.headers["content-type"] == "application/json"


def test_get_unknown_is_404_not_found(langsmith: httpx.Client) -> None:
    response = langsmith.get(f"/assistants/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_get_by_graph_id_is_422(langsmith: httpx.Client) -> None:
    response = langsmith.get("/assistants/agent")
    assert response.status_code == 422
    assert response.json() == {"detail": "Invalid assistant ID: must be a UUID"}


def test_head_on_get_routes(langsmith: httpx.Client) -> None:
    created = create(langsmith, metadata=tag())
    for path in (
        f"/assistants/{created['assistant_id']}",
        f"/assistants/{created['assistant_id']}/graph",
        f"/assistants/{created['assistant_id']}/schemas",
        f"/assistants/{created['assistant_id']}/subgraphs",
        f"/assistants/{NESTED_SYSTEM_ID}/subgraphs/child",
        "/ok",
        "/info",
        "/",
    ):
        response = langsmith.head(path)
        assert (response.status_code, response.content) == (200, b""), path
        assert response.headers["content-type"] == "application/json"
        assert int(response.headers["content-length"]) > 0  # the length of the GET body
    assert langsmith.head(f"/assistants/{uuid.uuid4()}").status_code == 404
    assert langsmith.head("/assistants/not-a-uuid").status_code == 422


# -- patch ----------------------------------------------------------------------


def test_every_patch_is_a_new_version_even_empty(langsmith: httpx.Client) -> None:
    created = create(langsmith, metadata=tag())
    aid = created["assistant_id"]
    first = langsmith.patch(f"/assistants/{aid}", json={})
    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert first.json()["created_at"] == created["created_at"]
    assert first.json()["updated_at"] > created["updated_at"]
    assert langsmith.patch(f"/assistants/{aid}", json={}).json()["version"] == 3


def test_patch_merges_metadata_shallowly_and_keeps_other_fields(langsmith: httpx.Client) -> None:
    meta = tag()
    created = create(
        langsmith,
        name="n",
        description="d",
        context={"model_name": "m"},
        metadata={**meta, "a": 1, "nested": {"x": 1}},
    )
    aid = created["assistant_id"]
    body = langsmith.patch(
        f"/assistants/{aid}", json={"metadata": {"b": 2, "nested": {"y": 2}, "a": None}}
    ).json()
    assert body["metadata"] == {**meta, "a": None, "nested": {"y": 2}, "b": 2}
    assert (body["name"], body["description"]) == ("n", "d")
    assert body["context"] == {"model_name": "m"}
    assert body["config"] == created["config"]


def test_patch_non_empty_config_replaces_it_whole(langsmith: httpx.Client) -> None:
    created = create(
        langsmith, config={"tags": ["t1"], "recursion_limit": 10, "configurable": {"k": "v"}}, metadata=tag()
    )
    aid = created["assistant_id"]
    body = langsmith.patch(f"/assistants/{aid}", json={"config": {"tags": ["t2"]}}).json()
    assert body["config"] == {"tags": ["t2"]}
    assert body["context"] == {"k": "v"}  # config and context diverge after a config-only patch
    unchanged = langsmith.patch(f"/assistants/{aid}", json={"config": {}}).json()
    assert unchanged["config"] == {"tags": ["t2"]}


def test_patch_context_alone_replaces_config_with_configurable(langsmith: httpx.Client) -> None:
    created = create(langsmith, config={"tags": ["t1"], "recursion_limit": 5}, metadata=tag())
    body = langsmith.patch(f"/assistants/{created['assistant_id']}", json={"context": {"m": 1}}).json()
    assert body["context"] == {"m": 1}
    assert body["config"] == {"configurable": {"m": 1}}


def test_patch_empty_context_clears_context_only(langsmith: httpx.Client) -> None:
    created = create(langsmith, context={"m": 1}, metadata=tag())
    body = langsmith.patch(f"/assistants/{created['assistant_id']}", json={"context": {}}).json()
    assert body["context"] == {}
    assert body["config"] == {"configurable": {"m": 1}}


def test_patch_configurable_is_copied_to_context(langsmith: httpx.Client) -> None:
    created = create(langsmith, metadata=tag())
    body = langsmith.patch(
        f"/assistants/{created['assistant_id']}", json={"config": {"configurable": {"q": 2}}}
    ).json()
    assert body["context"] == {"q": 2}


def test_patch_both_configurable_and_context_is_400(langsmith: httpx.Client) -> None:
    created = create(langsmith, metadata=tag())
    response = langsmith.patch(
        f"/assistants/{created['assistant_id']}",
        json={"config": {"configurable": {"a": 1}}, "context": {"b": 1}},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": BOTH}


def test_patch_name_empty_is_stored_and_description_null_is_422(langsmith: httpx.Client) -> None:
    created = create(langsmith, name="x", metadata=tag())
    aid = created["assistant_id"]
    assert langsmith.patch(f"/assistants/{aid}", json={"name": ""}).json()["name"] == ""
    response = langsmith.patch(f"/assistants/{aid}", json={"description": None})
    assert response.status_code == 422
    assert response.json()["detail"].startswith('null is not of type "string"')


def test_patch_graph_id(langsmith: httpx.Client) -> None:
    created = create(langsmith, metadata=tag())
    aid = created["assistant_id"]
    assert langsmith.patch(f"/assistants/{aid}", json={"graph_id": "nested"}).json()["graph_id"] == "nested"
    response = langsmith.patch(f"/assistants/{aid}", json={"graph_id": "nope"})
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Graph 'nope' not found. Expected one of: ['agent', 'legacy', 'nested']"
    }


def test_patch_unknown_and_invalid_ids(langsmith: httpx.Client) -> None:
    missing = uuid.uuid4()
    response = langsmith.patch(f"/assistants/{missing}", json={})
    assert response.status_code == 404
    assert response.json() == {"detail": f"Assistant {missing} not found"}
    response = langsmith.patch("/assistants/not-a-uuid", json={})
    assert response.status_code == 422
    assert response.json() == {"detail": "Invalid assistant ID: must be a UUID"}


# -- delete ----------------------------------------------------------------------


def test_delete_is_204_then_404(langsmith: httpx.Client) -> None:
    created = create(langsmith, metadata=tag())
    aid = created["assistant_id"]
    first = langsmith.delete(f"/assistants/{aid}")
    assert first.status_code == 204
    assert first.content == b""
    second = langsmith.delete(f"/assistants/{aid}")
    assert second.status_code == 404
    assert second.json() == {"detail": f"Assistant with ID {aid} not found"}
    assert langsmith.get(f"/assistants/{aid}").status_code == 404


def test_delete_threads_flag_is_accepted(langsmith: httpx.Client) -> None:
    for flag in ("true", "yes"):
        created = create(langsmith, metadata=tag())
        response = langsmith.delete(f"/assistants/{created['assistant_id']}", params={"delete_threads": flag})
        assert response.status_code == 204


# -- versions and latest ----------------------------------------------------------------------


def make_history(client: httpx.Client) -> tuple[str, dict[str, str]]:
    meta = tag()
    created = create(client, name="v1", metadata=meta, context={"model_name": "a"})
    aid = created["assistant_id"]
    client.patch(f"/assistants/{aid}", json={"name": "v2", "metadata": {"stage": "two"}})
    client.patch(f"/assistants/{aid}", json={"name": "v3", "metadata": {"stage": "three"}})
    return aid, meta


def test_versions_newest_first_without_updated_at(langsmith: httpx.Client) -> None:
    aid, meta = make_history(langsmith)
    response = langsmith.post(f"/assistants/{aid}/versions", json={})
    assert response.status_code == 200
    versions = response.json()
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert [v["name"] for v in versions] == ["v3", "v2", "v1"]
    assert list(versions[0]) == [
        "assistant_id",
        "version",
        "graph_id",
        "config",
        "context",
        "metadata",
        "created_at",
        "name",
        "description",
    ]
    assert versions[2]["metadata"] == meta
    assert "x-pagination-total" not in response.headers


def test_versions_filter_limit_offset_and_404_on_empty_page(langsmith: httpx.Client) -> None:
    aid, _ = make_history(langsmith)
    found = langsmith.post(f"/assistants/{aid}/versions", json={"metadata": {"stage": "two"}}).json()
    assert [v["version"] for v in found] == [2]
    page = langsmith.post(f"/assistants/{aid}/versions", json={"limit": 1, "offset": 1}).json()
    assert [v["version"] for v in page] == [2]
    for body in ({"metadata": {"stage": "nope"}}, {"offset": 3}):
        response = langsmith.post(f"/assistants/{aid}/versions", json=body)
        assert response.status_code == 404
        assert response.json() == {"detail": f"Assistant {aid} not found"}


def test_versions_requires_a_json_body(langsmith: httpx.Client) -> None:
    aid, _ = make_history(langsmith)
    response = langsmith.post(f"/assistants/{aid}/versions")
    assert response.status_code == 422
    assert response.json() == {"detail": "Invalid JSON in request body"}
    missing = uuid.uuid4()
    response = langsmith.post(f"/assistants/{missing}/versions", json={})
    assert response.status_code == 404
    assert response.json() == {"detail": f"Assistant {missing} not found"}


def test_not_found_details_name_the_id_as_the_reference_does(langsmith: httpx.Client) -> None:
    aid, _ = make_history(langsmith)
    # an empty page of versions names the id as the path wrote it
    response = langsmith.post(f"/assistants/{aid.upper()}/versions", json={"metadata": {"stage": "nope"}})
    assert response.json() == {"detail": f"Assistant {aid.upper()} not found"}
    # an unknown assistant is named in canonical form
    missing = str(uuid.uuid4())
    path = f"/assistants/{missing.upper()}"
    for method, suffix, body, detail in (
        ("POST", "/versions", {}, f"Assistant {missing} not found"),
        ("POST", "/latest", {"version": 1}, f"Assistant {missing} not found"),
        ("PATCH", "", {}, f"Assistant {missing} not found"),
        ("DELETE", "", None, f"Assistant with ID {missing} not found"),
        ("GET", "", None, "Not Found"),
    ):
        response = langsmith.request(method, path + suffix, json=body)
        assert (response.status_code, response.json()) == (404, {"detail": detail}), (method, suffix)


def test_latest_rolls_back_without_a_new_version_then_patch_is_max_plus_one(langsmith: httpx.Client) -> None:
    aid, meta = make_history(langsmith)
    response = langsmith.post(f"/assistants/{aid}/latest", json={"version": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["name"], body["metadata"]) == (1, "v1", meta)
    assert langsmith.get(f"/assistants/{aid}").json()["version"] == 1
    assert len(langsmith.post(f"/assistants/{aid}/versions", json={}).json()) == 3
    after = langsmith.patch(f"/assistants/{aid}", json={}).json()
    assert (after["version"], after["name"]) == (4, "v1")


def test_latest_errors(langsmith: httpx.Client) -> None:
    aid, _ = make_history(langsmith)
    response = langsmith.post(f"/assistants/{aid}/latest", json={"version": 99})
    assert response.status_code == 404
    assert response.json() == {"detail": f"Version 99 not found for assistant {aid}"}
    response = langsmith.post(f"/assistants/{aid}/latest", json={})
    assert response.status_code == 404
    assert response.json() == {"detail": f"Version None not found for assistant {aid}"}
    missing = uuid.uuid4()
    response = langsmith.post(f"/assistants/{missing}/latest", json={"version": 1})
    assert response.status_code == 404
    assert response.json() == {"detail": f"Assistant {missing} not found"}
    # the spec's query-parameter form sends no body
    response = langsmith.post(f"/assistants/{aid}/latest", params={"version": 1})
    assert response.status_code == 422
    assert response.json() == {"detail": "Invalid JSON in request body"}


# -- search and count ----------------------------------------------------------------------


def make_named(client: httpx.Client, names: list[str], meta: dict[str, str]) -> list[dict[str, Any]]:
    return [create(client, name=n, metadata={**meta, "i": i}) for i, n in enumerate(names)]


def test_search_filters_by_metadata_containment_name_and_graph(langsmith: httpx.Client) -> None:
    meta = tag()
    create(langsmith, name="Alpha Bot", metadata={**meta, "nested": {"x": 1, "y": 2}, "tags": ["a", "b"]})
    create(langsmith, name="beta", graph_id="nested", metadata={**meta, "nested": {"x": 2}})
    found = langsmith.post("/assistants/search", json={"metadata": {**meta, "nested": {"x": 1}}}).json()
    assert [a["name"] for a in found] == ["Alpha Bot"]
    by_name = langsmith.post("/assistants/search", json={"metadata": meta, "name": "ALPHA"}).json()
    assert [a["name"] for a in by_name] == ["Alpha Bot"]
    by_graph = langsmith.post("/assistants/search", json={"metadata": meta, "graph_id": "nested"}).json()
    assert [a["name"] for a in by_graph] == ["beta"]
    assert langsmith.post("/assistants/count", json={"metadata": meta}).json() == 2
    assert langsmith.post("/assistants/count", json={"metadata": meta, "name": "bet"}).json() == 1
    assert langsmith.post("/assistants/count", json={"metadata": meta, "graph_id": "agent"}).json() == 1


def test_search_default_order_is_newest_first(langsmith: httpx.Client) -> None:
    meta = tag()
    made = make_named(langsmith, ["a", "b", "c"], meta)
    found = langsmith.post("/assistants/search", json={"metadata": meta}).json()
    assert [a["assistant_id"] for a in found] == [a["assistant_id"] for a in reversed(made)]


def test_search_sorts_case_insensitively(langsmith: httpx.Client) -> None:
    meta = tag()
    make_named(langsmith, ["My Assistant", "agent", "extra-field", "Context Assistant"], meta)
    asc = langsmith.post(
        "/assistants/search", json={"metadata": meta, "sort_by": "name", "sort_order": "asc"}
    )
    assert [a["name"] for a in asc.json()] == ["agent", "Context Assistant", "extra-field", "My Assistant"]
    desc = langsmith.post("/assistants/search", json={"metadata": meta, "sort_by": "name"})
    assert [a["name"] for a in desc.json()] == ["My Assistant", "extra-field", "Context Assistant", "agent"]


def test_search_sort_by_created_at_asc_and_assistant_id(langsmith: httpx.Client) -> None:
    meta = tag()
    made = make_named(langsmith, ["a", "b", "c"], meta)
    asc = langsmith.post(
        "/assistants/search", json={"metadata": meta, "sort_by": "created_at", "sort_order": "asc"}
    ).json()
    assert [a["name"] for a in asc] == ["a", "b", "c"]
    by_id = langsmith.post(
        "/assistants/search", json={"metadata": meta, "sort_by": "assistant_id", "sort_order": "asc"}
    ).json()
    assert [a["assistant_id"] for a in by_id] == sorted(a["assistant_id"] for a in made)


def test_search_pagination_headers_exactly_as_the_reference(langsmith: httpx.Client) -> None:
    meta = tag()
    make_named(langsmith, [f"n{i}" for i in range(5)], meta)
    first = langsmith.post("/assistants/search", json={"metadata": meta, "limit": 2})
    assert len(first.json()) == 2
    assert first.headers["x-pagination-total"] == "3"
    assert first.headers["x-pagination-next"] == "2"
    last = langsmith.post("/assistants/search", json={"metadata": meta, "limit": 2, "offset": 4})
    assert len(last.json()) == 1
    assert last.headers["x-pagination-total"] == "5"
    assert "x-pagination-next" not in last.headers
    exact = langsmith.post("/assistants/search", json={"metadata": meta, "limit": 5})
    assert exact.headers["x-pagination-total"] == "5"
    assert "x-pagination-next" not in exact.headers
    past = langsmith.post("/assistants/search", json={"metadata": meta, "offset": 100})
    assert past.json() == []
    assert past.headers["x-pagination-total"] == "100"


def test_search_select_returns_only_those_keys_in_reference_order(langsmith: httpx.Client) -> None:
    meta = tag()
    made = create(langsmith, metadata=meta)
    found = langsmith.post(
        "/assistants/search", json={"metadata": meta, "select": ["version", "assistant_id"]}
    )
    assert found.json() == [{"assistant_id": made["assistant_id"], "version": 1}]


def test_search_validation_errors(langsmith: httpx.Client) -> None:
    cases = {
        '{"limit": 0}': '0 is less than the minimum of 1\n\nFailed validating "minimum" in schema["properties"]'
        '["limit"]\n\nOn instance["limit"]:\n    0',
        '{"sort_by": "version"}': '"version" is not one of "assistant_id", "created_at" or 3 other candidates'
        '\n\nFailed validating "enum" in schema["properties"]["sort_by"]\n\nOn instance["sort_by"]:\n    "version"',
        '{"metadata": null}': 'null is not of type "object"\n\nFailed validating "type" in schema["properties"]'
        '["metadata"]\n\nOn instance["metadata"]:\n    null',
    }
    for body, detail in cases.items():
        response = langsmith.post("/assistants/search", content=body)
        assert response.status_code == 422
        assert response.json() == {"detail": detail}
    assert langsmith.post("/assistants/search", json={"limit": 1001}).status_code == 422
    assert langsmith.post("/assistants/search", json={"sort_order": "ASC"}).status_code == 422


def test_search_and_count_unknown_graph_is_404(langsmith: httpx.Client) -> None:
    detail = {"detail": "Graph 'nope' not found. Expected one of: ['agent', 'legacy', 'nested']"}
    for route in ("/assistants/search", "/assistants/count"):
        response = langsmith.post(route, json={"graph_id": "nope"})
        assert response.status_code == 404
        assert response.json() == detail


def test_search_and_count_need_a_body(langsmith: httpx.Client) -> None:
    for route in ("/assistants/search", "/assistants/count"):
        response = langsmith.post(route)
        assert response.status_code == 422
        assert response.json() == {"detail": "Invalid JSON in request body"}


def test_system_assistants_are_found_by_created_by(langsmith: httpx.Client) -> None:
    found = langsmith.post(
        "/assistants/search", json={"limit": 10, "offset": 0, "metadata": {"created_by": "system"}}
    ).json()
    by_graph = {a["graph_id"]: a for a in found}
    assert by_graph["agent"]["assistant_id"] == AGENT_SYSTEM_ID
    assert by_graph["nested"]["assistant_id"] == NESTED_SYSTEM_ID
    assert by_graph["nested"]["description"] == "A graph with a subgraph"
    assert by_graph["agent"]["name"] == "agent"
    assert by_graph["agent"]["metadata"] == {"created_by": "system"}


# -- graph documents ----------------------------------------------------------------------


def test_graph_drawing_and_graph_id_in_place_of_uuid(langsmith: httpx.Client) -> None:
    expected = {
        "nodes": [
            {"id": "__start__", "type": "runnable", "data": {"name": "__start__"}},
            {"id": "echo", "type": "runnable", "data": {"name": "echo"}},
            {"id": "__end__"},
        ],
        "edges": [{"source": "__start__", "target": "echo"}, {"source": "echo", "target": "__end__"}],
    }
    assert langsmith.get(f"/assistants/{AGENT_SYSTEM_ID}/graph").json() == expected
    assert langsmith.get("/assistants/agent/graph", params={"xray": "false"}).json() == expected


def test_graph_xray_expands_subgraphs(langsmith: httpx.Client) -> None:
    plain = langsmith.get("/assistants/nested/graph").json()
    assert [n["id"] for n in plain["nodes"]] == ["__start__", "child", "step", "__end__"]
    xray = langsmith.get("/assistants/nested/graph", params={"xray": "true"}).json()
    assert [n["id"] for n in xray["nodes"]] == ["__start__", "step", "__end__", "child:inner"]
    assert xray["edges"] == [
        {"source": "__start__", "target": "step"},
        {"source": "step", "target": "__end__", "conditional": True},
        {"source": "step", "target": "child:inner", "conditional": True},
        {"source": "child:inner", "target": "__end__"},
    ]
    assert langsmith.get("/assistants/nested/graph", params={"xray": "1"}).json() == xray


def test_graph_errors(langsmith: httpx.Client) -> None:
    for value in ("0", "-1", "maybe"):
        response = langsmith.get("/assistants/agent/graph", params={"xray": value})
        assert response.status_code == 422
        assert response.json() == {"detail": "Invalid xray value"}
    response = langsmith.get(f"/assistants/{uuid.uuid4()}/graph")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert langsmith.get("/assistants/nope/graph").status_code == 422


def test_schemas(langsmith: httpx.Client) -> None:
    body = langsmith.get(f"/assistants/{AGENT_SYSTEM_ID}/schemas").json()
    assert list(body) == [
        "graph_id",
        "input_schema",
        "output_schema",
        "state_schema",
        "config_schema",
        "context_schema",
    ]
    assert body["graph_id"] == "agent"
    assert body["state_schema"]["title"] == "agent_state"
    assert body["context_schema"]["title"] == "Ctx"
    assert body["config_schema"] == body["context_schema"]
    nested = langsmith.get(f"/assistants/{NESTED_SYSTEM_ID}/schemas").json()
    assert (nested["config_schema"], nested["context_schema"]) == ({}, None)
    assert langsmith.get("/assistants/agent/schemas").status_code == 422
    assert langsmith.get(f"/assistants/{uuid.uuid4()}/schemas").json() == {"detail": "Not Found"}


def test_subgraphs(langsmith: httpx.Client) -> None:
    body = langsmith.get(f"/assistants/{NESTED_SYSTEM_ID}/subgraphs").json()
    assert list(body) == ["child"]
    assert list(body["child"]) == [
        "input_schema",
        "output_schema",
        "state_schema",
        "config_schema",
        "context_schema",
    ]
    assert body["child"]["state_schema"]["title"] == "LangGraphState"
    assert (
        langsmith.get(f"/assistants/{NESTED_SYSTEM_ID}/subgraphs/child", params={"recurse": "true"}).json()
        == body
    )
    assert langsmith.get(f"/assistants/{NESTED_SYSTEM_ID}/subgraphs/nope").json() == {}
    assert langsmith.get(f"/assistants/{AGENT_SYSTEM_ID}/subgraphs").json() == {}
    missing = langsmith.get(f"/assistants/{uuid.uuid4()}/subgraphs/child")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})


# -- framework ----------------------------------------------------------------------


def test_wrong_method_is_405_with_allow(langsmith: httpx.Client) -> None:
    response = langsmith.get("/assistants")
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert response.headers["allow"] == "POST"
    # the allow header names the methods of the first route whose path matches, in the order of
    # Starlette's set of them (which changes with the process's hash seed, in the reference too)
    for method, path, allow in (
        ("PUT", f"/assistants/{AGENT_SYSTEM_ID}", {"GET", "HEAD"}),
        ("POST", f"/assistants/{AGENT_SYSTEM_ID}", {"GET", "HEAD"}),
        ("PUT", f"/assistants/{AGENT_SYSTEM_ID}/graph", {"GET", "HEAD"}),
        ("GET", f"/assistants/{AGENT_SYSTEM_ID}/latest", {"POST"}),
        ("GET", f"/assistants/{AGENT_SYSTEM_ID}/versions", {"POST"}),
        ("DELETE", "/assistants", {"POST"}),
    ):
        response = langsmith.request(method, path)
        assert (response.status_code, response.json()) == (405, {"detail": "Method Not Allowed"}), path
        assert set(response.headers["allow"].split(", ")) == allow
    # `/assistants/search` and `/assistants/count` are also `/assistants/{assistant_id}`
    for method, path in (("GET", "/assistants/search"), ("DELETE", "/assistants/count")):
        response = langsmith.request(method, path)
        assert response.status_code == 422
        assert response.json() == {"detail": "Invalid assistant ID: must be a UUID"}


def test_meta_routes_answer_only_get_and_head(langsmith: httpx.Client) -> None:
    assert langsmith.get("/").json() == {"ok": True, "services": {}}  # the root health check
    for path in ("/", "/ok", "/info"):
        assert langsmith.get(path).status_code == 200
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            response = langsmith.request(method, path)
            assert (response.status_code, response.json()) == (404, {"detail": "Not Found"}), (method, path)


def test_unknown_route_is_404_json(langsmith: httpx.Client) -> None:
    response = langsmith.get(f"/assistants/{uuid.uuid4()}/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_integers_beyond_64_bits_are_read_as_floats(langsmith: httpx.Client) -> None:
    # The reference parses with orjson: an integer outside [-2**63, 2**64 - 1] becomes a float, and one
    # past the float range makes the body invalid JSON.
    meta = tag()
    body = create(
        langsmith, metadata={**meta, "max": 2**64 - 1, "min": -(2**63), "big": 2**64, "neg": -(2**63) - 1}
    )
    assert body["metadata"] == {**meta, "max": 2**64 - 1, "min": -(2**63), "big": 2.0**64, "neg": -(2.0**63)}
    assert isinstance(body["metadata"]["max"], int) and isinstance(body["metadata"]["big"], float)
    assert langsmith.post("/assistants/count", json={"metadata": {**meta, "big": 2**64}}).json() == 1
    response = langsmith.post(
        "/assistants", content='{"graph_id": "agent", "metadata": {"n": 1' + "0" * 400 + "}}"
    )
    assert (response.status_code, response.json()) == (422, {"detail": "Invalid JSON in request body"})
    response = langsmith.post("/assistants/search", json={"limit": 10**30})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("1e+30 is greater than the maximum of 1000\n")
    past = langsmith.post("/assistants/search", json={"metadata": meta, "offset": 10**30})
    assert past.json() == []
    assert past.headers["x-pagination-total"] == str(int(1e30))  # 1000000000000000019884624838656
    aid = body["assistant_id"]
    response = langsmith.post(f"/assistants/{aid}/latest", json={"version": 10**30})
    assert (response.status_code, response.json()) == (
        404,
        {"detail": f"Version 1e+30 not found for assistant {aid}"},
    )


def test_nul_characters_come_back_as_replacement_characters(langsmith: httpx.Client) -> None:
    # The reference stores what it is sent, but writes U+0000 (and the escaped text "\u0000") as U+FFFD.
    meta = tag()
    body = create(
        langsmith, name="a\u0000b", description="c\\u0000d", metadata={**meta, "k\u0000": "v\u0000"}
    )
    assert (body["name"], body["description"]) == ("a\ufffdb", "c\\ufffdd")
    assert body["metadata"] == {**meta, "k\ufffd": "v\ufffd"}
    assert langsmith.get(f"/assistants/{body['assistant_id']}").json() == body
    stored = langsmith.post(
        "/assistants/search", json={"metadata": {**meta, "k\u0000": "v\u0000"}, "select": ["name"]}
    )
    assert stored.json() == [{"name": "a\ufffdb"}]  # matched on what was stored
    assert langsmith.post("/assistants/count", json={"metadata": {**meta, "k\ufffd": "v\ufffd"}}).json() == 0
    # error details are written as they are
    response = langsmith.post("/assistants", json={"graph_id": "a\u0000b"})
    assert response.json()["detail"].startswith("Graph 'a\u0000b' not found")


def test_ok_and_info(langsmith: httpx.Client) -> None:
    assert langsmith.get("/ok").json() == {"ok": True, "services": {}}
    info = langsmith.get("/info").json()
    assert info["flags"]["assistants"] is True
    assert isinstance(info["version"], str)


def test_cors_exposes_pagination_headers(langsmith: httpx.Client) -> None:
    response = langsmith.post(
        "/assistants/search", json={"limit": 1}, headers={"origin": "https://smith.langchain.com"}
    )
    assert response.status_code == 200
    exposed = response.headers["access-control-expose-headers"].lower()
    assert "x-pagination-next" in exposed and "x-pagination-total" in exposed
