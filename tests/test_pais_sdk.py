"""The pinned openai SDK (`client.beta.assistants`) drives the PAIS dialect on a real uvicorn; httpx does
the same through `/agents`, the resource name the SDK cannot reach."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator

import httpx
import openai
import pytest
from openai import OpenAI

from gateway.app import Gateway
from tests.conftest import SettingsFactory, live_server

API = "/pais/api/v1/compatibility/openai/v1"
MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct"
PAIS_FIELDS = {"session_max_length": 10000, "session_summarization_strategy": "delete_oldest"}
INDEX = "3cdb958c-e4cc-4834-b52b-1d1a7f324714"

# Every `beta.assistants` method is @deprecated in the SDK; the warning is expected, not an error.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

AUTH_CONFIG = """
[[auth.keys]]
key = "sk-acme"
tenant = "acme"

[[auth.keys]]
key = "sk-globex"
tenant = "globex"
"""


@pytest.fixture
def live(make_settings: SettingsFactory) -> Iterator[str]:
    """The gateway on a real uvicorn with two API keys (two tenants); yields the PAIS base URL."""
    with live_server(Gateway(make_settings(AUTH_CONFIG)).app()) as url:
        yield url + API


@pytest.fixture
def client(live: str) -> Iterator[OpenAI]:
    with OpenAI(base_url=live, api_key="sk-acme", max_retries=0) as sdk:
        yield sdk


def test_create_retrieve_update_delete(client: OpenAI) -> None:
    agent = client.beta.assistants.create(
        model=MODEL,
        name="hr-assistant",
        instructions="Answer from HR docs only.",
        metadata={"team": "hr"},
        extra_body={**PAIS_FIELDS, "index_id": INDEX, "index_reference_format": "structured"},
    )
    assert str(uuid.UUID(agent.id)) == agent.id
    assert agent.object == "agent"
    assert (agent.name, agent.model, agent.instructions) == (
        "hr-assistant",
        MODEL,
        "Answer from HR docs only.",
    )
    assert agent.metadata == {"team": "hr"}
    extra = agent.model_dump()
    assert extra["status"] == "AVAILABLE" and extra["status_errors"] == []
    assert extra["session_max_length"] == 10000 and extra["index_id"] == INDEX
    assert extra["index_reference_format"] == "structured"
    assert agent.tools == []

    fetched = client.beta.assistants.retrieve(agent.id)
    assert fetched.model_dump() == extra

    updated = client.beta.assistants.update(
        agent.id,
        name="renamed",
        description=None,
        metadata={"team": "people"},
        extra_body={"index_id": None, "session_max_ttl": 60},
    )
    dumped = updated.model_dump()
    assert (updated.name, updated.description, updated.metadata) == ("renamed", None, {"team": "people"})
    assert dumped["index_id"] is None  # the null reset
    assert dumped["session_max_ttl"] == 60
    assert dumped["index_reference_format"] == "structured"  # untouched
    assert updated.instructions == "Answer from HR docs only."

    reset = client.beta.assistants.update(agent.id, name=None, extra_body={"session_max_length": None})
    assert reset.name is None and reset.model_dump()["session_max_length"] == 4096  # the configured default

    deleted = client.beta.assistants.delete(agent.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (agent.id, True, "agent.deleted")
    with pytest.raises(openai.NotFoundError) as missing:
        client.beta.assistants.retrieve(agent.id)
    assert missing.value.body == {"detail": "No agent found with the specified ID."}


def test_list_paginates_automatically_in_both_orders(client: OpenAI) -> None:
    run = uuid.uuid4().hex
    made = [client.beta.assistants.create(model=MODEL, name=run, extra_body=PAIS_FIELDS).id for _ in range(7)]

    def pages(order: str) -> list[str]:
        page = client.beta.assistants.list(limit=3, order=order, extra_query={"name": run})
        return [a.id for a in page]  # iterating follows `after` until `has_more` is false (3 pages)

    assert pages("asc") == made
    assert pages("desc") == made[::-1]
    first = client.beta.assistants.list(limit=3, extra_query={"name": run})
    assert [a.id for a in first.data] == made[:3] and first.has_more is True
    assert first.model_dump()["num_objects"] is None
    counted = client.beta.assistants.list(limit=3, extra_query={"name": run, "set_num_objects": True})
    assert counted.model_dump()["num_objects"] == 7
    second = first.get_next_page()
    assert [a.id for a in second.data] == made[3:6]
    default = client.beta.assistants.list(extra_query={"name": run})  # PAIS defaults: limit 100, asc
    assert [a.id for a in default.data] == made and default.has_more is False


def test_sdk_errors(client: OpenAI, live: str) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as invalid:
        client.beta.assistants.create(model=MODEL, name="x" * 300)
    locs = [e["loc"] for e in invalid.value.body["detail"]]
    assert locs == [
        ["body", "name"],
        ["body", "session_max_length"],
        ["body", "session_summarization_strategy"],
    ]
    with pytest.raises(openai.NotFoundError) as unknown_model:
        client.beta.assistants.create(model="gpt-4o", extra_body=PAIS_FIELDS)
    assert unknown_model.value.body == {"detail": "Endpoint with requested model does not exist"}
    with pytest.raises(openai.UnprocessableEntityError):  # OpenAI-only fields have nowhere to go in PAIS
        client.beta.assistants.create(model=MODEL, temperature=0.5, extra_body=PAIS_FIELDS)
    with pytest.raises(openai.BadRequestError) as cursor:
        client.beta.assistants.list(after=str(uuid.uuid4()))
    assert cursor.value.body == {"detail": "An invalid ID was passed for paginating results."}
    with pytest.raises(openai.NotFoundError):
        client.beta.assistants.delete(str(uuid.uuid4()))
    with (
        OpenAI(base_url=live, api_key="sk-wrong", max_retries=0) as stranger,
        pytest.raises(openai.AuthenticationError),
    ):
        stranger.beta.assistants.list()


def test_tenants_are_separate_and_models_list(client: OpenAI, live: str) -> None:
    mine = client.beta.assistants.create(model=MODEL, extra_body=PAIS_FIELDS)
    with OpenAI(base_url=live, api_key="sk-globex", max_retries=0) as other:
        with pytest.raises(openai.NotFoundError):
            other.beta.assistants.retrieve(mine.id)
        assert mine.id not in [a.id for a in other.beta.assistants.list()]
        models = other.models.list()
        assert [(m.id, m.object, m.owned_by) for m in models] == [(MODEL, "model", "")]
        assert models.data[0].model_dump()["model_type"] == "COMPLETIONS"


def test_the_deprecation_warning_is_the_sdks_own(client: OpenAI) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.beta.assistants.list(limit=1)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_agents_resource_with_httpx(live: str) -> None:
    headers = {"Authorization": "Bearer sk-acme"}
    with httpx.Client(base_url=live, headers=headers, timeout=30) as http:
        created = http.post("/agents", json={"model": MODEL, "name": "via agents", **PAIS_FIELDS})
        assert created.status_code == 201
        agent = created.json()
        assert agent["object"] == "agent"
        assert http.get(f"/agents/{agent['id']}").json() == agent
        assert http.get(f"/assistants/{agent['id']}").json() == agent
        updated = http.post(f"/agents/{agent['id']}", json={"name": None, "completion_role": "bot"}).json()
        assert (updated["name"], updated["completion_role"]) == (None, "bot")
        run = uuid.uuid4().hex
        made = [
            http.post("/agents", json={"model": MODEL, "name": run, **PAIS_FIELDS}).json()["id"]
            for _ in range(5)
        ]

        def every_page(order: str) -> list[str]:
            collected, after, pages = [], None, 0
            while True:
                params = {"name": run, "limit": 2, "order": order, **({"after": after} if after else {})}
                page = http.get("/agents", params=params).json()
                collected += [a["id"] for a in page["data"]]
                pages += 1
                if not page["has_more"]:
                    assert pages == 3
                    return collected
                after = page["last_id"]

        assert every_page("asc") == made
        assert every_page("desc") == made[::-1]
        deleted = http.delete(f"/agents/{agent['id']}")
        assert deleted.json() == {"id": agent["id"], "object": "agent.deleted", "deleted": True}
        assert http.get(f"/agents/{agent['id']}").status_code == 404
