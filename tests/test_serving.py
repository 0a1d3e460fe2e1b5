"""The gateway's HTTP serving path: one write per response (CoalescingHttpToolsProtocol) must deliver
exactly what stock uvicorn delivers: small, large and streamed bodies, keep-alive, pipelining, close."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from gateway.http import CoalescingHttpToolsProtocol, JSONResponse

BIG = bytes(range(256)) * 20_000  # 5 MB: more than the transport's write buffer


async def small(request: Request) -> Response:
    return JSONResponse({"n": int(request.query_params.get("n", "0"))})


async def big(request: Request) -> Response:
    return Response(BIG, media_type="application/octet-stream")


async def stream(request: Request) -> Response:
    async def chunks() -> AsyncIterator[bytes]:
        for k in range(50):
            yield b"chunk %d;" % k
            await asyncio.sleep(0)

    return StreamingResponse(chunks(), media_type="text/plain")


async def echo(request: Request) -> Response:
    return Response(await request.body())


APP = Starlette(
    routes=[
        Route("/small", small),
        Route("/big", big),
        Route("/stream", stream),
        Route("/echo", echo, methods=["POST"]),
    ]
)


@contextlib.contextmanager
def serving() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(APP, http=CoalescingHttpToolsProtocol, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.01)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


def test_bodies_of_every_kind_arrive_whole_over_one_connection() -> None:
    with serving() as port, httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        for n in range(50):  # keep-alive: one connection, many responses
            assert client.get("/small", params={"n": n}).json() == {"n": n}
        response = client.get("/big")
        assert response.content == BIG and response.headers["content-length"] == str(len(BIG))
        assert client.get("/stream").text == "".join(f"chunk {k};" for k in range(50))
        assert client.post("/echo", content=BIG).content == BIG
        closing = client.get("/small", params={"n": 7}, headers={"connection": "close"})
        assert closing.json() == {"n": 7}  # written before the server closed the connection


def test_pipelined_requests_get_their_responses_in_order() -> None:
    with serving() as port, socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(
            b"".join(b"GET /small?n=%d HTTP/1.1\r\nHost: x\r\n\r\n" % n for n in range(5))
            + b"GET /small?n=5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    assert received.count(b"HTTP/1.1 200 OK") == 6
    bodies = [part.split(b"\r\n\r\n", 1)[1][:8] for part in received.split(b"HTTP/1.1 ")[1:]]
    assert bodies == [b'{"n":%d}' % n for n in range(6)]
