"""PAIS 422s word for word as FastAPI + pydantic v2 would send them, with pydantic itself as the oracle.

The models below restate PAIS's documented request schemas in pydantic (the way a FastAPI server
declares them). Every body and query in the sweep goes to the gateway over HTTP; the 422 detail must
equal pydantic's errors (FastAPI leaves out `url` and prefixes `body` / `query`), and a body pydantic
accepts must be accepted. pydantic is installed with the openai SDK.
"""

from __future__ import annotations

import enum
import json
import random
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import httpx
import msgspec
import pytest
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from dialects.pais import validation
from dialects.pais.wire import CREATE_CHECK, CREATE_DECODER, UPDATE_CHECK, UPDATE_DECODER, values_of
from tests.conftest import SettingsFactory, in_process

MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct"
API = "/pais/api/v1/compatibility/openai/v1"
TOOL = "6d1f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"

Positive = Annotated[int, Field(gt=0)]
Finite = Annotated[float, Field(allow_inf_nan=False)]


class Forbid(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReferenceFormat(enum.StrEnum):
    structured = "structured"
    markdown = "markdown"


class InstructionMode(enum.StrEnum):
    system_message = "system-message"
    prompt_prefix = "prompt-prefix"


class GenericToolLink(Forbid):
    link_type: Literal["GENERIC_MCP_TOOL_LINK"]
    tool_id: uuid.UUID


class SearchToolLink(Forbid):
    link_type: Literal["PAIS_KNOWLEDGE_BASE_INDEX_SEARCH_TOOL_LINK"]
    tool_id: uuid.UUID
    top_n: Positive | None = None
    similarity_cutoff: Finite | None = None


ToolLink = Annotated[GenericToolLink | SearchToolLink, Field(discriminator="link_type")]


class AgentCreateRequest(Forbid):
    name: Annotated[str, Field(max_length=256)] | None = None
    description: Annotated[str, Field(max_length=512)] | None = None
    instructions: Annotated[str, Field(max_length=32768)] | None = None
    session_max_ttl: Positive | None = None
    completion_role: str | None = None
    tools: list[ToolLink] | None = None
    index_id: uuid.UUID | None = None
    index_top_n: Positive | None = None
    index_similarity_cutoff: Finite | None = None
    index_reference_format: ReferenceFormat | None = None
    index_reference_delimiter: str | None = None
    session_max_length: Positive
    session_summarization_strategy: str
    metadata: Annotated[dict[str, str], Field(max_length=16)] | None = None
    model: Annotated[str, Field(max_length=128)]
    chat_system_instruction_mode: InstructionMode | None = None


class AgentUpdateRequest(Forbid):
    name: Annotated[str, Field(max_length=256)] | None = None
    description: Annotated[str, Field(max_length=512)] | None = None
    instructions: Annotated[str, Field(max_length=32768)] | None = None
    session_max_ttl: Positive | None = None
    completion_role: str | None = None
    tools: list[ToolLink] | None = None
    index_id: uuid.UUID | None = None
    index_top_n: Positive | None = None
    index_similarity_cutoff: Finite | None = None
    index_reference_format: ReferenceFormat | None = None
    index_reference_delimiter: str | None = None
    session_max_length: Positive | None = None
    session_summarization_strategy: str | None = None
    metadata: Annotated[dict[str, str], Field(max_length=16)] | None = None
    model: Annotated[str, Field(max_length=128)] | None = None
    chat_system_instruction_mode: InstructionMode | None = None


class ListQuery(BaseModel):
    after: str | None = None
    before: str | None = None
    limit: Annotated[int, Field(gt=0, lt=1000)] = 100
    offset: Annotated[int, Field(ge=0, le=4294967296)] = 0
    order: Literal["asc", "desc"] = "asc"
    set_num_objects: bool = False
    name: str | None = None
    index_id: str | None = None
    knowledge_base_id: str | None = None


def oracle(model: type[BaseModel], data: Any, prefix: str) -> tuple[list[dict[str, Any]], Any]:
    """pydantic's verdict as FastAPI reports it: (errors, normalized values)."""
    try:
        parsed = TypeAdapter(model).validate_python(data, from_attributes=True)
    except ValidationError as exc:
        errors = json.loads(json.dumps(exc.errors(include_url=False), default=str))
        for item in errors:
            item["loc"] = [prefix, *item["loc"]]
        return errors, None
    dumped = parsed.model_dump(mode="json")
    if model is AgentUpdateRequest:  # an update names only some fields
        dumped = {k: v for k, v in dumped.items() if k in parsed.model_fields_set}
    return [], dumped


BASE = {"model": MODEL, "session_max_length": 100, "session_summarization_strategy": "delete_oldest"}

ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    7.0,
    7.5,
    1e20,
    1e300,
    10**30,
    "5",
    " 7 ",
    "1_000",
    "5.00",
    "x",
    "",
    "a" * 257,
    "a" * 513,
    [],
    {},
    [1],
    {"a": 1},
    {"a": "b"},
    "structured",
    "markdown",
    "plain",
    "system-message",
    "prompt-prefix",
    TOOL,
    TOOL.upper(),
    "{" + TOOL + "}",
    "urn:uuid:" + TOOL,
    TOOL.replace("-", ""),
    TOOL[:-1],
    "é",
]

