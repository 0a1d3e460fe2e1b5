"""The project's own promises: the example configuration loads and names every key; the code is linted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from dialects import available
from gateway.config import (
    ApiKeySettings,
    GraphSettings,
    ServerSettings,
    StorageSettings,
    ViewSettings,
    load_settings,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.toml"


def test_example_config_loads() -> None:
    settings = load_settings(EXAMPLE, environ={})
    assert settings.server.port == 8080
    assert "langsmith" in settings.enabled_dialects()


def test_example_config_documents_every_key() -> None:
    text = EXAMPLE.read_text()
    documented = set(re.findall(r"^#?\s*([a-z_]+)\s*=", text, flags=re.MULTILINE))
    keys = {"graphs_from"} | (set(GraphSettings.__struct_fields__) - {"subgraphs"})
    for struct in (ServerSettings, StorageSettings, ViewSettings, ApiKeySettings):
        keys |= set(struct.__struct_fields__)
    for name, dialect in available().items():
        keys |= set(dialect.settings_type.__struct_fields__)
        assert f"[dialects.{name}]" in text, f"config.example.toml has no [dialects.{name}] section"
    assert keys <= documented, f"undocumented keys: {sorted(keys - documented)}"


def test_ruff_lint_and_format() -> None:
    paths = [
        str(ROOT / p) for p in ("gateway", "dialects", "storage", "tests", "bench") if (ROOT / p).exists()
    ]
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", *paths], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *paths], capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
