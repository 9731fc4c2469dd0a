"""Timestamps: always aware; stored as fixed-width ISO 8601 UTC strings so they sort as text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

# Portugal 2030 publishes its calls' dates in Lisbon time, without a zone: whether a call is
# open on a day, and a bare --as-of/--since date, are read in Lisbon whatever the `timezone`
# setting says (that one is the operator's: schedules and the dates in alert e-mails).
LISBON = ZoneInfo("Europe/Lisbon")


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Fixed-width UTC text: ``2026-11-26T14:25:14.123456+00:00``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def now_iso() -> str:
    return iso(utcnow())


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def local_day(moment: datetime) -> str:
    """The calendar day in Lisbon (where calls open and close): ``2026-12-01``."""
    return moment.astimezone(LISBON).date().isoformat()


def countdown(left: timedelta) -> str:
    """``2d 3h``, ``3h 05m``, ``4m 09s``, ``12s``: a remaining time at a glance."""
    seconds = max(0, int(left.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {seconds:02d}s"
    return f"{seconds}s"
