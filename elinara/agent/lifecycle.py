"""An agent's life: creation, the lease on its changes, settings updates, start / stop / pause /
resume, scheduling, queueing runs and tasks, and deletion.

The server's routes, its scheduler, the CLI's `elinara agent ...` commands and
`elinara agent run-due` all act through these functions.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from elinara.agent.checks import check_execution_mode, check_trigger_type, validate_settings_changes
from elinara.agent.events import EventBus, RunEvents
from elinara.agent.inputs import agent_settings, resolve_upload
from elinara.agent.options import RunOptions
from elinara.agent.schedule import is_due, next_run_after, remaining_seconds
from elinara.agent.stages import empty_pipeline
from elinara.config import Settings
from elinara.errors import BadInput, Conflict, NotFound
from elinara.models import MAX_ID, Agent, AgentSettings, Run
from elinara.store import Store
from elinara.times import countdown, iso, parse_iso, utcnow
from elinara.views import task_view

ACTIONS = ("start", "stop", "pause", "resume")
DEFAULT_AGENT_NAME = "Default agent"
SCHEDULE_FIELDS = frozenset({"execution_mode", "execution_interval", "scheduled_time"})


def create_agent(
    store: Store,
    settings: Settings,
    user_id: int,
    name: str,
    trigger_type: str = "manual",
    config_snapshot: dict[str, Any] | None = None,
) -> Agent:
    name = (name or "").strip()
    if not name:
        raise BadInput("An agent needs a name.", errors={"name": "required"})
    trigger_type = check_trigger_type(trigger_type)
    cap = settings.max_processes_per_user
    if store.agents.count(user_id) >= cap:
        raise Conflict(f"You already have {cap} agents, the most allowed; delete one first.")
    return store.agents.create(
        Agent(
            id=0,
            user_id=user_id,
            name=name,
            trigger_type=trigger_type,
            config_snapshot=config_snapshot or {},
        )
    )


def default_agent(store: Store, settings: Settings, user_id: int) -> Agent:
    """The user's first agent, created on first use."""
    found = store.agents.first_of(user_id)
    if found is not None:
        return found
    return store.agents.create(Agent(id=0, user_id=user_id, name=DEFAULT_AGENT_NAME))


def owned_agent(store: Store, agent_id: Any, user_id: int, is_admin: bool = False) -> Agent:
    """The process if the caller owns it (or is an admin); otherwise NotFound, never revealed."""
    try:
        pid = int(agent_id)
    except (TypeError, ValueError):
        raise NotFound(f"Agent {agent_id} not found.") from None
    if not 0 < pid <= MAX_ID:  # beyond what a store can hold: no such agent
        raise NotFound(f"Agent {agent_id} not found.")
    agent = store.agents.get(pid)
    if agent is None or (agent.user_id != user_id and not is_admin):
        raise NotFound(f"Agent {agent_id} not found.")
    return agent


def update_agent(store: Store, agent: Agent, changes: dict[str, Any]) -> Agent:
    """Rename an agent or change its trigger type or configuration snapshot (None: unchanged)."""
    fields: dict[str, Any] = {}
    if changes.get("name") is not None:
        name = str(changes["name"]).strip()
        if not name:
            raise BadInput("name must not be empty.", errors={"name": "required"})
        fields["name"] = name
    if changes.get("trigger_type") is not None:
        fields["trigger_type"] = check_trigger_type(changes["trigger_type"])
    if changes.get("config_snapshot") is not None:
        fields["config_snapshot"] = changes["config_snapshot"]
    if not fields:
        return agent
    return store.agents.update(agent.id, fields) or agent


def settings_for(store: Store, settings: Settings, agent: Agent) -> AgentSettings:
    return agent_settings(store, settings, agent.id, agent.user_id)


def agent_lease(store: Store, agent_id: int) -> AbstractContextManager[None]:
    """Changes to one agent's settings (a start, a settings save) take turns across requests
    and servers, so that neither writes back settings the other has just changed."""
    return store.locks.held(
        f"agent-{agent_id}", "Another change to this agent is in progress; try again."
    )


def update_settings(
    store: Store,
    settings: Settings,
    agent: Agent,
    changes: dict[str, Any],
    bus: EventBus | None = None,
) -> AgentSettings:
    """Apply a partial settings update; an active agent whose schedule changed is re-armed
    (the next run moves; a switch to manual disarms it), and says so on ``bus``."""
    checked = validate_settings_changes(changes)
    with agent_lease(store, agent.id):
        if store.agents.get(agent.id) is None:  # deleted while this waited
            raise NotFound(f"Agent {agent.id} does not exist.")
        current = settings_for(store, settings, agent)
        for key, value in checked.items():
            setattr(current, key, value)
        saved = store.settings.save_fields(current, checked)
        if SCHEDULE_FIELDS & set(checked):
            saved = reschedule(store, settings, bus or EventBus(store), agent)
    return saved


