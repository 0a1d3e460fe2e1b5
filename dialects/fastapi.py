"""FastAPI request-body handling and pydantic v2 validation errors, emulated for the error path.

Vendors built on FastAPI answer a bad request with 422 `{"detail": [{"type", "loc", "msg", "input",
"ctx"?}, ...]}`: every invalid field at once, in declaration order, in pydantic v2's words (FastAPI leaves
out pydantic's `url`), after pydantic's lax coercions ("5" → 5, 5.0 → 5, true → 1, " 7 " → 7). A dialect
decodes a request with msgspec first (one pass, but it stops at the first problem and is stricter); only a
body msgspec refuses comes here, so nothing here is hot. The dialect declares its models with the checks
below and keeps its own rules (field lists, `extra="forbid"` or not, its own service-level 422s).

A check is a function `(value, loc, errors) -> value`: the coerced value, or `BAD` after appending
FastAPI error items to `errors`. Errors are collected, never raised per field, so a model with many bad
fields costs one list, and `validate` raises `Invalid` once at the end.

Checked against pydantic 2.14.3 / pydantic-core 2.50.4, FastAPI 0.165.0 and, for the body rules of older
releases, FastAPI 0.115.0; tests/test_fastapi.py, tests/test_aegra_validation.py and
tests/test_pais_validation.py compare with pydantic itself, text → number included (pydantic-core's
`str_as_int` / `str_as_float` rules, quirks and the 4300-digit limit as it applies them).
"""

from __future__ import annotations

import email.message
import functools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.routing import BaseRoute, Route


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


BAD: Any = _Sentinel("BAD")  # what a check returns after recording an error
NO_BODY: Any = _Sentinel("NO_BODY")  # FastAPI's `Undefined`: the request had no body bytes

Loc = tuple[str | int, ...]
Errors = list[dict[str, Any]]
Check = Callable[[Any, Loc, Errors], Any]

# Unicode White_Space: what Rust's `str::trim` strips (pydantic-core is Rust). Python's `str.strip` also
# strips U+001C..U+001F, which pydantic refuses around a number.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_NON_SPACE = re.compile(f"[^{WHITE_SPACE}]")  # Field(pattern=r"\S") under Rust's Unicode `\s`
# pydantic-core's str → int reads the text as a JSON integer first; a run of more than 4300 digits there is
# `int_parsing_size`, whatever follows it. Otherwise it cleans the text (`_clean_int_text`) and reads that.
MAX_INT_DIGITS = 4300  # jiter's limit, Python's default int-from-text limit (sign aside)
_JSON_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_LONG_JSON_INT = re.compile(f"-?[1-9][0-9]{{{MAX_INT_DIGITS}}}")
_I64 = 2.0**63  # pydantic turns a float into an int only strictly inside i64
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})

NOT_AN_OBJECT = "Input should be a valid dictionary or object to extract fields from"
INT_TOO_BIG = "Unable to parse input string as an integer, exceeded maximum size"


class Invalid(Exception):
    """The 422 detail: every problem found, each a FastAPI error item."""

    def __init__(self, errors: Errors) -> None:
        super().__init__(errors)
        self.errors = errors


def error(
    errors: Errors, type_: str, loc: Loc, msg: str, value: Any, ctx: dict[str, Any] | None = None
) -> Any:
    """Record one error item (keys in FastAPI's order) and return `BAD`."""
    item: dict[str, Any] = {"type": type_, "loc": list(loc), "msg": msg, "input": value}
    if ctx is not None:
        item["ctx"] = ctx
    errors.append(item)
    return BAD


def missing(loc: Loc) -> Errors:
    """FastAPI's own `missing` item (no body, no embedded field): its input is always null."""
    return [{"type": "missing", "loc": list(loc), "msg": "Field required", "input": None}]


def validate(check: Check, value: Any, loc: Loc) -> Any:
    """Run `check`; raise `Invalid` with every error found."""
    errors: Errors = []
    result = check(value, loc, errors)
    if errors:
        raise Invalid(errors)
    return result


