"""Aegra dialect over HTTP: every status code and error body of specs/aegra.md §1-§5.

`AEGRA_REFERENCE_URL=http://127.0.0.1:2126` runs these same tests against a real Aegra 0.11.0 serving
the graphs described in tests/fixtures/aegra.toml (no auth); tests that check the gateway's own
choices (where Aegra crashes, or its settings) are then skipped. Against a reference, every test
starts by deleting the anonymous user's assistants (the reference keeps its state between runs).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from gateway.config import load_settings
from tests.conftest import in_process

AEGRA_CONFIG = Path(__file__).parent / "fixtures" / "aegra.toml"
REFERENCE = os.environ.get("AEGRA_REFERENCE_URL")
gateway_only = pytest.mark.skipif(bool(REFERENCE), reason="the gateway's own choice; Aegra answers 500")

AGENT_SYSTEM_ID = "fe096781-5601-53d2-b2f6-0d3403f7e9ca"
OTHER_SYSTEM_ID = "8d2fdf5d-7331-5702-b419-c34f4de91ad4"
NESTED_SYSTEM_ID = "0813419b-f0e6-579e-bdee-18d9fdf48632"
KEYS = [
    "assistant_id",
    "name",
    "description",
    "config",
    "context",
    "graph_id",
    "user_id",
    "version",
    "metadata",
    "created_at",
    "updated_at",
]
BOTH = (
    "Cannot specify both configurable and context. Prefer setting context alone. Context was introduced in "
    "LangGraph 0.6.0 and is the long term planned replacement for configurable."
)
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")
JSON = {"content-type": "application/json"}


def aegra_settings(tmp_path: Path, **overrides: Any) -> Any:
    return load_settings(
        AEGRA_CONFIG, environ={}, overrides={"storage.path": str(tmp_path / "g.db"), **overrides}
    )


@pytest.fixture
def aegra(tmp_path: Path) -> Iterator[httpx.Client]:
    if REFERENCE:
        with httpx.Client(base_url=REFERENCE, timeout=30) as client:
            for a in client.get("/assistants").json()["assistants"]:
                if a["user_id"] != "system":
                    client.delete("/assistants/" + quote(a["assistant_id"], safe=""))
            yield client
    else:
        with in_process(aegra_settings(tmp_path), "http://testserver/aegra") as client:
            yield client


def strip(body: Any) -> Any:
    """The response without the gateway's extra `metadata_dict` (a reference never sends it)."""
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k != "metadata_dict"}
    return body


def create(client: httpx.Client, **body: Any) -> dict[str, Any]:
    """Create an assistant; a fresh `config` tag keeps it clear of Aegra's one-per-(graph, config) rule."""
    body.setdefault("graph_id", "agent")
    body.setdefault("config", {"tags": [uuid.uuid4().hex]})
    response = client.post("/assistants", json=body)
    assert response.status_code == 200, response.text
    return strip(response.json())


def error(status: str, message: str) -> dict[str, Any]:
    return {"error": status, "message": message, "details": None}


# -- create ------------------------------------------------------------------------------------------------


def test_create_returns_aegras_shape_key_order_and_defaults(aegra: httpx.Client) -> None:
    response = aegra.post("/assistants", json={"graph_id": "other"})
    assert response.status_code == 200  # not 201
    body = strip(response.json())
    assert list(body) == KEYS
    uuid.UUID(body["assistant_id"], version=4)
    assert body["name"] == "Assistant for other"
    assert (body["description"], body["config"], body["context"], body["metadata"]) == (None, {}, {}, {})
    assert (body["graph_id"], body["user_id"], body["version"]) == ("other", "anonymous", 1)
    assert TIMESTAMP.match(body["created_at"]) and body["created_at"] == body["updated_at"]
    assert strip(aegra.get(f"/assistants/{body['assistant_id']}").json()) == body


def test_create_with_every_field(aegra: httpx.Client) -> None:
    body = create(
        aegra,
        assistant_id="support-bot",
        name="Support bot",
        description="Handles support",
        config={"recursion_limit": 5, "configurable": {"model": "m1"}, "tags": ["a"]},
        metadata={"team": "support", "tier": "gold"},
        if_exists="error",
    )
    assert body["assistant_id"] == "support-bot"
    assert (body["name"], body["description"]) == ("Support bot", "Handles support")
    assert body["config"] == {"tags": ["a"], "configurable": {"model": "m1"}, "recursion_limit": 5}
    assert list(body["config"]) == ["tags", "configurable", "recursion_limit"]  # JSONB key order
    assert body["context"] == {"model": "m1"}  # copied from configurable
    assert body["metadata"] == {"team": "support", "tier": "gold"}


def test_jsonb_key_order_is_shorter_keys_first_at_every_depth(aegra: httpx.Client) -> None:
    body = create(aegra, metadata={"zz": 1, "a": {"yy": 1, "x": 2}, "bbb": [{"cc": 1, "d": 2}]})
    assert list(body["metadata"]) == ["a", "zz", "bbb"]
    assert list(body["metadata"]["a"]) == ["x", "yy"]
    assert list(body["metadata"]["bbb"][0]) == ["d", "cc"]


def test_empty_name_gets_the_default_and_context_is_copied_into_config(aegra: httpx.Client) -> None:
    body = create(aegra, name="", context={"model": "m2"}, config={"tags": [uuid.uuid4().hex]})
    assert body["name"] == "Assistant for agent"
    assert body["context"] == {"model": "m2"}
    assert body["config"]["configurable"] == {"model": "m2"}


def test_any_non_blank_id_up_to_255_characters(aegra: httpx.Client) -> None:
    for assistant_id in ("my assistant", "x" * 255, "ünïcode-🤖", "a.b:c"):
        body = create(aegra, assistant_id=assistant_id)
        assert body["assistant_id"] == assistant_id
    assert aegra.get("/assistants/" + quote("ünïcode-🤖")).status_code == 200


