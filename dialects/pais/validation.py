"""FastAPI-style validation for PAIS: every invalid field listed at once, in pydantic v2's own words.

PAIS is a FastAPI application, so a bad request gets 422 `{"detail": [{"type", "loc", "msg", "input",
"ctx"?}, ...]}` with one item per problem (pydantic v2 wording; FastAPI leaves out pydantic's `url`).
msgspec stops at the first problem, so the request path decodes with msgspec (wire.py) and only a body
msgspec refuses comes here. These checkers are the authority: they accept what pydantic's lax mode
accepts (`"5"` or `5.0` for an integer, `true` for 1), so a body msgspec refuses may still be valid,
and then the normalized values computed here are used. tests/test_pais_validation.py compares every
message with pydantic itself.

One deliberate difference from pydantic: non-finite numbers (`NaN`, `Infinity`, `1e400`) are refused
as `finite_number`; a FastAPI server accepts them and then fails to serialise its answer (a 500).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec


class _Bad:
    """The value a checker returns after recording an error."""

    def __repr__(self) -> str:
        return "BAD"


BAD: Any = _Bad()

Loc = tuple[str | int, ...]
Errors = list[dict[str, Any]]
Check = Callable[[Any, Loc, Errors], Any]

# pydantic converts a float to an int only inside i64.
_I64 = 2**63
# Python refuses to parse integers longer than this from text (sys.int_info.default_max_str_digits).
_MAX_INT_DIGITS = 4300
_INT_TEXT = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?")


class Invalid(Exception):
    """The 422 detail: every problem found, each a FastAPI error item."""

    def __init__(self, errors: Errors) -> None:
        super().__init__(errors)
        self.errors = errors


def error(
    errors: Errors, type_: str, loc: Loc, msg: str, value: Any, ctx: dict[str, Any] | None = None
) -> Any:
    item: dict[str, Any] = {"type": type_, "loc": list(loc), "msg": msg, "input": value}
    if ctx is not None:
        item["ctx"] = ctx
    errors.append(item)
    return BAD


def expected_text(values: Sequence[str]) -> str:
    """pydantic's list of choices: `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`."""
    quoted = [f"'{v}'" for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


# -- scalars ---------------------------------------------------------------------------------------------


def string(max_length: int | None = None) -> Check:
    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if not isinstance(value, str):
            return error(errors, "string_type", loc, "Input should be a valid string", value)
        if max_length is not None and len(value) > max_length:
            return error(
                errors,
                "string_too_long",
                loc,
                f"String should have at most {max_length} characters",
                value,
                {"max_length": max_length},
            )
        return value

    return check


def _bounds(number: int, raw: Any, loc: Loc, errors: Errors, limits: tuple[int | None, ...]) -> Any:
    """`number` within (gt, ge, lt, le); an error quotes the input as it came (`raw`)."""
    gt, ge, lt, le = limits
    if gt is not None and not number > gt:
        return error(errors, "greater_than", loc, f"Input should be greater than {gt}", raw, {"gt": gt})
    if ge is not None and not number >= ge:
        msg = f"Input should be greater than or equal to {ge}"
        return error(errors, "greater_than_equal", loc, msg, raw, {"ge": ge})
    if lt is not None and not number < lt:
        return error(errors, "less_than", loc, f"Input should be less than {lt}", raw, {"lt": lt})
    if le is not None and not number <= le:
        return error(
            errors, "less_than_equal", loc, f"Input should be less than or equal to {le}", raw, {"le": le}
        )
    return number


def _int_from_text(text: str, loc: Loc, errors: Errors) -> Any:
    stripped = text.strip()
    if not stripped.isascii() or not _INT_TEXT.fullmatch(stripped):
        return error(
            errors,
            "int_parsing",
            loc,
            "Input should be a valid integer, unable to parse string as an integer",
            text,
        )
    digits = stripped.partition(".")[0]
    if len(digits) > _MAX_INT_DIGITS:
        return error(
            errors,
            "int_parsing_size",
            loc,
            "Unable to parse input string as an integer, exceeded maximum size",
            text,
        )
    return int(digits)


def integer(
    *, gt: int | None = None, ge: int | None = None, lt: int | None = None, le: int | None = None
) -> Check:
    limits = (gt, ge, lt, le)

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if isinstance(value, bool):
            number: Any = int(value)
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float):
            if not math.isfinite(value):
                return error(errors, "finite_number", loc, "Input should be a finite number", value)
            if not value.is_integer():
                return error(
                    errors,
                    "int_from_float",
                    loc,
                    "Input should be a valid integer, got a number with a fractional part",
                    value,
                )
            if not -_I64 <= value < _I64:
                return error(
                    errors,
                    "int_parsing_size",
                    loc,
                    "Unable to parse input string as an integer, exceeded maximum size",
                    value,
                )
            number = int(value)
        elif isinstance(value, str):
            number = _int_from_text(value, loc, errors)
            if number is BAD:
                return BAD
        else:
            return error(errors, "int_type", loc, "Input should be a valid integer", value)
        return _bounds(number, value, loc, errors, limits)

    return check


