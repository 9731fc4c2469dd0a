"""The shipped sample calls, moved in time so that they keep their status relative to today.

A run whose params can carry ``as_of`` passes the sample's recording day and reads the sample as
it is. A run that cannot (one the server, its scheduler or ``agent run-due`` queues for an agent)
judges calls on the real today: :func:`fresh_sample_calls` writes the sample with every calendar
date moved by the same whole number of days, so that each call is open, closed or scheduled today
exactly as it was on the recording day (no date of the sample is within a month of it).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from elinara.agent.inputs import SAMPLE_AS_OF, SAMPLE_CALLS
from elinara.times import local_day, utcnow

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})((?:[ T]\d{2}:\d{2}(?::\d{2})?)?)$")


def _shift(value: Any, days: timedelta) -> Any:
    if isinstance(value, dict):
        return {key: _shift(item, days) for key, item in value.items()}
    if isinstance(value, list):
        return [_shift(item, days) for item in value]
    if isinstance(value, str) and (found := _DATE.match(value)):
        return (date.fromisoformat(found[1]) + days).isoformat() + found[2]
    return value


def fresh_sample_calls(path: Path) -> Path:
    """Write the sample calls to ``path`` (a file, or a folder to hold ``p2030_avisos.json``)
    with every date moved from the recording day to today (Lisbon)."""
    if path.suffix != ".json":
        path = path / SAMPLE_CALLS.name
    path.parent.mkdir(parents=True, exist_ok=True)
    recorded = date.fromisoformat(local_day(SAMPLE_AS_OF))
    today = date.fromisoformat(local_day(utcnow()))
    pages = json.loads(SAMPLE_CALLS.read_text(encoding="utf-8"))
    shifted = _shift(pages, today - recorded)
    path.write_text(json.dumps(shifted, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
