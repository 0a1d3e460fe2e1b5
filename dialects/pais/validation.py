"""PAIS's validation rules on top of the shared FastAPI + pydantic v2 emulation (dialects.fastapi).

PAIS is a FastAPI application, so a bad request gets 422 `{"detail": [{"type", "loc", "msg", "input",
"ctx"?}, ...]}` with one item per problem. msgspec stops at the first problem, so the request path decodes
with msgspec (wire.py) and only a body msgspec refuses comes here; the checkers accept what pydantic's
lax mode accepts, so such a body may still be valid. tests/test_pais_validation.py compares every message
with pydantic itself. What is PAIS's own:
- uuids (`tool_id`, `index_id`) as pydantic reads them, with the uuid crate's wording of a refusal;
- its FastAPI reads a body with no Content-Type as JSON, and takes a JSON `null` body for a missing one
  (as FastAPI 0.115 does, before `strict_content_type` and the `Undefined` body sentinel);
- a body holding a string the store cannot hold (a lone surrogate) is unparsable (400), as is one too
  deeply nested;
- non-finite numbers (`NaN`, `Infinity`, `1e400`) are refused as `finite_number` (wire.py uses
  `number()`): a FastAPI server declaring plain `float` accepts them and then fails to serialise its
  answer (a 500).
"""

from __future__ import annotations

from typing import Any

import msgspec

from dialects import fastapi as f
from dialects.fastapi import Check, Errors, Loc, Unparsable

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
            return f.error(
                errors, "uuid_type", loc, "UUID input should be a string, bytes or UUID object", value
            )
        parsed = parse_uuid(value)
        if parsed is None:
            reason = uuid_error_text(value)
            return f.error(
                errors,
                "uuid_parsing",
                loc,
                f"Input should be a valid UUID, {reason}",
                value,
                {"error": reason},
            )
        return parsed

    return check


# -- bodies ------------------------------------------------------------------------------------------------

_encoder = msgspec.json.Encoder()


def is_json_content_type(content_type: str | None) -> bool:
    """FastAPI reads the body as JSON with no content type, or an application/json or */*+json one."""
    return f.json_content(content_type, strict=False)


def decode_slowly(raw: bytes, content_type: str | None) -> Any:
    """The body as FastAPI hands it to validation, for the error path (see `dialects.fastapi.parse_body`).

    Raises `Invalid` (json_invalid) or `Unparsable`, also for strings holding lone surrogates, which could
    not be stored.
    """
    data = f.parse_body(raw, is_json_content_type(content_type))
    if data is f.NO_BODY or type(data) is bytes:
        return data
    try:
        _encoder.encode(data)
    except (UnicodeEncodeError, RecursionError, OverflowError, TypeError, ValueError) as exc:
        raise Unparsable from exc
    return data


def body(check: Check, data: Any) -> Any:
    """Validate a decoded body as PAIS's FastAPI does for a single body model (null is a missing body)."""
    return f.body(check, data, null_is_missing=True)