def number() -> Check:
    """A finite float (see the module docstring for why not an infinite one)."""

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if isinstance(value, bool | int):
            try:
                result = float(value)
            except OverflowError:
                return error(errors, "float_type", loc, "Input should be a valid number", value)
        elif isinstance(value, float):
            result = value
        elif isinstance(value, str):
            try:
                if not value.isascii():
                    raise ValueError(value)
                result = float(value)
            except ValueError:
                return error(
                    errors,
                    "float_parsing",
                    loc,
                    "Input should be a valid number, unable to parse string as a number",
                    value,
                )
        else:
            return error(errors, "float_type", loc, "Input should be a valid number", value)
        if not math.isfinite(result):
            return error(errors, "finite_number", loc, "Input should be a finite number", value)
        return result

    return check


_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def boolean() -> Check:
    """A query-string boolean, as pydantic reads text."""

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            folded = value.lower()
            if folded in _TRUE:
                return True
            if folded in _FALSE:
                return False
            return error(
                errors,
                "bool_parsing",
                loc,
                "Input should be a valid boolean, unable to interpret input",
                value,
            )
        return error(errors, "bool_type", loc, "Input should be a valid boolean", value)

    return check


def choice(values: Sequence[str], *, literal: bool = False) -> Check:
    """A str Enum (`enum`) or a `Literal` (`literal_error`): the same message, another type."""
    allowed = frozenset(values)
    text = expected_text(values)
    kind = "literal_error" if literal else "enum"

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if isinstance(value, str) and value in allowed:
            return value
        return error(errors, kind, loc, f"Input should be {text}", value, {"expected": text})

    return check


# -- uuids -----------------------------------------------------------------------------------------------

_HEX = frozenset("0123456789abcdefABCDEF")
_GROUP_STARTS = (0, 9, 14, 19, 24)
_GROUP_LENGTHS = (8, 4, 4, 4, 12)


def parse_uuid(text: str) -> str | None:
    """The canonical form of a uuid written as pydantic accepts it, else None.

    Accepted: 32 hex digits, the hyphenated 8-4-4-4-12 form, that form in braces or after `urn:uuid:`.
    """
    body = text
    if len(text) == 38 and text[0] == "{" and text[-1] == "}":
        body = text[1:-1]
    elif len(text) == 45 and text.startswith("urn:uuid:"):
        body = text[9:]
    if len(body) == 36 and all(body[i] == "-" for i in (8, 13, 18, 23)):
        digits = body[:8] + body[9:13] + body[14:18] + body[19:23] + body[24:]
    elif len(body) == 32 and body is text:
        digits = body
    else:
        return None
    if not all(c in _HEX for c in digits):
        return None
    d = digits.lower()
    return f"{d[:8]}-{d[8:12]}-{d[12:16]}-{d[16:20]}-{d[20:]}"


