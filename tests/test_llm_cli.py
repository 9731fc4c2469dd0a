"""The LLM judge as a consultant or cron meets it: `elinara agent run --provider ...`,
`elinara usage`, `elinara eval --provider`, each a real `elinara` process talking to a fake
provider on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import Result, assert_one_line_error, elinara
from fakes.llm import KEY_VARIABLES, FakeGemini, FakeOpenAI, Pair, default_verdict

from elinara.agent.inputs import SAMPLE_CALLS

EVAL = Path(__file__).parent / "data" / "eval"
KEY = "sk-cli-test-SECRET-4242"
QUICK = {
    "ELINARA_LLM_RETRIES": "2",
    "ELINARA_LLM_BACKOFF_SECONDS": "0.01",
    "ELINARA_LLM_BACKOFF_MAX_SECONDS": "1",
}


@pytest.fixture(autouse=True)
def _no_real_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def api() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def openai_env(api: FakeOpenAI, **extra: str) -> dict[str, str]:
    return {"ELINARA_OPENAI_BASE_URL": api.base_url, "OPENAI_API_KEY": KEY, **QUICK, **extra}


def agent_run(env: dict[str, str], *args: str) -> Result:
    return elinara("agent", "run", "--provider", "openai", "--model", "gpt-4o-mini", *args, env=env)


def assert_no_key(result: Result) -> None:
    assert KEY not in result.out and KEY not in result.err


def test_run_with_openai_then_again_from_the_cache(api: FakeOpenAI) -> None:
    env = openai_env(api)
    first = agent_run(env, "--json")
    assert first.code == 0, first.err
    data = first.json()
    assert data["status"] == "completed" and not data["warnings"]
    judged = [m for m in data["matches"] if m["provider"] == "openai"]
    assert judged and all(m["reasoning"].startswith("FAKE judge") for m in judged)
    assert all(m["model"] == "gpt-4o-mini" for m in judged)
    usage = data["usage"]
    assert set(usage) == {"calls", "cached", "input_tokens", "output_tokens", "cost_usd"}
    assert usage["calls"] == api.calls > 0 and usage["cost_usd"] > 0
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    assert "judges the best 8" in first.err  # the thought stream, on stderr with --json
    assert_no_key(first)

    calls = api.calls
    second = agent_run(env, "--json")
    assert second.code == 0, second.err
    again = second.json()
    assert api.calls == calls  # no provider call at all
    assert again["usage"]["calls"] == 0 and again["usage"]["cost_usd"] == 0
    assert again["usage"]["cached"] == len(judged)
    assert again["counts"]["new_matches"] == 0

    summary = elinara("usage", "--json").json()
    assert summary["calls"] == calls and summary["runs"] == 1
    assert summary["cost_usd"] == pytest.approx(usage["cost_usd"], abs=1e-6)
    assert summary["by_model"][0]["model"] == "gpt-4o-mini"
    assert elinara("usage", "--since", "2999-01-01", "--json").json()["calls"] == 0
    assert elinara("usage", "--process", "0", "--json").json()["calls"] == calls
    text = elinara("usage")
    assert text.code == 0 and f"{calls} LLM call(s)" in text.out and "gpt-4o-mini" in text.out
    assert_one_line_error(elinara("usage", "--since", "yesterday"), 2, "--since")


def test_max_calls_one_stops_after_one_call_and_says_so(api: FakeOpenAI) -> None:
    result = agent_run(openai_env(api), "--max-calls", "1", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert api.calls == 1 and data["usage"]["calls"] == 1
    assert data["status"] == "completed"
    assert any("LLM budget reached (the limit of 1 call(s))" in w for w in data["warnings"])
    assert "1 warning(s)" in data["message"]
    assert sum(m["provider"] == "openai" for m in data["matches"]) == 16
    assert_one_line_error(agent_run(openai_env(api), "--max-calls", "0"), 2, "--max-calls")
    assert_one_line_error(agent_run(openai_env(api), "--max-cost", "-1"), 2, "--max-cost")


def test_provider_answering_500_forever(api: FakeOpenAI, tmp_path: Path) -> None:
    api.fail_forever(500)
    result = agent_run(openai_env(api), "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["status"] == "completed" and data["matches"]
    assert all(m["provider"] == "offline" for m in data["matches"])
    assert any("[offline verdict: OpenAI unavailable]" in m["reasoning"] for m in data["matches"])
    [warning] = data["warnings"]
    assert "answered 500 after 3 tries" in warning and "keep their offline verdicts" in warning
    plain = agent_run(openai_env(api))
    assert plain.code == 0 and "warning:" in plain.out and "answered 500" in plain.out

    failed = agent_run(openai_env(api), "--no-fallback", "--quiet")
    assert_one_line_error(failed, 1, "answered 500", "--no-fallback")
    assert_no_key(failed)


def test_openai_without_a_key_is_one_line_naming_the_variable(api: FakeOpenAI) -> None:
    env = {"ELINARA_OPENAI_BASE_URL": api.base_url}
    assert_one_line_error(agent_run(env), 2, "OPENAI_API_KEY")
    assert api.calls == 0


def test_dry_run_prints_the_prompts_and_the_cost_and_calls_nothing(api: FakeOpenAI) -> None:
    env = {"ELINARA_OPENAI_BASE_URL": api.base_url}  # no key needed: nothing is sent
    result = agent_run(env, "--dry-run")
    assert result.code == 0, result.err
    assert api.calls == 0
    assert "--- prompt 1 of " in result.out and "[system]" in result.out
    assert '"pairs":[{"nif":' in result.out  # the user message, as it would be sent
    assert "estimated cost $" in result.out and "nothing was sent" in result.out
    data = agent_run(env, "--dry-run", "--json", "--quiet").json()
    assert data["usage"]["calls"] == 0 and data["usage"]["estimated_cost_usd"] > 0
    assert data["prompts"] and data["prompts"][0]["estimated_input_tokens"] > 0
    assert elinara("matches", "list", "--json").json() == []


def test_gemini_from_the_command_line(tmp_path: Path) -> None:
    with FakeGemini() as fake:
        env = {"ELINARA_GEMINI_BASE_URL": fake.base_url, "GEMINI_API_KEY": KEY, **QUICK}
        result = elinara("agent", "run", "--provider", "gemini", "--json", "--quiet", env=env)
        assert result.code == 0, result.err
        data = result.json()
        judged = [m for m in data["matches"] if m["provider"] == "gemini"]
        assert judged and judged[0]["model"] == "gemini-2.5-flash"
        assert data["usage"]["calls"] == fake.calls > 0
        assert_no_key(result)


def test_eval_compares_offline_and_llm_verdicts(api: FakeOpenAI) -> None:
    args = (
        "eval",
        "--leads",
        str(EVAL / "leads.csv"),
        "--calls",
        str(EVAL / "calls.json"),
        "--labels",
        str(EVAL / "labels.csv"),
        "--as-of",
        "2026-12-01",
        "--no-notices",  # from metadata alone the matcher proposes pairs the notices rule out
    )
    offline = elinara(*args, "--json")
    assert offline.code == 0, offline.err
    # This fake judge turns down a spread of the offline matcher's false positives, as a judge
    # that read the notice would; it keeps every other pair it is shown.
    wrong = {tuple(p) for p in offline.json()["false_positives"][::7]}
    seen: set[tuple[str, str]] = set()

    def judge(pair: Pair) -> dict[str, object]:
        verdict = default_verdict(pair)
        seen.add((pair["nif"], pair["aviso_id"]))
        if (pair["nif"], pair["aviso_id"]) in wrong:
            verdict.update(eligible=False, match_score=20, reasoning="FAKE: not eligible.")
        return verdict

    api.verdict_for = judge
    result = elinara(*args, "--provider", "openai", "--json", env=openai_env(api))
    assert result.code == 0, result.err
    data = result.json()
    assert data["provider"] == "openai" and data["model"] == "gpt-4o-mini"
    assert data["usage"]["calls"] == api.calls > 0 and data["judged"] > 0
    assert data["llm"]["recall"] == data["offline"]["recall"]
    fixed = wrong & seen  # the judge sees only the best candidates of each company
    assert fixed
    assert data["changes"]["fixed"] == len(fixed) and data["changes"]["broken"] == 0
    assert data["llm"]["fp"] == data["offline"]["fp"] - len(fixed)
    text = elinara(*args, "--provider", "openai", env=openai_env(api))
    assert "offline:" in text.out and "openai (gpt-4o-mini):" in text.out
    assert_one_line_error(elinara(*args, "--provider", "openai"), 2, "OPENAI_API_KEY")


def test_help_of_run_lists_the_llm_options() -> None:
    result = elinara("agent", "run", "--help")
    for option in ("--max-cost", "--max-calls", "--no-fallback", "--dry-run"):
        assert option in result.out
    assert str(SAMPLE_CALLS)  # the sample exists for the runs above
