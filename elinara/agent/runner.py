"""Executing runs: claimed from the queue by workers, or started directly by the CLI.

Whoever executes a run holds a lease on it and renews it from a heartbeat thread; a run whose
lease lapses (its worker was killed) is put back in the queue and executed again by another
worker. Matches are idempotent, so a run executed twice still stores each match once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from elinara.agent.context import RunControl, RunOutcome, empty_counts
from elinara.agent.events import EventBus, RunEvents
from elinara.agent.inputs import build_plan
from elinara.agent.lifecycle import queue_due_runs
from elinara.agent.options import RunOptions
from elinara.agent.pipeline import Pipeline
from elinara.agent.stages import empty_pipeline
from elinara.config import Settings
from elinara.errors import ElinaraError
from elinara.models import LOCAL_AGENT_ID, Run
from elinara.store import Store
from elinara.times import now_iso, utcnow
from elinara.views import task_view

log = logging.getLogger(__name__)

PROCESS_STATUS = {"completed": "completed", "failed": "failed", "cancelled": "idle"}


def new_worker_id(prefix: str = "worker") -> str:
    return f"{prefix}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Heartbeat:
    """Renews a run's lease and reads its cancel / pause flags while it executes."""

    def __init__(self, store: Store, run_id: str, worker_id: str, lease_seconds: int) -> None:
        self.store = store
        self.run_id = run_id
        self.worker_id = worker_id
        self.lease_seconds = lease_seconds
        self.flags: dict[str, bool] = {}
        self.shutdown = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{run_id}", daemon=True)

    def start(self) -> None:
        self.poll()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def poll(self) -> dict[str, bool]:
        run = self.store.runs.renew(self.run_id, self.worker_id, self.lease_seconds)
        if run is None:
            self.flags = {"lost": True}
        else:
            self.flags = {"cancel": run.cancel_requested, "pause": run.pause_requested}
        if self.shutdown.is_set():
            self.flags["cancel"] = True
        return self.flags

    def _beat(self) -> None:
        interval = max(self.lease_seconds / 3, 0.2)
        while not self._stop.wait(interval):
            try:
                self.poll()
            except ElinaraError as exc:  # the database hiccuped; the next beat tries again
                log.warning("heartbeat of run %s failed: %s", self.run_id, exc)


def execute(
    store: Store,
    settings: Settings,
    bus: EventBus,
    run: Run,
    worker_id: str,
    shutdown: threading.Event | None = None,
) -> RunOutcome:
    """Execute a run this worker holds, record its end, and publish the result."""
    heartbeat = Heartbeat(store, run.id, worker_id, settings.lease_seconds)
    if shutdown is not None:
        heartbeat.shutdown = shutdown
    heartbeat.start()
    try:
        return _execute(store, settings, bus, run, worker_id, heartbeat)
    except BaseException as exc:  # a bug, or Ctrl-C: record the end rather than leave it running
        interrupted = not isinstance(exc, Exception)
        if not interrupted:
            log.exception("run %s failed with an internal error", run.id)
        outcome = RunOutcome(
            status="cancelled" if interrupted else "failed",
            counts=empty_counts(),
            message="Interrupted."
            if interrupted
            else f"Internal error ({type(exc).__name__}); see the worker log.",
        )
        events = RunEvents(
            bus,
            run.id,
            run.agent_id,
            run.user_id,
            settings.default_provider,
            settings.default_model,
        )
        events.error(outcome.message)
        _finish(store, run, worker_id, outcome, empty_pipeline(), events)
        if interrupted:
            raise
        return outcome
    finally:
        heartbeat.stop()