def uuid_error_text(text: str) -> str:
    """Why `parse_uuid` refused `text`, worded as the uuid crate behind pydantic words it."""
    size = len(text.encode("utf-8", "surrogatepass"))
    # The uuid crate picks a format by length first and explains a failure within that format.
    if size == 38 and text[0] == "{" and text[-1] == "}":
        return uuid_error_text(text[1:-1])
    if size == 45 and text.startswith("urn:uuid:"):
        return uuid_error_text(text[9:])
    if size == 0 or size > 45:
        return f"invalid length: found {size}"
    start, end, kind = 0, size, "any"
    if size == 36:  # read as the plain hyphenated form, prefix or not
        pass
    elif len(text) > 1 and text[0] == "{" and text[-1] == "}":
        start, end, kind = 1, size - 1, "braced"
    elif text.startswith("urn:uuid:"):
        start, kind = 9, "urn"
    hyphens = 0
    bounds = [0, 0, 0, 0]
    index = 0
    for character in text:
        width = len(character.encode("utf-8", "surrogatepass"))
        if start <= index < end:
            if character == "-":
                if kind == "any":
                    kind = "hyphenated"
                if hyphens < 4:
                    bounds[hyphens] = index - start
                hyphens += 1
            elif character not in _HEX:
                return f"invalid character: found `{character}` at {index}"
        index += width
    if kind == "any":
        return f"invalid length: found {size}"
    if hyphens != 4:
        return f"invalid group count: expected 5, found {hyphens + 1}"
    for group in range(4):
        if bounds[group] != _GROUP_STARTS[group + 1] - 1:
            found = bounds[group] - _GROUP_STARTS[group]
            return f"invalid group length in group {group}: expected {_GROUP_LENGTHS[group]}, found {found}"
    return f"invalid group length in group 4: expected 12, found {size - _GROUP_STARTS[4]}"


def uuid_string() -> Check:
    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if not isinstance(value, str):
            return error(
                errors, "uuid_type", loc, "UUID input should be a string, bytes or UUID object", value
            )
        parsed = parse_uuid(value)
        if parsed is None:
            reason = uuid_error_text(value)
            return error(
                errors,
                "uuid_parsing",
                loc,
                f"Input should be a valid UUID, {reason}",
                value,
                {"error": reason},
            )
        return parsed

    return check


# -- containers ------------------------------------------------------------------------------------------


def nullable(inner: Check) -> Check:
    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        return None if value is None else inner(value, loc, errors)

    return check


def string_map(max_items: int) -> Check:
    """`dict[str, str]` with at most `max_items` pairs (counted only once every value is valid)."""
    item = string()

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if not isinstance(value, dict):
            return error(errors, "dict_type", loc, "Input should be a valid dictionary", value)
        before = len(errors)
        result = {key: item(v, (*loc, key), errors) for key, v in value.items()}
        if len(errors) > before:
            return BAD
        if len(result) > max_items:
            return error(
                errors,
                "too_long",
                loc,
                f"Dictionary should have at most {max_items} items after validation, not more",
                value,
                {"field_type": "Dictionary", "max_length": max_items, "actual_length": None},
            )
        return result

    return check


def list_of(inner: Check) -> Check:
    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if not isinstance(value, list):
            return error(errors, "list_type", loc, "Input should be a valid list", value)
        before = len(errors)
        result = [inner(v, (*loc, i), errors) for i, v in enumerate(value)]
        return BAD if len(errors) > before else result

    return check


@dataclass(frozen=True)
class Field:
    name: str
    check: Check
    required: bool = False
    default: Any = None


NOT_AN_OBJECT = "Input should be a valid dictionary or object to extract fields from"


