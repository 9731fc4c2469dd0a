"""Public shapes of stored objects (docs/api.md): what the API returns and `--json` prints.

Never includes password hashes or provider tokens.
"""

from __future__ import annotations

from typing import Any

from elinara.cloud import OAUTH_PROVIDERS
from elinara.models import Agent, AgentSettings, DataSource, Match, Run, User
from elinara.store import Store
from elinara.times import parse_iso


def user_view(store: Store, user: User) -> dict[str, Any]:
    linked = {doc["provider"]: doc for doc in store.provider_tokens.for_user(user.id)}
    providers = {
        name: {"connected": name in linked, "email": linked.get(name, {}).get("email")}
        for name in OAUTH_PROVIDERS
    }
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "firstname": user.firstname,
        "lastname": user.lastname,
        "phone": user.phone,
        "country": user.country,
        "address": user.address,
        "postal_code": user.postal_code,
        "role": "admin" if user.is_administrator else "user",
        "is_administrator": user.is_administrator,
        "email_verified": user.email_verified,
        "has_drive_access": bool(linked.get("google", {}).get("drive")),
        "has_microsoft_drive_access": bool(linked.get("microsoft", {}).get("drive")),
        "providers": providers,
        "created_at": user.created_at,
    }


def process_view(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.id,
        "user_id": agent.user_id,
        "name": agent.name,
        "status": agent.status,
        "trigger_type": agent.trigger_type,
        "config_snapshot": agent.config_snapshot,
        "created_at": agent.created_at,
        "updated_at": agent.updated_at,
    }


def settings_view(settings: AgentSettings) -> dict[str, Any]:
    return {
        "id": settings.id,
        "user_id": settings.user_id,
        "agent_id": settings.id,
        "agent_status": settings.agent_status,
        "execution_mode": settings.execution_mode,
        "execution_interval": settings.execution_interval,
        "scheduled_time": settings.scheduled_time,
        "alert_emails": list(settings.alert_emails),
        "llm_provider": settings.llm_provider,
        "llm_model": settings.llm_model,
        "min_score": settings.min_score,
        "max_cost_usd": settings.max_cost_usd,
        "max_calls": settings.max_calls,
        "next_run": settings.next_run,
        "last_run": settings.last_run,
    }


def datasource_view(source: DataSource, agent_name: str = "") -> dict[str, Any]:
    return {
        "id": source.id,
        "user_id": source.user_id,
        "process_id": str(source.agent_id),
        "agent_id": source.agent_id,
        "agent_name": agent_name,
        "platform": source.platform,
        "resource_identifier": source.resource_identifier,
        "resource_name": source.resource_name,
        "resource_format": source.resource_format,
        "config": source.config,
        "created_at": source.created_at,
        "updated_at": source.updated_at,
    }


TASK_STATUS = {"running": "processing", "paused": "processing"}


def task_statuses(shown: str) -> list[str]:
    """The stored run statuses an AgentTask status stands for ("processing": running, paused)."""
    return [stored for stored, view in TASK_STATUS.items() if view == shown] or [shown]


def task_view(run: Run) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": run.id,
        "agent_id": run.agent_id,
        "filename": run.params.get("filename", ""),
        "phone": run.params.get("phone", ""),
        "status": TASK_STATUS.get(run.status, run.status),
        "progress": run.progress,
        "message": run.message,
        "created_at": run.created_at,
        "updated_at": run.updated_at,
    }
    if run.status == "completed":
        view["result"] = {
            "leads": run.counts.get("leads", 0),
            "calls": run.counts.get("calls", 0),
            "matches": run.counts.get("matches", 0),
        }
    return view


def match_view(match: Match) -> dict[str, Any]:
    return {
        "id": match.id,
        "aviso_id": match.aviso_id,
        "title": match.title,
        "match_score": match.match_score,
        "reasoning": match.reasoning,
        "matched_at": match.matched_at,
        "task_id": match.run_id,
        "agent_id": match.agent_id,
        "company": match.company,
        "nif": match.lead_key,
        "eligible": match.eligible,
        "provider": match.provider,
        "model": match.model,
    }


def run_view(run: Run) -> dict[str, Any]:
    """A run as `elinara agent runs --json` prints it (newest first there)."""
    started, finished = parse_iso(run.started_at), parse_iso(run.finished_at)
    return {
        "id": run.id,
        "agent_id": run.agent_id,
        "kind": run.kind,
        "trigger": run.trigger,
        "status": run.status,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "duration_seconds": round((finished - started).total_seconds(), 1)
        if started and finished
        else None,
        "counts": dict(run.counts),
        "message": run.message,
        "stages": run.pipeline,
        "warnings": list(run.warnings),
        "usage": dict(run.usage),
    }
