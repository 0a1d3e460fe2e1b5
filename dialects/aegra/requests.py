"""Aegra's request bodies: the strict msgspec structs of the fast path, the Pydantic models of the error
path, and how FastAPI reads a body before either sees it.

FastAPI (0.165, `strict_content_type`) only parses a body as JSON when the request says
`application/json` or `application/*+json`; Aegra's middleware also rewrites `text/plain` on
POST/PUT/PATCH. Any other body, or none with no `Content-Type`, reaches the model as text and fails it.
JSON is parsed with Python's `json.loads` (a BOM, UTF-16 and NaN pass; malformed → `json_invalid` at
the character offset; undecodable bytes or runaway nesting → 400 "There was an error parsing the
body"). The fast path decodes straight into a struct with msgspec; when msgspec refuses a body, the
slow path reproduces all of the above and Pydantic's field-by-field verdict.
"""

from __future__ import annotations

import email.message
import functools
import json
import math
from typing import Annotated, Any, Generic, Literal, TypeVar

import msgspec

from dialects.aegra import validation as v

T = TypeVar("T")

SORT_BY = ("assistant_id", "name", "graph_id", "created_at", "updated_at")
TEXT_PLAIN = frozenset(
    {
        "text/plain",
        "text/plain;charset=utf-8",
        "text/plain; charset=utf-8",
    }
)

AssistantId = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=r"\S")]
JSONObject = dict[str, Any]


# -- the structs the handlers read ---------------------------------------------------------------------


class CreateBody(msgspec.Struct, kw_only=True):
    assistant_id: AssistantId | None = None
    name: str | None = None
    description: str | None = None
    # UNSET tells "omitted" (→ {}) from an explicit null, which crashes Aegra and is refused here.
    config: JSONObject | msgspec.UnsetType | None = msgspec.UNSET
    context: JSONObject | msgspec.UnsetType | None = msgspec.UNSET
    graph_id: str
    metadata: JSONObject | None = None
    if_exists: str | None = "error"


class PatchBody(msgspec.Struct, kw_only=True):
    name: str | msgspec.UnsetType | None = msgspec.UNSET
    description: str | msgspec.UnsetType | None = msgspec.UNSET
    config: JSONObject | msgspec.UnsetType | None = msgspec.UNSET
    graph_id: str | msgspec.UnsetType | None = msgspec.UNSET
    context: JSONObject | msgspec.UnsetType | None = msgspec.UNSET
    metadata: JSONObject | msgspec.UnsetType | None = msgspec.UNSET


class SearchBody(msgspec.Struct, kw_only=True):
    name: str | None = None
    description: str | None = None
    graph_id: str | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] | None = 20
    offset: Annotated[int, msgspec.Meta(ge=0)] | None = 0
    metadata: JSONObject | None = None
    sort_by: Literal["assistant_id", "name", "graph_id", "created_at", "updated_at"] | None = None
    sort_order: Literal["asc", "desc"] | None = None


class LatestBody(msgspec.Struct, kw_only=True):
    version: int


class Body(Generic[T]):
    """One request body: its fast-path decoder, its Pydantic model, and how FastAPI embeds it."""

    def __init__(self, struct: type[T], model: v.Model, *, embedded: bool = False) -> None:
        self.struct = struct
        self.model = model
        self.embedded = embedded  # `Body(..., embed=True)`: a single field read out of an object
        self.decoder = msgspec.json.Decoder(struct)

    def build(self, values: dict[str, Any]) -> T:
        # The values are already validated (by Pydantic's rules, a little laxer than the struct's).
        return self.struct(**values)


CREATE = Body(
    CreateBody,
    v.Model(
        [
            v.Field("assistant_id", v.Str(min_length=1, max_length=255, non_blank=True)),
            v.Field("name", v.Str()),
            v.Field("description", v.Str()),
            v.Field("config", v.Dict()),
            v.Field("context", v.Dict()),
            v.Field("graph_id", v.Str(), required=True, nullable=False),
            v.Field("metadata", v.Dict()),
            v.Field("if_exists", v.Str()),
        ]
    ),
)
PATCH = Body(
    PatchBody,
    v.Model(
        [
            v.Field("name", v.Str()),
            v.Field("description", v.Str()),
            v.Field("config", v.Dict()),
            v.Field("graph_id", v.Str()),
            v.Field("context", v.Dict()),
            v.Field("metadata", v.Dict()),
        ]
    ),
)
SEARCH = Body(
    SearchBody,
    v.Model(
        [
            v.Field("name", v.Str()),
            v.Field("description", v.Str()),
            v.Field("graph_id", v.Str()),
            v.Field("limit", v.Int(ge=1, le=100)),
            v.Field("offset", v.Int(ge=0)),
            v.Field("metadata", v.Dict()),
            v.Field("sort_by", v.Literal(*SORT_BY)),
            v.Field("sort_order", v.Literal("asc", "desc")),
        ]
    ),
)
LATEST = Body(
    LatestBody, v.Model([v.Field("version", v.Int(), required=True, nullable=False)]), embedded=True
)