def model(fields: Sequence[Field], *, partial: bool = False, skip: frozenset[str] = frozenset()) -> Check:
    """A pydantic model with `extra="forbid"`: field errors in declaration order, then unknown keys.

    `partial` leaves absent fields out of the result (an update names only what it changes) instead of
    filling in defaults; `skip` names keys checked elsewhere (a discriminator).
    """
    declared = frozenset(f.name for f in fields) | skip

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if not isinstance(value, dict):
            return error(errors, "model_attributes_type", loc, NOT_AN_OBJECT, value)
        before = len(errors)
        result: dict[str, Any] = {}
        for field in fields:
            if field.name in value:
                result[field.name] = field.check(value[field.name], (*loc, field.name), errors)
            elif field.required:
                error(errors, "missing", (*loc, field.name), "Field required", value)
            elif not partial:
                result[field.name] = field.default
        for key, extra in value.items():
            if key not in declared:
                error(errors, "extra_forbidden", (*loc, key), "Extra inputs are not permitted", extra)
        return BAD if len(errors) > before else result

    return check


def tagged(tag_field: str, variants: Mapping[str, Check]) -> Check:
    """A discriminated union of models; the result starts with the tag, as the variant models declare it."""
    expected = ", ".join(f"'{tag}'" for tag in variants)

    def check(value: Any, loc: Loc, errors: Errors) -> Any:
        if not isinstance(value, dict):
            return error(errors, "model_attributes_type", loc, NOT_AN_OBJECT, value)
        if tag_field not in value:
            return error(
                errors,
                "union_tag_not_found",
                loc,
                f"Unable to extract tag using discriminator '{tag_field}'",
                value,
                {"discriminator": f"'{tag_field}'"},
            )
        tag = value[tag_field]
        variant = variants.get(tag) if isinstance(tag, str) else None
        if variant is None:
            return error(
                errors,
                "union_tag_invalid",
                loc,
                f"Input tag '{tag}' found using '{tag_field}' does not match any of the expected tags: "
                + expected,
                value,
                {"discriminator": f"'{tag_field}'", "tag": str(tag), "expected_tags": expected},
            )
        fields = variant(value, (*loc, tag), errors)
        return BAD if fields is BAD else {tag_field: tag, **fields}

    return check


def validate(check: Check, value: Any, loc: Loc) -> Any:
    """Run `check`; raise `Invalid` with every error found."""
    errors: Errors = []
    result = check(value, loc, errors)
    if errors:
        raise Invalid(errors)
    return result


# -- bodies ------------------------------------------------------------------------------------------------


class Unparsable(Exception):
    """A body FastAPI fails to read at all (bad UTF-8, nesting too deep): its 400."""


def is_json_content_type(content_type: str | None) -> bool:
    """FastAPI parses the body as JSON when there is no content type, or application/json or */*+json."""
    if not content_type:
        return True
    main = content_type.partition(";")[0].strip().lower()
    kind, _, subtype = main.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def decode_slowly(body: bytes, content_type: str | None) -> Any:
    """The body as FastAPI sees it, for the error path: json.loads, with FastAPI's errors.

    Returns None for an empty body (FastAPI: the body is missing), the raw text for a non-JSON content
    type (which then fails model validation), or the decoded document. Strings holding lone surrogates
    could not be stored, so such a body is unparsable too.
    """
    if not body:
        return None
    if not is_json_content_type(content_type):
        return body.decode("utf-8", "replace")
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise Invalid(
            [
                {
                    "type": "json_invalid",
                    "loc": ["body", exc.pos],
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": exc.msg},
                }
            ]
        ) from None
    except (ValueError, RecursionError) as exc:  # bad UTF-8, integers too long, nesting too deep
        raise Unparsable from exc
    try:
        _encoder.encode(data)
    except (UnicodeEncodeError, RecursionError, OverflowError, TypeError, ValueError) as exc:
        raise Unparsable from exc
    return data


_encoder = msgspec.json.Encoder()


def body(check: Check, data: Any) -> Any:
    """Validate a decoded body (None when missing) as FastAPI does for a single body model."""
    if data is None:
        raise Invalid([{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}])
    return validate(check, data, ("body",))
