"""Benchmark: the LLM judge against a fake OpenAI API that answers every prompt after 200 ms.

    python bench/llm.py [--pairs 2000] [--delay 0.2] [--batch 16] [--concurrency 8]

Synthetic companies and calls (those of ``bench/matching.py``) go through the offline matcher;
the best 8 candidates of each company are judged until ``--pairs`` pairs are reached, through
the real ``openai`` SDK, the real judge (batching, bounded concurrency, schema checks, cache
writes, accounting in a SQLite store) and a local fake server (``tests/fakes/llm.py``).

It prints the wall time of the judgement, the ideal ``ceil(pairs / batch) / concurrency x delay``
and their ratio (goal: at most 1.25), the tokens per pair (as the fake counts them: a quarter of
the characters), and the time of a second, identical judgement, which must make no call. The
``openai`` SDK is imported before the clock starts (its import time is printed apart: it is paid
once per process, whatever the number of pairs).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fake server
sys.path.insert(0, str(ROOT / "bench"))

from fakes.llm import FakeOpenAI  # noqa: E402
from matching import make_calls, make_leads  # noqa: E402

from elinara.agent.matching.judge import judge_outside_run  # noqa: E402
from elinara.agent.matching.offline import OfflineMatcher  # noqa: E402
from elinara.config import load_settings  # noqa: E402
from elinara.models import Verdict  # noqa: E402
from elinara.store import open_store  # noqa: E402
from elinara.times import LISBON  # noqa: E402

GOAL_RATIO = 1.25
TOP_K = 8


def candidates(pairs: int, seed: int) -> tuple[list, list, list[Verdict]]:
    """At least ``pairs`` offline candidates, the best ``TOP_K`` per company, then cut to size."""
    rng = random.Random(seed)
    as_of = datetime(2026, 12, 1, 12, 0, tzinfo=LISBON)
    calls = make_calls(200, rng, as_of)
    leads = make_leads(max(50, pairs // 4), rng)
    matcher = OfflineMatcher(calls, as_of)
    verdicts: list[Verdict] = []
    for lead in leads:
        verdicts.extend(matcher.candidates(lead, 50)[:TOP_K])
        if len(verdicts) >= pairs:
            break
    return leads, calls, verdicts[:pairs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2030)
    args = parser.parse_args()

    leads, calls, verdicts = candidates(args.pairs, args.seed)
    # The SDK's import is paid once per process, whatever the number of pairs: measured apart.
    imported = time.perf_counter()
    import openai  # noqa: F401

    import_seconds = time.perf_counter() - imported
    pairs = len(verdicts)
    with tempfile.TemporaryDirectory() as home, FakeOpenAI(delay=args.delay) as api:
        env = {
            "ELINARA_HOME": home,
            "ELINARA_OPENAI_BASE_URL": api.base_url,
            "ELINARA_LLM_TOP_K": str(TOP_K),
            "ELINARA_LLM_BATCH_SIZE": str(args.batch),
            "ELINARA_LLM_CONCURRENCY": str(args.concurrency),
            "ELINARA_LLM_MAX_COST_USD": "0",
        }
        settings = load_settings(env)
        os.environ["OPENAI_API_KEY"] = "bench-dummy-key"
        store = open_store(settings.database_url)
        try:
            started = time.perf_counter()
            judged, outcome = judge_outside_run(
                store, settings, leads, calls, verdicts, "openai", "gpt-4o-mini"
            )
            wall = time.perf_counter() - started
            again_started = time.perf_counter()
            _, again = judge_outside_run(
                store, settings, leads, calls, verdicts, "openai", "gpt-4o-mini"
            )
            again_wall = time.perf_counter() - again_started
        finally:
            store.close()
        requests = api.calls

    prompts = math.ceil(pairs / args.batch)
    ideal = prompts / args.concurrency * args.delay
    usage = outcome.usage
    llm = sum(1 for v in judged if v.provider == "openai")
    print(
        f"LLM judge: {pairs} pairs, batch {args.batch}, concurrency {args.concurrency}, "
        f"fake answering after {args.delay * 1000:.0f} ms"
    )
    print(f"  {usage['calls']} calls ({requests} requests at the fake), {llm} pairs judged")
    print(f"  wall {wall:.3f} s; ideal {ideal:.3f} s (ceil({pairs}/{args.batch}) / ", end="")
    print(f"{args.concurrency} x {args.delay} s)")
    print(f"  ratio to ideal: {wall / ideal:.3f} (goal <= {GOAL_RATIO})")
    print(f"  (importing the openai SDK, once per process, took {import_seconds:.3f} s more)")
    print(
        f"  tokens per pair: {usage['input_tokens'] / pairs:.0f} input + "
        f"{usage['output_tokens'] / pairs:.0f} output (gpt-4o-mini list price: "
        f"${usage['cost_usd'] / pairs * 1000:.4f} per 1,000 pairs)"
    )
    print(
        f"  second identical judgement: {again_wall:.3f} s, {again.usage['calls']} calls, "
        f"{again.usage['cached']} pairs from the cache"
    )


if __name__ == "__main__":
    main()
