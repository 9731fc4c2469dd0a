"""The LLM judge, the optional last step of the matching stage stage.

It takes the offline matcher's candidates and re-judges the best ``llm_top_k`` of each company:

1. **Cache**: a pair whose verdict is cached under the same key (what the prompt says about the
   company, the call and the offline verdict; the prompt version; provider; model; language) is
   answered from ``store.verdicts``, for free. A second identical run calls nothing.
2. **Batches**: the other pairs go ``llm_batch_size`` to a prompt (:mod:`elinara.agent.llm.prompt`),
   at most ``llm_concurrency`` prompts in flight (threads: the SDK calls block; only this
   coordinating thread touches the store and the events).
3. **Answers** are checked against the schema pair by pair. Pairs without a valid verdict are asked
   again once; then they keep their offline verdict, with a note in its reasoning.
4. **Budgets**: a prompt is sent only while the calls started stay under the call limit and the
   cost spent, plus the estimates of prompts in flight and of this one, stays under the cost
   limit. When the budget stops the judge, what is judged stays judged and the run says so.
5. **Failures**: when the provider stays down or refuses (bad key, unknown model, quota), no more
   prompts are sent, answers in flight are still used, and every pair not judged keeps its
   offline verdict, marked so; the run completes with a warning, or fails with ``no_fallback``.

Nothing disappears: every candidate comes back, judged or not, and a pair the LLM scores low
keeps its low score (the pipeline does not filter the LLM's verdicts by the threshold).
Every answered call is recorded in ``store.llm_calls`` and summed in the run's ``usage``.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Any

from elinara.agent.context import RunContext, RunOutcome
from elinara.agent.events import EventBus, RunEvents
from elinara.agent.inputs import RunPlan
from elinara.agent.llm.base import Completion, LlmError, LlmRequest, Provider, ProviderUnavailable
from elinara.agent.llm.prices import Price, estimate_tokens, price_of
from elinara.agent.llm.prompt import (
    OUTPUT_TOKENS_PER_PAIR,
    PROMPT_VERSION,
    SCHEMA,
    PairId,
    PairVerdict,
    cache_key,
    call_fields,
    company_fields,
    pair_fields,
    parse_verdicts,
    system_prompt,
    user_message,
)
from elinara.agent.llm.providers import label_of, make_provider, require_key, spec_of
from elinara.agent.llm.usage import account_call
from elinara.agent.stages import MATCH, Stages
from elinara.config import Settings
from elinara.errors import RunCancelled
from elinara.models import LOCAL_AGENT_ID, FundingCall, Lead, Verdict
from elinara.store import Store

log = logging.getLogger(__name__)

STAGE = MATCH
POLL_SECONDS = 0.25  # how often cancel / pause are checked while prompts are in flight
BIG_CHANGE = 15  # a re-score by this many points or more counts as a change worth telling
PROGRESS_THOUGHTS = 10  # about this many progress thoughts per run, whatever its size


@dataclass
class _Pair:
    index: int  # where its verdict sits in the candidates list
    offline: Verdict
    company: dict[str, Any]
    call: dict[str, Any]
    fields: dict[str, Any]
    key: str  # the verdict cache's key

    @property
    def id(self) -> PairId:
        return (self.offline.lead_key, self.offline.aviso_id)


@dataclass
class _Job:
    number: int  # 1-based prompt number, for messages
    pairs: list[_Pair]
    request: LlmRequest
    input_estimate: int
    output_estimate: int
    cost_estimate: float
    attempt: int = 1


@dataclass(frozen=True)
class Budget:
    max_calls: int | None = None
    max_cost_usd: float | None = None

    def refusal(self, calls_made: int, spent_usd: float, next_cost_usd: float) -> str:
        """Why one more call costing about ``next_cost_usd`` may not go ("" = it may)."""
        if self.max_calls is not None and calls_made >= self.max_calls:
            return f"the limit of {self.max_calls} call(s)"
        if self.max_cost_usd is not None and spent_usd + next_cost_usd > self.max_cost_usd:
            return f"the cost limit of ${self.max_cost_usd:g}"
        return ""


def run_budget(ctx: RunContext) -> Budget:
    """The run's limits: the run's own (CLI), else its agent's settings, else the defaults.
    0 or unset means no limit."""
    plan, settings = ctx.plan, ctx.settings
    agent = plan.settings
    calls = plan.options.max_calls or (agent.max_calls if agent else None)
    cost = plan.options.max_cost or (agent.max_cost_usd if agent else None)
    calls = calls or settings.llm_max_calls or None
    cost = cost or settings.llm_max_cost_usd or None
    return Budget(int(calls) if calls else None, float(cost) if cost else None)


def judge_candidates(ctx: RunContext, verdicts: list[Verdict]) -> list[Verdict]:
    """The candidates with the LLM's verdicts in place of the offline ones it judged."""
    return Judge(ctx).run(verdicts)


