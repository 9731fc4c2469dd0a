"""Data sources of an agent: checking API/CLI payloads, creating (all or none) and updating."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from elinara.agent.inputs import PLATFORM_ALIASES
from elinara.agent.lifecycle import default_agent, owned_agent
from elinara.agent.uploads import local_source_path
from elinara.config import P2030_DOWNLOAD_URL, P2030_QUERY_URL, Settings
from elinara.errors import BadInput, NotFound
from elinara.models import Agent, DataSource, User
from elinara.net import internal_host
from elinara.store import Store

PLATFORMS = ("google_drive", "sharepoint", "external_api", "local_file")


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
    payload: Any,
    settings: Settings,
    user_id: int,
    agent: Agent | None,
    operator: bool = False,
) -> DataSource:
    """A DataSource from an API/CLI payload, checked; raises BadInput with an ``errors`` map.

    ``agent`` None checks a source whose agent is decided later (``agent_id`` 0 until
    then). A ``local_file`` path names one of the user's uploads, or, for an ``operator`` (the
    CLI, an administrator), anything in the shared files folder (elinara/agent/uploads.py).
    Blocking: an external_api URL's host may be resolved."""
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
                    "query_url": settings.p2030_query_url,
                    "download_url": settings.p2030_download_url,
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
        path = local_source_path(settings, user_id, identifier, operator)
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
        agent_id=agent.id if agent is not None else 0,
        platform=platform,
        resource_identifier=identifier,
        resource_name=name or identifier,
        resource_format=fmt,
        config=config,
    )


def add_datasources(
    store: Store,
    settings: Settings,
    user: User,
    items: list[Any],
    numbered: bool,
    operator: bool = False,
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
            sources.append(validate_datasource(item, settings, user.id, None, operator))
        except BadInput as exc:
            errors = {f"{index}.{k}" if numbered else k: v for k, v in exc.errors.items()} or {
                str(index): exc.message
            }
            raise BadInput(f"{prefix(index)}{exc.message}", errors=errors) from None
    owners: list[Agent | None] = []
    for index, item in enumerate(items):
        pid = item.get("process_id") or item.get("agent_id")
        try:
            owners.append(
                None
                if pid in (None, "")
                else owned_agent(store, pid, user.id, user.is_administrator)
            )
        except NotFound as exc:  # another user's agent is not revealed: 404 like everywhere
            raise NotFound(f"{prefix(index)}{exc.message}") from None
    default = None
    for source, owner in zip(sources, owners, strict=True):
        if owner is None:
            default = default or default_agent(store, settings, user.id)
            owner = default
        # An administrator may add a source to another user's agent: it is that user's.
        source.agent_id, source.user_id = owner.id, owner.user_id
    return store.datasources.create_many(sources)


def update_datasource(
    store: Store,
    settings: Settings,
    source: DataSource,
    changes: dict[str, Any],
    operator: bool = False,
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
    checked = validate_datasource(merged, settings, source.user_id, None, operator)
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
