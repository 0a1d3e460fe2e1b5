"""The shared FastAPI + pydantic v2 emulation (dialects/fastapi.py) against pydantic 2.14.3 itself.

The dialect suites (test_aegra_validation.py, test_pais_validation.py) check their own models; these tests
cover the building blocks, including the details where the two dialects' former copies disagreed and
pydantic decided: whitespace around numbers (Rust's, not Python's), the 4300-digit limit (sign and
underscores not counted), floats at -2**63, and choices quoted with Python's repr. FastAPI's body handling
is pinned to what FastAPI 0.165.0 (strict content types) and 0.115 (a JSON null body is missing) do.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import pydantic
import pytest
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from dialects import fastapi as f

PADDING = ["", " ", "\t", "\xa0", "\u3000", "\x85", "\x1c", "\x1f", "\u200b"]
INT_TEXTS = ["5", "+5", "-5", "-0", "00005", "1_000", "1__0", "_1", "1_", "5.0", "5.00", "5.5", "1e2", "0x10", "",
             "٣", "9" * 30]  # fmt: skip
# Unpadded: pydantic-core measures a long number with its padding and leading zeros, a quirk not emulated.
LONG_TEXTS = [
    "1" * 4300,
    "1" * 4301,
    "+" + "1" * 4300,
    "-" + "1" * 4300,
    "1_" * 4299 + "1",
    "1" * 4299 + ".00",
]
OTHERS: list[Any] = [None, True, False, 0, 1, -1, 10**30, 1.0, 1.5, -0.0, 1e20, 2.0**63, -(2.0**63),
                     -(2.0**63) + 1024, float("nan"), float("inf"), [], {}, [1], {"a": 1}, "x", "TRUE", "on", "0",
                     "2"]  # fmt: skip
VALUES: list[Any] = [pad + text + pad for text in INT_TEXTS for pad in PADDING] + LONG_TEXTS + OTHERS


def pydantics(adapter: TypeAdapter[Any], value: Any, loc: f.Loc = ("x",)) -> tuple[str, Any]:
    try:
        return "ok", adapter.validate_python(value, from_attributes=True)  # as FastAPI validates
    except pydantic.ValidationError as exc:
        errors = []
        for e in exc.errors(include_url=False):
            item = {"type": e["type"], "loc": [*loc, *e["loc"]], "msg": e["msg"], "input": e["input"]}
            if "ctx" in e:
                item["ctx"] = e["ctx"]
            errors.append(item)
        return "errors", errors


def ours(check: f.Check, value: Any, loc: f.Loc = ("x",)) -> tuple[str, Any]:
    try:
        return "ok", f.validate(check, value, loc)
    except f.Invalid as exc:
        return "errors", exc.errors


def same(a: tuple[str, Any], b: tuple[str, Any]) -> bool:
    """Equal verdicts; NaN inputs compare by their text."""
    return json.dumps(a, default=repr, sort_keys=True) == json.dumps(b, default=repr, sort_keys=True)


@pytest.mark.parametrize(
    ("annotation", "check"),
    [
        (int, f.integer()),
        (Annotated[int, Field(gt=0)], f.integer(gt=0)),
        (Annotated[int, Field(ge=1, le=100)], f.integer(ge=1, le=100)),
        (Annotated[int, Field(ge=0, lt=1000)], f.integer(ge=0, lt=1000)),
        (bool, f.boolean()),
        (bool | int, f.bool_or_int()),
    ],
)
def test_numbers_and_words_get_pydantics_verdict(annotation: Any, check: f.Check) -> None:
    adapter = TypeAdapter(annotation)
    values = VALUES
    if annotation in (bool, bool | int):  # f.boolean() reads bools and text (query strings) only
        values = [v for v in VALUES if type(v) in (bool, str)]
    for value in values:
        expected, got = pydantics(adapter, value), ours(check, value)
        assert same(got, expected), repr(value)[:40]
        if got[0] == "ok":
            assert type(got[1]) is type(expected[1]), repr(value)[:40]


def test_where_the_former_copies_disagreed() -> None:
    as_int = f.integer()
    # U+001C..U+001F are whitespace to Python's str.strip, not to pydantic-core (Rust).
    assert ours(as_int, "\x1c5")[1][0]["type"] == "int_parsing"
    assert ours(as_int, "\u30005\u3000") == ("ok", 5)
    # The digit limit counts digits: a sign and underscores come on top.
    assert ours(as_int, "-" + "1" * 4300)[0] == "ok"
    assert ours(as_int, "1_" * 4299 + "1")[0] == "ok"
    assert ours(as_int, "1" * 4301)[1][0]["type"] == "int_parsing_size"
    # A float becomes an int only strictly inside i64, -2**63 included in the refusal.
    assert ours(as_int, -(2.0**63))[1][0]["type"] == "int_parsing_size"
    # Choices are quoted with repr, as pydantic does, and one character is singular.
    assert ours(f.choice(["it's", "b"], literal=True), "z")[1][0]["msg"] == "Input should be \"it's\" or 'b'"
    assert ours(f.string(max_length=1), "ab")[1][0]["msg"] == "String should have at most 1 character"


STRINGS: list[Any] = [
    "",
    " ",
    "\t\n",
    "\xa0",
    "\x1c",
    "\u200b",
    "a",
    " a ",
    "ab",
    "abc",
    "x" * 9,
    "ünï",
    5,
    None,
    [],
]


@pytest.mark.parametrize(
    ("annotation", "check"),
    [
        (str, f.string()),
        (Annotated[str, Field(min_length=1)], f.string(min_length=1)),
        (Annotated[str, Field(max_length=1)], f.string(max_length=1)),
        (
            Annotated[str, Field(min_length=2, max_length=8, pattern=r"\S")],
            f.string(min_length=2, max_length=8, non_blank=True),
        ),
        (Literal["a", "it's"], f.choice(["a", "it's"], literal=True)),
        (Literal["abc"], f.choice(["abc"], literal=True)),
        (dict[str, Any], f.dictionary()),
        (Annotated[dict[str, str], Field(max_length=2)], f.dictionary(f.string(), max_length=2)),
        (list[int], f.list_of(f.integer())),
        (int | None, f.nullable(f.integer())),
    ],
)
def test_strings_choices_and_containers_get_pydantics_verdict(annotation: Any, check: f.Check) -> None:
    adapter = TypeAdapter(annotation)
    values = [
        *STRINGS,
        {},
        {"a": "b"},
        {"a": "b", "c": "d", "e": "f"},
        {"a": 1, "b": None},
        [1, "2", "x", 2.5],
    ]
    for value in values:
        assert same(ours(check, value), pydantics(adapter, value)), value


class Loose(BaseModel):
    name: str | None = None
    limit: Annotated[int, Field(ge=1)] | None = None
    graph_id: str


class Strict(Loose):
    model_config = ConfigDict(extra="forbid")


LOOSE = f.Model(
    [
        f.Field("name", f.nullable(f.string())),
        f.Field("limit", f.nullable(f.integer(ge=1))),
        f.Field("graph_id", f.string(), required=True),
    ]
)
STRICT = f.Model(LOOSE.fields, forbid_extra=True)
PARTIAL = f.Model(LOOSE.fields, partial=True)


def test_models_list_every_error_in_field_order_then_unknown_keys() -> None:
    bodies: list[Any] = [
        {},
        {"graph_id": "g"},
        {"graph_id": None, "limit": "0", "name": 5},
        {"graph_id": "g", "limit": " 7 ", "zz": 1, "aa": None},
        {"zz": 1, "limit": 0},
        [],
        "text",
        None,
    ]
    for body in bodies:
        for model, check in ((Loose, LOOSE), (Strict, STRICT)):
            expected = pydantics(TypeAdapter(model), body, ("body",))
            got = ours(check, body, ("body",))
            if expected[0] == "ok":
                expected = ("ok", expected[1].model_dump())
            assert same(got, expected), (model.__name__, body)
    assert PARTIAL.check({"graph_id": "g", "limit": "3"}) == {"graph_id": "g", "limit": 3}
    assert LOOSE.check({"graph_id": "g"}) == {"name": None, "limit": None, "graph_id": "g"}


def test_content_types_as_fastapi_reads_them() -> None:
    json_types = ["application/json", "APPLICATION/JSON; charset=utf-8", "application/x+json", "application/json;;",
                  "application/vnd.api+json", " application/json ", "application/json ;charset=utf-8",
                  "application/ld+json; profile=x", "Application/Json"]  # fmt: skip
    other = ["text/plain", "text/csv", "application/json/x", "application/x/+json", "application/ json",
             "application/json, text/plain", "application", "json", "application/jsonx", "multipart/form-data"]  # fmt: skip
    for strict in (True, False):
        assert all(f.json_content(t, strict=strict) for t in json_types)
        assert not any(f.json_content(t, strict=strict) for t in other)
        # With no Content-Type, FastAPI 0.165 (strict_content_type) reads text; older releases read JSON.
        assert f.json_content(None, strict=strict) is not strict
        assert f.json_content("", strict=strict) is not strict


def test_parsing_bodies() -> None:
    assert f.parse_body(b"", True) is f.NO_BODY
    assert f.parse_body(b'{"a": 1}', False) == b'{"a": 1}'  # not JSON: pydantic gets the bytes
    assert f.parse_body(b"\xef\xbb\xbf[NaN]", True)[0] != f.parse_body(b"[NaN]", True)[0]  # NaN passes
    with pytest.raises(f.Invalid) as caught:
        f.parse_body(b'{"a": }', True)
    assert caught.value.errors == [
        {
            "type": "json_invalid",
            "loc": ["body", 6],
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": "Expecting value"},
        }
    ]
    for unreadable in (b"\xff", b"[" * 100_000, b"1" * 5000):
        with pytest.raises(f.Unparsable):
            f.parse_body(unreadable, True)


def test_single_body_models() -> None:
    no_body = [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
    for data, null_is_missing in ((f.NO_BODY, False), (f.NO_BODY, True), (None, True)):
        with pytest.raises(f.Invalid) as caught:
            f.body(LOOSE, data, null_is_missing=null_is_missing)
        assert caught.value.errors == no_body
    for data, shown in ((None, None), (b"{\xff}", "{\ufffd}"), ([], [])):  # FastAPI 0.165 hands null over
        with pytest.raises(f.Invalid) as caught:
            f.body(LOOSE, data)
        assert caught.value.errors == [
            {"type": "model_attributes_type", "loc": ["body"], "msg": f.NOT_AN_OBJECT, "input": shown}
        ]
    assert f.body(LOOSE, {"graph_id": "g", "limit": 2.0}) == {"name": None, "limit": 2, "graph_id": "g"}


def test_embedded_bodies() -> None:
    model = f.Model([f.Field("version", f.integer(), required=True), f.Field("note", f.nullable(f.string()))])

    def missing(*names: str) -> list[dict[str, Any]]:
        return [
            {"type": "missing", "loc": ["body", n], "msg": "Field required", "input": None} for n in names
        ]

    for absent in (f.NO_BODY, b'{"version": 1}', {}, {"note": "x"}):
        with pytest.raises(f.Invalid) as caught:
            f.embedded_body(model, absent)
        assert caught.value.errors == missing("version")
    for not_an_object in (None, [], 5, "s"):  # every embedded field is missing, required or not
        with pytest.raises(f.Invalid) as caught:
            f.embedded_body(model, not_an_object)
        assert caught.value.errors == missing("version", "note")
    with pytest.raises(f.Invalid) as caught:
        f.embedded_body(model, {"version": None, "note": 5})
    assert [e["type"] for e in caught.value.errors] == ["int_type", "string_type"]
    assert f.embedded_body(model, {"version": "3", "x": 1}) == {"version": 3, "note": None}