def _events(bus: EventBus, agent: Agent, settings: AgentSettings, run_id: str = "") -> RunEvents:
    return RunEvents(
        bus, run_id, agent.id, agent.user_id, settings.llm_provider, settings.llm_model
    )


def active_runs(store: Store, agent_id: int, kind: str | None = "run") -> list[Run]:
    return [r for r in store.runs.active_for_agent(agent_id) if kind is None or r.kind == kind]


def queue_run(store: Store, agent: Agent, trigger: str, options: RunOptions | None = None) -> Run:
    run = Run(
        id="",
        agent_id=agent.id,
        user_id=agent.user_id,
        trigger=trigger,
        params=(options or RunOptions()).to_params(),
        pipeline=empty_pipeline(),
    )
    return store.runs.create(run)


def queue_task(
    store: Store, settings: Settings, bus: EventBus, agent: Agent, filename: str, phone: str
) -> Run:
    filename = (filename or "").strip()
    if not filename:
        raise BadInput("filename is required.", errors={"filename": "required"})
    resolve_upload(store, settings, agent.user_id, filename)  # unknown file: 404 now, not later
    run = Run(
        id="",
        agent_id=agent.id,
        user_id=agent.user_id,
        kind="task",
        trigger="task",
        params=RunOptions(filename=filename, phone=phone.strip()).to_params(),
        pipeline=empty_pipeline(),
        message="queued",
    )
    run = store.runs.create(run)
    conf = agent_settings(store, settings, agent.id, agent.user_id)
    _events(bus, agent, conf, run.id).task(task_view(run))
    return run


def _save(store: Store, conf: AgentSettings) -> AgentSettings:
    """Write what control changes, and only that: the scheduler and runs write other fields."""
    return store.settings.save_fields(conf, ("agent_status", "next_run", "execution_mode"))


def control_agent(
    store: Store,
    settings: Settings,
    bus: EventBus,
    agent: Agent,
    action: str,
    execution_mode: str | None = None,
) -> tuple[str, AgentSettings]:
    """Apply a control action; returns a message for the user and the agent's settings."""
    if action not in ACTIONS:
        raise BadInput(f"action must be one of {', '.join(ACTIONS)}.", errors={"action": "unknown"})
    if execution_mode:
        execution_mode = check_execution_mode(execution_mode)
    # Two starts at once (a double click, two servers) take turns, so one run is queued.
    with agent_lease(store, agent.id):
        message, conf = _apply(store, settings, agent, action, execution_mode)
    events = _events(bus, agent, conf)
    events.status(agent.status, conf.agent_status)
    return message, conf


def _apply(
    store: Store, settings: Settings, agent: Agent, action: str, execution_mode: str | None
) -> tuple[str, AgentSettings]:
    conf = agent_settings(store, settings, agent.id, agent.user_id)
    if execution_mode:
        conf.execution_mode = execution_mode
    now = utcnow()
    if action == "start":
        message = _start(store, agent, conf, now, settings.timezone)
    elif action == "stop":
        message = _stop(store, agent, conf)
    elif action == "pause":
        for run in active_runs(store, agent.id, kind=None):
            store.runs.request(run.id, pause_requested=True)
        conf.agent_status = "paused"
        message = "Agent paused: the running work waits at its next safe point."
    else:
        for run in active_runs(store, agent.id, kind=None):
            store.runs.request(run.id, pause_requested=False)
        running = bool(active_runs(store, agent.id, kind=None))
        armed = conf.execution_mode in ("scheduled", "interval")
        conf.agent_status = "active" if (armed or running) else "stopped"
        if armed and conf.next_run is None:
            conf.next_run = iso(next_run_after(conf, now, settings.timezone))  # type: ignore[arg-type]
        message = "Agent resumed."
    return message, _save(store, conf)


def reschedule(store: Store, settings: Settings, bus: EventBus, agent: Agent) -> AgentSettings:
    """Re-arm an active agent after its schedule settings changed; never starts a run.

    A new interval or time moves the next run; a switch to manual disarms the schedule (the
    agent stays active only while a run of it is still going)."""
    conf = agent_settings(store, settings, agent.id, agent.user_id)
    if conf.agent_status != "active":
        return conf
    if conf.execution_mode in ("scheduled", "interval"):
        conf.next_run = iso(next_run_after(conf, utcnow(), settings.timezone))  # type: ignore[arg-type]
    else:
        conf.next_run = None
        if not active_runs(store, agent.id, kind=None):
            conf.agent_status = "stopped"
    conf = _save(store, conf)
    _events(bus, agent, conf).status(agent.status, conf.agent_status)
    return conf


