"""FastAPI + Pydantic v2 request validation as Aegra 0.11.0 answers it, for the error path.

Aegra's 422s are FastAPI's: `{"detail": [{"type", "loc", "msg", "input", "ctx"?}, ...]}`, one entry
per invalid field in model field order (not only the first), with Pydantic's lax coercions applied
to what passes ("5" → 5, 5.0 → 5, true → 1, " 7 " → 7). The request path first tries a strict msgspec
decode (`dialects.aegra.requests`); only what that refuses comes here, so nothing here is hot.

The rules were checked against pydantic 2.14.3 / pydantic-core 2.50.4 (what Aegra 0.11.0 runs) and
are cross-checked by tests/test_aegra_validation.py whenever pydantic is importable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

Loc = tuple[str | int, ...]
ErrorDict = dict[str, Any]

# Unicode White_Space: what Rust's `str::trim` strips and what its regex `\s` matches (pydantic-core
# is Rust). Python's `str.isspace` also counts U+001C..U+001F, which Rust does not.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_NON_SPACE = re.compile(f"[^{WHITE_SPACE}]")
# pydantic-core's str → int: optional sign, ASCII digits with single underscores between them, and
# an optional fraction made only of zeros ("5.00" → 5).
_INT_TEXT = re.compile(r"([+-]?)([0-9](?:_?[0-9])*)(?:\.0+)?")
MAX_INT_DIGITS = 4300  # Python's int-from-string limit, which pydantic-core also enforces
I64_BOUND = 2.0**63

TRUE_WORDS = frozenset({"1", "on", "t", "true", "y", "yes"})
FALSE_WORDS = frozenset({"0", "off", "f", "false", "n", "no"})

MISSING = object()


class Invalid(Exception):
    """A request that fails validation; `errors` are the FastAPI `detail` entries."""

    def __init__(self, errors: list[ErrorDict]) -> None:
        super().__init__(errors)
        self.errors = errors


def error(type_: str, loc: Loc, msg: str, value: Any, ctx: dict[str, Any] | None = None) -> ErrorDict:
    out: ErrorDict = {"type": type_, "loc": list(loc), "msg": msg, "input": value}
    if ctx is not None:
        out["ctx"] = ctx
    return out


def missing(loc: Loc, value: Any = None) -> ErrorDict:
    return error("missing", loc, "Field required", value)


# -- field types -----------------------------------------------------------------------------------------


class Kind:
    """One field type: `check` returns the coerced value, or raises `Invalid` with its errors."""

    def check(self, value: Any, loc: Loc) -> Any:
        raise NotImplementedError


class Str(Kind):
    def __init__(
        self, *, min_length: int | None = None, max_length: int | None = None, non_blank: bool = False
    ) -> None:
        self.min_length = min_length
        self.max_length = max_length
        self.non_blank = non_blank  # Field(pattern=r"\S")

    def check(self, value: Any, loc: Loc) -> Any:
        if type(value) is not str:
            raise Invalid([error("string_type", loc, "Input should be a valid string", value)])
        if self.min_length is not None and len(value) < self.min_length:
            n = self.min_length
            raise Invalid(
                [
                    error(
                        "string_too_short",
                        loc,
                        f"String should have at least {n} character{'' if n == 1 else 's'}",
                        value,
                        {"min_length": n},
                    )
                ]
            )
        if self.max_length is not None and len(value) > self.max_length:
            n = self.max_length
            raise Invalid(
                [
                    error(
                        "string_too_long",
                        loc,
                        f"String should have at most {n} character{'' if n == 1 else 's'}",
                        value,
                        {"max_length": n},
                    )
                ]
            )
        if self.non_blank and _NON_SPACE.search(value) is None:
            raise Invalid(
                [
                    error(
                        "string_pattern_mismatch",
                        loc,
                        "String should match pattern '\\S'",
                        value,
                        {"pattern": "\\S"},
                    )
                ]
            )
        return value


class Dict(Kind):
    def check(self, value: Any, loc: Loc) -> Any:
        if type(value) is not dict:
            raise Invalid([error("dict_type", loc, "Input should be a valid dictionary", value)])
        return value


def parse_int(value: Any, loc: Loc) -> int:
    """Pydantic's lax int: bools, integral floats inside int64, and decimal strings."""
    kind = type(value)
    if kind is int:
        return value
    if kind is bool:
        return int(value)
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise Invalid([error("finite_number", loc, "Input should be a finite number", value)])
        if not value.is_integer():
            raise Invalid(
                [
                    error(
                        "int_from_float",
                        loc,
                        "Input should be a valid integer, got a number with a fractional part",
                        value,
                    )
                ]
            )
        if abs(value) >= I64_BOUND:
            raise Invalid([_int_size(loc, value)])
        return int(value)
    if kind is str:
        match = _INT_TEXT.fullmatch(value.strip(WHITE_SPACE))
        if match is None:
            raise Invalid(
                [
                    error(
                        "int_parsing",
                        loc,
                        "Input should be a valid integer, unable to parse string as an integer",
                        value,
                    )
                ]
            )
        sign, digits = match.groups()
        digits = digits.replace("_", "")
        if len(digits) > MAX_INT_DIGITS:
            raise Invalid([_int_size(loc, value)])
        return -int(digits) if sign == "-" else int(digits)
    raise Invalid([error("int_type", loc, "Input should be a valid integer", value)])