def test_blank_empty_and_long_ids_are_422(aegra: httpx.Client) -> None:
    cases = {
        "": ("string_too_short", "String should have at least 1 character", {"min_length": 1}),
        "   ": ("string_pattern_mismatch", "String should match pattern '\\S'", {"pattern": "\\S"}),
        "\u00a0\t": ("string_pattern_mismatch", "String should match pattern '\\S'", {"pattern": "\\S"}),
        "y" * 256: ("string_too_long", "String should have at most 255 characters", {"max_length": 255}),
    }
    for assistant_id, (kind, msg, ctx) in cases.items():
        response = aegra.post("/assistants", json={"graph_id": "agent", "assistant_id": assistant_id})
        assert response.status_code == 422
        assert response.json() == {
            "detail": [
                {"type": kind, "loc": ["body", "assistant_id"], "msg": msg, "input": assistant_id, "ctx": ctx}
            ]
        }


def test_unknown_graph_is_400_listing_the_graphs_in_file_order(aegra: httpx.Client) -> None:
    response = aegra.post("/assistants", json={"graph_id": "nope"})
    assert response.status_code == 400
    assert response.json() == error(
        "bad_request", "Graph 'nope' not found in aegra.json. Available: ['agent', 'other', 'nested']"
    )


def test_configurable_and_context_together_is_400(aegra: httpx.Client) -> None:
    response = aegra.post(
        "/assistants", json={"graph_id": "agent", "config": {"configurable": {"a": 1}}, "context": {"b": 1}}
    )
    assert response.status_code == 400
    assert response.json() == error("bad_request", BOTH)
    # that check comes before anything about the values (a non-object configurable, NUL in a name)
    for config in ({"configurable": "x"}, {"configurable": [1]}):
        body = {"graph_id": "agent", "name": "a\u0000b", "config": config, "context": {"b": 1}}
        response = aegra.post("/assistants", json=body)
        assert (response.status_code, response.json()) == (400, error("bad_request", BOTH))


def test_the_same_id_is_409_and_do_nothing_returns_it_unchanged(aegra: httpx.Client) -> None:
    first = create(aegra, assistant_id="dup", name="original")
    for if_exists in (None, "error", "raise", "DO_NOTHING"):
        body: dict[str, Any] = {"graph_id": "other", "assistant_id": "dup", "if_exists": if_exists}
        if if_exists is None:
            del body["if_exists"]
        response = aegra.post("/assistants", json=body)
        assert response.status_code == 409
        assert response.json() == error("conflict", "Assistant 'dup' already exists")
    kept = aegra.post(
        "/assistants",
        json={"graph_id": "other", "assistant_id": "dup", "if_exists": "do_nothing", "name": "changed"},
    )
    assert kept.status_code == 200
    assert strip(kept.json()) == first


def test_one_assistant_per_graph_and_config(aegra: httpx.Client) -> None:
    config = {"tags": [uuid.uuid4().hex]}
    first = create(aegra, graph_id="other", config=config, assistant_id="first")
    again = aegra.post("/assistants", json={"graph_id": "other", "config": config, "assistant_id": "second"})
    assert again.status_code == 409
    assert again.json() == error("conflict", "Assistant 'second' already exists")
    generated = aegra.post("/assistants", json={"graph_id": "other", "config": config})
    assert generated.status_code == 409
    message = generated.json()["message"]
    uuid.UUID(message.removeprefix("Assistant '").removesuffix("' already exists"), version=4)
    twin = aegra.post(
        "/assistants",
        json={"graph_id": "other", "config": config, "assistant_id": "third", "if_exists": "do_nothing"},
    )
    assert twin.status_code == 200
    assert strip(twin.json()) == first  # the other, pre-existing assistant
    assert aegra.get("/assistants/third").status_code == 404
    # the same config on another graph is a different assistant
    assert create(aegra, graph_id="agent", config=config)["config"] == config


def test_system_assistants_do_not_count_for_uniqueness(aegra: httpx.Client) -> None:
    body = create(aegra, graph_id="nested", config={})
    assert body["config"] == {} and body["user_id"] == "anonymous"


@gateway_only
def test_null_config_or_context_on_create_is_422_and_stores_nothing(aegra: httpx.Client) -> None:
    before = aegra.post("/assistants/count", json={}).json()
    for field in ("config", "context"):
        response = aegra.post("/assistants", json={"graph_id": "agent", field: None})
        assert response.status_code == 422
        assert response.json() == error(
            "validation_error", f"{field} must be an object when supplied; omit it for an empty one"
        )
    assert aegra.post("/assistants/count", json={}).json() == before
    assert aegra.post("/assistants/search", json={}).status_code == 200


def test_missing_graph_id_and_wrong_types_list_every_error_in_field_order(aegra: httpx.Client) -> None:
    body = {"metadata": "x", "name": 5, "config": [], "if_exists": 3, "description": [], "context": 1}
    response = aegra.post("/assistants", json=body)
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "string_type",
                "loc": ["body", "name"],
                "msg": "Input should be a valid string",
                "input": 5,
            },
            {
                "type": "string_type",
                "loc": ["body", "description"],
                "msg": "Input should be a valid string",
                "input": [],
            },
            {
                "type": "dict_type",
                "loc": ["body", "config"],
                "msg": "Input should be a valid dictionary",
                "input": [],
            },
            {
                "type": "dict_type",
                "loc": ["body", "context"],
                "msg": "Input should be a valid dictionary",
                "input": 1,
            },
            {"type": "missing", "loc": ["body", "graph_id"], "msg": "Field required", "input": body},
            {
                "type": "dict_type",
                "loc": ["body", "metadata"],
                "msg": "Input should be a valid dictionary",
                "input": "x",
            },
            {
                "type": "string_type",
                "loc": ["body", "if_exists"],
                "msg": "Input should be a valid string",
                "input": 3,
            },
        ]
    }


