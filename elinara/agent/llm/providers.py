"""The providers elinara knows: keys, base URLs, default models, and building one.

``offline`` (no LLM) is the default. ``openai`` uses Structured Outputs (a strict JSON schema),
``gemini`` a response schema; the OpenAI-compatible providers go through the ``openai`` SDK with
their own base URL and key variable, each with the strongest JSON mode it supports.

Keys come from the provider's usual environment variable(s) or the config file's ``[llm]`` table
(``openai_api_key = "..."``), in that order. Base URLs come from the settings
(``ELINARA_<PROVIDER>_BASE_URL``), which also points a provider at a local server (Ollama, vLLM,
a test fake). A key is never printed: messages name the variable to set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from elinara.agent.llm.base import MissingKey, Provider, ProviderConfig
from elinara.agent.llm.registry import OFFLINE, PROVIDERS, SPECS, ProviderSpec
from elinara.agent.llm.retry import RetryPolicy
from elinara.config import Settings
from elinara.errors import BadInput

if TYPE_CHECKING:
    from elinara.agent.inputs import RunPlan


def spec_of(name: str) -> ProviderSpec:
    try:
        return SPECS[name.lower()]
    except KeyError:
        raise BadInput(
            f"Unknown provider {name!r}; choose one of {', '.join(PROVIDERS)}."
        ) from None


def label_of(name: str) -> str:
    spec = SPECS.get(name.lower())
    return spec.label if spec else name


def api_key(
    settings: Settings, spec: ProviderSpec, environ: Mapping[str, str] | None = None
) -> str:
    """The provider's key: its usual environment variables first, then ``[llm]`` in the file."""
    env = os.environ if environ is None else environ
    for variable in spec.key_variables:
        value = env.get(variable, "").strip()
        if value:
            return value
    table = (settings.values.get("extra") or {}).get("llm") or {}
    value = table.get(spec.config_key) if isinstance(table, dict) else None
    return str(value).strip() if value else ""


def missing_key_message(spec: ProviderSpec) -> str:
    others = [v for v in spec.key_variables[1:]]
    also = f" (or {', '.join(others)})" if others else ""
    return (
        f"No API key for {spec.label}: set {spec.key_variable}{also}, or {spec.config_key} in "
        "the config file's [llm] table."
    )


def require_key(settings: Settings, name: str) -> None:
    """Raise :class:`MissingKey` (one line naming the variable) when ``name`` has no key."""
    if name.lower() == OFFLINE:
        return
    spec = spec_of(name)
    if not api_key(settings, spec):
        raise MissingKey(missing_key_message(spec), spec.key_variable)


def settle_provider(plan: RunPlan, settings: Settings) -> str | None:
    """Decide the provider a run judges with, before its first event (docs/api.md, Agent settings).

    Fills in the provider's default model, and falls back to ``offline`` (model "") when the
    provider is unknown or has no key, returning the note the run must show. A dry run needs no
    key: it calls nothing.
    """
    name = (plan.provider or OFFLINE).strip().lower()
    plan.provider = name
    if name == OFFLINE:
        return None
    spec = SPECS.get(name)
    if spec is None:
        plan.provider, plan.model = OFFLINE, ""
        return f"Unknown provider {name!r}: matching with the offline matcher instead."
    if not plan.model:
        plan.model = spec.default_model
    if plan.dry_run or api_key(settings, spec):
        return None
    plan.provider, plan.model = OFFLINE, ""
    return missing_key_message(spec) + " Matching with the offline matcher instead."


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        retries=int(settings.llm_retries),
        base_delay=float(settings.llm_backoff_seconds),
        max_delay=float(settings.llm_backoff_max_seconds),
        max_total=float(settings.llm_retry_max_seconds),
    )


def provider_config(
    settings: Settings,
    name: str,
    model: str = "",
    sleep: Callable[[float], Any] | None = None,
) -> ProviderConfig:
    """Everything needed to build provider ``name``; :class:`MissingKey` without a key."""
    spec = spec_of(name)
    key = api_key(settings, spec)
    if not key:
        raise MissingKey(missing_key_message(spec), spec.key_variable)
    config = ProviderConfig(
        name=spec.name,
        label=spec.label,
        model=model or spec.default_model,
        api_key=key,
        key_variable=spec.key_variable,
        base_url=str(getattr(settings, spec.base_url_setting)).strip(),
        timeout=float(settings.llm_timeout),
        policy=retry_policy(settings),
        json_mode=spec.json_mode,
    )
    if sleep is not None:
        config.sleep = sleep
    return config


def make_provider(
    settings: Settings, name: str, model: str = "", sleep: Callable[[float], Any] | None = None
) -> Provider:
    """Build provider ``name`` (imports its SDK now, not before)."""
    config = provider_config(settings, name, model, sleep)
    if spec_of(name).sdk == "gemini":
        from elinara.agent.llm.gemini import GeminiProvider

        return GeminiProvider(config)
    from elinara.agent.llm.openai_compat import OpenAIProvider

    return OpenAIProvider(config)
