"""Langdock and the other dialects on one store (DESIGN.md, Views across dialects).

A Langdock assistant read through /langsmith shows instructions, model and temperature in `context`
(and `config.configurable`); a LangSmith write keeps what only Langdock has, and a Langdock write
keeps what only LangSmith has.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from starlette.testclient import TestClient

from gateway.app import Gateway
from gateway.model import Scope
from tests.conftest import SettingsFactory
from tests.test_langdock_api import check_details

LANGDOCK_BODY = {
    "name": "Invoice Analyzer",
    "description": "Analyzes invoices",
    "emoji": "🧾",
    "instruction": "You are an invoice analysis agent.",
    "model": "gpt-5-mini",
    "creativity": 0.7,
    "inputType": "STRUCTURED",
    "conversationStarters": ["Check this invoice"],
    "actions": [{"actionId": "action-uuid", "requiresConfirmation": True}],
    "inputFields": [{"slug": "customer", "type": "TEXT", "label": "Customer", "required": True, "order": 0}],
    "canvas": True,
}
LANGDOCK_ONLY = ("emojiIcon", "conversationStarters", "inputType", "inputFields", "actions", "canvasEnabled")


class Both:
    """One gateway in process, with the store reachable for checks of the canonical row."""

    def __init__(self, gateway: Gateway, client: TestClient) -> None:
        self.gateway = gateway
        self.client = client

    def langdock(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, "/langdock" + path, **kwargs)

    def langsmith(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, "/langsmith" + path, **kwargs)

    def ld_get(self, assistant_id: str) -> dict[str, Any]:
        response = self.langdock("GET", "/assistant/v1/get", params={"assistantId": assistant_id})
        assert response.status_code == 200, response.text
        return response.json()["assistant"]

    def stored(self, assistant_id: str) -> Any:
        return self.client.portal.call(self.gateway.service.get, Scope(), assistant_id)


@pytest.fixture
def both(make_settings: SettingsFactory) -> Iterator[Both]:
    gateway = Gateway(make_settings())
    with TestClient(gateway.app()) as client:
        yield Both(gateway, client)


def test_canonical_row_of_a_langdock_create(both: Both) -> None:
    created = both.langdock("POST", "/assistant/v1/create", json=LANGDOCK_BODY).json()["assistant"]
    row = both.stored(created["id"])
    assert (row.name, row.description, row.instructions, row.model, row.temperature) == (
        "Invoice Analyzer",
        "Analyzes invoices",
        "You are an invoice analysis agent.",
        "gpt-5-mini",
        0.7,
    )
    assert (row.graph_id, row.config, row.context, row.metadata, row.disabled) == (None, {}, {}, {}, False)
    assert row.extensions == {
        "langdock": {
            "emoji": "🧾",
            "inputType": "STRUCTURED",
            "conversationStarters": ["Check this invoice"],
            "actions": [{"actionId": "action-uuid", "requiresConfirmation": True}],
            "inputFields": [
                {
                    "slug": "customer",
                    "type": "TEXT",
                    "label": "Customer",
                    "description": "",
                    "required": True,
                    "order": 0,
                    "options": [],
                    "fileTypes": None,
                }
            ],
            "attachments": [],
            "webSearch": False,
            "imageGeneration": False,
            "dataAnalyst": False,
            "canvas": True,
            "extendedThinking": False,
        }
    }
    both.langdock("PATCH", "/assistant/v1/disable", json={"assistantId": created["id"], "disabled": True})
    assert both.stored(created["id"]).disabled is True
    both.langdock("PATCH", "/assistant/v1/disable", json={"assistantId": created["id"], "disabled": False})
    assert both.stored(created["id"]).disabled is False


def test_langdock_assistant_through_langsmith(both: Both) -> None:
    created = both.langdock("POST", "/assistant/v1/create", json=LANGDOCK_BODY).json()["assistant"]
    shown = both.langsmith("GET", f"/assistants/{created['id']}").json()
    expected_context = {
        "system_prompt": "You are an invoice analysis agent.",
        "model": "gpt-5-mini",
        "temperature": 0.7,
    }
    assert shown["context"] == expected_context
    assert shown["config"] == {"configurable": expected_context}
    assert (shown["name"], shown["description"], shown["graph_id"], shown["metadata"]) == (
        "Invoice Analyzer",
        "Analyzes invoices",
        "agent",
        {},
    )
    # defaults stored at create are visible too
    minimal = both.langdock("POST", "/assistant/v1/create", json={"name": "m"}).json()["assistant"]
    assert both.langsmith("GET", f"/assistants/{minimal['id']}").json()["context"] == {
        "model": "gpt-5",
        "temperature": 0.3,
    }


def test_langsmith_patch_keeps_what_only_langdock_has(both: Both) -> None:
    created = both.langdock("POST", "/assistant/v1/create", json=LANGDOCK_BODY).json()["assistant"]
    patched = both.langsmith(
        "PATCH",
        f"/assistants/{created['id']}",
        json={"name": "Renamed in LangSmith", "metadata": {"team": "billing"}},
    )
    assert patched.status_code == 200
    after = both.ld_get(created["id"])
    assert {k: after[k] for k in LANGDOCK_ONLY} == {k: created[k] for k in LANGDOCK_ONLY}
    assert (after["name"], after["instruction"], after["model"], after["temperature"]) == (
        "Renamed in LangSmith",
        created["instruction"],
        "gpt-5-mini",
        0.7,
    )
    # a LangSmith context write sets the canonical fields Langdock shows, and still keeps the rest
    both.langsmith(
        "PATCH",
        f"/assistants/{created['id']}",
        json={"context": {"system_prompt": "New prompt", "model": "gpt-4o", "temperature": 0.2, "x": 1}},
    )
    after = both.ld_get(created["id"])
    assert (after["instruction"], after["model"], after["temperature"]) == ("New prompt", "gpt-4o", 0.2)
    assert {k: after[k] for k in LANGDOCK_ONLY} == {k: created[k] for k in LANGDOCK_ONLY}


def test_langdock_update_keeps_what_only_langsmith_has(both: Both) -> None:
    created = both.langsmith(
        "POST",
        "/assistants",
        json={
            "graph_id": "nested",
            "name": "Graph bot",
            "config": {"tags": ["t"], "recursion_limit": 7},
            "context": {"system_prompt": "Be brief.", "model": "gpt-4o", "other": {"k": [1, 2]}},
            "metadata": {"owner": "team-a"},
        },
    ).json()
    assistant_id = created["assistant_id"]
    row = both.stored(assistant_id)
    both.client.portal.call(
        both.gateway.service.update,
        Scope(),
        assistant_id,
        lambda a: msgspec.structs.replace(a, extensions={"pais": {"tools": [1]}}),  # as another dialect would
    )
    shown = both.ld_get(assistant_id)
    check_details(shown, name="Graph bot", instruction="Be brief.", model="gpt-4o", temperature=0.3)
    response = both.langdock(
        "PATCH",
        "/assistant/v1/update",
        json={"assistantId": assistant_id, "emoji": "🤖", "creativity": 0.9, "instruction": "Be thorough."},
    )
    assert response.status_code == 200
    after = both.stored(assistant_id)
    assert (after.graph_id, after.config, after.metadata) == (row.graph_id, row.config, row.metadata)
    assert after.context == row.context  # the stored context is untouched; the view overlays it
    assert after.extensions == {"pais": {"tools": [1]}, "langdock": {"emoji": "🤖"}}
    assert (after.instructions, after.temperature, after.model) == ("Be thorough.", 0.9, "gpt-4o")
    through_langsmith = both.langsmith("GET", f"/assistants/{assistant_id}").json()
    assert through_langsmith["graph_id"] == "nested"
    assert through_langsmith["context"] == {
        "system_prompt": "Be thorough.",
        "model": "gpt-4o",
        "other": {"k": [1, 2]},
        "temperature": 0.9,
    }
    assert (
        through_langsmith["config"]["tags"] == ["t"] and through_langsmith["config"]["recursion_limit"] == 7
    )
    assert through_langsmith["metadata"] == {"owner": "team-a"}


def test_assistants_from_elsewhere_show_langdock_defaults(both: Both) -> None:
    created = both.langsmith("POST", "/assistants", json={"graph_id": "agent", "name": "plain"}).json()
    shown = both.ld_get(created["assistant_id"])
    check_details(shown, name="plain")  # default model of the workspace, creativity 0.3, PROMPT, no flags
    system = both.ld_get("fe096781-5601-53d2-b2f6-0d3403f7e9ca")  # the graph's system assistant
    assert system["name"] == "agent"


def test_a_model_changed_elsewhere_never_blocks_an_unrelated_update(both: Both) -> None:
    body = {"name": "thinker", "model": "gpt-5", "extendedThinking": True}
    created = both.langdock("POST", "/assistant/v1/create", json=body).json()["assistant"]
    both.langsmith("PATCH", f"/assistants/{created['id']}", json={"context": {"model": "gpt-4o"}})
    renamed = both.langdock(
        "PATCH", "/assistant/v1/update", json={"assistantId": created["id"], "name": "still"}
    )
    assert renamed.status_code == 200
    shown = renamed.json()["assistant"]
    assert (shown["name"], shown["model"], shown["extendedThinking"]) == ("still", "gpt-4o", True)
    # naming the flag or the model again checks the pairing
    again = both.langdock(
        "PATCH", "/assistant/v1/update", json={"assistantId": created["id"], "extendedThinking": True}
    )
    assert again.status_code == 400


def test_an_upper_case_uuid_chosen_through_aegra_is_reachable(both: Both) -> None:
    upper = "3C90C3CC-0D44-4B50-8888-8DD25736052A"
    made = both.client.post(
        "/aegra/assistants", json={"assistant_id": upper, "graph_id": "agent", "name": "A"}
    )
    assert (made.status_code, made.json()["assistant_id"]) == (200, upper)
    assert both.ld_get(upper)["id"] == upper
    assert both.ld_get(upper.lower())["id"] == upper  # the only one: found in any case
    # a LangSmith assistant with the same UUID in lower case is another assistant; each is found exactly
    lower = both.langsmith(
        "POST", "/assistants", json={"assistant_id": upper, "graph_id": "agent", "name": "L"}
    )
    assert lower.json()["assistant_id"] == upper.lower()
    assert (both.ld_get(upper)["name"], both.ld_get(upper.lower())["name"]) == ("A", "L")
    updated = both.langdock("PATCH", "/assistant/v1/update", json={"assistantId": upper, "emoji": "🅰"})
    assert (updated.status_code, updated.json()["assistant"]["id"]) == (200, upper)
    disabled = both.langdock("PATCH", "/assistant/v1/disable", json={"assistantId": upper, "disabled": True})
    assert disabled.status_code == 200
    aegra_row, langsmith_row = both.stored(upper), both.stored(upper.lower())
    assert (aegra_row.extensions["langdock"], aegra_row.disabled) == ({"emoji": "🅰"}, True)
    assert (langsmith_row.extensions, langsmith_row.disabled) == ({}, False)