def test_unknown_fields_are_ignored_and_nulls_take_defaults(aegra: httpx.Client) -> None:
    body = create(aegra, bogus=1, limit=5, metadata=None, description=None, name=None, if_exists=None)
    assert "bogus" not in body
    assert (body["metadata"], body["description"], body["name"]) == ({}, None, "Assistant for agent")


def test_nul_characters_are_stripped_from_json_values(aegra: httpx.Client) -> None:
    body = create(
        aegra, metadata={"k\u0000": "v\u0000w", "list": ["\u0000", {"d\u0000": 1}]}, context={"m": "\u0000x"}
    )
    assert body["metadata"] == {"k": "vw", "list": ["", {"d": 1}]}
    assert body["context"] == {"m": "x"}


@gateway_only
def test_nul_in_text_columns_and_non_object_configurable_are_422(aegra: httpx.Client) -> None:
    for field in ("name", "description", "assistant_id"):
        response = aegra.post("/assistants", json={"graph_id": "agent", field: "a\u0000b"})
        assert response.status_code == 422
        assert response.json() == error(
            "validation_error", f"{field} must not contain NUL (U+0000) characters"
        )
    response = aegra.post("/assistants", json={"graph_id": "agent", "config": {"configurable": "x"}})
    assert response.json() == error("validation_error", "config.configurable must be an object")
    assert aegra.post("/assistants/count", json={"graph_id": "agent"}).json() == 1


# -- request bodies ------------------------------------------------------------------------------------------


def test_malformed_json_is_fastapis_json_invalid(aegra: httpx.Client) -> None:
    cases = {
        b"{": (1, "Expecting property name enclosed in double quotes"),
        b"{} x": (3, "Extra data"),
        b'{"graph_id": "agent",}': (21, "Expecting property name enclosed in double quotes"),
        b"  ": (2, "Expecting value"),
        b"\xff\xfe": (0, "Expecting value"),  # a UTF-16 byte-order mark and nothing else
    }
    for raw, (pos, message) in cases.items():
        response = aegra.post("/assistants", content=raw, headers=JSON)
        assert response.status_code == 422
        assert response.json() == {
            "detail": [
                {
                    "type": "json_invalid",
                    "loc": ["body", pos],
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": message},
                }
            ]
        }


def test_empty_and_non_object_bodies(aegra: httpx.Client) -> None:
    response = aegra.post("/assistants", content=b"", headers=JSON)
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
    }
    for raw, value in ((b"null", None), (b"[]", []), (b"5", 5), (b'"s"', "s")):
        response = aegra.post("/assistants/search", content=raw, headers=JSON)
        assert response.status_code == 422
        assert response.json() == {
            "detail": [
                {
                    "type": "model_attributes_type",
                    "loc": ["body"],
                    "msg": "Input should be a valid dictionary or object to extract fields from",
                    "input": value,
                }
            ]
        }


def test_bodies_without_a_json_content_type_are_refused_as_text(aegra: httpx.Client) -> None:
    raw = b'{"graph_id": "agent"}'
    for headers in ({}, {"content-type": "application/x-www-form-urlencoded"}, {"content-type": "text/csv"}):
        response = aegra.post("/assistants", content=raw, headers=headers)
        assert response.status_code == 422
        assert response.json() == {
            "detail": [
                {
                    "type": "model_attributes_type",
                    "loc": ["body"],
                    "msg": "Input should be a valid dictionary or object to extract fields from",
                    "input": raw.decode(),
                }
            ]
        }


def test_text_plain_json_vendor_types_and_a_bom_are_json(aegra: httpx.Client) -> None:
    for content_type in (
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/vnd.api+json",
        "APPLICATION/JSON",
    ):
        response = aegra.post(
            "/assistants/search", content=b'{"limit": 1}', headers={"content-type": content_type}
        )
        assert response.status_code == 200, content_type
        assert len(response.json()) == 1
    bom = aegra.post("/assistants/count", content=b'\xef\xbb\xbf{"graph_id": "other"}', headers=JSON)
    assert bom.status_code == 200
    assert bom.json() == 1


def test_undecodable_body_is_fastapis_400(aegra: httpx.Client) -> None:
    response = aegra.post("/assistants", content=b'{"graph_id": "\xff"}', headers=JSON)
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


def test_lax_coercion_applies(aegra: httpx.Client) -> None:
    for _ in range(3):
        create(aegra, graph_id="other")
    assert len(aegra.post("/assistants/search", json={"limit": "2", "offset": " 1 "}).json()) == 2
    assert len(aegra.post("/assistants/search", json={"limit": 2.0}).json()) == 2
    assert len(aegra.post("/assistants/search", json={"limit": True}).json()) == 1


# -- get, delete -------------------------------------------------------------------------------------------


def test_get_unknown_and_graph_ids_are_404(aegra: httpx.Client) -> None:
    for assistant_id in ("nope", "agent", str(uuid.uuid4())):
        response = aegra.get(f"/assistants/{assistant_id}")
        assert response.status_code == 404
        assert response.json() == error("not_found", f"Assistant '{assistant_id}' not found")


def test_system_assistants_are_visible(aegra: httpx.Client) -> None:
    agent = strip(aegra.get(f"/assistants/{AGENT_SYSTEM_ID}").json())
    assert agent["name"] == "agent"
    assert agent["description"] == "Default assistant for graph 'agent'"
    assert (agent["user_id"], agent["metadata"], agent["version"]) == ("system", {"created_by": "system"}, 1)
    other = aegra.get(f"/assistants/{OTHER_SYSTEM_ID}").json()
    assert other["description"] == "The other graph"


def test_delete_is_200_with_a_status_body(aegra: httpx.Client) -> None:
    aid = create(aegra)["assistant_id"]
    response = aegra.delete(f"/assistants/{aid}", params={"delete_threads": "true"})
    assert response.status_code == 200
    assert response.json() == {"status": "deleted"}
    again = aegra.delete(f"/assistants/{aid}")
    assert again.status_code == 404
    assert again.json() == error("not_found", f"Assistant '{aid}' not found")
    assert aegra.get(f"/assistants/{aid}").status_code == 404


