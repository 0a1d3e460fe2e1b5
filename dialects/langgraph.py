"""What LangGraph-family dialects (LangSmith, Aegra) share: the view of canonical fields inside
`context`, the config/context copy rule, and the drawing and schema documents of a graph.

The view rule (DESIGN.md, "Views across dialects"): `instructions`, `model` and `temperature` live in
`context` under configurable keys (default `system_prompt`, `model`, `temperature`). A LangGraph-side
write of `context` sets those canonical fields from the keys it carries; reading shows the canonical
values in place. For an assistant only ever written through LangGraph, the view is the identity:
the stored context is returned exactly as it was sent.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from gateway.graphs import END, START, Edge, GraphSpec

CANONICAL_IN_CONTEXT = ("instructions", "model", "temperature")


class ContextKeys:
    """Which context keys carry the canonical fields (from `[views]` in the configuration)."""

    def __init__(self, instructions: str, model: str, temperature: str) -> None:
        self.by_field = {"instructions": instructions, "model": model, "temperature": temperature}

    @staticmethod
    def valid(field: str, value: Any) -> bool:
        if field == "temperature":
            return isinstance(value, int | float) and not isinstance(value, bool)
        return isinstance(value, str)

    def extract(self, context: dict[str, Any]) -> dict[str, Any]:
        """Canonical fields as a LangGraph-side write of `context` sets them (absent or invalid → None)."""
        found: dict[str, Any] = {}
        for field, key in self.by_field.items():
            value = context.get(key)
            found[field] = value if self.valid(field, value) else None
        if found["temperature"] is not None:
            found["temperature"] = float(found["temperature"])
        return found

    def overlay(self, context: dict[str, Any], canonical: dict[str, Any]) -> dict[str, Any]:
        """`context` showing the canonical values: set in place, or removed when the canonical field is None.

        Returns `context` itself when it already agrees, so the common case costs no copy.
        """
        changes: dict[str, Any] = {}
        removals: set[str] = set()
        for field, key in self.by_field.items():
            value = canonical[field]
            stored = context.get(key, _MISSING)
            stored_valid = self.valid(field, stored)
            if value is None:
                if stored_valid:
                    removals.add(key)
            elif not (stored_valid and stored == value):
                changes[key] = value
        if not changes and not removals:
            return context
        shown = {k: v for k, v in context.items() if k not in removals}
        shown.update(changes)
        return shown


_MISSING = object()


def mirrored(config: dict[str, Any], context: dict[str, Any]) -> bool:
    """Whether config.configurable and context are in sync (the copy rule keeps them so)."""
    configurable = config.get("configurable")
    return (configurable if isinstance(configurable, dict) else {}) == context


def view_config(
    config: dict[str, Any], stored_context: dict[str, Any], shown_context: dict[str, Any]
) -> dict[str, Any]:
    """The config to show when `shown_context` differs from what is stored: the copy rule still holds."""
    if shown_context is stored_context or not mirrored(config, stored_context):
        return config
    if not shown_context and "configurable" not in config:
        return config
    return {**config, "configurable": shown_context}


def has_both_configurable_and_context(config: dict[str, Any], context: dict[str, Any] | None) -> bool:
    return bool(config.get("configurable")) and bool(context)


# -- drawing ------------------------------------------------------------------------------------------


def drawing(spec: GraphSpec, xray: bool | int) -> dict[str, Any]:
    """LangGraph's `Graph.to_json()` for the configured nodes and edges (node `data.id` removed).

    With `xray`, nodes that are subgraphs are replaced by the subgraph's nodes, named `parent:child`,
    down to `xray` levels (True = all); edges into and out of them are re-attached to its entry and exit.
    """
    depth = 1_000 if xray is True else int(xray)
    nodes, edges = _layout(spec, depth)
    return {
        "nodes": [
            {"id": n} if n == END else {"id": n, "type": "runnable", "data": {"name": n}} for n in nodes
        ],
        "edges": [_edge_json(e) for e in edges],
    }


def _edge_json(edge: Edge) -> dict[str, Any]:
    out: dict[str, Any] = {"source": edge.source, "target": edge.target}
    if edge.label is not None:
        out["data"] = edge.label
    if edge.conditional:
        out["conditional"] = True
    return out


def _layout(spec: GraphSpec, depth: int) -> tuple[list[str], list[Edge]]:
    own_nodes = spec.nodes or ([] if spec.edges else [spec.graph_id])
    edges = spec.edges or _chain(own_nodes)
    expanded = {
        n: _layout(spec.subgraphs[n], depth - 1) for n in own_nodes if depth > 0 and n in spec.subgraphs
    }
    nodes = [n for n in (START, *own_nodes, END) if n not in expanded]
    entries: dict[str, list[str]] = {}
    exits: dict[str, list[str]] = {}
    inner_edges: list[Edge] = []
    for parent, (sub_nodes, sub_edges) in expanded.items():
        nodes += [f"{parent}:{n}" for n in sub_nodes if n not in (START, END)]
        entries[parent] = [f"{parent}:{e.target}" for e in sub_edges if e.source == START and e.target != END]
        exits[parent] = [f"{parent}:{e.source}" for e in sub_edges if e.target == END and e.source != START]
        inner_edges += [
            Edge(
                source=f"{parent}:{e.source}",
                target=f"{parent}:{e.target}",
                conditional=e.conditional,
                label=e.label,
            )
            for e in sub_edges
            if e.source != START and e.target != END
        ]
    out: list[Edge] = []
    for e in edges:
        for source in exits.get(e.source, [e.source]):
            for target in entries.get(e.target, [e.target]):
                out.append(Edge(source=source, target=target, conditional=e.conditional, label=e.label))
    return nodes, out + inner_edges


def _chain(nodes: list[str]) -> list[Edge]:
    path = [START, *nodes, END]
    return [Edge(source=a, target=b) for a, b in itertools.pairwise(path)]


# -- schemas ------------------------------------------------------------------------------------------


def schemas(spec: GraphSpec) -> dict[str, Any]:
    """The five schema documents; `config_schema` follows LangGraph ≥ 0.6 (the context schema, else {})."""
    return {
        "input_schema": spec.input_schema,
        "output_schema": spec.output_schema,
        "state_schema": spec.state_schema,
        "config_schema": spec.config_schema
        if spec.config_schema is not None
        else (spec.context_schema or {}),
        "context_schema": spec.context_schema,
    }


def subgraphs(spec: GraphSpec, namespace: str | None, recurse: bool) -> Iterator[tuple[str, GraphSpec]]:
    """LangGraph's `aget_subgraphs`: the direct subgraphs (all levels with `recurse`, names joined by
    `|`), or only the one named by `namespace`."""
    for name, sub in spec.subgraphs.items():
        if namespace is None:
            yield name, sub
            if recurse:
                for sub_name, nested in subgraphs(sub, None, True):
                    yield f"{name}|{sub_name}", nested
        elif namespace == name:
            yield name, sub
            return
        elif namespace.startswith(name + "|"):
            for sub_name, nested in subgraphs(sub, namespace[len(name) + 1 :], recurse):
                yield f"{name}|{sub_name}", nested
