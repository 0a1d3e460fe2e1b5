"""The Langdock dialect's configuration keys: what they accept, and start-up errors that name them."""

from __future__ import annotations

import pytest

from gateway.config import ConfigError
from tests.conftest import SettingsFactory, in_process


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[dialects.langdock]\nlimits = "loose"\n', "'dialects.langdock.limits'"),
        ("[dialects.langdock]\nmodels = []\n", "models must not be empty"),
        ('[dialects.langdock]\ndefault_model = "nope"\n', "default_model 'nope' is not one of the models"),
        ("[dialects.langdock]\nmax_attachment_bytes = 0\n", "max_attachment_bytes must be positive"),
        ('[dialects.langdock]\nmodels = [{ id = "a", uuid = "x" }]\n', "uuid 'x' is not a UUID"),
        ('[dialects.langdock]\nmodels = [{ id = "a" }, { id = "a" }]\n', "a model id is listed twice"),
        ('[dialects.langdock]\nmodels = [{ id = "a", colour = 1 }]\n', "unknown key"),
        ('[dialects.langdock]\nmodel = "a"\n', "unknown key 'dialects.langdock.model'"),
        (
            '[dialects.langdock.workspaces.acme]\ndefault_model = "gpt-9"\n',
            "workspaces.acme.default_model 'gpt-9' is not one of the models",
        ),
    ],
)
def test_bad_values_stop_start_up(make_settings: SettingsFactory, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=r"dialects\.langdock") as caught:
        make_settings(text)
    assert message in str(caught.value)


def test_environment_sets_the_limit_profile(make_settings: SettingsFactory) -> None:
    settings = make_settings(environ={"ASSISTANT_GATEWAY_DIALECTS_LANGDOCK_LIMITS": "newest"})
    with in_process(settings, "http://testserver/langdock") as client:
        response = client.post("/assistant/v1/create", json={"name": "n" * 81})
        assert response.status_code == 400
        assert response.json()["message"][0]["maximum"] == 80


def test_a_workspace_default_from_the_dialect_wide_list(make_settings: SettingsFactory) -> None:
    text = """
[[auth.keys]]
key = "k"
tenant = "acme"
scopes = ["AGENT_API"]

[dialects.langdock.workspaces.acme]
default_model = "gpt-4o"
"""
    with in_process(make_settings(text), "http://testserver/langdock") as client:
        created = client.post(
            "/assistant/v1/create", json={"name": "x"}, headers={"Authorization": "Bearer k"}
        )
        assert created.json()["assistant"]["model"] == "gpt-4o"
        listing = client.get("/assistant/v1/models", headers={"Authorization": "Bearer k"}).json()
        assert [m["id"] for m in listing["data"]] == ["gpt-5", "gpt-5-mini", "gpt-4o", "gpt-4o-mini"]


def test_the_dialect_can_move_or_be_disabled(make_settings: SettingsFactory) -> None:
    moved = make_settings('[dialects.langdock]\nprefix = "/ld"\n')
    with in_process(moved) as client:
        assert client.post("/ld/api/public/assistant/v1/create", json={"name": "x"}).status_code == 201
        assert client.post("/langdock/assistant/v1/create", json={"name": "x"}).status_code == 404
    off = make_settings("[dialects.langdock]\nenabled = false\n")
    with in_process(off) as client:
        assert client.get("/langdock/assistant/v1/models").status_code == 404