def test_system_assistants_are_read_only(aegra: httpx.Client) -> None:
    message = error("not_found", f"Assistant '{AGENT_SYSTEM_ID}' not found")
    assert aegra.delete(f"/assistants/{AGENT_SYSTEM_ID}").json() == message
    assert aegra.patch(f"/assistants/{AGENT_SYSTEM_ID}", json={"name": "x"}).json() == message
    latest = aegra.post(f"/assistants/{AGENT_SYSTEM_ID}/latest", json={"version": 1})
    assert (latest.status_code, latest.json()) == (404, message)
    assert aegra.get(f"/assistants/{AGENT_SYSTEM_ID}").json()["name"] == "agent"
    versions = aegra.post(f"/assistants/{AGENT_SYSTEM_ID}/versions").json()
    assert [(v["version"], v["user_id"]) for v in versions] == [(1, "anonymous")]  # user_id: the caller


# -- patch -------------------------------------------------------------------------------------------------


def test_patch_is_a_partial_update_with_a_new_version_each_time(aegra: httpx.Client) -> None:
    created = create(
        aegra,
        name="n",
        description="d",
        config={"tags": ["p"], "configurable": {"m": 1}},
        metadata={"keep": 1, "change": 1},
    )
    aid = created["assistant_id"]
    renamed = strip(aegra.patch(f"/assistants/{aid}", json={"name": "renamed"}).json())
    assert renamed["version"] == 2 and renamed["name"] == "renamed"
    assert {k: renamed[k] for k in ("description", "config", "context", "metadata", "graph_id")} == {
        k: created[k] for k in ("description", "config", "context", "metadata", "graph_id")
    }
    assert renamed["created_at"] == created["created_at"] and renamed["updated_at"] > created["updated_at"]
    merged = aegra.patch(f"/assistants/{aid}", json={"metadata": {"change": 2, "new": 3}}).json()
    assert merged["metadata"] == {"keep": 1, "change": 2, "new": 3}
    assert aegra.patch(f"/assistants/{aid}", json={}).json()["version"] == 4
    cleared = aegra.patch(f"/assistants/{aid}", json={"description": None, "metadata": None}).json()
    assert cleared["description"] is None and cleared["metadata"] == {"keep": 1, "change": 2, "new": 3}
    assert [v["version"] for v in aegra.post(f"/assistants/{aid}/versions").json()] == [5, 4, 3, 2, 1]


def test_patch_config_and_context_mirror_each_other(aegra: httpx.Client) -> None:
    aid = create(aegra, config={"tags": ["m"], "configurable": {"a": 1}})["assistant_id"]
    by_context = aegra.patch(f"/assistants/{aid}", json={"context": {"b": 2}}).json()
    assert by_context["context"] == {"b": 2}
    assert by_context["config"] == {"tags": ["m"], "configurable": {"b": 2}}
    by_config = aegra.patch(f"/assistants/{aid}", json={"config": {"tags": ["n"]}}).json()
    assert by_config["config"] == {"tags": ["n"]} and by_config["context"] == {}
    nulls = aegra.patch(f"/assistants/{aid}", json={"config": None, "context": None}).json()
    assert nulls["config"] == {"configurable": {}} and nulls["context"] == {}
    for config in ({"configurable": {"a": 1}}, {"configurable": "x"}):
        body = {"config": config, "context": {"b": 1}, "description": "\u0000"}
        both = aegra.patch(f"/assistants/{aid}", json=body)
        assert both.status_code == 400
        assert both.json() == error(
            "bad_request", "Cannot specify both configurable and context. Use only one."
        )


def test_patch_answers_in_its_merge_order_and_get_in_jsonb_order(aegra: httpx.Client) -> None:
    aid = create(aegra, metadata={"zz": 1, "a": 1})["assistant_id"]
    patched = aegra.patch(f"/assistants/{aid}", json={"metadata": {"bbb": 1, "c": 2}}).json()
    assert list(patched["metadata"]) == ["a", "zz", "bbb", "c"]
    assert list(aegra.get(f"/assistants/{aid}").json()["metadata"]) == ["a", "c", "zz", "bbb"]


def test_patch_empty_or_null_name_and_graph_id_are_aegra_422s(aegra: httpx.Client) -> None:
    aid = create(aegra)["assistant_id"]
    for field in ("name", "graph_id"):
        for value in ("", None):
            response = aegra.patch(f"/assistants/{aid}", json={field: value})
            assert response.status_code == 422
            assert response.json() == error(
                "validation_error",
                f"{field} must be a non-empty string when supplied; omit it to leave it unchanged",
            )
    missing = aegra.patch("/assistants/nope", json={"name": None})  # the 404 comes first
    assert (missing.status_code, missing.json()) == (404, error("not_found", "Assistant 'nope' not found"))
    assert len(aegra.post(f"/assistants/{aid}/versions").json()) == 1


def test_patch_type_errors_are_fastapi_422s(aegra: httpx.Client) -> None:
    aid = create(aegra)["assistant_id"]
    response = aegra.patch(
        f"/assistants/{aid}", json={"name": 5, "config": [], "graph_id": 3, "metadata": "m"}
    )
    assert response.status_code == 422
    assert [(e["type"], e["loc"][1]) for e in response.json()["detail"]] == [
        ("string_type", "name"),
        ("dict_type", "config"),
        ("string_type", "graph_id"),
        ("dict_type", "metadata"),
    ]
    empty = aegra.patch(f"/assistants/{aid}", content=b"", headers=JSON)
    assert empty.json() == {
        "detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
    }


