"""Counting one LLM call: in the run's usage and in ``store.llm_calls`` (``elinara usage``)."""

from __future__ import annotations

from typing import Any

from elinara.agent.context import RunContext
from elinara.agent.llm.base import Completion
from elinara.agent.llm.prices import Price
from elinara.times import now_iso


def account_call(
    ctx: RunContext,
    completion: Completion,
    price: Price,
    *,
    attempt: int,
    valid: bool,
    prompt_version: str,
    **what: Any,
) -> float:
    """Add one answered call to the run's usage and record it; its cost in USD. ``what``: what
    the call was about (``pairs=N`` for the judge, ``notice=CODE`` for a notice)."""
    cost = price.cost(completion.input_tokens, completion.output_tokens)
    usage = ctx.outcome.usage
    usage["calls"] += 1
    usage["input_tokens"] += completion.input_tokens
    usage["output_tokens"] += completion.output_tokens
    usage["cost_usd"] = round(usage["cost_usd"] + cost, 8)
    plan = ctx.plan
    ctx.store.llm_calls.record(
        {
            "run_id": ctx.run_id,
            "agent_id": plan.agent_id,
            "user_id": plan.user_id,
            "provider": plan.provider,
            "model": plan.model,
            "model_reported": completion.model,
            "input_tokens": completion.input_tokens,
            "output_tokens": completion.output_tokens,
            "latency_ms": round(completion.latency_s * 1000),
            "cost_usd": cost,
            "price_source": price.source,
            **what,
            "attempt": attempt,
            "valid": valid,
            "prompt_version": prompt_version,
            "created_at": now_iso(),
        }
    )
    return cost
