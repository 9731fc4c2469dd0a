"""LLM providers through the real SDKs against local fake OpenAI and Gemini servers: the wire
format, keys, base URLs, retries under the shared policy, and typed errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.llm import KEY_VARIABLES, FakeGemini, FakeOpenAI

from elinara.agent.llm.base import LlmRequest, MissingKey, ProviderRejected, ProviderUnavailable
from elinara.agent.llm.prices import price_of
from elinara.agent.llm.prompt import SCHEMA, parse_verdicts
from elinara.agent.llm.providers import make_provider
from elinara.config import Settings, load_settings
from elinara.errors import ConfigError

PAIRS = [{"nif": "503306665", "aviso_id": "NORTE2030-2026-12"}]
REQUEST = LlmRequest(
    system="Judge the pairs.",
    user=json.dumps({"companies": [], "calls": [], "pairs": PAIRS}),
    schema=SCHEMA,
)
SECRET = "sk-test-Do-Not-Print-0123456789"


@pytest.fixture(autouse=True)
def _no_real_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def openai_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as api:
        monkeypatch.setenv("OPENAI_API_KEY", SECRET)
        monkeypatch.setenv("ELINARA_OPENAI_BASE_URL", api.base_url)
        yield api


@pytest.fixture
def gemini_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGemini]:
    with FakeGemini() as api:
        monkeypatch.setenv("GEMINI_API_KEY", SECRET)
        monkeypatch.setenv("ELINARA_GEMINI_BASE_URL", api.base_url)
        yield api


def settings(**env: str) -> Settings:
    """The test's settings, with short retries (``llm_*`` overridable)."""
    import os

    values = {k: v for k, v in os.environ.items() if k.startswith("ELINARA_")}
    values.setdefault("ELINARA_LLM_RETRIES", "3")
    values.setdefault("ELINARA_LLM_BACKOFF_SECONDS", "0.5")
    values.setdefault("ELINARA_LLM_BACKOFF_MAX_SECONDS", "5")
    values.update(env)
    return load_settings(values)


# --- the wire format ----------------------------------------------------------------------------
def test_openai_sends_a_strict_json_schema_and_reads_the_tokens(openai_api: FakeOpenAI) -> None:
    provider = make_provider(settings(), "openai", "gpt-4o-mini")
    completion = provider.complete(REQUEST)
    body = openai_api.requests[0]
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]
    assert schema["strict"] is True and schema["schema"] == SCHEMA
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert openai_api.received[0].headers["authorization"] == f"Bearer {SECRET}"
    assert openai_api.received[0].path == "/v1/chat/completions"
    found, problem = parse_verdicts(completion.text, [("503306665", "NORTE2030-2026-12")])
    assert problem == "" and found[("503306665", "NORTE2030-2026-12")].match_score == 77
    assert completion.input_tokens > 0 and completion.output_tokens > 0


def test_gemini_sends_a_response_schema_and_reads_usage_metadata(gemini_api: FakeGemini) -> None:
    provider = make_provider(settings(), "gemini", "gemini-2.5-flash")
    completion = provider.complete(REQUEST)
    received = gemini_api.received[0]
    assert received.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert received.headers["x-goog-api-key"] == SECRET
    config = received.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    items = config["responseSchema"]["properties"]["verdicts"]["items"]
    assert items["properties"]["match_score"]["type"] == "INTEGER"
    assert set(items["required"]) == {"nif", "aviso_id", "eligible", "match_score", "reasoning"}
    assert received.body["systemInstruction"]["parts"][0]["text"] == "Judge the pairs."
    found, problem = parse_verdicts(completion.text, [("503306665", "NORTE2030-2026-12")])
    assert problem == "" and len(found) == 1
    assert completion.input_tokens > 0 and completion.output_tokens > 0


