"""Fake OpenAI and Gemini APIs: real HTTP servers on 127.0.0.1 that answer from a queue.

    from fakes.llm import FakeOpenAI, FakeGemini

    with FakeOpenAI() as api:                 # api.base_url -> ELINARA_OPENAI_BASE_URL
        api.rate_limit(1, retry_after=0.2)    # then a 429 with Retry-After, then normal answers
        ...
        api.requests                          # the JSON bodies received, in order

They speak the wire format the real SDKs expect, closely enough for ``openai`` and
``google-genai`` to talk to them unmodified:

- OpenAI: ``POST {base}/chat/completions`` (``/v1/chat/completions`` too) answering a
  ``chat.completion`` with ``usage`` tokens; errors as ``{"error": {message, type, code}}``.
- Gemini: ``POST /v1beta/models/{model}:generateContent`` answering ``candidates`` with
  ``usageMetadata``; errors as ``{"error": {code, message, status}}``.

A normal answer judges every pair of the prompt: the prompt's user message is the JSON the judge
sends (``{"companies", "calls", "pairs"}``) and ``verdict_for(pair)`` gives each verdict (by
default eligible, score 77, and a reasoning starting with ``FAKE``). The queue (``queue``,
``fail_times``, ``rate_limit``, ``malformed``, ``slow_once``, ``bad_key``, ``unknown_model``,
``quota_exhausted``) replaces the next answers; ``fail_forever`` and ``delay`` hold until reset.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from fakes.base import LoopbackHTTP, LoopbackServer

Pair = dict[str, Any]
NOTICE_PROMPT = "Notice of call "
NOTICE_FIELDS = (
    "regions",
    "subregions",
    "municipalities",
    "geography_clause",
    "beneficiaries",
    "beneficiaries_clause",
    "sizes",
    "sizes_clause",
    "cae_included",
    "cae_included_clause",
    "cae_excluded",
    "cae_excluded_clause",
)

# Every variable a provider key may come from: tests clear them all, so a developer's own keys
# never reach a test (nor a provider).
KEY_VARIABLES = (
    "OPENAI_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "DEEPSEEK_API_KEY",
    "DASHSCOPE_API_KEY",
    "QWEN_API_KEY",
    "MOONSHOT_API_KEY",
    "KIMI_API_KEY",
    "XAI_API_KEY",
    "GROK_API_KEY",
    "ANTHROPIC_API_KEY",
)


def default_verdict(pair: Pair) -> dict[str, Any]:
    return {
        "nif": pair["nif"],
        "aviso_id": pair["aviso_id"],
        "eligible": True,
        "match_score": 77,
        "reasoning": f"FAKE judge: {pair['nif']} suits {pair['aviso_id']}.",
    }


@dataclass
class Reply:
    """One canned answer. ``content`` is the model's text of a 200 (None: judge the pairs);
    ``body`` replaces the whole HTTP body (for errors and broken answers)."""

    status: int = 200
    content: str | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "application/json"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, as from a real server

    def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        path = urlsplit(self.path).path
        status, payload, headers, content_type = self.server.fake._handle(
            path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
            pass


class _FakeLlm(LoopbackHTTP):
    """What both fakes share: the queue of answers and the record of requests."""

    handler_class = _Handler

    def __init__(
        self,
        verdict_for: Callable[[Pair], dict[str, Any]] = default_verdict,
        delay: float = 0.0,
        notice_for: Callable[[str], dict[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self.verdict_for = verdict_for
        # A notice-reading prompt ("Notice of call CODE: ...") is answered with every criterion
        # null but those ``notice_for(user text)`` gives.
        self.notice_for = notice_for or (lambda text: {})
        self.delay = delay  # seconds before every answer
        self.received: list[Received] = []
        self._queue: deque[Reply] = deque()
        self._forever: Reply | None = None
        self._lock = threading.Lock()
        self._counter = 0
        self._in_flight = 0
        self.max_in_flight = 0  # the most requests it was answering at once

    # --- what was asked -----------------------------------------------------------------------
    @property
    def requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.body for r in self.received]

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self.received)

    def notices_asked(self, bodies: list[dict[str, Any]] | None = None) -> list[str]:
        """The codes of the notices the requests asked to read, in order."""
        found = []
        for body in self.requests if bodies is None else bodies:
            text = self._user_text(body)
            if text.startswith(NOTICE_PROMPT):
                found.append(text[len(NOTICE_PROMPT) :].split(":", 1)[0])
        return found

    def pairs_asked(self) -> list[list[Pair]]:
        """The pairs of every request, in order (a request that was not a judge prompt: [])."""
        return [self._pairs(body) for body in self.requests]

    # --- the queue ----------------------------------------------------------------------------
    def queue(self, reply: Reply, times: int = 1) -> None:
        with self._lock:
            self._queue.extend([reply] * times)

    def fail_times(self, times: int = 1, status: int = 500) -> None:
        self.queue(self._error(status, "server_error", "The server had an error."), times)

    def fail_forever(self, status: int = 500) -> None:
        self._forever = self._error(status, "server_error", "The server had an error.")

    def rate_limit(self, times: int = 1, retry_after: float | str = 1) -> None:
        reply = self._error(429, "rate_limit_exceeded", "Rate limit reached.")
        reply.headers["Retry-After"] = str(retry_after)
        self.queue(reply, times)

    def malformed(self, times: int = 1, content: str = "Sure! Here are the verdicts: [{") -> None:
        """HTTP 200 whose model text is not the JSON asked for."""
        self.queue(Reply(content=content), times)

    def slow_once(self, seconds: float, times: int = 1) -> None:
        """The next answers come after ``seconds`` (normal answers otherwise)."""
        self.queue(Reply(delay=seconds), times)

    def bad_key(self) -> None:
        self.queue(self._error(401, "invalid_api_key", "Incorrect API key provided."))

    def unknown_model(self) -> None:
        self.queue(self._error(404, "model_not_found", "The model does not exist."))

    def quota_exhausted(self) -> None:
        self.queue(self._error(429, "insufficient_quota", "You exceeded your current quota."))

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self._forever = None
            self.delay = 0.0

    # --- answering ----------------------------------------------------------------------------
    def _next_reply(self) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        return self._forever or Reply()

    def _handle(
        self, path: str, headers: dict[str, str], body: dict[str, Any]
    ) -> tuple[int, bytes, dict[str, str], str]:
        model = self._route(path, body)
        if model is None:
            return (
                404,
                b'{"error": {"message": "no such route", "code": 404}}',
                {},
                "application/json",
            )
        with self._lock:
            self.received.append(Received(path, headers, body))
            self._counter += 1
            number = self._counter
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            return self._answer(model, number, body)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _answer(
        self, model: str, number: int, body: dict[str, Any]
    ) -> tuple[int, bytes, dict[str, str], str]:
        reply = self._next_reply()
        wait = self.delay + reply.delay
        if wait:
            self.stopping.wait(wait)
        if reply.body is not None:
            return reply.status, reply.body, reply.headers, reply.content_type
        content = reply.content
        if content is None and self.notices_asked([body]):
            content = json.dumps(
                {**dict.fromkeys(NOTICE_FIELDS), **self.notice_for(self._user_text(body))},
                ensure_ascii=False,
            )
        if content is None:
            verdicts = [self.verdict_for(pair) for pair in self._pairs(body)]
            content = json.dumps({"verdicts": verdicts}, ensure_ascii=False)
        prompt_tokens = max(1, len(json.dumps(body, ensure_ascii=False)) // 4)
        completion_tokens = max(1, len(content) // 4)
        payload = self._success(model, number, content, prompt_tokens, completion_tokens)
        return 200, json.dumps(payload).encode(), reply.headers, "application/json"

    # --- per API ------------------------------------------------------------------------------
    def _route(self, path: str, body: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def _user_text(self, body: dict[str, Any]) -> str:
        raise NotImplementedError

    def _pairs(self, body: dict[str, Any]) -> list[Pair]:
        try:
            return list(json.loads(self._user_text(body))["pairs"])
        except (ValueError, KeyError, TypeError, IndexError):
            return []

    def _error(self, status: int, code: str, message: str) -> Reply:
        raise NotImplementedError

    def _success(
        self, model: str, number: int, content: str, prompt_tokens: int, completion_tokens: int
    ) -> dict[str, Any]:
        raise NotImplementedError


class FakeOpenAI(_FakeLlm):
    """The OpenAI chat completions API (and every OpenAI-compatible one)."""

    @property
    def base_url(self) -> str:
        """What ``ELINARA_OPENAI_BASE_URL`` (or another compatible provider's) points at."""
        return self.root_url + "/v1"

    def _route(self, path: str, body: dict[str, Any]) -> str | None:
        if path.rstrip("/").endswith("/chat/completions"):
            return str(body.get("model") or "")
        return None

    def _user_text(self, body: dict[str, Any]) -> str:
        users = [m for m in body.get("messages", []) if m.get("role") == "user"]
        content = users[-1]["content"]
        if isinstance(content, list):  # content parts
            return "".join(part.get("text", "") for part in content)
        return str(content)

    def _error(self, status: int, code: str, message: str) -> Reply:
        kind = {401: "invalid_request_error", 404: "invalid_request_error"}.get(status, code)
        body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
        return Reply(status=status, body=json.dumps(body).encode())

    def _success(
        self, model: str, number: int, content: str, prompt_tokens: int, completion_tokens: int
    ) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-fake-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": "fp_fake",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


_GEMINI_PATH = re.compile(r"^/v1beta/models/([^/:]+):generateContent$")
_GEMINI_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class FakeGemini(_FakeLlm):
    """The Gemini API's ``generateContent``."""

    @property
    def base_url(self) -> str:
        """What ``ELINARA_GEMINI_BASE_URL`` points at (the SDK adds ``/v1beta/models/...``)."""
        return self.root_url

    def _route(self, path: str, body: dict[str, Any]) -> str | None:
        found = _GEMINI_PATH.match(path)
        return found.group(1) if found else None

    def _user_text(self, body: dict[str, Any]) -> str:
        contents = body.get("contents", [])
        return "".join(part.get("text", "") for part in contents[-1].get("parts", []))

    def bad_key(self) -> None:
        """What Gemini really answers to a wrong key: 400 INVALID_ARGUMENT, API_KEY_INVALID."""
        body = {
            "error": {
                "code": 400,
                "message": "API key not valid. Please pass a valid API key.",
                "status": "INVALID_ARGUMENT",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "API_KEY_INVALID",
                        "domain": "googleapis.com",
                    }
                ],
            }
        }
        self.queue(Reply(status=400, body=json.dumps(body).encode()))

    def quota_exhausted(self) -> None:
        body = {
            "error": {
                "code": 429,
                "message": "You exceeded your current quota, please check your plan and billing.",
                "status": "RESOURCE_EXHAUSTED",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                        "violations": [
                            {"quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"}
                        ],
                    }
                ],
            }
        }
        self.queue(Reply(status=429, body=json.dumps(body).encode()))

    def _error(self, status: int, code: str, message: str) -> Reply:
        body = {
            "error": {
                "code": status,
                "message": message,
                "status": _GEMINI_STATUS.get(status, "UNKNOWN"),
            }
        }
        return Reply(status=status, body=json.dumps(body).encode())

    def _success(
        self, model: str, number: int, content: str, prompt_tokens: int, completion_tokens: int
    ) -> dict[str, Any]:
        return {
            "candidates": [
                {
                    "content": {"role": "model", "parts": [{"text": content}]},
                    "finishReason": "STOP",
                    "index": 0,
                }
            ],
            "usageMetadata": {
                "promptTokenCount": prompt_tokens,
                "candidatesTokenCount": completion_tokens,
                "totalTokenCount": prompt_tokens + completion_tokens,
            },
            "modelVersion": model,
            "responseId": f"fake-{number}",
        }
