"""The graph registry: which graph ids exist, and what the drawing and schema routes say about them.

The gateway never executes a graph. Each graph is declared in the configuration (or imported from a
user's langgraph.json / aegra.json), with optional JSON schemas and an optional node/edge drawing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

START = "__start__"
END = "__end__"


class Edge(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    target: str
    conditional: bool = False
    label: str | None = None


class GraphSpec(msgspec.Struct, kw_only=True):
    graph_id: str
    description: str | None = None
    name: str | None = None  # the compiled graph's name, when it differs from the id
    input_schema: dict[str, Any] | None = None
    output_schema: dict[str, Any] | None = None
    state_schema: dict[str, Any] | None = None
    config_schema: dict[str, Any] | None = None
    context_schema: dict[str, Any] | None = None
    nodes: list[str] = msgspec.field(default_factory=list)
    edges: list[Edge] = msgspec.field(default_factory=list)
    subgraphs: dict[str, GraphSpec] = msgspec.field(default_factory=dict)

    @property
    def assistant_name(self) -> str:
        """The system assistant's name: the graph's own name unless it is LangGraph's default."""
        return self.name if self.name and self.name != "LangGraph" else self.graph_id


class GraphRegistry:
    """The configured graphs in configuration order, and the graph shown for assistants without one."""

    def __init__(self, graphs: list[GraphSpec], default_graph_id: str | None = None) -> None:
        if not graphs:
            graphs = [GraphSpec(graph_id="agent")]
        self._graphs = {g.graph_id: g for g in graphs}
        self.default_graph_id = default_graph_id or graphs[0].graph_id
        if self.default_graph_id not in self._graphs:
            raise ValueError(f"default graph {self.default_graph_id!r} is not a configured graph")

    def __iter__(self) -> Iterator[GraphSpec]:
        return iter(self._graphs.values())

    def __contains__(self, graph_id: object) -> bool:
        return graph_id in self._graphs

    def __len__(self) -> int:
        return len(self._graphs)

    def get(self, graph_id: str) -> GraphSpec | None:
        return self._graphs.get(graph_id)

    def sorted_ids(self) -> list[str]:
        return sorted(self._graphs)
