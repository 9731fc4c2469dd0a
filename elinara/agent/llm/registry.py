"""The LLM providers elinara knows: one registry, read by the settings, the CLI, the API's
checks and the judge. Light on purpose (no SDK, no HTTP client): `elinara --help` imports it."""

from __future__ import annotations

from dataclasses import dataclass

OFFLINE = "offline"


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    label: str
    sdk: str  # openai | gemini
    key_variables: tuple[str, ...]  # the usual environment variables, the first one preferred
    default_model: str
    json_mode: str = "json_schema"  # OpenAI-compatible only: json_schema | json_object | prompt

    @property
    def key_variable(self) -> str:
        return self.key_variables[0]

    @property
    def config_key(self) -> str:
        """The key's name in the config file's ``[llm]`` table."""
        return f"{self.name}_api_key"

    @property
    def base_url_setting(self) -> str:
        return f"{self.name}_base_url"


SPECS: dict[str, ProviderSpec] = {
    spec.name: spec
    for spec in (
        ProviderSpec("openai", "OpenAI", "openai", ("OPENAI_API_KEY",), "gpt-4o-mini"),
        ProviderSpec(
            "gemini", "Gemini", "gemini", ("GEMINI_API_KEY", "GOOGLE_API_KEY"), "gemini-2.5-flash"
        ),
        ProviderSpec(
            "deepseek", "DeepSeek", "openai", ("DEEPSEEK_API_KEY",), "deepseek-chat", "json_object"
        ),
        ProviderSpec(
            "qwen",
            "Qwen",
            "openai",
            ("DASHSCOPE_API_KEY", "QWEN_API_KEY"),
            "qwen-plus",
            "json_object",
        ),
        ProviderSpec(
            "kimi",
            "Kimi",
            "openai",
            ("MOONSHOT_API_KEY", "KIMI_API_KEY"),
            "moonshot-v1-32k",
            "json_object",
        ),
        ProviderSpec("grok", "Grok", "openai", ("XAI_API_KEY", "GROK_API_KEY"), "grok-3-mini"),
        # Anthropic's OpenAI-compatible endpoint ignores response_format: the schema is in the
        # prompt and the answer is validated like any other.
        ProviderSpec(
            "anthropic",
            "Anthropic",
            "openai",
            ("ANTHROPIC_API_KEY",),
            "claude-3-5-haiku-latest",
            "prompt",
        ),
    )
}
PROVIDERS: tuple[str, ...] = (OFFLINE, *SPECS)
