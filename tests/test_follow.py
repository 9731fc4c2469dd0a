"""The engine behind `agent watch` and `run-due --explain`, on both store backends: following a
run from its stored events, choosing the run to watch, and why an agent is or is not due."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from elinara.agent import lifecycle
from elinara.agent.events import Event, EventBus, RunEvents
from elinara.agent.follow import follow_run, run_to_watch
from elinara.config import load_settings
from elinara.errors import BadInput, NotFound
from elinara.models import Agent, AgentSettings, Run
from elinara.store import Store
from elinara.store.repos import new_object_id
from elinara.times import countdown, iso, now_iso, utcnow


def _agent(store: Store, user_id: int = 1, **conf: Any) -> Agent:
    agent = store.agents.create(Agent(id=0, user_id=user_id, name="agent"))
    if conf:
        store.settings.save(AgentSettings(id=agent.id, user_id=user_id, **conf))
    return agent


def _run(store: Store, agent: Agent, status: str = "running") -> Run:
    return store.runs.create(Run(id="", agent_id=agent.id, user_id=agent.user_id, status=status))


def wait_until(check: Callable[[], Any], what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def test_follow_hands_on_every_event_once_even_one_landing_late(store: Store) -> None:
    agent = _agent(store)
    run = _run(store, agent)
    other = _run(store, _agent(store))
    events = RunEvents(EventBus(store), run.id, agent.id, 1, "offline", "")
    events.thought("before the watcher came")
    got: list[Event] = []
    ended: list[Run] = []
    watcher = threading.Thread(
        target=lambda: ended.append(follow_run(store, run.id, got.append, poll_seconds=0.01))
    )
    watcher.start()
    wait_until(lambda: len(got) == 1, "the past event")

    late = store.db.next_id("events")  # a writer took its number, then stalled
    events.thought("written after the late one's number was taken")
    RunEvents(EventBus(store), other.id, other.agent_id, 1, "offline", "").thought("not this run")
    wait_until(lambda: len(got) == 2, "the second event")
    store.db.insert(
        "events",
        {
            "_id": new_object_id(),
            "seq": late,
            "event": "agent_action",
            "payload": {"type": "thought", "content": "the late one"},
            "run_id": run.id,
            "agent_id": agent.id,
            "user_id": 1,
            "created_at": now_iso(),
        },
    )
    wait_until(lambda: len(got) == 3, "the late event")
    events.pipeline({"loading_data": {"status": "completed", "percentage": 100}})
    store.runs.finish(run.id, None, {"status": "completed", "message": "done"})
    watcher.join(10)
    assert not watcher.is_alive()

    assert [e.payload.get("content") for e in got] == [
        "before the watcher came",
        "written after the late one's number was taken",
        "the late one",
        None,
    ]
    assert got[-1].name == "pipeline_update" and {e.run_id for e in got} == {run.id}
    assert ended[0].status == "completed" and ended[0].message == "done"


def test_follow_stops_when_asked_and_fails_clearly_when_the_run_is_gone(store: Store) -> None:
    agent = _agent(store)
    run = _run(store, agent, status="queued")
    stop = threading.Event()
    stop.set()
    assert follow_run(store, run.id, lambda e: None, stop=stop).status == "queued"
    store.delete_agent(agent.id)
    with pytest.raises(NotFound, match="is gone"):
        follow_run(store, run.id, lambda e: None)


def test_the_run_to_watch(store: Store) -> None:
    first, second, theirs = _agent(store), _agent(store), _agent(store, user_id=2)
    mine = [first, second]
    with pytest.raises(BadInput, match="No run is queued or going"):
        run_to_watch(store, None, mine)
    with pytest.raises(BadInput, match="has never run"):
        run_to_watch(store, str(first.id), mine)
    done = _run(store, first, status="completed")
    assert run_to_watch(store, str(first.id), mine).id == done.id  # its latest
    going = _run(store, first, status="running")
    assert run_to_watch(store, str(first.id), mine).id == going.id  # the one going
    assert run_to_watch(store, None, mine).id == going.id
    assert run_to_watch(store, done.id, mine).id == done.id
    _run(store, second, status="queued")
    with pytest.raises(BadInput, match="several agents"):
        run_to_watch(store, None, mine)
    hidden = _run(store, theirs)
    for target in (hidden.id, str(theirs.id), "no-such-run"):
        with pytest.raises(NotFound):
            run_to_watch(store, target, mine)


def test_why_an_agent_is_or_is_not_due(store: Store) -> None:
    now = utcnow()
    past, future = iso(now - timedelta(minutes=1)), iso(now + timedelta(hours=2, minutes=3))
    cases = {
        "never started": _agent(store),
        "stopped: arm its schedule": _agent(store, execution_mode="scheduled"),
        "paused: resume": _agent(store, agent_status="paused", execution_mode="interval"),
        "manual: it runs only when started": _agent(store, agent_status="active"),
        "no next run is set": _agent(store, agent_status="active", execution_mode="interval"),
        "not yet: next run at": _agent(
            store, agent_status="active", execution_mode="interval", next_run=future
        ),
        "due since": _agent(
            store, agent_status="active", execution_mode="scheduled", next_run=past
        ),
    }
    busy = _agent(store, agent_status="active", execution_mode="interval", next_run=past)
    _run(store, busy)
    explained = {p.id: (due, why) for p, due, why in lifecycle.explain_due(store, now)}
    for start, agent in cases.items():
        due, why = explained[agent.id]
        assert why.startswith(start), (start, why)
        assert due is (start == "due since")
    assert "(in 2h 03m)" in explained[cases["not yet: next run at"].id][1]
    assert explained[busy.id] == (
        False,
        "due, but its previous run is still going: this slot is skipped",
    )
    # the same test as the queueing: only the agent said to be due gets a run
    queued = lifecycle.queue_due_runs(store, load_settings(), now)
    assert [r.agent_id for r in queued] == [cases["due since"].id]


def test_countdown_text() -> None:
    assert [
        countdown(timedelta(seconds=s)) for s in (-5, 12, 249, 3 * 3600 + 300, 2 * 86400 + 3 * 3600)
    ] == ["0s", "12s", "4m 09s", "3h 05m", "2d 3h"]
