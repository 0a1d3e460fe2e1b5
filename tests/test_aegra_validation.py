"""The Aegra dialect's Pydantic emulation (dialects/aegra/validation.py) against Pydantic itself.

Aegra 0.11.0 validates with pydantic 2.14.3. When pydantic is importable (the openai SDK in the test
extras brings it), thousands of generated bodies are validated by both, and the values or the full
error lists must be identical; the unit tests below pin the wording either way.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from dialects.aegra import requests as rq
from dialects.aegra.validation import Invalid, parse_bool, parse_bool_or_int, parse_int

STRINGS: list[Any] = [
    "",
    " ",
    "\t\n",
    "\u00a0",
    "\x1c",
    "\u200b",
    "a",
    " a ",
    "x" * 255,
    "x" * 256,
    "ünï",
    "\u0085",
]
INTS: list[Any] = [
    0,
    1,
    -1,
    20,
    100,
    101,
    10**30,
    True,
    False,
    1.0,
    1.5,
    -0.0,
    1e20,
    9.2e18,
    "5",
    " 5 ",
    "5.0",
    "5.5",
    "+5",
    "-0",
    "1_0",
    "1__0",
    "0x10",
    "1e2",
    "",
    "٣",
    "\u00a05",
    "\x1c5",
    "1" * 4301,
    "1" * 4300,
]
OTHERS: list[Any] = [None, [], {}, {"a": 1}, [1], 3, 2.5, True, "asc", "desc", "name", "ASC", "version"]
VALUES = STRINGS + INTS + OTHERS


def pydantic_models() -> dict[str, Any]:
    """Aegra 0.11.0's request models, as in aegra_api/models/assistants.py."""
    pydantic = pytest.importorskip("pydantic")
    from typing import Literal

    Field, BaseModel = pydantic.Field, pydantic.BaseModel

    class AssistantCreate(BaseModel):
        assistant_id: str | None = Field(None, min_length=1, max_length=255, pattern=r"\S")
        name: str | None = Field(None)
        description: str | None = Field(None)
        config: dict[str, Any] | None = Field(default_factory=dict)
        context: dict[str, Any] | None = Field(default_factory=dict)
        graph_id: str = Field(...)
        metadata: dict[str, Any] | None = Field(default_factory=dict)
        if_exists: str | None = Field("error")

    class AssistantUpdate(BaseModel):
        name: str | None = Field(None)
        description: str | None = Field(None)
        config: dict[str, Any] | None = Field(None)
        graph_id: str | None = Field(None)
        context: dict[str, Any] | None = Field(None)
        metadata: dict[str, Any] | None = Field(None)

    class AssistantSearchRequest(BaseModel):
        name: str | None = Field(None)
        description: str | None = Field(None)
        graph_id: str | None = Field(None)
        limit: int | None = Field(20, le=100, ge=1)
        offset: int | None = Field(0, ge=0)
        metadata: dict[str, Any] | None = Field(default_factory=dict)
        sort_by: Literal["assistant_id", "name", "graph_id", "created_at", "updated_at"] | None = Field(None)
        sort_order: Literal["asc", "desc"] | None = Field(None)

    class Latest(BaseModel):
        version: int

    return {
        "create": (AssistantCreate, rq.CREATE),
        "patch": (AssistantUpdate, rq.PATCH),
        "search": (AssistantSearchRequest, rq.SEARCH),
        "latest": (Latest, rq.LATEST),
    }


def pydantic_verdict(model: Any, data: dict[str, Any]) -> tuple[str, Any]:
    import pydantic

    try:
        return "ok", model.model_validate(data).model_dump(exclude_unset=True)
    except pydantic.ValidationError as exc:
        errors = []
        for e in exc.errors(include_url=False):
            entry = {"type": e["type"], "loc": ["body", *e["loc"]], "msg": e["msg"], "input": e["input"]}
            if "ctx" in e:
                entry["ctx"] = e["ctx"]
            errors.append(entry)
        return "errors", errors


