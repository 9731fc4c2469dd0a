"""The provider interface: one request in, one completion (text and tokens) out.

A provider sends one prompt and returns the model's text and the tokens it was billed for. It
retries what is worth retrying (timeouts, connection errors, 429, 5xx) under the project's one
retry policy (:mod:`elinara.agent.sources.http`, through :mod:`.retry`) and turns everything else
into a typed error:

- :class:`ProviderUnavailable`: the provider stayed down (the tries or the time ran out);
- :class:`ProviderRejected`: retrying cannot help (bad key, unknown model, quota exhausted, a
  request it refuses).

Parsing and validating the text is the caller's job (:mod:`.prompt`): a provider knows nothing of
verdicts.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from elinara.agent.llm.retry import RetryPolicy, Transient, call_with_retries
from elinara.errors import ConfigError, SourceError

RejectKind = Literal["auth", "model", "quota", "request"]


class LlmError(SourceError):
    """A provider failed for good; the judge keeps the offline verdicts (or fails the run)."""

    def __init__(self, message: str, provider: str) -> None:
        super().__init__(message)
        self.provider = provider


class ProviderUnavailable(LlmError):
    """The provider kept failing (timeouts, 429, 5xx) until the retries ran out."""


class ProviderRejected(LlmError):
    """The provider refused in a way retrying cannot fix."""

    def __init__(self, message: str, provider: str, kind: RejectKind) -> None:
        super().__init__(message, provider)
        self.kind = kind


class MissingKey(ConfigError):
    """No API key is configured for the provider; ``variable`` is what to set."""

    def __init__(self, message: str, variable: str) -> None:
        super().__init__(message)
        self.variable = variable


@dataclass(frozen=True)
class LlmRequest:
    """One prompt: instructions, the input, and the JSON Schema the answer must follow."""

    system: str
    user: str
    schema: dict[str, Any]
    schema_name: str = "verdicts"


@dataclass(frozen=True)
class Completion:
    """The model's text and what it was billed for."""

    text: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    model: str


@dataclass
class ProviderConfig:
    """What building a provider takes (resolved by :mod:`.providers` from the settings)."""

    name: str  # offline | openai | gemini | deepseek | ...
    label: str  # "OpenAI"
    model: str
    api_key: str = field(repr=False)
    key_variable: str  # the environment variable to name in messages (never the key itself)
    base_url: str
    timeout: float
    policy: RetryPolicy
    json_mode: str = "json_schema"  # json_schema | json_object | prompt (OpenAI-compatible)
    sleep: Callable[[float], Any] = time.sleep


class Provider(ABC):
    """One LLM behind one model. ``complete`` is safe to call from several threads at once."""

    def __init__(self, config: ProviderConfig) -> None:
        self.config = config

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def model(self) -> str:
        return self.config.model

    @property
    def endpoint(self) -> str:
        """The URL requests go to, for messages (no key in it)."""
        return self.config.base_url

    def complete(self, request: LlmRequest) -> Completion:
        """Send ``request``, retrying transient failures; raise :class:`LlmError` for good."""
        return call_with_retries(
            lambda: self._send(request),
            policy=self.config.policy,
            url=self.endpoint,
            what=f"{self.config.label} API",
            provider=self.name,
            sleep=self.config.sleep,
            unavailable=ProviderUnavailable,
        )

    @abstractmethod
    def _send(self, request: LlmRequest) -> Completion:
        """One try: a completion, or :class:`Transient` (worth retrying), or
        :class:`ProviderRejected`."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    # -- messages shared by the implementations ----------------------------------------------
    def rejected(self, status: int, kind: RejectKind, detail: str) -> ProviderRejected:
        label, model, variable = self.config.label, self.config.model, self.config.key_variable
        if self.config.api_key:  # a provider may echo (part of) the key: never pass it on
            detail = detail.replace(self.config.api_key, "***")
        detail = _short(detail)
        if kind == "auth":  # its message often quotes the key, masked or not: left out
            text = (
                f"{label} refused the API key ({status}); check {variable} "
                "(or the config file's [llm] table)."
            )
        elif kind == "model":
            text = (
                f"{label} does not know the model {model!r} ({status}: {detail}); choose another "
                f"with --model or the agent's llm_model, or check the base URL {self.endpoint}."
            )
        elif kind == "quota":
            text = (
                f"{label} says the quota of the key in {variable} is exhausted ({status}: "
                f"{detail}); check the plan and billing, or set a budget."
            )
        else:
            text = f"{label} refused the request ({status}: {detail})."
        return ProviderRejected(text, self.name, kind)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = [
    "Completion",
    "LlmError",
    "LlmRequest",
    "MissingKey",
    "Provider",
    "ProviderConfig",
    "ProviderRejected",
    "ProviderUnavailable",
    "Transient",
]