TOOLS_VALUES: list[Any] = [
    [{"link_type": "GENERIC_MCP_TOOL_LINK", "tool_id": TOOL}],
    [{"link_type": "PAIS_KNOWLEDGE_BASE_INDEX_SEARCH_TOOL_LINK", "tool_id": TOOL}],
    [
        {
            "link_type": "PAIS_KNOWLEDGE_BASE_INDEX_SEARCH_TOOL_LINK",
            "tool_id": TOOL,
            "top_n": 5,
            "similarity_cutoff": 0.7,
        }
    ],
    [
        {
            "link_type": "PAIS_KNOWLEDGE_BASE_INDEX_SEARCH_TOOL_LINK",
            "tool_id": TOOL,
            "top_n": 0,
            "similarity_cutoff": "a",
        }
    ],
    [{"link_type": "GENERIC_MCP_TOOL_LINK", "tool_id": "x", "top_n": 1}],
    [{"link_type": "GENERIC_MCP_TOOL_LINK"}],
    [{"link_type": "NOPE", "tool_id": TOOL}],
    [{"link_type": 5}],
    [{"link_type": None}],
    [{"tool_id": TOOL}],
    [1, "x", [], None],
    [
        {"link_type": "GENERIC_MCP_TOOL_LINK", "tool_id": TOOL},
        {"link_type": "GENERIC_MCP_TOOL_LINK", "tool_id": 5},
    ],
]

METADATA_VALUES: list[Any] = [
    {str(i): "v" for i in range(16)},
    {str(i): "v" for i in range(17)},
    {**{str(i): "v" for i in range(17)}, "0": 1},
    {"a": 1, "b": None, "c": "ok", "d": ["x"]},
    {"": ""},
]


def create_cases() -> Iterator[Any]:
    yield BASE
    yield {}
    yield {"name": 5}
    yield {**BASE, "unknown": 1, "temperature": 0.5}
    for field in AgentCreateRequest.model_fields:
        without = {k: v for k, v in BASE.items() if k != field}
        if without != BASE:
            yield without
        for value in ODD_VALUES:
            yield {**BASE, field: value}
    for tools in TOOLS_VALUES:
        yield {**BASE, "tools": tools}
    for metadata in METADATA_VALUES:
        yield {**BASE, "metadata": metadata}
    yield from ([], "text", 5, True)


