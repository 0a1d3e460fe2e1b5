"""Configuration: defaults, then a TOML file, then `ASSISTANT_GATEWAY_*` variables, then CLI flags.

Every key is typed; an unknown key, a wrong type or an impossible value stops start-up with a
message naming the key and where it came from. `config.example.toml` documents every key.
Relative paths inside a file are relative to that file; paths from the environment or the command
line are relative to the working directory.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

import msgspec

from dialects import available as available_dialects
from dialects.base import DialectSettings
from gateway.graphs import Edge, GraphRegistry, GraphSpec

ENV_PREFIX = "ASSISTANT_GATEWAY_"
ENV_CONFIG = ENV_PREFIX + "CONFIG"


class ConfigError(Exception):
    """A configuration problem, worded for the person starting the gateway."""


class _Section(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class ServerSettings(_Section):
    host: str = "127.0.0.1"
    port: int = 8080
    # LangSmith's default HTTP_MAX_REQUEST_BODY_BYTES (300 MiB); larger bodies get the dialect's 413.
    max_body_bytes: int = 300 * 1024 * 1024
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"
    access_log: bool = True


class StorageSettings(_Section):
    backend: Literal["sqlite"] = "sqlite"
    path: str = "assistant-gateway.db"
    synchronous: Literal["full", "normal"] = "full"
    readers: int = 2
    cache_kib: int = 8192


class ViewSettings(_Section):
    """How assistants from vendors without graphs appear to LangGraph-style clients (DESIGN.md, Views)."""

    default_graph: str | None = None
    instructions_key: str = "system_prompt"
    model_key: str = "model"
    temperature_key: str = "temperature"


class ApiKeySettings(_Section):
    key: str
    tenant: str = "default"
    user: str | None = None  # the user id this key acts as (Aegra's user_id); defaults to the tenant
    scopes: list[str] = msgspec.field(default_factory=list)


class AuthSettings(_Section):
    keys: list[ApiKeySettings] = msgspec.field(default_factory=list)


class EdgeSettings(_Section):
    source: str
    target: str
    conditional: bool = False
    label: str | None = None


class GraphSettings(_Section):
    description: str | None = None
    name: str | None = None
    input_schema: str | None = None
    output_schema: str | None = None
    state_schema: str | None = None
    config_schema: str | None = None
    context_schema: str | None = None
    nodes: list[str] = msgspec.field(default_factory=list)
    edges: list[list[str] | EdgeSettings] = msgspec.field(default_factory=list)
    subgraphs: dict[str, GraphSettings] = msgspec.field(default_factory=dict)


class FileSettings(_Section):
    """The shape of the TOML file."""

    graphs_from: str | None = None
    server: ServerSettings = msgspec.field(default_factory=ServerSettings)
    storage: StorageSettings = msgspec.field(default_factory=StorageSettings)
    views: ViewSettings = msgspec.field(default_factory=ViewSettings)
    auth: AuthSettings = msgspec.field(default_factory=AuthSettings)
    graphs: dict[str, GraphSettings] = msgspec.field(default_factory=dict)
    dialects: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)


class Settings(msgspec.Struct, kw_only=True):
    """The validated configuration the application is built from."""

    server: ServerSettings = msgspec.field(default_factory=ServerSettings)
    storage: StorageSettings = msgspec.field(default_factory=StorageSettings)
    views: ViewSettings = msgspec.field(default_factory=ViewSettings)
    auth: AuthSettings = msgspec.field(default_factory=AuthSettings)
    graphs: GraphRegistry = msgspec.field(default_factory=lambda: GraphRegistry([]))
    dialects: dict[str, DialectSettings] = msgspec.field(default_factory=dict)

    def dialect(self, name: str) -> DialectSettings:
        return self.dialects[name]

    def enabled_dialects(self) -> list[str]:
        return [name for name, s in self.dialects.items() if s.enabled]

    def prefix(self, name: str) -> str:
        return self.dialects[name].prefix or "/" + name


# -- loading -------------------------------------------------------------------------------------------------


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    *,
    environ: dict[str, str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> Settings:
    """Build `Settings` from a file (or `ASSISTANT_GATEWAY_CONFIG`), the environment and CLI overrides.

    `overrides` uses dotted keys, e.g. {"server.port": 9000, "storage.path": "x.db"}.
    """
    environ = dict(os.environ if environ is None else environ)
    config_path = config_path or environ.get(ENV_CONFIG) or None
    raw: dict[str, Any] = {}
    base_dir = Path.cwd()
    source = "defaults"
    if config_path:
        path = Path(config_path)
        source = str(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        base_dir = path.resolve().parent
    _check_graph_tables(raw.get("graphs"), source, "graphs")
    file_settings = _convert(raw, FileSettings, source)

    dialect_types = available_dialects()
    merged = msgspec.to_builtins(file_settings)
    for name in merged.get("dialects", {}):
        if name not in dialect_types:
            known = ", ".join(dialect_types)
            raise ConfigError(f"{source}: unknown dialect 'dialects.{name}' (known: {known})")
    overridden = _apply_env(merged, environ, dialect_types)
    for dotted, value in (overrides or {}).items():
        if value is not None:
            _set_dotted(merged, dotted.split("."), value)
            overridden.add(dotted)
    settings_in = _convert(merged, FileSettings, source + " with environment overrides")
    # Relative paths written in the file are relative to the file, not to wherever the gateway starts.
    if (path := settings_in.graphs_from) and "graphs_from" not in overridden and "graphs_from" in raw:
        settings_in.graphs_from = str(base_dir / path)
    if (
        "storage.path" not in overridden
        and "path" in raw.get("storage", {})
        and settings_in.storage.path != ":memory:"
    ):
        settings_in.storage.path = str(base_dir / settings_in.storage.path)

    dialects: dict[str, DialectSettings] = {}
    for name, cls in dialect_types.items():
        dialects[name] = _convert(
            settings_in.dialects.get(name, {}), cls.settings_type, source, f"dialects.{name}"
        )

    graphs = _load_graphs(settings_in, base_dir)
    settings = Settings(
        server=settings_in.server,
        storage=settings_in.storage,
        views=settings_in.views,
        auth=settings_in.auth,
        graphs=graphs,
        dialects=dialects,
    )
    _check(settings, source)
    return settings


def _convert(data: Any, type_: type[Any], source: str, prefix: str = "") -> Any:
    try:
        return msgspec.convert(data, type_)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{source}: {_describe(str(exc), prefix)}") from None


def _check_graph_tables(graphs: Any, source: str, key: str) -> None:
    """Check each graph table on its own, so that an error names the graph (`graphs.chat.nodes`): msgspec
    only says `graphs[...]` for a key inside a table of tables."""
    if not isinstance(graphs, dict):
        return  # not a table: the check of the whole file reports it
    for graph_id, table in graphs.items():
        where = f"{key}.{graph_id}"
        if isinstance(table, dict):
            _check_graph_tables(table.get("subgraphs"), source, f"{where}.subgraphs")
        _convert(table, GraphSettings, source, where)


def _describe(message: str, prefix: str) -> str:
    """Turn msgspec's "Object contains unknown field `x` - at `$.server`" into "unknown key 'server.x'"."""
    problem, _, where = message.partition(" - at `")
    path = where.rstrip("`").removeprefix("$").lstrip(".")
    path = ".".join(p for p in (prefix, path) if p)
    if m := re.match(r"Object contains unknown field `(.+)`", problem):
        key = ".".join(p for p in (path, m.group(1)) if p)
        return f"unknown key '{key}'"
    if m := re.match(r"Object missing required field `(.+)`", problem):
        key = ".".join(p for p in (path, m.group(1)) if p)
        return f"missing required key '{key}'"
    return f"bad value for '{path or '(top level)'}': {problem}"


