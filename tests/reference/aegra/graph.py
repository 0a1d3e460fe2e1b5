"""Reference graphs matching tests/fixtures/aegra.toml."""

from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    messages: list


class Ctx(TypedDict):
    model: str


def passthrough(state: State) -> dict:
    return {"messages": state["messages"]}


def route(state: State) -> str:
    return END if state["messages"] else "child"


def single_node(node: str, **options: type) -> StateGraph:
    """START → `node` → END, the shape of every graph here but `nested`."""
    graph = StateGraph(State, **options)
    graph.add_node(node, passthrough)
    graph.add_edge(START, node)
    graph.add_edge(node, END)
    return graph


agent = single_node("echo", context_schema=Ctx).compile()
other = single_node("step").compile()
child = single_node("inner").compile()

_nested = StateGraph(State)
_nested.add_node("step", passthrough)
_nested.add_node("child", child)
_nested.add_edge(START, "step")
_nested.add_conditional_edges("step", route, [END, "child"])
_nested.add_edge("child", END)
nested = _nested.compile()