def update_cases() -> Iterator[Any]:
    yield {}
    yield {"unknown": None}
    for field in AgentUpdateRequest.model_fields:
        for value in ODD_VALUES:
            yield {field: value}
    for tools in TOOLS_VALUES:
        yield {"tools": tools}
    for metadata in METADATA_VALUES:
        yield {"metadata": metadata}
    yield {"name": 5, "session_max_length": 0, "metadata": {"a": 1}, "zz": 1}
    yield from ([], "text", 5, True)


@pytest.fixture
def pais(make_settings: SettingsFactory) -> Iterator[httpx.Client]:
    with in_process(make_settings(), f"http://testserver{API}") as client:
        yield client


def assert_matches_oracle(response: httpx.Response, errors: list[dict[str, Any]], body: Any, ok: int) -> None:
    if errors:
        assert response.status_code == 422, (body, response.text[:300])
        assert response.json() == {"detail": errors}, body
    elif isinstance(body, dict) and isinstance(body.get("model"), str) and body["model"] != MODEL:
        assert response.status_code == 404, (body, response.text[:300])
        assert response.json() == {"detail": "Endpoint with requested model does not exist"}
    else:
        assert response.status_code == ok, (body, response.text[:300])


def test_create_errors_match_pydantic(pais: httpx.Client) -> None:
    for body in create_cases():
        errors, _ = oracle(AgentCreateRequest, body, "body")
        assert_matches_oracle(pais.post("/assistants", content=json.dumps(body)), errors, body, 201)


def test_update_errors_match_pydantic(pais: httpx.Client) -> None:
    created = pais.post("/agents", json=BASE)
    assert created.status_code == 201
    aid = created.json()["id"]
    for body in update_cases():
        errors, _ = oracle(AgentUpdateRequest, body, "body")
        assert_matches_oracle(pais.post(f"/agents/{aid}", content=json.dumps(body)), errors, body, 200)


def test_non_finite_numbers_are_refused_like_finite_floats(pais: httpx.Client) -> None:
    # A FastAPI server accepts them for floats and then cannot serialise its answer; the gateway refuses
    # them as pydantic's allow_inf_nan=False does. JSON cannot echo them, so the input shows as null.
    for text in ("NaN", "Infinity", "-Infinity", "1e400"):
        raw = json.dumps(BASE)[:-1] + f', "index_similarity_cutoff": {text}, "index_top_n": {text}}}'
        errors, _ = oracle(AgentCreateRequest, json.loads(raw), "body")
        assert [e["type"] for e in errors] == ["finite_number", "finite_number"]
        response = pais.post("/agents", content=raw)
        assert response.status_code == 422
        assert response.json() == {"detail": [{**e, "input": None} for e in errors]}


QUERY_VALUES = [
    "",
    "0",
    "1",
    "5",
    " 5 ",
    "999",
    "1000",
    "-1",
    "1.0",
    "1.5",
    "x",
    "true",
    "yes",
    "off",
    "maybe",
]
QUERY_VALUES += ["asc", "desc", "ASC", "4294967296", "4294967297", "9" * 40, "9" * 4300, "9" * 4301]


def test_list_query_errors_match_pydantic(pais: httpx.Client) -> None:
    for name in ("limit", "offset", "order", "set_num_objects"):
        for value in QUERY_VALUES:
            errors, _ = oracle(ListQuery, {name: value}, "query")
            response = pais.get("/agents", params={name: value})
            assert_matches_oracle(response, errors, {name: value}, 200)
    many = {"limit": "0", "offset": "-1", "order": "up", "set_num_objects": "maybe"}
    errors, _ = oracle(ListQuery, many, "query")
    response = pais.get("/assistants", params=many)
    assert response.status_code == 422
    assert response.json() == {"detail": errors}
    assert [e["loc"][1] for e in errors] == ["limit", "offset", "order", "set_num_objects"]