def _set_dotted(data: dict[str, Any], keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        data = data.setdefault(key, {})
    data[keys[-1]] = value


# -- environment -------------------------------------------------------------------------------------------


def env_keys(dialect_types: dict[str, Any] | None = None) -> dict[str, list[str]]:
    """Every environment variable the gateway reads, mapped to the key path it sets."""
    keys: dict[str, list[str]] = {ENV_PREFIX + "GRAPHS_FROM": ["graphs_from"]}
    for section, struct in (
        ("server", ServerSettings),
        ("storage", StorageSettings),
        ("views", ViewSettings),
    ):
        for field in struct.__struct_fields__:
            keys[f"{ENV_PREFIX}{section.upper()}_{field.upper()}"] = [section, field]
    for name, cls in (dialect_types or available_dialects()).items():
        for field in cls.settings_type.__struct_fields__:
            keys[f"{ENV_PREFIX}DIALECTS_{name.upper()}_{field.upper()}"] = ["dialects", name, field]
    return keys


def _apply_env(merged: dict[str, Any], environ: dict[str, str], dialect_types: dict[str, Any]) -> set[str]:
    """Apply every ASSISTANT_GATEWAY_* variable; returns the dotted keys they set."""
    known = env_keys(dialect_types)
    applied: set[str] = set()
    for var, text in sorted(environ.items()):
        if not var.startswith(ENV_PREFIX) or var == ENV_CONFIG:
            continue
        if var not in known:
            raise ConfigError(f"unknown environment variable {var} (known: {', '.join(sorted(known))})")
        _set_dotted(merged, known[var], _env_value(text))
        applied.add(".".join(known[var]))
    return applied


def _env_value(text: str) -> Any:
    """A TOML literal when the text is one (`9000`, `true`, `["a"]`), else the text itself."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


# -- graphs --------------------------------------------------------------------------------------------------


def _load_graphs(settings: FileSettings, base_dir: Path) -> GraphRegistry:
    specs: dict[str, GraphSpec] = {}
    if settings.graphs_from:
        for graph_id, description in _import_graph_file(Path(settings.graphs_from)).items():
            specs[graph_id] = GraphSpec(graph_id=graph_id, description=description)
    for graph_id, graph in settings.graphs.items():
        spec = _graph_spec(graph_id, graph, base_dir, f"graphs.{graph_id}")
        if graph.description is None and graph_id in specs:
            spec.description = specs[graph_id].description
        specs[graph_id] = spec
    try:
        return GraphRegistry(list(specs.values()), settings.views.default_graph)
    except ValueError as exc:
        raise ConfigError(f"bad value for 'views.default_graph': {exc}") from None


def _import_graph_file(path: Path) -> dict[str, str | None]:
    """Graph ids and descriptions from a langgraph.json or aegra.json; none of its code is run."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"graphs_from: file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"graphs_from: cannot read {path}: {exc}") from None
    graphs = data.get("graphs") if isinstance(data, dict) else None
    if not isinstance(graphs, dict):
        raise ConfigError(f'graphs_from: {path} has no "graphs" object')
    found: dict[str, str | None] = {}
    for graph_id, entry in graphs.items():
        if isinstance(entry, str):
            found[graph_id] = None
        elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
            description = entry.get("description")
            found[graph_id] = description if isinstance(description, str) else None
        else:
            raise ConfigError(
                f'graphs_from: {path}: graph {graph_id!r} is neither a path nor {{"path": ...}}'
            )
    return found