# -- reading a body ----------------------------------------------------------------------------------------


class ParseError(Exception):
    """FastAPI's 400 "There was an error parsing the body" (rendered `{"detail": ...}`)."""


class Unstorable(Exception):
    """Python's JSON parser took the body, but a value in it cannot be stored (Aegra crashes on it)."""


_EMPTY = object()
_NOT_JSON = object()


@functools.lru_cache(maxsize=64)
def is_json(content_type: str | None) -> bool:
    """Whether FastAPI (after Aegra's text/plain fix) parses a body with this Content-Type as JSON."""
    if content_type is None:
        return False  # strict_content_type
    if content_type.lower() in TEXT_PLAIN:
        return True
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")


def fast(body: Body[T], raw: bytes) -> T | None:
    """The struct, when msgspec accepts the body as it is; None sends it down the slow path."""
    try:
        decoded = body.decoder.decode(raw)
        if not raw.isascii():
            raw.decode("utf-8")  # msgspec does not check the bytes of fields it skips; FastAPI does
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, ValueError):  # bad UTF-8 too
        return None
    return decoded


def parse(raw: bytes, json_content: bool) -> Any:
    """The body as FastAPI hands it to validation (parsed before auth is checked).

    Raises `Invalid` (json_invalid) or `ParseError`.
    """
    if not raw:
        return _EMPTY
    if not json_content:
        return _NOT_JSON
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise v.Invalid(
            [v.error("json_invalid", ("body", exc.pos), "JSON decode error", {}, {"error": exc.msg})]
        ) from None
    except Exception:  # bad UTF-8, nesting past the recursion limit, integers past 4300 digits
        raise ParseError from None
    return value


def validate(body: Body[T], parsed: Any, raw: bytes) -> T:
    """Pydantic's verdict on a parsed body (see `parse`): the struct, or `Invalid` with every error.

    Python's parser lets NaN, Infinity and lone surrogates through. Where Aegra would store or echo
    one (and crash), this raises `Unstorable`; in a field nobody reads, it is ignored as in Aegra.
    """
    if parsed is _NOT_JSON:
        parsed = raw.decode("utf-8", "replace")  # FastAPI validates the raw text
    try:
        if body.embedded:
            field = body.model.fields[0]
            if type(parsed) is not dict or field.name not in parsed:
                raise v.Invalid([v.missing(("body", field.name))])
            values = body.model.check(parsed)
        elif parsed is _EMPTY:
            raise v.Invalid([v.missing(("body",))])
        else:
            values = body.model.check(parsed)
    except v.Invalid as exc:
        if (problem := unstorable([e["input"] for e in exc.errors])) is not None:
            raise Unstorable(problem) from None
        raise
    if (problem := unstorable(values)) is not None:
        raise Unstorable(problem)
    return body.build(values)


def unstorable(value: Any) -> str | None:
    """Why a value from `json.loads` cannot be stored as JSON (NaN, Infinity, lone surrogates), or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(item.keys())
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is float and not math.isfinite(item):
            return "Out of range float values are not JSON compliant"
        elif kind is str:
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "Lone surrogates are not valid Unicode"
    return None


# -- NUL characters ----------------------------------------------------------------------------------------


def may_hold_nul(raw: bytes) -> bool:
    """Cheap pre-check: valid JSON can only carry U+0000 as an escape."""
    return b"\\u0000" in raw


def strip_nul(value: Any) -> Any:
    """Aegra's `JsonbSafe`: U+0000 removed from every string (keys too) of a JSONB value."""
    if type(value) is str:
        return value.replace("\x00", "")
    if type(value) not in (dict, list):
        return value
    root: Any = {} if type(value) is dict else []
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        items = source.items() if type(source) is dict else enumerate(source)
        for key, item in items:
            kind = type(item)
            if kind is dict or kind is list:
                copy: Any = {} if kind is dict else []
                stack.append((item, copy))
                item = copy
            elif kind is str:
                item = item.replace("\x00", "")
            if type(target) is dict:
                target[key.replace("\x00", "")] = item
            else:
                target.append(item)
    return root
