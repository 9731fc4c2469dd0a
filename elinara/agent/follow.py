"""Following a run from the store's events, wherever it executes (a server's worker, another
terminal, cron): every run writes its events to the store, so reading them back in order is
enough to show it live (`elinara agent watch`), as the server's relay does for sockets."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from elinara.agent.events import Event
from elinara.errors import BadInput, NotFound
from elinara.models import Agent, Run
from elinara.store import Store

ENDED = ("completed", "failed", "cancelled")
ACTIVE = ("queued", "running", "paused")
SETTLE_SECONDS = 2.0


def run_to_watch(store: Store, target: str | None, agents_in_scope: list[Agent]) -> Run:
    """The run ``target`` names: a run id, or an agent id (its run queued or going, else its
    latest); with no target, the one run going among ``agents_in_scope``."""
    ids = [agent.id for agent in agents_in_scope]
    if target and not target.isdigit():
        run = store.runs.get(target)
        if run is None or run.agent_id not in ids:
            raise NotFound(f"Run {target} does not exist; see 'elinara agent runs'.")
        return run
    if target:
        agent_id = int(target)
        if agent_id not in ids:
            raise NotFound(f"Agent {agent_id} does not exist; see 'elinara agent list'.")
        going = store.runs.active_for_agent(agent_id)
        if going:
            return going[0]
        latest = store.runs.list(agent_ids=[agent_id], limit=1)
        if not latest:
            raise BadInput(
                f"Agent {agent_id} has never run; start it with 'elinara agent start {agent_id}'."
            )
        return latest[0]
    going = [run for status in ACTIVE for run in store.runs.list(agent_ids=ids, status=status)]
    if not going:
        raise BadInput("No run is queued or going; name an agent or a run to watch.")
    if len({run.agent_id for run in going}) > 1:
        agents = ", ".join(str(i) for i in sorted({run.agent_id for run in going}))
        raise BadInput(f"Runs of several agents are going ({agents}); say which to watch.")
    return min(going, key=lambda run: run.created_at)


def follow_run(
    store: Store,
    run_id: str,
    listener: Callable[[Event], None],
    poll_seconds: float = 0.1,
    stop: threading.Event | None = None,
) -> Run:
    """Hand every event of the run to ``listener``, in order, from its first, until the run
    ends; returns the run as it ended (or as it is when ``stop`` is set).

    Event numbers are taken just before an event is written, so two writers may land theirs in
    the other order: events are read again from the last one seen ``SETTLE_SECONDS`` ago (as
    the server's relay waits for a gap), and each is handed on once."""
    stop = stop or threading.Event()
    settled = 0  # every event up to here was handed on, and no late one can land below it
    recent: dict[int, float] = {}  # events handed on since: number -> when
    while True:
        run = store.runs.get(run_id)  # read before its events: an end read here has all of them
        if run is None:
            raise NotFound(f"Run {run_id} is gone (its agent was deleted).")
        for doc in store.events.for_run(run_id, after_seq=settled):
            seq = int(doc["seq"])
            if seq in recent:
                continue
            recent[seq] = time.monotonic()
            listener(
                Event(
                    doc["event"],
                    doc["payload"],
                    doc.get("run_id"),
                    doc.get("agent_id"),
                    doc.get("user_id"),
                )
            )
        old = [seq for seq, seen in recent.items() if time.monotonic() - seen > SETTLE_SECONDS]
        if old:
            settled = max(settled, *old)
            recent = {seq: seen for seq, seen in recent.items() if seq > settled}
        if run.status in ENDED or stop.wait(poll_seconds):
            return run
