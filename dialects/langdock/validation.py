"""Request validation the way Langdock's Zod schemas report it: every issue collected, Zod 3 issue objects.

The OpenAPI file only says a 400 `message` is "a string or an array of objects"; the objects are
taken to be Zod 3 issues (spec §1.3 calls this an inference). Their exact shape, key order included,
is what Zod 3's `makeIssue` builds, for example:

    {"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["name"],
     "message": "Required"}
    {"code": "too_big", "maximum": 255, "type": "string", "inclusive": true, "exact": false,
     "message": "String must contain at most 255 character(s)", "path": ["name"]}
    {"received": "FOO", "code": "invalid_enum_value", "options": ["PROMPT", "STRUCTURED"],
     "path": ["inputType"], "message": "Invalid enum value. Expected 'PROMPT' | 'STRUCTURED', received 'FOO'"}
    {"validation": "uuid", "code": "invalid_string", "message": "Invalid uuid", "path": ["assistantId"]}

Objects are checked key by key in schema order (as Zod walks its shape); unknown keys are stripped,
as a non-strict Zod object does. String lengths count UTF-16 code units, as JavaScript does.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from typing import Any

Issue = dict[str, Any]
Path = tuple[str | int, ...]


class _Invalid:
    """Returned by a checker whose value failed (its issues are already recorded)."""


INVALID: Any = _Invalid()
MISSING: Any = object()

# Zod 3's uuid regex (hyphenated, any case, version nibble not checked). `\Z`, not `$`: Python's `$`
# also matches before a final newline, JavaScript's does not.
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
# Past this, a JSON number is not exact in JavaScript; past the largest double it is Infinity there.
_SAFE_INTEGER = 2**53
_MAX_DOUBLE = sys.float_info.max


def parsed_type(value: Any) -> str:
    """Zod's `getParsedType` for JSON values."""
    if value is MISSING:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def js_length(text: str) -> int:
    """`text.length` in JavaScript: UTF-16 code units (characters beyond the BMP count twice)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def invalid_type(path: Path, expected: str, received: str) -> Issue:
    message = "Required" if received == "undefined" else f"Expected {expected}, received {received}"
    return {
        "code": "invalid_type",
        "expected": expected,
        "received": received,
        "path": list(path),
        "message": message,
    }


def custom(path: Path, message: str) -> Issue:
    return {"code": "custom", "message": message, "path": list(path)}


Checker = Callable[[Any, Path, list[Issue]], Any]


def string(
    *,
    min_length: int | None = None,
    max_length: int | None = None,
    nullable: bool = False,
    uuid: bool = False,
) -> Checker:
    """`z.string()` with `.min()`, `.max()`, `.uuid()` and `.nullable()`."""

    def check(value: Any, path: Path, issues: list[Issue]) -> Any:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            issues.append(invalid_type(path, "string", parsed_type(value)))
            return INVALID
        before = len(issues)
        if min_length is not None or max_length is not None:
            length = js_length(value)
            if min_length is not None and length < min_length:
                issues.append(_size("too_small", "minimum", min_length, "string", path))
            if max_length is not None and length > max_length:
                issues.append(_size("too_big", "maximum", max_length, "string", path))
        if uuid and not UUID_RE.match(value):
            issues.append(
                {
                    "validation": "uuid",
                    "code": "invalid_string",
                    "message": "Invalid uuid",
                    "path": list(path),
                }
            )
        return value if len(issues) == before else INVALID

    return check


def number(*, minimum: float | None = None, maximum: float | None = None, integer: bool = False) -> Checker:
    """`z.number()` with `.int()`, `.min()` and `.max()` (inclusive)."""

    def check(value: Any, path: Path, issues: list[Issue]) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            issues.append(invalid_type(path, "number", parsed_type(value)))
            return INVALID
        if isinstance(value, int) and abs(value) > _MAX_DOUBLE:
            value = math.inf if value > 0 else -math.inf  # what JSON.parse makes of it
        before = len(issues)
        if integer and isinstance(value, float) and not value.is_integer():
            issues.append(
                {
                    "code": "invalid_type",
                    "expected": "integer",
                    "received": "float",
                    "message": "Expected integer, received float",
                    "path": list(path),
                }
            )
        if minimum is not None and value < minimum:
            issues.append(_size("too_small", "minimum", minimum, "number", path))
        if maximum is not None and value > maximum:
            issues.append(_size("too_big", "maximum", maximum, "number", path))
        if len(issues) != before:
            return INVALID
        if isinstance(value, float) and integer and abs(value) < _SAFE_INTEGER:
            return int(value)  # `5.0` is `5`, as JavaScript prints it
        return value + 0  # -0.0 is shown as 0, as JSON.stringify does

    return check


def boolean() -> Checker:
    def check(value: Any, path: Path, issues: list[Issue]) -> Any:
        if not isinstance(value, bool):
            issues.append(invalid_type(path, "boolean", parsed_type(value)))
            return INVALID
        return value

    return check


def enum(*options: str) -> Checker:
    """`z.enum([...])`: a non-string is an `invalid_type`, an unknown string an `invalid_enum_value`."""
    joined = " | ".join(f"'{o}'" for o in options)
    allowed = frozenset(options)

    def check(value: Any, path: Path, issues: list[Issue]) -> Any:
        if not isinstance(value, str):
            received = parsed_type(value)
            issues.append(
                {
                    "expected": joined,
                    "received": received,
                    "code": "invalid_type",
                    "path": list(path),
                    "message": "Required"
                    if received == "undefined"
                    else f"Expected {joined}, received {received}",
                }
            )
            return INVALID
        if value not in allowed:
            issues.append(
                {
                    "received": value,
                    "code": "invalid_enum_value",
                    "options": list(options),
                    "path": list(path),
                    "message": f"Invalid enum value. Expected {joined}, received '{value}'",
                }
            )
            return INVALID
        return value

    return check


def array(item: Checker, *, nullable: bool = False) -> Checker:
    def check(value: Any, path: Path, issues: list[Issue]) -> Any:
        if value is None and nullable:
            return None
        if not isinstance(value, list):
            issues.append(invalid_type(path, "array", parsed_type(value)))
            return INVALID
        out = [item(element, (*path, n), issues) for n, element in enumerate(value)]
        return INVALID if any(v is INVALID for v in out) else out

    return check


class Field:
    """One key of an object schema: its checker, whether it is required, and a default when absent."""

    __slots__ = ("check", "default", "required")

    def __init__(self, check: Checker, *, required: bool = False, default: Any = MISSING) -> None:
        self.check = check
        self.required = required
        self.default = default


def obj(fields: dict[str, Field]) -> Checker:
    """`z.object({...})`: schema order, absent optional ones left out or defaulted, unknown stripped."""

    def check(value: Any, path: Path, issues: list[Issue]) -> Any:
        if not isinstance(value, dict):
            issues.append(invalid_type(path, "object", parsed_type(value)))
            return INVALID
        out: dict[str, Any] = {}
        ok = True
        for key, field in fields.items():
            raw = value.get(key, MISSING)
            if raw is MISSING:
                if field.required:
                    field.check(MISSING, (*path, key), issues)
                    ok = False
                elif field.default is not MISSING:
                    out[key] = field.default() if callable(field.default) else field.default
                continue
            checked = field.check(raw, (*path, key), issues)
            if checked is INVALID:
                ok = False
            else:
                out[key] = checked
        return out if ok else INVALID

    return check


def run(checker: Checker, value: Any) -> tuple[Any, list[Issue]]:
    """The checked value (INVALID on failure) and every issue found."""
    issues: list[Issue] = []
    return checker(value, (), issues), issues


def _size(code: str, bound_key: str, bound: float, kind: str, path: Path) -> Issue:
    if kind == "string":
        relation = "at least" if code == "too_small" else "at most"
        message = f"String must contain {relation} {bound} character(s)"
    else:
        relation = "greater than or equal to" if code == "too_small" else "less than or equal to"
        message = f"Number must be {relation} {bound}"
    return {
        "code": code,
        bound_key: bound,
        "type": kind,
        "inclusive": True,
        "exact": False,
        "message": message,
        "path": list(path),
    }
