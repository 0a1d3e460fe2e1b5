"""The reference graphs mirroring tests/fixtures/langgraph.toml (agent, nested, legacy)."""

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    messages: list
    count: int


class Ctx(TypedDict):
    model_name: str


def echo(state: State) -> dict:
    return {"count": state.get("count", 0) + 1}


def _agent():
    g = StateGraph(State, context_schema=Ctx)
    g.add_node("echo", echo)
    g.add_edge(START, "echo")
    g.add_edge("echo", END)
    return g.compile()


agent = _agent()
legacy = _agent()

_child = StateGraph(State)
_child.add_node("inner", echo)
_child.add_edge(START, "inner")
_child.add_edge("inner", END)
child = _child.compile()


def route(state: State) -> str:
    return END if state.get("count", 0) > 1 else "child"


_nested = StateGraph(State)
_nested.add_node("child", child)
_nested.add_node("step", echo)
_nested.add_edge(START, "step")
_nested.add_conditional_edges("step", route, [END, "child"])
_nested.add_edge("child", END)
nested = _nested.compile()