def _start(store: Store, agent: Agent, conf: AgentSettings, now: datetime, zone: str) -> str:
    conf.agent_status = "active"
    if conf.execution_mode in ("scheduled", "interval"):
        conf.next_run = iso(next_run_after(conf, now, zone))  # type: ignore[arg-type]
        return f"Schedule armed: next run at {conf.next_run}."
    conf.next_run = None
    if active_runs(store, agent.id):
        return "A run of this agent is already queued or running."
    queue_run(store, agent, "manual")
    return "Run queued."


def _stop(store: Store, agent: Agent, conf: AgentSettings) -> str:
    for run in active_runs(store, agent.id, kind=None):
        if run.status != "queued" or not store.runs.cancel_if_queued(run.id):
            # claimed by a worker meanwhile (or running): it stops at its next safe point
            store.runs.request(run.id, cancel_requested=True, pause_requested=False)
    conf.agent_status = "stopped"
    conf.next_run = None
    return "Agent stopped; a running run ends at its next safe point."


def delete_agent(store: Store, settings: Settings, bus: EventBus, agent: Agent) -> None:
    """Stop the agent (its running work ends at the next safe point and, having lost its run,
    writes nothing more), then remove it with its data sources, settings, runs and matches."""
    if store.settings.get(agent.id) is not None or active_runs(store, agent.id, kind=None):
        control_agent(store, settings, bus, agent, "stop")
    with agent_lease(store, agent.id):  # a settings save waiting for it finds no agent
        store.delete_agent(agent.id)


def delete_user(store: Store, settings: Settings, bus: EventBus, user_id: int) -> None:
    for agent in store.agents.list(user_id):
        delete_agent(store, settings, bus, agent)
    store.delete_user(user_id)


def queue_due_runs(store: Store, settings: Settings, now: datetime) -> list[Run]:
    """Queue one run for every armed agent whose time has come (never overlapping its own run)."""
    queued: list[Run] = []
    for conf in store.settings.list_active():
        if not is_due(conf, now):
            continue
        agent = store.agents.get(conf.id)
        if agent is None:
            continue
        following = next_run_after(conf, now, settings.timezone)
        # The server's scheduler and `elinara agent run-due` may look at the same slot at once
        # (they hold different locks): only the one that moves next_run on queues the run.
        if not store.settings.claim_slot(
            conf.id, conf.next_run, iso(following) if following else None
        ):
            continue
        if active_runs(store, agent.id):
            continue  # the previous run is still going: skip this slot
        queued.append(queue_run(store, agent, conf.execution_mode))
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


def explain_due(store: Store, now: datetime) -> list[tuple[Agent, bool, str]]:
    """(agent, due, why) for every agent, for `run-due --explain`."""
    return [
        (agent, *due_reason(store, store.settings.get(agent.id), now))
        for agent in store.agents.list()
    ]


def countdowns(store: Store, now: datetime) -> list[tuple[Agent, AgentSettings, int]]:
    """(process, settings, seconds left) of every armed schedule."""
    out = []
    for conf in store.settings.list_active():
        if conf.execution_mode not in ("scheduled", "interval"):
            continue
        left = remaining_seconds(conf, now)
        agent = store.agents.get(conf.id)
        if left is not None and agent is not None:
            out.append((agent, conf, left))
    return out


def status_view(
    store: Store, settings: Settings, agent: Agent, conf: AgentSettings | None = None
) -> dict[str, Any]:
    """The API's AgentStatus of an agent (``conf``: its settings, when already read)."""
    conf = conf or settings_for(store, settings, agent)
    runs = store.runs.list(agent_ids=[agent.id], kind="run", limit=1)
    pipeline = runs[0].pipeline if runs and runs[0].pipeline else empty_pipeline()
    return {
        "id": conf.id,
        "agent_id": agent.id,
        "agent_status": conf.agent_status,
        "plan": "Standard",
        "selected_model": conf.llm_model,
        "provider": conf.llm_provider,
        "execution_mode": conf.execution_mode,
        "next_run": conf.next_run,
        "last_run": conf.last_run,
        "pipeline": pipeline,
        "process_status": agent.status,
    }
