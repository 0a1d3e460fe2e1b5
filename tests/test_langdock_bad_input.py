"""A sweep of hostile input against every Langdock route: never a 500, never a half-written row.

The in-process client re-raises any server exception, so a crash fails the test before the status
code is even looked at. Row and version counts are read through /langsmith, which sees every
assistant of the tenant.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import SettingsFactory, in_process

MB_STRING = "x" * (1024 * 1024)

MALFORMED_BODIES: list[bytes] = [
    b"",
    b"{",
    b"not json",
    b"{} trailing",
    b'{"a": NaN}',
    b'{"creativity": 1e400}',
    b"\xff\xfe",
    b'{"a": "\\ud800"}',
    b"[" * 5000 + b"]" * 5000,
    b"\xef\xbb\xbf{}",
]

WRONG_VALUES: dict[str, list[Any]] = {
    "name": [None, 1, True, [], {}, "", "n" * 256, MB_STRING],
    "description": [1, [], {}, "d" * 257],
    "emoji": [1, False, ["🤖"], {}],
    "instruction": [1, [], "i" * 16385],
    "inputType": [None, "prompt", "", 1, ["PROMPT"], "STRUCTURED\u0000"],
    "model": [None, 1, [], "unknown-model", "' OR 1=1 --", MB_STRING],
    "creativity": [None, "0.5", -0.01, 1.01, 10**30, -(10**30), True, [0.5]],
    "conversationStarters": [None, "a", [1], [None], [["a"]], {"0": "a"}],
    "actions": [
        None,
        {},
        [None],
        ["action-uuid"],
        [{}],
        [{"actionId": ""}],
        [{"actionId": 1}],
        [{"actionId": "a", "requiresConfirmation": "yes"}],
        [{"actionId": "a", "requiresConfirmation": None}],
    ],
    "inputFields": [
        None,
        [None],
        [{}],
        [{"type": "TEXT", "label": "l"}],
        [{"type": "TEXT", "label": "l", "order": -1}],
        [{"type": "TEXT", "label": "l", "order": 1.5}],
        [{"type": "TEXT", "label": "l", "order": "1"}],
        [{"type": "MULTI_SELECT", "label": "l", "order": 0}],
        [{"type": "text", "label": "l", "order": 0}],
        [{"type": "TEXT", "label": None, "order": 0}],
        [{"type": "TEXT", "label": "l", "order": 0, "options": "a"}],
        [{"type": "TEXT", "label": "l", "order": 0, "options": [1]}],
        [{"type": "FILE", "label": "l", "order": 0, "fileTypes": "pdf"}],
        [{"type": "TEXT", "label": "l", "order": 0, "required": "true"}],
        [{"type": "TEXT", "label": "l", "order": 0, "slug": 5}],
        [{"type": "TEXT", "label": "l", "order": 0, "slug": None}],
        [{"type": "TEXT", "label": 5, "order": 0}],
        [{"type": "TEXT", "label": "l", "order": 0, "description": 5}],
        [{"type": "SELECT", "label": "l", "order": 0, "options": None}],
        [{"type": "FILE", "label": "l", "order": 0, "fileTypes": [1]}],
        [{"type": None, "label": "l", "order": 0}],
        [{"type": "TEXT", "label": "l", "order": 10**400}],
        "[]",
    ],
    "attachments": [None, "x", ["x"], [1], [str(uuid.uuid4())], ["' OR 1=1 --"], [str(uuid.uuid4()) + "0"]],
    "webSearch": [None, "true", 1, 0],
    "imageGeneration": [None, "false"],
    "dataAnalyst": [None, 1],
    "canvas": [None, []],
    "extendedThinking": [None, "yes"],
}

BAD_IDS: list[Any] = [
    None,
    1,
    [],
    {},
    "",
    "not-a-uuid",
    "' OR 1=1 --",
    "%00",
    "\u0000",
    "x" * 5000,
    "12345678-1234-1234-1234-12345678901",
    "3c90c3cc0d444b5088888dd25736052a",
    "urn:uuid:3c90c3cc-0d44-4b50-8888-8dd25736052a",
    str(uuid.uuid4()),  # well formed, unknown
]


def assert_message_error(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    body = response.json()
    assert isinstance(body, dict) and list(body) == ["message"], body
    message = body["message"]
    assert (isinstance(message, str) and message) or (
        isinstance(message, list)
        and message
        and all(isinstance(i, dict) and {"code", "path", "message"} <= i.keys() for i in message)
    ), body


def count_all(client: httpx.Client) -> int:
    url = client.base_url.copy_with(path="/langsmith/assistants/count")
    response = client.post(url, json={})
    assert response.status_code == 200
    return response.json()


def versions_of(client: httpx.Client, assistant_id: str) -> int:
    url = client.base_url.copy_with(path=f"/langsmith/assistants/{assistant_id}/versions")
    return len(client.post(url, json={"limit": 1000}).json())


@pytest.fixture
def target(make_settings: SettingsFactory) -> Iterator[tuple[httpx.Client, dict[str, Any]]]:
    with in_process(make_settings(), "http://testserver/langdock") as client:
        created = client.post(
            "/assistant/v1/create",
            json={
                "name": "sweep",
                "emoji": "🧹",
                "conversationStarters": ["s"],
                "actions": [{"actionId": "a"}],
            },
        )
        assert created.status_code == 201
        yield client, created.json()["assistant"]


def test_malformed_bodies_on_every_json_route(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, shown = target
    before = count_all(client)
    for method, path in (
        ("POST", "/assistant/v1/create"),
        ("PATCH", "/assistant/v1/update"),
        ("PATCH", "/assistant/v1/disable"),
        ("DELETE", "/attachment/v1/delete"),
    ):
        for body in MALFORMED_BODIES:
            response = client.request(
                method, path, content=body, headers={"content-type": "application/json"}
            )
            assert response.status_code == 400, (path, body[:20], response.text[:200])
            if path.startswith("/attachment"):
                assert response.json() == {"message": "Invalid JSON in request body", "errors": []}
            else:
                assert response.json() == {"message": "Invalid JSON in request body"}
    assert count_all(client) == before
    assert versions_of(client, shown["id"]) == 1


def test_non_object_bodies(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, shown = target
    for body in (None, [], "string", 42, True, [{"name": "x"}]):
        for method, path in (
            ("POST", "/assistant/v1/create"),
            ("PATCH", "/assistant/v1/update"),
            ("PATCH", "/assistant/v1/disable"),
        ):
            response = client.request(method, path, content=json.dumps(body))
            assert_message_error(response)
            (issue,) = response.json()["message"]
            assert (issue["code"], issue["expected"], issue["path"]) == ("invalid_type", "object", [])
    assert versions_of(client, shown["id"]) == 1


def test_wrong_create_values_store_nothing(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, _ = target
    before = count_all(client)
    for key, values in WRONG_VALUES.items():
        for value in values:
            body = {"name": "ok", key: value}
            response = client.post("/assistant/v1/create", content=json.dumps(body))
            assert_message_error(response)
    assert count_all(client) == before


def test_wrong_update_values_add_no_version(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, shown = target
    for key, values in WRONG_VALUES.items():
        for value in values:
            body = {"assistantId": shown["id"], key: value}
            response = client.patch("/assistant/v1/update", content=json.dumps(body))
            assert_message_error(response)
    assert versions_of(client, shown["id"]) == 1
    assert client.get("/assistant/v1/get", params={"assistantId": shown["id"]}).json()["assistant"] == shown


def test_every_issue_is_reported_at_once(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, _ = target
    body = {
        "name": "",
        "creativity": 2,
        "inputType": 1,
        "inputFields": [{"type": "TEXT", "order": 1.5}],
        "webSearch": "yes",
    }
    response = client.post("/assistant/v1/create", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "message": [
            {
                "code": "too_small",
                "minimum": 1,
                "type": "string",
                "inclusive": True,
                "exact": False,
                "message": "String must contain at least 1 character(s)",
                "path": ["name"],
            },
            {
                "expected": "'PROMPT' | 'STRUCTURED'",
                "received": "number",
                "code": "invalid_type",
                "path": ["inputType"],
                "message": "Expected 'PROMPT' | 'STRUCTURED', received number",
            },
            {
                "code": "too_big",
                "maximum": 1,
                "type": "number",
                "inclusive": True,
                "exact": False,
                "message": "Number must be less than or equal to 1",
                "path": ["creativity"],
            },
            {
                "code": "invalid_type",
                "expected": "string",
                "received": "undefined",
                "path": ["inputFields", 0, "label"],
                "message": "Required",
            },
            {
                "code": "invalid_type",
                "expected": "integer",
                "received": "float",
                "message": "Expected integer, received float",
                "path": ["inputFields", 0, "order"],
            },
            {
                "code": "invalid_type",
                "expected": "boolean",
                "received": "string",
                "path": ["webSearch"],
                "message": "Expected boolean, received string",
            },
        ]
    }


def test_bad_and_unknown_ids_on_every_route(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, shown = target
    for raw in BAD_IDS:
        for method, path, body in (
            ("PATCH", "/assistant/v1/update", {"assistantId": raw, "name": "x"}),
            ("PATCH", "/assistant/v1/update", {"assistantId": raw}),
            ("PATCH", "/assistant/v1/disable", {"assistantId": raw, "disabled": True}),
        ):
            assert_message_error(client.request(method, path, content=json.dumps(body)))
        if isinstance(raw, str):
            assert_message_error(client.get("/assistant/v1/get", params={"assistantId": raw}))
        response = client.request(
            "DELETE", "/attachment/v1/delete", content=json.dumps({"attachmentId": raw})
        )
        assert 400 <= response.status_code < 500
        assert "message" in response.json()
    assert versions_of(client, shown["id"]) == 1


def test_bad_query_strings_on_get(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, shown = target
    for query in (
        "assistantId",
        "assistantId=&assistantId=",
        "assistantId=%ff%fe",
        "assistantId=%00",
        "assistantid=" + shown["id"],
        "assistantId=" + shown["id"] + "%00",
        "assistantId=" + "%41" * 10000,
    ):
        assert_message_error(client.get("/assistant/v1/get?" + query))


def test_hostile_but_valid_strings_round_trip(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, _ = target
    values = [
        "'; DROP TABLE assistants; --",
        "\u0000nul inside\u0000",
        "emoji 🤖 and RTL \u202e and ZWJ 👩\u200d💻",
        "%s %d {0} ${x} \\u0000 <script>alert(1)</script>",
    ]
    for value in values:
        body = {
            "name": value,
            "description": value,
            "instruction": value,
            "emoji": value,
            "conversationStarters": [value, MB_STRING],
            "actions": [{"actionId": value}],
            "inputFields": [
                {"slug": value, "type": "SELECT", "label": value, "order": 10**30, "options": [value]},
                {"type": "TEXT", "label": value, "order": 0},
            ],
        }
        created = client.post("/assistant/v1/create", json=body)
        assert created.status_code == 201, created.text[:200]
        got = client.get(
            "/assistant/v1/get", params={"assistantId": created.json()["assistant"]["id"]}
        ).json()
        shown = got["assistant"]
        assert (shown["name"], shown["description"], shown["instruction"], shown["emojiIcon"]) == (value,) * 4
        assert shown["conversationStarters"] == [value, MB_STRING]
        assert shown["actions"] == [{"actionId": value, "requiresConfirmation": False}]
        assert shown["inputFields"][0]["order"] == 10**30
        assert shown["inputFields"][0]["slug"] == value
        assert shown["inputFields"][1]["slug"]  # made from the label, never empty


def test_upload_sweep(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, _ = target
    bodies: list[tuple[bytes, str]] = [
        (b"", "multipart/form-data; boundary=x"),
        (b"--x--\r\n", "multipart/form-data; boundary=x"),
        (b"--x\r\nContent-Disposition: form-data\r\n\r\nv\r\n--x--\r\n", "multipart/form-data; boundary=x"),
        (b"garbage", "multipart/form-data; boundary="),
        (b"a=b&file=c", "application/x-www-form-urlencoded"),
        (b"\xff" * 100, "application/octet-stream"),
        (b"x", "multipart/form-data; boundary=" + "b" * 5000),
    ]
    for content, content_type in bodies:
        response = client.post(
            "/attachment/v1/upload", content=content, headers={"content-type": content_type}
        )
        assert response.status_code == 400, (content[:30], content_type[:40], response.text)
        assert response.json() == {"error": "No file provided"}
    many = {f"f{n}": (f"{n}.txt", b"x", "text/plain") for n in range(20)}
    response = client.post("/attachment/v1/upload", files=many)
    assert response.status_code == 400
    hostile = client.post(
        "/attachment/v1/upload",
        files={"file": ("../../etc/passwd\u0000.pdf", b"x", "text/plain; charset=\u00ff")},
    )
    assert hostile.status_code == 200
    assert hostile.json()["file"]["sizeInBytes"] == 1


def test_ids_that_only_look_like_uuids(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    """Zod's uuid regex is JavaScript's: no final newline (Python's `$` would allow one), ASCII only."""
    client, shown = target
    uploaded = client.post("/attachment/v1/upload", files={"file": ("a.txt", b"a", "text/plain")})
    attachment = uploaded.json()["attachmentId"]
    for raw in (
        shown["id"] + "\n",
        shown["id"] + "\r\n",
        "\n" + shown["id"],
        " " + shown["id"],
        shown["id"] + " ",
    ):
        got = client.get("/assistant/v1/get", params={"assistantId": raw})
        assert (got.status_code, got.json()) == (400, {"message": "Invalid assistant ID format"}), repr(raw)
        uuid_issue = {"validation": "uuid", "code": "invalid_string", "message": "Invalid uuid"}
        for method, path, body in (
            ("PATCH", "/assistant/v1/update", {"assistantId": raw, "name": "x"}),
            ("PATCH", "/assistant/v1/disable", {"assistantId": raw, "disabled": True}),
        ):
            response = client.request(method, path, json=body)
            assert response.json() == {"message": [{**uuid_issue, "path": ["assistantId"]}]}, repr(raw)
        as_attachment = client.patch(
            "/assistant/v1/update",
            json={"assistantId": shown["id"], "attachments": [raw.replace(shown["id"], attachment)]},
        )
        assert as_attachment.json() == {"message": [{**uuid_issue, "path": ["attachments", 0]}]}
        deleted = client.request("DELETE", "/attachment/v1/delete", json={"attachmentId": raw})
        assert deleted.status_code == 400
        assert deleted.json()["errors"] == [{**uuid_issue, "path": ["attachmentId"]}]
    for raw in ("\uff13" + shown["id"][1:], shown["id"].replace("-", "\u2010")):  # fullwidth 3, U+2010
        got = client.get("/assistant/v1/get", params={"assistantId": raw})
        assert (got.status_code, got.json()) == (400, {"message": "Invalid assistant ID format"})
    assert client.get("/assistant/v1/get", params={"assistantId": shown["id"]}).json()["assistant"] == shown


def test_numbers_are_read_as_javascript_reads_them(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, _ = target
    before = count_all(client)
    infinite_order = {
        "code": "invalid_type",
        "expected": "integer",
        "received": "float",
        "message": "Expected integer, received float",
        "path": ["inputFields", 0, "order"],
    }
    field = {"type": "TEXT", "label": "l"}
    huge = 10**400  # JSON.parse makes Infinity of it
    for body, issues in (
        ({"inputFields": [{**field, "order": huge}]}, [infinite_order]),
        ({"inputFields": [{**field, "order": -huge}]}, [infinite_order, "too_small"]),
        ({"creativity": huge}, ["too_big"]),
        ({"creativity": -huge}, ["too_small"]),
    ):
        response = client.post("/assistant/v1/create", content=json.dumps({"name": "n", **body}))
        assert response.status_code == 400
        found = response.json()["message"]
        assert [i if i["code"] == "invalid_type" else i["code"] for i in found] == issues
    assert count_all(client) == before
    created = client.post(
        "/assistant/v1/create",
        json={
            "name": "n",
            "creativity": -0.0,
            "inputFields": [{**field, "order": 5.0}, {**field, "order": 1e300}],
        },
    )
    shown = created.json()["assistant"]
    assert (shown["temperature"], math.copysign(1, shown["temperature"])) == (0, 1)  # not -0.0
    orders = [f["order"] for f in shown["inputFields"]]
    assert orders == [5, 1e300] and type(orders[0]) is int  # 1e300 stays a number, not 301 digits
    assert b'"order":1e+300' in created.content or b'"order":1e300' in created.content


def test_content_types_and_nesting_inside_fields(target: tuple[httpx.Client, dict[str, Any]]) -> None:
    client, shown = target
    before = count_all(client)
    invalid = {"message": "Invalid JSON in request body"}
    for kwargs in (
        {"data": {"name": "form"}},
        {"files": {"name": (None, "multipart")}},
        {"content": b'{"name":' + b"[" * 5000 + b"]" * 5000 + b"}"},  # too deep for any parser here
        {"content": '{"name":"x"}'.encode("utf-16")},
    ):
        response = client.post("/assistant/v1/create", **kwargs)
        assert (response.status_code, response.json()) == (400, invalid), kwargs
    assert count_all(client) == before
    # the JSON is what counts, not the declared type (Langdock's parser reads text/plain too)
    plain = client.post(
        "/assistant/v1/create", content=b'{"name":"plain"}', headers={"content-type": "text/plain"}
    )
    assert plain.status_code == 201
    # unknown keys are stripped whatever they hold; known ones are checked element by element
    nested = "[" * 50 + "]" * 50
    stripped = client.post("/assistant/v1/create", content=b'{"name":"n","x":' + nested.encode() + b"}")
    assert stripped.status_code == 201
    deep = client.patch(
        "/assistant/v1/update",
        content=f'{{"assistantId":"{shown["id"]}","conversationStarters":{nested}}}'.encode(),
    )
    assert deep.status_code == 400
    assert [i["path"] for i in deep.json()["message"]] == [["conversationStarters", 0]]
    assert versions_of(client, shown["id"]) == 1
