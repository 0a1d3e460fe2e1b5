"""The LangGraph-family view of canonical fields inside context (DESIGN.md, Views across dialects)."""

from __future__ import annotations

from dialects.langgraph import ContextKeys
from dialects.langsmith.wire import View
from gateway.model import Assistant

KEYS = ContextKeys("system_prompt", "model", "temperature")
VIEW = View(KEYS, "agent")


def langgraph_written(context: dict, config: dict | None = None) -> Assistant:
    return Assistant(
        id="a", name="n", graph_id="g", context=context, config=config or {}, **KEYS.extract(context)
    )


def test_langgraph_written_assistants_show_exactly_what_was_stored() -> None:
    for context in (
        {},
        {"model_name": "m"},
        {"system_prompt": "p", "model": "x", "temperature": 1, "z": 0},
        {"temperature": "hot", "model": None},
    ):
        a = langgraph_written(context, {"configurable": context, "tags": ["t"]})
        shown = VIEW.assistant(a)
        assert shown.context == context
        assert shown.config == {"configurable": context, "tags": ["t"]}
        assert shown.context is a.context  # no copy when nothing changes


def test_canonical_fields_from_other_dialects_appear_in_context_and_configurable() -> None:
    a = Assistant(id="a", name="n", instructions="Be brief.", model="gpt-4o", temperature=0.3)
    shown = VIEW.assistant(a)
    assert shown.graph_id == "agent"  # the default graph
    assert shown.context == {"system_prompt": "Be brief.", "model": "gpt-4o", "temperature": 0.3}
    assert shown.config == {"configurable": shown.context}


def test_a_change_elsewhere_overrides_in_place_and_a_cleared_field_disappears() -> None:
    a = langgraph_written(
        {"a": 1, "system_prompt": "old", "model": "m"},
        {"configurable": {"a": 1, "system_prompt": "old", "model": "m"}},
    )
    changed = Assistant(
        **{**{f: getattr(a, f) for f in a.__struct_fields__}, "instructions": "new", "model": None}
    )
    shown = VIEW.assistant(changed)
    assert list(shown.context.items()) == [("a", 1), ("system_prompt", "new")]
    assert shown.config == {"configurable": shown.context}


def test_diverged_configurable_is_left_alone() -> None:
    a = langgraph_written({"m": 1}, {"configurable": {"other": 2}})
    changed = Assistant(**{**{f: getattr(a, f) for f in a.__struct_fields__}, "instructions": "x"})
    shown = VIEW.assistant(changed)
    assert shown.context == {"m": 1, "system_prompt": "x"}
    assert shown.config == {"configurable": {"other": 2}}
