"""One adapter per vendor. Every module in this package is imported once; each `Dialect` subclass
with a `name` registers itself, so `available()` lists them without a hand-kept table."""

from __future__ import annotations

import importlib
import pkgutil

from dialects.base import Dialect


def available() -> dict[str, type[Dialect]]:
    """Every dialect defined in this package, by name, in a stable order."""
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(Dialect.registry.items()))
