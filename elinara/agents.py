"""Agents (processes), their settings and data sources: the rules shared by the CLI and the API."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlparse

from elinara.accounts import normalize_email
from elinara.agent.events import EventBus
from elinara.agent.inputs import PLATFORM_ALIASES, agent_settings, safe_local_path
from elinara.config import P2030_DOWNLOAD_URL, P2030_QUERY_URL, Settings
from elinara.errors import BadInput, Conflict, NotFound
from elinara.models import MAX_ID, AgentSettings, DataSource, Process, User
from elinara.net import internal_host
from elinara.store import Store

TRIGGER_TYPES = ("manual", "scheduled", "interval", "webhook")
EXECUTION_MODES = ("manual", "scheduled", "interval")
PROVIDERS = ("offline", "openai", "gemini", "deepseek", "qwen", "kimi", "grok", "anthropic")
PLATFORMS = ("google_drive", "sharepoint", "external_api", "local_file")
DEFAULT_AGENT_NAME = "Default agent"
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
SCHEDULE_FIELDS = frozenset({"execution_mode", "execution_interval", "scheduled_time"})
MAX_INTERVAL_MINUTES = 366 * 24 * 60  # a longer interval overflows the schedule's dates


def _one_of(value: Any, allowed: tuple[str, ...], field: str) -> str:
    text = str(value or "").strip().lower()
    if text not in allowed:
        raise BadInput(
            f"{field} must be one of {', '.join(allowed)}.",
            errors={field: f"one of {', '.join(allowed)}"},
        )
    return text


def check_trigger_type(value: Any, field: str = "trigger_type") -> str:
    """A process's trigger type (CONTRACT.md §2.5), lower-cased; anything else is a 400."""
    return _one_of(value, TRIGGER_TYPES, field)


def check_execution_mode(value: Any, field: str = "execution_mode") -> str:
    """An agent's execution mode (CONTRACT.md §3.2), lower-cased; anything else is a 400."""
    return _one_of(value, EXECUTION_MODES, field)


def create_process(
    store: Store,
    settings: Settings,
    user_id: int,
    name: str,
    trigger_type: str = "manual",
    config_snapshot: dict[str, Any] | None = None,
) -> Process:
    name = (name or "").strip()
    if not name:
        raise BadInput("An agent needs a name.", errors={"name": "required"})
    trigger_type = check_trigger_type(trigger_type)
    cap = settings.max_processes_per_user
    if store.processes.count(user_id) >= cap:
        raise Conflict(f"You already have {cap} agents, the most allowed; delete one first.")
    return store.processes.create(
        Process(
            id=0,
            user_id=user_id,
            name=name,
            trigger_type=trigger_type,
            config_snapshot=config_snapshot or {},
        )
    )


def default_agent(store: Store, settings: Settings, user_id: int) -> Process:
    """The user's first agent, created on first use."""
    found = store.processes.first_of(user_id)
    if found is not None:
        return found
    return store.processes.create(Process(id=0, user_id=user_id, name=DEFAULT_AGENT_NAME))


def owned_process(store: Store, process_id: Any, user_id: int, is_admin: bool = False) -> Process:
    """The process if the caller owns it (or is an admin); otherwise NotFound, never revealed."""
    try:
        pid = int(process_id)
    except (TypeError, ValueError):
        raise NotFound(f"Agent {process_id} not found.") from None
    if not 0 < pid <= MAX_ID:  # beyond what a store can hold: no such agent
        raise NotFound(f"Agent {process_id} not found.")
    process = store.processes.get(pid)
    if process is None or (process.user_id != user_id and not is_admin):
        raise NotFound(f"Agent {process_id} not found.")
    return process


def settings_for(store: Store, settings: Settings, process: Process) -> AgentSettings:
    return agent_settings(store, settings, process.id, process.user_id)