def test_patch_graph_id_is_not_checked_and_graph_routes_then_400(aegra: httpx.Client) -> None:
    aid = create(aegra)["assistant_id"]
    moved = aegra.patch(f"/assistants/{aid}", json={"graph_id": "not-a-graph"})
    assert moved.status_code == 200 and moved.json()["graph_id"] == "not-a-graph"
    for route, prefix in (
        ("schemas", "Failed to extract schemas"),
        ("graph", "Failed to get graph"),
        ("subgraphs", "Failed to get subgraphs"),
    ):
        response = aegra.get(f"/assistants/{aid}/{route}")
        assert response.status_code == 400
        assert response.json() == error("bad_request", f"{prefix}: Graph not found: not-a-graph")


@gateway_only
def test_patch_onto_another_assistants_graph_and_config_is_409(aegra: httpx.Client) -> None:
    first = create(aegra, graph_id="other", config={"tags": ["taken"]})
    second = create(aegra, graph_id="other", config={"tags": ["free"]})
    response = aegra.patch(f"/assistants/{second['assistant_id']}", json={"config": {"tags": ["taken"]}})
    assert response.status_code == 409
    assert response.json() == error("conflict", f"Assistant '{first['assistant_id']}' already exists")
    assert (
        len(aegra.post(f"/assistants/{second['assistant_id']}/versions").json()) == 1
    )  # nothing left behind
    assert aegra.get(f"/assistants/{second['assistant_id']}").json()["config"] == {"tags": ["free"]}
    assert aegra.post("/assistants/search", json={}).status_code == 200


# -- latest, versions --------------------------------------------------------------------------------------


def test_latest_rolls_back_without_a_new_version(aegra: httpx.Client) -> None:
    aid = create(aegra, name="v1", metadata={"stage": 1})["assistant_id"]
    aegra.patch(f"/assistants/{aid}", json={"name": "v2", "metadata": {"stage": 2}})
    aegra.patch(f"/assistants/{aid}", json={"name": "v3"})
    rolled = aegra.post(f"/assistants/{aid}/latest", json={"version": 1})
    assert rolled.status_code == 200
    assert (rolled.json()["version"], rolled.json()["name"], rolled.json()["metadata"]) == (
        1,
        "v1",
        {"stage": 1},
    )
    assert len(aegra.post(f"/assistants/{aid}/versions").json()) == 3
    assert aegra.post(f"/assistants/{aid}/latest", json={"version": "2"}).json()["name"] == "v2"
    after = aegra.patch(f"/assistants/{aid}", json={}).json()
    assert (after["version"], after["name"]) == (4, "v2")


def test_latest_errors(aegra: httpx.Client) -> None:
    aid = create(aegra)["assistant_id"]
    missing = aegra.post(f"/assistants/{aid}/latest", json={"version": 9})
    assert missing.status_code == 404
    assert missing.json() == error("not_found", f"Version '9' for Assistant '{aid}' not found")
    unknown = aegra.post("/assistants/nope/latest", json={"version": 1})
    assert unknown.json() == error("not_found", "Assistant 'nope' not found")
    version_missing = {
        "detail": [{"type": "missing", "loc": ["body", "version"], "msg": "Field required", "input": None}]
    }
    for raw in (b"", b"{}", b"[]", b"null", b"5"):
        response = aegra.post(f"/assistants/{aid}/latest", content=raw, headers=JSON)
        assert (response.status_code, response.json()) == (422, version_missing)
    as_text = aegra.post(
        f"/assistants/{aid}/latest", content=b'{"version": 1}', headers={"content-type": "text/csv"}
    )
    assert as_text.json() == version_missing
    cases = {
        "x": ("int_parsing", "Input should be a valid integer, unable to parse string as an integer"),
        1.5: ("int_from_float", "Input should be a valid integer, got a number with a fractional part"),
        None: ("int_type", "Input should be a valid integer"),
    }
    for value, (kind, msg) in cases.items():
        response = aegra.post(f"/assistants/{aid}/latest", json={"version": value})
        assert response.json() == {
            "detail": [{"type": kind, "loc": ["body", "version"], "msg": msg, "input": value}]
        }


def test_versions_newest_first_with_the_callers_user_id(aegra: httpx.Client) -> None:
    aid = create(aegra, name="one")["assistant_id"]
    aegra.patch(f"/assistants/{aid}", json={"name": "two", "description": "d"})
    response = aegra.post(
        f"/assistants/{aid}/versions", content=b"{not json", headers=JSON
    )  # no body is read
    assert response.status_code == 200
    versions = [strip(v) for v in response.json()]
    assert [(v["version"], v["name"], v["description"]) for v in versions] == [
        (2, "two", "d"),
        (1, "one", None),
    ]
    assert all(list(v) == KEYS and v["created_at"] == v["updated_at"] for v in versions)
    assert all(v["user_id"] == "anonymous" and v["assistant_id"] == aid for v in versions)
    unknown = aegra.post("/assistants/nope/versions")
    assert (unknown.status_code, unknown.json()) == (404, error("not_found", "Assistant 'nope' not found"))


# -- search, count, list -----------------------------------------------------------------------------------


