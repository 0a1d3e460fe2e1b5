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

import functools
import math
from typing import Annotated, Any, Generic, Literal, TypeVar

import msgspec

from dialects import fastapi as f

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

    def __init__(self, struct: type[T], model: f.Model, *, embedded: bool = False) -> None:
        self.struct = struct
        self.model = model
        self.embedded = embedded  # `Body(..., embed=True)`: the fields read out of an object
        self.decoder = msgspec.json.Decoder(struct)

    def build(self, values: dict[str, Any]) -> T:
        # The values are already validated (by Pydantic's rules, a little laxer than the struct's).
        return self.struct(**values)


def _model(*fields: f.Field) -> f.Model:
    # Aegra's models ignore unknown keys; the struct fills in defaults, so only supplied fields count.
    return f.Model(fields, partial=True)


def _optional(name: str, check: f.Check) -> f.Field:
    return f.Field(name, f.nullable(check))


_STR, _DICT = f.string(), f.dictionary()

CREATE = Body(
    CreateBody,
    _model(
        _optional("assistant_id", f.string(min_length=1, max_length=255, non_blank=True)),
        _optional("name", _STR),
        _optional("description", _STR),
        _optional("config", _DICT),
        _optional("context", _DICT),
        f.Field("graph_id", _STR, required=True),
        _optional("metadata", _DICT),
        _optional("if_exists", _STR),
    ),
)
PATCH = Body(
    PatchBody,
    _model(
        _optional("name", _STR),
        _optional("description", _STR),
        _optional("config", _DICT),
        _optional("graph_id", _STR),
        _optional("context", _DICT),
        _optional("metadata", _DICT),
    ),
)
SEARCH = Body(
    SearchBody,
    _model(
        _optional("name", _STR),
        _optional("description", _STR),
        _optional("graph_id", _STR),
        _optional("limit", f.integer(ge=1, le=100)),
        _optional("offset", f.integer(ge=0)),
        _optional("metadata", _DICT),
        _optional("sort_by", f.choice(SORT_BY, literal=True)),
        _optional("sort_order", f.choice(("asc", "desc"), literal=True)),
    ),
)
LATEST = Body(LatestBody, _model(f.Field("version", f.integer(), required=True)), embedded=True)


# -- reading a body ----------------------------------------------------------------------------------------


class Unstorable(Exception):
    """Python's JSON parser took the body, but a value in it cannot be stored (Aegra crashes on it)."""


@functools.lru_cache(maxsize=64)
def is_json(content_type: str | None) -> bool:
    """Whether FastAPI (strict content types, after Aegra's text/plain fix) parses a body as JSON."""
    if content_type is not None and content_type.lower() in TEXT_PLAIN:
        return True
    return f.json_content(content_type, strict=True)


def fast(body: Body[T], raw: bytes) -> T | None:
    """The struct, when msgspec accepts the body as it is; None sends it down the slow path."""
    try:
        decoded = body.decoder.decode(raw)
        if not raw.isascii():
            raw.decode("utf-8")  # msgspec does not check the bytes of fields it skips; FastAPI does
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, ValueError):  # bad UTF-8 too
        return None
    return decoded


# The body as FastAPI hands it to validation (Aegra parses it before checking auth): raises `Invalid`
# (json_invalid) or `Unparsable`.
parse = f.parse_body


def validate(body: Body[T], parsed: Any, raw: bytes = b"") -> T:
    """Pydantic's verdict on a parsed body (see `parse`): the struct, or `Invalid` with every error.

    Aegra runs FastAPI 0.165, which hands a JSON null to the model. Python's parser lets NaN, Infinity
    and lone surrogates through. Where Aegra would store or echo one (and crash), this raises
    `Unstorable`; in a field nobody reads, it is ignored as in Aegra. `raw` is unused (`parse` keeps a
    body that is not JSON as its bytes); it stays for callers that pass it.
    """
    try:
        values = f.embedded_body(body.model, parsed) if body.embedded else f.body(body.model, parsed)
    except f.Invalid as exc:
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