def number_texts() -> list[str]:
    """Text where a number is expected: pydantic-core's cleaning rules and their quirks ("0-1" is -1), the
    4300-digit limit with and without padding, Rust's float syntax, and a seeded sweep of mixtures."""
    texts = ["0-1", "00_5", "0__5", "+5", "-0", "+-1", "-_1", " 0_9", "1_.5", "\u00a01.5", "\u20035", "5\x1c"]
    texts += ["1.", ".5", "1e5", "1E+2", "inf", "-Infinity", "nan", "0x10", "1_000.000", "00.00_0", "٣"]
    for pad in ("", " ", "0" * 10, "-", "+"):
        for digits in (4300, 4301):
            texts += [pad + "1" * digits, pad + "1" * digits + ".0", "0" * 5000 + "1", "1" * digits + "x"]
    rng = random.Random(11)
    pieces = ["0", "00", "1", "9", "_", "-", "+", " ", ".", ".0", "e", "inf", "\t", "\u00a0", "x"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(150)]
    return texts


def test_numbers_in_text_match_pydantic(pais: httpx.Client) -> None:
    for text in number_texts():
        for name in ("limit", "offset"):
            query = {name: text, "name": "no such agent"}  # small pages
            errors, _ = oracle(ListQuery, query, "query")
            assert_matches_oracle(pais.get("/agents", params=query), errors, query, 200)
        body = {**BASE, "session_max_length": text, "index_similarity_cutoff": text}
        errors, _ = oracle(AgentCreateRequest, body, "body")
        assert_matches_oracle(pais.post("/agents", content=json.dumps(body)), errors, body, 201)


def test_fast_and_slow_paths_agree_with_pydantic_on_valid_bodies() -> None:
    """msgspec's one-pass decode and the error-path checkers produce the same values as pydantic."""
    valid_creates = [b for b in create_cases() if not oracle(AgentCreateRequest, b, "body")[0]]
    valid_updates = [b for b in update_cases() if not oracle(AgentUpdateRequest, b, "body")[0]]
    assert len(valid_creates) > 50 and len(valid_updates) > 50
    for model, check, decoder, bodies in (
        (AgentCreateRequest, CREATE_CHECK, CREATE_DECODER, valid_creates),
        (AgentUpdateRequest, UPDATE_CHECK, UPDATE_DECODER, valid_updates),
    ):
        for body in bodies:
            _, expected = oracle(model, body, "body")
            slow = validation.body(check, body)
            assert slow == expected, body
            try:
                fast = values_of(decoder.decode(json.dumps(body).encode()))
            except msgspec.DecodeError:
                continue  # lax input (e.g. "5" for an integer): only the checkers accept it
            assert fast == expected, body


def test_uuid_messages_match_pydantic() -> None:
    adapter = TypeAdapter(uuid.UUID)
    rng = random.Random(7)
    alphabet = "0123456789abcdefABCDEF----{}urn:uuid:xé Z"
    samples = [
        "",
        "x",
        "{x}",
        "urn:uuid:x",
        "a" * 50,
        TOOL,
        TOOL.upper(),
        "{" + TOOL + "}",
        "urn:uuid:" + TOOL,
    ]
    for _ in range(3000):
        if rng.random() < 0.3:
            samples.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50))))
            continue
        chars = list(rng.choice([TOOL, "{" + TOOL + "}", "urn:uuid:" + TOOL, TOOL.replace("-", "")]))
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(chars))
            op = rng.random()
            if op < 0.33:
                del chars[i]
            elif op < 0.66:
                chars.insert(i, rng.choice(alphabet))
            else:
                chars[i] = rng.choice(alphabet)
        samples.append("".join(chars))
    for text in samples:
        try:
            expected, reason = str(adapter.validate_python(text)), None
        except ValidationError as exc:
            expected, reason = None, exc.errors()[0]["ctx"]["error"]
        assert validation.parse_uuid(text) == expected, text
        if expected is None:
            assert validation.uuid_error_text(text) == reason, text