def test_search_filters(aegra: httpx.Client) -> None:
    tag = uuid.uuid4().hex
    alpha = create(
        aegra, name="Alpha bot", description="Handles 50% of tickets", metadata={"t": tag, "n": {"x": 1}}
    )
    beta = create(aegra, name="beta_bot", graph_id="other", metadata={"t": tag, "arr": [1, 2]})

    def ids(**body: Any) -> list[str]:
        response = aegra.post("/assistants/search", json={"metadata": {"t": tag}, **body})
        assert response.status_code == 200
        return [a["assistant_id"] for a in response.json()]

    assert ids() == [beta["assistant_id"], alpha["assistant_id"]]  # newest first
    assert ids(name="ALPHA") == [alpha["assistant_id"]]
    assert ids(name="a_b") == [beta["assistant_id"]]  # `_` is not a wildcard
    assert ids(description="50%") == [alpha["assistant_id"]]
    assert ids(graph_id="other") == [beta["assistant_id"]]
    assert ids(name="", graph_id="", description="") == ids()  # empty strings filter nothing
    assert ids(metadata={"t": tag, "n": {"x": 1}}) == [alpha["assistant_id"]]
    assert ids(metadata={"t": tag, "arr": [2]}) == [beta["assistant_id"]]
    assert ids(limit=1) == [beta["assistant_id"]] and ids(limit=1, offset=1) == [alpha["assistant_id"]]
    assert ids(sort_by="name", sort_order="asc") == [alpha["assistant_id"], beta["assistant_id"]]
    assert ids(sort_by="created_at") == ids(sort_by="created_at", sort_order="desc") == ids()
    assert ids(sort_order="asc") == ids()  # sort_order alone is ignored
    assert aegra.post("/assistants/count", json={"metadata": {"t": tag}}).json() == 2
    assert aegra.post("/assistants/count", json={"metadata": {"t": tag}, "name": "beta"}).json() == 1


def test_search_sorts_by_every_field(aegra: httpx.Client) -> None:
    tag = uuid.uuid4().hex
    made = [create(aegra, assistant_id=f"s{tag}{i}", name=f"n{i}", metadata={"t": tag}) for i in range(3)]
    aegra.patch(f"/assistants/{made[0]['assistant_id']}", json={"description": "touched"})
    expected = {
        "assistant_id": [2, 1, 0],
        "name": [2, 1, 0],
        "created_at": [2, 1, 0],
        "updated_at": [0, 2, 1],
    }
    for sort_by, order in expected.items():
        found = aegra.post("/assistants/search", json={"metadata": {"t": tag}, "sort_by": sort_by}).json()
        assert [a["assistant_id"] for a in found] == [made[i]["assistant_id"] for i in order], sort_by
        ascending = aegra.post(
            "/assistants/search", json={"metadata": {"t": tag}, "sort_by": sort_by, "sort_order": "asc"}
        ).json()
        assert [a["assistant_id"] for a in ascending] == [made[i]["assistant_id"] for i in reversed(order)]
    by_graph = aegra.post("/assistants/search", json={"metadata": {"t": tag}, "sort_by": "graph_id"}).json()
    assert [a["assistant_id"] for a in by_graph] == sorted(m["assistant_id"] for m in made)  # ties by id


def test_description_filter_finds_the_default_text_of_system_assistants(aegra: httpx.Client) -> None:
    mine = create(aegra, description="My DEFAULT choice")
    create(aegra, description="something else")
    found = aegra.post("/assistants/search", json={"description": "default assistant"}).json()
    assert sorted(a["graph_id"] for a in found) == ["agent", "nested"]  # `other` has its own description
    assert all(a["user_id"] == "system" for a in found)
    by_id = sorted([AGENT_SYSTEM_ID, NESTED_SYSTEM_ID, mine["assistant_id"]])
    query = {"description": "Default", "sort_by": "assistant_id", "sort_order": "asc"}
    assert [a["assistant_id"] for a in aegra.post("/assistants/search", json=query).json()] == by_id
    page = aegra.post("/assistants/search", json={**query, "limit": 1, "offset": 1}).json()
    assert [a["assistant_id"] for a in page] == by_id[1:2]
    assert aegra.post("/assistants/count", json={"description": "default"}).json() == 3
    assert aegra.post("/assistants/count", json={"description": "default", "graph_id": "agent"}).json() == 2
    assert aegra.post("/assistants/count", json={"description": "graph 'nested'"}).json() == 1
    assert aegra.post("/assistants/count", json={"description": "the other graph"}).json() == 1


def test_pages_of_a_description_filter_that_finds_default_texts_cover_every_match_once(
    aegra: httpx.Client,
) -> None:
    made = [create(aegra, description=f"default number {i}")["assistant_id"] for i in range(7)]
    create(aegra, description="unrelated")
    for sort_by, order in (("assistant_id", "asc"), ("created_at", "desc"), ("name", "asc")):
        query = {"description": "default", "sort_by": sort_by, "sort_order": order}
        whole = [a["assistant_id"] for a in aegra.post("/assistants/search", json=query).json()]
        assert sorted(whole) == sorted([*made, AGENT_SYSTEM_ID, NESTED_SYSTEM_ID])
        pages = [
            a["assistant_id"]
            for offset in range(0, 10, 3)
            for a in aegra.post("/assistants/search", json={**query, "limit": 3, "offset": offset}).json()
        ]
        assert pages == whole
    assert aegra.post("/assistants/count", json={"description": "default"}).json() == 9


def test_search_default_limit_is_20_and_includes_system_assistants(aegra: httpx.Client) -> None:
    for _ in range(20):
        create(aegra, graph_id="other")
    assert len(aegra.post("/assistants/search", json={}).json()) == 20
    assert len(aegra.post("/assistants/search", json={"limit": None, "offset": None}).json()) == 20
    assert aegra.post("/assistants/count", json={}).json() == 23
    system = aegra.post("/assistants/search", json={"metadata": {"created_by": "system"}}).json()
    assert sorted(a["graph_id"] for a in system) == ["agent", "nested", "other"]