@pytest.mark.parametrize(
    ("name", "variable", "mode"),
    [
        ("deepseek", "DEEPSEEK_API_KEY", "json_object"),
        ("qwen", "DASHSCOPE_API_KEY", "json_object"),
        ("kimi", "MOONSHOT_API_KEY", "json_object"),
        ("grok", "XAI_API_KEY", "json_schema"),
        ("anthropic", "ANTHROPIC_API_KEY", None),
    ],
)
def test_openai_compatible_providers_use_their_own_url_key_and_json_mode(
    monkeypatch: pytest.MonkeyPatch, name: str, variable: str, mode: str | None
) -> None:
    with FakeOpenAI() as api:
        monkeypatch.setenv(variable, SECRET)
        monkeypatch.setenv(f"ELINARA_{name.upper()}_BASE_URL", api.base_url)
        provider = make_provider(settings(), name)
        provider.complete(REQUEST)
        body = api.requests[0]
    assert body["model"] == provider.model and provider.model  # the provider's default model
    assert (body.get("response_format") or {}).get("type") == mode
    if mode != "json_schema":  # the schema travels in the instructions instead
        assert '"match_score"' in body["messages"][0]["content"]


def test_keys_from_google_variable_and_from_the_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with FakeGemini() as api:
        monkeypatch.setenv("GOOGLE_API_KEY", "google-key")
        monkeypatch.setenv("ELINARA_GEMINI_BASE_URL", api.base_url)
        make_provider(settings(), "gemini").complete(REQUEST)
        assert api.received[0].headers["x-goog-api-key"] == "google-key"
    config = tmp_path / "config.toml"
    config.write_text('[llm]\nopenai_api_key = "from-the-file"\n')
    with FakeOpenAI() as api:
        monkeypatch.setenv("ELINARA_OPENAI_BASE_URL", api.base_url)
        make_provider(settings(ELINARA_CONFIG=str(config)), "openai").complete(REQUEST)
        assert api.received[0].headers["authorization"] == "Bearer from-the-file"


def test_a_missing_key_names_the_variable() -> None:
    with pytest.raises(MissingKey) as caught:
        make_provider(settings(), "gemini")
    assert "GEMINI_API_KEY" in caught.value.message and caught.value.exit_code == 2


# --- retries under the shared policy ------------------------------------------------------------
def test_429_waits_the_retry_after_then_succeeds(openai_api: FakeOpenAI) -> None:
    openai_api.rate_limit(2, retry_after=3)
    sleeps: list[float] = []
    provider = make_provider(settings(), "openai", sleep=sleeps.append)
    provider.complete(REQUEST)
    assert openai_api.calls == 3
    assert sleeps == [3.0, 3.0]  # the server's wait, not the (shorter) backoff


def test_gemini_honours_retry_info_and_retries_5xx(gemini_api: FakeGemini) -> None:
    body = {
        "error": {
            "code": 429,
            "message": "Resource exhausted.",
            "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}],
        }
    }
    from fakes.llm import Reply

    gemini_api.queue(Reply(status=429, body=json.dumps(body).encode()))
    gemini_api.fail_times(1, 503)
    sleeps: list[float] = []
    make_provider(settings(), "gemini", sleep=sleeps.append).complete(REQUEST)
    assert gemini_api.calls == 3
    assert sleeps[0] == 2.0 and 0 <= sleeps[1] <= 1.0  # RetryInfo, then a jittered backoff


def test_backoff_is_exponential_with_jitter_and_capped_in_tries(openai_api: FakeOpenAI) -> None:
    openai_api.fail_forever(500)
    sleeps: list[float] = []
    provider = make_provider(settings(ELINARA_LLM_RETRIES="3"), "openai", sleep=sleeps.append)
    with pytest.raises(ProviderUnavailable) as caught:
        provider.complete(REQUEST)
    assert openai_api.calls == 4  # 1 try + 3 retries
    caps = [0.5, 1.0, 2.0]
    assert len(sleeps) == 3 and all(0 <= s <= cap for s, cap in zip(sleeps, caps, strict=True))
    message = caught.value.message
    assert "answered 500 after 4 tries" in message and "/chat/completions" in message
    assert SECRET not in message


