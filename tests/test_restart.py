"""A restart keeps every assistant and every version; system assistants are neither duplicated nor reset."""

from __future__ import annotations

from tests.conftest import SettingsFactory, in_process


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
