"""x-api-key → identity, as tests/test_aegra_auth.py expects."""

from langgraph_sdk import Auth

auth = Auth()
USERS = {"alice-key": "alice", "bob-key": "bob"}


@auth.authenticate
async def authenticate(headers: dict) -> dict:
    key = headers.get("x-api-key")
    if key is None:
        raise Auth.exceptions.HTTPException(status_code=401, detail="Authentication required")
    if key not in USERS:
        raise Auth.exceptions.HTTPException(status_code=401, detail="Invalid API key")
    return {"identity": USERS[key]}