def test_search_and_count_validation_lists_every_error(aegra: httpx.Client) -> None:
    body = {
        "limit": 0,
        "offset": -1,
        "sort_by": "version",
        "sort_order": "ASC",
        "name": 1,
        "metadata": [],
        "graph_id": {},
        "description": 2,
        "select": ["name"],
    }
    expected = {
        "detail": [
            {
                "type": "string_type",
                "loc": ["body", "name"],
                "msg": "Input should be a valid string",
                "input": 1,
            },
            {
                "type": "string_type",
                "loc": ["body", "description"],
                "msg": "Input should be a valid string",
                "input": 2,
            },
            {
                "type": "string_type",
                "loc": ["body", "graph_id"],
                "msg": "Input should be a valid string",
                "input": {},
            },
            {
                "type": "greater_than_equal",
                "loc": ["body", "limit"],
                "msg": "Input should be greater than or equal to 1",
                "input": 0,
                "ctx": {"ge": 1},
            },
            {
                "type": "greater_than_equal",
                "loc": ["body", "offset"],
                "msg": "Input should be greater than or equal to 0",
                "input": -1,
                "ctx": {"ge": 0},
            },
            {
                "type": "dict_type",
                "loc": ["body", "metadata"],
                "msg": "Input should be a valid dictionary",
                "input": [],
            },
            {
                "type": "literal_error",
                "loc": ["body", "sort_by"],
                "msg": "Input should be 'assistant_id', 'name', 'graph_id', 'created_at' or 'updated_at'",
                "input": "version",
                "ctx": {"expected": "'assistant_id', 'name', 'graph_id', 'created_at' or 'updated_at'"},
            },
            {
                "type": "literal_error",
                "loc": ["body", "sort_order"],
                "msg": "Input should be 'asc' or 'desc'",
                "input": "ASC",
                "ctx": {"expected": "'asc' or 'desc'"},
            },
        ]
    }
    for route in ("search", "count"):
        response = aegra.post(f"/assistants/{route}", json=body)
        assert (response.status_code, response.json()) == (422, expected)
    too_many = aegra.post("/assistants/count", json={"limit": 101})
    assert too_many.json() == {
        "detail": [
            {
                "type": "less_than_equal",
                "loc": ["body", "limit"],
                "msg": "Input should be less than or equal to 100",
                "input": 101,
                "ctx": {"le": 100},
            }
        ]
    }
    huge = aegra.post("/assistants/search", json={"limit": 10**30})
    assert huge.json()["detail"][0]["input"] == 10**30
    required = aegra.post("/assistants/count", content=b"", headers=JSON)
    assert required.json() == {
        "detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
    }


def test_select_is_ignored(aegra: httpx.Client) -> None:
    found = aegra.post("/assistants/search", json={"select": ["name"], "limit": 1}).json()
    assert set(strip(found[0])) == set(KEYS)


def test_list_returns_everything_visible_with_a_total(aegra: httpx.Client) -> None:
    made = create(aegra)
    response = aegra.get("/assistants")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["assistants", "total"]
    assert body["total"] == len(body["assistants"]) == 4
    assert [a["assistant_id"] for a in body["assistants"]][:3] == [
        AGENT_SYSTEM_ID,
        OTHER_SYSTEM_ID,
        NESTED_SYSTEM_ID,
    ]
    assert strip(body["assistants"][3]) == made


# -- graph documents ---------------------------------------------------------------------------------------


def test_schemas(aegra: httpx.Client) -> None:
    response = aegra.get(f"/assistants/{AGENT_SYSTEM_ID}/schemas")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == [
        "graph_id",
        "input_schema",
        "output_schema",
        "state_schema",
        "config_schema",
        "context_schema",
    ]
    assert body["graph_id"] == "agent"
    assert body["config_schema"] == body["context_schema"]
    assert body["context_schema"]["title"] == "Ctx"
    assert body["state_schema"]["title"] == "LangGraphState"
    other = aegra.get(f"/assistants/{OTHER_SYSTEM_ID}/schemas").json()
    assert (other["config_schema"], other["context_schema"]) == ({}, None)
    assert aegra.get("/assistants/nope/schemas").json() == error("not_found", "Assistant 'nope' not found")


def test_graph_and_xray(aegra: httpx.Client) -> None:
    base = f"/assistants/{NESTED_SYSTEM_ID}/graph"
    plain = aegra.get(base).json()
    assert [n["id"] for n in plain["nodes"]] == ["__start__", "step", "child", "__end__"]
    assert plain["edges"][1] == {"source": "step", "target": "__end__", "conditional": True}
    expanded = aegra.get(base, params={"xray": "true"}).json()
    assert [n["id"] for n in expanded["nodes"]] == ["__start__", "step", "__end__", "child:inner"]
    for value in ("1", "2", "YES", "t", " 1"):
        assert aegra.get(base, params={"xray": value}).json() == expanded, value
    for value in ("0", "false", "off"):
        assert aegra.get(base, params={"xray": value}).json() == plain, value
    for value in ("-1", "-0"):
        negative = aegra.get(base, params={"xray": value})
        assert (negative.status_code, negative.json()) == (
            422,
            error("validation_error", "Invalid xray value"),
        )
    for value in ("abc", "", "1.5"):
        response = aegra.get(base, params={"xray": value})
        assert response.status_code == 422
        assert response.json() == {
            "detail": [
                {
                    "type": "bool_parsing",
                    "loc": ["query", "xray", "bool"],
                    "msg": "Input should be a valid boolean, unable to interpret input",
                    "input": value,
                },
                {
                    "type": "int_parsing",
                    "loc": ["query", "xray", "int"],
                    "msg": "Input should be a valid integer, unable to parse string as an integer",
                    "input": value,
                },
            ]
        }
    # query validation comes before the lookup
    assert aegra.get("/assistants/nope/graph", params={"xray": "x"}).status_code == 422
    assert aegra.get("/assistants/nope/graph").json() == error("not_found", "Assistant 'nope' not found")


def test_subgraphs_with_namespace_and_recurse_query(aegra: httpx.Client) -> None:
    base = f"/assistants/{NESTED_SYSTEM_ID}/subgraphs"
    found = aegra.get(base).json()
    assert list(found) == ["child"]
    assert list(found["child"]) == [
        "input_schema",
        "output_schema",
        "state_schema",
        "config_schema",
        "context_schema",
    ]
    assert aegra.get(base, params={"namespace": "child", "recurse": "true"}).json() == found
    assert aegra.get(base, params={"namespace": "nope"}).json() == {}
    assert aegra.get(f"/assistants/{AGENT_SYSTEM_ID}/subgraphs").json() == {}
    bad = aegra.get(base, params={"recurse": "x"})
    assert bad.json() == {
        "detail": [
            {
                "type": "bool_parsing",
                "loc": ["query", "recurse"],
                "msg": "Input should be a valid boolean, unable to interpret input",
                "input": "x",
            }
        ]
    }
    assert aegra.get(f"{base}/child").json() == {"detail": "Not Found"}  # the SDK's path form is not routed