def _graph_spec(graph_id: str, graph: GraphSettings, base_dir: Path, key: str) -> GraphSpec:
    schemas = {
        field: _load_schema(getattr(graph, field), base_dir, f"{key}.{field}")
        for field in ("input_schema", "output_schema", "state_schema", "config_schema", "context_schema")
    }
    edges = []
    for n, edge in enumerate(graph.edges):
        if isinstance(edge, list):
            if len(edge) != 2:
                raise ConfigError(f"bad value for '{key}.edges[{n}]': expected [source, target]")
            edges.append(Edge(source=edge[0], target=edge[1]))
        else:
            edges.append(
                Edge(source=edge.source, target=edge.target, conditional=edge.conditional, label=edge.label)
            )
    return GraphSpec(
        graph_id=graph_id,
        description=graph.description,
        name=graph.name,
        nodes=list(graph.nodes),
        edges=edges,
        subgraphs={
            ns: _graph_spec(ns, sub, base_dir, f"{key}.subgraphs.{ns}") for ns, sub in graph.subgraphs.items()
        },
        **schemas,
    )


def _load_schema(path: str | None, base_dir: Path, key: str) -> dict[str, Any] | None:
    if path is None:
        return None
    full = Path(path) if Path(path).is_absolute() else base_dir / path
    try:
        schema = json.loads(full.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"bad value for '{key}': file not found: {full}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"bad value for '{key}': cannot read {full}: {exc}") from None
    if not isinstance(schema, dict):
        raise ConfigError(f"bad value for '{key}': {full} does not hold a JSON object")
    return schema


# -- checks beyond types -------------------------------------------------------------------------------------


def _check(settings: Settings, source: str) -> None:
    def fail(key: str, why: str) -> None:
        raise ConfigError(f"{source}: bad value for '{key}': {why}")

    if not 0 <= settings.server.port <= 65535:
        fail("server.port", "must be between 0 and 65535")
    if settings.server.max_body_bytes <= 0:
        fail("server.max_body_bytes", "must be positive")
    if not 0 <= settings.storage.readers <= 64:
        fail("storage.readers", "must be between 0 and 64")
    if settings.storage.cache_kib < 0:
        fail("storage.cache_kib", "must not be negative")
    if not settings.storage.path:
        fail("storage.path", "must not be empty")
    for n, key in enumerate(settings.auth.keys):
        if not key.key:
            fail(f"auth.keys[{n}].key", "must not be empty")
    if len({k.key for k in settings.auth.keys}) != len(settings.auth.keys):
        fail("auth.keys", "the same key is listed twice")
    prefixes: dict[str, str] = {}
    ports: dict[int, str] = {}
    for name, dialect in settings.dialects.items():
        if not dialect.enabled:
            continue
        prefix = settings.prefix(name)
        if not prefix.startswith("/") or prefix == "/" or prefix.endswith("/"):
            fail(f"dialects.{name}.prefix", "must start with '/', not end with '/', and not be '/' alone")
        if prefix in prefixes:
            fail(f"dialects.{name}.prefix", f"{prefix!r} is also the prefix of {prefixes[prefix]}")
        prefixes[prefix] = name
        if dialect.port is not None:
            if not 0 < dialect.port <= 65535:
                fail(f"dialects.{name}.port", "must be between 1 and 65535")
            if dialect.port == settings.server.port or dialect.port in ports:
                fail(f"dialects.{name}.port", f"port {dialect.port} is already used")
            ports[dialect.port] = name
