"""OpenAI and the OpenAI-compatible providers (DeepSeek, Qwen, Kimi, Grok, Anthropic), through the
``openai`` SDK's chat completions.

The JSON mode depends on what the provider supports (``ProviderConfig.json_mode``):
``json_schema`` = Structured Outputs with a strict schema (OpenAI, Grok); ``json_object`` = JSON
mode, the schema being in the prompt (DeepSeek, Qwen, Kimi); ``prompt`` = the schema in the prompt
only (Anthropic's compatible endpoint ignores ``response_format``). Every answer is validated by
the caller anyway.
"""

from __future__ import annotations

import json
import time
from typing import Any

import openai

from elinara.agent.llm.base import Completion, LlmRequest, Provider, ProviderConfig
from elinara.agent.llm.prices import estimate_tokens
from elinara.agent.llm.retry import Transient, retryable

# Reasoning models accept only the default temperature.
_NO_TEMPERATURE = ("o1", "o3", "o4", "gpt-5")


class OpenAIProvider(Provider):
    def __init__(self, config: ProviderConfig) -> None:
        super().__init__(config)
        self._client = openai.OpenAI(
            api_key=config.api_key,
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=0,  # the project's retry policy runs the retries (see .retry)
        )

    @property
    def endpoint(self) -> str:
        return self.config.base_url.rstrip("/") + "/chat/completions"

    def _arguments(self, request: LlmRequest) -> dict[str, Any]:
        system = request.system
        if self.config.json_mode != "json_schema":
            system += (
                "\n\nAnswer with one JSON object only, no prose and no code fences, following this "
                "JSON Schema:\n" + json.dumps(request.schema, ensure_ascii=False)
            )
        arguments: dict[str, Any] = {
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": request.user},
            ],
        }
        if not self.config.model.lower().startswith(_NO_TEMPERATURE):
            arguments["temperature"] = 0
        if self.config.json_mode == "json_schema":
            arguments["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": request.schema_name,
                    "strict": True,
                    "schema": request.schema,
                },
            }
        elif self.config.json_mode == "json_object":
            arguments["response_format"] = {"type": "json_object"}
        return arguments

    def _send(self, request: LlmRequest) -> Completion:
        arguments = self._arguments(request)
        started = time.monotonic()
        try:
            reply = self._client.chat.completions.create(**arguments)
        except openai.APITimeoutError as exc:
            raise Transient("timed out", timeout=True) from exc
        except openai.APIConnectionError as exc:
            cause = exc.__cause__ or exc
            raise Transient(f"{type(cause).__name__}: {cause}") from exc
        except openai.APIStatusError as exc:
            raise self._classify(exc) from exc
        latency = time.monotonic() - started
        text = ""
        if reply.choices:
            message = reply.choices[0].message
            text = message.content or ""
        usage = reply.usage
        input_tokens = usage.prompt_tokens if usage else 0
        output_tokens = usage.completion_tokens if usage else 0
        if not input_tokens:  # a server that reports no usage is still not free
            input_tokens = estimate_tokens(request.system + request.user)
        if not output_tokens:
            output_tokens = estimate_tokens(text)
        return Completion(text, input_tokens, output_tokens, latency, reply.model or self.model)

    def _classify(self, exc: openai.APIStatusError) -> Exception:
        status = exc.status_code
        code = str(getattr(exc, "code", "") or "")
        detail = _message(exc)
        if status == 429 and code == "insufficient_quota":
            return self.rejected(status, "quota", detail)
        if retryable(status):
            headers = {"Retry-After": exc.response.headers.get("retry-after", "")}
            return Transient(f"answered {status}", status=status, headers=headers)
        if status in (401, 403):
            return self.rejected(status, "auth", detail)
        if status == 404:
            return self.rejected(status, "model", detail)
        return self.rejected(status, "request", detail)

    def close(self) -> None:
        self._client.close()


def _message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if body.get("message"):
            return str(body["message"])
    return exc.message
