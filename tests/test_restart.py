"""A restart keeps every assistant and every version; system assistants are neither duplicated nor reset."""

from __future__ import annotations

from tests.conftest import LANGGRAPH_CONFIG, SettingsFactory, in_process


def test_restart_keeps_assistants_versions_and_system_assistants(make_settings: SettingsFactory) -> None:
    settings = make_settings()
    with in_process(settings, "http://testserver/langsmith") as client:
        made = client.post(
            "/assistants", json={"graph_id": "agent", "name": "keep", "metadata": {"k": 1}}
        ).json()
        aid = made["assistant_id"]
        client.patch(f"/assistants/{aid}", json={"name": "kept", "metadata": {"k": 2}})
        client.patch(f"/assistants/{aid}", json={"context": {"model_name": "m"}})
        client.post(f"/assistants/{aid}/latest", json={"version": 2})
        before = client.post("/assistants/search", json={"limit": 1000}).json()
        system_before = client.post("/assistants/search", json={"metadata": {"created_by": "system"}}).json()
        history_before = client.post(f"/assistants/{aid}/versions", json={}).json()

    for _ in range(2):
        with in_process(make_settings(), "http://testserver/langsmith") as client:
            assert client.post("/assistants/search", json={"limit": 1000}).json() == before
            assert client.post(f"/assistants/{aid}/versions", json={}).json() == history_before
            system = client.post("/assistants/search", json={"metadata": {"created_by": "system"}}).json()
            assert system == system_before
            for assistant in system:
                versions = client.post(f"/assistants/{assistant['assistant_id']}/versions", json={}).json()
                assert [v["version"] for v in versions] == [1]
            current = client.get(f"/assistants/{aid}").json()
            assert (current["version"], current["name"], current["metadata"]) == (2, "kept", {"k": 2})
    with in_process(make_settings(), "http://testserver/langsmith") as client:
        assert client.patch(f"/assistants/{aid}", json={}).json()["version"] == 4  # max + 1 survives restarts


def test_deleted_system_assistant_comes_back_and_changed_description_is_a_new_version(
    make_settings: SettingsFactory, tmp_path
) -> None:
    config = '[graphs.agent]\ndescription = "first"\n'
    with in_process(make_settings(config), "http://testserver/langsmith") as client:
        system = client.post("/assistants/search", json={"metadata": {"created_by": "system"}}).json()
        assert [a["description"] for a in system] == ["first"]
        assert client.delete(f"/assistants/{system[0]['assistant_id']}").status_code == 204
    with in_process(make_settings(config), "http://testserver/langsmith") as client:
        back = client.get(f"/assistants/{system[0]['assistant_id']}")
        assert back.status_code == 200
        assert back.json()["version"] == 1
    changed = '[graphs.agent]\ndescription = "second"\n'
    with in_process(make_settings(changed), "http://testserver/langsmith") as client:
        now = client.get(f"/assistants/{system[0]['assistant_id']}").json()
        assert (now["description"], now["version"]) == ("second", 2)


def test_a_renamed_system_assistant_gets_its_graph_name_back_at_the_next_start(
    make_settings: SettingsFactory,
) -> None:
    config = '[graphs.agent]\ndescription = "d"\n'
    system_id = "fe096781-5601-53d2-b2f6-0d3403f7e9ca"
    with in_process(make_settings(config), "http://testserver/langsmith") as client:
        renamed = client.patch(f"/assistants/{system_id}", json={"name": "mine", "metadata": {"k": 1}}).json()
        assert (renamed["name"], renamed["version"]) == ("mine", 2)
    for _ in range(2):  # as the reference does, once: a second start finds nothing to change
        with in_process(make_settings(config), "http://testserver/langsmith") as client:
            now = client.get(f"/assistants/{system_id}").json()
            assert (now["name"], now["description"], now["version"]) == ("agent", "d", 3)
            assert now["metadata"] == {"created_by": "system", "k": 1}
            versions = client.post(f"/assistants/{system_id}/versions", json={}).json()
            assert [v["version"] for v in versions] == [3, 2, 1]


def test_an_assistant_whose_graph_is_gone(make_settings: SettingsFactory) -> None:
    """As the reference answers after its graph left langgraph.json (checked against `langgraph dev`)."""
    with in_process(make_settings(), "http://testserver/langsmith") as client:
        aid = client.post(
            "/assistants", json={"graph_id": "legacy", "name": "orphan", "metadata": {"orphan": True}}
        ).json()["assistant_id"]
    without_legacy = LANGGRAPH_CONFIG.read_text().split("[graphs.legacy]")[0]
    settings = make_settings(without_legacy.replace('"schemas/', f'"{LANGGRAPH_CONFIG.parent}/schemas/'))
    with in_process(settings, "http://testserver/langsmith") as client:
        response = client.get(f"/assistants/{aid}")
        assert (response.status_code, response.json()) == (404, {"detail": f"assistant {aid} not found"})
        gone = {"detail": "Graph 'legacy' not found. Expected one of: ['agent', 'nested']"}
        for path in ("graph", "schemas", "subgraphs", "subgraphs/child"):
            response = client.get(f"/assistants/{aid}/{path}")
            assert (response.status_code, response.json()) == (404, gone), path
        response = client.get(f"/assistants/{aid}/graph", params={"xray": "bad"})
        assert (response.status_code, response.json()) == (422, {"detail": "Invalid xray value"})
        found = client.post("/assistants/search", json={"metadata": {"orphan": True}}).json()
        assert [(a["assistant_id"], a["graph_id"]) for a in found] == [(aid, "legacy")]
        assert client.post("/assistants/count", json={"metadata": {"orphan": True}}).json() == 1
        assert client.post("/assistants/search", json={"graph_id": "legacy"}).json() == gone
        patched = client.patch(f"/assistants/{aid}", json={"name": "still here"}).json()
        assert (patched["graph_id"], patched["version"]) == ("legacy", 2)
        assert client.post(f"/assistants/{aid}/latest", json={"version": 1}).json()["name"] == "orphan"
        assert client.delete(f"/assistants/{aid}").status_code == 204


def test_each_tenant_keeps_one_system_assistant_per_graph_across_restarts(
    make_settings: SettingsFactory,
) -> None:
    config = '[[auth.keys]]\nkey = "a"\ntenant = "acme"\n[[auth.keys]]\nkey = "b"\ntenant = "globex"\n'
    config += "[graphs.agent]\n[graphs.other]\n"
    seen = []
    for _ in range(3):
        with in_process(make_settings(config), "http://testserver/langsmith") as client:
            for key in ("a", "b"):
                found = client.post(
                    "/assistants/search",
                    json={"metadata": {"created_by": "system"}},
                    headers={"x-api-key": key},
                ).json()
                assert sorted(a["graph_id"] for a in found) == ["agent", "other"]
                seen.append(found)
            mine = client.post("/assistants", json={"graph_id": "other"}, headers={"x-api-key": "a"})
            assert mine.status_code == 200
            assert client.post("/assistants/count", json={}, headers={"x-api-key": "b"}).json() == 2
    assert seen[0] == seen[2] == seen[4] and seen[1] == seen[3] == seen[5]  # nothing re-created or changed
    with in_process(make_settings(config), "http://testserver/langsmith") as client:
        assert client.post("/assistants/count", json={}, headers={"x-api-key": "a"}).json() == 5
