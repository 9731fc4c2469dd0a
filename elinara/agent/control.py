"""Starting, stopping, pausing and scheduling agents; queueing runs and tasks.

The server's /agent/control and /agent/task, its scheduler, and `elinara agent run-due` all act
through these functions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from elinara.agent.events import EventBus, RunEvents
from elinara.agent.inputs import agent_settings, resolve_upload
from elinara.agent.schedule import is_due, next_run_after, remaining_seconds
from elinara.agent.stages import empty_pipeline
from elinara.agents import agent_lease, check_execution_mode
from elinara.config import Settings
from elinara.errors import BadInput
from elinara.models import AgentSettings, Process, Run
from elinara.store import Store
from elinara.times import iso, parse_iso, utcnow
from elinara.views import task_view

ACTIONS = ("start", "stop", "pause", "resume")


def _events(
    bus: EventBus, process: Process, settings: AgentSettings, run_id: str = ""
) -> RunEvents:
    return RunEvents(
        bus, run_id, process.id, process.user_id, settings.llm_provider, settings.llm_model
    )


def active_runs(store: Store, process_id: int, kind: str | None = "run") -> list[Run]:
    return [r for r in store.runs.active_for_agent(process_id) if kind is None or r.kind == kind]


def queue_run(
    store: Store, process: Process, trigger: str, params: dict[str, Any] | None = None
) -> Run:
    run = Run(
        id="",
        agent_id=process.id,
        user_id=process.user_id,
        trigger=trigger,
        params=params or {},
        pipeline=empty_pipeline(),
    )
    return store.runs.create(run)


def queue_task(
    store: Store, settings: Settings, bus: EventBus, process: Process, filename: str, phone: str
) -> Run:
    filename = (filename or "").strip()
    if not filename:
        raise BadInput("filename is required.", errors={"filename": "required"})
    resolve_upload(store, settings, process.user_id, filename)  # unknown file: 404 now, not later
    run = Run(
        id="",
        agent_id=process.id,
        user_id=process.user_id,
        kind="task",
        trigger="task",
        params={"filename": filename, "phone": phone.strip()},
        pipeline=empty_pipeline(),
        message="queued",
    )
    run = store.runs.create(run)
    conf = agent_settings(store, settings, process.id, process.user_id)
    _events(bus, process, conf, run.id).task(task_view(run))
    return run


def _save(store: Store, conf: AgentSettings) -> AgentSettings:
    """Write what control changes, and only that: the scheduler and runs write other fields."""
    return store.settings.save_fields(conf, ("agent_status", "next_run", "execution_mode"))


def control_agent(
    store: Store,
    settings: Settings,
    bus: EventBus,
    process: Process,
    action: str,
    execution_mode: str | None = None,
) -> tuple[str, AgentSettings]:
    """Apply a control action; returns a message for the user and the agent's settings."""
    if action not in ACTIONS:
        raise BadInput(f"action must be one of {', '.join(ACTIONS)}.", errors={"action": "unknown"})
    if execution_mode:
        execution_mode = check_execution_mode(execution_mode)
    # Two starts at once (a double click, two servers) take turns, so one run is queued.
    with agent_lease(store, process.id):
        message, conf = _apply(store, settings, process, action, execution_mode)
    events = _events(bus, process, conf)
    events.status(process.status, conf.agent_status)
    return message, conf


def _apply(
    store: Store, settings: Settings, process: Process, action: str, execution_mode: str | None
) -> tuple[str, AgentSettings]:
    conf = agent_settings(store, settings, process.id, process.user_id)
    if execution_mode:
        conf.execution_mode = execution_mode
    now = utcnow()
    if action == "start":
        message = _start(store, process, conf, now, settings.timezone)
    elif action == "stop":
        message = _stop(store, process, conf)
    elif action == "pause":
        for run in active_runs(store, process.id, kind=None):
            store.runs.request(run.id, pause_requested=True)
        conf.agent_status = "paused"
        message = "Agent paused: the running work waits at its next safe point."
    else:
        for run in active_runs(store, process.id, kind=None):
            store.runs.request(run.id, pause_requested=False)
        running = bool(active_runs(store, process.id, kind=None))
        armed = conf.execution_mode in ("scheduled", "interval")
        conf.agent_status = "active" if (armed or running) else "stopped"
        if armed and conf.next_run is None:
            conf.next_run = iso(next_run_after(conf, now, settings.timezone))  # type: ignore[arg-type]
        message = "Agent resumed."
    return message, _save(store, conf)


def reschedule(store: Store, settings: Settings, bus: EventBus, process: Process) -> AgentSettings:
    """Re-arm an active agent after its schedule settings changed; never starts a run.

    A new interval or time moves the next run; a switch to manual disarms the schedule (the
    agent stays active only while a run of it is still going)."""
    conf = agent_settings(store, settings, process.id, process.user_id)
    if conf.agent_status != "active":
        return conf
    if conf.execution_mode in ("scheduled", "interval"):
        conf.next_run = iso(next_run_after(conf, utcnow(), settings.timezone))  # type: ignore[arg-type]
    else:
        conf.next_run = None
        if not active_runs(store, process.id, kind=None):
            conf.agent_status = "stopped"
    conf = _save(store, conf)
    _events(bus, process, conf).status(process.status, conf.agent_status)
    return conf


