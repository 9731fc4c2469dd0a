"""What every command shares: settings, the store, output helpers."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from typing import Any

from elinara.config import Settings, load_settings
from elinara.errors import BadInput
from elinara.store import Store, open_store
from elinara.times import LISBON


@dataclass
class CliState:
    debug: bool = False
    _settings: Settings | None = None
    _store: Store | None = None


state = CliState()


def settings() -> Settings:
    if state._settings is None:
        state._settings = load_settings()
    return state._settings


def store() -> Store:
    if state._store is None:
        state._store = open_store(settings().database_url)
    return state._store


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def console(stderr: bool = False) -> Any:
    """A Rich console; when output is not a terminal, lines are not wrapped at 80 columns."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 160
    return Console(stderr=stderr, highlight=False, width=width)


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    """KEY=VALUE arguments as a dict; BadInput naming the first that is not one."""
    found: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadInput(f"{pair!r} is not KEY=VALUE.")
        found[key.strip()] = value.strip()
    return found


def parse_moment(
    text: str, flag: str, zone: tzinfo = LISBON, bare_date_at: time | None = None
) -> datetime:
    """A date or moment given to ``flag``, in ``zone`` when it names none; a bare date
    (YYYY-MM-DD) is that day at ``bare_date_at`` (required: a flag taking a bare date says
    which time it means)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        expected = "a date (YYYY-MM-DD)" if bare_date_at else "a moment (YYYY-MM-DDTHH:MM)"
        raise BadInput(f"{flag} {text!r} is not {expected}.") from None
    if moment.tzinfo is None:
        if bare_date_at is not None and len(text) <= 10:
            return datetime.combine(moment.date(), bare_date_at, zone)
        return moment.replace(tzinfo=zone)
    return moment


def as_of_iso(text: str | None) -> str | None:
    """An --as-of value as an ISO moment: a bare date is its midday in Lisbon (call dates are
    Lisbon time, see elinara/times.py)."""
    return parse_moment(text, "--as-of", bare_date_at=time(12)).isoformat() if text else None
