"""When an agent runs: manual, daily at HH:MM (in the configured zone), or every N minutes."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from elinara.models import AgentSettings
from elinara.times import parse_iso


def next_run_after(settings: AgentSettings, after: datetime, zone: str) -> datetime | None:
    """The first scheduled moment strictly after ``after`` (None for manual agents)."""
    if settings.execution_mode == "interval":
        return after + timedelta(minutes=max(1, settings.execution_interval))
    if settings.execution_mode == "scheduled":
        tz = ZoneInfo(zone)
        hour, minute = (int(part) for part in settings.scheduled_time.split(":"))
        local = after.astimezone(tz)
        candidate = datetime.combine(local.date(), time(hour, minute), tz)
        if candidate <= local:
            candidate = datetime.combine(local.date() + timedelta(days=1), time(hour, minute), tz)
        return candidate
    return None


def is_due(settings: AgentSettings, now: datetime) -> bool:
    moment = parse_iso(settings.next_run)
    return (
        settings.agent_status == "active"
        and settings.execution_mode in ("scheduled", "interval")
        and moment is not None
        and moment <= now
    )


def remaining_seconds(settings: AgentSettings, now: datetime) -> int | None:
    moment = parse_iso(settings.next_run)
    if moment is None:
        return None
    return max(0, int((moment - now).total_seconds()))
