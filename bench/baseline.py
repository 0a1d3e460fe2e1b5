"""The physical limit: a bare Starlette app that answers every benchmark route with an assistant.

Same server stack as the gateway (one uvicorn worker, uvloop, httptools, no access log), driven by the
same wrk script as the gateway's GET by id, no storage, no validation: it returns the JSON of a
typical LangSmith assistant (what `GET /langsmith/assistants/{id}` answers for one loaded by
bench/loader.py), encoded by Starlette's own `JSONResponse`, as a bare Starlette app would. Its
requests/s is the denominator of every ratio in bench/RESULTS.md.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PROMPT = "You are support assistant number 4242. Answer briefly and politely."
ASSISTANT = {
    "assistant_id": "6f1d2c3b-9a8e-4f7d-8c6b-5a4e3d2c1b0a",
    "graph_id": "agent",
    "config": {
        "tags": ["bench"],
        "recursion_limit": 25,
        "configurable": {"model": "gpt-4o-mini", "system_prompt": PROMPT},
    },
    "context": {"model": "gpt-4o-mini", "system_prompt": PROMPT},
    "metadata": {"team": "team-242", "env": "prod", "seq": 4242},
    "name": "bench assistant 4242",
    "created_at": "2026-01-01T00:00:04.242000+00:00",
    "updated_at": "2026-01-01T00:00:04.242000+00:00",
    "version": 1,
    "description": "An assistant loaded by the benchmark",
}


async def one(request: Request) -> JSONResponse:
    return JSONResponse(ASSISTANT)


app = Starlette(
    routes=[
        Route("/langsmith/assistants/{assistant_id}", one, methods=["GET"]),
        Route("/healthz", one, methods=["GET"]),
    ]
)
