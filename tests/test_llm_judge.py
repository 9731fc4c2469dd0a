"""The LLM judge inside a run (the engine, in this process, on a real store) against the fake
OpenAI and Gemini servers: verdicts, cache, budgets, malformed answers, fallback, events."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.llm import KEY_VARIABLES, FakeGemini, FakeOpenAI, Pair, default_verdict

from elinara.agent.context import RunOutcome
from elinara.agent.events import Event, EventBus
from elinara.agent.inputs import SAMPLE_CALLS
from elinara.agent.options import RunOptions
from elinara.agent.runner import run_now
from elinara.config import Settings, load_settings
from elinara.models import Agent, AgentSettings, Run, User
from elinara.store import Store, open_store

AS_OF = "2026-12-01T12:00:00+00:00"
CONSERVAS, SOFTWARE = "503306665", "509442013"


@pytest.fixture(autouse=True)
def _no_real_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def leads(tmp_path: Path) -> str:
    """Two companies with 14 and 12 offline candidates among the sample calls."""
    path = tmp_path / "leads.csv"
    path.write_text(
        "Empresa;NIF;CAE;Distrito;Dimensão;Atividade\n"
        f"Conservas Atlântico Lda;{CONSERVAS};10201;Porto;Pequena;Conservas de peixe e inovação\n"
        f"Software Douro SA;{SOFTWARE};62010;Braga;Média;Desenvolvimento de software\n",
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        monkeypatch.setenv("OPENAI_API_KEY", "dummy-key")
        monkeypatch.setenv("ELINARA_OPENAI_BASE_URL", fake.base_url)
        yield fake


@pytest.fixture
def store() -> Iterator[Store]:
    opened = open_store(config().database_url)
    yield opened
    opened.close()


def config(**env: str) -> Settings:
    """Settings from this test's ELINARA_* variables, with quick retries, plus ``env``."""
    values = {k: v for k, v in os.environ.items() if k.startswith("ELINARA_")}
    values.update(
        {
            "ELINARA_LLM_TOP_K": "8",
            "ELINARA_LLM_BATCH_SIZE": "4",
            "ELINARA_LLM_CONCURRENCY": "2",
            "ELINARA_LLM_RETRIES": "2",
            "ELINARA_LLM_BACKOFF_SECONDS": "0.01",
            "ELINARA_LLM_BACKOFF_MAX_SECONDS": "1",
        }
    )
    values.update(env)
    return load_settings(values)


class Run_:
    """One run's result, and the events it published."""

    def __init__(self, record: Run, outcome: RunOutcome, events: list[Event]) -> None:
        self.record, self.outcome, self.events = record, outcome, events

    def actions(self, kind: str | None = None) -> list[str]:
        return [
            e.payload["content"]
            for e in self.events
            if e.name == "agent_action" and (kind is None or e.payload["type"] == kind)
        ]

    def by_pair(self) -> dict[tuple[str, str], Any]:
        return {(m.lead_key, m.aviso_id): m for m in self.outcome.matches}


def run(
    store: Store,
    leads: str,
    settings: Settings | None = None,
    agent_id: int = 0,
    user_id: int | None = None,
    from_sources: bool = False,
    **params: Any,
) -> Run_:
    """Run on ``leads`` x the sample calls (or, ``from_sources``, on the agent's data sources)."""
    bus = EventBus(store)
    events: list[Event] = []
    bus.subscribe(events.append)
    full = {"leads": [leads], "calls": [str(SAMPLE_CALLS)], "as_of": AS_OF, **params}
    if from_sources:
        del full["leads"]
    record, outcome = run_now(
        store, settings or config(), bus, RunOptions.from_params(full), agent_id, user_id
    )
    return Run_(record, outcome, events)


# --- judging ------------------------------------------------------------------------------------
def test_top_k_batched_judged_and_accounted(api: FakeOpenAI, store: Store, leads: str) -> None:
    result = run(store, leads, provider="openai", model="gpt-4o-mini")
    out = result.outcome
    assert out.status == "completed" and not out.warnings
    judged = [m for m in out.matches if m.provider == "openai"]
    assert len(judged) == 16  # the best 8 of each company
    assert all(m.model == "gpt-4o-mini" and m.reasoning.startswith("FAKE") for m in judged)
    assert len(out.matches) == 24  # the 8 beyond the top 8 keep their offline verdicts
    asked = api.pairs_asked()
    assert [len(pairs) for pairs in asked] == [4, 4, 4, 4]
    assert all(
        set(p) >= {"nif", "aviso_id", "offline_score", "offline_reasoning"} for p in asked[0]
    )
    usage = out.usage
    assert usage["calls"] == 4 and usage["cached"] == 0
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0 and usage["cost_usd"] > 0
    recorded = store.llm_calls.for_run(result.record.id)
    assert len(recorded) == 4
    assert sum(r["cost_usd"] for r in recorded) == pytest.approx(usage["cost_usd"])
    assert all(r["provider"] == "openai" and r["latency_ms"] >= 0 for r in recorded)
    assert store.matches.count([0]) == 24
    thoughts = " ".join(result.actions("thought"))
    assert "OpenAI (gpt-4o-mini) judges the best 8" in thoughts and "4 call(s)" in thoughts


