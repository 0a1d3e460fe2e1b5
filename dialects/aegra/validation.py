"""Aegra's query parameters as FastAPI + pydantic 2.14.3 read them (the neutral machinery, and Aegra's
request bodies, are in dialects.fastapi and dialects.aegra.requests).

`/subgraphs?recurse=` is a `bool`; `/graph?xray=` is `bool | int` in smart mode, so "0" and "1" come out
as booleans. A bad value is FastAPI's 422 `{"detail": [...]}`, raised as `Invalid`.
"""

from __future__ import annotations

from typing import Any

from dialects.fastapi import Invalid, Loc, bool_or_int, boolean, integer, validate

__all__ = ["Invalid", "parse_bool", "parse_bool_or_int", "parse_int"]

_INT, _BOOL, _BOOL_OR_INT = integer(), boolean(), bool_or_int()


def parse_int(value: Any, loc: Loc) -> int:
    """pydantic's lax int: bools, integral floats inside int64, and decimal text."""
    return validate(_INT, value, loc)


def parse_bool(text: str, loc: Loc) -> bool:
    """pydantic's str → bool: a fixed set of words, case-insensitive, no trimming."""
    return validate(_BOOL, text, loc)


def parse_bool_or_int(text: str, loc: Loc) -> bool | int:
    """`bool | int` in smart mode: the bool words win ("0" → False), then ints."""
    return validate(_BOOL_OR_INT, text, loc)
