"""Configuration (file, environment, flags, errors naming the key) and the `serve` command end to end."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from gateway.config import ConfigError, env_keys, load_settings
from tests.conftest import SettingsFactory, in_process

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_without_any_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert (settings.server.host, settings.server.port) == ("127.0.0.1", 8080)
    assert settings.storage.path == "assistant-gateway.db"
    assert [g.graph_id for g in settings.graphs] == ["agent"]
    assert "langsmith" in settings.enabled_dialects()
    assert settings.prefix("langsmith") == "/langsmith"


def test_file_values_environment_overrides_and_flags(tmp_path: Path) -> None:
    config = tmp_path / "conf" / "gateway.toml"
    config.parent.mkdir()
    config.write_text('[server]\nport = 9000\nhost = "0.0.0.0"\n[storage]\npath = "data/g.db"\n')
    settings = load_settings(config, environ={})
    assert settings.server.port == 9000
    assert settings.storage.path == str(config.parent / "data/g.db")  # relative to the file
    env = {"ASSISTANT_GATEWAY_SERVER_PORT": "9100", "ASSISTANT_GATEWAY_STORAGE_PATH": "here.db"}
    settings = load_settings(config, environ=env)
    assert (settings.server.port, settings.storage.path) == (9100, "here.db")
    settings = load_settings(config, environ=env, overrides={"server.port": 9200})
    assert settings.server.port == 9200
    via_env = load_settings(environ={"ASSISTANT_GATEWAY_CONFIG": str(config)})
    assert via_env.server.host == "0.0.0.0"


def test_every_environment_variable_maps_to_a_key() -> None:
    keys = env_keys()
    assert keys["ASSISTANT_GATEWAY_SERVER_MAX_BODY_BYTES"] == ["server", "max_body_bytes"]
    assert keys["ASSISTANT_GATEWAY_DIALECTS_LANGSMITH_ENABLED"] == ["dialects", "langsmith", "enabled"]


@pytest.mark.parametrize(
    ("text", "environ", "message"),
    [
        ("[server]\nprot = 1\n", {}, "unknown key 'server.prot'"),
        ("colour = 1\n", {}, "unknown key 'colour'"),
        ('[server]\nport = "x"\n', {}, "'server.port'"),
        ("[server]\nport = 70000\n", {}, "'server.port'"),
        ('[storage]\nsynchronous = "sometimes"\n', {}, "'storage.synchronous'"),
        ("[dialects.nope]\n", {}, "unknown dialect 'dialects.nope'"),
        ("[dialects.langsmith]\nfoo = 1\n", {}, "unknown key 'dialects.langsmith.foo'"),
        ('[dialects.langsmith]\nprefix = "no-slash"\n', {}, "'dialects.langsmith.prefix'"),
        ('[[auth.keys]]\ntenant = "t"\n', {}, "missing required key 'auth.keys[0].key'"),
        ('[views]\ndefault_graph = "ghost"\n', {}, "'views.default_graph'"),
        ('[graphs.g]\ninput_schema = "missing.json"\n', {}, "'graphs.g.input_schema'"),
        ('[graphs.g]\nedges = [["a"]]\n', {}, "'graphs.g.edges[0]'"),
        ("[graphs.g]\nfoo = 1\n", {}, "unknown key 'graphs.g.foo'"),
        ('[graphs.g]\nnodes = "x"\n', {}, "'graphs.g.nodes'"),
        ('[graphs.g]\nedges = [{ source = "a" }]\n', {}, "missing required key 'graphs.g.edges[0].target'"),
        ("[graphs.g.subgraphs.c]\nbar = 2\n", {}, "unknown key 'graphs.g.subgraphs.c.bar'"),
        ('graphs_from = "missing.json"\n', {}, "graphs_from: file not found"),
        ("graphs_from = 5\n", {}, "'graphs_from'"),
        ("", {"ASSISTANT_GATEWAY_GRAPHS_FROM": "nope.json"}, "graphs_from: file not found"),
        ("", {"ASSISTANT_GATEWAY_SERVER_PROT": "1"}, "ASSISTANT_GATEWAY_SERVER_PROT"),
        ("", {"ASSISTANT_GATEWAY_SERVER_PORT": "eighty"}, "'server.port'"),
        ("[server\n", {}, "invalid TOML"),
    ],
)
def test_bad_configuration_names_the_key(
    tmp_path: Path, text: str, environ: dict[str, str], message: str
) -> None:
    path = tmp_path / "gateway.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(path, environ=environ)


def test_graphs_from_imports_ids_and_descriptions_without_running_code(tmp_path: Path) -> None:
    (tmp_path / "graph.py").write_text("raise SystemExit('must not be imported')\n")
    (tmp_path / "langgraph.json").write_text(
        json.dumps(
            {
                "dependencies": ["."],
                "graphs": {
                    "chat": "./graph.py:chat",
                    "rag": {"path": "./graph.py:rag", "description": "RAG"},
                },
            }
        )
    )
    config = tmp_path / "gateway.toml"
    config.write_text('graphs_from = "langgraph.json"\n[graphs.chat]\nnodes = ["talk"]\n')
    settings = load_settings(config, environ={}, overrides={"storage.path": str(tmp_path / "g.db")})
    assert [(g.graph_id, g.description) for g in settings.graphs] == [("chat", None), ("rag", "RAG")]
    with in_process(settings, "http://testserver/langsmith") as client:
        system = client.post("/assistants/search", json={"metadata": {"created_by": "system"}}).json()
        assert sorted((a["graph_id"], a["description"]) for a in system) == [("chat", None), ("rag", "RAG")]
        drawing = client.get("/assistants/chat/graph").json()
        assert [n["id"] for n in drawing["nodes"]] == ["__start__", "talk", "__end__"]


def test_graphs_from_reads_an_aegra_json_and_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "aegra.json").write_text(
        json.dumps(
            {
                "name": "my-project",
                "graphs": {
                    "agent": "./src/graph.py:graph",
                    "other": {"path": "./graph.py:other", "description": None},
                },
                "auth": {"path": "./auth.py:auth"},
            }
        )
    )
    settings = load_settings(environ={"ASSISTANT_GATEWAY_GRAPHS_FROM": str(tmp_path / "aegra.json")})
    assert [(g.graph_id, g.description) for g in settings.graphs] == [("agent", None), ("other", None)]
    for text, message in (
        ("{", "cannot read"),
        ("[]", 'has no "graphs" object'),
        ('{"graphs": {"g": 5}}', "graph 'g' is neither a path nor"),
    ):
        (tmp_path / "bad.json").write_text(text)
        with pytest.raises(ConfigError, match=message):
            load_settings(environ={"ASSISTANT_GATEWAY_GRAPHS_FROM": str(tmp_path / "bad.json")})


def test_disabled_dialect_and_custom_prefix(make_settings: SettingsFactory) -> None:
    settings = make_settings('[dialects.langsmith]\nprefix = "/ls"\n')
    with in_process(settings) as client:
        assert client.get("/ls/ok").status_code == 200
        assert client.get("/langsmith/ok").status_code == 404
        assert client.get("/healthz").json() == {"status": "ok"}
    settings = make_settings("[dialects.langsmith]\nenabled = false\n")
    with in_process(settings) as client:
        assert client.get("/langsmith/ok").status_code == 404


def test_api_keys_separate_tenants(make_settings: SettingsFactory) -> None:
    settings = make_settings(
        '[[auth.keys]]\nkey = "key-a"\ntenant = "acme"\n[[auth.keys]]\nkey = "key-b"\ntenant = "globex"\n'
    )
    with in_process(settings, "http://testserver/langsmith") as client:
        missing = client.post("/assistants/count", json={})
        assert (missing.status_code, missing.json()) == (401, {"detail": "Missing or invalid API key"})
        assert client.post("/assistants/count", json={}, headers={"x-api-key": "nope"}).status_code == 401
        a = {"x-api-key": "key-a"}
        b = {"authorization": "Bearer key-b"}
        made = client.post("/assistants", json={"graph_id": "agent"}, headers=a).json()
        assert client.post("/assistants/count", json={}, headers=a).json() == 2  # system + own
        assert client.post("/assistants/count", json={}, headers=b).json() == 1  # its own system assistant
        assert client.get(f"/assistants/{made['assistant_id']}", headers=b).status_code == 404
        assert client.get(f"/assistants/{made['assistant_id']}", headers=a).status_code == 200


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_command_starts_and_stops(tmp_path: Path) -> None:
    port, own_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_GATEWAY_")}
    (tmp_path / "gateway.toml").write_text(f"[dialects.langsmith]\nport = {own_port}\n")
    command = ["serve", "--config", "gateway.toml", "--port", str(port), "--db", str(tmp_path / "cli.db")]
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", *command],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                assert time.monotonic() < deadline, "the gateway did not start"
                time.sleep(0.1)
        assert response.json() == {"status": "ok"}
        created = httpx.post(f"http://127.0.0.1:{port}/langsmith/assistants", json={"graph_id": "agent"})
        assert created.status_code == 200
        # the LangSmith dialect also at the root of a port of its own, over the same store
        own = f"http://127.0.0.1:{own_port}"
        assert httpx.get(f"{own}/ok").json() == {"ok": True, "services": {}}
        aid = created.json()["assistant_id"]
        assert httpx.get(f"{own}/assistants/{aid}").json() == created.json()
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
    assert (tmp_path / "cli.db").exists()


def test_serve_exits_when_its_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "gateway", "serve", "--port", str(port), "--db", str(tmp_path / "t.db")],
            env={k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_GATEWAY_")},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"could not start: cannot serve on 127.0.0.1:{port}" in result.stderr


def test_serve_refuses_a_bad_config_with_the_key_named(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[server]\nprot = 1\n")
    result = subprocess.run(
        [sys.executable, "-m", "gateway", "serve", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown key 'server.prot'" in result.stderr