def _as_int(value: Any, field: str, minimum: int, maximum: int | None = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadInput(
            f"{field} must be a whole number.", errors={field: "a whole number"}
        ) from None
    if number < minimum or (maximum is not None and number > maximum):
        limit = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise BadInput(f"{field} must be {limit}.", errors={field: limit})
    return number


def clean_emails(values: Any, field: str = "alert_emails") -> list[str]:
    if isinstance(values, str):
        values = [v for v in re.split(r"[,;\s]+", values) if v]
    if not isinstance(values, list):
        raise BadInput(f"{field} must be a list of e-mail addresses.", errors={field: "a list"})
    cleaned: list[str] = []
    for value in values:
        address = normalize_email(str(value), field=field)
        if address not in cleaned:
            cleaned.append(address)
    return cleaned


def validate_settings_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise a partial AgentSettings update; unknown keys are refused."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "execution_mode":
            out[key] = check_execution_mode(value, key)
        elif key == "execution_interval":
            out[key] = _as_int(value, key, 1, MAX_INTERVAL_MINUTES)
        elif key == "scheduled_time":
            text = str(value).strip()
            if len(text) == 8 and text.count(":") == 2:  # "08:00:00" from a time input
                text = text[:5]
            if not _HHMM.match(text):
                raise BadInput("scheduled_time must be HH:MM (24-hour).", errors={key: "HH:MM"})
            out[key] = text
        elif key == "alert_emails":
            out[key] = clean_emails(value)
        elif key == "llm_provider":
            provider = str(value).strip().lower()
            if provider not in PROVIDERS:
                raise BadInput(
                    f"llm_provider must be one of {', '.join(PROVIDERS)}.",
                    errors={key: f"one of {', '.join(PROVIDERS)}"},
                )
            out[key] = provider
        elif key == "llm_model":
            out[key] = str(value or "").strip()
        elif key == "min_score":
            out[key] = _as_int(value, key, 0, 100)
        elif key == "max_calls":
            out[key] = None if value in (None, "") else _as_int(value, key, 0, MAX_ID)
        elif key == "max_cost_usd":
            try:
                cost = None if value in (None, "") else float(value)
            except (TypeError, ValueError):
                raise BadInput("max_cost_usd must be a number.", errors={key: "a number"}) from None
            if cost is not None and not 0 <= cost < float("inf"):  # also refuses NaN
                raise BadInput(
                    "max_cost_usd must be a number of 0 or more.", errors={key: "0 or more"}
                )
            out[key] = cost
        else:
            raise BadInput(f"Unknown setting {key!r}.", errors={key: "unknown setting"})
    return out


def agent_lease(store: Store, process_id: int) -> AbstractContextManager[None]:
    """Changes to one agent's settings (a start, a settings save) take turns across requests
    and servers, so that neither writes back settings the other has just changed."""
    return store.locks.held(
        f"agent-{process_id}", "Another change to this agent is in progress; try again."
    )


def update_settings(
    store: Store,
    settings: Settings,
    process: Process,
    changes: dict[str, Any],
    bus: EventBus | None = None,
) -> AgentSettings:
    """Apply a partial settings update; an active agent whose schedule changed is re-armed
    (the next run moves; a switch to manual disarms it), and says so on ``bus``."""
    checked = validate_settings_changes(changes)
    with agent_lease(store, process.id):
        if store.processes.get(process.id) is None:  # deleted while this waited
            raise NotFound(f"Agent {process.id} does not exist.")
        current = settings_for(store, settings, process)
        for key, value in checked.items():
            setattr(current, key, value)
        saved = store.settings.save_fields(current, checked)
        if SCHEDULE_FIELDS & set(checked):
            from elinara.agent.control import reschedule

            saved = reschedule(store, settings, bus or EventBus(store), process)
    return saved


def _http_url(value: Any, field: str, settings: Settings) -> str:
    """An http(s) URL; one whose host is or resolves to a loopback, private, link-local or
    reserved address only with ``allow_private_urls`` (the server would fetch it: SSRF)."""
    text = str(value or "").strip()
    try:
        parsed = urlparse(text)
        scheme, host = parsed.scheme, parsed.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        scheme, host = "", None
    if scheme not in ("http", "https") or not host:
        raise BadInput(f"{field} must be an http(s) URL.", errors={field: "an http(s) URL"})
    configured = {
        P2030_QUERY_URL,
        P2030_DOWNLOAD_URL,
        settings.p2030_query_url,
        settings.p2030_download_url,
    }
    if not settings.allow_private_urls and text not in configured and internal_host(host):
        raise BadInput(
            f"{field} points to a local or private address; the server refuses to fetch it "
            "(ELINARA_ALLOW_PRIVATE_URLS=true allows it).",
            errors={field: "a local or private address"},
        )
    return text


def validate_datasource(
    payload: Any, settings: Settings, user_id: int, process: Process | None
) -> DataSource:
    """A DataSource from an API/CLI payload, checked; raises BadInput with an ``errors`` map.

    ``process`` None checks a source whose agent is decided later (``process_id`` 0 until
    then). Blocking: an external_api URL's host may be resolved."""
    if not isinstance(payload, dict):
        raise BadInput("A data source must be an object.", errors={"datasource": "an object"})
    platform = str(payload.get("platform") or "").strip().lower()
    platform = PLATFORM_ALIASES.get(platform, platform)
    if platform not in PLATFORMS:
        raise BadInput(
            f"platform must be one of {', '.join(PLATFORMS)}.",
            errors={"platform": f"one of {', '.join(PLATFORMS)}"},
        )
    config = payload.get("config") or []
    if not isinstance(config, list) or not all(isinstance(c, dict) for c in config):
        raise BadInput("config must be a list of objects.", errors={"config": "a list of objects"})
    identifier = str(payload.get("resource_identifier") or "").strip()
    name = str(payload.get("resource_name") or "").strip()
    fmt = str(payload.get("resource_format") or "").strip()
    if platform == "external_api":
        if not config:
            config = [
                {
                    "name": name or "Portugal 2030",
                    "query_url": P2030_QUERY_URL,
                    "download_url": P2030_DOWNLOAD_URL,
                    "payload": {},
                }
            ]
        api = dict(config[0])
        missing = [k for k in ("name", "query_url", "download_url") if not api.get(k)]
        if missing:
            raise BadInput(
                f"config[0] needs {', '.join(missing)}.",
                errors={f"config.0.{k}": "required" for k in missing},
            )
        api["query_url"] = _http_url(api["query_url"], "config.0.query_url", settings)
        api["download_url"] = _http_url(api["download_url"], "config.0.download_url", settings)
        if not isinstance(api.get("payload", {}), dict):
            raise BadInput(
                "config[0].payload must be an object.", errors={"config.0.payload": "an object"}
            )
        config = [api, *config[1:]]
        identifier = identifier or api["query_url"]
        name = name or str(api["name"])
    elif platform == "local_file":
        if not identifier:
            raise BadInput(
                "A local_file source needs resource_identifier (a path).",
                errors={"resource_identifier": "required"},
            )
        path = safe_local_path(settings, identifier)
        identifier = str(path)
        name = name or path.name
    elif not identifier:
        raise BadInput(
            f"A {platform} source needs resource_identifier (the file or folder id).",
            errors={"resource_identifier": "required"},
        )
    return DataSource(
        id="",
        user_id=user_id,
        process_id=process.id if process is not None else 0,
        platform=platform,
        resource_identifier=identifier,
        resource_name=name or identifier,
        resource_format=fmt,
        config=config,
    )


def add_datasources(
    store: Store, settings: Settings, user: User, items: list[Any], numbered: bool
) -> list[DataSource]:
    """Create data sources from API/CLI payloads, all or none: every item is checked (and its
    ``process_id``/``agent_id`` found among the user's agents, or any for an administrator)
    before anything is written or a default agent made for items that name none. With
    ``numbered``, errors name the item (``"[2] ..."``, ``errors`` keys ``"2.field"``).
    Blocking: an external_api URL's host may be resolved."""

    def prefix(index: int) -> str:
        return f"[{index}] " if numbered else ""

    sources = []
    for index, item in enumerate(items):
        try:
            sources.append(validate_datasource(item, settings, user.id, None))
        except BadInput as exc:
            errors = {f"{index}.{k}" if numbered else k: v for k, v in exc.errors.items()} or {
                str(index): exc.message
            }
            raise BadInput(f"{prefix(index)}{exc.message}", errors=errors) from None
    owners: list[Process | None] = []
    for index, item in enumerate(items):
        pid = item.get("process_id") or item.get("agent_id")
        try:
            owners.append(
                None
                if pid in (None, "")
                else owned_process(store, pid, user.id, user.is_administrator)
            )
        except NotFound as exc:  # another user's agent is not revealed: 404 like everywhere
            raise NotFound(f"{prefix(index)}{exc.message}") from None
    default = None
    for source, owner in zip(sources, owners, strict=True):
        if owner is None:
            default = default or default_agent(store, settings, user.id)
            owner = default
        # An administrator may add a source to another user's agent: it is that user's.
        source.process_id, source.user_id = owner.id, owner.user_id
    return store.datasources.create_many(sources)


def update_datasource(
    store: Store, settings: Settings, source: DataSource, changes: dict[str, Any]
) -> DataSource:
    """Merge ``changes`` (platform, resource fields, config; other keys ignored) into a stored
    source, check the result as a whole, and save it. Its owner and agent never change."""
    merged: dict[str, Any] = {
        "platform": source.platform,
        "resource_identifier": source.resource_identifier,
        "resource_name": source.resource_name,
        "resource_format": source.resource_format,
        "config": source.config,
    }
    merged.update({k: v for k, v in changes.items() if k in merged})
    checked = validate_datasource(merged, settings, source.user_id, None)
    updated = store.datasources.update(
        source.id,
        {
            "platform": checked.platform,
            "resource_identifier": checked.resource_identifier,
            "resource_name": checked.resource_name,
            "resource_format": checked.resource_format,
            "config": checked.config,
        },
    )
    if updated is None:
        raise NotFound(f"Data source {source.id} not found.")
    return updated


def update_agent(store: Store, process: Process, changes: dict[str, Any]) -> Process:
    """Rename an agent or change its trigger type or configuration snapshot (None: unchanged)."""
    fields: dict[str, Any] = {}
    if changes.get("name") is not None:
        name = str(changes["name"]).strip()
        if not name:
            raise BadInput("name must not be empty.", errors={"name": "required"})
        fields["name"] = name
    if changes.get("trigger_type") is not None:
        fields["trigger_type"] = check_trigger_type(changes["trigger_type"])
    if changes.get("config_snapshot") is not None:
        fields["config_snapshot"] = changes["config_snapshot"]
    if not fields:
        return process
    return store.processes.update(process.id, fields) or process


def set_connection_emails(store: Store, user: User, emails: Any) -> list[str]:
    """Replace the user's connection e-mails (validated, de-duplicated); returns the list."""
    cleaned = clean_emails(emails, field="connection_emails")
    store.users.update(user.id, {"connection_emails": cleaned})
    return cleaned
