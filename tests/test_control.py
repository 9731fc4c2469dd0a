"""Agent control on both store backends: starts, stops and schedule slots that race (two
servers, a server and `elinara agent run-due`, a double click), and settings that re-arm."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest

from elinara.agent import lifecycle
from elinara.agent.events import EventBus
from elinara.config import load_settings
from elinara.errors import Conflict
from elinara.models import Agent, AgentSettings
from elinara.store import Store
from elinara.times import iso, parse_iso, utcnow


def _agent(store: Store, **conf: Any) -> Agent:
    agent = store.agents.create(Agent(id=0, user_id=1, name="agent"))
    if conf:
        store.settings.save(AgentSettings(id=agent.id, user_id=1, **conf))
    return agent


def _active(store: Store, agent: Agent) -> list[Any]:
    return lifecycle.active_runs(store, agent.id, kind=None)


def test_a_schedule_slot_is_queued_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's scheduler and run-due read the same due slot; the first run ends at once
    (a tiny agent): the second reader must not queue that slot again."""
    settings = load_settings()
    due = iso(utcnow() - timedelta(seconds=5))
    agent = _agent(store, agent_status="active", execution_mode="interval", next_run=due)
    snapshot = store.settings.list_active()  # what both readers saw
    monkeypatch.setattr(store.settings, "list_active", lambda: list(snapshot))
    first = lifecycle.queue_due_runs(store, settings, utcnow())
    assert len(first) == 1
    store.runs.finish(first[0].id, None, {"status": "completed"})
    second = lifecycle.queue_due_runs(store, settings, utcnow())
    assert second == []
    assert len(store.runs.list(agent_ids=[agent.id])) == 1
    following = parse_iso(store.settings.get(agent.id).next_run)
    assert following is not None and following > utcnow() + timedelta(minutes=50)


def test_claim_slot_is_conditional(store: Store) -> None:
    agent = _agent(store, agent_status="active", execution_mode="interval", next_run="A")
    assert store.settings.claim_slot(agent.id, "A", "B") is True
    assert store.settings.claim_slot(agent.id, "A", "C") is False
    assert store.settings.get(agent.id).next_run == "B"


