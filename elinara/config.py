"""One Settings object: defaults < TOML config file < environment (ELINARA_*) < CLI flags.

Every key is declared once in ``FIELDS``; ``elinara config show`` and the README's configuration
table are both produced from that declaration (a test keeps the README in step).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from elinara.agent.llm.registry import PROVIDERS
from elinara.errors import ConfigError
from elinara.store.urls import mask_url

P2030_QUERY_URL = "https://portugal2030.pt/wp-json/avisos/query"
P2030_DOWNLOAD_URL = "https://portugal2030.pt/wp-json/avisos/download"


def _default_home() -> str:
    from platformdirs import user_data_dir

    return user_data_dir("elinara", appauthor=False)


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _timezone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("not an IANA time zone such as Europe/Lisbon") from exc
    return text


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return value

    return parse


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


# -- LLM judge: value parsers (elinara.agent.llm) --
def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("must be 0 or more")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:  # also refuses NaN
        raise ValueError("must be 0 or more")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError("must be more than 0")
    return value


# -- end LLM judge parsers --


@dataclass(frozen=True)
class Field:
    name: str
    parse: Callable[[str], Any]
    default: Any
    doc: str
    secret: bool = False

    @property
    def env(self) -> str:
        return f"ELINARA_{self.name.upper()}"


# The default of "home" is computed; "database_url", "secret_key" and the folders derive from it.
FIELDS: tuple[Field, ...] = (
    Field(
        "home",
        str,
        None,
        "Data folder (database, secret key, uploads, logs). "
        "Default: the platform's user data folder, e.g. `~/.local/share/elinara`.",
    ),
    Field(
        "database_url",
        str,
        None,
        "`sqlite:///<path>` (embedded, the default: "
        "`<home>/elinara.db`) or `mongodb://…` / `mongodb+srv://…`.",
    ),
    Field(
        "secret_key",
        str,
        None,
        "Signs session tokens and encrypts provider tokens. If unset, "
        "generated once and kept in `<home>/secret_key` (mode 0600).",
        secret=True,
    ),
    Field(
        "timezone",
        _timezone,
        "Europe/Lisbon",
        "Time zone of schedules (daily HH:MM) and of the dates in alert e-mails. Call dates are "
        "always Lisbon time, as Portugal 2030 publishes them.",
    ),
    Field("log_level", _choice("debug", "info", "warning", "error"), "info", "Log level."),
    Field("p2030_query_url", str, P2030_QUERY_URL, "Portugal 2030 notices query endpoint."),
    Field(
        "p2030_download_url", str, P2030_DOWNLOAD_URL, "Portugal 2030 document download endpoint."
    ),
    Field(
        "notice_concurrency",
        _positive_int,
        4,
        "Calls' notices downloaded at once from the Portugal 2030 download endpoint.",
    ),
    Field(
        "notice_max_mb",
        _positive_float,
        20.0,
        "Largest notice (PDF) read, in MB; a larger one is refused while it downloads.",
    ),
    Field("http_timeout", float, 30.0, "Seconds before an outside HTTP request times out."),
    Field("http_retries", int, 4, "Retries of a failed outside request (timeouts, 429, 5xx)."),
    Field("min_score", int, 50, "Default minimum match score (0-100) kept by a run."),
    Field(
        "default_provider",
        _choice(*PROVIDERS),
        "offline",
        "Matching provider of new agents and of `agent run`.",
    ),
    Field("default_model", str, "", "Model of the default provider (empty: its own default)."),
    # -- LLM judge (elinara/agent/llm, docs/llm.md); API keys: usual env vars or [llm] --
    Field(
        "llm_language",
        _choice("en", "pt"),
        "en",
        "Language of the LLM judge's reasoning: `en` or `pt`.",
    ),
    Field(
        "llm_top_k",
        _positive_int,
        8,
        "Candidates per company (best offline scores first) the LLM judges.",
    ),
    Field("llm_batch_size", _positive_int, 16, "Company x call pairs per LLM prompt."),
    Field("llm_concurrency", _positive_int, 8, "LLM requests in flight at once."),
    Field("llm_timeout", _positive_float, 60.0, "Seconds before one LLM request times out."),
    Field(
        "llm_retries",
        _non_negative_int,
        4,
        "Retries of a failed LLM request (timeouts, 429, 5xx), with exponential backoff and "
        "jitter.",
    ),
    Field(
        "llm_backoff_seconds",
        _non_negative_float,
        1.0,
        "Cap of the first wait before an LLM retry; it doubles with each retry (full jitter).",
    ),
    Field(
        "llm_backoff_max_seconds",
        _non_negative_float,
        30.0,
        "Longest wait between two LLM tries (a `Retry-After` is honoured up to this).",
    ),
    Field(
        "llm_retry_max_seconds",
        _positive_float,
        120.0,
        "Total time one LLM request may take with its retries before the provider counts as down.",
    ),
    Field(
        "llm_max_cost_usd",
        _non_negative_float,
        5.0,
        "Cost budget of one run's LLM judgement in USD, unless the run or agent sets one "
        "(0: no limit).",
    ),
    Field(
        "llm_max_calls",
        _non_negative_int,
        0,
        "LLM calls one run may make, unless the run or agent sets a limit (0: no limit).",
    ),
    Field(
        "llm_default_price_per_1m_tokens",
        _positive_float,
        10.0,
        "USD per million tokens (input and output) of a model missing from the price table; "
        "prices are set per model in the config file's `[prices]` table.",
    ),
    Field("openai_base_url", str, "https://api.openai.com/v1", "OpenAI API base URL."),
    Field(
        "gemini_base_url",
        str,
        "https://generativelanguage.googleapis.com",
        "Gemini API base URL (the SDK appends `/v1beta/models/...`).",
    ),
    Field("deepseek_base_url", str, "https://api.deepseek.com", "DeepSeek API base URL."),
    Field(
        "qwen_base_url",
        str,
        "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        "Qwen (Alibaba Cloud Model Studio) OpenAI-compatible base URL.",
    ),
    Field("kimi_base_url", str, "https://api.moonshot.ai/v1", "Kimi (Moonshot AI) API base URL."),
    Field("grok_base_url", str, "https://api.x.ai/v1", "Grok (xAI) API base URL."),
    Field(
        "anthropic_base_url",
        str,
        "https://api.anthropic.com/v1/",
        "Anthropic's OpenAI-compatible base URL.",
    ),
    # -- end LLM judge --
    Field(
        "files_dir",
        str,
        None,
        "Folder that `local_file` data sources must lie in. Default: `<home>/files`.",
    ),
    Field(
        "uploads_dir",
        str,
        None,
        "Where uploaded spreadsheets are kept, one folder per user. Default: `<home>/uploads`.",
    ),
    Field("upload_max_mb", _positive_int, 50, "Largest accepted upload, in MB."),
    Field("leads_max_rows", _positive_int, 1_100_000, "Most rows a leads spreadsheet may have."),
    Field(
        "leads_max_cells",
        _positive_int,
        30_000_000,
        "Most cells (rows x columns) of a leads sheet.",
    ),
    Field(
        "leads_max_unzipped_mb",
        _positive_int,
        1024,
        "Most MB an .xlsx/.xlsm may expand to when unzipped (refused before expanding).",
    ),
    Field("max_processes_per_user", _positive_int, 10, "Agents a user may own."),
    Field(
        "lease_seconds",
        _positive_int,
        60,
        "A worker's claim on a run; renewed by heartbeat, "
        "reclaimed by another worker after it lapses.",
    ),
    Field("host", str, "127.0.0.1", "Address `elinara serve` binds."),
    Field("port", int, 5000, "Main API port of `elinara serve`."),
    Field("agent_port", int, 5001, "Agent API / Socket.IO port (the same as `port` means one)."),
    Field("workers", int, 1, "In-process workers of `elinara serve` (0: none)."),
    Field(
        "cors_origins",
        _list,
        ["http://localhost:3000", "http://127.0.0.1:3000"],
        "Comma-separated origins allowed to call the API with credentials.",
    ),
    Field(
        "cookie_secure",
        _choice("auto", "true", "false"),
        "auto",
        "`Secure` on session cookies: auto = on, except plain http to a loopback host.",
    ),
    Field("token_minutes", _positive_int, 60, "Session lifetime in minutes (sliding)."),
    Field(
        "shutdown_grace_seconds",
        float,
        20.0,
        "How long `serve` waits for running work on shutdown before requeueing it.",
    ),
    Field(
        "socketio_queue",
        str,
        "",
        "`redis://…` or `amqp://…` to share sockets between several server processes.",
    ),
    Field("events_keep_days", _positive_int, 30, "Stored events older than this are purged."),
    # -- notifications (e-mail alerts and a task's phone summary) --
    Field(
        "smtp_url",
        str,
        "",
        "`smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465` "
        "for e-mail alerts; empty: no e-mail. The password is shown masked.",
    ),
    Field(
        "smtp_from",
        str,
        "elinara@localhost",
        "Sender of alert e-mails, e.g. `Elinara <alerts@example.pt>`.",
    ),
    Field("smtp_timeout", float, 30.0, "Seconds before an SMTP connection or reply times out."),
    Field(
        "phone_webhook_url",
        str,
        "",
        "URL that receives a task's phone summary as a JSON POST (used before Twilio).",
        secret=True,
    ),
    Field("twilio_account_sid", str, "", "Account SID of a Twilio-compatible SMS API."),
    Field(
        "twilio_auth_token", str, "", "Auth token of the Twilio-compatible SMS API.", secret=True
    ),
    Field(
        "twilio_from",
        str,
        "",
        "Sender of SMS summaries: an E.164 number, or a messaging service SID (`MG…`).",
    ),
    Field(
        "twilio_base_url",
        str,
        "https://api.twilio.com",
        "Base URL of the Twilio-compatible SMS API.",
    ),
    Field(
        "notify_retries",
        int,
        3,
        "Retries of a failed e-mail, webhook or SMS send (connection errors, timeouts, SMTP 4xx, "
        "HTTP 5xx).",
    ),
    # -- sign-in providers and cloud drives (docs/cloud.md) --
    Field(
        "public_url",
        str,
        "",
        "Public base URL of this server, for OAuth redirect URIs "
        "(`<public_url>/auth2/<provider>/callback`); empty: the URL the request came to.",
    ),
    Field(
        "frontend_url",
        str,
        "http://localhost:3000",
        "Where the browser goes after an OAuth sign-in (`/#/login` is appended).",
    ),
    Field("google_client_id", str, "", "Google OAuth client id (sign-in and Google Drive)."),
    Field("google_client_secret", str, "", "Google OAuth client secret.", secret=True),
    Field("github_client_id", str, "", "GitHub OAuth app client id (sign-in)."),
    Field("github_client_secret", str, "", "GitHub OAuth app client secret.", secret=True),
    Field(
        "microsoft_client_id", str, "", "Microsoft Entra app (client) id (sign-in and OneDrive)."
    ),
    Field("microsoft_client_secret", str, "", "Microsoft Entra client secret.", secret=True),
    Field(
        "microsoft_tenant",
        str,
        "common",
        "Microsoft tenant: `common`, `organizations`, `consumers` or a tenant id.",
    ),
    Field(
        "google_authorize_url",
        str,
        "https://accounts.google.com/o/oauth2/v2/auth",
        "Google's authorization endpoint.",
    ),
    Field(
        "google_token_url", str, "https://oauth2.googleapis.com/token", "Google's token endpoint."
    ),
    Field(
        "google_userinfo_url",
        str,
        "https://openidconnect.googleapis.com/v1/userinfo",
        "Google's OpenID Connect userinfo endpoint.",
    ),
    Field(
        "google_revoke_url",
        str,
        "https://oauth2.googleapis.com/revoke",
        "Google's token revocation endpoint (a disconnect revokes the grant).",
    ),
    Field(
        "google_drive_url",
        str,
        "https://www.googleapis.com/drive/v3/",
        "Root of the Google Drive v3 API.",
    ),
    Field(
        "github_authorize_url",
        str,
        "https://github.com/login/oauth/authorize",
        "GitHub's authorization endpoint.",
    ),
    Field(
        "github_token_url",
        str,
        "https://github.com/login/oauth/access_token",
        "GitHub's token endpoint.",
    ),
    Field("github_api_url", str, "https://api.github.com", "Root of the GitHub REST API."),
    Field(
        "microsoft_authority",
        str,
        "https://login.microsoftonline.com",
        "Microsoft identity platform host (the tenant is appended); https, except a loopback "
        "test server.",
    ),
    Field("graph_url", str, "https://graph.microsoft.com/v1.0", "Root of the Microsoft Graph API."),
    Field(
        "allow_private_urls",
        _bool,
        False,
        "Let API/CLI data sources point at loopback, private or link-local addresses (off: SSRF).",
    ),
)

_BY_NAME = {f.name: f for f in FIELDS}


@dataclass
class Settings:
    values: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def home_path(self) -> Path:
        return Path(self.values["home"]).expanduser()

    @property
    def files_path(self) -> Path:
        return Path(self.values["files_dir"]).expanduser()

    @property
    def uploads_path(self) -> Path:
        return Path(self.values["uploads_dir"]).expanduser()

    def ensure_home(self) -> Path:
        home = self.home_path
        home.mkdir(parents=True, exist_ok=True)
        return home

    def with_overrides(self, **overrides: Any) -> Settings:
        values = dict(self.values)
        sources = dict(self.sources)
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
                sources[name] = "flag"
        return Settings(values, sources)

    def shown(self) -> list[tuple[str, str, str, str]]:
        """(key, env var, value as text, where it came from), secrets masked."""
        rows = []
        for f in FIELDS:
            value = self.values.get(f.name)
            if f.secret and value:
                text = "********"
            elif isinstance(value, list):
                text = ",".join(value)
            else:
                text = "" if value is None else str(value)
            if f.name in ("database_url", "smtp_url"):
                text = mask_url(text)
            rows.append((f.name, f.env, text, self.sources.get(f.name, "default")))
        return rows


def _parse(f: Field, raw: Any, where: str) -> Any:
    if raw is None:
        return None
    if not isinstance(raw, str):
        if isinstance(f.default, list) and isinstance(raw, list):
            return [str(item) for item in raw]
        raw = str(raw).lower() if isinstance(raw, bool) else str(raw)
    try:
        return f.parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{f.name} from {where} is invalid ({raw!r}): {exc}") from None


def load_settings(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {f.name: f.default for f in FIELDS}
    sources: dict[str, str] = {}

    home_env = env.get("ELINARA_HOME")
    home = home_env or _default_home()
    config_path = Path(env.get("ELINARA_CONFIG") or Path(home).expanduser() / "config.toml")
    file_values: dict[str, Any] = {}
    if config_path.is_file():
        try:
            file_values = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"Config file {config_path} is not valid TOML: {exc}") from None
        unknown = sorted(set(file_values) - set(_BY_NAME) - {"llm", "prices"})
        if unknown:
            raise ConfigError(
                f"Config file {config_path} has unknown keys: {', '.join(unknown)}. "
                "Run 'elinara config show' to list the known ones."
            )
    elif env.get("ELINARA_CONFIG"):
        raise ConfigError(f"Config file {config_path} (ELINARA_CONFIG) does not exist.")

    for f in FIELDS:
        if f.name in file_values:
            values[f.name] = _parse(f, file_values[f.name], str(config_path))
            sources[f.name] = "file"
        if f.env in env and env[f.env] != "":
            values[f.name] = _parse(f, env[f.env], f.env)
            sources[f.name] = "env"
    for name, raw in (overrides or {}).items():
        if raw is not None:
            values[name] = raw
            sources[name] = "flag"

    values["home"] = str(Path(values["home"] or home).expanduser())
    home_path = Path(values["home"])
    if not values["database_url"]:
        values["database_url"] = f"sqlite:///{home_path / 'elinara.db'}"
    if not values["files_dir"]:
        values["files_dir"] = str(home_path / "files")
    if not values["uploads_dir"]:
        values["uploads_dir"] = str(home_path / "uploads")
    values["extra"] = {k: v for k, v in file_values.items() if k in {"llm", "prices"}}
    settings = Settings(values, sources)
    if not values["secret_key"]:
        values["secret_key"] = _stored_secret(home_path)
        sources["secret_key"] = "file"
    return settings


def _stored_secret(home: Path) -> str:
    """The secret kept in ``<home>/secret_key``, generated on first use. The file is written
    whole (a temporary file linked into place), so a crash or two processes starting together
    never leave an empty or half-written key."""
    path = home / "secret_key"
    if path.is_file():
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
        path.unlink(missing_ok=True)  # an empty file left by an older version or a full disk
    home.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=home, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):  # another process linked its key first
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise ConfigError(f"{path} is empty; delete it or set ELINARA_SECRET_KEY.")
    return text