def _int_size(loc: Loc, value: Any) -> ErrorDict:
    return error(
        "int_parsing_size", loc, "Unable to parse input string as an integer, exceeded maximum size", value
    )


class Int(Kind):
    def __init__(self, *, ge: int | None = None, le: int | None = None) -> None:
        self.ge = ge
        self.le = le

    def check(self, value: Any, loc: Loc) -> Any:
        number = parse_int(value, loc)
        if self.ge is not None and number < self.ge:
            raise Invalid(
                [
                    error(
                        "greater_than_equal",
                        loc,
                        f"Input should be greater than or equal to {self.ge}",
                        value,
                        {"ge": self.ge},
                    )
                ]
            )
        if self.le is not None and number > self.le:
            raise Invalid(
                [
                    error(
                        "less_than_equal",
                        loc,
                        f"Input should be less than or equal to {self.le}",
                        value,
                        {"le": self.le},
                    )
                ]
            )
        return number


class Literal(Kind):
    def __init__(self, *values: str) -> None:
        self.values = values
        quoted = [repr(v) for v in values]
        self.expected = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"

    def check(self, value: Any, loc: Loc) -> Any:
        if type(value) is str and value in self.values:
            return value
        raise Invalid(
            [
                error(
                    "literal_error",
                    loc,
                    f"Input should be {self.expected}",
                    value,
                    {"expected": self.expected},
                )
            ]
        )


def parse_bool(text: str, loc: Loc) -> bool:
    """Pydantic's str → bool (query strings): a fixed set of words, case-insensitive, no trimming."""
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise Invalid(
        [error("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", text)]
    )


def parse_bool_or_int(text: str, loc: Loc) -> bool | int:
    """`bool | int` in smart mode for a query string: the bool words win ("0" → False), then ints."""
    try:
        return parse_bool(text, loc)
    except Invalid as as_bool:
        try:
            return parse_int(text, loc)
        except Invalid as as_int:
            errors = [*as_bool.errors, *as_int.errors]
            errors[0]["loc"].append("bool")
            errors[1]["loc"].append("int")
            raise Invalid(errors) from None


# -- models ------------------------------------------------------------------------------------------------


class Field:
    def __init__(self, name: str, kind: Kind, *, required: bool = False, nullable: bool = True) -> None:
        self.name = name
        self.kind = kind
        self.required = required
        self.nullable = nullable


class Model:
    """A request model: its fields in declaration order (the order of Pydantic's errors)."""

    def __init__(self, fields: Sequence[Field]) -> None:
        self.fields = tuple(fields)

    def check(self, data: Any, loc: Loc = ("body",)) -> dict[str, Any]:
        """The supplied fields, coerced (like `model_dump(exclude_unset=True)`); unknown keys ignored."""
        if type(data) is not dict:
            raise Invalid(
                [
                    error(
                        "model_attributes_type",
                        loc,
                        "Input should be a valid dictionary or object to extract fields from",
                        data,
                    )
                ]
            )
        values: dict[str, Any] = {}
        errors: list[ErrorDict] = []
        for field in self.fields:
            value = data.get(field.name, MISSING)
            if value is MISSING:
                if field.required:
                    errors.append(missing((*loc, field.name), data))
                continue
            if value is None and field.nullable:
                values[field.name] = None
                continue
            try:
                values[field.name] = field.kind.check(value, (*loc, field.name))
            except Invalid as exc:
                errors.extend(exc.errors)
        if errors:
            raise Invalid(errors)
        return values