def test_a_double_click_on_start_queues_one_run(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two starts at once: the second waits for the first's check-and-queue, then finds its
    run. Queuing is slowed down so that, without that turn-taking, both would pass the
    "nothing is running" check first."""
    settings = load_settings()
    agent = _agent(store)
    real_queue_run = lifecycle.queue_run

    def slow_queue_run(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return real_queue_run(*args, **kwargs)

    monkeypatch.setattr(lifecycle, "queue_run", slow_queue_run)
    together = threading.Barrier(2)
    messages: list[str] = []
    failures: list[BaseException] = []

    def click() -> None:
        try:
            together.wait(10)
            message, _conf = lifecycle.control_agent(
                store, settings, EventBus(store), agent, "start"
            )
            messages.append(message)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not failures
    assert sorted(messages) == ["A run of this agent is already queued or running.", "Run queued."]
    assert [r.status for r in _active(store, agent)] == ["queued"]
    assert len(store.runs.list(agent_ids=[agent.id])) == 1
    assert store.db.count("locks") == 0  # released


def test_a_lease_left_by_a_dead_server_is_taken_once_it_ends(store: Store) -> None:
    agent = _agent(store)
    assert store.locks.acquire(f"agent-{agent.id}", "a server that died", 1)
    with (
        pytest.raises(Conflict, match="try again"),
        store.locks.held(f"agent-{agent.id}", "busy: try again", wait=0.2),
    ):
        pass
    message, _ = lifecycle.control_agent(
        store, load_settings(), EventBus(store), agent, "start"
    )  # waits out the dead holder's lease
    assert message == "Run queued."


def test_a_start_waiting_for_its_turn_keeps_settings_saved_meanwhile(store: Store) -> None:
    """Another server changes the settings while it holds the agent; the start that waited
    for it must not write back what it would have read before."""
    settings = load_settings()
    agent = _agent(store)
    assert store.locks.acquire(f"agent-{agent.id}", "another server", 30)
    started: list[str] = []
    start = threading.Thread(
        target=lambda: started.append(
            lifecycle.control_agent(store, settings, EventBus(store), agent, "start")[0]
        )
    )
    start.start()
    time.sleep(0.2)  # the start is waiting now
    other = lifecycle.agent_settings(store, settings, agent.id, agent.user_id)
    other.min_score = 80
    store.settings.save(other)
    store.locks.release(f"agent-{agent.id}", "another server")
    start.join(20)
    assert started == ["Run queued."]
    conf = store.settings.get(agent.id)
    assert conf is not None and conf.min_score == 80 and conf.agent_status == "active"


def test_settings_saves_keep_what_runs_and_the_scheduler_wrote(store: Store) -> None:
    """A save writes only the fields it changes: a run's last_run, written between its read
    and its write, stays."""
    settings = load_settings()
    agent = _agent(store, agent_status="active", execution_mode="manual")
    stale = store.settings.get(agent.id)
    assert stale is not None
    store.settings.update(agent.id, {"last_run": "2026-11-26T10:00:00+00:00"})  # a run ended
    stale.min_score = 70
    store.settings.save_fields(stale, ["min_score"])
    conf = store.settings.get(agent.id)
    assert conf is not None and (conf.min_score, conf.last_run) == (70, "2026-11-26T10:00:00+00:00")
    fresh = _agent(store)  # never saved: the whole document is written
    conf = lifecycle.agent_settings(store, settings, fresh.id, fresh.user_id)
    conf.min_score = 65
    saved = store.settings.save_fields(conf, ["min_score"])
    assert saved.min_score == 65 and saved.execution_mode == conf.execution_mode


def test_stop_does_not_cancel_a_run_a_worker_just_claimed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings()
    agent = _agent(store)
    run = lifecycle.queue_run(store, agent, "manual")
    seen_queued = _active(store, agent)  # stop reads the run while it is still queued...
    assert store.runs.claim(run.id, "worker-1", 60) is not None  # ...a worker takes it...
    monkeypatch.setattr(lifecycle, "active_runs", lambda *_a, **_k: list(seen_queued))
    lifecycle.control_agent(store, settings, EventBus(store), agent, "stop")  # ...then stop acts
    after = store.runs.get(run.id)
    assert after.status == "running" and after.worker_id == "worker-1"
    assert after.cancel_requested is True  # it stops at its next safe point, as a running run


def test_stop_cancels_a_queued_run(store: Store) -> None:
    settings = load_settings()
    agent = _agent(store)
    run = lifecycle.queue_run(store, agent, "manual")
    lifecycle.control_agent(store, settings, EventBus(store), agent, "stop")
    assert store.runs.get(run.id).status == "cancelled"
    assert store.runs.cancel_if_queued(run.id) is False


def test_settings_changes_rearm_an_active_agent_from_any_edge(store: Store) -> None:
    """`elinara settings set` (no bus given) re-arms like POST /config/update."""
    settings = load_settings()
    agent = _agent(store)
    lifecycle.update_settings(store, settings, agent, {"execution_mode": "interval"})
    lifecycle.control_agent(store, settings, EventBus(store), agent, "start")
    armed = parse_iso(store.settings.get(agent.id).next_run)
    assert armed is not None and armed > utcnow() + timedelta(minutes=55)

    lifecycle.update_settings(store, settings, agent, {"execution_interval": "5"})
    moved = parse_iso(store.settings.get(agent.id).next_run)
    assert moved is not None and moved < utcnow() + timedelta(minutes=6)
    statuses = [e["payload"]["agent_status"] for e in store.events.since(0)]
    assert statuses[-1] == "active"

    lifecycle.update_settings(store, settings, agent, {"execution_mode": "manual"})
    conf = store.settings.get(agent.id)
    assert conf.next_run is None and conf.agent_status == "stopped"
    lifecycle.update_settings(store, settings, agent, {"llm_model": "x"})  # no schedule change
    assert store.settings.get(agent.id).agent_status == "stopped"