class Judge:
    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.events = ctx.events
        self.store = ctx.store
        plan, settings = ctx.plan, ctx.settings
        self.provider_name = plan.provider
        self.model = plan.model
        self.label = label_of(plan.provider)
        self.language = str(settings.llm_language)
        self.top_k = int(settings.llm_top_k)
        self.batch_size = int(settings.llm_batch_size)
        self.concurrency = int(settings.llm_concurrency)
        self.budget = run_budget(ctx)
        self.no_fallback = plan.options.no_fallback
        self.price: Price = price_of(settings, plan.provider, plan.model)
        self.system = system_prompt(self.language)
        self.usage = ctx.outcome.usage
        # progress of one run
        self.calls_started = 0
        self.cost_in_flight = 0.0
        self.jobs_total = 0
        self.jobs_done = 0
        self.judged = 0
        self.changed = 0
        self.unusable: list[_Pair] = []
        self.failed: list[_Pair] = []
        self.failure: LlmError | None = None
        self.budget_stop = ""

    # -- the whole judgement ------------------------------------------------------------------
    def run(self, verdicts: list[Verdict]) -> list[Verdict]:
        out = list(verdicts)
        pairs = self._select(verdicts)
        if not pairs:
            self.events.thought(f"No candidates for {self.label} to judge.")
            return out
        todo = self._from_cache(pairs, out)
        cached = len(pairs) - len(todo)
        jobs = [
            self._job(todo[start : start + self.batch_size], number)
            for number, start in enumerate(range(0, len(todo), self.batch_size), start=1)
        ]
        self.jobs_total = len(jobs)
        companies = len({p.offline.lead_key for p in pairs})
        self.events.thought(
            f"{self.label} ({self.model}) judges the best {self.top_k} candidates of each "
            f"company: {len(pairs)} pairs for {companies} companies; {cached} from the cache, "
            f"{len(todo)} in {len(jobs)} prompt(s) of up to {self.batch_size} pairs."
        )
        if not jobs:
            self._summary(len(pairs))
            return out
        if self.ctx.plan.dry_run:
            self._dry_run(jobs)
            return out
        provider = make_provider(self.ctx.settings, self.provider_name, self.model)
        try:
            left = self._execute(jobs, out, provider)
        finally:
            provider.close()
        self._conclude(len(pairs), left, out)
        return out

    def _select(self, verdicts: list[Verdict]) -> list[_Pair]:
        """The best ``top_k`` verdicts of each company (by offline score), company by company."""
        leads = {lead.key: lead for lead in self.ctx.leads}
        calls = {call.aviso_id: call for call in self.ctx.calls}
        by_company: dict[str, list[int]] = {}
        for index, verdict in enumerate(verdicts):
            if verdict.lead_key in leads and verdict.aviso_id in calls:
                by_company.setdefault(verdict.lead_key, []).append(index)
        call_info: dict[str, dict[str, Any]] = {}
        pairs: list[_Pair] = []
        for nif, indices in by_company.items():
            company = company_fields(leads[nif])
            indices.sort(key=lambda i: (-verdicts[i].match_score, verdicts[i].aviso_id))
            for index in indices[: self.top_k]:
                verdict = verdicts[index]
                info = call_info.get(verdict.aviso_id)
                if info is None:
                    info = call_info[verdict.aviso_id] = call_fields(calls[verdict.aviso_id])
                fields = pair_fields(verdict)
                key = cache_key(
                    company, info, fields, self.provider_name, self.model, self.language
                )
                pairs.append(_Pair(index, verdict, company, info, fields, key))
        return pairs

    def _from_cache(self, pairs: list[_Pair], out: list[Verdict]) -> list[_Pair]:
        todo: list[_Pair] = []
        hits = self.store.verdicts.get_many([pair.key for pair in pairs])
        for pair in pairs:
            hit = hits.get(pair.key)
            if hit is None:
                todo.append(pair)
                continue
            out[pair.index] = Verdict(
                lead_key=pair.offline.lead_key,
                aviso_id=pair.offline.aviso_id,
                eligible=bool(hit["eligible"]),
                match_score=int(hit["match_score"]),
                reasoning=str(hit["reasoning"]),
                provider=str(hit.get("provider") or self.provider_name),
                model=str(hit.get("model") or self.model),
            )
            self.usage["cached"] += 1
        return todo

    def _job(self, pairs: list[_Pair], number: int, attempt: int = 1) -> _Job:
        request = LlmRequest(
            system=self.system,
            user=user_message(
                (p.company for p in pairs), (p.call for p in pairs), (p.fields for p in pairs)
            ),
            schema=SCHEMA,
        )
        tokens_in = estimate_tokens(request.system + request.user)
        tokens_out = OUTPUT_TOKENS_PER_PAIR * len(pairs)
        cost = self.price.cost(tokens_in, tokens_out)
        return _Job(number, pairs, request, tokens_in, tokens_out, cost, attempt)

    # -- sending ------------------------------------------------------------------------------
    def _refusal(self, job: _Job) -> str:
        """Why the budget refuses to send ``job`` now ("" = it may go)."""
        spent = self.usage["cost_usd"] + self.cost_in_flight
        return self.budget.refusal(self.calls_started, spent, job.cost_estimate)

    def _execute(self, jobs: list[_Job], out: list[Verdict], provider: Provider) -> list[_Pair]:
        """Send the prompts; return the pairs never sent (budget or failure)."""
        pending: deque[_Job] = deque(jobs)
        flying: dict[Future[Completion], _Job] = {}
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="elinara-llm")
        cancelled = False

        def fill() -> None:
            while (
                pending
                and self.failure is None
                and not self.budget_stop
                and len(flying) < self.concurrency
            ):
                refusal = self._refusal(pending[0])
                if refusal:
                    if not flying:  # nothing in flight will free any budget: stop here
                        self.budget_stop = refusal
                    break
                job = pending.popleft()
                self.calls_started += 1
                self.cost_in_flight += job.cost_estimate
                flying[pool.submit(provider.complete, job.request)] = job

        try:
            while pending or flying:
                self.ctx.control.checkpoint()
                fill()
                if not flying:
                    break
                done, _ = wait(list(flying), timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                finished = [(future, flying.pop(future)) for future in done]
                if not any(future.exception() for future, _ in finished):
                    fill()  # keep the provider busy while the answers are read and stored
                for future, job in finished:
                    self.cost_in_flight -= job.cost_estimate
                    self._settle(future, job, out, pending)
        except RunCancelled:
            cancelled = True
            raise
        finally:
            pool.shutdown(wait=not cancelled, cancel_futures=True)
        return [pair for job in pending for pair in job.pairs]

    def _settle(
        self, future: Future[Completion], job: _Job, out: list[Verdict], pending: deque[_Job]
    ) -> None:
        try:
            completion = future.result()
        except LlmError as exc:
            self._fail(job, exc)
            return
        except Exception as exc:  # an SDK surprise must not lose the offline results
            log.exception("%s call failed unexpectedly", self.label)
            self._fail(
                job,
                ProviderUnavailable(
                    f"{self.label} failed unexpectedly ({type(exc).__name__}: {exc}).",
                    self.provider_name,
                ),
            )
            return
        found, problem = parse_verdicts(completion.text, [p.id for p in job.pairs])
        self._account(job, completion, valid=not problem)
        moved: list[tuple[int, _Pair, Verdict]] = []
        cache: dict[str, dict[str, Any]] = {}
        for pair in job.pairs:
            verdict = found.get(pair.id)
            if verdict is not None:
                new = self._apply(pair, verdict, out, cache)
                moved.append((abs(new.match_score - pair.offline.match_score), pair, new))
        if cache:
            self.store.verdicts.put_many(cache)
        missing = [p for p in job.pairs if p.id not in found]
        if missing and job.attempt == 1:
            pending.appendleft(self._job(missing, job.number, attempt=2))
            self.events.thought(
                f"{self.label}'s answer to prompt {job.number} was not usable for "
                f"{len(missing)} pair(s) ({problem}); asking once more."
            )
        elif missing:
            self.unusable.extend(missing)
            for pair in missing:
                out[pair.index] = _noted(pair.offline, f"{self.label}'s answer was unusable")
        if job.attempt == 1:
            self.jobs_done += 1
            self._progress(job, moved)

    def _fail(self, job: _Job, exc: LlmError) -> None:
        self.failed.extend(job.pairs)
        if self.failure is None:
            self.failure = exc
            self.events.thought(f"{exc.message} No more prompts are sent.")

    def _apply(
        self,
        pair: _Pair,
        verdict: PairVerdict,
        out: list[Verdict],
        cache: dict[str, dict[str, Any]],
    ) -> Verdict:
        new = Verdict(
            lead_key=pair.offline.lead_key,
            aviso_id=pair.offline.aviso_id,
            eligible=verdict.eligible,
            match_score=verdict.match_score,
            reasoning=verdict.reasoning,
            provider=self.provider_name,
            model=self.model,
        )
        out[pair.index] = new
        self.judged += 1
        if abs(new.match_score - pair.offline.match_score) >= BIG_CHANGE:
            self.changed += 1
        cache[pair.key] = {
            "nif": new.lead_key,
            "aviso_id": new.aviso_id,
            "eligible": new.eligible,
            "match_score": new.match_score,
            "reasoning": new.reasoning,
            "provider": new.provider,
            "model": new.model,
            "language": self.language,
            "prompt_version": PROMPT_VERSION,
        }
        return new

    def _account(self, job: _Job, completion: Completion, valid: bool) -> None:
        account_call(
            self.ctx,
            completion,
            self.price,
            attempt=job.attempt,
            valid=valid,
            prompt_version=PROMPT_VERSION,
            pairs=len(job.pairs),
        )

    def _progress(self, job: _Job, moved: list[tuple[int, _Pair, Verdict]]) -> None:
        done, total = self.jobs_done, self.jobs_total
        stage = self.ctx.stages
        stage.progress(STAGE, stage.state[STAGE]["total"], f"LLM: {done}/{total} prompts")
        self.ctx.progress(80 + int(10 * done / max(total, 1)), f"LLM {done}/{total}")
        every = max(1, math.ceil(total / PROGRESS_THOUGHTS))
        if done % every and done != total:
            return
        text = f"{self.label} judged prompt {job.number} ({done}/{total}): {len(moved)} pairs"
        if moved:
            delta, pair, new = max(moved, key=lambda item: item[0])
            if delta >= BIG_CHANGE:
                name = pair.company.get("name", pair.offline.lead_key)
                text += (
                    f"; biggest change {name} x {pair.offline.aviso_id}: "
                    f"{pair.offline.match_score} -> {new.match_score}"
                )
        self.events.thought(text + ".")

    # -- endings ------------------------------------------------------------------------------
    def _conclude(self, total: int, left: list[_Pair], out: list[Verdict]) -> None:
        if self.failure is not None:
            marked = self.failed + left
            for pair in marked:
                out[pair.index] = _noted(pair.offline, f"{self.label} unavailable")
            message = (
                f"{self.failure.message} {len(marked)} of {total} pairs keep their offline "
                "verdicts (marked in their reasoning)."
            )
            if self.no_fallback:
                self._summary(total)
                raise LlmError(
                    f"{self.failure.message} No fallback to the offline verdicts "
                    "(--no-fallback): the run fails.",
                    self.provider_name,
                )
            self.ctx.warn(message)
        elif self.budget_stop:
            self.ctx.warn(
                f"LLM budget reached ({self.budget_stop}): {self.judged} of {total} pairs "
                f"judged by {self.label}; the other {len(left)} keep their offline verdicts."
            )
        if self.unusable:
            self.ctx.warn(
                f"{self.label} gave no usable verdict for {len(self.unusable)} pair(s), even when "
                "asked again; they keep their offline verdicts (marked in their reasoning)."
            )
        self._summary(total)

    def _summary(self, total: int) -> None:
        u = self.usage
        self.events.thought(
            f"LLM judgement by {self.label} ({self.model}): {self.judged} of {total} pairs judged "
            f"now, {u['cached']} from the cache; {u['calls']} call(s), {u['input_tokens']} input "
            f"+ {u['output_tokens']} output tokens, ${u['cost_usd']:.4f}; {self.changed} "
            f"re-scored by {BIG_CHANGE}+ points."
        )

    def _dry_run(self, jobs: list[_Job]) -> None:
        prompts = [
            {
                "number": job.number,
                "pairs": len(job.pairs),
                "system": job.request.system,
                "user": job.request.user,
                "estimated_input_tokens": job.input_estimate,
                "estimated_output_tokens": job.output_estimate,
                "estimated_cost_usd": round(job.cost_estimate, 6),
            }
            for job in jobs
        ]
        tokens_in = sum(job.input_estimate for job in jobs)
        tokens_out = sum(job.output_estimate for job in jobs)
        cost = sum(job.cost_estimate for job in jobs)
        self.ctx.outcome.prompts.extend(prompts)
        self.usage["estimated_cost_usd"] = round(
            self.usage.get("estimated_cost_usd", 0.0) + cost, 6
        )
        text = (
            f"Dry run: would send {len(jobs)} prompt(s) to {self.label} ({self.model}), about "
            f"{tokens_in} input + {tokens_out} output tokens, ${cost:.4f} "
            f"(price {self.price.input_per_1m:g}/{self.price.output_per_1m:g} USD per 1M "
            f"tokens, {self.price.source}). Nothing was sent."
        )
        limit = self.budget.max_cost_usd
        if limit is not None and cost > limit:
            text += f" The cost limit of ${limit:g} would stop it before the end."
        self.events.thought(text)


def _noted(verdict: Verdict, note: str) -> Verdict:
    """The offline verdict, saying why the LLM's is not there."""
    return replace(verdict, reasoning=f"{verdict.reasoning} [offline verdict: {note}]")


def judge_outside_run(
    store: Store,
    settings: Settings,
    leads: list[Lead],
    calls: list[FundingCall],
    verdicts: list[Verdict],
    provider: str,
    model: str = "",
    run_id: str = "",
) -> tuple[list[Verdict], RunOutcome]:
    """Have the LLM ``provider`` judge the offline matcher's ``verdicts`` outside a run
    (``elinara eval --provider``), exactly as a run's matching stage would: same selection,
    cache, budgets and accounting (under ``run_id``)."""
    require_key(settings, provider)
    plan = RunPlan(
        agent_id=LOCAL_AGENT_ID,
        user_id=None,
        leads=[],
        calls=[],
        provider=provider.lower(),
        model=model or spec_of(provider).default_model,
        min_score=0,
    )
    run_id = run_id or f"eval-{uuid.uuid4()}"
    events = RunEvents(EventBus(None), run_id, LOCAL_AGENT_ID, None, plan.provider, plan.model)
    ctx = RunContext(plan, run_id, store, settings, events, Stages(events.pipeline))
    ctx.leads, ctx.calls = leads, calls
    judged = judge_candidates(ctx, verdicts)
    return judged, ctx.outcome