# -- meta and framework ------------------------------------------------------------------------------------


def test_meta_routes(aegra: httpx.Client) -> None:
    assert aegra.get("/").json() == {"message": "Aegra", "version": "0.11.0", "status": "running"}
    info = aegra.get("/info").json()
    assert {k: info[k] for k in ("name", "version", "status")} == {
        "name": "Aegra",
        "version": "0.11.0",
        "status": "running",
    }
    assert info["description"] == "Production-ready Agent Protocol server built on LangGraph"
    assert info["flags"]["assistants"] is True
    assert aegra.get("/health").json() == {
        "status": "healthy",
        "database": "connected",
        "langgraph_checkpointer": "connected",
        "langgraph_store": "connected",
    }
    assert aegra.get("/ready").json() == {"status": "ready"}
    assert aegra.get("/live").json() == {"status": "alive"}


def test_unknown_routes_and_methods_use_starlettes_format(aegra: httpx.Client) -> None:
    assert (aegra.get("/nothing").status_code, aegra.get("/nothing").json()) == (404, {"detail": "Not Found"})
    for method, path, allow in (
        ("PUT", "/assistants", "POST"),
        ("DELETE", "/assistants", "POST"),
        ("POST", "/assistants/x/graph", "GET"),
        ("HEAD", "/assistants/x", "GET"),
        ("POST", "/info", "GET"),
    ):
        response = aegra.request(method, path)
        assert response.status_code == 405, (method, path)
        assert response.headers["allow"] == allow
        if method != "HEAD":
            assert response.json() == {"detail": "Method Not Allowed"}
    # GET /assistants/search is GET /assistants/{assistant_id}
    assert aegra.get("/assistants/search").json() == error("not_found", "Assistant 'search' not found")


def test_every_response_has_a_request_id(aegra: httpx.Client) -> None:
    response = aegra.get("/live")
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    mine = str(uuid.uuid4())
    assert aegra.get("/nothing", headers={"x-request-id": mine}).headers["x-request-id"] == mine
    assert aegra.get("/live", headers={"x-request-id": "not-a-uuid"}).headers["x-request-id"] != "not-a-uuid"
    cors = aegra.get("/live", headers={"origin": "https://example.com"})
    assert cors.headers["access-control-allow-origin"] == "*"
    assert cors.headers["vary"] == "Origin" and "x-request-id" in cors.headers
    for path in ("/live", "/assistants/nope", "/nothing"):
        assert aegra.get(path).headers["vary"] == "Origin", path  # Starlette's CORS, even without Origin
    preflight = aegra.options(
        "/assistants",
        headers={"origin": "https://example.com", "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 200 and preflight.text == "OK"
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "x-request-id" not in preflight.headers  # CORS answers before the request-id middleware


# -- the gateway's settings --------------------------------------------------------------------------------


@gateway_only
def test_metadata_is_sent_under_both_keys_by_default(aegra: httpx.Client) -> None:
    body = aegra.post("/assistants", json={"graph_id": "agent", "metadata": {"a": 1}}).json()
    assert list(body)[8:10] == ["metadata", "metadata_dict"]
    assert body["metadata"] == body["metadata_dict"] == {"a": 1}


@gateway_only
@pytest.mark.parametrize("key", ["metadata", "metadata_dict"])
def test_metadata_key_setting_picks_one(tmp_path: Path, key: str) -> None:
    settings = aegra_settings(tmp_path, **{"dialects.aegra.metadata_key": key})
    with in_process(settings, "http://testserver/aegra") as client:
        body = client.post("/assistants", json={"graph_id": "agent", "metadata": {"a": 1}}).json()
        assert list(body)[8] == key and body[key] == {"a": 1}
        assert list(body) == [*KEYS[:8], key, *KEYS[9:]]
        versions = client.post(f"/assistants/{body['assistant_id']}/versions").json()
        assert versions[0][key] == {"a": 1}


@gateway_only
def test_jsonb_key_order_can_be_turned_off(tmp_path: Path) -> None:
    settings = aegra_settings(tmp_path, **{"dialects.aegra.jsonb_key_order": False})
    with in_process(settings, "http://testserver/aegra") as client:
        body = client.post("/assistants", json={"graph_id": "agent", "metadata": {"zz": 1, "a": 2}}).json()
        assert list(body["metadata"]) == ["zz", "a"]


@gateway_only
def test_oversized_body_is_413_in_aegra_format(tmp_path: Path) -> None:
    with in_process(
        aegra_settings(tmp_path, **{"server.max_body_bytes": 100}), "http://testserver/aegra"
    ) as client:
        response = client.post("/assistants", json={"graph_id": "agent", "name": "x" * 200})
        assert response.status_code == 413
        assert response.json() == error("unknown_error", "Request body too large (limit: 100 bytes)")
        assert client.post("/assistants/count", json={}).json() == 3


@gateway_only
def test_served_at_the_root_of_its_own_port(tmp_path: Path) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.testclient import TestClient

    from gateway.app import Gateway

    gateway = Gateway(aegra_settings(tmp_path, **{"dialects.aegra.port": 9999}))
    app = Starlette(routes=[Mount("", app=gateway.dialect_app("aegra"))], lifespan=gateway.lifespan)
    with TestClient(app) as client:
        assert client.get("/info").json()["name"] == "Aegra"
        assert client.post("/assistants/count", json={}).json() == 3
        assert client.get("/nothing").json() == {"detail": "Not Found"}
