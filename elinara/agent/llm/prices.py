"""What a call costs: USD per million tokens, input and output, per model.

The built-in table holds list prices as last checked (they change: check your provider's page).
The config file's ``[prices]`` table overrides it, keyed by model or ``provider/model``:

    [prices]
    "gpt-4o-mini" = { input = 0.15, output = 0.60 }
    "openai/my-fine-tune" = { input = 0.30, output = 1.20 }
    "llama3.1" = 0.01            # one number: input and output alike

A model found nowhere costs ``llm_default_price_per_1m_tokens`` for both: never 0, so an unknown
model never looks free and budgets still bite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from elinara.config import Settings
from elinara.errors import ConfigError

# USD per 1M tokens: (input, output).
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
    "o4-mini": (1.10, 4.40),
    "gemini-2.0-flash-lite": (0.075, 0.30),
    "gemini-2.0-flash": (0.10, 0.40),
    "gemini-2.5-flash-lite": (0.10, 0.40),
    "gemini-2.5-flash": (0.30, 2.50),
    "gemini-2.5-pro": (1.25, 10.00),
    "deepseek-chat": (0.27, 1.10),
    "deepseek-reasoner": (0.55, 2.19),
    "qwen-turbo": (0.05, 0.20),
    "qwen-plus": (0.40, 1.20),
    "qwen-max": (1.60, 6.40),
    "moonshot-v1-8k": (0.20, 2.00),
    "moonshot-v1-32k": (1.00, 3.00),
    "kimi-k2": (0.60, 2.50),
    "grok-3-mini": (0.30, 0.50),
    "grok-3": (3.00, 15.00),
    "grok-4": (3.00, 15.00),
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-sonnet-4": (3.00, 15.00),
}


@dataclass(frozen=True)
class Price:
    input_per_1m: float
    output_per_1m: float
    source: str  # config | table | default

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.input_per_1m + output_tokens * self.output_per_1m) / 1e6


def _number(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where} is not a number ({value!r}).") from None
    if not number > 0 or math.isinf(number):
        raise ConfigError(f"{where} must be a price above 0 (USD per million tokens).")
    return number


def _from_config(entry: Any, key: str) -> tuple[float, float]:
    where = f"[prices] {key!r} in the config file"
    if isinstance(entry, dict):
        missing = [k for k in ("input", "output") if k not in entry]
        if missing:
            raise ConfigError(f"{where} needs input and output (USD per million tokens).")
        return _number(entry["input"], where + " input"), _number(
            entry["output"], where + " output"
        )
    both = _number(entry, where)
    return both, both


def _builtin(model: str) -> tuple[float, float] | None:
    """Exact name, else the longest known prefix (``gpt-4o-mini-2024-07-18`` -> ``gpt-4o-mini``)."""
    if model in PRICES:
        return PRICES[model]
    for known in sorted(PRICES, key=len, reverse=True):
        if model.startswith(known):
            return PRICES[known]
    return None


def price_of(settings: Settings, provider: str, model: str) -> Price:
    table = (settings.values.get("extra") or {}).get("prices") or {}
    if not isinstance(table, dict):
        raise ConfigError("[prices] in the config file must be a table of model = price.")
    for key in (f"{provider}/{model}", model):
        if key in table:
            return Price(*_from_config(table[key], key), source="config")
    found = _builtin(model.lower())
    if found is not None:
        return Price(*found, source="table")
    default = float(settings.llm_default_price_per_1m_tokens)
    return Price(default, default, source="default")


def estimate_tokens(text: str) -> int:
    """A rough token count (about 4 characters a token for Portuguese and English text)."""
    return max(1, math.ceil(len(text) / 4))