def _execute(
    store: Store,
    settings: Settings,
    bus: EventBus,
    run: Run,
    worker_id: str,
    heartbeat: Heartbeat,
) -> RunOutcome:
    provider = str(run.params.get("provider") or settings.default_provider)
    events = RunEvents(bus, run.id, run.agent_id, run.user_id, provider, settings.default_model)
    run.status = "running"
    store.runs.update_held(
        run.id, worker_id, {"started_at": run.started_at or now_iso(), "message": "started"}
    )
    _set_agent(store, run, "running")
    try:
        plan = build_plan(store, settings, run)
    except ElinaraError as exc:
        outcome = RunOutcome(status="failed", counts=empty_counts(), message=exc.message, error=exc)
        events.error(exc.message)
        _finish(store, run, worker_id, outcome, empty_pipeline(), events)
        return outcome
    events.provider, events.model = plan.provider, plan.model
    if run.kind == "task":
        events.task(task_view(store.runs.get(run.id) or run))
    events.status("running", _agent_status(store, run))

    last_report = [0.0]

    def on_progress(percent: int, message: str) -> None:
        now = time.monotonic()
        if percent < 100 and now - last_report[0] < 0.5:
            return
        last_report[0] = now
        store.runs.update_held(
            run.id, worker_id, {"progress": min(percent, 99), "message": message}
        )
        if run.kind == "task":
            current = store.runs.get(run.id)
            if current is not None:
                events.task(task_view(current))

    control = RunControl(poll=heartbeat.poll)
    control.on_pause = lambda paused: _on_pause(store, run, worker_id, events, paused)
    pipeline = Pipeline(plan, run.id, store, settings, events, control, on_progress, worker_id)
    outcome = pipeline.run()
    if (
        heartbeat.shutdown.is_set()
        and outcome.status == "cancelled"
        and not heartbeat.flags.get("lost")
    ):
        current = store.runs.get(run.id)
        if current is not None and not current.cancel_requested:
            store.runs.update_held(
                run.id,
                worker_id,
                {
                    "status": "queued",
                    "worker_id": None,
                    "lease_until": None,
                    "message": "requeued: the worker shut down",
                },
            )
            events.thought("The worker is shutting down; the run goes back to the queue.")
            return outcome
    _finish(store, run, worker_id, outcome, pipeline.ctx.stages.snapshot(), events)
    return outcome


def _agent_status(store: Store, run: Run) -> str:
    if run.agent_id == LOCAL_AGENT_ID:
        return "active"
    settings = store.settings.get(run.agent_id)
    return settings.agent_status if settings else "stopped"


def _on_pause(store: Store, run: Run, worker_id: str, events: RunEvents, paused: bool) -> None:
    if not store.runs.update_held(run.id, worker_id, {"status": "paused" if paused else "running"}):
        return  # another worker took the run over
    _set_agent(store, run, "paused" if paused else "running")
    events.status("paused" if paused else "running", "paused" if paused else "active")
    events.thought("Paused at a safe point." if paused else "Resumed.")


def _set_agent(store: Store, run: Run, status: str) -> None:
    if run.agent_id != LOCAL_AGENT_ID:
        store.agents.update(run.agent_id, {"status": status})


def _finish(
    store: Store,
    run: Run,
    worker_id: str,
    outcome: RunOutcome,
    pipeline: dict[str, Any],
    events: RunEvents,
) -> None:
    kept = store.runs.finish(
        run.id,
        worker_id,
        {
            "status": outcome.status,
            "counts": outcome.counts,
            "usage": outcome.usage,
            "message": outcome.message,
            "pipeline": pipeline,
            "progress": 100,
            "warnings": outcome.warnings,
        },
    )
    if not kept:  # another worker took the run over after our lease lapsed; it reports
        log.warning("run %s was taken over by another worker; not recording this end", run.id)
        return
    _set_agent(store, run, PROCESS_STATUS.get(outcome.status, "idle"))
    conf = store.settings.get(run.agent_id) if run.agent_id != LOCAL_AGENT_ID else None
    if conf is not None:
        fields: dict[str, Any] = {"last_run": now_iso()}
        others = [r for r in store.runs.active_for_agent(run.agent_id) if r.id != run.id]
        if conf.execution_mode == "manual" and conf.agent_status == "active" and not others:
            fields["agent_status"] = "stopped"  # a manual start lasts one run
        store.settings.update(run.agent_id, fields)
    final = store.runs.get(run.id)
    if run.kind == "task" and final is not None:
        events.task(task_view(final))
    events.status(outcome.status, _agent_status(store, run))