def our_verdict(body: rq.Body[Any], data: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", body.model.check(data)
    except Invalid as exc:
        return "errors", exc.errors


@pytest.mark.parametrize("name", ["create", "patch", "search", "latest"])
def test_generated_bodies_get_pydantics_verdict(name: str) -> None:
    model, body = pydantic_models()[name]
    fields = list(model.model_fields)
    rng = random.Random(name)
    checked = 0
    for field in fields:  # every value in every field alone
        for value in VALUES:
            data = {field: value}
            if name == "create" and field != "graph_id":
                data["graph_id"] = "agent"
            assert our_verdict(body, data) == pydantic_verdict(model, data), data
            checked += 1
    for _ in range(1500):  # and random combinations, including missing required fields
        data = {f: rng.choice(VALUES) for f in rng.sample(fields, rng.randint(0, len(fields)))}
        data["ignored"] = rng.choice(VALUES)
        assert our_verdict(body, data) == pydantic_verdict(model, data), data
        checked += 1
    assert checked > 1500


def test_query_parsing_matches_pydantic() -> None:
    pydantic = pytest.importorskip("pydantic")
    as_bool = pydantic.TypeAdapter(bool)
    as_xray = pydantic.TypeAdapter(bool | int | None)
    texts = ["0", "1", "2", "-1", "-0", "01", "1.0", "true", "TRUE", "yes", "On", "t", "F", "n", "off", "",
             " 1", "1 ", "abc", "1.5", "1e3", "9" * 30, "9" * 5000, "tru", "\u00a01"]  # fmt: skip
    for text in texts:
        for ours, adapter, loc in (
            (parse_bool, as_bool, ("query", "recurse")),
            (parse_bool_or_int, as_xray, ("query", "xray")),
        ):
            try:
                expected: Any = ("ok", adapter.validate_python(text))
            except pydantic.ValidationError as exc:
                expected = (
                    "errors",
                    [[*loc, *e["loc"]] for e in exc.errors()],
                    [e["type"] for e in exc.errors()],
                )
            try:
                got: Any = ("ok", ours(text, loc))
            except Invalid as exc:
                got = ("errors", [e["loc"] for e in exc.errors], [e["type"] for e in exc.errors])
            assert got == expected, (text, ours.__name__)
            if got[0] == "ok":
                assert type(got[1]) is type(expected[1])


# -- wording, pinned without pydantic -----------------------------------------------------------------


def test_messages() -> None:
    def errors(body: rq.Body[Any], data: dict[str, Any]) -> list[dict[str, Any]]:
        with pytest.raises(Invalid) as caught:
            body.model.check(data)
        return caught.value.errors

    assert errors(rq.SEARCH, {"limit": 101, "sort_order": "x"}) == [
        {
            "type": "less_than_equal",
            "loc": ["body", "limit"],
            "msg": "Input should be less than or equal to 100",
            "input": 101,
            "ctx": {"le": 100},
        },
        {
            "type": "literal_error",
            "loc": ["body", "sort_order"],
            "msg": "Input should be 'asc' or 'desc'",
            "input": "x",
            "ctx": {"expected": "'asc' or 'desc'"},
        },
    ]
    assert errors(rq.CREATE, {"assistant_id": "x" * 256}) == [
        {
            "type": "string_too_long",
            "loc": ["body", "assistant_id"],
            "msg": "String should have at most 255 characters",
            "input": "x" * 256,
            "ctx": {"max_length": 255},
        },
        {
            "type": "missing",
            "loc": ["body", "graph_id"],
            "msg": "Field required",
            "input": {"assistant_id": "x" * 256},
        },
    ]
    assert errors(rq.LATEST, {"version": 1e19}) == [
        {
            "type": "int_parsing_size",
            "loc": ["body", "version"],
            "msg": "Unable to parse input string as an integer, exceeded maximum size",
            "input": 1e19,
        }
    ]


def test_lax_integers() -> None:
    assert [parse_int(v, ("x",)) for v in ("5", " +5 ", "5.00", "1_000", "-0", True, 7.0)] == [
        5,
        5,
        5,
        1000,
        0,
        1,
        7,
    ]
    for value in ("5.5", "1__0", "0x1", "", "٣", [], None, 0.5):
        with pytest.raises(Invalid):
            parse_int(value, ("x",))


def test_bodies_without_json_or_fields() -> None:
    with pytest.raises(Invalid) as caught:
        rq.validate(rq.SEARCH, rq.parse(b"", True), b"")
    assert caught.value.errors == [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}
    ]
    with pytest.raises(Invalid) as caught:
        rq.validate(rq.SEARCH, rq.parse(b"{}", False), b"{}")
    assert caught.value.errors[0]["type"] == "model_attributes_type"
    assert caught.value.errors[0]["input"] == "{}"
    assert rq.validate(rq.SEARCH, rq.parse(b'{"limit": "3"}', True), b"").limit == 3


def test_content_types() -> None:
    json_types = ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/x+json",
                  "text/plain", "text/plain; charset=UTF-8", "application/json;;"]  # fmt: skip
    other = [
        None,
        "",
        "json",
        "text/html",
        "text/plain; charset=latin-1",
        "multipart/form-data",
        "application/xml",
    ]
    assert all(rq.is_json(t) for t in json_types)
    assert not any(rq.is_json(t) for t in other)


def test_strip_nul_is_deep_and_iterative() -> None:
    deep: Any = "a\u0000"
    for _ in range(3000):
        deep = {"k\u0000": [deep]}
    stripped = rq.strip_nul(deep)
    for _ in range(3000):
        stripped = stripped["k"][0]
    assert stripped == "a"