def expected_text(values: Sequence[str]) -> str:
    """pydantic's list of choices, each in Python's repr: `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`."""
    quoted = [repr(v) for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _characters(n: int) -> str:
    return f"{n} character{'' if n == 1 else 's'}"


# -- scalars ---------------------------------------------------------------------------------------------


def string(*, min_length: int | None = None, max_length: int | None = None, non_blank: bool = False) -> Check:
    """`str` with pydantic's length limits; `non_blank` is `Field(pattern=r"\\S")`."""

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if type(value) is not str:
            return error(errors, "string_type", loc, "Input should be a valid string", value)
        if min_length is not None and len(value) < min_length:
            msg = f"String should have at least {_characters(min_length)}"
            return error(errors, "string_too_short", loc, msg, value, {"min_length": min_length})
        if max_length is not None and len(value) > max_length:
            msg = f"String should have at most {_characters(max_length)}"
            return error(errors, "string_too_long", loc, msg, value, {"max_length": max_length})
        if non_blank and _NON_SPACE.search(value) is None:
            msg = "String should match pattern '\\S'"
            return error(errors, "string_pattern_mismatch", loc, msg, value, {"pattern": "\\S"})
        return value

    return check


def _strip_leading_zeros(s: str) -> str | None:
    """pydantic-core's: zeros and underscores before the first other digit, a minus or a dot go (one zero
    stays before a dot, or when nothing else is left); None when the text starts with anything else."""
    if not s or s[0] not in "0123456789-":
        return None
    if s[0] != "0":
        return s
    for i in range(1, len(s)):
        c = s[i]
        if c in "123456789-":
            return s[i:]
        if c == ".":
            return s[i - 1 :]
        if c not in "0_":
            return None
    return s[-1]


def _clean_int_text(text: str) -> str | None:
    """pydantic-core's `clean_int_str`, quirks included ("0-1" → "-1"): None when nothing could be cleaned."""
    s = text.strip(WHITE_SPACE)
    if s.startswith("+"):
        s = s[1:]
        if s.startswith("-"):
            return None
    negative = s.startswith("-")
    if negative:
        s = s[1:]
        if s.startswith(("-", "+")):
            return None
    stripped = _strip_leading_zeros(s)
    if stripped is None:
        return None
    s = stripped
    dot = s.find(".")
    if dot >= 0 and len(s) > dot + 1 and not s[dot + 1 :].strip("0"):
        s = s[:dot]
    sign = "-" if negative else ""
    if "_" in s and s[0] != "_" and s[-1] != "_" and "__" not in s:
        return sign + s.replace("_", "")
    return None if len(s) == len(text) else sign + s


def _int_from_text(text: str, loc: Loc, errors: Errors) -> Any:
    if _LONG_JSON_INT.match(text):
        return error(errors, "int_parsing_size", loc, INT_TOO_BIG, text)
    if _JSON_INT.fullmatch(text):
        return int(text)
    cleaned = _clean_int_text(text)
    if cleaned is None or not _JSON_INT.fullmatch(cleaned) or len(cleaned.lstrip("-")) > MAX_INT_DIGITS:
        msg = "Input should be a valid integer, unable to parse string as an integer"
        return error(errors, "int_parsing", loc, msg, text)
    return int(cleaned)


def _int_from_float(value: float, loc: Loc, errors: Errors) -> Any:
    if not math.isfinite(value):
        return error(errors, "finite_number", loc, "Input should be a finite number", value)
    if not value.is_integer():
        msg = "Input should be a valid integer, got a number with a fractional part"
        return error(errors, "int_from_float", loc, msg, value)
    if abs(value) >= _I64:
        return error(errors, "int_parsing_size", loc, INT_TOO_BIG, value)
    return int(value)


def _lax_int(value: Any, loc: Loc, errors: Errors) -> Any:
    """pydantic's lax int: ints, bools, integral floats inside i64, decimal text."""
    kind = type(value)
    if kind is int:
        return value
    if kind is bool:
        return int(value)
    if kind is float:
        return _int_from_float(value, loc, errors)
    if kind is str:
        return _int_from_text(value, loc, errors)
    return error(errors, "int_type", loc, "Input should be a valid integer", value)


def integer(
    *, gt: int | None = None, ge: int | None = None, lt: int | None = None, le: int | None = None
) -> Check:
    """`int` with pydantic's bounds; a bound error quotes the input as it came ("0", not 0)."""
    if gt is ge is lt is le is None:
        return _lax_int

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        number = _lax_int(value, loc, errors)
        if number is BAD:
            return BAD
        if gt is not None and not number > gt:
            return error(errors, "greater_than", loc, f"Input should be greater than {gt}", value, {"gt": gt})
        if ge is not None and not number >= ge:
            msg = f"Input should be greater than or equal to {ge}"
            return error(errors, "greater_than_equal", loc, msg, value, {"ge": ge})
        if lt is not None and not number < lt:
            return error(errors, "less_than", loc, f"Input should be less than {lt}", value, {"lt": lt})
        if le is not None and not number <= le:
            msg = f"Input should be less than or equal to {le}"
            return error(errors, "less_than_equal", loc, msg, value, {"le": le})
        return number

    return check


# Rust's f64 syntax (pydantic-core parses text with it): ASCII only, no underscores, no inner spaces.
_RUST_FLOAT = re.compile(
    r"[+-]?(?:inf|infinity|nan|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]+)?)", re.ASCII | re.IGNORECASE
)


def _float_from_text(text: str) -> float | None:
    """pydantic-core's `str_as_float`: the trimmed text, else the untrimmed text without its underscores."""
    trimmed = text.strip(WHITE_SPACE)
    if _RUST_FLOAT.fullmatch(trimmed):
        return float(trimmed)
    if "_" in text and text[0] != "_" and text[-1] != "_" and "__" not in text:
        bare = text.replace("_", "")
        if _RUST_FLOAT.fullmatch(bare):
            return float(bare)
    return None


def number() -> Check:
    """A finite `float` (`allow_inf_nan=False`): JSON cannot carry NaN or infinities back out."""

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if isinstance(value, bool | int):
            try:
                result = float(value)
            except OverflowError:
                return error(errors, "float_type", loc, "Input should be a valid number", value)
        elif isinstance(value, float):
            result = value
        elif isinstance(value, str):
            result = _float_from_text(value)
            if result is None:
                msg = "Input should be a valid number, unable to parse string as a number"
                return error(errors, "float_parsing", loc, msg, value)
        else:
            return error(errors, "float_type", loc, "Input should be a valid number", value)
        if not math.isfinite(result):
            return error(errors, "finite_number", loc, "Input should be a finite number", value)
        return result

    return check


def _bool(value: Any, loc: Loc, errors: Errors) -> Any:
    if type(value) is bool:
        return value
    if type(value) is str:
        folded = value.lower()  # case-insensitive, not trimmed
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        msg = "Input should be a valid boolean, unable to interpret input"
        return error(errors, "bool_parsing", loc, msg, value)
    return error(errors, "bool_type", loc, "Input should be a valid boolean", value)


def boolean() -> Check:
    """`bool` as pydantic reads a bool or text (query strings: "1", "on", "t", "true", "y", "yes" and their
    opposites). Numbers, which pydantic would take as 0 or 1, are not needed by any dialect: `bool_type`."""
    return _bool


def _bool_or_int(value: Any, loc: Loc, errors: Errors) -> Any:
    tried: Errors = []
    if (result := _bool(value, (*loc, "bool"), tried)) is not BAD:
        return result
    if (result := _lax_int(value, (*loc, "int"), tried)) is not BAD:
        return result
    errors.extend(tried)
    return BAD


def bool_or_int() -> Check:
    """`bool | int` in pydantic's smart mode, for text: the bool words win ("0" → False), then integers;
    failing both lists both errors, their loc ending in `bool` and `int`."""
    return _bool_or_int


def choice(values: Sequence[str], *, literal: bool = False) -> Check:
    """A str Enum (`enum`) or a `Literal` (`literal_error`): the same message, another type."""
    allowed = frozenset(values)
    text = expected_text(values)
    kind = "literal_error" if literal else "enum"

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if type(value) is str and value in allowed:
            return value
        return error(errors, kind, loc, f"Input should be {text}", value, {"expected": text})

    return check


# -- containers ------------------------------------------------------------------------------------------


def nullable(inner: Check) -> Check:
    """`X | None`."""

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        return None if value is None else inner(value, loc, errors)

    return check


def dictionary(values: Check | None = None, *, max_length: int | None = None) -> Check:
    """`dict[str, Any]`, or `dict[str, <values>]`; `max_length` counts the pairs once every value is valid."""

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if type(value) is not dict:
            return error(errors, "dict_type", loc, "Input should be a valid dictionary", value)
        result = value
        if values is not None:
            before = len(errors)
            result = {key: values(item, (*loc, key), errors) for key, item in value.items()}
            if len(errors) > before:
                return BAD
        if max_length is not None and len(result) > max_length:
            return error(
                errors,
                "too_long",
                loc,
                f"Dictionary should have at most {max_length} items after validation, not more",
                value,
                {"field_type": "Dictionary", "max_length": max_length, "actual_length": None},
            )
        return result

    return check


def list_of(inner: Check) -> Check:
    """`list[X]`: every item checked, errors at the item's index."""

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if type(value) is not list:
            return error(errors, "list_type", loc, "Input should be a valid list", value)
        before = len(errors)
        result = [inner(item, (*loc, i), errors) for i, item in enumerate(value)]
        return BAD if len(errors) > before else result

    return check


@dataclass(frozen=True)
class Field:
    name: str
    check: Check  # wrap it in `nullable` for `X | None`
    required: bool = False
    default: Any = None


class Model:
    """A pydantic model, usable as a check: field errors in declaration order, then unknown keys.

    The result holds every field, absent ones at their default; with `partial` only the supplied ones
    (`model_dump(exclude_unset=True)`: an update names only what it changes). Unknown keys are ignored,
    pydantic's default, or refused with `forbid_extra` (`extra="forbid"`); `skip` names keys checked
    elsewhere (a discriminator).
    """

    def __init__(
        self,
        fields: Sequence[Field],
        *,
        partial: bool = False,
        forbid_extra: bool = False,
        skip: frozenset[str] = frozenset(),
    ) -> None:
        self.fields = tuple(fields)
        self.partial = partial
        self.forbid_extra = forbid_extra
        self.declared = frozenset(f.name for f in self.fields) | skip

    def __call__(self, value: Any, loc: Loc, errors: Errors) -> Any:
        if type(value) is not dict:
            return error(errors, "model_attributes_type", loc, NOT_AN_OBJECT, value)
        before = len(errors)
        result: dict[str, Any] = {}
        for field in self.fields:
            if field.name in value:
                result[field.name] = field.check(value[field.name], (*loc, field.name), errors)
            elif field.required:
                error(errors, "missing", (*loc, field.name), "Field required", value)
            elif not self.partial:
                result[field.name] = field.default
        if self.forbid_extra:
            for key, extra in value.items():
                if key not in self.declared:
                    error(errors, "extra_forbidden", (*loc, key), "Extra inputs are not permitted", extra)
        return BAD if len(errors) > before else result

    def check(self, data: Any, loc: Loc = ("body",)) -> dict[str, Any]:
        """The model alone: its values, or `Invalid` with every error."""
        return validate(self, data, loc)


def tagged(tag_field: str, variants: Mapping[str, Check]) -> Check:
    """A discriminated union of models; the result starts with the tag, as the variant models declare it."""
    expected = ", ".join(f"'{tag}'" for tag in variants)
    discriminator = f"'{tag_field}'"

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if type(value) is not dict:
            return error(errors, "model_attributes_type", loc, NOT_AN_OBJECT, value)
        if tag_field not in value:
            msg = f"Unable to extract tag using discriminator {discriminator}"
            return error(errors, "union_tag_not_found", loc, msg, value, {"discriminator": discriminator})
        tag = value[tag_field]
        variant = variants.get(tag) if type(tag) is str else None
        if variant is None:
            return error(
                errors,
                "union_tag_invalid",
                loc,
                f"Input tag '{tag}' found using {discriminator} does not match any of the expected tags: "
                + expected,
                value,
                {"discriminator": discriminator, "tag": str(tag), "expected_tags": expected},
            )
        fields = variant(value, (*loc, tag), errors)
        return BAD if fields is BAD else {tag_field: tag, **fields}

    return check


# -- request bodies ----------------------------------------------------------------------------------------


def without_head(routes: list[Route]) -> list[BaseRoute]:
    """The routes as FastAPI registers them: a GET route does not answer HEAD (405), as Starlette's would."""
    for route in routes:
        assert route.methods is not None
        route.methods.discard("HEAD")
    return list(routes)


class Unparsable(Exception):
    """A body FastAPI fails to read at all (bad UTF-8, runaway nesting): its 400 "There was an error parsing
    the body"."""


@functools.lru_cache(maxsize=64)
def json_content(content_type: str | None, *, strict: bool = True) -> bool:
    """Whether FastAPI parses a body with this Content-Type as JSON: `application/json` or
    `application/*+json`, read with the standard library's header parser as FastAPI does. With no
    Content-Type, FastAPI 0.165 (`strict_content_type`, its default) does not; older releases (0.115) did."""
    if not content_type:
        return not strict
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")


def parse_body(raw: bytes, json_content: bool) -> Any:
    """The body as FastAPI hands it to validation: `NO_BODY` when empty, the bytes themselves when it is not
    JSON, else Python's `json.loads` of it (BOM, UTF-16, NaN and lone surrogates pass).

    Raises `Invalid` (`json_invalid` at the character offset) or `Unparsable`.
    """
    if not raw:
        return NO_BODY
    if not json_content:
        return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        errors: Errors = []
        error(errors, "json_invalid", ("body", exc.pos), "JSON decode error", {}, {"error": exc.msg})
        raise Invalid(errors) from None
    except Exception:  # bad UTF-8, nesting past the recursion limit, integers past 4300 digits
        raise Unparsable from None


def body(check: Check, data: Any, *, null_is_missing: bool = False) -> Any:
    """FastAPI's verdict on a parsed body (`parse_body`) for a single body model: its values, or `Invalid`.

    No body is `missing` at `["body"]`. FastAPI 0.165 hands a JSON `null` to pydantic; older releases
    (0.115: `null_is_missing`) took it for no body. A body that is not JSON reaches pydantic as bytes and
    fails a model; the 422 shows it as text (FastAPI itself fails with a 500 when it is not UTF-8).
    """
    if data is NO_BODY or (data is None and null_is_missing):
        raise Invalid(missing(("body",)))
    if type(data) is bytes:
        data = data.decode("utf-8", "replace")
    return validate(check, data, ("body",))


def embedded_body(model: Model, data: Any) -> dict[str, Any]:
    """FastAPI 0.165's verdict for `Body(embed=True)` parameters (`model` lists them), each read out of a
    JSON object: an absent one is FastAPI's `missing` (input null) when required, else its default. With no
    body, or one that is not JSON, they are all absent; a JSON body that is not an object (a list, a scalar,
    null) makes every one of them `missing`, required or not."""
    if data is NO_BODY or type(data) is bytes:
        data = {}
    elif type(data) is not dict:
        raise Invalid([item for field in model.fields for item in missing(("body", field.name))])
    errors: Errors = []
    values: dict[str, Any] = {}
    for field in model.fields:
        loc = ("body", field.name)
        if field.name in data:
            values[field.name] = field.check(data[field.name], loc, errors)
        elif field.required:
            errors.extend(missing(loc))
        elif not model.partial:
            values[field.name] = field.default
    if errors:
        raise Invalid(errors)
    return values
