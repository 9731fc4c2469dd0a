"""What the server refuses before any route sees it: bodies over their route's size (counted as
the bytes arrive, chunked or not), JSON nested too deep, and text no store can hold (NUL bytes,
lone surrogates) or no file system can name (over-long names), in the body, the query or the path.

Applied in one place: ``BodyLimit`` wraps the HTTP app (ASGI), ``check_request_text`` runs before
every request and ``check_json`` on every JSON body (``web.json_body``)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from elinara.agent.uploads import check_name
from elinara.errors import BadInput

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

JSON_MAX_BYTES = 1024 * 1024  # every body but an upload's
JSON_MAX_DEPTH = 32  # the deepest body the API takes is a data source list: 5 levels
UPLOAD_PATHS = frozenset({"/api/files", "/api/files/"})
MAX_PAGE = 1000  # the most items one list answer holds (ask again with offset for more)
MAX_CLOUD_ID = 400  # the longest drive file or folder id a route passes on to a provider


def body_limit(method: str, path: str, upload_max_bytes: int) -> int:
    """The largest body a request may send: an upload's limit for ``POST /api/files``, 1 MB
    for anything else."""
    if method == "POST" and path in UPLOAD_PATHS:
        return upload_max_bytes
    return JSON_MAX_BYTES


def _too_large_message(limit: int) -> str:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return f"The request body is too large (at most {size})."


class BodyLimit:
    """ASGI middleware: a request whose declared ``Content-Length`` is over its limit is answered
    413 without reading its body; one that sends more than its limit (chunked, or lying about its
    length) is cut off as the byte that crosses it arrives: the app sees the client gone, the
    client gets 413 and the rest of the body is never read."""

    def __init__(self, app: ASGIApp, upload_max_bytes: int) -> None:
        self.app = app
        self.upload_max_bytes = upload_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope.get("method", "GET"), scope.get("path", ""), self.upload_max_bytes)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _send_413(send, limit)
            return
        received = 0
        refused = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True  # the app drops what it buffered and stops reading
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused and not started:
                return  # the 413 below is the answer
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counting_receive, guarded_send)
        if refused and not started:
            await _send_413(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_413(send: Send, limit: int) -> None:
    payload = json.dumps({"msg": _too_large_message(limit)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


# -- text ------------------------------------------------------------------------------------
def text_problem(text: str) -> str | None:
    """Why a string cannot be taken (a NUL byte, a lone surrogate), or None."""
    if "\x00" in text:
        return "contains a NUL byte"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (a lone surrogate)"
    return None


def check_text(text: str, where: str) -> None:
    problem = text_problem(text)
    if problem:
        raise BadInput(f"{where} {problem}; send plain UTF-8 text.", errors={where: problem})


def check_json(value: Any) -> Any:
    """Walk a decoded JSON body without recursion: refuse nesting deeper than JSON_MAX_DEPTH and
    any key or string that ``text_problem`` refuses. Returns the value unchanged."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "body")]
    while stack:
        item, depth, where = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > JSON_MAX_DEPTH:
                raise BadInput(
                    f"The request body is nested too deep (at most {JSON_MAX_DEPTH} levels).",
                    errors={"body": "nested too deep"},
                )
            prefix = "" if where == "body" else f"{where}."
            if isinstance(item, dict):
                for key, child in item.items():
                    check_text(key, f"{prefix}<key>")
                    stack.append((child, depth + 1, f"{prefix}{key}"))
            else:
                stack.extend((child, depth + 1, f"{prefix}{i}") for i, child in enumerate(item))
        elif isinstance(item, str):
            check_text(item, where)
    return value


def loads(raw: bytes) -> Any:
    """Decode a JSON body: malformed, too deep for the decoder, or holding text no store can keep
    is a BadInput (400), never a 500."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise BadInput(
            f"The request body is nested too deep (at most {JSON_MAX_DEPTH} levels).",
            errors={"body": "nested too deep"},
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise BadInput("The request body is not valid JSON.") from None
    return check_json(value)


def check_request_text(path: str, args: Any, view_args: dict[str, Any] | None) -> None:
    """The path, query values and path values: text a store or a file system can take."""
    check_text(path, "path")
    for key, value in args.items(multi=True):
        check_text(key, "query")
        check_text(value, key)
    for key, value in (view_args or {}).items():
        if isinstance(value, str):
            check_name(value, key)
