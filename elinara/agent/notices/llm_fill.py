"""With an LLM provider, each notice whose parser left criteria unknown is read once by the LLM
(:mod:`.llm_read`), to fill them.

Once per notice: the answer is cached by the notice's content, the provider, the model and the
prompt version (in the store's LLM answer cache, ``store.verdicts``, under ``notice:`` keys), so
an unchanged notice is never sent again. Every call is counted in the run's usage and in
``store.llm_calls``, under the run's budget (``max_calls`` / ``max_cost``). A provider that
fails, a budget that runs out or an answer that stays malformed leaves the parser's criteria as
they are, with a warning: the LLM only ever adds what the parser could not read.
"""

from __future__ import annotations

import dataclasses
import hashlib

from elinara.agent.context import RunContext
from elinara.agent.criteria import Criteria
from elinara.agent.llm.base import LlmError, LlmRequest, Provider
from elinara.agent.llm.prices import Price, estimate_tokens, price_of
from elinara.agent.llm.providers import label_of, make_provider
from elinara.agent.llm.usage import account_call
from elinara.agent.matching.judge import run_budget
from elinara.agent.notices.llm_read import (
    OUTPUT_TOKENS,
    PROMPT_VERSION,
    fill_unknown,
    missing_criteria,
    notice_request,
    parse_criteria,
)
from elinara.agent.notices.read import NoticeResults
from elinara.models import FundingCall


def reading_key(text: str, provider: str, model: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"notice:{PROMPT_VERSION}:{provider}:{model}:{digest}"


def fill_with_llm(
    ctx: RunContext, calls: list[FundingCall], results: NoticeResults
) -> list[FundingCall]:
    """The calls, with what the LLM read of their notices where the parser left criteria
    unknown (see the module docstring)."""
    plan = ctx.plan
    if plan.provider == "offline":
        return calls
    wanted = {
        call.aviso_id: result
        for call in calls
        if (result := results.get(call.aviso_id)) is not None
        and result.text
        and result.criteria is not None
        and missing_criteria(result.criteria)
    }
    if not wanted:
        return calls
    label = label_of(plan.provider)
    keys = {code: reading_key(r.text, plan.provider, plan.model) for code, r in wanted.items()}
    cached = ctx.store.verdicts.get_many(list(keys.values()))
    price = price_of(ctx.settings, plan.provider, plan.model)
    budget = run_budget(ctx)
    usage = ctx.outcome.usage
    provider: Provider | None = None
    readings: dict[str, Criteria] = {}
    stopped = ""
    try:
        for code, result in wanted.items():
            ctx.control.checkpoint()
            hit = cached.get(keys[code])
            if hit is not None:
                readings[code] = Criteria.from_doc(hit["criteria"])
                usage["cached"] += 1
                continue
            request = notice_request(result.text, code)
            estimate = price.cost(estimate_tokens(request.system + request.user), OUTPUT_TOKENS)
            if plan.dry_run:
                ctx.outcome.prompts.append(
                    {
                        "number": len(ctx.outcome.prompts) + 1,
                        "notice": code,
                        "system": request.system,
                        "user": request.user,
                        "estimated_cost_usd": round(estimate, 6),
                    }
                )
                usage["estimated_cost_usd"] = round(
                    usage.get("estimated_cost_usd", 0.0) + estimate, 6
                )
                continue
            stopped = budget.refusal(usage["calls"], usage["cost_usd"], estimate)
            if stopped:
                break
            provider = provider or make_provider(ctx.settings, plan.provider, plan.model)
            read = _ask(ctx, provider, request, code, price)
            if isinstance(read, str):
                ctx.warn(
                    f"{label} did not read the notice of {code}: {read}; its parser's reading stands."
                )
                continue
            readings[code] = read
            ctx.store.verdicts.put(
                keys[code],
                {"criteria": read.to_doc(), "prompt_version": PROMPT_VERSION, "model": plan.model},
            )
    except LlmError as exc:
        stopped = str(exc).rstrip(".")
    finally:
        if provider is not None:
            provider.close()
    if stopped:
        ctx.warn(
            f"{label} stopped reading notices ({stopped}); the notices not read by it keep "
            "the parser's criteria."
        )
    if readings:
        ctx.events.thought(
            f"{label} read {len(readings)} notices to fill what the parser could not read "
            f"({usage['cached']} from the cache)."
        )
    return [
        dataclasses.replace(c, criteria=fill_unknown(c.criteria, readings[c.aviso_id]))
        if c.aviso_id in readings and c.criteria is not None
        else c
        for c in calls
    ]


def _ask(
    ctx: RunContext, provider: Provider, request: LlmRequest, code: str, price: Price
) -> Criteria | str:
    """The LLM's reading of one notice, asked again once when the answer is malformed."""
    problem = ""
    for attempt in (1, 2):
        completion = provider.complete(request)
        read = parse_criteria(completion.text)
        account_call(
            ctx,
            completion,
            price,
            attempt=attempt,
            valid=not isinstance(read, str),
            prompt_version=PROMPT_VERSION,
            notice=code,
        )
        if not isinstance(read, str):
            return read
        problem = read
    return problem