def run_now(
    store: Store,
    settings: Settings,
    bus: EventBus,
    options: RunOptions,
    agent_id: int = LOCAL_AGENT_ID,
    user_id: int | None = None,
    trigger: str = "cli",
) -> tuple[Run, RunOutcome]:
    """Create a run held by this process and execute it here (the CLI's `agent run`)."""
    worker_id = new_worker_id("cli")
    run = Run(
        id="",
        agent_id=agent_id,
        user_id=user_id,
        trigger=trigger,
        status="running",
        params=options.to_params(),
        worker_id=worker_id,
        attempts=1,
    )
    run = store.runs.create(run)
    store.runs.renew(run.id, worker_id, settings.lease_seconds)
    outcome = execute(store, settings, bus, run, worker_id)
    return store.runs.get(run.id) or run, outcome


def execute_queued(
    store: Store, settings: Settings, bus: EventBus, run_id: str, worker_id: str | None = None
) -> tuple[Run, RunOutcome] | None:
    """Take one queued run and execute it here (`run-due`, `agent start --now`); None when a
    worker took it first (or it is no longer queued)."""
    holder = worker_id or new_worker_id("cli")
    claimed = store.runs.claim(run_id, holder, settings.lease_seconds)
    if claimed is None:
        return None
    outcome = execute(store, settings, bus, claimed, holder)
    return store.runs.get(run_id) or claimed, outcome


class Worker:
    """Claims queued runs from the store and executes them, ``concurrency`` at a time."""

    def __init__(
        self,
        store_factory: Callable[[], Store],
        settings: Settings,
        bus_factory: Callable[[Store], EventBus],
        concurrency: int = 1,
        poll_seconds: float = 0.5,
        worker_id: str | None = None,
    ) -> None:
        self.store_factory = store_factory
        self.settings = settings
        self.bus_factory = bus_factory
        self.concurrency = max(1, concurrency)
        self.poll_seconds = poll_seconds
        self.worker_id = worker_id or new_worker_id()
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for index in range(self.concurrency):
            thread = threading.Thread(
                target=self._loop,
                args=(f"{self.worker_id}-{index}",),
                daemon=True,
                name=f"elinara-worker-{index}",
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, grace_seconds: float) -> None:
        """Stop claiming; running work stops at its next safe point and goes back to the queue."""
        self.stopping.set()
        deadline = time.monotonic() + grace_seconds
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

    def run_one(self, store: Store, bus: EventBus, worker_id: str) -> bool:
        run = store.runs.claim_next(worker_id, self.settings.lease_seconds)
        if run is None:
            return False
        log.info("worker %s claimed run %s (attempt %s)", worker_id, run.id, run.attempts)
        execute(store, self.settings, bus, run, worker_id, shutdown=self.stopping)
        return True

    def _loop(self, worker_id: str) -> None:
        store = self.store_factory()
        bus = self.bus_factory(store)
        while not self.stopping.is_set():
            try:
                worked = self.run_one(store, bus, worker_id)
            except ElinaraError as exc:
                log.error("worker %s: %s", worker_id, exc.message)
                worked = False
            except Exception:
                log.exception("worker %s crashed on a run; continuing", worker_id)
                worked = False
            if not worked:
                self.stopping.wait(self.poll_seconds)


def run_due_agents(
    store: Store, settings: Settings, bus: EventBus, now: datetime | None = None
) -> list[dict[str, Any]] | None:
    """Run here, once, every agent whose schedule is due at ``now`` (default: the clock; cron's
    `agent run-due`); None when another run-due holds the lock. A due run a server's worker
    claims first runs there."""
    holder = new_worker_id("run-due")
    if not store.locks.acquire("run-due", holder, settings.lease_seconds * 10):
        return None
    results: list[dict[str, Any]] = []
    try:
        for queued in queue_due_runs(store, settings, now or utcnow()):
            done = execute_queued(store, settings, bus, queued.id, holder)
            if done is None:
                continue
            claimed, outcome = done
            results.append(
                {
                    "run_id": claimed.id,
                    "agent_id": claimed.agent_id,
                    "status": outcome.status,
                    "message": outcome.message,
                    "counts": outcome.counts,
                }
            )
    finally:
        store.locks.release("run-due", holder)
    return results