def test_retries_stop_when_the_total_time_runs_out(openai_api: FakeOpenAI) -> None:
    openai_api.fail_forever(503)
    sleeps: list[float] = []
    provider = make_provider(
        settings(ELINARA_LLM_RETRIES="50", ELINARA_LLM_RETRY_MAX_SECONDS="4"),
        "openai",
        sleep=sleeps.append,
    )
    with pytest.raises(ProviderUnavailable, match=r"giving up after 4 s"):
        provider.complete(REQUEST)
    assert openai_api.calls < 51 and sum(sleeps) <= 4.0 + 1e-9


def test_a_slow_answer_times_out_and_is_retried(openai_api: FakeOpenAI) -> None:
    openai_api.slow_once(2.0)
    sleeps: list[float] = []
    provider = make_provider(settings(ELINARA_LLM_TIMEOUT="0.3"), "openai", sleep=sleeps.append)
    completion = provider.complete(REQUEST)
    assert openai_api.calls == 2 and len(sleeps) == 1 and completion.text


@pytest.mark.parametrize(
    ("arrange", "kind", "fragment"),
    [
        ("bad_key", "auth", "OPENAI_API_KEY"),
        ("unknown_model", "model", "'gpt-nope'"),
        ("quota_exhausted", "quota", "quota"),
    ],
)
def test_fatal_answers_are_not_retried(
    openai_api: FakeOpenAI, arrange: str, kind: str, fragment: str
) -> None:
    getattr(openai_api, arrange)()
    provider = make_provider(settings(), "openai", "gpt-nope", sleep=lambda s: None)
    with pytest.raises(ProviderRejected) as caught:
        provider.complete(REQUEST)
    assert caught.value.kind == kind and openai_api.calls == 1
    assert fragment in caught.value.message and SECRET not in caught.value.message


@pytest.mark.parametrize(("arrange", "kind"), [("bad_key", "auth"), ("quota_exhausted", "quota")])
def test_gemini_fatal_answers(gemini_api: FakeGemini, arrange: str, kind: str) -> None:
    getattr(gemini_api, arrange)()
    with pytest.raises(ProviderRejected) as caught:
        make_provider(settings(), "gemini", sleep=lambda s: None).complete(REQUEST)
    assert caught.value.kind == kind and gemini_api.calls == 1
    if kind == "auth":
        assert "GEMINI_API_KEY" in caught.value.message


# --- prices -------------------------------------------------------------------------------------
def test_prices_from_the_table_the_config_and_the_default(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[prices]\n"openai/house-model" = { input = 2.0, output = 4.0 }\n')
    conf = settings(ELINARA_CONFIG=str(config), ELINARA_LLM_DEFAULT_PRICE_PER_1M_TOKENS="7")
    assert price_of(conf, "openai", "gpt-4o-mini-2024-07-18").input_per_1m == 0.15
    house = price_of(conf, "openai", "house-model")
    assert (house.input_per_1m, house.output_per_1m, house.source) == (2.0, 4.0, "config")
    unknown = price_of(conf, "openai", "mystery-1")
    assert unknown.source == "default" and unknown.cost(1000, 1000) == pytest.approx(0.014)
    config.write_text('[prices]\n"free-model" = 0\n')
    with pytest.raises(ConfigError, match="above 0"):
        price_of(settings(ELINARA_CONFIG=str(config)), "openai", "free-model")
    with pytest.raises(ConfigError, match="LLM_DEFAULT_PRICE"):
        settings(ELINARA_LLM_DEFAULT_PRICE_PER_1M_TOKENS="0")


# --- checking answers ---------------------------------------------------------------------------
def test_answers_are_checked_pair_by_pair() -> None:
    wanted = [("1", "A"), ("2", "A"), ("3", "A")]
    good = {"nif": "1", "aviso_id": "A", "eligible": True, "match_score": 80, "reasoning": "ok"}
    answer = {
        "verdicts": [
            good,
            {**good, "nif": "2", "match_score": 140},  # out of range
            {**good, "nif": "3", "eligible": "yes"},  # not a boolean
            {**good, "nif": "9"},  # not asked about
        ]
    }
    found, problem = parse_verdicts("```json\n" + json.dumps(answer) + "\n```", wanted)
    assert list(found) == [("1", "A")]
    assert "140" in problem and "2 of 3 pairs" in problem
    assert parse_verdicts("not json at all", wanted) == ({}, "the answer is not JSON")
