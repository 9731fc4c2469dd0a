"""The server's scheduler, one tick a second: queue the runs of armed agents whose time has come,
purge old events hourly, and report the countdowns of armed schedules.

One server at a time does it (the ``scheduler`` lock in the store); `elinara agent run-due` is the
cron equivalent without a server. The server emits the countdowns to sockets (server/realtime.py).
"""

from __future__ import annotations

import time

from elinara.agent.lifecycle import countdowns, queue_due_runs
from elinara.config import Settings
from elinara.models import Agent, AgentSettings
from elinara.store import Store
from elinara.times import utcnow

PURGE_SECONDS = 3600.0
LOCK_SECONDS = 5


class Scheduler:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.holder = f"scheduler-{id(self)}"
        self.next_purge = 0.0  # old events and revocations go soon after start, then hourly

    def tick(self) -> list[tuple[Agent, AgentSettings, int]]:
        """Blocking. Due runs queued and the countdowns (agent, settings, seconds left) to
        emit, by the holder of the scheduler lock only (with a shared Socket.IO queue, every
        server's emit reaches every browser); another server's tick returns nothing."""
        now = utcnow()
        if not self.store.locks.acquire("scheduler", self.holder, LOCK_SECONDS):
            return []
        queue_due_runs(self.store, self.settings, now)
        if time.monotonic() >= self.next_purge:
            self.next_purge = time.monotonic() + PURGE_SECONDS
            self.store.purge(self.settings.events_keep_days)
        return countdowns(self.store, now)