def _start(store: Store, process: Process, conf: AgentSettings, now: datetime, zone: str) -> str:
    conf.agent_status = "active"
    if conf.execution_mode in ("scheduled", "interval"):
        conf.next_run = iso(next_run_after(conf, now, zone))  # type: ignore[arg-type]
        return f"Schedule armed: next run at {conf.next_run}."
    conf.next_run = None
    if active_runs(store, process.id):
        return "A run of this agent is already queued or running."
    queue_run(store, process, "manual")
    return "Run queued."


def _stop(store: Store, process: Process, conf: AgentSettings) -> str:
    for run in active_runs(store, process.id, kind=None):
        if run.status != "queued" or not store.runs.cancel_if_queued(run.id):
            # claimed by a worker meanwhile (or running): it stops at its next safe point
            store.runs.request(run.id, cancel_requested=True, pause_requested=False)
    conf.agent_status = "stopped"
    conf.next_run = None
    return "Agent stopped; a running run ends at its next safe point."


def delete_agent(store: Store, settings: Settings, bus: EventBus, process: Process) -> None:
    """Stop the agent (its running work ends at the next safe point and, having lost its run,
    writes nothing more), then remove it with its data sources, settings, runs and matches."""
    if store.settings.get(process.id) is not None or active_runs(store, process.id, kind=None):
        control_agent(store, settings, bus, process, "stop")
    with agent_lease(store, process.id):  # a settings save waiting for it finds no agent
        store.delete_process(process.id)


def delete_user(store: Store, settings: Settings, bus: EventBus, user_id: int) -> None:
    for process in store.processes.list(user_id):
        delete_agent(store, settings, bus, process)
    store.delete_user(user_id)


def queue_due_runs(store: Store, settings: Settings, now: datetime) -> list[Run]:
    """Queue one run for every armed agent whose time has come (never overlapping its own run)."""
    queued: list[Run] = []
    for conf in store.settings.list_active():
        if not is_due(conf, now):
            continue
        process = store.processes.get(conf.id)
        if process is None:
            continue
        following = next_run_after(conf, now, settings.timezone)
        # The server's scheduler and `elinara agent run-due` may look at the same slot at once
        # (they hold different locks): only the one that moves next_run on queues the run.
        if not store.settings.claim_slot(
            conf.id, conf.next_run, iso(following) if following else None
        ):
            continue
        if active_runs(store, process.id):
            continue  # the previous run is still going: skip this slot
        queued.append(queue_run(store, process, conf.execution_mode))
    return queued


def due_reason(store: Store, conf: AgentSettings | None, now: datetime) -> tuple[bool, str]:
    """Whether an agent is due at ``now`` and why (or why not), in the user's words.

    The same test as ``queue_due_runs``: an active scheduled or interval agent whose next run
    has come; a due agent whose previous run still goes skips the slot."""
    if conf is None:
        return False, "never started: manual, no schedule armed"
    if conf.agent_status == "paused":
        return False, "paused: resume it to continue"
    if conf.agent_status != "active":
        return False, f"stopped: arm its schedule with 'elinara agent start {conf.id}'"
    if conf.execution_mode not in ("scheduled", "interval"):
        return False, "manual: it runs only when started, never on a schedule"
    moment = parse_iso(conf.next_run)
    if moment is None:
        return False, "no next run is set: start it again to arm the schedule"
    if moment > now:
        return False, f"not yet: next run at {conf.next_run} (in {countdown(moment - now)})"
    if active_runs(store, conf.id):
        return False, "due, but its previous run is still going: this slot is skipped"
    return True, f"due since {conf.next_run}"


def explain_due(
    store: Store, now: datetime, agent_ids: list[int] | None = None
) -> list[tuple[Process, bool, str]]:
    """(agent, due, why) for every agent (or these), for `run-due --explain`."""
    found = []
    for process in store.processes.list():
        if agent_ids is None or process.id in agent_ids:
            due, why = due_reason(store, store.settings.get(process.id), now)
            found.append((process, due, why))
    return found


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


def countdowns(store: Store, now: datetime) -> list[tuple[Process, AgentSettings, int]]:
    """(process, settings, seconds left) of every armed schedule."""
    out = []
    for conf in store.settings.list_active():
        if conf.execution_mode not in ("scheduled", "interval"):
            continue
        left = remaining_seconds(conf, now)
        process = store.processes.get(conf.id)
        if left is not None and process is not None:
            out.append((process, conf, left))
    return out


def status_view(store: Store, settings: Settings, process: Process) -> dict[str, Any]:
    conf = agent_settings(store, settings, process.id, process.user_id)
    runs = store.runs.list(agent_ids=[process.id], kind="run", limit=1)
    pipeline = runs[0].pipeline if runs and runs[0].pipeline else empty_pipeline()
    return {
        "id": conf.id,
        "agent_id": process.id,
        "agent_status": conf.agent_status,
        "plan": "Standard",
        "selected_model": conf.llm_model,
        "provider": conf.llm_provider,
        "execution_mode": conf.execution_mode,
        "next_run": conf.next_run,
        "last_run": conf.last_run,
        "pipeline": pipeline,
        "process_status": process.status,
    }