def test_second_identical_run_calls_nothing(api: FakeOpenAI, store: Store, leads: str) -> None:
    first = run(store, leads, provider="openai")
    calls = api.calls
    second = run(store, leads, provider="openai")
    assert api.calls == calls
    assert second.outcome.usage == {
        "calls": 0,
        "cached": 16,
        "input_tokens": 0,
        "output_tokens": 0,
        "cost_usd": 0.0,
    }
    assert [(m.match_score, m.reasoning) for m in second.outcome.matches] == [
        (m.match_score, m.reasoning) for m in first.outcome.matches
    ]
    assert store.llm_calls.summary()["calls"] == calls
    # Another model is another judge: nothing cached for it.
    run(store, leads, provider="openai", model="gpt-4.1-mini")
    assert api.calls == 2 * calls


def test_low_llm_scores_are_kept_not_dropped(
    api: FakeOpenAI, store: Store, leads: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def verdict(pair: Pair) -> dict[str, Any]:
        low = pair["nif"] == SOFTWARE and pair["aviso_id"] == "COMPETE2030-2026-18"
        answer = default_verdict(pair)
        if low:
            answer.update(eligible=False, match_score=12, reasoning="FAKE: software is not agri.")
        return answer

    api.verdict_for = verdict
    result = run(store, leads, provider="openai", min_score=50)
    match = result.by_pair()[(SOFTWARE, "COMPETE2030-2026-18")]
    assert match.match_score == 12 and match.eligible is False
    assert match.reasoning == "FAKE: software is not agri."
    assert "1 the LLM scored lower" in " ".join(result.actions("thought"))


def test_language_pt_asks_for_portuguese(api: FakeOpenAI, store: Store, leads: str) -> None:
    run(store, leads, config(ELINARA_LLM_LANGUAGE="pt"), provider="openai")
    system = api.requests[0]["messages"][0]["content"]
    assert "português europeu" in system
    run(store, leads, config(), provider="openai")  # English is another cache entry
    assert "in English" in api.requests[-1]["messages"][0]["content"]


def test_bounded_concurrency(
    api: FakeOpenAI, store: Store, leads: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.delay = 0.2
    result = run(
        store,
        leads,
        config(ELINARA_LLM_BATCH_SIZE="2", ELINARA_LLM_CONCURRENCY="3"),
        provider="openai",
    )
    assert result.outcome.usage["calls"] == 8
    assert api.max_in_flight == 3


# --- malformed answers --------------------------------------------------------------------------
def test_a_malformed_answer_is_asked_again_once(api: FakeOpenAI, store: Store, leads: str) -> None:
    api.malformed(1)
    result = run(store, leads, config(ELINARA_LLM_CONCURRENCY="1"), provider="openai")
    assert api.calls == 5  # 4 prompts + 1 retry
    assert [len(p) for p in api.pairs_asked()] == [4, 4, 4, 4, 4]
    assert not result.outcome.warnings
    assert sum(m.provider == "openai" for m in result.outcome.matches) == 16
    assert any("asking once more" in t for t in result.actions("thought"))


def test_only_the_invalid_pairs_are_asked_again(api: FakeOpenAI, store: Store, leads: str) -> None:
    seen: set[str] = set()

    def verdict(pair: Pair) -> dict[str, Any]:
        answer = default_verdict(pair)
        key = pair["nif"] + pair["aviso_id"]
        if pair["aviso_id"] == "MAR2030-2026-9" and key not in seen:
            seen.add(key)
            answer["match_score"] = 150  # out of the schema's range, once
        return answer

    api.verdict_for = verdict
    result = run(store, leads, config(ELINARA_LLM_CONCURRENCY="1"), provider="openai")
    asked = api.pairs_asked()
    assert len(asked) == 5
    assert [[p["aviso_id"] for p in pairs] for pairs in asked if len(pairs) == 1] == [
        ["MAR2030-2026-9"]
    ]
    assert result.by_pair()[(CONSERVAS, "MAR2030-2026-9")].match_score == 77


def test_unusable_twice_keeps_the_offline_verdict_with_a_note(
    api: FakeOpenAI, store: Store, leads: str
) -> None:
    api.malformed(2)
    result = run(store, leads, config(ELINARA_LLM_BATCH_SIZE="16"), provider="openai")
    out = result.outcome
    assert out.status == "completed" and api.calls == 2  # one prompt, asked twice
    noted = [m for m in out.matches if "answer was unusable" in m.reasoning]
    assert len(noted) == 16 and all(m.provider == "offline" for m in noted)
    assert any("no usable verdict for 16 pair(s)" in w for w in out.warnings)
    assert store.llm_calls.summary()["calls"] == 2  # the unusable answers were billed too


def test_a_pair_invalid_twice_alone_keeps_its_offline_verdict(
    api: FakeOpenAI, store: Store, leads: str
) -> None:
    def verdict(pair: Pair) -> dict[str, Any]:
        answer = default_verdict(pair)
        if pair["nif"] == CONSERVAS and pair["aviso_id"] == "MAR2030-2026-9":
            del answer["reasoning"]
        return answer

    api.verdict_for = verdict
    result = run(store, leads, provider="openai")
    match = result.by_pair()[(CONSERVAS, "MAR2030-2026-9")]
    assert match.provider == "offline" and match.match_score == 85
    assert match.reasoning.endswith("[offline verdict: OpenAI's answer was unusable]")
    assert sum(m.provider == "openai" for m in result.outcome.matches) == 15
    assert api.calls == 5


# --- budgets ------------------------------------------------------------------------------------
def test_max_calls_stops_cleanly_and_says_so(api: FakeOpenAI, store: Store, leads: str) -> None:
    result = run(store, leads, provider="openai", max_calls=1)
    out = result.outcome
    assert api.calls == 1 and out.usage["calls"] == 1 and out.status == "completed"
    assert sum(m.provider == "openai" for m in out.matches) == 4
    assert len(out.matches) == 24  # nothing lost
    assert any("limit of 1 call(s)" in w and "4 of 16 pairs" in w for w in out.warnings)
    assert any("limit of 1 call(s)" in e for e in result.actions("error"))


def test_max_cost_from_the_agent_settings(
    api: FakeOpenAI, store: Store, leads: str, tmp_path: Path
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('[prices]\n"gpt-4o-mini" = { input = 1000, output = 1000 }\n')
    user = store.users.create(User(id=0, username="ana", email="ana@example.pt"))
    agent = store.agents.create(Agent(id=0, user_id=user.id, name="Norte"))
    store.settings.save(
        AgentSettings(
            id=agent.id,
            user_id=user.id,
            llm_provider="openai",
            llm_model="gpt-4o-mini",
            max_cost_usd=3.5,
        )
    )
    result = run(store, leads, config(ELINARA_CONFIG=str(config_file)), agent.id, user.id)
    out = result.outcome
    # A prompt of 4 pairs costs about $1.5 at $1000 per 1M tokens: at most two fit in $3.5.
    assert 1 <= out.usage["calls"] <= 2 and out.usage["cost_usd"] <= 3.5
    assert api.calls == out.usage["calls"]
    assert any("cost limit of $3.5" in w for w in out.warnings)


# --- the provider fails -------------------------------------------------------------------------
def test_provider_down_keeps_the_offline_results_and_warns(
    api: FakeOpenAI, store: Store, leads: str
) -> None:
    api.fail_forever(500)
    result = run(store, leads, provider="openai")
    out = result.outcome
    assert out.status == "completed" and len(out.matches) == 24
    assert all(m.provider == "offline" for m in out.matches)
    marked = [m for m in out.matches if "[offline verdict: OpenAI unavailable]" in m.reasoning]
    assert len(marked) == 16
    assert len(out.warnings) == 1 and "answered 500 after 3 tries" in out.warnings[0]
    assert "16 of 16 pairs keep their offline verdicts" in out.warnings[0]
    assert "1 warning(s)" in out.message
    assert out.usage["calls"] == 0 and out.usage["cost_usd"] == 0


def test_provider_down_with_no_fallback_fails_the_run(
    api: FakeOpenAI, store: Store, leads: str
) -> None:
    api.fail_forever(503)
    result = run(store, leads, provider="openai", no_fallback=True)
    assert result.outcome.status == "failed"
    assert "--no-fallback" in result.outcome.message
    assert result.record.status == "failed" and store.matches.count([0]) == 0


def test_a_rate_limit_is_waited_out(api: FakeOpenAI, store: Store, leads: str) -> None:
    api.rate_limit(1, retry_after=0.2)
    result = run(store, leads, provider="openai")
    assert api.calls == 5 and result.outcome.usage["calls"] == 4
    assert not result.outcome.warnings


def test_a_bad_key_stops_the_judge_at_once(api: FakeOpenAI, store: Store, leads: str) -> None:
    api.bad_key()
    result = run(store, leads, config(ELINARA_LLM_CONCURRENCY="1"), provider="openai")
    assert api.calls == 1  # no more prompts after a refused key
    assert "refused the API key" in result.outcome.warnings[0]
    assert "OPENAI_API_KEY" in result.outcome.warnings[0]
    assert "dummy-key" not in " ".join(result.outcome.warnings + result.actions())


# --- gemini ---------------------------------------------------------------------------------------
def test_gemini_judges_a_run(monkeypatch: pytest.MonkeyPatch, store: Store, leads: str) -> None:
    with FakeGemini() as fake:
        monkeypatch.setenv("GEMINI_API_KEY", "dummy")
        monkeypatch.setenv("ELINARA_GEMINI_BASE_URL", fake.base_url)
        result = run(store, leads, provider="gemini")
    judged = [m for m in result.outcome.matches if m.provider == "gemini"]
    assert len(judged) == 16 and judged[0].model == "gemini-2.5-flash"
    assert result.outcome.usage["calls"] == 4


# --- the server path: an agent's settings choose the provider -----------------------------------
def _agent(store: Store, leads: str, provider: str, model: str = "") -> tuple[int, int]:
    from elinara.models import DataSource

    user = store.users.create(User(id=0, username="rui", email="rui@example.pt"))
    agent = store.agents.create(Agent(id=0, user_id=user.id, name="Agent"))
    store.settings.save(
        AgentSettings(id=agent.id, user_id=user.id, llm_provider=provider, llm_model=model)
    )
    files = config().files_path
    files.mkdir(parents=True, exist_ok=True)
    target = files / "leads.csv"
    target.write_text(Path(leads).read_text(encoding="utf-8"), encoding="utf-8")
    store.datasources.create_many(
        [
            DataSource(
                id="",
                user_id=user.id,
                agent_id=agent.id,
                platform="local_file",
                resource_identifier=str(target),
            )
        ]
    )
    return agent.id, user.id


def _pipeline_updates(store: Store, run_id: str) -> list[dict[str, Any]]:
    return [e["payload"] for e in store.events.for_run(run_id, "pipeline_update")]


def test_agent_settings_choose_the_provider_and_events_carry_it(
    api: FakeOpenAI, store: Store, leads: str
) -> None:
    agent_id, user_id = _agent(store, leads, "OpenAI")
    result = run(store, leads, config(), agent_id, user_id, from_sources=True)
    assert result.outcome.status == "completed" and api.calls == 4
    assert {m.provider for m in store.matches.list([agent_id], limit=100)} >= {"openai"}
    updates = _pipeline_updates(store, result.record.id)
    assert updates and all(
        u["provider"] == "openai" and u["model"] == "gpt-4o-mini" for u in updates
    )


def test_agent_provider_without_a_key_runs_offline_and_says_so(store: Store, leads: str) -> None:
    agent_id, user_id = _agent(store, leads, "gemini", "gemini-2.5-pro")
    result = run(store, leads, config(), agent_id, user_id, from_sources=True)
    out = result.outcome
    assert out.status == "completed" and out.matches
    assert all(m.provider == "offline" for m in out.matches)
    errors = result.actions("error")
    assert any("GEMINI_API_KEY" in e and "offline" in e for e in errors)
    updates = _pipeline_updates(store, result.record.id)
    assert updates and all(u["provider"] == "offline" and u["model"] == "" for u in updates)
    statuses = [e["payload"] for e in store.events.for_run(result.record.id, "agent_status")]
    assert statuses and all(s["provider"] == "offline" for s in statuses)


def test_a_stop_request_is_honoured_while_prompts_are_in_flight(
    api: FakeOpenAI, store: Store, leads: str
) -> None:
    api.delay = 0.6
    bus = EventBus(store)
    runs: list[str] = []

    def stop_when_judging(event: Event) -> None:
        if event.name == "agent_action" and "judges the best" in event.payload["content"]:
            store.runs.request(event.run_id or "", cancel_requested=True)
            runs.append(event.run_id or "")

    bus.subscribe(stop_when_judging)
    params = {"leads": [leads], "calls": [str(SAMPLE_CALLS)], "as_of": AS_OF, "provider": "openai"}
    record, outcome = run_now(store, config(), bus, RunOptions.from_params(params))
    assert runs and outcome.status == "cancelled" and record.status == "cancelled"
    assert api.calls <= 2  # the first wave at most; nothing sent after the stop
    assert store.matches.count([0]) == 0
