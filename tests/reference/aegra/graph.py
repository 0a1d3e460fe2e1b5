"""Reference graphs matching tests/fixtures/aegra.toml."""

from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    messages: list


class Ctx(TypedDict):
    model: str


def echo(state: State) -> dict:
    return {"messages": state["messages"]}


def step(state: State) -> dict:
    return {"messages": state["messages"]}


def inner(state: State) -> dict:
    return {"messages": state["messages"]}


def route(state: State) -> str:
    return END if state["messages"] else "child"


_agent = StateGraph(State, context_schema=Ctx)
_agent.add_node("echo", echo)
_agent.add_edge(START, "echo")
_agent.add_edge("echo", END)
agent = _agent.compile()

_other = StateGraph(State)
_other.add_node("step", step)
_other.add_edge(START, "step")
_other.add_edge("step", END)
other = _other.compile()

_child = StateGraph(State)
_child.add_node("inner", inner)
_child.add_edge(START, "inner")
_child.add_edge("inner", END)
child = _child.compile()

_nested = StateGraph(State)
_nested.add_node("step", step)
_nested.add_node("child", child)
_nested.add_edge(START, "step")
_nested.add_conditional_edges("step", route, [END, "child"])
_nested.add_edge("child", END)
nested = _nested.compile()
