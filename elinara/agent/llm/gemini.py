"""Gemini through ``google-genai``: a JSON answer constrained by a response schema.

The SDK's retries are off (no ``retry_options``); its errors are sorted here: 5xx, 408 and rate
limits are retried under the project's policy (a ``Retry-After`` header or the error's
``RetryInfo.retryDelay`` is honoured), a bad key (400 ``API_KEY_INVALID``, 401, 403), an unknown
model (404) and an exhausted daily quota are not.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from elinara.agent.llm.base import Completion, LlmRequest, Provider, ProviderConfig
from elinara.agent.llm.prices import estimate_tokens
from elinara.agent.llm.retry import Transient, retryable

_TYPES = {
    "object": "OBJECT",
    "array": "ARRAY",
    "string": "STRING",
    "integer": "INTEGER",
    "number": "NUMBER",
    "boolean": "BOOLEAN",
}
_SECONDS = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


def gemini_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema (the subset the judge uses) in Gemini's OpenAPI-style ``Schema`` form."""
    out: dict[str, Any] = {}
    if "type" in schema:
        out["type"] = _TYPES[schema["type"]]
    for key in ("description", "minimum", "maximum", "enum"):
        if key in schema:
            out[key] = schema[key]
    if "properties" in schema:
        out["properties"] = {k: gemini_schema(v) for k, v in schema["properties"].items()}
        out["property_ordering"] = list(schema["properties"])
    if "required" in schema:
        out["required"] = list(schema["required"])
    if "items" in schema:
        out["items"] = gemini_schema(schema["items"])
    return out


class GeminiProvider(Provider):
    def __init__(self, config: ProviderConfig) -> None:
        super().__init__(config)
        self._client = genai.Client(
            api_key=config.api_key,
            http_options=types.HttpOptions(
                base_url=config.base_url,
                api_version="v1beta",
                timeout=max(1, int(config.timeout * 1000)),  # milliseconds
            ),
        )

    @property
    def endpoint(self) -> str:
        return f"{self.config.base_url.rstrip('/')}/v1beta/models/{self.model}:generateContent"

    def _send(self, request: LlmRequest) -> Completion:
        config = types.GenerateContentConfig(
            system_instruction=request.system,
            response_mime_type="application/json",
            response_schema=gemini_schema(request.schema),
            temperature=0,
        )
        started = time.monotonic()
        try:
            reply = self._client.models.generate_content(
                model=self.model, contents=request.user, config=config
            )
        except genai_errors.APIError as exc:
            raise self._classify(exc) from exc
        except Exception as exc:
            kinds = {cls.__name__ for cls in type(exc).__mro__}
            if "TimeoutException" in kinds:
                raise Transient("timed out", timeout=True) from exc
            if "TransportError" in kinds or isinstance(exc, OSError):
                raise Transient(f"{type(exc).__name__}: {exc}") from exc
            raise
        latency = time.monotonic() - started
        try:
            text = reply.text or ""
        except ValueError:  # no usable candidate (blocked)
            text = ""
        meta = reply.usage_metadata
        input_tokens = (meta.prompt_token_count or 0) if meta else 0
        output_tokens = 0
        if meta:  # a thinking model bills its thoughts as output
            output_tokens = (meta.candidates_token_count or 0) + (meta.thoughts_token_count or 0)
        if not input_tokens:
            input_tokens = estimate_tokens(request.system + request.user)
        if not output_tokens:
            output_tokens = estimate_tokens(text)
        return Completion(text, input_tokens, output_tokens, latency, self.model)

    def _classify(self, exc: genai_errors.APIError) -> Exception:
        status = int(exc.code or 0)
        details = json.dumps(exc.details, ensure_ascii=False, default=str)
        message = exc.message or str(exc)
        if "API_KEY_INVALID" in details or status in (401, 403):
            return self.rejected(status, "auth", message)
        if status == 429 and "PerDay" in details:
            return self.rejected(status, "quota", message)
        if retryable(status):
            wait = _retry_after(exc)
            headers = {"Retry-After": wait} if wait else {}
            return Transient(f"answered {status}", status=status, headers=headers)
        if status == 404:
            return self.rejected(status, "model", message)
        return self.rejected(status, "request", message)

    def close(self) -> None:
        self._client.close()


def _retry_after(exc: genai_errors.APIError) -> str:
    """The wait the server asks for: a ``Retry-After`` header, else ``RetryInfo.retryDelay``."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is not None:
        value = headers.get("retry-after")
        if value:
            return str(value)
    error = exc.details.get("error", {}) if isinstance(exc.details, dict) else {}
    for detail in error.get("details", []) if isinstance(error, dict) else []:
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("RetryInfo"):
            found = _SECONDS.match(str(detail.get("retryDelay", "")))
            if found:
                return found.group(1)
    return ""
