"""Checks of an agent's fields (execution mode, trigger type, settings changes, e-mail lists),
shared by the CLI and the API: each returns the normalised value or raises BadInput."""

from __future__ import annotations

import re
from typing import Any

from elinara.accounts import clean_emails
from elinara.agent.llm.registry import PROVIDERS
from elinara.errors import BadInput
from elinara.models import MAX_ID

TRIGGER_TYPES = ("manual", "scheduled", "interval", "webhook")
EXECUTION_MODES = ("manual", "scheduled", "interval")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
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
    """An agent's trigger type, a label the frontend keeps (nothing runs on it: see
    ``AgentSettings.execution_mode``; docs/api.md, Agents), lower-cased; else a 400."""
    return _one_of(value, TRIGGER_TYPES, field)


def check_execution_mode(value: Any, field: str = "execution_mode") -> str:
    """An agent's execution mode (docs/api.md, Agent settings), lower-cased; anything else is a 400."""
    return _one_of(value, EXECUTION_MODES, field)


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
            out[key] = _one_of(value, tuple(PROVIDERS), key)
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
